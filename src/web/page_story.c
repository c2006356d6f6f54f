/* page_story.c: the pages where a resident tells a story: consent, one section per page, check, send, receipt; save and continue later. */
#include "web/pages.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/ratelimit.h"
#include "core/util.h"
#include "http/server.h"
#include "model/collection.h"
#include "model/script_cache.h"
#include "model/story.h"
#include "model/story_draft.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/question_form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The draft's secret: a session cookie, so a shared tablet forgets it when
 * the browser closes; the resume code is for later. */
#define STORY_COOKIE "__Host-vp_story"

/* One error on a page: the question (its element id q-ID), the message in
 * the reader's language. */
struct page_error {
	const char *anchor; /* element id to link to */
	const char *label;  /* what the link names (the question) */
	const char *msg;
};
enum { MAX_ERRORS = 64 };

/* The state of one request, kept across a write (r->hctx). */
struct story_page {
	struct collection c;
	const struct script *s;
	const char *lang; /* language of the script's texts */
	int nsteps;       /* sections with questions for the teller; step nsteps+1 checks */
	int *section_of;  /* step (from 1) -> section index */
	const char *secret;
	struct story_draft draft;
	int has_draft;
	json_t *answers;
	unsigned char *asked;
	int step;
	struct page_error errors[MAX_ERRORS];
	const char *errmsg[MAX_ERRORS]; /* by question index in the section, for rendering */
	int nerrors;
	int consent_error;
	char *answers_text;
	union {
		struct story_draft_start start;
		struct story_draft_save save;
		struct story_draft_resume resume;
		struct story_draft_send send;
	} job;
	struct story_submit st;
};

/* ---- common --------------------------------------------------------------- */

/* Unknown, closed and expired links get the same bytes: nobody learns which
 * links exist. The language switch of this page leads to the start page, so
 * the page does not name the link either. */
static int not_found(struct req *r)
{
	const char *path = r->path;
	r->path = "/";
	int st = web_error(r, 404, NULL);
	r->path = path;
	return st;
}

static void free_page(struct story_page *p)
{
	if (p->has_draft)
		story_draft_free(&p->draft);
	p->has_draft = 0;
	json_decref(p->answers);
	p->answers = NULL;
	free(p->answers_text);
	p->answers_text = NULL;
	free(p->asked);
	p->asked = NULL;
}

static int is_teller(const struct question *q)
{
	return q->perspective == PERSPECTIVE_TELLER;
}

/* Finds the collection and its script; 0, or the status already answered. */
static int load(struct req *r, struct story_page **out)
{
	const char *token = req_param(r, 0);
	struct story_page *p = arena_zalloc(r->a, sizeof *p);
	*out = p;
	if (!collection_token_valid(token))
		return not_found(r);
	int rc = collection_by_token(req_db(r), token, &p->c);
	if (rc == DB_DONE || (rc == DB_ROW && !collection_accepts(&p->c, clock_now())))
		return not_found(r);
	if (rc != DB_ROW)
		return web_error(r, 503, NULL);
	p->s = script_cache_get(req_db(r), p->c.org_id, p->c.script_id, p->c.script_version);
	if (!p->s)
		return not_found(r);
	p->lang = "nl";
	for (int i = 0; i < p->s->nlangs; i++)
		if (strcmp(p->s->langs[i], r->lang) == 0)
			p->lang = p->s->langs[i];
	p->section_of = arena_zalloc(r->a, sizeof(int) * ((size_t)p->s->nsections + 2));
	for (int i = 0; i < p->s->nsections; i++) {
		const struct section *sec = &p->s->sections[i];
		int teller = 0;
		for (int k = 0; k < sec->nquestions; k++)
			teller |= is_teller(&sec->questions[k]);
		if (teller)
			p->section_of[++p->nsteps] = i;
	}
	p->asked = calloc((size_t)p->s->nquestions + 1, 1);
	if (!p->asked)
		abort();
	p->secret = req_cookie(r, STORY_COOKIE);
	r->hctx = p;
	return 0;
}

/* Reads the visitor's draft (cookie) and its answers; 1 when there is one. */
static int load_draft(struct req *r, struct story_page *p)
{
	int rc = story_draft_by_secret(req_db(r), p->c.id, p->secret, clock_now(), &p->draft);
	if (rc != DB_ROW)
		return 0;
	p->has_draft = 1;
	p->answers = json_loads(p->draft.answers, 0, NULL);
	if (!p->answers || !json_is_object(p->answers)) {
		json_decref(p->answers);
		p->answers = json_object();
	}
	story_draft_asked(p->s, p->answers, p->asked);
	return 1;
}

static const char *link(struct req *r, struct story_page *p, const char *tail, int step)
{
	char *s = arena_alloc(r->a, 128);
	if (step > 0)
		snprintf(s, 128, "/v/%s%s/%d", p->c.token, tail, step);
	else
		snprintf(s, 128, "/v/%s%s", p->c.token, tail);
	return s;
}

