/* test_dialogue_pages.c: dialogue tables over HTTP, step by step, with the bad input the issue names: a session planned wrongly, public registration on the form (full session to the waiting list, registration after closing, missing name), placement at tables, a facilitator at another table (403), speaking turns and notes, a cancellation that promotes the first on the waiting list with an e-mail. */
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
#include "io/when.h"
#include "model/dialogue.h"
#include "model/trajectory.h"
#include "model/user.h"

#include <jansson.h>

#define PW "a long password 1234"

static int ipn;
static long long traj_id, late_id;
static int64_t org;

static int setup(void **state)
{
	db *d = fixture_open("dialogue");
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK)
		return -1;
	int64_t anna = fixture_user(d, org, "anna", "Anna Ambtenaar", ROLE_GESPREKSVOERDER, PW, 0);
	int64_t bea = fixture_user(d, org, "bea", "Bea Begeleider", ROLE_PROCESBEGELEIDER, PW, 0);
	int64_t carl =
	        fixture_user(d, org, "carl", "Carl Begeleider", ROLE_PROCESBEGELEIDER, PW, 0);
	if (anna <= 0 || bea <= 0 || carl <= 0)
		return -1;
	struct trajectory_new t = {.org_id = org,
	                           .user_id = anna,
	                           .f = {.title = "Samen beslissen",
	                                 .scope = "Hoe we samenwerken: open.",
	                                 .contact_route = "Bel 14 020.",
	                                 .published = 1}};
	struct trajectory_new u = {
	        .org_id = org, .user_id = anna, .f = {.title = "Bijna dicht", .published = 1}};
	if (trajectory_create_write(d, &t) != DB_OK || trajectory_create_write(d, &u) != DB_OK)
		return -1;
	traj_id = t.id;
	late_id = u.id;
	int64_t staff[2] = {bea, carl};
	for (int i = 0; i < 2; i++) {
		struct trajectory_staff_change sc = {
		        .org_id = org, .id = t.id, .user_id = staff[i], .add = 1};
		if (trajectory_staff_write(d, &sc) != DB_OK || !sc.found)
			return -1;
	}
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.per_ip_limit = 60;
	cfg.story_rate_ip = 100000;
	cfg.public_url = "https://vertelpunt.example"; /* links in the scheduler's reminders */
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return fixture_stop();
}

static void login(struct who *w, const char *user)
{
	char ip[32];
	wt_ip(ip, sizeof ip, 12, ++ipn);
	who_login(w, user, PW, ip);
}

/* A local time days (and hours) from now, as a form value. */
static void future(int days, int hour, char out[17])
{
	int64_t t = clock_now() + (int64_t)days * 86400;
	when_input_value(t, out);
	snprintf(out + 11, 6, "%02d:00", hour);
}

/* The id after prefix in the Location header ("/.../sessies/12?ok" -> 12). */
static long long id_after(struct http_resp *r, const char *prefix)
{
	const char *p = strstr(wt_location(r), prefix);
	return p ? atoll(p + strlen(prefix)) : 0;
}

/* Registers a resident through the public form from a fresh browser; the
 * status, the page in r. */
static int register_resident(const char *slug, long long sid, const char *name, const char *email,
                             const char *district, const char *age, struct http_resp *r)
{
	struct browser b;
	browser_new(&b, 13);
	snprintf(b.lang, sizeof b.lang, "en"); /* the texts below are in English */
	char path[128];
	snprintf(path, sizeof path, "/meedoen/%s/dialoog", slug);
	struct http_resp g;
	assert_int_equal(browser_send(&b, "GET", path, NULL, &g), 200);
	http_free(&g);
	buf form;
	buf_init(&form);
	buf_printf(&form, "session-%lld=1&name=", sid);
	wt_enc(&form, name);
	buf_puts(&form, "&email=");
	wt_enc(&form, email);
	buf_puts(&form, "&contribution=Ik+woon+hier+al+lang&access_needs=Ik+zit+in+een+rolstoel"
	                "&district=");
	wt_enc(&form, district);
	buf_puts(&form, "&age_band=");
	wt_enc(&form, age);
	int st = browser_post(&b, path, b.token, form.data, r);
	buf_free(&form);
	return st;
}

