#!/usr/bin/env bash
# bench/run.sh: `make bench` (or `bash bench/run.sh` from the repo root).
#
# Prints figures, never fails because the machine was slow (DESIGN.md:
# "Benchmarks are not tests"). What it measures and why: docs/benchmarks.md.
#   1. HTTP: wrk -t2 -c64 -d10s --latency against GET /healthz and GET /login of
#      build/vertelpunt, next to nginx serving files with the same bodies, in the
#      same run, repetitions alternating servers; medians of req/s and of p99.
#   2. The same /healthz with the server's request log going to a file instead
#      of /dev/null: is writing the log a bottleneck?
#   3. build/bench/bench_writer: durable group-commit throughput of the writer
#      path from 64 clients next to the raw rate of the same inserts.
# The Markdown result goes to stdout and to build/bench/results.md.
#
# Knobs (environment): BENCH_DURATION (10s), BENCH_REPS (3), BENCH_CONNS (64),
# BENCH_THREADS (2), BENCH_WRITER_SECONDS (2), BENCH_WRITER_ROWS (100000),
# BENCH_EXPERIMENT=1 adds the checkpoint experiment to the writer benchmark,
# BENCH_NICE=-5 (root only) runs servers, wrk and bench_writer at that niceness,
# to shield the figures from other work on a shared machine (off by default:
# it slows everything else down).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10s}
REPS=${BENCH_REPS:-3}
CONNS=${BENCH_CONNS:-64}
THREADS=${BENCH_THREADS:-2}
WRITER_SECONDS=${BENCH_WRITER_SECONDS:-2}
WRITER_ROWS=${BENCH_WRITER_ROWS:-100000}
OUT=build/bench
RESULTS=$OUT/results.md
NICE=()
[[ -n "${BENCH_NICE:-}" ]] && NICE=(nice -n "$BENCH_NICE")

say() { printf '%s\n' "$*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || { say "bench: '$1' is missing; run 'make setup'"; exit 1; }; }
need wrk
need nginx
need curl
need pkg-config

mkdir -p "$OUT"
if [[ ! -x build/vertelpunt || ! -f build/libvp.a ]]; then
	say "bench: building build/vertelpunt"
	make -s build/vertelpunt
fi

# ---- the writer benchmark binary, with the Makefile's flags ----------------
PKGS="libmicrohttpd sqlite3 jansson libsodium"
say "bench: building $OUT/bench_writer"
# shellcheck disable=SC2046
cc -O2 -g -std=c17 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -pthread -Isrc -Ibuild \
	$(pkg-config --cflags $PKGS) -o "$OUT/bench_writer" bench/bench_writer.c build/libvp.a \
	$(pkg-config --libs $PKGS) -lm

# ---- temp dirs, processes and their clean-up -------------------------------
WORK=$(mktemp -d /tmp/vp-bench-XXXXXX)
WDIR=$(mktemp -d "$OUT/writer-db.XXXXXX") # on the project's disk, like var/
chmod 755 "$WORK"                         # nginx workers (nobody) read www/
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]:-}"; do
		[[ -n "$p" ]] && kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]:-}"; do
		[[ -n "$p" ]] && wait "$p" 2>/dev/null || true
	done
	rm -rf "$WORK" "$WDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
USED_PORTS=" "
free_port() {
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		[[ "$USED_PORTS" == *" $p "* ]] && continue
		if ! port_taken "$p"; then
			USED_PORTS+="$p "
			echo "$p"
			return 0
		fi
	done
	say "bench: no free port found"
	exit 1
}

wait_http() { # URL PID
	local i
	for i in $(seq 1 100); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || { say "bench: the server for $1 exited"; exit 1; }
		sleep 0.1
	done
	say "bench: $1 did not answer within 10 s"
	exit 1
}

# ---- machine facts -----------------------------------------------------------
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
GITREV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
	GITREV="$GITREV (with uncommitted changes)"
