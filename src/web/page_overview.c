/* page_overview.c: the overview of a collection (/verkennen/{id}/overzicht) and of a trajectory (/trajecten/{id}/overzicht), and their reports to print (/rapport): stories over time by channel, the consultant's share, open feedback loops, the notable patterns and changes, each one click from its evidence. */
#include "web/pages.h"

#include "analysis/index.h"
#include "analysis/measures.h"
#include "core/clock.h"
#include "core/util.h"
#include "http/server.h"
#include "model/collection.h"
#include "model/conversation.h"
#include "model/script.h"
#include "model/story_read.h"
#include "model/story_set.h"
#include "model/trajectory.h"
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
#include <time.h>

/* Patterns and changes the overview lists. */
#define TOP 3
/* Stories a report shows by default, and at most. */
#define REPORT_STORIES     5
#define REPORT_STORIES_MAX 25
/* Periods the chart of stories over time draws at most (the latest). */
#define PERIODS_MAX 24

/* What one request of these pages carries from section to section. */
struct view {
	struct req *r;
	struct aix_coll *c;
	const char *filter;           /* canonical, "" for all */
	const roaring_bitmap_t *rows; /* the filter's stories */
	int report;                   /* a report to print: fewer links, no forms */
	int min;
	const char
	        *hid; /* prefix of the ids of headings (a trajectory shows several collections) */
	int level;    /* of the sections' headings: 2, or 3 under a collection's own */
};

static int min_group(struct req *r)
{
	return r->app->cfg.analysis_min_group > 0 ? r->app->cfg.analysis_min_group
	                                          : MEASURES_MIN_GROUP;
}

/* An id for a heading: prefix-name, in the arena. */
static const char *hid(struct view *v, const char *name)
{
	buf t;
	buf_init(&t);
	buf_puts(&t, v->hid);
	buf_puts(&t, name);
	const char *s = arena_strdup(v->r->a, t.data);
	buf_free(&t);
	return s;
}

static void h_open(struct view *v, int level, const char *id, const char *text)
{
	buf *b = &v->r->out;
	if (level == 2)
		html_lit(b, "<h2 class=\"utrecht-heading-2\" id=\"");
	else
		html_lit(b, "<h3 class=\"utrecht-heading-3\" id=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, text);
	if (level == 2)
		html_lit(b, "</h2>");
	else
		html_lit(b, "</h3>");
}

static void section_begin(struct view *v, const char *cls, const char *id)
{
	buf *b = &v->r->out;
	html_lit(b, "<section class=\"vp-overview-section ");
	html_attr(b, cls);
	html_lit(b, "\" aria-labelledby=\"");
	html_attr(b, id);
	html_lit(b, "\">");
}

static const char *channel_words(struct req *r, int ch)
{
	static const char *const names[AIX_CHANNELS] = {N_("Online"),       N_("Kiosk"),
	                                                N_("Face to face"), N_("By phone"),
	                                                N_("On paper"),     N_("Imported")};
	return ch >= 0 && ch < AIX_CHANNELS ? T(r, names[ch]) : "";
}

/* ---- stories over time, by channel ------------------------------------------- */

/* The period of time t: a quarter ("2025-Q3") or a month ("2025-07"),
 * and its number (to order and count them). */
static int period_of(int64_t t, int quarters, char name[16])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	int y = tm.tm_year + 1900;
	if (quarters) {
		int q = tm.tm_mon / 3;
		if (name)
			snprintf(name, 16, "%04d-Q%d", y, q + 1);
		return y * 4 + q;
	}
	if (name)
		snprintf(name, 16, "%04d-%02d", y, tm.tm_mon + 1);
	return y * 12 + tm.tm_mon;
}

static void period_name(int k, int quarters, char name[16])
{
	if (quarters)
		snprintf(name, 16, "%04d-Q%d", k / 4, k % 4 + 1);
	else
		snprintf(name, 16, "%04d-%02d", k / 12, k % 12 + 1);
}

/* The first and last moment of rows; 0 when there are none. */
static int time_span(const struct aix_coll *c, const roaring_bitmap_t *rows, int64_t *lo,
                     int64_t *hi)
{
	*lo = INT64_MAX;
	*hi = INT64_MIN;
	roaring_uint32_iterator_t *it = roaring_create_iterator(rows);
	int any = 0;
	while (it->has_value) {
		int64_t t = c->created_at[it->current_value];
		if (t < *lo)
			*lo = t;
		if (t > *hi)
			*hi = t;
		any = 1;
		roaring_advance_uint32_iterator(it);
	}
	roaring_free_uint32_iterator(it);
	return any;
}

