/* test_people.c: the administrator's pages for the rights of data subjects: find, show, export, correct, erase, and the access log of each. */
#include "../unit/testutil.h"

#include "core/vault.h"
#include "httpclient.h"

#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "model/consent.h"
#include "model/participant.h"
#include "model/user.h"

#include <jansson.h>

#define ADMIN_PW  "correct horse battery staple"
#define READER_PW "reader password 123"

static int ipn;

/* The participants made at setup. */
enum { P_PIET, P_XSS, P_CORRECT, P_ERASE, NPEOPLE };
static char codes[NPEOPLE][PARTICIPANT_CODE_LEN + 1];

static void new_jar(struct jar *j)
{
	memset(j, 0, sizeof *j);
	ipn++;
	snprintf(j->ip, sizeof j->ip, "10.1.%d.%d", ipn / 250, ipn % 250 + 1);
}

static int setup(void **state)
{
	db *d = fixture_open("people");
	assert_non_null(d);
	char err[256];
	vault *v = vault_load(keypath, err, sizeof err);
	assert_non_null(v);
	int64_t org, id;
	assert_int_equal(org_ensure(d, "Gemeente Test", &org), DB_OK);
	assert_true(fixture_user(d, org, "admin", "Anna Beheer", ROLE_BEHEERDER, ADMIN_PW, 0) > 0);
	assert_true(fixture_user(d, org, "reader", "Rob Meelezer", ROLE_MEELEZER, READER_PW, 0) >
	            0);
	const struct contact people[NPEOPLE] = {
	        {"Piet Jansen", "Dorpsstraat 1", "06 12345678", "piet@example.org"},
	        {"<script>x</script>", NULL, NULL, "xss@example.org"},
	        {"Klaas Fout", NULL, NULL, "klaas@example.org"},
	        {"Els Weg", NULL, "0612000000", "els@example.org"},
	};
	for (int i = 0; i < NPEOPLE; i++) {
		assert_int_equal(participant_create(d, v, &people[i], codes[i], &id), DB_OK);
		if (i == P_PIET)
			assert_int_equal(consent_record(d, id, "verhalen", "v1",
			                                "Ik geef toestemming.", "web", NULL),
			                 DB_OK);
	}
	vault_free(v);
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.per_ip_limit = 40;
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return fixture_stop();
}

static int login(struct jar *j, const char *user, const char *pw)
{
	return fixture_login(j, user, pw, NULL);
}

/* Logs in as the administrator and reads the session's CSRF token. */
static void admin(struct jar *j, char *token, size_t cap)
{
	new_jar(j);
	assert_int_equal(login(j, "admin", ADMIN_PW), 303);
	struct http_resp r;
	assert_int_equal(http_get(port, j, "/account", &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(html_hidden(&r, "csrf_token", token, cap), 0);
	http_free(&r);
}

/* form-urlencoded value */
static void enc(const char *in, char *out, size_t cap)
{
	size_t k = 0;
	for (; *in && k + 4 < cap; in++) {
		unsigned char c = (unsigned char)*in;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_')
			out[k++] = (char)c;
		else
			k += (size_t)snprintf(out + k, cap - k, "%%%02X", c);
	}
	out[k] = '\0';
}

/* Access-log rows by the administrator with action about code. */
static long long audit_count(const char *action, const char *code)
{
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	db_stmt *s = db_prepare(d, "SELECT count(*) FROM audit_log WHERE action = :action AND "
	                           "subject_code = :code AND actor = 'admin' AND "
	                           "object_type = 'participant'");
	db_bind_text(s, "action", action);
	db_bind_text(s, "code", code);
	assert_int_equal(db_step(s), DB_ROW);
	long long n = (long long)db_col_int(s, 0);
	db_finalize(s);
	db_close(d);
	return n;
}

static int search(struct jar *j, const char *token, const char *q, struct http_resp *r)
{
	char eq[256], form[512];
	enc(q, eq, sizeof eq);
	snprintf(form, sizeof form, "csrf_token=%s&q=%s", token, eq);
	assert_int_equal(http_post_form(port, j, "/beheer/personen/zoeken", form, r), 0);
	return r->status;
}

static void test_search(void **state)
{
	struct jar j;
	char token[128];
	admin(&j, token, sizeof token);
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/beheer/personen", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "action=\"/beheer/personen/zoeken\""));
	http_free(&r);

	const char *queries[] = {"piet@example.org", "06-12 34 56 78", codes[P_PIET],
	                         "piet jansen"};
	for (int i = 0; i < 4; i++) {
		long long before = audit_count("view", codes[P_PIET]);
		assert_int_equal(search(&j, token, queries[i], &r), 200);
		assert_non_null(strstr(r.body, codes[P_PIET]));
		assert_non_null(strstr(r.body, "piet@example.org"));
		assert_null(strstr(r.body, "klaas@example.org"));
		http_free(&r);
		assert_int_equal(audit_count("view", codes[P_PIET]), before + 1);
	}
	/* Nobody found: nothing to log. */
	assert_int_equal(search(&j, token, "nobody@example.org", &r), 200);
	assert_null(strstr(r.body, "VP-"));
	http_free(&r);
	assert_int_equal(search(&j, token, "", &r), 422);
	http_free(&r);
}

