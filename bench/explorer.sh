#!/usr/bin/env bash
# bench/explorer.sh: how fast the explorer's pages are served on 1,000,000 demo stories, p50 and p95 per page (issue 9; part of `make bench`).
#
# Uses the demo database of bench/analysis.sh (bench/demo_db.sh: made once,
# kept in BENCH_DATA), copied into a work folder so the benchmark's account
# and sessions never reach the kept one. Starts `vertelpunt serve` on
# 127.0.0.1 (a free port), adds an analyst's account (its one-time password
# replaced through /account/password, as a person would), logs in with curl,
# waits for the story index, then asks each explorer page BENCH_EXPLORER_REPS
# times (31) over one kept-alive connection after two untimed warm-up
# requests, and prints p50 and p95 (nearest rank) of curl's time_total per
# page, the time of the page's first request (before the measures' cache
# has its documents, unless an earlier page made the same ones), the body
# size, and whether p50 is under 100 ms (the target of issue
# 9), and the server's CPU time per request (from /proc: on a machine
# shared with other work the fairer figure). Prints the machine, the date
# and the load. Never fails because the
# machine was slow; fails when a page does not answer 200.
#
# Knobs (environment): BUILD (build), BENCH_STORIES (1000000), BENCH_SEED (1),
# BENCH_DATA (/tmp/vertelpunt-bench), BENCH_DEMO_DB / BENCH_COLLECTION (use
# this database and collection), BENCH_REGEN=1, BENCH_EXPLORER_REPS (31),
# BENCH_EXPLORER_ONLY (run only the pages whose name contains this text).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
N=${BENCH_STORIES:-1000000}
SEED=${BENCH_SEED:-1}
DATA=${BENCH_DATA:-/tmp/vertelpunt-bench}
REPS=${BENCH_EXPLORER_REPS:-31}
ONLY=${BENCH_EXPLORER_ONLY:-}
V=$BUILD/vertelpunt
say() { printf '%s\n' "$*" >&2; }
command -v curl >/dev/null || { say "bench: explorer: curl is needed"; exit 1; }

[[ -x "$V" ]] || make -s BUILD="$BUILD" "$V" >&2

. bench/demo_db.sh
[[ -s "$DB" ]] || { say "bench: explorer: no database $DB"; exit 1; }
COLL=${COLL:-1}

