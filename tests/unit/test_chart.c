/* test_chart.c: the explorer's charts: ternary geometry, bins that tile the triangle, escaping, too few stories, NaN; the links of a small triad's bins under its points. */
#include "testutil.h"

#include "analysis/stats.h"
#include "web/chart.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SQRT3_2 0.86602540378443864676

static json_t *doc_of(const char *text)
{
	json_error_t e;
	json_t *d = json_loads(text, 0, &e);
	assert_non_null(d);
	return d;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* ---- geometry -------------------------------------------------------------- */

static void test_corners_and_centre(void **state)
{
	double top_x = CHART_TRI_X0 + CHART_TRI_SIDE / 2, top_y = CHART_TRI_Y0;
	double base_y = CHART_TRI_Y0 + CHART_TRI_SIDE * SQRT3_2;
	double x, y;
	chart_ternary_xy((double[]){1, 0, 0}, &x, &y);
	assert_float_equal(x, top_x, 1e-9);
	assert_float_equal(y, top_y, 1e-9);
	chart_ternary_xy((double[]){0, 1, 0}, &x, &y);
	assert_float_equal(x, CHART_TRI_X0, 1e-9);
	assert_float_equal(y, base_y, 1e-9);
	chart_ternary_xy((double[]){0, 0, 1}, &x, &y);
	assert_float_equal(x, CHART_TRI_X0 + CHART_TRI_SIDE, 1e-9);
	assert_float_equal(y, base_y, 1e-9);
	/* the centre lands on the centroid of the three vertices */
	chart_ternary_xy((double[]){1.0 / 3, 1.0 / 3, 1.0 / 3}, &x, &y);
	assert_float_equal(x, (top_x + CHART_TRI_X0 + CHART_TRI_X0 + CHART_TRI_SIDE) / 3, 1e-9);
	assert_float_equal(y, (top_y + 2 * base_y) / 3, 1e-9);
	/* weights need not be closed: 2,2,2 is the centre too */
	double x2, y2;
	chart_ternary_xy((double[]){2, 2, 2}, &x2, &y2);
	assert_float_equal(x, x2, 1e-9);
	assert_float_equal(y, y2, 1e-9);
	/* half way between corners 1 and 2: the middle of the base */
	chart_ternary_xy((double[]){0, 0.5, 0.5}, &x, &y);
	assert_float_equal(x, CHART_TRI_X0 + CHART_TRI_SIDE / 2, 1e-9);
	assert_float_equal(y, base_y, 1e-9);
	/* NaN, negative or all-zero weights do not escape the triangle: centroid */
	chart_ternary_xy((double[]){NAN, 1, 1}, &x, &y);
	assert_float_equal(x, CHART_TRI_X0 + CHART_TRI_SIDE / 2, 1e-9);
	chart_ternary_xy((double[]){0, 0, 0}, &x2, &y2);
	assert_float_equal(x, x2, 1e-9);
	assert_float_equal(y, y2, 1e-9);
	chart_ternary_xy((double[]){-1, 1, 1}, &x2, &y2);
	assert_float_equal(y, y2, 1e-9);
}

static double tri_area(const double p[6])
{
	return fabs((p[2] - p[0]) * (p[5] - p[1]) - (p[4] - p[0]) * (p[3] - p[1])) / 2;
}

/* Strictly inside (by a margin, so grid-line points do not count twice). */
static int inside(const double p[6], double x, double y)
{
	double d1 = (x - p[2]) * (p[1] - p[3]) - (p[0] - p[2]) * (y - p[3]);
	double d2 = (x - p[4]) * (p[3] - p[5]) - (p[2] - p[4]) * (y - p[5]);
	double d3 = (x - p[0]) * (p[5] - p[1]) - (p[4] - p[0]) * (y - p[1]);
	int neg = d1 < -1e-6 || d2 < -1e-6 || d3 < -1e-6;
	int pos = d1 > 1e-6 || d2 > 1e-6 || d3 > 1e-6;
	return !(neg && pos) && fabs(d1) > 1e-6 && fabs(d2) > 1e-6 && fabs(d3) > 1e-6;
}

static void test_bins_tile_the_triangle(void **state)
{
	double whole[6];
	chart_ternary_xy((double[]){1, 0, 0}, &whole[0], &whole[1]);
	chart_ternary_xy((double[]){0, 1, 0}, &whole[2], &whole[3]);
	chart_ternary_xy((double[]){0, 0, 1}, &whole[4], &whole[5]);
	double area = tri_area(whole);
	assert_float_equal(area, CHART_TRI_SIDE * CHART_TRI_SIDE * SQRT3_2 / 2, 1e-6);
	srand(7);
	for (int k = 1; k <= 12; k++) {
		double(*poly)[6] = calloc((size_t)(k * k), sizeof *poly);
		double sum = 0;
		for (int bin = 0; bin < k * k; bin++) {
			chart_ternary_bin_polygon(bin, k, poly[bin]);
			double a = tri_area(poly[bin]);
			assert_float_equal(a, area / (k * k), 1e-6); /* every bin the same size */
			sum += a;
		}
		assert_float_equal(sum, area, 1e-6);
		/* each bin's centroid lies in it only, and the engine counts the
		 * centroid in that bin */
		for (int bin = 0; bin < k * k; bin++) {
			double c[3], cx, cy;
			triad_bin_centre(bin, k, c);
			chart_ternary_xy(c, &cx, &cy);
			int hits = 0;
			for (int o = 0; o < k * k; o++)
				hits += inside(poly[o], cx, cy);
			assert_int_equal(hits, 1);
			assert_true(inside(poly[bin], cx, cy));
			assert_int_equal(triad_bin(c, k), bin);
		}
		/* random points of the triangle: each in exactly one drawn bin, the
		 * one triad_bin counts it in */
		for (int t = 0; t < 400; t++) {
			double w[3] = {rand() / (double)RAND_MAX + 1e-3,
			               rand() / (double)RAND_MAX + 1e-3,
			               rand() / (double)RAND_MAX + 1e-3};
			double x, y;
			chart_ternary_xy(w, &x, &y);
			int hits = 0, which = -1;
			for (int bin = 0; bin < k * k; bin++)
				if (inside(poly[bin], x, y)) {
					hits++;
					which = bin;
				}
			if (hits == 0)
				continue; /* on a grid line (within the margin): no claim */
			assert_int_equal(hits, 1);
			assert_int_equal(which, triad_bin(w, k));
		}
		free(poly);
	}
}

/* ---- charts ---------------------------------------------------------------- */

static const char *const TRIAD =
        "{\"question\":\"q-steun\",\"type\":\"triad\",\"title\":\"Wat hielp?\","
        "\"corners\":[{\"id\":\"a\",\"label\":\"<b>Zelf</b>\"},{\"id\":\"b\",\"label\":"
        "\"Netwerk\"},{\"id\":\"c\",\"label\":\"Gemeente\"}],\"n\":400,\"too_few\":false,"
        "\"geomean\":[0.5,0.25,0.25],\"ci\":{\"points\":[[0.5,0.3,0.2],[0.45,0.25,0.3],"
        "[0.55,0.2,0.25]]},\"bins\":{\"per_side\":2,\"counts\":[12,0,null,388]}}";

static void test_ternary(void **state)
{
	json_t *d = doc_of(TRIAD);
	struct chart_opts o = {.lang = "en", .title = "Help & <support>"};
	buf b;
	buf_init(&b);
	assert_int_equal(chart_ternary(&b, d, &o, NULL, 400), 1);
	assert_non_null(strstr(b.data, "<title>Help &amp; &lt;support&gt;</title>"));
	assert_non_null(strstr(b.data, "<desc>Geometric mean: &lt;b&gt;Zelf&lt;/b&gt; 50%, "
	                               "Netwerk 25%, Gemeente 25%; 400 stories.</desc>"));
	assert_null(strstr(b.data, "<b>"));
	/* bins: 12 and 388 shaded, the empty one left out, the too-few one marked */
	assert_int_equal(count_of(b.data, "class=\"vp-chart-bin vp-chart-bin--"), 3);
	assert_int_equal(count_of(b.data, "vp-chart-bin--5"), 1);
	assert_int_equal(count_of(b.data, "vp-chart-bin--1"), 1);
	assert_int_equal(count_of(b.data, "vp-chart-bin--few"), 1);
	assert_non_null(strstr(b.data, "class=\"vp-chart-ci\""));
	/* the geometric mean is drawn where its weights say */
	double x, y;
	chart_ternary_xy((double[]){0.5, 0.25, 0.25}, &x, &y);
	assert_float_equal(x, 210, 1e-9);
	assert_float_equal(y, 40 + 0.5 * CHART_TRI_SIDE * SQRT3_2, 1e-9);
	assert_non_null(strstr(b.data, "<circle cx=\"210\" cy=\"169.904\" r=\"6\"/>"));
	assert_null(strstr(b.data, "vp-chart-point"));

	/* few stories: points instead of bins */
	buf_reset(&b);
	double pts[3][3] = {{1, 0, 0}, {0, 1, 0}, {0.2, 0.3, 0.5}};
	chart_ternary(&b, d, &o, (const double(*)[3])pts, 3);
	assert_int_equal(count_of(b.data, "class=\"vp-chart-point\""), 3);
	assert_null(strstr(b.data, "vp-chart-bin--"));
	/* the first point at the top corner */
	assert_non_null(strstr(b.data, "<circle cx=\"210\" cy=\"40\" r=\"3\" "
	                               "class=\"vp-chart-point\"/>"));
	buf_free(&b);
	json_decref(d);
}

static void test_too_few(void **state)
{
	const char *docs[] = {
	        "{\"question\":\"q\",\"type\":\"triad\",\"n\":null,\"too_few\":true}",
	        "{\"question\":\"q\",\"type\":\"dyad\",\"n\":null,\"too_few\":true}",
	        "{\"question\":\"q\",\"type\":\"choice\",\"n\":null,\"too_few\":true}",
	        "{\"question\":\"q\",\"by\":\"r\",\"n\":null,\"too_few\":true,\"rows\":[],"
	        "\"columns\":[]}",
	};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		json_t *d = doc_of(docs[i]);
		struct chart_opts o = {.lang = "en", .title = "T"};
		buf b;
		buf_init(&b);
		assert_int_equal(chart_draw(&b, d, &o, NULL, 0), 0);
		assert_non_null(strstr(b.data, "Too few stories"));
		assert_null(strstr(b.data, "<svg"));
		buf_reset(&b);
		chart_table(&b, d, "en");
		assert_int_equal(b.len, 0);
		buf_free(&b);
		json_decref(d);
	}
}

