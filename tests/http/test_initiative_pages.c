/* test_initiative_pages.c: citizen initiatives over HTTP, from idea to realised and to stopped, with the bad input the issue names: an intake without the idea, an initiator nobody can reach, a wrong date, stopped without a reason, a step skipped, collaboration before the first conversation's outcome, and an initiative of a trajectory the official is not on (404 through the dispatcher); the view over all with its success factors. */
#include "../unit/testutil.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "model/trajectory.h"
#include "model/user.h"

#include <jansson.h>

#define PW "a long password 1234"

static int ipn;
static long long anna_traj, bea_traj;

static int setup(void **state)
{
	db *d = fixture_open("initiatives");
	int64_t org;
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK)
		return -1;
	if (fixture_user(d, org, "anna", "Anna Gesprek", ROLE_GESPREKSVOERDER, PW, 0) <= 0 ||
	    fixture_user(d, org, "bea", "Bea Ander", ROLE_GESPREKSVOERDER, PW, 0) <= 0)
		return -1;
	struct user anna, bea;
	if (user_by_name(d, "anna", &anna, NULL) != DB_ROW ||
	    user_by_name(d, "bea", &bea, NULL) != DB_ROW)
		return -1;
	struct trajectory_new t = {.org_id = org, .user_id = anna.id, .f = {.title = "Groen"}};
	struct trajectory_new u = {.org_id = org, .user_id = bea.id, .f = {.title = "Van Bea"}};
	if (trajectory_create_write(d, &t) != DB_OK || trajectory_create_write(d, &u) != DB_OK)
		return -1;
	anna_traj = t.id;
	bea_traj = u.id;
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.per_ip_limit = 60;
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return fixture_stop();
}

static void login(struct who *w, const char *user)
{
	char ip[32];
	wt_ip(ip, sizeof ip, 14, ++ipn);
	who_login(w, user, PW, ip);
}

#define EXPECT(st, call)                        \
	do {                                    \
		struct http_resp resp_;         \
		assert_int_equal((call), (st)); \
		http_free(&resp_);              \
	} while (0)

/* Records an initiative; its page's path. */
static void make(struct who *w, const char *title, long long traj, char *path, size_t cap)
{
	char t[24];
	snprintf(t, sizeof t, "%lld", traj);
	struct http_resp r;
	assert_int_equal(who_post(w, "/initiatieven", &r, "initiative-title", title, "idea",
	                          "Een moestuin op het veldje.", "neighbourhood", "Molenwijk",
	                          "ask", "Grond en water.", "trajectory", t, NULL),
	                 303);
	const char *loc = wt_location(&r);
	const char *q = strchr(loc, '?');
	snprintf(path, cap, "%.*s", (int)(q ? q - loc : (long)strlen(loc)), loc);
	http_free(&r);
}

static int post(struct who *w, const char *page, const char *tail, struct http_resp *r, ...)
{
	char p[160];
	snprintf(p, sizeof p, "%s%s", page, tail);
	va_list ap;
	va_start(ap, r);
	int st = who_postv(w, p, r, ap);
	va_end(ap);
	return st;
}

