/* chart.c: the explorer's charts drawn as SVG from measure documents, and the data tables beside them. */
#include "web/chart.h"
#include "web/chart_points.h"

#include "analysis/index.h"

#include "web/html.h"
#include "web/i18n.h"
#include "web/svg.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- reading documents ---------------------------------------------------- */

/* A number of o (integer or real); NaN when absent or null. */
static double jnum(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static double jat(const json_t *arr, size_t i)
{
	const json_t *v = json_array_get(arr, i);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int too_few(const json_t *doc)
{
	return json_is_true(json_object_get(doc, "too_few"));
}

/* A number as text with at most dec decimals, a decimal comma in Dutch;
 * "–" when not finite. */
static const char *fmt(char out[32], double v, int dec, const char *lang)
{
	if (!isfinite(v)) {
		snprintf(out, 32, "\u2013");
		return out;
	}
	snprintf(out, 32, "%.*f", dec, v);
	if (strchr(out, '.')) { /* no trailing zeros */
		char *e = out + strlen(out) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
	}
	if (strcmp(out, "-0") == 0)
		snprintf(out, 32, "0");
	if (!lang || strcmp(lang, "en") != 0) {
		char *p = strchr(out, '.');
		if (p)
			*p = ',';
	}
	return out;
}

/* A filter condition "q OP value" for a mark's link; the question id and
 * value are ids (letters, digits, - _ .) in every document. */
static const char *link_for(const struct chart_opts *o, const char *cond)
{
	return o->href && !o->standalone ? o->href(o->ctx, cond) : NULL;
}

/* The link to the stories of a mark, or NULL. */
static const char *stories_for(const struct chart_opts *o, const char *cond)
{
	return o->stories && !o->standalone ? o->stories(o->ctx, cond) : NULL;
}

/* What a mark opens: its stories where the page has them (the explorer),
 * else the page's own link for it (o->href). The explorer's narrowing of
 * the view is in the figures table ("Only these"). */
static const char *mark_for(const struct chart_opts *o, const char *cond)
{
	const char *url = stories_for(o, cond);
	return url ? url : link_for(o, cond);
}

/* The link that narrows the view to a row's condition, next to its
 * stories, when the page has both. */
static const char *narrow_for(const struct chart_opts *o, const char *cond)
{
	return o->stories ? link_for(o, cond) : NULL;
}

/* A file of its own carries the page's chart colours (assets/app.css,
 * "explorer") with it, on white: right after svg_begin. */
static void standalone_style(buf *b, const struct chart_opts *o, double w, double h)
{
	if (!o->standalone)
		return;
	html_lit(b, "<style>"
	            "text{font-family:sans-serif;font-size:14px;fill:#1a1a1a}"
	            ".vp-chart-tick{font-size:12px}.vp-heat-label{font-size:13px}"
	            ".vp-chart-frame{fill:none;stroke:#767676;stroke-width:1.5}"
	            ".vp-chart-axis{stroke:#767676}.vp-chart-hit{fill:none}"
	            ".vp-chart-bar{fill:#0072b2}.vp-chart-few{fill:none}"
	            ".vp-chart-whisker line{stroke:#1a1a1a;stroke-width:1.5}"
	            ".vp-chart-point{fill:#0072b2;fill-opacity:0.55}"
	            ".vp-chart-bin--1{fill:#deebf7}.vp-chart-bin--2{fill:#9ecae1}"
	            ".vp-chart-bin--3{fill:#4292c6}.vp-chart-bin--4{fill:#2171b5}"
	            ".vp-chart-bin--5{fill:#08306b}.vp-chart-bin--few{fill:#f0f0f0}"
	            ".vp-chart-ci{fill:#d55e00;fill-opacity:0.25;stroke:#d55e00;stroke-width:1.5}"
	            ".vp-chart-mean circle{fill:#fff;stroke:#d55e00;stroke-width:2.5}"
	            ".vp-chart-mean line{stroke:#d55e00;stroke-width:2}"
	            ".vp-heat--neg3{fill:#d55e00}.vp-heat--neg2{fill:#eda06b}"
	            ".vp-heat--neg1{fill:#f8d5bb}.vp-heat--zero{fill:#f2f2f2}"
	            ".vp-heat--pos1{fill:#c6dff0}.vp-heat--pos2{fill:#8cc0e4}"
	            ".vp-heat--pos3{fill:#4a9ad4}"
	            ".vp-heat--na{fill:#fff;stroke:#767676;stroke-dasharray:3 3}"
	            ".vp-chart-background{fill:#fff}"
	            "</style>");
	svg_rect(b, -20, -20, w + 40, h + 40, "vp-chart-background");
}

void chart_too_few(buf *b, const char *lang)
{
	html_lit(b, "<p class=\"utrecht-paragraph vp-chart-too-few\">");
	html_text(b, i18n_get(lang, "Too few stories to show this."));
	html_lit(b, "</p>");
}

/* "Mean: 47, median 47, 2788 stories." */
static void summary_numeric(buf *d, const json_t *doc, const struct chart_opts *o, int dec)
{
	char f1[32], f2[32], f3[32];
	buf_puts(d, T(o, "Mean"));
	buf_puts(d, ": ");
	buf_puts(d, fmt(f1, jnum(doc, "mean"), dec, o->lang));
	buf_puts(d, ", ");
	buf_puts(d, T(o, "median"));
	buf_puts(d, " ");
	buf_puts(d, fmt(f2, jnum(doc, "median"), dec, o->lang));
	buf_puts(d, ", ");
	buf_puts(d, fmt(f3, jnum(doc, "n"), 0, o->lang));
	buf_puts(d, " ");
	buf_puts(d, T(o, "stories"));
	buf_puts(d, ".");
}

/* ---- ternary plot --------------------------------------------------------- */

#define TRI_H (CHART_TRI_SIDE * 0.86602540378443864676)

void chart_ternary_xy(const double w[3], double *x, double *y)
{
	assert(w && x && y);
	double a = w[0], bb = w[1], c = w[2];
	double s = a + bb + c;
	if (!(isfinite(s) && s > 0) || a < 0 || bb < 0 || c < 0) {
		a = bb = c = 1;
		s = 3;
	}
	a /= s;
	bb /= s;
	c /= s;
	/* corners: 0 top, 1 bottom left, 2 bottom right */
	double ax = CHART_TRI_X0 + CHART_TRI_SIDE / 2, ay = CHART_TRI_Y0;
	double bx = CHART_TRI_X0, by = CHART_TRI_Y0 + TRI_H;
	double cx = CHART_TRI_X0 + CHART_TRI_SIDE, cy = CHART_TRI_Y0 + TRI_H;
	*x = a * ax + bb * bx + c * cx;
	*y = a * ay + bb * by + c * cy;
}

/* The point (u, v) of the bin grid: weights u/k, v/k, 1 - u/k - v/k. */
static void grid_xy(double u, double v, int k, double *x, double *y)
{
	double w[3] = {u / k, v / k, 1 - u / k - v / k};
	if (w[2] < 0)
		w[2] = 0; /* rounding at the edge */
	chart_ternary_xy(w, x, y);
}

void chart_ternary_bin_polygon(int bin, int k, double xy[6])
{
	assert(k >= 1 && bin >= 0 && bin < k * k && xy);
	/* triad_bin's numbering: strip i (u = k x1 in [i, i+1)) starts at
	 * 2ki - i^2; in it, by j = floor(v), the upward triangle 2j and the
	 * downward one 2j + 1. */
	int i = 0;
	while (2 * k * (i + 1) - (i + 1) * (i + 1) <= bin)
		i++;
	int r = bin - (2 * k * i - i * i);
	int j = r / 2, down = r % 2;
	double uv[3][2];
	if (!down) {
		uv[0][0] = i, uv[0][1] = j;
		uv[1][0] = i + 1, uv[1][1] = j;
		uv[2][0] = i, uv[2][1] = j + 1;
	} else {
		uv[0][0] = i + 1, uv[0][1] = j;
		uv[1][0] = i + 1, uv[1][1] = j + 1;
		uv[2][0] = i, uv[2][1] = j + 1;
	}
	for (int p = 0; p < 3; p++)
		grid_xy(uv[p][0], uv[p][1], k, &xy[2 * p], &xy[2 * p + 1]);
}

static const char *corner_label(const json_t *doc, int k)
{
	const json_t *c = json_array_get(json_object_get(doc, "corners"), (size_t)k);
	const char *s = jstr(c, "label");
	return *s ? s : jstr(c, "id");
}

/* The ternary bins of doc, shaded by count, each with a count shown a link
 * to its stories (o->stories); hits_only: only the links, as invisible
 * regions (under the points of a small n). */
static void ternary_bins(buf *b, const json_t *doc, const struct chart_opts *o, int hits_only)
{
	const json_t *bins = json_object_get(doc, "bins");
	const json_t *counts = json_object_get(bins, "counts");
	int k = (int)json_integer_value(json_object_get(bins, "per_side"));
	if (!(k >= 1 && k <= 100 && json_array_size(counts) == (size_t)(k * k)))
		return;
	double max = 0;
	for (int i = 0; i < k * k; i++)
		if (jat(counts, (size_t)i) > max)
			max = jat(counts, (size_t)i);
	static const char *const shade[] = {
	        "vp-chart-bin vp-chart-bin--1", "vp-chart-bin vp-chart-bin--2",
	        "vp-chart-bin vp-chart-bin--3", "vp-chart-bin vp-chart-bin--4",
	        "vp-chart-bin vp-chart-bin--5"};
	const json_t *cs = json_object_get(doc, "corners");
	const char *cid[3] = {jstr(json_array_get(cs, 0), "id"), jstr(json_array_get(cs, 1), "id"),
	                      jstr(json_array_get(cs, 2), "id")};
	svg_group_begin(b, hits_only ? "vp-chart-bins vp-chart-bins--hits" : "vp-chart-bins");
	for (int i = 0; i < k * k; i++) {
		const json_t *cv = json_array_get(counts, (size_t)i);
		double c = jat(counts, (size_t)i);
		if (json_is_number(cv) && !(c > 0))
			continue; /* empty */
		double xy[6];
		chart_ternary_bin_polygon(i, k, xy);
		const char *cls = "vp-chart-bin vp-chart-bin--few";
		if (json_is_number(cv)) {
			int s = (int)ceil(5 * c / max) - 1;
			cls = shade[s < 0 ? 0 : s > 4 ? 4 : s];
		}
		/* a bin with a count links to its stories */
		const char *url = NULL;
		if (json_is_number(cv) && o->stories && !o->standalone) {
			buf t;
			buf_init(&t);
			chart_bin_condition(&t, jstr(doc, "question"), cid, i, k);
			url = stories_for(o, t.data);
			buf_free(&t);
		}
		if (hits_only && !url)
			continue;
		if (url) {
			char fc[32];
			buf t;
			buf_init(&t);
			buf_printf(&t, "%s: %s %s", T(o, "Read the stories"),
			           fmt(fc, c, 0, o->lang), T(o, "stories"));
			svg_link_begin(b, url, t.data);
			buf_free(&t);
		}
		svg_path(b, xy, 3, 1, hits_only ? "vp-chart-hit" : cls);
		if (url)
			svg_link_end(b);
	}
	svg_group_end(b);
}

int chart_ternary(buf *b, const json_t *doc, const struct chart_opts *o, const double (*points)[3],
                  size_t npoints)
{
	assert(b && doc && o);
	if (too_few(doc)) {
		chart_too_few(b, o->lang);
		return 0;
	}
	const json_t *g = json_object_get(doc, "geomean");
	double gm[3] = {jat(g, 0), jat(g, 1), jat(g, 2)};
	char f[3][32];
	buf d;
	buf_init(&d);
	buf_puts(&d, T(o, "Geometric mean"));
	buf_puts(&d, ": ");
	for (int k = 0; k < 3; k++) {
		if (k)
			buf_puts(&d, ", ");
		buf_puts(&d, corner_label(doc, k));
		buf_puts(&d, " ");
		buf_puts(&d, fmt(f[k], 100 * gm[k], 0, o->lang));
		buf_puts(&d, "%");
	}
	buf_puts(&d, "; ");
	buf_puts(&d, fmt(f[0], jnum(doc, "n"), 0, o->lang));
	buf_puts(&d, " ");
	buf_puts(&d, T(o, "stories"));
	buf_puts(&d, ".");

	double width = CHART_TRI_X0 * 2 + CHART_TRI_SIDE, height = CHART_TRI_Y0 + TRI_H + 44;
	/* bins that link are marks of a group (an image's parts are not
	 * focusable) */
	int links = o->stories && !o->standalone;
	if (links)
		svg_begin_group(b, width, height, "vp-chart-svg", o->title ? o->title : "", d.data);
	else
		svg_begin(b, width, height, o->title ? o->title : "", d.data);
	buf_free(&d);
	standalone_style(b, o, width, height);
	double tri[6];
	double corners[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
	for (int k = 0; k < 3; k++)
		chart_ternary_xy(corners[k], &tri[2 * k], &tri[2 * k + 1]);
	svg_path(b, tri, 3, 1, "vp-chart-frame");

	if (points && npoints > 0 && npoints <= CHART_POINTS_MAX) {
		/* the points over the bins that hold enough of them, as
		 * invisible links, so the points' regions open their stories
		 * too (a point alone never: one story is too few) */
		if (links)
			ternary_bins(b, doc, o, 1);
		svg_group_begin(b, "vp-chart-points");
		for (size_t i = 0; i < npoints; i++) {
			double x, y;
			chart_ternary_xy(points[i], &x, &y);
			svg_circle(b, x, y, 3, "vp-chart-point");
		}
		svg_group_end(b);
	} else {
		ternary_bins(b, doc, o, 0);
	}
	/* the confidence region and the geometric mean */
	const json_t *ci = json_object_get(doc, "ci");
	const json_t *cp = json_object_get(ci, "points");
	size_t np = json_array_size(cp);
	if (np >= 3 && np <= 1000) {
		double xy[2000];
		for (size_t i = 0; i < np; i++) {
			const json_t *t = json_array_get(cp, i);
			double w[3] = {jat(t, 0), jat(t, 1), jat(t, 2)};
			chart_ternary_xy(w, &xy[2 * i], &xy[2 * i + 1]);
		}
		svg_path(b, xy, np, 1, "vp-chart-ci");
	}
	if (isfinite(gm[0]) && isfinite(gm[1]) && isfinite(gm[2])) {
		double x, y;
		chart_ternary_xy(gm, &x, &y);
		svg_group_begin(b, "vp-chart-mean");
		svg_title(b, T(o, "Geometric mean"));
		svg_circle(b, x, y, 6, NULL);
		svg_line(b, x - 4, y, x + 4, y, NULL);
		svg_line(b, x, y - 4, x, y + 4, NULL);
		svg_group_end(b);
	}
	svg_text(b, tri[0], tri[1] - 12, "middle", "vp-chart-label", corner_label(doc, 0));
	svg_text(b, tri[2] - 40, tri[3] + 26, "start", "vp-chart-label", corner_label(doc, 1));
	svg_text(b, tri[4] + 40, tri[5] + 26, "end", "vp-chart-label", corner_label(doc, 2));
	svg_end(b);
	return 1;
}

/* ---- histogram (dyads, scales) -------------------------------------------- */

#define HIST_W  360.0
#define HIST_H  220.0
#define HIST_X0 24.0
#define HIST_Y0 44.0

/* One column of a histogram: its label, count (NaN: too few), the
 * condition of its link. */
struct col {
	char label[80];
	double count;
	double from, to; /* dyad: the bin's range */
	const char *id;  /* scale: the point */
	int last;
};

/* The filter condition of a column (appended to t). */
static void col_cond(buf *t, const char *q, const struct col *c)
{
	if (c->id)
		buf_printf(t, "%s = %s", q, c->id);
	else if (!c->last)
		buf_printf(t, "%s >= %g and %s < %g", q, c->from, q, c->to);
	else
		buf_printf(t, "%s >= %g", q, c->from);
}

static size_t histogram_cols(const json_t *doc, struct col *cols, size_t max, const char *lang)
{
	const char *type = jstr(doc, "type");
	size_t n = 0;
	if (strcmp(type, "dyad") == 0) {
		const json_t *h = json_object_get(doc, "histogram");
		size_t nh = json_array_size(h);
		for (size_t i = 0; i < nh && n < max; i++, n++) {
			const json_t *e = json_array_get(h, i);
			double from = jnum(e, "from"), to = jnum(e, "to");
			char f1[32], f2[32];
			fmt(f1, from, 1, lang);
			fmt(f2, to, 1, lang);
			snprintf(cols[n].label, sizeof cols[n].label, "%s\u2013%s", f1, f2);
			cols[n].count = jnum(e, "count");
			cols[n].from = from;
			cols[n].to = to;
			cols[n].id = NULL;
			cols[n].last = i + 1 == nh;
		}
	} else {
		const json_t *opts = json_object_get(doc, "options");
		for (size_t i = 0; i < json_array_size(opts) && n < max; i++, n++) {
			const json_t *e = json_array_get(opts, i);
			snprintf(cols[n].label, sizeof cols[n].label, "%.40s", jstr(e, "id"));
			cols[n].count = jnum(e, "count");
			cols[n].id = jstr(e, "id");
			cols[n].last = 0;
		}
	}
	return n;
}

int chart_histogram(buf *b, const json_t *doc, const struct chart_opts *o)
{
	assert(b && doc && o);
	if (too_few(doc)) {
		chart_too_few(b, o->lang);
		return 0;
	}
	struct col cols[101];
	size_t n = histogram_cols(doc, cols, 101, o->lang);
	if (n == 0)
		return 0;
	int dyad = strcmp(jstr(doc, "type"), "dyad") == 0;
	double max = 0;
	for (size_t i = 0; i < n; i++)
		if (cols[i].count > max)
			max = cols[i].count;
	buf d;
	buf_init(&d);
	summary_numeric(&d, doc, o, 1);
	svg_begin_group(b, HIST_W, HIST_H + HIST_Y0 + 40, "vp-chart-svg", o->title ? o->title : "",
	                d.data);
	buf_free(&d);
	standalone_style(b, o, HIST_W, HIST_H + HIST_Y0 + 40);
	double cw = (HIST_W - HIST_X0 - 16) / n;
	double base = HIST_Y0 + HIST_H;
	svg_line(b, HIST_X0, base, HIST_W - 16, base, "vp-chart-axis");
	for (size_t i = 0; i < n; i++) {
		double c = cols[i].count;
		double h = max > 0 && c > 0 ? HIST_H * c / max : 0;
		double x = HIST_X0 + i * cw;
		char f[32];
		const char *ct = isfinite(c) ? fmt(f, c, 0, o->lang) : T(o, "too few");
		buf t;
		buf_init(&t);
		col_cond(&t, jstr(doc, "question"), &cols[i]);
		const char *url = isfinite(c) && c > 0 ? mark_for(o, t.data) : NULL;
		buf_reset(&t);
		buf_printf(&t, "%s: %s", cols[i].label, ct);
		if (url)
			svg_link_begin(b, url, t.data);
		else {
			svg_mark_begin(b, NULL, t.data);
		}
		buf_free(&t);
		/* an invisible full-height target, so a low bar is easy to hit */
		svg_rect(b, x, HIST_Y0, cw, HIST_H, "vp-chart-hit");
		svg_rect(b, x + 2, base - h, cw - 4, h,
		         isfinite(c) ? "vp-chart-bar" : "vp-chart-few");
		svg_text(b, x + cw / 2, base - h - 4, "middle", "vp-chart-value",
		         isfinite(c) ? ct : "");
		if (url)
			svg_link_end(b);
		else
			svg_group_end(b);
		if (!dyad || i % 2 == 0 || n <= 6)
			svg_text(b, dyad ? x : x + cw / 2, base + 18, "middle", "vp-chart-tick",
			         dyad ? fmt(f, 100.0 * i / n, 0, o->lang) : cols[i].label);
	}
	if (dyad) {
		char f[32];
		svg_text(b, HIST_W - 16, base + 18, "middle", "vp-chart-tick",
		         fmt(f, 100, 0, o->lang));
	}
	/* the mean as a marked line */
	double mean = jnum(doc, "mean");
	if (isfinite(mean)) {
		double x = dyad ? HIST_X0 + (HIST_W - HIST_X0 - 16) * mean / 100
		                : HIST_X0 + cw * (mean - 0.5);
		svg_group_begin(b, "vp-chart-mean");
		svg_title(b, T(o, "Mean"));
		svg_line(b, x, 20, x, base, NULL);
		svg_group_end(b);
		svg_text(b, x, 14, "middle", "vp-chart-tick", T(o, "mean"));
	}
	svg_end(b);
	return 1;
}

/* ---- bars with intervals (choices) ---------------------------------------- */

#define BAR_W   360.0
#define BAR_ROW 46.0
#define BAR_X0  10.0
#define BAR_LEN 270.0

int chart_bars(buf *b, const json_t *doc, const struct chart_opts *o)
{
	assert(b && doc && o);
	if (too_few(doc)) {
		chart_too_few(b, o->lang);
		return 0;
	}
	const json_t *opts = json_object_get(doc, "options");
	size_t n = json_array_size(opts);
	if (n == 0)
		return 0;
	const char *q = jstr(doc, "question");
	/* the scale: up to the highest interval end, rounded up to 10% */
	double max = 10;
	size_t top = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(opts, i);
		double hi = jat(json_object_get(e, "ci"), 1), p = jnum(e, "percent");
		if (hi > max)
			max = hi;
		if (p > max)
			max = p;
		if (p > jnum(json_array_get(opts, top), "percent") ||
		    !isfinite(jnum(json_array_get(opts, top), "percent")))
			top = i;
	}
	max = fmin(100, ceil(max / 10) * 10);
	buf d;
	buf_init(&d);
	char f1[32], f2[32];
	const json_t *te = json_array_get(opts, top);
	if (isfinite(jnum(te, "percent"))) {
		buf_puts(&d, T(o, "Chosen most"));
		buf_puts(&d, ": ");
		buf_puts(&d, *jstr(te, "label") ? jstr(te, "label") : jstr(te, "id"));
		buf_puts(&d, " (");
		buf_puts(&d, fmt(f1, jnum(te, "percent"), 0, o->lang));
		buf_puts(&d, "%); ");
	}
	buf_puts(&d, fmt(f2, jnum(doc, "n"), 0, o->lang));
	buf_puts(&d, " ");
	buf_puts(&d, T(o, "stories"));
	buf_puts(&d, ".");
	svg_begin_group(b, BAR_W, BAR_ROW * n + 10, "vp-chart-svg", o->title ? o->title : "",
	                d.data);
	buf_free(&d);
	standalone_style(b, o, BAR_W, BAR_ROW * n + 10);
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(opts, i);
		const char *label = *jstr(e, "label") ? jstr(e, "label") : jstr(e, "id");
		double p = jnum(e, "percent");
		const json_t *ci = json_object_get(e, "ci");
		double lo = jat(ci, 0), hi = jat(ci, 1);
		double y = 4 + i * BAR_ROW;
		buf t, pct;
		buf_init(&t);
		buf_init(&pct);
		buf_printf(&t, "%s = %s", q, jstr(e, "id"));
		const char *url = isfinite(p) ? mark_for(o, t.data) : NULL;
		if (isfinite(p)) {
			buf_puts(&pct, fmt(f1, p, 0, o->lang));
			buf_puts(&pct, "%");
		} else
			buf_puts(&pct, T(o, "too few"));
		buf_reset(&t);
		buf_printf(&t, "%s: %s", label, pct.data);
		if (url)
			svg_link_begin(b, url, t.data);
		else {
			svg_mark_begin(b, NULL, t.data);
		}
		buf_free(&t);
		svg_rect(b, 0, y, BAR_W, BAR_ROW - 2, "vp-chart-hit");
		svg_text(b, BAR_X0, y + 14, "start", "vp-chart-label", label);
		double len = isfinite(p) ? BAR_LEN * p / max : 0;
		svg_rect(b, BAR_X0, y + 20, len, 16, isfinite(p) ? "vp-chart-bar" : "vp-chart-few");
		if (isfinite(lo) && isfinite(hi)) {
			double x1 = BAR_X0 + BAR_LEN * lo / max, x2 = BAR_X0 + BAR_LEN * hi / max;
			svg_group_begin(b, "vp-chart-whisker");
			svg_line(b, x1, y + 28, x2, y + 28, NULL);
			svg_line(b, x1, y + 22, x1, y + 34, NULL);
			svg_line(b, x2, y + 22, x2, y + 34, NULL);
			svg_group_end(b);
		}
		double tx = BAR_X0 + (isfinite(hi) ? BAR_LEN * hi / max : len) + 6;
		svg_text(b, tx, y + 33, "start", "vp-chart-value", pct.data);
		buf_free(&pct);
		if (url)
			svg_link_end(b);
		else
			svg_group_end(b);
	}
	svg_end(b);
	return 1;
}

/* ---- heat-map (cross-tables) ---------------------------------------------- */

#define HEAT_ROW_MIN  120.0
#define HEAT_CELL_MIN 96.0
#define HEAT_ROW      40.0
#define HEAT_HEAD     46.0

/* The residual's shade: 3 steps each way around "no difference"; the
 * palette is diverging blue / orange (Okabe-Ito), and every cell also
 * carries its signed number. */
static const char *heat_class(double res)
{
	if (!isfinite(res))
		return "vp-heat vp-heat--na";
	if (res >= 4)
		return "vp-heat vp-heat--pos3";
	if (res >= 2)
		return "vp-heat vp-heat--pos2";
	if (res >= 1)
		return "vp-heat vp-heat--pos1";
	if (res <= -4)
		return "vp-heat vp-heat--neg3";
	if (res <= -2)
		return "vp-heat vp-heat--neg2";
	if (res <= -1)
		return "vp-heat vp-heat--neg1";
	return "vp-heat vp-heat--zero";
}

/* A residual as a signed number: "+2,3", "−1,5", "0". */
static const char *signed_num(char out[40], double v, const char *lang)
{
	char f[32];
	if (!isfinite(v))
		return fmt(out, v, 1, lang);
	fmt(f, fabs(v), 1, lang);
	if (strcmp(f, "0") == 0)
		snprintf(out, 40, "0");
	else
		snprintf(out, 40, "%s%s", v > 0 ? "+" : "\u2212", f);
	return out;
}

static const char *label_of(const json_t *e)
{
	const char *s = jstr(e, "label");
	return *s ? s : jstr(e, "id");
}

/* The width a label takes at the chart's font size, roughly: characters
 * (not bytes) times an average advance. */
static double text_width(const char *s, double px)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n * px * 0.56;
}

