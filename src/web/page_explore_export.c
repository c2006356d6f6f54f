/* page_explore_export.c: downloads of an explorer view: its figures as CSV, XLSX and JSON, a chart as SVG and PNG; each download logged. */
#include "web/pages.h"

#include "analysis/index.h"
#include "analysis/measures.h"
#include "core/clock.h"
#include "http/server.h"
#include "io/csv.h"
#include "io/image.h"
#include "io/xlsx.h"
#include "model/audit.h"
#include "web/chart.h"
#include "web/explore.h"
#include "web/i18n.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

/*
 * URLs (docs/analysis.md, "Downloads"), each with the view's ?filter=F:
 *   /verkennen/{id}/export.csv   [&vraag=Q] [&rij=R&kolom=K]
 *   /verkennen/{id}/export.xlsx  (the same)
 *   /verkennen/{id}/export.json  (the same)
 *   /verkennen/{id}/grafiek/Q.svg, /verkennen/{id}/grafiek/Q.png
 * Without vraag: every question of the explorer; with it: that one. With
 * rij and kolom: their cross-table too. Only figures leave this way, never
 * story texts, and a group below the minimum is "too few" here as on the
 * page.
 */

/* The columns of a figures table (CSV, and every sheet of the workbook). */
enum {
	COL_Q,
	COL_QTEXT,
	COL_ANSWER,
	COL_ATEXT,
	COL_N,
	COL_PCT,
	COL_LO,
	COL_HI,
	COL_VALUE,
	COL_RES,
	NCOLS
};

static const char *const col_names[NCOLS] = {N_("Question"),     N_("Question text"), N_("Answer"),
                                             N_("Answer text"),  N_("Stories"),       N_("Percent"),
                                             N_("Interval low"), N_("Interval high"), N_("Value"),
                                             N_("Residual")};

/* A table: a sheet's name and rows of NCOLS cells (JSON strings, numbers
 * or null). */
static json_t *table_new(const char *name)
{
	return json_pack("{s:s, s:[]}", "name", name, "rows");
}

static json_t *row_new(json_t *table, const char *q, const char *qtext)
{
	json_t *row = json_array();
	for (int i = 0; i < NCOLS; i++)
		json_array_append_new(row, json_null());
	json_array_set_new(row, COL_Q, json_string(q ? q : ""));
	json_array_set_new(row, COL_QTEXT, json_string(qtext ? qtext : ""));
	json_array_append_new(json_object_get(table, "rows"), row);
	return row;
}

static void cell_str(json_t *row, int col, const char *s)
{
	json_array_set_new(row, (size_t)col, s ? json_string(s) : json_null());
}

