/* page_story.c: the pages where a story is told: a resident at the public link (consent, one section per page, check, optional contact details, send, receipt; save and continue later), at a kiosk (no way out, reset after sending or inactivity), and a staff member taking it with a client (face to face, by phone, from paper) with the professional's own answers. */
#include "web/pages.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/ratelimit.h"
#include "core/util.h"
#include "http/server.h"
#include "model/audit.h"
#include "model/collection.h"
#include "model/consent.h"
#include "model/descriptor.h"
#include "model/participant.h"
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
/* A kiosk's timers (seconds, "IDLE.WARN.BACK"), set when it is started. */
#define KIOSK_COOKIE "__Host-vp_kiosk"

/* Who tells the story, and so which pages: the public link (/v/TOKEN),
 * a kiosk (/v/TOKEN/kiosk: no links out, no resume code, reset), or a
 * staff member with a client (/verzamelingen/ID/opnemen: channel and
 * participant chosen, the professional's questions after the client's). */
enum story_mode { MODE_WEB, MODE_KIOSK, MODE_STAFF };

/* A kiosk's timers: inactivity before the warning, the warning's countdown,
 * and the thank-you page before it starts again. */
enum {
	KIOSK_IDLE_DEFAULT = 90,
	KIOSK_WARN_DEFAULT = 30,
	KIOSK_BACK_DEFAULT = 20,
	KIOSK_SECONDS_MAX = 3600,
};
struct kiosk_timers {
	int idle, warn, back;
};

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
	enum story_mode mode;
	struct collection c;
	const struct script *s;
	const char *lang; /* language of the script's texts */
	int nsteps;       /* sections with questions for the teller (and, taken by staff,
	                     for the professional after them); step nsteps+1 checks */
	int nteller;      /* the steps of the teller: 1..nteller */
	int *section_of;  /* step (from 1) -> section index */
	int *persp_of;    /* step (from 1) -> the perspective it asks */
	const char *secret;
	struct story_draft draft;
	int has_draft;
	json_t *answers;
	unsigned char *asked;
	unsigned char *carried; /* descriptors known from the participant's earlier stories */
	int step;
	struct page_error errors[MAX_ERRORS];
	const char *errmsg[MAX_ERRORS]; /* by question index in the section, for rendering */
	int nerrors;
	int consent_error;
	char *answers_text;
	/* The contact details typed on the check page, and their error. */
	struct contact contact;
	const char *contact_error;
	const char *feedback_text;
	/* The staff member's start: the channel and participant code chosen. */
	const char *channel;
	const char *code_typed;
	const char *code_error;
	const char *channel_error;
	char participant_code[PARTICIPANT_CODE_LEN + 1];
	union {
		struct story_draft_start start;
		struct story_draft_save save;
		struct story_draft_resume resume;
		struct story_draft_send send;
		struct story_draft_discard discard;
	} job;
	struct story_submit st;
	struct req *r;
	struct kiosk_timers timers; /* set by this request (has_timers), else the cookie's */
	int has_timers;
};

/* ---- common --------------------------------------------------------------- */

static void kiosk_begin(struct req *r, struct story_page *p, const char *title, int thanks);
static void kiosk_end(struct req *r, struct story_page *p);

/* Unknown, closed and expired links get the same bytes: nobody learns which
 * links exist. The language switch of this page leads to the start page, so
 * the page does not name the link either. A kiosk shows it in its own
 * frame, without links out. */
static int not_found_mode(struct req *r, enum story_mode mode)
{
	if (mode == MODE_STAFF)
		return web_error(r, 404, NULL);
	if (mode == MODE_KIOSK) {
		struct story_page p = {.mode = MODE_KIOSK};
		snprintf(p.c.title, sizeof p.c.title, "Vertelpunt");
		const char *title = T(r, "This page does not exist.");
		kiosk_begin(r, &p, title, 0);
		html_lit(&r->out, "<h1 class=\"utrecht-heading-1\">");
		html_text(&r->out, title);
		html_lit(&r->out, "</h1>");
		kiosk_end(r, &p);
		return 404;
	}
	const char *path = r->path;
	r->path = "/";
	int st = web_error(r, 404, NULL);
	r->path = path;
	return st;
}

static int not_found(struct req *r)
{
	struct story_page *p = r->hctx;
	return not_found_mode(r, p ? p->mode : MODE_WEB);
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
	free(p->carried);
	p->carried = NULL;
}

/* Whether step k asks question q: of the step's perspective, asked with
 * these answers, and not known already. */
static int shows(const struct story_page *p, int k, const struct question *q)
{
	return k >= 1 && k <= p->nsteps && (int)q->perspective == p->persp_of[k] &&
	       p->asked[q->index] && !p->carried[q->index];
}

/* The channels a staff member may take a story in. */
static const char *const staff_channels[] = {"face-to-face", "phone", "paper"};

static int staff_channel(const char *ch)
{
	for (size_t i = 0; ch && i < sizeof staff_channels / sizeof staff_channels[0]; i++)
		if (strcmp(ch, staff_channels[i]) == 0)
			return 1;
	return 0;
}

/* The draft's channel fits the pages: web drafts on the web, kiosk drafts
 * at the kiosk, and a staff member's only for them. */
static int draft_fits(struct req *r, const struct story_page *p)
{
	switch (p->mode) {
	case MODE_WEB: return strcmp(p->draft.channel, "web") == 0;
	case MODE_KIOSK: return strcmp(p->draft.channel, "kiosk") == 0;
	case MODE_STAFF:
		return staff_channel(p->draft.channel) && r->logged_in &&
		       p->draft.user_id == r->sess.user.id;
	}
	return 0;
}

/* Adds the steps of perspective persp: each section with such a question. */
static void add_steps(struct story_page *p, int persp)
{
	for (int i = 0; i < p->s->nsections; i++) {
		const struct section *sec = &p->s->sections[i];
		int has = 0;
		for (int k = 0; k < sec->nquestions; k++)
			has |= (int)sec->questions[k].perspective == persp;
		if (has) {
			p->nsteps++;
			p->section_of[p->nsteps] = i;
			p->persp_of[p->nsteps] = persp;
		}
	}
}

