#!/usr/bin/env bash
# run.sh: builds every libFuzzer target tests/fuzz/fuzz_*.c and runs each for a bounded time.
#
#   bash tests/fuzz/run.sh [SECONDS]     (default 10 seconds per target)
#
# Targets go to build/fuzz/NAME; the seeds in tests/fuzz/corpus/TARGET (NAME
# without its fuzz_ prefix) are copied into build/fuzz/corpus/NAME, which the
# fuzzer grows, so the repository is never written to. Crash inputs land in
# build/fuzz/artifacts/. Exits 1 when a target fails to build or crashes.
set -u

secs=${1:-10}
case $secs in
'' | *[!0-9]* | 0)
	echo "usage: bash tests/fuzz/run.sh [SECONDS]" >&2
	exit 2
	;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd) || exit 2
cd "$root" || exit 2

CLANG=${CLANG:-clang}
out=build/fuzz
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c17
	-D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Isrc)
mkdir -p "$out/artifacts" "$out/corpus" || exit 2

# The library (every source of build/libvp.a) is compiled once by the
# Makefile with SAN=fuzz (coverage-instrumented, without libFuzzer's main),
# JOBS at a time; each target then links its harness against it. Targets
# run JOBS at a time, each into its own log, and are reported in order.
jobs=${JOBS:-2}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
lib="$out/lib"
if ! make -s -j"$jobs" BUILD="$lib" SAN=fuzz CC="$CLANG" "$lib/libvp.a" >"$out/lib.log" 2>&1; then
	tail -30 "$out/lib.log"
	echo "fuzz: the library does not compile for fuzzing"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
pkgs=$(sed -n 's/^PKGS *:= *//p' Makefile)
libs=("$lib/libvp.a" $(pkg-config --libs $pkgs) -lroaring -lstemmer -pthread -lm)
vips_cflags=($(pkg-config --cflags $pkgs))

# fuzz_one NAME: builds and runs one target; its report line into $out/NAME.result.
fuzz_one() {
	local name=$1 target=${1#fuzz_}
	local bin="$out/$name" log="$out/$name.log" res="$out/$name.result"
	if ! "$CLANG" "${flags[@]}" "${vips_cflags[@]}" -I"$lib" -o "$bin" "tests/fuzz/$name.c" "${libs[@]}" >"$log" 2>&1; then
		{
			echo "$name: build failed"
			cat "$log"
		} >"$res"
		return
	fi
	local corpus="$out/corpus/$name"
	mkdir -p "$corpus"
	if [ -d "tests/fuzz/corpus/$target" ]; then
		cp -f "tests/fuzz/corpus/$target"/* "$corpus"/ 2>/dev/null
	fi
	"$bin" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
		-artifact_prefix="$out/artifacts/$name-" "$corpus" >"$log" 2>&1
	local rc=$? stats
	stats=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 |
		sed -E 's/.*#([0-9]+).*exec\/s: ([0-9]+).*/\1 runs, \2 exec\/s/')
	if [ "$rc" -eq 0 ]; then
		echo "$name: ok (${stats:-no stats}, corpus $(ls "$corpus" | wc -l) files)" >"$res"
	else
		{
			echo "$name: FAILED (exit $rc), log $log:"
			grep -E 'ERROR|SUMMARY|Test unit written|deadly signal|==[0-9]+==' "$log" | head -20
		} >"$res"
	fi
}

shopt -s nullglob
names=()
running=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	names+=("$name")
	rm -f "$out/$name.result"
	fuzz_one "$name" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

passed=0
failed=0
failed_names=()
for name in "${names[@]}"; do
	if [ -f "$out/$name.result" ]; then
		cat "$out/$name.result"
	else
		echo "$name: FAILED (no result)"
	fi
	if grep -q "^$name: ok" "$out/$name.result" 2>/dev/null; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names+=("$name")
	fi
done

if [ "$failed" -gt 0 ]; then
	echo "failing targets: ${failed_names[*]}"
fi
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