# ---- a copy of the database, a server on it ---------------------------------------
mkdir -p "$DATA"
WORK=$(mktemp -d "$DATA/explorer.XXXXXX")
SERVER_PID=
cleanup() {
	if [[ -n "$SERVER_PID" ]]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
say "bench: explorer: copying $DB"
cp "$DB" "$WORK/vp.db"
[[ -f "$DB-wal" ]] && cp "$DB-wal" "$WORK/vp.db-wal"
cp "${DB%.db}.key" "$WORK/vp.key"

USER_JSON=$("$V" user --db "$WORK/vp.db" add bench-explorer --name "Bench Explorer" --role onderzoeker 2>/dev/null)
ONE_TIME=$(sed -E 's/.*"one_time_password":"([^"]*)".*/\1/' <<<"$USER_JSON")
[[ -n "$ONE_TIME" && "$ONE_TIME" != "$USER_JSON" ]] || { say "bench: explorer: no account: $USER_JSON"; exit 1; }
PASSWORD="bench explorer password $RANDOM$RANDOM"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
"$V" serve --db "$WORK/vp.db" --key "$WORK/vp.key" --listen "127.0.0.1:$PORT" 2>"$WORK/server.log" &
SERVER_PID=$!
T0=$(date +%s.%N)
for _ in $(seq 1 300); do
	curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
	kill -0 "$SERVER_PID" 2>/dev/null || { say "bench: explorer: the server exited"; tail -5 "$WORK/server.log" >&2; exit 1; }
	sleep 0.1
done

# ---- logging in as a person would ------------------------------------------------
JAR=$WORK/cookies
hidden() { sed -nE 's/.*name="csrf_token" value="([^"]*)".*/\1/p' | head -1; }
TOKEN=$(curl -fsS -c "$JAR" -b "$JAR" "$BASE/login" | hidden)
curl -sS -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "csrf_token=$TOKEN" \
	--data-urlencode "username=bench-explorer" --data-urlencode "password=$ONE_TIME" "$BASE/login"
TOKEN=$(curl -fsS -c "$JAR" -b "$JAR" "$BASE/account/password" | hidden)
curl -sS -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "csrf_token=$TOKEN" \
	--data-urlencode "current=$ONE_TIME" --data-urlencode "new=$PASSWORD" \
	--data-urlencode "repeat=$PASSWORD" "$BASE/account/password"
STATUS=$(curl -sS -o /dev/null -w '%{http_code}' -b "$JAR" "$BASE/account")
[[ "$STATUS" == 200 ]] || { say "bench: explorer: logging in failed (GET /account: $STATUS)"; exit 1; }

# The story index is built at start-up in the background: the first page
# waits for it. How long that took is printed too.
STATUS=$(curl -sS -o /dev/null -w '%{http_code}' -b "$JAR" --max-time 600 "$BASE/verkennen/$COLL")
[[ "$STATUS" == 200 ]] || { say "bench: explorer: GET /verkennen/$COLL: $STATUS"; exit 1; }
READY=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# ---- the pages -------------------------------------------------------------------
F_SIT='q-situatie%20%3D%20eenzaamheid'
PAGES=(
	"explorer|/verkennen/$COLL"
	"explorer, filtered|/verkennen/$COLL?filter=$F_SIT"
	"explorer, cross-table|/verkennen/$COLL?rij=q-situatie&kolom=q-interventie"
	"patterns|/verkennen/$COLL/patronen?uitkomst=q-geholpen"
	"patterns, filtered|/verkennen/$COLL/patronen?uitkomst=q-geholpen&filter=channel%20%3D%20web"
	"compare two periods|/verkennen/$COLL/vergelijken?a=period%20%3D%202024&b=period%20%3D%202025"
	"compare (default: last year, this year)|/verkennen/$COLL/vergelijken"
	"stories|/verkennen/$COLL/verhalen"
	"stories, filtered|/verkennen/$COLL/verhalen?filter=$F_SIT"
	"story cards|/verkennen/$COLL/verhalen/kaarten?filter=$F_SIT"
	"export.csv|/verkennen/$COLL/export.csv"
	"export.csv, filtered|/verkennen/$COLL/export.csv?filter=$F_SIT"
	"export.json|/verkennen/$COLL/export.json"
	"export.xlsx|/verkennen/$COLL/export.xlsx"
	"chart: triad SVG|/verkennen/$COLL/grafiek/q-steun.svg"
	"chart: dyad SVG|/verkennen/$COLL/grafiek/q-geholpen.svg"
	"chart: choice SVG, filtered|/verkennen/$COLL/grafiek/q-interventie.svg?filter=$F_SIT"
	"chart: triad PNG|/verkennen/$COLL/grafiek/q-steun.png"
)
# The trajectory's overview and report pages, when this build has them
# (another branch adds them): the demo's collection in a trajectory.
TRAJ=$(sqlite3 "$WORK/vp.db" "SELECT coalesce(trajectory_id, '') FROM collections WHERE id = $COLL" 2>/dev/null || true)
if [[ -n "$TRAJ" ]]; then
	for p in "trajectory|/trajecten/$TRAJ" "trajectory overview|/trajecten/$TRAJ/overzicht" \
		"trajectory report|/trajecten/$TRAJ/rapport"; do
		code=$(curl -sS -o /dev/null -w '%{http_code}' -b "$JAR" "$BASE${p#*|}")
		[[ "$code" == 200 ]] && PAGES+=("$p")
	done
fi

CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
GITREV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
	GITREV="$GITREV (with uncommitted changes)"
fi
echo "## Explorer pages ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "Machine: $(nproc) cores ($CPU), $MEM, $(uname -sr); SQLite $(pkg-config --modversion sqlite3)."
echo "Code: $GITREV. Database: a copy of $DB ($(du -m "$DB" | cut -f1) MiB), collection $COLL."
echo "Server ready and the index built ${READY} s after the start. $REPS timed requests per page"
echo "after 2 warm-up requests, one kept-alive connection (curl), logged in as an analyst."
echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| page | path | bytes | first ms | p50 ms | p95 ms | min ms | server CPU ms/request | p50 < 100 ms |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|"

# The server's CPU time (user + system) so far, in ms: on a machine shared
# with other work the wall times grow with the load, this much less.
TICK=$(getconf CLK_TCK)
server_cpu_ms() { awk -v tick="$TICK" '{ printf "%.0f", ($14 + $15) * 1000 / tick }' "/proc/$SERVER_PID/stat"; }

FAILED=0
for entry in "${PAGES[@]}"; do
	name=${entry%%|*}
	path=${entry#*|}
	[[ -z "$ONLY" || "$name" == *"$ONLY"* ]] || continue
	{
		for _ in $(seq 1 $((REPS + 2))); do
			printf 'url = "%s"\noutput = "/dev/null"\n' "$BASE$path"
		done
	} >"$WORK/curl.cfg"
	CPU0=$(server_cpu_ms)
	curl -sS -b "$JAR" -K "$WORK/curl.cfg" -w '%{http_code} %{time_total} %{size_download}\n' \
		>"$WORK/times" 2>"$WORK/curl.err" || true
	CPU_PER=$(awk -v a="$CPU0" -v b="$(server_cpu_ms)" -v n=$((REPS + 2)) 'BEGIN { printf "%.1f", (b - a) / n }')
	bad=$(awk '$1 != 200' "$WORK/times" | head -1)
	if [[ -n "$bad" || $(wc -l <"$WORK/times") -lt $((REPS + 2)) ]]; then
		say "bench: explorer: $name ($path): ${bad:-too few answers} $(head -c 300 "$WORK/curl.err")"
		echo "| $name | \`$path\` | - | - | - | - | - | - | failed: ${bad%% *} |"
		FAILED=1
		continue
	fi
	# the first two are the warm-up; the first of all is the page's first
	# request, computed (the measures' cache keeps what later ones reuse)
	FIRST=$(awk 'NR == 1 { printf "%.1f", $2 * 1000 }' "$WORK/times")
	tail -n +3 "$WORK/times" | sort -g -k2,2 | awk -v name="$name" -v path="$path" -v cpu="$CPU_PER" -v first="$FIRST" '
		{ t[NR] = $2 * 1000; bytes = $3 }
		END {
			n = NR
			p50 = t[int((n * 50 + 99) / 100)]; p95 = t[int((n * 95 + 99) / 100)]
			printf "| %s | `%s` | %d | %s | %.1f | %.1f | %.1f | %s | %s |\n", name, path, bytes,
				first, p50, p95, t[1], cpu, p50 < 100 ? "met" : "**NOT met**"
		}'
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
exit $FAILED