static long long new_session(struct who *w, long long tid, const char *title, int capacity,
                             int closes_days)
{
	char starts[17], closes[17], cap[16], path[64];
	future(7, 19, starts);
	future(closes_days, 12, closes);
	snprintf(cap, sizeof cap, "%d", capacity);
	snprintf(path, sizeof path, "/trajecten/%lld/dialoog", tid);
	struct http_resp r;
	assert_int_equal(who_post(w, path, &r, "title", title, "starts", starts, "minutes", "120",
	                          "online_url", "https://meet.example/dialoog", "closes", closes,
	                          "capacity", cap, "agenda", "Welkom\nRonde 1\nAfspraken", NULL),
	                 303);
	long long sid = id_after(&r, "/sessies/");
	http_free(&r);
	assert_true(sid > 0);
	return sid;
}

static void test_full_session(void **state)
{
	struct who anna, bea;
	login(&anna, "anna");
	login(&bea, "bea");
	char path[160], starts[17], closes[17];
	struct http_resp r;

	/* bad input: registration closing after the start; nothing is lost */
	future(3, 19, starts);
	future(5, 12, closes);
	snprintf(path, sizeof path, "/trajecten/%lld/dialoog", traj_id);
	assert_int_equal(who_post(&anna, path, &r, "title", "Te laat dicht", "starts", starts,
	                          "minutes", "120", "place", "Stadhuis", "closes", closes,
	                          "capacity", "10", NULL),
	                 422);
	assert_true(wt_has(&r, "Registration must close before the session starts."));
	assert_true(wt_has(&r, "value=\"Te laat dicht\""));
	http_free(&r);
	assert_int_equal(who_post(&anna, path, &r, "title", "Geen plek", "starts", starts,
	                          "minutes", "120", "closes", starts, "capacity", "10", NULL),
	                 422);
	assert_true(wt_has(&r, "Give the place, the link of the online meeting, or both."));
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_sessions"), 0);

	/* a session with room for three */
	long long sid = new_session(&anna, traj_id, "Eerste gesprek", 3, 6);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_tables"), 4);
	assert_int_equal(who_get(&anna, path, &r), 200);
	assert_true(wt_has(&r, "Eerste gesprek"));
	assert_true(wt_has(&r, "Participerende overheid"));
	assert_true(wt_has(&r, "/meedoen/samen-beslissen/dialoog"));
	http_free(&r);

	/* the public form from the trajectory's page */
	struct browser b;
	browser_new(&b, 13);
	snprintf(b.lang, sizeof b.lang, "en"); /* the texts below are in English */
	assert_int_equal(browser_send(&b, "GET", "/meedoen/samen-beslissen", NULL, &r), 200);
	assert_true(wt_has(&r, "/meedoen/samen-beslissen/dialoog"));
	http_free(&r);
	char field[40];
	snprintf(field, sizeof field, "session-%lld", sid);
	assert_int_equal(browser_send(&b, "GET", "/meedoen/samen-beslissen/dialoog", NULL, &r),
	                 200);
	assert_true(wt_has(&r, field));
	http_free(&r);
	/* bad input: no name, no session; nothing stored, what was typed kept */
	char form[256];
	snprintf(form, sizeof form, "session-%lld=1&email=x%%40example.org&contribution=Mijn+idee",
	         sid);
	assert_int_equal(browser_post(&b, "/meedoen/samen-beslissen/dialoog", b.token, form, &r),
	                 422);
	assert_true(wt_has(&r, "Write your name."));
	assert_true(wt_has(&r, "Mijn idee"));
	http_free(&r);
	assert_int_equal(browser_post(&b, "/meedoen/samen-beslissen/dialoog", b.token,
	                              "name=Iemand&email=x%40example.org", &r),
	                 422);
	assert_true(wt_has(&r, "Choose at least one session."));
	http_free(&r);
	/* without the form's token: refused */
	assert_int_equal(browser_post(&b, "/meedoen/samen-beslissen/dialoog", "bad", form, &r),
	                 403);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_registrations"), 0);

	/* three places, four people: the fourth waits */
	static const char *names[4] = {"Ada Noord", "Bob Zuid", "Cas Oost", "Dirk West"};
	static const char *districts[4] = {"Noord", "Zuid", "Oost", "West"};
	for (int i = 0; i < 4; i++) {
		char email[64];
		snprintf(email, sizeof email, "bewoner%d@example.org", i);
		assert_int_equal(register_resident("samen-beslissen", sid, names[i], email,
		                                   districts[i], i % 2 ? "30-44" : "65-79", &r),
		                 201);
		if (i < 3)
			assert_true(wt_has(&r, "you are registered"));
		else
			assert_true(wt_has(&r, "on the waiting list, place"));
		http_free(&r);
	}
	/* what people wrote about themselves is sealed: opened on the session's
	 * page for the team, not in the database file */
	{
		char sess[96];
		snprintf(sess, sizeof sess, "/trajecten/%lld/dialoog/sessies/%lld", traj_id, sid);
		assert_int_equal(who_get(&anna, sess, &r), 200);
		assert_true(wt_has(&r, "Ik zit in een rolstoel"));
		http_free(&r);
		assert_false(wt_db_reveals("rolstoel"));
		assert_false(wt_db_reveals("woon hier al lang"));
	}
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_registrations WHERE status = "
	                          "'registered'"),
	                 3);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_registrations WHERE status = "
	                          "'waiting' AND wait_position = 1"),
	                 1);
	/* names sealed: not in the registrations, not readable anywhere stored */
	assert_false(wt_db_reveals("Ada Noord"));
	assert_int_equal(wt_count("SELECT count(*) FROM participant_contacts"), 4);
	/* a confirmation each, with the calendar invitation for the three */
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE ref_kind = "
	                          "'dialogue_registration'"),
	                 4);
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE ref_kind = "
	                          "'dialogue_registration' AND has_calendar = 1"),
	                 3);

	/* the session page: everyone with contact data, read access logged */
	long long before = wt_count("SELECT count(*) FROM audit_log WHERE action = 'view' AND "
	                            "object_type = 'dialogue_registration'");
	snprintf(path, sizeof path, "/trajecten/%lld/dialoog/sessies/%lld", traj_id, sid);
	assert_int_equal(who_get(&anna, path, &r), 200);
	assert_true(wt_has(&r, "Ada Noord"));
	assert_true(wt_has(&r, "bewoner3@example.org"));
	assert_true(wt_has(&r, "on the waiting list"));
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM audit_log WHERE action = 'view' AND "
	                          "object_type = 'dialogue_registration'") -
	                         before,
	                 4);

	/* placing everyone at tables */
	snprintf(path, sizeof path, "/trajecten/%lld/dialoog/sessies/%lld/indelen", traj_id, sid);
	assert_int_equal(who_post(&anna, path, &r, NULL), 303);
	assert_true(strstr(wt_location(&r), "ok=placed") != NULL);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_registrations WHERE status = "
	                          "'registered' AND table_id IS NOT NULL"),
	                 3);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_registrations WHERE status = "
	                          "'waiting' AND table_id IS NOT NULL"),
	                 0);
	snprintf(path, sizeof path, "/trajecten/%lld/dialoog/sessies/%lld", traj_id, sid);
	assert_int_equal(who_get(&anna, path, &r), 200);
	assert_true(wt_has(&r, "Balance over district and age group"));
	http_free(&r);

	/* Ada's table gets bea as facilitator; the first table is another one
	 * or the same: take Ada's and one without her. */
	long long ada_table = wt_count("SELECT table_id FROM dialogue_registrations ORDER BY id "
	                               "LIMIT 1");
	long long ada_reg = wt_count("SELECT id FROM dialogue_registrations ORDER BY id LIMIT 1");
	long long other_table =
	        wt_count("SELECT min(id) FROM dialogue_tables WHERE id <> (SELECT "
	                 "table_id FROM dialogue_registrations ORDER BY id LIMIT 1)");
	long long bea_id = wt_count("SELECT id FROM users WHERE username = 'bea'");
	char user[24];
	snprintf(user, sizeof user, "%lld", bea_id);
	snprintf(path, sizeof path, "/trajecten/%lld/dialoog/tafels/%lld/begeleiders", traj_id,
	         ada_table);
	assert_int_equal(who_post(&anna, path, &r, "action", "add", "user", user, NULL), 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_facilitators"), 1);
	/* bea may not add herself elsewhere: only organisers of the series, but
	 * bea is one; what she may not do is work at another table */
	char mine[128], other[128];
	snprintf(mine, sizeof mine, "/trajecten/%lld/dialoog/tafels/%lld", traj_id, ada_table);
	snprintf(other, sizeof other, "/trajecten/%lld/dialoog/tafels/%lld", traj_id, other_table);
	assert_int_equal(who_get(&bea, mine, &r), 200);
	assert_true(wt_has(&r, "Ada Noord"));
	assert_true(wt_has(&r, "Welkom"));
	assert_true(wt_has(&r, "/static/dialogue.js"));
	http_free(&r);
	assert_int_equal(who_get(&bea, other, &r), 403);
	assert_true(wt_has(&r, "You are not a facilitator at this table."));
	http_free(&r);
	char other_note[160], other_turn[160], my_note[160], my_turn[160];
	snprintf(other_note, sizeof other_note, "%s/notities", other);
	snprintf(other_turn, sizeof other_turn, "%s/beurt", other);
	snprintf(my_note, sizeof my_note, "%s/notities", mine);
	snprintf(my_turn, sizeof my_turn, "%s/beurt", mine);
	assert_int_equal(
	        who_post(&bea, other_note, &r, "kind", "note", "body", "Niet van mij", NULL), 403);
	http_free(&r);
	assert_int_equal(who_post(&bea, other_turn, &r, "speaker", "0", NULL), 403);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_notes"), 0);
	/* the responsible official may act at every table */
	assert_int_equal(who_get(&anna, other, &r), 200);
	http_free(&r);

	/* speaking turns at bea's table: Ada speaks, stops; counted on the server */
	char speaker[24];
	snprintf(speaker, sizeof speaker, "%lld", ada_reg);
	assert_int_equal(who_post(&bea, my_turn, &r, "speaker", speaker, NULL), 303);
	http_free(&r);
	assert_int_equal(who_get(&bea, mine, &r), 200);
	assert_true(wt_has(&r, "speaking now"));
	assert_true(wt_has(&r, "data-since="));
	http_free(&r);
	assert_int_equal(who_post(&bea, my_turn, &r, "speaker", "0", NULL), 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_turns WHERE stopped_at IS NOT "
	                          "NULL"),
	                 1);
	/* someone from another table cannot be given a turn here */
	long long elsewhere = wt_count("SELECT coalesce(min(id), 0) FROM dialogue_registrations "
	                               "WHERE status = 'registered' AND table_id <> (SELECT "
	                               "table_id FROM dialogue_registrations ORDER BY id LIMIT 1)");
	if (elsewhere) {
		snprintf(speaker, sizeof speaker, "%lld", elsewhere);
		assert_int_equal(who_post(&bea, my_turn, &r, "speaker", speaker, NULL), 409);
		http_free(&r);
	}
	assert_int_equal(who_post(&bea, my_turn, &r, "speaker", "iemand", NULL), 422);
	http_free(&r);

	/* notes: an empty one is refused, a proposal is kept */
	assert_int_equal(who_post(&bea, my_note, &r, "kind", "proposal", "body", "", NULL), 422);
	assert_true(wt_has(&r, "Write the text"));
	http_free(&r);
	assert_int_equal(who_post(&bea, my_note, &r, "kind", "proposal", "body",
	                          "De gemeente zegt vooraf wat er met inbreng gebeurt.", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(who_get(&bea, mine, &r), 200);
	assert_true(wt_has(&r, "De gemeente zegt vooraf wat er met inbreng gebeurt."));
	http_free(&r);

	/* Ada cancels (by phone; anna records it): Dirk gets the place and a mail */
	char reg_path[128];
	snprintf(reg_path, sizeof reg_path, "/trajecten/%lld/dialoog/aanmeldingen/%lld", traj_id,
	         ada_reg);
	assert_int_equal(who_post(&anna, reg_path, &r, "action", "cancel", NULL), 303);
	assert_true(strstr(wt_location(&r), "ok=promoted") != NULL);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_registrations WHERE status = "
	                          "'registered'"),
	                 3);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_registrations WHERE status = "
	                          "'waiting'"),
	                 0);
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE dedup_key LIKE "
	                          "'dialogue:promoted:registration:%' AND has_calendar = 1"),
	                 1);
	/* twice: refused, nothing changes */
	assert_int_equal(who_post(&anna, reg_path, &r, "action", "cancel", NULL), 409);
	http_free(&r);
	assert_int_equal(who_post(&anna, reg_path, &r, "action", "explode", NULL), 422);
	http_free(&r);
}