/* The widest label of a list of {id, label}, at px, within [lo, hi]. */
static double widest(const json_t *arr, double px, double lo, double hi)
{
	double w = lo;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		double t = text_width(label_of(json_array_get(arr, i)), px) + 16;
		if (t > w)
			w = t;
	}
	return w > hi ? hi : w;
}

int chart_heatmap(buf *b, const json_t *doc, const struct chart_opts *o)
{
	assert(b && doc && o);
	if (too_few(doc)) {
		chart_too_few(b, o->lang);
		return 0;
	}
	const json_t *rows = json_object_get(doc, "rows"), *cols = json_object_get(doc, "columns");
	const json_t *counts = json_object_get(doc, "counts"),
	             *res = json_object_get(doc, "residuals");
	size_t nr = json_array_size(rows), nc = json_array_size(cols);
	if (nr == 0 || nc == 0)
		return 0;
	char f[40];
	buf d;
	buf_init(&d);
	buf_puts(&d, T(o, "Stories per combination; a plus means more than expected, a minus "
	                  "fewer"));
	buf_puts(&d, "; ");
	buf_puts(&d, fmt(f, jnum(doc, "n"), 0, o->lang));
	buf_puts(&d, " ");
	buf_puts(&d, T(o, "stories"));
	buf_puts(&d, ".");
	/* room for the longest row label, and columns as wide as their labels */
	const double label_w = widest(rows, 14, HEAT_ROW_MIN, 420);
	const double cell_w = widest(cols, 12, HEAT_CELL_MIN, 200);
	svg_begin_group(b, label_w + cell_w * nc + 4, HEAT_HEAD + HEAT_ROW * nr + 4, "vp-chart-svg",
	                o->title ? o->title : "", d.data);
	buf_free(&d);
	standalone_style(b, o, label_w + cell_w * nc + 4, HEAT_HEAD + HEAT_ROW * nr + 4);
	const char *q1 = jstr(doc, "question"), *q2 = jstr(doc, "by");
	for (size_t j = 0; j < nc; j++)
		svg_text(b, label_w + cell_w * (j + 0.5), HEAT_HEAD - 10, "middle", "vp-chart-tick",
		         label_of(json_array_get(cols, j)));
	for (size_t i = 0; i < nr; i++) {
		double y = HEAT_HEAD + HEAT_ROW * i;
		const json_t *re = json_array_get(rows, i);
		svg_text(b, label_w - 8, y + HEAT_ROW / 2 + 5, "end", "vp-chart-label",
		         label_of(re));
		for (size_t j = 0; j < nc; j++) {
			const json_t *ce = json_array_get(cols, j);
			double c = jat(json_array_get(counts, i), j);
			double rv = jat(json_array_get(res, i), j);
			double x = label_w + cell_w * j;
			char cnt[32], sg[40];
			const char *ct = isfinite(c) ? fmt(cnt, c, 0, o->lang) : T(o, "too few");
			buf val, t;
			buf_init(&val);
			buf_init(&t);
			buf_printf(&val, "%s (%s)", ct, signed_num(sg, rv, o->lang));
			buf_printf(&t, "%s = %s and %s = %s", q1, jstr(re, "id"), q2,
			           jstr(ce, "id"));
			const char *url = isfinite(c) && c > 0 ? mark_for(o, t.data) : NULL;
			buf_reset(&t);
			buf_printf(&t, "%s, %s: %s", label_of(re), label_of(ce), val.data);
			if (url)
				svg_link_begin(b, url, t.data);
			else {
				svg_mark_begin(b, NULL, t.data);
			}
			buf_free(&t);
			svg_rect(b, x + 1, y + 1, cell_w - 2, HEAT_ROW - 2,
			         isfinite(c) ? heat_class(rv) : "vp-heat vp-heat--na");
			svg_text(b, x + cell_w / 2, y + HEAT_ROW / 2 + 5, "middle", "vp-heat-label",
			         isfinite(c) ? val.data : ct);
			buf_free(&val);
			if (url)
				svg_link_end(b);
			else
				svg_group_end(b);
		}
	}
	svg_end(b);
	return 1;
}

