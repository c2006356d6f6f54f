/* page_trajectories.c: the staff pages of trajectories (list, new, overview, edit, staff, contact requests) and each trajectory's public page with its contact form. */
#include "core/arena.h"
#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/audit.h"
#include "model/conversation.h"
#include "model/method.h"
#include "model/trajectory.h"
#include "model/user.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared bits --------------------------------------------------------- */

static const char *path_of(struct req *r, long long id, const char *tail)
{
	char tmp[160];
	snprintf(tmp, sizeof tmp, "/trajecten/%lld%s", id, tail ? tail : "");
	return arena_strdup(r->a, tmp);
}

static const char *rung_label(struct req *r, const char *rung)
{
	static const char *const labels[6] = {
	        N_("Inform (informeren)"),      N_("Consult (raadplegen)"),
	        N_("Advise (adviseren)"),       N_("Co-produce (coproduceren)"),
	        N_("Co-decide (meebeslissen)"), N_("Self-management (zelfbeheer)")};
	for (int i = 0; i < 6; i++)
		if (strcmp(rung, trajectory_rungs[i]) == 0)
			return T(r, labels[i]);
	return rung;
}

/* Who may start and change trajectories: everyone on the staff but
 * readers (the roles of POST /trajecten in routes.c). */
static int may_change(struct req *r)
{
	return route_allows(r, "POST", "/trajecten");
}

/* A definition list row, left out when the value is empty. */
static void dl_row(struct req *r, const char *term, const char *value)
{
	if (!value || !*value)
		return;
	buf *b = &r->out;
	html_lit(b, "<div class=\"vp-dl-row\"><dt>");
	html_text(b, term);
	html_lit(b, "</dt><dd>");
	script_paragraphs(r, value, NULL);
	html_lit(b, "</dd></div>");
}

/* A writer job's answer when the trajectory is gone (rolls back). */
enum { TRAJ_GONE = 1001 };

/* The fields of the form, as posted. */
enum { TRAJ_FORM_METHODS = 64 };

struct traj_form {
	struct trajectory_fields f;
	const char *retention;
	const char *error, *bad_field;
	int status;
	int64_t methods[TRAJ_FORM_METHODS]; /* the methods ticked */
	size_t nmethods;
	/* The picture (sketch, plan or map): the one stored (edit), a new one
	 * sent with the form, or "remove it" ticked. */
	const char *current_material;
	struct page_picture pic;
	int material_clear;
};

/* The methods ticked on the form (fields "method-ID"). */
static void read_methods(struct req *r, struct traj_form *t)
{
	struct method *all;
	size_t n = 0;
	t->nmethods = 0;
	if (method_list(req_db(r), r->a, &all, &n) != DB_OK)
		return;
	for (size_t i = 0; i < n && t->nmethods < TRAJ_FORM_METHODS; i++) {
		char name[40];
		snprintf(name, sizeof name, "method-%lld", (long long)all[i].id);
		if (req_form(r, name))
			t->methods[t->nmethods++] = all[i].id;
	}
}

static int method_ticked(const struct traj_form *t, int64_t id)
{
	for (size_t i = 0; t && i < t->nmethods; i++)
		if (t->methods[i] == id)
			return 1;
	return 0;
}

/* The methods the trajectory uses, as checkboxes (the catalogue's names in
 * the reader's language, Dutch when there is no English). */
static void methods_fieldset(struct req *r, const struct traj_form *t)
{
	struct method *all;
	size_t n = 0;
	if (method_list(req_db(r), r->a, &all, &n) != DB_OK || n == 0)
		return;
	buf *b = &r->out;
	html_lit(b, "<fieldset class=\"utrecht-form-fieldset\"><legend "
	            "class=\"utrecht-form-fieldset__legend "
	            "utrecht-form-fieldset__legend--html-legend\">");
	html_text(b, T(r, "Methods used"));
	html_lit(b, "</legend>");
	for (size_t i = 0; i < n; i++) {
		char id[40];
		snprintf(id, sizeof id, "method-%lld", (long long)all[i].id);
		const char *name = strcmp(r->lang, "en") == 0 && all[i].name.en && *all[i].name.en
		                           ? all[i].name.en
		                           : all[i].name.nl;
		html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox\"><div "
		            "class=\"utrecht-form-field__input\"><input class=\"utrecht-checkbox "
		            "utrecht-checkbox--html-input\" type=\"checkbox\" value=\"1\" id=\"");
		html_attr(b, id);
		html_lit(b, "\" name=\"");
		html_attr(b, id);
		html_lit(b, "\"");
		if (method_ticked(t, all[i].id))
			html_lit(b, " checked");
		html_lit(
		        b,
		        "><label class=\"utrecht-form-label utrecht-form-label--checkbox\" for=\"");
		html_attr(b, id);
		html_lit(b, "\">");
		html_text(b, name);
		html_lit(b, "</label></div></div>");
	}
	html_lit(b, "</fieldset>");
}

/* Whether a picture file came with the form. */
static int material_sent(struct req *r)
{
	const struct kv *f = kv_find(&r->form, "material");
	return f && f->filename && *f->filename && f->value_len > 0;
}

static void read_form(struct req *r, struct traj_form *t)
{
	read_methods(r, t);
	struct trajectory_fields *f = &t->f;
	f->title = page_form_trimmed(r, "title");
	f->question = page_form_trimmed(r, "question");
	f->scope = page_form_trimmed(r, "scope");
	f->ladder = page_form_trimmed(r, "ladder");
	f->target_group = page_form_trimmed(r, "target_group");
	f->selection_rationale = page_form_trimmed(r, "selection_rationale");
	f->contact_route = page_form_trimmed(r, "contact_route");
	f->starts_on = page_form_trimmed(r, "starts_on");
	f->ends_on = page_form_trimmed(r, "ends_on");
	f->outcome = page_form_trimmed(r, "outcome");
	f->material_alt = page_form_trimmed(r, "material_alt");
	f->published = req_form(r, "published") != NULL;
	t->retention = page_form_trimmed(r, "retention");
	int64_t days = 0;
	if (*t->retention && (util_parse_i64(t->retention, &days) || days < 1 || days > 36500)) {
		t->error = T(r, "The retention period is 1 to 36500 days.");
		t->bad_field = "retention";
		return;
	}
	f->retention_days = (int)days;
	t->material_clear = req_form(r, "material_remove") != NULL;
	const char *bad = trajectory_check(f);
	int keeps = t->current_material && *t->current_material && !t->material_clear;
	if (!bad && util_blank(f->material_alt) && (keeps || material_sent(r))) {
		t->error =
		        T(r, "Describe the picture in a sentence, for people who cannot see it.");
		t->bad_field = "material_alt";
		return;
	}
	if (!bad) {
		const char *msg = NULL;
		if (page_picture_take(r, "material", &t->pic, &msg) < 0) {
			t->error = T(r, msg);
			t->bad_field = "material";
			return;
		}
		if (t->pic.has) {
			f->material_token = t->pic.up.token;
			t->material_clear = 0;
		}
	}
	if (bad) {
		t->error = T(r, bad);
		t->bad_field = strstr(bad, "subject")     ? "title"
		               : strstr(bad, "ladder")    ? "ladder"
		               : strstr(bad, "start")     ? "starts_on"
		               : strstr(bad, "end")       ? "ends_on"
		               : strstr(bad, "retention") ? "retention"
		                                          : "question";
	}
}

