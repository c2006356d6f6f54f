#!/usr/bin/env bash
# test_method.sh: the catalogue of methods on the command line: the six seeded methods, by id and by slug, bad input.
# usage: test_method.sh BINARY
set -u
bin=${1:?usage: test_method.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/vp.db"

. "$here/lib.sh"
db=$(cli_db "$db") # a PostgreSQL schema under make cli-pg

check "init" 0 '"organisation"' "$bin" init --db "$db"
check "list: six" 0 '^\[(\{"id":[0-9]+,"slug":"[a-z-]+".*){6}\]$' "$bin" method list --db "$db"
for slug in keukentafelgesprek wmo-keukentafelgesprek spiegelgesprek dialoogtafel \
	burgerinitiatief vertelpunt; do
	check "list has $slug" 0 "\"slug\":\"$slug\"" "$bin" method list --db "$db"
	check "show $slug" 0 "^\\{\"id\":[0-9]+,\"slug\":\"$slug\"" "$bin" method show --db "$db" "$slug"
done
check "show by id" 0 '^\{"id":1,"slug":"keukentafelgesprek","name":\{"nl":"Keukentafelgesprek","en":"Kitchen-table conversation"\}' \
	"$bin" method show --db "$db" 1
check "rung" 0 '"rung":"raadplegen","rung_position":2' "$bin" method show --db "$db" keukentafelgesprek
check "dialogue table decides" 0 '"rung":"meebeslissen"' "$bin" method show --db "$db" dialoogtafel
check "steps in order" 0 '"steps":\[\{"nl":"Nodig uit en vertel waarom\.' \
	"$bin" method show --db "$db" keukentafelgesprek
check "nothing missing in English" 0 '"missing_en":\[\]\}$' "$bin" method show --db "$db" spiegelgesprek
check "builtin, never edited" 0 '"builtin":true,"created_at":[0-9]+,"updated_at":[0-9]+,"updated_by":null' \
	"$bin" method show --db "$db" vertelpunt
check "unknown slug" 1 "no method 'bestaat-niet'" "$bin" method show --db "$db" bestaat-niet
check "unknown id" 1 "no method '999'" "$bin" method show --db "$db" 999
check "show without key" 1 'usage: vertelpunt method' "$bin" method show --db "$db"
check "list with argument" 1 'usage: vertelpunt method' "$bin" method list --db "$db" extra
check "no action" 1 'which action' "$bin" method --db "$db"
check "unknown action" 1 'unknown action' "$bin" method frob --db "$db"
check "help" 0 'show ID\|SLUG' "$bin" help method
check "a new database gets them too" 0 '"slug":"dialoogtafel"' "$bin" method list --db "$dir/other.db"
finish "cli method"
