/* test_2fa.c: two-factor login over HTTP: enrolment, the code step, replay, recovery codes, lockout, required enrolment, CSRF. */
#include "../unit/testutil.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "db/migrate.h"
#include "http/routes.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
// clang-format on
#include "model/session.h"
#include "model/totp.h"
#include "model/user.h"

#include <libgen.h>
#include <liboath/oath.h>
#include <sodium.h>
#include <sys/wait.h>

#define ADMIN_PW "correct horse battery staple"
#define STAFF_PW "staff password 123"

static char binpath[512];
static int ipn;
/* carol is enrolled in the setup with the RFC 6238 test key. */
static const unsigned char carol_key[] = "12345678901234567890";

static void new_jar(struct jar *j)
{
	memset(j, 0, sizeof *j);
	ipn++;
	snprintf(j->ip, sizeof j->ip, "10.2.%d.%d", ipn / 250, ipn % 250 + 1);
}

/* An account whose display name is its username. */
static int64_t add_user(db *d, int64_t org, const char *name, unsigned role, const char *pw)
{
	int64_t id = fixture_user(d, org, name, name, role, pw, 0);
	assert_true(id > 0);
	return id;
}

static int setup(void **state)
{
	db *d = fixture_open("2fa");
	assert_non_null(d);
	char err[256];
	vault *v = vault_load(keypath, err, sizeof err);
	assert_non_null(v);
	int64_t org;
	assert_int_equal(org_ensure(d, "Gemeente Test", &org), DB_OK);
	add_user(d, org, "admin", ROLE_BEHEERDER, ADMIN_PW);
	add_user(d, org, "alice", ROLE_ONDERZOEKER, STAFF_PW);
	add_user(d, org, "bob", ROLE_GESPREKSVOERDER, STAFF_PW);
	int64_t carol = add_user(d, org, "carol", ROLE_MEELEZER, STAFF_PW);
	add_user(d, org, "dave", ROLE_MEELEZER, STAFF_PW);
	add_user(d, org, "erin", ROLE_MEELEZER, STAFF_PW);
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	assert_int_equal(totp_enrol(d, v, carol, carol_key, 0, codes), DB_OK);
	vault_free(v);
	struct app_config cfg;
	fixture_config(&cfg);
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* ---- helpers ------------------------------------------------------------------ */

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

static void plus_spaces(char *s)
{
	for (; *s; s++)
		if (*s == ' ')
			*s = '+';
}

/* Logs in with the password; returns the status, Location into loc. */
static int login(struct jar *j, const char *user, const char *pw, char *loc, size_t cap)
{
	struct http_resp r;
	j->session[0] = '\0'; /* a fresh start, also after a pending login */
	assert_int_equal(http_get(port, j, "/login", &r), 0);
	char token[128];
	int have = html_hidden(&r, "csrf_token", token, sizeof token) == 0;
	http_free(&r);
	assert_true(have);
	char form[512];
	snprintf(form, sizeof form, "csrf_token=%s&username=%s&password=%s&next=%%2Faccount", token,
	         user, pw);
	plus_spaces(form);
	assert_int_equal(http_post_form(port, j, "/login", form, &r), 0);
	int st = r.status;
	if (loc) {
		copy_str(loc, cap, http_header(&r, "Location"));
	}
	http_free(&r);
	return st;
}

/* GETs path; returns the status, and the hidden CSRF token of the page. */
static int get_token(struct jar *j, const char *path, char *token, size_t cap)
{
	struct http_resp r;
	assert_int_equal(http_get(port, j, path, &r), 0);
	int st = r.status;
	if (token && html_hidden(&r, "csrf_token", token, cap) != 0)
		token[0] = '\0';
	http_free(&r);
	return st;
}

/* The pending login of j has ended: the code page only says to log in. */
static void pending_gone(struct jar *j)
{
	struct http_resp r;
	assert_int_equal(http_get(port, j, "/login/2fa", &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "name=\"code\""));
	assert_non_null(strstr(r.body, "href=\"/login\""));
	http_free(&r);
}

/* GET path: status, and Location (or "") when loc. */
static int get_status(struct jar *j, const char *path, char *loc, size_t cap)
{
	struct http_resp r;
	assert_int_equal(http_get(port, j, path, &r), 0);
	int st = r.status;
	if (loc) {
		copy_str(loc, cap, http_header(&r, "Location"));
	}
	http_free(&r);
	return st;
}

static void code_now(const unsigned char *key, char out[7])
{
	assert_int_equal(totp_hotp(key, TOTP_SECRET_BYTES, totp_step(clock_now()), 6, out), 0);
}

/* The next time step: a code accepted now cannot be used again. */
static void next_step(void)
{
	clock_advance(TOTP_STEP_SECONDS);
}

/* POSTs a code (field "code" or "recovery") on /login/2fa. */
static int post_code(struct jar *j, const char *field, const char *code, struct http_resp *r)
{
	char token[128], form[400];
	assert_int_equal(get_token(j, "/login/2fa", token, sizeof token), 200);
	snprintf(form, sizeof form, "csrf_token=%s&%s=%s", token, field, code);
	assert_int_equal(http_post_form(port, j, "/login/2fa", form, r), 0);
	return r->status;
}

static int post_code_status(struct jar *j, const char *field, const char *code)
{
	struct http_resp r;
	int st = post_code(j, field, code, &r);
	http_free(&r);
	return st;
}

/* The secret on an enrolment page, from its otpauth:// link. */
static void page_secret(struct http_resp *r, unsigned char key[TOTP_SECRET_BYTES])
{
	const char *p = strstr(r->body, "secret=");
	assert_non_null(p);
	char *out = NULL;
	size_t n = 0;
	assert_int_equal(oath_base32_decode(p + 7, TOTP_SECRET_B32, &out, &n), OATH_OK);
	assert_int_equal(n, TOTP_SECRET_BYTES);
	memcpy(key, out, n);
	free(out);
}

/* The recovery codes on a page. */
static int page_codes(struct http_resp *r, char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1])
{
	static const char pat[] = "<code class=\"utrecht-code vp-otp\">";
	int n = 0;
	for (const char *p = strstr(r->body, pat); p && n < TOTP_RECOVERY_COUNT;
	     p = strstr(p + 1, pat)) {
		p += strlen(pat);
		if (strlen(p) > TOTP_RECOVERY_LEN && p[4] == '-' && p[TOTP_RECOVERY_LEN] == '<') {
			memcpy(codes[n], p, TOTP_RECOVERY_LEN);
			codes[n++][TOTP_RECOVERY_LEN] = '\0';
		}
	}
	return n;
}