static void cell_num(json_t *row, int col, const json_t *v)
{
	if (json_is_number(v))
		json_array_set_new(row, (size_t)col, json_real(json_number_value(v)));
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static const char *label_of(const json_t *e)
{
	const char *s = jstr(e, "label");
	return *s ? s : jstr(e, "id");
}

/* One measure document as rows of table t. */
/* A pin's or stone's mean x and y (answer "ID x", "ID y"; a pin's ID is
 * empty), with its count. */
static void mean_rows(json_t *t, const char *q, const char *qt, const char *id, const char *label,
                      const json_t *n, const json_t *mean)
{
	static const char *const axis[2] = {"x", "y"};
	for (size_t k = 0; k < 2; k++) {
		json_t *row = row_new(t, q, qt);
		buf a;
		buf_init(&a);
		buf_printf(&a, "%s%smean %s", id, *id ? " " : "", axis[k]);
		cell_str(row, COL_ANSWER, a.data);
		buf_free(&a);
		cell_str(row, COL_ATEXT, label);
		cell_num(row, COL_N, n);
		cell_num(row, COL_VALUE, json_array_get(mean, k));
	}
}

/* Pin and stones (measure_points): the means, and a pin's grid cells that
 * hold stories ("x 20-30, y 30-40"; too few: no count). */
static void points_rows(struct req *r, json_t *t, const json_t *doc)
{
	const char *q = jstr(doc, "question"), *qt = jstr(doc, "title");
	if (strcmp(jstr(doc, "type"), "pin") == 0) {
		mean_rows(t, q, qt, "", T(r, "Mean place"), json_object_get(doc, "n"),
		          json_object_get(doc, "mean"));
		const json_t *counts = json_object_get(json_object_get(doc, "grid"), "counts");
		int k = (int)json_integer_value(
		        json_object_get(json_object_get(doc, "grid"), "per_side"));
		for (int i = 0; k > 0 && i < k * k && (size_t)i < json_array_size(counts); i++) {
			const json_t *c = json_array_get(counts, (size_t)i);
			if (json_is_integer(c) && json_integer_value(c) == 0)
				continue;
			json_t *row = row_new(t, q, qt);
			char a[64];
			snprintf(a, sizeof a, "x %d-%d, y %d-%d", 100 * (i % k) / k,
			         100 * (i % k + 1) / k, 100 * (i / k) / k, 100 * (i / k + 1) / k);
			cell_str(row, COL_ANSWER, a);
			cell_num(row, COL_N, c);
		}
		return;
	}
	const json_t *stones = json_object_get(doc, "stones");
	for (size_t i = 0; i < json_array_size(stones); i++) {
		const json_t *e = json_array_get(stones, i);
		mean_rows(t, q, qt, jstr(e, "id"), label_of(e), json_object_get(e, "placed"),
		          json_object_get(e, "mean"));
	}
}

static void doc_rows(struct req *r, json_t *t, const json_t *doc)
{
	const char *q = jstr(doc, "question"), *qt = jstr(doc, "title");
	if (json_is_true(json_object_get(doc, "too_few"))) {
		json_t *row = row_new(t, q, qt);
		cell_str(row, COL_ATEXT, T(r, "Too few stories to show this."));
		return;
	}
	if (json_object_get(doc, "by")) { /* a cross-table: a row per cell */
		const json_t *rows = json_object_get(doc, "rows"),
		             *cols = json_object_get(doc, "columns");
		const json_t *counts = json_object_get(doc, "counts"),
		             *res = json_object_get(doc, "residuals");
		buf qid;
		buf_init(&qid);
		buf_printf(&qid, "%s x %s", q, jstr(doc, "by"));
		for (size_t i = 0; i < json_array_size(rows); i++)
			for (size_t j = 0; j < json_array_size(cols); j++) {
				const json_t *re = json_array_get(rows, i),
				             *ce = json_array_get(cols, j);
				json_t *row = row_new(t, qid.data, qt);
				buf a;
				buf_init(&a);
				buf_printf(&a, "%s / %s", jstr(re, "id"), jstr(ce, "id"));
				cell_str(row, COL_ANSWER, a.data);
				buf_reset(&a);
				buf_printf(&a, "%s / %s", label_of(re), label_of(ce));
				cell_str(row, COL_ATEXT, a.data);
				buf_free(&a);
				cell_num(row, COL_N, json_array_get(json_array_get(counts, i), j));
				cell_num(row, COL_RES, json_array_get(json_array_get(res, i), j));
			}
		buf_free(&qid);
		return;
	}
	const char *type = jstr(doc, "type");
	if (strcmp(type, "pin") == 0 || strcmp(type, "stones") == 0) {
		points_rows(r, t, doc);
		return;
	}
	if (strcmp(type, "triad") == 0) {
		const json_t *cs = json_object_get(doc, "corners"),
		             *g = json_object_get(doc, "geomean");
		for (size_t k = 0; k < json_array_size(cs); k++) {
			json_t *row = row_new(t, q, qt);
			cell_str(row, COL_ANSWER, jstr(json_array_get(cs, k), "id"));
			cell_str(row, COL_ATEXT, label_of(json_array_get(cs, k)));
			const json_t *w = json_array_get(g, k);
			if (json_is_number(w))
				json_array_set_new(row, COL_PCT,
				                   json_real(100 * json_number_value(w)));
			cell_num(row, COL_N, json_object_get(doc, "n"));
		}
		return;
	}
	if (strcmp(type, "dyad") == 0) {
		const json_t *h = json_object_get(doc, "histogram");
		for (size_t i = 0; i < json_array_size(h); i++) {
			const json_t *e = json_array_get(h, i);
			json_t *row = row_new(t, q, qt);
			char a[64];
			snprintf(a, sizeof a, "%g-%g",
			         json_number_value(json_object_get(e, "from")),
			         json_number_value(json_object_get(e, "to")));
			cell_str(row, COL_ANSWER, a);
			cell_num(row, COL_N, json_object_get(e, "count"));
		}
	} else {
		const json_t *opts = json_object_get(doc, "options");
		for (size_t i = 0; i < json_array_size(opts); i++) {
			const json_t *e = json_array_get(opts, i);
			json_t *row = row_new(t, q, qt);
			cell_str(row, COL_ANSWER, jstr(e, "id"));
			cell_str(row, COL_ATEXT, label_of(e));
			cell_num(row, COL_N, json_object_get(e, "count"));
			cell_num(row, COL_PCT, json_object_get(e, "percent"));
			cell_num(row, COL_LO, json_array_get(json_object_get(e, "ci"), 0));
			cell_num(row, COL_HI, json_array_get(json_object_get(e, "ci"), 1));
		}
	}
	static const char *const figures[] = {"mean", "median"};
	static const char *const names[] = {N_("Mean"), N_("Median")};
	for (int k = 0; k < 2; k++)
		if (json_is_number(json_object_get(doc, figures[k]))) {
			json_t *row = row_new(t, q, qt);
			cell_str(row, COL_ANSWER, figures[k]);
			cell_str(row, COL_ATEXT, T(r, names[k]));
			cell_num(row, COL_N, json_object_get(doc, "n"));
			cell_num(row, COL_VALUE, json_object_get(doc, figures[k]));
		}
}

/* ---- the view ------------------------------------------------------------- */

struct view {
	int64_t id;
	struct collection coll;
	const char *filter; /* canonical */
	const char *q;      /* one question, or NULL */
	json_t *doc;    /* the JSON download: {collection, filter, count, questions, crosstab} */
	json_t *tables; /* [{name, rows}] */
	const char *format; /* for the log */
};

/* Reads the request into v (the figures computed while the index is held).
 * Returns 0, or the status of the error page already made. */
static int view_build(struct req *r, struct view *v, const char *format)
{
	memset(v, 0, sizeof *v);
	v->format = format;
	struct aix_coll *c;
	if (explore_open(r, &v->id, &v->coll, &c))
		return web_error(r, 404, NULL);
	const char *error = NULL;
	roaring_bitmap_t *rows = explore_filter(r, c, req_query(r, "filter"), &v->filter, &error);
	const char *q = req_query(r, "vraag");
	struct aix_question *aq = NULL;
	if (!error && q && *q) {
		aq = aix_question(c, q);
		if (!aq || !explore_charted(aq->q))
			error = T(r, "There is no such question in this collection.");
		else
			v->q = aq->q->id;
	}
	json_t *table = NULL;
	const char *rq = req_query(r, "rij"), *cq = req_query(r, "kolom");
	if (!error && ((rq && *rq) || (cq && *cq)))
		table = explore_crosstab(r, c, rq, cq, v->filter, rows, &error);
	if (error) {
		if (rows)
			roaring_bitmap_free(rows);
		aix_release(c);
		return web_error(r, 400, error);
	}
	struct measure_args a = {.c = c,
	                         .d = req_db(r),
	                         .filter = v->filter,
	                         .rows = rows,
	                         .min_group = r->app->cfg.analysis_min_group};
	json_t *count = NULL;
	char err[512];
	if (measure_count(&a, &count, err, sizeof err) != 0)
		count = json_pack("{s:s}", "error", err);
	json_t *questions = json_array();
	v->tables = json_array();
	json_t *summary = table_new(T(r, "Summary"));
	json_t *row = row_new(summary, "", T(r, "All stories"));
	cell_str(row, COL_ATEXT, *v->filter ? v->filter : T(r, "All stories"));
	if (json_is_integer(json_object_get(count, "n")))
		cell_num(row, COL_N, json_object_get(count, "n"));
	else
		cell_str(row, COL_VALUE, T(r, "Too few stories to show this."));
	json_array_append_new(v->tables, summary);
	/* below the minimum, no question's figures either (as on the page) */
	if (json_is_integer(json_object_get(count, "n")))
		for (int i = 0; i < c->nq; i++) {
			const struct question *qq = c->q[i].q;
			if (!explore_charted(qq) || (v->q && strcmp(v->q, qq->id) != 0))
				continue;
			json_t *doc = explore_measure(r, c, qq, v->filter, rows);
			if (!doc)
				continue;
			json_t *t = table_new(qq->id);
			doc_rows(r, t, doc);
			json_array_append_new(v->tables, t);
			json_array_append_new(questions, doc);
		}
	if (table && json_is_integer(json_object_get(count, "n"))) {
		json_t *t = table_new(T(r, "Cross-table"));
		doc_rows(r, t, table);
		json_array_append_new(v->tables, t);
	}
	v->doc = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "collection", (json_int_t)v->id,
	                   "title", v->coll.title, "filter", v->filter, "count", count, "questions",
	                   questions, "crosstab", table ? table : json_null());
	roaring_bitmap_free(rows);
	aix_release(c);
	return 0;
}

