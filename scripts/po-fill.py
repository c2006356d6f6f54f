#!/usr/bin/env python3
"""po-fill.py: rewrites po/LANG.po from po/vertelpunt.pot, keeping existing translations and
adding new ones from a JSON file {msgid: msgstr}. For English, a missing text is the msgid.
usage: po-fill.py LANG [translations.json]"""
import json
import sys


def parse(path):
    entries, cur, field = [], None, None
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if line.startswith('msgid '):
            cur = {'msgid': json.loads(line[6:]), 'msgstr': ''}
            field = 'msgid'
            entries.append(cur)
        elif line.startswith('msgstr '):
            cur['msgstr'] = json.loads(line[7:])
            field = 'msgstr'
        elif line.startswith('"') and cur is not None:
            cur[field] += json.loads(line)
    return entries


def q(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


lang = sys.argv[1]
tr = {e['msgid']: e['msgstr'] for e in parse(f'po/{lang}.po') if e['msgid'] and e['msgstr']}
if len(sys.argv) > 2:
    tr.update(json.load(open(sys.argv[2], encoding='utf-8')))
head = [f'# Vertelpunt interface texts: {"Dutch (B1)" if lang == "nl" else "English"}.',
        'msgid ""', 'msgstr ""', '"Project-Id-Version: vertelpunt\\n"', f'"Language: {lang}\\n"',
        '"PO-Revision-Date: 2026-11-22 00:00+0000\\n"', '"Last-Translator: Vertelpunt team\\n"',
        '"Language-Team: Vertelpunt team\\n"', '"MIME-Version: 1.0\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"', '"Content-Transfer-Encoding: 8bit\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', '']
out, missing = head, []
for e in parse('po/vertelpunt.pot'):
    if not e['msgid']:
        continue
    t = tr.get(e['msgid'], e['msgid'] if lang == 'en' else '')
    if not t:
        missing.append(e['msgid'])
    out += ['msgid ' + q(e['msgid']), 'msgstr ' + q(t), '']
open(f'po/{lang}.po', 'w', encoding='utf-8').write('\n'.join(out))
for m in missing:
    print('untranslated:', m)
