/* test_stats.c: unit tests of the pattern engine's statistics against reference values from R and SciPy. */
#include "testutil.h"

#include "analysis/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Reference values were printed with 17 significant digits by R 4.2.2
 * (Debian r-base-core; `f <- function(...) cat(paste(sprintf("%.17g",
 * c(...)), collapse=", "), "\n")` is the printer every R command below
 * uses), SciPy 1.10.1 / NumPy 1.24.2 and statsmodels 0.13.5 (Debian
 * python3-scipy, python3-statsmodels; `f` in Python is `print(",
 * ".join("%.17g" % x for x in np.ravel(v)))`). Tolerances: 1e-9 relative
 * for statistics, 1e-7 for p-values (GSL against R/SciPy).
 */
#define REL_STAT 1e-9
#define REL_P    1e-7

static void check_close(double got, double want, double rel, const char *what, const char *file,
                        int line)
{
	double tol = rel * fabs(want) + 1e-14;
	if (!(fabs(got - want) <= tol)) {
		print_error("%s:%d: %s = %.17g, want %.17g (tolerance %.3g)\n", file, line, what,
		            got, want, tol);
		_fail(file, line);
	}
}
#define CLOSE(got, want, rel) check_close((got), (want), (rel), #got, __FILE__, __LINE__)

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- one sample ---- */

static void test_wilson_against_r(void **state)
{
	/* R: for (kn in list(c(7,20), c(0,10), c(10,10), c(1,1), c(523,1000)))
	 *      { ci <- prop.test(kn[1], kn[2], correct=FALSE)$conf.int; f(kn, ci) }
	 * (prop.test without correction gives the Wilson score interval.) */
	static const double ref[][4] = {
	        {7, 20, 0.18119182410108206, 0.56714572331476365},
	        {0, 10, 0, 0.27753279986288915},
	        {10, 10, 0.72246720013711085, 1},
	        {1, 1, 0.2065493143772375, 1},
	        {523, 1000, 0.49201420125459355, 0.55380976785507097},
	};
	const double z = 1.959963984540054; /* R: qnorm(0.975) */
	for (size_t i = 0; i < N_OF(ref); i++) {
		double lo, hi;
		assert_int_equal(stats_wilson(ref[i][0], ref[i][1], z, &lo, &hi), 0);
		CLOSE(lo, ref[i][2], REL_STAT);
		CLOSE(hi, ref[i][3], REL_STAT);
	}
	double lo = 0, hi = 0;
	assert_int_equal(stats_wilson(0, 0, z, &lo, &hi), -1);
	assert_true(isnan(lo) && isnan(hi));
}

static void test_newcombe_against_r(void **state)
{
	(void)state;
	/* R (Newcombe 1998, method 10, from prop.test's Wilson intervals):
	 *   nc <- function(ka,na,kb,nb) { a <- prop.test(ka,na,correct=FALSE)$conf.int;
	 *     b <- prop.test(kb,nb,correct=FALSE)$conf.int; pa <- ka/na; pb <- kb/nb;
	 *     d <- pb-pa; c(d, d - sqrt((pb-b[1])^2+(a[2]-pa)^2),
	 *                   d + sqrt((b[2]-pb)^2+(pa-a[1])^2)) }
	 * The first is Newcombe's own example (0.0524 to 0.3339). */
	static const double ref[][7] = {
	        {48, 80, 56, 70, 0.2, 0.052431472402364926, 0.333872654036905858},
	        {9, 10, 3, 10, -0.6, -0.80901797353548799, -0.17052272393450307},
	        {0, 10, 0, 20, 0, -0.27753279986288915, 0.16112515805281930},
	        {10, 10, 0, 10, -1, -1, -0.60750935043052434},
	        {120, 1000, 180, 1100, 0.04363636363636364, 0.013723012481597973,
	         0.073299586685586990},
	};
	const double z = 1.959963984540054;
	for (size_t i = 0; i < N_OF(ref); i++) {
		double d, lo, hi;
		assert_int_equal(stats_newcombe_diff(ref[i][0], ref[i][1], ref[i][2], ref[i][3], z,
		                                     &d, &lo, &hi),
		                 0);
		assert_true(fabs(d - ref[i][4]) < 1e-12);
		assert_true(fabs(lo - ref[i][5]) < 1e-9);
		assert_true(fabs(hi - ref[i][6]) < 1e-9);
	}
	double d, lo, hi;
	assert_int_equal(stats_newcombe_diff(1, 2, 0, 0, z, &d, &lo, &hi), -1);
	assert_true(isnan(d) && isnan(lo) && isnan(hi));
}

static void test_quantile_against_r(void **state)
{
	/* R: x <- c(1, 2, 2, 3, 5, 8, 13, 13, 21);
	 *    f(quantile(x, c(0, 0.1, 0.25, 0.5, 0.9, 1), type=7)) */
	static const double x[] = {1, 2, 2, 3, 5, 8, 13, 13, 21};
	static const double p[] = {0, 0.1, 0.25, 0.5, 0.9, 1};
	static const double want[] = {1, 1.8, 2, 5, 14.599999999999994, 21};
	for (size_t i = 0; i < N_OF(p); i++)
		CLOSE(stats_quantile_sorted(x, N_OF(x), p[i]), want[i], 1e-15);
	/* One value is every quantile; none gives NaN. */
	double one = 4.5;
	assert_true(stats_quantile_sorted(&one, 1, 0) == 4.5);
	assert_true(stats_quantile_sorted(&one, 1, 0.37) == 4.5);
	assert_true(stats_quantile_sorted(&one, 1, 1) == 4.5);
	assert_true(isnan(stats_quantile_sorted(NULL, 0, 0.5)));
}

static void test_mean_ci_against_r(void **state)
{
	/* R: x <- c(2.5, 3.1, 4.7, 4.7, 5.0, 6.2, 9.9)
	 *    for (lv in c(0.95, 0.9)) { t <- t.test(x, conf.level=lv); f(mean(x), sd(x), t$conf.int) } */
	static const double x[] = {2.5, 3.1, 4.7, 4.7, 5.0, 6.2, 9.9};
	static const double ref[][5] = {
	        {0.95, 5.1571428571428575, 2.4261472494864109, 2.9133308886618412,
	         7.4009548256238729},
	        {0.90, 5.1571428571428575, 2.4261472494864109, 3.3752514627731238,
	         6.9390342515125907},
	};
	for (size_t i = 0; i < N_OF(ref); i++) {
		struct stats_mean_ci ci;
		assert_int_equal(stats_mean_ci(x, N_OF(x), ref[i][0], &ci), 0);
		CLOSE(ci.mean, ref[i][1], REL_STAT);
		CLOSE(ci.sd, ref[i][2], REL_STAT);
		CLOSE(ci.lo, ref[i][3], REL_STAT);
		CLOSE(ci.hi, ref[i][4], REL_STAT);
	}
	struct stats_mean_ci ci;
	assert_int_equal(stats_mean_ci(x, 1, 0.95, &ci), -1);
	assert_true(ci.mean == 2.5);
	assert_true(isnan(ci.sd) && isnan(ci.lo) && isnan(ci.hi));
	assert_int_equal(stats_mean_ci(NULL, 0, 0.95, &ci), -1);
	assert_true(isnan(ci.mean));
}

/* ---- chi-square ---- */