static const char *href_cond(void *ctx, const char *cond)
{
	buf *seen = ctx;
	buf_puts(seen, cond);
	buf_puts(seen, "|");
	return "/verkennen/1?filter=x&amp=\"><script>";
}

/* A small triad's points lie over the links of the bins that hold enough
 * stories: invisible regions that open them; a bin of too few has none,
 * and a file of its own has no links. */
static void test_ternary_points_link_bins(void **state)
{
	json_t *d = doc_of(TRIAD);
	buf seen, b;
	buf_init(&seen);
	buf_init(&b);
	struct chart_opts o = {.lang = "en", .title = "Steun", .stories = href_cond, .ctx = &seen};
	double pts[3][3] = {{1, 0, 0}, {0, 1, 0}, {0.2, 0.3, 0.5}};
	assert_int_equal(chart_ternary(&b, d, &o, (const double(*)[3])pts, 3), 1);
	assert_non_null(strstr(b.data, "role=\"group\""));
	assert_int_equal(count_of(b.data, "class=\"vp-chart-point\""), 3);
	/* bins 0 (12) and 3 (388): two links, drawn as hit regions, not shaded */
	assert_int_equal(count_of(b.data, "<a href="), 2);
	assert_int_equal(count_of(b.data, "class=\"vp-chart-hit\""), 2);
	assert_null(strstr(b.data, "vp-chart-bin--"));
	assert_non_null(strstr(b.data, "<title>Read the stories: 12 stories</title>"));
	assert_int_equal(count_of(seen.data, "|"), 2);
	/* the links come before the points, so the points are drawn on top */
	assert_true(strstr(b.data, "<a href=") < strstr(b.data, "vp-chart-point"));
	buf_reset(&b);
	o.standalone = 1;
	chart_ternary(&b, d, &o, (const double(*)[3])pts, 3);
	assert_null(strstr(b.data, "<a href="));
	assert_non_null(strstr(b.data, "role=\"img\""));
	buf_free(&b);
	buf_free(&seen);
	json_decref(d);
}

