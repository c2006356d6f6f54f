/* chart_people.c: slope charts of people over time, paired dots and ternary pairs of two perspectives, and stories per period stacked by channel, as SVG. */
#include "web/chart_people.h"

#include "web/chart.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/svg.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A pair's mark: its link when it has one, else a focusable group. */
static void pair_begin(buf *b, const struct chart_pair *p, const char *cls)
{
	if (p->href) {
		html_lit(b, "<a class=\"");
		html_attr(b, cls);
		html_lit(b, "\" href=\"");
		html_url(b, p->href);
		html_lit(b, "\">");
		svg_title(b, p->label ? p->label : "");
	} else {
		svg_mark_begin(b, cls, p->label ? p->label : "");
	}
}

static void pair_end(buf *b, const struct chart_pair *p)
{
	if (p->href)
		html_lit(b, "</a>");
	else
		html_lit(b, "</g>");
}

/* A small square centred on x, y. */
static void square(buf *b, double x, double y, double r, const char *cls)
{
	svg_rect(b, x - r, y - r, 2 * r, 2 * r, cls);
}

/* ---- slope chart ------------------------------------------------------------ */

#define SLOPE_W   420.0
#define SLOPE_TOP 40.0
#define SLOPE_H   240.0
#define SLOPE_XA  120.0
#define SLOPE_XB  320.0

static double slope_y(double v, double lo, double hi)
{
	double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return SLOPE_TOP + SLOPE_H * (1 - t);
}

void chart_slope(buf *b, const struct chart_pair *p, size_t n, double lo, double hi, double mean_a,
                 double mean_b, const struct chart_pair_texts *t)
{
	assert(b && t && (p || n == 0));
	size_t up = 0, down = 0, same = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i].b > p[i].a)
			up++;
		else if (p[i].b < p[i].a)
			down++;
		else
			same++;
	}
	const double height = SLOPE_TOP + SLOPE_H + 90;
	svg_begin_group(b, SLOPE_W, height, "vp-chart-svg vp-slope", t->title, t->desc);
	svg_text(b, SLOPE_XA, 16, "middle", "vp-chart-label", t->a_name);
	svg_text(b, SLOPE_XB, 16, "middle", "vp-chart-label", t->b_name);
	svg_line(b, SLOPE_XA, SLOPE_TOP, SLOPE_XA, SLOPE_TOP + SLOPE_H, "vp-chart-axis");
	svg_line(b, SLOPE_XB, SLOPE_TOP, SLOPE_XB, SLOPE_TOP + SLOPE_H, "vp-chart-axis");
	/* ticks: the ends and the middle of the range */
	for (int k = 0; k <= 2; k++) {
		double v = lo + (hi - lo) * k / 2.0;
		char f[32];
		svg_text(b, SLOPE_XA - 10, slope_y(v, lo, hi) + 4, "end", "vp-chart-tick",
		         chart_number(f, v, 1, t->lang));
	}
	svg_group_begin(b, "vp-slope-people");
	for (size_t i = 0; i < n; i++) {
		const char *dir = p[i].b > p[i].a   ? "vp-slope-mark vp-slope--up"
		                  : p[i].b < p[i].a ? "vp-slope-mark vp-slope--down"
		                                    : "vp-slope-mark vp-slope--same";
		pair_begin(b, &p[i], dir);
		double ya = slope_y(p[i].a, lo, hi), yb = slope_y(p[i].b, lo, hi);
		svg_line(b, SLOPE_XA, ya, SLOPE_XB, yb, "vp-slope-line");
		svg_circle(b, SLOPE_XA, ya, 3, "vp-slope-end");
		svg_circle(b, SLOPE_XB, yb, 3, "vp-slope-end");
		pair_end(b, &p[i]);
	}
	svg_group_end(b);
	if (isfinite(mean_a) && isfinite(mean_b)) {
		char f1[32], f2[32];
		buf l;
		buf_init(&l);
		buf_printf(&l, "%s: %s \u2192 %s", T(t, "Mean"),
		           chart_number(f1, mean_a, 1, t->lang),
		           chart_number(f2, mean_b, 1, t->lang));
		svg_mark_begin(b, "vp-slope-mean", l.data);
		buf_free(&l);
		double ya = slope_y(mean_a, lo, hi), yb = slope_y(mean_b, lo, hi);
		svg_line(b, SLOPE_XA, ya, SLOPE_XB, yb, "vp-slope-mean-line");
		svg_text(b, SLOPE_XB + 10, yb + 4, "start", "vp-chart-label", T(t, "mean"));
		html_lit(b, "</g>");
	}
	/* the legend: the style of each direction and how many went that way */
	struct {
		const char *cls, *name;
		size_t count;
	} legend[] = {{"vp-slope--up", T(t, "Higher"), up},
	              {"vp-slope--down", T(t, "Lower"), down},
	              {"vp-slope--same", T(t, "The same"), same}};
	for (int k = 0; k < 3; k++) {
		double y = SLOPE_TOP + SLOPE_H + 28 + 20 * k;
		char f[32];
		buf l;
		buf_init(&l);
		buf_printf(&l, "%s: %s", legend[k].name,
		           chart_number(f, (double)legend[k].count, 0, t->lang));
		svg_group_begin(b, legend[k].cls);
		svg_line(b, SLOPE_XA - 60, y - 4, SLOPE_XA - 20, y - 4, "vp-slope-line");
		svg_group_end(b);
		svg_text(b, SLOPE_XA - 10, y, "start", "vp-chart-label", l.data);
		buf_free(&l);
	}
	svg_end(b);
}