static const char *err_for(const struct traj_form *t, const char *field)
{
	return t && t->bad_field && strcmp(t->bad_field, field) == 0 ? t->error : NULL;
}

/* The picture that makes the trajectory visual: the one there is (with
 * "remove it"), a file to send, and its description. */
static void material_fieldset(struct req *r, const struct traj_form *t)
{
	buf *b = &r->out;
	html_lit(b, "<fieldset class=\"utrecht-form-fieldset\" id=\"material\"><legend "
	            "class=\"utrecht-form-fieldset__legend\">");
	html_text(b, T(r, "Picture: a sketch, plan or map"));
	html_lit(b, "</legend>");
	page_para(r, NULL,
	          T(r, "At the kitchen table people can point at it; the public page shows it. "
	               "A JPEG or PNG file."));
	const char *cur = t ? t->current_material : NULL;
	const char *alt = t ? t->f.material_alt : NULL;
	if (cur && *cur) {
		html_lit(b, "<img class=\"vp-material\" src=\"");
		html_url(b, page_printf(r, "/uploads/%s", cur));
		html_lit(b, "\" alt=\"");
		html_attr(b, alt && *alt ? alt : T(r, "The trajectory's picture"));
		html_lit(b,
		         "\"><div class=\"utrecht-form-field utrecht-form-field--checkbox\"><div "
		         "class=\"utrecht-form-field__input\"><input class=\"utrecht-checkbox "
		         "utrecht-checkbox--html-input\" type=\"checkbox\" id=\"material_remove\" "
		         "name=\"material_remove\" value=\"1\"");
		if (t && t->material_clear)
			html_lit(b, " checked");
		html_lit(b, "><label class=\"utrecht-form-label utrecht-form-label--checkbox\" "
		            "for=\"material_remove\">");
		html_text(b, T(r, "Remove this picture"));
		html_lit(b, "</label></div></div>");
	}
	html_lit(b, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
	            "<label class=\"utrecht-form-label\" for=\"material-file\">");
	html_text(b, cur && *cur ? T(r, "Another picture") : T(r, "Picture"));
	html_lit(b, "</label></div>");
	if (t && t->bad_field && strcmp(t->bad_field, "material") == 0) {
		html_lit(b, "<p class=\"utrecht-form-field-error-message\">");
		html_text(b, t->error);
		html_lit(b, "</p>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox "
	            "utrecht-textbox--html-input\" type=\"file\" id=\"material-file\" "
	            "name=\"material\" accept=\"image/jpeg,image/png\"></div></div>");
	page_textarea_field(r, "material_alt", T(r, "What the picture shows"),
	                    T(r, "One or two sentences for people who cannot see it, for "
	                         "example: Map of the square with the new trees along the north "
	                         "side."),
	                    alt, 2, err_for(t, "material_alt"));
	html_lit(b, "</fieldset>");
}

/* The whole form, for a new trajectory (id 0) or an existing one. */
static void traj_form(struct req *r, long long id, const struct traj_form *t)
{
	buf *b = &r->out;
	const struct trajectory_fields *f = t ? &t->f : NULL;
	if (t && t->error) {
		html_lit(b,
		         "<div class=\"utrecht-alert utrecht-alert--error\" role=\"alert\">"
		         "<div class=\"utrecht-alert__content\"><p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "The trajectory was not saved."));
		html_lit(b, " <a class=\"utrecht-link\" href=\"#");
		html_attr(b, t->bad_field ? t->bad_field : "title");
		html_lit(b, "\">");
		html_text(b, t->error);
		html_lit(b, "</a></p></div></div>");
	}
	html_lit(b, "<form class=\"vp-form\" method=\"post\" enctype=\"multipart/form-data\" "
	            "action=\"");
	html_attr(b, id ? path_of(r, id, "/bewerken") : "/trajecten");
	html_lit(b, "\">");
	page_csrf_field(r);
	page_text_field(r, "title", T(r, "Subject"),
	                T(r, "What is it about, in a few words? Residents see this as the title."),
	                "text", "off", f ? f->title : NULL, FIELD_REQUIRED);
	page_textarea_field(r, "question", T(r, "The concrete question"),
	                    T(r, "What do you want to know from the people you talk with?"),
	                    f ? f->question : NULL, 3, err_for(t, "question"));
	page_textarea_field(r, "scope", T(r, "What may be discussed, and what happens with it"),
	                    T(r, "Say what is open and what is already decided, and what you will "
	                         "do with what people say. Needed before you invite anyone."),
	                    f ? f->scope : NULL, 4, err_for(t, "scope"));
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--select\">"
	            "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	            "for=\"ladder\">");
	html_text(b, T(r, "Rung on the participation ladder"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><select "
	            "class=\"utrecht-select utrecht-select--html-select\" id=\"ladder\" "
	            "name=\"ladder\">");
	const char *sel = f && f->ladder && *f->ladder ? f->ladder : "raadplegen";
	for (int i = 0; i < 6; i++) {
		html_lit(b, "<option value=\"");
		html_attr(b, trajectory_rungs[i]);
		html_lit(b, "\"");
		if (strcmp(sel, trajectory_rungs[i]) == 0)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_text(b, rung_label(r, trajectory_rungs[i]));
		html_lit(b, "</option>");
	}
	html_lit(b, "</select></div></div>");
	methods_fieldset(r, t);
	page_textarea_field(r, "target_group", T(r, "Target group"),
	                    T(r, "Who do you want to hear: residents of an area, clients, "
	                         "entrepreneurs, organisations?"),
	                    f ? f->target_group : NULL, 2, err_for(t, "target_group"));
	page_textarea_field(r, "selection_rationale", T(r, "Why these people or this area"),
	                    T(r, "Tell people why they were chosen. Needed before you invite "
	                         "anyone."),
	                    f ? f->selection_rationale : NULL, 3,
	                    err_for(t, "selection_rationale"));
	page_textarea_field(r, "contact_route", T(r, "How others can get in touch"),
	                    T(r, "For people who were not invited but want to join or react: a "
	                         "phone number, an address, office hours. Needed before you "
	                         "invite anyone."),
	                    f ? f->contact_route : NULL, 3, err_for(t, "contact_route"));
	page_text_field(r, "starts_on", T(r, "From (first day)"), NULL, "date", "off",
	                f ? f->starts_on : NULL, 0);
	page_text_field(r, "ends_on", T(r, "Until (last day)"), NULL, "date", "off",
	                f ? f->ends_on : NULL, 0);
	page_text_field(r, "retention", T(r, "Keep personal data for (days)"),
	                T(r, "After this many days after the end, notes and contact data are "
	                     "removed. 730 days is 2 years."),
	                "number", "off", t && t->retention && *t->retention ? t->retention : "730",
	                0);
	material_fieldset(r, t);
	page_textarea_field(r, "outcome", T(r, "What was done with the input"),
	                    T(r, "For the public page, as the trajectory goes on. No names or "
	                         "other personal data."),
	                    f ? f->outcome : NULL, 4, err_for(t, "outcome"));
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox\">"
	            "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-checkbox "
	            "utrecht-checkbox--html-input\" type=\"checkbox\" id=\"published\" "
	            "name=\"published\" value=\"1\"");
	if (f && f->published)
		html_lit(b, " checked");
	html_lit(b, "><label class=\"utrecht-form-label utrecht-form-label--checkbox\" "
	            "for=\"published\">");
	html_text(b, T(r, "Show the public page (anyone with the link can read it)"));
	html_lit(b, "</label></div></div>");
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, id ? T(r, "Save") : T(r, "Start the trajectory"));
	html_lit(b, "</button></div></form>");
}

