/* stats.c: the statistics of the pattern engine (tests, effect sizes, triad geometry) over plain arrays. */
#include "analysis/stats.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* qnorm(0.975): the 95% interval of stats_weighted_kappa. */
#define Z_95 1.959963984540054

static void *scratch_alloc(size_t count, size_t size)
{
	/* Out of memory is a broken invariant here (DESIGN rule 6). */
	void *p = malloc(count ? count * size : 1);
	if (!p)
		abort();
	return p;
}

/* Two-sided p-value of a standard normal z. */
static double normal_p2(double z)
{
	double p = 2.0 * gsl_cdf_ugaussian_Q(fabs(z));
	return p > 1.0 ? 1.0 : p;
}

/* ---- one sample --------------------------------------------------------- */

int stats_wilson(double k, double n, double z, double *lo, double *hi)
{
	assert(lo && hi);
	assert(n >= 0 && k >= 0 && k <= n && z > 0);
	if (n == 0) {
		*lo = *hi = NAN;
		return -1;
	}
	double z2 = z * z;
	double centre = (k + z2 / 2) / (n + z2);
	double half = z / (n + z2) * sqrt(k * (n - k) / n + z2 / 4);
	*lo = centre - half;
	*hi = centre + half;
	/* Only rounding can push the bounds out of [0, 1]. */
	if (*lo < 0)
		*lo = 0;
	if (*hi > 1)
		*hi = 1;
	return 0;
}

int stats_newcombe_diff(double ka, double na, double kb, double nb, double z, double *d, double *lo,
                        double *hi)
{
	assert(d && lo && hi);
	double la, ua, lb, ub;
	if (stats_wilson(ka, na, z, &la, &ua) || stats_wilson(kb, nb, z, &lb, &ub)) {
		*d = *lo = *hi = NAN;
		return -1;
	}
	double pa = ka / na, pb = kb / nb;
	*d = pb - pa;
	*lo = *d - sqrt((pb - lb) * (pb - lb) + (ua - pa) * (ua - pa));
	*hi = *d + sqrt((ub - pb) * (ub - pb) + (pa - la) * (pa - la));
	return 0;
}

double stats_quantile_sorted(const double *sorted, size_t n, double p)
{
	assert(sorted || n == 0);
	assert(p >= 0 && p <= 1);
	if (n == 0)
		return NAN;
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	if (lo >= n - 1)
		return sorted[n - 1];
	return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* Mean and sample variance (n - 1) by two passes: exact enough for the
 * reference tolerances, no cancellation from sums of squares. */
static void mean_var(const double *x, size_t n, double *mean, double *var)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	double m = s / (double)n;
	double ss = 0, c = 0;
	for (size_t i = 0; i < n; i++) {
		double d = x[i] - m;
		ss += d * d;
		c += d;
	}
	*mean = m;
	/* The second term corrects the rounding error of m (corrected two-pass). */
	*var = n > 1 ? (ss - c * c / (double)n) / (double)(n - 1) : NAN;
}

int stats_mean_ci(const double *x, size_t n, double level, struct stats_mean_ci *out)
{
	assert(out && (x || n == 0));
	assert(level > 0 && level < 1);
	out->mean = out->sd = out->lo = out->hi = NAN;
	if (n == 0)
		return -1;
	double m, v;
	mean_var(x, n, &m, &v);
	out->mean = m;
	if (n < 2)
		return -1;
	out->sd = sqrt(v);
	double t = gsl_cdf_tdist_Pinv((1 + level) / 2, (double)(n - 1));
	double half = t * out->sd / sqrt((double)n);
	out->lo = m - half;
	out->hi = m + half;
	return 0;
}

/* ---- choices: cross-tables ---------------------------------------------- */

/* Column totals of tables up to this wide live on the stack. */
#define CHISQ_STACK_COLS 256

