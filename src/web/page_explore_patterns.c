/* page_explore_patterns.c: the explorer's pattern finder (/verkennen/{id}/patronen) and the comparison of two groups (/verkennen/{id}/vergelijken). */
#include "web/pages.h"

#include "analysis/index.h"
#include "analysis/measures.h"
#include "core/clock.h"
#include "core/util.h"
#include "http/server.h"
#include "model/collection.h"
#include "model/script.h"
#include "web/chart.h"
#include "web/explore.h"
#include "web/html.h"
#include "web/i18n.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FILTER_MAX EXPLORE_FILTER_MAX

/* Questions the pattern finder takes as an outcome. */
static int outcome_type(const struct question *q)
{
	return q->type == Q_DYAD || q->type == Q_SCALE || q->type == Q_NUMBER;
}

/* The page's start: title (with "Error: " first when error), the links
 * back, the heading and the error summary pointing at field. */
static void head(struct req *r, int64_t id, const struct collection *coll, const char *what,
                 const char *error, const char *field, const char *field_label)
{
	buf title;
	buf_init(&title);
	if (error) {
		buf_puts(&title, T(r, "Error"));
		buf_puts(&title, ": ");
	}
	buf_puts(&title, what);
	buf_puts(&title, ": ");
	buf_puts(&title, coll->title);
	page_begin(r, arena_strdup(r->a, title.data));
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, explore_href(r, id, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Explore"));
	html_lit(b, ": ");
	html_text(b, coll->title);
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, error ? title.data + strlen(T(r, "Error")) + 2 : title.data);
	html_lit(b, "</h1>");
	buf_free(&title);
	if (error) {
		page_error_summary(r, field, field_label, error);
	}
}

/* A text field of a GET form. */
static void text_field(struct req *r, const char *name, const char *label, const char *help,
                       const char *value, const char *error)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text");
	if (error)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b,
	         "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	         "for=\"");
	html_attr(b, name);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div><div class=\"utrecht-form-field__description\" id=\"");
	html_attr(b, name);
	html_lit(b, "-help\">");
	html_text(b, help);
	html_lit(b, "</div>");
	if (error) {
		html_lit(b, "<div class=\"utrecht-form-field-error-message\" id=\"");
		html_attr(b, name);
		html_lit(b, "-error\">");
		html_text(b, error);
		html_lit(b, "</div>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox "
	            "utrecht-textbox--html-input\" type=\"text\" autocomplete=\"off\" "
	            "spellcheck=\"false\" maxlength=\"2000\" id=\"");
	html_attr(b, name);
	html_lit(b, "\" name=\"");
	html_attr(b, name);
	html_lit(b, "\" aria-describedby=\"");
	html_attr(b, name);
	html_lit(b, "-help");
	if (error) {
		html_lit(b, " ");
		html_attr(b, name);
		html_lit(b, "-error\" aria-invalid=\"true");
	}
	html_lit(b, "\" value=\"");
	html_attr(b, value ? value : "");
	html_lit(b, "\"></div></div>");
}

static void submit(struct req *r)
{
	html_lit(&r->out, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	                  "utrecht-button--primary-action\" type=\"submit\">");
	html_text(&r->out, T(r, "Show"));
	html_lit(&r->out, "</button></div></form>");
}

/* The question's text in the interface language, or its id. */
static const char *q_title(struct req *r, struct aix_coll *c, const char *qid)
{
	struct aix_question *aq = qid ? aix_question(c, qid) : NULL;
	return aq ? ltext_get(&aq->q->text, r->lang) : qid ? qid : "";
}

