/* page_dialogue.c: dialogue tables: the series of sessions of a trajectory, a session with its registrations, support tasks and placement at tables, the facilitator's table view with the speaking-turn counter and notes, and the public registration form. */
#include "core/arena.h"
#include "core/clock.h"
#include "core/msg.h"
#include "core/ratelimit.h"
#include "core/util.h"
#include "http/routes.h"
#include "http/server.h"
#include "io/when.h"
#include "model/conversation_mail.h"
#include "model/dialogue.h"
#include "model/dialogue_agreement.h"
#include "model/dialogue_mail.h"
#include "model/script_library.h"
#include "model/trajectory.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/pages.h"
#include "web/question_form.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared bits --------------------------------------------------------- */

/* A path made with printf from numbers and literal parts, in the arena. */
__attribute__((format(printf, 2, 3))) static const char *path_f(struct req *r, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	return arena_strdup(r->a, tmp);
}

/* The route's trajectory id (checked by the dispatcher) and its second
 * parameter; 0 when that is not a number. */
static int64_t second_id(struct req *r, int64_t *tid)
{
	int64_t id = 0;
	util_parse_id(req_param(r, 0), tid);
	if (util_parse_id(req_param(r, 1), &id) != 0)
		return 0;
	return id;
}

/* Who may change the series: the roles of POST /trajecten/{id}/dialoog. */
static int may_change(struct req *r)
{
	return route_allows(r, "POST", "/trajecten/{id}/dialoog");
}

static void when_words(struct req *r, int64_t t, char *out, size_t n)
{
	when_text(t, r->lang, out, n);
}

/* "Monday 2 March 2026, 19:30 · 120 minutes · Stadhuis · online" */
static void session_facts(struct req *r, json_t *s)
{
	buf *b = &r->out;
	char when[80];
	when_words(r, page_jint(s, "starts_at"), when, sizeof when);
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, when);
	html_lit(b, " · ");
	html_int(b, page_jint(s, "minutes"));
	html_lit(b, " ");
	html_text(b, T(r, "minutes"));
	if (*page_jstr(s, "place")) {
		html_lit(b, " · ");
		html_text(b, page_jstr(s, "place"));
	}
	if (*page_jstr(s, "online_url")) {
		html_lit(b, " · <a class=\"utrecht-link\" href=\"");
		html_url(b, page_jstr(s, "online_url"));
		html_lit(b, "\">");
		html_text(b, T(r, "online meeting"));
		html_lit(b, "</a>");
	}
	html_lit(b, "</p>");
}

static void checkbox(struct req *r, const char *id, const char *name, const char *value,
                     const char *label, int checked)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox\"><div "
	            "class=\"utrecht-form-field__input\"><input class=\"utrecht-checkbox "
	            "utrecht-checkbox--html-input\" type=\"checkbox\" id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"");
	html_attr(b, name);
	html_lit(b, "\" value=\"");
	html_attr(b, value);
	html_lit(b, "\"");
	if (checked)
		html_lit(b, " checked");
	html_lit(b, "><label class=\"utrecht-form-label utrecht-form-label--checkbox\" for=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div></div>");
}

/* A number field; value NULL or what was typed. */
static void number_field(struct req *r, const char *id, const char *label, const char *value)
{
	page_text_field(r, id, label, NULL, "number", "off", value, 0);
}

static const char *status_text(struct req *r, json_t *g)
{
	const char *s = page_jstr(g, "status");
	if (strcmp(s, "registered") == 0)
		return T(r, "registered");
	if (strcmp(s, "waiting") == 0)
		return T(r, "on the waiting list");
	return T(r, "cancelled");
}

static const char *ok_message(struct req *r)
{
	const char *ok = req_query(r, "ok");
	static const struct {
		const char *key, *text;
	} oks[] = {
	        {"created", N_("The session was added, with four tables.")},
	        {"placed", N_("Everyone registered now has a table. Check the balance and move "
	                      "people where you see fit.")},
	        {"moved", N_("The person was moved to the other table.")},
	        {"cancelled", N_("The registration was cancelled.")},
	        {"promoted", N_("The registration was cancelled. The first person on the waiting "
	                        "list got the place and an e-mail.")},
	        {"support", N_("The support task was saved.")},
	        {"facilitator", N_("The facilitators of the table were changed.")},
	        {"note", N_("The note was saved.")},
	        {"turn", N_("The speaking turn was recorded.")},
	        {"evaluation",
	         N_("The evaluation is ready: hand out its link after each session.")},
	};
	for (size_t i = 0; ok && i < sizeof oks / sizeof oks[0]; i++)
		if (strcmp(ok, oks[i].key) == 0)
			return T(r, oks[i].text);
	return NULL;
}

/* The trajectory of the route ({id}); NULL after answering. */
static json_t *load_trajectory(struct req *r, int64_t tid, int *status)
{
	json_t *t = NULL;
	int rc = trajectory_get_json(req_db(r), r->app->org_id, tid, &t);
	if (rc != DB_ROW) {
		*status = web_error(r, rc == DB_DONE ? 404 : 503, NULL);
		return NULL;
	}
	return t;
}

/* ---- the series: /trajecten/{id}/dialoog ---------------------------------- */

static void new_session_form(struct req *r, int64_t tid)
{
	page_h2(r, "nieuw", T(r, "Add a session"));
	int posted = strcmp(r->method, "POST") == 0;
	page_form_open(r, path_f(r, "/trajecten/%lld/dialoog", (long long)tid));
	page_text_field(r, "title", T(r, "Title"), NULL, "text", "off",
	                posted ? req_form(r, "title") : NULL, FIELD_REQUIRED);
	page_text_field(r, "starts", T(r, "Starts at"), NULL, "datetime-local", "off",
	                posted ? req_form(r, "starts") : NULL, FIELD_REQUIRED);
	number_field(r, "minutes", T(r, "Minutes"), posted ? req_form(r, "minutes") : "120");
	page_text_field(r, "place", T(r, "Place (address of the room)"),
	                T(r, "Leave empty for a session that is only online."), "text", "off",
	                posted ? req_form(r, "place") : NULL, 0);
	page_text_field(r, "online_url", T(r, "Link of the online meeting"),
	                T(r, "Starts with https://. Leave empty for a session in a room only."),
	                "url", "off", posted ? req_form(r, "online_url") : NULL, 0);
	page_text_field(r, "closes", T(r, "Registration closes at"), NULL, "datetime-local", "off",
	                posted ? req_form(r, "closes") : NULL, FIELD_REQUIRED);
	number_field(r, "capacity", T(r, "Places"), posted ? req_form(r, "capacity") : "40");
	page_textarea_field(r, "agenda", T(r, "Agenda"), T(r, "One item a line."),
	                    posted ? req_form(r, "agenda") : NULL, 5, NULL);
	page_submit(r, T(r, "Add the session"), 1);
	html_lit(&r->out, "</form>");
}

static void session_card(struct req *r, int64_t tid, json_t *s)
{
	buf *b = &r->out;
	html_lit(b, "<section class=\"vp-card\"><h3 class=\"utrecht-heading-3\"><a "
	            "class=\"utrecht-link\" href=\"");
	html_attr(b, path_f(r, "/trajecten/%lld/dialoog/sessies/%lld", (long long)tid,
	                    page_jint(s, "id")));
	html_lit(b, "\">");
	html_text(b, T(r, "Session"));
	html_lit(b, " ");
	html_int(b, page_jint(s, "number"));
	html_lit(b, ": ");
	html_text(b, page_jstr(s, "title"));
	html_lit(b, "</a></h3>");
	session_facts(r, s);
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_int(b, page_jint(s, "registered"));
	html_lit(b, " / ");
	html_int(b, page_jint(s, "capacity"));
	html_lit(b, " ");
	html_text(b, T(r, "registered"));
	html_lit(b, " · ");
	html_int(b, page_jint(s, "waiting"));
	html_lit(b, " ");
	html_text(b, T(r, "on the waiting list"));
	html_lit(b, " · ");
	html_int(b, page_jint(s, "support_open"));
	html_lit(b, " ");
	html_text(b, T(r, "need help to join online"));
	html_lit(b, "</p><ul class=\"utrecht-unordered-list\">");
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(s, "tables"), i, t)
	{
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
		html_attr(b, path_f(r, "/trajecten/%lld/dialoog/tafels/%lld", (long long)tid,
		                    page_jint(t, "id")));
		html_lit(b, "\">");
		html_text(b, page_jstr(t, "name"));
		html_lit(b, "</a> (");
		html_int(b, page_jint(t, "seated"));
		html_lit(b, ")</li>");
	}
	html_lit(b, "</ul></section>");
}

/* The evaluation after each session: its link to hand out when there is
 * one; else, for who may change the series, the button that prepares it. */
static void evaluation_section(struct req *r, int64_t tid, int offer)
{
	int64_t cid = 0;
	char token[33] = "";
	int rc = dialogue_evaluation_find(req_db(r), tid, &cid, token);
	if (rc != DB_ROW && !offer)
		return;
	page_h2(r, "evaluatie", T(r, "Evaluation"));
	if (rc == DB_ROW) {
		page_para(r, NULL,
		          T(r, "At the end of each session, give the participants this link to "
		               "the evaluation (also on paper or by e-mail):"));
		const char *link = collection_link(r, token);
		html_lit(&r->out,
		         "<p class=\"utrecht-paragraph vp-link-text\"><a class=\"utrecht-link\" "
		         "href=\"");
		html_url(&r->out, link);
		html_lit(&r->out, "\">");
		html_text(&r->out, link);
		html_lit(&r->out, "</a></p>");
		page_link_para(r, path_f(r, "/verzamelingen/%lld", (long long)cid),
		               T(r, "The evaluation's collection: poster, flyer and the answers"));
		return;
	}
	page_para(r, NULL,
	          T(r, "Prepare the evaluation: the script \"How were the dialogue tables for "
	               "you?\" is installed from the library and a collection of this trajectory "
	               "is opened on it."));
	page_form_open(r, path_f(r, "/trajecten/%lld/dialoog/evaluatie", (long long)tid));
	page_hidden(r, "confirm", "yes");
	page_submit(r, T(r, "Prepare the evaluation"), 0);
	html_lit(&r->out, "</form>");
}