/* ---- paired dots ------------------------------------------------------------ */

#define DB_W   440.0
#define DB_ROW 30.0
#define DB_X0  150.0
#define DB_X1  420.0
#define DB_TOP 30.0

static double db_x(double v, double lo, double hi)
{
	double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return DB_X0 + (DB_X1 - DB_X0) * t;
}

void chart_dumbbell(buf *b, const struct chart_pair *p, size_t n, double lo, double hi,
                    const struct chart_pair_texts *t)
{
	assert(b && t && (p || n == 0));
	double height = DB_TOP + DB_ROW * n + 60;
	svg_begin_group(b, DB_W, height, "vp-chart-svg vp-dumbbell", t->title, t->desc);
	double base = DB_TOP + DB_ROW * n;
	svg_line(b, DB_X0, DB_TOP - 6, DB_X0, base, "vp-chart-axis");
	svg_line(b, DB_X0, base, DB_X1, base, "vp-chart-axis");
	for (int k = 0; k <= 4; k++) {
		double v = lo + (hi - lo) * k / 4.0;
		char f[32];
		svg_text(b, db_x(v, lo, hi), base + 16, "middle", "vp-chart-tick",
		         chart_number(f, v, 1, t->lang));
	}
	for (size_t i = 0; i < n; i++) {
		double y = DB_TOP + DB_ROW * i + DB_ROW / 2;
		pair_begin(b, &p[i], "vp-dumbbell-row");
		svg_rect(b, 0, y - DB_ROW / 2, DB_W, DB_ROW, "vp-chart-hit");
		svg_text(b, DB_X0 - 8, y + 5, "end", "vp-chart-label",
		         p[i].label ? p[i].label : "");
		double xa = db_x(p[i].a, lo, hi), xb = db_x(p[i].b, lo, hi);
		svg_line(b, xa, y, xb, y, "vp-dumbbell-line");
		svg_circle(b, xa, y, 5.5, "vp-pair-a");
		square(b, xb, y, 5, "vp-pair-b");
		pair_end(b, &p[i]);
	}
	/* the legend: shape and colour of each perspective */
	double y = base + 40;
	svg_circle(b, DB_X0, y - 4, 5.5, "vp-pair-a");
	svg_text(b, DB_X0 + 12, y, "start", "vp-chart-label", t->a_name);
	square(b, DB_X0 + 150, y - 4, 5, "vp-pair-b");
	svg_text(b, DB_X0 + 162, y, "start", "vp-chart-label", t->b_name);
	svg_end(b);
}