/* "Question: option" for a pattern's condition, in the interface language. */
static void condition_words(struct req *r, struct aix_coll *c, const json_t *cond, buf *out)
{
	const char *qid = json_string_value(json_object_get(cond, "question"));
	const char *opt = json_string_value(json_object_get(cond, "option"));
	const char *label = json_string_value(json_object_get(cond, "label"));
	if (qid && strcmp(qid, "theme") == 0) { /* "Theme 2: contact, buren, koffie" */
		buf_printf(out, "%s %s", T(r, "Theme"), opt ? opt : "");
		if (label && *label) {
			buf_puts(out, ": ");
			buf_puts(out, label);
		}
		return;
	}
	struct aix_question *aq = qid ? aix_question(c, qid) : NULL;
	if (aq && opt)
		for (int k = 0; k < aq->q->noptions; k++)
			if (strcmp(aq->q->options[k].id, opt) == 0)
				label = ltext_get(&aq->q->options[k].label, r->lang);
	buf_puts(out, q_title(r, c, qid));
	buf_puts(out, ": ");
	buf_puts(out, label ? label : opt ? opt : "");
}

/* The collection (of this organisation) and its index part, or a 404. */
static int open_collection(struct req *r, int64_t *id, struct collection *coll, struct aix_coll **c)
{
	if (util_parse_id(req_param(r, 0), id))
		return 404;
	if (collection_by_id(req_db(r), r->app->org_id, *id, coll) != DB_ROW)
		return 404;
	aix *x = r->app->index;
	*c = x ? aix_acquire(x, r->app->org_id, *id) : NULL;
	return *c ? 0 : 404;
}

/* ---- patterns ------------------------------------------------------------ */