static void view_free(struct view *v)
{
	json_decref(v->doc);
	json_decref(v->tables);
}

/* "verkennen-12-q-steun.csv": letters, digits, - and _ only. */
static void disposition(struct req *r, int64_t id, const char *what, const char *ext)
{
	buf n;
	buf_init(&n);
	buf_printf(&n, "attachment; filename=\"verkennen-%lld-", (long long)id);
	for (const char *p = what; *p && p - what < 60; p++) {
		char ch = *p;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		         (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
		buf_putc(&n, ok ? ch : '-');
	}
	buf_printf(&n, ".%s\"", ext);
	req_set_header(r, "Content-Disposition", arena_strdup(r->a, n.data));
	buf_free(&n);
}

/* ---- the access log ------------------------------------------------------- */

struct logged_export {
	int64_t id;
	char detail[64];
};

static int export_log(db *d, void *ctx)
{
	struct req *r = ctx;
	struct logged_export *l = r->hctx;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)l->id);
	struct audit_entry e = {.actor_user_id = r->sess.user.id,
	                        .actor = r->sess.user.username,
	                        .action = "export",
	                        .object_type = "collection",
	                        .object_id = id,
	                        .origin = r->ip,
	                        .detail = l->detail};
	return audit_append(d, &e);
}

/* The download was made before the entry; it goes out only once the entry
 * is stored. */