/* ---- dispatch ------------------------------------------------------------- */

int chart_draw(buf *b, const json_t *doc, const struct chart_opts *o, const double (*points)[3],
               size_t npoints)
{
	assert(b && doc && o);
	if (json_object_get(doc, "by"))
		return chart_heatmap(b, doc, o);
	const char *type = jstr(doc, "type");
	if (strcmp(type, "triad") == 0)
		return chart_ternary(b, doc, o, points, npoints);
	if (strcmp(type, "dyad") == 0 || strcmp(type, "scale") == 0)
		return chart_histogram(b, doc, o);
	if (strcmp(type, "choice") == 0 || strcmp(type, "multi") == 0 || strcmp(type, "story") == 0)
		return chart_bars(b, doc, o);
	if (strcmp(type, "pin") == 0)
		return chart_pin(b, doc, o);
	if (strcmp(type, "stones") == 0)
		return chart_stones(b, doc, o);
	if (too_few(doc)) {
		chart_too_few(b, o->lang);
		return 0;
	}
	return 0;
}

/* ---- data tables ---------------------------------------------------------- */

static void table_begin(buf *b, const char *caption)
{
	/* a region that scrolls sideways on a phone, so it takes keyboard focus */
	html_lit(b, "<div class=\"vp-chart-table\" tabindex=\"0\" role=\"region\" aria-label=\"");
	html_attr(b, caption);
	html_lit(b, "\"><table class=\"utrecht-table\"><caption class=\"utrecht-table__caption\">");
	html_text(b, caption);
	html_lit(b, "</caption>");
}

