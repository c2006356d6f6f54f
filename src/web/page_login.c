/* page_login.c: logging in and out, the account page and changing one's password. */
#include "web/pages.h"

#include "core/clock.h"
#include "core/util.h"
#include "http/server.h"
#include "model/audit.h"
#include "model/session.h"
#include "model/totp.h"
#include "web/html.h"
#include "web/i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Only local paths are followed after login. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strpbrk(next, "\r\n"))
		return "/";
	return next;
}

static int login_form(struct req *r, int status, const char *error)
{
	buf *b = &r->out;
	page_begin(r, T(r, "Log in"));
	html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Log in"));
	html_lit(b, "</h1><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "For staff of the municipality. Residents do not need an account to tell "
	                  "their story."));
	html_lit(b, "</p>");
	if (error)
		page_alert(r, "error", error);
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"/login\">");
	page_csrf_field(r);
	html_lit(b, "<input type=\"hidden\" name=\"next\" value=\"");
	html_attr(b, safe_next(req_form(r, "next") ? req_form(r, "next") : req_query(r, "next")));
	html_lit(b, "\">");
	page_text_field(r, "username", T(r, "Username"), NULL, "text", "username",
	                req_form(r, "username"), FIELD_REQUIRED | FIELD_AUTOFOCUS);
	page_text_field(r, "password", T(r, "Password"), NULL, "password", "current-password", NULL,
	                FIELD_REQUIRED);
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Log in"));
	html_lit(b, "</button></div></form>");
	page_end(r);
	return status;
}

int page_login_form(struct req *r)
{
	if (r->logged_in)
		return req_redirect(r, "/");
	/* A password already accepted waits for its code (page_2fa.c). */
	const char *pending = page_2fa_pending_path(r);
	if (pending)
		return req_redirect(r, pending);
	return login_form(r, 200, NULL);
}

struct login_state {
	char username[USERNAME_MAX + 1];
	int ok;
	int64_t user_id;
	int must_change;
	int factor; /* 0, or TOTP_PENDING_*: a code or enrolment comes first */
	char sid[65], csrf[65];
};

/* Every attempt goes to the access log. A name that is no account is not
 * kept: people type their password into the username field. */
static int login_audit(db *d, struct req *r, const struct login_state *st)
{
	struct audit_entry e = {.actor_user_id = st->ok ? st->user_id : 0,
	                        .actor = st->ok ? st->username : "anonymous",
	                        .action = st->ok ? (st->factor ? "login_password" : "login")
	                                         : "login_failed",
	                        .object_type = "user",
	                        .object_id = st->user_id ? st->username : "(unknown)",
	                        .origin = r->ip};
	return audit_append(d, &e);
}

static int login_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct login_state *st = r->hctx;
	int64_t now = clock_now();
	char subject[128];
	if (!st->ok) {
		snprintf(subject, sizeof subject, "user:%s", st->username);
		int rc = login_failure_record(d, subject, now);
		snprintf(subject, sizeof subject, "ip:%s", r->ip);
		rc = rc ? rc : login_failure_record(d, subject, now);
		return rc ? rc : login_audit(d, r, st);
	}
	snprintf(subject, sizeof subject, "user:%s", st->username);
	int rc = login_failures_clear(d, subject);
	/* With two-factor login the cookie gets a pending login, not a session. */
	if (st->factor)
		rc = rc ? rc
		        : totp_pending_create(d, st->user_id, st->factor,
		                              safe_next(req_form(r, "next")), r->ip, now, st->sid);
	else
		rc = rc ? rc : session_create(d, st->user_id, r->ip, st->sid, st->csrf);
	return rc ? rc : login_audit(d, r, st);
}

static int login_then(struct req *r)
{
	struct login_state *st = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (!st->ok)
		return login_form(r, 401, T(r, "The username or password is not correct."));
	req_set_cookie(r, SESSION_COOKIE, st->sid, -1, 1);
	if (st->factor)
		return req_redirect(r, st->factor == TOTP_PENDING_ENROL ? "/login/2fa/enrol"
		                                                        : "/login/2fa");
	if (st->must_change)
		return req_redirect(r, "/account/password");
	return req_redirect(r, safe_next(req_form(r, "next")));
}

int page_login(struct req *r)
{
	const char *name = req_form(r, "username");
	const char *password = req_form(r, "password");
	if (r->logged_in)
		return req_redirect(r, "/");
	if (!name || !password || !*name || !*password)
		return login_form(r, 400, T(r, "Fill in your username and password."));
	struct login_state *st = arena_zalloc(r->a, sizeof *st);
	/* Usernames are stored in lower case; compare them that way. */
	size_t n = 0;
	for (const char *p = name; *p && n < USERNAME_MAX; p++)
		if (*p != ' ')
			st->username[n++] = (char)tolower((unsigned char)*p);
	st->username[n] = '\0';
	r->hctx = st;

	db *d = req_db(r);
	int64_t now = clock_now();
	char subject[128];
	snprintf(subject, sizeof subject, "user:%s", st->username);
	int64_t by_user = login_failures(d, subject, now);
	snprintf(subject, sizeof subject, "ip:%s", r->ip);
	int64_t by_ip = login_failures(d, subject, now);
	if (by_user >= LOGIN_MAX_FAILURES || by_ip >= LOGIN_MAX_FAILURES) {
		req_set_header(r, "Retry-After", "900");
		return login_form(r, 429,
		                  T(r,
		                    "Too many failed attempts. Wait 15 minutes and try again, or "
		                    "ask an administrator to reset your password."));
	}
	struct user u;
	char hash[PWHASH_MAX];
	int found = user_by_name(d, st->username, &u, hash) == DB_ROW;
	int pw_ok = user_verify_password(found ? hash : NULL, password);
	st->ok = found && pw_ok && !u.disabled;
	st->user_id = found ? u.id : 0;
	st->must_change = found ? u.must_change_password : 0;
	st->factor = st->ok ? totp_login_factor(d, u.id) : 0;
	return req_write(r, login_write, login_then);
}

