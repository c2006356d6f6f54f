#!/usr/bin/env bash
# run.sh: runs cmocka test binaries against a throw-away PostgreSQL cluster (VP_TEST_DB), then stops it.
# usage: tests/pg/run.sh BIN...   Binaries named in tests/pg/sqlite-only.txt are left out.
set -u
cd "$(dirname "$0")/../.."
state=$(mktemp /tmp/vp-pg-state-XXXXXX)
rm -f "$state"
export VP_PG_STATE=$state
url=$(bash scripts/pg-cluster.sh start) || { echo "pg: cannot start PostgreSQL"; exit 1; }
trap 'bash scripts/pg-cluster.sh stop; rm -f "$state"' EXIT
export VP_TEST_DB=$url
bins=()
for b in "$@"; do
	name=$(basename "$b")
	if awk -v n="$name" '$1 == n { found = 1 } END { exit !found }' tests/pg/sqlite-only.txt; then
		echo "pg: $name tests SQLite itself; left out"
		continue
	fi
	bins+=("$b")
done
bash tests/run-cmocka.sh "${bins[@]}"
