#!/usr/bin/env bash
# test_privacy.sh: contact data is sealed at rest, found by blind index, survives key rotation,
# and the key file is guarded. usage: test_privacy.sh BINARY
set -u
bin=${1:?usage: test_privacy.sh BINARY}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/var/vp.db"
key="$dir/var/vp.key"

. "$(dirname "$0")/lib.sh"

NAME="Wilhelmina Zonnebloem-Achterberg"
EMAIL="w.zonnebloem@voorbeeld-mail.nl"
PHONE="06-98765432"
ADDRESS="Kastanjelaan 417, 9999 ZZ Nergenshuizen"

check init-creates-key 0 '"initialised":true' "$bin" init --db "$db"
check key-mode 0 '^600$' stat -c %a "$key"
# The database and its folder are the program's alone (umask 077 from the start).
check db-mode 0 '^600$' stat -c %a "$db"
check db-folder-mode 0 '^700$' stat -c %a "$dir/var"
check key-format 0 '^vpkey1 1 [0-9a-f]{64}$' grep -v '^#' "$key"
out=$("$bin" participant add --db "$db" --name "$NAME" --email "$EMAIL" --phone "$PHONE" --address "$ADDRESS")
code=$(printf '%s' "$out" | sed -n 's/.*"code":"\(VP-[A-Z0-9]\{4\}-[A-Z0-9]\{4\}\)".*/\1/p')
check participant-add 0 'VP-' echo "$code"
check participant-add-bad-email 1 'e-mail address is not valid' "$bin" participant add --db "$db" --email nope
check participant-add-bad-phone 1 'phone number is not valid' "$bin" participant add --db "$db" --phone "call me"
check find-by-code 0 "\"email\":\"$EMAIL\"" "$bin" participant find "$code" --db "$db"
check find-by-code-lower 0 "\"code\":\"$code\"" "$bin" participant find "$(printf '%s' "$code" | tr A-Z a-z)" --db "$db"
check find-by-email-case 0 "\"code\":\"$code\"" "$bin" participant find "  W.Zonnebloem@VOORBEELD-mail.nl " --db "$db"
check find-by-phone-intl 0 "\"code\":\"$code\"" "$bin" participant find "+31 6 98765432" --db "$db"
check find-by-name 0 "\"code\":\"$code\"" "$bin" participant find "wilhelmina  zonnebloem-achterberg" --db "$db"
check find-nothing 0 '^\[\]$' "$bin" participant find "niemand@example.org" --db "$db"

# A copy of the database (and its WAL) alone reveals no contact detail.
leak() {
	for f in "$db" "$db-wal"; do
		[ -f "$f" ] || continue
		for v in "$NAME" "$EMAIL" "$PHONE" "Kastanjelaan" "Zonnebloem" "98765432"; do
			strings -n 6 "$f" | grep -qiF -- "$v" && echo "leak: $v in $f"
		done
	done
	echo checked
}
check no-clear-text 0 '^checked$' leak

# A server holding the database open: the WAL must not leak either.
"$bin" serve --db "$db" --listen 127.0.0.1:0 2>"$dir/serve.log" &
spid=$!
sleep 1
"$bin" participant add --db "$db" --name "$NAME" --email "$EMAIL" >/dev/null
check no-clear-text-wal 0 '^checked$' leak
kill "$spid"
wait "$spid" 2>/dev/null
check serve-seals-log 0 'audit-seal.*seal 1: entry [0-9]+, hash [0-9a-f]{64}, key 1' cat "$dir/serve.log"

# Correction replaces the sealed data and the indexes.
check correct 0 "\"code\":\"$code\"" "$bin" participant correct "$code" --db "$db" --email "nieuw@voorbeeld-mail.nl"
check correct-found 0 "\"code\":\"$code\"" "$bin" participant find "nieuw@voorbeeld-mail.nl" --db "$db"
check correct-old-gone 0 '^\[(\{"id":[0-9]+,"code":"VP-[^"]*","created_at":"[^"]*","contact":\{[^}]*\}\})?\]$' \
	"$bin" participant find "$EMAIL" --db "$db"
check correct-missing 1 "no participant with code" "$bin" participant correct VP-AAAA-AAAA --db "$db" --email a@b.nl