static int logout_write(db *d, void *ctx)
{
	struct req *r = ctx;
	return session_delete(d, r->sess.id_hash);
}

static int logout_then(struct req *r)
{
	req_set_cookie(r, SESSION_COOKIE, "", 0, 1);
	r->logged_in = 0;
	return req_redirect(r, "/");
}

int page_logout(struct req *r)
{
	return req_write(r, logout_write, logout_then);
}

int page_account(struct req *r)
{
	buf *b = &r->out;
	page_begin(r, T(r, "Your account"));
	html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Your account"));
	html_lit(b, "</h1><dl class=\"vp-facts\"><dt>");
	html_text(b, T(r, "Name"));
	html_lit(b, "</dt><dd>");
	html_text(b, r->sess.user.display_name);
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Username"));
	html_lit(b, "</dt><dd>");
	html_text(b, r->sess.user.username);
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Role"));
	html_lit(b, "</dt><dd>");
	html_text(b, role_label(r, r->sess.user.role));
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Organisation"));
	html_lit(b, "</dt><dd>");
	html_text(b, r->app->org_name);
	html_lit(b, "</dd></dl><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
	            "href=\"/account/password\">");
	html_text(b, T(r, "Change your password"));
	html_lit(b, "</a></p><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
	            "href=\"/account/2fa\">");
	html_text(b, T(r, "Two-factor login"));
	html_lit(b, "</a></p>");
	page_end(r);
	return 200;
}

static int password_form(struct req *r, int status, const char *error)
{
	buf *b = &r->out;
	page_begin(r, T(r, "Change your password"));
	html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Change your password"));
	html_lit(b, "</h1>");
	if (r->sess.user.must_change_password)
		page_alert(r, "info",
		           T(r, "You logged in with a one-time password. Choose your own password "
		                "before you go on."));
	if (error)
		page_alert(r, "error", error);
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "A good password has at least 12 characters. A sentence of a few words "
	                  "is easy to remember and hard to guess."));
	html_lit(b, "</p><form class=\"vp-form\" method=\"post\" action=\"/account/password\">");
	page_csrf_field(r);
	html_lit(
	        b,
	        "<input type=\"text\" name=\"username\" autocomplete=\"username\" hidden value=\"");
	html_attr(b, r->sess.user.username);
	html_lit(b, "\">");
	page_text_field(r, "current", T(r, "Current password"), NULL, "password",
	                "current-password", NULL, FIELD_REQUIRED | FIELD_AUTOFOCUS);
	page_text_field(r, "new", T(r, "New password"), NULL, "password", "new-password", NULL,
	                FIELD_REQUIRED);
	page_text_field(r, "repeat", T(r, "New password again"), NULL, "password", "new-password",
	                NULL, FIELD_REQUIRED);
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Save password"));
	html_lit(b, "</button></div></form>");
	page_end(r);
	return status;
}

int page_password_form(struct req *r)
{
	return password_form(r, 200, NULL);
}

struct password_state {
	char hash[PWHASH_MAX];
	char sid[65], csrf[65];
};

static int password_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct password_state *st = r->hctx;
	/* Setting the password ends every session of the user, this one too;
	 * the user goes on in a fresh one. */
	int rc = user_set_password(d, r->sess.user.id, st->hash, 0);
	rc = rc ? rc : session_create(d, r->sess.user.id, r->ip, st->sid, st->csrf);
	struct audit_entry e = {.actor_user_id = r->sess.user.id,
	                        .actor = r->sess.user.username,
	                        .action = "update",
	                        .object_type = "user",
	                        .object_id = r->sess.user.username,
	                        .origin = r->ip,
	                        .detail = "password changed"};
	return rc ? rc : audit_append(d, &e);
}

static int password_then(struct req *r)
{
	struct password_state *st = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	req_set_cookie(r, SESSION_COOKIE, st->sid, -1, 1);
	memcpy(r->sess.csrf, st->csrf, sizeof st->csrf);
	r->sess.user.must_change_password = 0;
	buf *b = &r->out;
	page_begin(r, T(r, "Password saved"));
	html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Password saved"));
	html_lit(b, "</h1>");
	page_alert(r, "ok", T(r, "Your new password is saved. Other sessions were logged out."));
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"/\">");
	html_text(b, T(r, "Go to the start page"));
	html_lit(b, "</a></p>");
	page_end(r);
	return 200;
}

int page_password(struct req *r)
{
	const char *cur = req_form(r, "current"), *nw = req_form(r, "new"),
	           *rep = req_form(r, "repeat");
	if (!cur || !nw || !rep)
		return password_form(r, 400, T(r, "Fill in all three fields."));
	struct user u;
	char hash[PWHASH_MAX];
	if (user_by_name(req_db(r), r->sess.user.username, &u, hash) != DB_ROW ||
	    !user_verify_password(hash, cur))
		return password_form(r, 422, T(r, "Your current password is not correct."));
	const char *bad = user_check_password(nw);
	if (bad)
		return password_form(r, 422, T(r, bad));
	if (strcmp(nw, rep) != 0)
		return password_form(r, 422, T(r, "The two new passwords are not the same."));
	if (strcmp(nw, cur) == 0)
		return password_form(r, 422,
		                     T(r, "Choose a password that differs from the current one."));
	struct password_state *st = arena_zalloc(r->a, sizeof *st);
	if (user_hash_password(nw, st->hash))
		return web_error(r, 503, NULL);
	r->hctx = st;
	return req_write(r, password_write, password_then);
}