static void test_bars_escape_and_link(void **state)
{
	json_t *d =
	        doc_of("{\"question\":\"q-wijk\",\"type\":\"choice\",\"title\":\"Wijk\",\"n\":50,"
	               "\"too_few\":false,\"options\":[{\"id\":\"centrum\",\"label\":"
	               "\"<img src=x onerror=alert(1)>\",\"count\":40,\"percent\":80,\"ci\":[66.9,"
	               "88.8]},{\"id\":\"dorp\",\"label\":\"Dorp\",\"count\":null,\"too_few\":"
	               "true}]}");
	buf seen;
	buf_init(&seen);
	struct chart_opts o = {.lang = "en", .title = "Wijk", .href = href_cond, .ctx = &seen};
	buf b;
	buf_init(&b);
	assert_int_equal(chart_draw(&b, d, &o, NULL, 0), 1);
	assert_null(strstr(b.data, "<img"));
	assert_null(strstr(b.data, "<script"));
	assert_non_null(strstr(b.data, "&lt;img src=x onerror=alert(1)&gt;"));
	/* a link for the bar with a figure; none for the too-few one */
	assert_string_equal(seen.data, "q-wijk = centrum|");
	assert_int_equal(count_of(b.data, "<a href="), 1);
	assert_non_null(
	        strstr(b.data, "href=\"/verkennen/1?filter=x&amp;amp=&quot;&gt;&lt;script&gt;\""));
	assert_non_null(strstr(b.data, "<title>&lt;img src=x onerror=alert(1)&gt;: 80%</title>"));
	assert_non_null(strstr(b.data, "<title>Dorp: too few</title>"));
	assert_non_null(strstr(b.data, "class=\"vp-chart-whisker\""));
	assert_non_null(strstr(b.data, "<desc>Chosen most: &lt;img src=x onerror=alert(1)&gt; "
	                               "(80%); 50 stories.</desc>"));
	/* the table: the same figures, escaped */
	buf_reset(&b);
	chart_table(&b, d, "en");
	assert_non_null(strstr(b.data, "<caption class=\"utrecht-table__caption\">Wijk</caption>"));
	assert_non_null(strstr(b.data, "&lt;img src=x onerror=alert(1)&gt;</th>"));
	assert_non_null(strstr(b.data, ">40</td>"));
	assert_non_null(strstr(b.data, ">80%</td>"));
	assert_non_null(strstr(b.data, ">66.9\u201388.8%</td>"));
	assert_non_null(strstr(b.data, ">too few</td>"));
	assert_null(strstr(b.data, "<img"));
	/* Dutch: a decimal comma */
	buf_reset(&b);
	chart_table(&b, d, "nl");
	assert_non_null(strstr(b.data, ">66,9\u201388,8%</td>"));
	buf_free(&b);
	buf_free(&seen);
	json_decref(d);
}