fi
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
FS=$(df -T "$WDIR" | awk 'NR == 2 {print $2 " on " $1}')
MHD=$(pkg-config --modversion libmicrohttpd)
SQLITE=$(pkg-config --modversion sqlite3)
NGINX_V=$(nginx -v 2>&1 | sed 's/^nginx version: //')
WRK_V=$( (wrk -v 2>&1 || true) | head -1 | awk '{print $2}')

# ---- vertelpunt: one server logging to /dev/null, one logging to a file -------
say "bench: starting vertelpunt and nginx (work dir $WORK)"
build/vertelpunt init --db "$WORK/vp.db" >/dev/null 2>"$WORK/init.log"
VP_PORT=$(free_port)
"${NICE[@]}" build/vertelpunt serve --db "$WORK/vp.db" --listen "127.0.0.1:$VP_PORT" 2>/dev/null &
VP_PID=$!
PIDS+=("$VP_PID")
VP="http://127.0.0.1:$VP_PORT"
wait_http "$VP/healthz" "$VP_PID"

VPLOG_PORT=$(free_port)
"${NICE[@]}" build/vertelpunt serve --db "$WORK/vp.db" --listen "127.0.0.1:$VPLOG_PORT" 2>>"$WORK/requests.log" &
VPLOG_PID=$!
PIDS+=("$VPLOG_PID")
VPLOG="http://127.0.0.1:$VPLOG_PORT"
wait_http "$VPLOG/healthz" "$VPLOG_PID"
VP_THREADS=$(ls "/proc/$VP_PID/task" | wc -l)

# The bodies nginx serves are the server's own bodies: the same bytes.
mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
HEALTHZ_BYTES=$(curl -fsS -o "$WORK/nginx/www/healthz.json" -w '%{size_download}' "$VP/healthz")
LOGIN_BYTES=$(curl -fsS -o "$WORK/nginx/www/login.html" -w '%{size_download}' "$VP/login")
HEALTHZ_HDR=$(curl -fsS -o /dev/null -w '%{size_header}' "$VP/healthz")
LOGIN_HDR=$(curl -fsS -o /dev/null -w '%{size_header}' "$VP/login")
chmod -R a+rX "$WORK/nginx"

# Keep-alive: two requests on one connection must reuse it.
KEEPALIVE_OK=1
for path in /healthz /login; do
	if ! curl -sv -o /dev/null -o /dev/null "$VP$path" "$VP$path" 2>&1 |
		grep -q 'Re-using existing connection'; then
		say "bench: WARNING: keep-alive is not kept for GET $path (curl opened a new connection)"
		KEEPALIVE_OK=0
	fi
done

# ---- nginx with a private configuration ---------------------------------------
NG_PORT=$(free_port)
NGDIR=$WORK/nginx
cat >"$NGDIR/nginx.conf" <<EOF
worker_processes auto;
pid $NGDIR/nginx.pid;
error_log $NGDIR/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    open_file_cache max=16 inactive=60s;
    open_file_cache_valid 60s;
    client_body_temp_path $NGDIR/tmp/body;
    proxy_temp_path $NGDIR/tmp/proxy;
    fastcgi_temp_path $NGDIR/tmp/fastcgi;
    uwsgi_temp_path $NGDIR/tmp/uwsgi;
    scgi_temp_path $NGDIR/tmp/scgi;
    types { text/html html; application/json json; }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$NG_PORT;
        root $NGDIR/www;
        location / { }
    }
}
EOF
"${NICE[@]}" nginx -p "$NGDIR/" -e "$NGDIR/error.log" -c "$NGDIR/nginx.conf" -g 'daemon off;' &
NG_PID=$!
PIDS+=("$NG_PID")
NG="http://127.0.0.1:$NG_PORT"
wait_http "$NG/healthz.json" "$NG_PID"
NG_WORKERS=$( (pgrep -P "$NG_PID" || true) | wc -l)
NG_ALL="$NG_PID $( (pgrep -P "$NG_PID" || true) | tr '\n' ' ')"
NG_BYTES=$(curl -fsS -o /dev/null -w '%{size_download}' "$NG/healthz.json")
NG_HDR=$(curl -fsS -o /dev/null -w '%{size_header}' "$NG/healthz.json")
NG_LOGIN_HDR=$(curl -fsS -o /dev/null -w '%{size_header}' "$NG/login.html")
[[ "$NG_BYTES" == "$HEALTHZ_BYTES" ]] || say "bench: WARNING: nginx serves $NG_BYTES bytes, not $HEALTHZ_BYTES"

