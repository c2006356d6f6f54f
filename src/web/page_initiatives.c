/* page_initiatives.c: citizen initiatives: the view over all (counts, time per status, success factors, the list) with the intake form, and the page of one (intake, initiators, the first conversation with its checklist, the pipeline and its history). */
#include "core/arena.h"
#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/initiative.h"
#include "model/trajectory.h"
#include "model/user.h"
#include "web/conversation_page.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/pages.h"
#include "io/when.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_labels[INIT_NSTATUS] = {
        N_("idea"), N_("first conversation"), N_("collaboration"), N_("realised"), N_("stopped")};

static const char *status_text(struct req *r, const char *status)
{
	int s = initiative_status_parse(status);
	return s < 0 ? status : T(r, status_labels[s]);
}

static const char *initiative_path(struct req *r, long long id, const char *tail)
{
	char tmp[96];
	snprintf(tmp, sizeof tmp, "/initiatieven/%lld%s", id, tail ? tail : "");
	return arena_strdup(r->a, tmp);
}

/* A date in words from stored seconds, in the request arena. */
static const char *date_text(struct req *r, int64_t t)
{
	char when[80];
	when_text(t, r->lang, when, sizeof when);
	return arena_strdup(r->a, when);
}

/* What was typed in a field of the form just refused at path tail, or
 * NULL (the conversation pages' rule). */
static const char *typed(struct req *r, const char *tail, const char *field)
{
	return conv_page_typed(r, tail, NULL, field);
}

/* A table in a region that scrolls on its own on a narrow screen, with
 * its caption; closed by table_close. */
static void table_open(struct req *r, const char *caption)
{
	buf *b = &r->out;
	page_table_wrap(r, caption);
	html_lit(b, "<table class=\"utrecht-table\"><caption class=\"utrecht-table__caption\">");
	html_text(b, caption);
	html_lit(b, "</caption><thead class=\"utrecht-table__header\"><tr "
	            "class=\"utrecht-table__row\">");
}

static void table_close(struct req *r)
{
	html_lit(&r->out, "</tbody></table></div>");
}

static void th(buf *b, const char *text)
{
	html_lit(b, "<th scope=\"col\" class=\"utrecht-table__header-cell\">");
	html_text(b, text);
	html_lit(b, "</th>");
}

static void td_text(buf *b, const char *text)
{
	html_lit(b, "<td class=\"utrecht-table__cell\">");
	html_text(b, text);
	html_lit(b, "</td>");
}

static void td_int(buf *b, long long v)
{
	html_lit(b, "<td class=\"utrecht-table__cell utrecht-table__cell--numeric\">");
	html_int(b, v);
	html_lit(b, "</td>");
}

/* ---- the view over all ----------------------------------------------------- */

static void overview_section(struct req *r, json_t *ov)
{
	buf *b = &r->out;
	page_h2(r, "overzicht", T(r, "Overview"));
	table_open(r, T(r, "Initiatives per status, and how long they stay in it"));
	th(b, T(r, "Status"));
	th(b, T(r, "Initiatives now"));
	th(b, T(r, "Average days in this status"));
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
	json_t *counts = json_object_get(ov, "counts"), *time = json_object_get(ov, "time");
	for (int k = 0; k < INIT_NSTATUS; k++) {
		const char *name = initiative_status_name(k);
		html_lit(b, "<tr class=\"utrecht-table__row\">");
		td_text(b, T(r, status_labels[k]));
		td_int(b, json_integer_value(json_object_get(counts, name)));
		json_t *t = json_object_get(time, name);
		if (k == INIT_REALISED || k == INIT_STOPPED ||
		    !json_integer_value(json_object_get(t, "periods")))
			td_text(b, "–");
		else
			td_int(b, (long long)(json_real_value(json_object_get(t, "days")) + 0.5));
		html_lit(b, "</tr>");
	}
	table_close(r);
}

