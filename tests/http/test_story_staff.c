/* test_story_staff.c: the real server: a conversation lead takes a story with a client (/verzamelingen/{id}/opnemen: channel, participant code, consent; the client's steps, then the professional's own; one send stores both apart, with created_by, the participant, carried descriptors and access-log entries), roles, CSRF and bad input; the buttons on the collection page. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "model/collection.h"
#include "model/participant.h"
#include "model/script_store.h"
#include "model/story.h"
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>

/* The client's two sections (the age band is a descriptor, asked once per
 * person), then the professional's: 3 steps and the check. */
static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"gesprek\",\"title\":{\"nl\":\"Gesprek\"},"
        "\"privacy\":{\"nl\":\"Alleen het Wmo-team leest dit verhaal.\"},\"sections\":["
        "{\"id\":\"s1\",\"title\":{\"nl\":\"Het verhaal\"},\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Wat gebeurde er?\"}}]}]},"
        "{\"id\":\"s2\",\"title\":{\"nl\":\"Over de client\"},\"questions\":["
        "{\"id\":\"leeftijd\",\"type\":\"choice\",\"once_per_person\":true,\"required\":true,"
        "\"text\":{\"nl\":\"Leeftijd\"},\"options\":[{\"id\":\"jong\",\"label\":{\"nl\":"
        "\"Jong\"}},{\"id\":\"oud\",\"label\":{\"nl\":\"Oud\"}}]},"
        "{\"id\":\"wijk\",\"type\":\"choice\",\"text\":{\"nl\":\"Wijk\"},\"options\":["
        "{\"id\":\"noord\",\"label\":{\"nl\":\"Noord\"}},{\"id\":\"zuid\",\"label\":{\"nl\":"
        "\"Zuid\"}}]}]},"
        "{\"id\":\"s3\",\"title\":{\"nl\":\"Uw oordeel\"},\"questions\":["
        "{\"id\":\"oordeel\",\"type\":\"scale\",\"perspective\":\"professional\",\"required\":"
        "true,\"text\":{\"nl\":\"Hoe zelfstandig is de client?\"},\"points\":5,\"low\":{\"nl\":"
        "\"Weinig\"},\"high\":{\"nl\":\"Veel\"}}]}]}";

#define GES_PW "gespreksvoerder wachtwoord 1"
#define BEH_PW "beheerder wachtwoord lang 1"
#define MEE_PW "meelezer wachtwoord lang 12"

static int64_t coll_id, closed_id, ges_id;
static char coll_token[40], known_code[PARTICIPANT_CODE_LEN + 1];

/* A browser with a staff session (or none) from the next address of
 * 10.11; user NULL for none. */
static void client_login(struct browser *c, const char *user, const char *pw)
{
	browser_new(c, 11);
	if (!user)
		return;
	struct jar j;
	wt_login(&j, user, pw, c->ip, NULL);
	snprintf(c->session, sizeof c->session, "%s", j.session);
}

static const char *take_path(const char *tail)
{
	static char p[200];
	snprintf(p, sizeof p, "/verzamelingen/%lld/opnemen%s", (long long)coll_id, tail);
	return p;
}

static int get(struct browser *c, const char *path, struct http_resp *r)
{
	return browser_send(c, "GET", path, NULL, r);
}

/* POSTs form with the client's token; the Location (or "") in loc. */
static int post(struct browser *c, const char *path, const char *form, struct http_resp *r)
{
	return browser_post(c, path, c->token, form, r);
}

static int post_loc(struct browser *c, const char *path, const char *form, char *loc, size_t cap)
{
	return browser_post_loc(c, path, c->token, form, loc, cap);
}

static long long count_of(const char *what)
{
	if (strcmp(what, "drafts") == 0)
		return wt_count("SELECT COUNT(*) FROM story_drafts");
	if (strcmp(what, "stories") == 0)
		return wt_count("SELECT COUNT(*) FROM stories");
	return wt_count("SELECT COUNT(*) FROM audit_log");
}

