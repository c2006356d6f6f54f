#!/usr/bin/env bash
# cli.sh: the command-line tests (tests/cli) again on a throw-away PostgreSQL cluster, each database a schema of it (make cli-pg).
# usage: tests/pg/cli.sh BINARY. tests/cli/lib.sh reads VP_CLI_PG; the scripts
# that test SQLite itself are left out below, each with its reason.
set -u
self=$(realpath "$0")
cd "$(dirname "$0")/../.."
bin=${1:?usage: tests/pg/cli.sh BINARY}
# In a throw-away cluster of its own (scripts/pg-cluster.sh with).
[ -n "${VP_PG_URL:-}" ] || exec bash scripts/pg-cluster.sh with bash "$self" "$@"
export VP_CLI_PG=$VP_PG_URL

# Each script runs in a folder of its own: with a server database the
# uploads go to var/uploads under the working folder.
bin=$(realpath "$bin")
rc=0
for t in test_cli test_collection test_method test_script test_analyse test_search test_keyness \
	test_themes test_themes_rising test_import test_demo test_mail; do
	work=$(mktemp -d /tmp/vp-cli-pg-XXXXXX)
	(cd "$work" && bash "$OLDPWD/tests/cli/$t.sh" "$bin") || rc=1
	rm -rf "$work"
done
# Left out, and why:
echo "cli-pg: test_backup left out: it tests the backup of the SQLite file (vertelpunt backup/restore copy the .db file; PostgreSQL is backed up with pg_basebackup and WAL archiving, docs/deploy.md)"
echo "cli-pg: test_privacy left out: its tamper checks rewrite SQLite files with sqlite3 and Python's sqlite3 module (.backup copies); the sealing itself runs on PostgreSQL in make unit-pg and http-pg"
exit $rc