static void factors_section(struct req *r, json_t *ov)
{
	buf *b = &r->out;
	page_h2(r, "succesfactoren", T(r, "Success factors"));
	json_t *counts = json_object_get(ov, "counts");
	long long realised = json_integer_value(json_object_get(counts, "realised")),
	          stopped = json_integer_value(json_object_get(counts, "stopped"));
	if (realised + stopped == 0) {
		page_para(r, NULL,
		          T(r, "When initiatives are realised or stopped, you see here what was "
		               "discussed in their first conversation."));
		return;
	}
	page_para(r, NULL,
	          T(r, "Which points of the first conversation's checklist the realised and the "
	               "stopped initiatives had ticked or answered."));
	table_open(r,
	           T(r, "Checklist of the first conversation: realised and stopped initiatives"));
	th(b, T(r, "Point of the checklist"));
	th(b, T(r, "Realised"));
	th(b, T(r, "Stopped"));
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(ov, "factors"), i, f)
	{
		json_t *text = json_object_get(f, "text");
		const char *q = page_jstr(text, r->lang);
		html_lit(b, "<tr class=\"utrecht-table__row\">");
		td_text(b, *q ? q : page_jstr(text, "nl"));
		char cell[64];
		snprintf(cell, sizeof cell, "%lld / %lld", page_jint(f, "realised"),
		         page_jint(f, "realised_of"));
		td_text(b, cell);
		snprintf(cell, sizeof cell, "%lld / %lld", page_jint(f, "stopped"),
		         page_jint(f, "stopped_of"));
		td_text(b, cell);
		html_lit(b, "</tr>");
	}
	table_close(r);
}

static void list_section(struct req *r, json_t *list)
{
	buf *b = &r->out;
	page_h2(r, "alle", T(r, "All initiatives"));
	if (json_array_size(list) == 0) {
		page_para(r, NULL, T(r, "No initiatives yet."));
		return;
	}
	table_open(r, T(r, "Initiatives, newest first"));
	th(b, T(r, "Initiative"));
	th(b, T(r, "Neighbourhood"));
	th(b, T(r, "Status"));
	th(b, T(r, "Since"));
	th(b, T(r, "Trajectory"));
	th(b, T(r, "Contact official"));
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		html_lit(b, "<tr class=\"utrecht-table__row\"><td class=\"utrecht-table__cell\"><a "
		            "class=\"utrecht-link\" href=\"");
		html_attr(b, initiative_path(r, page_jint(o, "id"), NULL));
		html_lit(b, "\">");
		html_text(b, page_jstr(o, "title"));
		html_lit(b, "</a></td>");
		td_text(b, page_jstr(o, "neighbourhood"));
		td_text(b, status_text(r, page_jstr(o, "status")));
		td_text(b, date_text(r, page_jint(o, "status_since")));
		td_text(b, page_jstr(o, "trajectory_title"));
		td_text(b, page_jstr(o, "contact_name"));
		html_lit(b, "</tr>");
	}
	table_close(r);
}

/* A select of the trajectories the user sees (and "none"), or of the
 * organisation's active staff (contact official). */