/* Finds the collection and its script; 0, or the status already answered. */
static int load(struct req *r, struct story_page **out, enum story_mode mode)
{
	struct story_page *p = arena_zalloc(r->a, sizeof *p);
	*out = p;
	p->mode = mode;
	p->r = r;
	r->hctx = p;
	if (mode == MODE_STAFF) {
		int64_t id;
		if (util_parse_id(req_param(r, 0), &id))
			return web_error(r, 404, NULL);
		int rc = collection_by_id(req_db(r), r->app->org_id, id, &p->c);
		if (rc == DB_DONE)
			return web_error(r, 404, NULL);
		if (rc != DB_ROW)
			return web_error(r, 503, NULL);
		if (!collection_accepts(&p->c, clock_now()))
			return web_error(r, 409, N_("This collection takes no stories now."));
	} else {
		const char *token = req_param(r, 0);
		if (!collection_token_valid(token))
			return not_found(r);
		int rc = collection_by_token(req_db(r), token, &p->c);
		if (rc == DB_DONE || (rc == DB_ROW && !collection_accepts(&p->c, clock_now())))
			return not_found(r);
		if (rc != DB_ROW)
			return web_error(r, 503, NULL);
	}
	p->s = script_cache_get(req_db(r), p->c.org_id, p->c.script_id, p->c.script_version);
	if (!p->s)
		return not_found(r);
	p->lang = "nl";
	for (int i = 0; i < p->s->nlangs; i++)
		if (strcmp(p->s->langs[i], r->lang) == 0)
			p->lang = p->s->langs[i];
	size_t n = (size_t)p->s->nsections * 2 + 2;
	p->section_of = arena_zalloc(r->a, sizeof(int) * n);
	p->persp_of = arena_zalloc(r->a, sizeof(int) * n);
	add_steps(p, PERSPECTIVE_TELLER);
	p->nteller = p->nsteps;
	if (mode == MODE_STAFF)
		add_steps(p, PERSPECTIVE_PROFESSIONAL);
	p->asked = calloc((size_t)p->s->nquestions + 1, 1);
	p->carried = calloc((size_t)p->s->nquestions + 1, 1);
	if (!p->asked || !p->carried)
		abort();
	p->secret = req_cookie(r, STORY_COOKIE);
	return 0;
}

/* Reads the visitor's draft (cookie) and its answers; 1 when there is one
 * that fits these pages. A staff member's draft for a participant gets the
 * descriptors that participant gave before: not asked again, and sent
 * with the story. */
static int load_draft(struct req *r, struct story_page *p)
{
	int rc = story_draft_by_secret(req_db(r), p->c.id, p->secret, clock_now(), &p->draft);
	if (rc != DB_ROW)
		return 0;
	if (!draft_fits(r, p)) {
		story_draft_free(&p->draft);
		return 0;
	}
	p->has_draft = 1;
	p->answers = json_loads(p->draft.answers, 0, NULL);
	if (!p->answers || !json_is_object(p->answers)) {
		json_decref(p->answers);
		p->answers = json_object();
	}
	if (p->mode == MODE_STAFF && p->draft.participant_id) {
		json_t *known = json_object();
		if (descriptor_carry(req_db(r), p->s, p->c.org_id, p->draft.participant_id, known) >
		    0) {
			const char *k;
			json_t *v;
			json_object_foreach(known, k, v)
			{
				const struct question *q = script_question(p->s, k);
				if (!q)
					continue;
				p->carried[q->index] = 1;
				json_object_set(p->answers, k, v);
			}
		}
		json_decref(known);
	}
	story_draft_asked(p->s, p->answers, p->asked);
	return 1;
}

/* The path of this form's page tail (step > 0: tail/step): under
 * /v/TOKEN, /v/TOKEN/kiosk or /verzamelingen/ID/opnemen. */
static const char *link(struct req *r, struct story_page *p, const char *tail, int step)
{
	char base[96];
	if (p->mode == MODE_STAFF)
		snprintf(base, sizeof base, "/verzamelingen/%lld/opnemen", (long long)p->c.id);
	else
		snprintf(base, sizeof base, "/v/%s%s", p->c.token,
		         p->mode == MODE_KIOSK ? "/kiosk" : "");
	/* A staff member's consent goes to the start page itself. */
	if (p->mode == MODE_STAFF && strcmp(tail, "/start") == 0)
		tail = "";
	char *s = arena_alloc(r->a, 192);
	if (step > 0)
		snprintf(s, 192, "%s%s/%d", base, tail, step);
	else
		snprintf(s, 192, "%s%s", base, tail);
	return s;
}

