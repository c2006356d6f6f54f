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

# Correction replaces the sealed data and the indexes.
check correct 0 "\"code\":\"$code\"" "$bin" participant correct "$code" --db "$db" --email "nieuw@voorbeeld-mail.nl"
check correct-found 0 "\"code\":\"$code\"" "$bin" participant find "nieuw@voorbeeld-mail.nl" --db "$db"
check correct-old-gone 0 '^\[(\{"id":[0-9]+,"code":"VP-[^"]*","created_at":"[^"]*","contact":\{[^}]*\}\})?\]$' \
	"$bin" participant find "$EMAIL" --db "$db"
check correct-missing 1 "no participant with code" "$bin" participant correct VP-AAAA-AAAA --db "$db" --email a@b.nl

# Rotation: a new key, everything re-sealed, the old key gone, still readable.
oldkey=$(grep -v '^#' "$key")
check rotate 0 '"old_key":1,"new_key":2,"resealed":2' "$bin" key rotate --db "$db"
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