static int export_sent(struct req *r)
{
	if (r->write_rc != 0) {
		buf_reset(&r->out);
		r->resp_type = "text/html; charset=utf-8";
		req_set_header(r, "Content-Disposition", "inline");
		return web_error(r, 503, NULL);
	}
	return 200;
}

static int send_logged(struct req *r, int64_t id, const char *detail)
{
	struct logged_export *l = arena_zalloc(r->a, sizeof *l);
	l->id = id;
	snprintf(l->detail, sizeof l->detail, "explorer %s", detail);
	r->hctx = l;
	return req_write(r, export_log, export_sent);
}

/* ---- CSV, XLSX, JSON ------------------------------------------------------ */

int page_explore_export_csv(struct req *r)
{
	struct view v;
	int st = view_build(r, &v, "csv");
	if (st)
		return st;
	buf_reset(&r->out);
	csv c;
	csv_init(&c, &r->out, CSV_BOM);
	for (int i = 0; i < NCOLS; i++)
		csv_text(&c, T(r, col_names[i]));
	csv_end_row(&c);
	size_t i, j, k;
	json_t *t, *row, *cell;
	json_array_foreach(v.tables, i, t)
	{
		json_array_foreach(json_object_get(t, "rows"), j, row)
		{
			json_array_foreach(row, k, cell)
			{
				if (json_is_string(cell))
					csv_text(&c, json_string_value(cell));
				else if (json_is_number(cell))
					csv_num(&c, json_number_value(cell));
				else
					csv_text(&c, NULL);
			}
			csv_end_row(&c);
		}
	}
	r->resp_type = "text/csv; charset=utf-8";
	disposition(r, v.id, v.q ? v.q : "alles", "csv");
	view_free(&v);
	return send_logged(r, v.id, "csv");
}

int page_explore_export_xlsx(struct req *r)
{
	struct view v;
	int st = view_build(r, &v, "xlsx");
	if (st)
		return st;
	xlsx *x = xlsx_new();
	if (!x) {
		view_free(&v);
		return web_error(r, 503, NULL);
	}
	size_t i, j, k;
	json_t *t, *row, *cell;
	json_array_foreach(v.tables, i, t)
	{
		if (xlsx_sheet(x, jstr(t, "name")) != 0)
			break;
		for (int h = 0; h < NCOLS; h++)
			xlsx_head(x, 0, h, T(r, col_names[h]));
		json_array_foreach(json_object_get(t, "rows"), j, row)
		{
			json_array_foreach(row, k, cell)
			{
				if (json_is_string(cell))
					xlsx_text(x, (int)j + 1, (int)k, json_string_value(cell));
				else if (json_is_number(cell))
					xlsx_num(x, (int)j + 1, (int)k, json_number_value(cell));
			}
		}
	}
	buf_reset(&r->out);
	if (xlsx_finish(x, &r->out) != 0) {
		view_free(&v);
		buf_reset(&r->out);
		return web_error(r, 503, NULL);
	}
	r->resp_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	disposition(r, v.id, v.q ? v.q : "alles", "xlsx");
	view_free(&v);
	return send_logged(r, v.id, "xlsx");
}