static void select_open(buf *b, struct req *r, const char *id, const char *label)
{
	html_lit(b,
	         "<div class=\"utrecht-form-field utrecht-form-field--select\"><div "
	         "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" for=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><select "
	            "class=\"utrecht-select utrecht-select--html-select\" id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	(void)r;
}

static void option(buf *b, long long value, const char *text, long long selected)
{
	char v[24];
	snprintf(v, sizeof v, "%lld", value);
	html_lit(b, "<option value=\"");
	html_attr(b, v);
	html_lit(b, "\"");
	if (value == selected)
		html_lit(b, " selected");
	html_lit(b, ">");
	html_text(b, text);
	html_lit(b, "</option>");
}

static void create_form(struct req *r)
{
	buf *b = &r->out;
	page_h2(r, "nieuw", T(r, "New initiative"));
	page_para(r, NULL,
	          T(r, "Write down the idea as the residents tell it, and who their contact at the "
	               "municipality is."));
	page_form_open(r, "/initiatieven");
	page_text_field(r, "initiative-title", T(r, "Name of the initiative"), NULL, "text", "off",
	                typed(r, "/initiatieven", "initiative-title"), FIELD_REQUIRED);
	page_textarea_field(r, "idea", T(r, "The idea"), NULL, typed(r, "/initiatieven", "idea"), 4,
	                    NULL);
	page_text_field(r, "neighbourhood", T(r, "Neighbourhood"), NULL, "text", "off",
	                typed(r, "/initiatieven", "neighbourhood"), 0);
	page_textarea_field(r, "ask", T(r, "What they ask from the municipality"), NULL,
	                    typed(r, "/initiatieven", "ask"), 3, NULL);
	long long sel = 0;
	const char *t = typed(r, "/initiatieven", "trajectory");
	if (t)
		sel = atoll(t);
	buf j;
	buf_init(&j);
	json_t *trajs = NULL;
	if (trajectory_list_json(req_db(r), r->app->org_id, trajectory_viewer(&r->sess.user), &j) ==
	    DB_OK)
		trajs = json_loads(j.data ? j.data : "[]", 0, NULL);
	buf_free(&j);
	select_open(b, r, "trajectory", T(r, "Part of a trajectory"));
	option(b, 0, T(r, "no trajectory"), sel);
	size_t i;
	json_t *o;
	json_array_foreach(trajs, i, o) option(b, page_jint(o, "id"), page_jstr(o, "title"), sel);
	html_lit(b, "</select></div></div>");
	json_decref(trajs);
	long long contact = r->sess.user.id;
	const char *c = typed(r, "/initiatieven", "contact");
	if (c)
		contact = atoll(c);
	buf_init(&j);
	json_t *users = NULL;
	if (user_list_json(req_db(r), &j) == DB_OK)
		users = json_loads(j.data ? j.data : "[]", 0, NULL);
	buf_free(&j);
	select_open(b, r, "contact", T(r, "Contact official"));
	json_array_foreach(users, i, o)
	{
		if (json_is_true(json_object_get(o, "disabled")))
			continue;
		option(b, page_jint(o, "id"), page_jstr(o, "name"), contact);
	}
	html_lit(b, "</select></div></div>");
	json_decref(users);
	page_submit(r, T(r, "Record the initiative"), 1);
	html_lit(b, "</form>");
}

static int overview_page(struct req *r, const char *error, int status)
{
	int64_t viewer = trajectory_viewer(&r->sess.user);
	json_t *list = NULL, *ov = NULL;
	if (initiative_list_json(req_db(r), r->app->org_id, viewer, &list) != DB_OK ||
	    initiative_overview_json(req_db(r), r->app->org_id, viewer, clock_now(), &ov) !=
	            DB_OK) {
		json_decref(list);
		json_decref(ov);
		return web_error(r, 503, NULL);
	}
	page_begin(r, T(r, "Citizen initiatives"));
	page_h1(r, T(r, "Citizen initiatives"));
	if (error)
		page_alert(r, "error", error);
	page_para(r, NULL,
	          T(r, "Ideas of active residents for their neighbourhood, from the first idea to "
	               "realised or stopped. The first conversation follows the conversation "
	               "model and checklist of the script library."));
	overview_section(r, ov);
	factors_section(r, ov);
	list_section(r, list);
	json_decref(list);
	json_decref(ov);
	if (route_allows(r, "POST", "/initiatieven"))
		create_form(r);
	page_end(r);
	return status;
}

int page_initiatives(struct req *r)
{
	return overview_page(r, NULL, 200);
}

static int create_write(db *d, void *ctx)
{
	struct initiative_new *n = ((struct req *)ctx)->hctx;
	return initiative_create_write(d, n);
}

static int create_then(struct req *r)
{
	struct initiative_new *n = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (n->result != INIT_OK)
		return overview_page(r, T(r, "Choose a trajectory from the list."), 422);
	return req_redirect(r, initiative_path(r, n->id, "?ok=created"));
}

/* POST /initiatieven: the intake. */
int page_initiative_create(struct req *r)
{
	struct initiative_new *n = arena_zalloc(r->a, sizeof *n);
	n->org_id = r->app->org_id;
	n->user_id = r->sess.user.id;
	n->title = page_form_trimmed(r, "initiative-title");
	n->idea = page_form_trimmed(r, "idea");
	n->neighbourhood = page_form_trimmed(r, "neighbourhood");
	n->ask = page_form_trimmed(r, "ask");
	const char *t = page_form_trimmed(r, "trajectory"), *c = page_form_trimmed(r, "contact");
	if (*t && strcmp(t, "0") != 0 &&
	    (util_parse_id(t, &n->trajectory_id) != 0 ||
	     trajectory_user_may(req_db(r), r->app->org_id, &r->sess.user, n->trajectory_id) != 1))
		return overview_page(r, T(r, "Choose a trajectory from the list."), 422);
	struct user u;
	if (*c && (util_parse_id(c, &n->contact_user_id) != 0 ||
	           user_by_id(req_db(r), n->contact_user_id, &u) != DB_ROW ||
	           u.org_id != r->app->org_id || u.disabled))
		return overview_page(r, T(r, "Choose the contact official from the list."), 422);
	const char *bad = initiative_check(n);
	if (bad)
		return overview_page(r, T(r, bad), 422);
	r->hctx = n;
	return req_write(r, create_write, create_then);
}

/* ---- the page of one --------------------------------------------------------- */

static const char *ok_message(struct req *r)
{
	const char *ok = req_query(r, "ok");
	static const struct {
		const char *key, *text;
	} msgs[] = {
	        {"created", N_("The initiative was recorded. Add the initiators.")},
	        {"person", N_("The initiator was added.")},
	        {"talk", N_("The first conversation was saved.")},
	        {"status", N_("The status was changed.")},
	};
	for (size_t i = 0; ok && i < sizeof msgs / sizeof *msgs; i++)
		if (strcmp(ok, msgs[i].key) == 0)
			return T(r, msgs[i].text);
	return NULL;
}

static void fact(struct req *r, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph\"><strong>");
	html_text(b, label);
	html_lit(b, "</strong> ");
	html_text(b, value);
	html_lit(b, "</p>");
}