static void test_idea_to_realised(void **state)
{
	struct who anna;
	login(&anna, "anna");
	struct http_resp r;
	assert_int_equal(who_get(&anna, "/initiatieven", &r), 200);
	assert_true(wt_has(&r, "No initiatives yet."));
	http_free(&r);
	/* without the idea: refused, what was typed stays */
	assert_int_equal(who_post(&anna, "/initiatieven", &r, "initiative-title", "Moestuin",
	                          "idea", "", "neighbourhood", "Molenwijk", NULL),
	                 422);
	assert_true(wt_has(&r, "Describe the idea"));
	assert_true(wt_has(&r, "value=\"Molenwijk\""));
	http_free(&r);
	/* a trajectory anna is not on: refused as if it were not there */
	char t[24];
	snprintf(t, sizeof t, "%lld", bea_traj);
	assert_int_equal(who_post(&anna, "/initiatieven", &r, "initiative-title", "Moestuin",
	                          "idea", "Een tuin.", "trajectory", t, NULL),
	                 422);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM initiatives"), 0);

	char page[64];
	make(&anna, "Moestuin Molenwijk", anna_traj, page, sizeof page);
	assert_int_equal(who_get(&anna, page, &r), 200);
	assert_true(wt_has(&r, "Moestuin Molenwijk"));
	assert_true(wt_has(&r, "Grond en water."));
	assert_true(wt_has(&r, "Anna Gesprek")); /* the contact official */
	/* the conversation model and the checklist of the template */
	assert_true(wt_has(&r, "We talk about five things."));
	assert_true(wt_has(&r, "What can you do yourselves?"));
	assert_true(wt_has(&r, "name=\"done-q-zelf\""));
	http_free(&r);

	/* initiators: one nobody can reach is refused */
	EXPECT(422, post(&anna, page, "/initiatiefnemers", &resp_, "name", "Wim Tuin", NULL));
	EXPECT(303, post(&anna, page, "/initiatiefnemers", &resp_, "name", "Wim Tuin", "email",
	                 "wim@example.org", NULL));
	assert_int_equal(wt_count("SELECT count(*) FROM audit_log WHERE action = 'create' AND "
	                          "object_type = 'initiative_person'"),
	                 1);
	/* the page shows (and logs) the contact data */
	assert_int_equal(who_get(&anna, page, &r), 200);
	assert_true(wt_has(&r, "wim@example.org"));
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM audit_log WHERE action = 'view' AND "
	                          "object_type = 'initiative_person'"),
	                 1);

	/* a step skipped, collaboration before the outcome, stopped without reason */
	EXPECT(409, post(&anna, page, "/status", &resp_, "to", "realised", NULL));
	EXPECT(422, post(&anna, page, "/status", &resp_, "to", "stopped", "reason", " ", NULL));
	EXPECT(303, post(&anna, page, "/status", &resp_, "to", "first_conversation", NULL));
	assert_int_equal(post(&anna, page, "/status", &r, "to", "collaboration", NULL), 409);
	assert_true(wt_has(&r, "Record the outcome of the first conversation first."));
	http_free(&r);
	/* the first conversation: a wrong date is refused and nothing lost */
	assert_int_equal(post(&anna, page, "/gesprek", &r, "talk-on", "2026-02-30", "q", "q-zelf",
	                      "done-q-zelf", "1", "answer-q-zelf", "Zij doen het tuinwerk.",
	                      "outcome", "We beginnen in maart.", NULL),
	                 422);
	assert_true(wt_has(&r, "year-month-day"));
	assert_true(wt_has(&r, "Zij doen het tuinwerk."));
	assert_true(wt_has(&r, "We beginnen in maart."));
	http_free(&r);
	EXPECT(303, post(&anna, page, "/gesprek", &resp_, "talk-on", "2026-02-27", "q", "q-zelf",
	                 "done-q-zelf", "1", "answer-q-zelf", "Zij doen het tuinwerk.", "q",
	                 "q-lastig", "answer-q-lastig", "", "outcome", "We beginnen in maart.",
	                 "roles", "Bewoners tuinieren, de gemeente regelt de grond.", "next-steps",
	                 "Offerte waterpunt.", NULL));
	assert_int_equal(wt_count("SELECT count(*) FROM initiative_checklist WHERE question_id = "
	                          "'q-zelf' AND done = 1"),
	                 1);
	EXPECT(303, post(&anna, page, "/status", &resp_, "to", "collaboration", NULL));
	EXPECT(303, post(&anna, page, "/status", &resp_, "to", "realised", NULL));
	/* the end is the end */
	EXPECT(409, post(&anna, page, "/status", &resp_, "to", "stopped", "reason", "x", NULL));
	assert_int_equal(wt_count("SELECT count(*) FROM initiative_status_history"), 4);

	/* another one stops, with its reason */
	char other[64];
	make(&anna, "Buurtbieb", 0, other, sizeof other);
	EXPECT(303,
	       post(&anna, other, "/gesprek", &resp_, "q", "q-lastig", "done-q-lastig", "1", NULL));
	EXPECT(303, post(&anna, other, "/status", &resp_, "to", "stopped", "reason",
	                 "De school begint al een bieb.", NULL));
	assert_int_equal(who_get(&anna, other, &r), 200);
	assert_true(wt_has(&r, "De school begint al een bieb."));
	http_free(&r);

	/* the view over all: counts, and what realised and stopped had */
	assert_int_equal(who_get(&anna, "/initiatieven", &r), 200);
	assert_true(wt_has(&r, "Moestuin Molenwijk"));
	assert_true(wt_has(&r, "Success factors"));
	assert_true(wt_has(&r, "1 / 1"));
	http_free(&r);
}

static void test_other_trajectory(void **state)
{
	struct who anna, bea;
	login(&anna, "anna");
	login(&bea, "bea");
	char theirs[64], open[64];
	make(&bea, "Van Bea", bea_traj, theirs, sizeof theirs);
	make(&bea, "Voor iedereen", 0, open, sizeof open);
	struct http_resp r;
	/* bea's trajectory: not for anna, its initiative neither */
	assert_int_equal(who_get(&anna, theirs, &r), 404);
	http_free(&r);
	EXPECT(404, post(&anna, theirs, "/status", &resp_, "to", "first_conversation", NULL));
	EXPECT(404, post(&anna, theirs, "/initiatiefnemers", &resp_, "name", "X", "email",
	                 "x@example.org", NULL));
	assert_int_equal(who_get(&anna, "/initiatieven", &r), 200);
	assert_false(wt_has(&r, "Van Bea"));
	assert_true(wt_has(&r, "Voor iedereen"));
	http_free(&r);
	/* outside a trajectory: for all staff */
	assert_int_equal(who_get(&anna, open, &r), 200);
	http_free(&r);
	assert_int_equal(who_get(&anna, "/initiatieven/999999", &r), 404);
	http_free(&r);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_idea_to_realised),
	        cmocka_unit_test(test_other_trajectory),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
