/* test_chart_points.c: the geometry and the SVG of the pin and stones charts: a pin lands in its cell and at its place on the picture, the cells cover the picture exactly once, counts are written in the cells, small cells say "too few". */
#include "testutil.h"

#include "analysis/measures.h"
#include "web/chart.h"
#include "web/chart_points.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static void test_pin_geometry(void **state)
{
	(void)state;
	/* a landscape picture of 1200 x 800 is drawn 400 x 266.667 */
	double pw = CHART_PIN_W, ph = chart_pin_height(1200, 800);
	assert_true(fabs(ph - 800.0 * CHART_PIN_W / 1200) < 1e-9);
	assert_true(fabs(chart_pin_height(0, 0) - CHART_PIN_W) < 1e-9); /* unknown: square */
	assert_true(fabs(chart_pin_height(100, 10000) - 2 * CHART_PIN_W) < 1e-9); /* kept sane */
	assert_true(fabs(chart_pin_height(10000, 100) - CHART_PIN_W / 4) < 1e-9);

	/* pins at x%, y%: their point, and the cell that holds that point is
	 * the cell the measure counts them in */
	static const int pins[][2] = {{0, 0},  {5, 5},     {15, 95}, {50, 50},
	                              {99, 1}, {100, 100}, {10, 90}, {37, 62}};
	for (size_t i = 0; i < sizeof pins / sizeof *pins; i++) {
		int x = pins[i][0], y = pins[i][1];
		double px, py;
		chart_pin_xy(x, y, pw, ph, &px, &py);
		assert_true(fabs(px - (CHART_PIN_X0 + pw * x / 100)) < 1e-9);
		assert_true(fabs(py - (CHART_PIN_Y0 + ph * y / 100)) < 1e-9);
		int cell = measure_grid_cell(y) * MEASURES_GRID + measure_grid_cell(x);
		double r[4];
		chart_pin_cell(cell, pw, ph, r);
		assert_true(px >= r[0] - 1e-9 && px <= r[0] + r[2] + 1e-9);
		assert_true(py >= r[1] - 1e-9 && py <= r[1] + r[3] + 1e-9);
	}
	/* the first cell is the top left, the last the bottom right */
	double r[4];
	chart_pin_cell(0, pw, ph, r);
	assert_true(fabs(r[0] - CHART_PIN_X0) < 1e-9 && fabs(r[1] - CHART_PIN_Y0) < 1e-9);
	chart_pin_cell(MEASURES_GRID * MEASURES_GRID - 1, pw, ph, r);
	assert_true(fabs(r[0] + r[2] - (CHART_PIN_X0 + pw)) < 1e-9);
	assert_true(fabs(r[1] + r[3] - (CHART_PIN_Y0 + ph)) < 1e-9);
}

/* The cells cover the picture exactly once: their areas add up to the
 * picture's, and every point of a fine lattice inside it lies in exactly
 * one cell (half-open cells). */
static void test_pin_cells_cover(void **state)
{
	(void)state;
	double pw = CHART_PIN_W, ph = chart_pin_height(1000, 750);
	enum { N = MEASURES_GRID * MEASURES_GRID };
	double rects[N][4], area = 0;
	for (int i = 0; i < N; i++) {
		chart_pin_cell(i, pw, ph, rects[i]);
		assert_true(rects[i][2] > 0 && rects[i][3] > 0);
		area += rects[i][2] * rects[i][3];
	}
	assert_true(fabs(area - pw * ph) < 1e-6);
	for (int a = 0; a < 97; a++)
		for (int b = 0; b < 97; b++) {
			double x = CHART_PIN_X0 + pw * (a + 0.5) / 97,
			       y = CHART_PIN_Y0 + ph * (b + 0.5) / 97;
			int in = 0;
			for (int i = 0; i < N; i++)
				if (x >= rects[i][0] && x < rects[i][0] + rects[i][2] &&
				    y >= rects[i][1] && y < rects[i][1] + rects[i][3])
					in++;
			assert_int_equal(in, 1);
		}
}

static void test_stones_geometry(void **state)
{
	(void)state;
	double x, y;
	chart_stones_xy(0, 0, &x, &y); /* bottom left: y runs upwards */
	assert_true(fabs(x - CHART_STONES_X0) < 1e-9);
	assert_true(fabs(y - (CHART_STONES_Y0 + CHART_STONES_SIDE)) < 1e-9);
	chart_stones_xy(100, 100, &x, &y);
	assert_true(fabs(x - (CHART_STONES_X0 + CHART_STONES_SIDE)) < 1e-9);
	assert_true(fabs(y - CHART_STONES_Y0) < 1e-9);
	chart_stones_xy(25, 75, &x, &y);
	assert_true(fabs(x - (CHART_STONES_X0 + 75)) < 1e-9);
	assert_true(fabs(y - (CHART_STONES_Y0 + 75)) < 1e-9);
}

static json_t *pin_doc(void)
{
	json_t *counts = json_array();
	for (int i = 0; i < MEASURES_GRID * MEASURES_GRID; i++)
		json_array_append_new(counts, i == 0    ? json_integer(12)
		                              : i == 91 ? json_null() /* too few */
		                              : i == 55 ? json_integer(30)
		                                        : json_integer(0));
	return json_pack("{s:s, s:s, s:s, s:i, s:b, s:[f,f], s:[f,f], s:{s:i, s:o}}", "question",
	                 "plek", "type", "pin", "title", "Waar", "n", 44, "too_few", 0, "mean",
	                 27.5, 50.25, "sd", 10.0, 20.0, "grid", "per_side", MEASURES_GRID, "counts",
	                 counts);
}