static void test_registration_closed(void **state)
{
	struct who anna;
	login(&anna, "anna");
	/* registration closes in a day; two days later the form says so */
	long long sid = new_session(&anna, late_id, "Snel vol", 20, 1);
	struct http_resp r;
	assert_int_equal(register_resident("bijna-dicht", sid, "Eerste", "eerste@example.org",
	                                   "Noord", "18-29", &r),
	                 201);
	http_free(&r);
	struct browser b;
	browser_new(&b, 13);
	snprintf(b.lang, sizeof b.lang, "en"); /* the texts below are in English */
	assert_int_equal(browser_send(&b, "GET", "/meedoen/bijna-dicht/dialoog", NULL, &r), 200);
	http_free(&r);
	char token[128];
	snprintf(token, sizeof token, "%s", b.token);
	clock_advance(2 * 86400);
	long long before = wt_count("SELECT count(*) FROM dialogue_registrations");
	char form[160];
	snprintf(form, sizeof form, "session-%lld=1&name=Laat&email=laat%%40example.org", sid);
	assert_int_equal(browser_post(&b, "/meedoen/bijna-dicht/dialoog", token, form, &r), 409);
	assert_true(wt_has(&r, "Registration has closed for the sessions you chose."));
	assert_true(wt_has(&r, "You can no longer register"));
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_registrations"), before);
	assert_int_equal(browser_send(&b, "GET", "/meedoen/bijna-dicht/dialoog", NULL, &r), 200);
	assert_true(wt_has(&r, "You can no longer register"));
	http_free(&r);
	clock_reset();
}

