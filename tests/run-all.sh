#!/usr/bin/env bash
# run-all.sh: every test layer in order, each with its own count, then one total line.
# Layers: injection check, formatting, unit, unit-pg, http-pg, instances, http, cli, cli-pg, durability, durability-pg, migrate-data-pg, outage, i18n, sanitizers, fuzz, browser.
set -u
cd "$(dirname "$0")/.."
export JOBS=${JOBS:-2}
total_pass=0 total_fail=0 failed_layers=()
log_dir=build/test-logs
mkdir -p "$log_dir"

layer() { # layer NAME COMMAND...
	local name=$1
	shift
	echo "== $name"
	local start=$SECONDS
	"$@" 2>&1 | tee "$log_dir/$name.log"
	count "$name" "${PIPESTATUS[0]}" "$start"
}

# A layer run beside the next ones (two cores; for layers that neither
# time anything nor share files or ports): layer_start starts it with its
# output into its log, layer_end waits for it, shows the log and counts.
declare -A bg_pid bg_start
layer_start() { # layer_start NAME COMMAND...
	local name=$1
	shift
	bg_start[$name]=$SECONDS
	"$@" >"$log_dir/$name.log" 2>&1 &
	bg_pid[$name]=$!
}
layer_end() { # layer_end NAME
	local name=$1 rc
	wait "${bg_pid[$name]}"
	rc=$?
	echo "== $name (run beside the layers before it)"
	cat "$log_dir/$name.log"
	count "$name" "$rc" "${bg_start[$name]}"
}

count() { # count NAME EXIT_CODE START: the layer's line, into the totals
	local name=$1 rc=$2 start=$3
	# The layer's own count: "N passed, M failed" (cmocka wrapper, fuzz,
	# selftests) or node's "# pass N" / "# fail M".
	local p f
	# Every count line of the layer ("cmocka: 190 passed, 0 failed" for each
	# binary group, "fuzz: ...", selftests), summed; node's "# pass N".
	p=$(grep -E '^([A-Za-z0-9_ -]+: )?[0-9]+ passed, [0-9]+ failed' "$log_dir/$name.log" |
		sed -E 's/^([A-Za-z0-9_ -]+: )?([0-9]+) passed.*/\2/' | awk '{s += $1} END {if (NR) print s}')
	f=$(grep -E '^([A-Za-z0-9_ -]+: )?[0-9]+ passed, [0-9]+ failed' "$log_dir/$name.log" |
		sed -E 's/.* ([0-9]+) failed.*/\1/' | awk '{s += $1} END {if (NR) print s}')
	if [ -z "$p" ] && [ -z "$f" ]; then
		p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$log_dir/$name.log" | tail -1)
		f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$log_dir/$name.log" | tail -1)
	fi
	p=${p:-0} f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	[ "$rc" -ne 0 ] && failed_layers+=("$name")
	echo "== $name: exit $rc, $p passed, $f failed, $((SECONDS - start)) s"
}

layer injection bash -c 'bash scripts/check-injection.sh src && bash tests/check-injection-selftest.sh'
layer format make -s format-check-count
layer build make -s -j"$JOBS" all
layer unit make -s -j"$JOBS" unit
# The PostgreSQL driver, and the unit tests again on a throw-away cluster
# (scripts/pg-cluster.sh, started and stopped by tests/pg/run.sh).
layer unit-pg make -s -j"$JOBS" unit-pg
# The HTTP tests again on PostgreSQL, each binary's server on its own schema.
layer http-pg make -s -j"$JOBS" http-pg
# Two serve instances on one PostgreSQL database (tests/pg/test_instances.py).
layer instances make -s instances
layer http make -s -j"$JOBS" http
# The command-line tests again on PostgreSQL (tests/pg/cli.sh, its own
# cluster and working folders), beside the same tests on SQLite.
if [ "$JOBS" -gt 1 ]; then
	layer_start cli-pg make -s cli-pg
	layer cli make -s cli
	layer_end cli-pg
else
	layer cli make -s cli
	layer cli-pg make -s cli-pg
fi
layer durability make -s durability
# On PostgreSQL: the durability test, and migrate-data (SQLite to PostgreSQL),
# each with its own throw-away cluster.
layer durability-pg make -s durability-pg
layer migrate-data-pg make -s migrate-data-pg
# Two instances on PostgreSQL while it crashes and comes back (tests/pg/test_outage.py).
layer outage make -s outage
layer i18n make -s i18n-check
layer sanitizers make -s -j"$JOBS" asan
layer fuzz make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
layer browser make -s browser

echo
if [ ${#failed_layers[@]} -gt 0 ]; then
	echo "failed layers: ${failed_layers[*]}"
fi
echo "total: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ ${#failed_layers[@]} -eq 0 ]
