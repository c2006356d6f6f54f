#!/usr/bin/env bash
# test_script.sh: interview scripts on the command line: import, export round trip, lint, versions, library, SenseMaker, bad input.
# usage: test_script.sh BINARY
set -u
bin=${1:?usage: test_script.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/vp.db"

. "$here/lib.sh"
db=$(cli_db "$db") # a PostgreSQL schema under make cli-pg

check "init" 0 '"organisation"' "$bin" init --db "$db"
check "empty list" 0 '^\[\]$' "$bin" script list --db "$db"

# The library: every template parses, imports as a draft without lint errors.
check "templates" 0 '"key":"open-vertelpunt"' "$bin" script templates
for t in $("$bin" script templates | python3 -c 'import json,sys; print(" ".join(t["name"] for t in json.load(sys.stdin)))'); do
	check "template $t" 0 '"lint":\{"errors":0,' "$bin" script add-template --db "$db" "$t"
done
check "template again: draft exists" 1 'has a draft already' \
	"$bin" script add-template --db "$db" open-vertelpunt
check "unknown template" 1 'no such template' "$bin" script add-template --db "$db" nope

# The spatial-plan template brings its example map as an upload.
rid=$("$bin" script list --db "$db" | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin) if s["key"]=="ruimtelijk-plan-keukentafel"][0])')
tok=$("$bin" script export --db "$db" "$rid" | python3 -c '
import json,sys
d=json.load(sys.stdin)
print([q["image"] for s in d["sections"] for q in s["questions"] if q["type"]=="pin"][0])')
check "map is an upload token" 0 '^[0-9a-f]{32}$' echo "$tok"
check "map file stored" 0 '^PNG 1200x800$' python3 -c '
import struct,sys
d=open(sys.argv[1],"rb").read(24)
print("PNG %dx%d" % struct.unpack(">II", d[16:24]) if d[1:4]==b"PNG" else "not a PNG")' "$(cli_upload_dir "$db")/$tok"

# Export, import, export gives the same file (the template file itself too).
id=$("$bin" script list --db "$db" | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin) if s["key"]=="open-vertelpunt"][0])')
"$bin" script export --db "$db" "$id" >"$dir/a.json"
check "export is the template file" 0 '^same$' bash -c "cmp -s '$dir/a.json' '$here/../../templates/scripts/open-vertelpunt.json' && echo same"
sed 's/"key": "open-vertelpunt"/"key": "open-kopie"/' "$dir/a.json" >"$dir/b.json"
out=$("$bin" script import --db "$db" "$dir/b.json")
check "import copy" 0 '"version":1' echo "$out"
bid=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
"$bin" script export --db "$db" "$bid" >"$dir/c.json"
check "round trip" 0 '^same$' bash -c "cmp -s '$dir/b.json' '$dir/c.json' && echo same"

# Versions: publish, immutable, a new draft, retire.
check "lint file" 0 '"errors":0' "$bin" script lint "$dir/b.json"
check "publish" 0 '"status":"published"' "$bin" script status --db "$db" "$bid" 1 published
check "published cannot go back" 1 'not allowed' "$bin" script status --db "$db" "$bid" 1 pilot
check "published cannot be deleted" 1 'not allowed' "$bin" script status --db "$db" "$bid" 1 deleted
check "import onto published: new draft" 0 '"version":2' "$bin" script import --db "$db" "$dir/b.json"
check "replace draft" 0 '"version":2' "$bin" script import --db "$db" --replace-draft "$dir/b.json"
check "edit while a draft exists" 1 'draft already' "$bin" script edit --db "$db" "$bid"
check "delete draft" 0 '"status":"deleted"' "$bin" script status --db "$db" "$bid" 2 deleted
check "edit: new draft" 0 '"version":2' "$bin" script edit --db "$db" "$bid"
check "retire" 0 '"status":"retired"' "$bin" script status --db "$db" "$bid" 1 retired
check "retired stays readable" 0 '"key": "open-kopie"' "$bin" script export --db "$db" "$bid" --version 1
check "no such version" 1 'no script' "$bin" script export --db "$db" "$bid" --version 9
check "bad id" 1 'not a script id' "$bin" script export --db "$db" abc

