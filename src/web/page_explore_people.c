/* page_explore_people.c: the explorer's people over time (/verkennen/{id}/mensen) and client against consultant (/verkennen/{id}/perspectieven, with the stories where they differ most). */
#include "web/pages.h"

#include "analysis/index.h"
#include "analysis/measures.h"
#include "core/clock.h"
#include "core/util.h"
#include "http/server.h"
#include "model/collection.h"
#include "model/script.h"
#include "model/story_read.h"
#include "web/chart.h"
#include "web/chart_people.h"
#include "web/explore.h"
#include "web/html.h"
#include "web/i18n.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* People the slope chart draws at most (the figures table lists them too). */
#define PEOPLE_DRAWN 100
/* Stories where client and consultant differ most, listed and shown. */
#define DIFFER_LISTED 10

/* Questions whose answers can be followed or paired: a number on a line
 * or a point in a triangle. */
static int paired_type(const struct question *q)
{
	return q->type == Q_DYAD || q->type == Q_SCALE || q->type == Q_NUMBER || q->type == Q_TRIAD;
}

/* ---- pieces both pages share ------------------------------------------------ */

static double jnum(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* "p < 0.001" or "p = 0.04" in words of the interface language. */
static void p_words(struct req *r, buf *out, double p)
{
	char f[32];
	if (p < 0.001) {
		buf_puts(out, "p < ");
		buf_puts(out, chart_number(f, 0.001, 3, r->lang));
	} else {
		buf_puts(out, "p = ");
		buf_puts(out, chart_number(f, p, 3, r->lang));
	}
}

static void chance_words(struct req *r, buf *out, double p)
{
	buf_puts(out, " ");
	buf_puts(out, p < 0.05 ? T(r, "This is probably not chance.")
	                       : T(r, "This may well be chance."));
}

/* The range an answer of q can take: a dyad 0..100, a scale 1..points; a
 * number from the values seen (vals, n). */
static void answer_range(const struct question *q, const double *vals, size_t n, double *lo,
                         double *hi)
{
	if (q->type == Q_DYAD) {
		*lo = 0;
		*hi = 100;
	} else if (q->type == Q_SCALE) {
		*lo = 1;
		*hi = q->points > 1 ? q->points : 5;
	} else {
		*lo = INFINITY;
		*hi = -INFINITY;
		for (size_t i = 0; i < n; i++) {
			if (vals[i] < *lo)
				*lo = vals[i];
			if (vals[i] > *hi)
				*hi = vals[i];
		}
		if (!(*lo < *hi)) {
			*lo = isfinite(*lo) ? *lo - 1 : 0;
			*hi = *lo + 2;
		}
	}
}

/* A triad's weights in words: "Eigen kracht 40%, Netwerk 30%, ...". */
static void triad_words(struct req *r, const struct question *q, const json_t *w, buf *out)
{
	char f[32];
	for (size_t k = 0; k < 3; k++) {
		if (k)
			buf_puts(out, ", ");
		buf_puts(out,
		         k < (size_t)q->noptions ? ltext_get(&q->options[k].label, r->lang) : "");
		buf_puts(out, " ");
		buf_puts(out, chart_number(f, 100 * json_number_value(json_array_get(w, k)), 0,
		                           r->lang));
		buf_puts(out, "%");
	}
}

static void corner_names(struct req *r, const struct question *q, const char *c[3])
{
	for (int k = 0; k < 3; k++)
		c[k] = k < q->noptions ? ltext_get(&q->options[k].label, r->lang) : "";
}

/* The form: the question (of those keep() lets through) and the filter. */
static void question_form(struct req *r, struct aix_coll *c, int64_t id, const char *page,
                          int (*keep)(const struct question *), const char *chosen,
                          const char *filter, const char *error, int q_error)
{
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-form vp-explore-filter\" method=\"get\" action=\"");
	html_url(b, explore_link(r, id, page, NULL, NULL, NULL, NULL));
	html_lit(b, "\"><div class=\"utrecht-form-field utrecht-form-field--select");
	if (q_error)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b,
	         "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	         "for=\"vraag\">");
	html_text(b, T(r, "Question"));
	html_lit(b, "</label></div>");
	if (q_error) {
		html_lit(b, "<div class=\"utrecht-form-field-error-message\" id=\"vraag-error\">");
		html_text(b, error);
		html_lit(b, "</div>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\"><select class=\"utrecht-select "
	            "utrecht-select--html-select\" id=\"vraag\" name=\"vraag\"");
	if (q_error)
		html_lit(b, " aria-invalid=\"true\" aria-describedby=\"vraag-error\"");
	html_lit(b, ">");
	for (int i = 0; i < c->nq; i++) {
		const struct question *q = c->q[i].q;
		if (!keep(q))
			continue;
		html_lit(b, "<option value=\"");
		html_attr(b, q->id);
		html_lit(b, "\"");
		if (chosen && strcmp(chosen, q->id) == 0)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_text(b, ltext_get(&q->text, r->lang));
		html_lit(b, "</option>");
	}
	html_lit(b, "</select></div></div>");
	explore_text_field(r, "filter", T(r, "Only among (optional filter)"),
	                   T(r, "Leave empty for all stories. For example: q-wijk = centrum."),
	                   filter, error && !q_error ? error : NULL);
	explore_submit(r);
}