/* The header row; with a column for the links to the stories when
 * links_head is not NULL. */
static void head_row_links(buf *b, const char *const *cells, size_t n, const char *links_head)
{
	html_lit(b, "<thead class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">");
	for (size_t i = 0; i < n; i++) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, cells[i]);
		html_lit(b, "</th>");
	}
	if (links_head) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, links_head);
		html_lit(b, "</th>");
	}
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
}

static void head_row(buf *b, const char *const *cells, size_t n)
{
	head_row_links(b, cells, n, NULL);
}

/* A link to the stories of a row or cell ("Read" with the row's name for
 * a screen reader's list of links). */
static void stories_link(buf *b, const char *url, const char *what, const char *lang)
{
	html_lit(b, "<a class=\"utrecht-link vp-chart-stories\" href=\"");
	html_url(b, url);
	html_lit(b, "\">");
	html_text(b, i18n_get(lang, "Read"));
	html_lit(b, "<span class=\"vp-visually-hidden\">: ");
	html_text(b, what);
	html_lit(b, "</span></a>");
}

/* A link that narrows the view to a row ("Only these" with the row's
 * name for a screen reader's list of links). */
static void narrow_link(buf *b, const char *url, const char *what, const char *lang)
{
	html_lit(b, "<a class=\"utrecht-link vp-chart-narrow\" href=\"");
	html_url(b, url);
	html_lit(b, "\">");
	html_text(b, i18n_get(lang, "Only these"));
	html_lit(b, "<span class=\"vp-visually-hidden\">: ");
	html_text(b, what);
	html_lit(b, "</span></a>");
}