/* Whether step k (1..nsteps) has a question that is asked. */
static int step_visible(struct story_page *p, int k)
{
	if (k < 1 || k > p->nsteps)
		return k == p->nsteps + 1;
	const struct section *sec = &p->s->sections[p->section_of[k]];
	for (int i = 0; i < sec->nquestions; i++)
		if (shows(p, k, &sec->questions[i]))
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

/* A translated sentence with {n} as a number in <span id="id"> (a
 * countdown a script changes). */
static void text_count(buf *b, const char *tmpl, const char *id, long long n)
{
	const char *at = strstr(tmpl, "{n}");
	if (!at) {
		html_text(b, tmpl);
		return;
	}
	html_textn(b, tmpl, (size_t)(at - tmpl));
	html_lit(b, "<span class=\"vp-kiosk__count\" id=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_int(b, n);
	html_lit(b, "</span>");
	html_text(b, at + 3);
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

/* The kiosk's timers: from its cookie, else the defaults. */
static struct kiosk_timers kiosk_timers(struct req *r, const struct story_page *p)
{
	if (p->has_timers)
		return p->timers;
	struct kiosk_timers t = {KIOSK_IDLE_DEFAULT, KIOSK_WARN_DEFAULT, KIOSK_BACK_DEFAULT};
	const char *c = req_cookie(r, KIOSK_COOKIE);
	int i, w, b;
	char end;
	if (c && sscanf(c, "%d.%d.%d%c", &i, &w, &b, &end) == 3 && i >= 1 &&
	    i <= KIOSK_SECONDS_MAX && w >= 1 && w <= KIOSK_SECONDS_MAX && b >= 1 &&
	    b <= KIOSK_SECONDS_MAX)
		t = (struct kiosk_timers){i, w, b};
	return t;
}

/* The kiosk's frame: the page without header, footer, navigation or
 * language switch (nothing leads away from the form), with the timers
 * for assets/kiosk.js on <body> and a button for full screen that the
 * script shows where the browser can do it. thanks: the thank-you page,
 * which goes back to the start by itself. */
static void kiosk_begin(struct req *r, struct story_page *p, const char *title, int thanks)
{
	buf *b = &r->out;
	struct kiosk_timers t = kiosk_timers(r, p);
	page_head_begin(r, title);
	html_lit(b, "<script src=\"");
	asset_href(b, "kiosk.js");
	html_lit(b, "\" defer></script></head>\n<body class=\"utrecht-document "
	            "utrecht-document--surface vp-kiosk\" data-kiosk-idle=\"");
	html_int(b, t.idle);
	html_lit(b, "\" data-kiosk-warn=\"");
	html_int(b, t.warn);
	html_lit(b, "\" data-kiosk-back=\"");
	html_int(b, t.back);
	if (p->c.token[0]) {
		html_lit(b, "\" data-kiosk-start=\"");
		html_attr(b, link(r, p, "", 0));
	}
	if (thanks)
		html_lit(b, "\" data-kiosk-thanks=\"1");
	html_lit(b, "\"><div class=\"utrecht-page vp-page vp-kiosk__page\"><div "
	            "class=\"vp-kiosk__bar\"><span class=\"vp-kiosk__name\">");
	html_text(b, r->app->org_name[0] ? r->app->org_name : "Vertelpunt");
	html_lit(b, "</span><button class=\"utrecht-button utrecht-button--secondary-action "
	            "vp-kiosk__fullscreen\" type=\"button\" id=\"kiosk-fullscreen\" hidden>");
	html_text(b, T(r, "Full screen"));
	html_lit(b, "</button></div>\n<main id=\"main\" class=\"utrecht-page-content vp-main\">");
}

/* Closes the kiosk's frame: the form that starts again (for the timers;
 * a story in progress is deleted), and the warning after inactivity. */
static void kiosk_end(struct req *r, struct story_page *p)
{
	buf *b = &r->out;
	struct kiosk_timers t = kiosk_timers(r, p);
	html_lit(b, "</main>\n");
	if (p->c.token[0]) {
		html_lit(b, "<form class=\"vp-kiosk__reset\" id=\"kiosk-reset\" method=\"post\" "
		            "action=\"");
		html_url(b, link(r, p, "/opnieuw", 0));
		html_lit(b, "\" hidden>");
		page_csrf_field(r);
		html_lit(b, "</form>");
	}
	html_lit(b, "<dialog class=\"vp-kiosk-dialog\" id=\"kiosk-warning\" "
	            "aria-labelledby=\"kiosk-warning-title\" "
	            "aria-describedby=\"kiosk-warning-text\"><h2 class=\"utrecht-heading-2\" "
	            "id=\"kiosk-warning-title\">");
	html_text(b, T(r, "Are you still there?"));
	html_lit(b, "</h2><p class=\"utrecht-paragraph\" id=\"kiosk-warning-text\">");
	text_count(b,
	           T(r, "You have not done anything for a while. In {n} seconds the form starts "
	                "again, and your answers are deleted."),
	           "kiosk-warning-count", t.warn);
	html_lit(b, "</p><div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action\" type=\"button\" id=\"kiosk-continue\">");
	html_text(b, T(r, "Yes, I am going on"));
	html_lit(b, "</button></div></dialog></div></body></html>\n");
}

/* The page title: with "Error: " first when the page shows errors (so a
 * screen reader hears it first). */
static void begin_page(struct req *r, struct story_page *p, const char *what, int thanks)
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
	const char *title = arena_strdup(r->a, t.data);
	buf_free(&t);
	if (p->mode == MODE_KIOSK)
		kiosk_begin(r, p, title, thanks);
	else
		page_begin(r, title);
	if (p->mode == MODE_STAFF)
		html_lit(&r->out, "<div class=\"vp-story vp-story--staff\">");
	else
		html_lit(&r->out, "<div class=\"vp-story\">");
}

static void begin(struct req *r, struct story_page *p, const char *what)
{
	begin_page(r, p, what, 0);
}

static void end(struct req *r, struct story_page *p)
{
	html_lit(&r->out, "</div>");
	if (p->mode == MODE_KIOSK)
		kiosk_end(r, p);
	else
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

/* The script's privacy text under its heading. */
static void privacy_section(struct req *r, struct story_page *p, const char *heading)
{
	buf *b = &r->out;
	html_lit(b, "<section class=\"vp-privacy\" aria-labelledby=\"privacy-kop\">"
	            "<h2 class=\"utrecht-heading-2\" id=\"privacy-kop\">");
	html_text(b, heading);
	html_lit(b, "</h2>");
	script_paragraphs(r, ltext_get(&p->s->privacy, p->lang), NULL);
	html_lit(b, "</section>");
}

/* The consent checkbox with its label and error. */
static void consent_field(struct req *r, struct story_page *p, const char *label)
{
	buf *b = &r->out;
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
	html_text(b, label);
	html_lit(b, "</label></div>");
	if (p->consent_error) {
		html_lit(b, "<p class=\"utrecht-form-field-error-message vp-question__error\" "
		            "id=\"consent-error\">");
		html_text(b, T(r, "Tick the box to take part."));
		html_lit(b, "</p>");
	}
	html_lit(b, "</div>");
}

/* A kiosk's start page in the other language (the switch stays inside
 * the kiosk: /taal/ brings the visitor back here). */
static void kiosk_language(struct req *r, struct story_page *p)
{
	buf *b = &r->out;
	int en = strcmp(r->lang, "en") == 0;
	html_lit(b, "<p class=\"utrecht-paragraph vp-kiosk__language\"><a class=\"utrecht-link\" ");
	if (en)
		html_lit(b, "lang=\"nl\" hreflang=\"nl\" href=\"/taal/nl?terug=");
	else
		html_lit(b, "lang=\"en\" hreflang=\"en\" href=\"/taal/en?terug=");
	html_attr(b, link(r, p, "", 0));
	html_lit(b, "\">");
	html_text(b, en ? "Nederlands" : "English");
	html_lit(b, "</a></p>");
}

static int start_page(struct req *r, struct story_page *p, int status)
{
	buf *b = &r->out;
	begin(r, p, NULL);
	if (p->mode == MODE_KIOSK)
		kiosk_language(r, p);
	error_summary(r, p);
	h1(r, p->c.title);
	const char *intro = ltext_get(&p->s->introduction, p->lang);
	if (*intro)
		script_paragraphs(r, intro, "vp-lead");
	/* At a kiosk every start is someone new: no earlier answers offered. */
	if (p->has_draft && p->mode == MODE_WEB) {
		html_lit(b, "<div class=\"utrecht-alert utrecht-alert--info\" role=\"status\"><div "
		            "class=\"utrecht-alert__content\"><p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "You have already started. Your answers are saved."));
		html_lit(b, " <a class=\"utrecht-link\" href=\"");
		html_url(b, link(r, p, "/stap", p->draft.step > 0 ? p->draft.step : 1));
		html_lit(b, "\">");
		html_text(b, T(r, "Go on with your story"));
		html_lit(b, "</a></p></div></div>");
	}
	privacy_section(r, p, T(r, "Who can read your story?"));
	html_lit(b, "<form class=\"vp-story-form\" method=\"post\" action=\"");
	html_url(b, link(r, p, "/start", 0));
	html_lit(b, "\">");
	page_csrf_field(r);
	char h[65];
	privacy_hash(ltext_get(&p->s->privacy, p->lang), h);
	hidden(b, "privacy", h);
	/* The honeypot: people do not see it, robots fill it in. */
	html_lit(b, "<div class=\"vp-hp\" aria-hidden=\"true\"><label for=\"website\">");
	html_text(b, T(r, "Leave this field empty"));
	html_lit(b, "</label><input type=\"text\" id=\"website\" name=\"website\" tabindex=\"-1\" "
	            "autocomplete=\"off\"></div>");
	consent_field(r, p, T(r, "I have read this and I take part"));
	html_lit(b, "<div class=\"utrecht-button-group vp-story-buttons\"><button "
	            "class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Start"));
	html_lit(b, "</button></div></form>");
	if (p->mode == MODE_WEB) {
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
		html_url(b, link(r, p, "/verder", 0));
		html_lit(b, "\">");
		html_text(b, T(r, "I have a code to go on with my story"));
		html_lit(b, "</a></p>");
	}
	/* The offline form (page_story_offline.c, its owner's hook): a link,
	 * and offline.js, which registers the service worker that keeps that
	 * form on this device and sends the stories that wait here. */
	if (p->mode == MODE_WEB) {
		html_lit(b,
		         "<p class=\"utrecht-paragraph vp-offline-link\"><a class=\"utrecht-link\" "
		         "data-vp-offline-link href=\"");
		html_url(b, link(r, p, "/offline", 0));
		html_lit(b, "\">");
		html_text(b, T(r, "Tell your story without internet"));
		html_lit(b, "</a></p>");
		question_form_script(b, "offline.js");
	}
	end(r, p);
	free_page(p);
	return status;
}

/* A number of seconds from the query (1..KIOSK_SECONDS_MAX), or def;
 * -1 when given but not such a number. */
static int seconds_param(struct req *r, const char *name, int def)
{
	const char *v = req_query(r, name);
	int64_t n;
	if (!v || !*v)
		return def;
	if (util_parse_i64(v, &n) || n < 1 || n > KIOSK_SECONDS_MAX)
		return -1;
	return (int)n;
}

/* GET /v/{token}: the introduction, who can read the story, and consent. */
int page_story_start_form(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p, MODE_WEB);
	if (st)
		return st;
	load_draft(r, p);
	return start_page(r, p, 200);
}

/* GET /v/{token}/kiosk: a kiosk's start page. ?stil=, ?waarschuwing= and
 * ?terug= (seconds: inactivity before the warning, the warning, the
 * thank-you page) set this kiosk's timers until the browser closes. */
int page_story_kiosk_form(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p, MODE_KIOSK);
	if (st)
		return st;
	if (req_query(r, "stil") || req_query(r, "waarschuwing") || req_query(r, "terug")) {
		struct kiosk_timers t = kiosk_timers(r, p);
		t.idle = seconds_param(r, "stil", t.idle);
		t.warn = seconds_param(r, "waarschuwing", t.warn);
		t.back = seconds_param(r, "terug", t.back);
		if (t.idle < 0 || t.warn < 0 || t.back < 0) {
			free_page(p);
			return web_error(r, 400,
			                 N_("Give the seconds as a whole number from 1 to 3600."));
		}
		char *v = arena_alloc(r->a, 40);
		snprintf(v, 40, "%d.%d.%d", t.idle, t.warn, t.back);
		req_set_cookie(r, KIOSK_COOKIE, v, -1, 1);
		/* This page already runs with them. */
		p->timers = t;
		p->has_timers = 1;
	}
	return start_page(r, p, 200);
}

/* The staff member's start: the channel, the participant (optional),
 * and that the client agrees with the privacy text read out or shown. */
static int staff_start_page(struct req *r, struct story_page *p, int status)
{
	buf *b = &r->out;
	begin(r, p, T(r, "Take a story with a client"));
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	char back[64];
	snprintf(back, sizeof back, "/verzamelingen/%lld", (long long)p->c.id);
	html_url(b, back);
	html_lit(b, "\">");
	html_text(b, p->c.title);
	html_lit(b, "</a></p>");
	error_summary(r, p);
	h1(r, T(r, "Take a story with a client"));
	if (p->has_draft) {
		html_lit(b, "<div class=\"utrecht-alert utrecht-alert--info\" role=\"status\"><div "
		            "class=\"utrecht-alert__content\"><p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "You have a story in progress. Starting a new one deletes it."));
		html_lit(b, " <a class=\"utrecht-link\" href=\"");
		html_url(b, link(r, p, "/stap", p->draft.step > 0 ? p->draft.step : 1));
		html_lit(b, "\">");
		html_text(b, T(r, "Go on with that story"));
		html_lit(b, "</a></p></div></div>");
	}
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "You ask the questions and type the client's answers. After that you "
	                  "answer your own questions as conversation lead. Both are stored "
	                  "apart."));
	html_lit(b, "</p>");
	privacy_section(r, p, T(r, "Read this to the client, or let them read it"));
	html_lit(b, "<form class=\"vp-story-form\" method=\"post\" action=\"");
	html_url(b, link(r, p, "", 0));
	html_lit(b, "\">");
	page_csrf_field(r);
	char h[65];
	privacy_hash(ltext_get(&p->s->privacy, p->lang), h);
	hidden(b, "privacy", h);
	/* How the story is taken. */
	html_lit(b, "<fieldset class=\"utrecht-form-fieldset vp-channel");
	if (p->channel_error)
		html_lit(b, " utrecht-form-fieldset--invalid");
	html_lit(b, "\" id=\"kanaal\"");
	if (p->channel_error)
		html_lit(b, " aria-describedby=\"kanaal-error\"");
	html_lit(b, "><legend class=\"utrecht-form-fieldset__legend\">");
	html_text(b, T(r, "How do you take the story?"));
	html_lit(b, "</legend>");
	if (p->channel_error) {
		html_lit(b, "<p class=\"utrecht-form-field-error-message\" id=\"kanaal-error\">");
		html_text(b, p->channel_error);
		html_lit(b, "</p>");
	}
	const char *labels[] = {T(r, "Face to face"), T(r, "By phone"),
	                        T(r, "From a paper form that was filled in")};
	const char *chosen = p->channel && staff_channel(p->channel) ? p->channel : "face-to-face";
	for (int i = 0; i < 3; i++) {
		char id[32];
		snprintf(id, sizeof id, "kanaal-%d", i + 1);
		html_lit(
		        b,
		        "<div class=\"utrecht-form-field utrecht-form-field--radio\"><div "
		        "class=\"utrecht-form-field__input\"><input class=\"utrecht-radio-button "
		        "utrecht-radio-button--html-input\" type=\"radio\" name=\"channel\" id=\"");
		html_attr(b, id);
		html_lit(b, "\" value=\"");
		html_attr(b, staff_channels[i]);
		html_lit(b, "\"");
		if (strcmp(chosen, staff_channels[i]) == 0)
			html_lit(b, " checked");
		html_lit(b, "></div><div class=\"utrecht-form-field__label\"><label "
		            "class=\"utrecht-form-label utrecht-form-label--radio\" for=\"");
		html_attr(b, id);
		html_lit(b, "\">");
		html_text(b, labels[i]);
		html_lit(b, "</label></div></div>");
	}
	html_lit(b, "</fieldset>");
	/* The participant, by code. */
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text");
	if (p->code_error)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b,
	         "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	         "for=\"participant\">");
	html_text(b, T(r, "Participant code (optional)"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__description\" "
	            "id=\"participant-help\">");
	html_text(b, T(r, "For example VP-7K3M-9QXA. With a code, the story is linked to this "
	                  "client, and what they told about themselves before is not asked "
	                  "again."));
	html_lit(b, "</div>");
	if (p->code_error) {
		html_lit(b, "<p class=\"utrecht-form-field-error-message vp-question__error\" "
		            "id=\"participant-error\">");
		html_text(b, p->code_error);
		html_lit(b, "</p>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox "
	            "utrecht-textbox--html-input vp-code-input\" id=\"participant\" "
	            "name=\"participant\" type=\"text\" autocomplete=\"off\" "
	            "autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"40\" "
	            "aria-describedby=\"participant-help");
	if (p->code_error)
		html_lit(b, " participant-error\" aria-invalid=\"true");
	html_lit(b, "\"");
	if (p->code_typed) {
		html_lit(b, " value=\"");
		html_attr(b, p->code_typed);
		html_lit(b, "\"");
	}
	html_lit(b, "></div></div>");
	consent_field(r, p, T(r, "The client has heard or read this and takes part"));
	html_lit(b, "<div class=\"utrecht-button-group vp-story-buttons\"><button "
	            "class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Start"));
	html_lit(b, "</button></div></form>");
	end(r, p);
	free_page(p);
	return status;
}

