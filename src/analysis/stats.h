/* stats.h: the statistics of the pattern engine, as pure functions over arrays (no index, no I/O). */
#ifndef VP_STATS_H
#define VP_STATS_H

/*
 * Every function here is checked in tests/unit/test_stats.c against values
 * computed by SciPy or R, with the command that produced them next to the
 * values (DESIGN rule 9). Distributions come from GSL. None allocates
 * unless its comment says so; none keeps state; a function given too few
 * values returns -1 and leaves NaN in its results rather than inventing a
 * figure. Two-sided p-values throughout.
 */

#include <stddef.h>
#include <stdint.h>

/* ---- one sample --------------------------------------------------------- */

/* Wilson score interval for k successes in n (95%: z = 1.959964). 0, or -1
 * when n == 0. */
int stats_wilson(double k, double n, double z, double *lo, double *hi);

/* The difference of two shares, kb/nb - ka/na, and its interval from the
 * two Wilson intervals: Newcombe's hybrid score interval (1998, method 10).
 * 0, or -1 (NaN) when a group is empty. */
int stats_newcombe_diff(double ka, double na, double kb, double nb, double z, double *d, double *lo,
                        double *hi);

/* Quantile p (0..1) of sorted[0..n-1], R's type 7 (linear interpolation,
 * numpy's default). NaN when n == 0. */
double stats_quantile_sorted(const double *sorted, size_t n, double p);

/* Mean and its confidence interval (Student t, level e.g. 0.95): sd is the
 * sample standard deviation (n-1). -1 when n < 2 (mean still set for n=1). */
struct stats_mean_ci {
	double mean, sd, lo, hi;
};
int stats_mean_ci(const double *x, size_t n, double level, struct stats_mean_ci *out);

/* ---- choices: cross-tables ---------------------------------------------- */

/* Pearson's chi-square test of independence on a rows x cols table of
 * counts (row-major). Rows and columns whose total is 0 are left out of df
 * and of the statistic (their residuals are NaN). resid (rows*cols, may be
 * NULL) gets the adjusted standardised residuals (O-E)/sqrt(E(1-r/N)(1-c/N)),
 * R's chisq.test()$stdres. No continuity correction. -1 when fewer than 2
 * non-empty rows or columns (n still set, df 0, the rest NaN). Allocates a
 * scratch array of column totals, freed before it returns, only for tables
 * wider than 256 columns. */
struct stats_chisq {
	double statistic, p, cramers_v;
	int df;
	double n;
};
int stats_chisq(const double *counts, int rows, int cols, struct stats_chisq *out, double *resid);

/* ---- two independent groups --------------------------------------------- */

/* Mann-Whitney U (Wilcoxon rank-sum) with mid-ranks for ties, normal
 * approximation with tie correction and continuity correction (R
 * wilcox.test(exact = FALSE, correct = TRUE); SciPy mannwhitneyu(method =
 * "asymptotic")). u is U of group a; rank_biserial = 2U/(na nb) - 1, so
 * positive when a tends to be larger than b. -1 when a group is empty
 * (all NaN), or when every value is the same (u and rank_biserial set, z
 * and p NaN). Allocates scratch copies of a and b (3 x 8 bytes a value,
 * freed before it returns) to rank them: a radix sort, so 500k against 500k
 * values take a few tens of milliseconds. Values must not be NaN. */
struct stats_mw {
	double u, z, p, rank_biserial;
};
int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                       struct stats_mw *out);

/* Welch's t-test of mean(a) - mean(b), with the confidence interval of the
 * difference (level e.g. 0.95) and Hedges' g (pooled sd, small-sample
 * corrected). -1 when a group has fewer than 2 values or both have no
 * variance (diff still set when both groups have values; the rest NaN).
 * Hedges' g uses the exact correction J(m) = G(m/2) / (sqrt(m/2)
 * G((m-1)/2)), m = na + nb - 2 (Hedges 1981), not 1 - 3/(4m-1). */
struct stats_welch {
	double diff, lo, hi, t, df, p, hedges_g;
};
int stats_welch(const double *a, size_t na, const double *b, size_t nb, double level,
                struct stats_welch *out);