static void patterns_table(struct req *r, struct aix_coll *c, int64_t id, const json_t *doc)
{
	buf *b = &r->out;
	const json_t *pats = json_object_get(doc, "patterns");
	if (json_is_true(json_object_get(doc, "too_few")) || json_array_size(pats) == 0) {
		chart_too_few(b, r->lang);
		return;
	}
	/* the axis of the interval bars: the widest interval end */
	double span = 0;
	size_t i;
	json_t *p;
	json_array_foreach(pats, i, p)
	{
		const json_t *ci = json_object_get(p, "ci");
		span = fmax(span, fabs(json_number_value(json_array_get(ci, 0))));
		span = fmax(span, fabs(json_number_value(json_array_get(ci, 1))));
	}
	const char *l = r->lang;
	html_lit(b, "<div class=\"vp-table-wrap\" tabindex=\"0\" role=\"region\" "
	            "aria-labelledby=\"patronen-kop\"><table class=\"utrecht-table vp-patterns\">"
	            "<caption class=\"utrecht-table__caption\" id=\"patronen-kop\">");
	html_text(b, T(r, "Groups whose answer differs from the rest"));
	html_lit(b, "</caption><thead class=\"utrecht-table__header\"><tr "
	            "class=\"utrecht-table__row\">");
	const char *heads[] = {T(r, "Group"),
	                       T(r, "Stories"),
	                       T(r, "Mean"),
	                       T(r, "Rest"),
	                       T(r, "Difference (95% interval)"),
	                       T(r, "q"),
	                       T(r, "Stories")};
	for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, heads[h]);
		html_lit(b, "</th>");
	}
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
	json_array_foreach(pats, i, p)
	{
		buf words;
		buf_init(&words);
		const json_t *conds = json_object_get(p, "conditions");
		size_t k;
		json_t *cond;
		json_array_foreach(conds, k, cond)
		{
			if (k)
				buf_printf(&words, " %s ", T(r, "and"));
			condition_words(r, c, cond, &words);
		}
		char f1[32], f2[32], f3[32], f4[32], f5[32];
		double d = json_number_value(json_object_get(p, "difference"));
		const json_t *ci = json_object_get(p, "ci");
		double lo = json_number_value(json_array_get(ci, 0));
		double hi = json_number_value(json_array_get(ci, 1));
		double q = json_number_value(json_object_get(p, "q"));
		html_lit(b, "<tr class=\"utrecht-table__row vp-pattern\"><th "
		            "class=\"utrecht-table__header-cell vp-pattern-group\" scope=\"row\">");
		json_array_foreach(conds, k, cond)
		{ /* a condition a line */
			buf one;
			buf_init(&one);
			condition_words(r, c, cond, &one);
			if (k) {
				html_lit(b, "<br>");
				html_text(b, T(r, "and"));
				html_lit(b, " ");
			}
			html_text(b, one.data);
			buf_free(&one);
		}
		html_lit(b, "</th><td class=\"utrecht-table__cell "
		            "utrecht-table__cell--numeric-data\" data-label=\"");
		html_attr(b, heads[1]);
		html_lit(b, "\">");
		html_int(b, json_integer_value(json_object_get(p, "n")));
		html_lit(b, "</td><td class=\"utrecht-table__cell "
		            "utrecht-table__cell--numeric-data\" data-label=\"");
		html_attr(b, heads[2]);
		html_lit(b, "\">");
		html_text(b, chart_number(f1, json_number_value(json_object_get(p, "mean")), 1, l));
		html_lit(b, "</td><td class=\"utrecht-table__cell "
		            "utrecht-table__cell--numeric-data\" data-label=\"");
		html_attr(b, heads[3]);
		html_lit(b, "\">");
		html_text(b, chart_number(f1, json_number_value(json_object_get(p, "mean_rest")), 1,
		                          l));
		html_lit(b, "</td><td class=\"utrecht-table__cell vp-pattern-diff\" data-label=\"");
		html_attr(b, heads[4]);
		html_lit(b, "\">");
		buf desc;
		buf_init(&desc);
		buf_printf(&desc, "%s %s (%s %s %s %s)", T(r, "Difference"),
		           chart_number(f2, d, 1, l), T(r, "95% interval"),
		           chart_number(f3, lo, 1, l), T(r, "to"), chart_number(f4, hi, 1, l));
		html_lit(b, "<span class=\"vp-pattern-diff__text\">");
		html_text(b, chart_number(f5, d, 1, l));
		html_lit(b, " (");
		html_text(b, f3);
		html_lit(b, " \u2013 ");
		html_text(b, f4);
		html_lit(b, ")</span>");
		{ /* the mark opens the pattern's stories, like its link below */
			const char *pf = json_string_value(json_object_get(p, "filter"));
			buf name;
			buf_init(&name);
			buf_printf(&name, "%s: %s", T(r, "Read the stories"), words.data);
			chart_interval_link(b, d, lo, hi, span, desc.data, NULL,
			                    explore_link(r, id, "verhalen", pf, NULL, NULL, NULL),
			                    name.data);
			buf_free(&name);
		}
		buf_free(&desc);
		html_lit(b, "</td><td class=\"utrecht-table__cell "
		            "utrecht-table__cell--numeric-data\" data-label=\"");
		html_attr(b, heads[5]);
		html_lit(b, "\">");
		if (q < 0.001)
			html_lit(b, "&lt; 0,001");
		else
			html_text(b, chart_number(f1, q, 3, l));
		if (q < 0.05) {
			html_lit(b, "<br><strong class=\"vp-significant\">");
			html_text(b, T(r, "probably not chance"));
			html_lit(b, "</strong>");
		}
		html_lit(b, "</td><td class=\"utrecht-table__cell\"><a class=\"utrecht-link "
		            "vp-pattern-link\" href=\"");
		html_url(b, explore_href(r, id, json_string_value(json_object_get(p, "filter"))));
		html_lit(b, "\">");
		html_text(b, T(r, "See these stories"));
		html_lit(b, "<span class=\"vp-visually-hidden\">: ");
		html_text(b, words.data);
		html_lit(b, "</span></a><br><a class=\"utrecht-link vp-pattern-stories\" href=\"");
		/* the stories themselves (page_explore_stories.c) */
		html_url(b, explore_link(r, id, "verhalen",
		                         json_string_value(json_object_get(p, "filter")), NULL,
		                         NULL, NULL));
		html_lit(b, "\">");
		html_text(b, T(r, "Read the stories"));
		html_lit(b, "<span class=\"vp-visually-hidden\">: ");
		html_text(b, words.data);
		html_lit(b, "</span></a></td></tr>");
		buf_free(&words);
	}
	html_lit(b, "</tbody></table></div>");
}

