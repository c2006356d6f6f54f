/* bench_analysis.c: the pattern engine's speed and memory (index build, measures) next to SQLite's own GROUP BY queries on the same database.
 *
 * A benchmark, not a test: it prints figures and never fails because the
 * machine was slow. Built by the Makefile ($(BUILD)/bench_analysis), run by
 * bench/analysis.sh on a 1,000,000-story demo database; the figures and what
 * they mean are in docs/benchmarks.md ("Pattern engine").
 *
 *   bench_analysis --db FILE [--collection ID] [--reps K] [--sql-reps K]
 *                  [--build-reps K] [--budget SECONDS] [--build-only]
 *                  [--only TEXT] [--no-sql]
 *
 * 1. The index build as the server does it at start-up: aix_new and the first
 *    aix_acquire, --build-reps times (3), a fresh index each time; median.
 *    Its CPU time (both threads of the build) too: on a busy machine the
 *    fairer figure. Next to it SQLite reading the same rows (the build's own SELECT, every
 *    row stepped and its texts touched) on one connection.
 * 2. Memory: aix_coll_bytes / rows (columns and bitmaps, story texts
 *    excluded), and the growth of the process's RSS and peak RSS (VmRSS,
 *    VmHWM) over the first build.
 * 3. Each measure, once untimed (warm-up), then --reps times (21), fewer when
 *    one run takes long (at least 5, about --budget seconds in all): median
 *    and p90 (nearest rank). The measure's call and the freeing of its JSON
 *    document are timed, with the collection's read lock already held.
 * 4. For each, the equivalent query in SQLite on the same file (read-only,
 *    plain sqlite3: this is a benchmark, not the app), prepared, stepped to
 *    the end with every column read, and finalised, timed the same way
 *    (--sql-reps, 5, at least 3); the ratio SQLite / engine; and the story
 *    count both found where they count the same thing, as a check that the
 *    two did the same work.
 *
 * The SQL for compare and patterns is composed from the collection's
 * questions (their ids come from the stored script and are quoted with
 * sqlite3_mprintf's %w); every value is bound by name.
 *
 * Output: a Markdown table on stdout and one line "JSON {...}" with every
 * figure; progress on stderr. */
#include "analysis/index.h"
#include "analysis/measures.h"
#include "model/script.h"

#include <getopt.h>
#include <jansson.h>
#include <malloc.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* "period = 2024" and "period = 2025" are UTC years: */
#define Y2024 1704067200LL /* 2024-01-01T00:00:00Z */
#define Y2025 1735689600LL /* 2025-01-01T00:00:00Z */
#define Y2026 1767225600LL /* 2026-01-01T00:00:00Z */

static struct {
	const char *db;
	int64_t collection;
	int reps, sql_reps, build_reps;
	double budget;
	int build_only;   /* stop after the build (for perf) */
	const char *only; /* only the measures whose name contains this (for perf) */
	int no_sql;       /* no SQLite queries */
} opt = {NULL, 0, 21, 5, 3, 20.0, 0, NULL, 0};