int page_explore_export_json(struct req *r)
{
	struct view v;
	int st = view_build(r, &v, "json");
	if (st)
		return st;
	char *s = json_dumps(v.doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
	view_free(&v);
	if (!s)
		return web_error(r, 503, NULL);
	buf_reset(&r->out);
	buf_puts(&r->out, s);
	free(s);
	r->resp_type = "application/json";
	disposition(r, v.id, v.q ? v.q : "alles", "json");
	return send_logged(r, v.id, "json");
}

/* ---- charts as SVG and PNG ------------------------------------------------- */

static pthread_once_t svg_once = PTHREAD_ONCE_INIT;
static int svg_state = -1;

/* libvips as image.c starts it (only the JPEG and PNG buffer loaders may
 * run on outside bytes), plus the SVG buffer loader, which here reads only
 * the SVG this file made from its own string literals and escaped texts:
 * image.c never calls a loader that sniffs, so uploads still cannot reach
 * it. */
static void svg_start(void)
{
	if (image_init() != 0)
		return;
	vips_operation_block_set("VipsForeignLoadSvgBuffer", FALSE);
	svg_state = 0;
}

/* The PNG of svg[0..len) at twice its size, appended to out. 0 or -1. */
static int svg_to_png(const char *svg, size_t len, buf *out)
{
	pthread_once(&svg_once, svg_start);
	if (svg_state != 0)
		return -1;
	VipsImage *img = NULL;
	if (vips_svgload_buffer((void *)svg, len, &img, "scale", 2.0, "unlimited", FALSE, NULL) !=
	    0) {
		vips_error_clear();
		return -1;
	}
	void *data = NULL;
	size_t n = 0;
	int rc = vips_pngsave_buffer(img, &data, &n, "strip", TRUE, NULL);
	g_object_unref(img);
	if (rc != 0 || !data) {
		g_free(data);
		vips_error_clear();
		return -1;
	}
	buf_append(out, data, n);
	g_free(data);
	return 0;
}

/* GET /verkennen/{id}/grafiek/{q}.svg and .png */
int page_explore_chart_file(struct req *r)
{
	const char *file = req_param(r, 1);
	size_t fl = file ? strlen(file) : 0;
	int png = fl > 4 && strcmp(file + fl - 4, ".png") == 0;
	if (fl <= 4 || (!png && strcmp(file + fl - 4, ".svg") != 0))
		return web_error(r, 404, NULL);
	char qid[128];
	if (fl - 4 >= sizeof qid)
		return web_error(r, 404, NULL);
	memcpy(qid, file, fl - 4);
	qid[fl - 4] = '\0';

	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	struct aix_question *aq = aix_question(c, qid);
	if (!aq || !explore_charted(aq->q) || aq->q->type == Q_NUMBER) {
		aix_release(c);
		return web_error(r, 404, NULL);
	}
	const char *filter = "", *error = NULL;
	roaring_bitmap_t *rows = explore_filter(r, c, req_query(r, "filter"), &filter, &error);
	if (!rows) {
		aix_release(c);
		return web_error(r, 400, error);
	}
	json_t *doc = explore_measure(r, c, aq->q, filter, rows);
	size_t np = 0;
	double(*pts)[3] = NULL;
	if (doc && aq->q->type == Q_TRIAD) {
		json_t *n = json_object_get(doc, "n");
		if (json_is_integer(n) && json_integer_value(n) <= CHART_POINTS_MAX)
			pts = explore_triad_points(c, aq->q, rows, &np);
	}
	roaring_bitmap_free(rows);
	aix_release(c);
	if (!doc) {
		free(pts);
		return web_error(r, 404, NULL);
	}
	buf svg;
	buf_init(&svg);
	buf_puts(&svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	struct chart_opts o = {.lang = r->lang,
	                       .title = json_string_value(json_object_get(doc, "title")),
	                       .standalone = 1};
	explore_picture(r, aq->q, &o, 1);
	int drawn = chart_draw(&svg, doc, &o, (const double(*)[3])pts, np);
	free(pts);
	json_decref(doc);
	if (!drawn) {
		buf_free(&svg);
		return web_error(r, 422, N_("Too few stories to show this."));
	}
	buf_reset(&r->out);
	if (png) {
		int rc = svg_to_png(svg.data, svg.len, &r->out);
		buf_free(&svg);
		if (rc != 0) {
			buf_reset(&r->out);
			return web_error(r, 503, NULL);
		}
		r->resp_type = "image/png";
	} else {
		buf_append(&r->out, svg.data, svg.len);
		buf_free(&svg);
		r->resp_type = "image/svg+xml";
	}
	disposition(r, id, qid, png ? "png" : "svg");
	return send_logged(r, id, png ? "png" : "svg");
}