static int setup(void **state)
{
	int64_t org, sid;
	struct script *s;
	db *d = wt_open_with_script("staffstory", script_text, &org, &sid, &s);
	if (!d)
		return -1;
	coll_id = wt_collection(d, org, sid, "Keukentafel", coll_token);
	closed_id = wt_closed_collection(d, org, sid, NULL);
	ges_id = fixture_user(d, org, "gerda", "Gerda Gesprek", ROLE_GESPREKSVOERDER, GES_PW, 0);
	if (ges_id <= 0 ||
	    fixture_user(d, org, "bert", "Bert Beheer", ROLE_BEHEERDER, BEH_PW, 0) <= 0 ||
	    fixture_user(d, org, "lena", "Lena Lezer", ROLE_MEELEZER, MEE_PW, 0) <= 0)
		return -1;
	/* A client who told a story before, with the age band. */
	struct contact none = {0};
	int64_t pid;
	assert_int_equal(participant_create(d, NULL, &none, known_code, &pid), DB_OK);
	struct collection c;
	assert_int_equal(collection_by_id(d, org, coll_id, &c), DB_ROW);
	json_t *body = json_loads("{\"id\":\"00000000-0000-4000-8000-000000000001\",\"channel\":"
	                          "\"web\",\"script_version\":1,\"answers\":{\"verhaal\":{"
	                          "\"prompt\":\"p\",\"text\":\"Eerder\"},\"leeftijd\":\"oud\"}}",
	                          0, NULL);
	struct story_submit st = {.collection = &c, .participant_id = pid, .created_at = 1000};
	const char *msg;
	struct answer_error e;
	assert_int_equal(story_prepare(&st, s, body, 0, &msg, &e), 0);
	assert_int_equal(story_submit_write(d, &st), DB_OK);
	story_submit_free(&st);
	json_decref(body);
	script_free(s);
	return wt_start_stories(d);
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* The privacy hash of the start page. */
static void start_fields(struct browser *c, char *privacy, size_t cap)
{
	struct http_resp r;
	assert_int_equal(get(c, take_path(""), &r), 200);
	assert_int_equal(html_hidden(&r, "privacy", privacy, cap), 0);
	http_free(&r);
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_roles_and_csrf(void **state)
{
	struct browser c;
	struct http_resp r;
	/* Without login: the login page. */
	client_login(&c, NULL, NULL);
	assert_int_equal(get(&c, take_path(""), &r), 303);
	assert_non_null(strstr(http_header(&r, "Location"), "/login"));
	http_free(&r);
	/* A reader may not. */
	client_login(&c, "lena", MEE_PW);
	assert_int_equal(get(&c, take_path(""), &r), 403);
	http_free(&r);
	assert_int_equal(get(&c, take_path("/stap/1"), &r), 403);
	http_free(&r);
	/* A conversation lead may; the page says what happens. */
	client_login(&c, "gerda", GES_PW);
	assert_int_equal(get(&c, take_path(""), &r), 200);
	assert_true(wt_has(&r, "Alleen het Wmo-team leest dit verhaal."));
	assert_true(wt_has(&r, "name=\"channel\" id=\"kanaal-1\" value=\"face-to-face\" checked"));
	assert_true(wt_has(&r, "value=\"phone\""));
	assert_true(wt_has(&r, "value=\"paper\""));
	assert_true(wt_has(&r, "name=\"participant\""));
	assert_true(wt_has(&r, "name=\"consent\""));
	http_free(&r);
	/* No token, a wrong token: 403, nothing made. */
	char privacy[80], form[300];
	start_fields(&c, privacy, sizeof privacy);
	long long drafts = count_of("drafts");
	snprintf(form, sizeof form, "privacy=%s&consent=1&channel=phone", privacy);
	assert_int_equal(browser_send(&c, "POST", take_path(""), form, &r), 403);
	http_free(&r);
	snprintf(c.token, sizeof c.token, "%064d", 0);
	assert_int_equal(post(&c, take_path(""), form, &r), 403);
	http_free(&r);
	assert_int_equal(count_of("drafts"), drafts);
	/* Unknown and closed collections. */
	assert_int_equal(get(&c, "/verzamelingen/999999/opnemen", &r), 404);
	http_free(&r);
	char closed[80];
	snprintf(closed, sizeof closed, "/verzamelingen/%lld/opnemen", (long long)closed_id);
	assert_int_equal(get(&c, closed, &r), 409);
	http_free(&r);
}

static void test_start_errors(void **state)
{
	struct browser c;
	client_login(&c, "gerda", GES_PW);
	char privacy[80], form[400];
	start_fields(&c, privacy, sizeof privacy);
	long long drafts = count_of("drafts"), audit = count_of("audit");
	struct http_resp r;
	/* An unknown participant code: a clear error, what was typed kept. */
	snprintf(form, sizeof form, "privacy=%s&consent=1&channel=phone&participant=VP-ZZZZ-ZZZZ",
	         privacy);
	assert_int_equal(post(&c, take_path(""), form, &r), 422);
	assert_true(wt_has(&r, "class=\"vp-error-summary\""));
	assert_true(wt_has(&r, "href=\"#participant\""));
	assert_true(wt_has(&r, "id=\"participant-error\""));
	assert_true(wt_has(&r, "value=\"VP-ZZZZ-ZZZZ\""));
	assert_true(wt_has(&r, "value=\"phone\" checked"));
	http_free(&r);
	/* Junk as a code, no consent and an unknown channel at once. */
	snprintf(form, sizeof form, "privacy=%s&channel=web&participant=%%3Cscript%%3E", privacy);
	assert_int_equal(post(&c, take_path(""), form, &r), 422);
	assert_true(wt_has(&r, "href=\"#participant\""));
	assert_true(wt_has(&r, "href=\"#consent\""));
	assert_true(wt_has(&r, "href=\"#kanaal-1\""));
	assert_true(wt_has(&r, "value=\"&lt;script&gt;\""));
	assert_false(wt_has(&r, "<script>"));
	http_free(&r);
	/* A privacy text that is not the script's. */
	assert_int_equal(post(&c, take_path(""), "privacy=abc&consent=1&channel=phone", &r), 409);
	http_free(&r);
	assert_int_equal(count_of("drafts"), drafts);
	assert_int_equal(count_of("audit"), audit);
}

static long long audit_rows(const char *object_type, const char *subject, const char *detail)
{
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND "
	                           "object_type = :t AND actor = 'gerda' AND actor_user_id = :u "
	                           "AND subject_code = :s AND detail = :d");
	db_bind_text(s, "t", object_type);
	db_bind_int(s, "u", ges_id);
	db_bind_text(s, "s", subject);
	db_bind_text(s, "d", detail);
	assert_int_equal(db_step(s), DB_ROW);
	long long n = db_col_int(s, 0);
	db_finalize(s);
	db_close(d);
	return n;
}

static void test_both_perspectives_stored_apart(void **state)
{
	struct browser c;
	client_login(&c, "gerda", GES_PW);
	char privacy[80], form[400], loc[200];
	start_fields(&c, privacy, sizeof privacy);
	/* The code in small letters with spaces around it. */
	char lower[40];
	snprintf(lower, sizeof lower, "%s", known_code);
	for (char *p = lower; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	snprintf(form, sizeof form, "privacy=%s&consent=1&channel=phone&participant=+%s+", privacy,
	         lower);
	assert_int_equal(post_loc(&c, take_path(""), form, loc, sizeof loc), 303);
	assert_string_equal(loc, take_path("/stap/1"));
	assert_int_equal(strlen(c.story), 64);
	assert_int_equal(audit_rows("story_draft", known_code, "phone"), 1);

	struct http_resp r;
	assert_int_equal(get(&c, take_path("/stap/1"), &r), 200);
	assert_true(wt_has(&r, "class=\"vp-perspective\""));
	assert_true(wt_has(&r, "max=\"4\" value=\"1\""));
	assert_false(wt_has(&r, "value=\"later\""));
	http_free(&r);
	assert_int_equal(post_loc(&c, take_path("/stap/1"), "action=next&a-verhaal=Het+gesprek",
	                          loc, sizeof loc),
	                 303);
	assert_string_equal(loc, take_path("/stap/2"));
	/* The age band is known from the earlier story: not asked again. */
	assert_int_equal(get(&c, take_path("/stap/2"), &r), 200);
	assert_false(wt_has(&r, "id=\"q-leeftijd\""));
	assert_true(wt_has(&r, "id=\"q-wijk\""));
	http_free(&r);
	assert_int_equal(
	        post_loc(&c, take_path("/stap/2"), "action=next&a-wijk=zuid", loc, sizeof loc),
	        303);
	assert_string_equal(loc, take_path("/stap/3"));
	/* The professional's own step, clearly marked. */
	assert_int_equal(get(&c, take_path("/stap/3"), &r), 200);
	assert_true(wt_has(&r, "vp-perspective vp-perspective--professional"));
	assert_true(wt_has(&r, "Hoe zelfstandig is de client?"));
	http_free(&r);
	/* Required there too. */
	assert_int_equal(post(&c, take_path("/stap/3"), "action=next", &r), 422);
	assert_true(wt_has(&r, "href=\"#q-oordeel\""));
	http_free(&r);
	assert_int_equal(
	        post_loc(&c, take_path("/stap/3"), "action=next&a-oordeel=4", loc, sizeof loc),
	        303);
	assert_string_equal(loc, take_path("/stap/4"));
	assert_int_equal(get(&c, take_path("/stap/4"), &r), 200);
	assert_true(wt_has(&r, "class=\"vp-professional\""));
	assert_true(wt_has(&r, "Het gesprek"));
	assert_true(wt_has(&r, "4 van 5") || wt_has(&r, "4 of 5"));
	/* No contact block: the participant is chosen by code. */
	assert_false(wt_has(&r, "name=\"email\""));
	http_free(&r);

	/* Another staff member cannot open this draft, even with its cookie. */
	struct browser other;
	client_login(&other, "bert", BEH_PW);
	snprintf(other.story, sizeof other.story, "%s", c.story);
	assert_int_equal(get(&other, take_path("/stap/4"), &r), 303);
	assert_string_equal(http_header(&r, "Location"), take_path(""));
	http_free(&r);
	/* Nor the public form. */
	char pub[120];
	snprintf(pub, sizeof pub, "/v/%s/stap/1", coll_token);
	struct browser anon;
	client_login(&anon, NULL, NULL);
	snprintf(anon.story, sizeof anon.story, "%s", c.story);
	assert_int_equal(get(&anon, pub, &r), 303);
	http_free(&r);

	long long stories = count_of("stories");
	assert_int_equal(post(&c, take_path("/versturen"), "x=1", &r), 200);
	assert_true(wt_has(&r, "id=\"ontvangstcode\">VT-"));
	char want[80];
	snprintf(want, sizeof want, "id=\"deelnemer\">%s<", known_code);
	assert_true(wt_has(&r, want));
	http_free(&r);
	assert_int_equal(count_of("stories"), stories + 1);
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT s.channel, s.answers, s.professional, s.created_by, "
	                           "p.code, s.consent_text_hash IS NOT NULL FROM stories s JOIN "
	                           "participants p ON p.id = s.participant_id ORDER BY s.id DESC "
	                           "LIMIT 1");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "phone");
	const char *answers = db_col_text(s, 1);
	assert_non_null(strstr(answers, "\"leeftijd\":\"oud\"")); /* carried */
	assert_non_null(strstr(answers, "\"wijk\":\"zuid\""));
	assert_non_null(strstr(answers, "Het gesprek"));
	assert_null(strstr(answers, "oordeel"));
	assert_string_equal(db_col_text(s, 2), "{\"oordeel\":4}");
	assert_int_equal(db_col_int(s, 3), ges_id);
	assert_string_equal(db_col_text(s, 4), known_code);
	assert_int_equal(db_col_int(s, 5), 1);
	db_finalize(s);
	/* The client's consent with the channel it was given in. */
	s = db_prepare(d, "SELECT COUNT(*) FROM consents c JOIN participants p ON p.id = "
	                  "c.participant_id WHERE p.code = :code AND c.purpose = 'story' AND "
	                  "c.channel = 'phone'");
	db_bind_text(s, "code", known_code);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	db_close(d);
	assert_int_equal(audit_rows("story", known_code, "phone"), 1);
	/* A second click stores nothing new and logs nothing new. */
	assert_int_equal(post_loc(&c, take_path("/versturen"), "x=1", loc, sizeof loc), 303);
	assert_int_equal(count_of("stories"), stories + 1);
	assert_int_equal(audit_rows("story", known_code, "phone"), 1);
}

