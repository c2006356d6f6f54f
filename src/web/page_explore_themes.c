/* page_explore_themes.c: the explorer's themes page: what the stories talk about, computed in the background with progress and a way to stop, then terms, shares and the closest stories per theme. */
#include "analysis/stats.h"
#include "analysis/themes_measure.h"
#include "core/util.h"
#include "http/request.h"
#include "http/server.h"
#include "web/chart.h"
#include "web/explore.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/pages.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The form: filter and number of themes, and the two periods of what is
 * rising (pa, pb: as given). */
static void themes_form(struct req *r, int64_t id, const char *filter, const char *k,
                        const char *pa, const char *pb, const char *error, int k_error)
{
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-explore-form\" method=\"get\" action=\"");
	html_url(b, explore_link(r, id, "themas", NULL, NULL, NULL, NULL));
	html_lit(b, "\">");
	explore_text_field(r, "filter", T(r, "Filter"),
	                   T(r, "Only these stories, e.g. q-wijk = centrum. Empty: all stories."),
	                   filter, error && !k_error ? error : NULL);
	explore_text_field(
	        r, "k", T(r, "Number of themes"),
	        T(r, "A whole number from 2 to 30. Empty: chosen automatically (3 to 12)."), k,
	        k_error ? error : NULL);
	explore_text_field(r, "a", T(r, "Earlier period"),
	                   T(r, "For what is rising, e.g. 2025-Q3 or 2025-07. Empty: the quarter "
	                        "before the last."),
	                   pa, NULL);
	explore_text_field(r, "b", T(r, "Later period"),
	                   T(r, "e.g. 2025-Q4. Empty: the last quarter with stories."), pb, NULL);
	explore_submit(r);
}

/* "2025-Q3" from "period = 2025-Q3", for headings. */
static const char *period_words(const char *filter)
{
	return strncmp(filter, "period = ", 9) == 0 ? filter + 9 : filter;
}

/* A share with its count: "12,5% (40)", or "too few". */
static const char *share_text(struct req *r, const json_t *e, const char *pct, const char *cnt)
{
	const json_t *p = json_object_get(e, pct), *n = json_object_get(e, cnt);
	if (!json_is_number(p))
		return T(r, "too few");
	char num[32];
	chart_number(num, json_number_value(p), 1, r->lang);
	if (!json_is_integer(n))
		return page_printf(r, "%s%%", num);
	return page_printf(r, "%s%% (%lld)", num, (long long)json_integer_value(n));
}

/* What is rising: each theme's share in the earlier and the later period
 * (default: the last two quarters), the difference with its interval and
 * q-value, the largest rise first; each share links its stories. pa and
 * pb are the periods as typed ("2025-Q3"; NULL or "": the default). */
