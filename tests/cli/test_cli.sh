#!/usr/bin/env bash
# test_cli.sh: the vertelpunt sub-commands as an administrator uses them, including bad input.
# usage: test_cli.sh BINARY
set -u
bin=${1:?usage: test_cli.sh BINARY}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/var/vp.db"

. "$(dirname "$0")/lib.sh"
db=$(cli_db "$db") # a PostgreSQL schema under make cli-pg

check help 0 'serve .*init .*migrate .*user .*version' bash -c "'$bin' help | tr '\n' ' '"
check help-user 0 'reset-password USERNAME' "$bin" help user
check help-unknown 1 "no command 'nope'" "$bin" help nope
check unknown-command 1 'unknown command' "$bin" frobnicate
check version 0 '"schema":[0-9]+' "$bin" version
check init 0 '"initialised":true.*"one_time_password":"[a-z0-9]{4}(-[a-z0-9]{4}){4}"' "$bin" init --db "$db"
check init-again 0 '"initialised":false' "$bin" init --db "$db"
check migrate 0 '"applied":\[\],"schema":[0-9]+' "$bin" migrate --db "$db"
check user-add 0 '"username":"jansen".*"role":"gespreksvoerder".*"one_time_password"' \
	"$bin" user add jansen --name "Jan Jansen" --role gespreksvoerder --db "$db"
check user-add-dup 1 "taken" "$bin" user add jansen --name "Jan" --role meelezer --db "$db"
check user-add-badrole 1 "needs --role" "$bin" user add piet --name "Piet" --role koning --db "$db"
check user-add-badname 1 "lower-case" "$bin" user add "Piet Puk" --name "Piet" --role meelezer --db "$db"
check user-add-noname 1 "needs --name" "$bin" user add piet --role meelezer --db "$db"
check user-list 0 '"username":"beheerder".*"username":"jansen"' "$bin" user list --db "$db"
check user-list-nohash 0 'clean' bash -c "'$bin' user list --db '$db' | grep -q argon2 || echo clean"
check set-role 0 '"role":"onderzoeker"' "$bin" user set-role jansen onderzoeker --db "$db"
check set-role-bad 1 "unknown role" "$bin" user set-role jansen koning --db "$db"
check set-role-missing 1 "no account 'niemand'" "$bin" user set-role niemand meelezer --db "$db"
check disable 0 '"username":"jansen"' "$bin" user disable jansen --db "$db"
check disabled-listed 0 '"username":"jansen"[^}]*"disabled":true' "$bin" user list --db "$db"
check enable 0 '"username":"jansen"' "$bin" user enable jansen --db "$db"
check reset 0 '"one_time_password":"[a-z0-9-]{24}"' "$bin" user reset-password jansen --db "$db"
check reset-missing 1 "no account" "$bin" user reset-password niemand --db "$db"
check user-noaction 1 "which action" "$bin" user --db "$db"
check user-badaction 1 "unknown action" "$bin" user fly jansen --db "$db"
check serve-badlisten 1 "wants ADDRESS:PORT" "$bin" serve --db "$db" --listen nonsense
check serve-badnumber 1 "--threads wants a positive number" "$bin" serve --db "$db" --threads -3
check serve-bad-public-url 1 "--public-url wants the address" "$bin" serve --db "$db" --public-url "vertelpunt.nl"
check serve-public-url-path 1 "--public-url wants the address" "$bin" serve --db "$db" --public-url "https://x.nl/pad"
check db-unreadable 1 "cannot (open database|create the folder)" "$bin" migrate --db /proc/nope/x.db
# The access log: every account change above is in it, and its chain holds.
check help-audit 0 'verify.*list' bash -c "'$bin' help audit | tr '\n' ' '"
check audit-verify 0 '^\{"ok":true,"rows":[0-9]+,"seals":0,"seals_checked":0,"seals_unchecked":0,"last_sealed_entry":0\}$' "$bin" audit verify --db "$db"
check audit-list-user-add 0 '"actor":"cli:[^"]+","action":"create","object_type":"user","object_id":"jansen","subject_code":null,"origin":"cli","detail":"role=gespreksvoerder"' \
	"$bin" audit list --db "$db"
check audit-list-init 0 '"action":"create","object_type":"user","object_id":"beheerder"' "$bin" audit list --db "$db"
check audit-list-limit 0 '^\[\{"id":[0-9]+,[^]]*"detail":"password reset"[^]]*\}\]$' \
	"$bin" audit list --limit 1 --db "$db"
check audit-list-subject 0 '^\[\]$' "$bin" audit list --subject P-NOBODY --db "$db"
check audit-list-badlimit 1 "--limit wants a number" "$bin" audit list --limit 0 --db "$db"
check audit-noaction 1 "which action" "$bin" audit --db "$db"
check audit-badaction 1 "unknown action 'erase'" "$bin" audit erase --db "$db"
check audit-update-refused 1 "append-only" cli_sql "$db" "UPDATE audit_log SET detail = 'x'"
check audit-delete-refused 1 "append-only" cli_sql "$db" 'DELETE FROM audit_log'
# staff accounts linked to an outside identity (OpenID Connect, docs/oidc.md)
check link-identity 0 '"user":"beheerder","issuer":"https://idp.example","subject":"s-1","linked":true' \
	"$bin" user link-identity beheerder --issuer https://idp.example --subject s-1 --db "$db"
check link-identity-other 1 "linked to another account" \
	"$bin" user link-identity jansen --issuer https://idp.example --subject s-1 --db "$db"
check link-identity-nouser 1 "no user niemand" \
	"$bin" user link-identity niemand --issuer https://idp.example --subject s-2 --db "$db"
