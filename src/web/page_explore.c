/* page_explore.c: the explorer (/verkennen/{id}): a collection's stories as a chart per question, narrowed by a filter that lives in the URL. */
#include "web/pages.h"

#include "analysis/filter.h"
#include "analysis/index.h"
#include "analysis/measures.h"
#include "analysis/themes_measure.h"
#include "core/util.h"
#include "http/server.h"
#include "model/collection.h"
#include "model/script.h"
#include "web/chart.h"
#include "web/explore.h"
#include "web/html.h"
#include "web/i18n.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_MAX EXPLORE_FILTER_MAX

/* ---- links ------------------------------------------------------------------ */

/* s percent-encoded for a query value (unreserved characters stay). */
static void query_encode(buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			buf_putc(out, (char)*p);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[*p >> 4]);
			buf_putc(out, hex[*p & 15]);
		}
	}
}

/* The explorer's URL for collection id with filter text (NULL or "": all
 * stories), a cross-table of questions rows x cols (NULL: none) and an
 * anchor (or NULL). In the arena. */
static const char *explore_url(struct req *r, int64_t id, const char *filter, const char *rows,
                               const char *cols, const char *anchor)
{
	int table = rows && *rows && cols && *cols;
	const char *url =
	        explore_link(r, id, NULL, filter, NULL, table ? rows : NULL, table ? cols : NULL);
	if (!anchor)
		return url;
	buf u;
	buf_init(&u);
	buf_puts(&u, url);
	buf_putc(&u, '#');
	query_encode(&u, anchor);
	const char *s = arena_strdup(r->a, u.data);
	buf_free(&u);
	return s;
}

/* The explorer's URL for collection id with filter (see pages.h). */
const char *explore_href(struct req *r, int64_t id, const char *filter)
{
	return explore_url(r, id, filter, NULL, NULL, NULL);
}

const char *explore_link(struct req *r, int64_t id, const char *page, const char *filter,
                         const char *q, const char *rows, const char *cols)
{
	buf u;
	buf_init(&u);
	buf_printf(&u, "/verkennen/%lld", (long long)id);
	if (page && *page) {
		buf_putc(&u, '/');
		buf_puts(&u, page);
	}
	const char *names[] = {"filter", "vraag", "rij", "kolom"};
	const char *values[] = {filter, q, rows, cols};
	char sep = '?';
	for (int i = 0; i < 4; i++) {
		if (!values[i] || !*values[i])
			continue;
		buf_putc(&u, sep);
		buf_puts(&u, names[i]);
		buf_putc(&u, '=');
		query_encode(&u, values[i]);
		sep = '&';
	}
	const char *s = arena_strdup(r->a, u.data);
	buf_free(&u);
	return s;
}

/* filter and cond together in the filter's canonical form (in the arena),
 * or NULL when that does not parse. */
static const char *combined(struct req *r, struct aix_coll *c, const char *filter, const char *cond)
{
	buf t;
	buf_init(&t);
	if (filter && *filter)
		buf_printf(&t, "(%s) and %s", filter, cond);
	else
		buf_puts(&t, cond);
	char err[256];
	struct filter *f = filter_parse(t.data, c, err, sizeof err);
	const char *out = NULL;
	if (f) {
		buf canon;
		buf_init(&canon);
		filter_print(f, &canon);
		out = arena_strdup(r->a, canon.data);
		buf_free(&canon);
		filter_free(f);
	}
	buf_free(&t);
	return out;
}

const char *explore_stories_link(struct req *r, struct aix_coll *c, const char *filter,
                                 const char *cond)
{
	const char *f = combined(r, c, filter, cond);
	return f ? explore_link(r, c->id, "verhalen", f, NULL, NULL, NULL) : NULL;
}

int explore_open(struct req *r, int64_t *id, struct collection *coll, struct aix_coll **c)
{
	*c = NULL;
	if (util_parse_id(req_param(r, 0), id))
		return 404;
	if (collection_by_id(req_db(r), r->app->org_id, *id, coll) != DB_ROW)
		return 404;
	aix *x = r->app->index;
	*c = x ? aix_acquire(x, r->app->org_id, *id) : NULL;
	if (*c) /* the themes another instance computed since (the themes question) */
		themes_sync(req_db(r), *c);
	return *c ? 0 : 404;
}

