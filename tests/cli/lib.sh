# lib.sh: what the command-line test scripts share (sourced, not run).
# check NAME WANT_EXIT PATTERN COMMAND...: runs COMMAND, passes when it exits with WANT_EXIT
# and its output (stdout and stderr) matches the extended regular expression PATTERN.
# The counters pass and fail are the caller's; finish SUITE prints the count line.
pass=0 fail=0

check() {
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

finish() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# PostgreSQL (make cli-pg, tests/pg/cli.sh): with VP_CLI_PG=postgres://... every
# database a script names through cli_db is a new schema of that database
# (postgres://...?options=-csearch_path%3DSCHEMA, as tests/unit/testdb.h makes),
# and bin becomes tests/cli/pg-bin.sh, which gives the real binary the key file
# a file database would have had next to it (a database URL needs --key FILE).
# Without VP_CLI_PG, cli_db prints the file name it was given.
if [ -n "${VP_CLI_PG:-}" ] && [ -z "${VP_CLI_REAL_BIN:-}" ]; then
	export VP_CLI_REAL_BIN=$bin
	export VP_CLI_PG_MAP=${dir:?}/pg-keys.map
	: >"$VP_CLI_PG_MAP"
	bin="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pg-bin.sh"
fi

cli_db() { # cli_db FILE: FILE, or with VP_CLI_PG the URL of a new schema standing for it
	if [ -z "${VP_CLI_PG:-}" ]; then
		printf '%s\n' "$1"
		return
	fi
	# Numbered by the map's lines, not a variable: db=$(cli_db FILE) runs in a subshell.
	local n schema sep='?'
	n=$(($(wc -l <"$VP_CLI_PG_MAP") + 1))
	schema="vpc_$$_$n"
	case "$VP_CLI_PG" in *\?*) sep='&' ;; esac
	psql -qAt "$VP_CLI_PG" -c "CREATE SCHEMA $schema" >/dev/null || return 1
	local url="$VP_CLI_PG${sep}options=-csearch_path%3D$schema"
	mkdir -p "$(dirname "$1")"
	printf '%s %s\n' "$url" "${1%.db}.key" >>"$VP_CLI_PG_MAP"
	printf '%s\n' "$url"
}

cli_sql() { # cli_sql DB STATEMENT: runs STATEMENT on DB (file or URL), rows as sqlite3 prints them; 1 when it fails
	case "$1" in
	postgres://* | postgresql://*) psql -qAtX -F '|' -v ON_ERROR_STOP=1 "$1" -c "$2" || return 1 ;;
	*) sqlite3 "$1" "$2" || return 1 ;;
	esac
}

cli_dump() { # cli_dump DB: every byte stored for DB (the file and its WAL, or pg_dump of the schema)
	case "$1" in
	postgres://* | postgresql://*) pg_dump "${1%%\?*}" -n "${1##*search_path%3D}" ;;
	*) cat "$1"* ;;
	esac
}

cli_upload_dir() { # cli_upload_dir DB: where the uploads of DB go (next to the file; var/uploads for a URL)
	case "$1" in
	postgres://* | postgresql://*) printf '%s\n' "$PWD/var/uploads" ;;
	*) printf '%s\n' "$(dirname "$1")/uploads" ;;
	esac
}

cli_sql_both() { # cli_sql_both DB SQLITE_STATEMENT PG_STATEMENT: the statement written for DB's backend, run by cli_sql
	case "$1" in
	postgres://* | postgresql://*) cli_sql "$1" "$3" ;;
	*) cli_sql "$1" "$2" ;;
	esac
}

cli_is_pg() { # cli_is_pg DB: true when DB is a PostgreSQL URL
	case "$1" in postgres://* | postgresql://*) return 0 ;; esac
	return 1
}