static void test_chisq_3x4_against_r(void **state)
{
	/* R: m <- matrix(c(12,5,0,7, 3,9,4,2, 6,6,10,1), nrow=3, byrow=TRUE)
	 *    r <- suppressWarnings(chisq.test(m, correct=FALSE))
	 *    f(r$statistic, r$p.value, r$parameter, sqrt(r$statistic/(sum(m)*(min(dim(m))-1))))
	 *    f(t(r$stdres))
	 * SciPy agrees: chi2_contingency(m, correction=False)[:3] ==
	 * (22.37234730848861, 0.0010363964614550829, 6). */
	static const double m[] = {12, 5, 0, 7, 3, 9, 4, 2, 6, 6, 10, 1};
	static const double stdres[] = {
	        2.3336312161847097,   -1.3279128470493187,  -3.231835897932029,
	        2.3562222040055834,   -1.668732025988652,   2.0788959836024259,
	        0.082987441957866531, -0.59096281724378474, -0.79362452117879922,
	        -0.60526407912170044, 3.1841451207099611,   -1.8250329700076398,
	};
	struct stats_chisq c;
	double resid[12];
	assert_int_equal(stats_chisq(m, 3, 4, &c, resid), 0);
	CLOSE(c.statistic, 22.372347308488614, REL_STAT);
	CLOSE(c.p, 0.001036396461455082, REL_P);
	assert_int_equal(c.df, 6);
	CLOSE(c.n, 65, 0);
	CLOSE(c.cramers_v, 0.41484331897243598, REL_STAT);
	for (int i = 0; i < 12; i++)
		CLOSE(resid[i], stdres[i], REL_STAT);
	/* resid may be NULL. */
	struct stats_chisq c2;
	assert_int_equal(stats_chisq(m, 3, 4, &c2, NULL), 0);
	assert_true(c2.statistic == c.statistic);
}

static void test_chisq_2x2_against_r(void **state)
{
	/* R: m <- matrix(c(10,20, 30,5), nrow=2, byrow=TRUE); r <- chisq.test(m, correct=FALSE)
	 *    f(r$statistic, r$p.value, r$parameter, sqrt(r$statistic/(sum(m)*(min(dim(m))-1))))
	 *    f(t(r$stdres)) */
	static const double m[] = {10, 20, 30, 5};
	static const double stdres[] = {-4.3273768585819363, 4.3273768585819372, 4.3273768585819363,
	                                -4.3273768585819372};
	struct stats_chisq c;
	double resid[4];
	assert_int_equal(stats_chisq(m, 2, 2, &c, resid), 0);
	CLOSE(c.statistic, 18.726190476190474, REL_STAT);
	CLOSE(c.p, 1.5089565704354277e-05, REL_P);
	assert_int_equal(c.df, 1);
	CLOSE(c.cramers_v, 0.53674504012169322, REL_STAT);
	for (int i = 0; i < 4; i++)
		CLOSE(resid[i], stdres[i], REL_STAT);
}

static void test_chisq_zero_row_and_column(void **state)
{
	/* A 3x4 table with an empty row (2) and an empty column (3) is the
	 * 2x3 table without them. R on that reduced table:
	 *    m <- matrix(c(4,5,0,6, 7,1,0,3), nrow=2, byrow=TRUE)[, c(1,2,4)]
	 *    r <- chisq.test(m, correct=FALSE)
	 *    f(r$statistic, r$p.value, r$parameter, sqrt(r$statistic/(sum(m)*(min(dim(m))-1))))
	 *    f(t(r$stdres)) */
	static const double m[] = {4, 5, 0, 6, 0, 0, 0, 0, 7, 1, 0, 3};
	static const double reduced[] = {-1.8850920626009686, 1.4494861506789571,
	                                 0.67393541849838634, 1.8850920626009686,
	                                 -1.4494861506789571, -0.67393541849838634};
	struct stats_chisq c;
	double resid[12];
	assert_int_equal(stats_chisq(m, 3, 4, &c, resid), 0);
	CLOSE(c.statistic, 3.9632690541781441, REL_STAT);
	CLOSE(c.p, 0.13784374374021935, REL_P);
	assert_int_equal(c.df, 2);
	CLOSE(c.cramers_v, 0.39042723414318559, REL_STAT);
	static const int cell[] = {0, 1, 3, 8, 9, 11};
	for (int i = 0; i < 6; i++)
		CLOSE(resid[cell[i]], reduced[i], REL_STAT);
	static const int empty[] = {2, 4, 5, 6, 7, 10};
	for (int i = 0; i < 6; i++)
		assert_true(isnan(resid[empty[i]]));
}

static void test_chisq_too_few(void **state)
{
	struct stats_chisq c;
	double resid[6];
	/* One non-empty row: nothing to compare. */
	static const double one_row[] = {3, 4, 5, 0, 0, 0};
	assert_int_equal(stats_chisq(one_row, 2, 3, &c, resid), -1);
	assert_true(isnan(c.statistic) && isnan(c.p) && isnan(c.cramers_v));
	assert_int_equal(c.df, 0);
	CLOSE(c.n, 12, 0);
	for (int i = 0; i < 6; i++)
		assert_true(isnan(resid[i]));
	/* One non-empty column. */
	static const double one_col[] = {0, 4, 0, 0, 2, 0};
	assert_int_equal(stats_chisq(one_col, 2, 3, &c, NULL), -1);
	/* Nothing at all. */
	static const double none[] = {0, 0, 0, 0};
	assert_int_equal(stats_chisq(none, 2, 2, &c, NULL), -1);
	CLOSE(c.n, 0, 0);
	/* A single cell. */
	static const double cell[] = {7};
	assert_int_equal(stats_chisq(cell, 1, 1, &c, NULL), -1);
}

static void test_chisq_wide_table_equals_its_transpose(void **state)
{
	/* 300 columns (past the stack buffer of column totals) against the
	 * 300-row transpose (on the stack): the same test. */
	enum { W = 300 };
	static double wide[3 * W], tall[W * 3], rw[3 * W], rt[W * 3];
	uint64_t s = 99;
	for (int j = 0; j < W; j++)
		for (int i = 0; i < 3; i++) {
			double v = j % 37 == 5 ? 0 : (double)(1 + stats_rand_below(&s, 20));
			wide[i * W + j] = v;
			tall[j * 3 + i] = v;
		}
	struct stats_chisq a, b;
	assert_int_equal(stats_chisq(wide, 3, W, &a, rw), 0);
	assert_int_equal(stats_chisq(tall, W, 3, &b, rt), 0);
	CLOSE(a.statistic, b.statistic, 1e-12);
	CLOSE(a.p, b.p, 1e-12);
	CLOSE(a.cramers_v, b.cramers_v, 1e-12);
	assert_int_equal(a.df, b.df);
	assert_int_equal(a.df, 2 * (W - 8 - 1)); /* 8 empty columns: j = 5, 42, ..., 264 */
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < W; j++) {
			if (j % 37 == 5)
				assert_true(isnan(rw[i * W + j]) && isnan(rt[j * 3 + i]));
			else
				CLOSE(rw[i * W + j], rt[j * 3 + i], 1e-12);
		}
}

/* ---- Mann-Whitney ---- */

static void check_mw(const struct stats_mw *mw, const double want[4])
{
	CLOSE(mw->u, want[0], REL_STAT);
	CLOSE(mw->z, want[1], REL_P);
	CLOSE(mw->p, want[2], REL_P);
	CLOSE(mw->rank_biserial, want[3], REL_STAT);
}

static void test_mann_whitney_against_r(void **state)
{
	/* Ties, a zero, unequal sizes. R:
	 *    a <- c(1.1, 2.2, 2.2, 3.5, 4.0, 4.0, 4.0, 7.3)
	 *    b <- c(0.5, 2.2, 3.5, 3.5, 5.1, 6.0, 8.8, 9.1, 9.1, 10.0, 0.0)
	 *    w <- wilcox.test(a, b, exact=FALSE, correct=TRUE)
	 *    f(w$statistic, sign(w$statistic - length(a)*length(b)/2) *
	 *      qnorm(w$p.value/2, lower.tail=FALSE), w$p.value,
	 *      2*w$statistic/(length(a)*length(b)) - 1)
	 * (z is recovered from R's p.) SciPy agrees: mannwhitneyu(a, b,
	 * method="asymptotic", use_continuity=True) == (33.0, 0.38321103828934533). */
	static const double a[] = {1.1, 2.2, 2.2, 3.5, 4.0, 4.0, 4.0, 7.3};
	static const double b[] = {0.5, 2.2, 3.5, 3.5, 5.1, 6.0, 8.8, 9.1, 9.1, 10.0, 0.0};
	static const double want[] = {33, -0.87199512273357738, 0.38321103828934527, -0.25};
	struct stats_mw mw;
	assert_int_equal(stats_mann_whitney(a, N_OF(a), b, N_OF(b), &mw), 0);
	check_mw(&mw, want);
	/* Swapping the groups mirrors u, z and the effect, not p. */
	struct stats_mw sw;
	assert_int_equal(stats_mann_whitney(b, N_OF(b), a, N_OF(a), &sw), 0);
	CLOSE(sw.u, N_OF(a) * N_OF(b) - want[0], 0);
	CLOSE(sw.z, -mw.z, 1e-15);
	CLOSE(sw.p, mw.p, 1e-15);
	CLOSE(sw.rank_biserial, -mw.rank_biserial, 1e-15);
}

