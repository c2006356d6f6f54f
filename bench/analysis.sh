#!/usr/bin/env bash
# bench/analysis.sh: the pattern engine on 1,000,000 demo stories, next to SQLite (part of `make bench`).
#
# Generates a demo database once (`vertelpunt demo --stories N --seed S`) and
# keeps it in BENCH_DATA, reused while `vertelpunt version` gives the same
# version and schema and N and S are the same; then runs
# $BUILD/bench_analysis on it (what it times and how: bench/bench_analysis.c;
# the figures: docs/benchmarks.md, "Pattern engine"). Prints the machine, the
# date and the load, then the benchmark's Markdown table and JSON line.
# Never fails because the machine was slow.
#
# Knobs (environment): BUILD (build), BENCH_STORIES (1000000), BENCH_SEED (1),
# BENCH_DATA (/tmp/vertelpunt-bench: where the database is kept),
# BENCH_DEMO_DB (use this database instead; BENCH_COLLECTION its collection),
# BENCH_REGEN=1 (make the database again), BENCH_REPS (21), BENCH_SQL_REPS (5),
# BENCH_BUILD_REPS (3), BENCH_BUDGET (20: seconds per measure, about).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
N=${BENCH_STORIES:-1000000}
SEED=${BENCH_SEED:-1}
DATA=${BENCH_DATA:-/tmp/vertelpunt-bench}
V=$BUILD/vertelpunt
B=$BUILD/bench_analysis
say() { printf '%s\n' "$*" >&2; }

[[ -x "$V" ]] || make -s BUILD="$BUILD" "$V" >&2
[[ -x "$B" && "$B" -nt bench/bench_analysis.c ]] || make -s BUILD="$BUILD" "$B" >&2

# ---- the demo database, made once per version, schema, size and seed ----------
. bench/demo_db.sh
[[ -s "$DB" ]] || { say "bench: analysis: no database $DB"; exit 1; }

# ---- the machine --------------------------------------------------------------
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
GITREV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
	GITREV="$GITREV (with uncommitted changes)"
fi
DBSIZE=$(du -m "$DB" | cut -f1)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "## Pattern engine ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "Machine: $(nproc) cores ($CPU), $MEM, $(uname -sr); SQLite $(pkg-config --modversion sqlite3)," \
	"CRoaring $(pkg-config --modversion roaring 2>/dev/null || dpkg-query -W -f '${Version}' libroaring-dev 2>/dev/null || echo '?')."
echo "Code: $GITREV. Database: $DB ($DBSIZE MiB), collection ${COLL:-(the largest)}."
echo "Load average at the start: $LOAD_START."
echo

ARGS=(--db "$DB" --reps "${BENCH_REPS:-21}" --sql-reps "${BENCH_SQL_REPS:-5}"
	--build-reps "${BENCH_BUILD_REPS:-3}" --budget "${BENCH_BUDGET:-20}")
[[ -n "${COLL:-}" ]] && ARGS+=(--collection "$COLL")
T0=$(date +%s)
"$B" "${ARGS[@]}"
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); the run took $(($(date +%s) - T0)) s."
