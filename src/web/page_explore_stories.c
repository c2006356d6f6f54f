/* page_explore_stories.c: the stories behind the explorer's marks (/verkennen/{id}/verhalen), their printable cards (/verhalen/kaarten), analysts' tags and named story sets (/selecties), each story read logged. */
#include "web/pages.h"

#include "analysis/filter.h"
#include "analysis/index.h"
#include "analysis/measures.h"
#include "analysis/search.h"
#include "core/clock.h"
#include "core/util.h"
#include "http/server.h"
#include "model/audit.h"
#include "model/collection.h"
#include "model/script.h"
#include "model/story_read.h"
#include "model/story_set.h"
#include "model/user.h"
#include "web/chart.h"
#include "web/explore.h"
#include "web/html.h"
#include "web/i18n.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Stories a page of the list shows, and cards a page of cards. */
#define STORIES_PER_PAGE 25
#define CARDS_PER_PAGE   50

/* What the access-log job needs: the stories shown and their tellers. */
struct shown {
	int n;
	const char *detail; /* "explorer" or "cards" */
	int64_t id[CARDS_PER_PAGE];
	char code[CARDS_PER_PAGE][64];
};

/* ---- one story ------------------------------------------------------------ */

static const char *option_label(struct req *r, const struct question *q, int k)
{
	if (k >= 0 && k < q->noptions)
		return ltext_get(&q->options[k].label, r->lang);
	if (k == q->noptions && q->other.n)
		return ltext_get(&q->other, r->lang);
	return T(r, "Other");
}

/* One question's answer of row as a term and its description: a glyph
 * (triads, dyads, scales) with the values in words beside it. Nothing
 * when the story has no answer to it. */
static void signification(struct req *r, const struct aix_question *aq, uint32_t row)
{
	buf *b = &r->out;
	const struct question *q = aq->q;
	const char *title = ltext_get(&q->text, r->lang);
	int na = aq->na && roaring_bitmap_contains(aq->na, row);
	int answered = aq->answered && roaring_bitmap_contains(aq->answered, row);
	if (!na && !answered)
		return;
	buf words;
	buf_init(&words);
	char f[3][32];
	int glyph = 0;
	double w[3] = {0, 0, 0}, v = 0, lo = 0, hi = 100;
	if (na) {
		buf_puts(&words, T(r, "Not applicable"));
	} else {
		switch (q->type) {
		case Q_TRIAD:
			if (aix_triad(aq, row, w) == 0 && q->noptions == 3) {
				for (int k = 0; k < 3; k++)
					buf_printf(&words, "%s%s %s%%", k ? ", " : "",
					           option_label(r, q, k),
					           chart_number(f[k], 100 * w[k], 0, r->lang));
				glyph = 1;
			}
			break;
		case Q_DYAD:
			v = aix_dyad(aq, row);
			if (v >= 0 && q->noptions == 2) {
				buf_printf(&words, "%s %s %s (%s 0, %s 100)",
				           chart_number(f[0], v, 0, r->lang), T(r, "of"), "100",
				           option_label(r, q, 0), option_label(r, q, 1));
				glyph = 2;
			}
			break;
		case Q_SCALE:
			if (aq->u8 && aq->u8[row] != AIX_MISSING8 && aq->u8[row] != AIX_NA8) {
				v = aq->u8[row];
				lo = 1;
				hi = q->points;
				buf_printf(&words, "%d %s %d (%s 1, %s %d)", aq->u8[row],
				           T(r, "of"), q->points, ltext_get(&q->low, r->lang),
				           ltext_get(&q->high, r->lang), q->points);
				glyph = 2;
			}
			break;
		case Q_CHOICE:
		case Q_STORY:
			if (aq->u8 && aq->u8[row] != AIX_MISSING8 && aq->u8[row] != AIX_NA8)
				buf_puts(&words, option_label(r, q, aq->u8[row] - 1));
			break;
		case Q_MULTI: {
			int n = 0;
			for (int k = 0; k < aq->nbm; k++)
				if (aq->bm[k] && roaring_bitmap_contains(aq->bm[k], row))
					buf_printf(&words, "%s%s", n++ ? ", " : "",
					           option_label(r, q, k));
			break;
		}
		case Q_NUMBER:
			if (aq->f32 && isfinite(aq->f32[row]))
				buf_puts(&words, chart_number(f[0], aq->f32[row], 2, r->lang));
			break;
		default: break;
		}
	}
	if (words.len > 0) {
		html_lit(b, "<div class=\"vp-sig\"><dt class=\"vp-sig__q\">");
		html_text(b, title);
		html_lit(b, "</dt><dd class=\"vp-sig__a\">");
		/* the glyph is named by the question and described by the words
		 * beside it, which a screen reader reads once: aria-hidden */
		if (glyph) {
			html_lit(b, "<span class=\"vp-glyph\" aria-hidden=\"true\">");
			if (glyph == 1)
				chart_glyph_triad(b, w, title, words.data);
			else
				chart_glyph_bar(b, v, lo, hi, title, words.data);
			html_lit(b, "</span>");
		}
		html_lit(b, "<span class=\"vp-sig__words\">");
		html_text(b, words.data);
		html_lit(b, "</span></dd></div>");
	}
	buf_free(&words);
}

