/* measures.c: the pattern engine's measures: counts, distributions, cross-tables, triads, comparisons, people over time, perspectives, patterns. */
#include "analysis/measures.h"

#include "analysis/filter.h"
#include "analysis/stats.h"
#include "analysis/themes_measure.h"
#include "core/buf.h"

#include <assert.h>
#include <pthread.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- small helpers ------------------------------------------------------- */

static int fail(char *err, size_t errlen, int status, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return status;
}

static int min_group(const struct measure_args *a)
{
	return a->min_group > 0 ? a->min_group : MEASURES_MIN_GROUP;
}

/* A JSON number rounded for output: figures are shown, not recomputed, so 6 significant
 * decimals are plenty and keep the documents small and stable. */
static json_t *num6(double v)
{
	if (!isfinite(v))
		return json_null();
	return json_real(round(v * 1e6) / 1e6);
}

static json_t *pval(double p)
{
	if (!isfinite(p))
		return json_null();
	return json_real(p < 1e-300 ? 0 : p);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void *xcalloc(size_t n, size_t s)
{
	void *p = calloc(n ? n : 1, s ? s : 1);
	if (!p)
		abort();
	return p;
}

/* The rows a filter selects. NULL with status in *status and err. */
static roaring_bitmap_t *rows_of(const struct measure_args *a, const char *text, int *status,
                                 char *err, size_t errlen)
{
	if (a->rows && text == a->filter)
		return roaring_bitmap_copy(a->rows);
	char ferr[256];
	struct filter *f = filter_parse(text ? text : "", a->c, ferr, sizeof ferr);
	if (!f) {
		*status = fail(err, errlen, 400, "filter: %s", ferr);
		return NULL;
	}
	roaring_bitmap_t *rows = filter_eval(f, a->c, a->d, ferr, sizeof ferr);
	filter_free(f);
	if (!rows)
		*status = fail(err, errlen, 400, "filter: %s", ferr);
	return rows;
}

roaring_bitmap_t *measure_rows(const struct measure_args *a, const char *text, int *status,
                               char *err, size_t errlen)
{
	return rows_of(a, text, status, err, errlen);
}

static uint32_t *rows_array(const roaring_bitmap_t *rows, size_t *n)
{
	*n = roaring_bitmap_get_cardinality(rows);
	uint32_t *r = xmalloc(*n * sizeof *r);
	roaring_bitmap_to_uint32_array(rows, r);
	return r;
}

static struct aix_question *question_arg(const struct measure_args *a, const char *id, int *status,
                                         char *err, size_t errlen)
{
	if (!id || !*id) {
		*status = fail(err, errlen, 400, "a question id is needed");
		return NULL;
	}
	struct aix_question *q = aix_question(a->c, id);
	if (!q)
		*status = fail(err, errlen, 404, "no question %s in this collection", id);
	return q;
}

/* A question by id, or THEMES_QUESTION: the themes computed for the part
 * as a choice question (themes_measure.h), new in *owned (free with
 * themes_question_free; NULL for a question of the script). 409 when no
 * themes are computed yet. */
static struct aix_question *question_or_theme(const struct measure_args *a, const char *id,
                                              struct aix_question **owned, int *status, char *err,
                                              size_t errlen)
{
	*owned = NULL;
	if (id && strcmp(id, THEMES_QUESTION) == 0 && !aix_question(a->c, id)) {
		themes_sync(a->d, a->c);
		struct themes_snapshot ts;
		if (!themes_snapshot_get(a->c, &ts) || ts.k < 1) {
			themes_snapshot_free(&ts);
			*status = fail(err, errlen, 409,
			               "no themes have been computed for all stories here yet: "
			               "compute them first (the explorer's Themes page, "
			               "/api/v1/collections/ID/themes, or on the command line "
			               "add --themes)");
			return NULL;
		}
		*owned = themes_question_new(a->c, &ts);
		themes_snapshot_free(&ts);
		return *owned;
	}
	return question_arg(a, id, status, err, errlen);
}

static const char *perspective_name(const struct question *q)
{
	return q->perspective == PERSPECTIVE_PROFESSIONAL ? "professional" : "teller";
}

static json_t *question_head(const struct aix_question *aq)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "question", aq->q->id, "type",
	                 q_type_name(aq->q->type), "title", ltext_get(&aq->q->text, "nl"),
	                 "perspective", perspective_name(aq->q));
}

/* The label of bitmap k of a question (an option, a prompt, a scale point,
 * or "other"). */
static void bm_label(const struct question *q, int k, const char **id, const char **label,
                     char numbuf[16])
{
	if (q->type == Q_SCALE) {
		snprintf(numbuf, 16, "%d", k + 1);
		*id = numbuf;
		*label = k == 0               ? ltext_get(&q->low, "nl")
		         : k == q->points - 1 ? ltext_get(&q->high, "nl")
		                              : "";
		return;
	}
	if (k < q->noptions) {
		*id = q->options[k].id;
		*label = ltext_get(&q->options[k].label, "nl");
		return;
	}
	*id = "other";
	*label = q->other.n ? ltext_get(&q->other, "nl") : "";
}

/* n, not applicable and missing of a question within rows. */
static void answer_counts(const struct aix_question *aq, const roaring_bitmap_t *rows, uint64_t *n,
                          uint64_t *na, uint64_t *missing)
{
	uint64_t total = roaring_bitmap_get_cardinality(rows);
	*n = roaring_bitmap_and_cardinality(aq->answered, rows);
	*na = roaring_bitmap_and_cardinality(aq->na, rows);
	*missing = total - *n - *na;
}

/* A count shown only when it is 0 or at least min: 1..min-1 stories are
 * "too few" (null), so no small group can be singled out. */
static json_t *cell_count(uint64_t n, int min)
{
	return n == 0 || n >= (uint64_t)min ? json_integer((json_int_t)n) : json_null();
}

static void put_counts(json_t *o, uint64_t n, uint64_t na, uint64_t missing, int min)
{
	json_object_set_new(o, "n", cell_count(n, min));
	json_object_set_new(o, "not_applicable", cell_count(na, min));
	json_object_set_new(o, "missing", cell_count(missing, min));
	json_object_set_new(o, "too_few", json_boolean(n < (uint64_t)min));
}

/* The start of a measure of one question: its rows, the document's head
 * (question, filter, n, not applicable, missing, too_few) and n. 0, or a
 * status with err. */
static int question_start(const struct measure_args *a, const struct aix_question *aq,
                          roaring_bitmap_t **rows, json_t **o, uint64_t *n, char *err,
                          size_t errlen)
{
	int status = 0;
	*rows = rows_of(a, a->filter, &status, err, errlen);
	if (!*rows)
		return status;
	uint64_t na, missing;
	answer_counts(aq, *rows, n, &na, &missing);
	*o = question_head(aq);
	json_object_set_new(*o, "filter", json_string(a->filter ? a->filter : ""));
	put_counts(*o, *n, na, missing, min_group(a));
	return 0;
}

/* The value of a numeric question (dyad, scale, number) at a row; NaN when
 * there is none. */
static double numeric_value(const struct aix_question *aq, uint32_t row)
{
	switch (aq->q->type) {
	case Q_DYAD: {
		uint16_t v = aq->u16[row];
		return v >= AIX_NA16 ? NAN : v / (double)AIX_DYAD_SCALE;
	}
	case Q_SCALE: {
		uint8_t v = aq->u8[row];
		return v == AIX_MISSING8 || v == AIX_NA8 ? NAN : v;
	}
	case Q_NUMBER: return aq->f32[row];
	default: return NAN;
	}
}

static int is_numeric(const struct question *q)
{
	return q->type == Q_DYAD || q->type == Q_SCALE || q->type == Q_NUMBER;
}

/* Levels of a numeric question on a grid (dyads in hundredths, scale
 * points), for counting-based ranks and quantiles; 0 for numbers. */
static int grid_levels(const struct question *q)
{
	return q->type == Q_DYAD ? 100 * AIX_DYAD_SCALE + 1 : q->type == Q_SCALE ? q->points : 0;
}

static int grid_level(const struct aix_question *aq, uint32_t row)
{
	if (aq->q->type == Q_DYAD) {
		uint16_t v = aq->u16[row];
		return v >= AIX_NA16 ? -1 : v;
	}
	uint8_t v = aq->u8[row];
	return v == AIX_MISSING8 || v == AIX_NA8 ? -1 : v - 1;
}

static double grid_value(const struct question *q, int level)
{
	return q->type == Q_DYAD ? level / (double)AIX_DYAD_SCALE : level + 1;
}

/* Counts per grid level of the rows (levels from grid_levels). */
static double *grid_counts(const struct aix_question *aq, const roaring_bitmap_t *rows)
{
	int levels = grid_levels(aq->q);
	double *cnt = xcalloc((size_t)levels, sizeof *cnt);
	size_t n;
	uint32_t *r = rows_array(rows, &n);
	for (size_t i = 0; i < n; i++) {
		int l = grid_level(aq, r[i]);
		if (l >= 0)
			cnt[l] += 1;
	}
	free(r);
	return cnt;
}

/* Quantile p of the values given as counts per level, R type 7. */
static double grid_quantile(const struct question *q, const double *cnt, int levels, double n,
                            double p)
{
	if (n < 1)
		return NAN;
	double h = (n - 1) * p;
	double lo_i = floor(h), hi_i = ceil(h);
	double lo = NAN, hi = NAN, cum = 0;
	for (int l = 0; l < levels && isnan(hi); l++) {
		cum += cnt[l];
		if (isnan(lo) && cum > lo_i)
			lo = grid_value(q, l);
		if (cum > hi_i)
			hi = grid_value(q, l);
	}
	return lo + (h - lo_i) * (hi - lo);
}

/* ---- triads: fast ILR over the index's integer weights ------------------- */

/* ln(w / AIX_TRIAD_SCALE) for every stored weight w > 0, shared by every
 * query (built once; 480 KB). */