static void section_time(struct view *v)
{
	struct req *r = v->r;
	buf *b = &r->out;
	const char *id = hid(v, "tijd");
	section_begin(v, "vp-overview-time", id);
	h_open(v, v->level, id, T(r, "Stories over time, by channel"));
	int64_t lo, hi;
	uint64_t n = roaring_bitmap_get_cardinality(v->rows);
	if (n < (uint64_t)v->min || !time_span(v->c, v->rows, &lo, &hi)) {
		chart_too_few(b, r->lang);
		html_lit(b, "</section>");
		return;
	}
	int quarters = hi - lo > 400 * 86400;
	int k0 = period_of(lo, quarters, NULL), k1 = period_of(hi, quarters, NULL);
	if (k1 - k0 + 1 > PERIODS_MAX)
		k0 = k1 - PERIODS_MAX + 1;
	size_t np = (size_t)(k1 - k0 + 1), ns = AIX_CHANNELS;
	double *counts = arena_zalloc(r->a, np * ns * sizeof *counts);
	double *totals = arena_zalloc(r->a, np * sizeof *totals);
	/* each period's first second, so a row's period is a binary search
	 * (a million rows: no calendar arithmetic per row) */
	int64_t *starts = arena_alloc(r->a, (np + 1) * sizeof *starts);
	for (size_t i = 0; i <= np; i++) {
		int k = k0 + (int)i;
		struct tm tm = {.tm_year = (quarters ? k / 4 : k / 12) - 1900,
		                .tm_mon = quarters ? (k % 4) * 3 : k % 12,
		                .tm_mday = 1};
		starts[i] = (int64_t)timegm(&tm);
	}
	roaring_uint32_iterator_t *it = roaring_create_iterator(v->rows);
	while (it->has_value) {
		uint32_t row = it->current_value;
		int64_t t = v->c->created_at[row];
		int ch = v->c->channel[row];
		if (t >= starts[0] && t < starts[np] && ch < AIX_CHANNELS) {
			size_t lo_i = 0, hi_i = np; /* starts[lo_i] <= t < starts[hi_i] */
			while (hi_i - lo_i > 1) {
				size_t mid = (lo_i + hi_i) / 2;
				if (starts[mid] <= t)
					lo_i = mid;
				else
					hi_i = mid;
			}
			counts[lo_i * ns + (size_t)ch] += 1;
			totals[lo_i] += 1;
		}
		roaring_advance_uint32_iterator(it);
	}
	roaring_free_uint32_iterator(it);
	/* small cells: a period or a channel in it with fewer than min
	 * stories shows no figure (a count of 0 singles out no one) */
	size_t top = 0;
	for (size_t i = 0; i < np; i++) {
		for (size_t s = 0; s < ns; s++) {
			double x = counts[i * ns + s];
			if (x > 0 && x < v->min)
				counts[i * ns + s] = NAN;
		}
		if (totals[i] > 0 && totals[i] < v->min)
			totals[i] = NAN;
		if (isfinite(totals[i]) && (!isfinite(totals[top]) || totals[i] > totals[top]))
			top = i;
	}
	/* only the channels that have stories here */
	int used[AIX_CHANNELS] = {0};
	size_t nused = 0;
	for (size_t s = 0; s < ns; s++) {
		for (size_t i = 0; i < np && !used[s]; i++)
			used[s] = counts[i * ns + s] != 0;
		nused += used[s];
	}
	const char **series = arena_alloc(r->a, (nused ? nused : 1) * sizeof *series);
	double *cs = arena_zalloc(r->a, np * (nused ? nused : 1) * sizeof *cs);
	const char **periods = arena_alloc(r->a, np * sizeof *periods);
	size_t u = 0;
	for (size_t s = 0; s < ns; s++) {
		if (!used[s])
			continue;
		series[u] = channel_words(r, (int)s);
		for (size_t i = 0; i < np; i++)
			cs[i * nused + u] = counts[i * ns + s];
		u++;
	}
	for (size_t i = 0; i < np; i++) {
		char name[16];
		period_name(k0 + (int)i, quarters, name);
		periods[i] = arena_strdup(r->a, name);
	}
	char f1[32], f2[32];
	buf d;
	buf_init(&d);
	buf_puts(&d, chart_number(f1, (double)n, 0, r->lang));
	buf_puts(&d, " ");
	buf_puts(&d, T(r, "stories from"));
	buf_puts(&d, " ");
	buf_puts(&d, periods[0]);
	buf_puts(&d, " ");
	buf_puts(&d, T(r, "to"));
	buf_puts(&d, " ");
	buf_puts(&d, periods[np - 1]);
	if (isfinite(totals[top]) && totals[top] > 0) {
		buf_puts(&d, "; ");
		buf_puts(&d, T(r, "most in"));
		buf_puts(&d, " ");
		buf_puts(&d, periods[top]);
		buf_puts(&d, " (");
		buf_puts(&d, chart_number(f2, totals[top], 0, r->lang));
		buf_puts(&d, ")");
	}
	buf_puts(&d, ".");
	html_lit(b, "<p class=\"utrecht-paragraph vp-overview-summary\">");
	html_text(b, d.data);
	/* each part with a figure opens its stories (not in a report) */
	const char **hrefs = arena_zalloc(r->a, np * (nused ? nused : 1) * sizeof *hrefs);
	const char **chans = arena_zalloc(r->a, (nused ? nused : 1) * sizeof *chans);
	for (size_t s = 0, k = 0; s < ns; s++)
		if (used[s])
			chans[k++] = aix_channel_name((int)s);
	for (size_t i = 0; i < np && !v->report; i++)
		for (size_t s = 0; s < nused; s++) {
			if (!(cs[i * nused + s] > 0)) /* NaN: too few; 0: nothing to open */
				continue;
			buf cond;
			buf_init(&cond);
			buf_printf(&cond, "period = %s and channel = %s", periods[i], chans[s]);
			hrefs[i * nused + s] = explore_stories_link(r, v->c, v->filter, cond.data);
			buf_free(&cond);
		}
	html_lit(b, "</p><figure class=\"vp-chart vp-chart--stacked\">");
	chart_stacked_linked(b, periods, np, series, nused, cs, totals,
	                     T(r, "Stories over time, by channel"), d.data, r->lang, hrefs);
	html_lit(b, "</figure>");
	buf_free(&d);
	/* the same figures as a table */
	if (!v->report) {
		html_lit(b, "<details class=\"vp-explore-figures\"><summary>");
		html_text(b, T(r, "Show the figures"));
		html_lit(b, "</summary>");
	}
	html_lit(b, "<div class=\"vp-chart-table\" tabindex=\"0\" role=\"region\" aria-label=\"");
	html_attr(b, T(r, "Stories per period and channel"));
	html_lit(b, "\"><table class=\"utrecht-table\"><caption class=\"utrecht-table__caption\">");
	html_text(b, T(r, "Stories per period and channel"));
	html_lit(b, "</caption><thead class=\"utrecht-table__header\"><tr "
	            "class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
	            "scope=\"col\">");
	html_text(b, T(r, "Period"));
	html_lit(b, "</th>");
	for (size_t s = 0; s < nused; s++) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, series[s]);
		html_lit(b, "</th>");
	}
	html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
	html_text(b, T(r, "Total"));
	html_lit(b, "</th></tr></thead><tbody class=\"utrecht-table__body\">");
	for (size_t i = 0; i < np; i++) {
		html_lit(
		        b,
		        "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
		        "scope=\"row\">");
		html_text(b, periods[i]);
		html_lit(b, "</th>");
		for (size_t s = 0; s <= nused; s++) {
			double x = s < nused ? cs[i * nused + s] : totals[i];
			const char *href = s < nused ? hrefs[i * nused + s] : NULL;
			html_lit(b, "<td class=\"utrecht-table__cell "
			            "utrecht-table__cell--numeric-column\">");
			if (href) {
				html_lit(b, "<a class=\"utrecht-link vp-chart-stories\" href=\"");
				html_url(b, href);
				html_lit(b, "\">");
			}
			html_text(b,
			          isfinite(x) ? chart_number(f1, x, 0, r->lang) : T(r, "too few"));
			if (href) {
				html_lit(b, "<span class=\"vp-visually-hidden\"> ");
				html_text(b, T(r, "stories"));
				html_lit(b, ": ");
				html_text(b, periods[i]);
				html_lit(b, ", ");
				html_text(b, series[s]);
				html_lit(b, "</span></a>");
			}
			html_lit(b, "</td>");
		}
		html_lit(b, "</tr>");
	}
	html_lit(b, "</tbody></table></div>");
	if (!v->report)
		html_lit(b, "</details>");
	html_lit(b, "</section>");
}

/* ---- the consultant's share ------------------------------------------------------ */

static void section_share(struct view *v)
{
	struct req *r = v->r;
	buf *b = &r->out;
	const char *id = hid(v, "adviseur");
	section_begin(v, "vp-overview-share", id);
	h_open(v, v->level, id, T(r, "With the consultant's view"));
	uint64_t n = roaring_bitmap_get_cardinality(v->rows);
	uint64_t p = roaring_bitmap_and_cardinality(v->rows, v->c->professional);
	html_lit(b, "<p class=\"utrecht-paragraph vp-overview-summary\" id=\"");
	html_attr(b, hid(v, "adviseur-aandeel"));
	html_lit(b, "\">");
	if (n < (uint64_t)v->min || (p > 0 && p < (uint64_t)v->min)) {
		html_text(b, T(r, "Too few stories to show this."));
	} else {
		char f1[32], f2[32], f3[32];
		html_text(b, chart_number(f1, (double)p, 0, r->lang));
		html_lit(b, " ");
		html_text(b, T(r, "of"));
		html_lit(b, " ");
		html_text(b, chart_number(f2, (double)n, 0, r->lang));
		html_lit(b, " ");
		html_text(b, T(r, "stories carry the consultant's answers too"));
		html_lit(b, " (");
		html_text(b, chart_number(f3, 100.0 * (double)p / (double)n, 0, r->lang));
		html_lit(b, "%).");
	}
	html_lit(b, "</p>");
	if (!v->report && p >= (uint64_t)v->min) {
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
		html_url(b,
		         explore_link(r, v->c->id, "perspectieven", v->filter, NULL, NULL, NULL));
		html_lit(b, "\">");
		html_text(b, T(r, "Where client and consultant agree and differ"));
		html_lit(b, "</a> \u00b7 <a class=\"utrecht-link\" href=\"");
		html_url(b, explore_link(r, v->c->id, "mensen", v->filter, NULL, NULL, NULL));
		html_lit(b, "\">");
		html_text(b, T(r, "People over time"));
		html_lit(b, "</a></p>");
	}
	html_lit(b, "</section>");
}