static int series_page(struct req *r, const char *error, int status)
{
	int64_t tid = 0;
	util_parse_id(req_param(r, 0), &tid);
	int st = 0;
	json_t *t = load_trajectory(r, tid, &st);
	if (!t)
		return st;
	json_t *sessions = NULL;
	if (dialogue_sessions_json(req_db(r), tid, &sessions) != DB_OK) {
		json_decref(t);
		json_decref(sessions);
		return web_error(r, 503, NULL);
	}
	page_begin(r, T(r, "Dialogue tables"));
	page_link_para(r, path_f(r, "/trajecten/%lld", (long long)tid), page_jstr(t, "title"));
	page_h1(r, T(r, "Dialogue tables"));
	if (error)
		page_alert(r, "error", error);
	else if (ok_message(r))
		page_alert(r, "ok", ok_message(r));
	page_para(r, "vp-lead",
	          T(r, "Residents register for the sessions through the public page. You place "
	               "them at tables, the facilitators lead the talk at each table, and the "
	               "tables' proposals become the agreements."));
	if (json_is_true(json_object_get(t, "published")) || page_jint(t, "published"))
		page_link_para(r, path_f(r, "/meedoen/%s/dialoog", page_jstr(t, "slug")),
		               T(r, "The public registration form"));
	page_link_para(r, path_f(r, "/trajecten/%lld/dialoog/afspraken", (long long)tid),
	               T(r, "Agreements"));
	page_h2(r, "sessies", T(r, "Sessions"));
	if (json_array_size(sessions) == 0)
		page_para(r, NULL, T(r, "No sessions yet."));
	size_t i;
	json_t *s;
	json_array_foreach(sessions, i, s) session_card(r, tid, s);
	evaluation_section(r, tid, may_change(r));
	if (may_change(r))
		new_session_form(r, tid);
	page_end(r);
	json_decref(sessions);
	json_decref(t);
	return status;
}

int page_dialogue(struct req *r)
{
	return series_page(r, NULL, 200);
}

struct session_job {
	struct dialogue_session_new n;
};

static int session_create_write(db *d, void *ctx)
{
	struct session_job *j = ((struct req *)ctx)->hctx;
	return dialogue_session_create_write(d, &j->n);
}

static int session_create_then(struct req *r)
{
	struct session_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	return req_redirect(r, path_f(r, "/trajecten/%lld/dialoog/sessies/%lld?ok=created",
	                              (long long)j->n.trajectory_id, (long long)j->n.id));
}

/* A whole number from a form field, -1 when it is not one. */
static int form_int(struct req *r, const char *name)
{
	int64_t v = 0;
	const char *s = page_form_trimmed(r, name);
	if (util_parse_i64(s, &v) != 0 || v < 0 || v > 100000)
		return -1;
	return (int)v;
}

int page_dialogue_session_create(struct req *r)
{
	struct session_job *j = arena_zalloc(r->a, sizeof *j);
	util_parse_id(req_param(r, 0), &j->n.trajectory_id);
	j->n.user_id = r->sess.user.id;
	j->n.title = page_form_trimmed(r, "title");
	j->n.place = page_form_trimmed(r, "place");
	j->n.online_url = page_form_trimmed(r, "online_url");
	j->n.agenda = req_form(r, "agenda") ? req_form(r, "agenda") : "";
	j->n.minutes = form_int(r, "minutes");
	j->n.capacity = form_int(r, "capacity");
	if (when_parse_local(page_form_trimmed(r, "starts"), &j->n.starts_at) != 0)
		return series_page(r, T(r, "Give the date and time the session starts."), 422);
	if (when_parse_local(page_form_trimmed(r, "closes"), &j->n.closes_at) != 0)
		return series_page(r, T(r, "Give the date and time registration closes."), 422);
	const char *bad = dialogue_session_check(&j->n, clock_now());
	if (bad)
		return series_page(r, T(r, bad), 422);
	r->hctx = j;
	return req_write(r, session_create_write, session_create_then);
}

struct evaluation_job {
	struct script_library_job lib;
	struct dialogue_evaluation_new e;
};

static int evaluation_write(db *d, void *ctx)
{
	struct evaluation_job *j = ((struct req *)ctx)->hctx;
	return dialogue_evaluation_write(d, &j->e);
}

static int evaluation_then(struct req *r)
{
	struct evaluation_job *j = r->hctx;
	/* the library's image (if any) stays only when its script was stored */
	if (r->write_rc != 0 || j->e.result != DIALOGUE_OK || !j->lib.save.script_id)
		script_library_abandon(&j->lib);
	script_library_done(&j->lib);
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->e.result != DIALOGUE_OK)
		return series_page(r,
		                   T(r, "The evaluation could not be prepared: the script could "
		                        "not be installed or published."),
		                   409);
	return req_redirect(r, path_f(r, "/trajecten/%lld/dialoog?ok=evaluation#evaluatie",
	                              (long long)j->e.trajectory_id));
}

int page_dialogue_evaluation(struct req *r)
{
	struct evaluation_job *j = arena_zalloc(r->a, sizeof *j);
	util_parse_id(req_param(r, 0), &j->e.trajectory_id);
	if (strcmp(page_form_trimmed(r, "confirm"), "yes") != 0)
		return series_page(r, T(r, "Use the button to prepare the evaluation."), 422);
	j->e.org_id = r->app->org_id;
	j->e.user_id = r->sess.user.id;
	int index = script_library_find(DIALOGUE_EVALUATION_KEY);
	char err[512];
	if (index >= 0) {
		j->lib.save.org_id = r->app->org_id;
		j->lib.save.user_id = r->sess.user.id;
		if (script_library_prepare(index, page_upload_dir(r), &j->lib, err, sizeof err) ==
		    0)
			j->e.lib = &j->lib;
	}
	r->hctx = j;
	return req_write(r, evaluation_write, evaluation_then);
}

/* ---- one session: registrations, support, placement ----------------------- */

struct session_view {
	int64_t tid, sid;
	json_t *s, *t;
	const char *error;
	int status;
};

static void staff_select(struct req *r, const char *id, const char *label, json_t *staff,
                         int64_t selected)
{
	size_t n = json_array_size(staff);
	const char **values = arena_alloc(r->a, (n + 1) * sizeof *values);
	const char **labels = arena_alloc(r->a, (n + 1) * sizeof *labels);
	const char *sel = NULL;
	size_t i;
	json_t *u;
	json_array_foreach(staff, i, u)
	{
		values[i] = path_f(r, "%lld", page_jint(u, "id"));
		labels[i] = page_jstr(u, "display_name");
		if (page_jint(u, "id") == selected)
			sel = values[i];
	}
	/* labels are names, not message ids: T() of a name is the name */
	page_select_field(r, id, label, values, labels, (int)n, sel);
}

static void tables_section(struct req *r, struct session_view *v, int change)
{
	buf *b = &r->out;
	page_h2(r, "tafels", T(r, "Tables"));
	json_t *imb = json_object_get(v->s, "imbalance");
	if (json_is_number(imb)) {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Balance over district and age group (0 is perfect; lower is "
		                  "better):"));
		html_lit(b, " <strong>");
		char num[32];
		snprintf(num, sizeof num, "%.1f", json_number_value(imb));
		html_text(b, num);
		html_lit(b, "</strong></p>");
	}
	page_table_wrap(r, T(r, "Tables"));
	html_lit(b, "<table class=\"utrecht-table\"><thead "
	            "class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\"><th "
	            "class=\"utrecht-table__header-cell\" scope=\"col\">");
	html_text(b, T(r, "Table"));
	html_lit(b, "</th><th class=\"utrecht-table__header-cell\" scope=\"col\">");
	html_text(b, T(r, "People"));
	html_lit(b, "</th><th class=\"utrecht-table__header-cell\" scope=\"col\">");
	html_text(b, T(r, "Balance"));
	html_lit(b, "</th><th class=\"utrecht-table__header-cell\" scope=\"col\">");
	html_text(b, T(r, "Facilitators"));
	html_lit(b, "</th></tr></thead><tbody class=\"utrecht-table__body\">");
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(v->s, "tables"), i, t)
	{
		html_lit(b, "<tr class=\"utrecht-table__row\"><td class=\"utrecht-table__cell\"><a "
		            "class=\"utrecht-link\" href=\"");
		html_attr(b, path_f(r, "/trajecten/%lld/dialoog/tafels/%lld", (long long)v->tid,
		                    page_jint(t, "id")));
		html_lit(b, "\">");
		html_text(b, page_jstr(t, "name"));
		html_lit(b, "</a></td><td class=\"utrecht-table__cell\">");
		html_int(b, page_jint(t, "seated"));
		html_lit(b, "</td><td class=\"utrecht-table__cell\">");
		json_t *ti = json_object_get(t, "imbalance");
		if (json_is_number(ti)) {
			char num[32];
			snprintf(num, sizeof num, "%.1f", json_number_value(ti));
			html_text(b, num);
		} else {
			html_text(b, "–");
		}
		html_lit(b, "</td><td class=\"utrecht-table__cell\">");
		size_t k;
		json_t *f;
		json_array_foreach(json_object_get(t, "facilitators"), k, f)
		{
			if (change) {
				page_form_open(
				        r,
				        path_f(r, "/trajecten/%lld/dialoog/tafels/%lld/begeleiders",
				               (long long)v->tid, page_jint(t, "id")));
				page_hidden(r, "action", "remove");
				page_hidden(r, "user", path_f(r, "%lld", page_jint(f, "id")));
				html_lit(b, "<span>");
				html_text(b, page_jstr(f, "display_name"));
				html_lit(b, "</span> <button class=\"utrecht-button "
				            "utrecht-button--subtle\" type=\"submit\">");
				html_text(b, T(r, "Take off"));
				html_lit(b, "</button></form>");
			} else {
				html_text(b, page_jstr(f, "display_name"));
				html_lit(b, "<br>");
			}
		}
		if (change) {
			page_form_open(r,
			               path_f(r, "/trajecten/%lld/dialoog/tafels/%lld/begeleiders",
			                      (long long)v->tid, page_jint(t, "id")));
			page_hidden(r, "action", "add");
			staff_select(r, path_f(r, "user-%lld", page_jint(t, "id")),
			             T(r, "Facilitator"), json_object_get(v->t, "staff"), 0);
			page_submit(r, T(r, "Add"), 0);
			html_lit(b, "</form>");
		}
		html_lit(b, "</td></tr>");
	}
	html_lit(b, "</tbody></table></div>");
	if (change) {
		page_form_open(r, path_f(r, "/trajecten/%lld/dialoog/sessies/%lld/indelen",
		                         (long long)v->tid, (long long)v->sid));
		page_para(r, NULL,
		          T(r,
		            "Place everyone who is registered at a table, balanced over district "
		            "and age group. A placement made before is replaced; afterwards you "
		            "can move people by hand."));
		page_submit(r, T(r, "Place everyone at tables"), 1);
		html_lit(b, "</form>");
	}
}