static void test_mann_whitney_grid_and_counts(void **state)
{
	/* A 1-7 scale. R:
	 *    a <- c(1,1,2,3,3,3,4,4,5,7,7,7,7); b <- c(2,2,3,4,4,4,5,5,5,6,6,6,7,7,1)
	 *    w <- wilcox.test(a, b, exact=FALSE, correct=TRUE)
	 *    f(w$statistic, sign(w$statistic - length(a)*length(b)/2) *
	 *      qnorm(w$p.value/2, lower.tail=FALSE), w$p.value,
	 *      2*w$statistic/(length(a)*length(b)) - 1)
	 * SciPy: mannwhitneyu(a, b, method="asymptotic") == (89.0, 0.7091559928420533). */
	static const double a[] = {1, 1, 2, 3, 3, 3, 4, 4, 5, 7, 7, 7, 7};
	static const double b[] = {2, 2, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 1};
	static const double want[] = {89, -0.37298985730801676, 0.70915599284205333,
	                              -0.087179487179487203};
	struct stats_mw mw, mc;
	assert_int_equal(stats_mann_whitney(a, N_OF(a), b, N_OF(b), &mw), 0);
	check_mw(&mw, want);
	/* The same as per-level counts (a level nobody chose, 0, included). */
	double ca[8] = {0}, cb[8] = {0};
	for (size_t i = 0; i < N_OF(a); i++)
		ca[(int)a[i]]++;
	for (size_t i = 0; i < N_OF(b); i++)
		cb[(int)b[i]]++;
	assert_int_equal(stats_mann_whitney_counts(ca, cb, 8, &mc), 0);
	assert_memory_equal(&mc, &mw, sizeof mw);
}

static void test_mann_whitney_counts_large_is_exact(void **state)
{
	/* A dyad 0-100 on 20000 against 15000 answers: the radix-sorted path
	 * and the counting path give the same bits. */
	enum { NA = 20000, NB = 15000, L = 101 };
	double *a = malloc(NA * sizeof *a), *b = malloc(NB * sizeof *b);
	double ca[L] = {0}, cb[L] = {0};
	assert_non_null(a);
	assert_non_null(b);
	uint64_t s = 7;
	for (int i = 0; i < NA; i++) {
		a[i] = (double)stats_rand_below(&s, L);
		ca[(int)a[i]]++;
	}
	for (int i = 0; i < NB; i++) {
		b[i] = (double)(stats_rand_below(&s, L) + stats_rand_below(&s, L)) / 2;
		b[i] = floor(b[i]); /* shifted toward the middle */
		cb[(int)b[i]]++;
	}
	struct stats_mw mw, mc;
	assert_int_equal(stats_mann_whitney(a, NA, b, NB, &mw), 0);
	assert_int_equal(stats_mann_whitney_counts(ca, cb, L, &mc), 0);
	assert_memory_equal(&mc, &mw, sizeof mw);
	free(a);
	free(b);
}

static void test_mann_whitney_large_real_values(void **state)
{
	/* Real values with negatives, -0 and +0 and repeats, over the radix
	 * path: U against the definition (pairs where a wins, half for ties). */
	enum { NA = 1500, NB = 1100 };
	double *a = malloc(NA * sizeof *a), *b = malloc(NB * sizeof *b);
	assert_non_null(a);
	assert_non_null(b);
	uint64_t s = 12345;
	for (int i = 0; i < NA; i++) {
		int64_t r = (int64_t)stats_rand_below(&s, 4001) - 2000;
		a[i] = r % 7 == 0 ? -0.0 : (double)r / 16.0 + 1e-3 * (double)(r % 3);
	}
	for (int i = 0; i < NB; i++) {
		int64_t r = (int64_t)stats_rand_below(&s, 4001) - 1500;
		b[i] = r % 5 == 0 ? 0.0 : (double)r / 16.0;
	}
	double u = 0;
	for (int i = 0; i < NA; i++)
		for (int j = 0; j < NB; j++)
			u += a[i] > b[j] ? 1 : a[i] == b[j] ? 0.5 : 0;
	struct stats_mw mw;
	assert_int_equal(stats_mann_whitney(a, NA, b, NB, &mw), 0);
	CLOSE(mw.u, u, 0);
	CLOSE(mw.rank_biserial, 2 * u / ((double)NA * NB) - 1, 1e-15);
	assert_true(mw.z < 0 && mw.p < 1e-6); /* b is shifted up by 500/16 */
	free(a);
	free(b);
}

static void test_mann_whitney_edges(void **state)
{
	struct stats_mw mw;
	static const double a[] = {1, 2, 3};
	assert_int_equal(stats_mann_whitney(a, 3, NULL, 0, &mw), -1);
	assert_true(isnan(mw.u) && isnan(mw.z) && isnan(mw.p) && isnan(mw.rank_biserial));
	assert_int_equal(stats_mann_whitney(NULL, 0, a, 3, &mw), -1);
	/* All ties: no variance; u and the effect still say "equal". */
	static const double t[] = {4, 4, 4, 4, 4};
	assert_int_equal(stats_mann_whitney(t, 2, t, 3, &mw), -1);
	CLOSE(mw.u, 3, 0);
	CLOSE(mw.rank_biserial, 0, 0);
	assert_true(isnan(mw.z) && isnan(mw.p));
	double ca[3] = {0, 2, 0}, cb[3] = {0, 3, 0};
	assert_int_equal(stats_mann_whitney_counts(ca, cb, 3, &mw), -1);
	/* -0 and +0 are one value. */
	const double nz = -0.0, pz = 0.0;
	assert_int_equal(stats_mann_whitney(&nz, 1, &pz, 1, &mw), -1);
	CLOSE(mw.u, 0.5, 0);
	/* n = 1 each, different: R gives W = 1, p = 1 (z = 0 after the
	 * continuity correction): wilcox.test(2, 1, exact=FALSE)$p.value. */
	const double one = 1, two = 2;
	assert_int_equal(stats_mann_whitney(&two, 1, &one, 1, &mw), 0);
	CLOSE(mw.u, 1, 0);
	CLOSE(mw.p, 1, 0);
	assert_int_equal(stats_mann_whitney_counts(NULL, NULL, 0, &mw), -1);
}

/* ---- Welch ---- */

