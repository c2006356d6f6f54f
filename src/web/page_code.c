/* page_code.c: /code: a resident types the short code from a poster or flyer and goes to the story form. */
#include "web/pages.h"

#include "core/clock.h"
#include "core/ratelimit.h"
#include "http/server.h"
#include "model/collection.h"
#include "web/html.h"
#include "web/i18n.h"

#include <stdio.h>
#include <string.h>

static int code_page(struct req *r, int status, const char *error)
{
	buf *b = &r->out;
	page_begin(r, error ? T(r, "Error: Type the code") : T(r, "Type the code"));
	html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Type the code"));
	html_lit(b, "</h1><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "The code is on the poster or the flyer. It has 8 letters and digits, "
	                  "for example K7M4-Q2PX."));
	html_lit(b, "</p>");
	if (error)
		page_alert(r, "error", error);
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"/code\">");
	page_csrf_field(r);
	page_text_field(r, "code", T(r, "Code"), NULL, "text", "off", req_form(r, "code"),
	                FIELD_REQUIRED | FIELD_AUTOFOCUS);
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Continue"));
	html_lit(b, "</button></div></form>");
	page_end(r);
	return status;
}

/* GET /code */
int page_code_form(struct req *r)
{
	return code_page(r, 200, NULL);
}

/* POST /code: to the collection's form, or the page again with an error.
 * Tries count against the same per-address limit as stories, so codes
 * cannot be guessed in bulk. */
int page_code(struct req *r)
{
	int wait = 0;
	if (r->app->rl_story_ip &&
	    !ratelimit_take(r->app->rl_story_ip, r->ip, clock_mono_us() / 1000, &wait)) {
		char *v = arena_alloc(r->a, 16);
		snprintf(v, 16, "%d", wait > 0 ? wait : 1);
		req_set_header(r, "Retry-After", v);
		return code_page(r, 429,
		                 T(r, "Too many attempts. Please wait a while and try again."));
	}
	const char *code = req_form(r, "code");
	struct collection c;
	int rc = code ? collection_by_code(req_db(r), code, &c) : DB_DONE;
	if (rc == DB_ROW && collection_accepts(&c, clock_now())) {
		char *to = arena_alloc(r->a, 64);
		snprintf(to, 64, "/v/%s", c.token);
		return req_redirect(r, to);
	}
	if (rc != DB_ROW && rc != DB_DONE)
		return web_error(r, 503, NULL);
	return code_page(r, 422,
	                 T(r, "We do not know this code, or its stories are no longer collected. "
	                      "Check that you typed it as it is on the poster or flyer."));
}