/* A table's start: a region that scrolls on a phone, a caption and the
 * column heads. */
static void table_begin(struct req *r, const char *caption, const char *const *heads, size_t n)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"vp-chart-table\" tabindex=\"0\" role=\"region\" aria-label=\"");
	html_attr(b, caption);
	html_lit(b, "\"><table class=\"utrecht-table\"><caption class=\"utrecht-table__caption\">");
	html_text(b, caption);
	html_lit(b, "</caption><thead class=\"utrecht-table__header\"><tr "
	            "class=\"utrecht-table__row\">");
	for (size_t i = 0; i < n; i++) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, heads[i]);
		html_lit(b, "</th>");
	}
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
}

static void table_end(struct req *r)
{
	html_lit(&r->out, "</tbody></table></div>");
}

/* A row: a header cell and n cells. */
static void table_row(struct req *r, const char *head, const char *const *cells, size_t n)
{
	buf *b = &r->out;
	html_lit(b, "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
	            "scope=\"row\">");
	html_text(b, head);
	html_lit(b, "</th>");
	for (size_t i = 0; i < n; i++) {
		html_lit(b, "<td class=\"utrecht-table__cell\">");
		html_text(b, cells[i]);
		html_lit(b, "</td>");
	}
	html_lit(b, "</tr>");
}

/* The measure's document as JSON from the API, for a download. */
static void api_download(struct req *r, int64_t id, const char *measure, const char *q,
                         const char *filter)
{
	buf u;
	buf_init(&u);
	buf_printf(&u, "/api/v1/collections/%lld/analysis/%s/", (long long)id, measure);
	buf_puts(&u, q);
	if (filter && *filter) {
		/* the filter as a query value, like the explorer's links */
		const char *link = explore_link(r, id, "", filter, NULL, NULL, NULL);
		const char *qs = strchr(link, '?');
		if (qs)
			buf_puts(&u, qs);
	}
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph vp-explore-downloads\"><span>");
	html_text(b, T(r, "Download these figures:"));
	html_lit(b, "</span> <a class=\"utrecht-link vp-explore-download\" download href=\"");
	html_url(b, u.data);
	html_lit(b, "\">JSON</a></p>");
	buf_free(&u);
}

/* The chosen question: vraag, or the first that keep() lets through for
 * which the measure works (when vraag is not given). Returns the status of
 * the measure (0 with *doc), with *qid the question. */
static int measure_chosen(struct req *r, struct aix_coll *c, const char *vraag, const char *filter,
                          int (*keep)(const struct question *), measure_fn fn, int limit,
                          const char **qid, json_t **doc, char *err, size_t errlen)
{
	*doc = NULL;
	*qid = vraag;
	struct measure_args a = {.c = c,
	                         .d = req_db(r),
	                         .filter = filter,
	                         .limit = limit,
	                         .min_group = r->app->cfg.analysis_min_group};
	if (vraag && *vraag) {
		struct aix_question *aq = aix_question(c, vraag);
		if (!aq || !keep(aq->q)) {
			snprintf(err, errlen, "%s",
			         T(r, "Choose a question with a slider, a scale, a number or a "
			              "triangle."));
			return 422;
		}
		a.q = vraag;
		return fn(&a, doc, err, errlen);
	}
	int st = 422;
	snprintf(err, errlen, "%s", T(r, "This collection has no question to show here."));
	for (int i = 0; i < c->nq; i++) {
		if (!keep(c->q[i].q))
			continue;
		a.q = c->q[i].q->id;
		st = fn(&a, doc, err, errlen);
		if (st != 422) { /* 422: no counterpart; try the next */
			*qid = a.q;
			return st;
		}
	}
	return st;
}

/* ---- people over time --------------------------------------------------------- */

static void people_words(struct req *r, const struct question *q, const json_t *doc, buf *d)
{
	char f1[32], f2[32], f3[32], f4[32], f5[32];
	const json_t *test = json_object_get(doc, "test");
	double p = jnum(test, "p");
	buf_puts(d, chart_number(f1, jnum(doc, "people"), 0, r->lang));
	buf_puts(d, " ");
	buf_puts(d, T(r, "people told two or more stories and answered this question each time."));
	if (q->type == Q_TRIAD) {
		buf_puts(d, " ");
		buf_puts(d,
		         T(r, "Test of the change in the triangle (paired Hotelling's T\u00b2):"));
		buf_puts(d, " ");
		p_words(r, d, p);
		buf_puts(d, "; ");
		buf_puts(d, T(r, "effect size (Mahalanobis distance)"));
		buf_puts(d, " ");
		buf_puts(d, chart_number(f2, jnum(test, "effect"), 2, r->lang));
		buf_puts(d, ".");
		chance_words(r, d, p);
		return;
	}
	const json_t *mc = json_object_get(doc, "mean_change");
	const json_t *ci = json_object_get(mc, "ci");
	buf_puts(d, " ");
	buf_puts(d, T(r, "On average their answer went from"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f1, jnum(doc, "mean_first"), 1, r->lang));
	buf_puts(d, " ");
	buf_puts(d, T(r, "in their first story to"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f2, jnum(doc, "mean_last"), 1, r->lang));
	buf_puts(d, " ");
	buf_puts(d, T(r, "in their last: a change of"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f3, jnum(mc, "value"), 1, r->lang));
	buf_puts(d, " (");
	buf_puts(d, T(r, "95% interval"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f4, json_number_value(json_array_get(ci, 0)), 1, r->lang));
	buf_puts(d, " ");
	buf_puts(d, T(r, "to"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f5, json_number_value(json_array_get(ci, 1)), 1, r->lang));
	buf_puts(d, "). ");
	buf_puts(d, T(r, "Wilcoxon signed-rank test:"));
	buf_puts(d, " ");
	p_words(r, d, p);
	buf_puts(d, "; ");
	buf_puts(d, T(r, "effect size (rank-biserial correlation)"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f1, jnum(test, "effect"), 2, r->lang));
	buf_puts(d, ".");
	chance_words(r, d, p);
}