# ---- how busy the rest of the machine is ---------------------------------------
# This machine may be shared (other builds and tests). CPU time of everything
# else = all busy CPU time - our servers' - our finished children's (wrk,
# bench_writer), in clock ticks (USER_HZ, 100 per second).
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4}' /proc/stat; } # user, nice, system
pid_ticks() {
	local s=0 p
	for p in "$@"; do
		[[ -r /proc/$p/stat ]] && s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$s"
}
child_ticks() { times | awk 'NR == 2 {split($1, u, /[ms]/); split($2, y, /[ms]/); printf "%d", (u[1] * 60 + u[2] + y[1] * 60 + y[2]) * 100}'; }
our_pids() { echo "$VP_PID $VPLOG_PID $NG_PID $(pgrep -P "$NG_PID" 2>/dev/null | tr '\n' ' ')"; }
OTHER_T0=0 OTHER_B0=0 OTHER_O0=0 OTHER_C0=0
other_start() { OTHER_T0=$(date +%s.%N); OTHER_B0=$(busy_ticks); OTHER_O0=$(pid_ticks $(our_pids)); OTHER_C0=$(child_ticks); }
other_cpus() { # CPUs (of $(nproc)) used by other processes since other_start
	local b o c
	b=$(busy_ticks); o=$(pid_ticks $(our_pids)); c=$(child_ticks)
	awk -v b=$((b - OTHER_B0)) -v o=$((o - OTHER_O0)) -v c=$((c - OTHER_C0)) -v t0="$OTHER_T0" -v t1="$(date +%s.%N)" \
		'BEGIN {v = (b - o - c) / 100 / (t1 - t0); printf "%.2f", (v < 0 ? 0 : v)}'
}

# ---- wrk ---------------------------------------------------------------------
# run_wrk NAME URL PID...: one run against the server whose processes are PID...;
# appends "NAME req/s p99_ms non2xx socket_errors server_cpu_us_per_request" to
# $WORK/runs. CPU time per request is much less disturbed by other load on the
# machine than req/s is.
run_wrk() {
	local name=$1 url=$2 f="$WORK/wrk-$1-$RANDOM.txt"
	shift 2
	local c0 c1
	c0=$(pid_ticks "$@")
	"${NICE[@]}" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$url" >"$f" 2>&1 || true
	c1=$(pid_ticks "$@")
	local rps p99 non2xx errs n cpu
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
	p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000}
		else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}
		print v}' "$f")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f")
	errs=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$f")
	n=$(awk '/ requests in / {print $1}' "$f")
	[[ -n "$rps" && -n "$p99" && -n "$n" ]] || { say "bench: wrk output not understood:"; cat "$f" >&2; rps=0; p99=0; n=0; }
	cpu=$(awk -v t=$((c1 - c0)) -v n="$n" 'BEGIN {printf "%.1f", (n > 0 ? t * 10000 / n : 0)}')
	echo "$name ${rps} ${p99} ${non2xx:-0} ${errs:-0} $cpu" >>"$WORK/runs"
	say "  $(printf '%-14s %10.0f req/s  p99 %7.2f ms  server CPU %5.1f us/request' "$name" "$rps" "$p99" "$cpu")$([[ ${non2xx:-0} != 0 || ${errs:-0} != 0 ]] && echo "  non-2xx ${non2xx:-0}, socket errors ${errs:-0}")"
}

median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
col() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$WORK/runs" | median; }
colsum() { awk -v n="$1" -v c="$2" '$1 == n {s += $c} END {print s + 0}' "$WORK/runs"; }

say "bench: warming up"
for u in "$VP/healthz" "$NG/healthz.json" "$VP/login" "$NG/login.html" "$VPLOG/healthz"; do
	"${NICE[@]}" wrk -t"$THREADS" -c"$CONNS" -d1s "$u" >/dev/null 2>&1 || true
