#!/usr/bin/env bash
# test_import.sh: `vertelpunt import`: stories from our CSV and a SenseMaker export: counts, once per story, the answers stored, bad files refused whole.
# usage: test_import.sh BINARY
set -u
bin=${1:?usage: test_import.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
sm="$here/../fixtures/sensemaker"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/vp.db"

. "$here/lib.sh"
db=$(cli_db "$db") # a PostgreSQL schema under make cli-pg

q() { cli_sql "$db" "$1"; }
# eq NAME WANT SQL [PG_SQL]: the query's output is exactly WANT (PG_SQL: its
# PostgreSQL form, where SQLite's JSON functions or group_concat are used).
eq() {
	local got
	got=$(cli_sql_both "$db" "$3" "${4:-$3}" 2>&1)
	if [ "$got" = "$2" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: got '$got', wanted '$2'"
	fi
}

# ---- our CSV ------------------------------------------------------------
cat >"$dir/script.json" <<'JSON'
{
  "format": "vertelpunt-script/1",
  "key": "import-test",
  "title": {"nl": "Importtest"},
  "privacy": {"nl": "Alleen het team leest uw verhaal."},
  "sections": [
    {"id": "s1", "questions": [
      {"id": "verhaal", "type": "story", "text": {"nl": "Wat gebeurde er?"}, "required": true,
       "prompts": [{"id": "p1", "text": {"nl": "Vertel over een moment."}},
                   {"id": "p2", "text": {"nl": "Vertel over iets anders."}}]},
      {"id": "gevoel", "type": "choice", "text": {"nl": "Hoe voelde het?"},
       "options": [{"id": "goed", "label": {"nl": "Goed"}}, {"id": "slecht", "label": {"nl": "Slecht"}}],
       "other": {"nl": "Anders"}},
      {"id": "wie", "type": "multi", "text": {"nl": "Wie hielp?"},
       "options": [{"id": "buren", "label": {"nl": "Buren"}}, {"id": "familie", "label": {"nl": "Familie"}},
                   {"id": "loket", "label": {"nl": "Het loket"}}]},
      {"id": "cijfer", "type": "scale", "text": {"nl": "Welk cijfer?"}, "points": 5,
       "low": {"nl": "Slecht"}, "high": {"nl": "Goed"}},
      {"id": "regie", "type": "dyad", "text": {"nl": "Wie had de regie?"}, "not_applicable": true,
       "poles": [{"id": "ik", "label": {"nl": "Ik"}}, {"id": "zij", "label": {"nl": "De gemeente"}}]},
      {"id": "steun", "type": "triad", "text": {"nl": "Steun kwam van"},
       "corners": [{"id": "zelf", "label": {"nl": "Mijzelf"}}, {"id": "netwerk", "label": {"nl": "Mijn netwerk"}},
                   {"id": "gemeente", "label": {"nl": "De gemeente"}}]},
      {"id": "onderwerpen", "type": "stones", "text": {"nl": "Waar ging het over?"},
       "stones": [{"id": "geld", "label": {"nl": "Geld"}}, {"id": "zorg", "label": {"nl": "Zorg"}}],
       "x": {"label": {"nl": "Hoe goed"}, "low": {"nl": "slecht"}, "high": {"nl": "goed"}},
       "y": {"label": {"nl": "Belang"}, "low": {"nl": "klein"}, "high": {"nl": "groot"}}},
      {"id": "wanneer", "type": "date", "text": {"nl": "Wanneer was het?"}},
      {"id": "aantal", "type": "number", "text": {"nl": "Hoeveel gesprekken?"}, "integer": true, "min": 0},
      {"id": "opmerking", "type": "text", "text": {"nl": "Nog iets?"}},
      {"id": "oordeel", "type": "scale", "text": {"nl": "Hoe ernstig is dit volgens u?"},
       "perspective": "professional", "points": 5, "low": {"nl": "Licht"}, "high": {"nl": "Ernstig"}}
    ]}
  ]
}
JSON
printf '\357\273\277' >"$dir/good.csv"
cat >>"$dir/good.csv" <<'CSV'
id,told_at,channel,language,verhaal,verhaal.prompt,verhaal.title,gevoel,wie,cijfer,regie,steun,onderwerpen,wanneer,aantal,opmerking,oordeel
6F9619FF-8B86-D011-B42D-00C04FC964FF,2026-03-01,face-to-face,nl,"Ik belde het loket, en ""toen"" kwam er iemand.",p2,Het loket,goed,buren;loket,4,40,0.2;0.3;0.5,"geld=10,20;zorg=80,90.5",2026-02-27,3,'=niet gevaarlijk,2
,2026-03-02T14:30,,,Niemand wist van mijn eerste gesprek.,,,other:de huisarts,familie,2,NA,20;30;50,,,,,
,,phone,en,"Regel een
regel twee",,,slecht,,5,75,,"zorg=50,50",,"2,0",,
CSV

check "init" 0 '"organisation"' "$bin" init --db "$db"
check "script" 0 '"errors":0' "$bin" script import --db "$db" "$dir/script.json"
check "publish" 0 '"published"' "$bin" script status --db "$db" 1 1 published
check "collection" 0 '"id":1' "$bin" collection add --db "$db" --script 1 --title T --purpose P
token=$(q "SELECT token FROM collections WHERE id = 1")
check "import" 0 '^\{"imported":3,"already":0\}$' \
	"$bin" import stories --db "$db" --collection 1 "$dir/good.csv"
check "import again: each once" 0 '^\{"imported":0,"already":3\}$' \
	"$bin" import stories --db "$db" --collection "$token" "$dir/good.csv"
eq "stored once" 3 "SELECT count(*) FROM stories"
u=6f9619ff-8b86-d011-b42d-00c04fc964ff
eq "given id, lower case" 1 "SELECT count(*) FROM stories WHERE uuid = '$u'"
eq "channel and language" "face-to-face|nl" "SELECT channel, language FROM stories WHERE uuid = '$u'"
eq "told_at" 1772323200 "SELECT created_at FROM stories WHERE uuid = '$u'"
eq "story" 'p2|Het loket|Ik belde het loket, en "toen" kwam er iemand.' \
	"SELECT json_extract(answers, '\$.verhaal.prompt'), json_extract(answers, '\$.verhaal.title'),
	        json_extract(answers, '\$.verhaal.text') FROM stories WHERE uuid = '$u'" \
	"SELECT answers::json #>> '{verhaal,prompt}', answers::json #>> '{verhaal,title}',
	        answers::json #>> '{verhaal,text}' FROM stories WHERE uuid = '$u'"
eq "choice, multi, scale, dyad" 'goed|["buren","loket"]|4|40' \
	"SELECT json_extract(answers, '\$.gevoel'), json_extract(answers, '\$.wie'),
	        json_extract(answers, '\$.cijfer'), json_extract(answers, '\$.regie')
	 FROM stories WHERE uuid = '$u'" \
	"SELECT answers::json #>> '{gevoel}', answers::json #>> '{wie}', answers::json #>> '{cijfer}',
	        answers::json #>> '{regie}' FROM stories WHERE uuid = '$u'"
eq "triad, stones" '0.5|{"geld":[10,20],"zorg":[80,90.5]}' \
	"SELECT json_extract(answers, '\$.steun[2]'), json_extract(answers, '\$.onderwerpen')
	 FROM stories WHERE uuid = '$u'" \
	"SELECT answers::json #>> '{steun,2}', answers::json #>> '{onderwerpen}' FROM stories WHERE uuid = '$u'"
eq "date, number, guarded text" '2026-02-27|3|=niet gevaarlijk' \
	"SELECT json_extract(answers, '\$.wanneer'), json_extract(answers, '\$.aantal'),
	        json_extract(answers, '\$.opmerking') FROM stories WHERE uuid = '$u'" \
	"SELECT answers::json #>> '{wanneer}', answers::json #>> '{aantal}', answers::json #>> '{opmerking}'
	 FROM stories WHERE uuid = '$u'"
eq "professional apart" '{"oordeel":2}|' \
	"SELECT professional, json_extract(answers, '\$.oordeel') FROM stories WHERE uuid = '$u'" \
	"SELECT professional, answers::json #>> '{oordeel}' FROM stories WHERE uuid = '$u'"
eq "defaults: paper, nl, told at minute" 'paper|nl|1772461800' \
	"SELECT channel, language, created_at FROM stories WHERE answers LIKE '%huisarts%'"
eq "other, NA, percentages" '{"other":"de huisarts"}|1|0.3' \
	"SELECT json_extract(answers, '\$.gevoel'), json_type(answers, '\$.regie') = 'null',
	        round(json_extract(answers, '\$.steun[1]'), 6)
	 FROM stories WHERE answers LIKE '%huisarts%'" \
	"SELECT answers::json #>> '{gevoel}', (json_typeof(answers::json -> 'regie') = 'null')::int,
	        round((answers::json #>> '{steun,1}')::numeric, 6)::float8
	 FROM stories WHERE answers LIKE '%huisarts%'"
eq "line ends in text, decimal comma" 'Regel een
regel twee|2|en' \
	"SELECT json_extract(answers, '\$.verhaal.text'), json_extract(answers, '\$.aantal'), language
	 FROM stories WHERE channel = 'phone'" \
	"SELECT answers::json #>> '{verhaal,text}', answers::json #>> '{aantal}', language
	 FROM stories WHERE channel = 'phone'"

# Bad files: refused whole, with the row and the column; nothing stored.
bad() {
	local name=$1 pat=$2
	shift 2
	printf '%s\n' "$@" >"$dir/bad.csv"
	check "$name" 1 "$pat" "$bin" import stories --db "$db" --collection 1 "$dir/bad.csv"
}
bad "bad scale, second row" 'row 3, column cijfer: Choose a point on the scale.*nothing imported' \
	'verhaal,cijfer' 'Een verhaal,3' 'Nog een,9'
bad "unknown column" 'column 2 \(kleur\): not a question' 'verhaal,kleur' 'Een verhaal,3'
bad "triad of two" 'row 2, column steun: a triad answer is three numbers' 'verhaal,steun' 'x,0.5;0.5'
bad "unknown option" 'row 2, column gevoel: That is not one of the options. \(blauw\)' \
	'verhaal,gevoel' 'x,blauw'
bad "percentages" 'row 2, column steun: the three percentages sum to 90' 'verhaal,steun' 'x,30;30;30'
bad "stored with other content" "row 2, column id: story $u is stored already with other content" \
	'id,verhaal' "$u,ander verhaal"
bad "same id twice in the file" 'row 3, column id: story .* is also in row 2' \
	'id,verhaal' '1b4e28ba-2fa1-11d2-883f-0016d3cca427,een' '1b4e28ba-2fa1-11d2-883f-0016d3cca427,twee'
bad "not a uuid" 'row 2, column id: The story needs an id' 'id,verhaal' 'VT-1234,x'
bad "channel" 'row 2, column channel: The channel is one of' 'verhaal,channel' 'x,fax'
bad "told_at" 'row 2, column told_at: told_at is YYYY-MM-DD' 'verhaal,told_at' 'x,1-3-2026'
bad "required story" 'row 2, column verhaal: This question needs an answer' 'cijfer' '3'
bad "stone" 'row 2, column onderwerpen: stone geld: a position is two numbers' \
	'verhaal,onderwerpen' 'x,geld=1'
bad "blank rows skipped, counted" 'row 4, column cijfer: Choose a point' \
	'verhaal,cijfer' '' ',' 'x,8'
bad "ragged row" 'row 2 \(line 2\): 3 fields, the header has 2' 'verhaal,cijfer' 'x,3,4'
bad "open quote" 'line 2: a quoted field is not closed' 'verhaal' '"x'
eq "nothing stored by the bad files" 3 "SELECT count(*) FROM stories"
check "unknown collection" 1 'no collection 99' \
	"$bin" import stories --db "$db" --collection 99 "$dir/good.csv"
check "usage" 1 'usage' "$bin" import stories --db "$db" "$dir/good.csv"
check "unknown kind" 1 'unknown' "$bin" import frob --db "$db"
check "closed collection" 0 '"closed":true' "$bin" collection close --db "$db" 1
check "closed takes none" 1 'takes no stories' \
	"$bin" import stories --db "$db" --collection 1 "$dir/good.csv"

# ---- SenseMaker ------------------------------------------------------------
db=$(cli_db "$dir/sm.db")
check "sm init" 0 '"organisation"' "$bin" init --db "$db"
check "sensemaker" 0 '"collection":\{"id":1,.*"new":true\},"stories":6,"imported":6,"already":0,"participants":\{"new":3,"stories_linked":4\}' \
	"$bin" import sensemaker --db "$db" --definition "$sm/Wmo_Definition.json" --data "$sm/Wmo_Data.csv"
check "skipped columns reported" 0 '"skipped_columns":\[\{"column":"project_id".*"meta_selectedLanguage"' \
	"$bin" import sensemaker --db "$db" --definition "$sm/Wmo_Definition.json" --data "$sm/Wmo_Data.csv"
check "again: each once, same collection" 0 '"new":false\},"stories":6,"imported":0,"already":6' \
	"$bin" import sensemaker --db "$db" --definition "$sm/Wmo_Definition.json" --data "$sm/Wmo_Data.csv"
eq "six stories" 6 "SELECT count(*) FROM stories"
eq "one script, published" "1|published" "SELECT count(*), max(status) FROM script_versions"
eq "one collection" "1|Ervaringen met het Wmo-loket|Geïmporteerd uit SenseMaker|730" \
	"SELECT count(*), title, purpose, retention_days FROM collections" \
	"SELECT count(*), max(title), max(purpose), max(retention_days) FROM collections"
eq "three participants" 3 "SELECT count(*) FROM participants"
eq "same responder, same participant" 1 \
	"SELECT count(DISTINCT participant_id) FROM stories WHERE uuid IN
	 ('5a0c1e00-b7a1-11ee-9c41-0242ac110003', '8d3f4100-b7a1-11ee-9c41-0242ac110003')"
eq "responder mapping" "r-1001|r-1002|r-1003" \
	"SELECT group_concat(external_id, '|') FROM (SELECT external_id FROM participant_external_ids
	 WHERE source = 'sensemaker' ORDER BY external_id)" \
	"SELECT string_agg(external_id, '|' ORDER BY external_id) FROM participant_external_ids
	 WHERE source = 'sensemaker'"
s1=5a0c1e00-b7a1-11ee-9c41-0242ac110003
eq "upload time" 1705912200 "SELECT created_at FROM stories WHERE uuid = '$s1'"
eq "story text with its prompt" "prompt-1|Sneller dan gedacht" \
	"SELECT json_extract(answers, '\$.\"f6a8cafc-5a7c-4ebf-9b4d-6c8a0e2f4b75\".prompt'),
	        json_extract(answers, '\$.\"07b9dbad-6b8d-4fc0-8c5e-7d9b1f3a5c86\"')
	 FROM stories WHERE uuid = '$s1'" \
	"SELECT answers::json #>> '{f6a8cafc-5a7c-4ebf-9b4d-6c8a0e2f4b75,prompt}',
	        answers::json #>> '{07b9dbad-6b8d-4fc0-8c5e-7d9b1f3a5c86}' FROM stories WHERE uuid = '$s1'"
eq "triad weights" "0.62|0.14|0.24" \
	"SELECT round(json_extract(answers, '\$.\"5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db\"[0]'), 6),
	        round(json_extract(answers, '\$.\"5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db\"[1]'), 6),
	        round(json_extract(answers, '\$.\"5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db\"[2]'), 6)
	 FROM stories WHERE uuid = '$s1'" \
	"SELECT round((answers::json #>> '{5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db,0}')::numeric, 6)::float8,
	        round((answers::json #>> '{5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db,1}')::numeric, 6)::float8,
	        round((answers::json #>> '{5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db,2}')::numeric, 6)::float8
	 FROM stories WHERE uuid = '$s1'"
eq "dyad percent" 30 \
	"SELECT json_extract(answers, '\$.\"904268ab-f416-4859-9fe1-06240c23e51f\"') FROM stories WHERE uuid = '$s1'" \
	"SELECT answers::json #>> '{904268ab-f416-4859-9fe1-06240c23e51f}' FROM stories WHERE uuid = '$s1'"
eq "stones" '{"d486acef-385a-4c9d-9325-4a684a672953":[40,35],"f6a8ce01-5a7c-4ebf-9547-6c8a6c894b75":[85,90]}' \
	"SELECT json_extract(answers, '\$.\"c3759bde-2749-4b8c-8214-39573f561842\"') FROM stories WHERE uuid = '$s1'" \
	"SELECT answers::json #>> '{c3759bde-2749-4b8c-8214-39573f561842}' FROM stories WHERE uuid = '$s1'"
eq "multi from item columns" '["18cae023-7c9e-40d1-9769-8eac8eab6d97","3aec0245-9eb0-42f3-998b-a0cea0cd8fb9"]' \
	"SELECT json_extract(answers, '\$.\"07b9df12-6b8d-4fc0-8658-7d9b7d9a5c86\"') FROM stories WHERE uuid = '$s1'" \
	"SELECT answers::json #>> '{07b9df12-6b8d-4fc0-8658-7d9b7d9a5c86}' FROM stories WHERE uuid = '$s1'"
eq "single list from its column" 'd4c6e8fa-3e5a-4c9d-9f2b-4a6e8c0d2f53' \
	"SELECT json_extract(answers, '\$.\"c3d5e7f9-2d4f-4b8c-8e1a-3f5d7b9c1e42\"') FROM stories WHERE uuid = '$s1'" \
	"SELECT answers::json #>> '{c3d5e7f9-2d4f-4b8c-8e1a-3f5d7b9c1e42}' FROM stories WHERE uuid = '$s1'"
eq "not applicable: null" 'null|null' \
	"SELECT json_type(answers, '\$.\"5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db\"'),
	        json_type(answers, '\$.\"904268ab-f416-4859-9fe1-06240c23e51f\"')
	 FROM stories WHERE uuid = '7c2e3000-b7a1-11ee-9c41-0242ac110003'" \
	"SELECT json_typeof(answers::json -> '5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db'),
	        json_typeof(answers::json -> '904268ab-f416-4859-9fe1-06240c23e51f')
	 FROM stories WHERE uuid = '7c2e3000-b7a1-11ee-9c41-0242ac110003'"
eq "other text" 'via de huisarts' \
	"SELECT json_extract(answers, '\$.\"5c0e2467-b0d2-4415-9bad-c2e0c2e4f1db\"')
	 FROM stories WHERE uuid = '7c2e3000-b7a1-11ee-9c41-0242ac110003'" \
	"SELECT answers::json #>> '{5c0e2467-b0d2-4415-9bad-c2e0c2e4f1db}'
	 FROM stories WHERE uuid = '7c2e3000-b7a1-11ee-9c41-0242ac110003'"

# A value the definition does not explain refuses the whole export.
db=$(cli_db "$dir/sm2.db")
check "sm2 init" 0 '"organisation"' "$bin" init --db "$db"
sed 's/d4c6e8fa-3e5a-4c9d-9f2b-4a6e8c0d2f53/onbekend-item/' "$sm/Wmo_Data.csv" >"$dir/bad_data.csv"
check "unknown item refused" 1 'row 2, column c3d5e7f9-2d4f-4b8c-8e1a-3f5d7b9c1e42: That is not one of the options. \(onbekend-item\) \(nothing imported\)' \
	"$bin" import sensemaker --db "$db" --definition "$sm/Wmo_Definition.json" --data "$dir/bad_data.csv"
sed 's/,0.3,0.7,0.3,,/,1.7,0.7,0.3,,/' "$sm/Wmo_Data.csv" >"$dir/bad_data.csv"
check "dyad out of range refused" 1 'row 2, column 904268ab-f416-4859-9fe1-06240c23e51f_percentX: "1.7" is not a number from 0 to 1' \
	"$bin" import sensemaker --db "$db" --definition "$sm/Wmo_Definition.json" --data "$dir/bad_data.csv"
eq "nothing stored: no script, collection, story, participant" "0|0|0|0" \
	"SELECT (SELECT count(*) FROM scripts), (SELECT count(*) FROM collections),
	        (SELECT count(*) FROM stories), (SELECT count(*) FROM participants)"
# A definition whose script does not lint cleanly is refused, with the lint errors.
sed 's/"blij of opgelucht maakte,<br>OF"/"zorgen of ergernis gaf."/' "$sm/Wmo_Definition.json" >"$dir/bad_def.json"
check "lint errors refused" 1 'lint errors and cannot be published \(nothing imported\): \[\{"level":"error"' \
	"$bin" import sensemaker --db "$db" --definition "$dir/bad_def.json" --data "$sm/Wmo_Data.csv"
eq "still nothing stored" "0|0|0" \
	"SELECT (SELECT count(*) FROM scripts), (SELECT count(*) FROM collections), (SELECT count(*) FROM stories)"
check "sm usage" 1 'usage' "$bin" import sensemaker --db "$db" --data "$sm/Wmo_Data.csv"
# ---- --skip-invalid: every valid row stored, every other one listed ----------------
db=$(cli_db "$dir/skip.db")
check "skip init" 0 '"organisation"' "$bin" init --db "$db"
check "skip script" 0 '"errors":0' "$bin" script import --db "$db" "$dir/script.json"
check "skip publish" 0 '"published"' "$bin" script status --db "$db" 1 1 published
check "skip collection" 0 '"id":1' "$bin" collection add --db "$db" --script 1 --title T --purpose P
# Row 4 spans lines 4-5, so row 5 is on line 6: the output gives both.
cat >"$dir/mixed.csv" <<'CSV'
verhaal,cijfer,gevoel
Een,3,goed
Twee,9,goed
"Drie
met een regel",4,blauw
Vier,2,goed,teveel
Vijf,5,slecht
,3,goed
CSV
check "mixed without flag: refused whole" 1 'row 3, column cijfer: Choose a point on the scale.*nothing imported' \
	"$bin" import stories --db "$db" --collection 1 "$dir/mixed.csv"
eq "mixed without flag: nothing stored" 0 "SELECT count(*) FROM stories"
check "mixed with flag: counts" 0 '^\{"imported":2,"already":0,"skipped":4,"skipped_rows":\[' \
	"$bin" import stories --db "$db" --collection 1 --skip-invalid "$dir/mixed.csv"
eq "mixed with flag: the valid rows stored" "Een|Vijf" \
	"SELECT group_concat(t, '|') FROM (SELECT json_extract(answers, '\$.verhaal.text') AS t
	 FROM stories ORDER BY t)" \
	"SELECT string_agg(answers::json #>> '{verhaal,text}', '|' ORDER BY answers::json #>> '{verhaal,text}')
	 FROM stories"
out=$("$bin" import stories --db "$db" --collection 1 --skip-invalid "$dir/mixed.csv" 2>&1)
check "again: already there, same rows skipped" 0 '^\{"imported":0,"already":2,"skipped":4,' echo "$out"
rows=$(printf '%s' "$out" | python3 -c '
import json,sys
for r in json.load(sys.stdin)["skipped_rows"]:
    print(r["row"], r["line"], r["column"], r["question"], r["reason"], r["detail"], sep="|")')
check "skipped: scale" 0 '^3\|3\|cijfer\|cijfer\|Choose a point on the scale\.' echo "$rows"
check "skipped: option, line of a two-line row" 0 $'\n''4\|4\|gevoel\|gevoel\|That is not one of the options\.\|blauw' echo "$rows"
check "skipped: ragged row, its line" 0 $'\n''5\|6\|None\|None\|4 fields, the header has 3\|' echo "$rows"
check "skipped: required story" 0 $'\n''8\|9\|verhaal\|verhaal\|This question needs an answer\.' echo "$rows"
check "skipped: in file order, nothing else" 0 '^4$' bash -c "printf '%s\n' \"\$1\" | wc -l" _ "$rows"
# A row whose id is stored with other content, or twice in the file with other
# answers, is left out too (and named).
u=1b4e28ba-2fa1-11d2-883f-0016d3cca427
printf 'id,verhaal\n%s,een\n' "$u" >"$dir/first.csv"
check "one story by id" 0 '"imported":1' "$bin" import stories --db "$db" --collection 1 "$dir/first.csv"
printf 'id,verhaal\n%s,anders\n2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d,nieuw\n2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d,ook nieuw\n' "$u" >"$dir/ids.csv"
check "ids without flag: refused" 1 "row 2, column id: story $u is stored already with other content" \
	"$bin" import stories --db "$db" --collection 1 "$dir/ids.csv"
out=$("$bin" import stories --db "$db" --collection 1 --skip-invalid "$dir/ids.csv" 2>&1)
check "ids with flag" 0 '^\{"imported":1,"already":0,"skipped":2,' echo "$out"
check "ids: stored with other content" 0 '"row":2,"line":2,"column":"id","question":null,"reason":"the story is stored already with other content"' echo "$out"
check "ids: twice in the file" 0 '"row":4,"line":4,"column":"id","question":null,"reason":"the story.s id is also in another row, with other answers","detail":"row 3"' echo "$out"
eq "ids: the first of the two stored" "nieuw" \
	"SELECT json_extract(answers, '\$.verhaal.text') FROM stories WHERE uuid = '2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d'" \
	"SELECT answers::json #>> '{verhaal,text}' FROM stories WHERE uuid = '2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d'"
check "help names the flag" 0 'skip-invalid' "$bin" help import

# SenseMaker: a dyad out of range (row 2) and an unknown item (row 5).
db=$(cli_db "$dir/sm3.db")
check "sm3 init" 0 '"organisation"' "$bin" init --db "$db"
sed -e 's/,0.3,0.7,0.3,,/,1.7,0.7,0.3,,/' \
	-e '/^"8d3f4100/s/d4c6e8fa-3e5a-4c9d-9f2b-4a6e8c0d2f53/onbekend-item/' "$sm/Wmo_Data.csv" >"$dir/bad_data.csv"
check "sm without flag: refused" 1 'row 2, column 904268ab-f416-4859-9fe1-06240c23e51f_percentX: "1.7" is not a number from 0 to 1 \(nothing imported\)' \
	"$bin" import sensemaker --db "$db" --definition "$sm/Wmo_Definition.json" --data "$dir/bad_data.csv"
eq "sm without flag: nothing stored" "0|0" "SELECT (SELECT count(*) FROM scripts), (SELECT count(*) FROM stories)"
out=$("$bin" import sensemaker --db "$db" --definition "$sm/Wmo_Definition.json" --data "$dir/bad_data.csv" --skip-invalid 2>&1)
check "sm with flag: counts" 0 '"stories":4,"imported":4,"already":0,.*"skipped":2,"skipped_rows":\[' echo "$out"
check "sm with flag: the dyad row" 0 '\{"row":2,"line":2,"column":"904268ab-f416-4859-9fe1-06240c23e51f_percentX","question":"904268ab-f416-4859-9fe1-06240c23e51f","reason":"\\"1.7\\" is not a number from 0 to 1","detail":""\}' echo "$out"
check "sm with flag: the item row" 0 '\{"row":5,"line":5,"column":"c3d5e7f9-2d4f-4b8c-8e1a-3f5d7b9c1e42","question":"c3d5e7f9-2d4f-4b8c-8e1a-3f5d7b9c1e42","reason":"That is not one of the options.","detail":"onbekend-item"\}\]\}$' echo "$out"
eq "sm with flag: four stories, not the bad ones" "4|0" \
	"SELECT count(*), sum(uuid IN ('5a0c1e00-b7a1-11ee-9c41-0242ac110003', '8d3f4100-b7a1-11ee-9c41-0242ac110003')) FROM stories" \
	"SELECT count(*), sum((uuid IN ('5a0c1e00-b7a1-11ee-9c41-0242ac110003', '8d3f4100-b7a1-11ee-9c41-0242ac110003'))::int) FROM stories"
check "sm again with flag: same collection, same skips" 0 '"new":false\},"stories":4,"imported":0,"already":4,.*"skipped":2,' \
	"$bin" import sensemaker --db "$db" --definition "$sm/Wmo_Definition.json" --data "$dir/bad_data.csv" --skip-invalid
finish "cli import"