static void registration_row(struct req *r, struct session_view *v, json_t *g, int change)
{
	buf *b = &r->out;
	html_lit(b, "<tr class=\"utrecht-table__row\"><td class=\"utrecht-table__cell\">");
	json_t *name = json_object_get(g, "name");
	html_text(b, json_is_string(name) ? json_string_value(name) : T(r, "(cannot be opened)"));
	html_lit(b, "<br><small>");
	html_text(b, page_jstr(g, "participant_code"));
	html_lit(b, "</small></td><td class=\"utrecht-table__cell\">");
	html_text(b, json_string_value(json_object_get(g, "email"))
	                     ? json_string_value(json_object_get(g, "email"))
	                     : "");
	html_lit(b, "<br>");
	html_text(b, json_string_value(json_object_get(g, "phone"))
	                     ? json_string_value(json_object_get(g, "phone"))
	                     : "");
	html_lit(b, "</td><td class=\"utrecht-table__cell\">");
	html_text(b, page_jstr(g, "district"));
	html_lit(b, "<br>");
	html_text(b, page_jstr(g, "age_band"));
	html_lit(b, "</td><td class=\"utrecht-table__cell\">");
	html_text(b, page_jstr(g, "contribution"));
	if (*page_jstr(g, "access_needs")) {
		html_lit(b, "<br><strong>");
		html_text(b, T(r, "Needs:"));
		html_lit(b, "</strong> ");
		html_text(b, page_jstr(g, "access_needs"));
	}
	html_lit(b, "</td><td class=\"utrecht-table__cell\">");
	html_text(b, status_text(r, g));
	if (strcmp(page_jstr(g, "status"), "waiting") == 0) {
		html_lit(b, " (");
		html_int(b, page_jint(g, "wait_position"));
		html_lit(b, ")");
	}
	html_lit(b, "</td><td class=\"utrecht-table__cell\">");
	int registered = strcmp(page_jstr(g, "status"), "registered") == 0;
	const char *action = path_f(r, "/trajecten/%lld/dialoog/aanmeldingen/%lld",
	                            (long long)v->tid, page_jint(g, "id"));
	if (registered && change) {
		json_t *tables = json_object_get(v->s, "tables");
		size_t n = json_array_size(tables), i;
		const char **values = arena_alloc(r->a, (n + 1) * sizeof *values);
		const char **labels = arena_alloc(r->a, (n + 1) * sizeof *labels);
		const char *sel = NULL;
		json_t *t;
		json_array_foreach(tables, i, t)
		{
			values[i] = path_f(r, "%lld", page_jint(t, "id"));
			labels[i] = page_jstr(t, "name");
			if (page_jint(t, "id") == page_jint(g, "table_id"))
				sel = values[i];
		}
		page_form_open(r, action);
		page_hidden(r, "action", "move");
		page_select_field(r, path_f(r, "table-%lld", page_jint(g, "id")), T(r, "Table"),
		                  values, labels, (int)n, sel);
		page_submit(r, T(r, "Move"), 0);
		html_lit(b, "</form>");
	} else if (registered) {
		json_t *t;
		size_t i;
		json_array_foreach(json_object_get(v->s, "tables"), i, t)
		{
			if (page_jint(t, "id") == page_jint(g, "table_id"))
				html_text(b, page_jstr(t, "name"));
		}
	}
	if (change && strcmp(page_jstr(g, "status"), "cancelled") != 0) {
		page_form_open(r, action);
		page_hidden(r, "action", "cancel");
		page_submit(r, T(r, "Cancel registration"), 0);
		html_lit(b, "</form>");
	}
	html_lit(b, "</td></tr>");
}

static void registrations_section(struct req *r, struct session_view *v, int change)
{
	buf *b = &r->out;
	page_h2(r, "aanmeldingen", T(r, "Registrations"));
	json_t *regs = json_object_get(v->s, "registrations");
	if (json_array_size(regs) == 0) {
		page_para(r, NULL, T(r, "Nobody has registered yet."));
		return;
	}
	page_table_wrap(r, T(r, "Registrations"));
	html_lit(b, "<table class=\"utrecht-table\"><thead "
	            "class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">");
	const char *heads[] = {N_("Name"),         N_("Contact"), N_("District and age"),
	                       N_("Contribution"), N_("Status"),  N_("Table")};
	for (size_t i = 0; i < 6; i++) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, T(r, heads[i]));
		html_lit(b, "</th>");
	}
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
	size_t i;
	json_t *g;
	json_array_foreach(regs, i, g) registration_row(r, v, g, change);
	html_lit(b, "</tbody></table></div>");
}

static void support_section(struct req *r, struct session_view *v, int change)
{
	buf *b = &r->out;
	page_h2(r, "hulp", T(r, "Help to join online"));
	size_t i, n = 0;
	json_t *g;
	json_array_foreach(json_object_get(v->s, "registrations"), i, g)
	{
		if (!json_is_true(json_object_get(g, "needs_help")) ||
		    strcmp(page_jstr(g, "status"), "cancelled") == 0)
			continue;
		n++;
		html_lit(b, "<section class=\"vp-card\"><p class=\"utrecht-paragraph\"><strong>");
		json_t *name = json_object_get(g, "name");
		html_text(b, json_is_string(name) ? json_string_value(name)
		                                  : page_jstr(g, "participant_code"));
		html_lit(b, "</strong> · ");
		html_text(b, json_is_true(json_object_get(g, "support_done")) ? T(r, "done")
		                                                              : T(r, "to do"));
		html_lit(b, " · ");
		html_text(b, T(r, "contact person:"));
		html_lit(b, " ");
		html_text(b, *page_jstr(g, "support_name") ? page_jstr(g, "support_name")
		                                           : T(r, "nobody yet"));
		html_lit(b, "</p>");
		if (change) {
			page_form_open(r, path_f(r, "/trajecten/%lld/dialoog/aanmeldingen/%lld",
			                         (long long)v->tid, page_jint(g, "id")));
			page_hidden(r, "action", "support");
			staff_select(r, path_f(r, "support-%lld", page_jint(g, "id")),
			             T(r, "Contact person"), json_object_get(v->t, "staff"),
			             page_jint(g, "support_user_id"));
			checkbox(r, path_f(r, "done-%lld", page_jint(g, "id")), "done", "1",
			         T(r, "Helped: they can join online"),
			         json_is_true(json_object_get(g, "support_done")));
			page_submit(r, T(r, "Save"), 0);
			html_lit(b, "</form>");
		}
		html_lit(b, "</section>");
	}
	if (n == 0)
		page_para(r, NULL, T(r, "Nobody asked for help to join online."));
}

static int session_render(struct req *r)
{
	struct session_view *v = r->hctx;
	if (r->write_rc != 0) {
		json_decref(v->s);
		json_decref(v->t);
		return web_error(r, 503, NULL);
	}
	int change = may_change(r);
	char title[300];
	snprintf(title, sizeof title, "%s %lld: %s", T(r, "Session"), page_jint(v->s, "number"),
	         page_jstr(v->s, "title"));
	page_begin(r, title);
	page_link_para(r, path_f(r, "/trajecten/%lld/dialoog", (long long)v->tid),
	               T(r, "Dialogue tables"));
	page_h1(r, title);
	if (v->error)
		page_alert(r, "error", v->error);
	else if (ok_message(r))
		page_alert(r, "ok", ok_message(r));
	session_facts(r, v->s);
	char closes[80];
	when_words(r, page_jint(v->s, "closes_at"), closes, sizeof closes);
	html_lit(&r->out, "<p class=\"utrecht-paragraph\">");
	html_text(&r->out, T(r, "Registration closes:"));
	html_lit(&r->out, " ");
	html_text(&r->out, closes);
	html_lit(&r->out, " · ");
	html_int(&r->out, page_jint(v->s, "registered"));
	html_lit(&r->out, " / ");
	html_int(&r->out, page_jint(v->s, "capacity"));
	html_lit(&r->out, " ");
	html_text(&r->out, T(r, "registered"));
	html_lit(&r->out, "</p>");
	tables_section(r, v, change);
	registrations_section(r, v, change);
	support_section(r, v, change);
	page_end(r);
	json_decref(v->s);
	json_decref(v->t);
	return v->status;
}

/* Opening the page shows names and contact data: each registration shown
 * is logged in the access log first. */
static int session_log_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct session_view *v = r->hctx;
	return page_audit_views(d, r, json_object_get(v->s, "registrations"),
	                        "dialogue_registration");
}