int stats_chisq(const double *counts, int rows, int cols, struct stats_chisq *out, double *resid)
{
	assert(counts && out && rows >= 1 && cols >= 1);
	double stack_ctot[CHISQ_STACK_COLS];
	double *ctot =
	        cols <= CHISQ_STACK_COLS ? stack_ctot : scratch_alloc((size_t)cols, sizeof *ctot);
	double total = 0;
	int used_rows = 0, used_cols = 0;

	for (int j = 0; j < cols; j++)
		ctot[j] = 0;
	for (int i = 0; i < rows; i++) {
		double rt = 0;
		for (int j = 0; j < cols; j++) {
			double o = counts[(size_t)i * cols + j];
			assert(o >= 0 && isfinite(o));
			rt += o;
			ctot[j] += o;
		}
		total += rt;
		used_rows += rt > 0;
	}
	for (int j = 0; j < cols; j++)
		used_cols += ctot[j] > 0;

	out->n = total;
	out->df = 0;
	out->statistic = out->p = out->cramers_v = NAN;
	int ok = used_rows >= 2 && used_cols >= 2;
	double chi2 = 0;
	for (int i = 0; i < rows; i++) {
		double rt = 0;
		for (int j = 0; j < cols; j++)
			rt += counts[(size_t)i * cols + j];
		for (int j = 0; j < cols; j++) {
			double r = NAN;
			if (ok && rt > 0 && ctot[j] > 0) {
				double o = counts[(size_t)i * cols + j];
				double e = rt * ctot[j] / total;
				chi2 += (o - e) * (o - e) / e;
				r = (o - e) / sqrt(e * (1 - rt / total) * (1 - ctot[j] / total));
			}
			if (resid)
				resid[(size_t)i * cols + j] = r;
		}
	}
	if (ctot != stack_ctot)
		free(ctot);
	if (!ok)
		return -1;
	out->df = (used_rows - 1) * (used_cols - 1);
	out->statistic = chi2;
	out->p = gsl_cdf_chisq_Q(chi2, out->df);
	int m = used_rows < used_cols ? used_rows : used_cols;
	out->cramers_v = sqrt(chi2 / (total * (m - 1)));
	return 0;
}

/* ---- sorting doubles by key --------------------------------------------- */

/* A double mapped to an unsigned key with the same order: equal keys are
 * equal values (-0 is made +0 first; NaN is a broken precondition). */
static uint64_t double_key(double x)
{
	assert(!isnan(x));
	x += 0.0;
	uint64_t u;
	memcpy(&u, &x, sizeof u);
	return (u >> 63) ? ~u : u | UINT64_C(0x8000000000000000);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Sorts keys[0..n-1] ascending, tmp[0..n-1] as scratch: an LSD radix sort
 * by bytes that skips the bytes every key shares (values on a small grid
 * differ in two or three bytes), so large samples sort in a few linear
 * passes rather than n log n comparisons through a function pointer. */
static void sort_keys(uint64_t *keys, uint64_t *tmp, size_t n)
{
	if (n < 512) {
		qsort(keys, n, sizeof *keys, cmp_u64);
		return;
	}
	size_t hist[8][256];
	memset(hist, 0, sizeof hist);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = keys[i];
		for (int b = 0; b < 8; b++)
			hist[b][(k >> (8 * b)) & 0xff]++;
	}
	uint64_t *src = keys, *dst = tmp;
	for (int b = 0; b < 8; b++) {
		if (hist[b][(src[0] >> (8 * b)) & 0xff] == n)
			continue; /* every key has this byte */
		size_t pos = 0;
		for (int d = 0; d < 256; d++) {
			size_t c = hist[b][d];
			hist[b][d] = pos;
			pos += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[hist[b][(src[i] >> (8 * b)) & 0xff]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != keys)
		memcpy(keys, src, n * sizeof *keys);
}

/* ---- two independent groups --------------------------------------------- */

/* The rank sum of group a, built one distinct value at a time in ascending
 * order; stats_mann_whitney and stats_mann_whitney_counts both feed it, so
 * they agree to the last bit. */
struct mw_acc {
	double na, nb, pos, rank_sum_a, ties;
};

static void mw_add(struct mw_acc *acc, double ca, double cb)
{
	double t = ca + cb;
	if (t <= 0)
		return;
	/* These t values take ranks pos+1 .. pos+t; each gets the mid-rank. */
	acc->rank_sum_a += ca * (acc->pos + (t + 1) / 2);
	acc->ties += t * t * t - t;
	acc->na += ca;
	acc->nb += cb;
	acc->pos += t;
}

static int mw_finish(const struct mw_acc *acc, struct stats_mw *out)
{
	double na = acc->na, nb = acc->nb, n = na + nb;
	out->u = out->z = out->p = out->rank_biserial = NAN;
	if (na <= 0 || nb <= 0)
		return -1;
	double u = acc->rank_sum_a - na * (na + 1) / 2;
	out->u = u;
	out->rank_biserial = 2 * u / (na * nb) - 1;
	double var = na * nb / 12 * ((n + 1) - acc->ties / (n * (n - 1)));
	if (!(var > 0))
		return -1; /* every value the same: no ranks to compare */
	double d = u - na * nb / 2;
	double cc = d > 0 ? 0.5 : d < 0 ? -0.5 : 0;
	out->z = (d - cc) / sqrt(var);
	out->p = normal_p2(out->z);
	return 0;
}

int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct stats_mw *out)
{
	assert(out && (a || na == 0) && (b || nb == 0));
	struct mw_acc acc = {0};
	if (na == 0 || nb == 0)
		return mw_finish(&acc, out);
	size_t big = na > nb ? na : nb;
	uint64_t *ka = scratch_alloc(na + nb + big, sizeof *ka);
	uint64_t *kb = ka + na, *tmp = kb + nb;
	for (size_t i = 0; i < na; i++)
		ka[i] = double_key(a[i]);
	for (size_t i = 0; i < nb; i++)
		kb[i] = double_key(b[i]);
	sort_keys(ka, tmp, na);
	sort_keys(kb, tmp, nb);
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		uint64_t v = i < na && (j >= nb || ka[i] <= kb[j]) ? ka[i] : kb[j];
		size_t i0 = i, j0 = j;
		while (i < na && ka[i] == v)
			i++;
		while (j < nb && kb[j] == v)
			j++;
		mw_add(&acc, (double)(i - i0), (double)(j - j0));
	}
	free(ka);
	return mw_finish(&acc, out);
}

