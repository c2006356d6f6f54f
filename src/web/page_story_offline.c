/* page_story_offline.c: the story form that works without a connection (/v/{token}/offline), its service worker (/sw.js) and web app manifest. */
#include "web/pages.h"

#include "core/clock.h"
#include "core/util.h"
#include "http/server.h"
#include "model/collection.h"
#include "model/script_cache.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/question_form.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The whole story on one page: the privacy text and consent, then every
 * section with questions for the teller. assets/offline.js shows one
 * section at a time, turns the fields into the story API's JSON (the
 * conversions of question_form_parse), keeps the story in IndexedDB until
 * the server answered 201 or 200, and sends it when there is a connection.
 * Without JavaScript every section shows, but nothing can be sent: a note
 * leads to the form that works without it (/v/{token}). The page holds
 * nobody's answers, so the service worker may keep a copy of it. */

/* Unknown, closed and expired links get the same bytes as page_story.c's:
 * the language switch leads to the start page, so the page does not name
 * the link. */
static int not_found(struct req *r)
{
	const char *path = r->path;
	r->path = "/";
	int st = web_error(r, 404, NULL);
	r->path = path;
	return st;
}

/* The texts offline.js shows, in the reader's language, by their English
 * msgid. The answers' messages are question_form_parse's, so both forms
 * say the same. */
static const char *const script_msgids[] = {
        N_("Step {n} of {m}"),
        N_("There is a problem"),
        N_("Tick the box to take part."),
        N_("This question needs an answer."),
        N_("This answer cannot be read."),
        N_("Choose one of the questions for your story."),
        N_("Choose one of the answers."),
        N_("Choose from the answers that are given."),
        N_("Write your other answer in the box."),
        N_("Choose one of the numbers of the scale."),
        N_("Give a number from 0 to 100."),
        N_("Give each corner a percentage from 0 to 100."),
        N_("The three percentages must add up to 100."),
        N_("Give numbers from 0 to 100 for the stones."),
        N_("Give both numbers for each stone you place, or tick Not placed."),
        N_("Give numbers from 0 to 100 for the place on the picture."),
        N_("Put the pin on the picture."),
        N_("Give a date, for example 17-03-2024."),
        N_("Give a number, for example 12 or 2.5."),
        N_("Give a whole number, without decimals."),
        N_("All stories have been sent."),
        N_("1 story is waiting for a connection."),
        N_("{n} stories are waiting for a connection."),
        N_("Your story is saved on this phone or computer. It is sent by itself when there "
           "is a connection again. Keep this page open, or open it again later."),
        N_("The server did not take this story:"),
        N_("This story could not be sent:"),
        N_("Put it back in the form"),
        N_("Delete it from this device"),
        N_("The story is deleted from this device."),
};

static void messages_attr(struct req *r)
{
	json_t *m = json_object();
	for (size_t i = 0; i < sizeof script_msgids / sizeof script_msgids[0]; i++)
		json_object_set_new(m, script_msgids[i], json_string(T(r, script_msgids[i])));
	char *s = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	if (!s)
		abort();
	html_lit(&r->out, " data-vp-messages=\"");
	html_attr(&r->out, s);
	html_lit(&r->out, "\"");
	free(s);
}

static void button(buf *b, const char *cls, const char *type, const char *data, const char *text)
{
	html_lit(b, "<button class=\"utrecht-button ");
	html_attr(b, cls);
	html_lit(b, "\" type=\"");
	html_attr(b, type);
	html_lit(b, "\" ");
	html_attr(b, data);
	html_lit(b, " hidden>");
	html_text(b, text);
	html_lit(b, "</button>");
}

static void consent_field(struct req *r)
{
	buf *b = &r->out;
	html_lit(b,
	         "<div class=\"utrecht-form-field utrecht-form-field--checkbox vp-consent\" "
	         "id=\"toestemming\"><div class=\"utrecht-form-field__input\"><input "
	         "class=\"utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom\" "
	         "type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"1\"></div>"
	         "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label "
	         "utrecht-form-label--checkbox\" for=\"consent\">");
	html_text(b, T(r, "I have read this and I take part"));
	html_lit(b,
	         "</label></div><p class=\"utrecht-form-field-error-message vp-question__error\" "
	         "id=\"consent-error\" hidden></p></div>");
}