static int session_show(struct req *r, int64_t tid, int64_t sid, const char *error, int status)
{
	struct session_view *v = arena_zalloc(r->a, sizeof *v);
	v->tid = tid;
	v->sid = sid;
	v->error = error;
	v->status = status;
	int st = 0;
	v->t = load_trajectory(r, tid, &st);
	if (!v->t)
		return st;
	int rc = sid ? dialogue_session_json(req_db(r), r->app->vault, tid, sid, &v->s) : DB_DONE;
	if (rc != DB_ROW) {
		json_decref(v->t);
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	}
	r->hctx = v;
	if (json_array_size(json_object_get(v->s, "registrations")) == 0) {
		r->write_rc = 0;
		return session_render(r);
	}
	return req_write(r, session_log_write, session_render);
}

int page_dialogue_session(struct req *r)
{
	int64_t tid = 0, sid = second_id(r, &tid);
	return session_show(r, tid, sid, NULL, 200);
}

struct change_job {
	int64_t tid, sid, tableid;
	struct dialogue_place_all pa;
	struct dialogue_cancel ca;
	struct dialogue_move mv;
	struct dialogue_support su;
	struct dialogue_facilitator fa;
	struct dialogue_turn tu;
	struct dialogue_note no;
	struct conversation_mail mail;
	int action; /* which of the above */
	int result;
};

enum { ACT_PLACE, ACT_CANCEL, ACT_MOVE, ACT_SUPPORT, ACT_FACILITATOR, ACT_TURN, ACT_NOTE };

static int change_write(db *d, void *ctx)
{
	struct change_job *j = ((struct req *)ctx)->hctx;
	int rc = DB_ERROR;
	switch (j->action) {
	case ACT_PLACE:
		rc = dialogue_place_all_write(d, &j->pa);
		j->result = j->pa.result;
		break;
	case ACT_CANCEL:
		rc = dialogue_cancel_write(d, &j->ca);
		j->result = j->ca.result;
		j->sid = j->ca.session_id;
		/* the person who gets the place hears it with the change */
		if (rc == DB_OK && j->ca.promoted_id)
			rc = dialogue_mail_promoted(d, &j->mail, j->ca.promoted_id, NULL);
		break;
	case ACT_MOVE:
		rc = dialogue_move_write(d, &j->mv);
		j->result = j->mv.result;
		break;
	case ACT_SUPPORT:
		rc = dialogue_support_write(d, &j->su);
		j->result = j->su.result;
		break;
	case ACT_FACILITATOR:
		rc = dialogue_facilitator_write(d, &j->fa);
		j->result = j->fa.result;
		break;
	case ACT_TURN:
		rc = dialogue_turn_write(d, &j->tu);
		j->result = j->tu.result;
		break;
	case ACT_NOTE:
		rc = dialogue_note_write(d, &j->no);
		j->result = j->no.result;
		break;
	}
	return rc;
}

static int session_change_then(struct req *r)
{
	struct change_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->result == DIALOGUE_NOT_FOUND)
		return web_error(r, 404, NULL);
	if (j->action == ACT_PLACE && j->result == DIALOGUE_NO_ROOM)
		return session_show(r, j->tid, j->sid,
		                    T(r, "The tables together have too few places for everyone "
		                         "registered."),
		                    409);
	if (j->action == ACT_CANCEL && j->result == DIALOGUE_CANCELLED)
		return session_show(r, j->tid, j->sid,
		                    T(r, "This registration was cancelled before."), 409);
	const char *ok = j->action == ACT_PLACE     ? "placed"
	                 : j->action == ACT_MOVE    ? "moved"
	                 : j->action == ACT_SUPPORT ? "support"
	                 : j->ca.promoted_id        ? "promoted"
	                                            : "cancelled";
	return req_redirect(r, path_f(r, "/trajecten/%lld/dialoog/sessies/%lld?ok=%s#%s",
	                              (long long)j->tid, (long long)j->sid, ok,
	                              j->action == ACT_SUPPORT ? "hulp"
	                              : j->action == ACT_PLACE ? "tafels"
	                                                       : "aanmeldingen"));
}

int page_dialogue_place(struct req *r)
{
	struct change_job *j = arena_zalloc(r->a, sizeof *j);
	j->sid = second_id(r, &j->tid);
	if (!j->sid)
		return web_error(r, 404, NULL);
	j->action = ACT_PLACE;
	j->pa.trajectory_id = j->tid;
	j->pa.session_id = j->sid;
	/* The same seed gives the same placement: the session's number unless
	 * the form asks for another draw. */
	int64_t seed = 0;
	j->pa.seed = util_parse_i64(page_form_trimmed(r, "seed"), &seed) == 0 ? (uint64_t)seed
	                                                                      : (uint64_t)j->sid;
	r->hctx = j;
	return req_write(r, change_write, session_change_then);
}

int page_dialogue_registration(struct req *r)
{
	struct change_job *j = arena_zalloc(r->a, sizeof *j);
	int64_t rid = second_id(r, &j->tid);
	if (!rid)
		return web_error(r, 404, NULL);
	int rc = dialogue_registration_session(req_db(r), j->tid, rid, &j->sid);
	if (rc != DB_ROW)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	const char *action = page_form_trimmed(r, "action");
	if (strcmp(action, "cancel") == 0) {
		j->action = ACT_CANCEL;
		j->ca = (struct dialogue_cancel){.trajectory_id = j->tid, .registration_id = rid};
		conversation_mail_for(r, &j->mail);
	} else if (strcmp(action, "move") == 0) {
		int64_t table = 0;
		if (util_parse_id(page_form_trimmed(r, path_f(r, "table-%lld", (long long)rid)),
		                  &table) != 0 &&
		    util_parse_id(page_form_trimmed(r, "table"), &table) != 0)
			return session_show(r, j->tid, j->sid, T(r, "Choose a table."), 422);
		j->action = ACT_MOVE;
		j->mv = (struct dialogue_move){
		        .trajectory_id = j->tid, .registration_id = rid, .table_id = table};
	} else if (strcmp(action, "support") == 0) {
		int64_t user = 0;
		const char *u = page_form_trimmed(r, path_f(r, "support-%lld", (long long)rid));
		if (!*u)
			u = page_form_trimmed(r, "user");
		if (*u && util_parse_id(u, &user) != 0)
			return session_show(r, j->tid, j->sid, T(r, "Choose a contact person."),
			                    422);
		j->action = ACT_SUPPORT;
		j->su = (struct dialogue_support){
		        .trajectory_id = j->tid,
		        .registration_id = rid,
		        .user_id = user,
		        .done = strcmp(page_form_trimmed(r, "done"), "1") == 0};
	} else {
		return session_show(r, j->tid, j->sid, T(r, "Unknown action."), 422);
	}
	r->hctx = j;
	return req_write(r, change_write, session_change_then);
}

/* ---- a table: facilitators and the facilitator's view ---------------------- */

/* Whether the signed-in user may act at the route's table: 0 when fine,
 * else the status already answered (404, 403 with the reason, 503). */
static int table_access(struct req *r, int64_t tid, int64_t tableid)
{
	int may = tableid ? dialogue_user_may_act(req_db(r), tid, tableid, &r->sess.user) : -1;
	if (may == -1)
		return web_error(r, 404, NULL);
	if (may < 0)
		return web_error(r, 503, NULL);
	if (may == 0)
		return web_error(
		        r, 403,
		        N_("You are not a facilitator at this table. Only its facilitators "
		           "and the responsible officials of the trajectory work here."));
	return 0;
}

static int table_change_then(struct req *r)
{
	struct change_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->result == DIALOGUE_NOT_FOUND)
		return web_error(r, 404, NULL);
	if (j->result == DIALOGUE_NOT_PLACED)
		return web_error(r, 409, N_("This person does not sit at this table."));
	if (j->action == ACT_FACILITATOR) {
		int64_t sid = 0;
		if (dialogue_table_session(req_db(r), j->tid, j->tableid, &sid) != DB_ROW)
			return web_error(r, 503, NULL);
		return req_redirect(
		        r, path_f(r, "/trajecten/%lld/dialoog/sessies/%lld?ok=facilitator#tafels",
		                  (long long)j->tid, (long long)sid));
	}
	return req_redirect(r, path_f(r, "/trajecten/%lld/dialoog/tafels/%lld?ok=%s#%s",
	                              (long long)j->tid, (long long)j->tableid,
	                              j->action == ACT_NOTE ? "note" : "turn",
	                              j->action == ACT_NOTE ? "notities" : "sprekers"));
}

int page_dialogue_facilitator(struct req *r)
{
	struct change_job *j = arena_zalloc(r->a, sizeof *j);
	j->tableid = second_id(r, &j->tid);
	int64_t user = 0;
	const char *u = page_form_trimmed(r, path_f(r, "user-%lld", (long long)j->tableid));
	if (!*u)
		u = page_form_trimmed(r, "user");
	const char *action = page_form_trimmed(r, "action");
	if (!j->tableid)
		return web_error(r, 404, NULL);
	if (util_parse_id(u, &user) != 0 ||
	    (strcmp(action, "add") != 0 && strcmp(action, "remove") != 0))
		return web_error(r, 422,
		                 N_("Choose a staff member of the trajectory to add or take "
		                    "off."));
	j->action = ACT_FACILITATOR;
	j->fa = (struct dialogue_facilitator){.trajectory_id = j->tid,
	                                      .table_id = j->tableid,
	                                      .user_id = user,
	                                      .add = strcmp(action, "add") == 0};
	r->hctx = j;
	return req_write(r, change_write, table_change_then);
}

int page_dialogue_turn(struct req *r)
{
	struct change_job *j = arena_zalloc(r->a, sizeof *j);
	j->tableid = second_id(r, &j->tid);
	int st = table_access(r, j->tid, j->tableid);
	if (st)
		return st;
	int64_t who = 0;
	const char *s = page_form_trimmed(r, "speaker");
	if (strcmp(s, "0") != 0 && util_parse_id(s, &who) != 0)
		return web_error(r, 422, N_("Choose who speaks."));
	j->action = ACT_TURN;
	j->tu = (struct dialogue_turn){.trajectory_id = j->tid,
	                               .table_id = j->tableid,
	                               .registration_id = who,
	                               .now = clock_now()};
	r->hctx = j;
	return req_write(r, change_write, table_change_then);
}

