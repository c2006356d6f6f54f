#!/usr/bin/env bash
# bench/themes.sh: themes of 100,000 demo stories (part of `make bench`): median wall and CPU seconds of `vertelpunt analyse ... themes` (k chosen in 3..12), which includes building the index part and reading the texts, and the k and silhouette found.
#
# Knobs (environment): BUILD (build), BENCH_THEMES_STORIES (100000), BENCH_SEED (1),
# BENCH_DATA, BENCH_DEMO_DB, BENCH_COLLECTION, BENCH_REGEN (as bench/analysis.sh),
# BENCH_REPS (5).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
N=${BENCH_THEMES_STORIES:-100000}
SEED=${BENCH_SEED:-1}
DATA=${BENCH_DATA:-/tmp/vertelpunt-bench}
REPS=${BENCH_REPS:-5}
V=$BUILD/vertelpunt
say() { printf '%s\n' "$*" >&2; }

[[ -x "$V" ]] || make -s BUILD="$BUILD" "$V" >&2

. bench/demo_db.sh
[[ -s "$DB" ]] || { say "bench: themes: no database $DB"; exit 1; }
COLL=${COLL:-1}

echo "themes: $N stories, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%Y-%m-%d), median of $REPS runs"
out=$(mktemp)
tf=$(mktemp)
trap 'rm -f "$out" "$tf"' EXIT
walls=() cpus=()
for ((i = 0; i < REPS; i++)); do
	/usr/bin/time -o "$tf" -f '%e %U %S' "$V" analyse --db "$DB" --collection "$COLL" themes \
		>"$out" 2>/dev/null
	read -r wall user sys <"$tf"
	walls+=("$wall")
	cpus+=("$(echo "$user + $sys" | bc)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
k=$(sed -E 's/.*"k":([0-9]+),"k_min".*/\1/' "$out")
echo "  analyse themes: wall $(median "${walls[@]}") s, cpu $(median "${cpus[@]}") s (k = $k)"
