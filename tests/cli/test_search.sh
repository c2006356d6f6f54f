#!/usr/bin/env bash
# test_search.sh: `vertelpunt analyse ... search` and the filter "text matches" on demo data: ranked hits with snippets, search within a filter, and bad search texts (a clear message, never a crash).
# usage: test_search.sh BINARY
set -u
bin=${1:?usage: test_search.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/vp.db"

. "$here/lib.sh"
db=$(cli_db "$db") # a PostgreSQL schema under make cli-pg

a() { "$bin" analyse --db "$db" --collection 1 "$@"; }

check "demo" 0 '"stories":2000' "$bin" demo --db "$db" --stories 2000 --seed 3
check "search" 0 '^\{"query":"dagbesteding","filter":"","count":[1-9][0-9]*,"too_few":false,"stories":\[\{"story":[0-9]+,"rank":-[0-9.]+,"snippet":\[' \
	a search dagbesteding --limit 3
check "snippet marks the word as written" 0 '\{"text":"[Dd]agbesteding","match":true\}' a search dagbesteding
check "plural finds singular (stemming)" 0 '"count":[1-9]' a search rolstoelen
check "diacritics and case" 0 '"count":[1-9]' a search "DAGBESTÉDING"
check "limit" 0 '"stories":\[\{[^]]*\]\}\]\}$' a search dagbesteding --limit 1
check "search within a filter" 0 '"filter":"q-wijk = centrum and period = 2025","count":[1-9][0-9]+,"too_few":false' \
	a search dagbesteding --filter "q-wijk = centrum and period = 2025"
# small-cell protection: 9 stories found, fewer than 10: no count, no stories
check "small cell" 0 '"count":null,"too_few":true,"stories":\[\]' \
	a search dagbesteding --filter "q-wijk = centrum and period = 2025-Q2"
check "small cell, lower minimum" 0 '"count":9,"too_few":false,"stories":\[\{' \
	a search dagbesteding --filter "q-wijk = centrum and period = 2025-Q2" --min-group 5
# the count of a filter with "text matches" equals the search's count
n_search=$(a search dagbesteding --filter "q-wijk = centrum" | sed -E 's/.*"count":([0-9]+).*/\1/')
check "text matches in a filter" 0 "\"n\":$n_search," a count --filter 'text matches dagbesteding and q-wijk = centrum'
check "empty search" 1 'search text is empty' a search ""
check "only stop words" 1 'only common words' a search "de het een"
check "unbalanced quote" 1 'quote \(\"\) is not closed' a search '"dagbesteding'
check "FTS5 syntax is text" 0 '"count":[1-9]' a search 'dagbesteding* ( ^: - ) {x}:'
long=$(head -c 10000 /dev/zero | tr '\0' 'a')
check "10,000 characters" 1 'too long: at most 500 characters' a search "$long"
check "bad filter" 1 'filter: ' a search dagbesteding --filter "q-bestaat-niet = x"
check "bad limit" 1 'limit: at most 1000' a search dagbesteding --limit 5000
check "filter: bad search text" 1 'only common words' a count --filter 'text matches "de"'
finish "cli search"