/* A row: a header cell and n data cells (numbers right-aligned); with
 * links set, a last cell with the link url (or empty when NULL) and the
 * narrowing link when there is one. */
static void body_row_links(buf *b, const char *head, const char *const *cells, size_t n, int links,
                           const char *url, const char *narrow, const char *lang)
{
	html_lit(b, "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
	            "scope=\"row\">");
	html_text(b, head);
	html_lit(b, "</th>");
	for (size_t i = 0; i < n; i++) {
		html_lit(b,
		         "<td class=\"utrecht-table__cell utrecht-table__cell--numeric-column\">");
		html_text(b, cells[i]);
		html_lit(b, "</td>");
	}
	if (links) {
		html_lit(b, "<td class=\"utrecht-table__cell\">");
		if (url)
			stories_link(b, url, head, lang);
		if (url && narrow)
			html_lit(b, " \u00b7 ");
		if (narrow)
			narrow_link(b, narrow, head, lang);
		html_lit(b, "</td>");
	}
	html_lit(b, "</tr>");
}

static void body_row_link(buf *b, const char *head, const char *const *cells, size_t n, int links,
                          const char *url, const char *lang)
{
	body_row_links(b, head, cells, n, links, url, NULL, lang);
}

static void body_row(buf *b, const char *head, const char *const *cells, size_t n)
{
	body_row_link(b, head, cells, n, 0, NULL, NULL);
}