roaring_bitmap_t *explore_filter(struct req *r, struct aix_coll *c, const char *raw,
                                 const char **canon, const char **error)
{
	*canon = "";
	*error = NULL;
	if (!raw)
		raw = "";
	if (strlen(raw) > FILTER_MAX) {
		*error = T(r, "The filter is too long.");
		return NULL;
	}
	char err[512];
	struct filter *f = filter_parse(raw, c, err, sizeof err);
	if (!f) {
		*error = arena_strdup(r->a, err);
		return NULL;
	}
	buf t;
	buf_init(&t);
	buf_append(&t, "", 0);
	filter_print(f, &t);
	*canon = arena_strdup(r->a, t.data);
	buf_free(&t);
	roaring_bitmap_t *rows = filter_eval(f, c, req_db(r), err, sizeof err);
	filter_free(f);
	if (!rows)
		*error = arena_strdup(r->a, err);
	return rows;
}

struct link_ctx {
	struct req *r;
	struct aix_coll *c;
	const char *filter;      /* the canonical current filter, "" for none */
	const char *rows, *cols; /* the cross-table shown (NULL: none) */
	const char *anchor;
};

/* A chart mark's link: the current filter and the mark's condition, in
 * the filter's canonical form (so repeated clicks give a flat "a and b and
 * c", and equal views equal URLs). */
static const char *mark_href(void *ctx, const char *cond)
{
	struct link_ctx *l = ctx;
	const char *f = combined(l->r, l->c, l->filter, cond);
	return f ? explore_url(l->r, l->c->id, f, l->rows, l->cols, l->anchor) : NULL;
}

/* A mark's stories (/verkennen/{id}/verhalen) with the same filter. */
static const char *mark_stories(void *ctx, const char *cond)
{
	struct link_ctx *l = ctx;
	return explore_stories_link(l->r, l->c, l->filter, cond);
}

/* The view's downloads: the figures as CSV, XLSX and JSON (the stories'
 * figures, never their texts), for one question (q) or the whole page. */
static void downloads(struct req *r, int64_t id, const char *filter, const char *q,
                      const char *rows, const char *cols, const char *label)
{
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph vp-explore-downloads\"><span>");
	html_text(b, label);
	html_lit(b, "</span> ");
	static const char *const pages[] = {"export.csv", "export.xlsx", "export.json"};
	static const char *const names[] = {"CSV", "Excel (XLSX)", "JSON"};
	for (int i = 0; i < 3; i++) {
		html_lit(b, "<a class=\"utrecht-link vp-explore-download\" download href=\"");
		html_url(b, explore_link(r, id, pages[i], filter, q, rows, cols));
		html_lit(b, "\">");
		html_text(b, names[i]);
		html_lit(b, "</a> ");
	}
	html_lit(b, "</p>");
}

/* The chart of question q as a picture: SVG and PNG. */
static void chart_downloads(struct req *r, int64_t id, const char *filter, const char *q)
{
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph vp-explore-downloads\"><span>");
	html_text(b, T(r, "Download this chart:"));
	html_lit(b, "</span> ");
	static const char *const ext[] = {".svg", ".png"};
	static const char *const names[] = {"SVG", "PNG"};
	for (int i = 0; i < 2; i++) {
		buf p;
		buf_init(&p);
		buf_puts(&p, "grafiek/");
		query_encode(&p, q);
		buf_puts(&p, ext[i]);
		html_lit(b, "<a class=\"utrecht-link vp-explore-download\" download href=\"");
		html_url(b, explore_link(r, id, p.data, filter, NULL, NULL, NULL));
		buf_free(&p);
		html_lit(b, "\">");
		html_text(b, names[i]);
		html_lit(b, "</a> ");
	}
	html_lit(b, "</p>");
}

/* ---- pieces ----------------------------------------------------------------- */