static double *log_table;
static pthread_once_t log_once = PTHREAD_ONCE_INIT;

/* log(1 - zeros * TRIAD_DELTA) for 0 to 3 zero weights, and
 * log(TRIAD_DELTA): the same values row_ilr computed per row before. */
static double log_adj[4], log_delta;

static void log_table_init(void)
{
	log_table = xmalloc((AIX_TRIAD_SCALE + 1) * sizeof *log_table);
	log_table[0] = -INFINITY;
	for (int w = 1; w <= AIX_TRIAD_SCALE; w++)
		log_table[w] = log(w / (double)AIX_TRIAD_SCALE);
	log_adj[0] = 0;
	for (int zeros = 1; zeros < 4; zeros++)
		log_adj[zeros] = log(1 - zeros * TRIAD_DELTA);
	log_delta = log(TRIAD_DELTA);
}

/* ILR coordinates of the triad answer at row after multiplicative zero
 * replacement (the same as triad_zero_replace + triad_ilr in stats.c; the
 * unit tests check it): 0, or -1 when the row has no answer. */
static int row_ilr(const struct aix_question *aq, uint32_t row, double z[2])
{
	pthread_once(&log_once, log_table_init);
	const uint16_t *w = aq->u16 + 3 * (size_t)row;
	if (w[0] >= AIX_NA16)
		return -1;
	int zeros = (w[0] == 0) + (w[1] == 0) + (w[2] == 0);
	double adj = log_adj[zeros], ld = log_delta;
	double l[3];
	for (int k = 0; k < 3; k++)
		l[k] = w[k] ? log_table[w[k]] + adj : ld;
	z[0] = sqrt(2.0 / 3.0) * (l[0] - 0.5 * (l[1] + l[2]));
	z[1] = sqrt(0.5) * (l[1] - l[2]);
	return 0;
}

/* The zone (triad_zone) and ternary bin (triad_bin with k per side) of the
 * answer at row, from its integer weights (60000ths, summing exactly), so
 * no division or rounding is needed; the unit tests check it against the
 * functions of stats.c. The row must have an answer. */
static void row_zone_bin(const struct aix_question *aq, uint32_t row, int k, int *zone, int *bin)
{
	const uint16_t *w = aq->u16 + 3 * (size_t)row;
	const long S = AIX_TRIAD_SCALE, lo = S / 5, hi = 3 * S / 5; /* 0.2 and 0.6 */
	if (w[0] >= hi)
		*zone = TRIAD_ZONE_A;
	else if (w[1] >= hi)
		*zone = TRIAD_ZONE_B;
	else if (w[2] >= hi)
		*zone = TRIAD_ZONE_C;
	else if (w[2] < lo)
		*zone = TRIAD_ZONE_AB;
	else if (w[0] < lo)
		*zone = TRIAD_ZONE_BC;
	else if (w[1] < lo)
		*zone = TRIAD_ZONE_AC;
	else
		*zone = TRIAD_ZONE_CENTRE;
	long u = (long)k * w[0], v = (long)k * w[1];
	long i = u / S, j = v / S;
	if (i > k - 1)
		i = k - 1;
	if (j > k - 1 - i)
		j = k - 1 - i;
	int down = (u - i * S) + (v - j * S) >= S && i + j <= k - 2;
	*bin = (int)(2 * k * i - i * i + 2 * j + down);
}

/* ILR coordinates of the answered rows (a new array of *n pairs). */
static double (*ilr_rows(const struct aix_question *aq, const roaring_bitmap_t *rows, size_t *n))[2]
{
	size_t m;
	uint32_t *r = rows_array(rows, &m);
	double(*z)[2] = xmalloc(m * sizeof *z);
	size_t k = 0;
	for (size_t i = 0; i < m; i++)
		if (row_ilr(aq, r[i], z[k]) == 0)
			k++;
	free(r);
	*n = k;
	return z;
}

static void ilr_mean_cov(double (*z)[2], size_t n, double mean[2], double cov[3])
{
	double s0 = 0, s1 = 0;
	for (size_t i = 0; i < n; i++) {
		s0 += z[i][0];
		s1 += z[i][1];
	}
	mean[0] = n ? s0 / n : NAN;
	mean[1] = n ? s1 / n : NAN;
	double c00 = 0, c01 = 0, c11 = 0;
	for (size_t i = 0; i < n; i++) {
		double d0 = z[i][0] - mean[0], d1 = z[i][1] - mean[1];
		c00 += d0 * d0;
		c01 += d0 * d1;
		c11 += d1 * d1;
	}
	double den = n > 1 ? (double)(n - 1) : NAN;
	cov[0] = c00 / den;
	cov[1] = c01 / den;
	cov[2] = c11 / den;
}

static json_t *triple(const double x[3])
{
	return json_pack("[o,o,o]", num6(x[0]), num6(x[1]), num6(x[2]));
}

/* ---- count --------------------------------------------------------------- */

/* The UTC quarter of unix time t as year * 4 + quarter - 1, in integers
 * (civil_from_days, H. Hinnant): gmtime_r and snprintf per story were a
 * quarter of an explorer page's time on a million stories. */
int64_t measure_quarter_key(int64_t t)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	int64_t doe = days - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	return y * 4 + (m - 1) / 3;
}

static int compute_count(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	int status = 0;
	roaring_bitmap_t *rows = rows_of(a, a->filter, &status, err, errlen);
	if (!rows)
		return status;
	int min = min_group(a);
	uint64_t n = roaring_bitmap_get_cardinality(rows);
	json_t *o = json_object();
	json_object_set_new(o, a->c->trajectory ? "trajectory" : "collection",
	                    json_integer(a->c->id));
	json_object_set_new(o, "filter", json_string(a->filter ? a->filter : ""));
	json_object_set_new(o, "n", cell_count(n, min));
	if (a->c->trajectory) {
		/* a trajectory's stories per collection */
		json_t *bc = json_object();
		for (int j = 0; j < a->c->ncolls; j++) {
			char key[24];
			snprintf(key, sizeof key, "%lld", (long long)a->c->coll_id[j]);
			json_object_set_new(
			        bc, key,
			        cell_count(roaring_bitmap_and_cardinality(a->c->by_coll[j], rows),
			                   min));
		}
		json_object_set_new(o, "by_collection", bc);
	}
	json_object_set_new(o, "too_few", json_boolean(n < (uint64_t)min));
	json_t *ch = json_object();
	for (int k = 0; k < AIX_CHANNELS; k++) {
		uint64_t m = roaring_bitmap_and_cardinality(a->c->by_channel[k], rows);
		if (m)
			json_object_set_new(ch, aix_channel_name(k), cell_count(m, min));
	}
	json_object_set_new(o, "by_channel", ch);
	json_object_set_new(
	        o, "professional",
	        cell_count(roaring_bitmap_and_cardinality(a->c->professional, rows), min));
	/* stories per quarter, in time order */
	size_t m;
	uint32_t *r = rows_array(rows, &m);
	struct {
		int64_t key;
		uint64_t n;
	} *per = NULL;
	size_t nper = 0, last = 0;
	/* the quarter's first and last second seen so far with its key: the
	 * next story is mostly in the same quarter */
	int64_t seen_lo = 1, seen_hi = 0, seen_key = 0;
	for (size_t i = 0; i < m; i++) {
		int64_t t = a->c->created_at[r[i]], key;
		if (t >= seen_lo && t <= seen_hi) {
			key = seen_key;
		} else {
			key = measure_quarter_key(t);
			if (key == seen_key && seen_lo <= seen_hi) {
				seen_lo = t < seen_lo ? t : seen_lo;
				seen_hi = t > seen_hi ? t : seen_hi;
			} else {
				seen_lo = seen_hi = t;
				seen_key = key;
			}
		}
		/* stories come in time order mostly: the last quarter first */
		size_t k = last < nper && per[last].key == key ? last : 0;
		while (k < nper && per[k].key != key)
			k++;
		if (k == nper) {
			per = realloc(per, (nper + 1) * sizeof *per);
			if (!per)
				abort();
			per[k].key = key;
			per[k].n = 0;
			nper++;
		}
		per[k].n++;
		last = k;
	}
	free(r);
	for (size_t i = 1; i < nper; i++) /* insertion sort: few quarters */
		for (size_t j = i; j > 0 && per[j - 1].key > per[j].key; j--) {
			__typeof__(*per) t = per[j];
			per[j] = per[j - 1];
			per[j - 1] = t;
		}
	json_t *bp = json_array();
	for (size_t k = 0; k < nper; k++) {
		char q[32];
		snprintf(q, sizeof q, "%04lld-Q%d", (long long)(per[k].key / 4),
		         (int)(per[k].key % 4) + 1);
		json_array_append_new(
		        bp, json_pack("{s:s, s:o}", "period", q, "n", cell_count(per[k].n, min)));
	}
	free(per);
	json_object_set_new(o, "by_period", bp);
	roaring_bitmap_free(rows);
	*out = o;
	return 0;
}

/* ---- distribution -------------------------------------------------------- */