static const char *channel_words(struct req *r, const char *name)
{
	static const char *const ids[] = {"web",   "kiosk", "face-to-face",
	                                  "phone", "paper", "import"};
	static const char *const words[] = {N_("Online"),   N_("Kiosk"),    N_("Face to face"),
	                                    N_("By phone"), N_("On paper"), N_("Imported")};
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
		if (strcmp(name, ids[i]) == 0)
			return T(r, words[i]);
	return name;
}

/* What a story shows besides itself: its tags, and for who may change
 * them, the forms for tags and sets (sets: the collection's, for the
 * select), with the page to come back to; in a set's view (set_id) a
 * button that takes it out. */
struct extras {
	int edit;
	const json_t *sets;
	const char *back;
	int64_t set_id;
};

/* Who may tag stories and keep sets: the roles that build scripts
 * (administrators, analysts, facilitators), as routes.c says. */
static int may_edit(struct req *r)
{
	return (r->sess.user.role & (ROLE_BEHEERDER | ROLE_ONDERZOEKER | ROLE_PROCESBEGELEIDER)) !=
	       0;
}

static void story_tools(struct req *r, int64_t coll_id, const struct story_read *s,
                        const json_t *tags, const struct extras *x)
{
	buf *b = &r->out;
	char sid[24], path[96];
	snprintf(sid, sizeof sid, "%lld", (long long)s->id);
	html_lit(b, "<details class=\"vp-story-tools vp-print-hide\"><summary>");
	html_text(b, T(r, "Tags and sets"));
	html_lit(b, "</summary>");
	/* tags */
	snprintf(path, sizeof path, "/verkennen/%lld/verhalen/%s/labels", (long long)coll_id, sid);
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"");
	html_url(b, path);
	html_lit(b, "\">");
	page_csrf_field(r);
	html_lit(b, "<input type=\"hidden\" name=\"terug\" value=\"");
	html_attr(b, x->back);
	html_lit(b, "\"><div class=\"utrecht-form-field utrecht-form-field--text\"><div "
	            "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	            "for=\"labels-");
	html_attr(b, sid);
	html_lit(b, "\">");
	html_text(b, T(r, "Tags (separated by commas)"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><input "
	            "class=\"utrecht-textbox utrecht-textbox--html-input\" type=\"text\" "
	            "name=\"labels\" maxlength=\"450\" autocomplete=\"off\" id=\"labels-");
	html_attr(b, sid);
	html_lit(b, "\" value=\"");
	buf joined;
	buf_init(&joined);
	size_t i;
	json_t *t;
	json_array_foreach(tags, i, t)
	{
		if (i)
			buf_puts(&joined, ", ");
		buf_puts(&joined, json_string_value(t));
	}
	html_attr(b, joined.len ? joined.data : "");
	buf_free(&joined);
	html_lit(b,
	         "\"></div></div><button class=\"utrecht-button utrecht-button--secondary-action\" "
	         "type=\"submit\">");
	html_text(b, T(r, "Save the tags"));
	html_lit(b, "</button></form>");
	/* sets */
	snprintf(path, sizeof path, "/verkennen/%lld/selecties", (long long)coll_id);
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"");
	html_url(b, path);
	html_lit(b, "\">");
	page_csrf_field(r);
	html_lit(b, "<input type=\"hidden\" name=\"terug\" value=\"");
	html_attr(b, x->back);
	html_lit(b, "\"><input type=\"hidden\" name=\"verhaal\" value=\"");
	html_attr(b, sid);
	html_lit(b, "\">");
	if (json_array_size(x->sets) > 0) {
		html_lit(b,
		         "<div class=\"utrecht-form-field utrecht-form-field--select\"><div "
		         "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
		         "for=\"selectie-");
		html_attr(b, sid);
		html_lit(b, "\">");
		html_text(b, T(r, "Set"));
		html_lit(b,
		         "</label></div><div class=\"utrecht-form-field__input\"><select "
		         "class=\"utrecht-select utrecht-select--html-select\" name=\"selectie\" "
		         "id=\"selectie-");
		html_attr(b, sid);
		html_lit(b, "\"><option value=\"\">");
		html_text(b, T(r, "(a new set, named below)"));
		html_lit(b, "</option>");
		json_t *e;
		json_array_foreach(x->sets, i, e)
		{
			char v[24];
			snprintf(v, sizeof v, "%lld",
			         (long long)json_integer_value(json_object_get(e, "id")));
			html_lit(b, "<option value=\"");
			html_attr(b, v);
			html_lit(b, "\">");
			html_text(b, json_string_value(json_object_get(e, "name")));
			html_lit(b, "</option>");
		}
		html_lit(b, "</select></div></div>");
	}
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text\"><div "
	            "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	            "for=\"naam-");
	html_attr(b, sid);
	html_lit(b, "\">");
	html_text(b, T(r, "Name of a new set"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><input "
	            "class=\"utrecht-textbox utrecht-textbox--html-input\" type=\"text\" "
	            "name=\"naam\" maxlength=\"80\" autocomplete=\"off\" id=\"naam-");
	html_attr(b, sid);
	html_lit(b, "\"></div></div><button class=\"utrecht-button "
	            "utrecht-button--secondary-action\" type=\"submit\">");
	html_text(b, T(r, "Add to the set"));
	html_lit(b, "</button></form></details>");
}

