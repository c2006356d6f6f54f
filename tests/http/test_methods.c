/* test_methods.c: the catalogue of methods over HTTP: list and details for the staff, editing and adding for administrators, 403 for others, bad input, escaping, the API. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "model/method.h"
#include "model/user.h"

#include <jansson.h>

#define ADMIN_PW  "admin password 1234"
#define EDITOR_PW "editor password 123"
#define READER_PW "reader password 123"

static long long admin_id;
static int ipn;

static int setup(void **state)
{
	db *d = fixture_open("methods");
	int64_t org;
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK)
		return -1;
	/* An analyst: may build scripts, not edit the catalogue. */
	if (wt_editor_and_reader(d, org, ROLE_ONDERZOEKER, EDITOR_PW, READER_PW) != 0)
		return -1;
	admin_id = (long long)fixture_user(d, org, "beheerder", "Bea Beheer", ROLE_BEHEERDER,
	                                   ADMIN_PW, 0);
	if (admin_id <= 0)
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

static void as(struct who *w, const char *user, const char *pw)
{
	char ip[32];
	wt_ip(ip, sizeof ip, 31, ++ipn);
	who_login(w, user, pw, ip);
}

/* The name of method 1 as stored now. */
static const char *name_of_1(char *out, size_t cap)
{
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT name_nl FROM methods WHERE id = 1");
	assert_int_equal(db_step(s), DB_ROW);
	snprintf(out, cap, "%s", db_col_text(s, 0));
	db_finalize(s);
	db_close(d);
	return out;
}

/* ---- reading ------------------------------------------------------------------ */