static void test_histogram(void **state)
{
	json_t *d = doc_of("{\"question\":\"q-geholpen\",\"type\":\"dyad\",\"title\":\"Geholpen\","
	                   "\"n\":2788,\"too_few\":false,\"mean\":47.518651,\"median\":47.0,"
	                   "\"histogram\":[{\"from\":0,\"to\":50,\"count\":1000},{\"from\":50,"
	                   "\"to\":100,\"count\":null}]}");
	buf seen;
	buf_init(&seen);
	struct chart_opts o = {.lang = "nl", .title = "Geholpen", .href = href_cond, .ctx = &seen};
	buf b;
	buf_init(&b);
	assert_int_equal(chart_draw(&b, d, &o, NULL, 0), 1);
	/* the summary, with a Dutch decimal comma (i18n falls back to English
	 * words without a catalog) */
	assert_non_null(strstr(b.data, ": 47,5, "));
	assert_non_null(strstr(b.data, " 47, 2788 "));
	assert_string_equal(seen.data, "q-geholpen >= 0 and q-geholpen < 50|");
	assert_non_null(strstr(b.data, "viewBox=\"0 0 360 "));
	assert_non_null(strstr(b.data, "role=\"group\""));
	assert_null(strstr(b.data, "nan"));
	buf_free(&b);
	buf_free(&seen);
	json_decref(d);
}