/* The text of the newest e-mail about a registration (its sealed parts
 * opened with the server's key), into out. */
static void mail_body(long long rid, char *out, size_t cap)
{
	db *d = wt_open_db();
	db_stmt *s =
	        db_prepare(d, "SELECT id, sealed FROM outbox WHERE ref_kind = "
	                      "'dialogue_registration' AND ref_id = :r ORDER BY id DESC LIMIT 1");
	db_bind_int(s, "r", rid);
	assert_int_equal(db_step(s), DB_ROW);
	char ad[48];
	snprintf(ad, sizeof ad, "outbox:%lld", (long long)db_col_int(s, 0));
	size_t n;
	const void *sealed = db_col_blob(s, 1, &n);
	buf plain;
	buf_init(&plain);
	assert_int_equal(vault_open(app.vault, sealed, n, ad, &plain), 0);
	db_finalize(s);
	db_close(d);
	json_t *o = json_loads(plain.data, 0, NULL);
	assert_non_null(o);
	snprintf(out, cap, "%s", json_string_value(json_object_get(o, "body")));
	json_decref(o);
	buf_free(&plain);
}

/* A number about one registration or session: sql is a literal with :x. */
#define count_x(sql, x)                            \
	({                                         \
		db *d_ = wt_open_db();             \
		db_stmt *s_ = db_prepare(d_, sql); \
		db_bind_int(s_, "x", (x));         \
		wt_count_of(d_, s_);               \
	})