/* The slope chart (or, for a triad, each person's first and last answer
 * on a ternary plot) and the figures table. */
static void people_chart(struct req *r, const struct question *q, const json_t *doc)
{
	buf *b = &r->out;
	const json_t *traj = json_object_get(doc, "trajectories");
	size_t n = json_array_size(traj);
	const char *title = ltext_get(&q->text, r->lang);
	buf desc;
	buf_init(&desc);
	people_words(r, q, doc, &desc);
	struct chart_pair_texts t = {.title = title,
	                             .desc = desc.data,
	                             .a_name = T(r, "First story"),
	                             .b_name = T(r, "Last story"),
	                             .lang = r->lang};
	char f1[32], f2[32], f3[32], f4[32];
	html_lit(b, "<figure class=\"vp-chart vp-chart--pairs\">");
	if (q->type == Q_TRIAD) {
		double(*wa)[3] = calloc(n ? n : 1, sizeof *wa);
		double(*wb)[3] = calloc(n ? n : 1, sizeof *wb);
		const char **labels = arena_alloc(r->a, (n ? n : 1) * sizeof *labels);
		if (!wa || !wb)
			abort();
		for (size_t i = 0; i < n; i++) {
			const json_t *st = json_object_get(json_array_get(traj, i), "stories");
			const json_t *va = json_object_get(json_array_get(st, 0), "value");
			const json_t *vb = json_object_get(
			        json_array_get(st, json_array_size(st) - 1), "value");
			buf l;
			buf_init(&l);
			buf_printf(&l, "%s %zu: ", T(r, "Person"), i + 1);
			triad_words(r, q, va, &l);
			buf_puts(&l, " \u2192 ");
			triad_words(r, q, vb, &l);
			labels[i] = arena_strdup(r->a, l.data);
			buf_free(&l);
			for (size_t k = 0; k < 3; k++) {
				wa[i][k] = json_number_value(json_array_get(va, k));
				wb[i][k] = json_number_value(json_array_get(vb, k));
			}
		}
		const char *c[3];
		corner_names(r, q, c);
		chart_ternary_pairs(b, (const double(*)[3])wa, (const double(*)[3])wb, n, labels, c,
		                    &t);
		free(wa);
		free(wb);
		html_lit(b, "</figure>");
		html_lit(b, "<details class=\"vp-explore-figures\"><summary>");
		html_text(b, T(r, "Show the figures"));
		html_lit(b, "</summary>");
		const char *heads[] = {T(r, "Person"), T(r, "First story"), T(r, "Last story")};
		table_begin(r, title, heads, 3);
		for (size_t i = 0; i < n; i++) {
			const json_t *st = json_object_get(json_array_get(traj, i), "stories");
			buf x, y;
			buf_init(&x);
			buf_init(&y);
			triad_words(r, q, json_object_get(json_array_get(st, 0), "value"), &x);
			triad_words(r, q,
			            json_object_get(json_array_get(st, json_array_size(st) - 1),
			                            "value"),
			            &y);
			snprintf(f1, sizeof f1, "%zu", i + 1);
			const char *cells[] = {x.data, y.data};
			table_row(r, f1, cells, 2);
			buf_free(&x);
			buf_free(&y);
		}
		table_end(r);
		html_lit(b, "</details>");
		buf_free(&desc);
		return;
	}
	struct chart_pair *p = arena_alloc(r->a, (n ? n : 1) * sizeof *p);
	double *vals = arena_alloc(r->a, (2 * n + 1) * sizeof *vals);
	for (size_t i = 0; i < n; i++) {
		const json_t *st = json_object_get(json_array_get(traj, i), "stories");
		p[i].a = jnum(json_array_get(st, 0), "value");
		p[i].b = jnum(json_array_get(st, json_array_size(st) - 1), "value");
		p[i].href = NULL;
		vals[2 * i] = p[i].a;
		vals[2 * i + 1] = p[i].b;
		buf l;
		buf_init(&l);
		buf_printf(&l, "%s %zu: %s \u2192 %s (%zu %s)", T(r, "Person"), i + 1,
		           chart_number(f1, p[i].a, 1, r->lang),
		           chart_number(f2, p[i].b, 1, r->lang), json_array_size(st),
		           T(r, "stories"));
		p[i].label = arena_strdup(r->a, l.data);
		buf_free(&l);
	}
	double lo, hi;
	answer_range(q, vals, 2 * n, &lo, &hi);
	chart_slope(b, p, n, lo, hi, jnum(doc, "mean_first"), jnum(doc, "mean_last"), &t);
	html_lit(b, "</figure>");
	buf_free(&desc);
	/* the figures: the summary, then every person drawn */
	html_lit(b, "<details class=\"vp-explore-figures\"><summary>");
	html_text(b, T(r, "Show the figures"));
	html_lit(b, "</summary>");
	const char *sh[] = {T(r, "Figure"), T(r, "Value")};
	table_begin(r, T(r, "Summary"), sh, 2);
	const json_t *mc = json_object_get(doc, "mean_change");
	const json_t *ci = json_object_get(mc, "ci");
	const json_t *test = json_object_get(doc, "test");
	const char *c1[] = {chart_number(f1, jnum(doc, "people"), 0, r->lang)};
	table_row(r, T(r, "People"), c1, 1);
	const char *c2[] = {chart_number(f1, jnum(doc, "mean_first"), 1, r->lang)};
	table_row(r, T(r, "Mean of the first stories"), c2, 1);
	const char *c3[] = {chart_number(f1, jnum(doc, "mean_last"), 1, r->lang)};
	table_row(r, T(r, "Mean of the last stories"), c3, 1);
	const char *c4[] = {chart_number(f1, jnum(mc, "value"), 1, r->lang)};
	table_row(r, T(r, "Mean change"), c4, 1);
	snprintf(f4, sizeof f4, "%s \u2013 %s",
	         chart_number(f2, json_number_value(json_array_get(ci, 0)), 1, r->lang),
	         chart_number(f3, json_number_value(json_array_get(ci, 1)), 1, r->lang));
	const char *c5[] = {f4};
	table_row(r, T(r, "95% interval"), c5, 1);
	buf pw;
	buf_init(&pw);
	p_words(r, &pw, jnum(test, "p"));
	const char *c6[] = {pw.data};
	table_row(r, T(r, "Wilcoxon signed-rank test"), c6, 1);
	buf_free(&pw);
	const char *c7[] = {chart_number(f1, jnum(test, "effect"), 2, r->lang)};
	table_row(r, T(r, "Effect size (rank-biserial correlation)"), c7, 1);
	table_end(r);
	const char *heads[] = {T(r, "Person"), T(r, "First story"), T(r, "Last story"),
	                       T(r, "Change"), T(r, "Stories")};
	table_begin(r, T(r, "Each person's first and last answer"), heads, 5);
	for (size_t i = 0; i < n; i++) {
		const json_t *st = json_object_get(json_array_get(traj, i), "stories");
		char num[24], cnt[24];
		snprintf(num, sizeof num, "%zu", i + 1);
		snprintf(cnt, sizeof cnt, "%zu", json_array_size(st));
		const char *cells[] = {chart_number(f1, p[i].a, 1, r->lang),
		                       chart_number(f2, p[i].b, 1, r->lang),
		                       chart_number(f3, p[i].b - p[i].a, 1, r->lang), cnt};
		table_row(r, num, cells, 4);
	}
	table_end(r);
	html_lit(b, "</details>");
}

