#!/usr/bin/env bash
# test_cli.sh: the vertelpunt sub-commands as an administrator uses them, including bad input.
# usage: test_cli.sh BINARY
set -u
bin=${1:?usage: test_cli.sh BINARY}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/var/vp.db"
pass=0 fail=0

check() { # check NAME WANT_EXIT PATTERN_IN_STDOUT_OR_STDERR COMMAND...
	local name=$1 want=$2 pat=$3
	shift 3
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s' "$out" | grep -qE -- "$pat"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: exit $rc (wanted $want), output:"
		printf '%s\n' "$out" | head -5
	fi
}

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
check db-unreadable 1 "cannot (open database|create the folder)" "$bin" migrate --db /proc/nope/x.db
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