/* The trajectory's picture with its description as caption (o has
 * material_token and material_alt); nothing when there is none. */
static void material_figure(struct req *r, json_t *o)
{
	const char *token = page_jstr(o, "material_token");
	if (!*token)
		return;
	buf *b = &r->out;
	const char *alt = page_jstr(o, "material_alt");
	html_lit(b, "<figure class=\"vp-plan\"><img class=\"vp-material\" src=\"");
	html_url(b, page_printf(r, "/uploads/%s", token));
	html_lit(b, "\" alt=\"");
	html_attr(b, *alt ? alt : T(r, "The trajectory's picture"));
	html_lit(b, "\">");
	if (*alt) {
		html_lit(b, "<figcaption class=\"utrecht-paragraph vp-muted\">");
		html_text(b, alt);
		html_lit(b, "</figcaption>");
	}
	html_lit(b, "</figure>");
}

/* The public page's numbers: talks held, points raised and what was
 * decided on them, people who heard back. Counts only: no texts, no
 * people. Nothing before the first talk. */
static void public_numbers(struct req *r, long long id)
{
	json_t *n = NULL;
	if (conversation_public_summary_json(req_db(r), id, &n) != DB_OK || !n)
		return;
	if (page_jint(n, "held") > 0) {
		static const struct {
			const char *key, *label;
		} rows[] = {
		        {"held", N_("Kitchen-table talks held")},
		        {"points", N_("Points people raised")},
		        {"taken", N_("Points we take along")},
		        {"not_taken", N_("Points we do not take along (each with the reason)")},
		        {"open", N_("Points still to decide")},
		        {"heard_back", N_("People who heard back personally")},
		};
		buf *b = &r->out;
		html_lit(b, "<dl class=\"vp-dl\">");
		for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
			char num[24];
			snprintf(num, sizeof num, "%lld", page_jint(n, rows[i].key));
			dl_row(r, T(r, rows[i].label), num);
		}
		html_lit(b, "</dl>");
	}
	json_decref(n);
}

/* ---- the list ------------------------------------------------------------ */

static int list_page(struct req *r, const struct traj_form *t)
{
	buf j;
	buf_init(&j);
	int rc = trajectory_list_json(req_db(r), r->app->org_id, trajectory_viewer(&r->sess.user),
	                              &j);
	json_t *list = rc == DB_OK ? json_loads(j.data ? j.data : "[]", 0, NULL) : NULL;
	buf_free(&j);
	if (!list)
		return web_error(r, 503, NULL);
	buf *b = &r->out;
	page_begin(r, T(r, "Trajectories"));
	page_h1(r, T(r, "Trajectories"));
	page_para(r, "vp-lead",
	          T(r, "A trajectory is one participation process: a subject, a question, the "
	               "people you talk with, and what you do with what they say."));
	if (!trajectory_role_sees_all(r->sess.user.role))
		page_para(r, NULL, T(r, "You see the trajectories you work on."));
	if (json_array_size(list) == 0) {
		page_para(r, NULL, T(r, "There are no trajectories yet."));
	} else {
		html_lit(b, "<ul class=\"vp-cards\">");
		size_t i;
		json_t *o;
		json_array_foreach(list, i, o)
		{
			html_lit(b, "<li class=\"vp-card\"><h2 class=\"utrecht-heading-3\"><a "
			            "class=\"utrecht-link\" href=\"");
			html_attr(b, path_of(r, page_jint(o, "id"), NULL));
			html_lit(b, "\">");
			html_text(b, page_jstr(o, "title"));
			html_lit(b, "</a></h2><p class=\"utrecht-paragraph\">");
			html_text(b, rung_label(r, page_jstr(o, "ladder")));
			html_lit(b, " · ");
			html_text(b, strcmp(page_jstr(o, "status"), "closed") == 0 ? T(r, "closed")
			                                                           : T(r, "open"));
			if (json_array_size(json_object_get(o, "missing")) > 0) {
				html_lit(b, " · ");
				html_text(b, T(r, "not ready to invite"));
			}
			if (page_jint(o, "open_contact_requests") > 0) {
				html_lit(b, " · ");
				html_int(b, page_jint(o, "open_contact_requests"));
				html_lit(b, " ");
				html_text(b, T(r, "open contact requests"));
			}
			html_lit(b, "</p></li>");
		}
		html_lit(b, "</ul>");
	}
	if (may_change(r)) {
		page_h2(r, "nieuw", T(r, "New trajectory"));
		page_para(r, NULL,
		          T(r, "Start with the subject. Fill in the rest as you prepare: you can "
		               "invite people once the scope, the reason for choosing them and the "
		               "contact route are there."));
		traj_form(r, 0, t);
	}
	json_decref(list);
	page_end(r);
	return t ? t->status : 200;
}

int page_trajectories(struct req *r)
{
	return list_page(r, NULL);
}

struct create_job {
	struct traj_form t;
	struct trajectory_new n;
	struct trajectory_update u;
	struct trajectory_methods_set m;
	struct trajectory_close c;
	struct trajectory_staff_change s;
	struct contact_request_handled h;
};