/* GET /verkennen/{id}/patronen[?uitkomst=Q[&filter=F]] */
int page_explore_patterns(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c = NULL;
	if (open_collection(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *outcome = req_query(r, "uitkomst");
	const char *filter = req_query(r, "filter");
	if (!filter)
		filter = "";
	const char *error = NULL, *field = "uitkomst";
	json_t *doc = NULL;
	if (strlen(filter) > FILTER_MAX) {
		error = T(r, "The filter is too long.");
		field = "filter";
	} else if (outcome && *outcome) {
		struct aix_question *aq = aix_question(c, outcome);
		if (!aq || !outcome_type(aq->q)) {
			error = T(r, "Choose a question with a slider, a scale or a number.");
		} else {
			struct measure_args a = {.c = c,
			                         .d = req_db(r),
			                         .filter = filter,
			                         .outcome = outcome,
			                         .min_group = r->app->cfg.analysis_min_group};
			char err[512];
			if (measure_patterns(&a, &doc, err, sizeof err) != 0) {
				error = arena_strdup(r->a, err);
				field = "filter";
			}
		}
	}
	head(r, id, &coll, T(r, "Find patterns"), error, field,
	     strcmp(field, "filter") == 0 ? T(r, "Filter") : T(r, "Outcome"));
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Choose a question. The list shows groups of stories whose answer to it "
	                  "differs most from the other stories."));
	html_lit(b, "</p><form class=\"vp-form vp-explore-filter\" method=\"get\" action=\"");
	{
		char act[64];
		snprintf(act, sizeof act, "/verkennen/%lld/patronen", (long long)id);
		html_url(b, act);
	}
	html_lit(b, "\">");
	int qerr = error && strcmp(field, "uitkomst") == 0;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--select");
	if (qerr)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b,
	         "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	         "for=\"uitkomst\">");
	html_text(b, T(r, "Outcome"));
	html_lit(b, "</label></div>");
	if (qerr) {
		html_lit(b,
		         "<div class=\"utrecht-form-field-error-message\" id=\"uitkomst-error\">");
		html_text(b, error);
		html_lit(b, "</div>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\"><select "
	            "class=\"utrecht-select utrecht-select--html-select\" id=\"uitkomst\" "
	            "name=\"uitkomst\"");
	if (qerr)
		html_lit(b, " aria-invalid=\"true\" aria-describedby=\"uitkomst-error\"");
	html_lit(b, ">");
	for (int i = 0; i < c->nq; i++) {
		const struct question *q = c->q[i].q;
		if (!outcome_type(q))
			continue;
		html_lit(b, "<option value=\"");
		html_attr(b, q->id);
		html_lit(b, "\"");
		if (outcome && strcmp(outcome, q->id) == 0)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_text(b, ltext_get(&q->text, r->lang));
		html_lit(b, "</option>");
	}
	html_lit(b, "</select></div></div>");
	text_field(r, "filter", T(r, "Only among (optional filter)"),
	           T(r, "Leave empty for all stories. For example: q-wijk = centrum."), filter,
	           error && !qerr ? error : NULL);
	submit(r);
	if (doc) {
		html_lit(b, "<section aria-labelledby=\"patronen-kop\">");
		patterns_table(r, c, id, doc);
		/* themes take part once computed (docs/analysis.md, "Themes") */
		html_lit(b, "<p class=\"utrecht-paragraph vp-pattern-themes\">");
		html_text(b,
		          json_is_null(json_object_get(doc, "themes"))
		                  ? T(r, "Themes are not among these groups yet. Open the themes "
		                         "once; after that, each theme is a group here too.")
		                  : T(r, "Themes are among these groups (\"Theme 2: ...\"): the "
		                         "themes of all stories, with their words."));
		html_lit(b, " <a class=\"utrecht-link\" href=\"");
		html_url(b, explore_link(r, id, "themas", NULL, NULL, NULL, NULL));
		html_lit(b, "\">");
		html_text(b, T(r, "Themes"));
		html_lit(b, "</a></p></section>");
	}
	aix_release(c);
	json_decref(doc);
	page_end(r);
	return error ? 400 : 200;
}

