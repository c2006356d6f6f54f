/* bench_stats.c: timings of the pattern engine's statistics (src/analysis/stats.c) at index scale.
 *
 * A benchmark, not a test: it prints figures (medians of REPS runs) and
 * never fails because the machine was slow. Not yet in bench/run.sh; build
 * and run from the repository root with
 *
 *   cc -std=c17 -D_GNU_SOURCE -O2 -Isrc -o build/bench/bench_stats bench/bench_stats.c \
 *      src/analysis/stats.c -lgsl -lgslcblas -lm && build/bench/bench_stats
 *
 * The budgets it is read against (issue 8): Mann-Whitney on 500k against
 * 500k values well under 100 ms; a two-period comparison over all questions
 * on 1,000,000 stories under 200 ms in total. */
#include "analysis/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { REPS = 7 };

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *t)
{
	qsort(t, REPS, sizeof *t, cmp_double);
	return t[REPS / 2];
}

static volatile double sink;

int main(void)
{
	enum { N = 500000, LEVELS = 101 };
	double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
	double *ra = malloc(N * sizeof *ra), *rb = malloc(N * sizeof *rb);
	double ca[LEVELS] = {0}, cb[LEVELS] = {0};
	double(*za)[2] = malloc(N * sizeof *za), (*zb)[2] = malloc(N * sizeof *zb);
	if (!a || !b || !ra || !rb || !za || !zb)
		return 1;
	uint64_t s = 1;
	for (int i = 0; i < N; i++) {
		a[i] = (double)stats_rand_below(&s, LEVELS);
		b[i] = (double)((stats_rand_below(&s, LEVELS) + stats_rand_below(&s, LEVELS)) / 2);
		ca[(int)a[i]]++;
		cb[(int)b[i]]++;
		ra[i] = (double)stats_rand_next(&s) / 1e19 - 0.9;
		rb[i] = (double)stats_rand_next(&s) / 1e19 - 0.9;
		za[i][0] = ra[i];
		za[i][1] = a[i] / 100;
		zb[i][0] = rb[i] + 0.01;
		zb[i][1] = b[i] / 100;
	}
	double t[REPS];
	struct stats_mw mw;
	printf("| what | median ms |\n|---|---|\n");

	for (int r = 0; r < REPS; r++) {
		double t0 = now_ms();
		stats_mann_whitney(a, N, b, N, &mw);
		t[r] = now_ms() - t0;
	}
	sink = mw.p;
	printf("| Mann-Whitney 500k vs 500k, dyad 0-100 values | %.2f |\n", median(t));

	for (int r = 0; r < REPS; r++) {
		double t0 = now_ms();
		stats_mann_whitney(ra, N, rb, N, &mw);
		t[r] = now_ms() - t0;
	}
	sink = mw.p;
	printf("| Mann-Whitney 500k vs 500k, real values | %.2f |\n", median(t));

	for (int r = 0; r < REPS; r++) {
		double t0 = now_ms();
		for (int q = 0; q < 1000; q++)
			stats_mann_whitney_counts(ca, cb, LEVELS, &mw);
		t[r] = now_ms() - t0;
	}
	sink = mw.p;
	printf("| Mann-Whitney from counts, 101 levels, x1000 | %.3f |\n", median(t));

	struct stats_welch w;
	for (int r = 0; r < REPS; r++) {
		double t0 = now_ms();
		stats_welch(ra, N, rb, N, 0.95, &w);
		t[r] = now_ms() - t0;
	}
	sink = w.p;
	printf("| Welch 500k vs 500k | %.2f |\n", median(t));

	struct stats_hotelling h;
	for (int r = 0; r < REPS; r++) {
		double t0 = now_ms();
		stats_hotelling2(za, N, zb, N, 0, 1, &h);
		t[r] = now_ms() - t0;
	}
	sink = h.p;
	printf("| Hotelling T2 500k vs 500k | %.2f |\n", median(t));

	for (int r = 0; r < REPS; r++) {
		double t0 = now_ms();
		stats_hotelling2(za, 5000, zb, 5000, 999, 1, &h);
		t[r] = now_ms() - t0;
	}
	sink = h.p_perm;
	printf("| Hotelling T2 5k vs 5k, 999 permutations | %.2f |\n", median(t));

	double table[7 * 12];
	for (int i = 0; i < 7 * 12; i++)
		table[i] = (double)(1 + stats_rand_below(&s, 1000));
	struct stats_chisq c;
	for (int r = 0; r < REPS; r++) {
		double t0 = now_ms();
		for (int q = 0; q < 1000; q++)
			stats_chisq(table, 7, 12, &c, NULL);
		t[r] = now_ms() - t0;
	}
	sink = c.p;
	printf("| chi-square 7x12, x1000 | %.3f |\n", median(t));

	free(a);
	free(b);
	free(ra);
	free(rb);
	free(za);
	free(zb);
	return 0;
}