static void render_rising(struct req *r, struct aix_coll *c, const char *pa, const char *pb)
{
	buf *b = &r->out;
	int given = pa && *pa && pb && *pb;
	const char *fa = given ? page_printf(r, "period = %s", pa) : NULL;
	const char *fb = given ? page_printf(r, "period = %s", pb) : NULL;
	struct measure_args a = {.c = c,
	                         .d = req_db(r),
	                         .a = fa,
	                         .b = fb,
	                         .min_group = r->app->cfg.analysis_min_group};
	json_t *doc = NULL;
	char err[512];
	html_lit(b, "<section aria-labelledby=\"stijgers-kop\"><h2 class=\"utrecht-heading-2\" "
	            "id=\"stijgers-kop\">");
	html_text(b, T(r, "What is rising"));
	html_lit(b, "</h2>");
	if ((pa && *pa) != (pb && *pb)) {
		page_alert(r, "error", T(r, "Give both periods, or leave both empty."));
		html_lit(b, "</section>");
		return;
	}
	int status = measure_themes_rising(&a, &doc, err, sizeof err);
	if (status) {
		page_alert(r, "error",
		           page_printf(r, "%s: %s", T(r, "What is rising could not be computed"),
		                       err));
		html_lit(b, "</section>");
		return;
	}
	const char *wa = period_words(page_jstr(json_object_get(doc, "a"), "filter"));
	const char *wb = period_words(page_jstr(json_object_get(doc, "b"), "filter"));
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "The share of each theme among the stories of two periods, the largest "
	                  "rise first. The interval shows how sure the difference is; a small "
	                  "q-value (under 0.05) means it is unlikely to be chance."));
	html_lit(b, "</p>");
	const char *head[] = {wa, wb, T(r, "Difference (percentage points, 95% interval)"),
	                      T(r, "q-value")};
	chart_table_begin(
	        b, page_printf(r, "%s: %s %s %s", T(r, "What is rising"), wa, T(r, "against"), wb),
	        head, 4);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, "rising"), i, e)
	{
		int num = (int)page_jint(e, "theme");
		const char *label = page_jstr(e, "label");
		const char *name = *label ? page_printf(r, "%s %d: %s", T(r, "Theme"), num, label)
		                          : page_printf(r, "%s %d", T(r, "Theme"), num);
		const char *cond = page_printf(r, "theme = %d", num);
		const char *cells[4], *urls[4] = {NULL, NULL, NULL, NULL}, *names[4];
		cells[0] = share_text(r, e, "percent_a", "count_a");
		cells[1] = share_text(r, e, "percent_b", "count_b");
		const json_t *d = json_object_get(e, "difference"), *ci = json_object_get(e, "ci");
		if (json_is_number(d) && json_array_size(ci) == 2) {
			char dn[32], lo[32], hi[32];
			chart_number(dn, json_number_value(d), 1, r->lang);
			chart_number(lo, json_number_value(json_array_get(ci, 0)), 1, r->lang);
			chart_number(hi, json_number_value(json_array_get(ci, 1)), 1, r->lang);
			cells[2] = page_printf(r, "%s%s (%s %s %s)",
			                       json_number_value(d) > 0 ? "+" : "", dn, lo,
			                       T(r, "to"), hi);
		} else {
			cells[2] = T(r, "too few");
		}
		const json_t *q = json_object_get(e, "q");
		char qn[32];
		cells[3] = json_is_number(q) ? chart_number(qn, json_number_value(q), 3, r->lang)
		                             : "\u2013";
		cells[3] = page_printf(r, "%s", cells[3]);
		const char *fs[2] = {page_jstr(json_object_get(doc, "a"), "filter"),
		                     page_jstr(json_object_get(doc, "b"), "filter")};
		for (int k = 0; k < 2; k++) {
			if (!json_is_number(json_object_get(e, k ? "percent_b" : "percent_a")))
				continue;
			urls[k] = explore_stories_link(r, c, fs[k], cond);
			names[k] = page_printf(r, " %s, %s %s", T(r, "stories"), name, k ? wb : wa);
		}
		names[2] = names[3] = "";
		chart_table_row_cell_links(b, name, cells, urls, names, 4);
	}
	chart_table_end(b);
	json_decref(doc);
	html_lit(b, "</section>");
}

/* The theme's name: "Theme N: term, term, term". */
static const char *theme_name(struct req *r, const json_t *theme)
{
	buf n;
	buf_init(&n);
	buf_printf(&n, "%s %lld", T(r, "Theme"), (long long)page_jint((json_t *)theme, "theme"));
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(theme, "terms"), i, t)
	{
		if (i >= 3)
			break;
		buf_puts(&n, i ? ", " : ": ");
		buf_puts(&n, page_jstr(t, "term"));
	}
	const char *s = arena_strdup(r->a, n.data);
	buf_free(&n);
	return s;
}

/* The stories of theme N, when the themes are those of all stories with
 * the number chosen automatically (the filter "theme = N" refers to those);
 * else NULL. */
static const char *theme_stories_link(struct req *r, int64_t id, const char *filter,
                                      const json_t *doc, int theme)
{
	if ((filter && *filter) || strcmp(page_jstr((json_t *)doc, "chosen_by"), "fixed") == 0)
		return NULL;
	return explore_link(r, id, "verhalen", page_printf(r, "theme = %d", theme), NULL, NULL,
	                    NULL);
}

