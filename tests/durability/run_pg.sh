#!/usr/bin/env bash
# run_pg.sh: the durability test (test_kill.py) with the server's data in a throw-away PostgreSQL cluster, started and stopped here.
# usage: tests/durability/run_pg.sh BINARY [CYCLES]   (skipped, with a message, only when PostgreSQL is not installed)
set -u
cd "$(dirname "$0")/../.."
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
	echo "durability-pg: PostgreSQL is not installed (Debian: apt-get install postgresql); skipped"
	echo "durability: 0 passed, 0 failed"
	exit 0
fi
state=$(mktemp /tmp/vp-pg-state-XXXXXX)
rm -f "$state"
export VP_PG_STATE=$state
url=$(bash scripts/pg-cluster.sh start) || { echo "durability-pg: cannot start PostgreSQL"; exit 1; }
trap 'bash scripts/pg-cluster.sh stop; rm -f "$state"' EXIT
python3 tests/durability/test_kill.py "$1" "${2:-4}" --db "$url"
