#!/usr/bin/env bash
# test_collection.sh: collections on the command line: only ready versions, links and codes, periods, closing, bad input.
# usage: test_collection.sh BINARY
set -u
bin=${1:?usage: test_collection.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/vp.db"

. "$here/lib.sh"
db=$(cli_db "$db") # a PostgreSQL schema under make cli-pg

check "init" 0 '"organisation"' "$bin" init --db "$db"
check "template" 0 '"version":1' "$bin" script add-template --db "$db" open-vertelpunt
check "draft cannot collect" 1 'no version in pilot or published' \
	"$bin" collection add --db "$db" --script 1 --title T --purpose P
check "draft named cannot collect" 1 'not in pilot or published' \
	"$bin" collection add --db "$db" --script 1 --version 1 --title T --purpose P
check "pilot" 0 '"status":"pilot"' "$bin" script status --db "$db" 1 1 pilot
check "add" 0 '"link":"/v/[0-9a-f]{32}","script":\{"id":1,"version":1\}' \
	"$bin" collection add --db "$db" --script 1 --title "Ervaringen Wmo-loket 2026, kwartaal 1" \
	--purpose "Leren hoe het loket werkt" --from 2026-01-01 --until 2026-03-31 --retention 365
check "short code" 0 '"short_code":"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}"' \
	"$bin" collection add --db "$db" --script 1 --title Tweede --purpose P
check "list" 0 '"retention_days":365,"closed":false,"stories":0' "$bin" collection list --db "$db"
check "period stored" 0 '"starts_at":1767225600,"ends_at":1775001600' "$bin" collection list --db "$db"
check "in use: no retiring" 1 'open collection uses this version' \
	"$bin" script status --db "$db" 1 1 retired
check "close" 0 '"closed":true' "$bin" collection close --db "$db" 2
check "close unknown" 1 'no collection 99' "$bin" collection close --db "$db" 99
check "no script" 1 'no version in pilot or published' \
	"$bin" collection add --db "$db" --script 9 --title T --purpose P
check "bad date" 1 'YYYY-MM-DD' "$bin" collection add --db "$db" --script 1 --title T \
	--purpose P --until 31-03-2026
check "end before start" 1 'end of the period' "$bin" collection add --db "$db" --script 1 \
	--title T --purpose P --from 2026-05-01 --until 2026-04-01
check "no title" 1 'usage' "$bin" collection add --db "$db" --script 1 --purpose P
check "empty title" 1 'title' "$bin" collection add --db "$db" --script 1 --title "" --purpose P
check "retention range" 1 'days' "$bin" collection add --db "$db" --script 1 --title T \
	--purpose P --retention 0
check "unknown action" 1 'unknown action' "$bin" collection frob
check "purge: nothing expired" 0 '^\{"stories":0,"drafts":0,"uploads":0,"vacuum":true\}$' \
	"$bin" purge --db "$db"
check "purge without vacuum" 0 '"vacuum":false' "$bin" purge --db "$db" --no-vacuum
check "purge: bad flag" 1 'usage' "$bin" purge --db "$db" --now
finish "cli collection"