/* ---- open feedback loops ------------------------------------------------------------ */

/* The trajectory's people waiting for feedback: how many, the longest
 * wait, and where to act. */
static void section_loops(struct req *r, int64_t trajectory_id, const char *id, int report)
{
	buf *b = &r->out;
	html_lit(b, "<section class=\"vp-overview-section vp-overview-loops\" aria-labelledby=\"");
	html_attr(b, id);
	html_lit(b, "\"><h2 class=\"utrecht-heading-2\" id=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, T(r, "Open feedback loops"));
	html_lit(
	        b,
	        "</h2><p class=\"utrecht-paragraph vp-overview-summary vp-overview-loops__text\">");
	if (!trajectory_id) {
		html_text(b, T(r, "This collection is not part of a trajectory."));
		html_lit(b, "</p></section>");
		return;
	}
	json_t *loops = NULL;
	/* the route let only who may see the trajectory in: every loop of it */
	if (conversation_open_loops_json(req_db(r), r->app->org_id, 0, clock_now(), &loops) !=
	    DB_OK) {
		json_decref(loops);
		loops = json_array();
	}
	long long count = 0, longest = 0;
	size_t i;
	json_t *e;
	json_array_foreach(loops, i, e)
	{
		if (json_integer_value(json_object_get(e, "trajectory_id")) != trajectory_id)
			continue;
		count++;
		long long days = json_integer_value(json_object_get(e, "days"));
		if (days > longest)
			longest = days;
	}
	json_decref(loops);
	if (count == 0) {
		html_text(b, T(r, "Nobody is waiting for feedback."));
	} else {
		html_lit(b, "<strong class=\"vp-overview-loops__count\">");
		html_int(b, count);
		html_lit(b, "</strong> ");
		html_text(b, count == 1 ? T(r, "person waits for personal feedback after a talk.")
		                        : T(r, "people wait for personal feedback after a talk."));
		html_lit(b, " ");
		html_text(b, T(r, "The longest wait:"));
		html_lit(b, " <strong class=\"vp-overview-loops__days\">");
		html_int(b, longest);
		html_lit(b, "</strong> ");
		html_text(b, longest == 1 ? T(r, "day.") : T(r, "days."));
	}
	html_lit(b, "</p>");
	if (!report && count > 0) {
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link "
		            "vp-overview-loops__link\" href=\"/gesprekken\">");
		html_text(b, T(r, "Send the feedback: conversations"));
		html_lit(b, "</a></p>");
	}
	html_lit(b, "</section>");
}

/* ---- patterns ---------------------------------------------------------------------- */

/* The outcome the overview looks at first: the teller's first slider,
 * else scale, else number. NULL when the script has none. */
static const struct question *default_outcome(struct aix_coll *c)
{
	static const int order[] = {Q_DYAD, Q_SCALE, Q_NUMBER};
	for (size_t k = 0; k < sizeof order / sizeof *order; k++)
		for (int i = 0; i < c->nq; i++)
			if ((int)c->q[i].q->type == order[k] &&
			    c->q[i].q->perspective != PERSPECTIVE_PROFESSIONAL)
				return c->q[i].q;
	return NULL;
}

static void q_value(struct req *r, buf *b, double q)
{
	char f[32];
	if (q < 0.001) {
		html_lit(b, "&lt; ");
		html_text(b, chart_number(f, 0.001, 3, r->lang));
	} else {
		html_text(b, chart_number(f, q, 3, r->lang));
	}
}

static void section_patterns(struct view *v)
{
	struct req *r = v->r;
	buf *b = &r->out;
	const char *id = hid(v, "patronen");
	section_begin(v, "vp-overview-patterns", id);
	const struct question *oq = default_outcome(v->c);
	h_open(v, v->level, id, T(r, "Notable patterns"));
	if (!oq) {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "This collection has no question with a slider, a scale or a "
		                  "number to look for patterns in."));
		html_lit(b, "</p></section>");
		return;
	}
	struct measure_args a = {.c = v->c,
	                         .d = req_db(r),
	                         .filter = v->filter,
	                         .outcome = oq->id,
	                         .limit = TOP,
	                         .min_group = v->min};
	json_t *doc = NULL;
	char err[512];
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Groups whose answer to this question differs most from the rest:"));
	html_lit(b, " <strong>");
	html_text(b, ltext_get(&oq->text, r->lang));
	html_lit(b, "</strong></p>");
	const json_t *pats = NULL;
	if (measure_patterns(&a, &doc, err, sizeof err) == 0)
		pats = json_object_get(doc, "patterns");
	if (json_is_true(json_object_get(doc, "too_few")) || json_array_size(pats) == 0) {
		chart_too_few(b, r->lang);
		json_decref(doc);
		html_lit(b, "</section>");
		return;
	}
	double span = 0;
	size_t i;
	json_t *p;
	json_array_foreach(pats, i, p)
	{
		const json_t *ci = json_object_get(p, "ci");
		span = fmax(span, fabs(json_number_value(json_array_get(ci, 0))));
		span = fmax(span, fabs(json_number_value(json_array_get(ci, 1))));
	}
	html_lit(b, "<ol class=\"utrecht-ordered-list vp-overview-list\">");
	json_array_foreach(pats, i, p)
	{
		if (i >= TOP)
			break;
		buf words, desc;
		buf_init(&words);
		buf_init(&desc);
		explore_pattern_words(r, v->c, p, &words);
		char f1[32], f2[32], f3[32], f4[32], f5[32];
		double d = json_number_value(json_object_get(p, "difference"));
		const json_t *ci = json_object_get(p, "ci");
		double lo = json_number_value(json_array_get(ci, 0)),
		       hi = json_number_value(json_array_get(ci, 1));
		double q = json_number_value(json_object_get(p, "q"));
		buf_printf(&desc, "%s %s (%s %s %s %s)", T(r, "Difference"),
		           chart_number(f1, d, 1, r->lang), T(r, "95% interval"),
		           chart_number(f2, lo, 1, r->lang), T(r, "to"),
		           chart_number(f3, hi, 1, r->lang));
		html_lit(b, "<li class=\"vp-overview-pattern\"><strong>");
		html_text(b, words.data);
		html_lit(b, "</strong>: ");
		html_int(b, json_integer_value(json_object_get(p, "n")));
		html_lit(b, " ");
		html_text(b, T(r, "stories, mean"));
		html_lit(b, " ");
		html_text(b, chart_number(f4, json_number_value(json_object_get(p, "mean")), 1,
		                          r->lang));
		html_lit(b, " ");
		html_text(b, T(r, "against"));
		html_lit(b, " ");
		html_text(b, chart_number(f5, json_number_value(json_object_get(p, "mean_rest")), 1,
		                          r->lang));
		html_lit(b, " ");
		html_text(b, T(r, "for the rest"));
		html_lit(b, "; ");
		html_text(b, desc.data);
		html_lit(b, "; q ");
		q_value(r, b, q);
		if (q < 0.05) {
			html_lit(b, " <strong class=\"vp-significant\">");
			html_text(b, T(r, "probably not chance"));
			html_lit(b, "</strong>");
		}
		const char *pf = json_string_value(json_object_get(p, "filter"));
		html_lit(b, "<span class=\"vp-pattern-diff\">");
		{ /* the mark opens the pattern's stories (not in a report) */
			buf name;
			buf_init(&name);
			buf_printf(&name, "%s: %s", T(r, "Read the stories"), words.data);
			chart_interval_link(b, d, lo, hi, span, desc.data, NULL,
			                    v->report ? NULL
			                              : explore_link(r, v->c->id, "verhalen", pf,
			                                             NULL, NULL, NULL),
			                    name.data);
			buf_free(&name);
		}
		html_lit(b, "</span>");
		if (!v->report) {
			html_lit(b, "<span class=\"vp-overview-links\"><a class=\"utrecht-link "
			            "vp-overview-evidence\" href=\"");
			html_url(b, explore_href(r, v->c->id, pf));
			html_lit(b, "\">");
			html_text(b, T(r, "See these stories"));
			html_lit(b, "<span class=\"vp-visually-hidden\">: ");
			html_text(b, words.data);
			html_lit(b, "</span></a><a class=\"utrecht-link\" href=\"");
			html_url(b, explore_link(r, v->c->id, "verhalen", pf, NULL, NULL, NULL));
			html_lit(b, "\">");
			html_text(b, T(r, "Read the stories"));
			html_lit(b, "<span class=\"vp-visually-hidden\">: ");
			html_text(b, words.data);
			html_lit(b, "</span></a></span>");
		}
		html_lit(b, "</li>");
		buf_free(&words);
		buf_free(&desc);
	}
	html_lit(b, "</ol>");
	if (!v->report) {
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
		buf u;
		buf_init(&u);
		buf_puts(&u, explore_link(r, v->c->id, "patronen", v->filter, NULL, NULL, NULL));
		buf_puts(&u, strchr(u.data, '?') ? "&uitkomst=" : "?uitkomst=");
		buf_puts(&u, oq->id);
		html_url(b, u.data);
		buf_free(&u);
		html_lit(b, "\">");
		html_text(b, T(r, "All patterns"));
		html_lit(b, "</a></p>");
	}
	json_decref(doc);
	html_lit(b, "</section>");
}

