#!/usr/bin/env bash
# run-demo.sh: what `make run` does after building: initialise var/vertelpunt.db once, then serve.
# usage: run-demo.sh BINARY   (LISTEN and DB may be set in the environment)
set -euo pipefail
bin=${1:-build/vertelpunt}
db=${DB:-var/vertelpunt.db}
listen=${LISTEN:-127.0.0.1:8080}
mkdir -p "$(dirname "$db")"
out=$("$bin" init --db "$db")
if printf '%s' "$out" | grep -q '"initialised":true'; then
	pw=$(printf '%s' "$out" | sed -n 's/.*"one_time_password":"\([^"]*\)".*/\1/p')
	org=$(printf '%s' "$out" | sed -n 's/.*"organisation":"\([^"]*\)".*/\1/p')
	# The demo: the script library as drafts, the open vertelpunt published
	# and collecting.
	for t in $("$bin" script templates | sed 's/"name":"\([^"]*\)"/\n\1\n/g' | grep '\.json$'); do
		"$bin" script add-template --db "$db" "$t" >/dev/null
	done
	sid=$("$bin" script list --db "$db" | tr '{' '\n' | grep '"key":"open-vertelpunt"' |
		sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -1)
	link=
	if [ -n "$sid" ] && "$bin" script status --db "$db" "$sid" 1 published >/dev/null; then
		link=$("$bin" collection add --db "$db" --script "$sid" \
			--title "Open vertelpunt (demo)" --purpose "Een demo: vertel over uw buurt." |
			sed -n 's/.*"link":"\([^"]*\)".*/\1/p')
	fi
	# A demo trajectory with its public page, the kitchen-table method, and
	# the administrator on it (docs/user-guide.nl.md, "Trajecten").
	tj=$("$bin" trajectory add --db "$db" --title "Herinrichting van het Dorpsplein (demo)" \
		--question "Hoe wilt u het plein gebruiken als het straks opnieuw wordt ingericht?" \
		--scope "U praat mee over bomen, bankjes, licht en speelplekken. De rijweg ligt al vast. We gebruiken wat u zegt voor het ontwerp dat de raad in juni bespreekt." \
		--rationale "U woont of werkt aan het plein, of u komt er vaak." \
		--contact "Bel 14 020 op werkdagen, of kom langs op het gemeentehuis." \
		--target-group "Bewoners en ondernemers rond het plein" --ladder adviseren --publish \
		--picture "$(dirname "$0")/../templates/voorbeeldkaart.png" \
		--picture-alt "Kaart van de buurt rond het plein: de Dorpsstraat, de school, de bushalte, het Park De Beemden en de Molenvaart." |
		sed -n 's/.*"public_page":"\([^"]*\)".*/\1/p')
	tid=$("$bin" trajectory list --db "$db" | sed -n 's/^\[{"id":\([0-9]*\).*/\1/p')
	[ -n "$tid" ] && "$bin" trajectory assign --db "$db" "$tid" beheerder --responsible >/dev/null
	# Made-up group conversations in it: a dialogue session with people
	# registered and placed at tables, a mirror conversation with its panel,
	# a citizen initiative under way.
	[ -n "$tid" ] && "$bin" trajectory demo --db "$db" "$tid" beheerder >/dev/null
	# A demo Wmo vertelpunt of 3000 stories with planted patterns
	# (docs/analysis.md, "Demo data"), so the analysis shows something.
	"$bin" demo --db "$db" --stories 3000 --seed 1 >/dev/null
	cat <<TXT

  Vertelpunt is set up for $org in $db.
  Demo: the script library is under Vragenlijsten; the open vertelpunt is
  published and collects stories at http://$listen$link
  The collection "Ervaringen Wmo 2024-2025 (demo)" holds 3000 made-up
  stories with patterns to find (docs/analysis.md, "Demo data").
  The trajectory "Herinrichting van het Dorpsplein (demo)" (under Trajecten)
  is ready for kitchen-table conversations and holds a dialogue session
  with 22 registrations, a mirror conversation and an initiative (all made
  up); its public page is
  http://$listen$tj
  Log in at http://$listen/login as 'beheerder' with this one-time password:

      $pw

  You will be asked to choose your own password. It is shown only now; if you
  lose it: $bin user reset-password beheerder --db $db

TXT
else
	echo "  Using the existing database $db (log in with your own password)."
fi
echo "  Serving http://$listen/ - stop with Ctrl-C."
exec "$bin" serve --db "$db" --listen "$listen"