int stats_mann_whitney_counts(const double *count_a, const double *count_b, int levels,
                              struct stats_mw *out)
{
	assert(out && levels >= 0 && (levels == 0 || (count_a && count_b)));
	struct mw_acc acc = {0};
	for (int l = 0; l < levels; l++) {
		assert(count_a[l] >= 0 && count_b[l] >= 0);
		mw_add(&acc, count_a[l], count_b[l]);
	}
	return mw_finish(&acc, out);
}

/* Hedges' small-sample correction J(m) = G(m/2) / (sqrt(m/2) G((m-1)/2)),
 * exact (Hedges 1981), through lgamma so large m does not overflow. */
static double hedges_j(double m)
{
	return exp(lgamma(m / 2) - 0.5 * log(m / 2) - lgamma((m - 1) / 2));
}

int stats_welch(const double *a, size_t na, const double *b, size_t nb, double level,
                struct stats_welch *out)
{
	assert(out && (a || na == 0) && (b || nb == 0));
	assert(level > 0 && level < 1);
	out->diff = out->lo = out->hi = out->t = out->df = out->p = out->hedges_g = NAN;
	if (na < 2 || nb < 2) {
		if (na > 0 && nb > 0) {
			double ma, mb, v;
			mean_var(a, na, &ma, &v);
			mean_var(b, nb, &mb, &v);
			out->diff = ma - mb;
		}
		return -1;
	}
	double ma, va, mb, vb;
	mean_var(a, na, &ma, &va);
	mean_var(b, nb, &mb, &vb);
	return stats_welch_moments((double)na, ma, va, (double)nb, mb, vb, level, out);
}