# The access log's head: sealed with a key from the key file, checked with it.
check audit-seal 0 '"sealed":true,"seal_id":2,"log_id":[0-9]+,"log_hash":"[0-9a-f]{64}","key_id":1' "$bin" audit seal --db "$db"
check audit-seal-still 0 '"sealed":false,"seal_id":2' "$bin" audit seal --db "$db"
check audit-verify-seals 0 '"ok":true,"rows":[0-9]+,"seals":2,"seals_checked":2,"seals_unchecked":0' "$bin" audit verify --db "$db"
check audit-verify-no-key 0 'seals: not checked \(no key file' "$bin" audit verify --db "$db" --key "$dir/none.key"
check audit-seal-no-key 1 'cannot open the key file' "$bin" audit seal --db "$db" --key "$dir/none.key"
check audit-seal-extra 1 'seal takes no arguments' "$bin" audit seal --db "$db" now

# Someone with the file rewrites the log and recomputes every hash (the
# encoding is public): the chain alone verifies, the seals do not.
sqlite3 "$db" ".backup '$dir/rewritten.db'"
rewrite() {
	python3 - "$dir/rewritten.db" <<'PY'
import hashlib, sqlite3, struct, sys
f = lambda s: struct.pack(">Q", 2**64 - 1) if s is None else struct.pack(">Q", len(s.encode())) + s.encode()
c = sqlite3.connect(sys.argv[1])
c.execute("DROP TRIGGER audit_log_no_update")
prev = None
for r in c.execute("SELECT id, at, actor_user_id, actor, action, object_type, object_id, subject_code, origin, detail, prev_hash FROM audit_log ORDER BY id").fetchall():
    r = list(r)
    if r[0] == 1:
        r[3] = "someone else"
    if prev is not None:
        r[10] = prev
    fields = ["vertelpunt audit_log v1", r[10], str(r[0]), str(r[1]), None if r[2] is None else str(r[2])] + r[3:10]
    prev = hashlib.blake2b(b"".join(map(f, fields)), digest_size=32).hexdigest()
    c.execute("UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?", (r[3], r[10], prev, r[0]))
c.commit()
print("rewritten")
PY
}
check audit-rewrite 0 '^rewritten$' rewrite
check audit-rewrite-chain-fooled 0 '"ok":true,"rows":[0-9]+,"seals":"not checked' "$bin" audit verify --db "$dir/rewritten.db" --key "$dir/none.key"
check audit-rewrite-found 1 'rewritten: the seal of entry [0-9]+ does not match' "$bin" audit verify --db "$dir/rewritten.db" --key "$key"
check audit-rewrite-not-resealed 1 'nothing sealed' "$bin" audit seal --db "$dir/rewritten.db" --key "$key"
sqlite3 "$db" ".backup '$dir/forged.db'"
sqlite3 "$dir/forged.db" "DROP TRIGGER audit_seals_no_update; UPDATE audit_seals SET mac = replace(mac, substr(mac, 1, 1), CASE substr(mac, 1, 1) WHEN '0' THEN '1' ELSE '0' END) WHERE id = 2"
check audit-forged-seal 1 'the seal of entry [0-9]+ does not match' "$bin" audit verify --db "$dir/forged.db" --key "$key"

# Rotation: a new key, everything re-sealed, the old key gone, still readable.
oldkey=$(grep -v '^#' "$key")
check rotate 0 '"old_key":1,"new_key":2,"resealed":2,"audit_seal":3' "$bin" key rotate --db "$db"
check rotate-logged 0 '"action":"seal","object_type":"audit_log","object_id":"2".*2 of 2 seals were made with older keys' "$bin" audit list --db "$db" --limit 1
check rotate-verify 0 '"ok":true,"rows":[0-9]+,"seals":3,"seals_checked":1,"seals_unchecked":2' "$bin" audit verify --db "$db"
check rotated-one-key 0 '^1$' bash -c "grep -c '^vpkey1 2 ' '$key'"
check rotated-old-gone 0 '^gone$' bash -c "grep -qF '$oldkey' '$key' && echo present || echo gone"
check rotated-mode 0 '^600$' stat -c %a "$key"
check readable-after-rotate 0 "\"email\":\"nieuw@voorbeeld-mail.nl\"" "$bin" participant find "$code" --db "$db"
check index-after-rotate 0 "\"code\":\"$code\"" "$bin" participant find "+31698765432" --db "$db"
check no-clear-text-after-rotate 0 '^checked$' leak

