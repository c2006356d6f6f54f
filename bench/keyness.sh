#!/usr/bin/env bash
# bench/keyness.sh: keyness on the 1,000,000-story demo database (part of `make bench`): the one-off build of the term lists and the median ms per filter afterwards.
#
# Knobs (environment): BUILD (build), BENCH_STORIES (1000000), BENCH_SEED (1),
# BENCH_DATA, BENCH_DEMO_DB, BENCH_COLLECTION, BENCH_REGEN (as bench/analysis.sh),
# BENCH_REPS (11).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
N=${BENCH_STORIES:-1000000}
SEED=${BENCH_SEED:-1}
DATA=${BENCH_DATA:-/tmp/vertelpunt-bench}
V=$BUILD/vertelpunt
B=$BUILD/bench_keyness
say() { printf '%s\n' "$*" >&2; }

[[ -x "$V" ]] || make -s BUILD="$BUILD" "$V" >&2
[[ -x "$B" && "$B" -nt bench/bench_keyness.c ]] || make -s BUILD="$BUILD" "$B" >&2

. bench/demo_db.sh
[[ -s "$DB" ]] || { say "bench: keyness: no database $DB"; exit 1; }

echo "keyness: $N stories, $(nproc) cores, $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg), median of ${BENCH_REPS:-11} runs"
"$B" "$DB" "${COLL:-1}" "${BENCH_REPS:-11}"
