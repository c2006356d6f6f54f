#!/usr/bin/env bash
# bench/search.sh: full-text search on the 1,000,000-story demo database (part of `make bench`): median ms per query of the ranked best 20 with snippets and of every matching id (the filter "text matches").
#
# Knobs (environment): BUILD (build), BENCH_STORIES (1000000), BENCH_SEED (1),
# BENCH_DATA, BENCH_DEMO_DB, BENCH_REGEN (as bench/analysis.sh), BENCH_REPS (31).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
N=${BENCH_STORIES:-1000000}
SEED=${BENCH_SEED:-1}
DATA=${BENCH_DATA:-/tmp/vertelpunt-bench}
V=$BUILD/vertelpunt
B=$BUILD/bench_search
say() { printf '%s\n' "$*" >&2; }

[[ -x "$V" ]] || make -s BUILD="$BUILD" "$V" >&2
[[ -x "$B" && "$B" -nt bench/bench_search.c ]] || make -s BUILD="$BUILD" "$B" >&2

. bench/demo_db.sh
[[ -s "$DB" ]] || { say "bench: search: no database $DB"; exit 1; }

echo "search: $N stories, $(nproc) cores, $(date -u +%Y-%m-%d), median of ${BENCH_REPS:-31} runs"
"$B" "$DB" "${BENCH_REPS:-31}" "$COLL"