/* Whether step k (1..nsteps) has a question for the teller that is asked. */
static int step_visible(struct story_page *p, int k)
{
	if (k < 1 || k > p->nsteps)
		return k == p->nsteps + 1;
	const struct section *sec = &p->s->sections[p->section_of[k]];
	for (int i = 0; i < sec->nquestions; i++)
		if (is_teller(&sec->questions[i]) && p->asked[sec->questions[i].index])
			return 1;
	return 0;
}

/* The next (dir 1) or previous (dir -1) visible step from k; 0 before the first. */
static int step_move(struct story_page *p, int k, int dir)
{
	for (k += dir; k >= 1 && k <= p->nsteps + 1; k += dir)
		if (step_visible(p, k))
			return k;
	return dir > 0 ? p->nsteps + 1 : 0;
}

/* A translated sentence with {n} and {m} put in. */
static void text_nm(buf *b, const char *tmpl, long long n, long long m)
{
	for (const char *t = tmpl; *t;) {
		const char *at = strchr(t, '{');
		if (!at) {
			html_text(b, t);
			return;
		}
		html_textn(b, t, (size_t)(at - t));
		if (strncmp(at, "{n}", 3) == 0) {
			html_int(b, n);
			t = at + 3;
		} else if (strncmp(at, "{m}", 3) == 0) {
			html_int(b, m);
			t = at + 3;
		} else {
			html_textn(b, at, 1);
			t = at + 1;
		}
	}
}

static void hidden(buf *b, const char *name, const char *value)
{
	html_lit(b, "<input type=\"hidden\" name=\"");
	html_attr(b, name);
	html_lit(b, "\" value=\"");
	html_attr(b, value);
	html_lit(b, "\">");
}

/* "Stap 2 van 4" and a progress bar, for step k. */
static void progress(struct req *r, struct story_page *p, int k)
{
	buf *b = &r->out;
	int n = 0, total = 0;
	for (int i = 1; i <= p->nsteps + 1; i++) {
		if (!step_visible(p, i))
			continue;
		total++;
		if (i <= k)
			n = total;
	}
	html_lit(b, "<div class=\"vp-story-progress\"><p class=\"utrecht-paragraph "
	            "vp-story-progress__text\" id=\"voortgang\">");
	text_nm(b, T(r, "Step {n} of {m}"), n, total);
	html_lit(b, "</p><progress class=\"vp-story-progress__bar\" aria-labelledby=\"voortgang\" "
	            "max=\"");
	html_int(b, total);
	html_lit(b, "\" value=\"");
	html_int(b, n);
	html_lit(b, "\"></progress></div>");
}

/* The error summary at the top of a page (GOV.UK / NL Design System). */
static void error_summary(struct req *r, struct story_page *p)
{
	buf *b = &r->out;
	if (!p->nerrors)
		return;
	html_lit(b, "<div class=\"vp-error-summary\" role=\"alert\" tabindex=\"-1\" "
	            "aria-labelledby=\"fouten-kop\"><h2 class=\"utrecht-heading-2 "
	            "vp-error-summary__title\" id=\"fouten-kop\">");
	html_text(b, T(r, "There is a problem"));
	html_lit(b, "</h2><ul class=\"utrecht-unordered-list vp-error-summary__list\">");
	for (int i = 0; i < p->nerrors; i++) {
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
		html_url(b, p->errors[i].anchor);
		html_lit(b, "\">");
		if (p->errors[i].label) {
			const char *l = p->errors[i].label;
			size_t n = strlen(l);
			html_text(b, l);
			/* "Hoe oud bent u? Geef een getal", "Leeftijd: Geef een getal" */
			if (n && strchr("?.!:", l[n - 1]))
				html_lit(b, " ");
			else
				html_lit(b, ": ");
		}
		html_text(b, p->errors[i].msg);
		html_lit(b, "</a></li>");
	}
	html_lit(b, "</ul></div>");
}

static void add_error(struct req *r, struct story_page *p, const struct question *q,
                      const char *anchor, const char *msg)
{
	if (p->nerrors >= MAX_ERRORS)
		return;
	struct page_error *e = &p->errors[p->nerrors++];
	if (q) {
		char *a = arena_alloc(r->a, strlen(q->id) + 4);
		snprintf(a, strlen(q->id) + 4, "#q-%s", q->id);
		e->anchor = a;
		e->label = ltext_get(&q->text, p->lang);
	} else {
		e->anchor = anchor;
	}
	e->msg = msg;
}

/* The page title: with "Error: " first when the page shows errors (so a
 * screen reader hears it first). */
static void begin(struct req *r, struct story_page *p, const char *what)
{
	buf t;
	buf_init(&t);
	if (p->nerrors || p->consent_error) {
		buf_puts(&t, T(r, "Error:"));
		buf_puts(&t, " ");
	}
	if (what) {
		buf_puts(&t, what);
		buf_puts(&t, " - ");
	}
	buf_puts(&t, p->c.title);
	page_begin(r, arena_strdup(r->a, t.data));
	buf_free(&t);
	html_lit(&r->out, "<div class=\"vp-story\">");
}