/* ---- changes since the previous period ------------------------------------------------ */

/* s as a query value (the explorer's own percent-encoding). */
static const char *encoded(struct req *r, const char *s)
{
	const char *link = explore_link(r, 0, "", s, NULL, NULL, NULL);
	const char *q = strstr(link, "?filter=");
	return q ? q + 8 : "";
}

static void section_changes(struct view *v)
{
	struct req *r = v->r;
	buf *b = &r->out;
	const char *id = hid(v, "veranderingen");
	section_begin(v, "vp-overview-changes", id);
	h_open(v, v->level, id, T(r, "Changes since the previous quarter"));
	int64_t lo, hi;
	if (!time_span(v->c, v->rows, &lo, &hi)) {
		chart_too_few(b, r->lang);
		html_lit(b, "</section>");
		return;
	}
	/* the last quarter with stories against the one before */
	int k = period_of(hi, 1, NULL);
	char last[16], prev[16], ca[40], cb[40];
	period_name(k, 1, last);
	period_name(k - 1, 1, prev);
	snprintf(ca, sizeof ca, "period = %s", prev);
	snprintf(cb, sizeof cb, "period = %s", last);
	const char *fa = explore_combined(r, v->c, v->filter, ca);
	const char *fb = explore_combined(r, v->c, v->filter, cb);
	json_t *doc = NULL;
	char err[512];
	struct measure_args a = {.c = v->c, .d = req_db(r), .a = fa, .b = fb, .min_group = v->min};
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, last);
	html_lit(b, " ");
	html_text(b, T(r, "against"));
	html_lit(b, " ");
	html_text(b, prev);
	html_lit(b, ": ");
	html_text(b, T(r, "the questions whose answers changed most."));
	html_lit(b, "</p>");
	const json_t *qs = NULL;
	if (fa && fb && measure_compare(&a, &doc, err, sizeof err) == 0)
		qs = json_object_get(doc, "questions");
	size_t shown = 0, i;
	json_t *e;
	json_array_foreach(qs, i, e)
	{
		if (shown >= TOP)
			break;
		const char *test = json_string_value(json_object_get(e, "test"));
		if (json_is_true(json_object_get(e, "too_few")) || !test)
			continue;
		if (shown == 0)
			html_lit(b, "<ol class=\"utrecht-ordered-list vp-overview-list\">");
		shown++;
		const char *qid = json_string_value(json_object_get(e, "question"));
		struct aix_question *aq = qid ? aix_question(v->c, qid) : NULL;
		double q = json_number_value(json_object_get(e, "q"));
		char f[32];
		html_lit(b, "<li class=\"vp-overview-change\"><strong>");
		html_text(b, aq ? ltext_get(&aq->q->text, r->lang) : qid ? qid : "");
		html_lit(b, "</strong>: ");
		html_text(b, T(r, "effect size"));
		html_lit(b, " ");
		html_text(b, chart_number(f, json_number_value(json_object_get(e, "effect")), 2,
		                          r->lang));
		html_lit(b, ", q ");
		q_value(r, b, q);
		if (q < 0.05) {
			html_lit(b, " <strong class=\"vp-significant\">");
			html_text(b, T(r, "probably not chance"));
			html_lit(b, "</strong>");
		} else {
			html_lit(b, " (");
			html_text(b, T(r, "may well be chance"));
			html_lit(b, ")");
		}
		if (!v->report) {
			html_lit(b, "<span class=\"vp-overview-links\"><a class=\"utrecht-link "
			            "vp-overview-evidence\" href=\"");
			buf u;
			buf_init(&u);
			buf_puts(&u,
			         explore_link(r, v->c->id, "vergelijken", NULL, NULL, NULL, NULL));
			buf_puts(&u, "?a=");
			buf_puts(&u, encoded(r, fa));
			buf_puts(&u, "&b=");
			buf_puts(&u, encoded(r, fb));
			html_url(b, u.data);
			buf_free(&u);
			html_lit(b, "\">");
			html_text(b, T(r, "Compare the two quarters"));
			html_lit(b, "</a><a class=\"utrecht-link\" href=\"");
			html_url(b, explore_href(r, v->c->id, fb));
			html_lit(b, "#v-");
			html_attr(b, qid ? qid : "");
			html_lit(b, "\">");
			html_text(b, T(r, "This quarter in the explorer"));
			html_lit(b, "</a></span>");
		}
		html_lit(b, "</li>");
	}
	if (shown)
		html_lit(b, "</ol>");
	else
		chart_too_few(b, r->lang);
	json_decref(doc);
	html_lit(b, "</section>");
}

