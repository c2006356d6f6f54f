/* page_people.c: the administrator's pages for the rights of data subjects (find, show, export, correct, erase one person). */
#include "web/pages.h"

#include "http/server.h"
#include "model/audit.h"
#include "model/participant.h"
#include "web/export_html.h"
#include "web/html.h"
#include "web/i18n.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Every read of a person's data is logged before it is shown, in a writer
 * job (as `vertelpunt participant` does on the command line): no log entry,
 * no page. Changes and their log entry commit together. */
struct people_state {
	const char *query;  /* search: what was searched for */
	const char *found;  /* search: participant_find_json's array (arena) */
	const char *action; /* view, export, update, delete */
	const char *detail; /* for the log entry, or NULL */
	const char *format; /* export: "json" or "html" */
	int64_t id;         /* one person */
	char code[PARTICIPANT_CODE_LEN + 1];
	struct contact c; /* correct: the new contact data */
};

static int log_one(db *d, struct req *r, const char *action, int64_t id, const char *code,
                   const char *detail)
{
	char idtxt[24];
	snprintf(idtxt, sizeof idtxt, "%lld", (long long)id);
	struct audit_entry e = {.actor_user_id = r->sess.user.id,
	                        .actor = r->sess.user.username,
	                        .action = action,
	                        .object_type = "participant",
	                        .object_id = idtxt,
	                        .subject_code = code,
	                        .origin = r->ip,
	                        .detail = detail};
	return audit_append(d, &e);
}

/* ---- shared bits --------------------------------------------------------- */

static void heading(struct req *r, const char *text)
{
	html_lit(&r->out, "<h1 class=\"utrecht-heading-1\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</h1>");
}

static void back_link(struct req *r, const char *href, const char *text)
{
	html_lit(&r->out, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(&r->out, href);
	html_lit(&r->out, "\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</a></p>");
}

static const char *person_path(struct req *r, const char *code, const char *tail)
{
	size_t n = strlen("/beheer/personen/") + strlen(code) + strlen(tail) + 1;
	char *p = arena_alloc(r->a, n);
	snprintf(p, n, "/beheer/personen/%s%s", code, tail);
	return p;
}

static void table_head(struct req *r, const char *caption, const char *const *heads, size_t n)
{
	buf *b = &r->out;
	/* A table wider than a phone scrolls inside its wrap; the wrap takes
	 * keyboard focus so that it can be scrolled without a mouse. */
	html_lit(b, "<div class=\"vp-table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"");
	html_attr(b, caption);
	html_lit(b, "\"><table class=\"utrecht-table\"><caption class=\"utrecht-table__caption\">");
	html_text(b, caption);
	html_lit(b, "</caption><thead class=\"utrecht-table__header\"><tr "
	            "class=\"utrecht-table__row\">");
	for (size_t i = 0; i < n; i++) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, T(r, heads[i]));
		html_lit(b, "</th>");
	}
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
}

