/* test_conversations.c: a kitchen-table conversation over HTTP, step by step, with the bad input the issue names: invitations without scope or without an e-mail address, appointments in the past or overlapping, a decision without its reason, closing with open loops, personal links that expire, another trajectory's conversation. */
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
#include "core/vault.h"
#include "model/conversation_mail.h"
#include "model/trajectory.h"
#include "model/user.h"
#include "io/when.h"

#include <jansson.h>

#define PW "a long password 1234"

static int ipn;
static long long ready_id, unready_id, story_collection;

#define SCRIPT_TEXT                                                                           \
	"{\"format\":\"vertelpunt-script/1\",\"key\":\"plein\",\"title\":{\"nl\":\"Plein\"}," \
	"\"privacy\":{\"nl\":\"Alleen de gemeente leest dit.\"},\"sections\":[{\"id\":\"s\"," \
	"\"questions\":[{\"id\":\"q\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"       \
	"\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]}]}]}"

static int setup(void **state)
{
	db *d = fixture_open("conversations");
	int64_t org;
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK)
		return -1;
	if (fixture_user(d, org, "anna", "Anna Gesprek", ROLE_GESPREKSVOERDER, PW, 0) <= 0 ||
	    fixture_user(d, org, "bea", "Bea Ander", ROLE_GESPREKSVOERDER, PW, 0) <= 0)
		return -1;
	struct user anna;
	if (user_by_name(d, "anna", &anna, NULL) != DB_ROW)
		return -1;
	struct trajectory_new t = {.org_id = org,
	                           .user_id = anna.id,
	                           .f = {.title = "Het Dorpsplein",
	                                 .scope = "Bomen en banken: open. De weg: besloten.",
	                                 .selection_rationale = "U woont aan het plein.",
	                                 .contact_route = "Bel 14 020."}};
	if (trajectory_create_write(d, &t) != DB_OK)
		return -1;
	ready_id = t.id;
	struct trajectory_new u = {
	        .org_id = org, .user_id = anna.id, .f = {.title = "Nog niet klaar"}};
	if (trajectory_create_write(d, &u) != DB_OK)
		return -1;
	unready_id = u.id;
	/* a collection of the ready trajectory: stories taken at the table */
	struct collection_new cn = {.org_id = org,
	                            .title = "Verhalen van het plein",
	                            .purpose = "Leren",
	                            .script_id = wt_script(d, org, SCRIPT_TEXT, NULL),
	                            .script_version = 1,
	                            .retention_days = 30,
	                            .trajectory_id = ready_id};
	if (collection_create_write(d, &cn) != DB_OK || cn.result != COLLECTION_OK)
		return -1;
	story_collection = cn.id;
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
	wt_ip(ip, sizeof ip, 11, ++ipn);
	who_login(w, user, PW, ip);
}

