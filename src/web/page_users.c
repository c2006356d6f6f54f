/* page_users.c: the administrator's page for staff accounts (list, add, change role, disable, reset). */
#include "web/pages.h"

#include "http/server.h"
#include "model/audit.h"
#include "model/totp.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/users_common.h"

#include <stdio.h>
#include <string.h>

static const unsigned all_roles[] = {ROLE_BEHEERDER, ROLE_ONDERZOEKER, ROLE_GESPREKSVOERDER,
                                     ROLE_PROCESBEGELEIDER, ROLE_MEELEZER};

static void role_select(struct req *r, const char *id, unsigned selected)
{
	buf *b = &r->out;
	html_lit(b, "<select class=\"utrecht-select utrecht-select--html-select\" id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"role\">");
	for (size_t i = 0; i < sizeof all_roles / sizeof all_roles[0]; i++) {
		html_lit(b, "<option value=\"");
		html_attr(b, role_name(all_roles[i]));
		html_lit(b, "\"");
		if (all_roles[i] == selected)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_text(b, role_label(r, all_roles[i]));
		html_lit(b, "</option>");
	}
	html_lit(b, "</select>");
}

/* The person's name for screen readers, after a button's visible text. */
static void hidden_name(struct req *r, const char *name)
{
	html_lit(&r->out, "<span class=\"vp-visually-hidden\"> ");
	html_text(&r->out, name);
	html_lit(&r->out, "</span>");
}