/* ---- ternary pairs ----------------------------------------------------------- */

void chart_ternary_pairs(buf *b, const double (*a)[3], const double (*bw)[3], size_t n,
                         const char *const *labels, const char *const c[3],
                         const struct chart_pair_texts *t)
{
	chart_ternary_pairs_linked(b, a, bw, n, labels, NULL, c, t);
}

void chart_ternary_pairs_linked(buf *b, const double (*a)[3], const double (*bw)[3], size_t n,
                                const char *const *labels, const char *const *hrefs,
                                const char *const c[3], const struct chart_pair_texts *t)
{
	assert(b && t && c && (n == 0 || (a && bw)));
	const double tri_h = CHART_TRI_SIDE * 0.86602540378443864676;
	double width = CHART_TRI_X0 * 2 + CHART_TRI_SIDE, height = CHART_TRI_Y0 + tri_h + 70;
	svg_begin_group(b, width, height, "vp-chart-svg vp-tri-pairs", t->title, t->desc);
	double tri[6], corners[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
	for (int k = 0; k < 3; k++)
		chart_ternary_xy(corners[k], &tri[2 * k], &tri[2 * k + 1]);
	svg_path(b, tri, 3, 1, "vp-chart-frame");
	for (size_t i = 0; i < n; i++) {
		struct chart_pair p = {.label = labels && labels[i] ? labels[i] : "",
		                       .href = hrefs ? hrefs[i] : NULL};
		pair_begin(b, &p, "vp-tri-pair");
		double xa, ya, xb, yb;
		chart_ternary_xy(a[i], &xa, &ya);
		chart_ternary_xy(bw[i], &xb, &yb);
		svg_line(b, xa, ya, xb, yb, "vp-dumbbell-line");
		svg_circle(b, xa, ya, n > 40 ? 3 : 5, "vp-pair-a");
		square(b, xb, yb, n > 40 ? 2.5 : 4.5, "vp-pair-b");
		pair_end(b, &p);
	}
	svg_text(b, tri[0], tri[1] - 12, "middle", "vp-chart-label", c[0]);
	svg_text(b, tri[2] - 40, tri[3] + 26, "start", "vp-chart-label", c[1]);
	svg_text(b, tri[4] + 40, tri[5] + 26, "end", "vp-chart-label", c[2]);
	double y = tri[3] + 56;
	svg_circle(b, CHART_TRI_X0, y - 4, 5, "vp-pair-a");
	svg_text(b, CHART_TRI_X0 + 12, y, "start", "vp-chart-label", t->a_name);
	square(b, CHART_TRI_X0 + 170, y - 4, 4.5, "vp-pair-b");
	svg_text(b, CHART_TRI_X0 + 182, y, "start", "vp-chart-label", t->b_name);
	svg_end(b);
}

/* ---- stacked columns ------------------------------------------------------------ */

#define ST_TOP 30.0
#define ST_H   200.0
#define ST_X0  10.0
#define ST_COL 48.0

void chart_stacked(buf *b, const char *const *periods, size_t np, const char *const *series,
                   size_t ns, const double *counts, const double *totals, const char *title,
                   const char *desc, const char *lang)
{
	chart_stacked_linked(b, periods, np, series, ns, counts, totals, title, desc, lang, NULL);
}

void chart_stacked_linked(buf *b, const char *const *periods, size_t np, const char *const *series,
                          size_t ns, const double *counts, const double *totals, const char *title,
                          const char *desc, const char *lang, const char *const *hrefs)
{
	assert(b && title && (np == 0 || (periods && counts && totals)) && ns <= 8);
	double max = 0;
	for (size_t i = 0; i < np; i++)
		if (isfinite(totals[i]) && totals[i] > max)
			max = totals[i];
	double width = ST_X0 * 2 + ST_COL * (np > 6 ? np : 6);
	double legend_y = ST_TOP + ST_H + 58;
	double height = legend_y + 22 * (ns + 1) + 8;
	svg_begin_group(b, width, height, "vp-chart-svg vp-stacked", title, desc);
	double base = ST_TOP + ST_H;
	svg_line(b, ST_X0, base, width - ST_X0, base, "vp-chart-axis");
	char f[32];
	int any_few = 0;
	for (size_t i = 0; i < np; i++) {
		double x = ST_X0 + ST_COL * i;
		/* "2025-Q3" as "2025" over "Q3": a period's name fits its column */
		const char *dash = strchr(periods[i], '-');
		if (dash) {
			char year[16];
			snprintf(year, sizeof year, "%.*s", (int)(dash - periods[i]), periods[i]);
			svg_text(b, x + ST_COL / 2, base + 16, "middle", "vp-chart-tick", year);
			svg_text(b, x + ST_COL / 2, base + 30, "middle", "vp-chart-tick", dash + 1);
		} else {
			svg_text(b, x + ST_COL / 2, base + 16, "middle", "vp-chart-tick",
			         periods[i]);
		}
		if (!isfinite(totals[i]) || !(max > 0)) {
			buf l;
			buf_init(&l);
			buf_printf(&l, "%s: %s", periods[i], i18n_get(lang, "too few"));
			svg_mark_begin(b, "vp-stacked-part", l.data);
			buf_free(&l);
			any_few = 1;
			svg_rect(b, x + 4, base - 6, ST_COL - 8, 6, "vp-stacked--few");
			html_lit(b, "</g>");
			continue;
		}
		double y = base, shown = 0;
		for (size_t s = 0; s < ns; s++) {
			double v = counts[i * ns + s];
			if (!isfinite(v) || v <= 0)
				continue;
			shown += v;
			double h = ST_H * v / max;
			char cls[48];
			snprintf(cls, sizeof cls, "vp-stacked--%zu", s);
			buf l;
			buf_init(&l);
			buf_printf(&l, "%s, %s: %s", periods[i], series[s],
			           chart_number(f, v, 0, lang));
			const char *href = hrefs ? hrefs[i * ns + s] : NULL;
			if (href) {
				svg_link_begin(b, href, l.data);
				svg_group_begin(b, "vp-stacked-part");
			} else {
				svg_mark_begin(b, "vp-stacked-part", l.data);
			}
			buf_free(&l);
			svg_rect(b, x + 4, y - h, ST_COL - 8, h, cls);
			html_lit(b, "</g>");
			if (href)
				svg_link_end(b);
			y -= h;
		}
		double rest = totals[i] - shown;
		if (rest > 0) { /* channels too small to show on their own */
			any_few = 1;
			double h = ST_H * rest / max;
			buf l;
			buf_init(&l);
			buf_printf(&l, "%s, %s: %s", periods[i],
			           i18n_get(lang, "channels with too few stories"),
			           chart_number(f, rest, 0, lang));
			svg_mark_begin(b, "vp-stacked-part", l.data);
			buf_free(&l);
			svg_rect(b, x + 4, y - h, ST_COL - 8, h, "vp-stacked--few");
			html_lit(b, "</g>");
			y -= h;
		}
		svg_text(b, x + ST_COL / 2, y - 5, "middle", "vp-chart-value",
		         chart_number(f, totals[i], 0, lang));
	}
	/* the legend, top to bottom in the order the parts are stacked
	 * bottom to top */
	for (size_t s = 0; s < ns + (any_few ? 1 : 0); s++) {
		double y = legend_y + 22 * s;
		char cls[48];
		if (s < ns)
			snprintf(cls, sizeof cls, "vp-stacked--%zu", s);
		else
			snprintf(cls, sizeof cls, "vp-stacked--few");
		svg_rect(b, ST_X0, y - 12, 14, 14, cls);
		char num[16];
		snprintf(num, sizeof num, "%zu. ", s + 1);
		buf l;
		buf_init(&l);
		buf_puts(&l, num);
		buf_puts(&l, s < ns ? series[s] : i18n_get(lang, "channels with too few stories"));
		svg_text(b, ST_X0 + 22, y, "start", "vp-chart-label", l.data);
		buf_free(&l);
	}
	svg_end(b);
}
