#!/usr/bin/env bash
# pg-cluster.sh: a throw-away PostgreSQL cluster on 127.0.0.1 for the tests (start | url | stop | kill | restart | with).
#
#   scripts/pg-cluster.sh start   initdb in a new /tmp/vp-pg-XXXXXX, start it on a
#                                 free port (fsync on), print its URL
#   scripts/pg-cluster.sh url     print the running cluster's URL
#   scripts/pg-cluster.sh stop    stop it and remove its folder
#   scripts/pg-cluster.sh kill    crash it (pg_ctl stop -m immediate: no
#                                 shutdown checkpoint, sessions cut), keeping
#                                 its folder, as when its machine fails
#   scripts/pg-cluster.sh restart start it again (after kill) on its port
#   scripts/pg-cluster.sh with COMMAND...
#                                 a cluster of its own (its own state file)
#                                 for COMMAND, its URL in VP_PG_URL; stopped
#                                 and removed afterwards; COMMAND's exit code
#
# The cluster's folder is remembered in the file named by VP_PG_STATE
# (default build/pg-cluster.dir), so start, url and stop can be separate
# commands. The cluster trusts every connection from 127.0.0.1 (it is a test
# cluster, reachable only from this machine); its superuser and its first
# database are both called vertelpunt. initdb refuses to run as root, so as
# root the server runs as the postgres system user (Debian's package makes
# it); otherwise as the caller.
set -euo pipefail

STATE=${VP_PG_STATE:-build/pg-cluster.dir}

pg_bin() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
	echo "pg-cluster: PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2
	exit 1
}

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

url_of() {
	local dir=$1
	echo "postgres://vertelpunt@127.0.0.1:$(cat "$dir/port")/vertelpunt"
}

case "${1:-}" in
start)
	if [ -f "$STATE" ] && [ -d "$(cat "$STATE")" ]; then
		echo "pg-cluster: already running in $(cat "$STATE") (stop it first)" >&2
		exit 1
	fi
	bin=$(pg_bin)
	dir=$(mktemp -d /tmp/vp-pg-XXXXXX)
	chmod 755 "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
	as_owner "$bin/initdb" -D "$dir/data" -U vertelpunt -A trust -E UTF8 --locale=C.UTF-8 \
		--no-instructions >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		rm -rf "$dir"
		exit 1
	}
	# A port taken between free_port and the server's bind is retried.
	for try in 1 2 3 4 5; do
		port=$(free_port)
		opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=on -c synchronous_commit=on -c max_connections=200"
		if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "$opts" start >/dev/null; then
			echo "$opts" | as_owner tee "$dir/options" >/dev/null
			break
		fi
		[ "$try" -eq 5 ] && { tail -20 "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
	done
	echo "$port" | as_owner tee "$dir/port" >/dev/null
	as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U vertelpunt vertelpunt
	mkdir -p "$(dirname "$STATE")"
	echo "$dir" >"$STATE"
	url_of "$dir"
	;;
url)
	[ -f "$STATE" ] || { echo "pg-cluster: none running ($STATE missing)" >&2; exit 1; }
	url_of "$(cat "$STATE")"
	;;
stop)
	[ -f "$STATE" ] || exit 0
	dir=$(cat "$STATE")
	if [ -d "$dir/data" ]; then
		as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	case "$dir" in /tmp/vp-pg-*) rm -rf "$dir" ;; esac
	rm -f "$STATE"
	;;
kill)
	[ -f "$STATE" ] || { echo "pg-cluster: none running ($STATE missing)" >&2; exit 1; }
	dir=$(cat "$STATE")
	as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
	;;
restart)
	[ -f "$STATE" ] || { echo "pg-cluster: none running ($STATE missing)" >&2; exit 1; }
	dir=$(cat "$STATE")
	bin=$(pg_bin)
	as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "$(cat "$dir/options")" start >/dev/null
	;;
with)
	shift
	[ $# -gt 0 ] || { echo "usage: $0 with COMMAND..." >&2; exit 2; }
	VP_PG_STATE=$(mktemp /tmp/vp-pg-state-XXXXXX)
	rm -f "$VP_PG_STATE"
	export VP_PG_STATE
	VP_PG_URL=$(bash "$0" start) || { echo "pg-cluster: cannot start PostgreSQL" >&2; exit 1; }
	export VP_PG_URL
	trap 'bash "$0" stop; rm -f "$VP_PG_STATE"' EXIT
	rc=0
	"$@" || rc=$?
	exit "$rc"
	;;
*)
	echo "usage: $0 start | url | stop | kill | restart | with COMMAND..." >&2
	exit 2
	;;
esac