/* ---- compare ----------------------------------------------------------------- */

static const char *test_label(struct req *r, const char *test)
{
	if (strcmp(test, "hotelling") == 0)
		return T(r, "Hotelling's T\u00b2 (triangle)");
	if (strcmp(test, "mann-whitney") == 0)
		return T(r, "Mann-Whitney (slider or scale)");
	if (strcmp(test, "chi-square") == 0)
		return T(r, "Chi-square (choice)");
	return test;
}

static void compare_table(struct req *r, struct aix_coll *c, const json_t *doc)
{
	buf *b = &r->out;
	const char *l = r->lang;
	char f1[32], f2[32];
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Stories in group A"));
	html_lit(b, ": <strong id=\"n-a\">");
	html_int(b, json_integer_value(json_object_get(json_object_get(doc, "a"), "n")));
	html_lit(b, "</strong>. ");
	html_text(b, T(r, "Stories in group B"));
	html_lit(b, ": <strong id=\"n-b\">");
	html_int(b, json_integer_value(json_object_get(json_object_get(doc, "b"), "n")));
	html_lit(b, "</strong>.</p>");
	const json_t *qs = json_object_get(doc, "questions");
	if (json_is_true(json_object_get(doc, "too_few")) || json_array_size(qs) == 0) {
		chart_too_few(b, l);
		return;
	}
	html_lit(b, "<div class=\"vp-table-wrap\" tabindex=\"0\" role=\"region\" "
	            "aria-labelledby=\"vergelijk-kop\"><table class=\"utrecht-table vp-compare\">"
	            "<caption class=\"utrecht-table__caption\" id=\"vergelijk-kop\">");
	html_text(b, T(r, "Differences between group A and group B, largest first"));
	html_lit(b, "</caption><thead class=\"utrecht-table__header\"><tr "
	            "class=\"utrecht-table__row\">");
	const char *heads[] = {T(r, "Question"), T(r, "Test"), T(r, "Effect size"), T(r, "q")};
	for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, heads[h]);
		html_lit(b, "</th>");
	}
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
	size_t i;
	json_t *e;
	json_array_foreach(qs, i, e)
	{
		const char *qid = json_string_value(json_object_get(e, "question"));
		html_lit(b, "<tr class=\"utrecht-table__row vp-compare-row\" data-question=\"");
		html_attr(b, qid ? qid : "");
		html_lit(b, "\"><th class=\"utrecht-table__header-cell\" scope=\"row\">");
		html_text(b, q_title(r, c, qid));
		html_lit(b, "</th><td class=\"utrecht-table__cell\">");
		const char *test = json_string_value(json_object_get(e, "test"));
		if (json_is_true(json_object_get(e, "too_few")) || !test) {
			html_text(b, T(r, "too few"));
			html_lit(b, "</td><td class=\"utrecht-table__cell\"></td><td "
			            "class=\"utrecht-table__cell\"></td></tr>");
			continue;
		}
		html_text(b, test_label(r, test));
		html_lit(b, "</td><td class=\"utrecht-table__cell "
		            "utrecht-table__cell--numeric-data\">");
		html_text(b,
		          chart_number(f1, json_number_value(json_object_get(e, "effect")), 2, l));
		html_lit(b, "</td><td class=\"utrecht-table__cell "
		            "utrecht-table__cell--numeric-data\">");
		double q = json_number_value(json_object_get(e, "q"));
		if (q < 0.001)
			html_lit(b, "&lt; 0,001");
		else
			html_text(b, chart_number(f2, q, 3, l));
		if (q < 0.05) {
			html_lit(b, "<br><strong class=\"vp-significant\">");
			html_text(b, T(r, "probably not chance"));
			html_lit(b, "</strong>");
		}
		html_lit(b, "</td></tr>");
	}
	html_lit(b, "</tbody></table></div>");
}