/* The same from each group's size, mean and sample variance (n-1), for
 * groups summed up elsewhere (the pattern finder's cells). */
int stats_welch_moments(double na, double ma, double va, double nb, double mb, double vb,
                        double level, struct stats_welch *out);

/* ---- paired ------------------------------------------------------------- */

/* Wilcoxon signed-rank test on differences d (after - before): zero
 * differences dropped (R's default), mid-ranks, normal approximation with
 * tie and continuity correction (R wilcox.test(d, exact = FALSE, correct =
 * TRUE)). rank_biserial is the matched-pairs rank-biserial correlation
 * (W+ - W-)/(W+ + W-), positive when differences tend to be positive. n_used:
 * the non-zero differences. -1 when no difference is non-zero. Allocates a
 * scratch copy of the non-zero differences (sorted with qsort) and frees
 * it. */
struct stats_wilcoxon {
	double w_plus, z, p, rank_biserial;
	size_t n_used;
};
int stats_wilcoxon_signed_rank(const double *d, size_t n, struct stats_wilcoxon *out);

/* ---- agreement ---------------------------------------------------------- */

/* Cohen's weighted kappa for two raters giving categories 1..k to the same
 * n items, quadratic weights when quadratic != 0, linear otherwise, with its
 * large-sample standard error (Fleiss, Cohen and Everitt 1969) and a 95%
 * interval: var = (sum_ij p_ij (w_ij - (w_i. + w_.j)(1 - kappa))^2 -
 * (kappa - pe (1 - kappa))^2) / (n (1 - pe)^2), w_i. and w_.j the weights
 * averaged over the other rater's margin. Agreement weights: 1 - |i-j|/(k-1)
 * or 1 - (i-j)^2/(k-1)^2. -1 when n < 2 or the expected disagreement is 0.
 * Allocates 4k doubles of scratch (the margins) and frees them. */
struct stats_kappa {
	double kappa, se, lo, hi;
};
int stats_weighted_kappa(const int *a, const int *b, size_t n, int k, int quadratic,
                         struct stats_kappa *out);

/* ---- multiple comparisons ----------------------------------------------- */

/* Benjamini-Hochberg adjusted p-values (R p.adjust(method = "BH")): q[i]
 * for p[i]; NaN p-values are left out of the count and give NaN. q may be
 * p. Allocates a scratch array internally and frees it. */
void stats_bh(const double *p, size_t n, double *q);

/* ---- triads: compositional data ----------------------------------------- */

/* A triad answer is three non-negative weights summing to 1. Zeros are
 * replaced multiplicatively (Martin-Fernandez et al. 2003): each zero
 * becomes delta, the other parts are scaled by 1 - (number of zeros) *
 * delta, so ratios between non-zero parts are kept. TRIAD_DELTA is the
 * default: 0.65 x the resolution of the widget's answers (0.01). */
#define TRIAD_DELTA 0.0065
void triad_zero_replace(const double x[3], double delta, double out[3]);

/* Isometric log-ratio coordinates with the pivot basis:
 * z1 = sqrt(2/3) ln(x1 / sqrt(x2 x3)), z2 = sqrt(1/2) ln(x2 / x3).
 * x must have no zeros (replace them first). triad_ilr_inv gives the closed
 * composition back. */
void triad_ilr(const double x[3], double z[2]);
void triad_ilr_inv(const double z[2], double x[3]);

/* The closed geometric mean of n compositions (rows of x, zeros replaced
 * with delta first), which is ilr_inv of the mean ILR coordinates; ilr_mean
 * gets those coordinates and cov their sample covariance [s11, s12, s22]
 * (either may be NULL). -1 when n == 0 (cov needs n >= 2: NaN otherwise). */
int triad_geomean(const double (*x)[3], size_t n, double delta, double out[3], double ilr_mean[2],
                  double cov[3]);