static void test_without_participant_from_paper(void **state)
{
	struct browser c;
	client_login(&c, "bert", BEH_PW);
	char privacy[80], form[300], loc[200];
	start_fields(&c, privacy, sizeof privacy);
	snprintf(form, sizeof form, "privacy=%s&consent=1&channel=paper&participant=", privacy);
	assert_int_equal(post_loc(&c, take_path(""), form, loc, sizeof loc), 303);
	/* Without a participant the age band is asked. */
	struct http_resp r;
	assert_int_equal(post_loc(&c, take_path("/stap/1"), "action=next&a-verhaal=Van+papier", loc,
	                          sizeof loc),
	                 303);
	assert_int_equal(get(&c, take_path("/stap/2"), &r), 200);
	assert_true(wt_has(&r, "id=\"q-leeftijd\""));
	http_free(&r);
	assert_int_equal(
	        post_loc(&c, take_path("/stap/2"), "action=next&a-leeftijd=jong", loc, sizeof loc),
	        303);
	assert_int_equal(
	        post_loc(&c, take_path("/stap/3"), "action=next&a-oordeel=2", loc, sizeof loc),
	        303);
	assert_int_equal(post(&c, take_path("/versturen"), "x=1", &r), 200);
	assert_false(wt_has(&r, "id=\"deelnemer\""));
	http_free(&r);
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT channel, participant_id IS NULL, professional FROM "
	                           "stories ORDER BY id DESC LIMIT 1");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "paper");
	assert_int_equal(db_col_int(s, 1), 1);
	assert_string_equal(db_col_text(s, 2), "{\"oordeel\":2}");
	db_finalize(s);
	db_close(d);
}