static const char *channel_label(struct req *r, const char *name)
{
	if (strcmp(name, "web") == 0)
		return T(r, "Online");
	if (strcmp(name, "kiosk") == 0)
		return T(r, "Kiosk");
	if (strcmp(name, "face-to-face") == 0)
		return T(r, "Face to face");
	if (strcmp(name, "phone") == 0)
		return T(r, "By phone");
	if (strcmp(name, "paper") == 0)
		return T(r, "On paper");
	if (strcmp(name, "import") == 0)
		return T(r, "Imported");
	return name;
}

/* The document's texts in the interface language: the engine writes the
 * Dutch ones; the script has both. */
static void localise(json_t *doc, const struct question *q, const char *lang)
{
	json_object_set_new(doc, "title", json_string(ltext_get(&q->text, lang)));
	const char *key = q->type == Q_TRIAD ? "corners" : "options";
	json_t *arr = json_object_get(doc, key);
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e)
	{
		const char *id = json_string_value(json_object_get(e, "id"));
		if (!id)
			continue;
		if (q->type == Q_SCALE) {
			const struct ltext *t = i == 0                       ? &q->low
			                        : i + 1 == (size_t)q->points ? &q->high
			                                                     : NULL;
			if (t)
				json_object_set_new(e, "label", json_string(ltext_get(t, lang)));
			continue;
		}
		for (int k = 0; k < q->noptions; k++)
			if (strcmp(q->options[k].id, id) == 0)
				json_object_set_new(
				        e, "label",
				        json_string(ltext_get(&q->options[k].label, lang)));
		if (strcmp(id, "other") == 0 && q->other.n)
			json_object_set_new(e, "label", json_string(ltext_get(&q->other, lang)));
	}
}

int explore_charted(const struct question *q)
{
	return q->type == Q_TRIAD || q->type == Q_DYAD || q->type == Q_SCALE ||
	       q->type == Q_CHOICE || q->type == Q_MULTI || q->type == Q_NUMBER ||
	       (q->type == Q_STORY && q->noptions > 1) || q->type == Q_PIN || q->type == Q_STONES;
}

/* The weights of every answer of a triad within rows, when there are few
 * enough to draw as points (else NULL). Frees with free(). */
double (*explore_triad_points(struct aix_coll *c, const struct question *q,
                              const roaring_bitmap_t *selected, size_t *n))[3]
{
	*n = 0;
	struct aix_question *aq = aix_question(c, q->id);
	if (!aq || !selected)
		return NULL;
	roaring_bitmap_t *rows = roaring_bitmap_and(selected, aq->answered);
	uint64_t m = roaring_bitmap_get_cardinality(rows);
	double(*pts)[3] = NULL;
	if (m > 0 && m <= CHART_POINTS_MAX) {
		uint32_t *row = calloc((size_t)m, sizeof *row);
		pts = calloc((size_t)m, sizeof *pts);
		if (!pts || !row)
			abort();
		roaring_bitmap_to_uint32_array(rows, row);
		for (uint64_t i = 0; i < m; i++)
			if (aix_triad(aq, row[i], pts[*n]) == 0)
				(*n)++;
		free(row);
	}
	roaring_bitmap_free(rows);
	return pts;
}

/* Questions a cross-table can have as rows or columns. */
int explore_categorical(const struct question *q)
{
	return q->type == Q_CHOICE || q->type == Q_MULTI || q->type == Q_SCALE ||
	       (q->type == Q_STORY && q->noptions > 1);
}

/* Whether id can be a row or column of the cross-table: a categorical
 * question of the script, or the themes as a question once computed
 * (analysis/themes_measure.h). */
static int table_question(struct aix_coll *c, const char *id)
{
	if (!id || !*id)
		return 0;
	struct aix_question *aq = aix_question(c, id);
	if (aq)
		return explore_categorical(aq->q);
	return strcmp(id, THEMES_QUESTION) == 0 && themes_version(c) != 0;
}

