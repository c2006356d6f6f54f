#!/usr/bin/env bash
# test_migrate_data.sh: `vertelpunt migrate-data` moves a demo installation from SQLite to a throw-away PostgreSQL cluster, verified; bad input, a non-empty target, a failed copy and a changed row are caught.
# usage: test_migrate_data.sh BINARY   (starts and stops its own cluster with scripts/pg-cluster.sh;
# skipped, with a message, only when PostgreSQL is not installed)
set -u
bin=$(cd "$(dirname "${1:?usage: test_migrate_data.sh BINARY}")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"

pgbin=
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin=$d; done
if [ -z "$pgbin" ] && command -v initdb >/dev/null 2>&1; then pgbin=$(dirname "$(command -v initdb)"); fi
if [ -z "$pgbin" ]; then
	echo "migrate-data: PostgreSQL is not installed (Debian: apt-get install postgresql); skipped"
	finish migrate-data
	exit 0
fi

dir=$(mktemp -d)
export VP_PG_STATE=$dir/pg-cluster.dir
url=$(bash "$root/scripts/pg-cluster.sh" start) || { echo "migrate-data: cannot start PostgreSQL"; exit 1; }
trap 'bash "$root/scripts/pg-cluster.sh" stop; rm -rf "$dir"' EXIT
base=${url%/*}
psql() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
for name in first second third; do psql "$url" -c "CREATE DATABASE $name" || exit 1; done
db="$dir/vp.db" key="$dir/vp.key"
sql() { sqlite3 "$db" "$@"; }

# A demo installation with some of everything: stories, staff, participants
# with sealed contact data (bytes), a NULL here and there.
check "demo" 0 '"stories":3000' "$bin" demo --db "$db" --stories 3000 --seed 5
check "a staff account" 0 'password' "$bin" user add --db "$db" onderzoeker1 --name "Anna Onderzoeker" --role onderzoeker
check "a participant with contact data" 0 'VP-' "$bin" participant add --db "$db" --name "Jan Jansen" --email jan@example.nl
sql "UPDATE users SET display_name = 'Emoji 🙂 ''quoted'' tab	here' WHERE username = 'onderzoeker1'"
# A conversation with notes pinned at awkward real numbers, a NULL and an
# empty text side by side.
sql "INSERT INTO trajectories (id, org_id, slug, title, created_at, updated_at) VALUES (7, 1, 'wijk', 'Wijk', 1700000000, 1700000000);
INSERT INTO conversations (id, trajectory_id, title, created_at, updated_at) VALUES (11, 7, 'Keukentafel', 1700000000, 1700000000);
INSERT INTO conversation_notes (conversation_id, body, created_at, pin_x, pin_y, material_token) VALUES
 (11, 'een derde', 1700000001, 100.0 / 3, 0.1 + 0.2, NULL),
 (11, '', 1700000002, 4.9406564584124654e-322, 99.99999999999999, ''),
 (11, 'geen pin', 1700000003, NULL, NULL, 'abc');" || exit 1
before=$("$bin" analyse --db "$db" --collection 1 count)
before_dist=$("$bin" analyse --db "$db" --collection 1 distribution q-geholpen)

# Bad input: a clear message, exit 1, nothing touched.
check "no arguments" 1 'both needed' "$bin" migrate-data
check "missing file" 1 'no database file at .*nope.db' "$bin" migrate-data --from "$dir/nope.db" --to "$base/first"
check "target not PostgreSQL" 1 'must be a PostgreSQL URL' "$bin" migrate-data --from "$db" --to "$dir/other.db"
check "source a URL" 1 'must be a SQLite database file' "$bin" migrate-data --from "$base/first" --to "$base/second"
check "unknown option" 1 "unknown option '--fast'" "$bin" migrate-data --from "$db" --to "$base/first" --fast
check "unreachable server" 1 'cannot connect to the PostgreSQL database' \
	"$bin" migrate-data --from "$db" --to "postgres://vertelpunt@127.0.0.1:1/first"
check "no such database" 1 'cannot connect to the PostgreSQL database' \
	"$bin" migrate-data --from "$db" --to "$base/nosuchdb"
printf 'not a database at all, just words\n' >"$dir/junk.db"
check "not a database" 1 "junk.db.*not a (Vertelpunt )?database" "$bin" migrate-data --from "$dir/junk.db" --to "$base/first"
cp "$db" "$dir/old.db"
latest=$(sqlite3 "$dir/old.db" "SELECT max(version) FROM schema_migrations")
sqlite3 "$dir/old.db" "DELETE FROM schema_migrations WHERE version = $latest"
check "source at an older schema version" 1 "schema version $((latest - 1)), this program at $latest: first run 'vertelpunt migrate" \
	"$bin" migrate-data --from "$dir/old.db" --to "$base/first"
check "nothing made on the target by refusals" 0 '^0$' psql "$base/first" -Atc \
	"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"

# A copy that fails half-way (a story whose time is not a number) leaves
# nothing behind: the same target takes the good copy afterwards.
cp "$db" "$dir/bad.db"
sqlite3 "$dir/bad.db" "UPDATE stories SET created_at = 'gisteren' WHERE id = 2999" || exit 1
check "a value that does not fit is refused" 1 "table stories, column created_at: 'gisteren' is not a whole number; nothing was kept" \
	"$bin" migrate-data --from "$dir/bad.db" --to "$base/first"
cp "$db" "$dir/bad2.db"
sqlite3 "$dir/bad2.db" "UPDATE stories SET receipt = CAST(X'C328' AS TEXT) WHERE id = 2998" || exit 1
check "a text PostgreSQL cannot hold is refused" 1 "table stories, row with key 2998: the target refused it: .*UTF8.*nothing was kept" \
	"$bin" migrate-data --from "$dir/bad2.db" --to "$base/first"
check "the failed copy left no rows" 0 '^0\|0\|0$' psql "$base/first" -Atc \
	"SELECT (SELECT count(*) FROM organisations) || '|' || (SELECT count(*) FROM users) || '|' || (SELECT count(*) FROM stories)"

# The real move.
out=$("$bin" migrate-data --from "$db" --to "$base/first" 2>"$dir/progress")
rc=$?
check "moved and verified" 0 'all [0-9]+ tables match' printf '%s\n' "$out"
[ $rc -eq 0 ] || { echo "FAIL migrate-data exit $rc"; cat "$dir/progress"; fail=$((fail + 1)); }
check "the stories line" 0 'stories +3000 +[0-9a-f]{32} +ok' printf '%s\n' "$out"
check "the search data rebuilt and compared" 0 'story_search +[0-9]+ +[0-9a-f]{32} +ok' printf '%s\n' "$out"
check "users and participants compared" 0 'users +[0-9]+ .* ok' printf '%s\n' "$out"
check "progress on stderr" 0 'copying .* in one transaction' cat "$dir/progress"
check "verify-only on the intact copy" 0 'all [0-9]+ tables match' "$bin" migrate-data --from "$db" --to "$base/first" --verify-only
check "no line differs" 0 '^none$' bash -c 'printf "%s\n" "$1" | grep -q DIFFERENT || echo none' _ "$out"

# Bytes, NULLs and odd text exactly as they were.
for q in "SELECT sealed FROM participant_contacts ORDER BY participant_id" "SELECT display_name FROM users ORDER BY id" \
	"SELECT coalesce(participant_id, -1) FROM stories ORDER BY id" \
	"SELECT id, coalesce(material_token, 'NULL'), length(material_token), body FROM conversation_notes ORDER BY id"; do
	a=$(sqlite3 "$db" "$(echo "$q" | sed 's/SELECT sealed/SELECT lower(hex(sealed))/')")
	b=$(psql "$base/first" -Atc "$(echo "$q" | sed "s/SELECT sealed/SELECT encode(sealed, 'hex')/")")
	check "same values: $q" 0 '^same$' bash -c '[ "$1" = "$2" ] && [ -n "$1" ] && echo same' _ "$a" "$b"
done
check "real numbers exactly" 0 '^same$' bash -c '[ "$1" = "$2" ] && [ -n "$1" ] && echo same' _ \
	"$(sqlite3 "$db" "SELECT printf('%!.17g %!.17g', pin_x, pin_y) FROM conversation_notes WHERE pin_x IS NOT NULL ORDER BY id")" \
	"$(psql "$base/first" -Atc "SET extra_float_digits = 3; SELECT pin_x || ' ' || pin_y FROM conversation_notes WHERE pin_x IS NOT NULL ORDER BY id" | python3 -c 'import sys; [print(" ".join("%.17g" % float(x) for x in l.split())) for l in sys.stdin]')"
check "NULLs stay NULL" 0 '^same$' bash -c '[ "$1" = "$2" ] && echo same' _ \
	"$(sqlite3 "$db" "SELECT count(*) FROM stories WHERE participant_id IS NULL")" \
	"$(psql "$base/first" -Atc "SELECT count(*) FROM stories WHERE participant_id IS NULL")"

# The application on the target answers as on the source.
check "the same analysis" 0 '^same$' bash -c '[ "$1" = "$2" ] && echo same' _ "$before" \
	"$("$bin" analyse --db "$base/first" --collection 1 count)"
check "the same distribution" 0 '^same$' bash -c '[ "$1" = "$2" ] && echo same' _ "$before_dist" \
	"$("$bin" analyse --db "$base/first" --collection 1 distribution q-geholpen)"
# (the same stories; the ranks are each engine's own)
found() { "$bin" analyse --db "$1" --collection 1 search "$2" --limit 1000 | grep -oE '"count":[0-9]+|"story":[0-9]+' | sort; }
for q in buurman respijtzorg "even kan bijkomen"; do
	check "search finds the same: $q" 0 '^same$' bash -c '[ "$1" = "$2" ] && [ -n "$1" ] && echo same' _ \
		"$(found "$db" "$q")" "$(found "$base/first" "$q")"
done
# New rows get new ids (the id generators moved past the copied ones).
check "a new account on the target" 0 'password' "$bin" user add --db "$base/first" nieuw1 --name "Nieuw" --role meelezer
check "new stories on the target" 0 '"stories":20' "$bin" demo --db "$base/first" --key "$key" --stories 20 --seed 9
check "ids go on after the copied ones" 0 '^3020\|3020$' psql "$base/first" -Atc "SELECT count(*) || '|' || max(id) FROM stories"

# Verification again, and a changed row caught.
check "verify-only needs a migrated target" 1 'nothing to verify' "$bin" migrate-data --from "$db" --to "$base/second" --verify-only
check "a second move" 0 'all [0-9]+ tables match' "$bin" migrate-data --from "$db" --to "$base/second"
check "verify-only on the copy" 0 'all [0-9]+ tables match' "$bin" migrate-data --from "$db" --to "$base/second" --verify-only
psql "$base/second" -c "UPDATE participant_contacts SET sealed = sealed || '\\x00'::bytea WHERE participant_id = (SELECT max(participant_id) FROM participant_contacts)"
check "a changed row is caught" 3 'participant_contacts +[0-9]+ +[0-9a-f]{32} +DIFFERENT' \
	"$bin" migrate-data --from "$db" --to "$base/second" --verify-only
psql "$base/second" -c "DELETE FROM users WHERE username = 'onderzoeker1'"
check "a missing row is caught" 3 '2 of [0-9]+ tables differ' \
	"$bin" migrate-data --from "$db" --to "$base/second" --verify-only

# A copy that reads back differently (here a trigger on the target changes
# a name as it is written) is not committed.
psql "$url" -c "CREATE DATABASE fourth" || exit 1
check "a migrated target" 0 '\[' "$bin" migrate --db "$base/fourth"
psql "$base/fourth" -c "CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN NEW.display_name := upper(NEW.display_name); RETURN NEW; END; \$\$;
CREATE TRIGGER shout BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION shout();" || exit 1
check "a difference found before committing" 3 'users +[0-9]+ +[0-9a-f]{32} +DIFFERENT' \
	"$bin" migrate-data --from "$db" --to "$base/fourth"
check "and nothing kept" 0 '^0\|0\|0$' psql "$base/fourth" -Atc \
	"SELECT (SELECT count(*) FROM organisations) || '|' || (SELECT count(*) FROM users) || '|' || (SELECT count(*) FROM stories)"

# A target that holds data is refused, and left as it was.
check "a target with data is refused" 2 'holds data already.*nothing was copied' \
	"$bin" migrate-data --from "$db" --to "$base/first"
check "the refused target is unchanged" 0 '^3020$' psql "$base/first" -Atc "SELECT count(*) FROM stories"
# A target migrated before (only the rows the migrations make) is accepted.
check "an empty, migrated target" 0 '\[' "$bin" migrate --db "$base/third"
check "is filled" 0 'all [0-9]+ tables match' "$bin" migrate-data --from "$db" --to "$base/third"

finish migrate-data