static void people_section(struct req *r, json_t *o, int open)
{
	buf *b = &r->out;
	page_h2(r, "initiatiefnemers", T(r, "Initiators"));
	json_t *people = json_object_get(o, "people");
	if (json_array_size(people) == 0)
		page_para(r, NULL, T(r, "No initiators yet."));
	else {
		html_lit(b, "<ul class=\"utrecht-unordered-list\">");
		size_t i;
		json_t *p;
		json_array_foreach(people, i, p)
		{
			html_lit(b, "<li>");
			const char *name = page_jstr(p, "name");
			html_text(b, *name ? name : page_jstr(p, "participant_code"));
			static const char *const keys[] = {"email", "phone", "address"};
			for (int k = 0; k < 3; k++)
				if (*page_jstr(p, keys[k])) {
					html_lit(b, " · ");
					html_text(b, page_jstr(p, keys[k]));
				}
			html_lit(b, "</li>");
		}
		html_lit(b, "</ul>");
	}
	if (!open)
		return;
	const char *tail = "/initiatiefnemers";
	html_lit(b, "<details class=\"vp-details\"");
	if (typed(r, tail, "name"))
		html_lit(b, " open");
	html_lit(b, "><summary>");
	html_text(b, T(r, "Add an initiator"));
	html_lit(b, "</summary>");
	page_form_open(r, initiative_path(r, page_jint(o, "id"), tail));
	page_text_field(r, "name", T(r, "Name"), NULL, "text", "off", typed(r, tail, "name"), 0);
	page_text_field(r, "email", T(r, "E-mail address"), NULL, "email", "off",
	                typed(r, tail, "email"), 0);
	page_text_field(r, "phone", T(r, "Phone number"), NULL, "tel", "off",
	                typed(r, tail, "phone"), 0);
	page_text_field(r, "address", T(r, "Address"), NULL, "text", "off",
	                typed(r, tail, "address"), 0);
	page_submit(r, T(r, "Add"), 0);
	html_lit(b, "</form></details>");
}