static int table_page(struct req *r, int64_t tid, int64_t tableid, const char *error, int status);

int page_dialogue_note(struct req *r)
{
	struct change_job *j = arena_zalloc(r->a, sizeof *j);
	j->tableid = second_id(r, &j->tid);
	int st = table_access(r, j->tid, j->tableid);
	if (st)
		return st;
	j->action = ACT_NOTE;
	j->no = (struct dialogue_note){.trajectory_id = j->tid,
	                               .table_id = j->tableid,
	                               .user_id = r->sess.user.id,
	                               .kind = page_form_trimmed(r, "kind"),
	                               .body = page_form_trimmed(r, "body")};
	const char *bad = dialogue_note_check(&j->no);
	if (bad)
		return table_page(r, j->tid, j->tableid, T(r, bad), 422);
	r->hctx = j;
	return req_write(r, change_write, table_change_then);
}

/* "12:05" (minutes:seconds) */
static void duration(buf *b, long long seconds)
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%lld:%02lld", seconds / 60, seconds % 60);
	html_text(b, tmp);
}

struct table_view {
	int64_t tid, tableid;
	json_t *tab, *audit;
	const char *error;
	int status;
};

static void speakers_section(struct req *r, struct table_view *v)
{
	buf *b = &r->out;
	json_t *tab = v->tab;
	page_h2(r, "sprekers", T(r, "Who is at the table"));
	page_para(r, NULL,
	          T(r, "Tap the person who speaks. The time runs until you tap someone else or "
	               "\"Nobody speaks\". Turns and time are kept, also when the page reloads."));
	long long speaking = page_jint(tab, "speaking");
	long long since = page_jint(tab, "speaking_since");
	long long now = (long long)clock_now();
	html_lit(b, "<ul class=\"vp-speakers\" data-now=\"");
	html_int(b, now);
	html_lit(b, "\">");
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(tab, "people"), i, p)
	{
		long long rid = page_jint(p, "registration_id");
		long long secs = page_jint(p, "seconds");
		int is = rid == speaking;
		html_lit(b, "<li class=\"vp-speaker");
		if (is)
			html_lit(b, " vp-speaker--speaking");
		html_lit(b, "\">");
		page_form_open(r, path_f(r, "/trajecten/%lld/dialoog/tafels/%lld/beurt",
		                         (long long)v->tid, (long long)v->tableid));
		page_hidden(r, "speaker", path_f(r, "%lld", rid));
		html_lit(b, "<button class=\"utrecht-button utrecht-button--secondary-action "
		            "vp-speaker__button\" type=\"submit\" aria-pressed=\"");
		if (is)
			html_lit(b, "true");
		else
			html_lit(b, "false");
		html_lit(b, "\"><span class=\"vp-speaker__name\">");
		json_t *name = json_object_get(p, "name");
		html_text(b, json_is_string(name) ? json_string_value(name)
		                                  : page_jstr(p, "participant_code"));
		html_lit(b, "</span> <span class=\"vp-speaker__count\">");
		html_int(b, page_jint(p, "turns"));
		html_lit(b, " ");
		html_text(b, T(r, "turns"));
		html_lit(b, " · <span class=\"vp-speaker__time\"");
		if (is) {
			html_lit(b, " data-since=\"");
			html_int(b, since);
			html_lit(b, "\" data-base=\"");
			html_int(b, secs - (now - since));
			html_lit(b, "\"");
		}
		html_lit(b, ">");
		duration(b, secs);
		html_lit(b, "</span></span>");
		if (is) {
			html_lit(b, " <strong class=\"vp-speaker__now\">");
			html_text(b, T(r, "speaking now"));
			html_lit(b, "</strong>");
		}
		html_lit(b, "</button></form>");
		if (*page_jstr(p, "contribution")) {
			html_lit(b, "<p class=\"utrecht-paragraph vp-speaker__needs\">");
			html_text(b, page_jstr(p, "contribution"));
			html_lit(b, "</p>");
		}
		if (*page_jstr(p, "access_needs")) {
			html_lit(b, "<p class=\"utrecht-paragraph vp-speaker__needs\">");
			html_text(b, T(r, "Needs:"));
			html_lit(b, " ");
			html_text(b, page_jstr(p, "access_needs"));
			html_lit(b, "</p>");
		}
		html_lit(b, "</li>");
	}
	html_lit(b, "</ul>");
	if (json_array_size(json_object_get(tab, "people")) == 0)
		page_para(r, NULL, T(r, "Nobody sits at this table yet."));
	page_form_open(r, path_f(r, "/trajecten/%lld/dialoog/tafels/%lld/beurt", (long long)v->tid,
	                         (long long)v->tableid));
	page_hidden(r, "speaker", "0");
	page_submit(r, T(r, "Nobody speaks"), 0);
	html_lit(b, "</form>");
}

static void notes_section(struct req *r, struct table_view *v)
{
	buf *b = &r->out;
	page_h2(r, "notities", T(r, "Notes and proposals"));
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(v->tab, "notes"), i, n)
	{
		html_lit(b, "<section class=\"vp-card\"><p class=\"utrecht-paragraph\"><strong>");
		html_text(b, strcmp(page_jstr(n, "kind"), "proposal") == 0 ? T(r, "Proposal")
		                                                           : T(r, "Note"));
		html_lit(b, "</strong> · ");
		html_text(b, page_jstr(n, "author"));
		html_lit(b, "</p>");
		script_paragraphs(r, page_jstr(n, "body"), NULL);
		html_lit(b, "</section>");
	}
	page_form_open(r, path_f(r, "/trajecten/%lld/dialoog/tafels/%lld/notities",
	                         (long long)v->tid, (long long)v->tableid));
	static const char *const kinds[] = {"note", "proposal"};
	static const char *const kind_labels[] = {N_("Note"), N_("Proposal for the agreements")};
	int posted = strcmp(r->method, "POST") == 0;
	page_select_field(r, "kind", T(r, "Kind"), kinds, kind_labels, 2,
	                  posted ? req_form(r, "kind") : NULL);
	page_textarea_field(r, "body", T(r, "Text"), NULL, posted ? req_form(r, "body") : NULL, 4,
	                    posted && v->error ? v->error : NULL);
	page_submit(r, T(r, "Save"), 1);
	html_lit(b, "</form>");
}

static int table_render(struct req *r)
{
	struct table_view *v = r->hctx;
	json_decref(v->audit);
	if (r->write_rc != 0) {
		json_decref(v->tab);
		return web_error(r, 503, NULL);
	}
	json_t *tab = v->tab, *s = json_object_get(tab, "session");
	buf *b = &r->out;
	page_begin(r, page_jstr(tab, "name"));
	page_link_para(r,
	               path_f(r, "/trajecten/%lld/dialoog/sessies/%lld", (long long)v->tid,
	                      page_jint(s, "id")),
	               path_f(r, "%s %lld: %s", T(r, "Session"), page_jint(s, "number"),
	                      page_jstr(s, "title")));
	page_h1(r, page_jstr(tab, "name"));
	if (v->error)
		page_alert(r, "error", v->error);
	else if (ok_message(r))
		page_alert(r, "ok", ok_message(r));
	session_facts(r, s);
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Facilitators:"));
	html_lit(b, " ");
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(tab, "facilitators"), i, f)
	{
		if (i)
			html_lit(b, ", ");
		html_text(b, page_jstr(f, "display_name"));
	}
	if (json_array_size(json_object_get(tab, "facilitators")) == 0)
		html_text(b, T(r, "none yet"));
	html_lit(b, "</p>");
	if (*page_jstr(s, "agenda")) {
		page_h2(r, "agenda", T(r, "Agenda"));
		html_lit(b, "<ol class=\"utrecht-ordered-list\">");
		const char *a = page_jstr(s, "agenda");
		while (*a) {
			size_t len = strcspn(a, "\r\n");
			if (len) {
				html_lit(b, "<li>");
				html_textn(b, a, len);
				html_lit(b, "</li>");
			}
			a += len;
			a += strspn(a, "\r\n");
		}
		html_lit(b, "</ol>");
	}
	speakers_section(r, v);
	notes_section(r, v);
	evaluation_section(r, v->tid, 0);
	question_form_script(b, "dialogue.js");
	page_end(r);
	json_decref(tab);
	return v->status;
}

/* The names shown are logged in the access log first. */
static int table_log_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct table_view *v = r->hctx;
	return page_audit_views(d, r, v->audit, "dialogue_registration");
}

static int table_page(struct req *r, int64_t tid, int64_t tableid, const char *error, int status)
{
	struct table_view *v = arena_zalloc(r->a, sizeof *v);
	v->tid = tid;
	v->tableid = tableid;
	v->error = error;
	v->status = status;
	int rc = dialogue_table_json(req_db(r), r->app->vault, tid, tableid, clock_now(), &v->tab);
	if (rc != DB_ROW)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	v->audit = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(v->tab, "people"), i, p) json_array_append_new(
	        v->audit, json_pack("{sI ss}", "id", (json_int_t)page_jint(p, "registration_id"),
	                            "participant_code", page_jstr(p, "participant_code")));
	r->hctx = v;
	if (json_array_size(v->audit) == 0) {
		r->write_rc = 0;
		return table_render(r);
	}
	return req_write(r, table_log_write, table_render);
}

int page_dialogue_table(struct req *r)
{
	int64_t tid = 0, tableid = second_id(r, &tid);
	int st = table_access(r, tid, tableid);
	if (st)
		return st;
	return table_page(r, tid, tableid, NULL, 200);
}

/* ---- the public registration form: /meedoen/{slug}/dialoog ----------------- */

struct public_form {
	const char *name, *email, *phone, *contribution, *access_needs, *district, *age_band;
	int needs_help;
	const char *error;
};

