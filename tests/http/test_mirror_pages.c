/* test_mirror_pages.c: a mirror conversation over HTTP, step by step, from the panel to the report, with the bad input the issue names: no facilitator, a proposal without its team or before the talk, not adopted without a reason, a follow-up where none can be, the report before every decision, another trajectory's record (404 through the dispatcher) and a kitchen-table conversation under the mirror path. */
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
#include "io/when.h"

#include <jansson.h>

#define PW "a long password 1234"

static int ipn;
static long long ready_id, other_id;

static int setup(void **state)
{
	db *d = fixture_open("mirror");
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
	struct trajectory_new t = {.org_id = org,
	                           .user_id = anna.id,
	                           .f = {.title = "Het Wmo-loket",
	                                 .scope = "Over de dienstverlening van het loket.",
	                                 .selection_rationale = "U kreeg het afgelopen jaar hulp.",
	                                 .contact_route = "Bel 14 020."}};
	if (trajectory_create_write(d, &t) != DB_OK)
		return -1;
	ready_id = t.id;
	/* bea's trajectory: anna is not on it */
	struct trajectory_new u = {.org_id = org, .user_id = bea.id, .f = {.title = "Van Bea"}};
	if (trajectory_create_write(d, &u) != DB_OK)
		return -1;
	other_id = u.id;
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
	wt_ip(ip, sizeof ip, 13, ++ipn);
	who_login(w, user, PW, ip);
}

/* Makes a mirror conversation in trajectory tid; its page's path. */
static void make_mirror(struct who *w, long long tid, const char *title, char *path, size_t cap)
{
	char p[64];
	snprintf(p, sizeof p, "/trajecten/%lld/spiegelgesprekken", tid);
	struct http_resp r;
	assert_int_equal(who_post(w, p, &r, "mirror-title", title, "facilitator", "Fatima Leider",
	                          "facilitator-org", "Bureau Onafhankelijk", NULL),
	                 303);
	const char *loc = wt_location(&r);
	const char *q = strchr(loc, '?');
	snprintf(path, cap, "%.*s", (int)(q ? q - loc : (long)strlen(loc)), loc);
	http_free(&r);
}

static int post(struct who *w, const char *conv, const char *tail, struct http_resp *r, ...)
{
	char p[160];
	snprintf(p, sizeof p, "%s%s", conv, tail);
	va_list ap;
	va_start(ap, r);
	int st = who_postv(w, p, r, ap);
	va_end(ap);
	return st;
}

/* POST with a status expected; the response freed. */
#define EXPECT(st, call)                        \
	do {                                    \
		struct http_resp resp_;         \
		assert_int_equal((call), (st)); \
		http_free(&resp_);              \
	} while (0)

static long long last_point(void)
{
	return wt_count("SELECT max(point_id) FROM mirror_proposals");
}

