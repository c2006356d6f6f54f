#!/usr/bin/env bash
# test_analyse.sh: `vertelpunt analyse` on demo data: every measure, filters, bad input, and the engine's correctness checks (analyse_checks.py).
# usage: test_analyse.sh BINARY
set -u
bin=${1:?usage: test_analyse.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/vp.db"

. "$here/lib.sh"
db=$(cli_db "$db") # a PostgreSQL schema under make cli-pg

check "demo" 0 '"stories":2000' "$bin" demo --db "$db" --stories 2000 --seed 3
check "collections" 0 '"id":1,"stories":2000,.*"questions":\[\{"id":"q-verhaal","type":"story"' \
	"$bin" analyse --db "$db" collections
check "count" 0 '"n":2000,"too_few":false,"by_channel":\{' "$bin" analyse --db "$db" --collection 1 count
check "count by quarter" 0 '"by_period":\[\{"period":"2024-Q1","n":[0-9]+\}' \
	"$bin" analyse --db "$db" --collection 1 count
check "distribution of a choice" 0 '"options":\[\{"id":"alleen-wonend","label":"[^"]+","count":[0-9]+,"percent":[0-9.]+,"ci":\[' \
	"$bin" analyse --db "$db" --collection 1 distribution q-situatie
check "distribution of a dyad" 0 '"median":[0-9.]+,"quartiles":\[[0-9.]+,[0-9.]+\],"histogram":\[\{"from":0' \
	"$bin" analyse --db "$db" --collection 1 distribution q-geholpen
check "distribution with a filter" 0 '"filter":"q-situatie = eenzaamheid"' \
	"$bin" analyse --db "$db" --collection 1 distribution q-geholpen --filter "q-situatie = eenzaamheid"
check "triad" 0 '"geomean":\[[0-9.]+,[0-9.]+,[0-9.]+\],"ilr_mean":\[[-0-9.]+,[-0-9.]+\].*"ci":\{"level":0.95' \
	"$bin" analyse --db "$db" --collection 1 triad q-steun
check "triad zones" 0 '"zones":\{"a":[0-9null]+,"b"' "$bin" analyse --db "$db" --collection 1 triad q-steun
check "crosstab" 0 '"chi_square":\{"statistic":[0-9.]+,"df":25,"p":[0-9.e-]+,"cramers_v":' \
	"$bin" analyse --db "$db" --collection 1 crosstab q-situatie q-interventie
check "compare" 0 '"a":\{"filter":"period = 2024","n":[0-9]+\},"b":\{"filter":"period = 2025"' \
	"$bin" analyse --db "$db" --collection 1 compare --a "period = 2024" --b "period = 2025"
check "over-time" 0 '"people":[0-9]+,"too_few":false,.*"test":\{"name":"wilcoxon-signed-rank"' \
	"$bin" analyse --db "$db" --collection 1 over-time q-geholpen
check "perspectives found by shape" 0 '"question":"q-tevredenheid","professional_question":"q-pro-tevredenheid".*"weighted_kappa"' \
	"$bin" analyse --db "$db" --collection 1 perspectives q-tevredenheid
check "patterns" 0 '"outcome":"q-geholpen".*"patterns":\[\{"filter":"q-' \
	"$bin" analyse --db "$db" --collection 1 patterns --outcome q-geholpen --limit 5
check "small groups show no figure" 0 '"n":null,"not_applicable":0,"missing":0,"too_few":true}$' \
	"$bin" analyse --db "$db" --collection 1 distribution q-geholpen --filter "q-geholpen >= 99.5 and q-situatie = eenzaamheid"
check "min-group" 0 '"too_few":true' \
	"$bin" analyse --db "$db" --collection 1 count --min-group 100000
check "bad filter" 1 'filter: at [0-9]+' \
	"$bin" analyse --db "$db" --collection 1 count --filter "q-situatie = = x"
check "unknown question in filter" 1 'unknown question' \
	"$bin" analyse --db "$db" --collection 1 count --filter "q-nope = x"
check "unknown question" 1 'no question q-nope' "$bin" analyse --db "$db" --collection 1 distribution q-nope
check "wrong type" 1 'not a triad' "$bin" analyse --db "$db" --collection 1 triad q-geholpen
check "crosstab of a dyad" 1 'choice, scale or story' \
	"$bin" analyse --db "$db" --collection 1 crosstab q-geholpen q-situatie
check "compare needs two" 1 'two filters' "$bin" analyse --db "$db" --collection 1 compare --a "period = 2024"
check "unknown measure" 1 'unknown measure' "$bin" analyse --db "$db" --collection 1 frob
check "no collection" 1 'which collection' "$bin" analyse --db "$db" count
check "unknown collection" 1 'no collection 99' "$bin" analyse --db "$db" --collection 99 count
check "bad number" 1 'whole number' "$bin" analyse --db "$db" --collection 1 count --limit 0

# Stories imported from SenseMaker: question ids are the signifier ids.
sm="$here/../fixtures/sensemaker"
check "sensemaker init" 0 '"organisation"' "$bin" init --db "$dir/sm.db"
check "sensemaker import" 0 '"imported":6' "$bin" import sensemaker --db "$dir/sm.db" \
	--definition "$sm/Wmo_Definition.json" --data "$sm/Wmo_Data.csv"
check "sensemaker: questions by signifier id" 0 '"id":"5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db","type":"triad"' \
	"$bin" analyse --db "$dir/sm.db" collections
check "sensemaker: triad" 0 '"n":5,.*"geomean":\[' "$bin" analyse --db "$dir/sm.db" --collection 1 \
	triad 5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db --min-group 1
check "sensemaker: dyad with a filter on a signifier" 0 '"n":4,"not_applicable":2,"missing":0,"too_few":false,"mean":60' \
	"$bin" analyse --db "$dir/sm.db" --collection 1 distribution 904268ab-f416-4859-9fe1-06240c23e51f \
	--min-group 1 --filter "c3d5e7f9-2d4f-4b8c-8e1a-3f5d7b9c1e42 is answered"
check "sensemaker: too few by default" 0 '"n":null,.*"too_few":true' "$bin" analyse --db "$dir/sm.db" \
	--collection 1 triad 5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db

# Pin and stones answers (the spatial plan template: its map and six stones).
pdb="$dir/pins.db"
check "pins: init" 0 '"organisation"' "$bin" init --db "$pdb"
check "pins: template" 0 '"id":1' "$bin" script --db "$pdb" add-template ruimtelijk-plan-keukentafel
check "pins: publish" 0 '"published"' "$bin" script --db "$pdb" status 1 1 published
check "pins: collection" 0 '"id":1' "$bin" collection --db "$pdb" add --script 1 --title Plan --purpose Testen
{
	echo 'q-verhaal,q-plek-pin,q-belang-stenen'
	for i in $(seq 1 12); do echo "Verhaal $i,\"5,5\",\"groen=10,20;rust=100,0\""; done
	for i in $(seq 1 3); do echo "Ander $i,\"55,35\",\"groen=30,40\""; done
	echo 'Geen plek,NA,'
} >"$dir/pins.csv"
check "pins: import" 0 '"imported":16' "$bin" import --db "$pdb" stories --collection 1 "$dir/pins.csv"
check "pins: points" 0 '"n":15,"not_applicable":null,"missing":0,"too_few":false,"image":"[0-9a-f]+","mean":\[15\.0,11\.0\],.*"counts":\[12,0,' \
	"$bin" analyse --db "$pdb" --collection 1 points q-plek-pin
check "pins: a small cell is too few" 0 '"counts":\[12,(0,){34}null,' \
	"$bin" analyse --db "$pdb" --collection 1 points q-plek-pin
check "stones: per stone" 0 '"id":"groen","label":"[^"]+","placed":15,"not_placed":0,"too_few":false,"mean":\[14\.0,24\.0\]' \
	"$bin" analyse --db "$pdb" --collection 1 distribution q-belang-stenen
check "stones: placed too few times" 0 '"id":"parkeren","label":"[^"]+","placed":0,"not_placed":15,"too_few":true' \
	"$bin" analyse --db "$pdb" --collection 1 points q-belang-stenen
check "points: not a pin question" 1 'q-verhaal is not a pin or stones question' \
	"$bin" analyse --db "$pdb" --collection 1 points q-verhaal

# The statistics that must hold on demo data (planted effects found, no
# more than 5% false findings without them, order of storing irrelevant).
if python3 "$here/analyse_checks.py" "$bin" "$dir"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
# Trajectory-wide analysis against the collections' own (analyse_trajectory_checks.py).
if python3 "$here/analyse_trajectory_checks.py" "$bin" "$dir"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
finish "cli analyse"