int stats_welch_moments(double na, double ma, double va, double nb, double mb, double vb,
                        double level, struct stats_welch *out)
{
	assert(out);
	assert(level > 0 && level < 1);
	out->diff = out->lo = out->hi = out->t = out->df = out->p = out->hedges_g = NAN;
	if (na > 0 && nb > 0)
		out->diff = ma - mb;
	if (na < 2 || nb < 2)
		return -1;
	double sa = va / na, sb = vb / nb, se2 = sa + sb;
	if (!(se2 > 0))
		return -1;
	double se = sqrt(se2);
	out->df = se2 * se2 / (sa * sa / (na - 1) + sb * sb / (nb - 1));
	out->t = out->diff / se;
	out->p = 2 * gsl_cdf_tdist_Q(fabs(out->t), out->df);
	if (out->p > 1)
		out->p = 1;
	double q = gsl_cdf_tdist_Pinv((1 + level) / 2, out->df);
	out->lo = out->diff - q * se;
	out->hi = out->diff + q * se;
	double m = na + nb - 2;
	double sp = sqrt(((na - 1) * va + (nb - 1) * vb) / m);
	out->hedges_g = out->diff / sp * hedges_j(m);
	return 0;
}

/* ---- paired ------------------------------------------------------------- */

static int cmp_abs(const void *a, const void *b)
{
	double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
	return (x > y) - (x < y);
}

int stats_wilcoxon_signed_rank(const double *d, size_t n, struct stats_wilcoxon *out)
{
	assert(out && (d || n == 0));
	out->w_plus = out->z = out->p = out->rank_biserial = NAN;
	out->n_used = 0;
	double *x = scratch_alloc(n, sizeof *x);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		assert(!isnan(d[i]));
		if (d[i] != 0)
			x[m++] = d[i];
	}
	out->n_used = m;
	if (m == 0) {
		free(x);
		return -1;
	}
	qsort(x, m, sizeof *x, cmp_abs);
	double w_plus = 0, ties = 0;
	for (size_t i = 0; i < m;) {
		size_t j = i, pos = 0;
		while (j < m && fabs(x[j]) == fabs(x[i])) {
			pos += x[j] > 0;
			j++;
		}
		double t = (double)(j - i);
		w_plus += (double)pos * ((double)i + (t + 1) / 2);
		ties += t * t * t - t;
		i = j;
	}
	free(x);
	double nn = (double)m, total = nn * (nn + 1) / 2;
	double var = nn * (nn + 1) * (2 * nn + 1) / 24 - ties / 48;
	double dev = w_plus - total / 2;
	double cc = dev > 0 ? 0.5 : dev < 0 ? -0.5 : 0;
	out->w_plus = w_plus;
	out->z = (dev - cc) / sqrt(var);
	out->p = normal_p2(out->z);
	out->rank_biserial = (w_plus - (total - w_plus)) / total;
	return 0;
}

/* ---- agreement ---------------------------------------------------------- */

static double kappa_weight(int i, int j, int k, int quadratic)
{
	if (k == 1)
		return 1;
	double d = fabs((double)(i - j)) / (double)(k - 1);
	return quadratic ? 1 - d * d : 1 - d;
}

int stats_weighted_kappa(const int *a, const int *b, size_t n, int k, int quadratic,
                         struct stats_kappa *out)
{
	assert(out && (n == 0 || (a && b)) && k >= 1);
	out->kappa = out->se = out->lo = out->hi = NAN;
	if (n < 2)
		return -1;
	/* Marginal proportions of each rater and the mean weights
	 * wa[i] = sum_j pb[j] w(i,j), wb[j] = sum_i pa[i] w(i,j). */
	double *pa = scratch_alloc(4 * (size_t)k, sizeof *pa);
	double *pb = pa + k, *wa = pb + k, *wb = wa + k;
	memset(pa, 0, 2 * (size_t)k * sizeof *pa);
	double nn = (double)n, po = 0;
	for (size_t t = 0; t < n; t++) {
		assert(a[t] >= 1 && a[t] <= k && b[t] >= 1 && b[t] <= k);
		pa[a[t] - 1] += 1;
		pb[b[t] - 1] += 1;
		po += kappa_weight(a[t], b[t], k, quadratic);
	}
	po /= nn;
	for (int i = 0; i < k; i++) {
		pa[i] /= nn;
		pb[i] /= nn;
	}
	double pe = 0;
	for (int i = 0; i < k; i++) {
		wa[i] = wb[i] = 0;
		for (int j = 0; j < k; j++) {
			wa[i] += pb[j] * kappa_weight(i + 1, j + 1, k, quadratic);
			wb[i] += pa[j] * kappa_weight(j + 1, i + 1, k, quadratic);
		}
		pe += pa[i] * wa[i];
	}
	if (!(1 - pe > 1e-12)) {
		free(pa);
		return -1;
	}
	double kappa = (po - pe) / (1 - pe);
	/* Fleiss, Cohen and Everitt (1969), eq. 13: the variance of kappa-hat
	 * when kappa is not zero; the sum over cells p_ij (...)^2 taken item by
	 * item. */
	double s = 0;
	for (size_t t = 0; t < n; t++) {
		double w = kappa_weight(a[t], b[t], k, quadratic);
		double f = w - (wa[a[t] - 1] + wb[b[t] - 1]) * (1 - kappa);
		s += f * f;
	}
	s /= nn;
	double c = kappa - pe * (1 - kappa);
	double var = (s - c * c) / (nn * (1 - pe) * (1 - pe));
	free(pa);
	out->kappa = kappa;
	out->se = var > 0 ? sqrt(var) : 0;
	out->lo = kappa - Z_95 * out->se;
	out->hi = kappa + Z_95 * out->se;
	return 0;
}