check link-identity-usage 1 "usage: vertelpunt user link-identity" \
	"$bin" user link-identity beheerder --issuer https://idp.example --db "$db"
check unlink-identity 0 '"linked":false' \
	"$bin" user unlink-identity beheerder --issuer https://idp.example --subject s-1 --db "$db"
check unlink-identity-again 1 "no such link" \
	"$bin" user unlink-identity beheerder --issuer https://idp.example --subject s-1 --db "$db"
# trajectories (docs/privacy.md, "Who sees what")
check trajectory-add 0 '^\{"id":1,"slug":"herinrichting-cafe-plein","public_page":"/meedoen/herinrichting-cafe-plein"\}$' \
	"$bin" trajectory add --title "Herinrichting Café-plein" --ladder adviseren --db "$db"
check trajectory-add-again 0 '"slug":"herinrichting-cafe-plein-2"' \
	"$bin" trajectory add --title "Herinrichting Café-plein" --db "$db"
check trajectory-add-badrung 1 "rung of the participation ladder" \
	"$bin" trajectory add --title X --ladder hoogste --db "$db"
check trajectory-add-baddate 1 "start date" \
	"$bin" trajectory add --title X --from 2026-13-01 --db "$db"
check trajectory-add-notitle 1 "usage: vertelpunt trajectory add" "$bin" trajectory add --db "$db"
# with its plan: described, re-encoded into the upload folder next to the database
here_cli=$(cd "$(dirname "$0")" && pwd)
check trajectory-add-picture-noalt 1 "describe the picture with --picture-alt" \
	"$bin" trajectory add --title Plan --picture "$here_cli/../../templates/voorbeeldkaart.png" --db "$db"
check trajectory-add-picture-bad 1 "Only JPEG and PNG images" \
	"$bin" trajectory add --title Plan --picture "$0" --picture-alt "Kaart" --db "$db"
check trajectory-add-picture 0 '"picture":"/uploads/[0-9a-f]{32}"' \
	"$bin" trajectory add --title "Plan met kaart" --picture "$here_cli/../../templates/voorbeeldkaart.png" \
	--picture-alt "Kaart van de wijk" --db "$db"
check trajectory-picture-stored 0 '"material_alt":"Kaart van de wijk"' "$bin" trajectory show \
	"$(cli_sql "$db" "SELECT max(id) FROM trajectories")" --db "$db" # ids: PostgreSQL's skip after a failed insert
check trajectory-picture-file 0 '^1$' sh -c "ls '$(cli_upload_dir "$db")' | grep -c '^[0-9a-f]\{32\}\$'"
check trajectory-list 0 '"missing":\["scope","selection_rationale","contact_route"\]' \
	"$bin" trajectory list --db "$db"
check trajectory-assign 0 '"assigned":true,"responsible":true' \
	"$bin" trajectory assign 1 beheerder --responsible --db "$db"
check trajectory-unassign-last 1 "last responsible official" \
	"$bin" trajectory unassign 1 beheerder --db "$db"
check trajectory-show 0 '"staff":\[\{"id":[0-9]+,"username":"beheerder"' "$bin" trajectory show 1 --db "$db"
check trajectory-show-missing 1 "no trajectory 99" "$bin" trajectory show 99 --db "$db"
# made-up group conversations for the demo: all or nothing, contact data sealed
check trajectory-demo 0 '"registered":20,"waiting":2,"placed":20,"mirror_conversation":[0-9]+,"initiative":[0-9]+' \
	"$bin" trajectory demo 1 beheerder --db "$db"
check trajectory-demo-rows 0 '^1\|20\|2\|1\|collaboration$' cli_sql "$db" \
	"SELECT (SELECT count(*) FROM dialogue_sessions), (SELECT count(*) FROM dialogue_registrations WHERE status = 'registered' AND table_id IS NOT NULL), (SELECT count(*) FROM dialogue_registrations WHERE status = 'waiting'), (SELECT count(*) FROM conversations WHERE kind = 'mirror'), (SELECT status FROM initiatives)"
check trajectory-demo-sealed 1 '^0$' bash -c "$(declare -f cli_dump); cli_dump '$db' | grep -ac 'anouk.devries@example.com'"
check trajectory-demo-again 1 "nothing was added" "$bin" trajectory demo 1 beheerder --db "$db"
check trajectory-demo-again-rows 0 '^1\|1$' cli_sql "$db" \
	"SELECT (SELECT count(*) FROM dialogue_sessions), (SELECT count(*) FROM initiatives)"
check trajectory-demo-nouser 1 "no user nobody" "$bin" trajectory demo 1 nobody --db "$db"
check trajectory-demo-usage 1 "usage: vertelpunt trajectory demo" "$bin" trajectory demo --db "$db"
if [ -z "${VP_CLI_PG:-}" ]; then
	tampered="$dir/tampered.db"
	cp "$db" "$tampered"
	sqlite3 "$tampered" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'x' WHERE id = 2"
else # PostgreSQL: a schema is not copied like a file; tampered in place, then put back
	tampered=$db
	actor=$(cli_sql "$db" "SELECT actor FROM audit_log WHERE id = 2")
	cli_sql "$db" "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'x' WHERE id = 2"
fi
check audit-tampered 1 '^\{"ok":false,"rows_checked":1,"first_bad_id":2\}$' "$bin" audit verify --db "$tampered" --key "$dir/tampered.key"
check audit-tampered-msg 1 'chain breaks at entry 2' "$bin" audit verify --db "$tampered" --key "$dir/tampered.key"
[ -n "${VP_CLI_PG:-}" ] && cli_sql "$db" "UPDATE audit_log SET actor = '$actor' WHERE id = 2; ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update"
check audit-verify-after 0 '"ok":true' "$bin" audit verify --db "$db"
finish cli
