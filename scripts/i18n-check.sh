#!/usr/bin/env bash
# i18n-check.sh: every message id in the sources has a Dutch and an English translation.
# Fails with the list of missing ones; scripts/update-po.sh brings new ids into the .po files.
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xgettext --language=C --from-code=UTF-8 --no-location --sort-output \
	--keyword=T:2 --keyword=N_ --keyword=web_error:3 --keyword=send_error:3 --keyword=i18n_get:2 --keyword=export_row:3 \
	-o "$tmp/now.pot" $(find src -name '*.c' | sort) || exit 1
pass=0 fail=0
for lang in nl en; do
	# Ids in the sources that the catalog lacks, or has without a translation.
	msgcmp --use-untranslated "po/$lang.po" "$tmp/now.pot" >"$tmp/cmp.$lang" 2>&1
	missing=$(grep -c 'this message is used but not defined' "$tmp/cmp.$lang")
	untranslated=$(msgattrib --untranslated --no-obsolete "po/$lang.po" | grep -c '^msgid "[^"]')
	fuzzy=$(msgattrib --only-fuzzy --no-obsolete "po/$lang.po" | grep -c '^msgid "[^"]')
	if [ "$missing" -eq 0 ] && [ "$untranslated" -eq 0 ] && [ "$fuzzy" -eq 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "po/$lang.po: $missing missing, $untranslated untranslated, $fuzzy fuzzy"
		grep -B1 'this message is used but not defined' "$tmp/cmp.$lang" | head -20
		msgattrib --untranslated --no-obsolete "po/$lang.po" | grep '^msgid "[^"]' | head -20
	fi
	msgfmt --check -o /dev/null "po/$lang.po" || { fail=$((fail + 1)); pass=$((pass - 1)); }
done
echo "i18n: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