/* GET /verkennen/{id}/mensen[?vraag=Q][&filter=F] */
int page_explore_people(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *vraag = req_query(r, "vraag");
	const char *raw = req_query(r, "filter");
	const char *filter = "", *error = NULL;
	roaring_bitmap_t *rows = explore_filter(r, c, raw, &filter, &error);
	if (rows)
		roaring_bitmap_free(rows);
	int q_error = 0;
	json_t *doc = NULL;
	const char *qid = vraag;
	if (!error) {
		char err[512];
		int st = measure_chosen(r, c, vraag, filter, paired_type, measure_over_time,
		                        PEOPLE_DRAWN, &qid, &doc, err, sizeof err);
		if (st != 0) {
			error = arena_strdup(r->a, err);
			q_error = 1;
		}
	}
	explore_head(r, id, &coll, T(r, "People over time"), error, q_error ? "vraag" : "filter",
	             q_error ? T(r, "Question") : T(r, "Filter"));
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "People who told two or more stories: how did their answer change from "
	                  "their first story to their last?"));
	html_lit(b, "</p>");
	question_form(r, c, id, "mensen", paired_type, qid, error && !q_error ? raw : filter, error,
	              q_error);
	if (doc) {
		struct aix_question *aq = aix_question(c, qid);
		html_lit(b, "<section class=\"vp-explore-q\" aria-labelledby=\"mensen-kop\"><h2 "
		            "class=\"utrecht-heading-2\" id=\"mensen-kop\">");
		html_text(b, ltext_get(&aq->q->text, r->lang));
		html_lit(b, "</h2>");
		if (json_is_true(json_object_get(doc, "too_few"))) {
			chart_too_few(b, r->lang);
		} else {
			buf words;
			buf_init(&words);
			people_words(r, aq->q, doc, &words);
			html_lit(b, "<p class=\"utrecht-paragraph vp-explore-summary\" "
			            "id=\"mensen-samenvatting\">");
			html_text(b, words.data);
			buf_free(&words);
			size_t shown = json_array_size(json_object_get(doc, "trajectories"));
			if ((double)shown < jnum(doc, "people")) {
				char f[32];
				html_lit(b, " ");
				html_text(b, T(r, "The chart shows the first"));
				html_lit(b, " ");
				html_text(b, chart_number(f, (double)shown, 0, r->lang));
				html_lit(b, " ");
				html_text(b, T(r, "people."));
			}
			html_lit(b, "</p>");
			people_chart(r, aq->q, doc);
			api_download(r, id, "over-time", qid, filter);
		}
		html_lit(b, "</section>");
	}
	json_decref(doc);
	aix_release(c);
	page_end(r);
	return error ? 400 : 200;
}