static int create_write(db *d, void *ctx)
{
	struct create_job *j = ((struct req *)ctx)->hctx;
	int rc = page_picture_insert(d, &j->t.pic);
	if (rc == DB_OK)
		rc = trajectory_create_write(d, &j->n);
	if (rc == DB_OK) {
		j->m = (struct trajectory_methods_set){.org_id = j->n.org_id,
		                                       .id = j->n.id,
		                                       .method_ids = j->t.methods,
		                                       .n = j->t.nmethods};
		rc = trajectory_methods_write(d, &j->m);
	}
	return rc;
}

static int create_then(struct req *r)
{
	struct create_job *j = r->hctx;
	if (r->write_rc != 0) {
		page_picture_abandon(&j->t.pic);
		return web_error(r, 503, NULL);
	}
	return req_redirect(r, path_of(r, j->n.id, "?ok=created"));
}

int page_trajectory_create(struct req *r)
{
	struct create_job *j = arena_zalloc(r->a, sizeof *j);
	read_form(r, &j->t);
	if (j->t.error) {
		j->t.status = 422;
		return list_page(r, &j->t);
	}
	j->n.org_id = r->app->org_id;
	j->n.user_id = r->sess.user.id;
	j->n.f = j->t.f;
	r->hctx = j;
	return req_write(r, create_write, create_then);
}

/* ---- one trajectory ------------------------------------------------------ */

/* The trajectory of the route's {id} (the dispatcher checked the user may
 * see it). NULL after answering when it is gone or the database fails. */
static json_t *load(struct req *r, long long *id_out, int *status)
{
	int64_t id = 0;
	json_t *o = NULL;
	util_parse_id(req_param(r, 0), &id);
	int rc = trajectory_get_json(req_db(r), r->app->org_id, id, &o);
	if (rc != DB_ROW) {
		*status = web_error(r, rc == DB_DONE ? 404 : 503, NULL);
		return NULL;
	}
	*id_out = id;
	return o;
}

static const char *ok_message(struct req *r)
{
	const char *ok = req_query(r, "ok");
	if (!ok)
		return NULL;
	if (strcmp(ok, "created") == 0)
		return T(r, "The trajectory was started. You are on it as responsible official.");
	if (strcmp(ok, "saved") == 0)
		return T(r, "Saved.");
	if (strcmp(ok, "staff") == 0)
		return T(r, "Who works on the trajectory was changed.");
	if (strcmp(ok, "closed") == 0)
		return T(r, "The trajectory is closed.");
	if (strcmp(ok, "reopened") == 0)
		return T(r, "The trajectory is open again.");
	if (strcmp(ok, "handled") == 0)
		return T(r, "The contact request is marked as handled.");
	return NULL;
}

static void readiness(struct req *r, json_t *o)
{
	json_t *missing = json_object_get(o, "missing");
	if (json_array_size(missing) == 0) {
		page_alert(r, "ok",
		           T(r,
		             "Ready to invite: the scope, the reason for choosing people and the "
		             "contact route are filled in."));
		return;
	}
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-alert utrecht-alert--warning\" role=\"status\"><div "
	            "class=\"utrecht-alert__content\"><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Before you can invite anyone, fill in:"));
	html_lit(b, "</p><ul class=\"utrecht-unordered-list\">");
	size_t i;
	json_t *m;
	json_array_foreach(missing, i, m)
	{
		const char *k = json_string_value(m);
		html_lit(b, "<li>");
		html_text(b, strcmp(k, "scope") == 0
		                     ? T(r, "what may be discussed, and what happens "
		                            "with it")
		             : strcmp(k, "selection_rationale") == 0
		                     ? T(r, "why these people or this area")
		                     : T(r, "how others can get in touch"));
		html_lit(b, "</li>");
	}
	html_lit(b, "</ul></div></div>");
}

static void staff_section(struct req *r, json_t *o, long long id, int change)
{
	buf *b = &r->out;
	page_h2(r, "medewerkers", T(r, "Who works on it"));
	page_para(r, NULL,
	          T(r, "Only these staff members (and administrators) see this trajectory, its "
	               "collections and its stories."));
	html_lit(b, "<ul class=\"utrecht-unordered-list\">");
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(o, "staff"), i, s)
	{
		html_lit(b, "<li>");
		html_text(b, page_jstr(s, "display_name"));
		html_lit(b, " (");
		html_text(b, page_jstr(s, "username"));
		html_lit(b, ")");
		if (page_jint(s, "responsible")) {
			html_lit(b, " · ");
			html_text(b, T(r, "responsible"));
		}
		if (change) {
			html_lit(b, " <form class=\"vp-inline-form\" method=\"post\" action=\"");
			html_attr(b, path_of(r, id, "/medewerkers"));
			html_lit(b, "\">");
			page_csrf_field(r);
			html_lit(b, "<input type=\"hidden\" name=\"username\" value=\"");
			html_attr(b, page_jstr(s, "username"));
			html_lit(
			        b,
			        "\"><input type=\"hidden\" name=\"action\" value=\"remove\">"
			        "<button class=\"utrecht-button utrecht-button--secondary-action\" "
			        "type=\"submit\">");
			html_text(b, T(r, "Take off"));
			html_lit(b, "<span class=\"vp-visually-hidden\"> ");
			html_text(b, page_jstr(s, "display_name"));
			html_lit(b, "</span></button></form>");
		}
		html_lit(b, "</li>");
	}
	html_lit(b, "</ul>");
	if (!change)
		return;
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"");
	html_attr(b, path_of(r, id, "/medewerkers"));
	html_lit(b, "\">");
	page_csrf_field(r);
	html_lit(b, "<input type=\"hidden\" name=\"action\" value=\"add\">");
	page_text_field(r, "username", T(r, "Add a staff member (user name)"), NULL, "text", "off",
	                NULL, FIELD_REQUIRED);
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox\"><div "
	            "class=\"utrecht-form-field__input\"><input class=\"utrecht-checkbox "
	            "utrecht-checkbox--html-input\" type=\"checkbox\" id=\"responsible\" "
	            "name=\"responsible\" value=\"1\"><label class=\"utrecht-form-label "
	            "utrecht-form-label--checkbox\" for=\"responsible\">");
	html_text(b, T(r, "Responsible official (named on the public page)"));
	html_lit(b, "</label></div></div><div class=\"utrecht-button-group\"><button "
	            "class=\"utrecht-button utrecht-button--secondary-action\" type=\"submit\">");
	html_text(b, T(r, "Add"));
	html_lit(b, "</button></div></form>");
}