static void table_end(buf *b)
{
	html_lit(b, "</tbody></table></div>");
}

/* The table pieces for the charts of other files (chart_points.c). */
void chart_table_begin(buf *b, const char *caption, const char *const *head, size_t n)
{
	table_begin(b, caption);
	head_row(b, head, n);
}

void chart_table_row(buf *b, const char *head, const char *const *cells, size_t n)
{
	body_row(b, head, cells, n);
}

void chart_table_end(buf *b)
{
	table_end(b);
}

void chart_table_begin_linked(buf *b, const char *caption, const char *const *head, size_t n,
                              const char *lang)
{
	table_begin(b, caption);
	head_row_links(b, head, n, lang ? i18n_get(lang, "Stories behind it") : NULL);
}

void chart_table_row_link(buf *b, const char *head, const char *const *cells, size_t n,
                          const char *url, const char *lang)
{
	body_row_link(b, head, cells, n, 1, url, lang);
}

void chart_table_row_cell_links(buf *b, const char *head, const char *const *cells,
                                const char *const *urls, const char *const *names, size_t n)
{
	html_lit(b, "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
	            "scope=\"row\">");
	html_text(b, head);
	html_lit(b, "</th>");
	for (size_t i = 0; i < n; i++) {
		html_lit(b,
		         "<td class=\"utrecht-table__cell utrecht-table__cell--numeric-column\">");
		if (urls[i]) {
			html_lit(b, "<a class=\"utrecht-link vp-chart-stories\" href=\"");
			html_url(b, urls[i]);
			html_lit(b, "\">");
		}
		html_text(b, cells[i]);
		if (urls[i]) {
			html_lit(b, "<span class=\"vp-visually-hidden\">");
			html_text(b, names[i]);
			html_lit(b, "</span></a>");
		}
		html_lit(b, "</td>");
	}
	html_lit(b, "</tr>");
}

/* A count cell: the number, or "too few". */
static const char *count_text(char out[32], double v, const char *lang)
{
	if (!isfinite(v)) {
		snprintf(out, 32, "%s", i18n_get(lang, "too few"));
		return out;
	}
	return fmt(out, v, 0, lang);
}

void chart_table(buf *b, const json_t *doc, const char *lang)
{
	struct chart_opts o = {.lang = lang};
	chart_table_linked(b, doc, &o);
}