/* ---- multiple comparisons ----------------------------------------------- */

struct p_index {
	double p;
	size_t i;
};

static int cmp_p_desc(const void *a, const void *b)
{
	const struct p_index *x = a, *y = b;
	if (x->p != y->p)
		return x->p < y->p ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

void stats_bh(const double *p, size_t n, double *q)
{
	assert((p && q) || n == 0);
	struct p_index *s = scratch_alloc(n, sizeof *s);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(p[i]))
			continue;
		assert(p[i] >= 0 && p[i] <= 1);
		s[m].p = p[i];
		s[m].i = i;
		m++;
	}
	for (size_t i = 0; i < n; i++)
		if (isnan(p[i]))
			q[i] = NAN;
	qsort(s, m, sizeof *s, cmp_p_desc);
	double run = 1;
	for (size_t r = 0; r < m; r++) {
		/* s[r] has rank m - r among the m p-values, ascending. */
		double v = (double)m / (double)(m - r) * s[r].p;
		if (v < run)
			run = v;
		q[s[r].i] = run;
	}
	free(s);
}

/* ---- triads: compositional data ----------------------------------------- */

void triad_zero_replace(const double x[3], double delta, double out[3])
{
	assert(x && out);
	assert(x[0] >= 0 && x[1] >= 0 && x[2] >= 0);
	assert(delta > 0 && delta < 0.5);
	int zeros = (x[0] == 0) + (x[1] == 0) + (x[2] == 0);
	assert(zeros < 3);
	double scale = 1 - zeros * delta;
	double in[3] = {x[0], x[1], x[2]};
	for (int i = 0; i < 3; i++)
		out[i] = in[i] == 0 ? delta : in[i] * scale;
}

void triad_ilr(const double x[3], double z[2])
{
	assert(x && z && x[0] > 0 && x[1] > 0 && x[2] > 0);
	double l1 = log(x[0]), l2 = log(x[1]), l3 = log(x[2]);
	z[0] = sqrt(2.0 / 3.0) * (l1 - (l2 + l3) / 2);
	z[1] = sqrt(0.5) * (l2 - l3);
}

void triad_ilr_inv(const double z[2], double x[3])
{
	assert(z && x);
	/* Centred log-ratios from the pivot basis, then the closure. */
	double y[3];
	y[0] = sqrt(2.0 / 3.0) * z[0];
	y[1] = -z[0] / sqrt(6.0) + z[1] / sqrt(2.0);
	y[2] = -z[0] / sqrt(6.0) - z[1] / sqrt(2.0);
	double top = fmax(y[0], fmax(y[1], y[2]));
	double s = 0;
	for (int i = 0; i < 3; i++) {
		y[i] = exp(y[i] - top);
		s += y[i];
	}
	for (int i = 0; i < 3; i++)
		x[i] = y[i] / s;
}

