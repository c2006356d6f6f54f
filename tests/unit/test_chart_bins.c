/* test_chart_bins.c: the filter condition of each ternary bin (the link from a bin to its stories) selects exactly the answers triad_bin puts in that bin. */
#include "testutil.h"

#include "analysis/filter.h"
#include "analysis/index.h"
#include "analysis/stats.h"
#include "model/script.h"
#include "web/chart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"bins\",\"title\":{\"nl\":\"B\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"steun\",\"type\":\"triad\",\"text\":{\"nl\":\"St\"},"
        "\"corners\":[{\"id\":\"ek\",\"label\":{\"nl\":\"Zelf\"}},{\"id\":\"nw\",\"label\":"
        "{\"nl\":\"Netwerk\"}},{\"id\":\"gm\",\"label\":{\"nl\":\"Gemeente\"}}]}]}]}";

/* Every composition of the 1/120 grid (points on every bin border of k =
 * 2..12 among them), weights as the index keeps them (x 60000). */
#define GRID 120

static void test_bins_partition(void **state)
{
	char err[256];
	struct script *s = script_parse_text(script_text, strlen(script_text), err, sizeof err);
	assert_non_null(s);
	uint32_t n = (GRID + 1) * (GRID + 2) / 2;
	struct aix_coll c;
	memset(&c, 0, sizeof c);
	c.n = c.cap = n;
	c.script = s;
	c.pilot = roaring_bitmap_create();
	c.professional = roaring_bitmap_create();
	struct aix_question q;
	memset(&q, 0, sizeof q);
	q.q = s->questions[0];
	q.answered = roaring_bitmap_create();
	q.na = roaring_bitmap_create();
	q.u16 = calloc(3 * (size_t)n, sizeof *q.u16);
	assert_non_null(q.u16);
	c.nq = 1;
	c.q = &q;
	uint32_t row = 0;
	for (int a = 0; a <= GRID; a++)
		for (int b = 0; a + b <= GRID; b++, row++) {
			q.u16[3 * row] = (uint16_t)(a * (AIX_TRIAD_SCALE / GRID));
			q.u16[3 * row + 1] = (uint16_t)(b * (AIX_TRIAD_SCALE / GRID));
			q.u16[3 * row + 2] = (uint16_t)((GRID - a - b) * (AIX_TRIAD_SCALE / GRID));
			roaring_bitmap_add(q.answered, row);
		}
	assert_int_equal(row, n);
	const char *const corners[3] = {"ek", "nw", "gm"};
	for (int k = 1; k <= 12; k++) {
		int *seen = calloc(n, sizeof *seen);
		assert_non_null(seen);
		for (int bin = 0; bin < k * k; bin++) {
			buf t;
			buf_init(&t);
			chart_bin_condition(&t, "steun", corners, bin, k);
			struct filter *f = filter_parse(t.data, &c, err, sizeof err);
			if (!f)
				print_message("k %d bin %d: %s: %s\n", k, bin, t.data, err);
			assert_non_null(f);
			roaring_bitmap_t *rows = filter_eval(f, &c, NULL, err, sizeof err);
			assert_non_null(rows);
			filter_free(f);
			roaring_uint32_iterator_t *it = roaring_create_iterator(rows);
			while (it->has_value) {
				uint32_t r = it->current_value;
				double w[3];
				assert_int_equal(aix_triad(&q, r, w), 0);
				if (triad_bin(w, k) != bin)
					print_message("k %d: row %u (%g %g %g) in bin %d by %s, "
					              "triad_bin says %d\n",
					              k, r, w[0], w[1], w[2], bin, t.data,
					              triad_bin(w, k));
				assert_int_equal(triad_bin(w, k), bin);
				seen[r]++;
				roaring_advance_uint32_iterator(it);
			}
			roaring_free_uint32_iterator(it);
			roaring_bitmap_free(rows);
			buf_free(&t);
		}
		/* every answer in exactly one bin */
		for (uint32_t r = 0; r < n; r++)
			assert_int_equal(seen[r], 1);
		free(seen);
	}
	free(q.u16);
	roaring_bitmap_free(q.answered);
	roaring_bitmap_free(q.na);
	roaring_bitmap_free(c.pilot);
	roaring_bitmap_free(c.professional);
	script_free(s);
}

static void test_condition_text(void **state)
{
	const char *const corners[3] = {"a", "b", "c"};
	buf t;
	buf_init(&t);
	/* k = 10, bin 0: the upward triangle at corner c (x0 < 0.1, x1 < 0.1) */
	chart_bin_condition(&t, "q", corners, 0, 10);
	assert_string_equal(t.data, "q[a] < 0.1 and q[b] < 0.1 and q[c] > 0.9");
	buf_reset(&t);
	/* bin 1: the downward triangle beside it */
	chart_bin_condition(&t, "q", corners, 1, 10);
	assert_string_equal(t.data, "q[a] < 0.1 and q[b] < 0.1 and q[c] <= 0.9");
	buf_reset(&t);
	/* the last bin: the top corner a */
	chart_bin_condition(&t, "q", corners, 99, 10);
	assert_string_equal(t.data, "q[a] >= 0.9");
	buf_reset(&t);
	chart_bin_condition(&t, "q", corners, 0, 1);
	assert_string_equal(t.data, "q is answered");
	buf_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_bins_partition),
	        cmocka_unit_test(test_condition_text),
	};
	return cmocka_run_group_tests_name("chart_bins", tests, NULL, NULL);
}