# The old key opens nothing any more; a wrong key is an error, not garbage.
printf '# old\n%s\n' "$oldkey" > "$dir/old.key"
chmod 600 "$dir/old.key"
check old-key-fails 0 '"contact":null,"contact_error":true' "$bin" participant find "$code" --db "$db" --key "$dir/old.key"

# The key file is guarded.
chmod 644 "$key"
check key-too-open 1 'may be read by others' "$bin" participant find "$code" --db "$db"
check serve-refuses-open-key 1 'may be read by others' "$bin" serve --db "$db" --listen 127.0.0.1:0
chmod 600 "$key"
check key-missing 1 'cannot open the key file' "$bin" participant find x --db "$db" --key "$dir/none.key"
printf 'vpkey1 1 nothex\n' > "$dir/bad.key"
chmod 600 "$dir/bad.key"
check key-bad 1 'bad line 1' "$bin" participant find x --db "$db" --key "$dir/bad.key"
check init-keeps-key 0 '"initialised":false' "$bin" init --db "$db"
check init-kept-key 0 "^vpkey1 2 " grep -v '^#' "$key"

# Consent: the exact text, the channel; withdrawal only of one's own consent.
printf 'Ik geef toestemming om mijn verhaal te gebruiken voor onderzoek naar de Wmo.\n' > "$dir/consent.txt"
check consent 0 '"consent":[0-9]+' "$bin" participant consent "$code" --db "$db" --purpose wmo-onderzoek --version 2026-1 --text-file "$dir/consent.txt" --channel kiosk
check consent-bad-channel 1 'channel is one of' "$bin" participant consent "$code" --db "$db" --purpose p --version 1 --text-file "$dir/consent.txt" --channel pigeon
check consent-no-text 1 'usage' "$bin" participant consent "$code" --db "$db" --purpose p --version 1
other=$("$bin" participant add --db "$db" --name "Ander Persoon" | sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
cid=$("$bin" participant export "$code" --db "$db" | sed -n 's/.*"consents":\[{"id":\([0-9]*\).*/\1/p')
check withdraw-other 1 'no such consent' "$bin" participant withdraw "$other" "$cid" --db "$db"
check withdraw 0 "\"consent\":$cid" "$bin" participant withdraw "$code" "$cid" --db "$db" --channel phone
check withdraw-twice 1 'withdrawn already' "$bin" participant withdraw "$code" "$cid" --db "$db"
check export-json 0 '"withdrawn_channel":"phone".*"text":"Ik geef toestemming' "$bin" participant export "$code" --db "$db"
check export-log 0 '"access_log":\[\{[^]]*"action":"export"' "$bin" participant export "$code" --db "$db"
check export-html 0 '<h1>Uw gegevens in Vertelpunt</h1>' "$bin" participant export "$code" --db "$db" --format html
check export-html-en 0 '<html lang="en">' "$bin" participant export "$code" --db "$db" --format html --lang en
check export-missing 1 "no participant with code" "$bin" participant export VP-AAAA-AAAA --db "$db"
check export-badformat 1 'usage' "$bin" participant export "$code" --db "$db" --format pdf
check audit-about-person 0 '"action":"view".*"subject_code":"'"$code"'"' "$bin" audit list --db "$db" --subject "$code"
check audit-verify 0 '"ok":true' "$bin" audit verify --db "$db"

# Erasure: gone from the tables, the file and the WAL; the log keeps only the code.
check erase-needs-yes 1 'cannot be undone' "$bin" participant erase "$code" --db "$db"
check erase 0 '"erased":true' "$bin" participant erase "$code" --db "$db" --yes
check erased-gone 0 '^\[\]$' "$bin" participant find "$code" --db "$db"
check erased-consents-gone 0 '^0$' sqlite3 "$db" "SELECT COUNT(*) FROM consents c JOIN participants p ON p.id = c.participant_id WHERE p.code = '$code'"
check erased-texts-no-name 0 '^checked$' leak
check erased-logged 0 '"action":"delete"' "$bin" audit list --db "$db" --subject "$code"
finish privacy