/* A resident cancels through the link in their e-mail: the page asks
 * first, the place goes to the first on the waiting list (who hears it),
 * a second press changes nothing, a forged link is 404, and after the
 * session has begun there is nothing to cancel. */
static void test_cancel_by_link(void **state)
{
	struct who anna;
	login(&anna, "anna");
	long long sid = new_session(&anna, traj_id, "Een plek", 1, 3);
	struct http_resp r;
	assert_int_equal(register_resident("samen-beslissen", sid, "Iris Eerst", "iris@example.org",
	                                   "Zuid", "30-44", &r),
	                 201);
	http_free(&r);
	assert_int_equal(register_resident("samen-beslissen", sid, "Wim Wacht", "wim@example.org",
	                                   "Zuid", "45-64", &r),
	                 201);
	http_free(&r);
	long long iris = count_x("SELECT id FROM dialogue_registrations WHERE session_id = :x AND "
	                         "status = 'registered'",
	                         sid);
	long long wim = count_x("SELECT id FROM dialogue_registrations WHERE session_id = :x AND "
	                        "status = 'waiting'",
	                        sid);
	assert_true(iris > 0 && wim > iris);

	/* the confirmation carries the link, and it is the one the server
	 * makes for this registration */
	char body[4096], token[DIALOGUE_CANCEL_TOKEN_LEN + 1], path[128];
	mail_body(iris, body, sizeof body);
	dialogue_cancel_token(app.vault, iris, token);
	snprintf(path, sizeof path, "/afmelden/%s", token);
	assert_non_null(strstr(body, path));
	assert_int_equal(dialogue_cancel_token_check(app.vault, token), iris);

	struct browser b;
	browser_new(&b, 14);
	snprintf(b.lang, sizeof b.lang, "en");
	assert_int_equal(browser_send(&b, "GET", path, NULL, &r), 200);
	assert_true(wt_has(&r, "Een plek"));
	assert_true(wt_has(&r, "Yes, cancel my registration"));
	http_free(&r);
	/* a forged or changed link opens nothing, and changes nothing */
	char forged[128];
	snprintf(forged, sizeof forged, "%s", path);
	size_t last = strlen(forged) - 1;
	forged[last] = forged[last] == '0' ? '1' : '0';
	assert_int_equal(browser_send(&b, "GET", forged, NULL, &r), 404);
	http_free(&r);
	assert_int_equal(browser_post(&b, forged, b.token, "x=1", &r), 404);
	http_free(&r);
	char other[128];
	snprintf(other, sizeof other, "/afmelden/%lld-%s", wim, strchr(token, '-') + 1);
	assert_int_equal(browser_send(&b, "GET", other, NULL, &r), 404);
	http_free(&r);
	assert_int_equal(count_x("SELECT count(*) FROM dialogue_registrations WHERE id = :x AND "
	                         "status = 'registered'",
	                         iris),
	                 1);

	/* cancelling: Wim gets the place and an e-mail saying so */
	assert_int_equal(browser_post(&b, path, b.token, "x=1", &r), 200);
	assert_true(wt_has(&r, "You have cancelled your registration"));
	http_free(&r);
	assert_int_equal(count_x("SELECT count(*) FROM dialogue_registrations WHERE id = :x AND "
	                         "status = 'cancelled'",
	                         iris),
	                 1);
	assert_int_equal(count_x("SELECT count(*) FROM dialogue_registrations WHERE id = :x AND "
	                         "status = 'registered'",
	                         wim),
	                 1);
	assert_int_equal(count_x("SELECT count(*) FROM outbox WHERE ref_id = :x AND dedup_key LIKE "
	                         "'dialogue:promoted:%'",
	                         wim),
	                 1);
	mail_body(wim, body, sizeof body);
	dialogue_cancel_token(app.vault, wim, token);
	assert_non_null(strstr(body, token));
	assert_int_equal(count_x("SELECT count(*) FROM audit_log WHERE action = 'cancel' AND "
	                         "object_type = 'dialogue_registration' AND object_id = "
	                         "CAST(:x AS TEXT)",
	                         iris),
	                 1);

	/* a second press: nothing more happens */
	assert_int_equal(browser_post(&b, path, b.token, "x=1", &r), 200);
	assert_true(wt_has(&r, "has been cancelled already"));
	http_free(&r);
	assert_int_equal(count_x("SELECT count(*) FROM outbox WHERE ref_id = :x AND dedup_key LIKE "
	                         "'dialogue:promoted:%'",
	                         wim),
	                 1);

	/* the reminder the scheduler sends two days before carries the link,
	 * at the public address */
	clock_advance(6 * 86400);
	assert_true(server_reminders(&app) >= 1);
	mail_body(wim, body, sizeof body);
	assert_non_null(strstr(body, "Graag herinneren we u"));
	assert_non_null(strstr(body, "https://vertelpunt.example/afmelden/"));
	assert_non_null(strstr(body, token));
	clock_reset();

	/* after the start there is nothing to cancel: Wim keeps his place */
	snprintf(path, sizeof path, "/afmelden/%s", token);
	clock_advance(8 * 86400);
	assert_int_equal(browser_send(&b, "GET", path, NULL, &r), 200);
	assert_true(wt_has(&r, "has begun or is over"));
	assert_false(wt_has(&r, "Yes, cancel my registration"));
	http_free(&r);
	assert_int_equal(browser_post(&b, path, b.token, "x=1", &r), 409);
	http_free(&r);
	clock_reset();
	assert_int_equal(count_x("SELECT count(*) FROM dialogue_registrations WHERE id = :x AND "
	                         "status = 'registered'",
	                         wim),
	                 1);
}