/* The confidence region (level e.g. 0.95) for the mean in ILR space, from
 * Hotelling's one-sample T-squared: the ellipse n (m - zbar)' S^-1 (m -
 * zbar) <= p (n-1)/(n-p) F(level; p, n-p) with p = 2. Given as the
 * ellipse's centre, semi-axes and angle (radians, of axis a to z1), and as
 * `points` compositions on its boundary (closed, in the simplex) for
 * drawing. -1 when n < 3 or S is singular. The F quantile comes from the
 * closed form of F(2, d), not GSL (whose inverse fails near d = 1e7). */
struct triad_region {
	double centre[2], axis_a, axis_b, angle;
};
int triad_confidence_region(const double ilr_mean[2], const double cov[3], size_t n, double level,
                            struct triad_region *out, double (*points)[3], int npoints);

/* The seven zones of a triad answer: corner i (x_i >= 0.6), the edge
 * between two corners (the third weight below 0.2, not a corner), or the
 * centre (every weight in [0.2, 0.6)). Returned as TRIAD_ZONE_*. */
enum {
	TRIAD_ZONE_A,
	TRIAD_ZONE_B,
	TRIAD_ZONE_C,
	TRIAD_ZONE_AB,
	TRIAD_ZONE_BC,
	TRIAD_ZONE_AC,
	TRIAD_ZONE_CENTRE,
	TRIAD_ZONES
};
int triad_zone(const double x[3]);

/* Ternary bins: each side divided into k parts gives k*k small triangles;
 * the bin index of x is in 0..k*k-1, the same for every point of one small
 * triangle (points on a border go to a fixed neighbour). triad_bin_centre
 * gives a bin's centroid as a composition (for drawing). x is closed
 * first. Numbering: u = k x1, v = k x2; strip i = floor(u) starts at index
 * 2ki - i^2 and holds, by j = floor(v), the upward triangle 2j and the
 * downward triangle 2j + 1. A point on a border line goes to the side of the
 * larger x1 (then x2): the coordinates are nudged up by 1e-9, so 0.3 * 10 =
 * 2.9999... falls with 3. */
int triad_bin(const double x[3], int k);
void triad_bin_centre(int bin, int k, double out[3]);

/* Two-sample Hotelling T-squared on ILR coordinates (rows of za, zb):
 * T2, its F statistic with df (2, na+nb-3) and p from F; with permutations
 * > 0 also a permutation p-value ((1 + #{T2_perm >= T2}) / (1 +
 * permutations)), with a PRNG seeded by seed, so the result is the same on
 * every machine and thread count. mahalanobis_d: the distance between the
 * means in pooled-covariance units (an effect size). -1 when a group is
 * empty, na + nb < 4 or the pooled covariance is singular (all NaN). With
 * permutations > 0 it allocates an index array of na + nb (size_t) and
 * frees it; each permutation costs O(min(na, nb)), because T2 depends only
 * on the sum of the drawn group once the pooled scatter is known. */
struct stats_hotelling {
	double t2, f, df1, df2, p, p_perm, mahalanobis_d;
};
int stats_hotelling2(const double (*za)[2], size_t na, const double (*zb)[2], size_t nb,
                     int permutations, uint64_t seed, struct stats_hotelling *out);

/* One-sample Hotelling T-squared of mean zero, for paired ILR differences
 * (after - before): the same fields (df2 = n - 2; no permutation). -1 when
 * n < 3 or singular. */
int stats_hotelling1(const double (*z)[2], size_t n, struct stats_hotelling *out);

/* ---- a small deterministic PRNG (splitmix64) for permutations ----------- */
/* state is the seed and is advanced; any value is a valid seed. */
uint64_t stats_rand_next(uint64_t *state);
/* Uniform in 0..bound-1 without modulo bias. */
uint64_t stats_rand_below(uint64_t *state, uint64_t bound);

/* ---- additions for the pattern engine (issue 8) -------------------------- */

/* stats_mann_whitney on grouped data: count_a[l] and count_b[l] are how many
 * values of group a and of group b fall on level l, levels sorted ascending
 * (e.g. a histogram of a scale 1-7 or a dyad 0-100 from the index). The
 * result is bit for bit that of stats_mann_whitney on the expanded values;
 * O(levels), no allocation. Counts may be weights (non-negative reals). */
int stats_mann_whitney_counts(const double *count_a, const double *count_b, int levels,
                              struct stats_mw *out);

#endif
