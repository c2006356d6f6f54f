/* test_outbox_page.c: the outbox page /beheer/uitgaand: statuses, escaped errors, no addresses, "not configured", trying a failed message again (CSRF, 404, 409). */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "model/outbox.h"
#include "model/user.h"

#define ADMIN_PW  "admin password 12345"
#define READER_PW "reader password 12345"

static int64_t id_queued, id_failed, id_sent;

static int64_t seed_one(db *d, const vault *v, const char *purpose, const char *to)
{
	struct outbox_msg m = {.purpose = purpose,
	                       .to_addr = to,
	                       .subject = "Uw gesprek",
	                       .body_text = "Beste bewoner,\n",
	                       .ref_kind = "conversation",
	                       .ref_id = 42};
	int64_t id = 0;
	assert_int_equal(outbox_queue(d, v, &m, &id), DB_OK);
	return id;
}

static int setup(void **state)
{
	db *d = fixture_open("outbox");
	assert_non_null(d);
	char err[256];
	vault *v = vault_load(keypath, err, sizeof err);
	assert_non_null(v);
	int64_t org;
	assert_int_equal(org_ensure(d, "Gemeente Test", &org), DB_OK);
	assert_true(fixture_user(d, org, "admin", "Anna Beheer", ROLE_BEHEERDER, ADMIN_PW, 0) > 0);
	assert_true(fixture_user(d, org, "lezer", "Lex Lezer", ROLE_MEELEZER, READER_PW, 0) > 0);
	id_queued = seed_one(d, v, "reminder", "wachtend@voorbeeld-mail.nl");
	id_failed = seed_one(d, v, "invitation", "mislukt@voorbeeld-mail.nl");
	id_sent = seed_one(d, v, "feedback", "verstuurd@voorbeeld-mail.nl");
	vault_free(v);
	/* As the worker leaves them: one failed with the server's words (which
	 * a hostile server could fill with markup), one sent. */
	db_stmt *s = db_prepare(d, "UPDATE outbox SET status = 'failed', attempts = 8, failed_at = "
	                           "1795600800, last_error = :e WHERE id = :id");
	db_bind_text(s, "e", "550 <script>alert(1)</script> & no such user");
	db_bind_int(s, "id", id_failed);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	s = db_prepare(d, "UPDATE outbox SET status = 'sent', attempts = 1, sent_at = 1795600800 "
	                  "WHERE id = :id");
	db_bind_int(s, "id", id_sent);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	struct app_config cfg;
	fixture_config(&cfg); /* no --smtp-url: mail is not configured */
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return fixture_stop();
}

static const char *status_of(int64_t id)
{
	static char st[8];
	db *d = wt_open_db();
	struct outbox_row o;
	assert_int_equal(outbox_get(d, id, &o), DB_ROW);
	db_close(d);
	snprintf(st, sizeof st, "%s", o.status);
	return st;
}

static void test_page(void **state)
{
	struct who w;
	who_login(&w, "admin", ADMIN_PW, "10.7.0.1");
	struct http_resp r;
	assert_int_equal(who_get(&w, "/beheer/uitgaand", &r), 200);
	assert_true(wt_has(&r, "Outgoing e-mail"));
	assert_true(wt_has(&r, "E-mail is not set up on this server"));
	assert_true(wt_has(&r, "vp-outbox-status--queued"));
	assert_true(wt_has(&r, "vp-outbox-status--failed"));
	assert_true(wt_has(&r, "vp-outbox-status--sent"));
	assert_true(wt_has(&r, "conversation 42"));
	assert_true(wt_has(&r, "2026-11-25 10:00 UTC"));
	/* The server's words are escaped, never markup. */
	assert_true(wt_has(&r, "550 &lt;script&gt;alert(1)&lt;/script&gt; &amp; no such user"));
	assert_false(wt_has(&r, "<script>alert"));
	/* No recipient and no text on the page. */
	assert_false(wt_has(&r, "voorbeeld-mail.nl"));
	assert_false(wt_has(&r, "Uw gesprek"));
	/* "Try again" only for the failed message. */
	char action[64];
	snprintf(action, sizeof action, "/beheer/uitgaand/%lld/opnieuw", (long long)id_failed);
	assert_true(wt_has(&r, action));
	snprintf(action, sizeof action, "/beheer/uitgaand/%lld/opnieuw", (long long)id_queued);
	assert_false(wt_has(&r, action));
	http_free(&r);
	/* Dutch by default. */
	struct jar j;
	wt_login(&j, "admin", ADMIN_PW, "10.7.0.2", NULL);
	assert_int_equal(http_get(port, &j, "/beheer/uitgaand", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(wt_has(&r, "<html lang=\"nl\""));
	http_free(&r);
}

static void test_retry(void **state)
{
	struct who w;
	who_login(&w, "admin", ADMIN_PW, "10.7.0.3");
	struct http_resp r;
	char path[64];
	/* Without the form's token: refused, nothing changes. */
	snprintf(path, sizeof path, "/beheer/uitgaand/%lld/opnieuw", (long long)id_failed);
	struct jar tmp = w.jar;
	assert_int_equal(http_post_form(port, &tmp, path, "x=1", &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	assert_string_equal(status_of(id_failed), "failed");
	/* A message that is not there, an id that is not one. */
	assert_int_equal(who_post(&w, "/beheer/uitgaand/987654/opnieuw", &r, NULL), 404);
	http_free(&r);
	assert_int_equal(who_post(&w, "/beheer/uitgaand/abc/opnieuw", &r, NULL), 404);
	http_free(&r);
	/* A message that has not failed: 409 with a reason, nothing changes. */
	snprintf(path, sizeof path, "/beheer/uitgaand/%lld/opnieuw", (long long)id_sent);
	assert_int_equal(who_post(&w, path, &r, NULL), 409);
	assert_true(wt_has(&r, "has not failed"));
	http_free(&r);
	assert_string_equal(status_of(id_sent), "sent");
	/* The failed one goes back to the queue. */
	snprintf(path, sizeof path, "/beheer/uitgaand/%lld/opnieuw", (long long)id_failed);
	assert_int_equal(who_post(&w, path, &r, NULL), 303);
	assert_string_equal(wt_location(&r), "/beheer/uitgaand?opnieuw=1");
	http_free(&r);
	assert_string_equal(status_of(id_failed), "queued");
	assert_int_equal(who_get(&w, "/beheer/uitgaand?opnieuw=1", &r), 200);
	assert_true(wt_has(&r, "back in the queue"));
	http_free(&r);
	/* Twice: it is no longer failed. */
	assert_int_equal(who_post(&w, path, &r, NULL), 409);
	http_free(&r);
}

static void test_roles(void **state)
{
	struct who w;
	who_login(&w, "lezer", READER_PW, "10.7.0.4");
	struct http_resp r;
	assert_int_equal(who_get(&w, "/beheer/uitgaand", &r), 403);
	http_free(&r);
	char path[64];
	snprintf(path, sizeof path, "/beheer/uitgaand/%lld/opnieuw", (long long)id_queued);
	assert_int_equal(who_post(&w, path, &r, NULL), 403);
	http_free(&r);
	struct jar anon;
	memset(&anon, 0, sizeof anon);
	snprintf(anon.ip, sizeof anon.ip, "10.7.0.5");
	assert_int_equal(http_get(port, &anon, "/beheer/uitgaand", &r), 0);
	assert_int_equal(r.status, 303);
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_page),
	        cmocka_unit_test(test_retry),
	        cmocka_unit_test(test_roles),
	};
	return cmocka_run_group_tests_name("outbox", tests, setup, teardown);
}