static void end(struct req *r)
{
	html_lit(&r->out, "</div>");
	page_end(r);
}

static void h1(struct req *r, const char *text)
{
	html_lit(&r->out, "<h1 class=\"utrecht-heading-1\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</h1>");
}

static void set_cookie(struct req *r, const char *secret)
{
	req_set_cookie(r, STORY_COOKIE, arena_strdup(r->a, secret), -1, 1);
}

/* ---- start: consent -------------------------------------------------------- */

static void privacy_hash(const char *text, char out[65])
{
	util_hash_hex(text, out);
}

static int start_page(struct req *r, struct story_page *p, int status)
{
	buf *b = &r->out;
	begin(r, p, NULL);
	error_summary(r, p);
	h1(r, p->c.title);
	const char *intro = ltext_get(&p->s->introduction, p->lang);
	if (*intro)
		script_paragraphs(r, intro, "vp-lead");
	if (p->has_draft) {
		html_lit(b, "<div class=\"utrecht-alert utrecht-alert--info\" role=\"status\"><div "
		            "class=\"utrecht-alert__content\"><p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "You have already started. Your answers are saved."));
		html_lit(b, " <a class=\"utrecht-link\" href=\"");
		html_url(b, link(r, p, "/stap", p->draft.step > 0 ? p->draft.step : 1));
		html_lit(b, "\">");
		html_text(b, T(r, "Go on with your story"));
		html_lit(b, "</a></p></div></div>");
	}
	const char *privacy = ltext_get(&p->s->privacy, p->lang);
	html_lit(b, "<section class=\"vp-privacy\" aria-labelledby=\"privacy-kop\">"
	            "<h2 class=\"utrecht-heading-2\" id=\"privacy-kop\">");
	html_text(b, T(r, "Who can read your story?"));
	html_lit(b, "</h2>");
	script_paragraphs(r, privacy, NULL);
	html_lit(b, "</section><form class=\"vp-story-form\" method=\"post\" action=\"");
	html_url(b, link(r, p, "/start", 0));
	html_lit(b, "\">");
	page_csrf_field(r);
	char h[65];
	privacy_hash(privacy, h);
	hidden(b, "privacy", h);
	/* The honeypot: people do not see it, robots fill it in. */
	html_lit(b, "<div class=\"vp-hp\" aria-hidden=\"true\"><label for=\"website\">");
	html_text(b, T(r, "Leave this field empty"));
	html_lit(b, "</label><input type=\"text\" id=\"website\" name=\"website\" tabindex=\"-1\" "
	            "autocomplete=\"off\"></div>");
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox vp-consent");
	if (p->consent_error)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b,
	         "\" id=\"toestemming\"><div class=\"utrecht-form-field__input\"><input "
	         "class=\"utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom\" "
	         "type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"1\"");
	if (p->consent_error)
		html_lit(b, " aria-invalid=\"true\" aria-describedby=\"consent-error\"");
	html_lit(
	        b,
	        "></div><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label "
	        "utrecht-form-label--checkbox\" for=\"consent\">");
	html_text(b, T(r, "I have read this and I take part"));
	html_lit(b, "</label></div>");
	if (p->consent_error) {
		html_lit(b, "<p class=\"utrecht-form-field-error-message vp-question__error\" "
		            "id=\"consent-error\">");
		html_text(b, T(r, "Tick the box to take part."));
		html_lit(b, "</p>");
	}
	html_lit(b, "</div><div class=\"utrecht-button-group vp-story-buttons\"><button "
	            "class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Start"));
	html_lit(b,
	         "</button></div></form><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
	         "href=\"");
	html_url(b, link(r, p, "/verder", 0));
	html_lit(b, "\">");
	html_text(b, T(r, "I have a code to go on with my story"));
	html_lit(b, "</a></p>");
	end(r);
	free_page(p);
	return status;
}

/* GET /v/{token}: the introduction, who can read the story, and consent. */
int page_story_start_form(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p);
	if (st)
		return st;
	load_draft(r, p);
	return start_page(r, p, 200);
}

static int start_job(db *d, void *ctx)
{
	struct story_page *p = ((struct req *)ctx)->hctx;
	return story_draft_start_write(d, &p->job.start);
}

static int started(struct req *r)
{
	struct story_page *p = r->hctx;
	free_page(p);
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	set_cookie(r, p->job.start.secret);
	int step = p->job.start.step >= 1 && p->job.start.step <= p->nsteps + 1 ? p->job.start.step
	                                                                        : 1;
	return req_redirect(r, link(r, p, "/stap", step));
}

