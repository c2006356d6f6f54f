#!/usr/bin/env bash
# run-cmocka.sh: runs cmocka test binaries (JOBS at a time), prints their output in order and a total line.
#
#   JOBS=2 bash tests/run-cmocka.sh BIN...
#
# Every binary makes its own temporary directory and takes a free port, so
# they can run side by side; each one's output is kept apart and printed
# whole, in the order given, so a failure reads as it would alone.
set -u
jobs=${JOBS:-2}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
out_dir=$(mktemp -d /tmp/vp-cmocka-XXXXXX) || exit 2
trap 'rm -rf "$out_dir"' EXIT

# run_one INDEX BIN: the binary's output and exit code into the out_dir.
run_one() {
	"$2" >"$out_dir/$1.out" 2>&1
	echo $? >"$out_dir/$1.rc"
}

i=0
running=0
for bin in "$@"; do
	run_one "$i" "$bin" &
	i=$((i + 1))
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

passed=0 failed=0 status=0
i=0
for bin in "$@"; do
	out=$(cat "$out_dir/$i.out")
	rc=$(cat "$out_dir/$i.rc" 2>/dev/null || echo 1)
	i=$((i + 1))
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		status=1
		[ -z "$f" ] && failed=$((failed + 1)) && echo "!! $bin exited with $rc"
	fi
done
echo "cmocka: $passed passed, $failed failed"
exit $status