/* Makes a conversation in trajectory tid; returns its page's path. */
static void make_conversation(struct who *w, long long tid, const char *title, char *path,
                              size_t cap)
{
	char p[64];
	snprintf(p, sizeof p, "/trajecten/%lld/gesprekken", tid);
	struct http_resp r;
	assert_int_equal(who_post(w, p, &r, "conversation-title", title, NULL), 303);
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

/* A local time days from now at hour:00, as a form value. */
static void future(int days, int hour, char out[17])
{
	int64_t t = clock_now() + (int64_t)days * 86400;
	when_input_value(t, out);
	snprintf(out + 11, 6, "%02d:00", hour);
}

/* The personal links on the letters page. */
static int links(struct http_resp *r, char tokens[][64], int max)
{
	int n = 0;
	const char *p = r->body;
	while (n < max && (p = strstr(p, "/uitnodiging/")) != NULL) {
		p += strlen("/uitnodiging/");
		size_t len = strspn(
		        p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
		snprintf(tokens[n++], 64, "%.*s", (int)len, p);
	}
	return n;
}

static void test_whole_conversation(void **state)
{
	struct who anna;
	login(&anna, "anna");
	char conv[96];
	make_conversation(&anna, ready_id, "Keukentafel Dorpsstraat", conv, sizeof conv);
	struct http_resp r;
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, "Keukentafel Dorpsstraat"));
	http_free(&r);

	/* people: someone without any way to reach them is refused */
	assert_int_equal(
	        post(&anna, conv, "/personen", &r, "kind", "resident", "name", "Niemand", NULL),
	        422);
	http_free(&r);
	assert_int_equal(post(&anna, conv, "/personen", &r, "kind", "resident", "name", "Jan Plein",
	                      "email", "jan.plein@example.org", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(
	        wt_count("SELECT count(*) FROM audit_log WHERE action = 'create' AND "
	                 "object_type = 'conversation_person' AND subject_code LIKE 'VP-%'"),
	        1);
	assert_int_equal(post(&anna, conv, "/personen", &r, "kind", "entrepreneur", "name",
	                      "Bakkerij De Hoek", "phone", "0201234567", NULL),
	                 303);
	http_free(&r);

	/* the invitation starts as a draft from the trajectory */
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, "Wij nodigen u uit voor een gesprek aan de keukentafel over Het "
	                       "Dorpsplein."));
	assert_true(wt_has(&r, "Waarom u? U woont aan het plein."));
	http_free(&r);
	/* an e-mail invitation while someone has no e-mail address: nobody invited,
	 * and the text as typed is kept */
	assert_int_equal(post(&anna, conv, "/uitnodigen", &r, "channel", "email", "invitation-text",
	                      "Wij komen graag bij u langs.", NULL),
	                 409);
	assert_true(wt_has(&r, "Nobody was invited"));
	assert_true(wt_has(&r, "Wij komen graag bij u langs."));
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM conversation_people WHERE invited_at IS "
	                          "NOT NULL"),
	                 0);
	/* as letters: two letters, each with its own link, shown once */
	assert_int_equal(post(&anna, conv, "/uitnodigen", &r, "channel", "letter",
	                      "invitation-text", "Wij komen graag bij u langs.", NULL),
	                 200);
	char tokens[4][64];
	assert_int_equal(links(&r, tokens, 4), 2);
	assert_int_equal(strlen(tokens[0]), 43);
	assert_string_not_equal(tokens[0], tokens[1]);
	assert_true(wt_has(&r, "Jan Plein"));
	http_free(&r);
	/* only hashes are stored */
	db *d = wt_open_db();
	db_stmt *s =
	        db_prepare(d, "SELECT count(*) FROM conversation_people WHERE token_hash = :t");
	db_bind_text(s, "t", tokens[0]);
	assert_int_equal(wt_count_of(d, s), 0);

	/* the personal link: no login; the answer is kept */
	struct browser b;
	browser_new(&b, 12);
	char link[96];
	snprintf(link, sizeof link, "/uitnodiging/%s", tokens[0]);
	assert_int_equal(browser_send(&b, "GET", link, NULL, &r), 200);
	assert_true(wt_has(&r, "Bomen en banken: open."));
	assert_true(wt_has(&r, "U woont aan het plein."));
	http_free(&r);
	char tok[128];
	snprintf(tok, sizeof tok, "%s", b.token);
	assert_int_equal(browser_post(&b, link, tok, "response=maybe", &r), 422);
	http_free(&r);
	assert_int_equal(
	        browser_post(&b, link, tok, "response=other_time&note=Liever%20'savonds", &r), 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM conversation_people WHERE response = "
	                          "'other_time' AND response_note = 'Liever ''savonds'"),
	                 1);
	assert_int_equal(browser_send(&b, "GET",
	                              "/uitnodiging/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	                              NULL, &r),
	                 404);
	http_free(&r);

	/* the appointment: not in the past */
	char when[17];
	future(-1, 10, when);
	assert_int_equal(post(&anna, conv, "/afspraak", &r, "starts", when, "minutes", "60",
	                      "place_kind", "home", NULL),
	                 422);
	http_free(&r);
	assert_int_equal(post(&anna, conv, "/afspraak", &r, "starts", "2026-02-30T10:00", "minutes",
	                      "60", "place_kind", "home", NULL),
	                 422);
	http_free(&r);
	future(3, 10, when);
	/* a home address is not copied into the appointment: it stays sealed */
	assert_int_equal(post(&anna, conv, "/afspraak", &r, "starts", when, "minutes", "90",
	                      "place_kind", "home", "place", "Dorpsstraat 1", NULL),
	                 422);
	assert_true(wt_has(&r, "taken from the person"));
	http_free(&r);
	assert_int_equal(post(&anna, conv, "/afspraak", &r, "starts", when, "minutes", "90",
	                      "place_kind", "home", NULL),
	                 303);
	http_free(&r);
	/* another conversation of the same official at an overlapping time */
	char conv2[96];
	make_conversation(&anna, ready_id, "Keukentafel Kerkstraat", conv2, sizeof conv2);
	future(3, 11, when);
	assert_int_equal(post(&anna, conv2, "/afspraak", &r, "starts", when, "minutes", "60",
	                      "place_kind", "town_hall", NULL),
	                 409);
	assert_true(wt_has(&r, "another appointment at that time"));
	http_free(&r);
	/* moving it keeps the calendar uid and raises the sequence */
	future(4, 10, when);
	assert_int_equal(post(&anna, conv, "/afspraak", &r, "starts", when, "minutes", "90",
	                      "place_kind", "video", "place", "https://video.example/abc", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT max(ical_sequence) FROM appointments"), 1);
	/* a calendar invitation and its update went to the one with an e-mail
	 * address (the bakery has none), each with its calendar part */
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE purpose = 'appointment'"), 2);
	assert_int_equal(wt_count("SELECT count(DISTINCT dedup_key) FROM outbox WHERE purpose = "
	                          "'appointment'"),
	                 2);

	/* the talk, its points and decisions */
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "held", NULL), 303);
	http_free(&r);
	long long jan = wt_count("SELECT min(id) FROM conversation_people");
	char person[24];
	snprintf(person, sizeof person, "%lld", jan);
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "point", "person", person,
	                      "point-text", "Meer bankjes in de schaduw", "theme", "groen", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "point", "person", person,
	                      "point-text", "Een rotonde op de hoek", "theme", "verkeer", NULL),
	                 303);
	http_free(&r);
	long long p1 = wt_count("SELECT min(id) FROM conversation_points"),
	          p2 = wt_count("SELECT max(id) FROM conversation_points");
	char pid[24], dkey[40], rkey[40];
	snprintf(pid, sizeof pid, "%lld", p2);
	snprintf(dkey, sizeof dkey, "decision-%lld", p2);
	snprintf(rkey, sizeof rkey, "reason-%lld", p2);
	/* not taken along without a reason: refused */
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "decide", "point", pid, dkey,
	                      "not_taken", rkey, "", NULL),
	                 422);
	http_free(&r);
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "decide", "point", pid, dkey,
	                      "not_taken", rkey, "de weg is al besloten", NULL),
	                 303);
	http_free(&r);
	snprintf(pid, sizeof pid, "%lld", p1);
	snprintf(dkey, sizeof dkey, "decision-%lld", p1);
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "decide", "point", pid, dkey,
	                      "taken", NULL),
	                 303);
	http_free(&r);

	/* open loops: both people wait; closing without a reason is refused */
	assert_int_equal(who_get(&anna, "/gesprekken", &r), 200);
	assert_true(wt_has(&r, "Keukentafel Dorpsstraat"));
	assert_true(wt_has(&r, "Conversations and their next step"));
	assert_true(wt_has(&r, "Next: send everyone their personal feedback."));
	http_free(&r);
	/* a story can be taken at the table, in the trajectory's collection */
	char take[64];
	snprintf(take, sizeof take, "href=\"/verzamelingen/%lld/opnemen\"", story_collection);
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, take));
	http_free(&r);
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "close", "reason", "", NULL),
	                 409);
	http_free(&r);

	/* feedback: the draft says what was done with each point, and why not */
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, "Meer bankjes in de schaduw"));
	assert_true(wt_has(&r, "de weg is al besloten"));
	http_free(&r);
	char fkey[40], ckey[40];
	snprintf(fkey, sizeof fkey, "feedback-%s", person);
	snprintf(ckey, sizeof ckey, "channel-%s", person);
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "feedback_sent", "person",
	                      person, fkey, "Dank u. De bankjes komen er.", ckey, "email", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM conversation_people WHERE "
	                          "feedback_sent_at IS NOT NULL"),
	                 1);
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE purpose = 'feedback'"), 1);
	/* the other by letter: a letter to print, with the name, and the
	 * reading of the contact data logged */
	long long bakery = wt_count("SELECT max(id) FROM conversation_people WHERE conversation_id "
	                            "= (SELECT conversation_id FROM conversation_people WHERE id = "
	                            "(SELECT min(id) FROM conversation_people))");
	char bkey[40], bch[40], bperson[24];
	snprintf(bperson, sizeof bperson, "%lld", bakery);
	snprintf(bkey, sizeof bkey, "feedback-%lld", bakery);
	snprintf(bch, sizeof bch, "channel-%lld", bakery);
	long long views = wt_count("SELECT count(*) FROM audit_log WHERE action = 'view' AND "
	                           "object_type = 'conversation_person'");
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "feedback_sent", "person",
	                      bperson, bkey, "Dank u voor uw komst.", bch, "letter", NULL),
	                 200);
	assert_true(wt_has(&r, "Bakkerij De Hoek"));
	assert_true(wt_has(&r, "Dank u voor uw komst."));
	assert_true(wt_has(&r, "class=\"vp-letter\""));
	http_free(&r);
	assert_true(wt_count("SELECT count(*) FROM audit_log WHERE action = 'view' AND "
	                     "object_type = 'conversation_person'") > views);
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE purpose = 'feedback'"), 1);
	/* with everyone fed back, it closes without a reason; first a reason was
	 * needed (tested in test_conversation.c) */
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "close", "reason", "", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM conversations WHERE status = 'closed'"), 1);
	/* nothing changes after closing */
	assert_int_equal(
	        post(&anna, conv, "/verloop", &r, "action", "note", "note-text", "Nog iets", NULL),
	        409);
	http_free(&r);

	/* the public page says what was done, in numbers: no texts, no people */
	db *pd = wt_open_db();
	db_exec_literal(pd, "UPDATE trajectories SET published = 1");
	db_close(pd);
	assert_int_equal(who_get(&anna, "/meedoen/het-dorpsplein", &r), 200);
	assert_true(wt_has(
	        &r, "Kitchen-table talks held</dt><dd><p class=\"utrecht-paragraph vp-prose\">1<"));
	assert_true(wt_has(
	        &r, "Points people raised</dt><dd><p class=\"utrecht-paragraph vp-prose\">2<"));
	assert_true(wt_has(
	        &r, "Points we take along</dt><dd><p class=\"utrecht-paragraph vp-prose\">1<"));
	assert_true(wt_has(&r, "People who heard back personally</dt><dd><p "
	                       "class=\"utrecht-paragraph vp-prose\">2<"));
	assert_false(wt_has(&r, "Meer bankjes in de schaduw"));
	assert_false(wt_has(&r, "Jan Plein"));
	http_free(&r);

	/* the link expires */
	clock_advance(70 * 86400);
	assert_int_equal(browser_send(&b, "GET", link, NULL, &r), 404);
	http_free(&r);
	clock_reset();
}