static json_t *options_json(const struct aix_question *aq, const roaring_bitmap_t *rows,
                            uint64_t base, int min)
{
	json_t *arr = json_array();
	for (int k = 0; k < aq->nbm; k++) {
		if (k == aq->q->noptions && (aq->q->type == Q_CHOICE || aq->q->type == Q_MULTI) &&
		    !aq->q->other.n)
			continue; /* no "other, namely" in this question */
		const char *id, *label;
		char nb[16];
		bm_label(aq->q, k, &id, &label, nb);
		uint64_t cnt = roaring_bitmap_and_cardinality(aq->bm[k], rows);
		json_t *e = json_pack("{s:s, s:s}", "id", id, "label", label);
		if (base >= (uint64_t)min && cnt >= (uint64_t)min) {
			double lo, hi;
			stats_wilson((double)cnt, (double)base, 1.959963984540054, &lo, &hi);
			json_object_set_new(e, "count", json_integer((json_int_t)cnt));
			json_object_set_new(e, "percent", num6(100.0 * cnt / base));
			json_object_set_new(e, "ci",
			                    json_pack("[o,o]", num6(100 * lo), num6(100 * hi)));
		} else {
			json_object_set_new(e, "count", json_null());
			json_object_set_new(e, "too_few", json_true());
		}
		json_array_append_new(arr, e);
	}
	return arr;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static void numeric_summary(json_t *o, const struct aix_question *aq, const roaring_bitmap_t *rows,
                            uint64_t n, int bins, int min)
{
	const struct question *q = aq->q;
	if (q->type == Q_NUMBER) {
		size_t m;
		uint32_t *r = rows_array(rows, &m);
		double *v = xmalloc(m * sizeof *v);
		size_t k = 0;
		for (size_t i = 0; i < m; i++) {
			double x = numeric_value(aq, r[i]);
			if (!isnan(x))
				v[k++] = x;
		}
		free(r);
		qsort(v, k, sizeof *v, cmp_double);
		double sum = 0;
		for (size_t i = 0; i < k; i++)
			sum += v[i];
		json_object_set_new(o, "mean", num6(k ? sum / k : NAN));
		json_object_set_new(o, "median", num6(stats_quantile_sorted(v, k, 0.5)));
		json_object_set_new(o, "quartiles",
		                    json_pack("[o,o]", num6(stats_quantile_sorted(v, k, 0.25)),
		                              num6(stats_quantile_sorted(v, k, 0.75))));
		free(v);
		return;
	}
	int levels = grid_levels(q);
	double *cnt = grid_counts(aq, rows);
	double sum = 0;
	for (int l = 0; l < levels; l++)
		sum += cnt[l] * grid_value(q, l);
	json_object_set_new(o, "mean", num6(n ? sum / n : NAN));
	json_object_set_new(o, "median", num6(grid_quantile(q, cnt, levels, (double)n, 0.5)));
	json_object_set_new(o, "quartiles",
	                    json_pack("[o,o]", num6(grid_quantile(q, cnt, levels, (double)n, 0.25)),
	                              num6(grid_quantile(q, cnt, levels, (double)n, 0.75))));
	if (q->type == Q_DYAD) {
		if (bins <= 0 || bins > 100)
			bins = 10;
		double *h = xcalloc((size_t)bins, sizeof *h);
		for (int l = 0; l < levels; l++) {
			int b = (int)((double)l * bins / (levels - 1));
			h[b < bins ? b : bins - 1] += cnt[l];
		}
		json_t *arr = json_array();
		for (int b = 0; b < bins; b++)
			json_array_append_new(arr, json_pack("{s:o, s:o, s:o}", "from",
			                                     num6(100.0 * b / bins), "to",
			                                     num6(100.0 * (b + 1) / bins), "count",
			                                     cell_count((uint64_t)h[b], min)));
		json_object_set_new(o, "histogram", arr);
		free(h);
	}
	free(cnt);
}

static int compute_distribution(const struct measure_args *a, json_t **out, char *err,
                                size_t errlen)
{
	int status = 0;
	struct aix_question *owned;
	struct aix_question *aq = question_or_theme(a, a->q, &owned, &status, err, errlen);
	if (!aq)
		return status;
	if (aq->q->type == Q_TRIAD)
		return measure_triad(a, out, err, errlen);
	if (aq->q->type == Q_PIN || aq->q->type == Q_STONES)
		return measure_points(a, out, err, errlen);
	roaring_bitmap_t *rows;
	json_t *o;
	uint64_t n;
	int min = min_group(a);
	if ((status = question_start(a, aq, &rows, &o, &n, err, errlen)) != 0) {
		themes_question_free(owned);
		return status;
	}
	if (n >= (uint64_t)min) {
		if (aq->nbm > 0) {
			/* multi: percentages of the stories that answered */
			json_object_set_new(o, "options", options_json(aq, rows, n, min));
		}
		if (is_numeric(aq->q))
			numeric_summary(o, aq, rows, n, a->bins, min);
	}
	themes_question_free(owned);
	roaring_bitmap_free(rows);
	*out = o;
	return 0;
}

/* ---- cross-table --------------------------------------------------------- */

static int categorical(const struct question *q)
{
	return q->type == Q_CHOICE || q->type == Q_SCALE || q->type == Q_STORY ||
	       q->type == Q_MULTI;
}

/* The categories of a question that show (choice without "other" when the
 * question has none). */
static int ncats(const struct aix_question *aq)
{
	if ((aq->q->type == Q_CHOICE || aq->q->type == Q_MULTI) && !aq->q->other.n)
		return aq->q->noptions;
	return aq->nbm;
}

static int compute_crosstab(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	int status = 0;
	struct aix_question *own1 = NULL, *own2 = NULL;
	struct aix_question *q1 = question_or_theme(a, a->q, &own1, &status, err, errlen);
	struct aix_question *q2 =
	        q1 ? question_or_theme(a, a->q2, &own2, &status, err, errlen) : NULL;
	roaring_bitmap_t *rows = NULL;
	if (q1 && q2 && (!categorical(q1->q) || !categorical(q2->q)))
		status = fail(err, errlen, 422,
		              "a cross-table needs two choice, scale or story questions");
	else if (q1 && q2)
		rows = rows_of(a, a->filter, &status, err, errlen);
	if (!rows) {
		themes_question_free(own1);
		themes_question_free(own2);
		return status;
	}
	int min = min_group(a);
	int r = ncats(q1), k = ncats(q2);
	double *t = xcalloc((size_t)r * k, sizeof *t);
	for (int i = 0; i < r; i++) {
		roaring_bitmap_t *ri = roaring_bitmap_and(q1->bm[i], rows);
		for (int j = 0; j < k; j++)
			t[i * k + j] = (double)roaring_bitmap_and_cardinality(ri, q2->bm[j]);
		roaring_bitmap_free(ri);
	}
	double total = 0;
	for (int i = 0; i < r * k; i++)
		total += t[i];
	json_t *o = json_pack("{s:s, s:s, s:s}", "question", q1->q->id, "by", q2->q->id, "filter",
	                      a->filter ? a->filter : "");
	json_object_set_new(o, "n", cell_count((uint64_t)total, min));
	json_object_set_new(o, "too_few", json_boolean(total < min));
	json_t *rl = json_array(), *cl = json_array();
	for (int i = 0; i < r; i++) {
		const char *id, *label;
		char nb[16];
		bm_label(q1->q, i, &id, &label, nb);
		json_array_append_new(rl, json_pack("{s:s, s:s}", "id", id, "label", label));
	}
	for (int j = 0; j < k; j++) {
		const char *id, *label;
		char nb[16];
		bm_label(q2->q, j, &id, &label, nb);
		json_array_append_new(cl, json_pack("{s:s, s:s}", "id", id, "label", label));
	}
	json_object_set_new(o, "rows", rl);
	json_object_set_new(o, "columns", cl);
	if (total >= min) {
		double *res = xmalloc((size_t)r * k * sizeof *res);
		struct stats_chisq cs;
		int ok = stats_chisq(t, r, k, &cs, res) == 0;
		json_t *counts = json_array(), *resid = json_array();
		for (int i = 0; i < r; i++) {
			json_t *cr = json_array(), *rr = json_array();
			for (int j = 0; j < k; j++) {
				json_array_append_new(cr, cell_count((uint64_t)t[i * k + j], min));
				json_array_append_new(rr, ok ? num6(res[i * k + j]) : json_null());
			}
			json_array_append_new(counts, cr);
			json_array_append_new(resid, rr);
		}
		json_object_set_new(o, "counts", counts);
		json_object_set_new(o, "residuals", resid);
		if (ok)
			json_object_set_new(o, "chi_square",
			                    json_pack("{s:o, s:i, s:o, s:o}", "statistic",
			                              num6(cs.statistic), "df", cs.df, "p",
			                              pval(cs.p), "cramers_v", num6(cs.cramers_v)));
		free(res);
	}
	free(t);
	themes_question_free(own1);
	themes_question_free(own2);
	roaring_bitmap_free(rows);
	*out = o;
	return 0;
}

/* ---- triad --------------------------------------------------------------- */

static int compute_triad(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	int status = 0;
	struct aix_question *aq = question_arg(a, a->q, &status, err, errlen);
	if (!aq)
		return status;
	if (aq->q->type != Q_TRIAD)
		return fail(err, errlen, 422, "%s is not a triad", aq->q->id);
	roaring_bitmap_t *rows;
	json_t *o;
	uint64_t n;
	int min = min_group(a);
	if ((status = question_start(a, aq, &rows, &o, &n, err, errlen)) != 0)
		return status;
	json_t *corners = json_array();
	for (int k = 0; k < 3; k++)
		json_array_append_new(corners,
		                      json_pack("{s:s, s:s}", "id", aq->q->options[k].id, "label",
		                                ltext_get(&aq->q->options[k].label, "nl")));
	json_object_set_new(o, "corners", corners);
	if (n >= (uint64_t)min) {
		/* one pass over the rows: ILR coordinates, zone and bin of each
		 * answer (zones and bins from the integer weights) */
		int bins = a->bins > 0 && a->bins <= 50 ? a->bins : 10;
		uint64_t zones[TRIAD_ZONES] = {0};
		uint64_t *bc = xcalloc((size_t)bins * bins, sizeof *bc);
		size_t nr, m = 0;
		uint32_t *r = rows_array(rows, &nr);
		double(*z)[2] = xmalloc(nr * sizeof *z);
		for (size_t i = 0; i < nr; i++) {
			int zone, bin;
			if (row_ilr(aq, r[i], z[m]) != 0)
				continue;
			m++;
			row_zone_bin(aq, r[i], bins, &zone, &bin);
			zones[zone]++;
			bc[bin]++;
		}
		free(r);
		double mean[2], cov[3], g[3];
		ilr_mean_cov(z, m, mean, cov);
		triad_ilr_inv(mean, g);
		json_object_set_new(o, "geomean", triple(g));
		json_object_set_new(o, "ilr_mean",
		                    json_pack("[o,o]", num6(mean[0]), num6(mean[1])));
		json_object_set_new(o, "ilr_cov",
		                    json_pack("[o,o,o]", num6(cov[0]), num6(cov[1]), num6(cov[2])));
		struct triad_region reg;
		enum { NPTS = 48 };
		double pts[NPTS][3];
		if (triad_confidence_region(mean, cov, m, 0.95, &reg, pts, NPTS) == 0) {
			json_t *pa = json_array();
			for (int i = 0; i < NPTS; i++)
				json_array_append_new(pa, triple(pts[i]));
			json_object_set_new(o, "ci",
			                    json_pack("{s:f, s:[o,o], s:o, s:o, s:o, s:o}", "level",
			                              0.95, "centre", num6(reg.centre[0]),
			                              num6(reg.centre[1]), "axis_a",
			                              num6(reg.axis_a), "axis_b", num6(reg.axis_b),
			                              "angle", num6(reg.angle), "points", pa));
		} else {
			json_object_set_new(o, "ci", json_null());
		}
		free(z);
		static const char *const zone_names[TRIAD_ZONES] = {"a",  "b",  "c",     "ab",
		                                                    "bc", "ac", "centre"};
		json_t *zo = json_object();
		for (int k = 0; k < TRIAD_ZONES; k++)
			json_object_set_new(zo, zone_names[k], cell_count(zones[k], min));
		json_object_set_new(o, "zones", zo);
		json_t *ba = json_array();
		for (int b = 0; b < bins * bins; b++)
			json_array_append_new(ba, cell_count(bc[b], min));
		json_object_set_new(o, "bins",
		                    json_pack("{s:i, s:o}", "per_side", bins, "counts", ba));
		free(bc);
	}
	roaring_bitmap_free(rows);
	*out = o;
	return 0;
}

/* ---- pins and stones ------------------------------------------------------ */

/* A position's totals: count, sums and sums of squares of x and y (whole
 * numbers 0..100, so the sums are exact and the order of the rows cannot
 * show), and the grid counts. */
struct point_acc {
	uint64_t n, sx, sy, sxx, syy;
	uint64_t grid[MEASURES_GRID * MEASURES_GRID];
};

static void point_add(struct point_acc *p, int x, int y)
{
	p->n++;
	p->sx += (uint64_t)x;
	p->sy += (uint64_t)y;
	p->sxx += (uint64_t)(x * x);
	p->syy += (uint64_t)(y * y);
	p->grid[measure_grid_cell(y) * MEASURES_GRID + measure_grid_cell(x)]++;
}

/* The figures of one position: mean, standard deviation (n - 1) and the
 * grid, or too_few when fewer than min were placed. */
static void point_json(json_t *o, const struct point_acc *p, int min)
{
	if (p->n < (uint64_t)min || p->n == 0) {
		json_object_set_new(o, "too_few", json_boolean(p->n < (uint64_t)min));
		return;
	}
	double n = (double)p->n, mx = p->sx / n, my = p->sy / n;
	double vx = p->n > 1 ? (p->sxx - n * mx * mx) / (n - 1) : NAN;
	double vy = p->n > 1 ? (p->syy - n * my * my) / (n - 1) : NAN;
	json_object_set_new(o, "too_few", json_false());
	json_object_set_new(o, "mean", json_pack("[o,o]", num6(mx), num6(my)));
	json_object_set_new(
	        o, "sd",
	        json_pack("[o,o]", num6(sqrt(vx > 0 ? vx : 0)), num6(sqrt(vy > 0 ? vy : 0))));
	json_t *g = json_array();
	for (int k = 0; k < MEASURES_GRID * MEASURES_GRID; k++)
		json_array_append_new(g, cell_count(p->grid[k], min));
	json_object_set_new(o, "grid",
	                    json_pack("{s:i, s:o}", "per_side", MEASURES_GRID, "counts", g));
}

static json_t *axis_json(const struct axis *ax)
{
	return json_pack("{s:s, s:s, s:s}", "label", ltext_get(&ax->label, "nl"), "low",
	                 ltext_get(&ax->low, "nl"), "high", ltext_get(&ax->high, "nl"));
}

int measure_points(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	int status = 0;
	struct aix_question *aq = question_arg(a, a->q, &status, err, errlen);
	if (!aq)
		return status;
	const struct question *q = aq->q;
	if (q->type != Q_PIN && q->type != Q_STONES)
		return fail(err, errlen, 422, "%s is not a pin or stones question", q->id);
	roaring_bitmap_t *rows;
	json_t *o;
	uint64_t n;
	int min = min_group(a);
	if ((status = question_start(a, aq, &rows, &o, &n, err, errlen)) != 0)
		return status;
	roaring_bitmap_t *ans = roaring_bitmap_and(rows, aq->answered);
	size_t nr;
	uint32_t *r = rows_array(ans, &nr);
	roaring_bitmap_free(ans);
	if (q->type == Q_PIN) {
		json_object_set_new(o, "image", json_string(q->image ? q->image : ""));
		struct point_acc *p = xcalloc(1, sizeof *p);
		for (size_t i = 0; i < nr; i++) {
			const uint8_t *v = aq->u8 + 2 * (size_t)r[i];
			if (v[0] <= 100 && v[1] <= 100)
				point_add(p, v[0], v[1]);
		}
		if (n >= (uint64_t)min)
			point_json(o, p, min);
		free(p);
	} else {
		json_object_set_new(
		        o, "axes",
		        json_pack("{s:o, s:o}", "x", axis_json(&q->x), "y", axis_json(&q->y)));
		int ns = q->noptions;
		struct point_acc *p = xcalloc((size_t)ns, sizeof *p);
		for (size_t i = 0; i < nr; i++)
			for (int k = 0; k < ns; k++) {
				const uint8_t *v = aq->u8 + 2 * ((size_t)r[i] * ns + k);
				if (v[0] <= 100 && v[1] <= 100)
					point_add(&p[k], v[0], v[1]);
			}
		json_t *arr = json_array();
		for (int k = 0; k < ns; k++) {
			json_t *e = json_pack("{s:s, s:s}", "id", q->options[k].id, "label",
			                      ltext_get(&q->options[k].label, "nl"));
			if (n >= (uint64_t)min) {
				json_object_set_new(e, "placed", cell_count(p[k].n, min));
				json_object_set_new(e, "not_placed", cell_count(n - p[k].n, min));
				point_json(e, &p[k], min);
			} else {
				json_object_set_new(e, "placed", json_null());
				json_object_set_new(e, "too_few", json_true());
			}
			json_array_append_new(arr, e);
		}
		json_object_set_new(o, "stones", arr);
		free(p);
	}
	free(r);
	roaring_bitmap_free(rows);
	*out = o;
	return 0;
}

/* ---- two groups ---------------------------------------------------------- */

/* One finding of a comparison: a question (or one option of a multiple
 * choice), its test, effect and p. */
struct finding {
	json_t *doc;
	double effect, p;
};

static int cmp_finding(const void *x, const void *y)
{
	const struct finding *a = x, *b = y;
	double ea = fabs(a->effect), eb = fabs(b->effect);
	if (isnan(ea) != isnan(eb))
		return isnan(ea) ? 1 : -1;
	if (ea != eb)
		return ea < eb ? 1 : -1;
	return strcmp(json_string_value(json_object_get(a->doc, "question")),
	              json_string_value(json_object_get(b->doc, "question")));
}

static void chisq_finding(struct finding *f, const double *t, int rows, int cols)
{
	struct stats_chisq cs;
	if (stats_chisq(t, rows, cols, &cs, NULL) == 0) {
		f->effect = cs.cramers_v;
		f->p = cs.p;
		json_object_set_new(f->doc, "test", json_string("chi-square"));
		json_object_set_new(f->doc, "statistic", num6(cs.statistic));
		json_object_set_new(f->doc, "df", json_integer(cs.df));
		json_object_set_new(f->doc, "effect", num6(cs.cramers_v));
		json_object_set_new(f->doc, "effect_size", json_string("cramers_v"));
	}
}

/* per_option: a choice question's options each on their own too, as a
 * multiple choice's are, with their label, counts and the difference of
 * the shares with its interval (compare with a question given). */
static void compare_question(const struct measure_args *a, struct aix_question *aq,
                             const roaring_bitmap_t *ra, const roaring_bitmap_t *rb, int min,
                             int per_option, struct finding **fs, size_t *nf)
{
	const struct question *q = aq->q;
	uint64_t na = roaring_bitmap_and_cardinality(aq->answered, ra);
	uint64_t nb = roaring_bitmap_and_cardinality(aq->answered, rb);
	if (q->type == Q_MULTI || (per_option && q->type == Q_CHOICE)) {
		/* each option: chose it or not, among those who answered */
		for (int k = 0; k < ncats(aq); k++) {
			const char *id, *label;
			char nbuf[16];
			bm_label(q, k, &id, &label, nbuf);
			double ca = (double)roaring_bitmap_and_cardinality(aq->bm[k], ra);
			double cb = (double)roaring_bitmap_and_cardinality(aq->bm[k], rb);
			struct finding f = {
			        json_pack("{s:s, s:s, s:s, s:o, s:o}", "question", q->id, "option",
			                  id, "type", q_type_name(q->type), "n_a",
			                  cell_count(na, min), "n_b", cell_count(nb, min)),
			        NAN, NAN};
			if (per_option)
				json_object_set_new(f.doc, "label", json_string(label));
			if (na >= (uint64_t)min && nb >= (uint64_t)min) {
				json_object_set_new(f.doc, "percent_a", num6(100 * ca / na));
				json_object_set_new(f.doc, "percent_b", num6(100 * cb / nb));
				double t[4] = {ca, na - ca, cb, nb - cb};
				chisq_finding(&f, t, 2, 2);
				double d, lo, hi;
				if (per_option &&
				    stats_newcombe_diff(ca, (double)na, cb, (double)nb,
				                        1.959963984540054, &d, &lo, &hi) == 0) {
					json_object_set_new(f.doc, "count_a",
					                    cell_count((uint64_t)ca, min));
					json_object_set_new(f.doc, "count_b",
					                    cell_count((uint64_t)cb, min));
					json_object_set_new(f.doc, "difference", num6(100 * d));
					json_object_set_new(
					        f.doc, "ci",
					        json_pack("[o,o]", num6(100 * lo), num6(100 * hi)));
				}
			} else {
				json_object_set_new(f.doc, "too_few", json_true());
			}
			*fs = realloc(*fs, (*nf + 1) * sizeof **fs);
			(*fs)[(*nf)++] = f;
		}
		return;
	}
	struct finding f = {json_pack("{s:s, s:s, s:s, s:o, s:o}", "question", q->id, "type",
	                              q_type_name(q->type), "title", ltext_get(&q->text, "nl"),
	                              "n_a", cell_count(na, min), "n_b", cell_count(nb, min)),
	                    NAN, NAN};
	if (na < (uint64_t)min || nb < (uint64_t)min) {
		json_object_set_new(f.doc, "too_few", json_true());
	} else if (q->type == Q_CHOICE || q->type == Q_STORY) {
		int k = ncats(aq);
		double *t = xcalloc(2 * (size_t)k, sizeof *t);
		for (int j = 0; j < k; j++) {
			t[j] = (double)roaring_bitmap_and_cardinality(aq->bm[j], ra);
			t[k + j] = (double)roaring_bitmap_and_cardinality(aq->bm[j], rb);
		}
		chisq_finding(&f, t, 2, k);
		free(t);
	} else if (q->type == Q_DYAD || q->type == Q_SCALE) {
		int levels = grid_levels(q);
		double *ca = grid_counts(aq, ra), *cb = grid_counts(aq, rb);
		struct stats_mw mw;
		double sa = 0, sb = 0;
		for (int l = 0; l < levels; l++) {
			sa += ca[l] * grid_value(q, l);
			sb += cb[l] * grid_value(q, l);
		}
		json_object_set_new(f.doc, "mean_a", num6(sa / na));
		json_object_set_new(f.doc, "mean_b", num6(sb / nb));
		json_object_set_new(f.doc, "median_a",
		                    num6(grid_quantile(q, ca, levels, (double)na, 0.5)));
		json_object_set_new(f.doc, "median_b",
		                    num6(grid_quantile(q, cb, levels, (double)nb, 0.5)));
		if (stats_mann_whitney_counts(ca, cb, levels, &mw) == 0) {
			f.effect = mw.rank_biserial;
			f.p = mw.p;
			json_object_set_new(f.doc, "test", json_string("mann-whitney"));
			json_object_set_new(f.doc, "statistic", num6(mw.u));
			json_object_set_new(f.doc, "effect", num6(mw.rank_biserial));
			json_object_set_new(f.doc, "effect_size", json_string("rank_biserial"));
		}
		free(ca);
		free(cb);
	} else if (q->type == Q_TRIAD) {
		size_t ma, mb;
		double(*za)[2] = ilr_rows(aq, ra, &ma);
		double(*zb)[2] = ilr_rows(aq, rb, &mb);
		double mean[2], cov[3], g[3];
		ilr_mean_cov(za, ma, mean, cov);
		triad_ilr_inv(mean, g);
		json_object_set_new(f.doc, "geomean_a", triple(g));
		ilr_mean_cov(zb, mb, mean, cov);
		triad_ilr_inv(mean, g);
		json_object_set_new(f.doc, "geomean_b", triple(g));
		/* a permutation p-value when a group is small: the F distribution
		 * then leans on normality the data rarely have */
		int small = ma < 30 || mb < 30;
		int perms = small ? (a->permutations > 0 ? a->permutations : 999) : 0;
		struct stats_hotelling h;
		if (stats_hotelling2((const double(*)[2])za, ma, (const double(*)[2])zb, mb, perms,
		                     0x5EED, &h) == 0) {
			f.effect = h.mahalanobis_d;
			f.p = small ? h.p_perm : h.p;
			json_object_set_new(
			        f.doc, "test",
			        json_string(small ? "hotelling-permutation" : "hotelling"));
			json_object_set_new(f.doc, "statistic", num6(h.t2));
			json_object_set_new(f.doc, "effect", num6(h.mahalanobis_d));
			json_object_set_new(f.doc, "effect_size", json_string("mahalanobis_d"));
		}
		free(za);
		free(zb);
	} else {
		json_decref(f.doc);
		return;
	}
	*fs = realloc(*fs, (*nf + 1) * sizeof **fs);
	(*fs)[(*nf)++] = f;
}

static int compute_compare(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	int status = 0;
	if (!a->a || !a->b)
		return fail(err, errlen, 400, "compare needs two filters (a and b)");
	roaring_bitmap_t *ra = rows_of(a, a->a, &status, err, errlen);
	if (!ra)
		return status;
	roaring_bitmap_t *rb = rows_of(a, a->b, &status, err, errlen);
	if (!rb) {
		roaring_bitmap_free(ra);
		return status;
	}
	/* a common filter narrows both */
	if (a->filter && *a->filter) {
		roaring_bitmap_t *rf = rows_of(a, a->filter, &status, err, errlen);
		if (!rf) {
			roaring_bitmap_free(ra);
			roaring_bitmap_free(rb);
			return status;
		}
		roaring_bitmap_and_inplace(ra, rf);
		roaring_bitmap_and_inplace(rb, rf);
		roaring_bitmap_free(rf);
	}
	int min = min_group(a);
	struct finding *fs = NULL;
	size_t nf = 0;
	if (a->q && *a->q) {
		/* one question, each of its options on its own */
		struct aix_question *owned;
		struct aix_question *aq = question_or_theme(a, a->q, &owned, &status, err, errlen);
		if (aq && (!q_type_signifies(aq->q->type) || aq->q->type == Q_STONES))
			status = fail(
			        err, errlen, 422,
			        "compare takes a choice, multiple choice, scale, dyad or triad "
			        "question");
		else if (aq)
			compare_question(a, aq, ra, rb, min, 1, &fs, &nf);
		themes_question_free(owned);
		if (status) {
			roaring_bitmap_free(ra);
			roaring_bitmap_free(rb);
			return status;
		}
	} else {
		for (int i = 0; i < a->c->nq; i++) {
			struct aix_question *aq = &a->c->q[i];
			if (q_type_signifies(aq->q->type) && aq->q->type != Q_STONES)
				compare_question(a, aq, ra, rb, min, 0, &fs, &nf);
		}
	}
	double *p = xmalloc(nf * sizeof *p), *qv = xmalloc(nf * sizeof *qv);
	for (size_t i = 0; i < nf; i++)
		p[i] = fs[i].p;
	stats_bh(p, nf, qv);
	for (size_t i = 0; i < nf; i++) {
		json_object_set_new(fs[i].doc, "p", pval(fs[i].p));
		json_object_set_new(fs[i].doc, "q", pval(qv[i]));
	}
	if (nf) /* fs is NULL when nothing was compared */
		qsort(fs, nf, sizeof *fs, cmp_finding);
	json_t *arr = json_array();
	for (size_t i = 0; i < nf; i++)
		json_array_append_new(arr, fs[i].doc);
	uint64_t na = roaring_bitmap_get_cardinality(ra), nb = roaring_bitmap_get_cardinality(rb);
	/* the groups' sizes are counts too: a small group shows none */
	json_t *o = json_pack("{s:{s:s, s:o}, s:{s:s, s:o}, s:s, s:o}", "a", "filter", a->a, "n",
	                      cell_count(na, min), "b", "filter", a->b, "n", cell_count(nb, min),
	                      "filter", a->filter ? a->filter : "", "questions", arr);
	if (a->q && *a->q)
		json_object_set_new(o, "question", json_string(a->q));
	uint64_t both = roaring_bitmap_and_cardinality(ra, rb);
	if (both)
		json_object_set_new(o, "overlap", cell_count(both, min));
	free(p);
	free(qv);
	free(fs);
	roaring_bitmap_free(ra);
	roaring_bitmap_free(rb);
	*out = o;
	return 0;
}

/* ---- people over time ---------------------------------------------------- */

struct visit {
	uint32_t participant, row;
	int64_t at;
	uint32_t story;
};

static int cmp_visit(const void *x, const void *y)
{
	const struct visit *a = x, *b = y;
	if (a->participant != b->participant)
		return a->participant < b->participant ? -1 : 1;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return (a->story > b->story) - (a->story < b->story);
}

static json_t *value_json(const struct aix_question *aq, uint32_t row)
{
	if (aq->q->type == Q_TRIAD) {
		double x[3];
		return aix_triad(aq, row, x) == 0 ? triple(x) : json_null();
	}
	return num6(numeric_value(aq, row));
}

static int row_has_value(const struct aix_question *aq, uint32_t row)
{
	if (aq->q->type == Q_TRIAD)
		return aq->u16[3 * (size_t)row] < AIX_NA16;
	return !isnan(numeric_value(aq, row));
}

static int compute_over_time(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	int status = 0;
	struct aix_question *aq = question_arg(a, a->q, &status, err, errlen);
	if (!aq)
		return status;
	if (!is_numeric(aq->q) && aq->q->type != Q_TRIAD)
		return fail(err, errlen, 422,
		            "over-time needs a dyad, scale, number or triad question");
	roaring_bitmap_t *rows = rows_of(a, a->filter, &status, err, errlen);
	if (!rows)
		return status;
	int min = min_group(a);
	size_t m;
	uint32_t *r = rows_array(rows, &m);
	struct visit *v = xmalloc(m * sizeof *v);
	size_t nv = 0;
	for (size_t i = 0; i < m; i++) {
		uint32_t row = r[i];
		if (!a->c->participant[row] || !row_has_value(aq, row))
			continue;
		v[nv++] = (struct visit){a->c->participant[row], row, a->c->created_at[row],
		                         a->c->story_id[row]};
	}
	free(r);
	qsort(v, nv, sizeof *v, cmp_visit);
	/* first and last answer of everyone with two or more */
	size_t npeople = 0;
	double *d = xmalloc((nv ? nv : 1) * sizeof *d);
	double(*dz)[2] = xmalloc((nv ? nv : 1) * sizeof *dz);
	double first_sum = 0, last_sum = 0;
	int limit = a->limit > 0 ? a->limit : 50;
	json_t *traj = json_array();
	for (size_t i = 0; i < nv;) {
		size_t j = i;
		while (j < nv && v[j].participant == v[i].participant)
			j++;
		if (j - i >= 2) {
			uint32_t f = v[i].row, l = v[j - 1].row;
			if (aq->q->type == Q_TRIAD) {
				double zf[2], zl[2];
				row_ilr(aq, f, zf);
				row_ilr(aq, l, zl);
				dz[npeople][0] = zl[0] - zf[0];
				dz[npeople][1] = zl[1] - zf[1];
			} else {
				double x0 = numeric_value(aq, f), x1 = numeric_value(aq, l);
				d[npeople] = x1 - x0;
				first_sum += x0;
				last_sum += x1;
			}
			npeople++;
			if ((int)json_array_size(traj) < limit) {
				json_t *pts = json_array();
				for (size_t k = i; k < j; k++)
					json_array_append_new(
					        pts, json_pack("{s:I, s:I, s:o}", "story",
					                       (json_int_t)v[k].story, "at",
					                       (json_int_t)v[k].at, "value",
					                       value_json(aq, v[k].row)));
				json_array_append_new(traj, json_pack("{s:I, s:o}", "participant",
				                                      (json_int_t)v[i].participant,
				                                      "stories", pts));
			}
		}
		i = j;
	}
	json_t *o = question_head(aq);
	json_object_set_new(o, "filter", json_string(a->filter ? a->filter : ""));
	json_object_set_new(o, "people", cell_count(npeople, min));
	json_object_set_new(o, "too_few", json_boolean(npeople < (size_t)min));
	if (npeople >= (size_t)min) {
		if (aq->q->type == Q_TRIAD) {
			struct stats_hotelling h;
			double mean[2], cov[3];
			ilr_mean_cov(dz, npeople, mean, cov);
			json_object_set_new(o, "ilr_mean_change",
			                    json_pack("[o,o]", num6(mean[0]), num6(mean[1])));
			if (stats_hotelling1((const double(*)[2])dz, npeople, &h) == 0)
				json_object_set_new(o, "test",
				                    json_pack("{s:s, s:o, s:o, s:o}", "name",
				                              "hotelling-paired", "statistic",
				                              num6(h.t2), "p", pval(h.p), "effect",
				                              num6(h.mahalanobis_d)));
		} else {
			struct stats_wilcoxon w;
			struct stats_mean_ci mc;
			json_object_set_new(o, "mean_first", num6(first_sum / npeople));
			json_object_set_new(o, "mean_last", num6(last_sum / npeople));
			if (stats_mean_ci(d, npeople, 0.95, &mc) == 0)
				json_object_set_new(o, "mean_change",
				                    json_pack("{s:o, s:[o,o]}", "value",
				                              num6(mc.mean), "ci", num6(mc.lo),
				                              num6(mc.hi)));
			if (stats_wilcoxon_signed_rank(d, npeople, &w) == 0)
				json_object_set_new(o, "test",
				                    json_pack("{s:s, s:o, s:o, s:o, s:I}", "name",
				                              "wilcoxon-signed-rank", "statistic",
				                              num6(w.w_plus), "p", pval(w.p),
				                              "effect", num6(w.rank_biserial),
				                              "n_used", (json_int_t)w.n_used));
		}
		json_object_set_new(o, "trajectories", traj);
	} else {
		json_decref(traj);
	}
	free(d);
	free(dz);
	free(v);
	roaring_bitmap_free(rows);
	*out = o;
	return 0;
}

/* ---- client and consultant on the same story ----------------------------- */

/* The professional's question that asks the same as the teller's q: the
 * same type, option/pole/corner ids in the same order and scale points. */
static struct aix_question *counterpart(struct aix_coll *c, const struct aix_question *aq)
{
	for (int i = 0; i < c->nq; i++) {
		const struct question *p = c->q[i].q;
		if (p->perspective == aq->q->perspective || p->type != aq->q->type ||
		    p->noptions != aq->q->noptions || p->points != aq->q->points)
			continue;
		int same = 1;
		for (int k = 0; k < p->noptions && same; k++)
			same = strcmp(p->options[k].id, aq->q->options[k].id) == 0;
		if (same)
			return &c->q[i];
	}
	return NULL;
}

struct pair_diff {
	double diff;
	uint32_t row;
};

static int cmp_pair_diff(const void *x, const void *y)
{
	const struct pair_diff *a = x, *b = y;
	double fa = fabs(a->diff), fb = fabs(b->diff);
	if (fa != fb)
		return fa < fb ? 1 : -1;
	return (a->row > b->row) - (a->row < b->row);
}

static int compute_perspectives(const struct measure_args *a, json_t **out, char *err,
                                size_t errlen)
{
	int status = 0;
	struct aix_question *tq = question_arg(a, a->q, &status, err, errlen);
	if (!tq)
		return status;
	struct aix_question *pq = a->q2 && *a->q2 ? question_arg(a, a->q2, &status, err, errlen)
	                                          : counterpart(a->c, tq);
	if (!pq)
		return status ? status
		              : fail(err, errlen, 422,
		                     "%s has no question of the other perspective with the same "
		                     "answers",
		                     tq->q->id);
	if (tq->q->perspective == pq->q->perspective)
		return fail(err, errlen, 422,
		            "perspectives needs a question of the teller and one of the "
		            "professional (%s and %s are both the %s's)",
		            tq->q->id, pq->q->id, perspective_name(tq->q));
	if (tq->q->perspective == PERSPECTIVE_PROFESSIONAL) { /* teller first */
		struct aix_question *t = tq;
		tq = pq;
		pq = t;
	}
	if (tq->q->type != pq->q->type || (!is_numeric(tq->q) && tq->q->type != Q_TRIAD))
		return fail(err, errlen, 422,
		            "perspectives needs two dyad, scale, number or triad questions of one "
		            "type");
	roaring_bitmap_t *rows = rows_of(a, a->filter, &status, err, errlen);
	if (!rows)
		return status;
	roaring_bitmap_and_inplace(rows, tq->answered);
	roaring_bitmap_and_inplace(rows, pq->answered);
	int min = min_group(a);
	size_t m;
	uint32_t *r = rows_array(rows, &m);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "question", tq->q->id,
	                      "professional_question", pq->q->id, "type", q_type_name(tq->q->type),
	                      "filter", a->filter ? a->filter : "");
	json_object_set_new(o, "n", cell_count(m, min));
	json_object_set_new(o, "too_few", json_boolean(m < (size_t)min));
	if (m >= (size_t)min) {
		struct pair_diff *pd = xmalloc(m * sizeof *pd);
		if (tq->q->type == Q_TRIAD) {
			double(*dz)[2] = xmalloc(m * sizeof *dz);
			for (size_t i = 0; i < m; i++) {
				double zt[2], zp[2];
				row_ilr(tq, r[i], zt);
				row_ilr(pq, r[i], zp);
				dz[i][0] = zp[0] - zt[0];
				dz[i][1] = zp[1] - zt[1];
				/* Aitchison distance: the ILR distance */
				pd[i] = (struct pair_diff){hypot(dz[i][0], dz[i][1]), r[i]};
			}
			double mean[2], cov[3], gt[3], gp[3];
			ilr_mean_cov(dz, m, mean, cov);
			size_t mt;
			double(*zt)[2] = ilr_rows(tq, rows, &mt);
			double tmean[2], tcov[3], pmean[2];
			ilr_mean_cov(zt, mt, tmean, tcov);
			free(zt);
			pmean[0] = tmean[0] + mean[0];
			pmean[1] = tmean[1] + mean[1];
			triad_ilr_inv(tmean, gt);
			triad_ilr_inv(pmean, gp);
			json_object_set_new(o, "geomean_teller", triple(gt));
			json_object_set_new(o, "geomean_professional", triple(gp));
			json_object_set_new(o, "ilr_mean_difference",
			                    json_pack("[o,o]", num6(mean[0]), num6(mean[1])));
			struct stats_hotelling h;
			if (stats_hotelling1((const double(*)[2])dz, m, &h) == 0)
				json_object_set_new(o, "test",
				                    json_pack("{s:s, s:o, s:o, s:o}", "name",
				                              "hotelling-paired", "statistic",
				                              num6(h.t2), "p", pval(h.p), "effect",
				                              num6(h.mahalanobis_d)));
			free(dz);
		} else {
			double *d = xmalloc(m * sizeof *d);
			for (size_t i = 0; i < m; i++) {
				d[i] = numeric_value(pq, r[i]) - numeric_value(tq, r[i]);
				pd[i] = (struct pair_diff){d[i], r[i]};
			}
			struct stats_mean_ci mc;
			if (stats_mean_ci(d, m, 0.95, &mc) == 0)
				json_object_set_new(o, "mean_difference",
				                    json_pack("{s:o, s:[o,o]}", "value",
				                              num6(mc.mean), "ci", num6(mc.lo),
				                              num6(mc.hi)));
			struct stats_wilcoxon w;
			if (stats_wilcoxon_signed_rank(d, m, &w) == 0)
				json_object_set_new(o, "test",
				                    json_pack("{s:s, s:o, s:o, s:o}", "name",
				                              "wilcoxon-signed-rank", "statistic",
				                              num6(w.w_plus), "p", pval(w.p),
				                              "effect", num6(w.rank_biserial)));
			if (tq->q->type == Q_SCALE) {
				int *ka = xmalloc(m * sizeof *ka), *kb = xmalloc(m * sizeof *kb);
				for (size_t i = 0; i < m; i++) {
					ka[i] = tq->u8[r[i]];
					kb[i] = pq->u8[r[i]];
				}
				struct stats_kappa k;
				if (stats_weighted_kappa(ka, kb, m, tq->q->points, 1, &k) == 0)
					json_object_set_new(o, "weighted_kappa",
					                    json_pack("{s:o, s:[o,o], s:s}",
					                              "value", num6(k.kappa), "ci",
					                              num6(k.lo), num6(k.hi),
					                              "weights", "quadratic"));
				free(ka);
				free(kb);
			}
			free(d);
		}
		qsort(pd, m, sizeof *pd, cmp_pair_diff);
		int limit = a->limit > 0 ? a->limit : 10;
		json_t *most = json_array();
		for (size_t i = 0; i < m && (int)i < limit; i++)
			json_array_append_new(most,
			                      json_pack("{s:I, s:o, s:o, s:o}", "story",
			                                (json_int_t)a->c->story_id[pd[i].row],
			                                "teller", value_json(tq, pd[i].row),
			                                "professional", value_json(pq, pd[i].row),
			                                "difference", num6(pd[i].diff)));
		json_object_set_new(o, "differ_most", most);
		free(pd);
	}
	free(r);
	roaring_bitmap_free(rows);
	*out = o;
	return 0;
}