int triad_geomean(const double (*x)[3], size_t n, double delta, double out[3], double ilr_mean[2],
                  double cov[3])
{
	assert(out && (x || n == 0));
	if (ilr_mean)
		ilr_mean[0] = ilr_mean[1] = NAN;
	if (cov)
		cov[0] = cov[1] = cov[2] = NAN;
	if (n == 0) {
		out[0] = out[1] = out[2] = NAN;
		return -1;
	}
	/* Welford's updates: one pass, no cancellation. */
	double m0 = 0, m1 = 0, c00 = 0, c01 = 0, c11 = 0;
	for (size_t i = 0; i < n; i++) {
		double r[3], z[2];
		triad_zero_replace(x[i], delta, r);
		triad_ilr(r, z);
		double k = (double)(i + 1);
		double d0 = z[0] - m0, d1 = z[1] - m1;
		m0 += d0 / k;
		m1 += d1 / k;
		c00 += d0 * (z[0] - m0);
		c01 += d0 * (z[1] - m1);
		c11 += d1 * (z[1] - m1);
	}
	double m[2] = {m0, m1};
	triad_ilr_inv(m, out);
	if (ilr_mean) {
		ilr_mean[0] = m0;
		ilr_mean[1] = m1;
	}
	if (cov && n >= 2) {
		cov[0] = c00 / (double)(n - 1);
		cov[1] = c01 / (double)(n - 1);
		cov[2] = c11 / (double)(n - 1);
	}
	return 0;
}

/* Whether the 2x2 covariance [s11 s12; s12 s22] is (numerically) singular. */
static int cov_singular(const double cov[3])
{
	double det = cov[0] * cov[2] - cov[1] * cov[1];
	return !(cov[0] > 0 && cov[2] > 0 && det > 1e-12 * cov[0] * cov[2]);
}

/* d' S^-1 d for the 2x2 symmetric S = [s11 s12; s12 s22]. */
static double quad_inv(const double s[3], double d0, double d1)
{
	double det = s[0] * s[2] - s[1] * s[1];
	return (s[2] * d0 * d0 - 2 * s[1] * d0 * d1 + s[0] * d1 * d1) / det;
}

int triad_confidence_region(const double ilr_mean[2], const double cov[3], size_t n, double level,
                            struct triad_region *out, double (*points)[3], int npoints)
{
	assert(ilr_mean && cov && out && npoints >= 0 && (points || npoints == 0));
	assert(level > 0 && level < 1);
	out->centre[0] = ilr_mean[0];
	out->centre[1] = ilr_mean[1];
	out->axis_a = out->axis_b = out->angle = NAN;
	if (n < 3 || cov_singular(cov)) {
		for (int i = 0; i < npoints; i++)
			points[i][0] = points[i][1] = points[i][2] = NAN;
		return -1;
	}
	double nn = (double)n;
	/* (m - zbar)' S^-1 (m - zbar) <= c2. F(2, d) has the closed form
	 * P(F <= x) = 1 - (1 + 2x/d)^(-d/2), so its quantile is exact; GSL's
	 * gsl_cdf_fdist_Pinv fails to converge for d near 1e7 (and its default
	 * error handler aborts). */
	double d = nn - 2;
	double fq = d / 2 * expm1(-2 / d * log1p(-level));
	double c2 = 2 * (nn - 1) / (nn * d) * fq;
	double tr = cov[0] + cov[2], diff = cov[0] - cov[2];
	double root = sqrt(diff * diff / 4 + cov[1] * cov[1]);
	double l1 = tr / 2 + root, l2 = tr / 2 - root;
	out->axis_a = sqrt(l1 * c2);
	out->axis_b = sqrt(l2 * c2);
	out->angle = 0.5 * atan2(2 * cov[1], diff);
	double ca = cos(out->angle), sa = sin(out->angle);
	for (int i = 0; i < npoints; i++) {
		double t = 2 * M_PI * i / npoints;
		double u = out->axis_a * cos(t), v = out->axis_b * sin(t);
		double z[2] = {ilr_mean[0] + ca * u - sa * v, ilr_mean[1] + sa * u + ca * v};
		triad_ilr_inv(z, points[i]);
	}
	return 0;
}

int triad_zone(const double x[3])
{
	assert(x);
	for (int i = 0; i < 3; i++)
		if (x[i] >= 0.6)
			return TRIAD_ZONE_A + i;
	if (x[2] < 0.2)
		return TRIAD_ZONE_AB;
	if (x[0] < 0.2)
		return TRIAD_ZONE_BC;
	if (x[1] < 0.2)
		return TRIAD_ZONE_AC;
	return TRIAD_ZONE_CENTRE;
}