done
: >"$WORK/requests.log"
tw_count() { ss -Htan state time-wait "( sport = :$VP_PORT )" 2>/dev/null | wc -l || true; }
TW_PORT_BEFORE=$(tw_count)

say "bench: wrk -t$THREADS -c$CONNS -d$DURATION --latency, $REPS repetitions, servers alternating"
HTTP_T0=$(date +%s)
other_start
for rep in $(seq 1 "$REPS"); do
	say " repetition $rep"
	run_wrk vp-healthz "$VP/healthz" "$VP_PID"
	if [[ $rep == 1 ]]; then
		TW_AFTER=$(tw_count)
		if ((TW_AFTER - TW_PORT_BEFORE > 2 * CONNS)); then
			say "bench: WARNING: the server closed $((TW_AFTER - TW_PORT_BEFORE)) connections during one run: keep-alive is not kept under load"
			KEEPALIVE_OK=0
		fi
	fi
	run_wrk ng-healthz "$NG/healthz.json" $NG_ALL
	run_wrk vp-login "$VP/login" "$VP_PID"
	run_wrk ng-login "$NG/login.html" $NG_ALL
	LOG_BEFORE=$(stat -c %s "$WORK/requests.log")
	run_wrk vplog-healthz "$VPLOG/healthz" "$VPLOG_PID"
	echo "$(($(stat -c %s "$WORK/requests.log") - LOG_BEFORE))" >>"$WORK/logbytes"
done
HTTP_T1=$(date +%s)
OTHER_HTTP=$(other_cpus)
LOG_LINES=$(wc -l <"$WORK/requests.log")
LOG_BYTES_PER_LINE=$(awk -v b="$(stat -c %s "$WORK/requests.log")" -v n="$LOG_LINES" 'BEGIN {printf "%.0f", n ? b / n : 0}')