/* The status the list of conversations is narrowed to (?status=NAME, as
 * the overview's bars link), -1 for all; -2 for a name that is no status. */
static int status_wanted(struct req *r)
{
	const char *s = req_query(r, "status");
	if (!s || !*s)
		return -1;
	int st = conversation_status_parse(s);
	return st < 0 ? -2 : st;
}

/* The trajectory's kitchen-table conversations with their status (only
 * those of one status with ?status=), and making one. */
static void conversations_section(struct req *r, long long id, int change)
{
	buf *b = &r->out;
	page_h2(r, "gesprekken", T(r, "Conversations"));
	json_t *list = NULL;
	if (conversation_list_json(req_db(r), id, &list) != DB_OK || !json_is_array(list)) {
		json_decref(list);
		page_alert(r, "error", T(r, "The conversations could not be read."));
		return;
	}
	int want = status_wanted(r);
	if (json_array_size(list) == 0)
		page_para(r, NULL, T(r, "No conversations yet."));
	else if (want >= 0) {
		html_lit(b, "<p class=\"utrecht-paragraph vp-conversations-status\">");
		html_text(b, T(r, "Only the conversations with the status:"));
		html_lit(b, " <strong>");
		html_text(b, conversation_status_text(r, conversation_status_name(want)));
		html_lit(b, "</strong>. <a class=\"utrecht-link\" href=\"");
		html_attr(b, path_of(r, id, "#gesprekken"));
		html_lit(b, "\">");
		html_text(b, T(r, "Show all conversations"));
		html_lit(b, "</a></p>");
	}
	html_lit(b, "<ul class=\"utrecht-unordered-list\">");
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		if (want >= 0 && conversation_status_parse(page_jstr(c, "status")) != want)
			continue;
		char href[96];
		snprintf(href, sizeof href, "/trajecten/%lld/gesprekken/%lld", id,
		         page_jint(c, "id"));
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
		html_attr(b, href);
		html_lit(b, "\">");
		html_text(b, page_jstr(c, "title"));
		html_lit(b, "</a> · ");
		html_text(b, conversation_status_text(r, page_jstr(c, "status")));
		html_lit(b, "</li>");
	}
	html_lit(b, "</ul>");
	json_decref(list);
	if (!change)
		return;
	if (req_query(r, "fout"))
		page_alert(r, "error",
		           T(r, "Give the conversation a title of at most 200 characters."));
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"");
	html_attr(b, path_of(r, id, "/gesprekken"));
	html_lit(b, "\">");
	page_csrf_field(r);
	page_text_field(r, "conversation-title", T(r, "New conversation"),
	                T(r, "For example the street or the people you will visit."), "text", "off",
	                NULL, 0);
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--secondary-action\" type=\"submit\">");
	html_text(b, T(r, "Make the conversation"));
	html_lit(b, "</button></div></form>");
}

/* The methods a trajectory uses, by name, each a link to the catalogue. */
static void methods_row(struct req *r, json_t *ids)
{
	if (json_array_size(ids) == 0)
		return;
	buf *b = &r->out;
	html_lit(b, "<div class=\"vp-dl-row\"><dt>");
	html_text(b, T(r, "Methods used"));
	html_lit(b, "</dt><dd><ul class=\"utrecht-unordered-list\">");
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id)
	{
		struct method m;
		if (method_by_id(req_db(r), (int64_t)json_integer_value(id), r->a, &m) != DB_ROW)
			continue;
		char href[48];
		snprintf(href, sizeof href, "/werkvormen/%lld", (long long)m.id);
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
		html_attr(b, href);
		html_lit(b, "\">");
		html_text(b, strcmp(r->lang, "en") == 0 && m.name.en && *m.name.en ? m.name.en
		                                                                   : m.name.nl);
		html_lit(b, "</a></li>");
	}
	html_lit(b, "</ul></dd></div>");
}

static int overview(struct req *r, const char *error, int status)
{
	long long id;
	json_t *o = load(r, &id, &status);
	if (!o)
		return status;
	buf *b = &r->out;
	int change = may_change(r);
	page_begin(r, page_jstr(o, "title"));
	page_link_para(r, "/trajecten", T(r, "All trajectories"));
	page_h1(r, page_jstr(o, "title"));
	const char *ok = ok_message(r);
	if (error)
		page_alert(r, "error", error);
	else if (ok)
		page_alert(r, "ok", ok);
	readiness(r, o);
	int closed = strcmp(page_jstr(o, "status"), "closed") == 0;
	html_lit(b, "<dl class=\"vp-dl\">");
	dl_row(r, T(r, "Status"), closed ? T(r, "closed") : T(r, "open"));
	dl_row(r, T(r, "The concrete question"), page_jstr(o, "question"));
	dl_row(r, T(r, "What may be discussed, and what happens with it"), page_jstr(o, "scope"));
	dl_row(r, T(r, "Rung on the participation ladder"), rung_label(r, page_jstr(o, "ladder")));
	methods_row(r, json_object_get(o, "methods"));
	dl_row(r, T(r, "Target group"), page_jstr(o, "target_group"));
	dl_row(r, T(r, "Why these people or this area"), page_jstr(o, "selection_rationale"));
	dl_row(r, T(r, "How others can get in touch"), page_jstr(o, "contact_route"));
	dl_row(r, T(r, "From (first day)"), page_jstr(o, "starts_on"));
	dl_row(r, T(r, "Until (last day)"), page_jstr(o, "ends_on"));
	dl_row(r, T(r, "What was done with the input"), page_jstr(o, "outcome"));
	html_lit(b, "</dl>");
	material_figure(r, o);
	if (json_is_true(json_object_get(o, "published"))) {
		char pub[128];
		snprintf(pub, sizeof pub, "/meedoen/%s", page_jstr(o, "slug"));
		page_link_para(r, pub, T(r, "Open the public page"));
	} else {
		page_para(r, NULL, T(r, "The public page is not shown yet."));
	}
	if (change)
		page_link_para(r, path_of(r, id, "/bewerken"), T(r, "Change the trajectory"));
	page_link_para(r, path_of(r, id, "/dialoog"), T(r, "Dialogue tables"));

	page_h2(r, "verzamelingen", T(r, "Collections"));
	json_t *colls = json_object_get(o, "collections");
	if (json_array_size(colls) == 0)
		page_para(r, NULL,
		          T(r, "No collection of stories is part of this trajectory yet."));
	html_lit(b, "<ul class=\"utrecht-unordered-list\">");
	size_t i;
	json_t *c;
	json_array_foreach(colls, i, c)
	{
		char href[64];
		snprintf(href, sizeof href, "/verzamelingen/%lld", page_jint(c, "id"));
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
		html_attr(b, href);
		html_lit(b, "\">");
		html_text(b, page_jstr(c, "title"));
		html_lit(b, "</a> · ");
		html_int(b, page_jint(c, "stories"));
		html_lit(b, " ");
		html_text(b, T(r, "stories"));
		html_lit(b, "</li>");
	}
	html_lit(b, "</ul>");
	if (change) {
		char href[80];
		snprintf(href, sizeof href, "/verzamelingen?traject=%lld#nieuw", id);
		page_link_para(r, href, T(r, "Start a collection of stories in this trajectory"));
	}
	/* the overview and the report of the whole trajectory (page_overview.c) */
	page_link_para(r, path_of(r, id, "/overzicht"),
	               T(r, "Overview: stories, patterns and open feedback loops"));

	conversations_section(r, id, change);
	page_mirror_trajectory_section(r, id);

	page_h2(r, "contact", T(r, "Contact requests"));
	long long open = page_jint(o, "open_contact_requests");
	char msg[160];
	snprintf(msg, sizeof msg, "%lld", open);
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Open contact requests from the public page:"));
	html_lit(b, " ");
	html_text(b, msg);
	html_lit(b, ". <a class=\"utrecht-link\" href=\"");
	html_attr(b, path_of(r, id, "/contact"));
	html_lit(b, "\">");
	html_text(b, T(r, "Read the contact requests"));
	html_lit(b, "</a></p>");

	staff_section(r, o, id, change);

	if (change) {
		page_h2(r, "afsluiten", closed ? T(r, "Open again") : T(r, "Close the trajectory"));
		html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"");
		html_attr(b, path_of(r, id, "/sluiten"));
		html_lit(b, "\">");
		page_csrf_field(r);
		if (!closed) {
			page_textarea_field(r, "reason", T(r, "Reason (optional)"),
			                    T(r, "For example why some people did not hear back."),
			                    NULL, 2, NULL);
			html_lit(b, "<input type=\"hidden\" name=\"action\" value=\"close\">");
		} else {
			html_lit(b, "<input type=\"hidden\" name=\"action\" value=\"reopen\">");
		}
		html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
		            "utrecht-button--secondary-action\" type=\"submit\">");
		html_text(b, closed ? T(r, "Open again") : T(r, "Close the trajectory"));
		html_lit(b, "</button></div></form>");
	}
	json_decref(o);
	page_end(r);
	return status;
}