/* POST /v/{token}/start: consent given with the exact text shown. */
int page_story_start(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p);
	if (st)
		return st;
	const char *hp = req_form(r, "website");
	if (hp && *hp) {
		/* A robot: answered as if accepted, nothing stored. */
		free_page(p);
		return req_redirect(r, link(r, p, "/stap", 1));
	}
	const char *consent = req_form(r, "consent");
	if (!consent || strcmp(consent, "1") != 0) {
		p->consent_error = 1;
		add_error(r, p, NULL, "#consent", T(r, "Tick the box to take part."));
		load_draft(r, p);
		return start_page(r, p, 422);
	}
	/* The privacy text the form showed, in whichever language it was. */
	const char *shown = req_form(r, "privacy");
	const char *text = NULL;
	for (int i = 0; shown && i < p->s->privacy.n; i++) {
		char h[65];
		privacy_hash(p->s->privacy.s[i], h);
		if (strcmp(h, shown) == 0)
			text = p->s->privacy.s[i];
	}
	if (!text) {
		add_error(r, p, NULL, "#privacy-kop",
		          T(r, "The text about your privacy has changed. Read it again, please."));
		load_draft(r, p);
		return start_page(r, p, 409);
	}
	p->job.start.collection_id = p->c.id;
	p->job.start.old_secret = p->secret;
	p->job.start.consent_text = text;
	p->job.start.language = p->lang;
	return req_write(r, start_job, started);
}

/* ---- the steps ------------------------------------------------------------- */

static int save_job(db *d, void *ctx)
{
	struct story_page *p = ((struct req *)ctx)->hctx;
	return story_draft_save_write(d, &p->job.save);
}

/* A question's answer as a reader checks it (the summary). */
static void answer_summary(struct req *r, struct story_page *p, const struct question *q, json_t *v)
{
	buf *b = &r->out;
	const char *lang = p->lang;
	if (!v) {
		html_lit(b, "<span class=\"vp-summary__empty\">");
		html_text(b, T(r, "Not answered"));
		html_lit(b, "</span>");
		return;
	}
	if (json_is_null(v)) {
		html_text(b, T(r, "Not applicable"));
		return;
	}
	switch (q->type) {
	case Q_STORY: {
		const char *title = json_string_value(json_object_get(v, "title"));
		const char *text = json_string_value(json_object_get(v, "text"));
		if (title && *title) {
			html_lit(b, "<strong>");
			html_text(b, title);
			html_lit(b, "</strong><br>");
		}
		html_lit(b, "<span class=\"vp-summary__story\">");
		html_text(b, text ? text : "");
		html_lit(b, "</span>");
		break;
	}
	case Q_CHOICE:
	case Q_MULTI: {
		json_t *arr = json_is_array(v) ? v : NULL;
		size_t n = arr ? json_array_size(arr) : 1;
		for (size_t i = 0; i < n; i++) {
			json_t *x = arr ? json_array_get(arr, i) : v;
			if (i)
				html_lit(b, ", ");
			if (json_is_object(x)) {
				html_text(b, ltext_get(&q->other, lang));
				html_lit(b, ": ");
				html_text(b, json_string_value(json_object_get(x, "other")));
				continue;
			}
			for (int k = 0; k < q->noptions; k++)
				if (json_is_string(x) &&
				    strcmp(q->options[k].id, json_string_value(x)) == 0)
					html_text(b, ltext_get(&q->options[k].label, lang));
		}
		break;
	}
	case Q_SCALE:
		text_nm(b, T(r, "{n} of {m}"), (long long)json_integer_value(v), q->points);
		html_lit(b, " (");
		html_text(b, ltext_get(&q->low, lang));
		html_lit(b, " - ");
		html_text(b, ltext_get(&q->high, lang));
		html_lit(b, ")");
		break;
	case Q_DYAD: {
		double x = json_number_value(v);
		html_text(b, ltext_get(&q->options[0].label, lang));
		html_lit(b, " ");
		html_int(b, (long long)lround(100 - x));
		html_lit(b, "%, ");
		html_text(b, ltext_get(&q->options[1].label, lang));
		html_lit(b, " ");
		html_int(b, (long long)lround(x));
		html_lit(b, "%");
		break;
	}
	case Q_TRIAD:
		for (int k = 0; k < 3 && k < q->noptions; k++) {
			if (k)
				html_lit(b, ", ");
			html_text(b, ltext_get(&q->options[k].label, lang));
			html_lit(b, " ");
			html_int(b, (long long)lround(
			                    json_number_value(json_array_get(v, (size_t)k)) * 100));
			html_lit(b, "%");
		}
		break;
	case Q_STONES: {
		int any = 0;
		for (int k = 0; k < q->noptions; k++) {
			json_t *xy = json_object_get(v, q->options[k].id);
			if (!json_is_array(xy))
				continue;
			if (any++)
				html_lit(b, "; ");
			html_text(b, ltext_get(&q->options[k].label, lang));
			html_lit(b, ": ");
			html_int(b, (long long)lround(json_number_value(json_array_get(xy, 0))));
			html_lit(b, ", ");
			html_int(b, (long long)lround(json_number_value(json_array_get(xy, 1))));
		}
		if (!any)
			html_text(b, T(r, "Not placed"));
		break;
	}
	case Q_PIN: {
		html_text(b, json_object_get(v, "x") ? T(r, "Placed on the picture")
		                                     : T(r, "Not placed"));
		const char *note = json_string_value(json_object_get(v, "note"));
		if (note && *note) {
			html_lit(b, "<br>");
			html_text(b, note);
		}
		break;
	}
	case Q_NUMBER: {
		char tmp[40];
		snprintf(tmp, sizeof tmp, "%.15g", json_number_value(v));
		html_text(b, tmp);
		break;
	}
	default: html_text(b, json_is_string(v) ? json_string_value(v) : ""); break;
	}
}