static void test_welch_against_r(void **state)
{
	/* R: a <- c(5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3)
	 *    b <- c(6.5, 6.8, 7.1, 6.0, 7.4, 6.9, 7.7, 8.0, 6.2)
	 *    for (lv in c(0.95, 0.9)) { t <- t.test(a, b, var.equal=FALSE, conf.level=lv)
	 *      f(t$estimate[1]-t$estimate[2], t$conf.int, t$statistic, t$parameter, t$p.value) }
	 * SciPy: ttest_ind(a, b, equal_var=False) == (-4.917127071823205,
	 * 0.00022956799543598198).
	 * Hedges' g, Python (exact J):
	 *    m=len(a)+len(b)-2; sp=np.sqrt(((len(a)-1)*a.var(ddof=1)+(len(b)-1)*b.var(ddof=1))/m)
	 *    J=np.exp(gammaln(m/2)-0.5*np.log(m/2)-gammaln((m-1)/2)); f((a.mean()-b.mean())/sp*J) */
	static const double a[] = {5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3};
	static const double b[] = {6.5, 6.8, 7.1, 6.0, 7.4, 6.9, 7.7, 8.0, 6.2};
	static const double ref[][7] = {
	        {0.95, -1.412698412698413, -2.0291308305853581, -0.79626599481146787,
	         -4.917127071823205, 13.9441081170496, 0.00022956799543598171},
	        {0.90, -1.412698412698413, -1.9188689690012517, -0.90652785639557443,
	         -4.917127071823205, 13.9441081170496, 0.00022956799543598171},
	};
	for (size_t i = 0; i < N_OF(ref); i++) {
		struct stats_welch w;
		assert_int_equal(stats_welch(a, N_OF(a), b, N_OF(b), ref[i][0], &w), 0);
		CLOSE(w.diff, ref[i][1], REL_STAT);
		CLOSE(w.lo, ref[i][2], REL_STAT);
		CLOSE(w.hi, ref[i][3], REL_STAT);
		CLOSE(w.t, ref[i][4], REL_STAT);
		CLOSE(w.df, ref[i][5], REL_STAT);
		CLOSE(w.p, ref[i][6], REL_P);
		CLOSE(w.hedges_g, -2.2436982829299481, REL_STAT);
	}
}

/* From sizes, means and variances: the same as from the values (R's
 * figures above: mean(a) = 5.542857142857143, var(a) = 0.22952380952380955,
 * mean(b) = 6.955555555555556, var(b) = 0.44777777777777783; Python statistics). */
static void test_welch_moments(void **state)
{
	struct stats_welch w;
	assert_int_equal(stats_welch_moments(7, 5.542857142857143, 0.22952380952380955, 9,
	                                     6.955555555555556, 0.44777777777777783, 0.95, &w),
	                 0);
	CLOSE(w.diff, -1.412698412698413, REL_STAT);
	CLOSE(w.lo, -2.0291308305853581, 1e-9);
	CLOSE(w.hi, -0.79626599481146787, 1e-9);
	CLOSE(w.df, 13.9441081170496, 1e-9);
	CLOSE(w.p, 0.00022956799543598171, 1e-7);
	CLOSE(w.hedges_g, -2.2436982829299481, 1e-9);
	assert_int_equal(stats_welch_moments(1, 3, 0, 9, 6, 1, 0.95, &w), -1);
	assert_int_equal(stats_welch_moments(5, 3, 0, 9, 6, 0, 0.95, &w), -1);
}

static void test_welch_one_group_constant(void **state)
{
	/* R: t <- t.test(c(3,3,3), c(1,2,4,6))
	 *    f(t$estimate[1]-t$estimate[2], t$conf.int, t$statistic, t$parameter, t$p.value)
	 * Hedges' g with the Python formula above: -0.12237570199048181. */
	static const double a[] = {3, 3, 3}, b[] = {1, 2, 4, 6};
	struct stats_welch w;
	assert_int_equal(stats_welch(a, 3, b, 4, 0.95, &w), 0);
	CLOSE(w.diff, -0.25, REL_STAT);
	CLOSE(w.lo, -3.7783078589306962, REL_STAT);
	CLOSE(w.hi, 3.2783078589306962, REL_STAT);
	CLOSE(w.t, -0.22549380840084865, REL_STAT);
	CLOSE(w.df, 3, REL_STAT);
	CLOSE(w.p, 0.83608322580796268, REL_P);
	CLOSE(w.hedges_g, -0.12237570199048181, REL_STAT);
}

static void test_welch_edges(void **state)
{
	struct stats_welch w;
	static const double a[] = {3, 3, 3}, b[] = {5, 5}, c[] = {1, 2};
	/* Neither group varies. */
	assert_int_equal(stats_welch(a, 3, b, 2, 0.95, &w), -1);
	CLOSE(w.diff, -2, 0);
	assert_true(isnan(w.t) && isnan(w.p) && isnan(w.lo) && isnan(w.hedges_g));
	/* A group of one. */
	assert_int_equal(stats_welch(c, 1, c, 2, 0.95, &w), -1);
	CLOSE(w.diff, -0.5, 0);
	assert_true(isnan(w.p));
	assert_int_equal(stats_welch(NULL, 0, c, 2, 0.95, &w), -1);
	assert_true(isnan(w.diff));
}

/* ---- Wilcoxon signed rank ---- */

static void test_wilcoxon_against_r(void **state)
{
	/* Zeros dropped, ties. R:
	 *    for (d in list(c(1.5, -0.5, 2.0, 0, 3.0, 2.0, -2.0, 4.5, 0, 1.0, 2.0, -1.0),
	 *                   c(-3, -1, -2, -2, 0.5))) {
	 *      w <- suppressWarnings(wilcox.test(d, exact=FALSE, correct=TRUE))
	 *      n <- sum(d != 0); tot <- n*(n+1)/2
	 *      f(w$statistic, sign(w$statistic - tot/2) * qnorm(w$p.value/2, lower.tail=FALSE),
	 *        w$p.value, (2*w$statistic - tot)/tot, n) }
	 * SciPy on the first: wilcoxon(d, zero_method="wilcox", correction=True,
	 * method="approx") == (10.0 = W-, 0.08093060764773466). */
	static const double d1[] = {1.5, -0.5, 2.0, 0, 3.0, 2.0, -2.0, 4.5, 0, 1.0, 2.0, -1.0};
	static const double d2[] = {-3, -1, -2, -2, 0.5};
	static const double want1[] = {45, 1.7453118079537737, 0.080930607647734687,
	                               0.63636363636363635, 10};
	static const double want2[] = {1, -1.6254851075486312, 0.10405923452892797,
	                               -0.8666666666666667, 5};
	const double *d[] = {d1, d2};
	const size_t n[] = {N_OF(d1), N_OF(d2)};
	const double *want[] = {want1, want2};
	for (int i = 0; i < 2; i++) {
		struct stats_wilcoxon w;
		assert_int_equal(stats_wilcoxon_signed_rank(d[i], n[i], &w), 0);
		CLOSE(w.w_plus, want[i][0], REL_STAT);
		CLOSE(w.z, want[i][1], REL_P);
		CLOSE(w.p, want[i][2], REL_P);
		CLOSE(w.rank_biserial, want[i][3], REL_STAT);
		assert_int_equal(w.n_used, (size_t)want[i][4]);
	}
}

static void test_wilcoxon_edges(void **state)
{
	struct stats_wilcoxon w;
	static const double zeros[] = {0, 0, 0};
	assert_int_equal(stats_wilcoxon_signed_rank(zeros, 3, &w), -1);
	assert_int_equal(w.n_used, 0);
	assert_true(isnan(w.p) && isnan(w.z) && isnan(w.w_plus));
	assert_int_equal(stats_wilcoxon_signed_rank(NULL, 0, &w), -1);
	/* One non-zero difference: R wilcox.test(c(0, 2), exact=FALSE)
	 * gives V = 1, p = 1. */
	static const double one[] = {0, 2};
	assert_int_equal(stats_wilcoxon_signed_rank(one, 2, &w), 0);
	CLOSE(w.w_plus, 1, 0);
	CLOSE(w.p, 1, 0);
	CLOSE(w.rank_biserial, 1, 0);
	assert_int_equal(w.n_used, 1);
	/* All tied differences still have a variance. */
	static const double tied[] = {1, 1, 1, 1};
	assert_int_equal(stats_wilcoxon_signed_rank(tied, 4, &w), 0);
	assert_true(w.p > 0 && w.p < 1);
}

/* ---- weighted kappa ---- */