int page_trajectory(struct req *r)
{
	if (status_wanted(r) == -2)
		return overview(r,
		                T(r, "There is no such conversation status. The list shows all "
		                     "conversations."),
		                400);
	return overview(r, NULL, 200);
}

/* ---- edit ---------------------------------------------------------------- */

static int edit_page(struct req *r, const struct traj_form *t)
{
	long long id;
	int status = 200;
	json_t *o = load(r, &id, &status);
	if (!o)
		return status;
	struct traj_form cur = {0};
	if (!t) {
		struct trajectory_fields *f = &cur.f;
		f->title = arena_strdup(r->a, page_jstr(o, "title"));
		f->question = arena_strdup(r->a, page_jstr(o, "question"));
		f->scope = arena_strdup(r->a, page_jstr(o, "scope"));
		f->ladder = arena_strdup(r->a, page_jstr(o, "ladder"));
		f->target_group = arena_strdup(r->a, page_jstr(o, "target_group"));
		f->selection_rationale = arena_strdup(r->a, page_jstr(o, "selection_rationale"));
		f->contact_route = arena_strdup(r->a, page_jstr(o, "contact_route"));
		f->starts_on = arena_strdup(r->a, page_jstr(o, "starts_on"));
		f->ends_on = arena_strdup(r->a, page_jstr(o, "ends_on"));
		f->outcome = arena_strdup(r->a, page_jstr(o, "outcome"));
		f->material_alt = arena_strdup(r->a, page_jstr(o, "material_alt"));
		cur.current_material = arena_strdup(r->a, page_jstr(o, "material_token"));
		f->published = json_is_true(json_object_get(o, "published"));
		char days[16];
		snprintf(days, sizeof days, "%lld", page_jint(o, "retention_days"));
		cur.retention = arena_strdup(r->a, days);
		size_t i;
		json_t *m;
		json_array_foreach(json_object_get(o, "methods"), i, m)
		{
			if (cur.nmethods < TRAJ_FORM_METHODS)
				cur.methods[cur.nmethods++] = (int64_t)json_integer_value(m);
		}
		t = &cur;
	}
	page_begin(r, T(r, "Change the trajectory"));
	page_link_para(r, path_of(r, id, NULL), page_jstr(o, "title"));
	page_h1(r, T(r, "Change the trajectory"));
	traj_form(r, id, t);
	json_decref(o);
	page_end(r);
	return t->status ? t->status : 200;
}

int page_trajectory_edit_form(struct req *r)
{
	return edit_page(r, NULL);
}

static int update_write(db *d, void *ctx)
{
	struct create_job *j = ((struct req *)ctx)->hctx;
	int rc = page_picture_insert(d, &j->t.pic);
	if (rc == DB_OK)
		rc = trajectory_update_write(d, &j->u);
	if (rc == DB_OK && !j->u.found)
		return TRAJ_GONE; /* rolls the picture's row back */
	if (rc == DB_OK && j->u.found) {
		j->m = (struct trajectory_methods_set){.org_id = j->u.org_id,
		                                       .id = j->u.id,
		                                       .method_ids = j->t.methods,
		                                       .n = j->t.nmethods};
		rc = trajectory_methods_write(d, &j->m);
	}
	return rc;
}

static int update_then(struct req *r)
{
	struct create_job *j = r->hctx;
	if (r->write_rc != 0)
		page_picture_abandon(&j->t.pic);
	if (r->write_rc == TRAJ_GONE)
		return web_error(r, 404, NULL);
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	return req_redirect(r, path_of(r, j->u.id, "?ok=saved"));
}

int page_trajectory_save(struct req *r)
{
	struct create_job *j = arena_zalloc(r->a, sizeof *j);
	/* the picture stored now, which the form keeps unless replaced */
	long long tid;
	int status = 200;
	json_t *o = load(r, &tid, &status);
	if (!o)
		return status;
	j->t.current_material = arena_strdup(r->a, page_jstr(o, "material_token"));
	json_decref(o);
	read_form(r, &j->t);
	if (j->t.error) {
		j->t.status = 422;
		return edit_page(r, &j->t);
	}
	util_parse_id(req_param(r, 0), &j->u.id);
	j->u.org_id = r->app->org_id;
	j->u.user_id = r->sess.user.id;
	j->u.f = j->t.f;
	j->u.material_clear = j->t.material_clear;
	r->hctx = j;
	return req_write(r, update_write, update_then);
}