static int users_page(struct req *r, int status, const char *kind, const char *message,
                      const char *otp_for, const char *otp)
{
	buf *b = &r->out;
	page_begin(r, T(r, "Staff accounts"));
	html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Staff accounts"));
	html_lit(b, "</h1>");
	if (message)
		page_alert(r, kind, message);
	if (otp) {
		html_lit(b,
		         "<div class=\"utrecht-alert utrecht-alert--ok\" role=\"status\">"
		         "<div class=\"utrecht-alert__content\"><p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "One-time password for"));
		html_lit(b, " <strong>");
		html_text(b, otp_for);
		html_lit(b, "</strong>: <code class=\"utrecht-code vp-otp\">");
		html_text(b, otp);
		html_lit(b, "</code></p><p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Give it to the person in a safe way. It is shown only now; they "
		                  "choose their own password when they first log in."));
		html_lit(b, "</p></div></div>");
	}
	html_lit(b, "<div class=\"vp-table-wrap\"><table class=\"utrecht-table\"><caption "
	            "class=\"utrecht-table__caption\">");
	html_text(b, T(r, "Everyone who can log in"));
	html_lit(b, "</caption><thead class=\"utrecht-table__header\"><tr "
	            "class=\"utrecht-table__row\">");
	const char *heads[] = {N_("Name"),   N_("Username"),         N_("Role"),
	                       N_("Status"), N_("Two-factor login"), N_("Change")};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, T(r, heads[i]));
		html_lit(b, "</th>");
	}
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
	db_stmt *s = db_prepare(req_db(r), "SELECT id, username, display_name, role, disabled "
	                                   "FROM users ORDER BY display_name, username");
	while (db_step(s) == DB_ROW) {
		char idbuf[24];
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)db_col_int(s, 0));
		unsigned role = role_parse(db_col_text(s, 3));
		int disabled = (int)db_col_int(s, 4);
		html_lit(
		        b,
		        "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
		        "scope=\"row\">");
		html_text(b, db_col_text(s, 2));
		html_lit(b, "</th><td class=\"utrecht-table__cell\">");
		html_text(b, db_col_text(s, 1));
		html_lit(b, "</td><td class=\"utrecht-table__cell\">");
		html_text(b, role_label(r, role));
		html_lit(b, "</td><td class=\"utrecht-table__cell\">");
		html_text(b, disabled ? T(r, "disabled") : T(r, "active"));
		struct totp_status tfa;
		if (totp_status_get(req_db(r), db_col_int(s, 0), &tfa) != DB_OK)
			memset(&tfa, 0, sizeof tfa);
		html_lit(b, "</td><td class=\"utrecht-table__cell\">");
		html_text(b, tfa.enrolled ? T(r, "on") : T(r, "off"));
		if (tfa.required) {
			html_lit(b, " (");
			html_text(b, T(r, "required"));
			html_lit(b, ")");
		}
		html_lit(b, "</td><td class=\"utrecht-table__cell\"><form class=\"vp-row-form\" "
		            "method=\"post\" action=\"/beheer/gebruikers/");
		html_attr(b, idbuf);
		html_lit(b, "\">");
		page_csrf_field(r);
		char sel_id[40];
		snprintf(sel_id, sizeof sel_id, "role-%s", idbuf);
		html_lit(b, "<label class=\"utrecht-form-label vp-visually-hidden\" for=\"");
		html_attr(b, sel_id);
		html_lit(b, "\">");
		html_text(b, T(r, "Role of"));
		html_lit(b, " ");
		html_text(b, db_col_text(s, 2));
		html_lit(b, "</label>");
		role_select(r, sel_id, role);
		html_lit(b, " <button class=\"utrecht-button utrecht-button--secondary-action\" "
		            "type=\"submit\" name=\"action\" value=\"role\">");
		html_text(b, T(r, "Save role"));
		hidden_name(r, db_col_text(s, 2));
		html_lit(b, "</button> <button class=\"utrecht-button "
		            "utrecht-button--secondary-action\" "
		            "type=\"submit\" name=\"action\" value=\"");
		html_attr(b, disabled ? "enable" : "disable");
		html_lit(b, "\">");
		html_text(b, disabled ? T(r, "Enable") : T(r, "Disable"));
		hidden_name(r, db_col_text(s, 2));
		html_lit(b, "</button> <button class=\"utrecht-button "
		            "utrecht-button--secondary-action\" "
		            "type=\"submit\" name=\"action\" value=\"reset\">");
		html_text(b, T(r, "New one-time password"));
		hidden_name(r, db_col_text(s, 2));
		html_lit(b, "</button> <button class=\"utrecht-button "
		            "utrecht-button--secondary-action\" "
		            "type=\"submit\" name=\"action\" value=\"");
		html_attr(b, tfa.required ? "norequire_2fa" : "require_2fa");
		html_lit(b, "\">");
		html_text(b, tfa.required ? T(r, "Do not require two-factor login")
		                          : T(r, "Require two-factor login"));
		hidden_name(r, db_col_text(s, 2));
		html_lit(b, "</button>");
		if (tfa.enrolled) {
			html_lit(b, " <button class=\"utrecht-button "
			            "utrecht-button--secondary-action\" "
			            "type=\"submit\" name=\"action\" value=\"reset_2fa\">");
			html_text(b, T(r, "Reset two-factor login"));
			hidden_name(r, db_col_text(s, 2));
			html_lit(b, "</button>");
		}
		html_lit(b, "</form></td></tr>");
	}
	db_finalize(s);
	html_lit(b, "</tbody></table></div><h2 class=\"utrecht-heading-2\">");
	html_text(b, T(r, "Add a staff member"));
	html_lit(b, "</h2><form class=\"vp-form\" method=\"post\" action=\"/beheer/gebruikers\">");
	page_csrf_field(r);
	const char *labels[][3] = {{"display_name", N_("Name"), "off"},
	                           {"username", N_("Username"), "off"}};
	for (int i = 0; i < 2; i++) {
		html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text\"><div "
		            "class=\"utrecht-form-field__label\"><label "
		            "class=\"utrecht-form-label\" for=\"new-");
		html_attr(b, labels[i][0]);
		html_lit(b, "\">");
		html_text(b, T(r, labels[i][1]));
		html_lit(
		        b,
		        "</label></div><div class=\"utrecht-form-field__input\"><input "
		        "class=\"utrecht-textbox utrecht-textbox--html-input\" required id=\"new-");
		html_attr(b, labels[i][0]);
		html_lit(b, "\" name=\"");
		html_attr(b, labels[i][0]);
		html_lit(b, "\" autocomplete=\"");
		html_attr(b, labels[i][2]);
		html_lit(b, "\"></div></div>");
	}
	html_lit(b, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
	            "<label class=\"utrecht-form-label\" for=\"new-role\">");
	html_text(b, T(r, "Role"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\">");
	role_select(r, "new-role", ROLE_MEELEZER);
	html_lit(b,
	         "</div></div><div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	         "utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Add"));
	html_lit(b, "</button></div></form>");
	page_end(r);
	return status;
}

int page_users(struct req *r)
{
	return users_page(r, 200, NULL, NULL, NULL, NULL);
}

static int add_then(struct req *r)
{
	struct user_new *st = r->hctx;
	if (r->write_rc == DB_CONSTRAINT)
		return users_page(r, 409, "error", T(r, "This username is already taken."), NULL,
		                  NULL);
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	return users_page(r, 201, "ok", T(r, "The account was added."), st->username, st->password);
}

int page_user_add(struct req *r)
{
	struct user_new *st = arena_zalloc(r->a, sizeof *st);
	const char *bad = user_new_prepare(st, r->app->org_id, req_form(r, "username"),
	                                   req_form(r, "display_name"), req_form(r, "role"));
	if (bad)
		return users_page(r, 422, "error", T(r, bad), NULL, NULL);
	r->hctx = st;
	return req_write(r, user_new_write, add_then);
}

struct change_state {
	int64_t id;
	enum {
		CH_ROLE,
		CH_DISABLE,
		CH_ENABLE,
		CH_RESET,
		CH_REQUIRE_2FA,
		CH_NOREQUIRE_2FA,
		CH_RESET_2FA
	} action;
	unsigned role;
	char password[25];
	char hash[PWHASH_MAX];
	char username[USERNAME_MAX + 1];
};

static int change_apply(db *d, void *ctx)
{
	struct req *r = ctx;
	struct change_state *st = r->hctx;
	struct user u;
	if (user_by_id(d, st->id, &u) != DB_ROW)
		return DB_DONE;
	snprintf(st->username, sizeof st->username, "%s", u.username);
	switch (st->action) {
	case CH_ROLE: return user_set_role(d, st->id, st->role);
	case CH_DISABLE: return user_set_disabled(d, st->id, 1);
	case CH_ENABLE: return user_set_disabled(d, st->id, 0);
	case CH_RESET: return user_set_password(d, st->id, st->hash, 1);
	case CH_REQUIRE_2FA: return totp_set_required(d, st->id, 1);
	case CH_NOREQUIRE_2FA: return totp_set_required(d, st->id, 0);
	case CH_RESET_2FA: return totp_reset(d, st->id);
	}
	return DB_ERROR;
}

/* The change and its access-log entry commit together or not at all. */
static int change_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct change_state *st = r->hctx;
	int rc = change_apply(d, ctx);
	if (rc)
		return rc;
	static const char *const what[] = {[CH_DISABLE] = "disabled",
	                                   [CH_ENABLE] = "enabled",
	                                   [CH_RESET] = "password reset",
	                                   [CH_REQUIRE_2FA] = "two-factor required",
	                                   [CH_NOREQUIRE_2FA] = "two-factor not required",
	                                   [CH_RESET_2FA] = "two-factor reset"};
	char detail[48];
	snprintf(detail, sizeof detail, "role=%s", role_name(st->role));
	struct audit_entry e = {.actor_user_id = r->sess.user.id,
	                        .actor = r->sess.user.username,
	                        .action = "update",
	                        .object_type = "user",
	                        .object_id = st->username,
	                        .origin = r->ip,
	                        .detail = st->action == CH_ROLE ? detail : what[st->action]};
	return audit_append(d, &e);
}

