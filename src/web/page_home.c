/* page_home.c: the start page, the language switch, static files, health and security.txt. */
#include "web/pages.h"

#include "http/server.h"
#include "web/html.h"
#include "web/i18n.h"

#include <microhttpd.h>
#include <string.h>

int page_home(struct req *r)
{
	buf *b = &r->out;
	page_begin(r, T(r, "Start"));
	if (r->logged_in) {
		html_lit(b, "<h1 class=\"utrecht-heading-1\">");
		html_text(b, T(r, "Welcome"));
		html_lit(b, ", ");
		html_text(b, r->sess.user.display_name);
		html_lit(b, "</h1><p class=\"utrecht-paragraph vp-lead\">");
		html_text(b, T(r, "You are logged in as"));
		html_lit(b, " <strong>");
		html_text(b, role_label(r, r->sess.user.role));
		html_lit(b, "</strong> ");
		html_text(b, T(r, "of"));
		html_lit(b, " ");
		html_text(b, r->app->org_name);
		html_lit(b, ".</p><ul class=\"utrecht-unordered-list vp-links\">");
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"/account\">");
		html_text(b, T(r, "Your account"));
		html_lit(b, "</a></li>");
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"/vragenlijsten\">");
		html_text(b, T(r, "Interview scripts"));
		html_lit(b, "</a></li>");
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"/verzamelingen\">");
		html_text(b, T(r, "Collections"));
		html_lit(b, "</a></li>");
		if (r->sess.user.role == ROLE_BEHEERDER) {
			html_lit(b, "<li><a class=\"utrecht-link\" href=\"/beheer/gebruikers\">");
			html_text(b, T(r, "Manage staff accounts"));
			html_lit(b, "</a></li>");
			html_lit(b, "<li><a class=\"utrecht-link\" href=\"/beheer/personen\">");
			html_text(b, T(r, "Data of residents"));
			html_lit(b, "</a></li>");
		}
		html_lit(b, "</ul>");
	} else {
		html_lit(b, "<h1 class=\"utrecht-heading-1\">");
		html_text(b, T(r, "Vertelpunt"));
		html_lit(b, "</h1><p class=\"utrecht-paragraph vp-lead\">");
		html_text(b,
		          T(r,
		            "Here the municipality listens to residents: in conversations at the "
		            "kitchen table, at dialogue tables and through stories that you tell "
		            "yourself."));
		html_lit(b, "</p><p class=\"utrecht-paragraph\">");
		html_text(
		        b,
		        T(r,
		          "Everyone who takes part hears back what was done with what they said."));
		html_lit(b, "</p><h2 class=\"utrecht-heading-2\">");
		html_text(b, T(r, "Tell your story"));
		html_lit(b, "</h2><p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Do you have a code from a poster or a flyer?"));
		html_lit(b, "</p><p class=\"utrecht-paragraph\"><a class=\"utrecht-button-link "
		            "utrecht-button-link--html-a utrecht-button-link--secondary-action\" "
		            "href=\"/code\">");
		html_text(b, T(r, "Type the code"));
		html_lit(b, "</a></p><h2 class=\"utrecht-heading-2\">");
		html_text(b, T(r, "For staff of the municipality"));
		html_lit(b, "</h2><p class=\"utrecht-paragraph\"><a class=\"utrecht-button-link "
		            "utrecht-button-link--html-a utrecht-button-link--primary-action\" "
		            "href=\"/login\">");
		html_text(b, T(r, "Log in"));
		html_lit(b, "</a></p>");
	}
	page_end(r);
	return 200;
}

/* GET /taal/{lang}?terug=/path: remembers the choice for a year. */
int page_language(struct req *r)
{
	const char *lang = req_param(r, 0);
	if (!i18n_has(lang))
		return web_error(r, 404, NULL);
	req_set_cookie(r, LANG_COOKIE, lang, 365 * 24 * 3600, 0);
	const char *back = req_query(r, "terug");
	return req_redirect(r, back ? back : "/");
}

int page_static(struct req *r)
{
	const struct asset *a = asset_find(req_param(r, 0));
	if (!a)
		return web_error(r, 404, NULL);
	req_set_header(r, "ETag", a->etag);
	r->cacheable = 1;
	req_set_header(r, "Cache-Control", "public, max-age=31536000, immutable");
	r->resp_type = a->type;
	const char *inm = req_header(r, "If-None-Match");
	buf_reset(&r->out);
	if (inm && strstr(inm, a->etag))
		return 304;
	html_raw_trusted(&r->out, (const char *)a->data, a->len);
	return 200;
}

int page_healthz(struct req *r)
{
	buf_reset(&r->out);
	buf_puts(&r->out, "{\"status\":\"ok\"}");
	r->resp_type = "application/json";
	return 200;
}

int page_security_txt(struct req *r)
{
	const struct asset *a = asset_find("security.txt");
	if (!a)
		return web_error(r, 404, NULL);
	r->resp_type = "text/plain; charset=utf-8";
	buf_reset(&r->out);
	html_raw_trusted(&r->out, (const char *)a->data, a->len);
	return 200;
}
