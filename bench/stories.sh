#!/usr/bin/env bash
# bench/stories.sh: durable story submissions over HTTP (part of `make bench`).
#
# A fresh database with the "open vertelpunt" template published in one
# collection; the server runs without story rate limits. wrk -t2 -c64 sends
# POST /api/v1/collections/TOKEN/stories with a fresh device id on every
# request (bench/stories.lua); every 201 is a story committed with
# synchronous=FULL through the group-commit writer. Then the stories are
# counted in the database (each id exactly once), and the server's peak
# memory (VmHWM) is read after BENCH_STORIES_TOTAL stories in all.
# Prints Markdown; never fails because the machine was slow.
#
# Knobs: BENCH_DURATION (10s), BENCH_REPS (3), BENCH_CONNS (64),
# BENCH_STORIES_TOTAL (1000000: keep sending until the database holds that many).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${BENCH_DURATION:-10s}
REPS=${BENCH_REPS:-3}
CONNS=${BENCH_CONNS:-64}
TOTAL=${BENCH_STORIES_TOTAL:-1000000}
say() { printf '%s\n' "$*" >&2; }
command -v wrk >/dev/null || { say "bench: wrk is missing; run 'make setup'"; exit 1; }
command -v sqlite3 >/dev/null || { say "bench: sqlite3 is missing; run 'make setup'"; exit 1; }
[[ -x build/vertelpunt ]] || make -s build/vertelpunt

WORK=$(mktemp -d build/bench/stories.XXXXXX) # on the project's disk, like var/
PID=
cleanup() { [[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
V=build/vertelpunt
$V init --db "$WORK/vp.db" >/dev/null 2>&1
$V script add-template --db "$WORK/vp.db" open-vertelpunt >/dev/null 2>&1
$V script status --db "$WORK/vp.db" 1 1 published >/dev/null
TOKEN=$($V collection add --db "$WORK/vp.db" --script 1 --title Bench --purpose Bench |
	sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
PORT=$((20000 + RANDOM % 40000))
$V serve --db "$WORK/vp.db" --listen "127.0.0.1:$PORT" --story-rate-ip 0 \
	--story-rate-collection 0 2>/dev/null &
PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT/api/v1/collections/$TOKEN/stories"

p99_ms() { awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000}
	else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}
	print v}' "$1"; }
median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

say "bench: stories: warming up"
wrk -t2 -c"$CONNS" -d2s -s bench/stories.lua "$URL" >/dev/null 2>&1 || true
: >"$WORK/runs"
for rep in $(seq 1 "$REPS"); do
	wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s bench/stories.lua "$URL" >"$WORK/w.txt" 2>&1 || true
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/w.txt")
	p99=$(p99_ms "$WORK/w.txt")
	bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$WORK/w.txt")
	echo "$rps $p99 ${bad:-0}" >>"$WORK/runs"
	say "  stories: $(printf '%8.0f' "$rps")/s  p99 ${p99} ms  non-2xx ${bad:-0}"
done
RPS=$(awk '{print $1}' "$WORK/runs" | median)
P99=$(awk '{print $2}' "$WORK/runs" | median)
BAD=$(awk '{s += $3} END {print s + 0}' "$WORK/runs")

# Keep sending until the database holds TOTAL stories, then read the peak.
count() { sqlite3 "$WORK/vp.db" "SELECT COUNT(*) FROM stories"; }
N=$(count)
while ((N < TOTAL)); do
	secs=$(((TOTAL - N) / 8000 + 1))
	((secs > 60)) && secs=60
	wrk -t2 -c"$CONNS" -d"${secs}s" -s bench/stories.lua "$URL" >/dev/null 2>&1 || true
	N=$(count)
	say "  stories: $N in the database"
done
HWM=$(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status")
RSS=$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status")
DUP=$(sqlite3 "$WORK/vp.db" "SELECT COUNT(*) - COUNT(DISTINCT uuid) FROM stories")
DBMB=$(du -m "$WORK/vp.db" | cut -f1)

cat <<MD
### Story submissions (bench/stories.sh)

| what | measured | target |
|---|---|---|
| durable stories/s, wrk -t2 -c$CONNS, median of $REPS x $DURATION | $(printf '%.0f' "$RPS") | >= 10,000 |
| p99 latency | $P99 ms | < 50 ms |
| non-2xx answers in those runs | $BAD | 0 |
| stories in the database / duplicates | $N / $DUP | each id once |
| server peak memory (VmHWM) after $N stories | $HWM MiB (now $RSS MiB) | |
| database file | $DBMB MiB | |
MD