/* A select of the categorical questions (and "none"), for the cross-table. */
static void question_select(struct req *r, struct aix_coll *c, const char *name, const char *label,
                            const char *value, int invalid)
{
	buf *b = &r->out;
	html_lit(b,
	         "<div class=\"utrecht-form-field utrecht-form-field--select\"><div "
	         "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" for=\"");
	html_attr(b, name);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><select "
	            "class=\"utrecht-select utrecht-select--html-select\" id=\"");
	html_attr(b, name);
	html_lit(b, "\" name=\"");
	html_attr(b, name);
	html_lit(b, "\"");
	if (invalid)
		html_lit(b, " aria-invalid=\"true\" aria-describedby=\"filter-error\"");
	html_lit(b, "><option value=\"\">");
	html_text(b, T(r, "(none)"));
	html_lit(b, "</option>");
	for (int i = 0; i < c->nq; i++) {
		const struct question *q = c->q[i].q;
		if (!explore_categorical(q))
			continue;
		html_lit(b, "<option value=\"");
		html_attr(b, q->id);
		html_lit(b, "\"");
		if (value && strcmp(value, q->id) == 0)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_text(b, ltext_get(&q->text, r->lang));
		html_lit(b, "</option>");
	}
	if (!aix_question(c, THEMES_QUESTION) && themes_version(c)) {
		/* the themes, once computed, as a question of their own */
		html_lit(b, "<option value=\"" THEMES_QUESTION "\"");
		if (value && strcmp(value, THEMES_QUESTION) == 0)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_text(b, T(r, "Themes"));
		html_lit(b, "</option>");
	}
	html_lit(b, "</select></div></div>");
}

static void filter_form(struct req *r, struct aix_coll *c, int64_t id, const char *value,
                        const char *rows, const char *cols, const char *error, int table_error)
{
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-form vp-explore-filter\" method=\"get\" role=\"search\" "
	            "action=\"");
	html_url(b, explore_url(r, id, NULL, NULL, NULL, NULL));
	html_lit(b, "\"><div class=\"utrecht-form-field utrecht-form-field--text");
	if (error && !table_error)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b,
	         "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	         "for=\"filter\">");
	html_text(b, T(r, "Filter"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__description\" "
	            "id=\"filter-help\">");
	html_text(b, T(r, "Leave empty for all stories. For example: q-wijk = centrum and "
	                  "q-geholpen >= 50. Or click a bar in a chart."));
	html_lit(b, "</div>");
	if (error && !table_error) {
		html_lit(b, "<div class=\"utrecht-form-field-error-message\" id=\"filter-error\">");
		html_text(b, error);
		html_lit(b, "</div>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox "
	            "utrecht-textbox--html-input vp-explore-filter__input\" id=\"filter\" "
	            "name=\"filter\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\" "
	            "maxlength=\"2000\"");
	if (error && !table_error)
		html_lit(b, " aria-invalid=\"true\" aria-describedby=\"filter-error filter-help\"");
	else
		html_lit(b, " aria-describedby=\"filter-help\"");
	html_lit(b, " value=\"");
	html_attr(b, value ? value : "");
	html_lit(b, "\"></div></div>");
	/* a cross-table of two questions, shown as a heat-map */
	html_lit(b, "<fieldset class=\"utrecht-form-fieldset vp-explore-table-choice\"><legend "
	            "class=\"utrecht-form-fieldset__legend\">");
	html_text(b, T(r, "Cross-table (optional)"));
	html_lit(b, "</legend>");
	if (table_error) {
		html_lit(b, "<div class=\"utrecht-form-field-error-message\" id=\"filter-error\">");
		html_text(b, error);
		html_lit(b, "</div>");
	}
	question_select(r, c, "rij", T(r, "Rows"), rows, table_error);
	question_select(r, c, "kolom", T(r, "Columns"), cols, table_error);
	html_lit(b, "</fieldset><div class=\"utrecht-button-group\"><button "
	            "class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Show"));
	html_lit(b, "</button>");
	if (value && *value) {
		html_lit(b, "<a class=\"utrecht-link vp-explore-clear\" href=\"");
		html_url(b, explore_url(r, id, NULL, NULL, NULL, NULL));
		html_lit(b, "\">");
		html_text(b, T(r, "Show all stories"));
		html_lit(b, "</a>");
	}
	html_lit(b, "</div></form>");
}