/* ---- a collection's sections ---------------------------------------------------------- */

static void collection_sections(struct view *v)
{
	section_time(v);
	section_share(v);
	section_patterns(v);
	section_changes(v);
}

/* The filter of the request (raw) narrowed to the days van..tot (each NULL
 * or "" for no limit), parsed against c: its rows, or NULL with *error. */
static roaring_bitmap_t *view_rows(struct req *r, struct aix_coll *c, const char *raw,
                                   const char *van, const char *tot, const char **canon,
                                   const char **error, int *date_error)
{
	*date_error = 0;
	buf cond;
	buf_init(&cond);
	if (van && *van)
		buf_printf(&cond, "created >= %s", van);
	if (tot && *tot)
		buf_printf(&cond, "%screated <= %s", cond.len ? " and " : "", tot);
	const char *text = raw ? raw : "";
	if (cond.len) {
		/* the dates alone first, for a clear message */
		const char *dates = explore_combined(r, c, NULL, cond.data);
		if (!dates || (van && tot && *van && *tot && strcmp(van, tot) > 0)) {
			*error = T(r,
			           "Give the days as YYYY-MM-DD, the first on or before the last.");
			*date_error = 1;
			*canon = "";
			buf_free(&cond);
			return NULL;
		}
		if (*text) {
			const char *both = explore_combined(r, c, text, cond.data);
			text = both ? both : text; /* a bad filter: its own message below */
		} else {
			text = dates;
		}
	}
	buf_free(&cond);
	return explore_filter(r, c, text, canon, error);
}

/* ---- the collection's overview -------------------------------------------------------- */

/* GET /verkennen/{id}/overzicht[?filter=F] */
int page_explore_overview(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *raw = req_query(r, "filter");
	const char *filter = "", *error = NULL;
	roaring_bitmap_t *rows = explore_filter(r, c, raw, &filter, &error);
	explore_head(r, id, &coll, T(r, "Overview"), error, "filter", T(r, "Filter"));
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-form vp-explore-filter\" method=\"get\" action=\"");
	html_url(b, explore_link(r, id, "overzicht", NULL, NULL, NULL, NULL));
	html_lit(b, "\">");
	explore_text_field(r, "filter", T(r, "Only among (optional filter)"),
	                   T(r, "Leave empty for all stories. For example: q-wijk = centrum."),
	                   error ? raw : filter, error);
	explore_submit(r);
	if (!error) {
		html_lit(b, "<ul class=\"utrecht-unordered-list vp-explore-more\"><li><a "
		            "class=\"utrecht-link\" href=\"");
		html_url(b, explore_href(r, id, filter));
		html_lit(b, "\">");
		html_text(b, T(r, "Every question in a chart"));
		html_lit(b, "</a></li><li><a class=\"utrecht-link vp-overview-report\" href=\"");
		html_url(b, explore_link(r, id, "rapport", filter, NULL, NULL, NULL));
		html_lit(b, "\">");
		html_text(b, T(r, "Report to print"));
		html_lit(b, "</a></li></ul>");
		struct view v = {.r = r,
		                 .c = c,
		                 .filter = filter,
		                 .rows = rows,
		                 .min = min_group(r),
		                 .hid = "o-",
		                 .level = 2};
		collection_sections(&v);
		section_loops(r, coll.trajectory_id, "o-lussen", 0);
	}
	if (rows)
		roaring_bitmap_free(rows);
	aix_release(c);
	page_end(r);
	return error ? 400 : 200;
}

/* ---- the trajectory's overview ----------------------------------------------------------- */

/* What a status bar links to: the trajectory's conversations of that
 * status (page_trajectories.c, ?status=), when there are any. */
struct status_links {
	struct req *r;
	int64_t trajectory_id;
	const long long *count;
};

static const char *status_href(void *ctx, const char *cond)
{
	const struct status_links *l = ctx;
	/* chart_bars gives "status = NAME" */
	const char *name = strncmp(cond, "status = ", 9) == 0 ? cond + 9 : "";
	int s = conversation_status_parse(name);
	if (s < 0 || l->count[s] == 0)
		return NULL;
	char url[128];
	snprintf(url, sizeof url, "/trajecten/%lld?status=%s#gesprekken",
	         (long long)l->trajectory_id, conversation_status_name(s));
	return arena_strdup(l->r->a, url);
}

/* The trajectory's conversations counted by status, as bars and a table;
 * on the page (not the report) each bar with conversations links to them. */
static void section_conversations(struct req *r, int64_t trajectory_id, int report)
{
	buf *b = &r->out;
	json_t *list = NULL;
	if (conversation_list_json(req_db(r), trajectory_id, &list) != DB_OK) {
		json_decref(list);
		list = json_array();
	}
	html_lit(b, "<section class=\"vp-overview-section vp-overview-conversations\" "
	            "aria-labelledby=\"t-gesprekken\"><h2 class=\"utrecht-heading-2\" "
	            "id=\"t-gesprekken\">");
	html_text(b, T(r, "Conversations by status"));
	html_lit(b, "</h2>");
	long long count[CONV_NSTATUS] = {0}, total = 0;
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		int s = conversation_status_parse(json_string_value(json_object_get(e, "status")));
		if (s >= 0) {
			count[s]++;
			total++;
		}
	}
	json_decref(list);
	if (total == 0) {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "No conversations yet."));
		html_lit(b, "</p></section>");
		return;
	}
	/* a document chart_bars draws: each status an option, no interval */
	json_t *doc = json_pack("{s:s, s:s, s:I, s:[]}", "type", "choice", "question", "status",
	                        "n", (json_int_t)total, "options");
	json_t *opts = json_object_get(doc, "options");
	for (int s = 0; s < CONV_NSTATUS; s++)
		json_array_append_new(
		        opts,
		        json_pack("{s:s, s:s, s:I, s:f}", "id", conversation_status_name(s),
		                  "label", conversation_status_text(r, conversation_status_name(s)),
		                  "count", (json_int_t)count[s], "percent",
		                  100.0 * (double)count[s] / (double)total));
	struct status_links links = {.r = r, .trajectory_id = trajectory_id, .count = count};
	struct chart_opts o = {.lang = r->lang,
	                       .title = T(r, "Conversations by status"),
	                       .href = report ? NULL : status_href,
	                       .ctx = &links};
	html_lit(b, "<figure class=\"vp-chart\">");
	chart_bars(b, doc, &o);
	html_lit(b, "</figure>");
	if (!report) {
		html_lit(b, "<details class=\"vp-explore-figures\"><summary>");
		html_text(b, T(r, "Show the figures"));
		html_lit(b, "</summary>");
	}
	json_object_set_new(doc, "title", json_string(T(r, "Conversations by status")));
	chart_table(b, doc, r->lang);
	if (!report)
		html_lit(b, "</details>");
	json_decref(doc);
	html_lit(b, "</section>");
}

/* The trajectory's collections (of this organisation): [{id, title,
 * ...}], or NULL with a 404 for who asks. */
static json_t *trajectory_of(struct req *r, int64_t *id)
{
	if (util_parse_id(req_param(r, 0), id))
		return NULL;
	json_t *t = NULL;
	if (trajectory_get_json(req_db(r), r->app->org_id, *id, &t) != DB_ROW) {
		json_decref(t);
		return NULL;
	}
	return t;
}

