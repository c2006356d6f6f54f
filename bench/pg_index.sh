#!/usr/bin/env bash
# bench/pg_index.sh: index catch-up at instance start with 1,000,000 stories on PostgreSQL, the instance's memory, and bytes per story (part of `make bench`).
#
# `vertelpunt demo` into PostgreSQL stores about 130-160 stories/s on this
# machine (a round trip per statement; batches of 100 per commit), so 1,000,000
# would take hours: the demo makes BENCH_PG_SEED_STORIES (10,000) and SQL copies
# them (new ids, uuids and receipts, the same answers and search rows) up to
# BENCH_PG_STORIES (1,000,000). Then `serve` starts on the schema; the figure is
# its "index of N collections built in X ms" log line, and VmRSS/VmHWM a few
# seconds after. Bytes per story: pg_total_relation_size of every table of the
# schema (indexes and TOAST included) over the number of stories. Prints
# Markdown with the load (uptime) before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
SEED_N=${BENCH_PG_SEED_STORIES:-10000}
N=${BENCH_PG_STORIES:-1000000}
say() { printf '%s\n' "$*" >&2; }
[[ -x build/vertelpunt ]] || make -s build/vertelpunt
V=$PWD/build/vertelpunt
mkdir -p build/bench
WORK=$(mktemp -d "$PWD/build/bench/pg-index.XXXXXX")
export VP_PG_STATE=$WORK/pg-cluster.dir
PID=
cleanup() {
	[[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	bash scripts/pg-cluster.sh stop
	rm -rf "$WORK"
}
trap cleanup EXIT
PG=$(bash scripts/pg-cluster.sh start)
psql -qAtX "$PG" -c "CREATE SCHEMA big"
DB="$PG?options=-csearch_path%3Dbig"
copies=$(((N + SEED_N - 1) / SEED_N - 1))

say "bench: pg_index: $SEED_N demo stories into PostgreSQL"
T0=$(date +%s.%N)
"$V" demo --db "$DB" --key "$WORK/vp.key" --stories "$SEED_N" --seed 1 >/dev/null 2>"$WORK/demo.log"
T1=$(date +%s.%N)
say "bench: pg_index: copying them up to $N stories"
psql -qAtX -v ON_ERROR_STOP=1 "$DB" >/dev/null <<SQL
INSERT INTO stories (id, uuid, collection_id, script_id, script_version, channel, language, pilot,
  participant_id, answers, professional, content_hash, receipt, created_at, created_by,
  consent_text_hash, consent_at)
SELECT s.id + g * $SEED_N,
  substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-' || substr(h, 21, 12),
  collection_id, script_id, script_version, channel, language, pilot, participant_id, answers,
  professional, content_hash, left(md5(receipt || g) || md5(g || receipt), length(receipt)),
  created_at, created_by, consent_text_hash, consent_at
FROM stories s CROSS JOIN generate_series(1, $copies) g
  CROSS JOIN LATERAL (SELECT md5(s.uuid || '/' || g) AS h) x
WHERE s.id <= $SEED_N;
INSERT INTO story_search (rowid, body, tsv)
SELECT rowid + g * $SEED_N, body, tsv FROM story_search, generate_series(1, $copies) g WHERE rowid <= $SEED_N;
SELECT setval(pg_get_serial_sequence('stories', 'id'), (SELECT max(id) FROM stories));
VACUUM ANALYZE stories;
VACUUM ANALYZE story_search;
SQL
STORIES=$(psql -qAtX "$DB" -c "SELECT count(*) FROM stories")
BYTES=$(psql -qAtX "$PG" -c "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
	JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'big' AND c.relkind = 'r'")
ST_BYTES=$(psql -qAtX "$PG" -c "SELECT pg_total_relation_size('big.stories')")
SE_BYTES=$(psql -qAtX "$PG" -c "SELECT pg_total_relation_size('big.story_search')")

say "bench: pg_index: starting serve"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
L0=$(cut -d' ' -f1-3 /proc/loadavg)
"$V" serve --db "$DB" --key "$WORK/vp.key" --listen "127.0.0.1:$PORT" >/dev/null 2>"$WORK/serve.log" &
PID=$!
for _ in $(seq 1 1200); do grep -q '"index of' "$WORK/serve.log" && break; sleep 0.5; done
MS=$(sed -n 's/.*index of [0-9]* collections built in \([0-9]*\) ms.*/\1/p' "$WORK/serve.log" | head -1)
sleep 3
RSS=$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status")
HWM=$(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status")
L1=$(cut -d' ' -f1-3 /proc/loadavg)

cat <<MD
### Index catch-up at start on PostgreSQL (bench/pg_index.sh)

$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, PostgreSQL $(psql -qAtX "$PG" -c 'SHOW server_version'), git $(git rev-parse --short HEAD).

| what | measured |
|---|---|
| \`vertelpunt demo --stories $SEED_N\` into PostgreSQL | $(awk -v a="$T0" -v b="$T1" -v n="$SEED_N" 'BEGIN {printf "%.1f s (%.0f stories/s)", b - a, n / (b - a)}') |
| stories in the schema (demo + SQL copies) | $STORIES |
| index built at start (log line) | ${MS:-?} ms |
| serve's memory 3 s later: VmRSS / VmHWM | $RSS MiB / $HWM MiB |
| the schema's tables (indexes, TOAST) / per story | $BYTES bytes / $((BYTES / STORIES)) bytes |
| of which stories / story_search, per story | $((ST_BYTES / STORIES)) / $((SE_BYTES / STORIES)) bytes |
| load (uptime) before, after the start | $L0; $L1 |
MD