/* The base version a page's form was made on (the hidden field). */
static void base_of(struct http_resp *r, char *out, size_t cap)
{
	assert_int_equal(html_hidden(r, "base", out, cap), 0);
}

static void test_agreements(void **state)
{
	struct who anna, bea, carl;
	login(&anna, "anna");
	login(&bea, "bea");
	login(&carl, "carl");
	char path[96], status_path[128], base[16], src[40];
	snprintf(path, sizeof path, "/trajecten/%lld/dialoog/afspraken", traj_id);
	snprintf(status_path, sizeof status_path, "%s/status", path);
	long long table = wt_count("SELECT min(id) FROM dialogue_tables");
	snprintf(src, sizeof src, "source-1-%lld", table);
	struct http_resp r;
	/* no set yet: no status either */
	assert_int_equal(who_post(&anna, status_path, &r, "status", "presented", NULL), 409);
	http_free(&r);
	assert_int_equal(who_get(&bea, path, &r), 200);
	assert_true(wt_has(&r, "De gemeente zegt vooraf wat er met inbreng gebeurt."));
	base_of(&r, base, sizeof base);
	assert_string_equal(base, "0");
	http_free(&r);
	assert_int_equal(who_post(&bea, path, &r, "base", "0", "agreement-1",
	                          "We zeggen vooraf wat er met inbreng gebeurt.", src, "1",
	                          "agreement-2", "We koppelen binnen een maand terug.", NULL),
	                 303);
	http_free(&r);
	/* both facilitators open version 1 */
	char bea_base[16], carl_base[16];
	assert_int_equal(who_get(&bea, path, &r), 200);
	base_of(&r, bea_base, sizeof bea_base);
	http_free(&r);
	assert_int_equal(who_get(&carl, path, &r), 200);
	base_of(&r, carl_base, sizeof carl_base);
	assert_true(wt_has(&r, "From:"));
	http_free(&r);
	assert_string_equal(bea_base, "1");
	assert_string_equal(carl_base, "1");
	/* bea saves first: version 2 */
	assert_int_equal(who_post(&bea, path, &r, "base", bea_base, "agreement-1",
	                          "We zeggen vooraf wat er met inbreng gebeurt.", src, "1",
	                          "agreement-2", "We koppelen binnen zes weken terug.", NULL),
	                 303);
	http_free(&r);
	/* carl saves on version 1 too: 409, nothing overwritten, his text kept */
	assert_int_equal(who_post(&carl, path, &r, "base", carl_base, "agreement-1",
	                          "Carl zijn eigen versie.", NULL),
	                 409);
	assert_true(wt_has(&r, "Someone else saved a newer version in the meantime."));
	assert_true(wt_has(&r, "Carl zijn eigen versie."));
	base_of(&r, base, sizeof base);
	assert_string_equal(base, "2");
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_agreement_versions"), 2);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_agreement_versions WHERE body "
	                          "LIKE '%zes weken%' AND version = 2"),
	                 1);
	assert_int_equal(wt_count("SELECT count(*) FROM dialogue_agreement_versions WHERE body "
	                          "LIKE '%Carl%'"),
	                 0);
	/* what changed between 1 and 2 */
	char diff[160];
	snprintf(diff, sizeof diff, "%s?van=1&naar=2", path);
	assert_int_equal(who_get(&anna, diff, &r), 200);
	assert_true(wt_has(&r, "<del>Removed: We koppelen binnen een maand terug.</del>"));
	assert_true(wt_has(&r, "<ins>Added: We koppelen binnen zes weken terug.</ins>"));
	http_free(&r);
	snprintf(diff, sizeof diff, "%s?versie=1", path);
	assert_int_equal(who_get(&anna, diff, &r), 200);
	assert_true(wt_has(&r, "binnen een maand"));
	http_free(&r);
	snprintf(diff, sizeof diff, "%s?versie=7", path);
	assert_int_equal(who_get(&anna, diff, &r), 404);
	http_free(&r);
	/* bad input: nothing to save, a base that is not a number */
	assert_int_equal(who_post(&anna, path, &r, "base", "2", NULL), 422);
	http_free(&r);
	assert_int_equal(who_post(&anna, path, &r, "base", "twee", "agreement-1", "x", NULL), 422);
	http_free(&r);

	/* still a draft: not on the public page */
	struct browser b;
	browser_new(&b, 13);
	snprintf(b.lang, sizeof b.lang, "en"); /* the texts below are in English */
	assert_int_equal(browser_send(&b, "GET", "/meedoen/samen-beslissen", NULL, &r), 200);
	assert_false(wt_has(&r, "binnen zes weken"));
	http_free(&r);
	/* the council adopts it with changes: a decision is needed */
	assert_int_equal(
	        who_post(&anna, status_path, &r, "status", "adopted_changed", "decision", "", NULL),
	        422);
	http_free(&r);
	assert_int_equal(who_post(&anna, status_path, &r, "status", "adopted_changed", "decision",
	                          "De raad neemt de afspraken over; afspraak 2 binnen vier weken.",
	                          NULL),
	                 303);
	http_free(&r);
	assert_int_equal(browser_send(&b, "GET", "/meedoen/samen-beslissen", NULL, &r), 200);
	assert_true(wt_has(&r, "binnen zes weken"));
	assert_true(wt_has(&r, "afspraak 2 binnen vier weken"));
	assert_true(wt_has(&r, "adopted by the council with changes") || wt_has(&r, "aangenomen"));
	http_free(&r);
}