static void test_weighted_kappa_against_statsmodels(void **state)
{
	/* statsmodels' own implementation of Fleiss, Cohen and Everitt (1969):
	 *    from statsmodels.stats.inter_rater import cohens_kappa
	 *    t=np.zeros((k,k)); np.add.at(t,(np.array(a)-1,np.array(b)-1),1)
	 *    for wt in ('quadratic','linear'): r=cohens_kappa(t, wt=wt)
	 *      print(r.kappa, r.std_kappa, r.kappa_low, r.kappa_upp)   # with %.17g
	 * The same to 1e-14 from the formula in NumPy on the k x k table:
	 *    var=((p*(w-(wi[:,None]+wj[None,:])*(1-kap))**2).sum()-(kap-pe*(1-kap))**2)/(n*(1-pe)**2)
	 *    with wi=w@pc, wj=pr@w. (R psych 2.2.9 cohen.kappa gives the same
	 *    kappa but another variance: its row weights are summed the wrong way.) */
	static const int a4[] = {1, 2, 2, 3, 4, 4, 1, 3, 3, 2, 4, 1, 2, 3, 4};
	static const int b4[] = {1, 2, 3, 3, 4, 3, 2, 3, 4, 2, 4, 1, 1, 3, 3};
	static const int a5[] = {1, 1, 2, 2, 3, 3, 3, 5, 5, 1}; /* 4 is never used */
	static const int b5[] = {1, 2, 2, 3, 3, 3, 5, 5, 5, 1};
	static const struct {
		const int *a, *b;
		size_t n;
		int k, quadratic;
		double want[4];
	} cases[] = {
	        {a4,
	         b4,
	         15,
	         4,
	         1,
	         {0.81927710843373491, 0.068477493774506959, 0.68506368688413544,
	          0.95349052998333439}},
	        {a4,
	         b4,
	         15,
	         4,
	         0,
	         {0.65909090909090917, 0.11459785291725585, 0.43448324466746929,
	          0.883698573514349}},
	        {a5,
	         b5,
	         10,
	         5,
	         1,
	         {0.86363636363636365, 0.091982301567492167, 0.68335436534897687,
	          1.0439183619237504}},
	        {a5,
	         b5,
	         10,
	         5,
	         0,
	         {0.75609756097560976, 0.13322280695986521, 0.49498565741494183,
	          1.0172094645362777}},
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		struct stats_kappa kp;
		assert_int_equal(stats_weighted_kappa(cases[i].a, cases[i].b, cases[i].n,
		                                      cases[i].k, cases[i].quadratic, &kp),
		                 0);
		CLOSE(kp.kappa, cases[i].want[0], REL_STAT);
		CLOSE(kp.se, cases[i].want[1], REL_STAT);
		CLOSE(kp.lo, cases[i].want[2], REL_STAT);
		CLOSE(kp.hi, cases[i].want[3], REL_STAT);
	}
}

static void test_weighted_kappa_edges(void **state)
{
	struct stats_kappa kp;
	static const int a[] = {2, 2, 2, 2}, b[] = {1, 2, 3, 1};
	/* Everyone in one category: no expected disagreement. */
	assert_int_equal(stats_weighted_kappa(a, a, 4, 3, 1, &kp), -1);
	assert_true(isnan(kp.kappa) && isnan(kp.se));
	assert_int_equal(stats_weighted_kappa(a, b, 1, 3, 1, &kp), -1);
	assert_int_equal(stats_weighted_kappa(NULL, NULL, 0, 3, 0, &kp), -1);
	/* Perfect agreement: kappa 1, no spread. */
	assert_int_equal(stats_weighted_kappa(b, b, 4, 3, 0, &kp), 0);
	CLOSE(kp.kappa, 1, 1e-15);
	CLOSE(kp.se, 0, 0);
}

/* ---- Benjamini-Hochberg ---- */

static void test_bh_against_r(void **state)
{
	/* R: p <- c(0.01, 0.04, 0.03, NA, 0.04, 0.2, 0.5, 0.001, 0.9); f(p.adjust(p, "BH")) */
	double p[] = {0.01, 0.04, 0.03, NAN, 0.04, 0.2, 0.5, 0.001, 0.9};
	static const double want[] = {0.040000000000000001, 0.064000000000000001,
	                              0.064000000000000001, NAN,
	                              0.064000000000000001, 0.26666666666666666,
	                              0.5714285714285714,   0.0080000000000000002,
	                              0.90000000000000002};
	double q[N_OF(p)];
	stats_bh(p, N_OF(p), q);
	for (size_t i = 0; i < N_OF(p); i++) {
		if (isnan(want[i]))
			assert_true(isnan(q[i]));
		else
			CLOSE(q[i], want[i], 1e-15);
	}
	/* In place. */
	stats_bh(p, N_OF(p), p);
	assert_memory_equal(p, q, sizeof q);
	stats_bh(NULL, 0, NULL);
	/* Adjusted values never exceed 1: R p.adjust(c(0.9, 0.95), "BH") == c(0.95, 0.95). */
	double big[] = {0.9, 0.95};
	stats_bh(big, 2, big);
	CLOSE(big[0], 0.95, 1e-15);
	CLOSE(big[1], 0.95, 1e-15);
}

/* ---- triads ---- */

/* Python (NumPy), for the triad blocks below:
 *    X=np.array([[0.2,0.3,0.5],[0.6,0.4,0],[1,0,0],[0.1,0.1,0.8],[0.33,0.33,0.34],
 *                [0.5,0.25,0.25],[0.05,0.7,0.25]]); delta=0.0065
 *    def repl(x): z=(x==0); return np.where(z, delta, x*(1-z.sum()*delta))
 *    R=np.array([repl(x) for x in X]); f(R[1]); f(R[2])
 *    def ilr(x): return np.array([np.sqrt(2/3)*np.log(x[0]/np.sqrt(x[1]*x[2])),
 *                                 np.sqrt(1/2)*np.log(x[1]/x[2])])
 *    Z=np.array([ilr(r) for r in R]); f(Z[0]); f(Z[2])
 *    g=np.exp(np.log(R).mean(0)); g/=g.sum(); f(g)   # the closed geometric mean, directly
 *    zm=Z.mean(0); S=np.cov(Z.T, ddof=1); f(zm); f(S[0,0],S[0,1],S[1,1])
 *    n=len(Z); c2=2*(n-1)/(n*(n-2))*st.f.ppf(0.95,2,n-2); f(c2)
 *    ev,evec=np.linalg.eigh(S); f(np.sqrt(ev[1]*c2), np.sqrt(ev[0]*c2))
 *    f(np.arctan(evec[1,1]/evec[0,1]))
 */
static const double triad_x[7][3] = {
        {0.2, 0.3, 0.5},    {0.6, 0.4, 0},     {1, 0, 0},         {0.1, 0.1, 0.8},
        {0.33, 0.33, 0.34}, {0.5, 0.25, 0.25}, {0.05, 0.7, 0.25},
};

static void test_triad_zero_replace_and_ilr(void **state)
{
	double r[3], z[2], back[3];
	triad_zero_replace(triad_x[1], TRIAD_DELTA, r);
	CLOSE(r[0], 0.59609999999999996, 1e-15);
	CLOSE(r[1], 0.39740000000000003, 1e-15);
	CLOSE(r[2], 0.0064999999999999997, 1e-15);
	/* Two zeros. */
	triad_zero_replace(triad_x[2], TRIAD_DELTA, r);
	CLOSE(r[0], 0.98699999999999999, 1e-15);
	CLOSE(r[1], 0.0064999999999999997, 1e-15);
	CLOSE(r[2], 0.0064999999999999997, 1e-15);
	CLOSE(r[0] + r[1] + r[2], 1, 1e-15);
	triad_ilr(r, z);
	CLOSE(z[0], 4.1011544362090433, REL_STAT);
	CLOSE(z[1], 0, 0);
	triad_ilr(triad_x[0], z);
	CLOSE(z[0], -0.53960456208340912, REL_STAT);
	CLOSE(z[1], -0.36120826256878008, REL_STAT);
	/* ilr_inv undoes ilr. */
	for (int i = 0; i < 7; i++) {
		triad_zero_replace(triad_x[i], TRIAD_DELTA, r);
		triad_ilr(r, z);
		triad_ilr_inv(z, back);
		for (int j = 0; j < 3; j++)
			CLOSE(back[j], r[j], 1e-12);
	}
	/* No zero: unchanged. */
	triad_zero_replace(triad_x[0], TRIAD_DELTA, r);
	assert_memory_equal(r, triad_x[0], sizeof r);
	/* Far out in ILR space the inverse stays a composition. */
	double far[2] = {800, -700};
	triad_ilr_inv(far, back);
	assert_true(back[0] >= 0 && back[1] >= 0 && back[2] >= 0);
	CLOSE(back[0] + back[1] + back[2], 1, 1e-15);
}