/* GET /verzamelingen/{id}/opnemen */
int page_story_staff_form(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p, MODE_STAFF);
	if (st)
		return st;
	load_draft(r, p);
	return staff_start_page(r, p, 200);
}

static int start_job(db *d, void *ctx)
{
	struct req *r = ctx;
	struct story_page *p = r->hctx;
	int rc = story_draft_start_write(d, &p->job.start);
	if (rc != DB_OK || p->mode != MODE_STAFF)
		return rc;
	/* The client's consent, with the channel it was given in. */
	if (p->job.start.participant_id) {
		rc = consent_record(d, p->job.start.participant_id, "story", "form-1",
		                    p->job.start.consent_text, p->job.start.channel, NULL);
		if (rc != DB_OK)
			return rc;
	}
	/* A staff member starts to take down what a client says. */
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)p->job.start.id);
	struct audit_entry e = {.actor_user_id = r->sess.user.id,
	                        .actor = r->sess.user.username,
	                        .action = "create",
	                        .object_type = "story_draft",
	                        .object_id = id,
	                        .subject_code = p->participant_code[0] ? p->participant_code : NULL,
	                        .origin = r->ip,
	                        .detail = p->job.start.channel};
	return audit_append(d, &e);
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

/* The privacy text the form showed (by its hash), in whichever language
 * it was; NULL when it is none of the script's. */
