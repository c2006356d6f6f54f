#!/usr/bin/env bash
# test_backup.sh: encrypted online backups and checked restores from the command line, with bad input.
# usage: test_backup.sh BINARY
set -u
bin=${1:?usage: test_backup.sh BINARY}
dir=$(mktemp -d)
spid=
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$dir"' EXIT
db="$dir/var/vp.db"
key="$dir/var/vp.key"
bak="$dir/backups/vp-1.vpbackup"
restored="$dir/restored/vp.db"

. "$(dirname "$0")/lib.sh"

# absent NAME FILE: nothing was written there.
absent() {
	if [ ! -e "$2" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		echo "FAIL $1: $2 exists"
	fi
}

# No temporary file of a backup or restore left anywhere under $dir.
leftovers() {
	find "$dir" \( -name '*.plain-*' -o -name '*.restore-*' -o -name '*.tmp-*' \
		-o -name 'vertelpunt-check-*' \) -print
	echo checked
}

NAME="Geertruida Klaprozenveld"
EMAIL="g.klaprozenveld@voorbeeld-mail.nl"
PHONE="06-24681357"
ADDRESS="Meidoornhof 88, 9999 XY Nergenshuizen"

check init 0 '"initialised":true' "$bin" init --db "$db"
check user-add 0 '"username":"jansen"' "$bin" user add jansen --name "Jan Jansen" --role gespreksvoerder --db "$db"
out=$("$bin" participant add --db "$db" --name "$NAME" --email "$EMAIL" --phone "$PHONE" --address "$ADDRESS")
code=$(printf '%s' "$out" | sed -n 's/.*"code":"\(VP-[A-Z0-9]\{4\}-[A-Z0-9]\{4\}\)".*/\1/p')
check participant-add 0 'VP-' echo "$code"
check participant-add-2 0 '"code":"VP-' "$bin" participant add --db "$db" --name "Piet Puk" --email "piet@example.org"
mkdir -p "$dir/backups"

# ---- backup -----------------------------------------------------------------
check help-backup 0 'usage: vertelpunt backup' "$bin" help backup
check help-restore 0 'usage: vertelpunt restore' "$bin" help restore
check help-lists 0 'backup .*restore ' bash -c "'$bin' help | tr '\n' ' '"
json='"file":"[^"]*","bytes":[0-9]+,"db_bytes":[0-9]+,"key":1,"schema":[0-9]+,"created":"[0-9T:Z-]+","sha256":"[0-9a-f]{64}"'
check backup 0 "^\{$json\}$" "$bin" backup --db "$db" --out "$bak"
check backup-mode 0 '^600$' stat -c %a "$bak"
sha=$("$bin" restore --check --from "$bak" --key "$key" | sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p')
check backup-sha256 0 "^$sha " sha256sum "$bak"
check backup-magic 0 '^VPBACKUP1$' head -n 1 "$bak"

# Encrypted: no contact detail, no table name, no SQLite header in it.
leak() {
	for v in "$NAME" "$EMAIL" "$PHONE" "Klaprozenveld" "Meidoornhof" "24681357" "Piet Puk" \
		"jansen" "Jan Jansen" "beheerder" "Gemeente Voorbeeld" "participants" "participant_contacts" \
		"schema_migrations" "users" "CREATE TABLE" "SQLite format"; do
		strings -n 4 "$bak" | grep -qiF -- "$v" && echo "leak: $v"
	done
	echo checked
}
check backup-no-clear-text 0 '^checked$' leak
check backup-no-leftovers 0 '^checked$' leftovers

check backup-exists 1 'exists already; choose another name or use --force' "$bin" backup --db "$db" --out "$bak"
check backup-force 0 "^\{$json\}$" "$bin" backup --db "$db" --out "$bak" --force
check backup-check 0 '"checked":true' "$bin" backup --db "$db" --out "$dir/backups/vp-2.vpbackup" --check
check backup-no-out 1 '^vertelpunt backup: --out FILE is missing' "$bin" backup --db "$db"
check backup-no-db 1 '^vertelpunt backup: no database at ' "$bin" backup --db "$dir/none.db" --key "$key" --out "$dir/backups/x"
absent backup-no-db-created "$dir/none.db"
check backup-bad-option 1 "^vertelpunt backup: unknown option '--nope'" "$bin" backup --db "$db" --out "$dir/backups/y" --nope
check backup-extra-arg 1 "unexpected argument 'later'" "$bin" backup --db "$db" --out "$dir/backups/y" later
check backup-over-db 1 'is the database or its key file' "$bin" backup --db "$db" --out "$db" --force
check backup-over-key 1 'is the database or its key file' "$bin" backup --db "$db" --out "$key" --force
check backup-no-folder 1 'the folder .* does not exist' "$bin" backup --db "$db" --out "$dir/nowhere/b.vpbackup"
check backup-bad-key 1 'cannot open the key file' "$bin" backup --db "$db" --key "$dir/none.key" --out "$dir/backups/z"
absent backup-bad-key-nothing "$dir/backups/z"

# ---- restore ----------------------------------------------------------------
check restore-check 0 "^\{\"ok\":true,$json\}$" "$bin" restore --check --from "$bak" --key "$key"
check restore 0 "^\{\"restored\":\"[^\"]*\",\"from\":\"[^\"]*\",.*\"previous\":null\}$" \
	"$bin" restore --from "$bak" --to "$restored" --key "$key"
check restored-mode 0 '^600$' stat -c %a "$restored"
check restored-find-code 0 "\"email\":\"$EMAIL\"" "$bin" participant find "$code" --db "$restored" --key "$key"
check restored-find-email 0 "\"code\":\"$code\"" "$bin" participant find "$EMAIL" --db "$restored" --key "$key"
check restored-find-phone 0 "\"code\":\"$code\"" "$bin" participant find "+31 6 24681357" --db "$restored" --key "$key"
"$bin" user list --db "$db" >"$dir/users-a.json" 2>/dev/null
"$bin" user list --db "$restored" >"$dir/users-b.json" 2>/dev/null
check restored-users-same 0 '^same$' bash -c "cmp -s '$dir/users-a.json' '$dir/users-b.json' && grep -q jansen '$dir/users-a.json' && echo same"
check restored-audit 0 '"ok":true' "$bin" audit verify --db "$restored"
check restore-no-leftovers 0 '^checked$' leftovers

check restore-exists 1 'exists; restore does not replace a database without --force' \
	"$bin" restore --from "$bak" --to "$restored" --key "$key"
check restore-no-from 1 '^vertelpunt restore: --from BACKUP is missing' "$bin" restore --to "$dir/r1.db" --key "$key"
check restore-no-to 1 '^vertelpunt restore: --to DBFILE is missing' "$bin" restore --from "$bak" --key "$key"
check restore-check-to 1 'takes no --to or --force' "$bin" restore --check --from "$bak" --to "$dir/r1.db" --key "$key"
check restore-bad-option 1 "unknown option '--db'" "$bin" restore --from "$bak" --db "$dir/r1.db" --key "$key"
check restore-missing 1 'cannot open the backup' "$bin" restore --from "$dir/none.vpbackup" --to "$dir/r1.db" --key "$key"
absent restore-missing-nothing "$dir/r1.db"
check restore-not-backup 1 'is not a Vertelpunt backup' "$bin" restore --from "$db" --to "$dir/r1.db" --key "$key"
check restore-not-backup-text 1 'is not a Vertelpunt backup' "$bin" restore --check --from "$key" --key "$key"
absent restore-not-backup-nothing "$dir/r1.db"

# Damage: a cut anywhere, a flipped byte anywhere.
size=$(stat -c %s "$bak")
for cut in 50 121 500 $((size - 1)); do
	head -c "$cut" "$bak" >"$dir/cut.vpbackup"
	check "restore-cut-$cut" 1 'is incomplete \(cut short\)' "$bin" restore --from "$dir/cut.vpbackup" --to "$dir/r1.db" --key "$key"
	absent "restore-cut-$cut-nothing" "$dir/r1.db"
done
for at in 12 30 100 200 $((size / 2)) $((size - 3)); do
	cp "$bak" "$dir/flip.vpbackup"
	b=$(od -An -tu1 -j "$at" -N1 "$dir/flip.vpbackup" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$dir/flip.vpbackup" bs=1 seek="$at" conv=notrunc 2>/dev/null
	check "restore-flip-$at" 1 'is damaged' "$bin" restore --from "$dir/flip.vpbackup" --to "$dir/r1.db" --key "$key"
	absent "restore-flip-$at-nothing" "$dir/r1.db"
	check "restore-check-flip-$at" 1 'is damaged' "$bin" restore --check --from "$dir/flip.vpbackup" --key "$key"
done
cat "$bak" <(printf 'x') >"$dir/long.vpbackup"
check restore-extra-data 1 'data after its end' "$bin" restore --check --from "$dir/long.vpbackup" --key "$key"

# Another installation's key (the same key id 1, another key).
check other-init 0 '"initialised":true' "$bin" init --db "$dir/other/o.db"
check restore-wrong-key 1 'not the one the backup was made with' \
	"$bin" restore --from "$bak" --to "$dir/r1.db" --key "$dir/other/o.key"
absent restore-wrong-key-nothing "$dir/r1.db"
check restore-no-key 1 "cannot open the key file" "$bin" restore --from "$bak" --to "$dir/r1.db" --key "$dir/none.key"
check restore-default-key 1 "no key file at .*r1.key: name the key file" "$bin" restore --from "$bak" --to "$dir/r1.db"

# After a key rotation the old backup needs the old key file, kept with it.
cp -p "$key" "$dir/backups/vp-1.key"
check rotate 0 '"old_key":1,"new_key":2' "$bin" key rotate --db "$db"
check restore-rotated-key 1 'made with key 1, which this key file does not have' \
	"$bin" restore --check --from "$bak" --key "$key"
check restore-kept-key 0 '"ok":true' "$bin" restore --check --from "$bak" --key "$dir/backups/vp-1.key"
check backup-new-key 0 '"key":2' "$bin" backup --db "$db" --out "$dir/backups/vp-3.vpbackup"
check restore-new-key 0 '"key":2' "$bin" restore --check --from "$dir/backups/vp-3.vpbackup" --key "$key"

# Online: a backup while a server holds the database and a writer adds to it.
"$bin" serve --db "$db" --listen 127.0.0.1:0 2>"$dir/serve.log" &
spid=$!
sleep 1
check online-add 0 '"code":"VP-' "$bin" participant add --db "$db" --name "Tijdens Backup" --email "tijdens@example.org"
check online-backup 0 '"key":2' "$bin" backup --db "$db" --out "$dir/backups/vp-4.vpbackup" --check
check online-restore-running 1 'vp.db-(wal|shm) exists: a server has the database open' \
	"$bin" restore --from "$dir/backups/vp-4.vpbackup" --to "$db" --force
kill "$spid"
wait "$spid" 2>/dev/null
spid=
check online-restore-new 0 '"restored"' "$bin" restore --from "$dir/backups/vp-4.vpbackup" --to "$dir/r4/vp.db" --key "$key"
check online-restored-find 0 '"email":"tijdens@example.org"' "$bin" participant find "tijdens@example.org" --db "$dir/r4/vp.db" --key "$key"

# --force over the stopped server's database keeps the old file aside.
check restore-force 0 '"previous":"[^"]*vp\.db\.before-restore-[0-9T:Z-]+"' \
	"$bin" restore --from "$dir/backups/vp-4.vpbackup" --to "$db" --force
check restore-force-kept 0 '^1$' bash -c "ls '$dir/var' | grep -c 'vp.db.before-restore-'"
check restore-force-find 0 "\"code\":\"$code\"" "$bin" participant find "$EMAIL" --db "$db"
check final-no-leftovers 0 '^checked$' leftovers
finish backup