static void error_summary(struct req *r, const char *message, int table_error)
{
	page_error_summary(r, table_error ? "rij" : "filter",
	                   table_error ? T(r, "Cross-table") : T(r, "Filter"), message);
}

/* The count of stories and per channel. */
static void count_section(struct req *r, const json_t *doc)
{
	buf *b = &r->out;
	html_lit(b, "<section class=\"vp-explore-count\" aria-labelledby=\"aantal\"><h2 "
	            "class=\"utrecht-heading-2\" id=\"aantal\">");
	html_text(b, T(r, "Stories"));
	html_lit(b, "</h2>");
	const json_t *n = json_object_get(doc, "n");
	if (!json_is_integer(n)) {
		chart_too_few(b, r->lang);
		html_lit(b, "</section>");
		return;
	}
	html_lit(b, "<p class=\"utrecht-paragraph\"><strong class=\"vp-explore-n\" "
	            "id=\"verhalen-aantal\">");
	html_int(b, json_integer_value(n));
	html_lit(b, "</strong> ");
	html_text(b, T(r, "stories match the filter."));
	html_lit(b, "</p><dl class=\"vp-facts vp-explore-channels\">");
	const char *name;
	json_t *v;
	json_object_foreach((json_t *)json_object_get(doc, "by_channel"), name, v)
	{
		html_lit(b, "<dt>");
		html_text(b, channel_label(r, name));
		html_lit(b, "</dt><dd>");
		if (json_is_integer(v))
			html_int(b, json_integer_value(v));
		else
			html_text(b, T(r, "too few"));
		html_lit(b, "</dd>");
	}
	html_lit(b, "</dl></section>");
}

/* One question: its heading, chart and the figures under it. */
static void question_section(struct req *r, struct aix_coll *c, const struct question *q,
                             const char *filter, const roaring_bitmap_t *selected, const char *rows,
                             const char *cols, int min_group)
{
	buf *b = &r->out;
	json_t *doc = explore_measure(r, c, q, filter, selected);
	if (!doc)
		return; /* a question the engine has no measure for */
	const char *title = ltext_get(&q->text, r->lang);
	char anchor[120];
	snprintf(anchor, sizeof anchor, "v-%.100s", q->id);
	html_lit(b, "<section class=\"vp-explore-q\" id=\"");
	html_attr(b, anchor);
	html_lit(b, "\"><h2 class=\"utrecht-heading-2\">");
	html_text(b, title);
	html_lit(b, "</h2><figure class=\"vp-chart\">");
	struct link_ctx l = {.r = r,
	                     .c = c,
	                     .filter = filter ? filter : "",
	                     .rows = rows,
	                     .cols = cols,
	                     .anchor = anchor};
	struct chart_opts o = {.lang = r->lang,
	                       .title = title,
	                       .href = mark_href,
	                       .stories = mark_stories,
	                       .ctx = &l};
	explore_picture(r, q, &o, 0);
	size_t np = 0;
	double(*pts)[3] = NULL;
	if (q->type == Q_TRIAD) {
		json_t *n = json_object_get(doc, "n");
		if (json_is_integer(n) && json_integer_value(n) <= CHART_POINTS_MAX)
			pts = explore_triad_points(c, q, selected, &np);
	}
	int drawn = chart_draw(b, doc, &o, (const double(*)[3])pts, np);
	free(pts);
	html_lit(b, "</figure>");
	if (drawn || (q->type == Q_NUMBER && !json_is_true(json_object_get(doc, "too_few")))) {
		html_lit(b, "<details class=\"vp-explore-figures\"><summary>");
		html_text(b, T(r, "Show the figures"));
		html_lit(b, "</summary>");
		chart_table_linked(b, doc, &o);
		html_lit(b, "</details>");
		if (drawn)
			chart_downloads(r, c->id, filter, q->id);
		downloads(r, c->id, filter, q->id, NULL, NULL, T(r, "Download these figures:"));
	}
	html_lit(b, "</section>");
	json_decref(doc);
}