static void test_triad_geomean_against_numpy(void **state)
{
	double gm[3], m[2], cov[3];
	assert_int_equal(triad_geomean(triad_x, 7, TRIAD_DELTA, gm, m, cov), 0);
	CLOSE(gm[0], 0.47762992831100487, REL_STAT);
	CLOSE(gm[1], 0.30774479026091639, REL_STAT);
	CLOSE(gm[2], 0.21462528142807871, REL_STAT);
	CLOSE(m[0], 0.50602701436191377, REL_STAT);
	CLOSE(m[1], 0.25482516612763767, REL_STAT);
	CLOSE(cov[0], 3.9014487656274053, REL_STAT);
	CLOSE(cov[1], 0.85411223856006002, REL_STAT);
	CLOSE(cov[2], 1.8045712765831161, REL_STAT);
	/* NULL outputs allowed. */
	double gm2[3];
	assert_int_equal(triad_geomean(triad_x, 7, TRIAD_DELTA, gm2, NULL, NULL), 0);
	assert_memory_equal(gm, gm2, sizeof gm);
	/* One answer: its own mean, no covariance. */
	assert_int_equal(triad_geomean(triad_x, 1, TRIAD_DELTA, gm, m, cov), 0);
	for (int j = 0; j < 3; j++)
		CLOSE(gm[j], triad_x[0][j], 1e-14);
	assert_true(isnan(cov[0]) && isnan(cov[1]) && isnan(cov[2]));
	assert_int_equal(triad_geomean(NULL, 0, TRIAD_DELTA, gm, m, cov), -1);
	assert_true(isnan(gm[0]) && isnan(m[0]) && isnan(cov[0]));
}

static void test_triad_confidence_region(void **state)
{
	enum { NP = 48 };
	double gm[3], m[2], cov[3], pts[NP][3];
	assert_int_equal(triad_geomean(triad_x, 7, TRIAD_DELTA, gm, m, cov), 0);
	struct triad_region reg;
	assert_int_equal(triad_confidence_region(m, cov, 7, 0.95, &reg, pts, NP), 0);
	CLOSE(reg.axis_a, 2.8883525544725868, REL_STAT);
	CLOSE(reg.axis_b, 1.7254342188811269, REL_STAT);
	CLOSE(reg.angle, 0.34180558889922547, 1e-8); /* eigenvector to ~1e-9 */
	/* The centre maps to the geometric mean. */
	double c[3];
	triad_ilr_inv(reg.centre, c);
	for (int j = 0; j < 3; j++)
		CLOSE(c[j], gm[j], 1e-12);
	/* Every point is a composition on the ellipse
	 * (z - zbar)' S^-1 (z - zbar) = 2(n-1)/(n(n-2)) F(0.95; 2, n-2),
	 * c2 from SciPy: 2*(n-1)/(n*(n-2))*scipy.stats.f.ppf(0.95,2,n-2), n = 7. */
	const double c2 = 1.9838177291485593;
	double det = cov[0] * cov[2] - cov[1] * cov[1];
	for (int i = 0; i < NP; i++) {
		double z[2];
		assert_true(pts[i][0] > 0 && pts[i][1] > 0 && pts[i][2] > 0);
		CLOSE(pts[i][0] + pts[i][1] + pts[i][2], 1, 1e-15);
		triad_ilr(pts[i], z);
		double d0 = z[0] - m[0], d1 = z[1] - m[1];
		double q = (cov[2] * d0 * d0 - 2 * cov[1] * d0 * d1 + cov[0] * d1 * d1) / det;
		CLOSE(q, c2, 1e-9);
	}
	/* npoints 0 with no array. */
	assert_int_equal(triad_confidence_region(m, cov, 7, 0.95, &reg, NULL, 0), 0);

	/* Twenty million answers (GSL's F inverse does not converge there).
	 * SciPy: n=20000000; f(2*(n-1)/(n*(n-2))*st.f.ppf(0.95,2,n-2)) */
	const double c2_big = 2.99573287279861e-07;
	assert_int_equal(triad_confidence_region(m, cov, 20000000, 0.95, &reg, pts, NP), 0);
	for (int i = 0; i < NP; i++) {
		double z[2];
		triad_ilr(pts[i], z);
		double d0 = z[0] - m[0], d1 = z[1] - m[1];
		double q = (cov[2] * d0 * d0 - 2 * cov[1] * d0 * d1 + cov[0] * d1 * d1) / det;
		CLOSE(q, c2_big, 1e-8);
	}
}

static void test_triad_confidence_region_degenerate(void **state)
{
	double gm[3], m[2], cov[3], pts[4][3];
	struct triad_region reg;
	/* Too few. */
	assert_int_equal(triad_geomean(triad_x, 2, TRIAD_DELTA, gm, m, cov), 0);
	assert_int_equal(triad_confidence_region(m, cov, 2, 0.95, &reg, pts, 4), -1);
	assert_true(isnan(reg.axis_a) && isnan(pts[0][0]));
	/* Everyone gave the same answer: zero covariance. */
	static const double same[4][3] = {
	        {0.2, 0.3, 0.5}, {0.2, 0.3, 0.5}, {0.2, 0.3, 0.5}, {0.2, 0.3, 0.5}};
	assert_int_equal(triad_geomean(same, 4, TRIAD_DELTA, gm, m, cov), 0);
	assert_int_equal(triad_confidence_region(m, cov, 4, 0.95, &reg, pts, 4), -1);
	/* Answers on a line in ILR space (the same x2 : x3 ratio): singular. */
	static const double line[4][3] = {
	        {0.1, 0.3, 0.6}, {0.4, 0.2, 0.4}, {0.7, 0.1, 0.2}, {0.25, 0.25, 0.5}};
	assert_int_equal(triad_geomean(line, 4, TRIAD_DELTA, gm, m, cov), 0);
	assert_int_equal(triad_confidence_region(m, cov, 4, 0.95, &reg, pts, 4), -1);
}

static void test_triad_zone(void **state)
{
	static const struct {
		double x[3];
		int zone;
	} cases[] = {
	        {{0.6, 0.4, 0}, TRIAD_ZONE_A},           {{0.59, 0.41, 0}, TRIAD_ZONE_AB},
	        {{0.2, 0.6, 0.2}, TRIAD_ZONE_B},         {{0, 0, 1}, TRIAD_ZONE_C},
	        {{0.4, 0.4, 0.2}, TRIAD_ZONE_CENTRE},    {{0.41, 0.4, 0.19}, TRIAD_ZONE_AB},
	        {{0.19, 0.41, 0.4}, TRIAD_ZONE_BC},      {{0.4, 0.19, 0.41}, TRIAD_ZONE_AC},
	        {{0.34, 0.33, 0.33}, TRIAD_ZONE_CENTRE}, {{0.2, 0.2, 0.6}, TRIAD_ZONE_C},
	        {{0.0, 0.5, 0.5}, TRIAD_ZONE_BC},        {{0.5, 0.0, 0.5}, TRIAD_ZONE_AC},
	};
	for (size_t i = 0; i < N_OF(cases); i++)
		assert_int_equal(triad_zone(cases[i].x), cases[i].zone);
}