/* Bins: u = k x1, v = k x2 (after closure). Strip i = floor(u) holds the
 * upward triangles (i, j), j = 0..k-1-i, and between them the downward ones
 * (i, j), j = 0..k-2-i; the strip starts at index 2ki - i^2 and numbers
 * them up, down, up, ... so the last strip ends at k^2 - 1. */
int triad_bin(const double x[3], int k)
{
	assert(x && k >= 1);
	assert(x[0] >= 0 && x[1] >= 0 && x[2] >= 0);
	double s = x[0] + x[1] + x[2];
	assert(s > 0);
	/* The nudge sends a point that rounding put a hair below a grid line
	 * (0.3 * 10 = 2.9999...) to the same side as points exactly on it. */
	double u = k * x[0] / s + 1e-9, v = k * x[1] / s + 1e-9;
	int i = (int)floor(u), j = (int)floor(v);
	if (i > k - 1)
		i = k - 1;
	if (i < 0)
		i = 0;
	if (j > k - 1 - i)
		j = k - 1 - i;
	if (j < 0)
		j = 0;
	int down = (u - i) + (v - j) > 1 && i + j <= k - 2;
	return 2 * k * i - i * i + 2 * j + down;
}

void triad_bin_centre(int bin, int k, double out[3])
{
	assert(out && k >= 1 && bin >= 0 && bin < k * k);
	int i = 0;
	while (2 * k * (i + 1) - (i + 1) * (i + 1) <= bin)
		i++;
	int r = bin - (2 * k * i - i * i);
	int j = r / 2, down = r % 2;
	double u = i + (down ? 2.0 : 1.0) / 3, v = j + (down ? 2.0 : 1.0) / 3;
	out[0] = u / k;
	out[1] = v / k;
	out[2] = 1 - out[0] - out[1];
}

/* ---- Hotelling ---------------------------------------------------------- */

static void hotelling_nan(struct stats_hotelling *out)
{
	out->t2 = out->f = out->df1 = out->df2 = out->p = out->p_perm = out->mahalanobis_d = NAN;
}

/* Group a's sum s of pooled-centred coordinates decides T2 once the
 * pooled centred cross-products q are known: the within-group scatter is
 * q - s s' (1/na + 1/nb) and mean(a) - mean(b) = s (1/na + 1/nb). */
static double perm_t2(const double q[3], double s0, double s1, double na, double nb)
{
	double h = 1 / na + 1 / nb;
	double w[3] = {q[0] - s0 * s0 * h, q[1] - s0 * s1 * h, q[2] - s1 * s1 * h};
	double det = w[0] * w[2] - w[1] * w[1];
	if (!(det > 0))
		return INFINITY; /* a degenerate split counts as extreme */
	double d0 = s0 * h, d1 = s1 * h;
	return (na + nb - 2) * quad_inv(w, d0, d1) / h;
}

static void mean_cov2(const double (*z)[2], size_t n, double m[2], double c[3])
{
	double s0 = 0, s1 = 0;
	for (size_t i = 0; i < n; i++) {
		s0 += z[i][0];
		s1 += z[i][1];
	}
	m[0] = s0 / (double)n;
	m[1] = s1 / (double)n;
	c[0] = c[1] = c[2] = 0;
	for (size_t i = 0; i < n; i++) {
		double d0 = z[i][0] - m[0], d1 = z[i][1] - m[1];
		c[0] += d0 * d0;
		c[1] += d0 * d1;
		c[2] += d1 * d1;
	}
}