/* ---- client and consultant ------------------------------------------------------ */

static int teller_paired(const struct question *q)
{
	return paired_type(q) && q->perspective != PERSPECTIVE_PROFESSIONAL;
}

static const char *kappa_words(struct req *r, double k)
{
	if (k < 0)
		return T(r, "less than by chance");
	if (k < 0.2)
		return T(r, "slight");
	if (k < 0.4)
		return T(r, "fair");
	if (k < 0.6)
		return T(r, "moderate");
	if (k < 0.8)
		return T(r, "substantial");
	return T(r, "almost perfect");
}

static void perspective_words(struct req *r, const struct question *q, const json_t *doc, buf *d)
{
	char f1[32], f2[32], f3[32];
	const json_t *test = json_object_get(doc, "test");
	double p = jnum(test, "p");
	buf_puts(d, T(r, "In"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f1, jnum(doc, "n"), 0, r->lang));
	buf_puts(d, " ");
	buf_puts(d, T(r, "stories both the teller and the consultant answered this question."));
	buf_puts(d, " ");
	if (q->type == Q_TRIAD) {
		buf_puts(d, T(r, "The teller's answers on average (geometric mean):"));
		buf_puts(d, " ");
		triad_words(r, q, json_object_get(doc, "geomean_teller"), d);
		buf_puts(d, ". ");
		buf_puts(d, T(r, "The consultant's:"));
		buf_puts(d, " ");
		triad_words(r, q, json_object_get(doc, "geomean_professional"), d);
		buf_puts(d, ". ");
		buf_puts(d, T(r, "Test of the difference (paired Hotelling's T\u00b2):"));
		buf_puts(d, " ");
		p_words(r, d, p);
		buf_puts(d, "; ");
		buf_puts(d, T(r, "effect size (Mahalanobis distance)"));
		buf_puts(d, " ");
		buf_puts(d, chart_number(f1, jnum(test, "effect"), 2, r->lang));
		buf_puts(d, ".");
		chance_words(r, d, p);
		return;
	}
	const json_t *md = json_object_get(doc, "mean_difference");
	const json_t *ci = json_object_get(md, "ci");
	double v = jnum(md, "value");
	int dec = q->type == Q_SCALE ? 2 : 1; /* a scale's points are close together */
	buf_puts(d, T(r, "On average the consultant's answer is"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f1, fabs(v), dec, r->lang));
	buf_puts(d, " ");
	buf_puts(d, v >= 0 ? T(r, "higher than the teller's") : T(r, "lower than the teller's"));
	buf_puts(d, " (");
	buf_puts(d, T(r, "difference"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f1, v, dec, r->lang));
	buf_puts(d, ", ");
	buf_puts(d, T(r, "95% interval"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f2, json_number_value(json_array_get(ci, 0)), dec, r->lang));
	buf_puts(d, " ");
	buf_puts(d, T(r, "to"));
	buf_puts(d, " ");
	buf_puts(d, chart_number(f3, json_number_value(json_array_get(ci, 1)), dec, r->lang));
	buf_puts(d, "). ");
	buf_puts(d, T(r, "Wilcoxon signed-rank test:"));
	buf_puts(d, " ");
	p_words(r, d, p);
	buf_puts(d, ".");
	chance_words(r, d, p);
	const json_t *k = json_object_get(doc, "weighted_kappa");
	if (k) {
		const json_t *kci = json_object_get(k, "ci");
		buf_puts(d, " ");
		buf_puts(d, T(r, "Agreement (weighted kappa):"));
		buf_puts(d, " ");
		buf_puts(d, chart_number(f1, jnum(k, "value"), 2, r->lang));
		buf_puts(d, " (");
		buf_puts(d, T(r, "95% interval"));
		buf_puts(d, " ");
		buf_puts(d,
		         chart_number(f2, json_number_value(json_array_get(kci, 0)), 2, r->lang));
		buf_puts(d, " ");
		buf_puts(d, T(r, "to"));
		buf_puts(d, " ");
		buf_puts(d,
		         chart_number(f3, json_number_value(json_array_get(kci, 1)), 2, r->lang));
		buf_puts(d, "): ");
		buf_puts(d, kappa_words(r, jnum(k, "value")));
		buf_puts(d, ".");
	}
}

