#!/usr/bin/env bash
# check-injection-selftest.sh: proves scripts/check-injection.sh fails on each kind of
# injection-prone code and passes clean code.
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0
expect() { # expect NAME EXIT_WANTED CODE
	mkdir -p "$dir/$1/web"
	printf '%s\n' "$3" > "$dir/$1/web/x.c"
	bash scripts/check-injection.sh "$dir/$1" >/dev/null 2>&1
	local got=$?
	if [ "$got" -eq "$2" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL selftest $1: exit $got, wanted $2"; fi
}
expect html_printf 1 'void f(buf *b, const char *n) { buf_printf(b, "<p>%s</p>", n); }'
expect html_snprintf 1 'void f(char *o, const char *n) { snprintf(o, 99, "<a href=\"%s\">", n); }'
expect sql_printf 1 'void f(buf *b, const char *n) { buf_printf(b, "SELECT * FROM users WHERE name = %s", n); }'
expect sqlite_direct 1 'void f(sqlite3 *h) { sqlite3_exec(h, "DELETE FROM x", 0, 0, 0); }'
expect literal_bypass 1 'void f(db *d, const char *q) { db_prepare_literal(d, q); }'
expect raw_elsewhere 1 'void f(buf *b, const char *s) { html_raw_trusted(b, s, 3); }'
expect clean 0 'void f(buf *b, const char *n) { html_lit(b, "<p>"); html_text(b, n); buf_printf(b, "%d items", 3); }'
expect clean_sql 0 'void f(db *d) { db_stmt *s = db_prepare(d, "SELECT id FROM users WHERE name = :n"); }'
echo "check-injection selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
