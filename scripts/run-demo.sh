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
	cat <<TXT

  Vertelpunt is set up for $org in $db.
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
