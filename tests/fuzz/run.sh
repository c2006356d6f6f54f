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
srcs=(src/http/parse.c src/core/arena.c src/core/util.c src/core/buf.c src/io/image.c
	src/model/script.c src/io/sensemaker.c src/io/csv.c src/io/csv_read.c src/io/story_csv.c
	src/analysis/filter.c src/analysis/index.c src/db/db.c src/db/db_sqlite.c src/model/script_cache.c
	src/model/script_store.c src/core/log.c src/core/clock.c
	src/analysis/search.c src/analysis/tokenize.c src/db/fts_nl.c)
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c17
	-D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Isrc)
mkdir -p "$out/artifacts" "$out/corpus" || exit 2

passed=0
failed=0
failed_names=()
shopt -s nullglob
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	target=${name#fuzz_}
	bin="$out/$name"
	log="$out/$name.log"
	if ! "$CLANG" "${flags[@]}" -o "$bin" "$src" "${srcs[@]}" -ljansson -lsodium $(pkg-config --cflags --libs vips) -lsqlite3 -lroaring $(pkg-config --libs gsl) -lstemmer -lutf8proc -pthread -lm; then
		echo "$name: build failed"
		failed=$((failed + 1))
		failed_names+=("$name")
		continue
	fi
	corpus="$out/corpus/$name"
	mkdir -p "$corpus"
	if [ -d "tests/fuzz/corpus/$target" ]; then
		cp -f "tests/fuzz/corpus/$target"/* "$corpus"/ 2>/dev/null
	fi
	"$bin" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
		-artifact_prefix="$out/artifacts/$name-" "$corpus" >"$log" 2>&1
	rc=$?
	stats=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 |
		sed -E 's/.*#([0-9]+).*exec\/s: ([0-9]+).*/\1 runs, \2 exec\/s/')
	if [ "$rc" -eq 0 ]; then
		echo "$name: ok (${stats:-no stats}, corpus $(ls "$corpus" | wc -l) files)"
		passed=$((passed + 1))
	else
		echo "$name: FAILED (exit $rc), log $log:"
		grep -E 'ERROR|SUMMARY|Test unit written|deadly signal|==[0-9]+==' "$log" | head -20
		failed=$((failed + 1))
		failed_names+=("$name")
	fi
done

if [ "$failed" -gt 0 ]; then
	echo "failing targets: ${failed_names[*]}"
fi
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