static void cell(struct req *r, const char *text)
{
	html_lit(&r->out, "<td class=\"utrecht-table__cell\">");
	html_text(&r->out, text ? text : "");
	html_lit(&r->out, "</td>");
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* ---- search -------------------------------------------------------------- */

static int search_page(struct req *r, int status, const char *error, const char *query,
                       json_t *found)
{
	buf *b = &r->out;
	page_begin(r, T(r, "Data of residents"));
	heading(r, T(r, "Data of residents"));
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Find everything that is stored about one person. You can then "
	                  "download it, correct it or erase it. Every time you look, this is "
	                  "written down in the access log."));
	html_lit(b, "</p>");
	if (error)
		page_alert(r, "error", error);
	/* POST, not GET: contact details stay out of the browser history and
	 * out of every log that records URLs. */
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"/beheer/personen/zoeken\">");
	page_csrf_field(r);
	page_text_field(
	        r, "q", T(r, "Search for a person"),
	        T(r, "Type the participant code, an e-mail address, a phone number or the full "
	             "name."),
	        "search", "off", query, FIELD_REQUIRED);
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Search"));
	html_lit(b, "</button></div></form>");
	if (found) {
		html_lit(b, "<h2 class=\"utrecht-heading-2\">");
		html_text(b, T(r, "Results"));
		html_lit(b, "</h2>");
		if (json_array_size(found) == 0) {
			page_alert(r, "info", T(r, "Nobody was found. Check what you typed."));
		} else {
			static const char *const heads[] = {N_("Code"), N_("Name"), N_("E-mail"),
			                                    N_("Phone")};
			table_head(r, T(r, "People found"), heads, 4);
			size_t i;
			json_t *p;
			json_array_foreach(found, i, p)
			{
				json_t *c = json_object_get(p, "contact");
				const char *code = jstr(p, "code");
				html_lit(b, "<tr class=\"utrecht-table__row\"><th "
				            "class=\"utrecht-table__header-cell\" scope=\"row\"><a "
				            "class=\"utrecht-link\" href=\"");
				html_url(b, person_path(r, code, ""));
				html_lit(b, "\">");
				html_text(b, code);
				html_lit(b, "</a></th>");
				cell(r, jstr(c, "name"));
				cell(r, jstr(c, "email"));
				cell(r, jstr(c, "phone"));
				html_lit(b, "</tr>");
			}
			html_lit(b, "</tbody></table></div>");
		}
	}
	page_end(r);
	return status;
}

int page_people(struct req *r)
{
	return search_page(r, 200, NULL, NULL, NULL);
}

static int search_log(db *d, void *ctx)
{
	struct req *r = ctx;
	struct people_state *st = r->hctx;
	json_t *found = json_loads(st->found, 0, NULL);
	if (!found)
		return DB_ERROR;
	size_t i;
	json_t *p;
	int rc = DB_OK;
	json_array_foreach(found, i, p)
	{
		rc = log_one(d, r, "view", (int64_t)json_integer_value(json_object_get(p, "id")),
		             jstr(p, "code"), "search");
		if (rc)
			break;
	}
	json_decref(found);
	return rc;
}

static int search_then(struct req *r)
{
	struct people_state *st = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	json_t *found = json_loads(st->found, 0, NULL);
	if (!found)
		return web_error(r, 503, NULL);
	int status = search_page(r, 200, NULL, st->query, found);
	json_decref(found);
	return status;
}

int page_people_search(struct req *r)
{
	const char *q = req_form(r, "q");
	while (q && (*q == ' ' || *q == '\t'))
		q++;
	if (!q || !*q)
		return search_page(r, 422, T(r, "Type what you are looking for."), NULL, NULL);
	if (strlen(q) > CONTACT_FIELD_MAX)
		return search_page(r, 422, T(r, "What you typed is too long."), NULL, NULL);
	buf out;
	buf_init(&out);
	int rc = participant_find_json(req_db(r), r->app->vault, q, &out);
	if (rc != DB_OK) {
		buf_free(&out);
		return web_error(r, 503, NULL);
	}
	struct people_state *st = arena_zalloc(r->a, sizeof *st);
	st->query = q;
	st->found = arena_strndup(r->a, out.data ? out.data : "[]", out.len);
	sodium_memzero(out.data, out.len);
	buf_free(&out);
	json_t *found = json_loads(st->found, 0, NULL);
	size_t n = json_array_size(found);
	json_decref(found);
	if (n == 0) {
		json_t *none = json_array();
		int status = search_page(r, 200, NULL, q, none);
		json_decref(none);
		return status;
	}
	r->hctx = st;
	return req_write(r, search_log, search_then);
}

/* ---- one person ---------------------------------------------------------- */

/* Looks up the {code} of the route; 0 when found (st filled). */
static int find_person(struct req *r, struct people_state *st)
{
	const char *code = req_param(r, 0);
	if (!code || strlen(code) > 64)
		return -1;
	return participant_by_code(req_db(r), code, &st->id, st->code) == DB_ROW ? 0 : -1;
}

static int read_log(db *d, void *ctx)
{
	struct req *r = ctx;
	struct people_state *st = r->hctx;
	return log_one(d, r, st->action, st->id, st->code, st->detail);
}