/* The first conversation: the template's questions as a checklist the
 * official ticks and fills, then what came out. */
static void talk_section(struct req *r, json_t *o, int open)
{
	buf *b = &r->out;
	const char *tail = "/gesprek";
	page_h2(r, "eerste-gesprek", T(r, "First conversation"));
	page_para(r, NULL,
	          T(r, "Prepare the talk with the checklist: tick what you discussed and write "
	               "down the answers, before or during the talk. Then record what came out, "
	               "who does what, and the next steps."));
	json_t *model = initiative_model_json();
	if (json_is_object(model)) {
		html_lit(b, "<section class=\"vp-card\"><h3 class=\"utrecht-heading-3\">");
		html_text(b, T(r, "The conversation model"));
		html_lit(b, "</h3>");
		const char *m = page_jstr(model, r->lang);
		script_paragraphs(r, *m ? m : page_jstr(model, "nl"), NULL);
		html_lit(b, "</section>");
	}
	json_decref(model);
	json_t *list = initiative_checklist_json(), *answers = json_object_get(o, "checklist");
	if (open)
		page_form_open(r, initiative_path(r, page_jint(o, "id"), tail));
	const char *on = typed(r, tail, "talk-on");
	if (open)
		page_text_field(r, "talk-on", T(r, "Date of the talk"), NULL, "date", "off",
		                on ? on : page_jstr(o, "talk_on"), 0);
	else
		fact(r, T(r, "Date of the talk"), page_jstr(o, "talk_on"));
	const char *section = NULL;
	size_t i;
	json_t *q;
	json_array_foreach(list, i, q)
	{
		const char *id = page_jstr(q, "id");
		json_t *st = json_object_get(q, "section");
		const char *sec =
		        *page_jstr(st, r->lang) ? page_jstr(st, r->lang) : page_jstr(st, "nl");
		if (!section || strcmp(section, sec) != 0) {
			if (section)
				html_lit(b, "</fieldset>");
			html_lit(b,
			         "<fieldset class=\"utrecht-form-fieldset vp-checklist\"><legend "
			         "class=\"utrecht-form-fieldset__legend\">");
			html_text(b, sec);
			html_lit(b, "</legend>");
			section = sec;
		}
		json_t *text = json_object_get(q, "text");
		const char *qt = *page_jstr(text, r->lang) ? page_jstr(text, r->lang)
		                                           : page_jstr(text, "nl");
		json_t *a = json_object_get(answers, id);
		char did[48], aid[48];
		snprintf(did, sizeof did, "done-%s", id);
		snprintf(aid, sizeof aid, "answer-%s", id);
		int done = json_is_true(json_object_get(a, "done"));
		const char *ans = page_jstr(a, "answer");
		if (typed(r, tail, "talk-on")) { /* a refused form: as typed */
			done = typed(r, tail, did) != NULL;
			ans = typed(r, tail, aid) ? typed(r, tail, aid) : "";
		}
		if (!open) {
			html_lit(b, "<p class=\"utrecht-paragraph\">");
			html_text(b, done ? "✓ " : "");
			html_text(b, qt);
			if (*ans) {
				html_lit(b, " ");
				html_text(b, ans);
			}
			html_lit(b, "</p>");
			continue;
		}
		page_hidden(r, "q", id);
		html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox\"><div "
		            "class=\"utrecht-form-field__input\"><input type=\"checkbox\" "
		            "class=\"utrecht-checkbox utrecht-checkbox--html-input\" value=\"1\" "
		            "id=\"");
		html_attr(b, did);
		html_lit(b, "\" name=\"");
		html_attr(b, did);
		html_lit(b, "\"");
		if (done)
			html_lit(b, " checked");
		html_lit(b, "></div><div class=\"utrecht-form-field__label\"><label "
		            "class=\"utrecht-form-label utrecht-form-label--checkbox\" for=\"");
		html_attr(b, did);
		html_lit(b, "\">");
		html_text(b, qt);
		html_lit(b, "</label></div></div>");
		char label[300];
		snprintf(label, sizeof label, "%s %s", T(r, "Answer:"), qt);
		page_text_field(r, aid, label, NULL, "text", "off", ans, 0);
	}
	if (section)
		html_lit(b, "</fieldset>");
	json_decref(list);
	static const char *const fields[] = {"outcome", "roles", "next-steps"};
	static const char *const keys[] = {"outcome", "roles", "next_steps"};
	static const char *const labels[] = {N_("Outcome of the talk"), N_("Agreed roles"),
	                                     N_("Next steps")};
	for (int k = 0; k < 3; k++) {
		const char *v = typed(r, tail, fields[k]);
		if (open)
			page_textarea_field(r, fields[k], T(r, labels[k]), NULL,
			                    v ? v : page_jstr(o, keys[k]), 3, NULL);
		else
			fact(r, T(r, labels[k]), page_jstr(o, keys[k]));
	}
	if (open) {
		page_submit(r, T(r, "Save the first conversation"), 1);
		html_lit(b, "</form>");
	}
}