static void render(struct req *r, int64_t id, const char *filter, const json_t *doc)
{
	buf *b = &r->out;
	long long n = page_jint((json_t *)doc, "stories");
	int k = (int)page_jint((json_t *)doc, "k");
	html_lit(b, "<section aria-labelledby=\"themas-kop\"><h2 class=\"utrecht-heading-2\" "
	            "id=\"themas-kop\">");
	html_text(b, T(r, "Themes found"));
	html_lit(b, "</h2><p class=\"utrecht-paragraph vp-explore-summary\">");
	html_text(b, T(r, "Number of themes:"));
	html_text(b, page_printf(r, " %d. ", k));
	html_text(b, T(r, "Stories:"));
	html_text(b, page_printf(r, " %lld.", n));
	html_text(b, " ");
	html_text(b, strcmp(page_jstr((json_t *)doc, "chosen_by"), "fixed") == 0
	                     ? T(r, "You chose the number of themes.")
	                     : T(r, "The number of themes was chosen automatically: the number at "
	                            "which the themes are most clearly apart."));
	html_lit(b, "</p>");
	/* the chart: each theme's share, with its 95% interval */
	json_t *opts = json_array();
	size_t i;
	json_t *th;
	json_array_foreach(json_object_get(doc, "themes"), i, th)
	{
		json_t *o = json_pack("{s:s, s:s}", "id",
		                      page_printf(r, "%lld", page_jint(th, "theme")), "label",
		                      theme_name(r, th));
		if (!json_is_true(json_object_get(th, "too_few"))) {
			double lo, hi, count = (double)page_jint(th, "stories");
			stats_wilson(count, (double)n, 1.959964, &lo, &hi);
			json_object_set_new(o, "percent", json_real(100.0 * count / (double)n));
			json_object_set_new(o, "ci", json_pack("[ff]", 100 * lo, 100 * hi));
		}
		json_array_append_new(opts, o);
	}
	json_t *chart = json_pack("{s:s, s:I, s:o}", "question", "theme", "n", (json_int_t)n,
	                          "options", opts);
	struct chart_opts co = {.lang = r->lang, .title = T(r, "Share of stories per theme")};
	html_lit(b, "<figure class=\"vp-chart\">");
	chart_bars(b, chart, &co);
	html_lit(b, "</figure>");
	json_decref(chart);
	/* the themes in words: the text alternative and more */
	json_array_foreach(json_object_get(doc, "themes"), i, th)
	{
		int num = (int)page_jint(th, "theme");
		html_lit(b, "<article class=\"vp-theme\"><h3 class=\"utrecht-heading-3\">");
		html_text(b, page_printf(r, "%s %d", T(r, "Theme"), num));
		html_lit(b, "</h3>");
		if (json_is_true(json_object_get(th, "too_few"))) {
			chart_too_few(b, r->lang);
			html_lit(b, "</article>");
			continue;
		}
		char pct[32];
		chart_number(pct, 100.0 * (double)page_jint(th, "stories") / (double)n, 0, r->lang);
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Stories:"));
		html_text(b, page_printf(r, " %lld (%s%%).", page_jint(th, "stories"), pct));
		html_text(b, " ");
		html_text(b, T(r, "Words that stand out:"));
		html_text(b, " ");
		size_t j;
		json_t *t;
		json_array_foreach(json_object_get(th, "terms"), j, t)
		{
			if (j)
				html_text(b, ", ");
			html_text(b, page_jstr(t, "term"));
		}
		html_lit(b, ".</p>");
		const char *href = theme_stories_link(r, id, filter, doc, num);
		if (href) {
			html_lit(
			        b,
			        "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
			html_url(b, href);
			html_lit(b, "\">");
			html_text(b, T(r, "Read the stories of this theme"));
			html_lit(b, "</a> (");
			html_text(b, T(r, "the closest first:"));
			json_t *s;
			json_array_foreach(json_object_get(th, "closest"), j, s)
			{
				html_text(b,
				          page_printf(r, "%s %s %lld", j ? "," : "", T(r, "story"),
				                      (long long)json_integer_value(s)));
			}
			html_lit(b, ")</p>");
		}
		html_lit(b, "</article>");
	}
	html_lit(b, "</section>");
}

/* The progress of the computation, refreshed every few seconds (an HTTP
 * Refresh header: no JavaScript needed), with a button to stop it. */
static void render_progress(struct req *r, int64_t id, const char *filter, int k,
                            const struct themes_job_status *st)
{
	const char *self = explore_link(r, id, "themas", filter, NULL, NULL, NULL);
	if (k)
		self = page_printf(r, "%s%ck=%d", self, strchr(self, '?') ? '&' : '?', k);
	buf *b = &r->out;
	req_set_header(r, "Refresh", "2");
	int pct = (int)(st->done * 100 + 0.5);
	html_lit(b, "<section aria-labelledby=\"bezig-kop\"><h2 class=\"utrecht-heading-2\" "
	            "id=\"bezig-kop\">");
	html_text(b, T(r, "Finding the themes"));
	html_lit(b, "</h2><p class=\"utrecht-paragraph\" role=\"status\">");
	html_text(b, T(r, "Busy. Done:"));
	html_text(b, page_printf(r, " %d%%. ", pct));
	html_text(b, T(r, "This page refreshes by itself."));
	html_lit(b, "</p><progress class=\"vp-progress\" max=\"100\" value=\"");
	html_attr(b, page_printf(r, "%d", pct));
	html_lit(b, "\" aria-label=\"");
	html_attr(b, T(r, "Progress"));
	html_lit(b, "\">");
	html_text(b, page_printf(r, "%d%%", pct));
	html_lit(b, "</progress><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, self);
	html_lit(b, "\">");
	html_text(b, T(r, "Refresh now"));
	html_lit(b, "</a></p>");
	page_form_open(r, explore_link(r, id, "themas/stoppen", NULL, NULL, NULL, NULL));
	page_hidden(r, "filter", filter ? filter : "");
	page_hidden(r, "k", k ? page_printf(r, "%d", k) : "");
	page_submit(r, T(r, "Stop"), 0);
	html_lit(b, "</form></section>");
}

/* GET /verkennen/{id}/themas?filter=F&k=N */
int page_explore_themes(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *raw = req_query(r, "filter"), *k = req_query(r, "k");
	const char *pa = req_query(r, "a"), *pb = req_query(r, "b");
	const char *canon = "", *error = NULL;
	int k_error = 0;
	struct themes_request t = {.min_group = r->app->cfg.analysis_min_group};
	if (k && *k) {
		int64_t v;
		if (util_parse_i64(k, &v) || v < 2 || v > THEMES_K_LIMIT) {
			error = T(r, "Give a whole number from 2 to 30, or leave it empty.");
			k_error = 1;
		} else {
			t.k = (int)v;
		}
	}
	if (!error) {
		roaring_bitmap_t *rows = explore_filter(r, c, raw, &canon, &error);
		if (rows)
			roaring_bitmap_free(rows);
	}
	explore_head(r, id, &coll, T(r, "Themes"), error, k_error ? "k" : "filter",
	             k_error ? T(r, "Number of themes") : T(r, "Filter"));
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b,
	          T(r, "What do people talk about? The computer groups stories that use the same "
	               "words. Each theme shows the words that stand out and the stories that fit "
	               "it best. Read those stories before you draw a conclusion."));
	html_lit(b, "</p>");
	themes_form(r, id, error ? raw : canon, k, pa, pb, error, k_error);
	int status = error ? 400 : 200;
	if (!error) {
		json_t *doc = themes_cached(c, canon, &t);
		if (doc) {
			render(r, id, canon, doc);
			/* what is rising: of the themes "theme = N" names */
			if (theme_stories_link(r, id, canon, doc, 1))
				render_rising(r, c, pa, pb);
			json_decref(doc);
		} else {
			struct themes_job_status st;
			themes_job_start(r->app->index, r->app->cfg.db_url, r->app->org_id, id, 0,
			                 canon, &t, &st);
			if (st.state == THEMES_JOB_DONE && (doc = themes_cached(c, canon, &t))) {
				render(r, id, canon, doc);
				if (theme_stories_link(r, id, canon, doc, 1))
					render_rising(r, c, pa, pb);
				json_decref(doc);
			} else if (st.state == THEMES_JOB_FAILED) {
				page_alert(
				        r, "error",
				        strcmp(st.error, "busy") == 0
				                ? T(r,
				                    "The computer is busy with other themes. Try "
				                    "again in a minute.")
				                : page_printf(r, "%s: %s",
				                              T(r, "The themes could not be found"),
				                              st.error));
				status = strcmp(st.error, "busy") == 0 ? 503 : 422;
			} else {
				render_progress(r, id, canon, t.k, &st);
			}
		}
	}
	aix_release(c);
	page_end(r);
	return status;
}

/* POST /verkennen/{id}/themas/stoppen (filter, k): stops the computation;
 * the link back opens the page, which starts it again. */
int page_explore_themes_stop(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *raw = req_form(r, "filter"), *k = req_form(r, "k");
	const char *canon = "", *error = NULL;
	roaring_bitmap_t *rows = explore_filter(r, c, raw, &canon, &error);
	if (rows)
		roaring_bitmap_free(rows);
	aix_release(c);
	struct themes_request t = {.min_group = r->app->cfg.analysis_min_group};
	int64_t v;
	if (k && *k && !util_parse_i64(k, &v) && v >= 2 && v <= THEMES_K_LIMIT)
		t.k = (int)v;
	int stopped = !error && themes_job_cancel(id, 0, canon, &t);
	page_begin(r, T(r, "Themes"));
	buf *b = &r->out;
	html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Themes"));
	html_lit(b, "</h1>");
	page_alert(r, stopped ? "ok" : "info",
	           stopped ? T(r, "The computation stops.") : T(r, "No computation was running."));
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, explore_link(r, id, "themas", canon, NULL, NULL, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Back to the themes (this starts the computation again)"));
	html_lit(b, "</a></p>");
	page_end(r);
	return 200;
}