/* In a set's view: the button that takes the story out of the set. */
static void remove_button(struct req *r, int64_t coll_id, const struct story_read *s,
                          int64_t set_id)
{
	buf *b = &r->out;
	char path[96], sid[24];
	snprintf(path, sizeof path, "/verkennen/%lld/selecties/%lld/verwijderen",
	         (long long)coll_id, (long long)set_id);
	snprintf(sid, sizeof sid, "%lld", (long long)s->id);
	html_lit(b, "<form class=\"vp-print-hide\" method=\"post\" action=\"");
	html_url(b, path);
	html_lit(b, "\">");
	page_csrf_field(r);
	html_lit(b, "<input type=\"hidden\" name=\"verhaal\" value=\"");
	html_attr(b, sid);
	html_lit(b, "\"><button class=\"utrecht-button utrecht-button--secondary-action\" "
	            "type=\"submit\">");
	html_text(b, T(r, "Take out of this set"));
	html_lit(b, "</button></form>");
}

/* A story: its texts (escaped: personal content), when and how it came
 * in, and its signification. */
static void story_article(struct req *r, struct aix_coll *c, uint32_t row,
                          const struct story_read *s, int card, const struct extras *x)
{
	buf *b = &r->out;
	if (card)
		html_lit(b, "<article class=\"vp-story-card\">");
	else
		html_lit(b, "<article class=\"vp-story-item\">");
	/* the title the teller gave, else the receipt's number */
	const char *title = NULL;
	for (int i = 0; i < c->nq && !title; i++) {
		const struct question *q = c->q[i].q;
		json_t *a = q->type == Q_STORY ? json_object_get(s->answers, q->id) : NULL;
		const char *t = json_string_value(json_object_get(a, "title"));
		if (t && *t)
			title = t;
	}
	html_lit(b, "<h2 class=\"utrecht-heading-3 vp-story-item__title\">");
	html_text(b, title ? title : T(r, "Story"));
	html_lit(b, "</h2><p class=\"utrecht-paragraph vp-story-item__meta\">");
	char when[21];
	clock_iso(s->created_at, when);
	when[10] = '\0';
	html_text(b, when);
	html_lit(b, " \u00b7 ");
	html_text(b, channel_words(r, s->channel));
	html_lit(b, " \u00b7 ");
	html_text(b, s->receipt);
	html_lit(b, "</p>");
	for (int i = 0; i < c->nq; i++) {
		const struct question *q = c->q[i].q;
		if (q->type != Q_STORY && q->type != Q_TEXT)
			continue;
		json_t *a = json_object_get(
		        q->perspective == PERSPECTIVE_PROFESSIONAL ? s->professional : s->answers,
		        q->id);
		const char *text = q->type == Q_STORY
		                           ? json_string_value(json_object_get(a, "text"))
		                           : json_string_value(a);
		if (!text || !*text)
			continue;
		html_lit(b, "<p class=\"utrecht-paragraph vp-story-item__text\">");
		html_text(b, text);
		html_lit(b, "</p>");
	}
	html_lit(b, "<dl class=\"vp-sigs\">");
	for (int i = 0; i < c->nq; i++) {
		const struct question *q = c->q[i].q;
		if (q->type == Q_TEXT || (q->type == Q_STORY && q->noptions < 2))
			continue;
		signification(r, &c->q[i], row);
	}
	html_lit(b, "</dl>");
	json_t *tags = story_tags_of(req_db(r), s->id);
	if (!tags)
		tags = json_array();
	if (json_array_size(tags) > 0) {
		html_lit(b, "<p class=\"utrecht-paragraph vp-story-tags\">");
		html_text(b, T(r, "Tags"));
		html_lit(b, ": ");
		size_t i;
		json_t *t;
		json_array_foreach(tags, i, t)
		{
			html_lit(b, "<span class=\"vp-story-tag\">");
			html_text(b, json_string_value(t));
			html_lit(b, "</span> ");
		}
		html_lit(b, "</p>");
	}
	if (x && x->edit && !card) {
		if (x->set_id)
			remove_button(r, c->id, s, x->set_id);
		else
			story_tools(r, c->id, s, tags, x);
	}
	json_decref(tags);
	html_lit(b, "</article>");
}

/* ---- the access log ------------------------------------------------------- */

static int log_job(db *d, void *ctx)
{
	struct req *r = ctx;
	struct shown *sh = r->hctx;
	for (int i = 0; i < sh->n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)sh->id[i]);
		struct audit_entry e = {.actor_user_id = r->sess.user.id,
		                        .actor = r->sess.user.username,
		                        .action = "view",
		                        .object_type = "story",
		                        .object_id = id,
		                        .subject_code = sh->code[i][0] ? sh->code[i] : NULL,
		                        .origin = r->ip,
		                        .detail = sh->detail};
		int rc = audit_append(d, &e);
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

/* The page was built before the log entry; it goes out only when the
 * entry is stored. */
static int logged(struct req *r)
{
	if (r->write_rc != 0) {
		buf_reset(&r->out);
		return web_error(r, 503, NULL);
	}
	return 200;
}

/* ---- the pages -------------------------------------------------------------- */