/* ---- the pattern finder -------------------------------------------------- */

/* Sums of an outcome within one cell of a cross-classification. */
struct moments {
	double n, s, ss;
};

/* Welch's comparison of a subgroup with the rest of all. */
static int welch_moments(const struct moments *g, const struct moments *all, struct stats_welch *w)
{
	double n1 = g->n, n2 = all->n - g->n;
	if (n1 < 2 || n2 < 2)
		return -1;
	double m1 = g->s / n1, m2 = (all->s - g->s) / n2;
	double v1 = (g->ss - n1 * m1 * m1) / (n1 - 1),
	       v2 = (all->ss - g->ss - n2 * m2 * m2) / (n2 - 1);
	return stats_welch_moments(n1, m1, v1 > 0 ? v1 : 0, n2, m2, v2 > 0 ? v2 : 0, 0.95, w);
}

struct pattern {
	int qa, oa, qb,
	        ob; /* condition (index into the conditions) and value index; qb = -1: one condition */
	struct moments m;
	struct stats_welch w;
	double p, q, rank;
};

/* A categorical condition of the pattern finder: a choice question's
 * column, or the themes (docs/analysis.md, "Themes"): per row its value
 * 1..nv, AIX_MISSING8 or AIX_NA8 for none. Choice questions come in the
 * order of the part's questions, the themes last, so ties rank as before
 * the themes took part. */