/* The link to the stories where they differ most, at one story. */
static const char *differ_link(struct req *r, int64_t id, const char *qid, const char *filter,
                               long long story)
{
	const char *url = explore_link(r, id, "perspectieven/verhalen", filter, qid, NULL, NULL);
	buf u;
	buf_init(&u);
	buf_puts(&u, url);
	if (story > 0)
		buf_printf(&u, "#verhaal-%lld", story);
	const char *s = arena_strdup(r->a, u.data);
	buf_free(&u);
	return s;
}

static void perspective_chart(struct req *r, int64_t id, const struct question *q,
                              const char *filter, const json_t *doc)
{
	buf *b = &r->out;
	const json_t *most = json_object_get(doc, "differ_most");
	size_t n = json_array_size(most);
	char f1[32], f2[32], f3[32];
	/* agreement drawn: the mean difference (or kappa) with its interval */
	const json_t *md = json_object_get(doc, "mean_difference");
	const json_t *k = json_object_get(doc, "weighted_kappa");
	/* each agreement mark opens the stories where they differ most */
	const char *most_url = n ? differ_link(r, id, q->id, filter, 0) : NULL;
	buf most_name;
	buf_init(&most_name);
	buf_printf(&most_name, "%s: %s", T(r, "Read the stories"),
	           T(r, "The stories where they differ most"));
	if (md || k) {
		html_lit(b, "<div class=\"vp-agreement\">");
		if (md) {
			const json_t *ci = json_object_get(md, "ci");
			double span = q->type == Q_SCALE  ? q->points - 1
			              : q->type == Q_DYAD ? 50
			                                  : 0;
			double lo = json_number_value(json_array_get(ci, 0)),
			       hi = json_number_value(json_array_get(ci, 1));
			if (!(span > 0))
				span = fmax(fabs(lo), fabs(hi)) * 1.2;
			buf t;
			buf_init(&t);
			int dec = q->type == Q_SCALE ? 2 : 1;
			buf_printf(&t, "%s: %s (%s %s %s %s)", T(r, "Consultant minus teller"),
			           chart_number(f1, jnum(md, "value"), dec, r->lang),
			           T(r, "95% interval"), chart_number(f2, lo, dec, r->lang),
			           T(r, "to"), chart_number(f3, hi, dec, r->lang));
			html_lit(b, "<figure class=\"vp-pattern-diff\"><figcaption>");
			html_text(b, t.data);
			html_lit(b, "</figcaption>");
			chart_interval_link(b, jnum(md, "value"), lo, hi, span, t.data, NULL,
			                    most_url, most_name.data);
			html_lit(b, "</figure>");
			buf_free(&t);
		}
		if (k) {
			const json_t *ci = json_object_get(k, "ci");
			buf t;
			buf_init(&t);
			buf_printf(&t, "%s: %s (%s %s %s %s): %s",
			           T(r, "Agreement (weighted kappa)"),
			           chart_number(f1, jnum(k, "value"), 2, r->lang),
			           T(r, "95% interval"),
			           chart_number(f2, json_number_value(json_array_get(ci, 0)), 2,
			                        r->lang),
			           T(r, "to"),
			           chart_number(f3, json_number_value(json_array_get(ci, 1)), 2,
			                        r->lang),
			           kappa_words(r, jnum(k, "value")));
			html_lit(b, "<figure class=\"vp-pattern-diff\"><figcaption>");
			html_text(b, t.data);
			html_lit(b, "</figcaption>");
			chart_interval_link(b, jnum(k, "value"),
			                    json_number_value(json_array_get(ci, 0)),
			                    json_number_value(json_array_get(ci, 1)), 1, t.data,
			                    NULL, most_url, most_name.data);
			html_lit(b, "</figure>");
			buf_free(&t);
		}
		html_lit(b, "</div>");
	}
	buf_free(&most_name);
	html_lit(b, "<h3 class=\"utrecht-heading-3\" id=\"verschil-kop\">");
	html_text(b, T(r, "The stories where they differ most"));
	html_lit(b, "</h3><figure class=\"vp-chart vp-chart--pairs\">");
	buf desc;
	buf_init(&desc);
	perspective_words(r, q, doc, &desc);
	struct chart_pair_texts t = {.title = T(r, "The stories where they differ most"),
	                             .desc = desc.data,
	                             .a_name = T(r, "Teller"),
	                             .b_name = T(r, "Consultant"),
	                             .lang = r->lang};
	if (q->type == Q_TRIAD) {
		double(*wa)[3] = calloc(n + 1, sizeof *wa), (*wb)[3] = calloc(n + 1, sizeof *wb);
		const char **labels = arena_alloc(r->a, (n + 1) * sizeof *labels);
		/* each story's pair opens it among the stories where they differ
		 * most, as the paired dots do; the means' pair has nothing to open */
		const char **hrefs = arena_zalloc(r->a, (n + 1) * sizeof *hrefs);
		if (!wa || !wb)
			abort();
		/* the two geometric means first, then the stories */
		const json_t *gt = json_object_get(doc, "geomean_teller"),
		             *gp = json_object_get(doc, "geomean_professional");
		{
			buf l;
			buf_init(&l);
			buf_puts(&l, T(r, "Geometric mean"));
			buf_puts(&l, ": ");
			triad_words(r, q, gt, &l);
			buf_puts(&l, " \u2192 ");
			triad_words(r, q, gp, &l);
			labels[n] = arena_strdup(r->a, l.data);
			buf_free(&l);
			for (size_t k2 = 0; k2 < 3; k2++) {
				wa[n][k2] = json_number_value(json_array_get(gt, k2));
				wb[n][k2] = json_number_value(json_array_get(gp, k2));
			}
		}
		for (size_t i = 0; i < n; i++) {
			const json_t *e = json_array_get(most, i);
			buf l;
			buf_init(&l);
			buf_printf(&l, "%s %lld: ", T(r, "Story"),
			           (long long)json_integer_value(json_object_get(e, "story")));
			hrefs[i] = differ_link(
			        r, id, q->id, filter,
			        (long long)json_integer_value(json_object_get(e, "story")));
			triad_words(r, q, json_object_get(e, "teller"), &l);
			buf_puts(&l, " \u2192 ");
			triad_words(r, q, json_object_get(e, "professional"), &l);
			labels[i] = arena_strdup(r->a, l.data);
			buf_free(&l);
			for (size_t k2 = 0; k2 < 3; k2++) {
				wa[i][k2] = json_number_value(
				        json_array_get(json_object_get(e, "teller"), k2));
				wb[i][k2] = json_number_value(
				        json_array_get(json_object_get(e, "professional"), k2));
			}
		}
		const char *c[3];
		corner_names(r, q, c);
		chart_ternary_pairs_linked(b, (const double(*)[3])wa, (const double(*)[3])wb, n + 1,
		                           labels, hrefs, c, &t);
		free(wa);
		free(wb);
	} else {
		struct chart_pair *p = arena_alloc(r->a, (n + 1) * sizeof *p);
		double *vals = arena_alloc(r->a, (2 * n + 1) * sizeof *vals);
		for (size_t i = 0; i < n; i++) {
			const json_t *e = json_array_get(most, i);
			long long sid = json_integer_value(json_object_get(e, "story"));
			p[i].a = jnum(e, "teller");
			p[i].b = jnum(e, "professional");
			vals[2 * i] = p[i].a;
			vals[2 * i + 1] = p[i].b;
			buf l;
			buf_init(&l);
			buf_printf(&l, "%s %lld", T(r, "Story"), sid);
			p[i].label = arena_strdup(r->a, l.data);
			buf_free(&l);
			p[i].href = differ_link(r, id, q->id, filter, sid);
		}
		double lo, hi;
		answer_range(q, vals, 2 * n, &lo, &hi);
		chart_dumbbell(b, p, n, lo, hi, &t);
	}
	html_lit(b, "</figure>");
	buf_free(&desc);
	/* the same as a table, each story a link */
	const char *heads[] = {T(r, "Story"), T(r, "Teller"), T(r, "Consultant"),
	                       T(r, "Difference"), T(r, "Read")};
	table_begin(r, T(r, "The stories where they differ most"), heads, 5);
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(most, i);
		long long sid = json_integer_value(json_object_get(e, "story"));
		buf x, y;
		buf_init(&x);
		buf_init(&y);
		if (q->type == Q_TRIAD) {
			triad_words(r, q, json_object_get(e, "teller"), &x);
			triad_words(r, q, json_object_get(e, "professional"), &y);
		} else {
			buf_puts(&x, chart_number(f1, jnum(e, "teller"), 1, r->lang));
			buf_puts(&y, chart_number(f1, jnum(e, "professional"), 1, r->lang));
		}
		char head[48];
		snprintf(head, sizeof head, "%lld", sid);
		html_lit(
		        b,
		        "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
		        "scope=\"row\">");
		html_text(b, head);
		html_lit(b, "</th><td class=\"utrecht-table__cell\">");
		html_text(b, x.data);
		html_lit(b, "</td><td class=\"utrecht-table__cell\">");
		html_text(b, y.data);
		html_lit(b, "</td><td class=\"utrecht-table__cell\">");
		html_text(b, chart_number(f2, jnum(e, "difference"), 2, r->lang));
		html_lit(b, "</td><td class=\"utrecht-table__cell\"><a class=\"utrecht-link "
		            "vp-differ-link\" href=\"");
		html_url(b, differ_link(r, id, q->id, filter, sid));
		html_lit(b, "\">");
		html_text(b, T(r, "Read the story"));
		html_lit(b, "<span class=\"vp-visually-hidden\"> ");
		html_text(b, head);
		html_lit(b, "</span></a></td></tr>");
		buf_free(&x);
		buf_free(&y);
	}
	table_end(r);
}