/* "Page 2 of 7" with links before and after. */
static void pager(struct req *r, int64_t id, const char *page, const char *filter, int at,
                  int pages)
{
	if (pages <= 1)
		return;
	buf *b = &r->out;
	html_lit(b, "<nav class=\"vp-pager\" aria-label=\"");
	html_attr(b, T(r, "Pages"));
	html_lit(b, "\"><ul class=\"vp-pager__list\">");
	for (int k = 0; k < 2; k++) {
		int to = k == 0 ? at - 1 : at + 1;
		if (k == 1) {
			html_lit(b, "<li aria-current=\"page\">");
			html_text(b, T(r, "Page"));
			html_lit(b, " ");
			html_int(b, at);
			html_lit(b, " ");
			html_text(b, T(r, "of"));
			html_lit(b, " ");
			html_int(b, pages);
			html_lit(b, "</li>");
		}
		if (to < 1 || to > pages)
			continue;
		const char *url = explore_link(r, id, page, filter, NULL, NULL, NULL);
		char num[24];
		snprintf(num, sizeof num, "%d", to);
		buf u;
		buf_init(&u);
		buf_puts(&u, url);
		buf_puts(&u, strchr(url, '?') ? "&pagina=" : "?pagina=");
		buf_puts(&u, num);
		html_lit(b, "<li><a class=\"utrecht-link\" rel=\"");
		if (k == 0)
			html_lit(b, "prev");
		else
			html_lit(b, "next");
		html_lit(b, "\" href=\"");
		html_url(b, u.data);
		html_lit(b, "\">");
		html_text(b, k == 0 ? T(r, "Previous page") : T(r, "Next page"));
		html_lit(b, "</a></li>");
		buf_free(&u);
	}
	html_lit(b, "</ul></nav>");
}

/* ---- searching the stories (docs/analysis.md, "Search") -------------------- */

/* The filter raw with `text matches "q"` added, in the arena. */
static const char *with_search(struct req *r, const char *raw, const char *q)
{
	buf f;
	buf_init(&f);
	if (raw && *raw) {
		buf_putc(&f, '(');
		buf_puts(&f, raw);
		buf_puts(&f, ") and ");
	}
	buf_puts(&f, "text matches ");
	filter_quote(&f, q);
	const char *out = arena_strdup(r->a, f.data);
	buf_free(&f);
	return out;
}

/* The search field: a GET form keeping the filter as given. */
static void search_form(struct req *r, int64_t id, const char *raw, const char *q)
{
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-form vp-stories-search vp-print-hide\" method=\"get\" "
	            "role=\"search\" action=\"");
	html_url(b, explore_link(r, id, "verhalen", NULL, NULL, NULL, NULL));
	html_lit(b, "\"><input type=\"hidden\" name=\"filter\" value=\"");
	html_attr(b, raw ? raw : "");
	html_lit(b, "\"><div class=\"utrecht-form-field utrecht-form-field--text\"><div "
	            "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	            "for=\"zoek\">");
	html_text(b, T(r, "Search in these stories"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__description\" "
	            "id=\"zoek-uitleg\">");
	html_text(b, T(r, "Words, or \"words in this order\" between quotes. Stories with every "
	                  "word come first when they match best."));
	html_lit(b, "</div><div class=\"utrecht-form-field__input\"><input "
	            "class=\"utrecht-textbox utrecht-textbox--html-input\" type=\"search\" "
	            "id=\"zoek\" name=\"zoek\" maxlength=\"500\" "
	            "aria-describedby=\"zoek-uitleg\" value=\"");
	html_attr(b, q ? q : "");
	html_lit(b,
	         "\"></div></div><button class=\"utrecht-button utrecht-button--secondary-action\" "
	         "type=\"submit\">");
	html_text(b, T(r, "Search"));
	html_lit(b, "</button></form>");
}

/* A snippet's parts (search_snippet_json): the text escaped, the matched
 * words between <mark> tags from literals. */
static void snippet_html(buf *b, const json_t *parts)
{
	size_t i;
	const json_t *p;
	html_lit(b, "<p class=\"utrecht-paragraph vp-search-snippet\">");
	json_array_foreach(parts, i, p)
	{
		const char *t = json_string_value(json_object_get(p, "text"));
		int mark = json_is_true(json_object_get(p, "match"));
		if (mark)
			html_lit(b, "<mark>");
		html_text(b, t ? t : "");
		if (mark)
			html_lit(b, "</mark>");
	}
	html_lit(b, "</p>");
}

/* The best-matching stories of filter (which holds the search) for the
 * search text q, bm25 first, each with its snippet: at most per; the
 * stories shown in sh for the access log. */
static void ranked_stories(struct req *r, struct aix_coll *c, const char *filter, const char *q,
                           int per, struct shown *sh, const struct extras *x)
{
	buf *b = &r->out;
	struct measure_args a = {.c = c,
	                         .d = req_db(r),
	                         .filter = filter,
	                         .q = q,
	                         .limit = per,
	                         .min_group = r->app->cfg.analysis_min_group};
	json_t *doc = NULL;
	char err[512];
	if (measure_search(&a, &doc, err, sizeof err) != 0) {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, err);
		html_lit(b, "</p>");
		return;
	}
	html_lit(b, "<div class=\"vp-story-list vp-search-results\">");
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, "stories"), i, e)
	{
		int64_t sid = json_integer_value(json_object_get(e, "story"));
		int64_t row = explore_row_of(c, sid);
		if (row < 0 || sh->n >= CARDS_PER_PAGE)
			continue;
		struct story_read s;
		if (story_read_one(req_db(r), c->id, sid, &s) == DB_ROW) {
			snippet_html(b, json_object_get(e, "snippet"));
			story_article(r, c, (uint32_t)row, &s, 0, x);
			sh->id[sh->n] = s.id;
			snprintf(sh->code[sh->n], sizeof sh->code[0], "%s", s.participant_code);
			sh->n++;
		}
		story_read_free(&s);
	}
	html_lit(b, "</div>");
	json_decref(doc);
}

