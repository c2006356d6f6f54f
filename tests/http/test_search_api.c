/* test_search_api.c: full-text search over HTTP: ranked stories with snippets, within a filter, each story returned in the access log, and every bad search text a clear 400. */
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
#include "model/user.h"

#include <jansson.h>

#define READER_PW "reader password 123"

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"zoeken\",\"title\":{\"nl\":\"Zoeken\"},"
        "\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","
        "\"questions\":[{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"
        "{\"id\":\"wijk\",\"type\":\"choice\",\"text\":{\"nl\":\"Wijk\"},\"options\":["
        "{\"id\":\"noord\",\"label\":{\"nl\":\"Noord\"}},{\"id\":\"zuid\",\"label\":{\"nl\":"
        "\"Zuid\"}}]}]}]}";

static const struct {
	const char *title, *text, *wijk;
} stories[] = {
        {"Lang wachten", "De wachttijden bij het Wmo-loket waren erg lang.", "noord"},
        {"Wachten", "Ook in Zuid was de wachttijd lang, wachttijd na wachttijd.", "zuid"},
        {"Café", "In het buurtcafé vond ik mensen om mee te praten.", "noord"},
        {"Zorg", "Mijn mantelzorgondersteuning kwam pas na maanden.", "zuid"},
};

static long long coll_id;
static struct jar reader;

static void seed(db *d, int64_t org)
{
	struct script *s = NULL;
	int64_t sid = wt_script(d, org, script_text, &s);
	char token[64];
	coll_id = wt_collection_for(d, org, sid, "Zoeken", "Zoeken testen", 3650, token);
	struct collection c;
	assert_int_equal(collection_by_token(d, token, &c), DB_ROW);
	for (size_t i = 0; i < sizeof stories / sizeof *stories; i++) {
		char uuid[40];
		snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012zu", i + 1);
		json_t *b = json_pack("{sssssisss{s{ssssss}ss}}", "id", uuid, "channel", "web",
		                      "script_version", 1, "language", "nl", "answers", "verhaal",
		                      "prompt", "p", "title", stories[i].title, "text",
		                      stories[i].text, "wijk", stories[i].wijk);
		struct story_submit st = {.collection = &c};
		const char *msg = NULL;
		struct answer_error e = {0};
		if (story_prepare(&st, s, b, 0, &msg, &e))
			fail_msg("story %zu: %s", i, msg ? msg : "?");
		json_decref(b);
		assert_int_equal(story_submit_write(d, &st), 0);
		assert_int_equal(st.result, STORY_NEW);
		story_submit_free(&st);
	}
	script_free(s);
}

static int setup(void **state)
{
	int64_t org;
	db *d = wt_open_with_reader("search", "Gemeente Zoeken", READER_PW, &org);
	if (!d)
		return -1;
	seed(d, org);
	static struct app_config config;
	fixture_config(&config);
	config.analysis_min_group = 1; /* four stories; small cells: test_small_cell */
	if (fixture_start(d, &config) != 0)
		return -1;
	wt_login(&reader, "lezer", READER_PW, "10.9.0.1", NULL);
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* GET /api/v1/collections/{coll}/search?q=Q(&more), as the reader (or
 * nobody); the status, the document in *out (decref). */
static int search(const char *q, const char *more, int logged_in, json_t **out)
{
	buf p;
	buf_init(&p);
	buf_printf(&p, "/api/v1/collections/%lld/search?q=", coll_id);
	wt_enc(&p, q);
	if (more)
		buf_puts(&p, more);
	struct http_resp r;
	struct jar tmp = reader;
	assert_int_equal(http_get(port, logged_in ? &tmp : NULL, p.data, &r), 0);
	buf_free(&p);
	int st = r.status;
	*out = r.body_len ? json_loadb(r.body, r.body_len, 0, NULL) : NULL;
	http_free(&r);
	return st;
}

static long long views(void)
{
	return wt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND "
	                "object_type = 'story' AND detail = 'search'");
}