/* The perspectives measure of the request (vraag, filter): status 0 with
 * *doc, or 400 with *error (and *q_error when it is the question). */
static int perspectives_of(struct req *r, struct aix_coll *c, const char **qid, const char **filter,
                           json_t **doc, const char **error, int *q_error)
{
	const char *raw = req_query(r, "filter");
	*doc = NULL;
	*q_error = 0;
	*qid = req_query(r, "vraag");
	roaring_bitmap_t *rows = explore_filter(r, c, raw, filter, error);
	if (rows)
		roaring_bitmap_free(rows);
	if (*error)
		return 400;
	char err[512];
	if (measure_chosen(r, c, *qid, *filter, teller_paired, measure_perspectives, DIFFER_LISTED,
	                   qid, doc, err, sizeof err) != 0) {
		*error = arena_strdup(r->a, err);
		*q_error = 1;
		return 400;
	}
	return 0;
}

/* GET /verkennen/{id}/perspectieven[?vraag=Q][&filter=F] */
int page_explore_perspectives(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *qid, *filter = "", *error = NULL;
	int q_error;
	json_t *doc;
	perspectives_of(r, c, &qid, &filter, &doc, &error, &q_error);
	explore_head(r, id, &coll, T(r, "Client and consultant"), error,
	             q_error ? "vraag" : "filter", q_error ? T(r, "Question") : T(r, "Filter"));
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "The teller and the consultant answered the same question about the same "
	                  "story. How far do they agree, and where do they differ most?"));
	html_lit(b, "</p>");
	question_form(r, c, id, "perspectieven", teller_paired, qid,
	              error && !q_error ? req_query(r, "filter") : filter, error, q_error);
	if (doc) {
		struct aix_question *aq = aix_question(c, qid);
		html_lit(b,
		         "<section class=\"vp-explore-q\" aria-labelledby=\"perspectief-kop\"><h2 "
		         "class=\"utrecht-heading-2\" id=\"perspectief-kop\">");
		html_text(b, ltext_get(&aq->q->text, r->lang));
		html_lit(b, "</h2>");
		if (json_is_true(json_object_get(doc, "too_few"))) {
			chart_too_few(b, r->lang);
		} else {
			buf words;
			buf_init(&words);
			perspective_words(r, aq->q, doc, &words);
			html_lit(b, "<p class=\"utrecht-paragraph vp-explore-summary\" "
			            "id=\"perspectief-samenvatting\">");
			html_text(b, words.data);
			html_lit(b, "</p>");
			buf_free(&words);
			perspective_chart(r, id, aq->q, filter, doc);
			html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link "
			            "vp-differ-all\" href=\"");
			html_url(b, differ_link(r, id, qid, filter, 0));
			html_lit(b, "\">");
			html_text(b, T(r, "Read these stories"));
			html_lit(b, "</a></p>");
			api_download(r, id, "perspectives", qid, filter);
		}
		html_lit(b, "</section>");
	}
	json_decref(doc);
	aix_release(c);
	page_end(r);
	return error ? 400 : 200;
}