static const char *privacy_shown(struct req *r, struct story_page *p)
{
	const char *shown = req_form(r, "privacy");
	for (int i = 0; shown && i < p->s->privacy.n; i++) {
		char h[65];
		privacy_hash(p->s->privacy.s[i], h);
		if (strcmp(h, shown) == 0)
			return p->s->privacy.s[i];
	}
	return NULL;
}

static int start_post(struct req *r, enum story_mode mode)
{
	struct story_page *p;
	int st = load(r, &p, mode);
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
	const char *text = privacy_shown(r, p);
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
	p->job.start.channel = mode == MODE_KIOSK ? "kiosk" : "web";
	return req_write(r, start_job, started);
}

/* POST /v/{token}/start: consent given with the exact text shown. */
int page_story_start(struct req *r)
{
	return start_post(r, MODE_WEB);
}

/* POST /v/{token}/kiosk/start: the same at a kiosk; the last teller's
 * draft under this browser's cookie is deleted. */
int page_story_kiosk_start(struct req *r)
{
	return start_post(r, MODE_KIOSK);
}

/* POST /verzamelingen/{id}/opnemen: channel, participant code (optional)
 * and the client's consent; every error on the page at once. */
int page_story_staff_start(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p, MODE_STAFF);
	if (st)
		return st;
	p->channel = req_form(r, "channel");
	const char *typed = req_form(r, "participant");
	char code[64] = "";
	if (typed) {
		/* Spaces around it, and small letters, are fine. */
		while (*typed == ' ' || *typed == '\t')
			typed++;
		snprintf(code, sizeof code, "%s", typed);
		size_t n = strlen(code);
		while (n && (code[n - 1] == ' ' || code[n - 1] == '\t'))
			code[--n] = 0;
		p->code_typed = arena_strdup(r->a, code);
	}
	if (!staff_channel(p->channel)) {
		p->channel_error = T(r, "Choose how you take the story.");
		add_error(r, p, NULL, "#kanaal-1", p->channel_error);
	}
	int64_t pid = 0;
	if (code[0]) {
		int rc = participant_by_code(req_db(r), code, &pid, p->participant_code);
		if (rc == DB_DONE) {
			p->code_error = T(r, "There is no participant with this code. Check the "
			                     "code, or leave it empty.");
			add_error(r, p, NULL, "#participant", p->code_error);
		} else if (rc != DB_ROW) {
			free_page(p);
			return web_error(r, 503, NULL);
		}
	}
	const char *consent = req_form(r, "consent");
	if (!consent || strcmp(consent, "1") != 0) {
		p->consent_error = 1;
		add_error(r, p, NULL, "#consent", T(r, "Tick the box to take part."));
	}
	const char *text = privacy_shown(r, p);
	if (!text && !p->nerrors)
		add_error(r, p, NULL, "#privacy-kop",
		          T(r, "The text about privacy has changed. Read it again, please."));
	if (p->nerrors) {
		load_draft(r, p);
		return staff_start_page(r, p, text ? 422 : 409);
	}
	p->job.start.collection_id = p->c.id;
	p->job.start.old_secret = p->secret;
	p->job.start.consent_text = text;
	p->job.start.language = p->lang;
	p->job.start.channel = p->channel;
	p->job.start.user_id = r->sess.user.id;
	p->job.start.participant_id = pid;
	return req_write(r, start_job, started);
}