# Bad files are refused whole, with the place named; nothing is stored.
before=$("$bin" script list --db "$db")
bad() { # NAME PATTERN PYTHON-EDIT
	python3 -c "
import json,sys
d=json.load(open('$dir/b.json')); d['key']='kapot'
qs=[q for s in d['sections'] for q in s['questions']]
$3
json.dump(d,open('$dir/bad.json','w'))"
	check "import $1" 1 "$2" "$bin" script import --db "$db" "$dir/bad.json"
	check "lint $1" 1 "$2" "$bin" script lint "$dir/bad.json"
}
bad "unknown type" 'unknown question type' "qs[1]['type']='slider'"
bad "missing Dutch" 'title: has no Dutch' "d['title']={'en':'Title'}"
bad "duplicate id" 'duplicate question id' "qs[1]['id']=qs[0]['id']"
bad "unknown key" 'unknown key' "d['colour']='blue'"
printf '{"format":' >"$dir/broken.json"
check "broken JSON" 1 'not valid JSON' "$bin" script import --db "$db" "$dir/broken.json"
check "missing file" 1 'No such file' "$bin" script import --db "$db" "$dir/none.json"
check "nothing stored" 0 '^same$' bash -c "[ \"\$('$bin' script list --db '$db')\" = '$before' ] && echo same"

# Lint errors exit 1 and name the field.
python3 -c "
import json
d=json.load(open('$dir/b.json'))
for q in [q for s in d['sections'] for q in s['questions']]:
    if q['type']=='story': q['type']='text'; del q['prompts']
json.dump(d,open('$dir/nostory.json','w'))" 2>/dev/null
check "lint: no story" 1 'no story question' "$bin" script lint "$dir/nostory.json"

# SenseMaker: our own fixture in their format.
check "sensemaker import" 0 '"report":' "$bin" script import-sensemaker --db "$db" "$here/../fixtures/sensemaker/Wmo_Definition.json"
check "sensemaker bad" 1 'nothing imported' "$bin" script import-sensemaker --db "$db" "$dir/b.json"

# The paper version: every stored script prints, with each question once.
for sid in $("$bin" script list --db "$db" | python3 -c 'import json,sys; print(" ".join(str(s["id"]) for s in json.load(sys.stdin)))'); do
	nq=$("$bin" script export --db "$db" "$sid" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(len(s["questions"]) for s in d["sections"]))')
	"$bin" script paper --db "$db" "$sid" >"$dir/paper.html"
	check "paper $sid: every question" 0 "^$nq\$" bash -c "grep -o 'class=\"vp-paper__question ' '$dir/paper.html' | wc -l"
done
wid=$("$bin" script list --db "$db" | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin) if s["key"]=="wmo-keukentafel-ervaring"][0])')
"$bin" script paper --db "$db" "$wid" >"$dir/wmo.html"
check "paper: a document in Dutch" 0 '^<!DOCTYPE html>' head -1 "$dir/wmo.html"
check "paper: Dutch by default" 0 '<html lang="nl">' cat "$dir/wmo.html"
check "paper: the Wmo title" 0 'Uw keukentafelgesprek over hulp thuis \(Wmo\)' cat "$dir/wmo.html"
# The stylesheet stands in the file itself, byte for byte (escaping it changes nothing).
check "paper: print.css embedded unchanged" 0 '^same$' python3 -c '
import sys
h=open(sys.argv[1]).read(); css=open(sys.argv[2]).read()
a=h.index("<style>")+7; b=h.index("</style>")
print("same" if h[a:b]==css else "differs")' "$dir/wmo.html" "$here/../../assets/print.css"
check "paper: A4 and page breaks" 0 'size: A4 portrait' cat "$dir/wmo.html"
check "paper: the professional part last" 0 '^ok$' python3 -c '
import sys
h=open(sys.argv[1]).read()
i=h.index("To be filled in by the conversation lead") if "To be filled in by the conversation lead" in h else h.index("In te vullen door de gespreksvoerder")
print("ok" if i > h.rindex("vp-paper__question--story") else "no")' "$dir/wmo.html"
check "paper: English" 0 '<html lang="en">.*Put a dot in the triangle' bash -c "'$bin' script paper --db '$db' '$wid' --lang en | tr -d '\n'"
check "paper: version" 0 'versie 1|version 1' "$bin" script paper --db "$db" "$wid" --version 1
# The pin's picture from the uploads folder, by its full path.
check "paper: the map by its full path" 0 "src=\"$(cd "$(cli_upload_dir "$db")" && pwd -P)/$tok\"" "$bin" script paper --db "$db" "$rid"
check "paper: no such version" 1 'no script' "$bin" script paper --db "$db" "$wid" --version 99
check "paper: no such script" 1 'no script' "$bin" script paper --db "$db" 999
check "paper: bad id" 1 'not a script id' "$bin" script paper --db "$db" abc
check "paper: bad language" 1 '--lang is nl or en' "$bin" script paper --db "$db" "$wid" --lang fr
check "paper: usage" 1 'usage: vertelpunt script paper' "$bin" script paper --db "$db"

check "unknown action" 1 'unknown action' "$bin" script frobnicate
finish "cli script"