/* ---- staff, closing ------------------------------------------------------ */

static int staff_write(db *d, void *ctx)
{
	struct create_job *j = ((struct req *)ctx)->hctx;
	return trajectory_staff_write(d, &j->s);
}

static int staff_then(struct req *r)
{
	struct create_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (!j->s.found)
		return overview(r, T(r, "There is no active staff member with that user name."),
		                422);
	if (j->s.last)
		return overview(r,
		                T(r, "This is the last responsible official. Name another one "
		                     "first."),
		                409);
	return req_redirect(r, path_of(r, j->s.id, "?ok=staff#medewerkers"));
}

int page_trajectory_staff(struct req *r)
{
	struct create_job *j = arena_zalloc(r->a, sizeof *j);
	const char *action = req_form(r, "action");
	const char *username = page_form_trimmed(r, "username");
	if (!action || (strcmp(action, "add") != 0 && strcmp(action, "remove") != 0))
		return overview(r, T(r, "Choose to add or take off a staff member."), 422);
	struct user u;
	if (!*username || user_by_name(req_db(r), username, &u, NULL) != DB_ROW ||
	    u.org_id != r->app->org_id)
		return overview(r, T(r, "There is no active staff member with that user name."),
		                422);
	util_parse_id(req_param(r, 0), &j->s.id);
	j->s.org_id = r->app->org_id;
	j->s.user_id = u.id;
	j->s.add = strcmp(action, "add") == 0;
	j->s.responsible = req_form(r, "responsible") != NULL;
	r->hctx = j;
	return req_write(r, staff_write, staff_then);
}

static int close_write(db *d, void *ctx)
{
	struct create_job *j = ((struct req *)ctx)->hctx;
	return trajectory_close_write(d, &j->c);
}

static int close_then(struct req *r)
{
	struct create_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->c.result == TRAJECTORY_NOT_FOUND)
		return web_error(r, 404, NULL);
	if (j->c.result == TRAJECTORY_NEEDS_REASON)
		return overview(r,
		                T(r,
		                  "Some people have not heard back yet. Send their feedback first, "
		                  "or write why the trajectory closes without it."),
		                409);
	return req_redirect(r, path_of(r, j->c.id, j->c.close ? "?ok=closed" : "?ok=reopened"));
}

int page_trajectory_close(struct req *r)
{
	struct create_job *j = arena_zalloc(r->a, sizeof *j);
	const char *action = req_form(r, "action");
	if (!action || (strcmp(action, "close") != 0 && strcmp(action, "reopen") != 0))
		return overview(r, T(r, "Choose to close or open the trajectory."), 422);
	const char *reason = page_form_trimmed(r, "reason");
	if (*reason && !util_text_ok(reason, TRAJECTORY_TEXT_MAX))
		return overview(r, T(r, "Each text may have at most 4000 characters."), 422);
	util_parse_id(req_param(r, 0), &j->c.id);
	j->c.org_id = r->app->org_id;
	j->c.close = strcmp(action, "close") == 0;
	j->c.reason = reason;
	r->hctx = j;
	return req_write(r, close_write, close_then);
}

/* ---- contact requests (staff) -------------------------------------------- */

struct contact_view {
	int64_t id;
	json_t *list;
};

/* Reading contact requests is seeing personal data: logged first, in the
 * access log, one entry per request shown with the sender's code. */
static int contact_log_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct contact_view *v = r->hctx;
	return page_audit_views(d, r, v->list, "contact_request");
}

static int contact_then(struct req *r)
{
	struct contact_view *v = r->hctx;
	if (r->write_rc != 0) {
		json_decref(v->list);
		return web_error(r, 503, NULL);
	}
	buf *b = &r->out;
	page_begin(r, T(r, "Contact requests"));
	page_link_para(r, path_of(r, v->id, NULL), T(r, "Back to the trajectory"));
	page_h1(r, T(r, "Contact requests"));
	const char *ok = ok_message(r);
	if (ok)
		page_alert(r, "ok", ok);
	page_para(r, NULL,
	          T(r, "Messages sent with the form on the public page. Answer the person, then "
	               "mark the request as handled. Your viewing is recorded in the access log."));
	if (json_array_size(v->list) == 0)
		page_para(r, NULL, T(r, "There are no contact requests."));
	size_t i;
	json_t *c;
	json_array_foreach(v->list, i, c)
	{
		int handled = !json_is_null(json_object_get(c, "handled_at"));
		char when[21];
		clock_iso(page_jint(c, "created_at"), when);
		html_lit(b, "<section class=\"vp-card\" aria-labelledby=\"cr-");
		html_int(b, page_jint(c, "id"));
		html_lit(b, "\"><h2 class=\"utrecht-heading-3\" id=\"cr-");
		html_int(b, page_jint(c, "id"));
		html_lit(b, "\">");
		html_text(b, json_is_string(json_object_get(c, "name")) && *page_jstr(c, "name")
		                     ? page_jstr(c, "name")
		                     : T(r, "Without a name"));
		html_lit(b, " · ");
		html_text(b, when);
		if (handled) {
			html_lit(b, " · ");
			html_text(b, T(r, "handled"));
		}
		html_lit(b, "</h2><dl class=\"vp-dl\">");
		dl_row(r, T(r, "E-mail"), page_jstr(c, "email"));
		dl_row(r, T(r, "Phone"), page_jstr(c, "phone"));
		dl_row(r, T(r, "Participant code"), page_jstr(c, "participant_code"));
		html_lit(b, "</dl>");
		if (json_is_string(json_object_get(c, "message")))
			script_paragraphs(r, page_jstr(c, "message"), NULL);
		else
			page_alert(r, "error", T(r, "This message cannot be opened with the key."));
		if (!handled && may_change(r)) {
			char tail[64];
			snprintf(tail, sizeof tail, "/contact/%lld/afgehandeld",
			         page_jint(c, "id"));
			html_lit(b, "<form method=\"post\" action=\"");
			html_attr(b, path_of(r, v->id, tail));
			html_lit(b, "\">");
			page_csrf_field(r);
			html_lit(
			        b,
			        "<button class=\"utrecht-button utrecht-button--secondary-action\" "
			        "type=\"submit\">");
			html_text(b, T(r, "Mark as handled"));
			html_lit(b, "</button></form>");
		}
		html_lit(b, "</section>");
	}
	json_decref(v->list);
	page_end(r);
	return 200;
}