static void status_section(struct req *r, json_t *o, int open)
{
	buf *b = &r->out;
	page_h2(r, "status", T(r, "Status and history"));
	html_lit(b, "<ol class=\"utrecht-ordered-list\">");
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(o, "history"), i, h)
	{
		html_lit(b, "<li>");
		html_text(b, status_text(r, page_jstr(h, "status")));
		html_lit(b, " · ");
		html_text(b, date_text(r, page_jint(h, "changed_at")));
		if (*page_jstr(h, "by")) {
			html_lit(b, " · ");
			html_text(b, page_jstr(h, "by"));
		}
		if (*page_jstr(h, "reason")) {
			html_lit(b, ": ");
			html_text(b, page_jstr(h, "reason"));
		}
		html_lit(b, "</li>");
	}
	html_lit(b, "</ol>");
	int now = initiative_status_parse(page_jstr(o, "status"));
	if (!open || now == INIT_REALISED || now == INIT_STOPPED)
		return;
	page_form_open(r, initiative_path(r, page_jint(o, "id"), "/status"));
	/* the moves the rule allows: the next step, or stopping */
	const char *values[2] = {initiative_status_name(now + 1), "stopped"};
	const char *labels[2] = {status_labels[now + 1], status_labels[INIT_STOPPED]};
	const char *to = typed(r, "/status", "to");
	page_select_field(r, "to", T(r, "New status"), values, labels, 2, to ? to : values[0]);
	page_textarea_field(r, "reason", T(r, "Reason (needed when it stops)"), NULL,
	                    typed(r, "/status", "reason"), 2, NULL);
	page_submit(r, T(r, "Change the status"), 0);
	html_lit(b, "</form>");
}

