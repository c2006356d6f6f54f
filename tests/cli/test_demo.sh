#!/usr/bin/env bash
# test_demo.sh: `vertelpunt demo`: a fresh database initialised and filled, an initialised one added to, the counts and spread of what is stored, the same seed giving the same stories, bad input refused before anything is written.
# usage: test_demo.sh BINARY
set -u
bin=${1:?usage: test_demo.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/vp.db"

. "$here/lib.sh"
db=$(cli_db "$db") # a PostgreSQL schema under make cli-pg

# The other databases, each a schema under make cli-pg.
again=$(cli_db "$dir/again.db")
other=$(cli_db "$dir/other.db")
initdb=$(cli_db "$dir/init.db")
faildb=$(cli_db "$dir/fail.db")
baddb=$(cli_db "$dir/bad.db")

# eq NAME WANT SQL [DB [PG_SQL]]: the query's output is exactly WANT (PG_SQL:
# its PostgreSQL form, where SQLite's JSON, date or group_concat functions are used).
eq() {
	local got
	got=$(cli_sql_both "${4:-$db}" "$3" "${5:-$3}" 2>&1)
	if [ "$got" = "$2" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: got '$got', wanted '$2'"
	fi
}
# between NAME LOW HIGH SQL [PG_SQL]: the query's number is from LOW to HIGH.
between() {
	local got
	got=$(cli_sql_both "$db" "$4" "${5:-$4}" 2>&1)
	if [ -n "$got" ] && [ "$got" -ge "$2" ] 2>/dev/null && [ "$got" -le "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: got '$got', wanted $2..$3"
	fi
}

check "the demo script lints clean" 0 '^\{"errors":0,"warnings":0,"items":\[\]\}$' \
	"$bin" script lint "$here/../../templates/demo/wmo-vertelpunt-demo.json"

# ---- a fresh database ----------------------------------------------------
check "demo of 2000 in a fresh database" 0 \
	'^\{"collection":1,"script":1,"script_version":1,"token":"[0-9a-f]{32}","stories":2000,"participants":[0-9]+,"seed":1,"null":false,"seconds":[0-9.]+,"initialised":true,"admin":\{"username":"beheerder","one_time_password":"[^"]+"\}\}$' \
	"$bin" demo --db "$db" --stories 2000 --seed 1
out=$("$bin" demo --db "$again" --stories 2000 --seed 1 2>/dev/null)
people=$(printf '%s' "$out" | sed -n 's/.*"participants":\([0-9]*\).*/\1/p')
eq "stories stored" 2000 "SELECT count(*) FROM stories"
eq "participants as printed" "$people" "SELECT count(*) FROM participants"
eq "every story has its participant" "2000|$people" \
	"SELECT count(participant_id), count(DISTINCT participant_id) FROM stories"
between "about 30% of people tell again" 25 35 \
	"SELECT 100 * count(*) / (SELECT count(*) FROM participants) FROM
	   (SELECT participant_id FROM stories GROUP BY participant_id HAVING count(*) > 1) AS again"
eq "the administrator and the organisation" "beheerder|Gemeente Voorbeeld" \
	"SELECT u.username, o.name FROM users u JOIN organisations o ON o.id = u.org_id"
eq "the script, published" "wmo-vertelpunt-demo|1|published" \
	"SELECT s.key, v.version, v.status FROM scripts s JOIN script_versions v ON v.script_id = s.id"
eq "the collection" "Ervaringen Wmo 2024-2025 (demo)|3650|0" \
	"SELECT title, retention_days, closed FROM collections"
eq "eight quarters of 2024 and 2025" 8 \
	"SELECT count(DISTINCT strftime('%Y', created_at, 'unixepoch') ||
	        ((strftime('%m', created_at, 'unixepoch') + 2) / 3)) FROM stories
	 WHERE created_at >= 1704067200 AND created_at < 1767225600" "$db" \
	"SELECT count(DISTINCT to_char(to_timestamp(created_at) AT TIME ZONE 'UTC', 'YYYY-Q')) FROM stories
	 WHERE created_at >= 1704067200 AND created_at < 1767225600"
between "more stories in 2025-Q4 than in 2024-Q1" 1 1 \
	"SELECT (SELECT count(*) FROM stories WHERE created_at >= 1759276800) >
	        (SELECT count(*) FROM stories WHERE created_at < 1711929600)" \
	"SELECT ((SELECT count(*) FROM stories WHERE created_at >= 1759276800) >
	        (SELECT count(*) FROM stories WHERE created_at < 1711929600))::int"
between "about 40% with the consultant's answers" 700 900 \
	"SELECT count(professional) FROM stories"
eq "five channels" "face-to-face kiosk paper phone web" \
	"SELECT group_concat(channel, ' ') FROM (SELECT DISTINCT channel FROM stories ORDER BY 1)" "$db" \
	"SELECT string_agg(channel, ' ' ORDER BY channel) FROM (SELECT DISTINCT channel FROM stories) c"
between "some not applicable" 40 130 \
	"SELECT count(*) FROM stories WHERE json_type(answers, '\$.q-geholpen') = 'null'" \
	"SELECT count(*) FROM stories WHERE json_typeof(answers::json -> 'q-geholpen') = 'null'"
between "some unanswered" 25 110 \
	"SELECT count(*) FROM stories WHERE json_type(answers, '\$.q-geholpen') IS NULL" \
	"SELECT count(*) FROM stories WHERE answers::json -> 'q-geholpen' IS NULL"
eq "Dutch story texts with a prompt and a title" 0 \
	"SELECT count(*) FROM stories WHERE json_extract(answers, '\$.q-verhaal.prompt') NOT IN
	   ('p-verschil', 'p-gesprek', 'p-vriend') OR length(json_extract(answers,
	   '\$.q-verhaal.title')) < 5 OR length(json_extract(answers, '\$.q-verhaal.text')) < 80" "$db" \
	"SELECT count(*) FROM stories WHERE answers::json #>> '{q-verhaal,prompt}' NOT IN
	   ('p-verschil', 'p-gesprek', 'p-vriend') OR length(answers::json #>> '{q-verhaal,title}') < 5
	   OR length(answers::json #>> '{q-verhaal,text}') < 80"
between "varied texts" 1900 2000 \
	"SELECT count(DISTINCT json_extract(answers, '\$.q-verhaal.text')) FROM stories" \
	"SELECT count(DISTINCT answers::json #>> '{q-verhaal,text}') FROM stories"
eq "consent with every story" 2000 "SELECT count(consent_text_hash) FROM stories"
check "the access log holds" 0 '"ok":true' "$bin" audit verify --db "$db"
check "not in the script library" 0 '^\[.*\]$' "$bin" script templates
if "$bin" script templates | grep -q 'wmo-vertelpunt-demo'; then
	fail=$((fail + 1))
	echo "FAIL the demo script is listed in the library"
else
	pass=$((pass + 1))
fi

# ---- the same seed, the same stories -------------------------------------
same="SELECT uuid, channel, created_at, answers, professional FROM stories ORDER BY id"
a=$(cli_sql "$db" "$same" | md5sum)
b=$(cli_sql "$again" "$same" | md5sum)
if [ "$a" = "$b" ]; then pass=$((pass + 1)); else
	fail=$((fail + 1))
	echo "FAIL the same seed gave other stories"
fi
check "another seed" 0 '"stories":300' "$bin" demo --db "$other" --stories 300 --seed 2
c=$(cli_sql "$other" "$same" | md5sum)
if [ "$a" != "$c" ]; then pass=$((pass + 1)); else
	fail=$((fail + 1))
	echo "FAIL another seed gave the same stories"
fi

# ---- an initialised database: added to -----------------------------------
check "a second demo in the same database" 0 \
	'^\{"collection":2,"script":1,"script_version":1,.*"stories":500,.*"null":true,"seconds":[0-9.]+\}$' \
	"$bin" demo --db "$db" --stories 500 --seed 1 --null
eq "the script version is shared" 1 "SELECT count(*) FROM script_versions"
eq "one administrator still" 1 "SELECT count(*) FROM users"
eq "both collections filled" "1|2000
2|500" "SELECT collection_id, count(*) FROM stories GROUP BY 1 ORDER BY 1"
check "init first, then demo" 0 '"initialised":true' "$bin" init --db "$initdb"
check "demo into it: no new administrator" 0 '^\{"collection":1,.*"stories":10,[^}]*\}$' \
	"$bin" demo --db "$initdb" --stories 10 --seed 3
eq "one administrator" 1 "SELECT count(*) FROM users" "$initdb"

# ---- a failure while storing: the batches stored stay, the rest stops ------
check "init for the failure" 0 '"initialised":true' "$bin" init --db "$faildb"
cli_sql_both "$faildb" "CREATE TRIGGER until_march_2025 BEFORE INSERT ON stories
	WHEN NEW.created_at >= 1743465600 BEGIN SELECT RAISE(ABORT, 'not after March 2025'); END;" \
	"CREATE FUNCTION until_march_2025() RETURNS trigger LANGUAGE plpgsql AS \$\$
	 BEGIN IF NEW.created_at >= 1743465600 THEN RAISE EXCEPTION 'not after March 2025'; END IF;
	 RETURN NEW; END \$\$;
	 CREATE TRIGGER until_march_2025 BEFORE INSERT ON stories
	 FOR EACH ROW EXECUTE FUNCTION until_march_2025()"
check "a refused batch stops the demo" 1 'could not store the stories' \
	"$bin" demo --db "$faildb" --stories 12000 --seed 1
eq "the first batch stays, whole" 5000 "SELECT count(*) FROM stories" "$faildb"
eq "every stored story has its participant" 0 \
	"SELECT count(*) FROM stories s LEFT JOIN participants p ON p.id = s.participant_id
	 WHERE p.id IS NULL" "$faildb"

# ---- bad input: refused before anything is written ------------------------
check "no --stories" 1 'give --stories N' "$bin" demo --db "$baddb"
check "zero stories" 1 '--stories wants a whole number from 1 to 10000000' \
	"$bin" demo --db "$baddb" --stories 0
check "too many stories" 1 '--stories wants a whole number from 1 to 10000000' \
	"$bin" demo --db "$baddb" --stories 10000001
check "not a number" 1 '--stories wants a whole number' \
	"$bin" demo --db "$baddb" --stories 12abc
check "negative seed" 1 '--seed wants a whole number' \
	"$bin" demo --db "$baddb" --stories 5 --seed -1
check "unknown option" 1 "see 'vertelpunt help demo'" \
	"$bin" demo --db "$baddb" --stories 5 --colour red
check "stray argument" 1 "unexpected argument 'extra'" \
	"$bin" demo --db "$baddb" --stories 5 extra
# On PostgreSQL the schema stands for the file: a refused demo leaves it empty.
if [ -e "$dir/bad.db" ] || { cli_is_pg "$baddb" && [ "$(cli_sql "$baddb" "SELECT count(*) FROM
	information_schema.tables WHERE table_schema = current_schema()")" != 0 ]; }; then
	fail=$((fail + 1))
	echo "FAIL a refused demo created the database"
else
	pass=$((pass + 1))
fi
check "help" 0 'usage: vertelpunt demo' "$bin" help demo

finish "test_demo.sh"