void chart_table_linked(buf *b, const json_t *doc, const struct chart_opts *lk)
{
	assert(b && doc && lk);
	if (too_few(doc))
		return;
	const char *lang = lk->lang;
	struct chart_opts o = {.lang = lang};
	int links = lk->stories && !lk->standalone;
	const char *links_head = links ? i18n_get(lang, "Stories behind it") : NULL;
	const char *qid = jstr(doc, "question");
	const char *type = jstr(doc, "type");
	const char *title = *jstr(doc, "title") ? jstr(doc, "title") : jstr(doc, "question");
	char f1[32], f2[32], f3[40];
	if (json_object_get(doc, "by")) {
		const json_t *rows = json_object_get(doc, "rows"),
		             *cols = json_object_get(doc, "columns");
		const json_t *counts = json_object_get(doc, "counts"),
		             *res = json_object_get(doc, "residuals");
		size_t nr = json_array_size(rows), nc = json_array_size(cols);
		if (nc > 60)
			return;
		const char *head[61];
		head[0] = "";
		for (size_t j = 0; j < nc; j++)
			head[j + 1] = label_of(json_array_get(cols, j));
		table_begin(b, i18n_get(lang, "Stories per combination (residual in brackets)"));
		head_row(b, head, nc + 1);
		for (size_t i = 0; i < nr; i++) {
			html_lit(b, "<tr class=\"utrecht-table__row\"><th "
			            "class=\"utrecht-table__header-cell\" scope=\"row\">");
			html_text(b, label_of(json_array_get(rows, i)));
			html_lit(b, "</th>");
			for (size_t j = 0; j < nc; j++) {
				html_lit(b, "<td class=\"utrecht-table__cell "
				            "utrecht-table__cell--numeric-column\">");
				double cnt = jat(json_array_get(counts, i), j);
				const char *url = NULL;
				if (links && isfinite(cnt) && cnt > 0) {
					buf t;
					buf_init(&t);
					buf_printf(&t, "%s = %s and %s = %s", qid,
					           jstr(json_array_get(rows, i), "id"),
					           jstr(doc, "by"),
					           jstr(json_array_get(cols, j), "id"));
					url = stories_for(lk, t.data);
					buf_free(&t);
				}
				if (url) {
					html_lit(b, "<a class=\"utrecht-link vp-chart-stories\" "
					            "href=\"");
					html_url(b, url);
					html_lit(b, "\">");
				}
				html_text(b, count_text(f1, cnt, lang));
				if (url)
					html_lit(b, "</a>");
				html_lit(b, " (");
				html_text(b, signed_num(f3, jat(json_array_get(res, i), j), lang));
				html_lit(b, ")</td>");
			}
			html_lit(b, "</tr>");
		}
		table_end(b);
		return;
	}
	if (strcmp(type, "pin") == 0 || strcmp(type, "stones") == 0) {
		chart_points_table_linked(b, doc, lk);
		return;
	}
	if (strcmp(type, "triad") == 0) {
		const json_t *g = json_object_get(doc, "geomean");
		const char *head[] = {T(&o, "Corner"), T(&o, "Geometric mean")};
		table_begin(b, title);
		head_row(b, head, 2);
		for (int k = 0; k < 3; k++) {
			snprintf(f3, sizeof f3, "%s%%", fmt(f1, 100 * jat(g, (size_t)k), 1, lang));
			const char *cells[] = {f3};
			body_row(b, corner_label(doc, k), cells, 1);
		}
		const char *cells[] = {count_text(f2, jnum(doc, "n"), lang)};
		body_row(b, T(&o, "Stories"), cells, 1);
		table_end(b);
		return;
	}
	const json_t *opts = json_object_get(doc, "options");
	if (strcmp(type, "dyad") == 0 || (strcmp(type, "scale") == 0 && json_array_size(opts))) {
		struct col cols[101];
		size_t n = histogram_cols(doc, cols, 101, lang);
		const char *head[] = {T(&o, "Value"), T(&o, "Stories")};
		table_begin(b, title);
		head_row_links(b, head, 2, links_head);
		for (size_t i = 0; i < n; i++) {
			const char *cells[] = {count_text(f1, cols[i].count, lang)};
			const char *url = NULL, *narrow = NULL;
			if (links && isfinite(cols[i].count) && cols[i].count > 0) {
				buf t;
				buf_init(&t);
				col_cond(&t, qid, &cols[i]);
				url = stories_for(lk, t.data);
				narrow = narrow_for(lk, t.data);
				buf_free(&t);
			}
			body_row_links(b, cols[i].label, cells, 1, links, url, narrow, lang);
		}
		const char *mean[] = {fmt(f1, jnum(doc, "mean"), 1, lang)};
		body_row_link(b, T(&o, "Mean"), mean, 1, links, NULL, lang);
		const char *median[] = {fmt(f2, jnum(doc, "median"), 1, lang)};
		body_row_link(b, T(&o, "Median"), median, 1, links, NULL, lang);
		table_end(b);
		return;
	}
	if (json_array_size(opts)) {
		const char *head[] = {T(&o, "Answer"), T(&o, "Stories"), T(&o, "Percent"),
		                      T(&o, "Interval (95%)")};
		table_begin(b, title);
		head_row_links(b, head, 4, links_head);
		for (size_t i = 0; i < json_array_size(opts); i++) {
			const json_t *e = json_array_get(opts, i);
			const json_t *ci = json_object_get(e, "ci");
			char lo[32], hi[32], iv[80], pc[40];
			snprintf(pc, sizeof pc, "%s%%", fmt(f2, jnum(e, "percent"), 1, lang));
			if (ci && json_is_array(ci))
				snprintf(iv, sizeof iv, "%s\u2013%s%%",
				         fmt(lo, jat(ci, 0), 1, lang),
				         fmt(hi, jat(ci, 1), 1, lang));
			else
				snprintf(iv, sizeof iv, "\u2013");
			const char *cells[] = {count_text(f1, jnum(e, "count"), lang),
			                       isfinite(jnum(e, "percent")) ? pc : "\u2013", iv};
			const char *url = NULL, *narrow = NULL;
			if (links && jnum(e, "count") > 0) {
				buf t;
				buf_init(&t);
				buf_printf(&t, "%s = %s", qid, jstr(e, "id"));
				url = stories_for(lk, t.data);
				narrow = narrow_for(lk, t.data);
				buf_free(&t);
			}
			body_row_links(b, label_of(e), cells, 3, links, url, narrow, lang);
		}
		table_end(b);
		return;
	}
	/* a number question: its summary */
	const char *head[] = {T(&o, "Figure"), T(&o, "Value")};
	table_begin(b, title);
	head_row(b, head, 2);
	const char *n[] = {count_text(f1, jnum(doc, "n"), lang)};
	body_row(b, T(&o, "Stories"), n, 1);
	const char *mean[] = {fmt(f2, jnum(doc, "mean"), 1, lang)};
	body_row(b, T(&o, "Mean"), mean, 1);
	const char *median[] = {fmt(f3, jnum(doc, "median"), 1, lang)};
	body_row(b, T(&o, "Median"), median, 1);
	table_end(b);
}

/* ---- for the pattern finder (page_explore_patterns.c) ---------------------- */

const char *chart_number(char out[32], double v, int dec, const char *lang)
{
	return fmt(out, v, dec, lang);
}

void chart_interval(buf *b, double est, double lo, double hi, double span, const char *title,
                    const char *desc)
{
	chart_interval_link(b, est, lo, hi, span, title, desc, NULL, NULL);
}

