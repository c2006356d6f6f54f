#!/usr/bin/env bash
# run-cmocka.sh: runs cmocka test binaries, prints their output and a total line.
set -u
passed=0 failed=0 status=0
for bin in "$@"; do
	out=$("$bin" 2>&1)
	rc=$?
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