struct pattern_cond {
	const uint8_t *v;
	int nv;
	int q; /* index into c->q; -1: the themes */
};

static int cmp_pattern(const void *x, const void *y)
{
	const struct pattern *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? 1 : -1;
	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	if (a->qa != b->qa)
		return a->qa - b->qa;
	if (a->oa != b->oa)
		return a->oa - b->oa;
	if (a->qb != b->qb)
		return a->qb - b->qb;
	return a->ob - b->ob;
}

/* A condition as filter text ("q-situatie = eenzaamheid", "theme = 2") in
 * b, and as JSON ({"question", "option", "label"}; a theme's label is its
 * first terms). */
static json_t *condition_text(buf *b, const struct aix_coll *c, const struct pattern_cond *pc,
                              int k, const struct themes_snapshot *ts)
{
	if (pc->q < 0) {
		char num[16];
		snprintf(num, sizeof num, "%d", k + 1);
		buf_puts(b, "theme = ");
		buf_puts(b, num);
		return json_pack("{s:s, s:s, s:s}", "question", "theme", "option", num, "label",
		                 ts->label[k]);
	}
	const struct aix_question *aq = &c->q[pc->q];
	const char *id, *label;
	char nb[16];
	bm_label(aq->q, k, &id, &label, nb);
	buf_puts(b, aq->q->id);
	buf_puts(b, " = ");
	buf_puts(b, id);
	return json_pack("{s:s, s:s, s:s}", "question", aq->q->id, "option", id, "label", label);
}