/* ---- starting again ---------------------------------------------------------- */

static int discard_job(db *d, void *ctx)
{
	struct story_page *p = ((struct req *)ctx)->hctx;
	return story_draft_discard_write(d, &p->job.discard);
}

static int discarded(struct req *r)
{
	struct story_page *p = r->hctx;
	free_page(p);
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	req_set_cookie(r, STORY_COOKIE, "", 0, 1);
	return req_redirect(r, link(r, p, "", 0));
}

/* POST /v/{token}/kiosk/opnieuw: the kiosk starts again for the next
 * person (after the thank-you page, after inactivity, or the button):
 * the draft in progress and the receipt shown are deleted, the cookie
 * cleared. */
int page_story_kiosk_reset(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p, MODE_KIOSK);
	if (st)
		return st;
	p->job.discard.collection_id = p->c.id;
	p->job.discard.secret = p->secret;
	return req_write(r, discard_job, discarded);
}

static int stop_job(db *d, void *ctx)
{
	struct req *r = ctx;
	struct story_page *p = r->hctx;
	int rc = story_draft_discard_write(d, &p->job.discard);
	if (rc != DB_OK || !p->job.discard.found)
		return rc;
	/* What a staff member took down of a client is gone: logged. */
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)p->job.discard.id);
	struct audit_entry e = {.actor_user_id = r->sess.user.id,
	                        .actor = r->sess.user.username,
	                        .action = "delete",
	                        .object_type = "story_draft",
	                        .object_id = id,
	                        .subject_code = p->job.discard.participant_code[0]
	                                                ? p->job.discard.participant_code
	                                                : NULL,
	                        .origin = r->ip,
	                        .detail = "stopped"};
	return audit_append(d, &e);
}

static int stopped(struct req *r)
{
	struct story_page *p = r->hctx;
	free_page(p);
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	req_set_cookie(r, STORY_COOKIE, "", 0, 1);
	char back[64];
	snprintf(back, sizeof back, "/verzamelingen/%lld", (long long)p->c.id);
	return req_redirect(r, arena_strdup(r->a, back));
}

/* POST /verzamelingen/{id}/opnemen/stoppen: the staff member stops
 * without sending; the draft (the client's answers too) is deleted. Only
 * their own draft: another's cookie finds nothing to delete. */
int page_story_staff_stop(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p, MODE_STAFF);
	if (st)
		return st;
	if (!load_draft(r, p)) {
		free_page(p);
		return req_redirect(r, link(r, p, "", 0));
	}
	free_page(p);
	p->job.discard.collection_id = p->c.id;
	p->job.discard.secret = p->secret;
	return req_write(r, stop_job, stopped);
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

/* A staff member's way out of a story in progress: stop without sending
 * (the draft is deleted). */
static void stop_form(struct req *r, struct story_page *p)
{
	buf *b = &r->out;
	if (p->mode != MODE_STAFF)
		return;
	html_lit(b, "<form class=\"vp-story-stop\" method=\"post\" action=\"");
	html_url(b, link(r, p, "/stoppen", 0));
	html_lit(b, "\">");
	page_csrf_field(r);
	html_lit(b, "<button class=\"utrecht-button utrecht-button--subtle\" type=\"submit\" "
	            "id=\"stoppen\">");
	html_text(b, T(r, "Stop without saving"));
	html_lit(b, "</button></form>");
}

/* The summary of steps from..to (each with a link to change it). */
static void summary_steps(struct req *r, struct story_page *p, int from, int to)
{
	buf *b = &r->out;
	for (int k = from; k <= to; k++) {
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
			if (!shows(p, k, q))
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
}

/* One field of the contact block. */
static void contact_input(struct req *r, struct story_page *p, const char *id, const char *type,
                          const char *label, const char *autocomplete, const char *value)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text\"><div "
	            "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	            "for=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><input "
	            "class=\"utrecht-textbox utrecht-textbox--html-input\" id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"");
	html_attr(b, id);
	html_lit(b, "\" type=\"");
	html_attr(b, type);
	/* A kiosk's browser must not offer one teller's address to the next. */
	html_lit(b, "\" maxlength=\"200\" autocomplete=\"");
	html_attr(b, p->mode == MODE_KIOSK ? "off" : autocomplete);
	html_lit(b, "\" aria-describedby=\"contact-uitleg");
	if (p->contact_error)
		html_lit(b, " contact-error\" aria-invalid=\"true");
	html_lit(b, "\"");
	if (value && *value) {
		html_lit(b, " value=\"");
		html_attr(b, value);
		html_lit(b, "\"");
	}
	html_lit(b, "></div></div>");
}

/* The explanation shown with the contact fields: also the text of the
 * consent recorded when they are filled in. */
static const char *feedback_text(struct req *r)
{
	return T(r, "Do you want to hear what is done with the stories? Then leave your e-mail "
	            "address or phone number. We use it only for that. We keep it apart from "
	            "your story, locked with encryption, so only the people who send the news "
	            "can read it. We keep it until you ask us to delete it. You do not have to "
	            "fill this in.");
}