/* GET /verkennen/{id}/vergelijken[?a=F&b=F] */
int page_explore_compare(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c = NULL;
	if (open_collection(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *fa = req_query(r, "a"), *fb = req_query(r, "b");
	const char *error = NULL, *field = "a";
	json_t *doc = NULL;
	char da[32], db_[32];
	if (!fa && !fb) { /* last year against this year */
		time_t now = (time_t)clock_now();
		struct tm tm;
		gmtime_r(&now, &tm);
		snprintf(da, sizeof da, "period = %d", tm.tm_year + 1900 - 1);
		snprintf(db_, sizeof db_, "period = %d", tm.tm_year + 1900);
		fa = da;
		fb = db_;
	}
	if (!fa)
		fa = "";
	if (!fb)
		fb = "";
	if (strlen(fa) > FILTER_MAX || strlen(fb) > FILTER_MAX) {
		error = T(r, "The filter is too long.");
		field = strlen(fa) > FILTER_MAX ? "a" : "b";
	} else if (!*fa || !*fb) {
		error = T(r, "Fill in both groups.");
		field = *fa ? "b" : "a";
	} else {
		struct measure_args a = {.c = c,
		                         .d = req_db(r),
		                         .a = fa,
		                         .b = fb,
		                         .min_group = r->app->cfg.analysis_min_group};
		char err[512];
		if (measure_compare(&a, &doc, err, sizeof err) != 0) {
			error = arena_strdup(r->a, err);
			field = "a";
			/* which one: the one that does not parse alone */
			struct measure_args one = {.c = c,
			                           .d = req_db(r),
			                           .filter = fb,
			                           .min_group = r->app->cfg.analysis_min_group};
			json_t *cnt = NULL;
			char e2[512];
			if (measure_count(&one, &cnt, e2, sizeof e2) != 0)
				field = "b";
			json_decref(cnt);
		}
	}
	head(r, id, &coll, T(r, "Compare two groups"), error, field,
	     strcmp(field, "a") == 0 ? T(r, "Group A") : T(r, "Group B"));
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-form vp-explore-filter\" method=\"get\" action=\"");
	{
		char act[64];
		snprintf(act, sizeof act, "/verkennen/%lld/vergelijken", (long long)id);
		html_url(b, act);
	}
	html_lit(b, "\">");
	const char *help = T(r, "A filter, for example: period = 2024, or q-wijk = centrum.");
	text_field(r, "a", T(r, "Group A"), help, fa,
	           error && strcmp(field, "a") == 0 ? error : NULL);
	text_field(r, "b", T(r, "Group B"), help, fb,
	           error && strcmp(field, "b") == 0 ? error : NULL);
	submit(r);
	if (doc) {
		html_lit(b, "<section aria-labelledby=\"vergelijk-kop\">");
		compare_table(r, c, doc);
		html_lit(b, "</section>");
	}
	aix_release(c);
	json_decref(doc);
	page_end(r);
	return error ? 400 : 200;
}

/* ---- shared with the other explorer pages (explore.h) ------------------------- */

void explore_head(struct req *r, int64_t id, const struct collection *coll, const char *what,
                  const char *error, const char *field, const char *field_label)
{
	head(r, id, coll, what, error, field, field_label);
}

void explore_text_field(struct req *r, const char *name, const char *label, const char *help,
                        const char *value, const char *error)
{
	text_field(r, name, label, help, value, error);
}

void explore_submit(struct req *r)
{
	submit(r);
}

void explore_pattern_words(struct req *r, struct aix_coll *c, const json_t *pattern, buf *out)
{
	size_t k;
	json_t *cond;
	json_array_foreach(json_object_get(pattern, "conditions"), k, cond)
	{
		if (k)
			buf_printf(out, " %s ", T(r, "and"));
		condition_words(r, c, cond, out);
	}
}