/* GET /v/{token}/offline */
int page_story_offline(struct req *r)
{
	const char *token = req_param(r, 0);
	struct collection c;
	if (!collection_token_valid(token))
		return not_found(r);
	int rc = collection_by_token(req_db(r), token, &c);
	if (rc == DB_DONE || (rc == DB_ROW && !collection_accepts(&c, clock_now())))
		return not_found(r);
	if (rc != DB_ROW)
		return web_error(r, 503, NULL);
	const struct script *s =
	        script_cache_get(req_db(r), c.org_id, c.script_id, c.script_version);
	if (!s)
		return not_found(r);
	const char *lang = "nl";
	for (int i = 0; i < s->nlangs; i++)
		if (strcmp(s->langs[i], r->lang) == 0)
			lang = s->langs[i];
	const char *privacy = ltext_get(&s->privacy, lang);
	char hash[65];
	util_hash_hex(privacy, hash);

	page_begin(r, c.title);
	buf *b = &r->out;
	html_lit(b, "<div class=\"vp-story vp-offline\" data-vp-offline data-vp-token=\"");
	html_attr(b, c.token);
	html_lit(b, "\" data-vp-version=\"");
	html_int(b, c.script_version);
	html_lit(b, "\" data-vp-lang=\"");
	html_attr(b, lang);
	html_lit(b, "\" data-vp-privacy-hash=\"");
	html_attr(b, hash);
	html_lit(b, "\"");
	messages_attr(r);
	html_lit(b, "><h1 class=\"utrecht-heading-1\">");
	html_text(b, c.title);
	html_lit(b, "</h1>");
	const char *intro = ltext_get(&s->introduction, lang);
	if (*intro)
		script_paragraphs(r, intro, "vp-lead");
	html_lit(b, "<noscript><div class=\"utrecht-alert utrecht-alert--warning\"><div "
	            "class=\"utrecht-alert__content\"><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "This form needs JavaScript to send your story. Without it, use the "
	                  "form that sends each step:"));
	html_lit(b, " <a class=\"utrecht-link\" href=\"/v/");
	html_attr(b, c.token);
	html_lit(b, "\">");
	html_text(b, T(r, "Tell your story step by step"));
	html_lit(b, "</a></p></div></div></noscript>");
	/* What waits on this device; offline.js fills it in. */
	html_lit(b, "<p class=\"utrecht-paragraph vp-offline__status\" role=\"status\" "
	            "aria-live=\"polite\" data-vp-queue-status></p>"
	            "<div class=\"vp-offline__rejected\" data-vp-rejected hidden></div>");

	html_lit(b, "<form class=\"vp-story-form vp-offline__form\" method=\"post\" "
	            "action=\"/v/");
	html_attr(b, c.token);
	html_lit(b, "/offline\" novalidate data-vp-offline-form>"
	            "<div class=\"vp-error-summary\" role=\"alert\" tabindex=\"-1\" "
	            "aria-labelledby=\"fouten-kop\" data-vp-error-summary hidden><h2 "
	            "class=\"utrecht-heading-2 vp-error-summary__title\" id=\"fouten-kop\">");
	html_text(b, T(r, "There is a problem"));
	html_lit(b, "</h2><ul class=\"utrecht-unordered-list vp-error-summary__list\"></ul></div>"
	            "<div class=\"vp-story-progress\" data-vp-progress hidden><p "
	            "class=\"utrecht-paragraph vp-story-progress__text\" id=\"voortgang\"></p>"
	            "<progress class=\"vp-story-progress__bar\" aria-labelledby=\"voortgang\" "
	            "max=\"1\" value=\"0\"></progress></div>");

	/* Step 0: who can read the story, and consent. */
	html_lit(b, "<section class=\"vp-offline__step vp-privacy\" data-vp-step "
	            "aria-labelledby=\"privacy-kop\"><h2 class=\"utrecht-heading-2\" "
	            "id=\"privacy-kop\" tabindex=\"-1\">");
	html_text(b, T(r, "Who can read your story?"));
	html_lit(b, "</h2>");
	script_paragraphs(r, privacy, NULL);
	consent_field(r);
	html_lit(b, "</section>");

	int part = 0;
	for (int i = 0; i < s->nsections; i++) {
		const struct section *sec = &s->sections[i];
		int teller = 0;
		for (int k = 0; k < sec->nquestions; k++)
			teller |= sec->questions[k].perspective == PERSPECTIVE_TELLER;
		if (!teller)
			continue;
		part++;
		html_lit(
		        b,
		        "<section class=\"vp-offline__step\" data-vp-step aria-labelledby=\"deel-");
		html_int(b, part);
		html_lit(b, "\"><h2 class=\"utrecht-heading-2\" tabindex=\"-1\" id=\"deel-");
		html_int(b, part);
		html_lit(b, "\">");
		if (sec->title.n) {
			html_text(b, ltext_get(&sec->title, lang));
		} else {
			const char *t = T(r, "Part {n}");
			const char *at = strstr(t, "{n}");
			html_textn(b, t, at ? (size_t)(at - t) : strlen(t));
			if (at) {
				html_int(b, part);
				html_text(b, at + 3);
			}
		}
		html_lit(b, "</h2>");
		for (int k = 0; k < sec->nquestions; k++) {
			const struct question *q = &sec->questions[k];
			if (q->perspective != PERSPECTIVE_TELLER)
				continue;
			question_form_render(b, q, NULL, lang, NULL, question_form_tr_lang,
			                     (void *)r->lang);
		}
		html_lit(b, "</section>");
	}

	/* The buttons show once the script runs. Next first: Enter goes on. */
	html_lit(b, "<div class=\"utrecht-button-group vp-story-buttons\">");
	button(b, "utrecht-button--primary-action", "button", "data-vp-next", T(r, "Next"));
	button(b, "utrecht-button--primary-action", "submit", "data-vp-send", T(r, "Send"));
	button(b, "utrecht-button--secondary-action", "button", "data-vp-back", T(r, "Back"));
	html_lit(b, "</div></form>");

	/* After sending: the receipt, or the note that the story waits. */
	html_lit(b, "<section class=\"vp-receipt\" aria-labelledby=\"bewijs-kop\" data-vp-receipt "
	            "hidden><h2 class=\"utrecht-heading-2\" id=\"bewijs-kop\" tabindex=\"-1\">");
	html_text(b, T(r, "Thank you for your story"));
	html_lit(b, "</h2>");
	const char *thanks = ltext_get(&s->thanks, lang);
	if (*thanks)
		script_paragraphs(r, thanks, "vp-lead");
	html_lit(b, "<h3 class=\"utrecht-heading-3\">");
	html_text(b, T(r, "Your receipt code"));
	html_lit(b, "</h3><p class=\"vp-code vp-receipt__code\" id=\"ontvangstcode\"></p>"
	            "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Keep this code. With it you can ask about your story, or have it "
	                  "removed."));
	html_lit(b, "</p></section><section class=\"vp-offline__queued\" "
	            "aria-labelledby=\"wacht-kop\" data-vp-queued hidden><h2 "
	            "class=\"utrecht-heading-2\" id=\"wacht-kop\" tabindex=\"-1\">");
	html_text(b, T(r, "Your story waits for a connection"));
	html_lit(b, "</h2><p class=\"utrecht-paragraph\">");
	html_text(b,
	          T(r, "Your story is saved on this phone or computer. It is sent by itself when "
	               "there is a connection again. Keep this page open, or open it again "
	               "later."));
	html_lit(b, "</p></section><p class=\"utrecht-paragraph\" data-vp-again hidden><a "
	            "class=\"utrecht-link\" href=\"/v/");
	html_attr(b, c.token);
	html_lit(b, "/offline\">");
	html_text(b, T(r, "Tell another story"));
	html_lit(b, "</a></p></div>");
	question_form_scripts(b);
	question_form_script(b, "offline.js");
	page_end(r);
	return 200;
}

/* An embedded file at a fixed address, revalidated on every use (ETag):
 * a service worker and a manifest must not be kept stale. */
static int fixed_asset(struct req *r, const char *name, const char *type)
{
	const struct asset *a = asset_find(name);
	if (!a)
		return web_error(r, 404, NULL);
	r->cacheable = 1;
	req_set_header(r, "Cache-Control", "no-cache");
	req_set_header(r, "ETag", a->etag);
	r->resp_type = type;
	buf_reset(&r->out);
	const char *inm = req_header(r, "If-None-Match");
	if (inm && strstr(inm, a->etag))
		return 304;
	/* Script and JSON, not HTML: the bytes as embedded (as api_openapi). */
	buf_append(&r->out, a->data, a->len);
	return 200;
}

/* GET /sw.js: at the root, so that its scope covers /v/. */
int page_service_worker(struct req *r)
{
	return fixed_asset(r, "sw.js", "text/javascript; charset=utf-8");
}

/* GET /manifest.webmanifest */
int page_manifest(struct req *r)
{
	return fixed_asset(r, "manifest.json", "application/manifest+json");
}