static void test_not_ready_and_other_trajectory(void **state)
{
	struct who anna, bea;
	login(&anna, "anna");
	login(&bea, "bea");
	char conv[96];
	make_conversation(&anna, unready_id, "Te vroeg", conv, sizeof conv);
	struct http_resp r;
	assert_int_equal(post(&anna, conv, "/personen", &r, "kind", "resident", "name", "Piet",
	                      "email", "piet@example.org", NULL),
	                 303);
	http_free(&r);
	/* no scope, rationale or contact route: no invitation */
	assert_int_equal(post(&anna, conv, "/uitnodigen", &r, "channel", "letter",
	                      "invitation-text", "Welkom", NULL),
	                 409);
	assert_true(wt_has(&r, "not ready for invitations"));
	http_free(&r);
	/* someone not on the trajectory: 404 for the page and every change */
	assert_int_equal(who_get(&bea, conv, &r), 404);
	http_free(&r);
	assert_int_equal(post(&bea, conv, "/verloop", &r, "action", "note", "note-text", "x", NULL),
	                 404);
	http_free(&r);
	/* a conversation id under another trajectory's path: 404 */
	long long cid = 0;
	assert_int_equal(sscanf(strrchr(conv, '/') + 1, "%lld", &cid), 1);
	char wrong[96];
	snprintf(wrong, sizeof wrong, "/trajecten/%lld/gesprekken/%lld", ready_id, cid);
	assert_int_equal(who_get(&anna, wrong, &r), 404);
	http_free(&r);
	/* the contact data is not in the database file in clear */
	assert_false(wt_db_reveals("piet@example.org"));
	assert_false(wt_db_reveals("jan.plein@example.org"));
}