static void test_person_page(void **state)
{
	struct jar j;
	char token[128], path[128];
	admin(&j, token, sizeof token);
	struct http_resp r;
	long long before = audit_count("view", codes[P_PIET]);
	snprintf(path, sizeof path, "/beheer/personen/%s", codes[P_PIET]);
	assert_int_equal(http_get(port, &j, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "value=\"piet@example.org\""));
	assert_non_null(strstr(r.body, "value=\"Piet Jansen\""));
	assert_non_null(strstr(r.body, "value=\"Dorpsstraat 1\""));
	assert_non_null(strstr(r.body, "verhalen"));
	/* The view just made is in the access log shown. */
	assert_non_null(strstr(r.body, "bekeken"));
	http_free(&r);
	assert_int_equal(audit_count("view", codes[P_PIET]), before + 1);

	assert_int_equal(http_get(port, &j, "/beheer/personen/VP-ZZZZ-ZZZZ", &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
	/* The name is escaped on the person page too. */
	snprintf(path, sizeof path, "/beheer/personen/%s", codes[P_XSS]);
	assert_int_equal(http_get(port, &j, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "<script>x"));
	http_free(&r);
}

static void test_export(void **state)
{
	struct jar j;
	char token[128], path[160], want[160];
	admin(&j, token, sizeof token);
	struct http_resp r;
	long long before = audit_count("export", codes[P_PIET]);
	snprintf(path, sizeof path, "/beheer/personen/%s/export?format=json", codes[P_PIET]);
	assert_int_equal(http_get(port, &j, path, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(want, sizeof want, "attachment; filename=\"vertelpunt-%s.json\"", codes[P_PIET]);
	assert_string_equal(http_header(&r, "Content-Disposition"), want);
	json_error_t jerr;
	json_t *ex = json_loadb(r.body, r.body_len, 0, &jerr);
	assert_non_null(ex);
	json_t *c = json_object_get(json_object_get(ex, "participant"), "contact");
	assert_string_equal(json_string_value(json_object_get(c, "email")), "piet@example.org");
	assert_string_equal(json_string_value(json_object_get(c, "phone")), "06 12345678");
	assert_int_equal(json_array_size(json_object_get(ex, "consents")), 1);
	/* Logged before it was read: the export is in its own access log. */
	json_t *last = json_array_get(json_object_get(ex, "access_log"), 0);
	assert_string_equal(json_string_value(json_object_get(last, "action")), "export");
	json_decref(ex);
	http_free(&r);
	assert_int_equal(audit_count("export", codes[P_PIET]), before + 1);

	snprintf(path, sizeof path, "/beheer/personen/%s/export?format=html", codes[P_XSS]);
	assert_int_equal(http_get(port, &j, path, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(want, sizeof want, "attachment; filename=\"vertelpunt-%s.html\"", codes[P_XSS]);
	assert_string_equal(http_header(&r, "Content-Disposition"), want);
	assert_non_null(strstr(http_header(&r, "Content-Type"), "text/html"));
	assert_null(strstr(r.body, "<script>x"));
	assert_non_null(strstr(r.body, "&lt;script&gt;x&lt;/script&gt;"));
	http_free(&r);
	assert_int_equal(audit_count("export", codes[P_XSS]), 1);

	snprintf(path, sizeof path, "/beheer/personen/%s/export?format=pdf", codes[P_PIET]);
	assert_int_equal(http_get(port, &j, path, &r), 0);
	assert_int_equal(r.status, 400);
	http_free(&r);
	assert_int_equal(http_get(port, &j, "/beheer/personen/VP-ZZZZ-ZZZZ/export?format=json", &r),
	                 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
}

static void test_correct(void **state)
{
	struct jar j;
	char token[128], path[160], form[512];
	admin(&j, token, sizeof token);
	struct http_resp r;
	snprintf(path, sizeof path, "/beheer/personen/%s/correct", codes[P_CORRECT]);
	snprintf(form, sizeof form, "csrf_token=%s&name=Klaas+Goed&address=&phone=&email=nope",
	         token);
	assert_int_equal(http_post_form(port, &j, path, form, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "utrecht-alert--error"));
	http_free(&r);
	assert_int_equal(audit_count("update", codes[P_CORRECT]), 0);

	snprintf(form, sizeof form,
	         "csrf_token=%s&name=Klaas+Goed&address=&phone=&email=klaas.goed%%40example.org",
	         token);
	assert_int_equal(http_post_form(port, &j, path, form, &r), 0);
	assert_int_equal(r.status, 303);
	http_free(&r);
	assert_int_equal(audit_count("update", codes[P_CORRECT]), 1);
	assert_int_equal(search(&j, token, "klaas.goed@example.org", &r), 200);
	assert_non_null(strstr(r.body, codes[P_CORRECT]));
	assert_non_null(strstr(r.body, "Klaas Goed"));
	http_free(&r);
	assert_int_equal(search(&j, token, "klaas@example.org", &r), 200);
	assert_null(strstr(r.body, codes[P_CORRECT]));
	http_free(&r);
}

static void test_erase(void **state)
{
	struct jar j;
	char token[128], path[160], form[256];
	admin(&j, token, sizeof token);
	struct http_resp r;
	snprintf(path, sizeof path, "/beheer/personen/%s/erase", codes[P_ERASE]);
	snprintf(form, sizeof form, "csrf_token=%s", token);
	assert_int_equal(http_post_form(port, &j, path, form, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Er is niets gewist"));
	http_free(&r);
	assert_int_equal(audit_count("delete", codes[P_ERASE]), 0);

	snprintf(form, sizeof form, "csrf_token=%s&confirm=yes", token);
	assert_int_equal(http_post_form(port, &j, path, form, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, codes[P_ERASE]));
	http_free(&r);
	assert_int_equal(audit_count("delete", codes[P_ERASE]), 1);

	snprintf(path, sizeof path, "/beheer/personen/%s", codes[P_ERASE]);
	assert_int_equal(http_get(port, &j, path, &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
	assert_int_equal(search(&j, token, "els@example.org", &r), 200);
	assert_null(strstr(r.body, codes[P_ERASE]));
	http_free(&r);
}

static void test_roles_and_csrf(void **state)
{
	struct jar j;
	new_jar(&j);
	assert_int_equal(login(&j, "reader", READER_PW), 303);
	char path[160];
	const char *tails[] = {NULL, "", "/export?format=json"};
	for (int i = 0; i < 3; i++) {
		struct http_resp r;
		if (tails[i])
			snprintf(path, sizeof path, "/beheer/personen/%s%s", codes[P_PIET],
			         tails[i]);
		else
			snprintf(path, sizeof path, "/beheer/personen");
		assert_int_equal(http_get(port, &j, path, &r), 0);
		assert_int_equal(r.status, 403);
		http_free(&r);
	}
	assert_int_equal(audit_count("export", codes[P_PIET]), 1);

	char token[128];
	admin(&j, token, sizeof token);
	struct http_resp r;
	assert_int_equal(
	        http_post_form(port, &j, "/beheer/personen/zoeken", "q=piet%40example.org", &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	snprintf(path, sizeof path, "/beheer/personen/%s/erase", codes[P_PIET]);
	assert_int_equal(http_post_form(port, &j, path, "confirm=yes", &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	snprintf(path, sizeof path, "/beheer/personen/%s", codes[P_PIET]);
	assert_int_equal(http_get(port, &j, path, &r), 0);
	assert_int_equal(r.status, 200);
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_search), cmocka_unit_test(test_person_page),
	        cmocka_unit_test(test_export), cmocka_unit_test(test_correct),
	        cmocka_unit_test(test_erase),  cmocka_unit_test(test_roles_and_csrf),
	};
	return cmocka_run_group_tests_name("people", tests, setup, teardown);
}