static void test_list(void **state)
{
	struct who w;
	as(&w, "lezer", READER_PW);
	struct http_resp r;
	assert_int_equal(who_get(&w, "/werkvormen", &r), 200);
	static const char *const names[] = {"Kitchen-table conversation",
	                                    "Kitchen-table conversation in social support (Wmo)",
	                                    "Mirror conversation",
	                                    "Dialogue table",
	                                    "First conversation on a citizen initiative",
	                                    "Open storytelling point"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_true(wt_has(&r, names[i]));
	assert_true(wt_has(&r, "href=\"/werkvormen/1\""));
	assert_true(wt_has(&r, "Consulting (rung 2 of 6)"));
	assert_true(wt_has(&r, "Co-deciding (rung 5 of 6)"));
	/* The navigation has the catalogue, marked as the current page. */
	assert_true(wt_has(&r, "href=\"/werkvormen\" aria-current=\"page\""));
	/* A reader cannot add. */
	assert_false(wt_has(&r, "werkvorm-nieuw"));
	http_free(&r);
	/* In Dutch, the Dutch texts. */
	struct jar j;
	char ip[32];
	wt_ip(ip, sizeof ip, 31, ++ipn);
	wt_login(&j, "lezer", READER_PW, ip, NULL);
	assert_int_equal(http_get(port, &j, "/werkvormen", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(wt_has(&r, "Spiegelgesprek"));
	assert_true(wt_has(&r, "Eerste gesprek over een burgerinitiatief"));
	http_free(&r);
	as(&w, "beheerder", ADMIN_PW);
	assert_int_equal(who_get(&w, "/werkvormen", &r), 200);
	assert_true(wt_has(&r, "id=\"werkvorm-nieuw\" href=\"/werkvormen/nieuw\""));
	http_free(&r);
}

static void test_detail(void **state)
{
	struct who w;
	as(&w, "lezer", READER_PW);
	struct http_resp r;
	assert_int_equal(who_get(&w, "/werkvormen/1", &r), 200);
	assert_true(wt_has(&r, "<h1 class=\"utrecht-heading-1\">Kitchen-table conversation</h1>"));
	assert_true(wt_has(&r, "<ol class=\"utrecht-ordered-list vp-method-steps\"><li "
	                       "class=\"utrecht-ordered-list__item\">Invite and explain why."));
	assert_true(wt_has(&r, "Step plan"));
	assert_true(wt_has(&r, "Tips"));
	assert_true(wt_has(&r, "<strong>Consulting</strong> (this method)"));
	assert_true(wt_has(&r, "From the catalogue that comes with Vertelpunt."));
	assert_false(wt_has(&r, "werkvorm-bewerken"));
	assert_false(wt_has(&r, "engels-ontbreekt"));
	http_free(&r);
	assert_int_equal(who_get(&w, "/werkvormen/999999", &r), 404);
	http_free(&r);
	assert_int_equal(who_get(&w, "/werkvormen/abc", &r), 404);
	http_free(&r);
	assert_int_equal(who_get(&w, "/werkvormen/0", &r), 404);
	http_free(&r);
}

/* ---- editing -------------------------------------------------------------------- */

static void test_edit_as_admin(void **state)
{
	struct who w;
	as(&w, "beheerder", ADMIN_PW);
	struct http_resp r;
	assert_int_equal(who_get(&w, "/werkvormen/3", &r), 200);
	assert_true(wt_has(&r, "id=\"werkvorm-bewerken\" href=\"/werkvormen/3/bewerken\""));
	http_free(&r);
	assert_int_equal(who_get(&w, "/werkvormen/3/bewerken", &r), 200);
	assert_true(wt_has(&r, "value=\"Spiegelgesprek\""));
	assert_true(wt_has(&r, "<option value=\"adviseren\" selected>"));
	assert_true(wt_has(&r, "name=\"step_nl_6\""));
	assert_true(wt_has(&r, "name=\"step_nl_8\"")); /* two empty rows */
	assert_false(wt_has(&r, "name=\"step_nl_9\""));
	http_free(&r);
	assert_int_equal(who_post(&w, "/werkvormen/3/bewerken", &r, "name_nl", " Spiegelgesprek ",
	                          "name_en", "Mirror talk", "goal_nl", "Luisteren naar cliënten.",
	                          "goal_en", "", "target_group_nl", "Cliënten", "rung",
	                          "raadplegen", "step_nl_1", "Nodig uit.", "step_en_1", "Invite.",
	                          "step_nl_2", "", "step_en_2", "", "step_nl_3", "Luister.",
	                          "step_en_3", "Listen.", "tip_nl_1",
	                          "Kies een neutrale gespreksleider.", NULL),
	                 303);
	assert_string_equal(wt_location(&r), "/werkvormen/3?ok=saved");
	http_free(&r);
	assert_int_equal(who_get(&w, "/werkvormen/3?ok=saved", &r), 200);
	assert_true(wt_has(&r, "Your changes to the method were saved."));
	assert_true(wt_has(&r, ">Mirror talk</h1>"));
	assert_true(wt_has(&r, "<li class=\"utrecht-ordered-list__item\">Invite.</li><li "
	                       "class=\"utrecht-ordered-list__item\">Listen.</li></ol>"));
	/* The goal has no English: shown in Dutch, marked, and named. */
	assert_true(wt_has(&r, "<div class=\"vp-method-goal\" lang=\"nl\">"));
	assert_true(wt_has(&r, "id=\"engels-ontbreekt\""));
	assert_true(wt_has(&r, "Not in English yet, shown in Dutch: goal, target group, tips."));
	assert_true(wt_has(&r, "by Bea Beheer."));
	http_free(&r);
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT slug, name_nl, rung, updated_by, builtin, steps FROM "
	                           "methods WHERE id = 3");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "spiegelgesprek"); /* the slug stays */
	assert_string_equal(db_col_text(s, 1), "Spiegelgesprek");
	assert_string_equal(db_col_text(s, 2), "raadplegen");
	assert_int_equal(db_col_int(s, 3), admin_id);
	assert_int_equal(db_col_int(s, 4), 1);
	assert_string_equal(db_col_text(s, 5), "[{\"nl\":\"Nodig uit.\",\"en\":\"Invite.\"},"
	                                       "{\"nl\":\"Luister.\",\"en\":\"Listen.\"}]");
	db_finalize(s);
	db_close(d);
	/* Edit a method that does not exist. */
	assert_int_equal(who_post(&w, "/werkvormen/999999/bewerken", &r, "name_nl", "X", "goal_nl",
	                          "X", "rung", "raadplegen", "step_nl_1", "X", NULL),
	                 404);
	http_free(&r);
}

static void test_add_as_admin(void **state)
{
	struct who w;
	as(&w, "beheerder", ADMIN_PW);
	struct http_resp r;
	assert_int_equal(who_get(&w, "/werkvormen/nieuw", &r), 200);
	assert_true(wt_has(&r, "action=\"/werkvormen/nieuw\""));
	assert_true(wt_has(&r, "<option value=\"\" selected>"));
	assert_true(wt_has(&r, "name=\"step_nl_2\""));
	assert_false(wt_has(&r, "name=\"step_nl_3\""));
	http_free(&r);
	long long before = wt_count("SELECT COUNT(*) FROM methods");
	assert_int_equal(
	        who_post(&w, "/werkvormen/nieuw", &r, "name_nl", "Buurtwandeling met de wethouder",
	                 "goal_nl", "Samen zien wat er speelt in de wijk.", "rung", "adviseren",
	                 "step_nl_1", "Kies een route.", "step_nl_2", "Loop en luister.", NULL),
	        303);
	char loc[128];
	wt_copy_location(&r, loc, sizeof loc);
	http_free(&r);
	assert_int_equal(wt_count("SELECT COUNT(*) FROM methods"), before + 1);
	assert_int_equal(wt_count("SELECT COUNT(*) FROM methods WHERE slug = "
	                          "'buurtwandeling-met-de-wethouder' AND builtin = 0"),
	                 1);
	assert_int_equal(strncmp(loc, "/werkvormen/", 12), 0);
	assert_non_null(strstr(loc, "?ok=created"));
	assert_int_equal(who_get(&w, loc, &r), 200);
	assert_true(wt_has(&r, "The method was added to the catalogue."));
	assert_true(wt_has(&r, "<h1 class=\"utrecht-heading-1\" lang=\"nl\">Buurtwandeling met de "
	                       "wethouder</h1>"));
	http_free(&r);
	/* The same name again: a slug of its own. */
	assert_int_equal(who_post(&w, "/werkvormen/nieuw", &r, "name_nl",
	                          "Buurtwandeling met de wethouder", "goal_nl", "Nog een keer.",
	                          "rung", "informeren", "step_nl_1", "Loop.", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT COUNT(*) FROM methods WHERE slug = "
	                          "'buurtwandeling-met-de-wethouder-2'"),
	                 1);
	assert_int_equal(who_get(&w, "/api/v1/methods/buurtwandeling-met-de-wethouder", &r), 200);
	assert_true(wt_has(&r, "\"rung\":\"adviseren\""));
	assert_true(wt_has(&r, "\"missing_en\":[\"name\",\"goal\",\"steps\"]"));
	http_free(&r);
}

static void test_bad_input(void **state)
{
	struct who w;
	as(&w, "beheerder", ADMIN_PW);
	struct http_resp r;
	long long before = wt_count("SELECT COUNT(*) FROM methods");
	/* Nothing filled in but an English name: every problem at once. */
	assert_int_equal(who_post(&w, "/werkvormen/nieuw", &r, "name_nl", "  ", "name_en",
	                          "Only English", "goal_nl", "", "rung", "", NULL),
	                 422);
	assert_true(wt_has(&r, "There is a problem"));
	assert_true(wt_has(&r, "href=\"#name_nl\">Give the method a Dutch name of at most 120 "
	                       "characters on one line.</a>"));
	assert_true(wt_has(&r, "href=\"#goal_nl\">Describe the goal in Dutch, in at most 2000 "
	                       "characters.</a>"));
	assert_true(wt_has(&r, "href=\"#rung\">Choose a rung on the participation ladder.</a>"));
	assert_true(wt_has(&r, "href=\"#step_nl_1\">Give at least one step of the step plan, in "
	                       "Dutch.</a>"));
	assert_true(wt_has(&r, "id=\"name_nl\" name=\"name_nl\" lang=\"nl\" required "
	                       "aria-describedby=\"name_nl-error\" aria-invalid=\"true\""));
	assert_true(wt_has(&r, "value=\"Only English\"")); /* what was typed stays */
	http_free(&r);
	/* A rung that is not on the ladder; a step in English only. */
	assert_int_equal(who_post(&w, "/werkvormen/nieuw", &r, "name_nl", "Naam", "goal_nl", "Doel",
	                          "rung", "praten", "step_nl_1", "", "step_en_1", "", "step_nl_2",
	                          "", "step_en_2", "English only", NULL),
	                 422);
	assert_true(wt_has(&r, "href=\"#rung\""));
	assert_true(wt_has(&r, "href=\"#step_nl_1\">Every step needs a Dutch text.</a>"));
	assert_true(wt_has(&r, ">English only</textarea>"));
	http_free(&r);
	/* Too long, and two lines in a name. */
	char big[200];
	memset(big, 'x', 121);
	big[121] = 0;
	assert_int_equal(who_post(&w, "/werkvormen/nieuw", &r, "name_nl", big, "goal_nl", "Doel",
	                          "rung", "raadplegen", "step_nl_1", "Stap", NULL),
	                 422);
	http_free(&r);
	assert_int_equal(who_post(&w, "/werkvormen/nieuw", &r, "name_nl", "Twee\nregels", "goal_nl",
	                          "Doel", "rung", "raadplegen", "step_nl_1", "Stap", NULL),
	                 422);
	http_free(&r);
	assert_int_equal(wt_count("SELECT COUNT(*) FROM methods"), before);
	/* A bad edit changes nothing. */
	char name[128];
	name_of_1(name, sizeof name);
	assert_int_equal(who_post(&w, "/werkvormen/1/bewerken", &r, "name_nl", "Nieuwe naam",
	                          "goal_nl", "", "rung", "raadplegen", "step_nl_1", "Stap", NULL),
	                 422);
	assert_true(wt_has(&r, "value=\"Nieuwe naam\""));
	http_free(&r);
	char now[128];
	assert_string_equal(name_of_1(now, sizeof now), name);
	/* Without the token: 403, nothing changes. */
	assert_int_equal(http_post_form(port, &w.jar, "/werkvormen/1/bewerken",
	                                "name_nl=Kwaad&goal_nl=Kwaad&rung=raadplegen&step_nl_1=K",
	                                &r),
	                 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
	assert_string_equal(name_of_1(now, sizeof now), name);
}

static void test_others_may_not_change(void **state)
{
	static const char *const users[][2] = {{"redacteur", EDITOR_PW}, {"lezer", READER_PW}};
	char name[128], now[128];
	name_of_1(name, sizeof name);
	long long before = wt_count("SELECT COUNT(*) FROM methods");
	for (int i = 0; i < 2; i++) {
		struct who w;
		as(&w, users[i][0], users[i][1]);
		struct http_resp r;
		assert_int_equal(who_get(&w, "/werkvormen/1", &r), 200);
		assert_false(wt_has(&r, "werkvorm-bewerken"));
		http_free(&r);
		assert_int_equal(who_get(&w, "/werkvormen/1/bewerken", &r), 403);
		http_free(&r);
		assert_int_equal(who_get(&w, "/werkvormen/nieuw", &r), 403);
		http_free(&r);
		assert_int_equal(who_post(&w, "/werkvormen/1/bewerken", &r, "name_nl", "Kwaad",
		                          "goal_nl", "Kwaad", "rung", "raadplegen", "step_nl_1",
		                          "Kwaad", NULL),
		                 403);
		http_free(&r);
		assert_int_equal(who_post(&w, "/werkvormen/nieuw", &r, "name_nl", "Kwaad",
		                          "goal_nl", "Kwaad", "rung", "raadplegen", "step_nl_1",
		                          "Kwaad", NULL),
		                 403);
		http_free(&r);
	}
	assert_string_equal(name_of_1(now, sizeof now), name);
	assert_int_equal(wt_count("SELECT COUNT(*) FROM methods"), before);
}

/* Whatever an administrator types is text on every page, never markup. */
static void test_xss(void **state)
{
	struct who w;
	as(&w, "beheerder", ADMIN_PW);
	struct http_resp r;
	assert_int_equal(who_post(&w, "/werkvormen/nieuw", &r, "name_nl",
	                          "<script>alert(1)</script>", "name_en",
	                          "\"><img src=x "
	                          "onerror=alert(2)>",
	                          "goal_nl", "<b>vet</b> & 'zo'", "rung", "raadplegen", "step_nl_1",
	                          "<iframe src=javascript:alert(3)>", "tip_nl_1",
	                          "</li><script>alert(4)</script>", NULL),
	                 303);
	char loc[128];
	wt_copy_location(&r, loc, sizeof loc);
	http_free(&r);
	int64_t id = 0;
	const char *slash = strrchr(loc, '/');
	assert_non_null(slash);
	id = strtoll(slash + 1, NULL, 10);
	assert_true(id > 0);
	char path[64];
	const char *pages[3] = {"/werkvormen", NULL, NULL};
	char detail[64], form[64];
	snprintf(detail, sizeof detail, "/werkvormen/%lld", (long long)id);
	snprintf(form, sizeof form, "/werkvormen/%lld/bewerken", (long long)id);
	pages[1] = detail;
	pages[2] = form;
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s", pages[i]);
		assert_int_equal(who_get(&w, path, &r), 200);
		assert_false(wt_has(&r, "<script>alert"));
		assert_false(wt_has(&r, "<img src=x"));
		assert_false(wt_has(&r, "<iframe"));
		assert_false(wt_has(&r, "<b>vet"));
		assert_true(wt_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;") ||
		            wt_has(&r, "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
		http_free(&r);
	}
	/* The API gives the text as it was typed, as JSON strings. */
	snprintf(path, sizeof path, "/api/v1/methods/%lld", (long long)id);
	assert_int_equal(who_get(&w, path, &r), 200);
	json_t *o = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "name"), "nl")),
	                    "<script>alert(1)</script>");
	json_decref(o);
	http_free(&r);
}