static void test_panel_to_report(void **state)
{
	struct who anna;
	login(&anna, "anna");
	struct http_resp r;
	char p[96];
	/* the list, and a mirror conversation without its facilitator */
	snprintf(p, sizeof p, "/trajecten/%lld/spiegelgesprekken", ready_id);
	assert_int_equal(who_get(&anna, p, &r), 200);
	assert_true(wt_has(&r, "No mirror conversations yet."));
	http_free(&r);
	assert_int_equal(
	        who_post(&anna, p, &r, "mirror-title", "Spiegel", "facilitator", " ", NULL), 422);
	assert_true(wt_has(&r, "independent facilitator"));
	assert_true(wt_has(&r, "value=\"Spiegel\"")); /* what was typed stays */
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM conversations WHERE kind = 'mirror'"), 0);

	char conv[96];
	make_mirror(&anna, ready_id, "Spiegelgesprek loket", conv, sizeof conv);
	assert_non_null(strstr(conv, "/spiegelgesprekken/"));
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, "Fatima Leider"));
	assert_true(wt_has(&r, "Bureau Onafhankelijk"));
	/* the guide of the spiegelgesprek script, round by round */
	assert_true(wt_has(&r, "Round 1: experiences"));
	assert_true(wt_has(&r, "Round 3: questions from the listening officials"));
	assert_true(wt_has(&r, "What should the municipality do differently?"));
	http_free(&r);
	/* the list and the trajectory's page lead to it */
	assert_int_equal(who_get(&anna, p, &r), 200);
	assert_true(wt_has(&r, "Spiegelgesprek loket"));
	http_free(&r);
	/* the conversations list's link (/gesprekken/ID) sends to its own path */
	long long cid = 0;
	assert_int_equal(sscanf(strrchr(conv, '/') + 1, "%lld", &cid), 1);
	snprintf(p, sizeof p, "/trajecten/%lld/gesprekken/%lld", ready_id, cid);
	assert_int_equal(who_get(&anna, p, &r), 303);
	assert_string_equal(wt_location(&r), conv);
	http_free(&r);

	/* the panel: one by e-mail, one only with an address */
	EXPECT(303, post(&anna, conv, "/personen", &resp_, "name", "Els Panel", "email",
	                 "els@example.org", NULL));
	EXPECT(303, post(&anna, conv, "/personen", &resp_, "name", "Henk Panel", "address",
	                 "Dorpsstraat 1, 1234 AB Dorp", NULL));
	/* the invitation says what a mirror conversation is */
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, "Wij nodigen u uit voor een spiegelgesprek over Het Wmo-loket."));
	http_free(&r);
	/* the officials who listen; a nameless one is refused */
	EXPECT(422, post(&anna, conv, "/spiegel", &resp_, "action", "observer", "observer-name", "",
	                 NULL));
	EXPECT(303, post(&anna, conv, "/spiegel", &resp_, "action", "observer", "observer-name",
	                 "Piet Ambtenaar", "observer-team", "Team Wmo", NULL));
	/* invited by letter: two letters with links */
	assert_int_equal(post(&anna, conv, "/uitnodigen", &r, "channel", "letter",
	                      "invitation-text", "Wij nodigen u uit voor een spiegelgesprek.",
	                      NULL),
	                 200);
	assert_true(wt_has(&r, "Henk Panel"));
	http_free(&r);
	/* no proposal before the talk */
	EXPECT(409, post(&anna, conv, "/spiegel", &resp_, "action", "proposal", "proposal-text",
	                 "Bel sneller terug", "team", "Team Wmo", NULL));
	/* the appointment, the talk */
	int64_t t = clock_now() + 3 * 86400;
	char when[17];
	when_input_value(t, when);
	EXPECT(303, post(&anna, conv, "/afspraak", &resp_, "starts", when, "minutes", "120",
	                 "place_kind", "town_hall", "place", "Zaal 2", NULL));
	EXPECT(303, post(&anna, conv, "/verloop", &resp_, "action", "held", NULL));
	/* notes per round; an unknown round is refused */
	EXPECT(303,
	       post(&anna, conv, "/spiegel", &resp_, "action", "round_note", "round", "experiences",
	            "note-experiences", "Het loket is slecht bereikbaar.", NULL));
	EXPECT(422, post(&anna, conv, "/spiegel", &resp_, "action", "round_note", "round", "lunch",
	                 "note-lunch", "x", NULL));
	assert_int_equal(wt_count("SELECT count(*) FROM conversation_notes WHERE round = "
	                          "'experiences'"),
	                 1);
	/* a proposal needs its team; what was typed stays */
	assert_int_equal(post(&anna, conv, "/spiegel", &r, "action", "proposal", "proposal-text",
	                      "Bel binnen twee dagen terug", "team", "", NULL),
	                 422);
	assert_true(wt_has(&r, "Name the team that owns the proposal"));
	assert_true(wt_has(&r, "Bel binnen twee dagen terug"));
	http_free(&r);
	EXPECT(303, post(&anna, conv, "/spiegel", &resp_, "action", "proposal", "proposal-text",
	                 "Bel binnen twee dagen terug", "team", "Team Wmo", NULL));
	long long a = last_point();
	EXPECT(303, post(&anna, conv, "/spiegel", &resp_, "action", "proposal", "proposal-text",
	                 "Gratis taxi naar het loket", "team", "Team Vervoer", NULL));
	long long b = last_point();
	/* the report waits for every decision */
	EXPECT(409, post(&anna, conv, "/spiegel", &resp_, "action", "report_sent", "report",
	                 "Verslag", NULL));
	/* not adopted without a reason: refused, nothing stored */
	char key[48], key2[48];
	snprintf(key, sizeof key, "verdict-%lld", b);
	snprintf(key2, sizeof key2, "reason-%lld", b);
	char point[24];
	snprintf(point, sizeof point, "%lld", b);
	assert_int_equal(post(&anna, conv, "/spiegel", &r, "action", "verdict", "point", point, key,
	                      "not_adopted", key2, "", NULL),
	                 422);
	assert_true(wt_has(&r, "Say why the proposal is not adopted."));
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM mirror_proposals WHERE verdict IS NOT "
	                          "NULL"),
	                 0);
	EXPECT(303, post(&anna, conv, "/spiegel", &resp_, "action", "verdict", "point", point, key,
	                 "not_adopted", key2, "De Regiotaxi rijdt al.", NULL));
	/* a follow-up of a proposal not adopted: refused */
	snprintf(key, sizeof key, "follow-up-%lld", b);
	snprintf(key2, sizeof key2, "follow-up-on-%lld", b);
	EXPECT(409, post(&anna, conv, "/spiegel", &resp_, "action", "follow_up", "point", point,
	                 key, "done", key2, "2026-05-01", NULL));
	/* adopted, and done */
	snprintf(point, sizeof point, "%lld", a);
	snprintf(key, sizeof key, "verdict-%lld", a);
	EXPECT(303, post(&anna, conv, "/spiegel", &resp_, "action", "verdict", "point", point, key,
	                 "adopted", NULL));
	snprintf(key, sizeof key, "follow-up-%lld", a);
	snprintf(key2, sizeof key2, "follow-up-on-%lld", a);
	EXPECT(422, post(&anna, conv, "/spiegel", &resp_, "action", "follow_up", "point", point,
	                 key, "done", key2, "", NULL)); /* done needs its date */
	EXPECT(303, post(&anna, conv, "/spiegel", &resp_, "action", "follow_up", "point", point,
	                 key, "done", key2, "2026-05-01", NULL));
	/* a proposal id of nobody: 404 */
	EXPECT(404, post(&anna, conv, "/spiegel", &resp_, "action", "verdict", "point", "999999",
	                 "verdict-999999", "adopted", NULL));

	/* the report's draft from the proposals */
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, "1. Voorstel: Bel binnen twee dagen terug."));
	assert_true(wt_has(&r, "Stand: dit is klaar sinds 1-5-2026."));
	assert_true(wt_has(&r, "nemen we niet over, omdat de Regiotaxi rijdt al."));
	http_free(&r);
	/* sent: Els by e-mail (queued), Henk as a letter to print */
	assert_int_equal(post(&anna, conv, "/spiegel", &r, "action", "report_sent", "report",
	                      "Beste deelnemer, dit deden we met uw voorstellen.", NULL),
	                 200);
	assert_true(wt_has(&r, "Letters to print"));
	assert_true(wt_has(&r, "Henk Panel"));
	assert_true(wt_has(&r, "Dorpsstraat 1, 1234 AB Dorp"));
	assert_false(wt_has(&r, "Els Panel"));
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE purpose = 'feedback'"), 1);
	assert_int_equal(wt_count("SELECT count(*) FROM conversation_people WHERE "
	                          "feedback_sent_at IS NOT NULL AND feedback_channel = 'letter'"),
	                 1);
	assert_int_equal(wt_count("SELECT count(*) FROM audit_log WHERE action = 'view' AND "
	                          "object_type = 'conversation_person'") > 0,
	                 1);
	assert_int_equal(wt_count("SELECT count(*) FROM conversations WHERE kind = 'mirror' AND "
	                          "status = 'feedback'"),
	                 1);
	/* sent is the record */
	EXPECT(409, post(&anna, conv, "/spiegel", &resp_, "action", "report_draft", "report",
	                 "Anders", NULL));
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, "report sent as a letter"));
	assert_true(wt_has(&r, "report sent by e-mail"));
	http_free(&r);
	EXPECT(303, post(&anna, conv, "/verloop", &resp_, "action", "close", NULL));
}