static void test_evaluation(void **state)
{
	struct who anna, bea;
	login(&anna, "anna");
	login(&bea, "bea");
	char path[96], series[80];
	snprintf(series, sizeof series, "/trajecten/%lld/dialoog", traj_id);
	snprintf(path, sizeof path, "%s/evaluatie", series);
	struct http_resp r;
	assert_int_equal(who_get(&anna, series, &r), 200);
	assert_true(wt_has(&r, "/dialoog/evaluatie"));
	http_free(&r);
	assert_int_equal(who_post(&anna, path, &r, NULL), 422);
	http_free(&r);
	assert_int_equal(who_post(&anna, path, &r, "confirm", "yes", NULL), 303);
	http_free(&r);
	/* asked twice: one collection, on the published template */
	assert_int_equal(who_post(&anna, path, &r, "confirm", "yes", NULL), 303);
	http_free(&r);
	db *d = wt_open_db();
	db_stmt *q = db_prepare(d, "SELECT count(*) FROM collections c JOIN scripts s ON s.id = "
	                           "c.script_id JOIN script_versions v ON v.script_id = s.id AND "
	                           "v.version = c.script_version WHERE s.key = "
	                           "'dialoogtafel-evaluatie' AND v.status = 'published' AND "
	                           "c.trajectory_id = :t");
	db_bind_int(q, "t", traj_id);
	assert_int_equal(wt_count_of(d, q), 1);
	/* the link is on the series page and at the table, and it opens */
	assert_int_equal(who_get(&anna, series, &r), 200);
	const char *v = strstr(r.body, "/v/");
	assert_non_null(v);
	char link[64];
	snprintf(link, sizeof link, "%.*s", (int)strspn(v, "/v0123456789abcdef"), v);
	http_free(&r);
	long long table = wt_count("SELECT table_id FROM dialogue_facilitators LIMIT 1");
	char tab[96];
	snprintf(tab, sizeof tab, "%s/tafels/%lld", series, table);
	assert_int_equal(who_get(&bea, tab, &r), 200);
	assert_true(wt_has(&r, link));
	http_free(&r);
	struct browser b;
	browser_new(&b, 13);
	snprintf(b.lang, sizeof b.lang, "en"); /* the texts below are in English */
	assert_int_equal(browser_send(&b, "GET", link, NULL, &r), 200);
	assert_true(wt_has(&r, "dialoogtafels"));
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_full_session),   cmocka_unit_test(test_registration_closed),
	        cmocka_unit_test(test_cancel_by_link), cmocka_unit_test(test_agreements),
	        cmocka_unit_test(test_evaluation),
	};
	return cmocka_run_group_tests_name("dialogue pages", tests, setup, teardown);
}