static void test_triad_bins(void **state)
{
	for (int k = 1; k <= 12; k++) {
		/* Every bin's centre falls in that bin. */
		for (int b = 0; b < k * k; b++) {
			double c[3];
			triad_bin_centre(b, k, c);
			assert_true(c[0] > 0 && c[1] > 0 && c[2] > 0);
			assert_int_equal(triad_bin(c, k), b);
		}
		/* A small triangle is where floor(k x1), floor(k x2), floor(k x3)
		 * are constant: random points share those with their bin's centre. */
		uint64_t s = (uint64_t)k;
		for (int t = 0; t < 2000; t++) {
			double x[3], c[3];
			x[0] = (double)stats_rand_below(&s, 1000000) + 0.5;
			x[1] = (double)stats_rand_below(&s, 1000000) + 0.5;
			if (x[0] + x[1] >= 1000000)
				continue;
			x[2] = 1000000 - x[0] - x[1];
			for (int j = 0; j < 3; j++)
				x[j] /= 1000000;
			int b = triad_bin(x, k);
			assert_true(b >= 0 && b < k * k);
			triad_bin_centre(b, k, c);
			for (int j = 0; j < 3; j++)
				assert_int_equal((int)floor(k * x[j]), (int)floor(k * c[j]));
		}
		/* Corners, edges and grid vertices land in some valid bin. */
		for (int i = 0; i <= k; i++)
			for (int j = 0; i + j <= k; j++) {
				double x[3] = {(double)i / k, (double)j / k,
				               (double)(k - i - j) / k};
				int b = triad_bin(x, k);
				assert_true(b >= 0 && b < k * k);
			}
	}
	/* k = 10 on the widget's 0.01 grid: rounding does not split a grid
	 * line (0.3 * 10 is 2.9999...). */
	double p[3] = {0.3, 0.3, 0.4}, q[3] = {0.3 + 1e-12, 0.3, 0.4 - 1e-12};
	assert_int_equal(triad_bin(p, 10), triad_bin(q, 10));
	/* Found by search over the 0.01 grid: 20 * 0.55 / (0.34 + 0.55 + 0.11)
	 * is 10.999999999999998 in doubles, yet the point is on the line 11. */
	double r[3] = {0.34, 0.55, 0.11}, t[3] = {0.34, 0.55 + 1e-12, 0.11 - 1e-12};
	assert_int_equal(triad_bin(r, 20), triad_bin(t, 20));
	double one[3] = {1, 0, 0};
	assert_int_equal(triad_bin(one, 1), 0);
}

/* ---- Hotelling ---- */

/* Python (NumPy, SciPy):
 *    na,nb=len(za),len(zb); d=za.mean(0)-zb.mean(0)
 *    Sp=((na-1)*np.cov(za.T)+(nb-1)*np.cov(zb.T))/(na+nb-2)
 *    D2=d@np.linalg.solve(Sp,d); T2=na*nb/(na+nb)*D2; N=na+nb; F=(N-3)/(2*(N-2))*T2
 *    f(T2,F,2,N-3,st.f.sf(F,2,N-3),np.sqrt(D2))
 */
static const double hot_a[6][2] = {{0.1, 0.5}, {0.4, 0.2}, {-0.3, 0.9},
                                   {0.8, 0.1}, {0.2, 0.6}, {0.0, 0.3}};
static const double hot_b[8][2] = {{1.1, -0.2}, {0.9, 0.3},  {1.5, -0.4}, {0.7, 0.0},
                                   {1.2, 0.5},  {1.8, -0.1}, {1.0, 0.1},  {0.6, -0.6}};

static void test_hotelling2_against_numpy(void **state)
{
	struct stats_hotelling h;
	assert_int_equal(stats_hotelling2(hot_a, 6, hot_b, 8, 0, 1, &h), 0);
	CLOSE(h.t2, 20.920980225553912, REL_STAT);
	CLOSE(h.f, 9.5887826033788759, REL_STAT);
	CLOSE(h.df1, 2, 0);
	CLOSE(h.df2, 11, 0);
	CLOSE(h.p, 0.0038850506473153777, REL_P);
	CLOSE(h.mahalanobis_d, 2.4702130608080264, REL_STAT);
	assert_true(isnan(h.p_perm));
	/* The other way round: the same test. */
	struct stats_hotelling g;
	assert_int_equal(stats_hotelling2(hot_b, 8, hot_a, 6, 0, 1, &g), 0);
	CLOSE(g.t2, h.t2, 1e-12);
	CLOSE(g.p, h.p, 1e-12);
}

static void test_hotelling2_permutations(void **state)
{
	struct stats_hotelling h1, h2, h3;
	assert_int_equal(stats_hotelling2(hot_a, 6, hot_b, 8, 999, 42, &h1), 0);
	assert_int_equal(stats_hotelling2(hot_a, 6, hot_b, 8, 999, 42, &h2), 0);
	/* Same seed, same value; on a (1 + k) / 1000 grid. */
	assert_memory_equal(&h1, &h2, sizeof h1);
	double k = h1.p_perm * 1000 - 1;
	CLOSE(k, round(k), 1e-9);
	/* Clearly different groups: small (the F test says 0.004). */
	assert_true(h1.p_perm < 0.02);
	assert_int_equal(stats_hotelling2(hot_a, 6, hot_b, 8, 999, 43, &h3), 0);
	assert_true(h3.p_perm < 0.02);
	/* The larger group first: the smaller one (now b) is drawn. */
	assert_int_equal(stats_hotelling2(hot_b, 8, hot_a, 6, 999, 42, &h3), 0);
	assert_true(h3.p_perm < 0.02);

	/* Two groups drawn from one set: not small. */
	enum { N = 60 };
	double pool[N][2];
	uint64_t s = 2024;
	for (int i = 0; i < N; i++) {
		pool[i][0] = (double)stats_rand_below(&s, 1000) / 500.0 - 1;
		pool[i][1] = (double)stats_rand_below(&s, 1000) / 250.0 - 2;
	}
	struct stats_hotelling h;
	assert_int_equal(stats_hotelling2(pool, 25, pool + 25, N - 25, 999, 7, &h), 0);
	assert_true(h.p > 0.1);
	assert_true(h.p_perm > 0.1);
	/* The permutation and F p-values tell the same story. */
	assert_true(fabs(h.p_perm - h.p) < 0.1);
	/* A swapped-in group of one still works (the partial shuffle draws it). */
	assert_int_equal(stats_hotelling2(pool, 1, pool + 1, N - 1, 99, 7, &h), 0);
	assert_true(h.p_perm > 0 && h.p_perm <= 1);
}

/* T2 of the split `mask` (bit i: pool[i] in group a), straight from the
 * definition, for the exact permutation distribution below. */
static double split_t2(const double (*pool)[2], int n, unsigned mask)
{
	double m[2][2] = {{0, 0}, {0, 0}}, c[3] = {0, 0, 0}, k[2] = {0, 0};
	for (int i = 0; i < n; i++) {
		int g = (mask >> i) & 1;
		k[g]++;
		m[g][0] += pool[i][0];
		m[g][1] += pool[i][1];
	}
	for (int g = 0; g < 2; g++)
		m[g][0] /= k[g], m[g][1] /= k[g];
	for (int i = 0; i < n; i++) {
		int g = (mask >> i) & 1;
		double d0 = pool[i][0] - m[g][0], d1 = pool[i][1] - m[g][1];
		c[0] += d0 * d0;
		c[1] += d0 * d1;
		c[2] += d1 * d1;
	}
	for (int j = 0; j < 3; j++)
		c[j] /= n - 2;
	double d0 = m[1][0] - m[0][0], d1 = m[1][1] - m[0][1];
	double det = c[0] * c[2] - c[1] * c[1];
	return k[0] * k[1] / n * (c[2] * d0 * d0 - 2 * c[1] * d0 * d1 + c[0] * d1 * d1) / det;
}