/* ---- the API -------------------------------------------------------------------- */

static void test_api(void **state)
{
	struct who w;
	as(&w, "lezer", READER_PW);
	struct http_resp r;
	assert_int_equal(who_get(&w, "/api/v1/methods", &r), 200);
	assert_non_null(http_header(&r, "API-Version"));
	json_t *arr = json_loadb(r.body, r.body_len, 0, NULL);
	assert_true(json_is_array(arr));
	assert_true(json_array_size(arr) >= METHOD_SEEDED_COUNT);
	json_decref(arr);
	http_free(&r);
	assert_int_equal(who_get(&w, "/api/v1/methods/1", &r), 200);
	json_t *o = json_loadb(r.body, r.body_len, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(o, "slug")), "keukentafelgesprek");
	assert_string_equal(json_string_value(json_object_get(o, "rung")), "raadplegen");
	assert_true(json_array_size(json_object_get(o, "steps")) >= 3);
	json_decref(o);
	http_free(&r);
	assert_int_equal(who_get(&w, "/api/v1/methods/dialoogtafel", &r), 200);
	assert_true(wt_has(&r, "\"rung\":\"meebeslissen\""));
	http_free(&r);
	assert_int_equal(who_get(&w, "/api/v1/methods/999999", &r), 404);
	assert_true(wt_has(&r, "There is no such method."));
	assert_string_equal(http_header(&r, "Content-Type"), "application/problem+json");
	http_free(&r);
	assert_int_equal(who_get(&w, "/api/v1/methods/geen-werkvorm", &r), 404);
	http_free(&r);
	/* Not logged in: 401. */
	struct jar anon = {0};
	snprintf(anon.ip, sizeof anon.ip, "10.31.250.1");
	assert_int_equal(http_get(port, &anon, "/api/v1/methods", &r), 0);
	assert_int_equal(r.status, 401);
	http_free(&r);
	/* The OpenAPI document describes both. */
	assert_int_equal(http_get(port, &anon, "/api/v1/openapi.json", &r), 0);
	assert_true(wt_has(&r, "\"/methods\""));
	assert_true(wt_has(&r, "\"/methods/{id}\""));
	assert_true(wt_has(&r, "\"Method\""));
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_list),          cmocka_unit_test(test_detail),
	        cmocka_unit_test(test_edit_as_admin), cmocka_unit_test(test_add_as_admin),
	        cmocka_unit_test(test_bad_input),     cmocka_unit_test(test_others_may_not_change),
	        cmocka_unit_test(test_xss),           cmocka_unit_test(test_api),
	};
	return cmocka_run_group_tests_name("methods", tests, setup, teardown);
}