int stats_hotelling2(const double (*za)[2], size_t na, const double (*zb)[2], size_t nb,
                     int permutations, uint64_t seed, struct stats_hotelling *out)
{
	assert(out && (za || na == 0) && (zb || nb == 0) && permutations >= 0);
	hotelling_nan(out);
	if (na == 0 || nb == 0 || na + nb < 4)
		return -1;
	double ma[2], mb[2], ca[3], cb[3], s[3];
	mean_cov2(za, na, ma, ca);
	mean_cov2(zb, nb, mb, cb);
	double n = (double)(na + nb), fa = (double)na, fb = (double)nb;
	for (int i = 0; i < 3; i++)
		s[i] = (ca[i] + cb[i]) / (n - 2);
	if (cov_singular(s))
		return -1;
	double d0 = ma[0] - mb[0], d1 = ma[1] - mb[1];
	double dist2 = quad_inv(s, d0, d1);
	out->t2 = fa * fb / n * dist2;
	out->mahalanobis_d = sqrt(dist2);
	out->df1 = 2;
	out->df2 = n - 3;
	out->f = (n - 3) / (2 * (n - 2)) * out->t2;
	out->p = gsl_cdf_fdist_Q(out->f, 2, n - 3);
	if (permutations == 0)
		return 0;

	/* Pooled centring: q is the scatter of all values about their mean. */
	size_t total = na + nb;
	double g0 = (ma[0] * fa + mb[0] * fb) / n, g1 = (ma[1] * fa + mb[1] * fb) / n;
	double q[3] = {0, 0, 0};
	for (size_t i = 0; i < total; i++) {
		const double *z = i < na ? za[i] : zb[i - na];
		double e0 = z[0] - g0, e1 = z[1] - g1;
		q[0] += e0 * e0;
		q[1] += e0 * e1;
		q[2] += e1 * e1;
	}
	/* Draw the smaller group: a partial Fisher-Yates shuffle leaves a
	 * uniform random subset in the first `take` places whatever the order
	 * before it, so the index array is shuffled on in place. */
	size_t take = na <= nb ? na : nb;
	size_t *idx = scratch_alloc(total, sizeof *idx);
	for (size_t i = 0; i < total; i++)
		idx[i] = i;
	double e0 = 0, e1 = 0;
	for (size_t i = 0; i < take; i++) {
		const double *z = na <= nb ? za[i] : zb[i];
		e0 += z[0] - g0;
		e1 += z[1] - g1;
	}
	double t2_obs = perm_t2(q, e0, e1, fa, fb);
	uint64_t state = seed;
	long extreme = 0;
	for (int p = 0; p < permutations; p++) {
		double s0 = 0, s1 = 0;
		for (size_t i = 0; i < take; i++) {
			size_t r = i + (size_t)stats_rand_below(&state, total - i);
			size_t t = idx[i];
			idx[i] = idx[r];
			idx[r] = t;
			const double *z = idx[i] < na ? za[idx[i]] : zb[idx[i] - na];
			s0 += z[0] - g0;
			s1 += z[1] - g1;
		}
		/* The same arithmetic as t2_obs; the margin keeps the observed
		 * split itself (and its mirror) from losing to rounding. */
		if (perm_t2(q, s0, s1, fa, fb) >= t2_obs * (1 - 1e-12))
			extreme++;
	}
	free(idx);
	out->p_perm = (1.0 + (double)extreme) / (1.0 + permutations);
	return 0;
}

int stats_hotelling1(const double (*z)[2], size_t n, struct stats_hotelling *out)
{
	assert(out && (z || n == 0));
	hotelling_nan(out);
	if (n < 3)
		return -1;
	double m[2], c[3];
	mean_cov2(z, n, m, c);
	double nn = (double)n;
	for (int i = 0; i < 3; i++)
		c[i] /= nn - 1;
	if (cov_singular(c))
		return -1;
	double dist2 = quad_inv(c, m[0], m[1]);
	out->t2 = nn * dist2;
	out->mahalanobis_d = sqrt(dist2);
	out->df1 = 2;
	out->df2 = nn - 2;
	out->f = (nn - 2) / (2 * (nn - 1)) * out->t2;
	out->p = gsl_cdf_fdist_Q(out->f, 2, nn - 2);
	return 0;
}

/* ---- PRNG --------------------------------------------------------------- */

uint64_t stats_rand_next(uint64_t *state)
{
	assert(state);
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

uint64_t stats_rand_below(uint64_t *state, uint64_t bound)
{
	assert(state && bound > 0);
	/* Reject the top sliver that would make some values more likely. */
	uint64_t threshold = -bound % bound;
	for (;;) {
		uint64_t r = stats_rand_next(state);
		if (r >= threshold)
			return r % bound;
	}
}