static void test_pin_svg(void **state)
{
	(void)state;
	json_t *doc = pin_doc();
	struct chart_opts o = {.lang = "en",
	                       .title = "Where <is> it",
	                       .image_url = "/uploads/abc",
	                       .image_width = 800,
	                       .image_height = 400};
	buf b;
	buf_init(&b);
	assert_int_equal(chart_draw(&b, doc, &o, NULL, 0), 1);
	assert_non_null(strstr(b.data, "href=\"/uploads/abc\""));
	assert_non_null(strstr(b.data, "Where &lt;is&gt; it")); /* escaped */
	assert_non_null(strstr(b.data, ">12</text>"));
	assert_non_null(strstr(b.data, ">30</text>"));
	assert_non_null(strstr(b.data, "<title>too few</title>"));
	assert_non_null(strstr(b.data, "vp-chart-mean"));
	/* the largest count is the darkest, with light text */
	assert_non_null(strstr(b.data, "vp-chart-bin--5"));
	/* the picture 400 x 200: a cell 40 x 20 */
	assert_non_null(strstr(b.data, "width=\"40\" height=\"20\""));
	buf_reset(&b);
	/* its table: figures and the grid, "too few" for the small cell */
	chart_table(&b, doc, "en");
	assert_non_null(strstr(b.data, "Stories per part of the picture"));
	assert_non_null(strstr(b.data, ">27.5<"));
	assert_non_null(strstr(b.data, ">too few<"));
	buf_reset(&b);
	/* a file of its own: no URL of the site, the bytes embedded */
	o.standalone = 1;
	o.image_data = "\x89PNG";
	o.image_len = 4;
	o.image_type = "image/png";
	assert_int_equal(chart_draw(&b, doc, &o, NULL, 0), 1);
	assert_null(strstr(b.data, "/uploads/"));
	assert_non_null(strstr(b.data, "href=\"data:image/png;base64,iVBORw==\""));
	assert_non_null(strstr(b.data, "<style>"));
	buf_reset(&b);
	/* too few stories: the message, no chart, no table */
	json_object_set_new(doc, "too_few", json_true());
	o.standalone = 0;
	assert_int_equal(chart_draw(&b, doc, &o, NULL, 0), 0);
	assert_non_null(strstr(b.data, "vp-chart-too-few"));
	assert_null(strstr(b.data, "<svg"));
	buf_reset(&b);
	chart_table(&b, doc, "en");
	assert_int_equal(b.len, 0);
	buf_free(&b);
	json_decref(doc);
}

static void test_stones_svg(void **state)
{
	(void)state;
	json_t *doc = json_pack(
	        "{s:s, s:s, s:s, s:i, s:b, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}, s:[{s:s, "
	        "s:s, s:i, s:i, s:b, s:[f,f], s:[f,f]}, {s:s, s:s, s:n, s:b}]}",
	        "question", "stenen", "type", "stones", "title", "Leg", "n", 40, "too_few", 0,
	        "axes", "x", "label", "Influence", "low", "Little", "high", "Much", "y", "label",
	        "Weight", "low", "Low", "high", "High", "stones", "id", "s1", "label", "Neighbours",
	        "placed", 38, "not_placed", 2, "too_few", 0, "mean", 25.0, 75.0, "sd", 10.0, 5.0,
	        "id", "s2", "label", "Shops", "placed", "too_few", 1);
	assert_non_null(doc);
	struct chart_opts o = {.lang = "en", .title = "Leg"};
	buf b;
	buf_init(&b);
	assert_int_equal(chart_draw(&b, doc, &o, NULL, 0), 1);
	assert_non_null(strstr(b.data, ">Influence<"));
	assert_non_null(strstr(b.data, ">High<"));
	assert_non_null(strstr(b.data, ">1 Neighbours<"));
	assert_non_null(strstr(b.data, ">2 Shops (too few)<"));
	/* the mark's name carries its figures, each its own */
	assert_non_null(strstr(
	        b.data, "<title>1 Neighbours: mean 25, 75; spread 10, 5; placed 38</title>"));
	/* stone 1 at (25, 75): x0 + 75, y0 + 75 */
	char want[64];
	snprintf(want, sizeof want, "cx=\"%g\" cy=\"%g\"", CHART_STONES_X0 + 75,
	         CHART_STONES_Y0 + 75);
	assert_non_null(strstr(b.data, want));
	/* its spread: x 15..35 */
	snprintf(want, sizeof want, "x1=\"%g\" y1=\"%g\" x2=\"%g\"", CHART_STONES_X0 + 45,
	         CHART_STONES_Y0 + 75, CHART_STONES_X0 + 105);
	assert_non_null(strstr(b.data, want));
	buf_reset(&b);
	chart_table(&b, doc, "en");
	assert_non_null(strstr(b.data, "Mean: Influence"));
	assert_non_null(strstr(b.data, ">38<"));
	assert_non_null(strstr(b.data, ">too few<"));
	buf_free(&b);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pin_geometry),    cmocka_unit_test(test_pin_cells_cover),
	        cmocka_unit_test(test_stones_geometry), cmocka_unit_test(test_pin_svg),
	        cmocka_unit_test(test_stones_svg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