/* The last step: every answer to check, with a link to change it, and send. */
static int check_page(struct req *r, struct story_page *p, int status)
{
	buf *b = &r->out;
	begin(r, p, T(r, "Check your answers"));
	progress(r, p, p->nsteps + 1);
	error_summary(r, p);
	h1(r, T(r, "Check your answers"));
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Read your answers. Is everything right? Then send your story."));
	html_lit(b, "</p>");
	for (int k = 1; k <= p->nsteps; k++) {
		if (!step_visible(p, k))
			continue;
		const struct section *sec = &p->s->sections[p->section_of[k]];
		html_lit(b, "<section class=\"vp-summary\"><div class=\"vp-summary__head\"><h2 "
		            "class=\"utrecht-heading-2\">");
		if (sec->title.n)
			html_text(b, ltext_get(&sec->title, p->lang));
		else
			text_nm(b, T(r, "Part {n}"), k, 0);
		html_lit(b, "</h2><a class=\"utrecht-link vp-summary__change\" href=\"");
		html_url(b, link(r, p, "/stap", k));
		html_lit(b, "\">");
		html_text(b, T(r, "Change"));
		html_lit(b, "<span class=\"vp-visually-hidden\"> ");
		html_text(b, sec->title.n ? ltext_get(&sec->title, p->lang) : "");
		html_lit(b, "</span></a></div><dl class=\"vp-summary__list\">");
		for (int i = 0; i < sec->nquestions; i++) {
			const struct question *q = &sec->questions[i];
			if (!is_teller(q) || !p->asked[q->index])
				continue;
			html_lit(b, "<div class=\"vp-summary__row\" id=\"q-");
			html_attr(b, q->id);
			html_lit(b, "\"><dt>");
			html_text(b, ltext_get(&q->text, p->lang));
			html_lit(b, "</dt><dd>");
			answer_summary(r, p, q, json_object_get(p->answers, q->id));
			html_lit(b, "</dd></div>");
		}
		html_lit(b, "</dl></section>");
	}
	html_lit(b, "<form class=\"vp-story-form\" method=\"post\" action=\"");
	html_url(b, link(r, p, "/versturen", 0));
	html_lit(b, "\">");
	page_csrf_field(r);
	html_lit(b, "<div class=\"utrecht-button-group vp-story-buttons\"><button "
	            "class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Send"));
	html_lit(b, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a "
	            "utrecht-button-link--secondary-action vp-button-link\" href=\"");
	html_url(b, link(r, p, "/stap", step_move(p, p->nsteps + 1, -1)));
	html_lit(b, "\">");
	html_text(b, T(r, "Back"));
	html_lit(b, "</a></div></form>");
	end(r);
	free_page(p);
	return status;
}

/* Step k: the questions of one section. errors by question are in
 * p->errmsg (index within the section). */
static int step_page(struct req *r, struct story_page *p, int k, int status)
{
	if (k == p->nsteps + 1)
		return check_page(r, p, status);
	buf *b = &r->out;
	const struct section *sec = &p->s->sections[p->section_of[k]];
	const char *title = sec->title.n ? ltext_get(&sec->title, p->lang) : p->c.title;
	begin(r, p, sec->title.n ? title : NULL);
	progress(r, p, k);
	error_summary(r, p);
	h1(r, title);
	html_lit(b, "<form class=\"vp-story-form\" method=\"post\" action=\"");
	html_url(b, link(r, p, "/stap", k));
	html_lit(b, "\">");
	page_csrf_field(r);
	for (int i = 0; i < sec->nquestions; i++) {
		const struct question *q = &sec->questions[i];
		if (!is_teller(q) || !p->asked[q->index])
			continue;
		question_form_render(b, q, json_object_get(p->answers, q->id), p->lang,
		                     i < MAX_ERRORS ? p->errmsg[i] : NULL, question_form_tr_lang,
		                     (void *)r->lang);
	}
	/* Next first: the Enter key sends the form with the first button. */
	html_lit(b, "<div class=\"utrecht-button-group vp-story-buttons\"><button "
	            "class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\" "
	            "name=\"action\" value=\"next\">");
	html_text(b, T(r, "Next"));
	html_lit(b, "</button>");
	if (step_move(p, k, -1) > 0) {
		html_lit(b, "<button class=\"utrecht-button utrecht-button--secondary-action\" "
		            "type=\"submit\" name=\"action\" value=\"back\">");
		html_text(b, T(r, "Back"));
		html_lit(b, "</button>");
	}
	html_lit(b, "<button class=\"utrecht-button utrecht-button--subtle\" type=\"submit\" "
	            "name=\"action\" value=\"later\">");
	html_text(b, T(r, "Continue later"));
	html_lit(b, "</button></div></form>");
	question_form_scripts(b);
	end(r);
	free_page(p);
	return status;
}