void chart_interval_link(buf *b, double est, double lo, double hi, double span, const char *title,
                         const char *desc, const char *href, const char *label)
{
	const double w = 160, h = 20, mid = w / 2, half = w / 2 - 6;
	if (!(span > 0) || !isfinite(span))
		span = 1;
	double xl = mid + fmax(-1, fmin(1, lo / span)) * half;
	double xh = mid + fmax(-1, fmin(1, hi / span)) * half;
	double xe = mid + fmax(-1, fmin(1, est / span)) * half;
	/* a mark that links is part of a group (an image's parts are not
	 * focusable); the whole strip is its target */
	if (href) {
		svg_begin_group(b, w, h, NULL, title, desc);
		svg_link_begin(b, href, label ? label : title);
		svg_rect(b, 0, 0, w, h, "vp-chart-hit");
	} else {
		svg_begin(b, w, h, title, desc);
	}
	svg_line(b, mid, 2, mid, h - 2, "vp-chart-axis");
	svg_line(b, xl, h / 2, xh, h / 2, "vp-chart-ci-bar");
	svg_line(b, xl, h / 2 - 4, xl, h / 2 + 4, "vp-chart-ci-bar");
	svg_line(b, xh, h / 2 - 4, xh, h / 2 + 4, "vp-chart-ci-bar");
	svg_circle(b, xe, h / 2, 3.5, "vp-chart-mean");
	if (href)
		svg_link_end(b);
	svg_end(b);
}

/* ---- links to a ternary bin's stories ------------------------------------ */

/* A threshold as the filter's decimal text (x9 / 1e9: the filter reads 9
 * decimals), appended to out. */
static void put_x9(buf *out, long long x9)
{
	char f[32];
	snprintf(f, sizeof f, "%lld.%09lld", x9 / 1000000000, x9 % 1000000000);
	char *e = f + strlen(f) - 1;
	while (*e == '0')
		*e-- = '\0';
	if (*e == '.')
		*e = '\0';
	buf_puts(out, f);
}

/* The borders of the bins are fractions i / k, which a decimal need not
 * hold (2/3); the index keeps weights in whole 1/AIX_TRIAD_SCALE steps,
 * so each border is written as a decimal that falls between the same two
 * steps as the fraction does, and on the side triad_bin gives a point on
 * the border (the larger weight of corner 0, then 1). */

/* "weight >= i/k" as "weight >= x": x9 with ceil(x9 S / 1e9) = ceil(i S / k). */
static long long x9_at_least(int i, int k)
{
	long long t = ((long long)AIX_TRIAD_SCALE * i + k - 1) / k;
	return t * 1000000000LL / AIX_TRIAD_SCALE;
}

/* "weight <= e" for whole steps e: x9 with floor(x9 S / 1e9) = e. */
static long long x9_at_most_steps(long long e)
{
	return (e * 1000000000LL + AIX_TRIAD_SCALE - 1) / AIX_TRIAD_SCALE;
}

void chart_bin_condition(buf *out, const char *q, const char *const c[3], int bin, int k)
{
	assert(out && q && c && k >= 1 && bin >= 0 && bin < k * k);
	/* the numbering of triad_bin (stats.h): strip i, row j, up or down */
	int i = 0;
	while (2 * k * (i + 1) - (i + 1) * (i + 1) <= bin)
		i++;
	int r = bin - (2 * k * i - i * i);
	int j = r / 2, down = r % 2;
	int n = 0;
	struct part {
		int corner, at, ge; /* corner c[corner] >= (ge) or < at / k */
	} parts[4];
	int np = 0;
	if (i > 0)
		parts[np++] = (struct part){0, i, 1};
	if (i < k - 1)
		parts[np++] = (struct part){0, i + 1, 0};
	if (j > 0)
		parts[np++] = (struct part){1, j, 1};
	if (j < k - 1 - i)
		parts[np++] = (struct part){1, j + 1, 0};
	for (int p = 0; p < np; p++) {
		buf_printf(out, "%s%s[%s] %s ", n++ ? " and " : "", q, c[parts[p].corner],
		           parts[p].ge ? ">=" : "<");
		put_x9(out, x9_at_least(parts[p].at, k));
	}
	/* the up and down triangles of a cell part on x0 + x1 = (i + j + 1) / k;
	 * on it a point goes down: x2 <= the rest */
	if (i + j <= k - 2) {
		long long d = ((long long)AIX_TRIAD_SCALE * (i + j + 1) + k - 1) / k;
		buf_printf(out, "%s%s[%s] %s ", n++ ? " and " : "", q, c[2], down ? "<=" : ">");
		put_x9(out, x9_at_most_steps(AIX_TRIAD_SCALE - d));
	}
	if (n == 0) /* k = 1: the whole triangle */
		buf_printf(out, "%s is answered", q);
}

/* ---- glyphs ---------------------------------------------------------------- */

void chart_glyph_triad(buf *b, const double w[3], const char *title, const char *desc)
{
	assert(b && w && title);
	/* the plot's triangle scaled down to 48 wide */
	const double s = 48.0 / CHART_TRI_SIDE;
	double tri[6], corners[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
	for (int k = 0; k < 3; k++) {
		double x, y;
		chart_ternary_xy(corners[k], &x, &y);
		tri[2 * k] = 2 + (x - CHART_TRI_X0) * s;
		tri[2 * k + 1] = 2 + (y - CHART_TRI_Y0) * s;
	}
	double x, y;
	chart_ternary_xy(w, &x, &y);
	svg_begin(b, 52, 46, title, desc);
	svg_path(b, tri, 3, 1, "vp-glyph-frame");
	svg_circle(b, 2 + (x - CHART_TRI_X0) * s, 2 + (y - CHART_TRI_Y0) * s, 3.5,
	           "vp-glyph-point");
	svg_end(b);
}

void chart_glyph_bar(buf *b, double v, double lo, double hi, const char *title, const char *desc)
{
	assert(b && title);
	const double w = 96, h = 16, x0 = 4, len = w - 8;
	double t = hi > lo && isfinite(v) ? (v - lo) / (hi - lo) : 0.5;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	svg_begin(b, w, h, title, desc);
	svg_line(b, x0, h / 2, x0 + len, h / 2, "vp-glyph-frame");
	svg_line(b, x0, 3, x0, h - 3, "vp-glyph-frame");
	svg_line(b, x0 + len, 3, x0 + len, h - 3, "vp-glyph-frame");
	svg_circle(b, x0 + t * len, h / 2, 4, "vp-glyph-point");
	svg_end(b);
}
