#!/usr/bin/env bash
# test_themes_rising.sh: a theme as a question of the engine on demo data with a topic planted to rise (`demo --rising-topic woning`): crosstab theme x situation equals counting with "theme = N" filters, compare of each theme's share between periods, `themes --rising` puts the planted topic first, and bad input gets a clear message.
# usage: test_themes_rising.sh BINARY
set -u
bin=${1:?usage: test_themes_rising.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/vp.db"

. "$here/lib.sh"

a() { "$bin" analyse --db "$db" --collection 1 "$@"; }

check "demo with a rising topic" 0 '"stories":2000' \
	"$bin" demo --db "$db" --stories 2000 --seed 4 --rising-topic woning --planted-topics "$dir/planted.csv"
check "unknown rising topic" 1 '--rising-topic wants one of vervoer, schoonmaak, contact, overbelasting, wachttijd, woning, eigen-bijdrage' \
	"$bin" demo --db "$dir/other.db" --stories 10 --rising-topic nergens

# the themes as a question: only once computed (the command line keeps
# none between runs: --themes computes them first)
check "theme before the themes are computed" 1 'no themes have been computed.*compute them first.*--themes' \
	a crosstab theme q-situatie
check "--rising only for themes" 1 '--rising is for themes' a count --rising
check "--themes not for count" 1 '--themes is for patterns, distribution, crosstab and compare' a count --themes
a themes >"$dir/themes.json" 2>/dev/null
a crosstab theme q-situatie --themes >"$dir/cross.json" 2>/dev/null
check "crosstab theme x situation" 0 '^\{"question":"theme","by":"q-situatie","filter":"","n":[0-9]+,"too_few":false,"rows":\[\{"id":"1","label":"[^"]+"\}' \
	cat "$dir/cross.json"
# each row of the cross-table is the distribution of the situation within
# "theme = N" (the filter computes the same themes), and each row's label
# is the theme's first three terms
for n in 1 2 3 4 5 6 7; do
	a distribution q-situatie --filter "theme = $n" >"$dir/dist$n.json" 2>/dev/null
done
check "crosstab counts equal theme = N filters" 0 '^ok$' python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
cross = json.load(open(f"{d}/cross.json"))
themes = json.load(open(f"{d}/themes.json"))["themes"]
cols = [c["id"] for c in cross["columns"]]
assert len(cross["rows"]) == 7, cross["rows"]
for i, row in enumerate(cross["rows"]):
    n = int(row["id"])
    assert n == i + 1
    assert row["label"] == ", ".join(t["term"] for t in themes[i]["terms"][:3]), row
    dist = json.load(open(f"{d}/dist{n}.json"))
    by = {o["id"]: o["count"] for o in dist["options"]}
    for j, c in enumerate(cols):
        assert cross["counts"][i][j] == by[c], (n, c, cross["counts"][i][j], by[c])
assert cross["residuals"] and cross["chi_square"]["df"] == 30
print("ok")
PY
check "distribution of the themes" 0 '"question":"theme","type":"choice","title":"Thema",.*"options":\[\{"id":"1","label":"[^"]+","count":[0-9]+' \
	a distribution theme --themes

# each theme's share compared between two periods: the counts are those of
# "theme = N and period = P", the difference has its interval
a compare --a "period = 2024" --b "period = 2025" theme --themes >"$dir/cmp.json" 2>/dev/null
a count --filter "theme = 2 and period = 2024" >"$dir/n2a.json" 2>/dev/null
a count --filter "period = 2024" >"$dir/na.json" 2>/dev/null
check "compare theme between periods" 0 '^ok$' python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
cmp = json.load(open(f"{d}/cmp.json"))
assert cmp["question"] == "theme"
qs = {q["option"]: q for q in cmp["questions"]}
assert sorted(qs) == [str(i) for i in range(1, 8)], sorted(qs)
two = qs["2"]
assert two["count_a"] == json.load(open(f"{d}/n2a.json"))["n"], two
assert abs(two["percent_a"] - 100 * two["count_a"] / two["n_a"]) < 1e-5
assert abs(two["difference"] - (two["percent_b"] - two["percent_a"])) < 1e-4
lo, hi = two["ci"]
assert lo < two["difference"] < hi
for q in cmp["questions"]:
    assert 0 <= q["q"] <= 1 and q["label"]
print("ok")
PY
check "compare a question that is no signification" 1 'compare takes a choice, multiple choice, scale, dyad or triad question' \
	a compare --a "period = 2024" --b "period = 2025" q-verhaal

# what is rising: the last quarter against the one before; the planted
# topic (woning) comes first, clearly
a themes --rising >"$dir/rising.json" 2>/dev/null
sqlite3 -csv "$db" "SELECT id, uuid FROM stories ORDER BY id" >"$dir/ids.csv"
check "the rising topic comes first" 0 '^ok$' python3 - "$dir" <<'PY'
import csv, json, sys
d = sys.argv[1]
doc = json.load(open(f"{d}/rising.json"))
r = doc["rising"]
assert r["a"]["filter"] == "period = 2025-Q3" and r["b"]["filter"] == "period = 2025-Q4", r["a"]
assert r["themes"] == 7 and len(r["rising"]) == 7
topic = {row["story"]: row["topic"] for row in csv.DictReader(open(f"{d}/planted.csv"))}
uuid = {int(i): u for i, u in csv.reader(open(f"{d}/ids.csv"))}
first = r["rising"][0]
theme = doc["themes"][first["theme"] - 1]
assert {topic[uuid[s]] for s in theme["closest"]} == {"woning"}, theme["closest"]
assert first["difference"] > 10 and first["ci"][0] > 0 and first["q"] < 0.001, first
diffs = [e["difference"] for e in r["rising"]]
assert diffs == sorted(diffs, reverse=True), diffs
# no other theme rises clearly
assert all(e["q"] > 0.001 for e in r["rising"][1:]), r["rising"][1:]
print("ok")
PY
check "rising between periods given" 0 '"rising":\{"a":\{"filter":"period = 2024","n":[0-9]+\},"b":\{"filter":"period = 2025","n":[0-9]+\},"filter":"","themes":7,"rising":\[\{"theme":' \
	a themes --rising --a "period = 2024" --b "period = 2025"
check "rising within a filter" 0 '"rising":\{"a":\{"filter":"period = 2025-Q3","n":[0-9]+\},.*"filter":"q-wijk = centrum","themes":7' \
	a themes --rising --filter "q-wijk = centrum" --k 3
check "rising: one period only" 1 'give both periods \(a and b\), or neither' a themes --rising --a "period = 2024"
check "rising: a bad period" 1 'filter: .*period' a themes --rising --a "period = 2024-Q9" --b "period = 2025"
check "rising: periods without stories" 0 '"rising":\[\{"theme":1,"label":"[^"]+","n_a":0,"n_b":0,"p":null,"q":null,"too_few":true\}' \
	a themes --rising --a "period = 2030" --b "period = 2031"
finish "cli themes rising"
