#!/usr/bin/env bash
# bench/pg_submit.sh: durable story submissions per second on SQLite, on PostgreSQL with one and with two `serve` instances, in one run (part of `make bench`).
#
# The load of bench/stories.sh (wrk, bench/stories.lua: POST
# /api/v1/collections/TOKEN/stories with a fresh id each time, 201 only after
# the commit) against: one instance on a SQLite file; one instance on a
# PostgreSQL schema of a throw-away cluster (scripts/pg-cluster.sh, fsync and
# synchronous_commit on); two instances on one schema, the connections split
# between them (sessions and stories live in the database; nothing sticky).
# Stories per commit on PostgreSQL: the stories stored divided by the
# transactions the database committed meanwhile (pg_stat_database.xact_commit;
# every transaction of every instance counts, so it is a lower bound of the
# writer's batch). Each id is counted once afterwards. The load (1-minute
# average) is printed before and after each measurement. Prints Markdown;
# never fails because the machine was slow.
#
# Knobs: BENCH_DURATION (5s), BENCH_REPS (3), BENCH_CONNS (64).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${BENCH_DURATION:-5s}
REPS=${BENCH_REPS:-3}
CONNS=${BENCH_CONNS:-64}
say() { printf '%s\n' "$*" >&2; }
command -v wrk >/dev/null || { say "bench: wrk is missing; run 'make setup'"; exit 1; }
[[ -x build/vertelpunt ]] || make -s build/vertelpunt
V=$PWD/build/vertelpunt

mkdir -p build/bench
WORK=$(mktemp -d "$PWD/build/bench/pg-submit.XXXXXX")
export VP_PG_STATE=$WORK/pg-cluster.dir
PIDS=()
stop_all() {
	local p
	for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && wait "$p" 2>/dev/null || true; done
	PIDS=()
}
cleanup() {
	stop_all
	bash scripts/pg-cluster.sh stop
	cp "$WORK/serve.log" build/bench/pg_submit-serve.log 2>/dev/null || true # warnings and errors stay readable
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
PG=$(bash scripts/pg-cluster.sh start)

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
load() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
q() { if [[ $1 == postgres* ]]; then psql -qAtX "$1" -c "$2"; else sqlite3 "$1" "$2"; fi; }
count() { q "$1" "SELECT COUNT(*) FROM stories"; }
pg_commits() { psql -qAtX "$PG" -c "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }

# setup DB KEY: a published "open vertelpunt" collection; its token in TOKEN
setup() {
	"$V" init --db "$1" --key "$2" >/dev/null 2>&1
	"$V" script add-template --db "$1" open-vertelpunt >/dev/null 2>&1
	"$V" script status --db "$1" 1 1 published >/dev/null 2>&1
	TOKEN=$("$V" collection add --db "$1" --script 1 --title Bench --purpose Bench 2>/dev/null |
		sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
}
# serve DB KEY: starts an instance without story rate limits; its port in PORT
serve() {
	PORT=$(free_port)
	"$V" serve --db "$1" --key "$2" --listen "127.0.0.1:$PORT" --story-rate-ip 0 \
		--story-rate-collection 0 >/dev/null 2>>"$WORK/serve.log" &
	PIDS+=($!)
	for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
}
# run DURATION PORT...: wrk on every port at once, CONNS split; RATE = the summed stories/s, BAD = non-2xx
run() {
	local d=$1 i=0 n w=()
	shift
	n=$#
	for port in "$@"; do
		wrk -t$((n > 1 ? 1 : 2)) -c$((CONNS / n)) -d"$d" -s bench/stories.lua \
			"http://127.0.0.1:$port/api/v1/collections/$TOKEN/stories" -- "$i" >"$WORK/w$i.txt" 2>&1 &
		w+=($!)
		i=$((i + 1))
	done
	wait "${w[@]}" || true
	RATE=$(cat "$WORK"/w*.txt | awk '/^Requests\/sec:/ {s += $2} END {printf "%.0f\n", s}')
	BAD=$(cat "$WORK"/w*.txt | awk '/Non-2xx or 3xx responses:/ {s += $NF} END {print s + 0}')
	rm -f "$WORK"/w*.txt
}

# measure NAME DB PORT...: a warm-up, then REPS runs; one Markdown row in ROW
measure() {
	local name=$1 db=$2 rates=() l0 l1 c0=0 n0=0 bad=0 per="-"
	shift 2
	run 2s "$@"
	l0=$(load)
	if [[ $db == postgres* ]]; then c0=$(pg_commits); n0=$(count "$db"); fi
	for _ in $(seq 1 "$REPS"); do
		run "$DURATION" "$@"
		rates+=("$RATE")
		bad=$((bad + BAD))
		say "  $name: $RATE stories/s"
	done
	l1=$(load)
	if [[ $db == postgres* ]]; then
		local c1 n1
		c1=$(pg_commits)
		n1=$(count "$db")
		per=$(awk -v n=$((n1 - n0)) -v c=$((c1 - c0)) 'BEGIN {printf "%.1f", c ? n / c : 0}')
	fi
	local med total dup
	med=$(printf '%s\n' "${rates[@]}" | median)
	total=$(count "$db")
	dup=$(q "$db" "SELECT COUNT(*) - COUNT(DISTINCT uuid) FROM stories")
	ROW=$(printf '| %s | %.0f | %s | %s | %s | %s / %s | %s, %s |' "$name" "$med" "${rates[*]}" \
		"$bad" "$per" "$total" "$dup" "$l0" "$l1")
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=()
say "bench: pg_submit: SQLite, 1 instance"
setup "$WORK/vp.db" "$WORK/vp.key"
serve "$WORK/vp.db" "$WORK/vp.key"
measure "SQLite, 1 instance" "$WORK/vp.db" "$PORT"
ROWS+=("$ROW")
stop_all

say "bench: pg_submit: PostgreSQL, 1 instance"
psql -qAtX "$PG" -c "CREATE SCHEMA one" -c "CREATE SCHEMA two"
DB1="$PG?options=-csearch_path%3Done"
setup "$DB1" "$WORK/pg.key"
serve "$DB1" "$WORK/pg.key"
measure "PostgreSQL, 1 instance" "$DB1" "$PORT"
ROWS+=("$ROW")
stop_all

say "bench: pg_submit: PostgreSQL, 2 instances"
DB2="$PG?options=-csearch_path%3Dtwo"
setup "$DB2" "$WORK/pg.key"
serve "$DB2" "$WORK/pg.key"
P1=$PORT
serve "$DB2" "$WORK/pg.key"
measure "PostgreSQL, 2 instances" "$DB2" "$P1" "$PORT"
ROWS+=("$ROW")
stop_all

cat <<MD
### Durable story submissions: SQLite and PostgreSQL, one and two instances (bench/pg_submit.sh)

$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')),
PostgreSQL $(psql -qAtX "$PG" -c 'SHOW server_version'), git $(git rev-parse --short HEAD), load at start $LOAD_START.
wrk -c$CONNS in all (split over the instances), median of $REPS x $DURATION after a 2 s warm-up.

| setup | stories/s (median) | runs | non-2xx | stories per commit (PostgreSQL) | stories stored / duplicates | load (1 min) before, after |
|---|---|---|---|---|---|---|
$(printf '%s\n' "${ROWS[@]}")
MD
