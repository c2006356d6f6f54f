/* test_chart_people.c: the slope chart, paired dots, ternary pairs and stacked columns: where marks land, what each mark says, escaping, too few. */
#include "testutil.h"

#include "web/chart.h"
#include "web/chart_people.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static const struct chart_pair_texts texts = {.title = "Geholpen",
                                              .desc = "Samenvatting",
                                              .a_name = "Eerste",
                                              .b_name = "Laatste",
                                              .lang = "nl"};

/* Lines from the first axis (x 120) to the last (x 320); the lowest value
 * at the bottom (y 280), the highest at the top (y 40). */
static void test_slope(void **state)
{
	struct chart_pair p[] = {{0, 100, "Persoon 1", NULL},
	                         {100, 50, "Persoon 2", NULL},
	                         {50, 50, "Persoon 3 <b>", NULL},
	                         {25, 75, "Persoon 4", NULL}};
	buf b;
	buf_init(&b);
	chart_slope(&b, p, 4, 0, 100, 43.75, 68.75, &texts);
	const char *s = b.data;
	assert_non_null(strstr(s, "<line x1=\"120\" y1=\"280\" x2=\"320\" y2=\"40\" "
	                          "class=\"vp-slope-line\"/>"));
	assert_non_null(strstr(s, "<line x1=\"120\" y1=\"40\" x2=\"320\" y2=\"160\""));
	/* direction by class (line style in CSS) and in the legend's counts */
	assert_int_equal(count_of(s, "vp-slope-mark vp-slope--up"), 2);
	assert_int_equal(count_of(s, "vp-slope-mark vp-slope--down"), 1);
	assert_int_equal(count_of(s, "vp-slope-mark vp-slope--same"), 1);
	assert_non_null(strstr(s, ">Hoger: 2<") || strstr(s, ">Higher: 2<"));
	/* every person a focusable mark named in words, escaped */
	assert_int_equal(count_of(s, "tabindex=\"0\" role=\"img\""), 5); /* and the mean */
	assert_non_null(strstr(s, "aria-label=\"Persoon 3 &lt;b&gt;\""));
	assert_null(strstr(s, "<b>"));
	/* the mean as a thick line: 43.75 -> y 175, 68.75 -> y 115 */
	assert_non_null(strstr(
	        s,
	        "<line x1=\"120\" y1=\"175\" x2=\"320\" y2=\"115\" class=\"vp-slope-mean-line\""));
	assert_non_null(strstr(s, "<title>Geholpen</title><desc>Samenvatting</desc>"));
	buf_free(&b);

	/* values outside the range stay on the axes; no mean when not finite */
	struct chart_pair out[] = {{-10, 140, "x", NULL}};
	buf_init(&b);
	chart_slope(&b, out, 1, 0, 100, NAN, NAN, &texts);
	assert_non_null(strstr(b.data, "<line x1=\"120\" y1=\"280\" x2=\"320\" y2=\"40\""));
	assert_null(strstr(b.data, "vp-slope-mean-line"));
	buf_free(&b);
}

/* Paired dots: a circle for a, a square for b, a link per row. */
static void test_dumbbell(void **state)
{
	struct chart_pair p[] = {{1, 5, "Verhaal 7", "/verkennen/1/x?a=1&b=2#verhaal-7"},
	                         {3, 3, "Verhaal 8", "javascript:alert(1)"}};
	buf b;
	buf_init(&b);
	chart_dumbbell(&b, p, 2, 1, 5, &texts);
	const char *s = b.data;
	/* 1 on the left end (x 150), 5 on the right (x 420) */
	assert_non_null(strstr(s, "<circle cx=\"150\" cy=\"45\" r=\"5.5\" class=\"vp-pair-a\"/>"));
	assert_non_null(strstr(s, "<rect x=\"415\" y=\"40\" width=\"10\" height=\"10\" "
	                          "class=\"vp-pair-b\"/>"));
	assert_non_null(strstr(s, "href=\"/verkennen/1/x?a=1&amp;b=2#verhaal-7\""));
	assert_null(strstr(s, "javascript:"));
	assert_int_equal(count_of(s, "<a class=\"vp-dumbbell-row\""), 2);
	/* the legend names both shapes */
	assert_non_null(strstr(s, ">Eerste</text>"));
	assert_non_null(strstr(s, ">Laatste</text>"));
	buf_free(&b);
}

/* Ternary pairs: the points where chart_ternary_xy puts them. */
static void test_ternary_pairs(void **state)
{
	double a[1][3] = {{1, 0, 0}}, w[1][3] = {{0, 0, 1}};
	const char *labels[] = {"Persoon 1"};
	const char *c[3] = {"Eigen kracht", "Netwerk", "Gemeente"};
	buf b;
	buf_init(&b);
	chart_ternary_pairs(&b, (const double(*)[3])a, (const double(*)[3])w, 1, labels, c, &texts);
	double xa, ya, xb, yb;
	chart_ternary_xy(a[0], &xa, &ya);
	chart_ternary_xy(w[0], &xb, &yb);
	char want[128];
	snprintf(want, sizeof want, "<circle cx=\"%g\" cy=\"%g\"", xa, ya);
	assert_non_null(strstr(b.data, want));
	snprintf(want, sizeof want, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\"", xa, ya, xb,
	         yb);
	assert_non_null(strstr(b.data, want));
	assert_non_null(strstr(b.data, ">Eigen kracht</text>"));
	assert_non_null(strstr(b.data, "aria-label=\"Persoon 1\""));
	buf_free(&b);
}

/* Stacked columns: parts in proportion, small cells hidden but counted in
 * a "too few" part, a whole column too few. */
static void test_stacked(void **state)
{
	const char *periods[] = {"2025-Q1", "2025-Q2", "2025-Q3"};
	const char *series[] = {"Online", "Telefoon"};
	double counts[] = {100, 100, 150, NAN, NAN, NAN};
	double totals[] = {200, 160, NAN};
	buf b;
	buf_init(&b);
	chart_stacked(&b, periods, 3, series, 2, counts, totals, "Verhalen", "Samenvatting", "nl");
	const char *s = b.data;
	/* the highest column (200) is 200 high: each part of 100 is 100 */
	assert_non_null(strstr(s, "<rect x=\"14\" y=\"130\" width=\"40\" height=\"100\" "
	                          "class=\"vp-stacked--0\"/>"));
	assert_non_null(strstr(s, "<rect x=\"14\" y=\"30\" width=\"40\" height=\"100\" "
	                          "class=\"vp-stacked--1\"/>"));
	assert_non_null(strstr(s, "aria-label=\"2025-Q1, Telefoon: 100\""));
	/* 160 of which 150 shown: 10 in the hatched part, no figure of its own */
	assert_non_null(strstr(s, "aria-label=\"2025-Q2, Online: 150\""));
	assert_null(strstr(s, "2025-Q2, Telefoon"));
	assert_non_null(strstr(s, "<rect x=\"62\" y=\"70\" width=\"40\" height=\"10\" "
	                          "class=\"vp-stacked--few\"/>"));
	/* a whole column too few */
	assert_non_null(strstr(s, "aria-label=\"2025-Q3: "));
	assert_null(strstr(s, ">NaN<"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_slope),
	        cmocka_unit_test(test_dumbbell),
	        cmocka_unit_test(test_ternary_pairs),
	        cmocka_unit_test(test_stacked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