/* A report (or overview) of several collections: whether it is a report,
 * the stories it shows of each, and the stories shown so far for the
 * access log. */
struct traj_view {
	int report, nstories;
	int64_t ids[EXPLORE_LOG_MAX];
	char codes[EXPLORE_LOG_MAX][64];
	int shown;
};

static void report_stories(struct req *r, struct aix_coll *c, const roaring_bitmap_t *rows,
                           const int64_t *set, size_t nset, int want, int level,
                           struct traj_view *tv);

/* Each collection of trajectory t with the filter raw and the days van..tot:
 * its sections under a heading of its own, and in a report its stories
 * too. A filter that does not parse for a collection gives *error (the
 * first one, naming the collection). */
static void trajectory_collections(struct req *r, json_t *t, const char *raw, const char *van,
                                   const char *tot, struct traj_view *tv, const char **error,
                                   const char **canon_out)
{
	buf *b = &r->out;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(t, "collections"), i, e)
	{
		int64_t cid = json_integer_value(json_object_get(e, "id"));
		aix *x = r->app->index;
		struct aix_coll *c = x ? aix_acquire(x, r->app->org_id, cid) : NULL;
		if (!c)
			continue;
		const char *canon = "", *err = NULL;
		int date_error;
		roaring_bitmap_t *rows = view_rows(r, c, raw, van, tot, &canon, &err, &date_error);
		if (err) {
			if (!*error) {
				buf m;
				buf_init(&m);
				buf_puts(&m, json_string_value(json_object_get(e, "title")));
				buf_puts(&m, ": ");
				buf_puts(&m, err);
				*error = arena_strdup(r->a, m.data);
				buf_free(&m);
			}
			if (rows)
				roaring_bitmap_free(rows);
			aix_release(c);
			continue;
		}
		*canon_out = canon;
		char prefix[40];
		snprintf(prefix, sizeof prefix, "c%lld-", (long long)cid);
		html_lit(b, "<article class=\"vp-overview-collection\" aria-labelledby=\"");
		html_attr(b, prefix);
		html_lit(b, "kop\"><h2 class=\"utrecht-heading-2 vp-overview-collection__title\" "
		            "id=\"");
		html_attr(b, prefix);
		html_lit(b, "kop\">");
		html_text(b, json_string_value(json_object_get(e, "title")));
		html_lit(b, "</h2>");
		uint64_t n = roaring_bitmap_get_cardinality(rows);
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		if (n >= (uint64_t)min_group(r)) {
			html_int(b, (long long)n);
			html_lit(b, " ");
			html_text(b, T(r, "stories"));
		} else {
			html_text(b, T(r, "Too few stories to show this."));
		}
		if (!tv->report) {
			html_lit(b, " \u00b7 <a class=\"utrecht-link\" href=\"");
			html_url(b, explore_link(r, cid, "overzicht", canon, NULL, NULL, NULL));
			html_lit(b, "\">");
			html_text(b, T(r, "Overview of this collection"));
			html_lit(b, "</a>");
		}
		html_lit(b, "</p>");
		struct view v = {.r = r,
		                 .c = c,
		                 .filter = canon,
		                 .rows = rows,
		                 .report = tv->report,
		                 .min = min_group(r),
		                 .hid = arena_strdup(r->a, prefix),
		                 .level = 3};
		/* one level down: the sections are parts of the collection */
		collection_sections(&v);
		if (tv->report)
			report_stories(r, c, rows, NULL, 0, tv->nstories, 3, tv);
		html_lit(b, "</article>");
		roaring_bitmap_free(rows);
		aix_release(c);
	}
}

/* GET /trajecten/{id}/overzicht[?filter=F] */
int page_trajectory_overview(struct req *r)
{
	int64_t id;
	json_t *t = trajectory_of(r, &id);
	if (!t)
		return web_error(r, 404, NULL);
	const char *raw = req_query(r, "filter");
	/* the page is built first and its start written after: a bad filter
	 * is only known once a collection has read it */
	buf body;
	buf_init(&body);
	buf saved = r->out;
	r->out = body;
	struct traj_view tv = {0};
	const char *error = NULL, *canon = raw ? raw : "";
	section_conversations(r, id, 0);
	section_loops(r, id, "t-lussen", 0);
	trajectory_collections(r, t, raw, NULL, NULL, &tv, &error, &canon);
	body = r->out;
	r->out = saved;
	buf title;
	buf_init(&title);
	if (error) {
		buf_puts(&title, T(r, "Error"));
		buf_puts(&title, ": ");
	}
	buf_puts(&title, T(r, "Overview"));
	buf_puts(&title, ": ");
	buf_puts(&title, json_string_value(json_object_get(t, "title")));
	page_begin(r, arena_strdup(r->a, title.data));
	buf *b = &r->out;
	char back[48];
	snprintf(back, sizeof back, "/trajecten/%lld", (long long)id);
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, back);
	html_lit(b, "\">");
	html_text(b, json_string_value(json_object_get(t, "title")));
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, error ? title.data + strlen(T(r, "Error")) + 2 : title.data);
	html_lit(b, "</h1>");
	buf_free(&title);
	if (error) {
		page_error_summary(r, "filter", T(r, "Filter"), error);
	}
	html_lit(b, "<form class=\"vp-form vp-explore-filter\" method=\"get\" action=\"");
	snprintf(back, sizeof back, "/trajecten/%lld/overzicht", (long long)id);
	html_url(b, back);
	html_lit(b, "\">");
	explore_text_field(r, "filter", T(r, "Only among (optional filter)"),
	                   T(r, "Applies to every collection of the trajectory. For example: "
	                        "channel = web."),
	                   raw, error);
	explore_submit(r);
	if (!error) {
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link "
		            "vp-overview-report\" href=\"");
		snprintf(back, sizeof back, "/trajecten/%lld/rapport", (long long)id);
		html_url(b, back);
		html_lit(b, "\">");
		html_text(b, T(r, "Report to print"));
		html_lit(b, "</a></p>");
		buf_append(b, body.data ? body.data : "", body.len);
	}
	buf_free(&body);
	json_decref(t);
	page_end(r);
	return error ? 400 : 200;
}

/* ---- reports ------------------------------------------------------------------------------ */

/* The stories of a report: the set's (ids, chosen by hand: no minimum),
 * else the newest want of rows when rows are not too few; each logged. */
