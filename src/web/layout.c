/* layout.c: the page frame (NL Design System look), alerts, error pages, embedded assets. */
#include "web/pages.h"

#include "core/arena.h"
#include "core/msg.h"
#include "core/util.h"
#include "gen/embedded.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/audit.h"
#include "web/html.h"
#include "web/i18n.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

/* ---- assets ------------------------------------------------------------- */

static struct asset *assets;
static size_t nassets;
static pthread_once_t assets_once = PTHREAD_ONCE_INIT;

static const char *type_of(const char *name)
{
	const char *ext = strrchr(name, '.');
	if (!ext)
		return "application/octet-stream";
	if (!strcmp(ext, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(ext, ".js"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(ext, ".svg"))
		return "image/svg+xml";
	if (!strcmp(ext, ".json"))
		return "application/json";
	if (!strcmp(ext, ".txt"))
		return "text/plain; charset=utf-8";
	if (!strcmp(ext, ".ico"))
		return "image/x-icon";
	if (!strcmp(ext, ".png"))
		return "image/png";
	return "application/octet-stream";
}

static void assets_init(void)
{
	nassets = embedded_assets_count;
	assets = calloc(nassets ? nassets : 1, sizeof *assets);
	if (!assets)
		abort();
	for (size_t i = 0; i < nassets; i++) {
		const struct embedded_file *f = &embedded_assets[i];
		unsigned char h[16];
		char hex[33], *etag = malloc(35);
		if (!etag)
			abort();
		crypto_generichash(h, sizeof h, f->data, f->len, NULL, 0);
		util_hex(h, sizeof h, hex);
		snprintf(etag, 35, "\"%s\"", hex);
		assets[i] = (struct asset){f->name, f->data, f->len, type_of(f->name), etag};
	}
}

const struct asset *asset_find(const char *name)
{
	pthread_once(&assets_once, assets_init);
	for (size_t i = 0; i < nassets; i++)
		if (strcmp(assets[i].name, name) == 0)
			return &assets[i];
	return NULL;
}

/* A versioned link to an asset: /static/NAME?v=HASH, cached for a year. */
void asset_href(buf *b, const char *name)
{
	const struct asset *a = asset_find(name);
	html_lit(b, "/static/");
	html_attr(b, name);
	if (a) {
		html_lit(b, "?v=");
		html_textn(b, a->etag + 1, 12);
	}
}

const char *role_label(struct req *r, unsigned role)
{
	switch (role) {
	case ROLE_BEHEERDER: return T(r, "administrator");
	case ROLE_ONDERZOEKER: return T(r, "analyst");
	case ROLE_GESPREKSVOERDER: return T(r, "conversation lead");
	case ROLE_PROCESBEGELEIDER: return T(r, "facilitator");
	case ROLE_MEELEZER: return T(r, "reader");
	default: return "?";
	}
}

/* ---- frame -------------------------------------------------------------- */

void page_csrf_field(struct req *r)
{
	html_lit(&r->out, "<input type=\"hidden\" name=\"csrf_token\" value=\"");
	html_attr(&r->out, req_csrf_token(r));
	html_lit(&r->out, "\">");
}

void page_text_field(struct req *r, const char *id, const char *label, const char *help,
                     const char *type, const char *autocomplete, const char *value, unsigned flags)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text\">"
	            "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	            "for=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div>");
	if (help) {
		html_lit(b, "<div class=\"utrecht-form-field__description\" id=\"");
		html_attr(b, id);
		html_lit(b, "-help\">");
		html_text(b, help);
		html_lit(b, "</div>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox "
	            "utrecht-textbox--html-input\" id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"");
	html_attr(b, id);
	html_lit(b, "\" type=\"");
	html_attr(b, type);
	html_lit(b, "\" autocomplete=\"");
	html_attr(b, autocomplete);
	html_lit(b, "\"");
	if (help) {
		html_lit(b, " aria-describedby=\"");
		html_attr(b, id);
		html_lit(b, "-help\"");
	}
	if (flags & FIELD_REQUIRED)
		html_lit(b, " required");
	if (flags & FIELD_AUTOFOCUS)
		html_lit(b, " autofocus");
	if (value) {
		html_lit(b, " value=\"");
		html_attr(b, value);
		html_lit(b, "\"");
	}
	html_lit(b, "></div></div>");
}

void page_textarea_field(struct req *r, const char *id, const char *label, const char *help,
                         const char *value, int rows, const char *error)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--textarea");
	if (error)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b,
	         "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	         "for=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div>");
	if (help) {
		html_lit(b, "<div class=\"utrecht-form-field__description\" id=\"");
		html_attr(b, id);
		html_lit(b, "-help\">");
		html_text(b, help);
		html_lit(b, "</div>");
	}
	if (error) {
		html_lit(b, "<div class=\"utrecht-form-field-error-message\" id=\"");
		html_attr(b, id);
		html_lit(b, "-error\">");
		html_text(b, error);
		html_lit(b, "</div>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\"><textarea class=\"utrecht-textarea "
	            "utrecht-textarea--html-textarea\" id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"");
	html_attr(b, id);
	html_lit(b, "\" rows=\"");
	html_int(b, rows);
	html_lit(b, "\"");
	if (help || error) {
		html_lit(b, " aria-describedby=\"");
		if (help) {
			html_attr(b, id);
			html_lit(b, "-help");
		}
		if (error) {
			if (help)
				html_lit(b, " ");
			html_attr(b, id);
			html_lit(b, "-error");
		}
		html_lit(b, "\"");
	}
	if (error)
		html_lit(b, " aria-invalid=\"true\"");
	html_lit(b, ">");
	html_text(b, value ? value : "");
	html_lit(b, "</textarea></div></div>");
}

void page_h1(struct req *r, const char *text)
{
	html_lit(&r->out, "<h1 class=\"utrecht-heading-1\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</h1>");
}

void page_h2(struct req *r, const char *id, const char *text)
{
	html_lit(&r->out, "<h2 class=\"utrecht-heading-2\" id=\"");
	html_attr(&r->out, id);
	html_lit(&r->out, "\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</h2>");
}

void page_para(struct req *r, const char *cls, const char *text)
{
	html_lit(&r->out, "<p class=\"utrecht-paragraph");
	if (cls) {
		html_lit(&r->out, " ");
		html_attr(&r->out, cls);
	}
	html_lit(&r->out, "\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</p>");
}

void page_link_para(struct req *r, const char *href, const char *text)
{
	html_lit(&r->out, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(&r->out, href);
	html_lit(&r->out, "\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</a></p>");
}

static int host_ok(const char *host)
{
	size_t n = host ? strlen(host) : 0;
	if (n == 0 || n > 255)
		return 0;
	for (const char *p = host; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-:[]", *p))
			return 0;
	return 1;
}

const char *page_absolute_url(struct req *r, const char *path)
{
	if (r->app->cfg.public_url && *r->app->cfg.public_url)
		return page_printf(r, "%s%s", r->app->cfg.public_url, path);
	const char *host = req_header(r, "Host");
	if (!host_ok(host))
		return arena_strdup(r->a, path);
	const char *proto = r->app->cfg.trust_proxy ? req_header(r, "X-Forwarded-Proto") : NULL;
	int https = r->tls || r->app->cfg.hsts || (proto && strcmp(proto, "https") == 0);
	size_t n = strlen(host) + strlen(path) + 16;
	char *out = arena_alloc(r->a, n);
	snprintf(out, n, "%s://%s%s", https ? "https" : "http", host, path);
	return out;
}

void page_error_summary(struct req *r, const char *field, const char *label, const char *message)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"vp-error-summary\" role=\"alert\" tabindex=\"-1\" "
	            "aria-labelledby=\"fouten-kop\"><h2 class=\"utrecht-heading-2 "
	            "vp-error-summary__title\" id=\"fouten-kop\">");
	html_text(b, T(r, "There is a problem"));
	html_lit(b, "</h2><ul class=\"utrecht-unordered-list vp-error-summary__list\"><li><a "
	            "class=\"utrecht-link\" href=\"#");
	html_attr(b, field);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, ": ");
	html_text(b, message);
	html_lit(b, "</a></li></ul></div>");
}

const char *page_printf(struct req *r, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	return arena_strdup(r->a, tmp);
}

const char *page_form_trimmed(struct req *r, const char *name)
{
	const char *s = req_form(r, name);
	if (!s)
		return "";
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(r->a, s, n);
}

int page_audit_one(struct db *d, struct req *r, const char *action, const char *object_type,
                   int64_t id, const char *code)
{
	char idtxt[24];
	snprintf(idtxt, sizeof idtxt, "%lld", (long long)id);
	struct audit_entry e = {.actor_user_id = r->logged_in ? r->sess.user.id : 0,
	                        .actor = r->logged_in ? r->sess.user.username : "anonymous",
	                        .action = action,
	                        .object_type = object_type,
	                        .object_id = idtxt,
	                        .subject_code = code && *code ? code : NULL,
	                        .origin = r->ip};
	return audit_append(d, &e);
}

int page_audit_views(db *d, struct req *r, json_t *rows, const char *object_type)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		int rc = page_audit_one(d, r, "view", object_type, page_jint(row, "id"),
		                        page_jstr(row, "participant_code"));
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

const char *page_jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

long long page_jint(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

void page_alert(struct req *r, const char *kind, const char *text)
{
	buf *b = &r->out;
	const char *role = strcmp(kind, "error") == 0 ? "alert" : "status";
	html_lit(b, "<div class=\"utrecht-alert utrecht-alert--");
	html_attr(b, kind);
	html_lit(b, "\" role=\"");
	html_attr(b, role);
	html_lit(b, "\"><div class=\"utrecht-alert__content\"><p class=\"utrecht-paragraph\">");
	html_text(b, text);
	html_lit(b, "</p></div></div>");
}

void page_head_begin(struct req *r, const char *title)
{
	buf *b = &r->out;
	buf_reset(b);
	r->resp_type = "text/html; charset=utf-8";
	html_lit(b, "<!DOCTYPE html>\n<html lang=\"");
	html_attr(b, r->lang);
	html_lit(b, "\" class=\"voorbeeld-theme\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	            "<title>");
	html_text(b, title);
	html_lit(b, " - Vertelpunt</title><link rel=\"stylesheet\" href=\"");
	asset_href(b, "vertelpunt.css");
	html_lit(b, "\"><link rel=\"stylesheet\" href=\"");
	asset_href(b, "app.css");
	html_lit(b, "\"><link rel=\"icon\" href=\"");
	asset_href(b, "favicon.svg");
	html_lit(b, "\" type=\"image/svg+xml\">");
}

void page_begin(struct req *r, const char *title)
{
	buf *b = &r->out;
	int en = strcmp(r->lang, "en") == 0;
	page_head_begin(r, title);
	html_lit(b, "</head>\n"
	            "<body class=\"utrecht-document utrecht-document--surface\">"
	            "<a class=\"utrecht-skip-link\" href=\"#main\">");
	html_text(b, T(r, "Skip to content"));
	html_lit(b, "</a><div class=\"utrecht-page vp-page\">"
	            "<header class=\"utrecht-page-header vp-header\"><div class=\"vp-brand\">"
	            "<a class=\"utrecht-link vp-brand__name\" href=\"/\">Vertelpunt</a>"
	            "<span class=\"vp-brand__org\">");
	html_text(b, r->app->org_name[0] ? r->app->org_name : "Vertelpunt");
	html_lit(b, "</span></div><nav class=\"vp-nav\" aria-label=\"");
	html_attr(b, T(r, "Account and language"));
	html_lit(b, "\"><ul class=\"vp-nav__list\">");
	/* Language switch: each language named in itself. */
	html_lit(b, "<li>");
	if (en) {
		html_lit(b, "<a class=\"utrecht-link\" lang=\"nl\" hreflang=\"nl\" "
		            "href=\"/taal/nl?terug=");
	} else {
		html_lit(b, "<a class=\"utrecht-link\" lang=\"en\" hreflang=\"en\" "
		            "href=\"/taal/en?terug=");
	}
	/* Back to this page after switching, if it can be opened with GET.
	 * The answer to a POST (a saved form) may not be: then its parent
	 * page (/beheer/gebruikers for /beheer/gebruikers/7), or the start. */
	const char *back = r->path;
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0 &&
	    !route_exists("GET", back)) {
		const char *slash = strrchr(back, '/');
		char *parent = arena_strndup(r->a, back, slash ? (size_t)(slash - back) : 0);
		back = *parent && route_exists("GET", parent) ? parent : "/";
	}
	buf esc;
	buf_init(&esc);
	for (const char *p = back; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("/-_.~", c))
			buf_putc(&esc, (char)c);
		else
			buf_printf(&esc, "%%%02X", c);
	}
	html_attr(b, esc.data ? esc.data : "/");
	buf_free(&esc);
	html_lit(b, "\">");
	html_text(b, en ? "Nederlands" : "English");
	html_lit(b, "</a></li>");
	if (r->logged_in) {
		/* The staff's places, in the order of their work: trajectories
		 * and who waits to hear back, then scripts, collections and the
		 * catalogue of methods. */
		static const struct {
			const char *href, *label;
		} places[] = {{"/trajecten", N_("Trajectories")},
		              {"/gesprekken", N_("Conversations")},
		              {"/initiatieven", N_("Initiatives")},
		              {"/vragenlijsten", N_("Interview scripts")},
		              {"/verzamelingen", N_("Collections")},
		              {"/werkvormen", N_("Methods")}};
		for (size_t i = 0; i < sizeof places / sizeof *places; i++) {
			size_t n = strlen(places[i].href);
			html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
			html_attr(b, places[i].href);
			html_lit(b, "\"");
			if (strncmp(r->path, places[i].href, n) == 0 &&
			    (r->path[n] == '\0' || r->path[n] == '/'))
				html_lit(b, " aria-current=\"page\"");
			html_lit(b, ">");
			html_text(b, T(r, places[i].label));
			html_lit(b, "</a></li>");
		}
		html_lit(b,
		         "<li class=\"vp-nav__user\"><a class=\"utrecht-link\" href=\"/account\">");
		html_text(b, r->sess.user.display_name);
		html_lit(b, "</a> <span class=\"vp-role\">(");
		html_text(b, role_label(r, r->sess.user.role));
		html_lit(b, ")</span></li><li><form class=\"vp-inline-form\" method=\"post\" "
		            "action=\"/logout\">");
		page_csrf_field(r);
		html_lit(
		        b,
		        "<button class=\"utrecht-button utrecht-button--subtle\" type=\"submit\">");
		html_text(b, T(r, "Log out"));
		html_lit(b, "</button></form></li>");
	} else if (strcmp(r->path, "/login") != 0) {
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"/login\">");
		html_text(b, T(r, "Log in"));
		html_lit(b, "</a></li>");
	}
	html_lit(b,
	         "</ul></nav></header>\n<main id=\"main\" class=\"utrecht-page-content vp-main\">");
}

void page_end(struct req *r)
{
	buf *b = &r->out;
	html_lit(b, "</main>\n<footer class=\"utrecht-page-footer vp-footer\"><p "
	            "class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Vertelpunt: listening to residents, and telling them what was done."));
	html_lit(b, "</p></footer></div></body></html>\n");
}

/* ---- errors ------------------------------------------------------------- */

static const char *status_title(int status)
{
	switch (status) {
	case 400: return N_("The request is not valid.");
	case 401: return N_("Please log in first.");
	case 403: return N_("You may not do this.");
	case 404: return N_("This page does not exist.");
	case 405: return N_("This page cannot be used this way.");
	case 409: return N_("This conflicts with data that is already there.");
	case 413: return N_("Too much data was sent at once.");
	case 415: return N_("This type of data is not accepted.");
	case 422: return N_("Some fields are not filled in correctly.");
	case 429: return N_("Too many attempts. Please wait a while and try again.");
	case 503: return N_("The service is busy or stopping. Please try again soon.");
	default: return N_("Something went wrong on our side. Please try again later.");
	}
}

int web_error(struct req *r, int status, const char *msg)
{
	const char *title = T(r, status_title(status));
	const char *detail = msg ? T(r, msg) : NULL;
	int api = (r->route && (r->route->flags & ROUTE_API)) || strncmp(r->path, "/api/", 5) == 0;
	if (api) {
		buf_reset(&r->out);
		buf_printf(&r->out, "{\"type\":\"about:blank\",\"status\":%d,\"title\":", status);
		buf_json_str(&r->out, title);
		if (detail) {
			buf_puts(&r->out, ",\"detail\":");
			buf_json_str(&r->out, detail);
		}
		buf_putc(&r->out, '}');
		r->resp_type = "application/problem+json";
		return status;
	}
	page_begin(r, title);
	html_lit(&r->out, "<h1 class=\"utrecht-heading-1\">");
	html_text(&r->out, title);
	html_lit(&r->out, "</h1>");
	if (detail)
		page_alert(r, "error", detail);
	html_lit(&r->out, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"/\">");
	html_text(&r->out, T(r, "Go to the start page"));
	html_lit(&r->out, "</a></p>");
	page_end(r);
	return status;
}

void page_table_wrap(struct req *r, const char *label)
{
	html_lit(&r->out,
	         "<div class=\"vp-table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"");
	html_attr(&r->out, label);
	html_lit(&r->out, "\">");
}
