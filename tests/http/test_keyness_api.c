/* test_keyness_api.c: keyness over HTTP: the API for a collection and a trajectory (planted words first, against a second filter, small groups, bad input a clear 400) and the explorer's words page with links to the stories. */
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
#include "model/story.h"
#include "model/trajectory.h"
#include "model/user.h"

#include <jansson.h>

#define READER_PW "reader password 123"

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"woorden\",\"title\":{\"nl\":\"Woorden\"},"
        "\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","
        "\"questions\":[{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"
        "{\"id\":\"wijk\",\"type\":\"choice\",\"text\":{\"nl\":\"Wijk\"},\"options\":["
        "{\"id\":\"noord\",\"label\":{\"nl\":\"Noord\"}},{\"id\":\"zuid\",\"label\":{\"nl\":"
        "\"Zuid\"}},{\"id\":\"oost\",\"label\":{\"nl\":\"Oost\"}}]}]}]}";

static long long coll_id, traj_id;
static struct jar reader;

static void seed(db *d, int64_t org, int64_t reader_id)
{
	struct script *s = NULL;
	int64_t sid = wt_script(d, org, script_text, &s);
	char token[64];
	coll_id = wt_collection_for(d, org, sid, "Woorden", "Woorden testen", 3650, token);
	struct collection c;
	assert_int_equal(collection_by_token(d, token, &c), DB_ROW);
	/* noord: 30 stories, 20 about a stair lift; zuid and oost: 30, two */
	for (int i = 0; i < 60; i++) {
		const char *wijk = i < 30 ? "noord" : i % 2 ? "zuid" : "oost";
		int planted = i < 30 ? i % 3 != 0 : i % 15 == 0;
		char text[256], uuid[40];
		snprintf(text, sizeof text, "Het gesprek met de consulent ging goed.%s",
		         planted ? " Er kwam een traplift, met \"weinig geld\" <b>erbij</b>." : "");
		snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", i + 1);
		json_t *b = json_pack("{sssssisss{s{ssssss}ss}}", "id", uuid, "channel", "web",
		                      "script_version", 1, "language", "nl", "answers", "verhaal",
		                      "prompt", "p", "title", "Mijn verhaal", "text", text, "wijk",
		                      wijk);
		struct story_submit st = {.collection = &c};
		const char *msg = NULL;
		struct answer_error e = {0};
		if (story_prepare(&st, s, b, 0, &msg, &e))
			fail_msg("story %d: %s", i, msg ? msg : "?");
		json_decref(b);
		assert_int_equal(story_submit_write(d, &st), 0);
		assert_int_equal(st.result, STORY_NEW);
		story_submit_free(&st);
	}
	script_free(s);
	struct trajectory_new t = {.org_id = org, .user_id = 0, .f = {.title = "Wmo"}};
	assert_int_equal(trajectory_create_write(d, &t), DB_OK);
	traj_id = t.id;
	db_stmt *u = db_prepare(d, "UPDATE collections SET trajectory_id = :t WHERE id = :c");
	db_bind_int(u, "t", traj_id);
	db_bind_int(u, "c", coll_id);
	assert_int_equal(db_step(u), DB_DONE);
	db_finalize(u);
	/* the reader is on the trajectory's team, so may read both */
	u = db_prepare(d, "INSERT INTO trajectory_staff (trajectory_id, user_id) VALUES (:t, :u)");
	db_bind_int(u, "t", traj_id);
	db_bind_int(u, "u", reader_id);
	assert_int_equal(db_step(u), DB_DONE);
	db_finalize(u);
}

