#!/usr/bin/env bash
# test_keyness.sh: `vertelpunt analyse ... keyness` on demo data: an intervention's own words first, against a second filter, over a trajectory, small groups and bad input (a clear message, never a crash).
# usage: test_keyness.sh BINARY
set -u
bin=${1:?usage: test_keyness.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/vp.db"

. "$here/lib.sh"
db=$(cli_db "$db") # a PostgreSQL schema under make cli-pg

a() { "$bin" analyse --db "$db" --collection 1 "$@"; }

check "demo" 0 '"stories":2000' "$bin" demo --db "$db" --stories 2000 --seed 3
# the demo's texts on a home adaptation speak of a stair lift
check "keyness: the intervention's words first" 0 \
	'^\{"filter":"q-interventie = woningaanpassing","against":null,"target":\{"stories":[0-9]+\},"reference":\{"stories":[0-9]+\},"min_stories":10,"cutoff":10.83,"tests":[0-9]+,"bonferroni_cutoff":[0-9.]+,"too_few":false,"terms":\[\{"term":"traplift","stem":"traplift","phrase":false,"target":[0-9]+,' \
	a keyness --filter "q-interventie = woningaanpassing" --limit 3
# the demo plants words in one district (model/demo.c, "Group words"):
# keyness for that district finds them first
first_two() {
	a keyness --filter "q-wijk = buitengebied" --limit 2 |
		python3 -c 'import json, sys; print(" ".join(t["stem"] for t in json.load(sys.stdin)["terms"]))'
}
check "keyness: a district's planted words first" 0 '^(bus|halt|dorpshuis|dorp) (bus|halt|dorpshuis|dorp)$' first_two
check "limit" 0 '"terms":\[\{[^]]*\},\{[^]]*\}\]\}$' a keyness --filter "q-interventie = woningaanpassing" --limit 2
check "phrases" 0 '"phrase":true' a keyness --filter "q-interventie = woningaanpassing" --limit 20
check "against a second filter" 0 '"against":"q-interventie = huishoudelijke-hulp",.*"term":"traplift"' \
	a keyness --filter "q-interventie = woningaanpassing" --against "q-interventie = huishoudelijke-hulp"
check "small group" 0 '"target":\{"stories":null\},"reference":\{"stories":null\},.*"too_few":true,"terms":\[\]' \
	a keyness --filter "q-interventie = woningaanpassing and period = 2000"
check "every story: no rest" 0 '"too_few":true' a keyness
# a trajectory holding the collection (as analyse_trajectory_checks.py makes one)
t=$("$bin" trajectory --db "$db" add --title "Wmo" | sed -E 's/.*"id":([0-9]+).*/\1/')
cli_sql "$db" "UPDATE collections SET trajectory_id = $t WHERE id = 1"
check "trajectory" 0 '"term":"traplift"' \
	"$bin" analyse --db "$db" --trajectory "$t" keyness --filter "q-interventie = woningaanpassing" --limit 3
check "bad filter" 1 'filter: ' a keyness --filter "q-bestaat-niet = x"
check "bad against" 1 'against filter: ' a keyness --filter "q-interventie = woningaanpassing" --against "q-wijk = ("
check "bad limit" 1 'limit: a whole number from 1 to 1000' a keyness --filter "q-wijk = centrum" --limit 5000
long=$(head -c 10000 /dev/zero | tr '\0' 'a')
check "10,000 characters" 1 'filter' a keyness --filter "$long"
finish "cli keyness"