static int stories_page(struct req *r, int cards)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	const char *raw = req_query(r, "filter");
	const char *filter = "", *error = NULL;
	/* the search field adds `text matches "..."` to the filter; its
	 * errors (only common words, a quote not closed) are the filter's */
	const char *zoek = cards ? NULL : req_query(r, "zoek");
	if (zoek && util_blank(zoek))
		zoek = NULL;
	roaring_bitmap_t *rows =
	        explore_filter(r, c, zoek ? with_search(r, raw, zoek) : raw, &filter, &error);
	int per = cards ? CARDS_PER_PAGE : STORIES_PER_PAGE;
	int at = 1;
	const char *ps = req_query(r, "pagina");
	if (!error && ps && *ps) {
		int64_t v;
		if (util_parse_i64(ps, &v) || v < 1 || v > 1000000)
			error = T(r, "The page number must be a whole number from 1.");
		else
			at = (int)v;
	}
	uint64_t n = rows ? roaring_bitmap_get_cardinality(rows) : 0;
	int min = r->app->cfg.analysis_min_group > 0 ? r->app->cfg.analysis_min_group : 10;
	int pages = (int)((n + (uint64_t)per - 1) / (uint64_t)per);
	if (!error && n >= (uint64_t)min && at > pages)
		error = T(r, "There is no such page.");

	const char *what = cards ? T(r, "Story cards") : T(r, "Stories");
	buf title;
	buf_init(&title);
	if (error) {
		buf_puts(&title, T(r, "Error"));
		buf_puts(&title, ": ");
	}
	buf_puts(&title, what);
	buf_puts(&title, ": ");
	buf_puts(&title, coll.title);
	page_begin(r, arena_strdup(r->a, title.data));
	buf_free(&title);
	buf *b = &r->out;
	if (cards)
		html_lit(b, "<div class=\"vp-cards-page\">");
	else
		html_lit(b, "<div class=\"vp-stories-page\">");
	html_lit(b, "<p class=\"utrecht-paragraph vp-print-hide\"><a class=\"utrecht-link\" "
	            "href=\"");
	html_url(b, explore_link(r, id, "", error ? NULL : filter, NULL, NULL, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Explore"));
	html_lit(b, ": ");
	html_text(b, coll.title);
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, what);
	html_lit(b, ": ");
	html_text(b, coll.title);
	html_lit(b, "</h1>");
	if (error) {
		html_lit(b, "<div class=\"vp-error-summary\" role=\"alert\" tabindex=\"-1\" "
		            "aria-labelledby=\"fouten-kop\"><h2 class=\"utrecht-heading-2 "
		            "vp-error-summary__title\" id=\"fouten-kop\">");
		html_text(b, T(r, "There is a problem"));
		html_lit(b, "</h2><p class=\"utrecht-paragraph\">");
		html_text(b, error);
		html_lit(b, "</p><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
		html_url(b, explore_link(r, id, "", NULL, NULL, NULL, NULL));
		html_lit(b, "\">");
		html_text(b, T(r, "Change the filter in the explorer"));
		html_lit(b, "</a></p></div></div>");
		if (rows)
			roaring_bitmap_free(rows);
		aix_release(c);
		page_end(r);
		return 400;
	}
	html_lit(b, "<p class=\"utrecht-paragraph vp-stories-filter\">");
	if (*filter) {
		html_text(b, T(r, "Filter"));
		html_lit(b, ": <code class=\"vp-stories-filter__text\">");
		html_text(b, filter);
		html_lit(b, "</code>");
	} else {
		html_text(b, T(r, "All stories"));
	}
	html_lit(b, "</p>");
	if (!cards)
		search_form(r, id, raw, zoek);
	if (n < (uint64_t)min) {
		/* small-cell protection: the stories of a small group could
		 * point at the people who told them */
		chart_too_few(b, r->lang);
		html_lit(b, "</div>");
		roaring_bitmap_free(rows);
		aix_release(c);
		page_end(r);
		return 200;
	}
	if (zoek) { /* the best-matching first, one page, with snippets */
		html_lit(b, "<p class=\"utrecht-paragraph vp-print-hide\"><strong "
		            "id=\"verhalen-aantal\">");
		html_int(b, (long long)n);
		html_lit(b, "</strong> ");
		html_text(b, T(r, "stories match the filter and the search. The best-matching "
		                  "come first."));
		html_lit(b, " <a class=\"utrecht-link\" href=\"");
		html_url(b, explore_link(r, id, "verhalen", filter, NULL, NULL, NULL));
		html_lit(b, "\">");
		html_text(b, T(r, "Show them all, the newest first"));
		html_lit(b, "</a></p>");
		struct shown *sh = arena_zalloc(r->a, sizeof *sh);
		sh->detail = "explorer";
		struct extras x = {0};
		ranked_stories(r, c, filter, zoek, STORIES_PER_PAGE, sh, &x);
		html_lit(b, "</div>");
		roaring_bitmap_free(rows);
		aix_release(c);
		page_end(r);
		r->hctx = sh;
		return req_write(r, log_job, logged);
	}
	html_lit(b, "<p class=\"utrecht-paragraph vp-print-hide\"><strong id=\"verhalen-aantal\">");
	html_int(b, (long long)n);
	html_lit(b, "</strong> ");
	html_text(b, T(r, "stories match the filter. The newest come first."));
	html_lit(b, " <a class=\"utrecht-link\" href=\"");
	html_url(b, explore_link(r, id, cards ? "verhalen" : "verhalen/kaarten", filter, NULL, NULL,
	                         NULL));
	html_lit(b, "\">");
	html_text(b, cards ? T(r, "Show as a list") : T(r, "Print story cards"));
	html_lit(b, "</a> <a class=\"utrecht-link\" href=\"");
	html_url(b, explore_link(r, id, "selecties", NULL, NULL, NULL, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Story sets"));
	html_lit(b, "</a></p>");
	if (cards) {
		html_lit(b, "<p class=\"utrecht-paragraph vp-print-hide\">");
		html_text(b, T(r, "Print this page (A4) to cut out the cards for a sensemaking "
		                  "session."));
		html_lit(b, "</p>");
	}
	pager(r, id, cards ? "verhalen/kaarten" : "verhalen", filter, at, pages);

	struct shown *sh = arena_zalloc(r->a, sizeof *sh);
	sh->detail = cards ? "cards" : "explorer";
	struct extras x = {.edit = may_edit(r)};
	json_t *sets = x.edit && !cards ? story_sets_list(req_db(r), id) : NULL;
	x.sets = sets;
	if (x.edit) {
		const char *here = explore_link(r, id, "verhalen", filter, NULL, NULL, NULL);
		char num[32];
		snprintf(num, sizeof num, "%spagina=%d", strchr(here, '?') ? "&" : "?", at);
		buf u;
		buf_init(&u);
		buf_puts(&u, here);
		if (at > 1)
			buf_puts(&u, num);
		x.back = arena_strdup(r->a, u.data);
		buf_free(&u);
	}
	if (cards)
		html_lit(b, "<div class=\"vp-story-cards\">");
	else
		html_lit(b, "<div class=\"vp-story-list\">");
	/* rows are in the order stories were stored: the newest last */
	uint64_t first = n - 1 - (uint64_t)(at - 1) * (uint64_t)per;
	for (int i = 0; i < per && (uint64_t)i <= first; i++) {
		uint32_t row;
		if (!roaring_bitmap_select(rows, (uint32_t)(first - (uint64_t)i), &row))
			break;
		struct story_read s;
		int rc = story_read_one(req_db(r), c->id, c->story_id[row], &s);
		if (rc == DB_ROW) {
			story_article(r, c, row, &s, cards, &x);
			sh->id[sh->n] = s.id;
			snprintf(sh->code[sh->n], sizeof sh->code[0], "%s", s.participant_code);
			sh->n++;
		}
		story_read_free(&s);
	}
	html_lit(b, "</div>");
	json_decref(sets);
	pager(r, id, cards ? "verhalen/kaarten" : "verhalen", filter, at, pages);
	html_lit(b, "</div>");
	roaring_bitmap_free(rows);
	aix_release(c);
	page_end(r);
	r->hctx = sh;
	return req_write(r, log_job, logged);
}

/* GET /verkennen/{id}/verhalen?filter=F&pagina=N */
int page_explore_stories(struct req *r)
{
	return stories_page(r, 0);
}

/* GET /verkennen/{id}/verhalen/kaarten?filter=F&pagina=N */
int page_explore_cards(struct req *r)
{
	return stories_page(r, 1);
}

/* ---- story sets ------------------------------------------------------------ */

/* The row of story id in c (rows are in the order of story ids), or -1. */
static int64_t row_of(const struct aix_coll *c, int64_t id)
{
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if ((int64_t)c->story_id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && (int64_t)c->story_id[lo] == id ? (int64_t)lo : -1;
}

/* GET /verkennen/{id}/selecties: the collection's story sets. */
int page_explore_sets(struct req *r)
{
	int64_t id;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	aix_release(c);
	json_t *sets = story_sets_list(req_db(r), id);
	if (!sets)
		return web_error(r, 503, NULL);
	buf title;
	buf_init(&title);
	buf_puts(&title, T(r, "Story sets"));
	buf_puts(&title, ": ");
	buf_puts(&title, coll.title);
	page_begin(r, arena_strdup(r->a, title.data));
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, explore_link(r, id, "", NULL, NULL, NULL, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Explore"));
	html_lit(b, ": ");
	html_text(b, coll.title);
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, title.data);
	html_lit(b, "</h1>");
	buf_free(&title);
	if (json_array_size(sets) == 0) {
		html_lit(b, "<p class=\"utrecht-paragraph vp-sets-empty\">");
		html_text(b, T(r, "There are no sets yet. Add a story to a set from the list of "
		                  "stories (Tags and sets)."));
		html_lit(b, "</p>");
	} else {
		html_lit(b, "<ul class=\"utrecht-unordered-list vp-sets\">");
		size_t i;
		json_t *e;
		json_array_foreach(sets, i, e)
		{
			char page[48];
			snprintf(page, sizeof page, "selecties/%lld",
			         (long long)json_integer_value(json_object_get(e, "id")));
			html_lit(b, "<li><a class=\"utrecht-link vp-set-link\" href=\"");
			html_url(b, explore_link(r, id, page, NULL, NULL, NULL, NULL));
			html_lit(b, "\">");
			html_text(b, json_string_value(json_object_get(e, "name")));
			html_lit(b, "</a> (");
			html_int(b, json_integer_value(json_object_get(e, "stories")));
			html_lit(b, " ");
			html_text(b, T(r, "stories"));
			html_lit(b, ")</li>");
		}
		html_lit(b, "</ul>");
	}
	json_decref(sets);
	page_end(r);
	return 200;
}

/* GET /verkennen/{id}/selecties/{set}[?kaarten=1][&pagina=N]: a set's
 * stories, as a list or as cards; each logged. A set is chosen by hand,
 * so it has no minimum size. */
int page_explore_set(struct req *r)
{
	int64_t id, set_id;
	if (util_parse_id(req_param(r, 1), &set_id))
		return web_error(r, 404, NULL);
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	char name[STORY_SET_NAME_MAX + 1];
	int rc = story_set_name(req_db(r), id, set_id, name);
	int64_t *ids = NULL;
	size_t n = 0;
	if (rc == DB_ROW && story_set_stories(req_db(r), set_id, &ids, &n) != DB_DONE)
		rc = DB_ERROR;
	if (rc != DB_ROW) {
		aix_release(c);
		free(ids);
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	}
	const char *k = req_query(r, "kaarten");
	int cards = k && strcmp(k, "1") == 0;
	int per = cards ? CARDS_PER_PAGE : STORIES_PER_PAGE, at = 1;
	int pages = (int)((n + (size_t)per - 1) / (size_t)per);
	const char *ps = req_query(r, "pagina");
	if (ps && *ps) {
		int64_t v;
		if (util_parse_i64(ps, &v) || v < 1 || v > (pages > 0 ? pages : 1)) {
			aix_release(c);
			free(ids);
			return web_error(r, 400, N_("There is no such page."));
		}
		at = (int)v;
	}
	char page[64];
	snprintf(page, sizeof page, "selecties/%lld", (long long)set_id);
	buf title;
	buf_init(&title);
	buf_puts(&title, cards ? T(r, "Story cards") : T(r, "Story set"));
	buf_puts(&title, ": ");
	buf_puts(&title, name);
	page_begin(r, arena_strdup(r->a, title.data));
	buf *b = &r->out;
	if (cards)
		html_lit(b, "<div class=\"vp-cards-page\">");
	else
		html_lit(b, "<div class=\"vp-stories-page\">");
	html_lit(b, "<p class=\"utrecht-paragraph vp-print-hide\"><a class=\"utrecht-link\" "
	            "href=\"");
	html_url(b, explore_link(r, id, "selecties", NULL, NULL, NULL, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Story sets"));
	html_lit(b, ": ");
	html_text(b, coll.title);
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, title.data);
	html_lit(b, "</h1>");
	buf_free(&title);
	html_lit(b, "<p class=\"utrecht-paragraph vp-print-hide\"><strong id=\"verhalen-aantal\">");
	html_int(b, (long long)n);
	html_lit(b, "</strong> ");
	html_text(b, T(r, "stories in this set, the last added first."));
	html_lit(b, " <a class=\"utrecht-link\" href=\"");
	{
		const char *url = explore_link(r, id, page, NULL, NULL, NULL, NULL);
		buf u;
		buf_init(&u);
		buf_puts(&u, url);
		if (!cards)
			buf_puts(&u, "?kaarten=1");
		html_url(b, u.data);
		buf_free(&u);
	}
	html_lit(b, "\">");
	html_text(b, cards ? T(r, "Show as a list") : T(r, "Print story cards"));
	html_lit(b, "</a></p>");
	struct shown *sh = arena_zalloc(r->a, sizeof *sh);
	sh->detail = "set";
	struct extras x = {.edit = may_edit(r), .set_id = set_id};
	if (cards)
		html_lit(b, "<div class=\"vp-story-cards\">");
	else
		html_lit(b, "<div class=\"vp-story-list\">");
	for (size_t i = (size_t)(at - 1) * (size_t)per; i < n && sh->n < per; i++) {
		int64_t row = row_of(c, ids[i]);
		if (row < 0)
			continue; /* stored after the index last looked */
		struct story_read s;
		if (story_read_one(req_db(r), id, ids[i], &s) == DB_ROW) {
			story_article(r, c, (uint32_t)row, &s, cards, &x);
			sh->id[sh->n] = s.id;
			snprintf(sh->code[sh->n], sizeof sh->code[0], "%s", s.participant_code);
			sh->n++;
		}
		story_read_free(&s);
	}
	html_lit(b, "</div>");
	if (pages > 1 && !cards) {
		/* the pager's links carry no filter here */
		pager(r, id, page, NULL, at, pages);
	}
	html_lit(b, "</div>");
	free(ids);
	aix_release(c);
	page_end(r);
	r->hctx = sh;
	return req_write(r, log_job, logged);
}

/* ---- changes: tags and sets --------------------------------------------------- */

struct change {
	int kind; /* 0 tags, 1 add to a set, 2 take out */
	struct story_tags_job tags;
	struct story_set_add_job add;
	struct story_set_remove_job remove;
	int64_t story_id;
	const char *back;
};

static int change_job(db *d, void *ctx)
{
	struct req *r = ctx;
	struct change *ch = r->hctx;
	int rc, found;
	const char *detail;
	if (ch->kind == 0) {
		rc = story_tags_write(d, &ch->tags);
		found = ch->tags.found;
		detail = "tags";
	} else if (ch->kind == 1) {
		rc = story_set_add_write(d, &ch->add);
		found = ch->add.found;
		detail = "set add";
	} else {
		rc = story_set_remove_write(d, &ch->remove);
		found = ch->remove.found;
		detail = "set remove";
	}
	if (rc != DB_OK || !found)
		return rc;
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)ch->story_id);
	struct audit_entry e = {.actor_user_id = r->sess.user.id,
	                        .actor = r->sess.user.username,
	                        .action = "update",
	                        .object_type = "story",
	                        .object_id = sid,
	                        .origin = r->ip,
	                        .detail = detail};
	return audit_append(d, &e);
}

static int changed(struct req *r)
{
	struct change *ch = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	int found = ch->kind == 0   ? ch->tags.found
	            : ch->kind == 1 ? ch->add.found
	                            : ch->remove.found;
	if (!found)
		return web_error(r, 404, NULL);
	return req_redirect(r, ch->back);
}

/* Where to go after a change: the page the form was on when it is one of
 * this collection's explorer pages, else the list of sets. */
static const char *back_to(struct req *r, int64_t id)
{
	const char *t = req_form(r, "terug");
	char prefix[48];
	snprintf(prefix, sizeof prefix, "/verkennen/%lld/", (long long)id);
	if (t && strncmp(t, prefix, strlen(prefix)) == 0 && !strpbrk(t, "\r\n\\") &&
	    strlen(t) < 4000)
		return t;
	return explore_link(r, id, "selecties", NULL, NULL, NULL, NULL);
}

/* POST /verkennen/{id}/verhalen/{story}/labels (labels=a, b; terug=PATH) */
int page_explore_story_tags(struct req *r)
{
	int64_t id, story;
	struct collection coll;
	struct aix_coll *c;
	if (util_parse_id(req_param(r, 1), &story))
		return web_error(r, 404, NULL);
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	aix_release(c);
	struct change *ch = arena_zalloc(r->a, sizeof *ch);
	const char *msg = story_tags_parse(req_form(r, "labels"), ch->tags.tags, &ch->tags.n);
	if (msg)
		return web_error(r, 422, msg);
	ch->kind = 0;
	ch->story_id = story;
	ch->tags.collection_id = id;
	ch->tags.story_id = story;
	ch->tags.user_id = r->sess.user.id;
	ch->back = back_to(r, id);
	r->hctx = ch;
	return req_write(r, change_job, changed);
}

/* POST /verkennen/{id}/selecties (verhaal=STORY; selectie=SET or naam=NAME; terug=PATH) */
int page_explore_set_add(struct req *r)
{
	int64_t id, story, set_id = 0;
	struct collection coll;
	struct aix_coll *c;
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	aix_release(c);
	if (util_parse_id(req_form(r, "verhaal"), &story))
		return web_error(r, 422, N_("Choose a story."));
	const char *sel = req_form(r, "selectie"), *name = req_form(r, "naam");
	struct change *ch = arena_zalloc(r->a, sizeof *ch);
	if (sel && *sel) {
		if (util_parse_id(sel, &set_id))
			return web_error(r, 404, NULL);
	} else {
		const char *msg = story_set_name_check(name);
		if (msg)
			return web_error(r, 422, msg);
		snprintf(ch->add.name, sizeof ch->add.name, "%s", name);
	}
	ch->kind = 1;
	ch->story_id = story;
	ch->add.collection_id = id;
	ch->add.story_id = story;
	ch->add.set_id = set_id;
	ch->add.user_id = r->sess.user.id;
	ch->back = back_to(r, id);
	r->hctx = ch;
	return req_write(r, change_job, changed);
}

/* POST /verkennen/{id}/selecties/{set}/verwijderen (verhaal=STORY) */
int page_explore_set_remove(struct req *r)
{
	int64_t id, story, set_id;
	struct collection coll;
	struct aix_coll *c;
	if (util_parse_id(req_param(r, 1), &set_id))
		return web_error(r, 404, NULL);
	if (explore_open(r, &id, &coll, &c))
		return web_error(r, 404, NULL);
	aix_release(c);
	if (util_parse_id(req_form(r, "verhaal"), &story))
		return web_error(r, 422, N_("Choose a story."));
	struct change *ch = arena_zalloc(r->a, sizeof *ch);
	ch->kind = 2;
	ch->story_id = story;
	ch->remove.collection_id = id;
	ch->remove.set_id = set_id;
	ch->remove.story_id = story;
	char back[64];
	snprintf(back, sizeof back, "/verkennen/%lld/selecties/%lld", (long long)id,
	         (long long)set_id);
	ch->back = arena_strdup(r->a, back);
	r->hctx = ch;
	return req_write(r, change_job, changed);
}

/* ---- shared with the report and perspectives pages (explore.h) --------------- */

void explore_story_article(struct req *r, struct aix_coll *c, uint32_t row,
                           const struct story_read *s, int card)
{
	story_article(r, c, row, s, card, NULL);
}

int64_t explore_row_of(const struct aix_coll *c, int64_t story_id)
{
	return row_of(c, story_id);
}

int explore_log_stories(struct req *r, int n, const int64_t *ids, const char (*codes)[64],
                        const char *detail)
{
	struct shown *sh = arena_zalloc(r->a, sizeof *sh);
	sh->detail = detail;
	for (int i = 0; i < n && i < CARDS_PER_PAGE && i < EXPLORE_LOG_MAX; i++) {
		sh->id[i] = ids[i];
		snprintf(sh->code[i], sizeof sh->code[0], "%s", codes[i]);
		sh->n++;
	}
	r->hctx = sh;
	return req_write(r, log_job, logged);
}