static int setup(void **state)
{
	db *d = fixture_open("keyness");
	int64_t org;
	if (!d || org_ensure(d, "Gemeente Woorden", &org) != DB_OK)
		return -1;
	int64_t reader_id = fixture_user(d, org, "lezer", "Lex Lezer", ROLE_MEELEZER, READER_PW, 0);
	if (reader_id <= 0)
		return -1;
	seed(d, org, reader_id);
	static struct app_config config;
	fixture_config(&config);
	config.analysis_min_group = 10;
	if (fixture_start(d, &config) != 0)
		return -1;
	wt_login(&reader, "lezer", READER_PW, "10.9.0.2", NULL);
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* GET path as the reader; the status, the body parsed as JSON in *out. */
static int get_json(const char *path, json_t **out)
{
	struct http_resp r;
	struct jar tmp = reader;
	assert_int_equal(http_get(port, &tmp, path, &r), 0);
	int st = r.status;
	*out = r.body_len ? json_loadb(r.body, r.body_len, 0, NULL) : NULL;
	http_free(&r);
	return st;
}

static int keyness(const char *kind, long long id, const char *query, json_t **out)
{
	char p[512];
	snprintf(p, sizeof p, "/api/v1/%s/%lld/keyness%s", kind, id, query);
	return get_json(p, out);
}

static const char *first_stem(json_t *j)
{
	return json_string_value(
	        json_object_get(json_array_get(json_object_get(j, "terms"), 0), "stem"));
}

static void test_api(void **state)
{
	json_t *j;
	assert_int_equal(keyness("collections", coll_id, "?filter=wijk%20%3D%20noord", &j), 200);
	assert_false(json_is_true(json_object_get(j, "too_few")));
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(j, "target"), "stories")), 30);
	const char *s = first_stem(j);
	assert_non_null(s);
	/* the planted words are all the key terms there are */
	json_t *t;
	size_t i;
	json_array_foreach(json_object_get(j, "terms"), i, t)
	{
		const char *stem = json_string_value(json_object_get(t, "stem"));
		if (!strstr("kwam traplift weinig geld erbij", stem))
			fail_msg("unexpected key term %s", stem);
	}
	assert_int_equal(json_integer_value(json_object_get(
	                         json_array_get(json_object_get(j, "terms"), 0), "target")),
	                 20);
	json_decref(j);
	/* against a second group */
	assert_int_equal(keyness("collections", coll_id,
	                         "?filter=wijk%20%3D%20noord&against=wijk%20%3D%20zuid&limit=1",
	                         &j),
	                 200);
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(j, "reference"), "stories")),
	        15);
	assert_int_equal(json_array_size(json_object_get(j, "terms")), 1);
	json_decref(j);
	/* the trajectory holding the collection gives the same words */
	assert_int_equal(keyness("trajectories", traj_id, "?filter=wijk%20%3D%20noord", &j), 200);
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(j, "target"), "stories")), 30);
	assert_non_null(first_stem(j));
	json_decref(j);
	/* a group under the minimum: too few, no words */
	assert_int_equal(keyness("collections", coll_id,
	                         "?filter=wijk%20%3D%20oost%20and%20period%20%3D%202000", &j),
	                 200);
	assert_true(json_is_true(json_object_get(j, "too_few")));
	assert_int_equal(json_array_size(json_object_get(j, "terms")), 0);
	json_decref(j);
}

static void bad(const char *query, const char *detail)
{
	json_t *j = NULL;
	assert_int_equal(keyness("collections", coll_id, query, &j), 400);
	wt_expect_detail(j, query, detail);
}

static void test_bad_input(void **state)
{
	bad("?filter=wijk%20%3D", "filter");
	bad("?filter=wijk%20%3D%20noord&against=wijk%20%3D%20(", "against");
	bad("?filter=text%20matches%20%22%22", "filter");
	bad("?filter=text%20matches%20%22%5C%22wacht%22", "not closed");
	bad("?filter=wijk%20%3D%20noord&limit=0", "limit");
	bad("?filter=wijk%20%3D%20noord&limit=1001", "limit");
	bad("?filter=wijk%20%3D%20noord&limit=abc", "limit");
	buf q;
	buf_init(&q);
	buf_puts(&q, "?filter=");
	for (int i = 0; i < 10000; i++)
		buf_putc(&q, 'w');
	json_t *j = NULL;
	int st = keyness("collections", coll_id, q.data, &j);
	assert_true(st == 400 || st == 414 || st == 431);
	json_decref(j);
	buf_free(&q);
	/* not logged in: no words */
	struct http_resp r;
	char p[128];
	snprintf(p, sizeof p, "/api/v1/collections/%lld/keyness?filter=wijk%%20%%3D%%20noord",
	         coll_id);
	assert_int_equal(http_get(port, NULL, p, &r), 0);
	assert_true(r.status == 401 || r.status == 403);
	http_free(&r);
}