static void age_select(struct req *r, const char *selected)
{
	const char *values[8], *labels[8];
	values[0] = "";
	labels[0] = N_("I would rather not say");
	int n = 1;
	for (int i = 0; dialogue_age_bands[i]; i++, n++)
		values[n] = labels[n] = dialogue_age_bands[i];
	page_select_field(r, "age_band", T(r, "Age group"), values, labels, n, selected);
}

static int public_form_page(struct req *r, const struct public_form *pf, int status)
{
	json_t *o = NULL;
	int rc = trajectory_public_json(req_db(r), req_param(r, 0), &o);
	if (rc != DB_ROW)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	json_t *open = NULL;
	if (dialogue_open_sessions_json(req_db(r), page_jint(o, "id"), clock_now(), &open) !=
	    DB_OK) {
		json_decref(o);
		json_decref(open);
		return web_error(r, 503, NULL);
	}
	buf *b = &r->out;
	page_begin(r, T(r, "Take part in the dialogue tables"));
	page_link_para(r, path_f(r, "/meedoen/%s", page_jstr(o, "slug")), page_jstr(o, "title"));
	page_h1(r, T(r, "Take part in the dialogue tables"));
	if (pf && pf->error)
		page_alert(r, "error", pf->error);
	page_para(r, "vp-lead",
	          T(r, "At a dialogue table, residents, the council and civil servants talk as "
	               "equals. A facilitator guards that everyone is heard. Together we work "
	               "towards agreements."));
	if (json_array_size(open) == 0) {
		page_alert(r, "info",
		           T(r, "You can no longer register: registration has closed for every "
		                "session."));
		json_decref(open);
		json_decref(o);
		page_end(r);
		return status;
	}
	page_form_open(r, path_f(r, "/meedoen/%s/dialoog", page_jstr(o, "slug")));
	html_lit(b, "<fieldset class=\"utrecht-form-fieldset\"><legend "
	            "class=\"utrecht-form-fieldset__legend "
	            "utrecht-form-fieldset__legend--html-legend\">");
	html_text(b, T(r, "Which sessions do you come to?"));
	html_lit(b, "</legend>");
	size_t i;
	json_t *s;
	int posted = strcmp(r->method, "POST") == 0;
	json_array_foreach(open, i, s)
	{
		char when[80];
		when_words(r, page_jint(s, "starts_at"), when, sizeof when);
		const char *field = path_f(r, "session-%lld", page_jint(s, "id"));
		const char *label = path_f(
		        r, "%s %lld: %s (%s%s%s)%s", T(r, "Session"), page_jint(s, "number"),
		        page_jstr(s, "title"), when, *page_jstr(s, "online_url") ? ", " : "",
		        *page_jstr(s, "online_url") ? T(r, "online") : "",
		        json_is_true(json_object_get(s, "full"))
		                ? path_f(r, " – %s", T(r, "full: you go on the waiting list"))
		                : "");
		checkbox(r, field, field, "1", label,
		         posted ? strcmp(page_form_trimmed(r, field), "1") == 0 : 1);
	}
	html_lit(b, "</fieldset>");
	page_text_field(r, "name", T(r, "Your name"), NULL, "text", "name", pf ? pf->name : NULL,
	                FIELD_REQUIRED);
	page_text_field(r, "email", T(r, "E-mail address"),
	                T(r, "We send the invitation for your calendar here. No e-mail? Give your "
	                     "phone number."),
	                "email", "email", pf ? pf->email : NULL, 0);
	page_text_field(r, "phone", T(r, "Phone number"), NULL, "tel", "tel", pf ? pf->phone : NULL,
	                0);
	page_textarea_field(r, "contribution", T(r, "What would you like to contribute?"),
	                    T(r, "For example your experience, an idea or a question."),
	                    pf ? pf->contribution : NULL, 4, NULL);
	page_textarea_field(r, "access_needs", T(r, "What do you need to take part? (optional)"),
	                    T(r, "For example a room without steps, a hearing loop or large "
	                         "letters. You do not need to tell us why."),
	                    pf ? pf->access_needs : NULL, 3, NULL);
	checkbox(r, "needs_help", "needs_help", "1",
	         T(r, "I need help to join online. Someone of the municipality will contact me."),
	         pf && pf->needs_help);
	page_para(r, NULL,
	          T(r, "To make every table a good mix of people, we ask two more things. You do "
	               "not have to answer them."));
	page_text_field(r, "district", T(r, "Your district or village (optional)"), NULL, "text",
	                "off", pf ? pf->district : NULL, 0);
	age_select(r, pf ? pf->age_band : NULL);
	page_para(r, NULL,
	          T(r, "Only the team of this trajectory sees your details. We use them only for "
	               "the dialogue tables, and keep your name and contact details encrypted."));
	page_submit(r, T(r, "Register"), 1);
	html_lit(b, "</form>");
	page_end(r);
	json_decref(open);
	json_decref(o);
	return status;
}

int page_participate_dialogue(struct req *r)
{
	return public_form_page(r, NULL, 200);
}

enum { PUBLIC_SESSIONS_MAX = 12 };

struct register_job {
	struct public_form pf;
	struct dialogue_registration_new g[PUBLIC_SESSIONS_MAX];
	json_t *sessions; /* the open sessions chosen, in order */
	int n;
	const char *slug;
	struct conversation_mail mail;
};

static int register_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct register_job *j = r->hctx;
	int64_t pid = 0;
	for (int i = 0; i < j->n; i++) {
		j->g[i].participant_id = pid;
		int rc = dialogue_register_write(d, &j->g[i]);
		if (rc != DB_OK)
			return rc;
		if (j->g[i].result != DIALOGUE_OK)
			continue;
		if (!pid) {
			pid = j->g[i].participant_id;
			rc = page_audit_one(d, r, "create", "dialogue_registration", j->g[i].id,
			                    j->g[i].code);
			if (rc != DB_OK)
				return rc;
		}
		rc = dialogue_mail_registration(d, &j->mail, j->g[i].id, NULL);
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

static int register_then(struct req *r)
{
	struct register_job *j = r->hctx;
	if (r->write_rc != 0) {
		json_decref(j->sessions);
		return web_error(r, 503, NULL);
	}
	int closed = 0, done = 0;
	for (int i = 0; i < j->n; i++) {
		closed += j->g[i].result == DIALOGUE_CLOSED;
		done += j->g[i].result == DIALOGUE_OK;
	}
	if (done == 0) {
		json_decref(j->sessions);
		j->pf.error = closed ? T(r, "Registration has closed for the sessions you chose. "
		                            "Nothing was stored.")
		                     : T(r, "Choose at least one session.");
		return public_form_page(r, &j->pf, closed ? 409 : 422);
	}
	buf *b = &r->out;
	page_begin(r, T(r, "You are registered"));
	page_h1(r, T(r, "Thank you for registering"));
	html_lit(b, "<ul class=\"utrecht-unordered-list\">");
	for (int i = 0; i < j->n; i++) {
		json_t *s = json_array_get(j->sessions, (size_t)i);
		char when[80];
		when_words(r, page_jint(s, "starts_at"), when, sizeof when);
		html_lit(b, "<li>");
		html_text(b, T(r, "Session"));
		html_lit(b, " ");
		html_int(b, page_jint(s, "number"));
		html_lit(b, ": ");
		html_text(b, page_jstr(s, "title"));
		html_lit(b, " (");
		html_text(b, when);
		html_lit(b, "): <strong>");
		if (j->g[i].result == DIALOGUE_CLOSED)
			html_text(b, T(r, "registration has closed"));
		else if (j->g[i].waiting) {
			html_text(b, T(r, "on the waiting list, place"));
			html_lit(b, " ");
			html_int(b, j->g[i].wait_position);
		} else
			html_text(b, T(r, "you are registered"));
		html_lit(b, "</strong></li>");
	}
	html_lit(b, "</ul>");
	page_para(r, NULL,
	          *j->pf.email ? T(r, "We sent you an e-mail with the details and an invitation "
	                              "for your calendar. Before each session you get a reminder.")
	                       : T(r, "We will call you with the details."));
	if (j->pf.needs_help)
		page_para(r, NULL,
		          T(r,
		            "You asked for help to join online. Someone of the municipality will "
		            "contact you before the session."));
	page_link_para(r, path_f(r, "/meedoen/%s", j->slug),
	               T(r, "Back to the page of the trajectory"));
	page_end(r);
	json_decref(j->sessions);
	return 201;
}

int page_participate_dialogue_register(struct req *r)
{
	/* Sending counts against the same per-address limit as stories and
	 * codes, so the form cannot be used to flood the lists. */
	int wait = 0;
	if (r->app->rl_story_ip &&
	    !ratelimit_take(r->app->rl_story_ip, r->ip, clock_mono_us() / 1000, &wait)) {
		char *v = arena_alloc(r->a, 16);
		snprintf(v, 16, "%d", wait > 0 ? wait : 1);
		req_set_header(r, "Retry-After", v);
		return web_error(r, 429,
		                 N_("Too many attempts. Please wait a while and try again."));
	}
	json_t *o = NULL;
	int rc = trajectory_public_json(req_db(r), req_param(r, 0), &o);
	if (rc != DB_ROW)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	struct register_job *j = arena_zalloc(r->a, sizeof *j);
	j->slug = arena_strdup(r->a, page_jstr(o, "slug"));
	int64_t tid = page_jint(o, "id");
	json_decref(o);
	struct public_form *pf = &j->pf;
	pf->name = page_form_trimmed(r, "name");
	pf->email = page_form_trimmed(r, "email");
	pf->phone = page_form_trimmed(r, "phone");
	pf->contribution = page_form_trimmed(r, "contribution");
	pf->access_needs = page_form_trimmed(r, "access_needs");
	pf->district = page_form_trimmed(r, "district");
	pf->age_band = page_form_trimmed(r, "age_band");
	pf->needs_help = strcmp(page_form_trimmed(r, "needs_help"), "1") == 0;
	/* Every session of the trajectory ticked on the form, also one that
	 * closed while the form was open: the write says it closed. */
	json_t *all = NULL;
	if (dialogue_sessions_json(req_db(r), tid, &all) != DB_OK) {
		json_decref(all);
		return web_error(r, 503, NULL);
	}
	j->sessions = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(all, i, s)
	{
		const char *field = path_f(r, "session-%lld", page_jint(s, "id"));
		if (strcmp(page_form_trimmed(r, field), "1") != 0 || j->n >= PUBLIC_SESSIONS_MAX)
			continue;
		json_array_append(j->sessions, s);
		j->g[j->n] = (struct dialogue_registration_new){.v = r->app->vault,
		                                                .trajectory_id = tid,
		                                                .session_id = page_jint(s, "id"),
		                                                .name = pf->name,
		                                                .email = pf->email,
		                                                .phone = pf->phone,
		                                                .contribution = pf->contribution,
		                                                .access_needs = pf->access_needs,
		                                                .district = pf->district,
		                                                .age_band = pf->age_band,
		                                                .needs_help = pf->needs_help,
		                                                .now = clock_now()};
		j->n++;
	}
	json_decref(all);
	const char *bad = j->n == 0 ? N_("Choose at least one session.")
	                            : dialogue_registration_check(&j->g[0]);
	if (bad) {
		json_decref(j->sessions);
		pf->error = T(r, bad);
		return public_form_page(r, pf, 422);
	}
	conversation_mail_for(r, &j->mail);
	r->hctx = j;
	return req_write(r, register_write, register_then);
}

/* ---- agreements: /trajecten/{id}/dialoog/afspraken ------------------------ */

static const char *agreement_status_text(struct req *r, const char *status)
{
	static const char *const labels[5] = {
	        N_("draft"), N_("presented to the council"), N_("adopted by the council"),
	        N_("adopted by the council with changes"), N_("rejected by the council")};
	for (int i = 0; i < 5; i++)
		if (strcmp(status, agreement_statuses[i]) == 0)
			return T(r, labels[i]);
	return status;
}

/* The numbered list, with the source tables of each agreement when
 * sources is set. */
static void agreements_list(struct req *r, json_t *set, int sources)
{
	buf *b = &r->out;
	html_lit(b, "<ol class=\"utrecht-ordered-list vp-agreements\">");
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(set, "agreements"), i, a)
	{
		html_lit(b, "<li>");
		html_text(b, page_jstr(a, "text"));
		json_t *src = json_object_get(a, "sources");
		if (sources && json_array_size(src) > 0) {
			html_lit(b, "<br><small>");
			html_text(b, T(r, "From:"));
			size_t k;
			json_t *t;
			json_array_foreach(src, k, t)
			{
				html_text(b, k ? "; " : " ");
				html_text(b, T(r, "session"));
				html_lit(b, " ");
				html_int(b, page_jint(t, "session_number"));
				html_lit(b, ", ");
				html_text(b, page_jstr(t, "name"));
			}
			html_lit(b, "</small>");
		}
		html_lit(b, "</li>");
	}
	html_lit(b, "</ol>");
}