static int render(struct req *r, json_t *o, const char *error, int status)
{
	buf *b = &r->out;
	page_begin(r, page_jstr(o, "title"));
	page_link_para(r, "/initiatieven", T(r, "Citizen initiatives"));
	page_h1(r, page_jstr(o, "title"));
	const char *ok = ok_message(r);
	if (error)
		page_alert(r, "error", error);
	else if (ok)
		page_alert(r, "ok", ok);
	html_lit(b, "<p class=\"utrecht-paragraph vp-lead\">");
	html_text(b, T(r, "Status:"));
	html_lit(b, " <strong>");
	html_text(b, status_text(r, page_jstr(o, "status")));
	html_lit(b, "</strong> ");
	html_text(b, T(r, "since"));
	html_lit(b, " ");
	html_text(b, date_text(r, page_jint(o, "status_since")));
	if (*page_jstr(o, "stopped_reason")) {
		html_lit(b, ". ");
		html_text(b, page_jstr(o, "stopped_reason"));
	}
	html_lit(b, "</p>");
	int open = route_allows(r, "POST", "/initiatieven/{id}/gesprek");
	page_h2(r, "intake", T(r, "Intake"));
	fact(r, T(r, "The idea:"), page_jstr(o, "idea"));
	fact(r, T(r, "Neighbourhood:"), page_jstr(o, "neighbourhood"));
	fact(r, T(r, "What they ask from the municipality:"), page_jstr(o, "ask"));
	fact(r, T(r, "Contact official:"), page_jstr(o, "contact_name"));
	if (page_jint(o, "trajectory_id")) {
		char href[64];
		snprintf(href, sizeof href, "/trajecten/%lld", page_jint(o, "trajectory_id"));
		html_lit(b, "<p class=\"utrecht-paragraph\"><strong>");
		html_text(b, T(r, "Trajectory:"));
		html_lit(b, "</strong> <a class=\"utrecht-link\" href=\"");
		html_attr(b, href);
		html_lit(b, "\">");
		html_text(b, page_jstr(o, "trajectory_title"));
		html_lit(b, "</a></p>");
	}
	int finished = initiative_status_parse(page_jstr(o, "status")) >= INIT_REALISED;
	people_section(r, o, open && !finished);
	talk_section(r, o, open && !finished);
	status_section(r, o, open);
	page_end(r);
	return status;
}

struct view {
	int64_t id;
	json_t *o;
	const char *error;
	int status;
};

/* Showing the initiators' contact data is logged first, one entry each. */
static int view_log_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct view *v = r->hctx;
	return page_audit_views(d, r, json_object_get(v->o, "people"), "initiative_person");
}

static int view_then(struct req *r)
{
	struct view *v = r->hctx;
	int st = r->write_rc != 0 ? web_error(r, 503, NULL) : render(r, v->o, v->error, v->status);
	json_decref(v->o);
	return st;
}

static int show(struct req *r, const char *error, int status)
{
	struct view *v = arena_zalloc(r->a, sizeof *v);
	util_parse_id(req_param(r, 0), &v->id);
	v->error = error;
	v->status = status;
	int rc = initiative_get_json(req_db(r), r->app->vault, r->app->org_id, v->id, &v->o);
	if (rc != DB_ROW)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	r->hctx = v;
	if (json_array_size(json_object_get(v->o, "people")) == 0) {
		r->write_rc = 0;
		return view_then(r);
	}
	return req_write(r, view_log_write, view_then);
}

int page_initiative(struct req *r)
{
	return show(r, NULL, 200);
}

/* ---- changes ----------------------------------------------------------------- */

struct change {
	int64_t id;
	struct initiative_person_new p;
	struct initiative_talk t;
	struct initiative_move m;
	int kind; /* 0 person, 1 talk, 2 move */
};

static int change_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct change *c = r->hctx;
	int rc;
	switch (c->kind) {
	case 0:
		rc = initiative_person_write(d, &c->p);
		if (rc == DB_OK && c->p.result == INIT_OK)
			rc = page_audit_one(d, r, "create", "initiative_person", c->p.id,
			                    c->p.code);
		return rc;
	case 1: return initiative_talk_write(d, &c->t);
	default: return initiative_move_write(d, &c->m);
	}
}

static int change_then(struct req *r)
{
	struct change *c = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	int result = c->kind == 0 ? c->p.result : c->kind == 1 ? c->t.result : c->m.result;
	switch (result) {
	case INIT_OK: break;
	case INIT_NOT_FOUND: return web_error(r, 404, NULL);
	case INIT_BAD_MOVE: return show(r, T(r, c->m.refusal), 409);
	case INIT_NO_OUTCOME:
		return show(r, T(r, "Record the outcome of the first conversation first."), 409);
	case INIT_TOO_MANY: return show(r, T(r, "An initiative has at most 20 initiators."), 409);
	default:
		return show(r, T(r, "A realised or stopped initiative does not change any more."),
		            409);
	}
	static const char *const oks[] = {"?ok=person#initiatiefnemers", "?ok=talk#eerste-gesprek",
	                                  "?ok=status#status"};
	return req_redirect(r, initiative_path(r, c->id, oks[c->kind]));
}