int page_trajectory_contact(struct req *r)
{
	struct contact_view *v = arena_zalloc(r->a, sizeof *v);
	util_parse_id(req_param(r, 0), &v->id);
	if (contact_request_list_json(req_db(r), r->app->vault, v->id, &v->list) != DB_OK) {
		json_decref(v->list);
		return web_error(r, 503, NULL);
	}
	r->hctx = v;
	if (json_array_size(v->list) == 0) {
		r->write_rc = 0;
		return contact_then(r);
	}
	return req_write(r, contact_log_write, contact_then);
}

static int handled_write(db *d, void *ctx)
{
	struct create_job *j = ((struct req *)ctx)->hctx;
	return contact_request_handled_write(d, &j->h);
}

static int handled_then(struct req *r)
{
	struct create_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (!j->h.found)
		return web_error(r, 404, NULL);
	return req_redirect(r, path_of(r, j->h.trajectory_id, "/contact?ok=handled"));
}

int page_trajectory_contact_handled(struct req *r)
{
	struct create_job *j = arena_zalloc(r->a, sizeof *j);
	util_parse_id(req_param(r, 0), &j->h.trajectory_id);
	if (util_parse_id(req_param(r, 1), &j->h.id) != 0)
		return web_error(r, 404, NULL);
	j->h.user_id = r->sess.user.id;
	r->hctx = j;
	return req_write(r, handled_write, handled_then);
}

/* ---- the public page ----------------------------------------------------- */

struct public_form {
	const char *name, *email, *phone, *message;
	const char *error;
	int sent;
};

static int public_page(struct req *r, const struct public_form *pf, int status)
{
	json_t *o = NULL;
	int rc = trajectory_public_json(req_db(r), req_param(r, 0), &o);
	if (rc != DB_ROW)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	buf *b = &r->out;
	page_begin(r, page_jstr(o, "title"));
	page_h1(r, page_jstr(o, "title"));
	if (*page_jstr(o, "question"))
		page_para(r, "vp-lead", page_jstr(o, "question"));
	if (strcmp(page_jstr(o, "status"), "closed") == 0)
		page_alert(r, "info", T(r, "This trajectory is finished."));
	html_lit(b, "<dl class=\"vp-dl\">");
	dl_row(r, T(r, "What may be discussed, and what happens with it"), page_jstr(o, "scope"));
	dl_row(r, T(r, "Who we talk with"), page_jstr(o, "target_group"));
	dl_row(r, T(r, "Why these people or this area"), page_jstr(o, "selection_rationale"));
	dl_row(r, T(r, "How you can get in touch"), page_jstr(o, "contact_route"));
	if (*page_jstr(o, "starts_on") || *page_jstr(o, "ends_on")) {
		char period[64];
		snprintf(period, sizeof period, "%s – %s", page_jstr(o, "starts_on"),
		         page_jstr(o, "ends_on"));
		dl_row(r, T(r, "When"), period);
	}
	json_t *resp = json_object_get(o, "responsible");
	if (json_array_size(resp) > 0) {
		buf names;
		buf_init(&names);
		size_t i;
		json_t *n;
		json_array_foreach(resp, i, n)
		{
			if (i)
				buf_puts(&names, ", ");
			buf_puts(&names, page_jstr(n, "display_name"));
		}
		dl_row(r, T(r, "Responsible"), names.data);
		buf_free(&names);
	}
	html_lit(b, "</dl>");
	material_figure(r, o);
	dialogue_public_section(r, o);
	page_h2(r, "resultaat", T(r, "What we did with what you said"));
	if (*page_jstr(o, "outcome"))
		script_paragraphs(r, page_jstr(o, "outcome"), NULL);
	else
		page_para(r, NULL,
		          T(r,
		            "We will write here what we did with what people told us, as soon as "
		            "we know."));
	public_numbers(r, page_jint(o, "id"));

	page_h2(r, "contact", T(r, "Ask a question or react"));
	if (pf && pf->sent) {
		page_alert(r, "ok",
		           T(r, "Thank you. Your message was sent to the team. They will answer "
		                "you."));
	} else {
		if (pf && pf->error)
			page_alert(r, "error", pf->error);
		page_para(r, NULL,
		          T(r, "Your message goes to the team of this trajectory only. We use your "
		               "details only to answer you."));
		html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"/meedoen/");
		html_attr(b, page_jstr(o, "slug"));
		html_lit(b, "/contact\">");
		page_csrf_field(r);
		page_text_field(r, "name", T(r, "Your name (optional)"), NULL, "text", "name",
		                pf ? pf->name : NULL, 0);
		page_text_field(r, "email", T(r, "E-mail address"),
		                T(r, "Give an e-mail address or a phone number."), "email", "email",
		                pf ? pf->email : NULL, 0);
		page_text_field(r, "phone", T(r, "Phone number"), NULL, "tel", "tel",
		                pf ? pf->phone : NULL, 0);
		page_textarea_field(r, "message", T(r, "Your message"), NULL,
		                    pf ? pf->message : NULL, 5, NULL);
		html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
		            "utrecht-button--primary-action\" type=\"submit\">");
		html_text(b, T(r, "Send"));
		html_lit(b, "</button></div></form>");
	}
	json_decref(o);
	page_end(r);
	return status;
}

int page_participate(struct req *r)
{
	return public_page(r, NULL, 200);
}

struct contact_job {
	struct public_form pf;
	struct contact_request_new c;
};

static int contact_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct contact_job *j = r->hctx;
	int rc = contact_request_write(d, &j->c);
	if (rc == DB_OK)
		rc = page_audit_one(d, r, "create", "contact_request", j->c.id, j->c.code);
	return rc;
}

static int contact_sent(struct req *r)
{
	struct contact_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	j->pf.sent = 1;
	return public_page(r, &j->pf, 201);
}

int page_participate_contact(struct req *r)
{
	json_t *o = NULL;
	int rc = trajectory_public_json(req_db(r), req_param(r, 0), &o);
	if (rc != DB_ROW)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	int64_t tid = (int64_t)page_jint(o, "id");
	json_decref(o);
	struct contact_job *j = arena_zalloc(r->a, sizeof *j);
	j->pf.name = page_form_trimmed(r, "name");
	j->pf.email = page_form_trimmed(r, "email");
	j->pf.phone = page_form_trimmed(r, "phone");
	j->pf.message = page_form_trimmed(r, "message");
	j->c = (struct contact_request_new){.v = r->app->vault,
	                                    .trajectory_id = tid,
	                                    .name = j->pf.name,
	                                    .email = j->pf.email,
	                                    .phone = j->pf.phone,
	                                    .message = j->pf.message};
	const char *bad = contact_request_check(&j->c);
	if (bad) {
		j->pf.error = T(r, bad);
		return public_page(r, &j->pf, 422);
	}
	r->hctx = j;
	return req_write(r, contact_write, contact_sent);
}