static void test_nan_everywhere(void **state)
{
	/* a document with its figures missing or null: no "nan", no crash */
	json_t *d = doc_of("{\"question\":\"q\",\"type\":\"triad\",\"n\":12,\"too_few\":false,"
	                   "\"geomean\":[null,null,null],\"ci\":null,\"bins\":{\"per_side\":3,"
	                   "\"counts\":[1]}}");
	struct chart_opts o = {.lang = "en", .title = "T"};
	buf b;
	buf_init(&b);
	assert_int_equal(chart_draw(&b, d, &o, NULL, 0), 1);
	assert_null(strstr(b.data, "nan"));
	assert_null(strstr(b.data, "inf"));
	assert_null(strstr(b.data, "vp-chart-mean"));
	json_decref(d);
	d = doc_of("{\"question\":\"q\",\"type\":\"dyad\",\"n\":12,\"too_few\":false,"
	           "\"mean\":null,\"median\":null,\"histogram\":[{\"from\":0,\"to\":100,"
	           "\"count\":0}]}");
	buf_reset(&b);
	assert_int_equal(chart_draw(&b, d, &o, NULL, 0), 1);
	assert_null(strstr(b.data, "nan"));
	assert_non_null(strstr(b.data, "Mean: \u2013, median \u2013, 12 stories."));
	buf_reset(&b);
	chart_table(&b, d, "en");
	assert_null(strstr(b.data, "nan"));
	buf_free(&b);
	json_decref(d);
}

static void test_heatmap(void **state)
{
	json_t *d = doc_of(
	        "{\"question\":\"q1\",\"by\":\"q2\",\"n\":300,\"too_few\":false,\"rows\":[{\"id\":"
	        "\"a\",\"label\":\"A<\"},{\"id\":\"b\",\"label\":\"B\"}],\"columns\":[{\"id\":"
	        "\"x\","
	        "\"label\":\"X\"},{\"id\":\"y\",\"label\":\"Y\"}],\"counts\":[[100,null],[50,150]],"
	        "\"residuals\":[[2.5,-0.2],[-4.1,null]]}");
	buf seen;
	buf_init(&seen);
	struct chart_opts o = {.lang = "en", .title = "A by B", .href = href_cond, .ctx = &seen};
	buf b;
	buf_init(&b);
	assert_int_equal(chart_draw(&b, d, &o, NULL, 0), 1);
	assert_non_null(strstr(b.data, "class=\"vp-heat vp-heat--pos2\""));
	assert_non_null(strstr(b.data, "class=\"vp-heat vp-heat--neg3\""));
	assert_non_null(strstr(b.data, "class=\"vp-heat vp-heat--na\""));
	/* colour is not the only carrier: the count and signed residual */
	assert_non_null(strstr(b.data, ">100 (+2.5)</text>"));
	assert_non_null(strstr(b.data, ">50 (\u22124.1)</text>"));
	assert_non_null(strstr(b.data, "<title>A&lt;, X: 100 (+2.5)</title>"));
	assert_string_equal(seen.data, "q1 = a and q2 = x|q1 = b and q2 = x|q1 = b and q2 = y|");
	buf_reset(&b);
	chart_table(&b, d, "en");
	assert_non_null(strstr(b.data, ">100 (+2.5)</td>"));
	assert_non_null(strstr(b.data, ">too few (\u22120.2)</td>"));
	buf_free(&b);
	buf_free(&seen);
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_corners_and_centre),
	        cmocka_unit_test(test_bins_tile_the_triangle),
	        cmocka_unit_test(test_ternary),
	        cmocka_unit_test(test_too_few),
	        cmocka_unit_test(test_bars_escape_and_link),
	        cmocka_unit_test(test_ternary_points_link_bins),
	        cmocka_unit_test(test_histogram),
	        cmocka_unit_test(test_nan_everywhere),
	        cmocka_unit_test(test_heatmap),
	};
	return cmocka_run_group_tests_name("chart", tests, NULL, NULL);
}