static const char *action_label(struct req *r, const char *action)
{
	if (!strcmp(action, "view"))
		return T(r, "viewed");
	if (!strcmp(action, "export"))
		return T(r, "downloaded");
	if (!strcmp(action, "update"))
		return T(r, "changed");
	if (!strcmp(action, "delete"))
		return T(r, "erased");
	if (!strcmp(action, "create"))
		return T(r, "added");
	return action;
}

static void contact_form(struct req *r, const char *code, json_t *c)
{
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"");
	html_url(b, person_path(r, code, "/correct"));
	html_lit(b, "\">");
	page_csrf_field(r);
	page_text_field(r, "name", T(r, "Name"), NULL, "text", "off", jstr(c, "name"), 0);
	page_text_field(r, "address", T(r, "Address"), NULL, "text", "off", jstr(c, "address"), 0);
	page_text_field(r, "phone", T(r, "Phone"), NULL, "tel", "off", jstr(c, "phone"), 0);
	page_text_field(r, "email", T(r, "E-mail"), NULL, "email", "off", jstr(c, "email"), 0);
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Save changes"));
	html_lit(b, "</button></div></form>");
}

static void erase_form(struct req *r, const char *code)
{
	buf *b = &r->out;
	html_lit(b, "<h2 class=\"utrecht-heading-2\">");
	html_text(b, T(r, "Erase this person"));
	html_lit(b, "</h2><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "This removes the contact data and the consents. The access log keeps "
	                  "only the code. This cannot be undone."));
	html_lit(b, "</p><form class=\"vp-form\" method=\"post\" action=\"");
	html_url(b, person_path(r, code, "/erase"));
	html_lit(b, "\">");
	page_csrf_field(r);
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox\"><div "
	            "class=\"utrecht-form-field__input\"><input class=\"utrecht-checkbox "
	            "utrecht-checkbox--html-input\" type=\"checkbox\" id=\"confirm\" "
	            "name=\"confirm\" value=\"yes\"> <label class=\"utrecht-form-label "
	            "utrecht-form-label--checkbox\" for=\"confirm\">");
	html_text(b, T(r, "I know this cannot be undone"));
	html_lit(b, "</label></div></div><div class=\"utrecht-button-group\"><button "
	            "class=\"utrecht-button utrecht-button--secondary-action\" type=\"submit\">");
	html_text(b, T(r, "Erase"));
	html_lit(b, "</button></div></form>");
}

