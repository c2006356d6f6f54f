#!/usr/bin/env bash
# pg-bin.sh: the vertelpunt binary as tests/cli/lib.sh runs it on PostgreSQL: adds --key FILE, the key file that --db's file would have had next to it.
# The map (VP_CLI_PG_MAP, one "URL KEYFILE" a line) is written by cli_db; a
# --key given by the test wins. The real binary is VP_CLI_REAL_BIN. Only the
# sub-commands that take --key get it (the others refuse unknown options).
set -u
case "${1:-} ${2:-}" in
init\ * | serve\ * | participant\ * | key\ * | audit\ * | demo\ * | backup\ * | mail\ * | "trajectory demo") ;;
*) exec "$VP_CLI_REAL_BIN" "$@" ;;
esac
url= has_key=0 prev=
for a in "$@"; do
	case "$a" in
	--key | --key=*) has_key=1 ;;
	--db=*) url=${a#--db=} ;;
	esac
	[ "$prev" = --db ] && url=$a
	prev=$a
done
if [ "$has_key" -eq 0 ] && [ -n "$url" ]; then
	key=$(awk -v u="$url" '$1 == u {print $2; exit}' "$VP_CLI_PG_MAP")
	[ -n "$key" ] && exec "$VP_CLI_REAL_BIN" "$@" --key "$key"
fi
exec "$VP_CLI_REAL_BIN" "$@"