static void test_words_page(void **state)
{
	char p[160];
	snprintf(p, sizeof p, "/verkennen/%lld/woorden?filter=wijk%%20%%3D%%20noord", coll_id);
	struct http_resp r;
	struct jar tmp = reader;
	assert_int_equal(http_get(port, &tmp, p, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(wt_has(&r, "vp-keyness-row"));
	assert_true(wt_has(&r, ">traplift</a>"));
	/* each word a link to its stories within the group (canonical filter) */
	assert_true(wt_has(&r, "/verkennen/"));
	assert_true(wt_has(&r, "verhalen?filter=wijk%20%3D%20noord%20and%20text%20matches%20"
	                       "traplift"));
	/* a phrase searches as a phrase; the text as written is escaped */
	assert_true(wt_has(&r, "text%20matches%20%22%5C%22weinig%20geld%5C%22%22"));
	assert_false(wt_has(&r, "<b>"));
	http_free(&r);
	/* the link finds the stories */
	snprintf(p, sizeof p,
	         "/verkennen/%lld/"
	         "verhalen?filter=wijk%%20%%3D%%20noord%%20and%%20text%%20matches%%20"
	         "traplift",
	         coll_id);
	tmp = reader;
	assert_int_equal(http_get(port, &tmp, p, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(wt_has(&r, "traplift"));
	http_free(&r);
	/* no filter: the question; a bad filter: 400 with the message */
	snprintf(p, sizeof p, "/verkennen/%lld/woorden", coll_id);
	tmp = reader;
	assert_int_equal(http_get(port, &tmp, p, &r), 0);
	assert_int_equal(r.status, 200);
	assert_false(wt_has(&r, "vp-keyness-row"));
	http_free(&r);
	snprintf(p, sizeof p, "/verkennen/%lld/woorden?filter=wijk%%20%%3D", coll_id);
	tmp = reader;
	assert_int_equal(http_get(port, &tmp, p, &r), 0);
	assert_int_equal(r.status, 400);
	http_free(&r);
	/* a small group: too few */
	snprintf(p, sizeof p,
	         "/verkennen/%lld/"
	         "woorden?filter=wijk%%20%%3D%%20oost%%20and%%20period%%20%%3D%%202000",
	         coll_id);
	tmp = reader;
	assert_int_equal(http_get(port, &tmp, p, &r), 0);
	assert_int_equal(r.status, 200);
	assert_false(wt_has(&r, "vp-keyness-row"));
	http_free(&r);
}

static long long views(const char *detail)
{
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND "
	                           "object_type = 'story' AND detail = :d");
	db_bind_text(s, "d", detail);
	return wt_count_of(d, s); /* closes d */
}

/* The trajectory's search: the stories of all its collections, each
 * returned story logged. */
static void test_trajectory_search(void **state)
{
	long long before = views("search");
	char p[160];
	snprintf(p, sizeof p, "/api/v1/trajectories/%lld/search?q=traplift&limit=5", traj_id);
	json_t *j;
	assert_int_equal(get_json(p, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 22);
	assert_int_equal(json_array_size(json_object_get(j, "stories")), 5);
	json_decref(j);
	assert_int_equal(views("search"), before + 5);
	snprintf(p, sizeof p, "/api/v1/trajectories/%lld/search?q=de%%20het", traj_id);
	assert_int_equal(get_json(p, &j), 400);
	json_decref(j);
	snprintf(p, sizeof p, "/api/v1/trajectories/%lld/search?q=", traj_id);
	assert_int_equal(get_json(p, &j), 400);
	json_decref(j);
	snprintf(p, sizeof p, "/api/v1/trajectories/999999/search?q=traplift");
	assert_int_equal(get_json(p, &j), 404);
	json_decref(j);
}

static int page(const char *query, struct http_resp *r)
{
	buf p;
	buf_init(&p);
	buf_printf(&p, "/verkennen/%lld/verhalen%s", coll_id, query);
	struct jar tmp = reader;
	assert_int_equal(http_get(port, &tmp, p.data, r), 0);
	buf_free(&p);
	return r->status;
}

/* The stories page's search field: the filter and the search together,
 * the best-matching first with the words marked, everything escaped. */
static void test_stories_search(void **state)
{
	long long before = views("explorer");
	struct http_resp r;
	assert_int_equal(page("?filter=wijk%20%3D%20noord&zoek=traplift", &r), 200);
	assert_true(wt_has(&r, "id=\"zoek\""));
	assert_true(wt_has(&r, "<strong id=\"verhalen-aantal\">20</strong>"));
	assert_true(wt_has(&r, "<mark>traplift</mark>"));
	/* the teller's markup is text */
	assert_true(wt_has(&r, "&lt;b&gt;"));
	assert_false(wt_has(&r, "<b>"));
	/* the filter as given stays in the form */
	assert_true(wt_has(&r, "name=\"filter\" value=\"wijk = noord\""));
	http_free(&r);
	assert_int_equal(views("explorer"), before + 20);
	/* a phrase */
	assert_int_equal(page("?zoek=%22weinig%20geld%22", &r), 200);
	assert_true(wt_has(&r, "<strong id=\"verhalen-aantal\">22</strong>"));
	http_free(&r);
	/* bad search texts: a clear 400, nothing shown */
	before = views("explorer");
	assert_int_equal(page("?zoek=de%20het%20een", &r), 400);
	assert_true(wt_has(&r, "only common words"));
	http_free(&r);
	assert_int_equal(page("?zoek=%22traplift", &r), 400);
	assert_true(wt_has(&r, "not closed"));
	http_free(&r);
	buf q;
	buf_init(&q);
	buf_puts(&q, "?zoek=");
	for (int i = 0; i < 10000; i++)
		buf_putc(&q, 'w');
	int st = page(q.data, &r);
	assert_true(st == 400 || st == 414 || st == 431);
	http_free(&r);
	buf_free(&q);
	assert_int_equal(views("explorer"), before);
	/* an empty search is no search */
	assert_int_equal(page("?filter=wijk%20%3D%20noord&zoek=%20", &r), 200);
	assert_true(wt_has(&r, "<strong id=\"verhalen-aantal\">30</strong>"));
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_api),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_words_page),
	        cmocka_unit_test(test_trajectory_search),
	        cmocka_unit_test(test_stories_search),
	};
	return cmocka_run_group_tests_name("keyness", tests, setup, teardown);
}