static int compute_patterns(const struct measure_args *a, const struct themes_snapshot *ts,
                            json_t **out, char *err, size_t errlen)
{
	int status = 0;
	struct aix_question *oq = question_arg(a, a->outcome, &status, err, errlen);
	if (!oq)
		return status;
	if (!is_numeric(oq->q))
		return fail(err, errlen, 422,
		            "the outcome must be a dyad, scale or number question");
	roaring_bitmap_t *rows = rows_of(a, a->filter, &status, err, errlen);
	if (!rows)
		return status;
	roaring_bitmap_and_inplace(rows, oq->answered);
	int min = min_group(a);
	struct aix_coll *c = a->c;
	/* the conditions: every choice question but the outcome, then the
	 * themes when they have been computed */
	struct pattern_cond *cq = xmalloc((size_t)(c->nq + 1) * sizeof *cq);
	int ncq = 0;
	for (int i = 0; i < c->nq; i++)
		if (c->q[i].q->type == Q_CHOICE && &c->q[i] != oq)
			cq[ncq++] = (struct pattern_cond){c->q[i].u8, c->q[i].nbm, i};
	uint8_t *theme_v = NULL;
	if (ts->k > 0) {
		theme_v = xmalloc(c->n);
		for (uint32_t r = 0; r < c->n; r++)
			theme_v[r] = ts->row_theme[r] > 0 && ts->row_theme[r] <= ts->k
			                     ? (uint8_t)ts->row_theme[r]
			                     : AIX_MISSING8;
		cq[ncq++] = (struct pattern_cond){theme_v, ts->k, -1};
	}
	size_t m;
	uint32_t *r = rows_array(rows, &m);
	double *y = xmalloc(m * sizeof *y);
	struct moments all = {0, 0, 0};
	for (size_t i = 0; i < m; i++) {
		y[i] = numeric_value(oq, r[i]);
		all.n += 1;
		all.s += y[i];
		all.ss += y[i] * y[i];
	}
	struct pattern *ps = NULL;
	size_t np = 0, capp = 0;
	/* one pass per pair of conditions (and per single one): moments per
	 * cell of their cross-classification */
	for (int ia = 0; ia < ncq; ia++) {
		for (int ib = ia; ib < ncq; ib++) {
			const struct pattern_cond *qa = &cq[ia], *qb = &cq[ib];
			int ka = qa->nv + 1, kb = ib == ia ? 1 : qb->nv + 1;
			struct moments *cell = xcalloc((size_t)ka * kb, sizeof *cell);
			for (size_t i = 0; i < m; i++) {
				uint8_t va = qa->v[r[i]], vb = ib == ia ? 0 : qb->v[r[i]];
				if (va == AIX_MISSING8 || va == AIX_NA8 ||
				    (ib != ia && (vb == AIX_MISSING8 || vb == AIX_NA8)))
					continue;
				struct moments *ce = &cell[(va - 1) * kb + (ib == ia ? 0 : vb - 1)];
				ce->n += 1;
				ce->s += y[i];
				ce->ss += y[i] * y[i];
			}
			for (int oa = 0; oa < ka - 1; oa++)
				for (int ob = 0; ob < (ib == ia ? 1 : kb - 1); ob++) {
					struct moments *ce = &cell[oa * kb + ob];
					if (ce->n < min || all.n - ce->n < min)
						continue;
					struct pattern p = {.qa = ia,
					                    .oa = oa,
					                    .qb = ib == ia ? -1 : ib,
					                    .ob = ib == ia ? -1 : ob,
					                    .m = *ce};
					if (welch_moments(ce, &all, &p.w) != 0)
						continue;
					p.p = p.w.p;
					if (np == capp) {
						capp = capp ? 2 * capp : 256;
						ps = realloc(ps, capp * sizeof *ps);
						if (!ps)
							abort();
					}
					ps[np++] = p;
				}
			free(cell);
		}
	}
	double *pv = xmalloc((np ? np : 1) * sizeof *pv);
	for (size_t i = 0; i < np; i++)
		pv[i] = ps[i].p;
	stats_bh(pv, np, pv);
	size_t nsig = 0;
	for (size_t i = 0; i < np; i++) {
		ps[i].q = pv[i];
		/* rank by the effect surely reached: the end of the interval
		 * nearest to zero (0 when the interval holds zero) */
		double lo = ps[i].w.lo, hi = ps[i].w.hi;
		ps[i].rank = lo > 0 ? lo : hi < 0 ? -hi : 0;
		nsig += ps[i].q < 0.05;
	}
	if (np) /* ps is NULL when no subgroup was tested */
		qsort(ps, np, sizeof *ps, cmp_pattern);
	int limit = a->limit > 0 ? a->limit : 20;
	json_t *arr = json_array();
	for (size_t i = 0; i < np && (int)i < limit; i++) {
		struct pattern *p = &ps[i];
		buf f;
		buf_init(&f);
		json_t *conds = json_array();
		json_array_append_new(conds, condition_text(&f, c, &cq[p->qa], p->oa, ts));
		if (p->qb >= 0) {
			buf_puts(&f, " and ");
			json_array_append_new(conds, condition_text(&f, c, &cq[p->qb], p->ob, ts));
		}
		double rest_n = all.n - p->m.n;
		json_array_append_new(
		        arr,
		        json_pack("{s:s, s:o, s:I, s:o, s:I, s:o, s:o, s:[o,o], s:o, s:o, s:o}",
		                  "filter", f.len ? f.data : "", "conditions", conds, "n",
		                  (json_int_t)p->m.n, "mean", num6(p->m.s / p->m.n), "n_rest",
		                  (json_int_t)rest_n, "mean_rest", num6((all.s - p->m.s) / rest_n),
		                  "difference", num6(p->w.diff), "ci", num6(p->w.lo), num6(p->w.hi),
		                  "hedges_g", num6(p->w.hedges_g), "p", pval(p->p), "q",
		                  pval(p->q)));
		buf_free(&f);
	}
	json_t *o = question_head(oq);
	json_object_set_new(o, "outcome", json_string(oq->q->id));
	json_object_set_new(o, "filter", json_string(a->filter ? a->filter : ""));
	json_object_set_new(o, "n", cell_count(m, min));
	json_object_set_new(o, "too_few", json_boolean(m < (size_t)min));
	json_object_set_new(o, "mean", num6(m ? all.s / all.n : NAN));
	json_object_set_new(o, "tested", json_integer((json_int_t)np));
	json_object_set_new(o, "significant", json_integer((json_int_t)nsig));
	json_object_set_new(o, "themes", ts->k > 0 ? json_integer(ts->k) : json_null());
	json_object_set_new(o, "patterns", arr);
	free(pv);
	free(ps);
	free(y);
	free(r);
	free(cq);
	free(theme_v);
	roaring_bitmap_free(rows);
	*out = o;
	return 0;
}

