#!/usr/bin/env bash
# run.sh: runs cmocka test binaries against a throw-away PostgreSQL cluster (VP_TEST_DB), then stops it.
# usage: tests/pg/run.sh BIN...   Binaries named in tests/pg/sqlite-only.txt are left out.
set -u
self=$(realpath "$0")
cd "$(dirname "$0")/../.."
# In a throw-away cluster of its own (scripts/pg-cluster.sh with).
[ -n "${VP_PG_URL:-}" ] || exec bash scripts/pg-cluster.sh with bash "$self" "$@"
export VP_TEST_DB=$VP_PG_URL
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