static void report_stories(struct req *r, struct aix_coll *c, const roaring_bitmap_t *rows,
                           const int64_t *set, size_t nset, int want, int level,
                           struct traj_view *tv)
{
	buf *b = &r->out;
	const char *id = set ? "r-verhalen" : NULL;
	char hid_buf[48];
	if (!id) {
		snprintf(hid_buf, sizeof hid_buf, "c%lld-verhalen", (long long)c->id);
		id = hid_buf;
	}
	html_lit(b, "<section class=\"vp-overview-section vp-report-stories\" aria-labelledby=\"");
	html_attr(b, id);
	if (level == 2)
		html_lit(b, "\"><h2 class=\"utrecht-heading-2\" id=\"");
	else
		html_lit(b, "\"><h3 class=\"utrecht-heading-3\" id=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, set ? T(r, "Stories chosen for this report") : T(r, "A few of the stories"));
	if (level == 2)
		html_lit(b, "</h2>");
	else
		html_lit(b, "</h3>");
	uint64_t n = rows ? roaring_bitmap_get_cardinality(rows) : 0;
	if (!set && (n < (uint64_t)min_group(r) || want <= 0)) {
		if (want > 0)
			chart_too_few(b, r->lang);
		html_lit(b, "</section>");
		return;
	}
	html_lit(b, "<div class=\"vp-story-list\">");
	if (set) {
		for (size_t i = 0; i < nset && tv->shown < EXPLORE_LOG_MAX && (int)i < want; i++) {
			int64_t row = explore_row_of(c, set[i]);
			if (row < 0)
				continue;
			struct story_read s;
			if (story_read_one(req_db(r), c->id, set[i], &s) == DB_ROW) {
				explore_story_article(r, c, (uint32_t)row, &s, 0);
				tv->ids[tv->shown] = s.id;
				snprintf(tv->codes[tv->shown], 64, "%s", s.participant_code);
				tv->shown++;
			}
			story_read_free(&s);
		}
	} else {
		/* rows are in the order stories were stored: the newest last */
		for (int i = 0; i < want && (uint64_t)i < n && tv->shown < EXPLORE_LOG_MAX; i++) {
			uint32_t row;
			if (!roaring_bitmap_select(rows, (uint32_t)(n - 1 - (uint64_t)i), &row))
				break;
			struct story_read s;
			if (story_read_one(req_db(r), c->id, c->story_id[row], &s) == DB_ROW) {
				explore_story_article(r, c, row, &s, 0);
				tv->ids[tv->shown] = s.id;
				snprintf(tv->codes[tv->shown], 64, "%s", s.participant_code);
				tv->shown++;
			}
			story_read_free(&s);
		}
	}
	html_lit(b, "</div></section>");
}

/* verhalen=N (0..REPORT_STORIES_MAX; default def), or -1. */
static int stories_wanted(struct req *r, int def)
{
	const char *s = req_query(r, "verhalen");
	if (!s || !*s)
		return def;
	int64_t v;
	if (util_parse_i64(s, &v) || v < 0 || v > REPORT_STORIES_MAX)
		return -1;
	return (int)v;
}

/* The report's statement of what it covers: the period, the filter, the
 * number of stories and the day it was made. */
static void report_scope(struct req *r, const char *van, const char *tot, const char *filter,
                         long long n, int n_shown, const char *online)
{
	buf *b = &r->out;
	char today[21];
	clock_iso(clock_now(), today);
	today[10] = '\0';
	html_lit(b, "<dl class=\"vp-facts vp-report-scope\"><dt>");
	html_text(b, T(r, "Period"));
	html_lit(b, "</dt><dd id=\"rapport-periode\">");
	if ((van && *van) || (tot && *tot)) {
		html_text(b, van && *van ? van : T(r, "the start"));
		html_lit(b, " \u2013 ");
		html_text(b, tot && *tot ? tot : today);
	} else {
		html_text(b, T(r, "All stories"));
	}
	html_lit(b, "</dd>");
	if (filter && *filter) {
		html_lit(b, "<dt>");
		html_text(b, T(r, "Filter"));
		html_lit(b, "</dt><dd><code>");
		html_text(b, filter);
		html_lit(b, "</code></dd>");
	}
	if (n_shown) {
		html_lit(b, "<dt>");
		html_text(b, T(r, "Stories"));
		html_lit(b, "</dt><dd id=\"rapport-n\">");
		if (n >= min_group(r))
			html_int(b, n);
		else
			html_text(b, T(r, "too few"));
		html_lit(b, "</dd>");
	}
	html_lit(b, "<dt>");
	html_text(b, T(r, "Made on"));
	html_lit(b, "</dt><dd>");
	html_text(b, today);
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Online"));
	html_lit(b, "</dt><dd><a class=\"utrecht-link vp-report-url\" href=\"");
	html_url(b, online);
	html_lit(b, "\">");
	html_text(b, T(r, "The overview, with links to the stories"));
	html_lit(b, "</a></dd></dl>");
}

/* The report's form (not printed): the days, the filter, the stories. */
static void report_form(struct req *r, const char *action, const char *van, const char *tot,
                        const char *filter, const char *error, const char *field, int with_set,
                        json_t *sets, const char *set)
{
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-form vp-explore-filter vp-print-hide\" method=\"get\" "
	            "action=\"");
	html_url(b, action);
	html_lit(b, "\">");
	const char *help = T(r, "A day as YYYY-MM-DD; empty: no limit.");
	explore_text_field(r, "van", T(r, "From"), help, van,
	                   error && strcmp(field, "van") == 0 ? error : NULL);
	explore_text_field(r, "tot", T(r, "Up to and including"), help, tot, NULL);
	explore_text_field(r, "filter", T(r, "Only among (optional filter)"),
	                   T(r, "Leave empty for all stories. For example: q-wijk = centrum."),
	                   filter, error && strcmp(field, "filter") == 0 ? error : NULL);
	if (with_set) {
		html_lit(b,
		         "<div class=\"utrecht-form-field utrecht-form-field--select\"><div "
		         "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
		         "for=\"selectie\">");
		html_text(b, T(r, "Stories to show"));
		html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><select "
		            "class=\"utrecht-select utrecht-select--html-select\" id=\"selectie\" "
		            "name=\"selectie\"><option value=\"\">");
		html_text(b, T(r, "The newest that match the filter"));
		html_lit(b, "</option>");
		size_t i;
		json_t *e;
		json_array_foreach(sets, i, e)
		{
			char sid[24];
			snprintf(sid, sizeof sid, "%lld",
			         (long long)json_integer_value(json_object_get(e, "id")));
			html_lit(b, "<option value=\"");
			html_attr(b, sid);
			html_lit(b, "\"");
			if (set && strcmp(set, sid) == 0)
				html_lit(b, " selected");
			html_lit(b, ">");
			html_text(b, T(r, "Story set"));
			html_lit(b, ": ");
			html_text(b, json_string_value(json_object_get(e, "name")));
			html_lit(b, "</option>");
		}
		html_lit(b, "</select></div></div>");
	}
	explore_submit(r);
	html_lit(b, "<p class=\"utrecht-paragraph vp-print-hide\">");
	html_text(b, T(r, "Print this page, or save it as PDF, to share it (A4)."));
	html_lit(b, "</p>");
}

/* A report page's start: title, heading, error summary. */
static void report_head(struct req *r, const char *what, const char *back, const char *back_text,
                        const char *error, const char *field, const char *field_label)
{
	buf title;
	buf_init(&title);
	if (error) {
		buf_puts(&title, T(r, "Error"));
		buf_puts(&title, ": ");
	}
	buf_puts(&title, T(r, "Report"));
	buf_puts(&title, ": ");
	buf_puts(&title, what);
	page_begin(r, arena_strdup(r->a, title.data));
	buf *b = &r->out;
	html_lit(b, "<div class=\"vp-report\"><p class=\"utrecht-paragraph vp-print-hide\"><a "
	            "class=\"utrecht-link\" href=\"");
	html_url(b, back);
	html_lit(b, "\">");
	html_text(b, back_text);
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, error ? title.data + strlen(T(r, "Error")) + 2 : title.data);
	html_lit(b, "</h1>");
	buf_free(&title);
	if (error) {
		page_error_summary(r, field, field_label, error);
	}
}