static void test_hotelling2_permutation_matches_exact(void **state)
{
	/* 14 answers, split 8 / 6 in all C(14, 6) = 3003 ways: the exact
	 * permutation p-value; 4999 random permutations must land within
	 * four standard errors of it, with either group first. */
	enum { N = 14, NA = 8 };
	double pool[N][2];
	uint64_t s = 31;
	for (int i = 0; i < N; i++) {
		pool[i][0] = (double)stats_rand_below(&s, 1000) / 500.0 + (i < NA ? 0 : 0.45);
		pool[i][1] = (double)stats_rand_below(&s, 1000) / 400.0;
	}
	unsigned obs = ((1u << N) - 1) & ~((1u << NA) - 1); /* group b = pool[NA..] */
	double t2 = split_t2(pool, N, obs);
	int ge = 0, all = 0;
	for (unsigned mask = 0; mask < (1u << N); mask++) {
		if (__builtin_popcount(mask) != N - NA)
			continue;
		all++;
		ge += split_t2(pool, N, mask) >= t2 * (1 - 1e-12);
	}
	assert_int_equal(all, 3003);
	double exact = (double)ge / all;
	struct stats_hotelling h;
	assert_int_equal(stats_hotelling2(pool, NA, pool + NA, N - NA, 4999, 11, &h), 0);
	CLOSE(h.t2, t2, 1e-12);
	double se = sqrt(exact * (1 - exact) / 4999);
	assert_true(exact > 0.02 && exact < 0.5); /* a p-value with room on both sides */
	assert_true(fabs(h.p_perm - exact) < 4 * se + 1.0 / 5000);
	/* Group b first (now the larger): the smaller, a, is drawn. */
	double swapped[N][2];
	memcpy(swapped, pool + NA, (N - NA) * sizeof *pool);
	memcpy(swapped + (N - NA), pool, NA * sizeof *pool);
	assert_int_equal(stats_hotelling2(swapped, N - NA, swapped + (N - NA), NA, 4999, 11, &h),
	                 0);
	assert_true(fabs(h.p_perm - exact) < 4 * se + 1.0 / 5000);
}

static void test_hotelling2_edges(void **state)
{
	struct stats_hotelling h;
	assert_int_equal(stats_hotelling2(hot_a, 2, hot_b, 1, 0, 1, &h), -1);
	assert_true(isnan(h.t2) && isnan(h.p) && isnan(h.p_perm));
	assert_int_equal(stats_hotelling2(hot_a, 6, NULL, 0, 10, 1, &h), -1);
	static const double same[3][2] = {{1, 2}, {1, 2}, {1, 2}};
	assert_int_equal(stats_hotelling2(same, 3, same, 2, 10, 1, &h), -1);
	static const double line[4][2] = {{0, 0}, {1, 1}, {2, 2}, {3, 3}};
	assert_int_equal(stats_hotelling2(line, 2, line + 2, 2, 0, 1, &h), -1);
}

static void test_hotelling1_against_numpy(void **state)
{
	/* Python: n=len(zd); m=zd.mean(0); S=np.cov(zd.T); D2=m@np.linalg.solve(S,m)
	 *    T2=n*D2; F=(n-2)/(2*(n-1))*T2; f(T2,F,2,n-2,st.f.sf(F,2,n-2),np.sqrt(D2)) */
	static const double zd[7][2] = {{0.3, 0.1}, {0.5, -0.2},  {0.1, 0.4}, {0.6, 0.0},
	                                {0.2, 0.2}, {0.45, -0.1}, {0.05, 0.3}};
	struct stats_hotelling h;
	assert_int_equal(stats_hotelling1(zd, 7, &h), 0);
	CLOSE(h.t2, 117.64814814814815, REL_STAT);
	CLOSE(h.f, 49.020061728395063, REL_STAT);
	CLOSE(h.df1, 2, 0);
	CLOSE(h.df2, 5, 0);
	CLOSE(h.p, 0.00051869144486257337, REL_P);
	CLOSE(h.mahalanobis_d, 4.0996192880410627, REL_STAT);
	assert_true(isnan(h.p_perm));
	assert_int_equal(stats_hotelling1(zd, 2, &h), -1);
	assert_true(isnan(h.t2));
	static const double line[4][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 4}};
	assert_int_equal(stats_hotelling1(line, 4, &h), -1);
}

/* ---- PRNG ---- */

static void test_rand_reference_values(void **state)
{
	/* Rosetta Code, "Pseudo-random numbers/Splitmix64": seed 1234567. */
	static const uint64_t want[] = {6457827717110365317u, 3203168211198807973u,
	                                9817491932198370423u, 4593380528125082431u,
	                                16408922859458223821u};
	uint64_t s = 1234567;
	for (size_t i = 0; i < N_OF(want); i++)
		assert_true(stats_rand_next(&s) == want[i]);
	/* splitmix64.c seeded with 0 starts 0xe220a8397b1dcdaf. */
	s = 0;
	assert_true(stats_rand_next(&s) == UINT64_C(0xe220a8397b1dcdaf));
}

static void test_rand_below(void **state)
{
	enum { B = 7, DRAWS = 70000 };
	double count[B] = {0};
	uint64_t s = 5;
	for (int i = 0; i < DRAWS; i++) {
		uint64_t r = stats_rand_below(&s, B);
		assert_true(r < B);
		count[r]++;
	}
	for (int i = 0; i < B; i++)
		assert_true(fabs(count[i] - DRAWS / B) < 0.05 * DRAWS / B);
	s = 5;
	assert_true(stats_rand_below(&s, 1) == 0);
	/* A bound just above 2^63 rejects almost half the draws and still ends. */
	uint64_t big = (UINT64_C(1) << 63) + 1;
	for (int i = 0; i < 100; i++)
		assert_true(stats_rand_below(&s, big) < big);
	/* Bound 3 * 2^62: a plain modulo would put half the draws below 2^62,
	 * rejection puts a third there. */
	uint64_t b3 = UINT64_C(3) << 62;
	int low = 0;
	for (int i = 0; i < 3000; i++) {
		uint64_t r = stats_rand_below(&s, b3);
		assert_true(r < b3);
		low += r < (UINT64_C(1) << 62);
	}
	assert_true(low > 850 && low < 1150);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_wilson_against_r),
	        cmocka_unit_test(test_newcombe_against_r),
	        cmocka_unit_test(test_quantile_against_r),
	        cmocka_unit_test(test_mean_ci_against_r),
	        cmocka_unit_test(test_chisq_3x4_against_r),
	        cmocka_unit_test(test_chisq_2x2_against_r),
	        cmocka_unit_test(test_chisq_zero_row_and_column),
	        cmocka_unit_test(test_chisq_too_few),
	        cmocka_unit_test(test_chisq_wide_table_equals_its_transpose),
	        cmocka_unit_test(test_mann_whitney_against_r),
	        cmocka_unit_test(test_mann_whitney_grid_and_counts),
	        cmocka_unit_test(test_mann_whitney_counts_large_is_exact),
	        cmocka_unit_test(test_mann_whitney_large_real_values),
	        cmocka_unit_test(test_mann_whitney_edges),
	        cmocka_unit_test(test_welch_against_r),
	        cmocka_unit_test(test_welch_moments),
	        cmocka_unit_test(test_welch_one_group_constant),
	        cmocka_unit_test(test_welch_edges),
	        cmocka_unit_test(test_wilcoxon_against_r),
	        cmocka_unit_test(test_wilcoxon_edges),
	        cmocka_unit_test(test_weighted_kappa_against_statsmodels),
	        cmocka_unit_test(test_weighted_kappa_edges),
	        cmocka_unit_test(test_bh_against_r),
	        cmocka_unit_test(test_triad_zero_replace_and_ilr),
	        cmocka_unit_test(test_triad_geomean_against_numpy),
	        cmocka_unit_test(test_triad_confidence_region),
	        cmocka_unit_test(test_triad_confidence_region_degenerate),
	        cmocka_unit_test(test_triad_zone),
	        cmocka_unit_test(test_triad_bins),
	        cmocka_unit_test(test_hotelling2_against_numpy),
	        cmocka_unit_test(test_hotelling2_permutations),
	        cmocka_unit_test(test_hotelling2_permutation_matches_exact),
	        cmocka_unit_test(test_hotelling2_edges),
	        cmocka_unit_test(test_hotelling1_against_numpy),
	        cmocka_unit_test(test_rand_reference_values),
	        cmocka_unit_test(test_rand_below),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
