/* test_http.c: the real server on a random 127.0.0.1 port: sessions, CSRF, roles, limits, errors, headers. */
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
#include "model/audit.h"
#include "model/session.h"
#include "model/user.h"

#include <sodium.h>
#include <sys/stat.h>
#include <time.h>

#define ADMIN_PW  "correct horse battery staple"
#define READER_PW "reader password 123"

static int ipn; /* every test gets its own client address (X-Forwarded-For) */

static void new_jar(struct jar *j)
{
	memset(j, 0, sizeof *j);
	ipn++;
	snprintf(j->ip, sizeof j->ip, "10.0.%d.%d", ipn / 250, ipn % 250 + 1);
}

static int setup(void **state)
{
	db *d = fixture_open("http");
	int64_t org;
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK ||
	    !fixture_user(d, org, "admin", "Anna <Beheer>", ROLE_BEHEERDER, ADMIN_PW, 0) ||
	    !fixture_user(d, org, "reader", "Rob Meelezer", ROLE_MEELEZER, READER_PW, 0))
		return -1;
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.per_ip_limit = 40;
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* Logs in through the form; returns the final status of POST /login. */
static int login(struct jar *j, const char *user, const char *pw)
{
	return fixture_login(j, user, pw, "%2Faccount");
}

/* The CSRF token of a logged-in page (from the logout form). */
static void session_csrf(struct jar *j, char *out, size_t cap)
{
	struct http_resp r;
	assert_int_equal(http_get(port, j, "/account", &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(html_hidden(&r, "csrf_token", out, cap), 0);
	http_free(&r);
}

static void test_healthz(void **state)
{
	struct http_resp r;
	assert_int_equal(http_get(port, NULL, "/healthz", &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(http_header(&r, "Content-Type"), "application/json");
	assert_memory_equal(r.body, "{\"status\":\"ok\"}", 15);
	http_free(&r);
}

/* frameable: the route is marked ROUTE_FRAMEABLE (our own pages may frame it). */
static void check_security_headers(struct http_resp *r, const char *path, int frameable)
{
	const char *csp = http_header(r, "Content-Security-Policy");
	if (!csp)
		fail_msg("%s: no CSP", path);
	assert_non_null(
	        strstr(csp, frameable ? "frame-ancestors 'self'" : "frame-ancestors 'none'"));
	assert_non_null(strstr(csp, "script-src 'self'"));
	assert_null(strstr(csp, "unsafe-inline"));
	assert_null(strstr(csp, "unsafe-eval"));
	assert_string_equal(http_header(r, "X-Content-Type-Options"), "nosniff");
	assert_non_null(http_header(r, "Referrer-Policy"));
	assert_string_equal(http_header(r, "X-Frame-Options"), frameable ? "SAMEORIGIN" : "DENY");
}

/* Every route in the table, logged in as administrator and not, and the
 * error responses too, carries the security headers. */
static void test_headers_on_every_route(void **state)
{
	struct jar j;
	new_jar(&j);
	assert_int_equal(login(&j, "admin", ADMIN_PW), 303);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < routes_count; i++) {
			char path[256];
			size_t k = 0;
			for (const char *p = routes[i].path; *p && k < sizeof path - 8; p++) {
				if (*p == '{') {
					const char *v =
					        strstr(routes[i].path, "{name}") == p
					                ? "app.css"
					                : (strstr(routes[i].path, "{lang}") == p
					                           ? "en"
					                           : "1");
					k += (size_t)snprintf(path + k, sizeof path - k, "%s", v);
					p = strchr(p, '}');
				} else {
					path[k++] = *p;
				}
			}
			path[k] = '\0';
			struct http_resp r;
			assert_int_equal(http_do(port, pass ? &j : NULL, routes[i].method, path,
			                         "application/x-www-form-urlencoded", NULL, "x=1",
			                         3, &r),
			                 0);
			check_security_headers(&r, path, (routes[i].flags & ROUTE_FRAMEABLE) != 0);
			if (strncmp(path, "/static/", 8) != 0 && strcmp(path, "/sw.js") != 0 &&
			    strcmp(path, "/manifest.webmanifest") != 0)
				assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
			if (strncmp(path, "/api/", 5) == 0)
				assert_non_null(http_header(&r, "API-Version"));
			http_free(&r);
		}
	}
	const char *errors[] = {"/does-not-exist", "/api/v1/nope"};
	for (int i = 0; i < 2; i++) {
		struct http_resp r;
		assert_int_equal(http_get(port, NULL, errors[i], &r), 0);
		assert_int_equal(r.status, 404);
		check_security_headers(&r, errors[i], 0);
		http_free(&r);
	}
}

static void test_start_page_dutch_and_english(void **state)
{
	struct jar j;
	new_jar(&j);
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<html lang=\"nl\""));
	assert_non_null(strstr(r.body, "Inloggen"));
	http_free(&r);
	assert_int_equal(http_get(port, &j, "/taal/en?terug=/login", &r), 0);
	assert_int_equal(r.status, 303);
	assert_string_equal(http_header(&r, "Location"), "/login");
	assert_string_equal(j.lang, "en");
	http_free(&r);
	assert_int_equal(http_get(port, &j, "/login", &r), 0);
	assert_non_null(strstr(r.body, "<html lang=\"en\""));
	assert_non_null(strstr(r.body, ">Log in<"));
	http_free(&r);
	/* An outside address is never a redirect target. */
	assert_int_equal(http_get(port, &j, "/taal/nl?terug=//evil.example/", &r), 0);
	assert_string_equal(http_header(&r, "Location"), "/");
	http_free(&r);
	assert_int_equal(http_get(port, &j, "/taal/xx", &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
}

static void test_login_logout(void **state)
{
	struct jar j;
	new_jar(&j);
	/* A session id planted before login is not adopted. */
	snprintf(j.session, sizeof j.session, "%064d", 7);
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/login", &r), 0);
	assert_int_equal(r.status, 200);
	const char *sc = http_header(&r, "Set-Cookie");
	assert_non_null(sc);
	assert_non_null(strstr(sc, "__Host-vp_csrf="));
	http_free(&r);
	assert_int_equal(login(&j, "admin", ADMIN_PW), 303);
	assert_int_equal(strlen(j.session), 64);
	assert_string_not_equal(j.session,
	                        "0000000000000000000000000000000000000000000000000000000000000007");

	char token[128];
	session_csrf(&j, token, sizeof token);
	assert_int_equal(http_get(port, &j, "/", &r), 0);
	assert_non_null(strstr(r.body, "Anna &lt;Beheer&gt;"));
	assert_non_null(strstr(r.body, "beheerder"));
	http_free(&r);

	assert_int_equal(http_get(port, &j, "/api/v1/me", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"role\":\"beheerder\""));
	http_free(&r);

	char old[128];
	snprintf(old, sizeof old, "%s", j.session);
	char form[200];
	snprintf(form, sizeof form, "csrf_token=%s", token);
	assert_int_equal(http_post_form(port, &j, "/logout", form, &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(http_header(&r, "Set-Cookie"), "Max-Age=0"));
	http_free(&r);
	/* The old session is gone on the server, not only in the browser. */
	snprintf(j.session, sizeof j.session, "%s", old);
	assert_int_equal(http_get(port, &j, "/account", &r), 0);
	assert_int_equal(r.status, 303);
	assert_string_equal(http_header(&r, "Location"), "/login?next=/account");
	http_free(&r);
}

static void test_session_cookie_attributes(void **state)
{
	struct jar j;
	new_jar(&j);
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/login", &r), 0);
	char token[128];
	assert_int_equal(html_hidden(&r, "csrf_token", token, sizeof token), 0);
	http_free(&r);
	char form[300];
	snprintf(form, sizeof form, "csrf_token=%s&username=admin&password=%s", token,
	         "correct+horse+battery+staple");
	assert_int_equal(http_post_form(port, &j, "/login", form, &r), 0);
	assert_int_equal(r.status, 303);
	const char *sc = http_header(&r, "Set-Cookie");
	assert_non_null(sc);
	assert_memory_equal(sc, "__Host-vp_session=", 18);
	assert_non_null(strstr(sc, "; Path=/"));
	assert_non_null(strstr(sc, "; Secure"));
	assert_non_null(strstr(sc, "; HttpOnly"));
	assert_non_null(strstr(sc, "; SameSite=Lax"));
	assert_null(strstr(sc, "Domain="));
	http_free(&r);
}

static void test_wrong_password(void **state)
{
	struct jar j;
	new_jar(&j);
	assert_int_equal(login(&j, "admin", "wrong password!!"), 401);
	assert_string_equal(j.session, "");
	assert_int_equal(login(&j, "nobody", "wrong password!!"), 401);
	assert_string_equal(j.session, "");
	/* Empty fields are a 400 with a message, not a crash. */
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/login", &r), 0);
	char token[128];
	assert_int_equal(html_hidden(&r, "csrf_token", token, sizeof token), 0);
	http_free(&r);
	char form[200];
	snprintf(form, sizeof form, "csrf_token=%s&username=&password=", token);
	assert_int_equal(http_post_form(port, &j, "/login", form, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "Vul uw gebruikersnaam en wachtwoord in."));
	http_free(&r);
}

static void test_lockout_per_account(void **state)
{
	struct jar j;
	for (int i = 0; i < LOGIN_MAX_FAILURES; i++) {
		new_jar(&j); /* other addresses: only the account counts */
		assert_int_equal(login(&j, "reader", "not the password"), 401);
	}
	new_jar(&j);
	assert_int_equal(login(&j, "reader", READER_PW), 429);
	assert_string_equal(j.session, "");
	/* The window is 15 minutes. */
	clock_advance(LOGIN_WINDOW_SECONDS + 1);
	assert_int_equal(login(&j, "reader", READER_PW), 303);
	clock_reset();
}

static void test_lockout_per_ip(void **state)
{
	struct jar j;
	new_jar(&j);
	char name[32];
	for (int i = 0; i < LOGIN_MAX_FAILURES; i++) {
		snprintf(name, sizeof name, "ghost%d", i);
		assert_int_equal(login(&j, name, "not the password"), 401);
	}
	assert_int_equal(login(&j, "admin", ADMIN_PW), 429);
	struct jar other;
	new_jar(&other);
	assert_int_equal(login(&other, "admin", ADMIN_PW), 303);
}

static void test_csrf(void **state)
{
	struct jar j;
	new_jar(&j);
	struct http_resp r;
	/* Login form without, and with a wrong, token. */
	assert_int_equal(http_get(port, &j, "/login", &r), 0);
	http_free(&r);
	assert_int_equal(http_post_form(port, &j, "/login", "username=admin&password=x", &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	assert_int_equal(
	        http_post_form(port, &j, "/login",
	                       "csrf_token="
	                       "0000000000000000000000000000000000000000000000000000000000000000"
	                       "&username=admin&password=x",
	                       &r),
	        0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	/* Logged in: the session's token, not the visitor cookie's. */
	assert_int_equal(login(&j, "admin", ADMIN_PW), 303);
	assert_int_equal(http_post_form(port, &j, "/logout", "", &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	char form[200];
	snprintf(form, sizeof form, "csrf_token=%s", j.csrf);
	assert_int_equal(http_post_form(port, &j, "/logout", form, &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	/* The JSON API takes the token in a header. */
	const char *body = "{\"username\":\"x1\",\"name\":\"X\",\"role\":\"meelezer\"}";
	assert_int_equal(http_do(port, &j, "POST", "/api/v1/users", "application/json",
	                         "X-CSRF-Token: nope\r\n", body, strlen(body), &r),
	                 0);
	assert_int_equal(r.status, 403);
	assert_string_equal(http_header(&r, "Content-Type"), "application/problem+json");
	http_free(&r);
}

static void test_roles(void **state)
{
	struct jar j;
	new_jar(&j);
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/beheer/gebruikers", &r), 0);
	assert_int_equal(r.status, 303); /* not logged in: to the login page */
	http_free(&r);
	assert_int_equal(http_get(port, &j, "/api/v1/me", &r), 0);
	assert_int_equal(r.status, 401);
	assert_string_equal(http_header(&r, "Content-Type"), "application/problem+json");
	http_free(&r);
	assert_int_equal(login(&j, "reader", READER_PW), 303);
	assert_int_equal(http_get(port, &j, "/beheer/gebruikers", &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	assert_int_equal(http_get(port, &j, "/api/v1/users", &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	char token[128];
	session_csrf(&j, token, sizeof token);
	char form[200];
	snprintf(form, sizeof form, "csrf_token=%s&username=x&display_name=X&role=beheerder",
	         token);
	assert_int_equal(http_post_form(port, &j, "/beheer/gebruikers", form, &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	assert_int_equal(http_get(port, &j, "/api/v1/me", &r), 0);
	assert_int_equal(r.status, 200);
	http_free(&r);
}

static void test_not_found_and_method(void **state)
{
	struct http_resp r;
	assert_int_equal(http_get(port, NULL, "/nothing/here", &r), 0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "Deze pagina bestaat niet."));
	http_free(&r);
	assert_int_equal(http_get(port, NULL, "/api/v1/nothing", &r), 0);
	assert_int_equal(r.status, 404);
	assert_string_equal(http_header(&r, "Content-Type"), "application/problem+json");
	http_free(&r);
	assert_int_equal(http_do(port, NULL, "DELETE", "/", NULL, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 405);
	assert_string_equal(http_header(&r, "Allow"), "GET, HEAD");
	http_free(&r);
	assert_int_equal(http_do(port, NULL, "PUT", "/login", NULL, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 405);
	assert_string_equal(http_header(&r, "Allow"), "GET, HEAD, POST");
	http_free(&r);
	assert_int_equal(http_do(port, NULL, "HEAD", "/", NULL, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 0);
	http_free(&r);
}

static void test_body_limit(void **state)
{
	struct http_resp r;
	/* Announced too large: refused before reading. */
	const char *big = "POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
	                  "Content-Type: application/x-www-form-urlencoded\r\n"
	                  "Content-Length: 10000000\r\n\r\nusername=a";
	assert_int_equal(http_raw(port, big, strlen(big), &r, 5000), 0);
	assert_int_equal(r.status, 413);
	http_free(&r);
	/* Chunked, growing past the limit. */
	buf b;
	buf_init(&b);
	buf_puts(&b, "POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
	             "Content-Type: application/x-www-form-urlencoded\r\n"
	             "Transfer-Encoding: chunked\r\n\r\n");
	for (int i = 0; i < 80; i++) {
		buf_puts(&b, "400\r\n");
		for (int k = 0; k < 1024; k++)
			buf_putc(&b, 'a');
		buf_puts(&b, "\r\n");
	}
	buf_puts(&b, "0\r\n\r\n");
	assert_int_equal(http_raw(port, b.data, b.len, &r, 5000), 0);
	assert_int_equal(r.status, 413);
	http_free(&r);
	buf_free(&b);
	/* A bad Content-Length is a 400. */
	const char *bad = "POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
	                  "Content-Length: -5\r\n\r\n";
	assert_int_equal(http_raw(port, bad, strlen(bad), &r, 5000), 0);
	assert_true(r.status == 400);
	http_free(&r);
}

static void test_malformed_bodies(void **state)
{
	struct jar j;
	new_jar(&j);
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/login", &r), 0);
	http_free(&r);
	const char *mp =
	        "--XyZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nadmin\r\n"
	        "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nsecret";
	assert_int_equal(http_do(port, &j, "POST", "/login", "multipart/form-data; boundary=XyZ",
	                         NULL, mp, strlen(mp), &r),
	                 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "utrecht-alert--error"));
	http_free(&r);
	assert_int_equal(http_do(port, &j, "POST", "/login", "multipart/form-data", NULL, mp,
	                         strlen(mp), &r),
	                 0);
	assert_int_equal(r.status, 400);
	http_free(&r);
	assert_int_equal(http_do(port, &j, "POST", "/login", "application/x-www-form-urlencoded",
	                         NULL, "username=%zz", 12, &r),
	                 0);
	assert_int_equal(r.status, 400);
	http_free(&r);
	assert_int_equal(http_do(port, &j, "POST", "/login", "text/csv", NULL, "a,b", 3, &r), 0);
	assert_int_equal(r.status, 415);
	http_free(&r);
	/* A well-formed multipart login works like the urlencoded one. */
	char good[600];
	snprintf(good, sizeof good,
	         "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n"
	         "--XyZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nadmin\r\n"
	         "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n" ADMIN_PW
	         "\r\n--XyZ--\r\n",
	         j.csrf);
	assert_int_equal(http_do(port, &j, "POST", "/login", "multipart/form-data; boundary=XyZ",
	                         NULL, good, strlen(good), &r),
	                 0);
	assert_int_equal(r.status, 303);
	http_free(&r);
	/* JSON: malformed, not an object, wrong fields. */
	char hdr[200];
	char token[128];
	session_csrf(&j, token, sizeof token);
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", token);
	const char *bodies[] = {"{\"username\": ", "[1,2]",
	                        "{\"username\":1,\"name\":\"a\",\"role\":\"x\"}"};
	int want[] = {400, 400, 422};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(http_do(port, &j, "POST", "/api/v1/users", "application/json", hdr,
		                         bodies[i], strlen(bodies[i]), &r),
		                 0);
		assert_int_equal(r.status, want[i]);
		assert_string_equal(http_header(&r, "Content-Type"), "application/problem+json");
		assert_non_null(strstr(r.body, "\"detail\":"));
		http_free(&r);
	}
}

/* Waits (up to 10 s) until the jar's session's last_seen is the test
 * clock's now: the server writes it in the background after a request. */
static void wait_touched(const struct jar *j)
{
	char err[256], hash[65];
	util_hash_hex(j->session, hash);
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	int64_t got = 0;
	for (int i = 0; i < 1000; i++) {
		db_stmt *s = db_prepare(d, "SELECT last_seen FROM sessions WHERE id_hash = :h");
		db_bind_text(s, "h", hash);
		got = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
		db_finalize(s);
		if (got >= clock_now() - 2)
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	db_close(d);
	assert_true(got >= clock_now() - 2);
}

static void test_session_expiry(void **state)
{
	struct jar j;
	new_jar(&j);
	struct http_resp r;
	assert_int_equal(login(&j, "admin", ADMIN_PW), 303);
	clock_advance(SESSION_IDLE_SECONDS - 60);
	assert_int_equal(http_get(port, &j, "/account", &r), 0);
	assert_int_equal(r.status, 200);
	http_free(&r);
	/* The touch is written in the background; wait until it landed. */
	wait_touched(&j);
	clock_advance(SESSION_IDLE_SECONDS - 60);
	assert_int_equal(http_get(port, &j, "/account", &r), 0);
	assert_int_equal(r.status, 200); /* still alive: it was used */
	http_free(&r);
	clock_advance(SESSION_IDLE_SECONDS + 1);
	assert_int_equal(http_get(port, &j, "/account", &r), 0);
	assert_int_equal(r.status, 303); /* idle too long */
	http_free(&r);
	clock_reset();

	/* Absolute limit: used every 20 minutes, still ends after 12 hours. */
	new_jar(&j);
	assert_int_equal(login(&j, "admin", ADMIN_PW), 303);
	int alive = 1, steps = 0;
	while (alive && steps < 40) {
		clock_advance(20 * 60);
		steps++;
		assert_int_equal(http_get(port, &j, "/account", &r), 0);
		alive = r.status == 200;
		http_free(&r);
		if (alive)
			wait_touched(&j);
	}
	assert_false(alive);
	/* Dead at the first request past 12 hours: step 37, or 36 when the
	 * test's own seconds pushed step 36 just past the limit. */
	assert_in_range(steps, SESSION_ABSOLUTE_SECONDS / (20 * 60),
	                SESSION_ABSOLUTE_SECONDS / (20 * 60) + 1);
	clock_reset();
}

static void test_one_time_password_flow(void **state)
{
	struct jar j;
	new_jar(&j);
	struct http_resp r;
	assert_int_equal(login(&j, "admin", ADMIN_PW), 303);
	char token[128], hdr[200];
	session_csrf(&j, token, sizeof token);
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", token);
	const char *body =
	        "{\"username\":\"Lead\",\"name\":\"Lies Gesprek\",\"role\":\"gespreksvoerder\"}";
	assert_int_equal(http_do(port, &j, "POST", "/api/v1/users", "application/json", hdr, body,
	                         strlen(body), &r),
	                 0);
	assert_int_equal(r.status, 201);
	const char *p = strstr(r.body, "\"one_time_password\":\"");
	assert_non_null(p);
	char otp[32];
	snprintf(otp, sizeof otp, "%.24s", p + 21);
	http_free(&r);
	/* The same username again is a conflict. */
	assert_int_equal(http_do(port, &j, "POST", "/api/v1/users", "application/json", hdr, body,
	                         strlen(body), &r),
	                 0);
	assert_int_equal(r.status, 409);
	http_free(&r);

	struct jar lead;
	new_jar(&lead);
	assert_int_equal(login(&lead, "lead", otp), 303);
	assert_int_equal(http_get(port, &lead, "/", &r), 0);
	assert_int_equal(r.status, 303);
	assert_string_equal(http_header(&r, "Location"), "/account/password");
	http_free(&r);
	assert_int_equal(http_get(port, &lead, "/account/password", &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(html_hidden(&r, "csrf_token", token, sizeof token), 0);
	http_free(&r);
	char form[400];
	snprintf(form, sizeof form, "csrf_token=%s&current=%s&new=short&repeat=short", token, otp);
	assert_int_equal(http_post_form(port, &lead, "/account/password", form, &r), 0);
	assert_int_equal(r.status, 422);
	http_free(&r);
	snprintf(form, sizeof form,
	         "csrf_token=%s&current=%s&new=a+long+new+secret&repeat=a+long+new+secret", token,
	         otp);
	char before[128];
	snprintf(before, sizeof before, "%s", lead.session);
	assert_int_equal(http_post_form(port, &lead, "/account/password", form, &r), 0);
	assert_int_equal(r.status, 200);
	http_free(&r);
	assert_string_not_equal(before, lead.session); /* a fresh session */
	assert_int_equal(http_get(port, &lead, "/", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Lies Gesprek"));
	assert_non_null(strstr(r.body, "gespreksvoerder"));
	http_free(&r);
	struct jar again;
	new_jar(&again);
	assert_int_equal(login(&again, "lead", "a long new secret"), 303);
}

static void test_static_assets(void **state)
{
	struct http_resp r;
	assert_int_equal(http_get(port, NULL, "/static/vertelpunt.css", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(http_header(&r, "Content-Type"), "text/css"));
	assert_non_null(strstr(http_header(&r, "Cache-Control"), "immutable"));
	char etag[64];
	snprintf(etag, sizeof etag, "%.40s", http_header(&r, "ETag"));
	assert_true(r.body_len > 10000);
	http_free(&r);
	char extra[128];
	snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", etag);
	assert_int_equal(
	        http_do(port, NULL, "GET", "/static/vertelpunt.css", NULL, extra, NULL, 0, &r), 0);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.body_len, 0);
	http_free(&r);
	assert_int_equal(http_get(port, NULL, "/static/../src/main.c", &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
	assert_int_equal(http_get(port, NULL, "/.well-known/security.txt", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Contact:"));
	assert_non_null(strstr(r.body, "Expires:"));
	http_free(&r);
}

static void test_keep_alive(void **state)
{
	int fd = http_connect(port);
	assert_true(fd >= 0);
	const char *two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	                  "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	assert_int_equal(http_send_all(fd, two, strlen(two)), 0);
	buf got;
	buf_init(&got);
	http_read_all(fd, &got, 3000);
	int n = 0;
	for (const char *p = got.data; p && (p = strstr(p, "HTTP/1.1 200")); p++)
		n++;
	assert_int_equal(n, 2);
	buf_free(&got);
}

static void test_admin_page_escapes(void **state)
{
	struct jar j;
	new_jar(&j);
	struct http_resp r;
	assert_int_equal(login(&j, "admin", ADMIN_PW), 303);
	char token[128];
	session_csrf(&j, token, sizeof token);
	char form[400];
	snprintf(form, sizeof form,
	         "csrf_token=%s&username=xss&display_name=%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E"
	         "&role=onderzoeker",
	         token);
	assert_int_equal(http_post_form(port, &j, "/beheer/gebruikers", form, &r), 0);
	assert_int_equal(r.status, 201);
	assert_null(strstr(r.body, "<script>alert(1)"));
	assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	http_free(&r);
	assert_int_equal(http_post_form(port, &j, "/beheer/gebruikers", form, &r), 0);
	assert_int_equal(r.status, 409);
	http_free(&r);
	snprintf(form, sizeof form,
	         "csrf_token=%s&username=Bad+Name&display_name=X&role=onderzoeker", token);
	assert_int_equal(http_post_form(port, &j, "/beheer/gebruikers", form, &r), 0);
	assert_int_equal(r.status, 422);
	http_free(&r);
	snprintf(form, sizeof form, "csrf_token=%s&action=disable", token);
	assert_int_equal(http_post_form(port, &j, "/beheer/gebruikers/999999", form, &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
	assert_int_equal(http_post_form(port, &j, "/beheer/gebruikers/abc", form, &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
}

/* Idle connections are closed after the timeout (3 s here). */
static void test_connection_timeout(void **state)
{
	int fd = http_connect(port);
	assert_true(fd >= 0);
	const char *partial = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
	assert_int_equal(http_send_all(fd, partial, strlen(partial)), 0);
	int64_t start = clock_mono_us();
	char tmp[256];
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	assert_int_equal(poll(&pfd, 1, 8000), 1);
	assert_true(recv(fd, tmp, sizeof tmp, 0) <= 0); /* closed, not answered */
	int64_t waited_ms = (clock_mono_us() - start) / 1000;
	assert_in_range(waited_ms, 2000, 7000);
	close(fd);
}

/* One address cannot hold more connections than --max-per-ip (40 here). */
static void test_per_ip_limit(void **state)
{
	int fds[41];
	/* Each of the 40 is answered once (and stays open), so the server has
	 * certainly accepted all of them, however busy the machine is. */
	const char *ka = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	for (int i = 0; i < 40; i++) {
		fds[i] = http_connect(port);
		assert_true(fds[i] >= 0);
		assert_int_equal(http_send_all(fds[i], ka, strlen(ka)), 0);
		char tmp[1024];
		struct pollfd pfd = {.fd = fds[i], .events = POLLIN};
		assert_int_equal(poll(&pfd, 1, 5000), 1);
		assert_true(recv(fds[i], tmp, sizeof tmp, 0) > 0);
	}
	struct timespec ts = {0, 100 * 1000 * 1000};
	/* The 41st is accepted by the kernel, then closed by the server. */
	struct http_resp r;
	const char *rq = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	assert_int_equal(http_raw(port, rq, strlen(rq), &r, 2000), -1);
	http_free(&r);
	for (int i = 0; i < 40; i++)
		close(fds[i]);
	nanosleep(&ts, NULL);
	assert_int_equal(http_raw(port, rq, strlen(rq), &r, 2000), 0);
	assert_int_equal(r.status, 200);
	http_free(&r);
}

/* Housekeeping removes sessions past their lifetime and old failures. */
static void test_maintenance(void **state)
{
	struct jar j;
	new_jar(&j);
	struct jar other;
	new_jar(&other);
	assert_int_equal(login(&j, "admin", ADMIN_PW), 303);
	assert_int_equal(login(&other, "nobody", "not a password"), 401);
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	db_stmt *s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM sessions), "
	                           "(SELECT COUNT(*) FROM login_failures)");
	assert_int_equal(db_step(s), DB_ROW);
	int64_t sessions = db_col_int(s, 0), failures = db_col_int(s, 1);
	db_finalize(s);
	assert_true(sessions > 0 && failures > 0);
	assert_int_equal(server_maintenance(&app), 0); /* nothing expired yet */
	clock_advance(SESSION_ABSOLUTE_SECONDS + 1);
	assert_int_equal(server_maintenance(&app), sessions + failures);
	clock_reset();
	s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM sessions) + "
	                  "(SELECT COUNT(*) FROM login_failures)");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
	db_close(d);
}

/* Counts access-log rows matching action, object id and origin (NULL: any origin). */
static int64_t audit_rows(db *d, const char *action, const char *object_id, const char *origin)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE action = :action AND "
	                           "object_type = 'user' AND object_id = :oid AND "
	                           "(:origin = '' OR origin = :origin)");
	db_bind_text(s, "action", action);
	db_bind_text(s, "oid", object_id);
	db_bind_text(s, "origin", origin ? origin : "");
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

/* An administrator's account changes and failed logins land in the access
 * log, each with who, from where and what; the chain stays intact. */
static void test_audit_log(void **state)
{
	struct jar j;
	new_jar(&j);
	struct http_resp r;
	assert_int_equal(login(&j, "admin", ADMIN_PW), 303);
	char token[128], hdr[200];
	session_csrf(&j, token, sizeof token);
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", token);
	const char *body =
	        "{\"username\":\"audited\",\"name\":\"Ada Audit\",\"role\":\"meelezer\"}";
	assert_int_equal(http_do(port, &j, "POST", "/api/v1/users", "application/json", hdr, body,
	                         strlen(body), &r),
	                 0);
	assert_int_equal(r.status, 201);
	const char *p = strstr(r.body, "\"id\":");
	assert_non_null(p);
	long long id = atoll(p + 5);
	http_free(&r);
	/* A refused duplicate leaves no entry: the change and its entry
	 * commit together or not at all. */
	assert_int_equal(http_do(port, &j, "POST", "/api/v1/users", "application/json", hdr, body,
	                         strlen(body), &r),
	                 0);
	assert_int_equal(r.status, 409);
	http_free(&r);
	char path[64], form[300];
	snprintf(path, sizeof path, "/beheer/gebruikers/%lld", id);
	snprintf(form, sizeof form, "csrf_token=%s&action=disable", token);
	assert_int_equal(http_post_form(port, &j, path, form, &r), 0);
	assert_int_equal(r.status, 200);
	http_free(&r);

	struct jar other;
	new_jar(&other);
	assert_int_equal(login(&other, "audited", "not the password"), 401);
	assert_int_equal(login(&other, "no-such-person", "whatever password"), 401);

	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(audit_rows(d, "login", "admin", j.ip), 1);
	assert_int_equal(audit_rows(d, "create", "audited", j.ip), 1);
	assert_int_equal(audit_rows(d, "update", "audited", j.ip), 1);
	assert_int_equal(audit_rows(d, "login_failed", "audited", other.ip), 1);
	assert_int_equal(audit_rows(d, "login_failed", "(unknown)", other.ip), 1);
	assert_int_equal(audit_rows(d, "login_failed", "no-such-person", NULL), 0);

	db_stmt *s = db_prepare(d, "SELECT actor, actor_user_id, detail FROM audit_log "
	                           "WHERE object_id = 'audited' AND action IN ('create', 'update') "
	                           "ORDER BY id");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "admin");
	assert_true(db_col_int(s, 1) > 0);
	assert_string_equal(db_col_text(s, 2), "role=meelezer");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 2), "disabled");
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	s = db_prepare(d, "SELECT actor, actor_user_id IS NULL FROM audit_log "
	                  "WHERE action = 'login_failed' AND object_id = 'audited'");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "anonymous");
	assert_int_equal(db_col_int(s, 1), 1);
	db_finalize(s);

	int64_t rows = 0, bad = -1;
	assert_int_equal(audit_verify(d, &rows, &bad), DB_OK);
	assert_true(rows >= 5);
	assert_int_equal(bad, 0);
	db_close(d);
}

/* A forwarded address that is not an address is ignored (the socket's is
 * used), and never stops a login. */
static void test_bad_forwarded_for(void **state)
{
	struct jar j;
	new_jar(&j);
	snprintf(j.ip, sizeof j.ip, "%s", "<script>x</script>-not-an-address-but-quite-long-too");
	assert_int_equal(login(&j, "admin", ADMIN_PW), 303);
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	db_stmt *s = db_prepare(d, "SELECT origin FROM audit_log WHERE action = 'login' "
	                           "ORDER BY id DESC LIMIT 1");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "127.0.0.1");
	db_finalize(s);
	db_close(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_healthz),
	        cmocka_unit_test(test_headers_on_every_route),
	        cmocka_unit_test(test_start_page_dutch_and_english),
	        cmocka_unit_test(test_login_logout),
	        cmocka_unit_test(test_session_cookie_attributes),
	        cmocka_unit_test(test_wrong_password),
	        cmocka_unit_test(test_lockout_per_account),
	        cmocka_unit_test(test_lockout_per_ip),
	        cmocka_unit_test(test_csrf),
	        cmocka_unit_test(test_roles),
	        cmocka_unit_test(test_not_found_and_method),
	        cmocka_unit_test(test_body_limit),
	        cmocka_unit_test(test_malformed_bodies),
	        cmocka_unit_test(test_session_expiry),
	        cmocka_unit_test(test_one_time_password_flow),
	        cmocka_unit_test(test_static_assets),
	        cmocka_unit_test(test_keep_alive),
	        cmocka_unit_test(test_admin_page_escapes),
	        cmocka_unit_test(test_connection_timeout),
	        cmocka_unit_test(test_per_ip_limit),
	        cmocka_unit_test(test_maintenance),
	        cmocka_unit_test(test_bad_forwarded_for),
	        cmocka_unit_test(test_audit_log),
	};
	return cmocka_run_group_tests_name("http", tests, setup, teardown);
}