/* ---- a cache of documents ---------------------------------------------------
 *
 * A measure's document depends only on the part's rows (its version: new
 * with every build, append and rebuild, never reused), the measure and its
 * arguments. The explorer asks for the same documents again and again (every
 * visit to a view without a filter computes the same triad over a million
 * answers), so the last CACHE_SLOTS documents are kept, as copies, and a
 * request whose part has not changed since gets a copy. Errors are not kept.
 * At most CACHE_MAX_BYTES of JSON text in all; a larger document is not
 * kept. */
enum { CACHE_SLOTS = 64, CACHE_MAX_BYTES = 16 << 20 };
struct cache_slot {
	char *key;
	json_t *doc;
	size_t bytes;
	uint64_t used;
};
static struct cache_slot cache[CACHE_SLOTS];
static size_t cache_bytes;
static uint64_t cache_clock;
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

static void key_str(buf *b, const char *s)
{
	if (!s)
		buf_puts(b, "-|");
	else
		buf_printf(b, "%zu:%s|", strlen(s), s);
}

/* The key of a measure's document, or NULL when it cannot be kept (a part
 * without a version). Allocates; the caller frees. */
static char *cache_key(const char *measure, const struct measure_args *a)
{
	if (!a->c->version)
		return NULL;
	buf b;
	buf_init(&b);
	buf_printf(&b, "%s|%llu|%d|%d|%d|%d|", measure, (unsigned long long)a->c->version,
	           min_group(a), a->bins, a->limit, a->permutations);
	key_str(&b, a->filter ? a->filter : "");
	key_str(&b, a->q);
	key_str(&b, a->q2);
	key_str(&b, a->a);
	key_str(&b, a->b);
	key_str(&b, a->outcome);
	/* a document of the themes as a question, or within a filter that
	 * may name a theme, names the themes' version: the newest, also when
	 * another instance computed them (themes_sync) */
	if ((a->q && strcmp(a->q, THEMES_QUESTION) == 0) ||
	    (a->q2 && strcmp(a->q2, THEMES_QUESTION) == 0) ||
	    (a->filter && strstr(a->filter, THEMES_QUESTION))) {
		themes_sync(a->d, a->c);
		buf_printf(&b, "themes %llu|", (unsigned long long)themes_version(a->c));
	}
	char *k = strdup(b.data);
	buf_free(&b);
	if (!k)
		abort();
	return k;
}