/* Each charted question of c over rows: its chart and figures, no links. */
static void report_questions(struct req *r, struct aix_coll *c, const char *filter,
                             const roaring_bitmap_t *rows)
{
	buf *b = &r->out;
	html_lit(b,
	         "<section class=\"vp-overview-section vp-report-questions\" "
	         "aria-labelledby=\"r-vragen\"><h2 class=\"utrecht-heading-2\" id=\"r-vragen\">");
	html_text(b, T(r, "The answers, question by question"));
	html_lit(b, "</h2>");
	for (int i = 0; i < c->nq; i++) {
		const struct question *q = c->q[i].q;
		if (!explore_charted(q))
			continue;
		json_t *doc = explore_measure(r, c, q, filter, rows);
		if (!doc)
			continue;
		const char *title = ltext_get(&q->text, r->lang);
		html_lit(b, "<div class=\"vp-report-question\"><h3 class=\"utrecht-heading-3\">");
		html_text(b, title);
		html_lit(b, "</h3><figure class=\"vp-chart\">");
		struct chart_opts o = {.lang = r->lang, .title = title};
		explore_picture(r, q, &o, 0);
		size_t np = 0;
		double(*pts)[3] = NULL;
		if (q->type == Q_TRIAD) {
			json_t *n = json_object_get(doc, "n");
			if (json_is_integer(n) && json_integer_value(n) <= CHART_POINTS_MAX)
				pts = explore_triad_points(c, q, rows, &np);
		}
		int drawn = chart_draw(b, doc, &o, (const double(*)[3])pts, np);
		free(pts);
		html_lit(b, "</figure>");
		if (drawn ||
		    (q->type == Q_NUMBER && !json_is_true(json_object_get(doc, "too_few"))))
			chart_table(b, doc, r->lang);
		html_lit(b, "</div>");
		json_decref(doc);
	}
	html_lit(b, "</section>");
}

/* GET /verkennen/{id}/rapport[?van=D&tot=D][&filter=F][&selectie=SET][&verhalen=N] */
int page_explore_report(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *van = req_query(r, "van"), *tot = req_query(r, "tot");
	const char *raw = req_query(r, "filter"), *set = req_query(r, "selectie");
	const char *filter = "", *error = NULL, *field = "filter";
	int date_error = 0;
	roaring_bitmap_t *rows = view_rows(r, c, raw, van, tot, &filter, &error, &date_error);
	if (date_error)
		field = "van";
	int want = stories_wanted(r, REPORT_STORIES);
	if (!error && want < 0) {
		error = T(r, "The number of stories must be a whole number from 0 to 25.");
		field = "filter";
	}
	int64_t set_id = 0, *set_ids = NULL;
	size_t nset = 0;
	if (!error && set && *set) {
		char name[STORY_SET_NAME_MAX + 1];
		if (util_parse_id(set, &set_id) ||
		    story_set_name(req_db(r), id, set_id, name) != DB_ROW ||
		    story_set_stories(req_db(r), set_id, &set_ids, &nset) != DB_DONE) {
			error = T(r, "There is no such story set in this collection.");
			field = "selectie";
		}
	}
	json_t *sets = story_sets_list(req_db(r), id);
	char back[48];
	snprintf(back, sizeof back, "/verkennen/%lld/overzicht", (long long)id);
	report_head(r, coll.title, back, T(r, "Overview"), error, field,
	            strcmp(field, "van") == 0        ? T(r, "From")
	            : strcmp(field, "selectie") == 0 ? T(r, "Stories to show")
	                                             : T(r, "Filter"));
	snprintf(back, sizeof back, "/verkennen/%lld/rapport", (long long)id);
	report_form(r, back, van, tot, raw, error, field, 1, sets, set);
	json_decref(sets);
	buf *b = &r->out;
	struct traj_view tv = {.report = 1};
	if (!error) {
		uint64_t n = roaring_bitmap_get_cardinality(rows);
		report_scope(r, van, tot, raw, (long long)n, 1,
		             explore_link(r, id, "overzicht", filter, NULL, NULL, NULL));
		struct view v = {.r = r,
		                 .c = c,
		                 .filter = filter,
		                 .rows = rows,
		                 .report = 1,
		                 .min = min_group(r),
		                 .hid = "r-",
		                 .level = 2};
		section_time(&v);
		section_share(&v);
		section_patterns(&v);
		if (n >= (uint64_t)v.min)
			report_questions(r, c, filter, rows);
		report_stories(r, c, rows, set_ids, nset, set_ids ? REPORT_STORIES_MAX : want, 2,
		               &tv);
	}
	html_lit(b, "</div>");
	free(set_ids);
	if (rows)
		roaring_bitmap_free(rows);
	aix_release(c);
	page_end(r);
	if (error)
		return 400;
	return explore_log_stories(r, tv.shown, tv.ids, (const char(*)[64])tv.codes, "report");
}

/* GET /trajecten/{id}/rapport[?van=D&tot=D][&filter=F][&verhalen=N] */
int page_trajectory_report(struct req *r)
{
	int64_t id;
	json_t *t = trajectory_of(r, &id);
	if (!t)
		return web_error(r, 404, NULL);
	const char *van = req_query(r, "van"), *tot = req_query(r, "tot");
	const char *raw = req_query(r, "filter");
	const char *error = NULL, *canon = raw ? raw : "";
	struct traj_view *tv = arena_zalloc(r->a, sizeof *tv);
	tv->report = 1;
	tv->nstories = stories_wanted(r, 3);
	if (tv->nstories < 0)
		error = T(r, "The number of stories must be a whole number from 0 to 25.");
	buf body;
	buf_init(&body);
	buf saved = r->out;
	r->out = body;
	if (!error) {
		section_conversations(r, id, 1);
		section_loops(r, id, "t-lussen", 1);
		trajectory_collections(r, t, raw, van, tot, tv, &error, &canon);
	}
	body = r->out;
	r->out = saved;
	int date_error = error && strstr(error, "YYYY-MM-DD") != NULL;
	char back[48];
	snprintf(back, sizeof back, "/trajecten/%lld/overzicht", (long long)id);
	report_head(r, json_string_value(json_object_get(t, "title")), back, T(r, "Overview"),
	            error, date_error ? "van" : "filter",
	            date_error ? T(r, "From") : T(r, "Filter"));
	snprintf(back, sizeof back, "/trajecten/%lld/rapport", (long long)id);
	report_form(r, back, van, tot, raw, error, date_error ? "van" : "filter", 0, NULL, NULL);
	buf *b = &r->out;
	if (!error) {
		snprintf(back, sizeof back, "/trajecten/%lld/overzicht", (long long)id);
		report_scope(r, van, tot, raw, 0, 0, back);
		buf_append(b, body.data ? body.data : "", body.len);
	}
	html_lit(b, "</div>");
	buf_free(&body);
	json_decref(t);
	page_end(r);
	if (error) {
		tv->shown = 0;
		return 400;
	}
	return explore_log_stories(r, tv->shown, tv->ids, (const char(*)[64])tv->codes, "report");
}
