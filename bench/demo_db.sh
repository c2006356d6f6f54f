# bench/demo_db.sh: the 1,000,000-story demo database the benchmarks share (sourced by bench/analysis.sh and bench/explorer.sh).
#
# Made once (`vertelpunt demo --stories N --seed S`) and kept in BENCH_DATA
# while `vertelpunt version` gives the same version and schema and N and S
# are the same (BENCH_REGEN=1 makes it again; BENCH_DEMO_DB=FILE uses another
# one, BENCH_COLLECTION its collection). Expects V (the binary), N, SEED,
# DATA and a function say; sets DB and COLL.

if [[ -n "${BENCH_DEMO_DB:-}" ]]; then
	DB=$BENCH_DEMO_DB
	COLL=${BENCH_COLLECTION:-}
else
	VERSION_JSON=$("$V" version)
	VER=$(sed -E 's/.*"version":"([^"]*)".*/\1/' <<<"$VERSION_JSON")
	SCHEMA=$(sed -E 's/.*"schema":([0-9]+).*/\1/' <<<"$VERSION_JSON")
	KEY="v$VER-schema$SCHEMA-n$N-seed$SEED"
	DB=$DATA/demo-$KEY.db
	META=$DATA/demo-$KEY.json
	mkdir -p "$DATA"
	if [[ -n "${BENCH_REGEN:-}" || ! -s "$DB" || ! -s "$META" ]]; then
		say "bench: making $N demo stories (seed $SEED) in $DB; this takes minutes"
		TMP=$(mktemp -d "$DATA/gen.XXXXXX")
		trap 'rm -rf "$TMP"' EXIT
		T0=$(date +%s)
		"$V" demo --db "$TMP/vp.db" --key "$TMP/vp.key" --stories "$N" --seed "$SEED" \
			>"$TMP/demo.json" 2>"$TMP/demo.log"
		# one file: the WAL folded into the database before it is moved
		sqlite3 "$TMP/vp.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
		rm -f "$DB" "$DB-wal" "$DB-shm" "$META"
		mv "$TMP/vp.db" "$DB"
		mv "$TMP/vp.key" "${DB%.db}.key"
		# the demo's output without the throw-away administrator's password
		sed -E 's/,"admin":\{[^}]*\}//' "$TMP/demo.json" >"$META"
		rm -rf "$TMP"
		trap - EXIT
		say "bench: made in $(($(date +%s) - T0)) s"
	else
		say "bench: reusing $DB"
	fi
	COLL=$(sed -E 's/.*"collection":([0-9]+).*/\1/' "$META")
fi
