/* page_explore_words.c: the explorer's keyness page (/verkennen/{id}/woorden): the words and phrases a group's stories use more than the rest, each a link to those stories. */
#include "web/pages.h"

#include "analysis/filter.h"
#include "analysis/keyness.h"
#include "analysis/measures.h"
#include "http/server.h"
#include "web/chart.h"
#include "web/explore.h"
#include "web/html.h"
#include "web/i18n.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The condition finding the stories with term t: `text matches "word"`,
 * or for a phrase `text matches "\"two words\""` (quotes in the written
 * form dropped, so the search text stays one phrase). In the arena. */
static const char *match_cond(struct req *r, const json_t *t)
{
	const char *w = json_string_value(json_object_get(t, "term"));
	buf q, cond;
	buf_init(&q);
	buf_init(&cond);
	int phrase = json_is_true(json_object_get(t, "phrase"));
	if (phrase)
		buf_putc(&q, '"');
	for (const char *p = w ? w : ""; *p; p++)
		buf_putc(&q, *p == '"' ? ' ' : *p);
	if (phrase)
		buf_putc(&q, '"');
	buf_puts(&cond, "text matches ");
	filter_quote(&cond, q.data ? q.data : "");
	const char *s = arena_strdup(r->a, cond.data);
	buf_free(&q);
	buf_free(&cond);
	return s;
}

/* Two bars: the share of the group's stories with the term, and of the
 * others'; the numbers stand in the cells beside them. */
static void bars(buf *b, double target, double reference, double most)
{
	double w1 = most > 0 ? 160 * target / most : 0, w2 = most > 0 ? 160 * reference / most : 0;
	html_lit(b,
	         "<svg class=\"vp-keyness-bar\" width=\"160\" height=\"20\" viewBox=\"0 0 160 20\" "
	         "aria-hidden=\"true\" focusable=\"false\"><rect class=\"vp-keyness-bar__group\" "
	         "x=\"0\" y=\"1\" height=\"9\" width=\"");
	svg_num(b, w1);
	html_lit(b, "\"/><rect class=\"vp-keyness-bar__rest\" x=\"0\" y=\"11\" height=\"8\" "
	            "width=\"");
	svg_num(b, w2);
	html_lit(b, "\"/></svg>");
}

static void percent(struct req *r, buf *b, const json_t *count, const json_t *share)
{
	char f[32];
	if (json_is_null(count) || !count) {
		html_text(b, T(r, "too few"));
		return;
	}
	html_int(b, json_integer_value(count));
	html_lit(b, " (");
	html_text(b, chart_number(f, 100 * json_number_value(share), 0, r->lang));
	html_lit(b, "%)");
}

static void words_table(struct req *r, struct aix_coll *c, const char *filter, const json_t *doc)
{
	buf *b = &r->out;
	char f[32];
	const json_t *terms = json_object_get(doc, "terms");
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Stories in the group"));
	html_lit(b, ": <strong id=\"n-group\">");
	html_int(b, json_integer_value(json_object_get(json_object_get(doc, "target"), "stories")));
	html_lit(b, "</strong>. ");
	html_text(b, T(r, "Other stories"));
	html_lit(b, ": <strong id=\"n-rest\">");
	html_int(b,
	         json_integer_value(json_object_get(json_object_get(doc, "reference"), "stories")));
	html_lit(b, "</strong>.</p>");
	if (json_array_size(terms) == 0) {
		html_lit(b, "<p class=\"utrecht-paragraph vp-keyness-none\">");
		html_text(b, T(r, "This group uses no word clearly more than the other stories."));
		html_lit(b, "</p>");
		return;
	}
	double most = 0;
	size_t i;
	json_t *t;
	json_array_foreach(terms, i, t)
	{
		double s1 = json_number_value(json_object_get(t, "target_share"));
		double s2 = json_number_value(json_object_get(t, "reference_share"));
		most = s1 > most ? s1 : most;
		most = s2 > most ? s2 : most;
	}
	html_lit(b, "<div class=\"vp-table-wrap\" tabindex=\"0\" role=\"region\" "
	            "aria-labelledby=\"woorden-kop\"><table class=\"utrecht-table vp-keyness\">"
	            "<caption class=\"utrecht-table__caption\" id=\"woorden-kop\">");
	html_text(b, T(r, "Words this group uses more than the other stories, strongest first"));
	html_lit(b, "</caption><thead class=\"utrecht-table__header\"><tr "
	            "class=\"utrecht-table__row\">");
	const char *heads[] = {T(r, "Word"),
	                       T(r, "Share of stories (group above, others below)"),
	                       T(r, "Stories in the group"),
	                       T(r, "Other stories"),
	                       T(r, "Strength (G2)"),
	                       T(r, "Times more often")};
	for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, heads[h]);
		html_lit(b, "</th>");
	}
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
	json_array_foreach(terms, i, t)
	{
		const char *w = json_string_value(json_object_get(t, "term"));
		html_lit(b, "<tr class=\"utrecht-table__row vp-keyness-row\"><th "
		            "class=\"utrecht-table__header-cell\" scope=\"row\">");
		const char *link = explore_stories_link(r, c, filter, match_cond(r, t));
		if (link) {
			html_lit(b, "<a class=\"utrecht-link vp-keyness-word\" href=\"");
			html_url(b, link);
			html_lit(b, "\">");
		}
		html_text(b, w ? w : "");
		if (link)
			html_lit(b, "</a>");
		html_lit(b, "</th><td class=\"utrecht-table__cell\">");
		bars(b, json_number_value(json_object_get(t, "target_share")),
		     json_number_value(json_object_get(t, "reference_share")), most);
		html_lit(b, "</td><td class=\"utrecht-table__cell "
		            "utrecht-table__cell--numeric-data\">");
		percent(r, b, json_object_get(t, "target"), json_object_get(t, "target_share"));
		html_lit(b, "</td><td class=\"utrecht-table__cell "
		            "utrecht-table__cell--numeric-data\">");
		percent(r, b, json_object_get(t, "reference"),
		        json_object_get(t, "reference_share"));
		html_lit(b, "</td><td class=\"utrecht-table__cell "
		            "utrecht-table__cell--numeric-data\">");
		html_text(b,
		          chart_number(f, json_number_value(json_object_get(t, "g2")), 1, r->lang));
		html_lit(b, "</td><td class=\"utrecht-table__cell "
		            "utrecht-table__cell--numeric-data\">");
		/* the log ratio as a factor: 2 to the power of it */
		html_text(b,
		          chart_number(f, exp2(json_number_value(json_object_get(t, "log_ratio"))),
		                       1, r->lang));
		html_lit(b, "\u00d7</td></tr>");
	}
	html_lit(b, "</tbody></table></div><p class=\"utrecht-paragraph vp-keyness-note\">");
	html_text(b, T(r, "A word counts once per story. Shown: words in at least this many "
	                  "stories of the group:"));
	html_lit(b, " ");
	html_int(b, json_integer_value(json_object_get(doc, "min_stories")));
	html_lit(b, ". ");
	html_text(b, T(r, "And only differences that are very unlikely to be chance (G2 above "
	                  "10.83, p < 0.001). Choose a word to read those stories."));
	html_lit(b, "</p>");
}