static void diff_section(struct req *r, int64_t tid, int from, int to)
{
	json_t *a = NULL, *c = NULL;
	if (agreement_get_json(req_db(r), tid, from, &a) != DB_ROW ||
	    agreement_get_json(req_db(r), tid, to, &c) != DB_ROW) {
		json_decref(a);
		json_decref(c);
		page_alert(r, "error", T(r, "One of these versions does not exist."));
		return;
	}
	buf *b = &r->out;
	page_h2(r, "verschil", path_f(r, "%s %d → %d", T(r, "Changes between versions"), from, to));
	json_t *d = agreement_diff(page_jstr(a, "body"), page_jstr(c, "body"));
	html_lit(b, "<ul class=\"vp-diff\">");
	size_t i;
	json_t *o;
	json_array_foreach(d, i, o)
	{
		const char *op = page_jstr(o, "op");
		if (strcmp(op, "add") == 0) {
			html_lit(b, "<li class=\"vp-diff__add\"><ins>");
			html_text(b, T(r, "Added:"));
			html_lit(b, " ");
			html_text(b, page_jstr(o, "text"));
			html_lit(b, "</ins></li>");
		} else if (strcmp(op, "del") == 0) {
			html_lit(b, "<li class=\"vp-diff__del\"><del>");
			html_text(b, T(r, "Removed:"));
			html_lit(b, " ");
			html_text(b, page_jstr(o, "text"));
			html_lit(b, "</del></li>");
		} else {
			html_lit(b, "<li class=\"vp-diff__same\">");
			html_text(b, page_jstr(o, "text"));
			html_lit(b, "</li>");
		}
	}
	html_lit(b, "</ul>");
	json_decref(d);
	json_decref(a);
	json_decref(c);
}

/* The tables that may be named as a source: every table of the
 * trajectory's sessions. */
static json_t *all_tables(struct req *r, int64_t tid)
{
	json_t *sessions = NULL, *out = json_array();
	if (dialogue_sessions_json(req_db(r), tid, &sessions) == DB_OK) {
		size_t i, k;
		json_t *s, *t;
		json_array_foreach(sessions, i, s)
		        json_array_foreach(json_object_get(s, "tables"), k, t)
		{
			json_array_append_new(out, json_pack("{sI ss sI}", "id",
			                                     (json_int_t)page_jint(t, "id"), "name",
			                                     page_jstr(t, "name"), "session_number",
			                                     (json_int_t)page_jint(s, "number")));
		}
	}
	json_decref(sessions);
	return out;
}

static int has_source(json_t *a, int64_t table_id)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(a, "sources"), i,
	                   t) if (page_jint(t, "id") == table_id) return 1;
	return 0;
}

static void agreements_form(struct req *r, int64_t tid, json_t *set, int base, int posted)
{
	buf *b = &r->out;
	page_h2(r, "bewerken", T(r, "Write the agreements"));
	page_para(r, NULL,
	          T(r,
	            "One agreement a field, in order; empty fields are left out. Tick the tables "
	            "each agreement came from. Saving makes a new version; the old ones stay."));
	page_form_open(r, path_f(r, "/trajecten/%lld/dialoog/afspraken", (long long)tid));
	page_hidden(r, "base", path_f(r, "%d", base));
	json_t *tables = all_tables(r, tid);
	json_t *list = json_object_get(set, "agreements");
	size_t rows = json_array_size(list) + 3;
	if (rows > AGREEMENTS_MAX)
		rows = AGREEMENTS_MAX;
	for (size_t i = 0; i < rows; i++) {
		json_t *a = json_array_get(list, i);
		const char *field = path_f(r, "agreement-%zu", i + 1);
		const char *value = posted ? req_form(r, field) : a ? page_jstr(a, "text") : NULL;
		html_lit(b, "<fieldset class=\"utrecht-form-fieldset vp-agreement-row\"><legend "
		            "class=\"utrecht-form-fieldset__legend "
		            "utrecht-form-fieldset__legend--html-legend\">");
		html_text(b, T(r, "Agreement"));
		html_lit(b, " ");
		html_int(b, (long long)i + 1);
		html_lit(b, "</legend>");
		page_text_field(r, field, T(r, "Text"), NULL, "text", "off", value, 0);
		size_t k;
		json_t *t;
		json_array_foreach(tables, k, t)
		{
			const char *sf = path_f(r, "source-%zu-%lld", i + 1, page_jint(t, "id"));
			int ticked = posted ? strcmp(page_form_trimmed(r, sf), "1") == 0
			                    : a && has_source(a, page_jint(t, "id"));
			checkbox(r, sf, sf, "1",
			         path_f(r, "%s %lld, %s", T(r, "session"),
			                page_jint(t, "session_number"), page_jstr(t, "name")),
			         ticked);
		}
		html_lit(b, "</fieldset>");
	}
	json_decref(tables);
	page_submit(r, T(r, "Save as a new version"), 1);
	html_lit(b, "</form>");
}

static void status_form(struct req *r, int64_t tid, json_t *set)
{
	page_h2(r, "raad", T(r, "The council"));
	page_form_open(r, path_f(r, "/trajecten/%lld/dialoog/afspraken/status", (long long)tid));
	static const char *const labels[5] = {
	        N_("draft"), N_("presented to the council"), N_("adopted by the council"),
	        N_("adopted by the council with changes"), N_("rejected by the council")};
	page_select_field(r, "status", T(r, "Status of the agreements"), agreement_statuses, labels,
	                  5, page_jstr(set, "status"));
	page_textarea_field(r, "decision", T(r, "The council's decision"),
	                    T(r, "Needed for adopted with changes and for rejected. Shown on the "
	                         "public page."),
	                    page_jstr(set, "decision"), 4, NULL);
	page_submit(r, T(r, "Save the status"), 0);
	html_lit(&r->out, "</form>");
}