static int person_then(struct req *r)
{
	struct people_state *st = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	buf out;
	buf_init(&out);
	int rc = participant_export_json(req_db(r), r->app->vault, st->id, &out);
	json_t *ex = rc == DB_OK ? json_loadb(out.data, out.len, 0, NULL) : NULL;
	if (out.data)
		sodium_memzero(out.data, out.len);
	buf_free(&out);
	if (rc == DB_DONE)
		return web_error(r, 404, NULL);
	if (!ex)
		return web_error(r, 503, NULL);
	buf *b = &r->out;
	json_t *p = json_object_get(ex, "participant");
	json_t *c = json_object_get(p, "contact");
	char title[128];
	snprintf(title, sizeof title, "%s %s", T(r, "Person"), st->code);
	page_begin(r, title);
	heading(r, title);
	if (req_query(r, "saved"))
		page_alert(r, "ok", T(r, "The changes were saved."));
	if (json_is_true(json_object_get(p, "contact_error")))
		page_alert(r, "error", T(r, "The contact data cannot be opened with this key."));
	back_link(r, "/beheer/personen", T(r, "Search for another person"));

	html_lit(b, "<h2 class=\"utrecht-heading-2\">");
	html_text(b, T(r, "Download everything"));
	html_lit(b, "</h2><ul class=\"utrecht-unordered-list\"><li><a class=\"utrecht-link\" "
	            "href=\"");
	html_url(b, person_path(r, st->code, "/export?format=html"));
	html_lit(b, "\">");
	html_text(b, T(r, "Readable file (HTML)"));
	html_lit(b, "</a></li><li><a class=\"utrecht-link\" href=\"");
	html_url(b, person_path(r, st->code, "/export?format=json"));
	html_lit(b, "\">");
	html_text(b, T(r, "Data file (JSON)"));
	html_lit(b, "</a></li></ul>");

	html_lit(b, "<h2 class=\"utrecht-heading-2\">");
	html_text(b, T(r, "Contact data"));
	html_lit(b, "</h2><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Change what is wrong and save. An empty field removes that detail."));
	html_lit(b, "</p>");
	contact_form(r, st->code, c);

	html_lit(b, "<h2 class=\"utrecht-heading-2\">");
	html_text(b, T(r, "Consents"));
	html_lit(b, "</h2>");
	json_t *consents = json_object_get(ex, "consents");
	if (json_array_size(consents) == 0) {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "No consents are recorded."));
		html_lit(b, "</p>");
	} else {
		static const char *const heads[] = {N_("Purpose"), N_("Text version"), N_("Given"),
		                                    N_("Channel"), N_("Withdrawn")};
		table_head(r, T(r, "Consents"), heads, 5);
		size_t i;
		json_t *k;
		json_array_foreach(consents, i, k)
		{
			html_lit(b, "<tr class=\"utrecht-table__row\">");
			cell(r, jstr(k, "purpose"));
			cell(r, jstr(k, "text_version"));
			cell(r, jstr(k, "given_at"));
			cell(r, jstr(k, "channel"));
			const char *w = json_string_value(json_object_get(k, "withdrawn_at"));
			cell(r, w ? w : T(r, "no"));
			html_lit(b, "</tr>");
		}
		html_lit(b, "</tbody></table></div>");
	}

	html_lit(b, "<h2 class=\"utrecht-heading-2\">");
	html_text(b, T(r, "Who has seen this data"));
	html_lit(b, "</h2>");
	{
		static const char *const heads[] = {N_("When"), N_("Who"), N_("What"),
		                                    N_("From where")};
		table_head(r, T(r, "Access log about this person, newest first"), heads, 4);
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(ex, "access_log"), i, e)
		{
			html_lit(b, "<tr class=\"utrecht-table__row\">");
			cell(r, jstr(e, "at"));
			cell(r, jstr(e, "actor"));
			cell(r, action_label(r, jstr(e, "action")));
			cell(r, jstr(e, "origin"));
			html_lit(b, "</tr>");
		}
		html_lit(b, "</tbody></table></div>");
	}
	erase_form(r, st->code);
	page_end(r);
	json_decref(ex);
	return 200;
}

int page_person(struct req *r)
{
	struct people_state *st = arena_zalloc(r->a, sizeof *st);
	if (find_person(r, st))
		return web_error(r, 404, NULL);
	st->action = "view";
	r->hctx = st;
	return req_write(r, read_log, person_then);
}

/* ---- export -------------------------------------------------------------- */

static int export_then(struct req *r)
{
	struct people_state *st = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	buf out;
	buf_init(&out);
	int rc = participant_export_json(req_db(r), r->app->vault, st->id, &out);
	if (rc != DB_OK) {
		buf_free(&out);
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	}
	int html = strcmp(st->format, "html") == 0;
	size_t n = strlen(st->code) + 64;
	char *cd = arena_alloc(r->a, n);
	snprintf(cd, n, "attachment; filename=\"vertelpunt-%s.%s\"", st->code, st->format);
	req_set_header(r, "Content-Disposition", cd);
	if (!html)
		return req_json(r, 200, &out);
	json_t *ex = json_loadb(out.data, out.len, 0, NULL);
	sodium_memzero(out.data, out.len);
	buf_free(&out);
	if (!ex)
		return web_error(r, 503, NULL);
	buf_reset(&r->out);
	export_html(&r->out, ex, r->lang);
	json_decref(ex);
	r->resp_type = "text/html; charset=utf-8";
	return 200;
}

/* A GET that writes: the only change is the access-log entry, which is the
 * point (the download is logged before it is sent). */