/* GET /verkennen/{id}/woorden?filter=F[&against=F2] */
int page_explore_words(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c = NULL;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *raw = req_query(r, "filter"), *against = req_query(r, "against");
	const char *canon = "", *error = NULL, *field = "filter", *busy = NULL;
	json_t *doc = NULL;
	roaring_bitmap_t *rows = explore_filter(r, c, raw, &canon, &error);
	if (!error && against && *against && strlen(against) > EXPLORE_FILTER_MAX) {
		error = T(r, "The filter is too long.");
		field = "against";
	}
	if (!error && canon[0]) {
		struct measure_args a = {.c = c,
		                         .d = req_db(r),
		                         .filter = canon,
		                         .rows = rows,
		                         .b = against,
		                         .min_group = r->app->cfg.analysis_min_group};
		char err[512];
		int st = measure_keyness(&a, &doc, err, sizeof err);
		if (st == 503) { /* a large collection's words are being prepared */
			busy = arena_strdup(r->a, err);
		} else if (st != 0) {
			error = arena_strdup(r->a, err);
			field = "against";
		}
	}
	if (rows)
		roaring_bitmap_free(rows);
	explore_head(r, id, &coll, T(r, "Words a group uses more"), error, field,
	             strcmp(field, "filter") == 0 ? T(r, "Group") : T(r, "Compare with"));
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-form vp-explore-filter\" method=\"get\" action=\"");
	html_url(b, explore_link(r, id, "woorden", NULL, NULL, NULL, NULL));
	html_lit(b, "\">");
	explore_text_field(r, "filter", T(r, "Group"),
	                   T(r, "A filter, for example: q-wijk = centrum, or period = 2025."),
	                   error && strcmp(field, "filter") == 0 ? raw : canon,
	                   error && strcmp(field, "filter") == 0 ? error : NULL);
	explore_text_field(r, "against", T(r, "Compare with"),
	                   T(r, "Empty: all other stories. Or a filter for a second group."),
	                   against ? against : "",
	                   error && strcmp(field, "against") == 0 ? error : NULL);
	explore_submit(r);
	if (doc) {
		html_lit(b, "<section aria-labelledby=\"woorden-kop\">");
		if (json_is_true(json_object_get(doc, "too_few")))
			chart_too_few(b, r->lang);
		else
			words_table(r, c, canon, doc);
		html_lit(b, "</section>");
	} else if (busy) {
		html_lit(b, "<p class=\"utrecht-paragraph vp-keyness-busy\" role=\"status\">");
		html_text(b, busy);
		html_lit(b, "</p>");
	} else if (!error) {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Choose a group with a filter to see the words its stories use "
		                  "more than the other stories."));
		html_lit(b, "</p>");
	}
	aix_release(c);
	json_decref(doc);
	page_end(r);
	return error ? 400 : busy ? 503 : 200;
}