/* Enrols the logged-in (or, with path /login/2fa/enrol, pending) jar at
 * path; returns the final page's status, key and codes filled in. */
static int enrol(struct jar *j, const char *path, unsigned char key[TOTP_SECRET_BYTES],
                 char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1])
{
	struct http_resp r;
	assert_int_equal(http_get(port, j, path, &r), 0);
	assert_int_equal(r.status, 200);
	/* WCAG and phones: a labelled numeric one-time-code field. */
	assert_non_null(strstr(r.body, "<label class=\"utrecht-form-label\" for=\"code\">"));
	assert_non_null(strstr(r.body, "inputmode=\"numeric\""));
	assert_non_null(strstr(r.body, "autocomplete=\"one-time-code\""));
	assert_non_null(strstr(r.body, "aria-describedby=\"code-hint\""));
	assert_non_null(strstr(r.body, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
	assert_non_null(strstr(r.body, "otpauth://totp/Vertelpunt%20Gemeente%20Test:"));
	page_secret(&r, key);
	char token[128], sealed[512], form[1024];
	assert_int_equal(html_hidden(&r, "csrf_token", token, sizeof token), 0);
	assert_int_equal(html_hidden(&r, "enrol", sealed, sizeof sealed), 0);
	http_free(&r);

	/* Without the CSRF token: refused. */
	char c[7];
	code_now(key, c);
	snprintf(form, sizeof form, "enrol=%s&code=%s", sealed, c);
	assert_int_equal(http_post_form(port, j, path, form, &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	/* A wrong code: the same secret is shown again. */
	snprintf(form, sizeof form, "csrf_token=%s&enrol=%s&code=000000", token, sealed);
	if (strcmp(c, "000000") == 0)
		snprintf(form, sizeof form, "csrf_token=%s&enrol=%s&code=111111", token, sealed);
	assert_int_equal(http_post_form(port, j, path, form, &r), 0);
	assert_int_equal(r.status, 422);
	unsigned char again[TOTP_SECRET_BYTES];
	page_secret(&r, again);
	assert_memory_equal(again, key, TOTP_SECRET_BYTES);
	http_free(&r);
	/* A tampered sealed secret does not open. */
	char bad[512];
	snprintf(bad, sizeof bad, "%s", sealed);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	snprintf(form, sizeof form, "csrf_token=%s&enrol=%s&code=%s", token, bad, c);
	assert_int_equal(http_post_form(port, j, path, form, &r), 0);
	assert_int_equal(r.status, 400);
	http_free(&r);
	/* The right code turns it on and shows ten recovery codes once. */
	snprintf(form, sizeof form, "csrf_token=%s&enrol=%s&code=%s", token, sealed, c);
	assert_int_equal(http_post_form(port, j, path, form, &r), 0);
	int st = r.status;
	if (st == 200)
		assert_int_equal(page_codes(&r, codes), TOTP_RECOVERY_COUNT);
	http_free(&r);
	next_step();
	return st;
}

static int count_audit(const char *action, const char *detail)
{
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE action = :a AND "
	                           "detail = :d");
	db_bind_text(s, "a", action);
	db_bind_text(s, "d", detail);
	assert_int_equal(db_step(s), DB_ROW);
	int n = (int)db_col_int(s, 0);
	db_finalize(s);
	db_close(d);
	return n;
}

static int64_t user_id(const char *name)
{
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	struct user u;
	assert_int_equal(user_by_name(d, name, &u, NULL), DB_ROW);
	db_close(d);
	return u.id;
}

static void logout(struct jar *j)
{
	char token[128], form[200];
	assert_int_equal(get_token(j, "/account", token, sizeof token), 200);
	snprintf(form, sizeof form, "csrf_token=%s", token);
	struct http_resp r;
	assert_int_equal(http_post_form(port, j, "/logout", form, &r), 0);
	assert_int_equal(r.status, 303);
	http_free(&r);
	j->session[0] = '\0';
}

/* alice's secret and recovery codes, enrolled in the first test. */
static unsigned char alice_key[TOTP_SECRET_BYTES];
static char alice_codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];

/* ---- tests ---------------------------------------------------------------------- */

static void test_enrol_then_login_needs_code(void **state)
{
	struct jar j;
	new_jar(&j);
	char loc[256];
	assert_int_equal(login(&j, "alice", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/account");
	assert_int_equal(enrol(&j, "/account/2fa", alice_key, alice_codes), 200);
	/* The settings page now shows the state and ten codes left. */
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/account/2fa", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<dd>10</dd>"));
	assert_non_null(strstr(r.body, "action=\"/account/2fa/disable\""));
	http_free(&r);
	assert_int_equal(count_audit("update", "two-factor enabled"), 1);
	logout(&j);

	/* The password alone gives no session now. */
	assert_int_equal(login(&j, "alice", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa");
	assert_int_equal(strlen(j.session), 64);
	char pending[128];
	snprintf(pending, sizeof pending, "%s", j.session);
	assert_int_equal(count_audit("login_password", ""), 1);
	assert_int_equal(get_status(&j, "/login/2fa", NULL, 0), 200);
	/* A wrong code. */
	char c[7];
	code_now(alice_key, c);
	assert_int_equal(post_code_status(&j, "code", strcmp(c, "123456") ? "123456" : "654321"),
	                 401);
	assert_int_equal(count_audit("login_failed", "wrong two-factor code"), 1);
	/* The right one: a real session, a new cookie, on to next. */
	assert_int_equal(post_code(&j, "code", c, &r), 303);
	assert_string_equal(http_header(&r, "Location"), "/account");
	http_free(&r);
	assert_string_not_equal(j.session, pending);
	assert_int_equal(get_status(&j, "/account", NULL, 0), 200);
	assert_int_equal(count_audit("login", "second factor: code"), 1);
	/* The pending login is gone. */
	struct jar old = j;
	snprintf(old.session, sizeof old.session, "%s", pending);
	pending_gone(&old);
	logout(&j);

	/* The same code again (same time step): a replay, refused. */
	assert_int_equal(login(&j, "alice", STAFF_PW, loc, sizeof loc), 303);
	assert_int_equal(post_code_status(&j, "code", c), 401);
	assert_int_equal(count_audit("login_failed", "two-factor code used before"), 1);
	next_step();
	code_now(alice_key, c);
	assert_int_equal(post_code_status(&j, "code", c), 303);
	assert_int_equal(get_status(&j, "/account", NULL, 0), 200);
	next_step();
}

static void test_pending_reaches_only_its_pages(void **state)
{
	struct jar j;
	new_jar(&j);
	char loc[256];
	assert_int_equal(login(&j, "alice", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa");
	/* Pages for staff send it to log in, and the login page to the code. */
	const char *staff[] = {"/account", "/account/2fa", "/account/password",
	                       "/beheer/gebruikers"};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
		assert_int_equal(get_status(&j, staff[i], loc, sizeof loc), 303);
		assert_memory_equal(loc, "/login?next=", 12);
	}
	assert_int_equal(get_status(&j, "/login", loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa");
	assert_int_equal(get_status(&j, "/login/2fa/enrol", loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa");
	assert_int_equal(get_status(&j, "/api/v1/me", NULL, 0), 401);
	assert_int_equal(get_status(&j, "/static/app.css", NULL, 0), 200);
	/* The public start page opens, but as for a visitor. */
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/", &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "action=\"/logout\""));
	http_free(&r);
	/* Logging out of a session it does not have: to the login page. */
	assert_int_equal(http_post_form(port, &j, "/logout", "csrf_token=x", &r), 0);
	assert_int_equal(r.status, 303);
	http_free(&r);
	/* Cancel ends the pending login. */
	char token[128], form[200];
	assert_int_equal(get_token(&j, "/login/2fa", token, sizeof token), 200);
	snprintf(form, sizeof form, "csrf_token=%s", token);
	char pending[128];
	snprintf(pending, sizeof pending, "%s", j.session);
	assert_int_equal(http_post_form(port, &j, "/login/2fa/cancel", form, &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(http_header(&r, "Set-Cookie"), "Max-Age=0"));
	http_free(&r);
	snprintf(j.session, sizeof j.session, "%s", pending);
	pending_gone(&j);
	/* A pending login lasts ten minutes. */
	assert_int_equal(login(&j, "alice", STAFF_PW, loc, sizeof loc), 303);
	assert_int_equal(get_status(&j, "/login/2fa", NULL, 0), 200);
	clock_advance(TOTP_PENDING_SECONDS + 1);
	pending_gone(&j);
	/* Posting a code then says so too, and nothing is counted. */
	struct http_resp late;
	snprintf(form, sizeof form, "csrf_token=%s&code=123456", j.csrf);
	assert_int_equal(http_post_form(port, &j, "/login/2fa", form, &late), 0);
	assert_int_equal(late.status, 400);
	http_free(&late);
	/* A made-up cookie is nothing. */
	snprintf(j.session, sizeof j.session, "%064d", 5);
	pending_gone(&j);
	/* Nor is a visitor without any cookie. */
	struct jar none;
	new_jar(&none);
	pending_gone(&none);
	assert_int_equal(get_status(&none, "/login/2fa/enrol", NULL, 0), 200);
}

static void test_recovery_code_once(void **state)
{
	struct jar j;
	new_jar(&j);
	char loc[256];
	assert_int_equal(login(&j, "alice", STAFF_PW, loc, sizeof loc), 303);
	assert_int_equal(post_code_status(&j, "recovery", alice_codes[0]), 303);
	assert_int_equal(get_status(&j, "/account", NULL, 0), 200);
	assert_int_equal(count_audit("login", "second factor: recovery code"), 1);
	logout(&j);
	/* Used: refused the second time. */
	assert_int_equal(login(&j, "alice", STAFF_PW, loc, sizeof loc), 303);
	struct http_resp r;
	assert_int_equal(post_code(&j, "recovery", alice_codes[0], &r), 401);
	assert_non_null(strstr(r.body, "role=\"alert\""));
	http_free(&r);
	/* Another one, typed in capitals without dashes. */
	char typed[32];
	size_t k = 0;
	for (const char *p = alice_codes[1]; *p; p++)
		if (*p != '-')
			typed[k++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	typed[k] = '\0';
	assert_int_equal(post_code_status(&j, "recovery", typed), 303);
	struct http_resp acc;
	assert_int_equal(http_get(port, &j, "/account/2fa", &acc), 0);
	assert_non_null(strstr(acc.body, "<dd>8</dd>"));
	http_free(&acc);
	/* New codes (with the password) replace the old ones. */
	char token[128], form[300];
	assert_int_equal(get_token(&j, "/account/2fa", token, sizeof token), 200);
	snprintf(form, sizeof form, "csrf_token=%s&current=wrong+password", token);
	assert_int_equal(http_post_form(port, &j, "/account/2fa/recovery", form, &r), 0);
	assert_int_equal(r.status, 422);
	http_free(&r);
	snprintf(form, sizeof form, "csrf_token=%s&current=%s", token, STAFF_PW);
	plus_spaces(form);
	assert_int_equal(http_post_form(port, &j, "/account/2fa/recovery", form, &r), 0);
	assert_int_equal(r.status, 200);
	char fresh[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	assert_int_equal(page_codes(&r, fresh), TOTP_RECOVERY_COUNT);
	http_free(&r);
	assert_int_equal(count_audit("update", "recovery codes renewed"), 1);
	logout(&j);
	assert_int_equal(login(&j, "alice", STAFF_PW, loc, sizeof loc), 303);
	assert_int_equal(post_code_status(&j, "recovery", alice_codes[2]), 401);
	assert_int_equal(post_code_status(&j, "recovery", fresh[9]), 303);
	memcpy(alice_codes, fresh, sizeof fresh);
}

static void test_lockout_after_five_wrong_codes(void **state)
{
	struct jar j;
	new_jar(&j);
	char loc[256], c[7];
	assert_int_equal(login(&j, "carol", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa");
	code_now(carol_key, c);
	const char *wrong = strcmp(c, "999999") ? "999999" : "888888";
	for (int i = 1; i < TOTP_MAX_FAILURES; i++)
		assert_int_equal(post_code_status(&j, "code", wrong), 401);
	char pending[128];
	snprintf(pending, sizeof pending, "%s", j.session);
	struct http_resp r;
	assert_int_equal(post_code(&j, "code", wrong, &r), 429);
	assert_string_equal(http_header(&r, "Retry-After"), "900");
	assert_non_null(strstr(http_header(&r, "Set-Cookie"), "Max-Age=0"));
	http_free(&r);
	assert_int_equal(
	        count_audit("login_failed", "wrong two-factor code; locked for 15 minutes"), 1);
	/* The pending login has ended. */
	snprintf(j.session, sizeof j.session, "%s", pending);
	pending_gone(&j);
	/* The password again, from elsewhere: still locked, even the right code. */
	struct jar k;
	new_jar(&k);
	assert_int_equal(login(&k, "carol", STAFF_PW, loc, sizeof loc), 303);
	assert_int_equal(get_status(&k, "/login/2fa", NULL, 0), 429);
	assert_int_equal(login(&k, "carol", STAFF_PW, loc, sizeof loc), 303);
	char form[200];
	/* The token is the visitor cookie's (double submit). */
	code_now(carol_key, c);
	snprintf(form, sizeof form, "csrf_token=%s&code=%s", k.csrf, c);
	assert_int_equal(http_post_form(port, &k, "/login/2fa", form, &r), 0);
	assert_int_equal(r.status, 429);
	http_free(&r);
	/* After the window, the right code works. */
	clock_advance(LOGIN_WINDOW_SECONDS + 1);
	assert_int_equal(login(&k, "carol", STAFF_PW, loc, sizeof loc), 303);
	code_now(carol_key, c);
	assert_int_equal(post_code_status(&k, "code", c), 303);
	assert_int_equal(get_status(&k, "/account", NULL, 0), 200);
	next_step();
}

static void admin_change(struct jar *admin, const char *user, const char *action, int want)
{
	char token[128], form[300], path[64];
	assert_int_equal(get_token(admin, "/beheer/gebruikers", token, sizeof token), 200);
	snprintf(path, sizeof path, "/beheer/gebruikers/%lld", (long long)user_id(user));
	snprintf(form, sizeof form, "csrf_token=%s&action=%s", token, action);
	struct http_resp r;
	assert_int_equal(http_post_form(port, admin, path, form, &r), 0);
	assert_int_equal(r.status, want);
	http_free(&r);
}

static void test_required_by_admin_forces_enrolment(void **state)
{
	struct jar admin, bob;
	new_jar(&admin);
	new_jar(&bob);
	char loc[256];
	assert_int_equal(login(&admin, "admin", ADMIN_PW, loc, sizeof loc), 303);
	assert_int_equal(login(&bob, "bob", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/account");
	/* The admin page offers it, with the person's name for screen readers. */
	struct http_resp r;
	assert_int_equal(http_get(port, &admin, "/beheer/gebruikers", &r), 0);
	assert_non_null(strstr(r.body, "value=\"require_2fa\""));
	http_free(&r);
	admin_change(&admin, "bob", "require_2fa", 200);
	assert_int_equal(count_audit("update", "two-factor required"), 1);
	/* bob's session ended: the next login goes through enrolment. */
	assert_int_equal(get_status(&bob, "/account", loc, sizeof loc), 303);
	assert_int_equal(login(&bob, "bob", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa/enrol");
	assert_int_equal(get_status(&bob, "/account", loc, sizeof loc), 303);
	assert_memory_equal(loc, "/login?next=", 12);
	assert_int_equal(get_status(&bob, "/login", loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa/enrol");
	assert_int_equal(get_status(&bob, "/login/2fa", loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa/enrol");
	unsigned char key[TOTP_SECRET_BYTES];
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	assert_int_equal(enrol(&bob, "/login/2fa/enrol", key, codes), 200);
	/* Enrolled, bob is logged in. */
	assert_int_equal(get_status(&bob, "/account", NULL, 0), 200);
	assert_int_equal(count_audit("login", "second factor: enrolment"), 1);
	/* Required: the settings page has no form to turn it off, and the
	 * POST is refused. */
	char token[128], form[300];
	assert_int_equal(http_get(port, &bob, "/account/2fa", &r), 0);
	assert_null(strstr(r.body, "action=\"/account/2fa/disable\""));
	assert_int_equal(html_hidden(&r, "csrf_token", token, sizeof token), 0);
	http_free(&r);
	snprintf(form, sizeof form, "csrf_token=%s&current=%s", token, STAFF_PW);
	plus_spaces(form);
	assert_int_equal(http_post_form(port, &bob, "/account/2fa/disable", form, &r), 0);
	assert_int_equal(r.status, 409);
	http_free(&r);
	/* Logging in now asks for a code. */
	logout(&bob);
	assert_int_equal(login(&bob, "bob", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa");
	char c[7];
	code_now(key, c);
	assert_int_equal(post_code_status(&bob, "code", c), 303);
	next_step();

	/* An administrator cannot require it of themselves before setting it
	 * up, nor reset their own. */
	admin_change(&admin, "admin", "require_2fa", 409);
	admin_change(&admin, "admin", "reset_2fa", 409);
	/* A reset (lost phone) ends bob's session; still required, so the
	 * next login enrols again. */
	assert_int_equal(http_get(port, &admin, "/beheer/gebruikers", &r), 0);
	assert_non_null(strstr(r.body, "value=\"reset_2fa\""));
	http_free(&r);
	admin_change(&admin, "bob", "reset_2fa", 200);
	assert_int_equal(count_audit("update", "two-factor reset"), 1);
	assert_int_equal(get_status(&bob, "/account", NULL, 0), 303);
	assert_int_equal(login(&bob, "bob", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa/enrol");
	/* No longer required and not enrolled: a plain login. */
	admin_change(&admin, "bob", "norequire_2fa", 200);
	assert_int_equal(login(&bob, "bob", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/account");
	/* Only administrators. */
	char path[64];
	snprintf(path, sizeof path, "/beheer/gebruikers/%lld", (long long)user_id("bob"));
	assert_int_equal(get_token(&bob, "/account", token, sizeof token), 200);
	snprintf(form, sizeof form, "csrf_token=%s&action=reset_2fa", token);
	assert_int_equal(http_post_form(port, &bob, path, form, &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
}

static void test_disable_own(void **state)
{
	struct jar j;
	new_jar(&j);
	char loc[256], c[7];
	assert_int_equal(login(&j, "dave", STAFF_PW, loc, sizeof loc), 303);
	unsigned char key[TOTP_SECRET_BYTES];
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	assert_int_equal(enrol(&j, "/account/2fa", key, codes), 200);
	char token[128], form[300];
	assert_int_equal(get_token(&j, "/account/2fa", token, sizeof token), 200);
	struct http_resp r;
	snprintf(form, sizeof form, "csrf_token=%s&current=not+it", token);
	assert_int_equal(http_post_form(port, &j, "/account/2fa/disable", form, &r), 0);
	assert_int_equal(r.status, 422);
	http_free(&r);
	snprintf(form, sizeof form, "current=%s", STAFF_PW);
	plus_spaces(form);
	assert_int_equal(http_post_form(port, &j, "/account/2fa/disable", form, &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	snprintf(form, sizeof form, "csrf_token=%s&current=%s", token, STAFF_PW);
	plus_spaces(form);
	assert_int_equal(http_post_form(port, &j, "/account/2fa/disable", form, &r), 0);
	assert_int_equal(r.status, 200);
	http_free(&r);
	assert_int_equal(count_audit("update", "two-factor disabled"), 1);
	logout(&j);
	assert_int_equal(login(&j, "dave", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/account");
	/* The old secret is gone: enrolling again shows a new one. */
	unsigned char key2[TOTP_SECRET_BYTES];
	assert_int_equal(enrol(&j, "/account/2fa", key2, codes), 200);
	assert_memory_not_equal(key, key2, TOTP_SECRET_BYTES);
	logout(&j);
	assert_int_equal(login(&j, "dave", STAFF_PW, loc, sizeof loc), 303);
	code_now(key, c);
	char c2[7];
	code_now(key2, c2);
	if (strcmp(c, c2) != 0)
		assert_int_equal(post_code_status(&j, "code", c), 401);
	assert_int_equal(post_code_status(&j, "code", c2), 303);
	next_step();
}

/* Every POST of two-factor login refuses a missing or wrong CSRF token. */
static void test_csrf_on_every_post(void **state)
{
	struct jar pending, session;
	new_jar(&pending);
	new_jar(&session);
	char loc[256];
	assert_int_equal(login(&pending, "alice", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa");
	assert_int_equal(login(&session, "erin", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/account");
	int seen = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (strcmp(rt->method, "POST") != 0 || (strncmp(rt->path, "/login/2fa", 10) != 0 &&
		                                        strncmp(rt->path, "/account/2fa", 12) != 0))
			continue;
		struct jar *j = rt->path[1] == 'l' ? &pending : &session;
		const char *forms[] = {"code=123456&current=x&recovery=x",
		                       "csrf_token=0000000000000000000000000000000000000000000000"
		                       "000000000000000000&code=123456&current=x"};
		for (int k = 0; k < 2; k++) {
			struct http_resp r;
			assert_int_equal(http_post_form(port, j, rt->path, forms[k], &r), 0);
			if (r.status != 403)
				fail_msg("POST %s without a valid token: %d", rt->path, r.status);
			http_free(&r);
		}
		seen++;
	}
	assert_int_equal(seen, 6);
	/* The pending login survived all that. */
	assert_int_equal(get_status(&pending, "/login/2fa", NULL, 0), 200);
	/* Cancel does not touch a real session (that is /logout's work). */
	char token[128], form[200];
	assert_int_equal(get_token(&session, "/account", token, sizeof token), 200);
	snprintf(form, sizeof form, "csrf_token=%s", token);
	struct http_resp r;
	assert_int_equal(http_post_form(port, &session, "/login/2fa/cancel", form, &r), 0);
	assert_int_equal(r.status, 303);
	assert_null(http_header(&r, "Set-Cookie"));
	http_free(&r);
	assert_int_equal(get_status(&session, "/account", NULL, 0), 200);
}

static int run_cli(const char *args, char *out, size_t cap)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' user --db '%s' %s 2>&1", binpath, dbpath, args);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli_require_and_reset(void **state)
{
	if (access(binpath, X_OK) != 0) {
		print_message("no %s: skipped\n", binpath);
		skip();
	}
	char out[2048], loc[256];
	assert_int_equal(run_cli("require-2fa erin on", out, sizeof out), 0);
	assert_non_null(strstr(out, "\"username\":\"erin\""));
	assert_int_equal(count_audit("update", "two-factor required"), 2);
	struct jar j;
	new_jar(&j);
	assert_int_equal(login(&j, "erin", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/login/2fa/enrol");
	unsigned char key[TOTP_SECRET_BYTES];
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	assert_int_equal(enrol(&j, "/login/2fa/enrol", key, codes), 200);
	assert_int_equal(get_status(&j, "/account", NULL, 0), 200);
	/* A reset ends the session. */
	assert_int_equal(run_cli("reset-2fa erin", out, sizeof out), 0);
	assert_int_equal(get_status(&j, "/account", NULL, 0), 303);
	assert_int_equal(count_audit("update", "two-factor reset"), 2);
	assert_int_equal(run_cli("require-2fa erin off", out, sizeof out), 0);
	assert_int_equal(login(&j, "erin", STAFF_PW, loc, sizeof loc), 303);
	assert_string_equal(loc, "/account");
	/* Bad use says how. */
	assert_int_not_equal(run_cli("require-2fa erin maybe", out, sizeof out), 0);
	assert_non_null(strstr(out, "require-2fa USERNAME on|off"));
	assert_int_not_equal(run_cli("reset-2fa nobody", out, sizeof out), 0);
	assert_non_null(strstr(out, "no account 'nobody'"));
}

static void test_texts_in_english(void **state)
{
	struct jar j;
	new_jar(&j);
	snprintf(j.lang, sizeof j.lang, "en");
	char loc[256];
	assert_int_equal(login(&j, "alice", STAFF_PW, loc, sizeof loc), 303);
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/login/2fa", &r), 0);
	assert_non_null(strstr(r.body, "Code from the app"));
	http_free(&r);
	j.lang[0] = '\0';
	assert_int_equal(http_get(port, &j, "/login/2fa", &r), 0);
	assert_null(strstr(r.body, "Code from the app"));
	assert_non_null(strstr(r.body, "<html lang=\"nl\""));
	http_free(&r);
}

int main(int argc, char **argv)
{
	/* The program next to the tests' folder: build/tests/test_2fa ->
	 * build/vertelpunt. */
	char self[512];
	snprintf(self, sizeof self, "%s", argv[0]);
	snprintf(binpath, sizeof binpath, "%s/../vertelpunt", dirname(self));
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_enrol_then_login_needs_code),
	        cmocka_unit_test(test_pending_reaches_only_its_pages),
	        cmocka_unit_test(test_recovery_code_once),
	        cmocka_unit_test(test_lockout_after_five_wrong_codes),
	        cmocka_unit_test(test_required_by_admin_forces_enrolment),
	        cmocka_unit_test(test_disable_own),
	        cmocka_unit_test(test_csrf_on_every_post),
	        cmocka_unit_test(test_cli_require_and_reset),
	        cmocka_unit_test(test_texts_in_english),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