json_t *explore_measure(struct req *r, struct aix_coll *c, const struct question *q,
                        const char *filter, const roaring_bitmap_t *rows)
{
	struct measure_args a = {.c = c,
	                         .d = req_db(r),
	                         .filter = filter,
	                         .rows = rows,
	                         .q = q->id,
	                         .min_group = r->app->cfg.analysis_min_group};
	json_t *doc = NULL;
	char err[512];
	int st = q->type == Q_TRIAD ? measure_triad(&a, &doc, err, sizeof err)
	                            : measure_distribution(&a, &doc, err, sizeof err);
	if (st != 0 || !doc) {
		json_decref(doc);
		return NULL;
	}
	localise(doc, q, r->lang);
	explore_points_localise(doc, q, r->lang);
	return doc;
}

/* The labels of a cross-table in the interface language and its title. */
static void localise_crosstab(struct req *r, struct aix_coll *c, json_t *doc, const char *rows,
                              const char *cols)
{
	/* the themes (no question of the script) keep their words */
	struct aix_question *a1 = aix_question(c, rows), *a2 = aix_question(c, cols);
	const struct question *q1 = a1 ? a1->q : NULL, *q2 = a2 ? a2->q : NULL;
	json_t *rl = json_object_get(doc, "rows"), *cl = json_object_get(doc, "columns");
	/* localise() works on "options": lend it each list in turn */
	json_object_set(doc, "options", rl);
	if (q1)
		localise(doc, q1, r->lang);
	json_object_set(doc, "options", cl);
	if (q2)
		localise(doc, q2, r->lang);
	json_object_del(doc, "options");
	json_object_del(doc, "title");
	buf title;
	buf_init(&title);
	buf_puts(&title, q1 ? ltext_get(&q1->text, r->lang) : T(r, "Themes"));
	buf_puts(&title, " \u00d7 ");
	buf_puts(&title, q2 ? ltext_get(&q2->text, r->lang) : T(r, "Themes"));
	json_object_set_new(doc, "title", json_string(title.data));
	buf_free(&title);
}

json_t *explore_crosstab(struct req *r, struct aix_coll *c, const char *q1, const char *q2,
                         const char *filter, const roaring_bitmap_t *rows, const char **error)
{
	*error = NULL;
	if (!table_question(c, q1) || !table_question(c, q2)) {
		*error = T(r, "Choose two questions for the cross-table: one for the rows and "
		              "one for the columns.");
		return NULL;
	}
	struct measure_args a = {.c = c,
	                         .d = req_db(r),
	                         .filter = filter,
	                         .rows = rows,
	                         .q = q1,
	                         .q2 = q2,
	                         .min_group = r->app->cfg.analysis_min_group};
	char err[512];
	json_t *doc = NULL;
	if (measure_crosstab(&a, &doc, err, sizeof err) != 0) {
		json_decref(doc);
		*error = arena_strdup(r->a, err);
		return NULL;
	}
	localise_crosstab(r, c, doc, q1, q2);
	return doc;
}

/* The cross-table doc as a heat-map with its figures; the labels in the
 * interface language. */
static void crosstab_section(struct req *r, struct aix_coll *c, json_t *doc, const char *filter,
                             const char *rows, const char *cols)
{
	buf *b = &r->out;
	localise_crosstab(r, c, doc, rows, cols);
	buf title;
	buf_init(&title);
	buf_puts(&title, json_string_value(json_object_get(doc, "title")));
	html_lit(b, "<section class=\"vp-explore-q vp-explore-crosstab\" id=\"kruistabel\"><h2 "
	            "class=\"utrecht-heading-2\">");
	html_text(b, title.data);
	html_lit(b, "</h2><figure class=\"vp-chart vp-chart--wide\"><div class=\"vp-chart-scroll\" "
	            "tabindex=\"0\" role=\"region\" aria-label=\"");
	html_attr(b, title.data);
	html_lit(b, "\">");
	struct link_ctx l = {.r = r,
	                     .c = c,
	                     .filter = filter,
	                     .rows = rows,
	                     .cols = cols,
	                     .anchor = "kruistabel"};
	struct chart_opts o = {.lang = r->lang,
	                       .title = title.data,
	                       .href = mark_href,
	                       .stories = mark_stories,
	                       .ctx = &l};
	int drawn = chart_draw(b, doc, &o, NULL, 0);
	html_lit(b, "</div></figure>");
	if (drawn) {
		html_lit(b, "<details class=\"vp-explore-figures\"><summary>");
		html_text(b, T(r, "Show the figures"));
		html_lit(b, "</summary>");
		chart_table_linked(b, doc, &o);
		html_lit(b, "</details>");
		downloads(r, c->id, filter, NULL, rows, cols, T(r, "Download this cross-table:"));
	}
	html_lit(b, "</section>");
	buf_free(&title);
}