/* GET /verkennen/{id}/perspectieven/verhalen?vraag=Q[&filter=F]: the
 * stories where teller and consultant differ most, each logged. Shown
 * only when the comparison itself is (small-cell protection). */
int page_explore_perspective_stories(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *qid, *filter = "", *error = NULL;
	int q_error;
	json_t *doc;
	perspectives_of(r, c, &qid, &filter, &doc, &error, &q_error);
	explore_head(r, id, &coll, T(r, "Where client and consultant differ most"), error,
	             q_error ? "vraag" : "filter", q_error ? T(r, "Question") : T(r, "Filter"));
	buf *b = &r->out;
	if (error) {
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
		html_url(b, explore_link(r, id, "perspectieven", NULL, NULL, NULL, NULL));
		html_lit(b, "\">");
		html_text(b, T(r, "Client and consultant"));
		html_lit(b, "</a></p>");
		aix_release(c);
		page_end(r);
		return 400;
	}
	struct aix_question *aq = aix_question(c, qid);
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, explore_link(r, id, "perspectieven", filter, qid, NULL, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Client and consultant"));
	html_lit(b, ": ");
	html_text(b, ltext_get(&aq->q->text, r->lang));
	html_lit(b, "</a></p>");
	int64_t ids[EXPLORE_LOG_MAX];
	char(*codes)[64] = arena_zalloc(r->a, EXPLORE_LOG_MAX * sizeof *codes);
	int shown = 0;
	if (json_is_true(json_object_get(doc, "too_few"))) {
		chart_too_few(b, r->lang);
	} else {
		html_lit(b, "<div class=\"vp-story-list\">");
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(doc, "differ_most"), i, e)
		{
			if (shown >= EXPLORE_LOG_MAX)
				break;
			int64_t sid = json_integer_value(json_object_get(e, "story"));
			int64_t row = explore_row_of(c, sid);
			if (row < 0)
				continue; /* stored after the index last looked */
			struct story_read s;
			if (story_read_one(req_db(r), id, sid, &s) == DB_ROW) {
				char anchor[40];
				snprintf(anchor, sizeof anchor, "verhaal-%lld", (long long)sid);
				html_lit(b, "<div class=\"vp-differ-story\" id=\"");
				html_attr(b, anchor);
				html_lit(b, "\">");
				explore_story_article(r, c, (uint32_t)row, &s, 0);
				html_lit(b, "</div>");
				ids[shown] = s.id;
				snprintf(codes[shown], 64, "%s", s.participant_code);
				shown++;
			}
			story_read_free(&s);
		}
		html_lit(b, "</div>");
	}
	json_decref(doc);
	aix_release(c);
	page_end(r);
	return explore_log_stories(r, shown, ids, (const char(*)[64])codes, "perspectives");
}