static json_t *cache_get(const char *key)
{
	json_t *doc = NULL;
	pthread_mutex_lock(&cache_mu);
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (cache[i].key && strcmp(cache[i].key, key) == 0) {
			cache[i].used = ++cache_clock;
			doc = json_deep_copy(cache[i].doc);
			break;
		}
	pthread_mutex_unlock(&cache_mu);
	return doc;
}

static void slot_clear(struct cache_slot *s)
{
	free(s->key);
	json_decref(s->doc);
	cache_bytes -= s->bytes;
	memset(s, 0, sizeof *s);
}

/* Keeps a copy of doc under key (takes key). */
static void cache_put(char *key, const json_t *doc)
{
	size_t bytes = json_dumpb(doc, NULL, 0, JSON_COMPACT) + strlen(key);
	json_t *copy = bytes <= CACHE_MAX_BYTES / 4 ? json_deep_copy(doc) : NULL;
	if (!copy) {
		free(key);
		return;
	}
	pthread_mutex_lock(&cache_mu);
	int slot = -1;
	for (int i = 0; i < CACHE_SLOTS && slot < 0; i++)
		if (cache[i].key && strcmp(cache[i].key, key) == 0)
			slot = i;
	if (slot >= 0)
		slot_clear(&cache[slot]);
	for (;;) {
		/* the least recently used go until the new one fits */
		int lru = -1, empty = -1;
		for (int i = 0; i < CACHE_SLOTS; i++) {
			if (!cache[i].key) {
				if (empty < 0)
					empty = i;
			} else if (lru < 0 || cache[i].used < cache[lru].used) {
				lru = i;
			}
		}
		if (empty >= 0 && cache_bytes + bytes <= CACHE_MAX_BYTES) {
			slot = empty;
			break;
		}
		slot_clear(&cache[lru]);
	}
	cache[slot] = (struct cache_slot){key, copy, bytes, ++cache_clock};
	cache_bytes += bytes;
	pthread_mutex_unlock(&cache_mu);
}

static int cached(const char *name, measure_fn fn, const struct measure_args *a, json_t **out,
                  char *err, size_t errlen)
{
	assert(a && a->c && out);
	char *key = cache_key(name, a);
	if (key && (*out = cache_get(key)) != NULL) {
		free(key);
		return 0;
	}
	int status = fn(a, out, err, errlen);
	if (status == 0 && key)
		cache_put(key, *out);
	else
		free(key);
	return status;
}

int measure_count(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	return cached("count", compute_count, a, out, err, errlen);
}

int measure_distribution(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	return cached("distribution", compute_distribution, a, out, err, errlen);
}

int measure_crosstab(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	return cached("crosstab", compute_crosstab, a, out, err, errlen);
}

int measure_triad(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	return cached("triad", compute_triad, a, out, err, errlen);
}

int measure_compare(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	return cached("compare", compute_compare, a, out, err, errlen);
}

int measure_over_time(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	return cached("over_time", compute_over_time, a, out, err, errlen);
}

int measure_perspectives(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	return cached("perspectives", compute_perspectives, a, out, err, errlen);
}

/* The pattern finder's document also depends on the themes computed for
 * the part (themes_snapshot_get): their version is part of its key, so
 * themes computed (or computed again) since give a new document. */
int measure_patterns(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	assert(a && a->c && out);
	struct themes_snapshot ts;
	themes_sync(a->d, a->c);
	themes_snapshot_get(a->c, &ts);
	char *key = cache_key("patterns", a);
	if (key) {
		buf b;
		buf_init(&b);
		buf_printf(&b, "%sthemes %llu", key, (unsigned long long)ts.version);
		free(key);
		key = buf_detach(&b, NULL);
	}
	if (key && (*out = cache_get(key)) != NULL) {
		free(key);
		themes_snapshot_free(&ts);
		return 0;
	}
	int status = compute_patterns(a, &ts, out, err, errlen);
	if (status == 0 && key)
		cache_put(key, *out);
	else
		free(key);
	themes_snapshot_free(&ts);
	return status;
}

/* ---- dispatch ------------------------------------------------------------ */

measure_fn measure_by_name(const char *name)
{
	static const struct {
		const char *name;
		measure_fn fn;
	} measures[] = {
	        {"count", measure_count},
	        {"distribution", measure_distribution},
	        {"crosstab", measure_crosstab},
	        {"triad", measure_triad},
	        {"compare", measure_compare},
	        {"over-time", measure_over_time},
	        {"perspectives", measure_perspectives},
	        {"patterns", measure_patterns},
	        {"points", measure_points},
	};
	for (size_t i = 0; i < sizeof measures / sizeof *measures; i++)
		if (strcmp(name, measures[i].name) == 0)
			return measures[i].fn;
	return NULL;
}

json_t *measure_questions(const struct aix_coll *c)
{
	json_t *arr = json_array();
	for (int i = 0; i < c->nq; i++) {
		const struct question *q = c->q[i].q;
		json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "id", q->id, "type",
		                      q_type_name(q->type), "title", ltext_get(&q->text, "nl"),
		                      "perspective", perspective_name(q));
		if (q->once_per_person)
			json_object_set_new(e, "once_per_person", json_true());
		if (q->noptions) {
			json_t *opts = json_array();
			for (int k = 0; k < q->noptions; k++)
				json_array_append_new(
				        opts,
				        json_pack("{s:s, s:s}", "id", q->options[k].id, "label",
				                  ltext_get(&q->options[k].label, "nl")));
			json_object_set_new(e, "options", opts);
		}
		if (q->type == Q_SCALE)
			json_object_set_new(e, "points", json_integer(q->points));
		json_array_append_new(arr, e);
	}
	return arr;
}

json_t *measure_trajectory_head(const struct aix_coll *t)
{
	assert(t && t->trajectory);
	uint64_t pilot = roaring_bitmap_get_cardinality(t->pilot);
	json_t *colls = json_array();
	for (int j = 0; j < t->ncolls; j++)
		json_array_append_new(colls, json_integer(t->coll_id[j]));
	return json_pack("{s:I, s:I, s:I, s:o, s:o}", "id", (json_int_t)t->id, "stories",
	                 (json_int_t)(t->n - pilot), "pilot_stories", (json_int_t)pilot,
	                 "collections", colls, "questions", measure_questions(t));
}
