#!/usr/bin/env bash
# test_themes.sh: `vertelpunt analyse ... themes` on demo data: the themes found are the planted topics (sizes and closest stories against `demo --planted-topics`), a fixed k, filters, the trajectory variant, progress on stderr, and bad numbers and filters (a clear message, never a crash).
# usage: test_themes.sh BINARY
set -u
bin=${1:?usage: test_themes.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/vp.db"

. "$here/lib.sh"
db=$(cli_db "$db") # a PostgreSQL schema under make cli-pg

a() { "$bin" analyse --db "$db" --collection 1 "$@"; }

check "demo with planted topics" 0 '"stories":2000' \
	"$bin" demo --db "$db" --stories 2000 --seed 4 --planted-topics "$dir/planted.csv"
check "planted topics file" 0 '^story,topic' head -1 "$dir/planted.csv"
check "themes: k chosen" 0 '^\{"filter":"","stories":2000,"without_words":0,"k":7,"k_min":3,"k_max":12,"chosen_by":"silhouette","seed":0' \
	a themes
a themes >"$dir/themes.json" 2>"$dir/progress.txt"
check "progress on stderr" 0 'themes: choosing +[0-9]+%.*themes: themes +100%' cat "$dir/progress.txt"
cli_sql "$db" "SELECT id || ',' || uuid FROM stories ORDER BY id" >"$dir/ids.csv"
# every theme's closest stories share one planted topic, each theme its own,
# and the themes' sizes are the topics' sizes (within 2%)
check "themes are the planted topics" 0 '^ok$' python3 - "$dir/themes.json" "$dir/planted.csv" "$dir/ids.csv" <<'PY'
import csv, json, sys
themes = json.load(open(sys.argv[1]))["themes"]
topic = {r["story"]: r["topic"] for r in csv.DictReader(open(sys.argv[2]))}
uuid = {int(i): u for i, u in csv.reader(open(sys.argv[3]))}
sizes = {}
for t in topic.values():
    sizes[t] = sizes.get(t, 0) + 1
seen = set()
for th in themes:
    tops = {topic[uuid[s]] for s in th["closest"]}
    assert len(tops) == 1, (th["theme"], tops)
    t = tops.pop()
    assert t not in seen, t
    seen.add(t)
    assert abs(th["stories"] - sizes[t]) <= 0.02 * sizes[t], (t, th["stories"], sizes[t])
assert len(seen) == 7
print("ok")
PY
check "fixed k" 0 '"k":4,"k_min":4,"k_max":4,"chosen_by":"fixed","seed":3,.*"silhouette":\[\{"k":4,' \
	a themes --k 4 --seed 3
check "a range of k" 0 '"k_min":5,"k_max":6,' a themes --k-min 5 --k-max 6
check "same seed, same themes" 0 '^same$' bash -c "cmp -s <('$bin' analyse --db '$db' --collection 1 themes --seed 9 2>/dev/null) <('$bin' analyse --db '$db' --collection 1 themes --seed 9 2>/dev/null) && echo same"
check "within a filter" 0 '"filter":"q-wijk = buitengebied","stories":[1-9][0-9]+,' \
	a themes --filter "q-wijk = buitengebied" --k 3
# small-group protection: a theme under --min-group stories shows no terms and stories
check "small theme" 0 '"stories":null,"share":null,"too_few":true,"terms":\[\],"closest":\[\]' \
	a themes --k 7 --min-group 400
check "no such trajectory" 1 'no trajectory 1' "$bin" analyse --db "$db" --trajectory 1 themes
# a trajectory of this one collection: the same themes as the collection's
check "a trajectory" 0 '"id":1' "$bin" trajectory --db "$db" add --title "Wmo"
cli_sql "$db" "UPDATE collections SET trajectory_id = 1 WHERE id = 1"
check "trajectory themes equal the collection's" 0 '^same$' bash -c "cmp -s <('$bin' analyse --db '$db' --trajectory 1 themes 2>/dev/null) <('$bin' analyse --db '$db' --collection 1 themes 2>/dev/null) && echo same"
check "k too large" 1 '--k wants a whole number from 2 to 30' a themes --k 31
check "k too small" 1 '--k wants a whole number from 2 to 30' a themes --k 1
check "k not a number" 1 '--k-max wants a whole number from 2 to 30' a themes --k-max x
check "k range reversed" 1 'k_min and k_max' a themes --k-min 9 --k-max 4
check "bad filter" 1 'filter: .*nergens' a themes --filter "q-wijk = nergens"
check "too few stories" 1 'too few stories with words' a themes --filter "q-wijk = buitengebied and period = 2024-Q1" --k 30
# a theme is a filter condition: the themes of all stories, computed when
# needed (the command line has no cache), the same as `themes` shows
n1=$(sed -E 's/.*"themes":\[\{"theme":1,"stories":([0-9]+),.*/\1/' "$dir/themes.json")
check "filter theme = 1" 0 "\"filter\":\"theme = 1\",\"n\":$n1," a count --filter "theme = 1"
check "theme crossed with a question" 0 '"filter":"theme in \(1, 2\) and q-wijk = centrum"' \
	a distribution q-situatie --filter "theme in (1, 2) and q-wijk = centrum"
check "theme compared between periods" 0 '"filter":"theme = 3 and period = 2024"' \
	a count --filter "theme = 3 and period = 2024"
check "theme out of range" 1 'theme 8 does not exist \(themes here: 1 to 7\)' a count --filter "theme = 8"
check "theme not a number" 1 'expected a theme number' a count --filter "theme = x"
# themes as conditions of the pattern finder: only when computed (--themes
# computes them first, as the explorer's themes page does), each with its
# label, in the same correction for many tests
check "patterns without themes" 0 '"themes":null,"patterns":' a patterns --outcome q-geholpen
check "patterns: no theme condition unless computed" 1 '^0$' \
	bash -c "'$bin' analyse --db '$db' --collection 1 patterns --outcome q-geholpen --limit 1000 | grep -c '\"question\":\"theme\"'"
check "patterns --themes" 0 '"themes":7,"patterns":.*\{"question":"theme","option":"[1-7]","label":"[^"]+"\}' \
	a patterns --outcome q-geholpen --themes --limit 1000
check "more tested with themes" 0 '^more$' bash -c "t0=\$('$bin' analyse --db '$db' --collection 1 patterns --outcome q-geholpen | sed -E 's/.*\"tested\":([0-9]+).*/\\1/'); t1=\$('$bin' analyse --db '$db' --collection 1 patterns --outcome q-geholpen --themes 2>/dev/null | sed -E 's/.*\"tested\":([0-9]+).*/\\1/'); [ \"\$t1\" -gt \"\$t0\" ] && echo more"
check "--themes only for patterns" 1 '--themes is for patterns' a count --themes
finish "cli themes"