static void test_other_trajectory_and_kind(void **state)
{
	struct who anna, bea;
	login(&anna, "anna");
	login(&bea, "bea");
	char conv[96], theirs[96];
	make_mirror(&anna, ready_id, "Van Anna", conv, sizeof conv);
	make_mirror(&bea, other_id, "Van Bea", theirs, sizeof theirs);
	struct http_resp r;
	/* a trajectory anna is not on: 404 for its list, its page, every change */
	assert_int_equal(who_get(&anna, theirs, &r), 404);
	http_free(&r);
	char p[96];
	snprintf(p, sizeof p, "/trajecten/%lld/spiegelgesprekken", other_id);
	assert_int_equal(who_get(&anna, p, &r), 404);
	http_free(&r);
	EXPECT(404, post(&anna, theirs, "/spiegel", &resp_, "action", "observer", "observer-name",
	                 "Indringer", NULL));
	EXPECT(404, post(&anna, theirs, "/personen", &resp_, "name", "X", "email", "x@example.org",
	                 NULL));
	assert_int_equal(wt_count("SELECT count(*) FROM mirror_observers WHERE name = "
	                          "'Indringer'"),
	                 0);
	/* bea's conversation under anna's trajectory's path: 404 too */
	long long cid = 0;
	assert_int_equal(sscanf(strrchr(theirs, '/') + 1, "%lld", &cid), 1);
	snprintf(p, sizeof p, "/trajecten/%lld/spiegelgesprekken/%lld", ready_id, cid);
	assert_int_equal(who_get(&anna, p, &r), 404);
	http_free(&r);
	EXPECT(404, post(&anna, p, "/spiegel", &resp_, "action", "observer", "observer-name",
	                 "Indringer", NULL));
	/* a kitchen-table conversation is no mirror conversation */
	snprintf(p, sizeof p, "/trajecten/%lld/gesprekken", ready_id);
	assert_int_equal(who_post(&anna, p, &r, "conversation-title", "Keukentafel", NULL), 303);
	char kitchen[96];
	wt_copy_location(&r, kitchen, sizeof kitchen);
	http_free(&r);
	long long kid = 0;
	assert_int_equal(sscanf(strstr(kitchen, "/gesprekken/") + 12, "%lld", &kid), 1);
	snprintf(p, sizeof p, "/trajecten/%lld/spiegelgesprekken/%lld", ready_id, kid);
	assert_int_equal(who_get(&anna, p, &r), 303);
	http_free(&r);
	EXPECT(404, post(&anna, p, "/spiegel", &resp_, "action", "observer", "observer-name",
	                 "Piet", NULL));
	/* an unknown action */
	EXPECT(422, post(&anna, conv, "/spiegel", &resp_, "action", "dance", NULL));
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_panel_to_report),
	        cmocka_unit_test(test_other_trajectory_and_kind),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