/* The step number of the route: 1..nsteps+1, or 0. */
static int route_step(struct req *r, struct story_page *p)
{
	int64_t n;
	if (util_parse_i64(req_param(r, 1), &n) || n < 1 || n > p->nsteps + 1)
		return 0;
	return (int)n;
}

/* GET /v/{token}/stap/{n} */
int page_story_step(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p);
	if (st)
		return st;
	int k = route_step(r, p);
	if (!k) {
		free_page(p);
		return not_found(r);
	}
	if (!load_draft(r, p)) {
		free_page(p);
		return req_redirect(r, link(r, p, "", 0));
	}
	if (!step_visible(p, k)) {
		/* Its questions are not asked with these answers. */
		int to = step_move(p, k, 1);
		free_page(p);
		return req_redirect(r, link(r, p, "/stap", to));
	}
	return step_page(r, p, k, 200);
}

static int later_page(struct req *r, struct story_page *p)
{
	buf *b = &r->out;
	begin(r, p, T(r, "Continue later"));
	h1(r, T(r, "Continue later"));
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Your answers are saved. With this code you can go on later, also on "
	                  "another phone or computer:"));
	html_lit(b, "</p><p class=\"vp-code\" id=\"verder-code\">");
	html_textn(b, p->job.save.code, 4);
	html_lit(b, "-");
	html_text(b, p->job.save.code + 4);
	html_lit(b, "</p><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Write the code down. We keep your answers for 30 days. After that they "
	                  "are deleted. Only the newest code works."));
	html_lit(b, "</p><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "To go on, open this page and type the code:"));
	html_lit(b, " <a class=\"utrecht-link\" href=\"");
	html_url(b, link(r, p, "/verder", 0));
	html_lit(b, "\">");
	html_text(b, T(r, "Go on with a code"));
	html_lit(b, "</a></p><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, link(r, p, "/stap", p->step));
	html_lit(b, "\">");
	html_text(b, T(r, "Go on now"));
	html_lit(b, "</a></p>");
	end(r);
	free_page(p);
	return 200;
}

static int step_saved(struct req *r)
{
	struct story_page *p = r->hctx;
	if (r->write_rc != 0) {
		free_page(p);
		return web_error(r, 503, NULL);
	}
	if (!p->job.save.found) {
		free_page(p);
		return req_redirect(r, link(r, p, "", 0));
	}
	if (p->job.save.new_code)
		return later_page(r, p);
	if (p->nerrors || p->job.save.step == p->step) {
		/* Errors, or a question that the answers just made appear. */
		return step_page(r, p, p->step, p->nerrors ? 422 : 200);
	}
	int to = p->job.save.step;
	free_page(p);
	return req_redirect(r, link(r, p, "/stap", to));
}

/* POST /v/{token}/stap/{n}: saves what was typed (also going back or
 * saving for later), checks it when going on. */
int page_story_step_save(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p);
	if (st)
		return st;
	int k = route_step(r, p);
	if (!k) {
		free_page(p);
		return not_found(r);
	}
	if (!load_draft(r, p)) {
		free_page(p);
		return req_redirect(r, link(r, p, "", 0));
	}
	const char *action = req_form(r, "action");
	if (!action)
		action = "next";
	p->step = k;
	if (k == p->nsteps + 1) {
		free_page(p);
		return req_redirect(r, link(r, p, "/stap", k));
	}
	const struct section *sec = &p->s->sections[p->section_of[k]];
	unsigned char *before = malloc((size_t)p->s->nquestions + 1);
	if (!before)
		abort();
	memcpy(before, p->asked, (size_t)p->s->nquestions + 1);
	const char **conv = arena_zalloc(r->a, sizeof(char *) * ((size_t)sec->nquestions + 1));
	for (int i = 0; i < sec->nquestions; i++) {
		const struct question *q = &sec->questions[i];
		if (!is_teller(q) || !before[q->index])
			continue;
		json_t *v = NULL;
		const char *msg = NULL;
		if (question_form_parse(q, &r->form, &v, &msg) < 0)
			conv[i] = T(r, msg);
		/* What was typed is kept, also when it is not right yet: the
		 * form shows it again; sending checks everything. */
		if (v)
			json_object_set_new(p->answers, q->id, v);
		else
			json_object_del(p->answers, q->id);
	}
	story_draft_asked(p->s, p->answers, p->asked);
	int appeared = 0;
	for (int i = 0; i < sec->nquestions; i++) {
		const struct question *q = &sec->questions[i];
		if (!is_teller(q) || !p->asked[q->index])
			continue;
		if (!before[q->index]) {
			appeared = 1;
			continue;
		}
		json_t *v = json_object_get(p->answers, q->id);
		const char *msg = conv[i];
		struct answer_error e;
		if (!msg && !v && q->required)
			msg = T(r, "This question needs an answer.");
		else if (!msg && v && story_draft_check_one(q, v, &e) != 0)
			msg = T(r, e.msg);
		if (msg) {
			if (i < MAX_ERRORS)
				p->errmsg[i] = msg;
			add_error(r, p, q, NULL, msg);
		}
	}
	free(before);
	int to = k;
	if (strcmp(action, "back") == 0)
		to = step_move(p, k, -1);
	else if (strcmp(action, "later") == 0)
		to = k;
	else if (!p->nerrors && !appeared)
		to = step_move(p, k, 1);
	if (strcmp(action, "next") != 0) {
		/* Going back or stopping: nothing is in the way. */
		p->nerrors = 0;
		memset(p->errmsg, 0, sizeof p->errmsg);
	}
	if (to < 1) {
		to = k;
		p->step = k;
	}
	p->answers_text = json_dumps(p->answers, JSON_COMPACT | JSON_REAL_PRECISION(17));
	if (!p->answers_text)
		abort();
	if (strlen(p->answers_text) > STORY_DRAFT_ANSWERS_MAX) {
		free_page(p);
		return web_error(r, 413, NULL);
	}
	p->job.save.id = p->draft.id;
	p->job.save.answers = p->answers_text;
	p->job.save.step = to;
	p->job.save.new_code = strcmp(action, "later") == 0;
	return req_write(r, save_job, step_saved);
}