static void test_public_form_refuses_professional_answers(void **state)
{
	struct browser c;
	client_login(&c, NULL, NULL);
	char path[120], privacy[80], form[300];
	struct http_resp r;
	snprintf(path, sizeof path, "/v/%s", coll_token);
	assert_int_equal(get(&c, path, &r), 200);
	assert_int_equal(html_hidden(&r, "privacy", privacy, sizeof privacy), 0);
	http_free(&r);
	snprintf(c.token, sizeof c.token, "%s", c.csrf);
	snprintf(path, sizeof path, "/v/%s/start", coll_token);
	snprintf(form, sizeof form, "privacy=%s&consent=1", privacy);
	assert_int_equal(post(&c, path, form, &r), 303);
	http_free(&r);
	/* The professional's step is not there, and its answer not taken. */
	snprintf(path, sizeof path, "/v/%s/stap/1", coll_token);
	assert_int_equal(post(&c, path, "action=next&a-verhaal=Zelf&a-oordeel=5", &r), 303);
	http_free(&r);
	snprintf(path, sizeof path, "/v/%s/stap/4", coll_token);
	assert_int_equal(get(&c, path, &r), 404);
	http_free(&r);
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT answers FROM story_drafts ORDER BY id DESC LIMIT 1");
	assert_int_equal(db_step(s), DB_ROW);
	assert_null(strstr(db_col_text(s, 0), "oordeel"));
	db_finalize(s);
	db_close(d);
	/* A logged-in staff member's session does not make the public form
	 * take them either: it is the staff pages that do. */
}