static struct change *change_new(struct req *r, int kind)
{
	struct change *c = arena_zalloc(r->a, sizeof *c);
	util_parse_id(req_param(r, 0), &c->id);
	c->kind = kind;
	return c;
}

/* POST /initiatieven/{id}/initiatiefnemers */
int page_initiative_person(struct req *r)
{
	struct change *c = change_new(r, 0);
	c->p = (struct initiative_person_new){.v = r->app->vault,
	                                      .org_id = r->app->org_id,
	                                      .initiative_id = c->id,
	                                      .name = page_form_trimmed(r, "name"),
	                                      .email = page_form_trimmed(r, "email"),
	                                      .phone = page_form_trimmed(r, "phone"),
	                                      .address = page_form_trimmed(r, "address")};
	const char *bad = initiative_person_check(&c->p);
	if (bad)
		return show(r, T(r, bad), 422);
	r->hctx = c;
	return req_write(r, change_write, change_then);
}

/* POST /initiatieven/{id}/gesprek: the date, the checklist (q, done-Q,
 * answer-Q per question), outcome, roles, next steps. */
int page_initiative_talk(struct req *r)
{
	struct change *c = change_new(r, 1);
	struct initiative_talk *t = &c->t;
	t->org_id = r->app->org_id;
	t->initiative_id = c->id;
	t->user_id = r->sess.user.id;
	t->talk_on = page_form_trimmed(r, "talk-on");
	t->outcome = page_form_trimmed(r, "outcome");
	t->roles = page_form_trimmed(r, "roles");
	t->next_steps = page_form_trimmed(r, "next-steps");
	json_t *list = initiative_checklist_json();
	size_t i;
	json_t *q;
	/* The questions of the template, in its order: a question the form
	 * did not send ("q") is left as it was. */
	json_array_foreach(list, i, q)
	{
		const char *id = page_jstr(q, "id");
		int sent = 0;
		for (size_t k = 0; k < r->form.n && !sent; k++)
			sent = strcmp(r->form.items[k].name, "q") == 0 &&
			       strcmp(r->form.items[k].value, id) == 0;
		if (!sent || t->n >= INITIATIVE_CHECKLIST_MAX)
			continue;
		char key[48];
		snprintf(key, sizeof key, "done-%s", id);
		t->done[t->n] = *page_form_trimmed(r, key) != '\0';
		snprintf(key, sizeof key, "answer-%s", id);
		t->answer[t->n] = page_form_trimmed(r, key);
		t->question_id[t->n++] = arena_strdup(r->a, id);
	}
	json_decref(list);
	const char *bad = initiative_talk_check(t);
	if (bad)
		return show(r, T(r, bad), 422);
	r->hctx = c;
	return req_write(r, change_write, change_then);
}

/* POST /initiatieven/{id}/status: to, reason. */
int page_initiative_status(struct req *r)
{
	struct change *c = change_new(r, 2);
	c->m = (struct initiative_move){.org_id = r->app->org_id,
	                                .initiative_id = c->id,
	                                .user_id = r->sess.user.id,
	                                .to = page_form_trimmed(r, "to"),
	                                .reason = page_form_trimmed(r, "reason")};
	if (initiative_status_parse(c->m.to) < 0)
		return show(r, T(r, "Choose a status."), 422);
	if (strcmp(c->m.to, "stopped") == 0 && util_blank(c->m.reason))
		return show(r, T(r, "Say why the initiative stops."), 422);
	r->hctx = c;
	return req_write(r, change_write, change_then);
}