/* ---- helpers -------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench_analysis: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench_analysis: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), or -1. */
static long status_kib(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	size_t fl = strlen(field);
	long v = -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, field, fl) == 0 && line[fl] == ':') {
			v = strtol(line + fl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* CPU time (user + system) of the whole process so far, all threads. */
static double cpu_s(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 +
	       (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct timing {
	int runs;
	double median, p90, min, max; /* seconds */
};

/* Sorts t[0..n-1] and summarises it: median (mean of the two middle values
 * when n is even) and p90 by nearest rank. */
static struct timing summarise(double *t, int n)
{
	struct timing s = {n, 0, 0, 0, 0};
	if (n <= 0)
		return s;
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	s.median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	int r = (9 * n + 9) / 10; /* ceil(0.9 n), 1-based */
	s.p90 = t[r - 1];
	s.min = t[0];
	s.max = t[n - 1];
	return s;
}

/* How many timed runs after a warm-up run that took w seconds: k, or fewer
 * (at least lo) so that they take about budget seconds. */
static int runs_for(double w, int k, int lo)
{
	if (w <= 0)
		return k;
	double fit = opt.budget / w;
	int n = fit < lo ? lo : fit > k ? k : (int)fit;
	return n < 1 ? 1 : n;
}

/* ---- SQLite: the equivalent queries ---------------------------------------- */

static sqlite3 *sql_open(void)
{
	sqlite3 *s = NULL;
	if (sqlite3_open_v2(opt.db, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("cannot open %s: %s", opt.db, s ? sqlite3_errmsg(s) : "out of memory");
	return s;
}

static void bind_named(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

/* Runs sql to the end (every column of every row read), binding :c (the
 * collection) and the period bounds :y2024, :y2025, :y2026 where it names
 * them. Returns the rows; *nsum gets the sum of column ncol over the rows
 * (ncol < 0: nothing). */
static long sql_run(sqlite3 *s, const char *sql, int ncol, int64_t *nsum)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		die("SQL: %s\n  in: %s", sqlite3_errmsg(s), sql);
	bind_named(st, ":c", opt.collection);
	bind_named(st, ":y2024", Y2024);
	bind_named(st, ":y2025", Y2025);
	bind_named(st, ":y2026", Y2026);
	long rows = 0;
	int64_t sum = 0;
	size_t touched = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int nc = sqlite3_column_count(st);
		for (int k = 0; k < nc; k++) {
			switch (sqlite3_column_type(st, k)) {
			case SQLITE_INTEGER: touched += (size_t)sqlite3_column_int64(st, k); break;
			case SQLITE_FLOAT:
				touched += (size_t)(sqlite3_column_double(st, k) != 0);
				break;
			case SQLITE_TEXT:
			case SQLITE_BLOB:
				touched += (size_t)(sqlite3_column_blob(st, k) != NULL) +
				           (size_t)sqlite3_column_bytes(st, k);
				break;
			default: break;
			}
		}
		if (ncol >= 0)
			sum += sqlite3_column_int64(st, ncol);
		rows++;
	}
	if (rc != SQLITE_DONE)
		die("SQL: %s\n  in: %s", sqlite3_errmsg(s), sql);
	sqlite3_finalize(st);
	if (nsum)
		*nsum = sum;
	/* keep the reads from being optimised away */
	if (touched == (size_t)-1)
		fputc(' ', stderr);
	return rows;
}

/* JSON path of a question's answer, as SQL: json_extract(COL, '$."ID"SUFFIX').
 * Allocated by sqlite3_mprintf (free with sqlite3_free). */
static char *sql_answer(const struct question *q, const char *suffix)
{
	const char *col = q->perspective == PERSPECTIVE_PROFESSIONAL ? "professional" : "answers";
	return sqlite3_mprintf("json_extract(%s, '$.\"%w\"%s')", col, q->id, suffix);
}

/* A growable SQL text (sqlite3_str). */
static char *str_finish(sqlite3_str *s)
{
	char *t = sqlite3_str_finish(s);
	if (!t)
		die("out of memory");
	return t;
}

/* compare --a "period = 2024" --b "period = 2025": one scan that extracts
 * every signifying question (the engine compares every one but stones) into
 * a materialised table, then per question a GROUP BY over the period and
 * the value (choices, prompts, scales, dyads: the counts behind chi-square
 * and Mann-Whitney's ranks), or over the period with avg(ln) of the three
 * weights (triads). */
static char *sql_compare(const struct aix_coll *c)
{
	sqlite3_str *s = sqlite3_str_new(NULL);
	sqlite3_str_appendall(s, "WITH t AS MATERIALIZED (SELECT CASE WHEN created_at < :y2025 "
	                         "THEN 2024 ELSE 2025 END AS p");
	int nsel = 0;
	for (int i = 0; i < c->nq; i++) {
		const struct question *q = c->q[i].q;
		if (!q_type_signifies(q->type) || q->type == Q_STONES)
			continue;
		if (q->type == Q_TRIAD) {
			for (int k = 0; k < 3; k++) {
				char suf[8], *e;
				snprintf(suf, sizeof suf, "[%d]", k);
				e = sql_answer(q, suf);
				sqlite3_str_appendf(s, ", %s AS c%d_%d", e, i, k);
				sqlite3_free(e);
			}
		} else {
			char *e = sql_answer(q, q->type == Q_STORY ? ".prompt" : "");
			sqlite3_str_appendf(s, ", %s AS c%d", e, i);
			sqlite3_free(e);
		}
		nsel++;
	}
	sqlite3_str_appendall(s, " FROM stories WHERE collection_id = :c AND pilot = 0 AND "
	                         "created_at >= :y2024 AND created_at < :y2026) ");
	int first = 1;
	for (int i = 0; i < c->nq; i++) {
		const struct question *q = c->q[i].q;
		if (!q_type_signifies(q->type) || q->type == Q_STONES)
			continue;
		if (!first)
			sqlite3_str_appendall(s, " UNION ALL ");
		first = 0;
		if (q->type == Q_TRIAD)
			sqlite3_str_appendf(
			        s,
			        "SELECT %d, p, NULL, count(*), avg(ln(max(c%d_0, 1e-4))), "
			        "avg(ln(max(c%d_1, 1e-4))), avg(ln(max(c%d_2, 1e-4))) "
			        "FROM t WHERE c%d_0 IS NOT NULL GROUP BY p",
			        i, i, i, i, i);
		else
			sqlite3_str_appendf(s,
			                    "SELECT %d, p, c%d, count(*), NULL, NULL, NULL FROM t "
			                    "WHERE c%d IS NOT NULL GROUP BY p, c%d",
			                    i, i, i, i);
	}
	if (!nsel)
		die("the collection has no question to compare");
	return str_finish(s);
}

/* patterns --outcome Q: one scan that extracts the outcome and every choice
 * question (the engine's conditions) into a materialised table, then the
 * moments (count, sum, sum of squares) of the outcome per option of each
 * choice question and per cell of each pair of them: what the engine
 * computes before its Welch tests. */
static char *sql_patterns(const struct aix_coll *c, const char *outcome)
{
	struct aix_question *oq = aix_question((struct aix_coll *)c, outcome);
	if (!oq)
		die("no question %s", outcome);
	sqlite3_str *s = sqlite3_str_new(NULL);
	char *e = sql_answer(oq->q, "");
	sqlite3_str_appendf(s, "WITH t AS MATERIALIZED (SELECT * FROM (SELECT %s AS v", e);
	sqlite3_free(e);
	int *cq = xmalloc((size_t)c->nq * sizeof *cq), ncq = 0;
	for (int i = 0; i < c->nq; i++)
		if (c->q[i].q->type == Q_CHOICE && &c->q[i] != oq) {
			cq[ncq++] = i;
			e = sql_answer(c->q[i].q, "");
			sqlite3_str_appendf(s, ", %s AS c%d", e, i);
			sqlite3_free(e);
		}
	sqlite3_str_appendall(s, " FROM stories WHERE collection_id = :c AND pilot = 0) "
	                         "WHERE v IS NOT NULL) ");
	int first = 1;
	for (int a = 0; a < ncq; a++)
		for (int b = a; b < ncq; b++) {
			int ia = cq[a], ib = cq[b];
			if (!first)
				sqlite3_str_appendall(s, " UNION ALL ");
			first = 0;
			if (a == b)
				sqlite3_str_appendf(
				        s,
				        "SELECT %d, %d, c%d, NULL, count(*), sum(v), "
				        "sum(v * v) FROM t WHERE c%d IS NOT NULL GROUP BY c%d",
				        ia, ib, ia, ia, ia);
			else
				sqlite3_str_appendf(
				        s,
				        "SELECT %d, %d, c%d, c%d, count(*), sum(v), "
				        "sum(v * v) FROM t WHERE c%d IS NOT NULL AND c%d IS "
				        "NOT NULL GROUP BY c%d, c%d",
				        ia, ib, ia, ib, ia, ib, ia, ib);
		}
	free(cq);
	if (!ncq)
		die("the collection has no choice question");
	return str_finish(s);
}

/* ---- the cases --------------------------------------------------------------- */

struct bcase {
	const char *name;    /* as printed */
	const char *measure; /* measure_by_name */
	const char *q, *q2, *filter, *a, *b, *outcome;
	double target_ms; /* 0: no target */
	const char *sql;  /* the equivalent query (static text), or NULL: composed */
	int sql_ncol; /* the column whose sum over rows is the story count; -1: rows; -2: none */
	const char *json_n; /* the engine's count in its document ("n", "people"), or NULL */
};

/* What a case measured (cases[i] gives results[i]). */
struct bresult {
	struct timing eng, sq;
	long long n_engine, n_sql;
};

/* Every query reads the answers once per story into a materialised table t
 * and then groups t. Written the plain way (a subquery SQLite flattens),
 * the same query took 12.5 s instead of 5.4 s on the million stories:
 * json_extract then runs at each place the value is used. */
#define WITH_T(COLS, EXTRA)                                                              \
	"WITH t AS MATERIALIZED (SELECT " COLS " FROM stories WHERE collection_id = :c " \
	"AND pilot = 0" EXTRA ") "
#define ANSWER(ID)  "json_extract(answers, '$.\"" ID "\"')"
#define AND_EENZAAM " AND " ANSWER("q-situatie") " = 'eenzaamheid'"
/* Distribution of a dyad: the histogram's buckets with count and mean. */
#define SQL_DYAD_DIST(EXTRA)                                                    \
	WITH_T(ANSWER("q-geholpen") " AS v", EXTRA)                             \
	"SELECT min(CAST(v / 10 AS INTEGER), 9) AS b, count(*), avg(v) FROM t " \
	"WHERE v IS NOT NULL GROUP BY b"
/* The closed geometric mean of a triad: avg(ln) of the three weights. */
#define SQL_TRIAD(EXTRA)                                                                        \
	WITH_T("json_extract(answers, '$.\"q-steun\"[0]') AS a, "                               \
	       "json_extract(answers, '$.\"q-steun\"[1]') AS b, "                               \
	       "json_extract(answers, '$.\"q-steun\"[2]') AS w",                                \
	       EXTRA)                                                                           \
	"SELECT count(*), avg(ln(max(a, 1e-4))), avg(ln(max(b, 1e-4))), avg(ln(max(w, 1e-4))) " \
	"FROM t WHERE a IS NOT NULL"

static const struct bcase cases[] = {
        {"distribution q-geholpen, filter q-situatie = eenzaamheid", "distribution", "q-geholpen",
         NULL, "q-situatie = eenzaamheid", NULL, NULL, NULL, 10, SQL_DYAD_DIST(AND_EENZAAM), 1,
         "n"},
        {"distribution q-geholpen", "distribution", "q-geholpen", NULL, NULL, NULL, NULL, NULL, 10,
         SQL_DYAD_DIST(""), 1, "n"},
        {"triad q-steun, filter q-situatie = eenzaamheid", "triad", "q-steun", NULL,
         "q-situatie = eenzaamheid", NULL, NULL, NULL, 10, SQL_TRIAD(AND_EENZAAM), 0, "n"},
        {"triad q-steun", "triad", "q-steun", NULL, NULL, NULL, NULL, NULL, 10, SQL_TRIAD(""), 0,
         "n"},
        {"crosstab q-situatie q-interventie", "crosstab", "q-situatie", "q-interventie", NULL, NULL,
         NULL, NULL, 20,
         WITH_T(ANSWER("q-situatie") " AS s, " ANSWER("q-interventie") " AS i",
                "") "SELECT s, i, count(*) FROM t WHERE s IS NOT NULL AND i IS NOT NULL GROUP BY "
                    "s, i",
         2, "n"},
        {"compare period = 2024 / 2025, all questions", "compare", NULL, NULL, NULL,
         "period = 2024", "period = 2025", NULL, 200, NULL, -2, NULL},
        {"patterns --outcome q-geholpen", "patterns", NULL, NULL, NULL, NULL, NULL, "q-geholpen",
         1000, NULL, -2, NULL},
        {"over-time q-geholpen", "over-time", "q-geholpen", NULL, NULL, NULL, NULL, NULL, 0,
         /* per person with two or more answers: count, first and last value
          * (packed behind the time, so min/max pick them) */
         WITH_T("participant_id AS p, created_at AS at, " ANSWER("q-geholpen") " AS v",
                " AND participant_id IS NOT NULL") "SELECT p, count(*), min(at * 1000 + v) % 1000, "
                                                   "max(at * 1000 + v) % 1000 FROM t "
                                                   "WHERE v IS NOT NULL GROUP BY p HAVING count(*) "
                                                   ">= 2",
         -1, "people"},
        {"perspectives q-geholpen", "perspectives", "q-geholpen", NULL, NULL, NULL, NULL, NULL, 0,
         WITH_T(ANSWER("q-geholpen") " AS te, "
                                     "json_extract(professional, '$.\"q-pro-geholpen\"') AS pr",
                " AND professional IS NOT NULL") "SELECT count(*), avg(pr - te), avg((pr - te) * "
                                                 "(pr - te)) FROM t "
                                                 "WHERE te IS NOT NULL AND pr IS NOT NULL",
         0, "n"},
};
enum { NCASES = sizeof cases / sizeof cases[0] };
static struct bresult results[NCASES];

/* The build's own read (src/analysis/index.c, coll_read_range), on one
 * connection: every story of the collection in id order with the columns
 * the index reads. */
static const char *const SQL_SCAN =
        "SELECT id, channel, pilot, participant_id, created_at, answers, professional "
        "FROM stories WHERE id > 0 AND +collection_id = :c ORDER BY id";

static void run_engine(const struct bcase *k, struct bresult *res, struct aix_coll *c)
{
	measure_fn fn = measure_by_name(k->measure);
	if (!fn)
		die("no measure %s", k->measure);
	struct measure_args a = {.c = c,
	                         .filter = k->filter,
	                         .q = k->q,
	                         .q2 = k->q2,
	                         .a = k->a,
	                         .b = k->b,
	                         .outcome = k->outcome};
	char err[512];
	json_t *out = NULL;
	double t0 = now_s();
	if (fn(&a, &out, err, sizeof err) != 0)
		die("%s: %s", k->name, err);
	json_t *n = k->json_n ? json_object_get(out, k->json_n) : NULL;
	res->n_engine = json_is_integer(n) ? (long long)json_integer_value(n) : -1;
	json_decref(out);
	double w = now_s() - t0;
	int runs = runs_for(w, opt.reps, 5);
	double *t = xmalloc((size_t)runs * sizeof *t);
	for (int r = 0; r < runs; r++) {
		t0 = now_s();
		if (fn(&a, &out, err, sizeof err) != 0)
			die("%s: %s", k->name, err);
		json_decref(out);
		t[r] = now_s() - t0;
	}
	res->eng = summarise(t, runs);
	free(t);
}

static struct timing time_sql(sqlite3 *s, const char *sql, int ncol, long long *n)
{
	int64_t sum = 0;
	double t0 = now_s();
	long rows = sql_run(s, sql, ncol >= 0 ? ncol : -1, &sum);
	double w = now_s() - t0;
	if (n)
		*n = ncol >= 0 ? (long long)sum : ncol == -1 ? rows : -1;
	int runs = runs_for(w, opt.sql_reps, 3);
	double *t = xmalloc((size_t)runs * sizeof *t);
	for (int r = 0; r < runs; r++) {
		t0 = now_s();
		sql_run(s, sql, -1, NULL);
		t[r] = now_s() - t0;
	}
	struct timing res = summarise(t, runs);
	free(t);
	return res;
}

/* ---- output ------------------------------------------------------------------- */

static void print_ms(double s)
{
	double ms = s * 1e3;
	if (ms < 10)
		printf(" %.2f |", ms);
	else if (ms < 100)
		printf(" %.1f |", ms);
	else
		printf(" %.0f |", ms);
}

static json_t *timing_json(const struct timing *t)
{
	return json_pack("{s:i, s:f, s:f, s:f, s:f}", "runs", t->runs, "median_ms", t->median * 1e3,
	                 "p90_ms", t->p90 * 1e3, "min_ms", t->min * 1e3, "max_ms", t->max * 1e3);
}

static const char *verdict(double ms, double target)
{
	return target <= 0 ? "-" : ms < target ? "met" : "NOT met";
}

/* The collection with the most stories, or 0. */
static int64_t largest_collection(sqlite3 *s)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s,
	                       "SELECT collection_id FROM stories GROUP BY collection_id "
	                       "ORDER BY count(*) DESC, collection_id LIMIT 1",
	                       -1, &st, NULL) != SQLITE_OK)
		die("%s", sqlite3_errmsg(s));
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return id;
}

static void usage(void)
{
	fputs("usage: bench_analysis --db FILE [--collection ID] [--reps K] [--sql-reps K]\n"
	      "                      [--build-reps K] [--budget SECONDS] [--build-only]\n"
	      "                      [--only TEXT] [--no-sql]\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
	                                     {"collection", required_argument, 0, 'c'},
	                                     {"reps", required_argument, 0, 'r'},
	                                     {"sql-reps", required_argument, 0, 's'},
	                                     {"build-reps", required_argument, 0, 'b'},
	                                     {"budget", required_argument, 0, 'B'},
	                                     {"build-only", no_argument, 0, 'o'},
	                                     {"only", required_argument, 0, 'O'},
	                                     {"no-sql", no_argument, 0, 'n'},
	                                     {0}};
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end = NULL;
		long v = 0;
		if (ch == 'c' || ch == 'r' || ch == 's' || ch == 'b') {
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 1000000)
				die("--%s wants a whole number from 1", opts[ch == 'c'   ? 1
				                                             : ch == 'r' ? 2
				                                             : ch == 's' ? 3
				                                                         : 4]
				                                                .name);
		}
		switch (ch) {
		case 'd': opt.db = optarg; break;
		case 'c': opt.collection = v; break;
		case 'r': opt.reps = (int)v; break;
		case 's': opt.sql_reps = (int)v; break;
		case 'b': opt.build_reps = (int)v; break;
		case 'o': opt.build_only = 1; break;
		case 'O': opt.only = optarg; break;
		case 'n': opt.no_sql = 1; break;
		case 'B':
			opt.budget = strtod(optarg, &end);
			if (*end || !(opt.budget > 0))
				die("--budget wants a number of seconds");
			break;
		default: usage();
		}
	}
	if (!opt.db || optind < argc)
		usage();
	sqlite3 *s = sql_open();
	if (!opt.collection && !(opt.collection = largest_collection(s)))
		die("%s has no stories", opt.db);

	/* 1, 2: the index build, a fresh index each time; memory over the first */
	long rss0 = status_kib("VmRSS"), hwm0 = status_kib("VmHWM");
	long rss1 = -1, hwm1 = -1;
	double *bt = xmalloc((size_t)opt.build_reps * sizeof *bt);
	double *bc = xmalloc((size_t)opt.build_reps * sizeof *bc);
	aix *x = NULL;
	struct aix_coll *c = NULL;
	for (int r = 0; r < opt.build_reps; r++) {
		if (x) {
			aix_release(c);
			aix_free(x);
			malloc_trim(0);
		}
		double t0 = now_s(), u0 = cpu_s();
		x = aix_new(opt.db);
		c = aix_acquire(x, 0, opt.collection);
		bt[r] = now_s() - t0;
		bc[r] = cpu_s() - u0;
		if (!c)
			die("no collection %lld in %s", (long long)opt.collection, opt.db);
		if (r == 0) {
			rss1 = status_kib("VmRSS");
			hwm1 = status_kib("VmHWM");
		}
		say("index build %d/%d: %.3f s (CPU %.3f s), %u rows", r + 1, opt.build_reps, bt[r],
		    bc[r], c->n);
	}
	struct timing build = summarise(bt, opt.build_reps);
	struct timing build_cpu = summarise(bc, opt.build_reps);
	free(bt);
	free(bc);
	uint32_t rows = c->n;
	size_t bytes = aix_coll_bytes(c);
	double per_story = rows ? (double)bytes / rows : 0;
	if (opt.build_only) {
		printf("index build: median %.3f s (CPU %.3f s), %.1f bytes per story\n",
		       build.median, build_cpu.median, per_story);
		aix_release(c);
		aix_free(x);
		sqlite3_close(s);
		return 0;
	}

	/* the same read in SQLite, and the catch-up check of a built part */
	long long scan_n = 0;
	struct timing scan = {0, 0, 0, 0, 0};
	if (!opt.no_sql) {
		say("SQLite reading the build's rows");
		scan = time_sql(s, SQL_SCAN, -1, &scan_n);
	}
	aix_release(c);
	double *at = xmalloc((size_t)opt.reps * sizeof *at);
	for (int r = 0; r < opt.reps; r++) {
		double t0 = now_s();
		c = aix_acquire(x, 0, opt.collection);
		at[r] = now_s() - t0;
		if (r + 1 < opt.reps)
			aix_release(c);
	}
	struct timing acquire = summarise(at, opt.reps);
	free(at);

	/* 3, 4: the measures and their SQL */
	for (int i = 0; i < NCASES; i++) {
		const struct bcase *k = &cases[i];
		struct bresult *res = &results[i];
		if (opt.only && !strstr(k->name, opt.only))
			continue;
		say("%s: engine", k->name);
		run_engine(k, res, c);
		char *sql = NULL;
		const char *text = k->sql;
		if (!text)
			text = sql = strcmp(k->measure, "compare") == 0
			                     ? sql_compare(c)
			                     : sql_patterns(c, k->outcome);
		res->n_sql = -1;
		if (opt.no_sql) {
			sqlite3_free(sql);
			continue;
		}
		say("%s: SQLite", k->name);
		res->sq = time_sql(s, text, k->sql_ncol, k->sql_ncol == -2 ? NULL : &res->n_sql);
		sqlite3_free(sql);
	}
	aix_release(c);
	aix_free(x);
	sqlite3_close(s);

	/* the table */
	printf("Collection %lld: %u stories (rows of the index). Medians of the timed runs; "
	       "p90 by nearest rank.\n\n",
	       (long long)opt.collection, rows);
	printf("| what | target | engine median ms | engine p90 ms | runs | SQLite median ms | "
	       "SQLite p90 ms | runs | SQLite / engine | stories (engine / SQLite) |\n");
	printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
	printf("| index build (aix_new + first aix_acquire) | < 3000 ms: %s |",
	       verdict(build.median * 1e3, 3000));
	print_ms(build.median);
	print_ms(build.p90);
	printf(" %d |", build.runs);
	print_ms(scan.median);
	print_ms(scan.p90);
	printf(" %d | %.2f | %u / %lld |\n", scan.runs, scan.median / build.median, rows, scan_n);
	printf("| index build, CPU time of both threads (SQLite: wall time, one thread) | - |");
	print_ms(build_cpu.median);
	print_ms(build_cpu.p90);
	printf(" %d |", build_cpu.runs);
	print_ms(scan.median);
	print_ms(scan.p90);
	printf(" %d | %.2f | - |\n", scan.runs, scan.median / build_cpu.median);
	for (int i = 0; i < NCASES; i++) {
		const struct bcase *k = &cases[i];
		const struct bresult *res = &results[i];
		if (!res->eng.runs)
			continue;
		char tgt[48] = "-";
		if (k->target_ms > 0)
			snprintf(tgt, sizeof tgt, "< %.0f ms: %s", k->target_ms,
			         verdict(res->eng.median * 1e3, k->target_ms));
		printf("| %s | %s |", k->name, tgt);
		print_ms(res->eng.median);
		print_ms(res->eng.p90);
		printf(" %d |", res->eng.runs);
		print_ms(res->sq.median);
		print_ms(res->sq.p90);
		printf(" %d | %.0f |", res->sq.runs, res->sq.median / res->eng.median);
		if (k->json_n)
			printf(" %lld / %lld%s |\n", res->n_engine, res->n_sql,
			       res->n_engine == res->n_sql ? "" : " (differ)");
		else
			printf(" - |\n");
	}
	printf("| acquire of a built part (catch-up check) | - |");
	print_ms(acquire.median);
	print_ms(acquire.p90);
	printf(" %d | - | - | - | - | - |\n\n", acquire.runs);
	printf("Index memory: %zu bytes for %u stories = **%.1f bytes per story** (target < 64: "
	       "%s); process RSS +%.1f MiB after the first build, peak RSS (VmHWM) +%.1f MiB.\n",
	       bytes, rows, per_story, per_story < 64 ? "met" : "NOT met",
	       (double)(rss1 - rss0) / 1024, (double)(hwm1 - hwm0) / 1024);

	json_t *ms = json_array();
	for (int i = 0; i < NCASES; i++) {
		const struct bcase *k = &cases[i];
		const struct bresult *res = &results[i];
		if (!res->eng.runs)
			continue;
		json_t *o = json_pack("{s:s, s:o, s:o, s:f}", "what", k->name, "engine",
		                      timing_json(&res->eng), "sqlite", timing_json(&res->sq),
		                      "ratio", res->sq.median / res->eng.median);
		if (k->target_ms > 0) {
			json_object_set_new(o, "target_ms", json_real(k->target_ms));
			json_object_set_new(o, "met",
			                    json_boolean(res->eng.median * 1e3 < k->target_ms));
		}
		if (k->json_n) {
			json_object_set_new(o, "n_engine", json_integer(res->n_engine));
			json_object_set_new(o, "n_sqlite", json_integer(res->n_sql));
		}
		json_array_append_new(ms, o);
	}
	json_t *doc = json_pack(
	        "{s:I, s:i, s:{s:o, s:o, s:o, s:f, s:b}, s:{s:I, s:f, s:b, s:f, s:f}, s:o, s:o}",
	        "collection", (json_int_t)opt.collection, "stories", (int)rows, "build", "engine",
	        timing_json(&build), "engine_cpu", timing_json(&build_cpu), "sqlite_scan",
	        timing_json(&scan), "ratio", scan.median / build.median, "met", build.median < 3.0,
	        "memory", "index_bytes", (json_int_t)bytes, "bytes_per_story", per_story, "met",
	        per_story < 64, "rss_growth_mib", (double)(rss1 - rss0) / 1024,
	        "peak_rss_growth_mib", (double)(hwm1 - hwm0) / 1024, "acquire",
	        timing_json(&acquire), "measures", ms);
	char *line = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(doc);
	printf("\nJSON %s\n", line ? line : "{}");
	free(line);
	return 0;
}