/* By e-mail: the invitations are queued with the change (one each, with
 * the personal link), and the reminder is queued once when it is due,
 * again after the appointment moves. */
static void test_mail(void **state)
{
	struct who anna;
	login(&anna, "anna");
	char conv[96];
	make_conversation(&anna, ready_id, "Keukentafel Molenweg", conv, sizeof conv);
	struct http_resp r;
	assert_int_equal(post(&anna, conv, "/personen", &r, "kind", "resident", "name", "Ria Molen",
	                      "email", "ria@example.org", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(post(&anna, conv, "/personen", &r, "kind", "organisation", "name",
	                      "Buurthuis", "email", "buurthuis@example.org", NULL),
	                 303);
	http_free(&r);
	long long before = wt_count("SELECT count(*) FROM outbox WHERE purpose = 'invitation'");
	assert_int_equal(post(&anna, conv, "/uitnodigen", &r, "channel", "email", "invitation-text",
	                      "Wij komen graag bij u langs.", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE purpose = 'invitation'"),
	                 before + 2);
	char when[17];
	future(5, 15, when);
	assert_int_equal(post(&anna, conv, "/afspraak", &r, "starts", when, "minutes", "60",
	                      "place_kind", "town_hall", "remind", "soms", NULL),
	                 422);
	http_free(&r);
	assert_int_equal(post(&anna, conv, "/afspraak", &r, "starts", when, "minutes", "60",
	                      "place_kind", "town_hall", "remind", "2880", NULL),
	                 303);
	http_free(&r);
	/* reminders: not yet; then due (2 days before) once; not twice */
	struct conversation_mail m = {
	        .v = NULL, .base_url = "", .organizer = "noreply@example.org"};
	char err[256];
	vault *v = vault_load(keypath, err, sizeof err);
	assert_non_null(v);
	m.v = v;
	db *d = wt_open_db();
	int q = 0;
	assert_int_equal(db_begin(d), DB_OK);
	assert_int_equal(conversation_mail_reminders(d, &m, clock_now(), &q), DB_OK);
	assert_int_equal(db_commit(d), DB_OK);
	assert_int_equal(q, 0);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(db_begin(d), DB_OK);
		assert_int_equal(
		        conversation_mail_reminders(d, &m, clock_now() + 3 * 86400 + 20 * 3600, &q),
		        DB_OK);
		assert_int_equal(db_commit(d), DB_OK);
		assert_int_equal(q, 2);
	}
	db_close(d);
	vault_free(v);
	assert_int_equal(wt_count("SELECT count(*) FROM conversations WHERE status = 'reminded' "
	                          "AND title = 'Keukentafel Molenweg'"),
	                 1);
	/* cancelled: both hear so (a calendar cancellation, same uid), the
	 * status goes back, and a new time is an update of the same event */
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "cancel", NULL), 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE purpose = 'cancellation'"), 2);
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE purpose = 'cancellation' AND "
	                          "has_calendar = 1"),
	                 2);
	assert_int_equal(wt_count("SELECT count(*) FROM conversations WHERE status = 'invited' "
	                          "AND title = 'Keukentafel Molenweg'"),
	                 1);
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "cancel", NULL), 409);
	http_free(&r);
	future(6, 15, when);
	assert_int_equal(post(&anna, conv, "/afspraak", &r, "starts", when, "minutes", "60",
	                      "place_kind", "town_hall", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM appointments WHERE cancelled = 0 AND "
	                          "ical_sequence = 2"),
	                 1);
	/* the mail is sealed: no address in the database file */
	assert_false(wt_db_reveals("ria@example.org"));
	assert_false(wt_db_reveals("/uitnodiging/"));
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_whole_conversation),
	        cmocka_unit_test(test_not_ready_and_other_trajectory),
	        cmocka_unit_test(test_mail),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