/* The optional block on the check page: contact details to hear back. */
static void contact_block(struct req *r, struct story_page *p)
{
	buf *b = &r->out;
	html_lit(b, "<fieldset class=\"utrecht-form-fieldset vp-contact");
	if (p->contact_error)
		html_lit(b, " utrecht-form-fieldset--invalid");
	html_lit(b, "\" id=\"contact\"><legend class=\"utrecht-form-fieldset__legend\">");
	html_text(b, T(r, "Hear back (optional)"));
	html_lit(b, "</legend><p class=\"utrecht-paragraph\" id=\"contact-uitleg\">");
	html_text(b, feedback_text(r));
	html_lit(b, "</p>");
	if (p->contact_error) {
		html_lit(b, "<p class=\"utrecht-form-field-error-message vp-question__error\" "
		            "id=\"contact-error\">");
		html_text(b, p->contact_error);
		html_lit(b, "</p>");
	}
	contact_input(r, p, "email", "email", T(r, "E-mail address"), "email", p->contact.email);
	contact_input(r, p, "phone", "tel", T(r, "Phone number"), "tel", p->contact.phone);
	html_lit(b, "</fieldset>");
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
	if (p->mode == MODE_STAFF)
		html_text(b,
		          T(r, "Read the answers with the client. Is everything right? Then send "
		               "the story."));
	else
		html_text(b, T(r, "Read your answers. Is everything right? Then send your story."));
	html_lit(b, "</p>");
	summary_steps(r, p, 1, p->nteller);
	if (p->nsteps > p->nteller) {
		html_lit(b, "<div class=\"vp-professional\"><h2 class=\"utrecht-heading-2\">");
		html_text(b, T(r, "Your own answers as conversation lead"));
		html_lit(b, "</h2>");
		summary_steps(r, p, p->nteller + 1, p->nsteps);
		html_lit(b, "</div>");
	}
	html_lit(b, "<form class=\"vp-story-form\" method=\"post\" action=\"");
	html_url(b, link(r, p, "/versturen", 0));
	html_lit(b, "\">");
	page_csrf_field(r);
	if (p->mode != MODE_STAFF)
		contact_block(r, p);
	html_lit(b, "<div class=\"utrecht-button-group vp-story-buttons\"><button "
	            "class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Send"));
	html_lit(b, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a "
	            "utrecht-button-link--secondary-action vp-button-link\" href=\"");
	html_url(b, link(r, p, "/stap", step_move(p, p->nsteps + 1, -1)));
	html_lit(b, "\">");
	html_text(b, T(r, "Back"));
	html_lit(b, "</a></div></form>");
	stop_form(r, p);
	end(r, p);
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
	int professional = p->persp_of[k] == PERSPECTIVE_PROFESSIONAL;
	if (p->mode == MODE_STAFF) {
		/* Whose answers these are, before anything else on the page. */
		if (professional)
			html_lit(b, "<div class=\"vp-perspective vp-perspective--professional\">");
		else
			html_lit(b, "<div class=\"vp-perspective\">");
		html_lit(b, "<p class=\"utrecht-paragraph vp-perspective__who\"><strong>");
		html_text(b, professional ? T(r, "Your own answers as conversation lead")
		                          : T(r, "The client's answers"));
		html_lit(b, "</strong> ");
		html_text(b, professional
		                     ? T(r, "The client does not answer these questions. Your "
		                            "answers are stored apart from the client's.")
		                     : T(r, "Ask the questions and type what the client says."));
		html_lit(b, "</p></div>");
	}
	h1(r, title);
	html_lit(b, "<form class=\"vp-story-form\" method=\"post\" action=\"");
	html_url(b, link(r, p, "/stap", k));
	html_lit(b, "\">");
	page_csrf_field(r);
	for (int i = 0; i < sec->nquestions; i++) {
		const struct question *q = &sec->questions[i];
		if (!shows(p, k, q))
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
	/* A resume code is for a resident's own device: a kiosk keeps no
	 * stories, and a staff member's draft is theirs already. */
	if (p->mode == MODE_WEB) {
		html_lit(b,
		         "<button class=\"utrecht-button utrecht-button--subtle\" type=\"submit\" "
		         "name=\"action\" value=\"later\">");
		html_text(b, T(r, "Continue later"));
		html_lit(b, "</button>");
	}
	html_lit(b, "</div></form>");
	stop_form(r, p);
	question_form_scripts(b);
	end(r, p);
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

static int step_get(struct req *r, enum story_mode mode)
{
	struct story_page *p;
	int st = load(r, &p, mode);
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

/* GET /v/{token}/stap/{n} */
int page_story_step(struct req *r)
{
	return step_get(r, MODE_WEB);
}

/* GET /v/{token}/kiosk/stap/{n} */
int page_story_kiosk_step(struct req *r)
{
	return step_get(r, MODE_KIOSK);
}

/* GET /verzamelingen/{id}/opnemen/stap/{n} */
int page_story_staff_step(struct req *r)
{
	return step_get(r, MODE_STAFF);
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
	end(r, p);
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

/* Saves what was typed on step {n} (also going back or saving for
 * later), checks it when going on. Only the questions the step shows are
 * read: the public form and a kiosk never take the professional's. */
static int step_post(struct req *r, enum story_mode mode)
{
	struct story_page *p;
	int st = load(r, &p, mode);
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
	/* No resume codes at a kiosk or for a staff member: saved, stays. */
	int later = strcmp(action, "later") == 0 && mode == MODE_WEB;
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
		if (!shows(p, k, q) || !before[q->index])
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
		if (!shows(p, k, q))
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
		to = k; /* also where there are no codes: saved, and the page stays */
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
	p->job.save.new_code = later;
	return req_write(r, save_job, step_saved);
}

/* POST /v/{token}/stap/{n} */
int page_story_step_save(struct req *r)
{
	return step_post(r, MODE_WEB);
}

/* POST /v/{token}/kiosk/stap/{n} */
int page_story_kiosk_step_save(struct req *r)
{
	return step_post(r, MODE_KIOSK);
}

/* POST /verzamelingen/{id}/opnemen/stap/{n} */
int page_story_staff_step_save(struct req *r)
{
	return step_post(r, MODE_STAFF);
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
	end(r, p);
	free_page(p);
	return status;
}

/* GET /v/{token}/verder */
int page_story_resume_form(struct req *r)
{
	struct story_page *p;
	int st = load(r, &p, MODE_WEB);
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
	int st = load(r, &p, MODE_WEB);
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
	begin_page(r, p, T(r, "Thank you"), 1);
	if (p->mode == MODE_STAFF) {
		h1(r, T(r, "The story is stored"));
		html_lit(b, "<dl class=\"vp-facts\"><dt>");
		html_text(b, T(r, "Receipt code"));
		html_lit(b, "</dt><dd><span class=\"vp-code\" id=\"ontvangstcode\">");
		html_text(b, receipt);
		html_lit(b, "</span></dd>");
		if (p->job.send.participant_code[0]) {
			html_lit(b, "<dt>");
			html_text(b, T(r, "Participant"));
			html_lit(b, "</dt><dd><span class=\"vp-code\" id=\"deelnemer\">");
			html_text(b, p->job.send.participant_code);
			html_lit(b, "</span></dd>");
		}
		html_lit(b, "</dl><p class=\"utrecht-paragraph\">");
		html_text(b,
		          T(r, "Give the client the receipt code. With it they can ask about their "
		               "story, or have it removed."));
		html_lit(b, "</p><ul class=\"utrecht-unordered-list vp-links\"><li><a "
		            "class=\"utrecht-link\" href=\"");
		html_url(b, link(r, p, "", 0));
		html_lit(b, "\">");
		html_text(b, T(r, "Take another story"));
		html_lit(b, "</a></li><li><a class=\"utrecht-link\" href=\"");
		char back[64];
		snprintf(back, sizeof back, "/verzamelingen/%lld", (long long)p->c.id);
		html_url(b, back);
		html_lit(b, "\">");
		html_text(b, T(r, "Back to the collection"));
		html_lit(b, "</a></li></ul>");
		end(r, p);
		free_page(p);
		return 200;
	}
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
	if (p->mode == MODE_KIOSK) {
		/* The next person: by the button, or by itself after a while
		 * (assets/kiosk.js counts down). */
		html_lit(b,
		         "<form class=\"vp-story-form vp-kiosk__again\" method=\"post\" action=\"");
		html_url(b, link(r, p, "/opnieuw", 0));
		html_lit(b, "\">");
		page_csrf_field(r);
		html_lit(b, "<p class=\"utrecht-paragraph vp-kiosk__back\" id=\"kiosk-back\">");
		text_count(b, T(r, "The form starts again for the next person in {n} seconds."),
		           "kiosk-back-count", kiosk_timers(r, p).back);
		html_lit(b,
		         "</p><div class=\"utrecht-button-group vp-story-buttons\"><button "
		         "class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\" "
		         "id=\"kiosk-again\">");
		html_text(b, T(r, "Start again"));
		html_lit(b, "</button></div></form>");
	}
	end(r, p);
	free_page(p);
	return 200;
}

static int send_job(db *d, void *ctx)
{
	struct req *r = ctx;
	struct story_page *p = r->hctx;
	int rc = story_draft_send_write(d, &p->job.send);
	if (rc != DB_OK || p->mode != MODE_STAFF || p->st.result != STORY_NEW)
		return rc;
	/* A staff member stored what a client told. */
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)p->st.id);
	struct audit_entry e = {.actor_user_id = r->sess.user.id,
	                        .actor = r->sess.user.username,
	                        .action = "create",
	                        .object_type = "story",
	                        .object_id = id,
	                        .subject_code = p->job.send.participant_code[0]
	                                                ? p->job.send.participant_code
	                                                : NULL,
	                        .origin = r->ip,
	                        .detail = p->st.channel};
	return audit_append(d, &e);
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
			if (strcmp(sec->questions[i].id, id) == 0 &&
			    (int)sec->questions[i].perspective == p->persp_of[k])
				return k;
	}
	return 0;
}