/* ---- continue later -------------------------------------------------------- */

static int resume_page(struct req *r, struct story_page *p, const char *typed, int status)
{
	buf *b = &r->out;
	begin(r, p, T(r, "Go on with a code"));
	error_summary(r, p);
	h1(r, T(r, "Go on with a code"));
	html_lit(b, "<form class=\"vp-story-form\" method=\"post\" action=\"");
	html_url(b, link(r, p, "/verder", 0));
	html_lit(b, "\">");
	page_csrf_field(r);
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text");
	if (p->nerrors)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b,
	         "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	         "for=\"code\">");
	html_text(b, T(r, "Your code"));
	html_lit(b,
	         "</label></div><div class=\"utrecht-form-field__description\" id=\"code-help\">");
	html_text(b, T(r, "8 letters and numbers, for example K7M4-Q2PX."));
	html_lit(b, "</div>");
	if (p->nerrors) {
		html_lit(b, "<p class=\"utrecht-form-field-error-message vp-question__error\" "
		            "id=\"code-error\">");
		html_text(b, p->errors[0].msg);
		html_lit(b, "</p>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox "
	            "utrecht-textbox--html-input vp-code-input\" id=\"code\" name=\"code\" "
	            "type=\"text\" autocomplete=\"off\" autocapitalize=\"characters\" "
	            "spellcheck=\"false\" maxlength=\"20\" aria-describedby=\"code-help");
	if (p->nerrors)
		html_lit(b, " code-error\" aria-invalid=\"true");
	html_lit(b, "\"");
	if (typed) {
		html_lit(b, " value=\"");
		html_attr(b, typed);
		html_lit(b, "\"");
	}
	html_lit(b, "></div></div><div class=\"utrecht-button-group vp-story-buttons\"><button "
	            "class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Go on"));
	html_lit(b,
	         "</button></div></form><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
	         "href=\"");
	html_url(b, link(r, p, "", 0));
	html_lit(b, "\">");
	html_text(b, T(r, "Start a new story"));
	html_lit(b, "</a></p>");
	end(r);
	free_page(p);
	return status;
}

/* GET /v/{token}/verder */
int page_story_resume_form(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p);
	if (st)
		return st;
	return resume_page(r, p, NULL, 200);
}

static int resume_job(db *d, void *ctx)
{
	struct story_page *p = ((struct req *)ctx)->hctx;
	return story_draft_resume_write(d, &p->job.resume);
}

static int resumed(struct req *r)
{
	struct story_page *p = r->hctx;
	if (r->write_rc != 0) {
		free_page(p);
		return web_error(r, 503, NULL);
	}
	if (!p->job.resume.found) {
		add_error(r, p, NULL, "#code",
		          T(r, "We cannot find this code. Check the code, or start again."));
		return resume_page(r, p, req_form(r, "code"), 422);
	}
	set_cookie(r, p->job.resume.secret);
	int step = p->job.resume.step >= 1 && p->job.resume.step <= p->nsteps + 1
	                   ? p->job.resume.step
	                   : 1;
	free_page(p);
	return req_redirect(r, link(r, p, "/stap", step));
}