static void test_stop_without_saving(void **state)
{
	struct browser c;
	client_login(&c, "gerda", GES_PW);
	char privacy[80], form[300], loc[200];
	start_fields(&c, privacy, sizeof privacy);
	snprintf(form, sizeof form, "privacy=%s&consent=1&channel=face-to-face&participant=%s",
	         privacy, known_code);
	assert_int_equal(post_loc(&c, take_path(""), form, loc, sizeof loc), 303);
	assert_int_equal(post_loc(&c, take_path("/stap/1"), "action=next&a-verhaal=Toch+niet", loc,
	                          sizeof loc),
	                 303);
	struct http_resp r;
	assert_int_equal(get(&c, take_path("/stap/2"), &r), 200);
	assert_true(wt_has(&r, "id=\"stoppen\""));
	http_free(&r);
	long long drafts = count_of("drafts");
	/* Another staff member with this cookie deletes nothing; without a
	 * token nobody does. */
	struct browser other;
	client_login(&other, "bert", BEH_PW);
	assert_int_equal(get(&other, take_path(""), &r), 200);
	http_free(&r);
	snprintf(other.story, sizeof other.story, "%s", c.story);
	assert_int_equal(post_loc(&other, take_path("/stoppen"), "x=1", loc, sizeof loc), 303);
	assert_string_equal(loc, take_path(""));
	assert_int_equal(browser_send(&c, "POST", take_path("/stoppen"), "x=1", &r), 403);
	http_free(&r);
	assert_int_equal(count_of("drafts"), drafts);
	/* The owner stops: the draft is gone, logged, back to the collection. */
	assert_int_equal(post_loc(&c, take_path("/stoppen"), "x=1", loc, sizeof loc), 303);
	char want[80];
	snprintf(want, sizeof want, "/verzamelingen/%lld", (long long)coll_id);
	assert_string_equal(loc, want);
	assert_string_equal(c.story, "");
	assert_int_equal(count_of("drafts"), drafts - 1);
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'delete' AND "
	                           "object_type = 'story_draft' AND actor = 'gerda' AND "
	                           "subject_code = :s");
	db_bind_text(s, "s", known_code);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	db_close(d);
}

