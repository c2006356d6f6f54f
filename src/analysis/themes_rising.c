/* themes_rising.c: what is rising: each theme's share in an earlier and a later period (by default the last two quarters), the difference with its interval and q-value, the largest rise first. */
#include "analysis/themes_measure.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "period = 2025-Q3" for a quarter key (year * 4 + quarter - 1). */
static void quarter_filter(char *out, size_t len, int64_t key)
{
	snprintf(out, len, "period = %lld-Q%d", (long long)(key / 4), (int)(key % 4) + 1);
}

/* The last quarter with stories among the rows of a->filter: its key in
 * *last; 0, or an HTTP-like status (400 bad filter, 422 no stories). */
static int last_quarter(const struct measure_args *a, int64_t *last, char *err, size_t errlen)
{
	int status = 0;
	roaring_bitmap_t *rows = measure_rows(a, a->filter, &status, err, errlen);
	if (!rows)
		return status;
	int64_t newest = INT64_MIN;
	size_t n = roaring_bitmap_get_cardinality(rows);
	uint32_t *r = malloc((n ? n : 1) * sizeof *r);
	if (!r)
		abort();
	roaring_bitmap_to_uint32_array(rows, r);
	for (size_t i = 0; i < n; i++)
		if (a->c->created_at[r[i]] > newest)
			newest = a->c->created_at[r[i]];
	free(r);
	roaring_bitmap_free(rows);
	if (newest == INT64_MIN) {
		snprintf(err, errlen, "there are no stories here to compare periods of");
		return 422;
	}
	*last = measure_quarter_key(newest);
	return 0;
}

/* Rises first; a theme without a difference (too few stories) last, by
 * number. */
static int cmp_rise(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	const json_t *da = json_object_get(a, "difference"),
	             *dbv = json_object_get(b, "difference");
	if (!da != !dbv)
		return da ? -1 : 1;
	if (da && dbv) {
		double va = json_number_value(da), vb = json_number_value(dbv);
		if (va != vb)
			return va < vb ? 1 : -1;
	}
	return atoi(json_string_value(json_object_get(a, "option"))) -
	       atoi(json_string_value(json_object_get(b, "option")));
}

int measure_themes_rising(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	assert(a && a->c && out);
	char fa[64], fb[64];
	struct measure_args m = *a;
	m.q = THEMES_QUESTION;
	m.q2 = NULL;
	int have_a = a->a && *a->a, have_b = a->b && *a->b;
	if (have_a != have_b) {
		snprintf(err, errlen,
		         "give both periods (a and b), or neither for the last two "
		         "quarters");
		return 400;
	}
	if (!have_a) {
		int64_t last = 0;
		int status = last_quarter(a, &last, err, errlen);
		if (status)
			return status;
		quarter_filter(fa, sizeof fa, last - 1);
		quarter_filter(fb, sizeof fb, last);
		m.a = fa;
		m.b = fb;
	}
	json_t *cmp = NULL;
	int status = measure_compare(&m, &cmp, err, errlen);
	if (status)
		return status;
	json_t *found = json_object_get(cmp, "questions");
	size_t n = json_array_size(found), i;
	json_t **rows = malloc((n ? n : 1) * sizeof *rows);
	if (!rows)
		abort();
	json_t *f;
	json_array_foreach(found, i, f) rows[i] = f;
	qsort(rows, n, sizeof *rows, cmp_rise);
	json_t *rising = json_array();
	static const char *const keep[] = {"label",   "n_a",       "n_b",       "count_a",
	                                   "count_b", "percent_a", "percent_b", "difference",
	                                   "ci",      "p",         "q",         "too_few"};
	for (i = 0; i < n; i++) {
		json_t *e = json_pack("{s:i}", "theme",
		                      atoi(json_string_value(json_object_get(rows[i], "option"))));
		for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
			json_t *v = json_object_get(rows[i], keep[k]);
			if (v)
				json_object_set(e, keep[k], v);
		}
		json_array_append_new(rising, e);
	}
	free(rows);
	json_t *o = json_pack("{s:O, s:O, s:s, s:I, s:o}", "a", json_object_get(cmp, "a"), "b",
	                      json_object_get(cmp, "b"), "filter", a->filter ? a->filter : "",
	                      "themes", (json_int_t)n, "rising", rising);
	json_decref(cmp);
	*out = o;
	return 0;
}