int page_person_export(struct req *r)
{
	struct people_state *st = arena_zalloc(r->a, sizeof *st);
	const char *format = req_query(r, "format");
	if (!format)
		format = "json";
	if (strcmp(format, "json") && strcmp(format, "html"))
		return web_error(r, 400, N_("Choose the format json or html."));
	if (find_person(r, st))
		return web_error(r, 404, NULL);
	st->format = !strcmp(format, "html") ? "html" : "json";
	st->action = "export";
	st->detail = st->format;
	r->hctx = st;
	return req_write(r, read_log, export_then);
}

/* ---- correct ------------------------------------------------------------- */

static int correct_page(struct req *r, int status, const char *error, const char *code)
{
	page_begin(r, T(r, "Correct contact data"));
	heading(r, T(r, "Correct contact data"));
	page_alert(r, "error", error);
	/* The fields hold what was just typed, nothing that was stored. */
	json_t *c = json_object();
	static const char *const keys[] = {"name", "address", "phone", "email"};
	for (size_t i = 0; i < 4; i++)
		if (req_form(r, keys[i]))
			json_object_set_new(c, keys[i], json_string(req_form(r, keys[i])));
	contact_form(r, code, c);
	json_decref(c);
	back_link(r, person_path(r, code, ""), T(r, "Back to this person"));
	page_end(r);
	return status;
}

static int correct_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct people_state *st = r->hctx;
	int rc = participant_set_contact(d, r->app->vault, st->id, &st->c);
	return rc ? rc : log_one(d, r, "update", st->id, st->code, "contact");
}

static int correct_then(struct req *r)
{
	struct people_state *st = r->hctx;
	if (r->write_rc == DB_DONE)
		return web_error(r, 404, NULL);
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	return req_redirect(r, person_path(r, st->code, "?saved=1"));
}

int page_person_correct(struct req *r)
{
	struct people_state *st = arena_zalloc(r->a, sizeof *st);
	if (find_person(r, st))
		return web_error(r, 404, NULL);
	st->c = (struct contact){req_form(r, "name"), req_form(r, "address"), req_form(r, "phone"),
	                         req_form(r, "email")};
	const char *bad = contact_check(&st->c);
	if (bad)
		return correct_page(r, 422, T(r, bad), st->code);
	r->hctx = st;
	return req_write(r, correct_write, correct_then);
}

/* ---- erase --------------------------------------------------------------- */

static int erase_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct people_state *st = r->hctx;
	int rc = participant_erase(d, st->id);
	return rc ? rc : log_one(d, r, "delete", st->id, st->code, "erased on request");
}

static int erase_then(struct req *r)
{
	struct people_state *st = r->hctx;
	if (r->write_rc == DB_DONE)
		return web_error(r, 404, NULL);
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	page_begin(r, T(r, "The data was erased"));
	heading(r, T(r, "The data was erased"));
	html_lit(&r->out, "<p class=\"utrecht-paragraph\">");
	html_text(&r->out, T(r, "The contact data and consents of this person are gone. The "
	                        "access log keeps only the code:"));
	html_lit(&r->out, " <code class=\"utrecht-code\">");
	html_text(&r->out, st->code);
	html_lit(&r->out, "</code></p>");
	back_link(r, "/beheer/personen", T(r, "Search for another person"));
	page_end(r);
	return 200;
}

int page_person_erase(struct req *r)
{
	struct people_state *st = arena_zalloc(r->a, sizeof *st);
	if (find_person(r, st))
		return web_error(r, 404, NULL);
	const char *confirm = req_form(r, "confirm");
	if (!confirm || strcmp(confirm, "yes") != 0) {
		page_begin(r, T(r, "Erase this person"));
		heading(r, T(r, "Erase this person"));
		page_alert(r, "error",
		           T(r, "Nothing was erased. Tick the box to show you know this cannot be "
		                "undone."));
		back_link(r, person_path(r, st->code, ""), T(r, "Back to this person"));
		page_end(r);
		return 422;
	}
	r->hctx = st;
	return req_write(r, erase_write, erase_then);
}