static void test_collection_page_buttons(void **state)
{
	struct browser c;
	struct http_resp r;
	char path[80], want[200];
	snprintf(path, sizeof path, "/verzamelingen/%lld", (long long)coll_id);
	client_login(&c, "gerda", GES_PW);
	assert_int_equal(get(&c, path, &r), 200);
	snprintf(want, sizeof want, "method=\"get\" action=\"/v/%s/kiosk\"", coll_token);
	assert_true(wt_has(&r, want));
	assert_true(wt_has(&r, "name=\"stil\" type=\"number\""));
	assert_true(wt_has(
	        &r, "class=\"utrecht-button utrecht-button--primary-action vp-coll-kiosk\""));
	snprintf(want, sizeof want, "href=\"/verzamelingen/%lld/opnemen\"", (long long)coll_id);
	assert_true(wt_has(&r, want));
	http_free(&r);
	/* A reader can start a kiosk, not take a story. */
	client_login(&c, "lena", MEE_PW);
	assert_int_equal(get(&c, path, &r), 200);
	assert_true(wt_has(&r, "vp-coll-kiosk"));
	assert_false(wt_has(&r, want));
	http_free(&r);
	/* A closed collection offers neither. */
	snprintf(path, sizeof path, "/verzamelingen/%lld", (long long)closed_id);
	assert_int_equal(get(&c, path, &r), 200);
	assert_false(wt_has(&r, "vp-coll-kiosk"));
	assert_false(wt_has(&r, "/opnemen"));
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_roles_and_csrf),
	        cmocka_unit_test(test_start_errors),
	        cmocka_unit_test(test_both_perspectives_stored_apart),
	        cmocka_unit_test(test_without_participant_from_paper),
	        cmocka_unit_test(test_public_form_refuses_professional_answers),
	        cmocka_unit_test(test_stop_without_saving),
	        cmocka_unit_test(test_collection_page_buttons),
	};
	return cmocka_run_group_tests_name("story_staff", tests, setup, teardown);
}
