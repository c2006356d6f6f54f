/* bench_keyness.c: keyness on the demo database: the time to build a collection's term lists once, their size, and the median wall time of measure_keyness per filter afterwards. */
#include "analysis/index.h"
#include "analysis/keyness.h"
#include "analysis/measures.h"
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

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_keyness DB COLLECTION [RUNS]\n");
		return 2;
	}
	log_set_enabled(0);
	int runs = argc > 3 ? atoi(argv[3]) : 11;
	if (runs < 1)
		runs = 11;
	char err[512];
	db *d = db_open(argv[1], err, sizeof err);
	if (!d) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	aix *x = aix_new(argv[1]);
	double t0 = now_ms();
	struct aix_coll *c = aix_acquire(x, 0, atoll(argv[2]));
	if (!c) {
		fprintf(stderr, "no collection %s\n", argv[2]);
		return 1;
	}
	double t_index = now_ms() - t0;
	static const char *const filters[] = {"q-interventie = woningaanpassing",
	                                      "q-wijk = centrum",
	                                      "period = 2025-Q2",
	                                      "q-wijk = centrum and period = 2025",
	                                      "q-tevredenheid <= 2",
	                                      "not q-wijk = centrum"};
	/* the first query builds the term lists */
	struct measure_args a = {.c = c, .d = d, .filter = filters[0]};
	json_t *out = NULL;
	t0 = now_ms();
	if (measure_keyness(&a, &out, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	double t_build = now_ms() - t0;
	json_decref(out);
	printf("index %.0f ms; term lists built in %.0f ms, %.0f MB for %u stories\n\n", t_index,
	       t_build, keyness_bytes(c) / 1e6, c->n);
	printf("| filter | stories | terms listed | p50 ms | max ms |\n|---|---|---|---|---|\n");
	for (size_t f = 0; f < sizeof filters / sizeof *filters; f++) {
		double *t = calloc(runs, sizeof *t);
		json_int_t n = 0;
		size_t listed = 0;
		for (int i = 0; i < runs; i++) {
			a.filter = filters[f];
			t0 = now_ms();
			if (measure_keyness(&a, &out, err, sizeof err)) {
				fprintf(stderr, "%s\n", err);
				return 1;
			}
			t[i] = now_ms() - t0;
			n = json_integer_value(
			        json_object_get(json_object_get(out, "target"), "stories"));
			listed = json_array_size(json_object_get(out, "terms"));
			json_decref(out);
		}
		qsort(t, runs, sizeof *t, cmp_d);
		printf("| `%s` | %lld | %zu | %.0f | %.0f |\n", filters[f], (long long)n, listed,
		       t[runs / 2], t[runs - 1]);
		free(t);
	}
	aix_release(c);
	aix_free(x);
	db_close(d);
	return 0;
}
