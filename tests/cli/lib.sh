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