static void test_ranked_with_snippets(void **state)
{
	json_t *j;
	long long before = views();
	assert_int_equal(search("wachttijd", NULL, 1, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 2);
	json_t *list = json_object_get(j, "stories");
	assert_int_equal(json_array_size(list), 2);
	/* the story saying it three times first */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "story")), 2);
	char *s = json_dumps(j, JSON_COMPACT);
	assert_non_null(strstr(s, "{\"text\":\"wachttijden\",\"match\":true}"));
	free(s);
	json_decref(j);
	/* each story returned is in the access log */
	assert_int_equal(views(), before + 2);
	/* Dutch: diacritics and compounds */
	assert_int_equal(search("cafe", NULL, 1, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 1);
	json_decref(j);
	assert_int_equal(search("mantelzorg", NULL, 1, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 1);
	json_decref(j);
}

static void test_within_filter(void **state)
{
	json_t *j;
	assert_int_equal(search("wachttijd", "&filter=wijk%20%3D%20noord&limit=5", 1, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 1);
	assert_int_equal(json_integer_value(json_object_get(
	                         json_array_get(json_object_get(j, "stories"), 0), "story")),
	                 1);
	json_decref(j);
}

static void bad(const char *q, const char *more, const char *detail)
{
	json_t *j = NULL;
	assert_int_equal(search(q, more, 1, &j), 400);
	wt_expect_detail(j, q, detail);
}

static void test_bad_input(void **state)
{
	long long before = views();
	bad("", NULL, "q=");
	bad("   ", NULL, "q=");
	bad("de het een", NULL, "only common words");
	bad("\"wachttijd", NULL, "not closed");
	char *big = malloc(10001);
	memset(big, 'w', 10000);
	big[10000] = 0;
	bad(big, NULL, "too long");
	free(big);
	bad("wachttijd", "&filter=wijk%20%3D", "filter");
	bad("wachttijd", "&limit=0", "limit");
	bad("wachttijd", "&limit=abc", "limit");
	bad("wachttijd", "&limit=1001", "limit");
	/* FTS5's syntax is plain text here: never an error */
	json_t *j;
	assert_int_equal(search("wachttijd* NEAR( ^: \"\" -", NULL, 1, &j), 200);
	json_decref(j);
	/* nothing found: nothing logged */
	assert_int_equal(views(), before);
}

static void test_not_logged_in(void **state)
{
	json_t *j = NULL;
	int st = search("wachttijd", NULL, 0, &j);
	assert_true(st == 401 || st == 403);
	json_decref(j);
	/* the analysis API has no search measure: no text leaves unlogged */
	struct http_resp r;
	struct jar tmp = reader;
	char p[128];
	snprintf(p, sizeof p, "/api/v1/collections/%lld/analysis/search?q=wachttijd", coll_id);
	assert_int_equal(http_get(port, &tmp, p, &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
}

/* The explorer's stories page takes the filter "text matches" as it is:
 * its filter field is the search field. */
static void test_explorer_filter(void **state)
{
	char p[160];
	snprintf(p, sizeof p, "/verkennen/%lld/verhalen?filter=text%%20matches%%20wachttijd",
	         coll_id);
	struct http_resp r;
	struct jar tmp = reader;
	assert_int_equal(http_get(port, &tmp, p, &r), 0);
	assert_int_equal(r.status, 200);
	if (!wt_has(&r, "wachttijden bij het Wmo-loket"))
		print_message("%.*s\n", (int)r.body_len, r.body);
	assert_true(wt_has(&r, "wachttijden bij het Wmo-loket"));
	assert_true(wt_has(&r, "wachttijd na wachttijd"));
	assert_false(wt_has(&r, "buurtcaf"));
	http_free(&r);
	/* a bad search text is the filter's clear error, not a crash */
	snprintf(p, sizeof p, "/verkennen/%lld/verhalen?filter=text%%20matches%%20%%22de%%22",
	         coll_id);
	tmp = reader;
	assert_int_equal(http_get(port, &tmp, p, &r), 0);
	assert_true(r.status == 200 || r.status == 400);
	assert_true(wt_has(&r, "only common words"));
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ranked_with_snippets),
	        cmocka_unit_test(test_within_filter),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_not_logged_in),
	        cmocka_unit_test(test_explorer_filter),
	};
	return cmocka_run_group_tests_name("search api", tests, setup, teardown);
}