/* The contact details typed on the check page (not on a staff member's):
 * 0, or -1 with p->contact_error set. Empty fields are no contact. */
static int read_contact(struct req *r, struct story_page *p)
{
	if (p->mode == MODE_STAFF)
		return 0;
	const char *email = req_form(r, "email"), *phone = req_form(r, "phone");
	char buf1[CONTACT_FIELD_MAX + 1], buf2[CONTACT_FIELD_MAX + 1];
	/* Spaces around what was typed are not part of it. */
	const char *in[2] = {email, phone};
	char *outb[2] = {buf1, buf2};
	const char **dst[2] = {&p->contact.email, &p->contact.phone};
	for (int i = 0; i < 2; i++) {
		*dst[i] = NULL;
		if (!in[i])
			continue;
		if (strlen(in[i]) > CONTACT_FIELD_MAX) {
			p->contact_error =
			        T(r, "A contact detail is too long or has characters that "
			             "are not allowed.");
			*dst[i] = arena_strndup(r->a, in[i], CONTACT_FIELD_MAX);
			continue;
		}
		const char *a = in[i];
		while (*a == ' ' || *a == '\t')
			a++;
		size_t n = strlen(a);
		while (n && (a[n - 1] == ' ' || a[n - 1] == '\t'))
			n--;
		memcpy(outb[i], a, n);
		outb[i][n] = 0;
		*dst[i] = n ? arena_strdup(r->a, outb[i]) : NULL;
	}
	if (p->contact_error)
		return -1;
	const char *msg = contact_check(&p->contact);
	if (msg) {
		p->contact_error = T(r, msg);
		return -1;
	}
	return 0;
}

/* Sends the story from the draft, stored once. */
static int send_post(struct req *r, enum story_mode mode)
{
	struct story_page *p;
	int st = load(r, &p, mode);
	if (st)
		return st;
	if (!load_draft(r, p)) {
		/* Sent already from this browser (a reload, a second click)? */
		char receipt[STORY_RECEIPT_LEN + 1];
		if (mode != MODE_STAFF && story_draft_sent_receipt(req_db(r), p->c.id, p->secret,
		                                                   clock_now(), receipt) == DB_ROW)
			return thanks_page(r, p, arena_strdup(r->a, receipt));
		free_page(p);
		return req_redirect(r, link(r, p, "", 0));
	}
	if (read_contact(r, p) != 0) {
		add_error(r, p, NULL, "#email", p->contact_error);
		return check_page(r, p, 422);
	}
	/* Only the questions that are asked: the teller's, and, taken by a
	 * staff member, the professional's apart. */
	json_t *answers = json_object(), *prof = NULL;
	if (mode == MODE_STAFF)
		prof = json_object();
	for (int i = 0; i < p->s->nquestions; i++) {
		const struct question *q = p->s->questions[i];
		json_t *v = json_object_get(p->answers, q->id);
		if (!v || !p->asked[i])
			continue;
		if (q->perspective == PERSPECTIVE_TELLER)
			json_object_set(answers, q->id, v);
		else if (prof)
			json_object_set(prof, q->id, v);
	}
	json_t *body = json_pack("{s:s, s:s, s:i, s:s, s:o}", "id", p->draft.uuid, "channel",
	                         p->draft.channel, "script_version", p->c.script_version,
	                         "language", p->draft.language, "answers", answers);
	if (prof)
		json_object_set_new(body, "professional", prof);
	p->st.collection = &p->c;
	if (mode == MODE_STAFF) {
		p->st.user_id = r->sess.user.id;
		p->st.participant_id = p->draft.participant_id;
	}
	const char *msg = NULL;
	struct answer_error e;
	int status = story_prepare(&p->st, p->s, body, mode == MODE_STAFF, &msg, &e);
	json_decref(body);
	if (status) {
		story_submit_free(&p->st);
		if (status == 422 && e.question) {
			int k = step_of(p, e.question);
			const struct question *q = script_question(p->s, e.question);
			if (q && k) {
				char *a = arena_alloc(r->a, 240);
				snprintf(a, 240, "%s#q-%s", link(r, p, "/stap", k), q->id);
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
	p->job.send.vault = r->app->vault;
	p->job.send.contact = &p->contact;
	p->job.send.feedback_text = feedback_text(r);
	return req_write(r, send_job, sent);
}

/* POST /v/{token}/versturen: the story from the draft, stored once. */
int page_story_send(struct req *r)
{
	return send_post(r, MODE_WEB);
}

/* POST /v/{token}/kiosk/versturen */
int page_story_kiosk_send(struct req *r)
{
	return send_post(r, MODE_KIOSK);
}

/* POST /verzamelingen/{id}/opnemen/versturen: the client's answers and the
 * staff member's own, stored apart in one story. */
int page_story_staff_send(struct req *r)
{
	return send_post(r, MODE_STAFF);
}