/* POST /v/{token}/verder: the resume code takes the draft back. */
int page_story_resume(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p);
	if (st)
		return st;
	int wait = 0;
	if (r->app->rl_story_ip &&
	    !ratelimit_take(r->app->rl_story_ip, r->ip, clock_mono_us() / 1000, &wait)) {
		free_page(p);
		char *v = arena_alloc(r->a, 16);
		snprintf(v, 16, "%d", wait > 0 ? wait : 1);
		req_set_header(r, "Retry-After", v);
		return web_error(r, 429, NULL);
	}
	const char *typed = req_form(r, "code");
	char code[COLLECTION_CODE_LEN + 1];
	if (!typed || collection_code_normalise(typed, code) != 0) {
		add_error(r, p, NULL, "#code",
		          T(r, "Type the code of 8 letters and numbers, for example K7M4-Q2PX."));
		return resume_page(r, p, typed, 422);
	}
	char *c = arena_strdup(r->a, code);
	p->job.resume.collection_id = p->c.id;
	p->job.resume.code = c;
	return req_write(r, resume_job, resumed);
}

/* ---- sending --------------------------------------------------------------- */

static int thanks_page(struct req *r, struct story_page *p, const char *receipt)
{
	buf *b = &r->out;
	begin(r, p, T(r, "Thank you"));
	h1(r, T(r, "Thank you for your story"));
	const char *thanks = ltext_get(&p->s->thanks, p->lang);
	if (*thanks)
		script_paragraphs(r, thanks, "vp-lead");
	html_lit(b, "<section class=\"vp-receipt\" aria-labelledby=\"bewijs-kop\"><h2 "
	            "class=\"utrecht-heading-2\" id=\"bewijs-kop\">");
	html_text(b, T(r, "Your receipt code"));
	html_lit(b, "</h2><p class=\"vp-code vp-receipt__code\" id=\"ontvangstcode\">");
	html_text(b, receipt);
	html_lit(b, "</p><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Keep this code. With it you can ask about your story, or have it "
	                  "removed."));
	html_lit(b, "</p></section>");
	end(r);
	free_page(p);
	return 200;
}

static int send_job(db *d, void *ctx)
{
	struct story_page *p = ((struct req *)ctx)->hctx;
	return story_draft_send_write(d, &p->job.send);
}

static int sent(struct req *r)
{
	struct story_page *p = r->hctx;
	story_submit_free(&p->st);
	if (r->write_rc != 0) {
		free_page(p);
		return web_error(r, 503, NULL);
	}
	if (p->st.result == STORY_GONE) {
		free_page(p);
		return not_found(r);
	}
	return thanks_page(r, p, p->st.receipt);
}

/* The step that holds question id (for a link to it), or 0. */
static int step_of(struct story_page *p, const char *id)
{
	for (int k = 1; id && k <= p->nsteps; k++) {
		const struct section *sec = &p->s->sections[p->section_of[k]];
		for (int i = 0; i < sec->nquestions; i++)
			if (strcmp(sec->questions[i].id, id) == 0)
				return k;
	}
	return 0;
}

/* POST /v/{token}/versturen: the story from the draft, stored once. */
int page_story_send(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p);
	if (st)
		return st;
	if (!load_draft(r, p)) {
		/* Sent already from this browser (a reload, a second click)? */
		char receipt[STORY_RECEIPT_LEN + 1];
		if (story_draft_sent_receipt(req_db(r), p->c.id, p->secret, clock_now(), receipt) ==
		    DB_ROW)
			return thanks_page(r, p, arena_strdup(r->a, receipt));
		free_page(p);
		return req_redirect(r, link(r, p, "", 0));
	}
	/* Only the teller's questions that are asked. */
	json_t *answers = json_object();
	for (int i = 0; i < p->s->nquestions; i++) {
		const struct question *q = p->s->questions[i];
		json_t *v = json_object_get(p->answers, q->id);
		if (v && is_teller(q) && p->asked[i])
			json_object_set(answers, q->id, v);
	}
	json_t *body = json_pack("{s:s, s:s, s:i, s:s, s:o}", "id", p->draft.uuid, "channel", "web",
	                         "script_version", p->c.script_version, "language",
	                         p->draft.language, "answers", answers);
	p->st.collection = &p->c;
	const char *msg = NULL;
	struct answer_error e;
	int status = story_prepare(&p->st, p->s, body, 0, &msg, &e);
	json_decref(body);
	if (status) {
		story_submit_free(&p->st);
		if (status == 422 && e.question) {
			int k = step_of(p, e.question);
			const struct question *q = script_question(p->s, e.question);
			if (q && k) {
				char *a = arena_alloc(r->a, 160);
				snprintf(a, 160, "/v/%s/stap/%d#q-%s", p->c.token, k, q->id);
				add_error(r, p, NULL, a, T(r, msg));
				p->errors[p->nerrors - 1].label = ltext_get(&q->text, p->lang);
				return check_page(r, p, 422);
			}
		}
		free_page(p);
		return web_error(r, status, msg);
	}
	p->job.send.draft_id = p->draft.id;
	p->job.send.secret = p->secret;
	p->job.send.consent_text_hash = p->draft.consent_text_hash;
	p->job.send.consent_at = p->draft.consent_at;
	p->job.send.st = &p->st;
	return req_write(r, send_job, sent);
}
