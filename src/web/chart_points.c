/* chart_points.c: pin-on-image and stones answers drawn on their picture or canvas from measure_points documents, and their data tables. */
#include "web/chart_points.h"

#include "analysis/measures.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/svg.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A number of o, NaN when absent or null (a count too few to show). */
static double num_of(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* ---- geometry -------------------------------------------------------------- */

double chart_pin_height(int w, int h)
{
	if (w <= 0 || h <= 0)
		return CHART_PIN_W;
	double ph = CHART_PIN_W * h / w;
	return ph < CHART_PIN_W / 4 ? CHART_PIN_W / 4 : ph > 2 * CHART_PIN_W ? 2 * CHART_PIN_W : ph;
}

void chart_pin_xy(double x, double y, double pw, double ph, double *px, double *py)
{
	*px = CHART_PIN_X0 + pw * x / 100;
	*py = CHART_PIN_Y0 + ph * y / 100;
}

void chart_pin_cell(int cell, double pw, double ph, double rect[4])
{
	assert(cell >= 0 && cell < MEASURES_GRID * MEASURES_GRID);
	int gx = cell % MEASURES_GRID, gy = cell / MEASURES_GRID;
	/* edges from the same formula on both sides, so cells meet exactly */
	double x0 = CHART_PIN_X0 + pw * gx / MEASURES_GRID,
	       x1 = CHART_PIN_X0 + pw * (gx + 1) / MEASURES_GRID;
	double y0 = CHART_PIN_Y0 + ph * gy / MEASURES_GRID,
	       y1 = CHART_PIN_Y0 + ph * (gy + 1) / MEASURES_GRID;
	rect[0] = x0;
	rect[1] = y0;
	rect[2] = x1 - x0;
	rect[3] = y1 - y0;
}

void chart_stones_xy(double x, double y, double *px, double *py)
{
	*px = CHART_STONES_X0 + CHART_STONES_SIDE * x / 100;
	*py = CHART_STONES_Y0 + CHART_STONES_SIDE * (100 - y) / 100;
}

/* ---- links to the stories of a mark ----------------------------------------- */

/* The places measure_grid_cell puts in band k of an axis: 10k up to
 * 10k + 10, the last band also 100 (whole percent, as the index keeps
 * them). */
static void band_condition(buf *out, const char *q, const char *axis, int k)
{
	int lo = 100 * k / MEASURES_GRID, hi = 100 * (k + 1) / MEASURES_GRID;
	buf_printf(out, "%s[%s] >= %d and %s[%s] %s %d", q, axis, lo, q, axis,
	           k == MEASURES_GRID - 1 ? "<=" : "<", hi);
}

void chart_pin_cell_condition(buf *out, const char *q, int cell)
{
	assert(out && q && cell >= 0 && cell < MEASURES_GRID * MEASURES_GRID);
	band_condition(out, q, "x", cell % MEASURES_GRID);
	buf_puts(out, " and ");
	band_condition(out, q, "y", cell / MEASURES_GRID);
}

void chart_stone_condition(buf *out, const char *q, const char *stone)
{
	assert(out && q && stone);
	buf_printf(out, "%s[%s][x] >= 0", q, stone);
}

/* The link to the stories of a mark with count v (a number: at least the
 * minimum group, or the document would say null), or NULL: no link for a
 * hidden or empty count, a file of its own, or a chart without links. */
static const char *mark_url(const struct chart_opts *o, const json_t *v, const char *cond)
{
	if (!o->stories || o->standalone || !json_is_number(v) || !(json_number_value(v) > 0))
		return NULL;
	return o->stories(o->ctx, cond);
}

/* "20–30% from the left, 40–50% from the top": where grid cell `cell` is. */
static void cell_place(buf *out, const struct chart_opts *o, int cell)
{
	int gx = cell % MEASURES_GRID, gy = cell / MEASURES_GRID;
	buf_printf(out, "%d\u2013%d%% %s, %d\u2013%d%% %s", 100 * gx / MEASURES_GRID,
	           100 * (gx + 1) / MEASURES_GRID, T(o, "from the left"), 100 * gy / MEASURES_GRID,
	           100 * (gy + 1) / MEASURES_GRID, T(o, "from the top"));
}

/* ---- shared pieces ---------------------------------------------------------- */

/* The colours a file of its own carries (the page's are in assets/app.css,
 * "explorer: pins and stones"), on white. */
static void standalone_style(buf *b, const struct chart_opts *o, double w, double h)
{
	if (!o->standalone)
		return;
	html_lit(b, "<style>"
	            "text{font-family:sans-serif;font-size:14px;fill:#1a1a1a}"
	            ".vp-chart-frame{fill:none;stroke:#767676;stroke-width:1.5}"
	            ".vp-chart-grid{fill:none;stroke:#767676;stroke-width:0.5}"
	            ".vp-chart-bin{fill-opacity:0.85}"
	            ".vp-chart-bin--1{fill:#deebf7}.vp-chart-bin--2{fill:#9ecae1}"
	            ".vp-chart-bin--3{fill:#4292c6}.vp-chart-bin--4{fill:#2171b5}"
	            ".vp-chart-bin--5{fill:#08306b}.vp-chart-bin--few{fill:#f0f0f0}"
	            ".vp-chart-cell-text{font-size:13px;font-weight:bold}"
	            "text.vp-chart-cell-text--light{fill:#fff}"
	            ".vp-chart-mean circle{fill:none;stroke:#d55e00;stroke-width:2.5}"
	            ".vp-chart-mean line{stroke:#d55e00;stroke-width:2}"
	            ".vp-chart-stone circle{fill:#0072b2;stroke:#fff;stroke-width:1.5}"
	            ".vp-chart-stone line{stroke:#1a1a1a;stroke-width:1.5}"
	            "text.vp-chart-stone-number{fill:#fff;font-size:12px;font-weight:bold}"
	            ".vp-chart-background{fill:#fff}"
	            "</style>");
	svg_rect(b, -20, -20, w + 40, h + 40, "vp-chart-background");
}

static void mean_mark(buf *b, double x, double y, const char *name)
{
	svg_group_begin(b, "vp-chart-mean");
	svg_title(b, name);
	svg_circle(b, x, y, 8, NULL);
	svg_line(b, x - 12, y, x + 12, y, NULL);
	svg_line(b, x, y - 12, x, y + 12, NULL);
	svg_group_end(b);
}

/* ---- pin on image ------------------------------------------------------------ */

int chart_pin(buf *b, const json_t *doc, const struct chart_opts *o)
{
	assert(b && doc && o);
	const char *lang = o->lang;
	if (json_is_true(json_object_get(doc, "too_few"))) {
		chart_too_few(b, lang);
		return 0;
	}
	const json_t *mean = json_object_get(doc, "mean");
	double mx = num_of(json_array_get(mean, 0)), my = num_of(json_array_get(mean, 1));
	const json_t *grid = json_object_get(doc, "grid");
	const json_t *counts = json_object_get(grid, "counts");
	int cells = MEASURES_GRID * MEASURES_GRID;
	/* the summary: the mean, the busiest cell, the count */
	double max = 0;
	int busiest = -1;
	for (int i = 0; i < cells; i++)
		if (num_of(json_array_get(counts, (size_t)i)) > max) {
			max = num_of(json_array_get(counts, (size_t)i));
			busiest = i;
		}
	char f1[32], f2[32], f3[32], f4[32];
	buf d;
	buf_init(&d);
	buf_printf(&d, "%s: %s%% %s, %s%% %s; %s %s.", T(o, "Mean place"),
	           chart_number(f1, mx, 0, lang), T(o, "from the left"),
	           chart_number(f2, my, 0, lang), T(o, "from the top"),
	           chart_number(f3, num_of(json_object_get(doc, "n")), 0, lang), T(o, "stories"));
	if (busiest >= 0)
		buf_printf(&d, " %s: %d\u2013%d%% %s, %d\u2013%d%% %s (%s %s).", T(o, "Most pins"),
		           10 * (busiest % MEASURES_GRID), 10 * (busiest % MEASURES_GRID) + 10,
		           T(o, "from the left"), 10 * (busiest / MEASURES_GRID),
		           10 * (busiest / MEASURES_GRID) + 10, T(o, "from the top"),
		           chart_number(f4, max, 0, lang), T(o, "stories"));

	double pw = CHART_PIN_W, ph = chart_pin_height(o->image_width, o->image_height);
	double width = pw + 2 * CHART_PIN_X0, height = CHART_PIN_Y0 + ph + 58;
	const char *qid = str_of(doc, "question");
	/* cells that link are marks of a group (an image's parts are not
	 * focusable) */
	if (o->stories && !o->standalone)
		svg_begin_group(b, width, height, "vp-chart-svg", o->title ? o->title : "", d.data);
	else
		svg_begin(b, width, height, o->title ? o->title : "", d.data);
	buf_free(&d);
	standalone_style(b, o, width, height);
	if (o->standalone && o->image_data && o->image_len)
		svg_image_data(b, CHART_PIN_X0, CHART_PIN_Y0, pw, ph, o->image_type, o->image_data,
		               o->image_len);
	else if (!o->standalone && o->image_url)
		svg_image(b, CHART_PIN_X0, CHART_PIN_Y0, pw, ph, o->image_url);
	static const char *const shade[] = {
	        "vp-chart-bin vp-chart-bin--1", "vp-chart-bin vp-chart-bin--2",
	        "vp-chart-bin vp-chart-bin--3", "vp-chart-bin vp-chart-bin--4",
	        "vp-chart-bin vp-chart-bin--5"};
	svg_group_begin(b, "vp-chart-cells");
	for (int i = 0; i < cells && (size_t)cells == json_array_size(counts); i++) {
		const json_t *cv = json_array_get(counts, (size_t)i);
		double c = num_of(cv);
		if (json_is_number(cv) && !(c > 0))
			continue; /* empty: the picture shows */
		double r[4];
		chart_pin_cell(i, pw, ph, r);
		const char *cls = "vp-chart-bin vp-chart-bin--few", *tcls = "vp-chart-cell-text";
		char t[32];
		if (json_is_number(cv)) {
			int s = (int)ceil(5 * c / max) - 1;
			s = s < 0 ? 0 : s > 4 ? 4 : s;
			cls = shade[s];
			if (s >= 3)
				tcls = "vp-chart-cell-text vp-chart-cell-text--light";
			chart_number(t, c, 0, lang);
		} else {
			snprintf(t, sizeof t, "\u2013");
		}
		/* a cell with a count links to its stories, named by its place
		 * and count; a cell of too few stories keeps only its title */
		buf cond, name;
		buf_init(&cond), buf_init(&name);
		chart_pin_cell_condition(&cond, qid, i);
		const char *url = mark_url(o, cv, cond.data);
		buf_printf(&name, "%s: ", T(o, "Read the stories"));
		cell_place(&name, o, i);
		buf_printf(&name, ", %s %s", t, T(o, "stories"));
		if (url) {
			svg_link_begin(b, url, name.data);
			svg_group_begin(b, "vp-chart-cell");
		} else if (o->stories && !o->standalone) { /* a group's mark */
			buf_reset(&name);
			cell_place(&name, o, i);
			buf_printf(&name, ": %s", json_is_number(cv) ? t : T(o, "too few"));
			svg_mark_begin(b, NULL, name.data);
		} else { /* a part of an image */
			svg_group_begin(b, NULL);
			svg_title(b, json_is_number(cv) ? t : T(o, "too few"));
		}
		buf_free(&cond), buf_free(&name);
		svg_rect(b, r[0], r[1], r[2], r[3], cls);
		svg_text(b, r[0] + r[2] / 2, r[1] + r[3] / 2 + 5, "middle", tcls, t);
		svg_group_end(b);
		if (url)
			svg_link_end(b);
	}
	svg_group_end(b);
	/* the parts' edges, faint, so a count can be read against its place */
	for (int k = 1; k < MEASURES_GRID; k++) {
		double r[4];
		chart_pin_cell(k, pw, ph, r);
		svg_line(b, r[0], CHART_PIN_Y0, r[0], CHART_PIN_Y0 + ph, "vp-chart-grid");
		chart_pin_cell(k * MEASURES_GRID, pw, ph, r);
		svg_line(b, CHART_PIN_X0, r[1], CHART_PIN_X0 + pw, r[1], "vp-chart-grid");
	}
	svg_rect(b, CHART_PIN_X0, CHART_PIN_Y0, pw, ph, "vp-chart-frame");
	if (isfinite(mx) && isfinite(my)) {
		double x, y;
		chart_pin_xy(mx, my, pw, ph, &x, &y);
		mean_mark(b, x, y, T(o, "Mean place"));
	}
	double ly = CHART_PIN_Y0 + ph + 22;
	svg_text(b, CHART_PIN_X0, ly, "start", "vp-chart-tick",
	         T(o, "Number in a part: stories with their pin there."));
	svg_text(b, CHART_PIN_X0, ly + 20, "start", "vp-chart-tick",
	         T(o, "A dash: too few stories. Ringed cross: the mean place."));
	svg_end(b);
	return 1;
}

/* ---- stones ------------------------------------------------------------------ */

static const char *axis_text(const json_t *doc, const char *axis, const char *key)
{
	return str_of(json_object_get(json_object_get(doc, "axes"), axis), key);
}

int chart_stones(buf *b, const json_t *doc, const struct chart_opts *o)
{
	assert(b && doc && o);
	const char *lang = o->lang;
	if (json_is_true(json_object_get(doc, "too_few"))) {
		chart_too_few(b, lang);
		return 0;
	}
	const json_t *stones = json_object_get(doc, "stones");
	size_t ns = json_array_size(stones);
	char f1[32], f2[32], f3[32], f4[32];
	buf d;
	buf_init(&d);
	buf_printf(&d, "%s %s; %s %s. ",
	           chart_number(f1, num_of(json_object_get(doc, "n")), 0, lang), T(o, "stories"),
	           T(o, "mean place of each stone"), T(o, "(0 to 100 along each axis)"));
	for (size_t i = 0; i < ns; i++) {
		const json_t *s = json_array_get(stones, i);
		const json_t *m = json_object_get(s, "mean");
		if (i)
			buf_puts(&d, "; ");
		if (json_is_true(json_object_get(s, "too_few")) || !m)
			buf_printf(&d, "%zu %s: %s", i + 1, str_of(s, "label"), T(o, "too few"));
		else
			buf_printf(&d, "%zu %s: %s %s, %s %s", i + 1, str_of(s, "label"),
			           axis_text(doc, "x", "label"),
			           chart_number(f2, num_of(json_array_get(m, 0)), 0, lang),
			           axis_text(doc, "y", "label"),
			           chart_number(f3, num_of(json_array_get(m, 1)), 0, lang));
	}
	buf_puts(&d, ".");

	double side = CHART_STONES_SIDE, x0 = CHART_STONES_X0, y0 = CHART_STONES_Y0;
	double width = x0 + side + 30, height = y0 + side + 70 + 22 * (double)ns;
	const char *qid = str_of(doc, "question");
	if (o->stories && !o->standalone)
		svg_begin_group(b, width, height, "vp-chart-svg", o->title ? o->title : "", d.data);
	else
		svg_begin(b, width, height, o->title ? o->title : "", d.data);
	buf_free(&d);
	standalone_style(b, o, width, height);
	/* the canvas, a light grid at each quarter, the axes' words */
	svg_rect(b, x0, y0, side, side, "vp-chart-frame");
	for (int k = 1; k < 4; k++) {
		svg_line(b, x0 + side * k / 4, y0, x0 + side * k / 4, y0 + side, "vp-chart-grid");
		svg_line(b, x0, y0 + side * k / 4, x0 + side, y0 + side * k / 4, "vp-chart-grid");
	}
	svg_text(b, x0, y0 - 14, "start", "vp-chart-label", axis_text(doc, "y", "label"));
	svg_text(b, x0 - 6, y0 + 12, "end", "vp-chart-tick", axis_text(doc, "y", "high"));
	svg_text(b, x0 - 6, y0 + side, "end", "vp-chart-tick", axis_text(doc, "y", "low"));
	svg_text(b, x0, y0 + side + 18, "start", "vp-chart-tick", axis_text(doc, "x", "low"));
	svg_text(b, x0 + side, y0 + side + 18, "end", "vp-chart-tick", axis_text(doc, "x", "high"));
	svg_text(b, x0 + side / 2, y0 + side + 40, "middle", "vp-chart-label",
	         axis_text(doc, "x", "label"));
	/* each stone: its spread, then its mean as a numbered circle */
	for (size_t i = 0; i < ns; i++) {
		const json_t *s = json_array_get(stones, i);
		const json_t *m = json_object_get(s, "mean"), *sd = json_object_get(s, "sd");
		double mx = num_of(json_array_get(m, 0)), my = num_of(json_array_get(m, 1));
		double sx = num_of(json_array_get(sd, 0)), sy = num_of(json_array_get(sd, 1));
		char no[24];
		snprintf(no, sizeof no, "%zu", i + 1);
		double ly = y0 + side + 66 + 22 * (double)i;
		buf t;
		buf_init(&t);
		if (!isfinite(mx) || !isfinite(my)) {
			buf_printf(&t, "%s %s (%s)", no, str_of(s, "label"), T(o, "too few"));
			svg_text(b, x0, ly, "start", "vp-chart-tick", t.data);
			buf_free(&t);
			continue;
		}
		buf_printf(&t, "%s %s: %s %s, %s; %s %s, %s; %s", no, str_of(s, "label"),
		           T(o, "mean"), chart_number(f1, mx, 0, lang),
		           chart_number(f2, my, 0, lang), T(o, "spread"),
		           chart_number(f3, isfinite(sx) ? sx : 0, 0, lang),
		           chart_number(f4, isfinite(sy) ? sy : 0, 0, lang), T(o, "placed"));
		buf_printf(&t, " %s",
		           chart_number(f2, num_of(json_object_get(s, "placed")), 0, lang));
		/* the mean, and the whiskers' ends one standard deviation away
		 * (kept on the canvas) */
		if (!isfinite(sx))
			sx = 0;
		if (!isfinite(sy))
			sy = 0;
		double px, py, x_lo, x_hi, y_lo, y_hi, unused;
		chart_stones_xy(mx, my, &px, &py);
		chart_stones_xy(fmax(0, mx - sx), my, &x_lo, &unused);
		chart_stones_xy(fmin(100, mx + sx), my, &x_hi, &unused);
		chart_stones_xy(mx, fmax(0, my - sy), &unused, &y_lo);
		chart_stones_xy(mx, fmin(100, my + sy), &unused, &y_hi);
		/* a stone placed often enough links to the stories that placed it */
		buf cond;
		buf_init(&cond);
		chart_stone_condition(&cond, qid, str_of(s, "id"));
		const char *url = mark_url(o, json_object_get(s, "placed"), cond.data);
		buf_free(&cond);
		if (url) {
			buf name;
			buf_init(&name);
			buf_printf(&name, "%s: %s %s, %s %s", T(o, "Read the stories"), no,
			           str_of(s, "label"),
			           chart_number(f1, num_of(json_object_get(s, "placed")), 0, lang),
			           T(o, "stories with this stone placed"));
			svg_link_begin(b, url, name.data);
			buf_free(&name);
		}
		svg_group_begin(b, "vp-chart-stone");
		svg_title(b, t.data);
		svg_line(b, x_lo, py, x_hi, py, NULL);
		svg_line(b, px, y_lo, px, y_hi, NULL);
		svg_circle(b, px, py, 10, NULL);
		svg_text(b, px, py + 4, "middle", "vp-chart-stone-number", no);
		svg_group_end(b);
		if (url)
			svg_link_end(b);
		buf_reset(&t);
		buf_printf(&t, "%s %s", no, str_of(s, "label"));
		svg_text(b, x0, ly, "start", "vp-chart-tick", t.data);
		buf_free(&t);
	}
	svg_end(b);
	return 1;
}

/* ---- data tables ------------------------------------------------------------- */

static void band(char out[32], int k)
{
	snprintf(out, 32, "%d\u2013%d%%", 10 * k, 10 * k + 10);
}

static const char *count_cell(char out[32], const json_t *v, const char *lang)
{
	if (!json_is_number(v)) {
		snprintf(out, 32, "%s", i18n_get(lang, "too few"));
		return out;
	}
	return chart_number(out, json_number_value(v), 0, lang);
}

void chart_points_table(buf *b, const json_t *doc, const char *lang)
{
	const struct chart_opts o = {.lang = lang};
	chart_points_table_linked(b, doc, &o);
}

void chart_points_table_linked(buf *b, const json_t *doc, const struct chart_opts *lk)
{
	assert(b && doc && lk);
	if (json_is_true(json_object_get(doc, "too_few")))
		return;
	const char *lang = lk->lang;
	const struct chart_opts lo = {.lang = lang}, *o = &lo;
	const char *qid = str_of(doc, "question");
	int links = lk->stories && !lk->standalone;
	const char *title = *str_of(doc, "title") ? str_of(doc, "title") : str_of(doc, "question");
	char f[6][32];
	if (strcmp(str_of(doc, "type"), "pin") == 0) {
		const json_t *m = json_object_get(doc, "mean"), *sd = json_object_get(doc, "sd");
		const char *head[] = {T(o, "Figure"), T(o, "Value")};
		chart_table_begin(b, title, head, 2);
		const char *n[] = {count_cell(f[0], json_object_get(doc, "n"), lang)};
		chart_table_row(b, T(o, "Stories"), n, 1);
		const char *mx[] = {chart_number(f[1], num_of(json_array_get(m, 0)), 1, lang)};
		chart_table_row(b, T(o, "Mean place from the left, in percent"), mx, 1);
		const char *my[] = {chart_number(f[2], num_of(json_array_get(m, 1)), 1, lang)};
		chart_table_row(b, T(o, "Mean place from the top, in percent"), my, 1);
		const char *sx[] = {chart_number(f[3], num_of(json_array_get(sd, 0)), 1, lang)};
		chart_table_row(b, T(o, "Spread from the left (standard deviation)"), sx, 1);
		const char *sy[] = {chart_number(f[4], num_of(json_array_get(sd, 1)), 1, lang)};
		chart_table_row(b, T(o, "Spread from the top (standard deviation)"), sy, 1);
		chart_table_end(b);
		/* the grid: a row per band from the top, a column per band from the left */
		const json_t *counts = json_object_get(json_object_get(doc, "grid"), "counts");
		if (json_array_size(counts) != MEASURES_GRID * MEASURES_GRID)
			return;
		char heads[MEASURES_GRID][32], cells[MEASURES_GRID][32];
		const char *hp[MEASURES_GRID + 1], *cp[MEASURES_GRID];
		hp[0] = T(o, "From the top (rows), from the left (columns)");
		for (int k = 0; k < MEASURES_GRID; k++) {
			band(heads[k], k);
			hp[k + 1] = heads[k];
		}
		chart_table_begin(b, T(o, "Stories per part of the picture"), hp,
		                  MEASURES_GRID + 1);
		for (int gy = 0; gy < MEASURES_GRID; gy++) {
			/* each count that may be shown links to its stories */
			const char *up[MEASURES_GRID], *np[MEASURES_GRID];
			buf names[MEASURES_GRID];
			for (int gx = 0; gx < MEASURES_GRID; gx++) {
				int cell = gy * MEASURES_GRID + gx;
				const json_t *cv = json_array_get(counts, (size_t)cell);
				cp[gx] = count_cell(cells[gx], cv, lang);
				buf cond;
				buf_init(&cond), buf_init(&names[gx]);
				chart_pin_cell_condition(&cond, qid, cell);
				up[gx] = mark_url(lk, cv, cond.data);
				buf_free(&cond);
				buf_printf(&names[gx], " %s: ", T(o, "stories"));
				cell_place(&names[gx], o, cell);
				np[gx] = names[gx].data;
			}
			char rh[32];
			band(rh, gy);
			chart_table_row_cell_links(b, rh, cp, up, np, MEASURES_GRID);
			for (int gx = 0; gx < MEASURES_GRID; gx++)
				buf_free(&names[gx]);
		}
		chart_table_end(b);
		return;
	}
	const json_t *stones = json_object_get(doc, "stones");
	buf hx, hy;
	buf_init(&hx);
	buf_init(&hy);
	buf_printf(&hx, "%s: %s", T(o, "Mean"), axis_text(doc, "x", "label"));
	buf_printf(&hy, "%s: %s", T(o, "Mean"), axis_text(doc, "y", "label"));
	const char *head[] = {T(o, "Stone"), T(o, "Placed"),     T(o, "Not placed"), hx.data,
	                      hy.data,       T(o, "Spread (x)"), T(o, "Spread (y)")};
	chart_table_begin_linked(b, title, head, 7, links ? lang : NULL);
	for (size_t i = 0; i < json_array_size(stones); i++) {
		const json_t *s = json_array_get(stones, i);
		const json_t *m = json_object_get(s, "mean"), *sd = json_object_get(s, "sd");
		const char *cells[] = {count_cell(f[0], json_object_get(s, "placed"), lang),
		                       count_cell(f[1], json_object_get(s, "not_placed"), lang),
		                       chart_number(f[2], num_of(json_array_get(m, 0)), 1, lang),
		                       chart_number(f[3], num_of(json_array_get(m, 1)), 1, lang),
		                       chart_number(f[4], num_of(json_array_get(sd, 0)), 1, lang),
		                       chart_number(f[5], num_of(json_array_get(sd, 1)), 1, lang)};
		buf name;
		buf_init(&name);
		buf_printf(&name, "%zu %s", i + 1, str_of(s, "label"));
		buf cond;
		buf_init(&cond);
		chart_stone_condition(&cond, qid, str_of(s, "id"));
		const char *url = mark_url(lk, json_object_get(s, "placed"), cond.data);
		buf_free(&cond);
		if (links)
			chart_table_row_link(b, name.data, cells, 6, url, lang);
		else
			chart_table_row(b, name.data, cells, 6);
		buf_free(&name);
	}
	chart_table_end(b);
	buf_free(&hx);
	buf_free(&hy);
}