/* ---- the page ----------------------------------------------------------------- */

/* GET /verkennen/{id}[?filter=...] */
int page_explore(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);

	const char *raw = req_query(r, "filter");
	if (!raw)
		raw = "";
	const char *error = NULL;
	buf canon;
	buf_init(&canon);
	buf_append(&canon, "", 0);
	if (strlen(raw) > FILTER_MAX) {
		error = T(r, "The filter is too long.");
	} else if (*raw) {
		char err[512];
		struct filter *f = filter_parse(raw, c, err, sizeof err);
		if (!f) {
			error = arena_strdup(r->a, err);
		} else {
			filter_print(f, &canon);
			filter_free(f);
		}
	}
	int min = r->app->cfg.analysis_min_group;
	json_t *count = NULL, *table = NULL;
	/* the filter is evaluated once; every measure on this page takes its rows */
	roaring_bitmap_t *selected = NULL;
	if (!error) {
		char err[512];
		struct filter *f = filter_parse(canon.data, c, err, sizeof err);
		selected = f ? filter_eval(f, c, req_db(r), err, sizeof err) : NULL;
		filter_free(f);
		if (!selected)
			error = arena_strdup(r->a, err);
	}
	if (!error) {
		struct measure_args a = {.c = c,
		                         .d = req_db(r),
		                         .filter = canon.data,
		                         .rows = selected,
		                         .min_group = min};
		char err[512];
		if (measure_count(&a, &count, err, sizeof err) != 0)
			error = arena_strdup(r->a, err);
	}
	/* the cross-table: both questions, categorical ones of this script */
	const char *rows = req_query(r, "rij"), *cols = req_query(r, "kolom");
	int table_error = 0;
	if (!error && ((rows && *rows) || (cols && *cols))) {
		if (!table_question(c, rows) || !table_question(c, cols)) {
			error = T(r,
			          "Choose two questions for the cross-table: one for the rows and "
			          "one for the columns.");
			table_error = 1;
		} else {
			struct measure_args a = {.c = c,
			                         .d = req_db(r),
			                         .filter = canon.data,
			                         .rows = selected,
			                         .q = rows,
			                         .q2 = cols,
			                         .min_group = min};
			char err[512];
			if (measure_crosstab(&a, &table, err, sizeof err) != 0) {
				error = arena_strdup(r->a, err);
				table_error = 1;
			}
		}
	}
	if (!table)
		rows = cols = NULL;

	buf title;
	buf_init(&title);
	buf_puts(&title, T(r, "Explore"));
	buf_puts(&title, ": ");
	buf_puts(&title, coll.title);
	if (error) { /* the page title says so first (WCAG 3.3.1) */
		buf et;
		buf_init(&et);
		buf_puts(&et, T(r, "Error"));
		buf_puts(&et, ": ");
		buf_puts(&et, title.data);
		page_begin(r, arena_strdup(r->a, et.data));
		buf_free(&et);
	} else {
		page_begin(r, title.data);
	}
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	{
		char back[64];
		snprintf(back, sizeof back, "/verzamelingen/%lld", (long long)id);
		html_url(b, back);
	}
	html_lit(b, "\">");
	html_text(b, coll.title);
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, title.data);
	html_lit(b, "</h1>");
	buf_free(&title);
	/* the overview first, then people over time, client and consultant
	 * (page_overview.c, page_explore_people.c) */
	html_lit(b, "<ul class=\"utrecht-unordered-list vp-explore-more vp-explore-overview\">"
	            "<li><a class=\"utrecht-link\" href=\"");
	html_url(b, explore_link(r, id, "overzicht", NULL, NULL, NULL, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Overview"));
	html_lit(b, "</a></li><li><a class=\"utrecht-link\" href=\"");
	html_url(b, explore_link(r, id, "mensen", NULL, NULL, NULL, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "People over time"));
	html_lit(b, "</a></li><li><a class=\"utrecht-link\" href=\"");
	html_url(b, explore_link(r, id, "perspectieven", NULL, NULL, NULL, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Client and consultant"));
	html_lit(b, "</a></li><li><a class=\"utrecht-link\" href=\"");
	html_url(b,
	         explore_link(r, id, "themas", NULL, NULL, NULL, NULL)); /* page_explore_themes.c */
	html_lit(b, "\">");
	html_text(b, T(r, "Themes"));
	html_lit(b, "</a></li></ul>");
	{ /* the pattern finder and the comparison (page_explore_patterns.c) */
		char more[80];
		html_lit(b, "<ul class=\"utrecht-unordered-list vp-explore-more\"><li><a "
		            "class=\"utrecht-link\" href=\"");
		snprintf(more, sizeof more, "/verkennen/%lld/patronen", (long long)id);
		html_url(b, more);
		html_lit(b, "\">");
		html_text(b, T(r, "Find patterns"));
		html_lit(b, "</a></li><li><a class=\"utrecht-link\" href=\"");
		snprintf(more, sizeof more, "/verkennen/%lld/vergelijken", (long long)id);
		html_url(b, more);
		html_lit(b, "\">");
		html_text(b, T(r, "Compare two groups"));
		html_lit(b, "</a></li></ul>");
	}
	if (error)
		error_summary(r, error, table_error);
	filter_form(r, c, id, error && !table_error ? raw : canon.data, req_query(r, "rij"),
	            req_query(r, "kolom"), error, table_error);
	if (!error) {
		count_section(r, count);
		if (json_is_integer(json_object_get(count, "n"))) {
			html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link "
			            "vp-explore-read\" href=\"");
			html_url(b, explore_link(r, id, "verhalen", canon.data, NULL, NULL, NULL));
			html_lit(b, "\">");
			html_text(b, T(r, "Read these stories"));
			html_lit(b,
			         "</a> \u00b7 <a class=\"utrecht-link vp-explore-cards\" href=\"");
			html_url(b, explore_link(r, id, "verhalen/kaarten", canon.data, NULL, NULL,
			                         NULL));
			html_lit(b, "\">");
			html_text(b, T(r, "Print story cards"));
			html_lit(b, "</a></p>");
			/* keyness (page_explore_words.c) */
			html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link "
			            "vp-explore-words\" href=\"");
			html_url(b, explore_link(r, id, "woorden", canon.data, NULL, NULL, NULL));
			html_lit(b, "\">");
			html_text(b, T(r, "Words these stories use more than the others"));
			html_lit(b, "</a></p>");
			downloads(r, id, canon.data, NULL, rows, cols,
			          T(r, "Download all figures of this view:"));
		}
		if (table)
			crosstab_section(r, c, table, canon.data, rows, cols);
		if (json_is_integer(json_object_get(count, "n")))
			for (int i = 0; i < c->nq; i++)
				if (explore_charted(c->q[i].q))
					question_section(r, c, c->q[i].q, canon.data, selected,
					                 rows, cols, min);
	}
	if (selected)
		roaring_bitmap_free(selected);
	aix_release(c);
	json_decref(count);
	json_decref(table);
	buf_free(&canon);
	page_end(r);
	return error ? 400 : 200;
}

/* filter and cond together, for the overview and report pages (explore.h). */
const char *explore_combined(struct req *r, struct aix_coll *c, const char *filter,
                             const char *cond)
{
	return combined(r, c, filter, cond);
}