static int change_then(struct req *r)
{
	struct change_state *st = r->hctx;
	if (r->write_rc == DB_DONE)
		return web_error(r, 404, NULL);
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (st->action == CH_RESET)
		return users_page(r, 200, NULL, NULL, st->username, st->password);
	return users_page(r, 200, "ok", T(r, "The change was saved."), NULL, NULL);
}

int page_user_change(struct req *r)
{
	struct change_state *st = arena_zalloc(r->a, sizeof *st);
	const char *action = req_form(r, "action");
	if (util_parse_id(req_param(r, 0), &st->id))
		return web_error(r, 404, NULL);
	if (!action)
		return users_page(r, 422, "error", T(r, "Choose what to change."), NULL, NULL);
	if (!strcmp(action, "role")) {
		st->action = CH_ROLE;
		st->role = role_parse(req_form(r, "role"));
		if (!st->role)
			return users_page(r, 422, "error", T(r, "Choose one of the roles."), NULL,
			                  NULL);
	} else if (!strcmp(action, "disable")) {
		st->action = CH_DISABLE;
	} else if (!strcmp(action, "enable")) {
		st->action = CH_ENABLE;
	} else if (!strcmp(action, "reset")) {
		st->action = CH_RESET;
		user_generate_password(st->password);
		if (user_hash_password(st->password, st->hash))
			return web_error(r, 503, NULL);
	} else if (!strcmp(action, "require_2fa")) {
		st->action = CH_REQUIRE_2FA;
	} else if (!strcmp(action, "norequire_2fa")) {
		st->action = CH_NOREQUIRE_2FA;
	} else if (!strcmp(action, "reset_2fa")) {
		st->action = CH_RESET_2FA;
	} else {
		return users_page(r, 422, "error", T(r, "Choose what to change."), NULL, NULL);
	}
	/* An administrator cannot lock themselves out, nor end their own
	 * session by requiring two-factor login they have not set up. */
	struct totp_status own;
	if (st->id == r->sess.user.id &&
	    (st->action == CH_RESET_2FA ||
	     (st->action == CH_REQUIRE_2FA &&
	      (totp_status_get(req_db(r), st->id, &own) != DB_OK || !own.enrolled))))
		return users_page(r, 409, "error",
		                  T(r, "Set up or change your own two-factor login on your account "
		                       "page first."),
		                  NULL, NULL);
	if (st->id == r->sess.user.id &&
	    (st->action == CH_DISABLE || (st->action == CH_ROLE && st->role != ROLE_BEHEERDER)))
		return users_page(r, 409, "error",
		                  T(r, "You cannot take away your own administrator rights."), NULL,
		                  NULL);
	r->hctx = st;
	return req_write(r, change_write, change_then);
}
