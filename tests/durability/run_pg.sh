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
# In a throw-away cluster of its own (scripts/pg-cluster.sh with).
exec bash scripts/pg-cluster.sh with \
	bash -c 'python3 tests/durability/test_kill.py "$1" "$2" --db "$VP_PG_URL"' _ "$1" "${2:-4}"