static int agreements_page(struct req *r, int64_t tid, const char *error, int status)
{
	int st = 0;
	json_t *t = load_trajectory(r, tid, &st);
	if (!t)
		return st;
	int64_t want = 0;
	const char *vq = req_query(r, "versie");
	if (vq && util_parse_id(vq, &want) != 0)
		want = -1;
	json_t *set = NULL;
	int rc = want < 0 ? DB_DONE : agreement_get_json(req_db(r), tid, (int)want, &set);
	if (rc < 0) {
		json_decref(t);
		return web_error(r, 503, NULL);
	}
	if (rc == DB_DONE && want != 0) {
		json_decref(t);
		return web_error(r, 404, NULL);
	}
	json_t *proposals = NULL;
	if (agreement_proposals_json(req_db(r), tid, &proposals) != DB_OK) {
		json_decref(t);
		json_decref(set);
		json_decref(proposals);
		return web_error(r, 503, NULL);
	}
	buf *b = &r->out;
	int change = may_change(r);
	page_begin(r, T(r, "Agreements"));
	page_link_para(r, path_f(r, "/trajecten/%lld/dialoog", (long long)tid),
	               T(r, "Dialogue tables"));
	page_h1(r, T(r, "Agreements"));
	if (error)
		page_alert(r, "error", error);
	else if (req_query(r, "ok"))
		page_alert(r, "ok",
		           strcmp(req_query(r, "ok"), "status") == 0
		                   ? T(r, "The status was saved.")
		                   : T(r, "The agreements were saved as a new version."));
	int latest = set ? (int)page_jint(set, "latest") : 0;
	if (!set) {
		page_para(r, NULL,
		          T(r, "No agreements yet. Write them from the tables' proposals."));
	} else {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Version"));
		html_lit(b, " ");
		html_int(b, page_jint(set, "version"));
		html_lit(b, " / ");
		html_int(b, latest);
		html_lit(b, " · ");
		html_text(b, agreement_status_text(r, page_jstr(set, "status")));
		html_lit(b, "</p>");
		agreements_list(r, set, 1);
		if (*page_jstr(set, "decision")) {
			html_lit(b, "<p class=\"utrecht-paragraph\"><strong>");
			html_text(b, T(r, "The council's decision:"));
			html_lit(b, "</strong></p>");
			script_paragraphs(r, page_jstr(set, "decision"), NULL);
		}
	}
	const char *from = req_query(r, "van"), *to = req_query(r, "naar");
	int64_t f = 0, tt = 0;
	if (from && to && util_parse_id(from, &f) == 0 && util_parse_id(to, &tt) == 0)
		diff_section(r, tid, (int)f, (int)tt);
	if (set) {
		page_h2(r, "versies", T(r, "Versions"));
		html_lit(b, "<ul class=\"utrecht-unordered-list\">");
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(set, "versions"), i, v)
		{
			long long n = page_jint(v, "version");
			char when[80];
			when_words(r, page_jint(v, "created_at"), when, sizeof when);
			html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
			html_attr(b, path_f(r, "/trajecten/%lld/dialoog/afspraken?versie=%lld",
			                    (long long)tid, n));
			html_lit(b, "\">");
			html_text(b, T(r, "Version"));
			html_lit(b, " ");
			html_int(b, n);
			html_lit(b, "</a> · ");
			html_text(b, when);
			html_lit(b, " · ");
			html_text(b, page_jstr(v, "author"));
			if (n > 1) {
				html_lit(b, " · <a class=\"utrecht-link\" href=\"");
				html_attr(b, path_f(r,
				                    "/trajecten/%lld/dialoog/"
				                    "afspraken?van=%lld&naar=%lld#verschil",
				                    (long long)tid, n - 1, n));
				html_lit(b, "\">");
				html_text(b, T(r, "what changed"));
				html_lit(b, "</a>");
			}
			html_lit(b, "</li>");
		}
		html_lit(b, "</ul>");
	}
	page_h2(r, "voorstellen", T(r, "Proposals of the tables"));
	if (json_array_size(proposals) == 0)
		page_para(r, NULL, T(r, "The tables have not written proposals yet."));
	size_t i;
	json_t *p;
	json_array_foreach(proposals, i, p)
	{
		html_lit(b, "<section class=\"vp-card\"><p class=\"utrecht-paragraph\"><strong>");
		html_text(b, T(r, "session"));
		html_lit(b, " ");
		html_int(b, page_jint(p, "session_number"));
		html_lit(b, ", ");
		html_text(b, page_jstr(p, "table"));
		html_lit(b, "</strong></p>");
		script_paragraphs(r, page_jstr(p, "body"), NULL);
		html_lit(b, "</section>");
	}
	if (change) {
		/* after a conflict: the newest version as the base, the typed text kept */
		json_t *newest = NULL;
		if (set && page_jint(set, "version") != latest)
			agreement_get_json(req_db(r), tid, 0, &newest);
		agreements_form(r, tid, newest ? newest : set, latest,
		                strcmp(r->method, "POST") == 0 && error);
		json_decref(newest);
		if (set)
			status_form(r, tid, set);
	}
	page_end(r);
	json_decref(proposals);
	json_decref(set);
	json_decref(t);
	return status;
}

int page_dialogue_agreements(struct req *r)
{
	int64_t tid = 0;
	util_parse_id(req_param(r, 0), &tid);
	return agreements_page(r, tid, NULL, 200);
}

struct agreement_job {
	int64_t tid;
	struct agreement_save save;
	struct agreement_status_set st;
	int is_status;
};

static int agreement_write(db *d, void *ctx)
{
	struct agreement_job *j = ((struct req *)ctx)->hctx;
	return j->is_status ? agreement_status_write(d, &j->st) : agreement_save_write(d, &j->save);
}

static int agreement_then(struct req *r)
{
	struct agreement_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	int result = j->is_status ? j->st.result : j->save.result;
	if (result == AGREEMENT_CONFLICT)
		return agreements_page(
		        r, j->tid,
		        path_f(r, "%s %s",
		               T(r, "Someone else saved a newer version in the meantime."),
		               T(r,
		                 "Nothing was overwritten. Your text is in the form below; look at "
		                 "what changed, then save again.")),
		        409);
	if (result == AGREEMENT_NO_SET)
		return agreements_page(r, j->tid,
		                       T(r, "Write the agreements before you give them a "
		                            "status."),
		                       409);
	if (result == AGREEMENT_BAD_TABLE)
		return web_error(r, 422, N_("A source is not a table of this trajectory."));
	return req_redirect(r, path_f(r, "/trajecten/%lld/dialoog/afspraken?ok=%s",
	                              (long long)j->tid, j->is_status ? "status" : "saved"));
}

int page_dialogue_agreements_save(struct req *r)
{
	struct agreement_job *j = arena_zalloc(r->a, sizeof *j);
	util_parse_id(req_param(r, 0), &j->tid);
	struct agreement_save *s = &j->save;
	s->trajectory_id = j->tid;
	s->user_id = r->sess.user.id;
	int64_t base = -1;
	if (util_parse_i64(page_form_trimmed(r, "base"), &base) != 0 || base < 0 || base > 100000)
		return agreements_page(r, j->tid,
		                       T(r, "The version this change is based on is "
		                            "missing."),
		                       422);
	s->base = (int)base;
	json_t *tables = all_tables(r, j->tid);
	for (int i = 1; i <= AGREEMENTS_MAX; i++) {
		const char *text = page_form_trimmed(r, path_f(r, "agreement-%d", i));
		if (!*text)
			continue;
		size_t n = s->n++;
		s->text[n] = text;
		size_t k;
		json_t *t;
		json_array_foreach(tables, k, t)
		{
			const char *sf = path_f(r, "source-%d-%lld", i, page_jint(t, "id"));
			if (strcmp(page_form_trimmed(r, sf), "1") == 0 &&
			    s->nsources[n] < AGREEMENT_SOURCES_MAX)
				s->sources[n][s->nsources[n]++] = page_jint(t, "id");
		}
	}
	json_decref(tables);
	const char *bad = agreement_save_check(s);
	if (bad)
		return agreements_page(r, j->tid, T(r, bad), 422);
	r->hctx = j;
	return req_write(r, agreement_write, agreement_then);
}

int page_dialogue_agreements_status(struct req *r)
{
	struct agreement_job *j = arena_zalloc(r->a, sizeof *j);
	util_parse_id(req_param(r, 0), &j->tid);
	j->is_status = 1;
	j->st = (struct agreement_status_set){.trajectory_id = j->tid,
	                                      .user_id = r->sess.user.id,
	                                      .status = page_form_trimmed(r, "status"),
	                                      .decision = page_form_trimmed(r, "decision")};
	const char *bad = agreement_status_check(&j->st);
	if (bad)
		return agreements_page(r, j->tid, T(r, bad), 422);
	r->hctx = j;
	return req_write(r, agreement_write, agreement_then);
}

/* The agreements on the public page, once presented to the council. */
static void public_agreements(struct req *r, json_t *o)
{
	json_t *set = NULL;
	if (agreement_get_json(req_db(r), page_jint(o, "id"), 0, &set) != DB_ROW ||
	    strcmp(page_jstr(set, "status"), "draft") == 0) {
		json_decref(set);
		return;
	}
	page_h2(r, "afspraken", T(r, "The agreements"));
	html_lit(&r->out, "<p class=\"utrecht-paragraph\">");
	html_text(&r->out, agreement_status_text(r, page_jstr(set, "status")));
	html_lit(&r->out, "</p>");
	agreements_list(r, set, 0);
	if (*page_jstr(set, "decision")) {
		html_lit(&r->out, "<p class=\"utrecht-paragraph\"><strong>");
		html_text(&r->out, T(r, "The council's decision:"));
		html_lit(&r->out, "</strong></p>");
		script_paragraphs(r, page_jstr(set, "decision"), NULL);
	}
	json_decref(set);
}

void dialogue_public_section(struct req *r, json_t *o)
{
	public_agreements(r, o);
	json_t *open = NULL;
	if (dialogue_open_sessions_json(req_db(r), page_jint(o, "id"), clock_now(), &open) !=
	            DB_OK ||
	    json_array_size(open) == 0) {
		json_decref(open);
		return;
	}
	buf *b = &r->out;
	page_h2(r, "dialoog", T(r, "Dialogue tables: take part"));
	html_lit(b, "<ul class=\"utrecht-unordered-list\">");
	size_t i;
	json_t *s;
	json_array_foreach(open, i, s)
	{
		char when[80];
		when_words(r, page_jint(s, "starts_at"), when, sizeof when);
		html_lit(b, "<li>");
		html_text(b, page_jstr(s, "title"));
		html_lit(b, ": ");
		html_text(b, when);
		html_lit(b, "</li>");
	}
	html_lit(b, "</ul>");
	page_link_para(r, path_f(r, "/meedoen/%s/dialoog", page_jstr(o, "slug")),
	               T(r, "Register for the dialogue tables"));
	json_decref(open);
}
