/* bench_search.c: full-text search on the demo database: median wall time of search_ranked (the best 20, with snippets), of search_ids (every match, as the filter "text matches" and the count ask) and of the measure "search" (what the API and the explorer run) per query. */
#include "analysis/index.h"
#include "analysis/measures.h"
#include "analysis/search.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* the API's default: the best 20 */
static int on_hit(void *ctx, int64_t id, double rank, const char *snippet)
{
	return ++*(int *)ctx >= 20;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_search DB [RUNS [COLLECTION]]\n");
		return 2;
	}
	log_set_enabled(0);
	int runs = argc > 2 ? atoi(argv[2]) : 31;
	if (runs < 1)
		runs = 31;
	char err[256];
	db *d = db_open(argv[1], err, sizeof err);
	if (!d) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	/* the measure needs the collection's part of the story index */
	aix *x = NULL;
	struct aix_coll *c = NULL;
	if (argc > 3) {
		x = aix_new(argv[1]);
		c = x ? aix_acquire(x, 0, atoll(argv[3])) : NULL;
		if (!c) {
			fprintf(stderr, "bench_search: no collection %s\n", argv[3]);
			return 1;
		}
	}
	static const char *const queries[] = {"dagbesteding",        "rolstoel",
	                                      "keukentafel gepraat", "\"weinig geld\"",
	                                      "mantelzorg",          "eenzaam"};
	printf("| query | found | search p50 ms (best 20, snippets) | ids p50 ms (all) | best 20 "
	       "of "
	       "the newest %d p50 ms (ids + ranked) | the measure p50 ms |\n",
	       SEARCH_RANK_CAP);
	printf("|---|---|---|---|---|---|\n");
	for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
		buf m;
		buf_init(&m);
		if (search_query_build(queries[q], &m, err, sizeof err)) {
			fprintf(stderr, "%s: %s\n", queries[q], err);
			return 1;
		}
		double *t1 = calloc(runs, sizeof *t1), *t2 = calloc(runs, sizeof *t2),
		       *t3 = calloc(runs, sizeof *t3), *t4 = calloc(runs, sizeof *t4);
		size_t found = 0;
		for (int i = 0; i < runs; i++) {
			int n = 0;
			double t0 = now_ms();
			int rc = search_ranked(d, m.data, on_hit, &n);
			if (rc != DB_DONE && rc != 1)
				return 1;
			t1[i] = now_ms() - t0;
			int64_t *ids = NULL;
			t0 = now_ms();
			if (search_ids(d, m.data, &ids, &found) != DB_DONE)
				return 1;
			t2[i] = now_ms() - t0;
			/* what measure_search does: every id, then the best 20 of
			 * the newest SEARCH_RANK_CAP */
			int64_t from = found > SEARCH_RANK_CAP ? ids[found - SEARCH_RANK_CAP] : 0;
			free(ids);
			ids = NULL;
			n = 0;
			t0 = now_ms();
			size_t again = 0;
			if (search_ids(d, m.data, &ids, &again) != DB_DONE)
				return 1;
			free(ids);
			rc = search_ranked_from(d, m.data, from, NULL, on_hit, &n);
			if (rc != DB_DONE && rc != 1)
				return 1;
			t3[i] = now_ms() - t0;
			if (c) { /* the measure: count and best 20 within the part */
				struct measure_args a = {
				        .c = c, .d = d, .q = queries[q], .limit = 20};
				json_t *out = NULL;
				t0 = now_ms();
				if (measure_search(&a, &out, err, sizeof err)) {
					fprintf(stderr, "%s: %s\n", queries[q], err);
					return 1;
				}
				t4[i] = now_ms() - t0;
				json_decref(out);
			}
		}
		qsort(t1, runs, sizeof *t1, cmp_d);
		qsort(t2, runs, sizeof *t2, cmp_d);
		qsort(t3, runs, sizeof *t3, cmp_d);
		qsort(t4, runs, sizeof *t4, cmp_d);
		char measure[32] = "-";
		if (c)
			snprintf(measure, sizeof measure, "%.1f", t4[runs / 2]);
		printf("| `%s` | %zu | %.1f | %.1f | %.1f | %s |\n", queries[q], found,
		       t1[runs / 2], t2[runs / 2], t3[runs / 2], measure);
		free(t1);
		free(t2);
		free(t3);
		free(t4);
		buf_free(&m);
	}
	aix_release(c);
	aix_free(x);
	db_close(d);
	return 0;
}
