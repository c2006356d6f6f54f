#!/usr/bin/env bash
# update-po.sh: extracts the message ids from the sources into po/vertelpunt.pot and
# merges them into po/nl.po and po/en.po (new entries arrive untranslated).
set -eu
cd "$(dirname "$0")/.."
xgettext --language=C --from-code=UTF-8 --no-location --sort-output \
	--keyword=T:2 --keyword=N_ --keyword=web_error:3 --keyword=send_error:3 --keyword=i18n_get:2 --keyword=export_row:3 \
	--package-name=vertelpunt --msgid-bugs-address=security@example.org \
	-o po/vertelpunt.pot $(find src -name '*.c' | sort)
for lang in nl en; do
	msgmerge --quiet --no-location --sort-output --no-fuzzy-matching -U --backup=off \
		"po/$lang.po" po/vertelpunt.pot
done
