#!/usr/bin/env bash
# check-injection.sh: fails when C code assembles SQL or HTML with printf-style formatting,
# or passes a non-literal to the raw SQL/HTML entry points (DESIGN rules 4 and 5).
# usage: check-injection.sh DIR...   (exit 1 and a list of places when something is found)
set -u
status=0
report() { echo "check-injection: $1: $2"; status=1; }

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
files=$(find "$@" -name '*.c' -o -name '*.h' | sort)
for f in $files; do
	# 1. printf-family calls whose format string (its adjacent literals
	#    joined, across lines) holds markup or SQL and a conversion.
	perl -0777 -ne '
		my $src = $_;
		while ($src =~ /\b((?:v?s?n?printf|buf_v?printf|v?asprintf|v?fprintf|v?dprintf|log_event))\s*\(/g) {
			my $pos = pos($src);
			my $rest = substr($src, $pos, 2000);
			$rest =~ s/;.*//s;
			next unless $rest =~ /("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*)/s;
			my $fmt = $1;
			next unless $fmt =~ /%/;
			my $line = 1 + (() = substr($src, 0, $pos) =~ /\n/g);
			print "check-injection: $ARGV:$line: HTML built with a printf format\n" if $fmt =~ /<[a-zA-Z\/!]/;
			print "check-injection: $ARGV:$line: SQL built with a printf format\n"
				if $fmt =~ /\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WHERE|VALUES)\b/;
		}' "$f" > "$tmp"
	if [ -s "$tmp" ]; then cat "$tmp"; status=1; fi
	# 2. Direct calls of the database library outside the drivers.
	case "$f" in
	*/db/db_sqlite.c | */db/db_pg.c) ;;
	*)
		if grep -nE '\bsqlite3_(exec|prepare|prepare_v2|prepare_v3|mprintf|vmprintf)\b|\bPQexec\b' "$f" >/dev/null; then
			report "$f" "calls the SQL library directly; use the db_ layer"
		fi
		;;
	esac
	# 3. The literal-only entry points must not be bypassed.
	if grep -nE '\bdb_prepare_literal[[:space:]]*\(|\bdb_exec_literal[[:space:]]*\(' "$f" | grep -v '^\s*[0-9]*:\s*/\*' |
		grep -vE 'db/db\.(c|h):' >/dev/null && [ "${f##*/}" != db.c ] && [ "${f##*/}" != db.h ]; then
		report "$f" "calls db_prepare_literal/db_exec_literal directly; use db_prepare/db_exec with a literal"
	fi
	if grep -nE 'html_raw_trusted[[:space:]]*\(' "$f" >/dev/null; then
		case "$f" in
		*/web/html.c | */web/html.h | */web/page_home.c) ;;
		*) report "$f" "uses html_raw_trusted outside the reviewed places (web/page_home.c)" ;;
		esac
	fi
done
[ $status -eq 0 ] && echo "check-injection: ok ($(echo "$files" | wc -w) files)"
exit $status