# ---- the writer benchmark -------------------------------------------------------
say "bench: writer benchmark ($WRITER_SECONDS s per path, $REPS repetitions, two key kinds)"
WRITER_ARGS=(--seconds "$WRITER_SECONDS" --reps "$REPS" --rows "$WRITER_ROWS" --clients 64 --dir "$WDIR")
[[ "${BENCH_EXPERIMENT:-0}" == 1 ]] && WRITER_ARGS+=(--experiment)
other_start
"${NICE[@]}" "$OUT/bench_writer" "${WRITER_ARGS[@]}" >"$WORK/writer.md" 2> >(sed 's/^/ /' >&2)
OTHER_WRITER=$(other_cpus)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the report -------------------------------------------------------------------
f2() { awk -v v="$1" 'BEGIN {printf "%.2f", v}'; }
f0() { awk -v v="$1" 'BEGIN {printf "%.0f", v}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
yes_no() { awk "BEGIN { if ($1) print \"met\"; else print \"**not met**\" }"; }

VPH=$(col vp-healthz 2); NGH=$(col ng-healthz 2); VPL=$(col vp-login 2); NGL=$(col ng-login 2)
VPH99=$(col vp-healthz 3); NGH99=$(col ng-healthz 3); VPL99=$(col vp-login 3); NGL99=$(col ng-login 3)
LOGH=$(col vplog-healthz 2); LOGH99=$(col vplog-healthz 3)
VPHC=$(col vp-healthz 6); NGHC=$(col ng-healthz 6); VPLC=$(col vp-login 6); NGLC=$(col ng-login 6)
LOGHC=$(col vplog-healthz 6)
RH=$(ratio "$VPH" "$NGH"); RL=$(ratio "$VPL" "$NGL")
LOG_MBS=$(median <"$WORK/logbytes")
LOG_MBS=$(awk -v b="$LOG_MBS" -v d="${DURATION%s}" 'BEGIN {printf "%.1f", b / d / 1048576}')
BAD=$(($(colsum vp-healthz 4) + $(colsum vp-login 4) + $(colsum vp-healthz 5) + $(colsum vp-login 5)))

{
	echo "## Benchmark run $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "| machine | |"
	echo "|---|---|"
	echo "| CPU | $(nproc) × $CPU |"
	echo "| memory | $MEM |"
	echo "| kernel | $(uname -sr) |"
	echo "| disk of the writer benchmark | $FS |"
	echo "| load average at start / end | $LOAD_START / $LOAD_END |"
	[[ -n "${BENCH_NICE:-}" ]] && echo "| niceness of the benchmark processes | $BENCH_NICE |"
	echo "| CPUs used by other processes (HTTP runs / writer runs) | $OTHER_HTTP / $OTHER_WRITER of $(nproc) |"
	echo "| git revision | $GITREV |"
	echo "| libmicrohttpd, SQLite | $MHD, $SQLITE |"
	echo "| nginx, wrk | $NGINX_V ($NG_WORKERS workers), wrk $WRK_V |"
	echo "| vertelpunt | default --threads (one libmicrohttpd worker per CPU; $VP_THREADS threads in the process), request log to /dev/null |"
	echo
	echo "### HTTP: wrk -t$THREADS -c$CONNS -d$DURATION --latency on 127.0.0.1, medians of $REPS runs"
	echo
	echo "nginx serves files with the same bodies (byte for byte); vertelpunt sends more header bytes"
	echo "(security headers, cookies): response headers /healthz $HEALTHZ_HDR bytes (nginx $NG_HDR),"
	echo "/login $LOGIN_HDR bytes (nginx $NG_LOGIN_HDR). wrk sends no cookies back, so every /login is a first visit."
	echo
	echo "| endpoint | body bytes | vertelpunt req/s | nginx req/s | ratio | vertelpunt p99 ms | nginx p99 ms | server CPU µs/request (vertelpunt / nginx) | target |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
	echo "| GET /healthz | $HEALTHZ_BYTES | $(f0 "$VPH") | $(f0 "$NGH") | $RH | $(f2 "$VPH99") | $(f2 "$NGH99") | $VPHC / $NGHC | ratio ≥ 0.5: $(yes_no "$RH >= 0.5"); p99 < 10 ms: $(yes_no "$VPH99 < 10") |"
	echo "| GET /login | $LOGIN_BYTES | $(f0 "$VPL") | $(f0 "$NGL") | $RL | $(f2 "$VPL99") | $(f2 "$NGL99") | $VPLC / $NGLC | p99 < 10 ms: $(yes_no "$VPL99 < 10") |"
	echo
	echo "Request log (one JSON line per request on stderr, about $LOG_BYTES_PER_LINE bytes), GET /healthz:"
	echo
	echo "| server stderr | req/s | p99 ms | server CPU µs/request | log written |"
	echo "|---|---:|---:|---:|---:|"
	echo "| /dev/null | $(f0 "$VPH") | $(f2 "$VPH99") | $VPHC | - |"
	echo "| a file on $(df -T "$WORK" | awk 'NR == 2 {print $2}') | $(f0 "$LOGH") | $(f2 "$LOGH99") | $LOGHC | $LOG_MBS MiB/s |"
	echo
	echo "Keep-alive kept (curl reuses the connection, no closes under load): $([[ $KEEPALIVE_OK == 1 ]] && echo yes || echo '**NO**')."
	[[ $BAD == 0 ]] || echo "WARNING: vertelpunt had $BAD non-2xx responses or socket errors during the runs."
	echo
	echo "<details><summary>every run (req/s, p99 ms)</summary>"
	echo
	echo "| run (in order) | req/s | p99 ms | non-2xx | socket errors | server CPU µs/request |"
	echo "|---|---:|---:|---:|---:|---:|"
	awk '{printf "| %s | %.0f | %.2f | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}' "$WORK/runs"
	echo
	echo "</details>"
	echo
	echo "### Durable group commit (build/bench/bench_writer)"
	echo
	cat "$WORK/writer.md"
	echo
	echo "HTTP runs took $((HTTP_T1 - HTTP_T0)) s; the whole run $SECONDS s."
} >"$RESULTS"

cat "$RESULTS"
say "bench: written to $RESULTS"
