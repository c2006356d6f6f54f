/* test_themes_api.c: themes over HTTP: the API finds the three topics of a fixed set of stories, within a filter, with small-group protection; bad numbers and filters are a clear 400; the explorer page shows progress (refreshing) and then the themes, and a computation can be stopped. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
#include "../unit/topics.h"
// clang-format on
#include "model/collection.h"
#include "model/demo.h"
#include "model/story.h"
#include "model/user.h"

#include <jansson.h>
#include <time.h>

#define READER_PW "reader password 123"

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"themas\",\"title\":{\"nl\":\"Themas\"},"
        "\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","
        "\"questions\":[{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"
        "{\"id\":\"wijk\",\"type\":\"choice\",\"text\":{\"nl\":\"Wijk\"},\"options\":["
        "{\"id\":\"noord\",\"label\":{\"nl\":\"Noord\"}},{\"id\":\"zuid\",\"label\":{\"nl\":"
        "\"Zuid\"}}]},{\"id\":\"geholpen\",\"type\":\"dyad\",\"text\":{\"nl\":\"Geholpen\"},"
        "\"poles\":[{\"id\":\"niet\",\"label\":{\"nl\":\"Niet\"}},{\"id\":\"wel\","
        "\"label\":{\"nl\":\"Wel\"}}]}]}]}";

/* The three topics of topics.h; a story is two of its topic's sentences
 * and one any story could have. */
enum { PER_TOPIC = 20, NSTORIES = 3 * PER_TOPIC };

static long long coll_id, big_id;
enum { BIG = 3000 };
static struct who reader;
static int topic_of[NSTORIES + 1]; /* by story id */

static void seed(db *d, int64_t org)
{
	struct script *s = NULL;
	int64_t sid = wt_script(d, org, script_text, &s);
	char token[64];
	coll_id = wt_collection_for(d, org, sid, "Themas", "Themas testen", 3650, token);
	struct collection c;
	assert_int_equal(collection_by_token(d, token, &c), DB_ROW);
	for (int i = 0; i < NSTORIES; i++) {
		int t = i % 3, j = i / 3;
		char uuid[40], text[400];
		snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", i + 1);
		topic_text(text, sizeof text, t, j, 1);
		/* the outcome: the waiting-list stories (topic 1) about 30 lower */
		int helped = (t == 1 ? 35 : 65) + (j * 7 + t) % 10 - 5;
		json_t *b = json_pack("{sssssisss{s{ssssss}sssi}}", "id", uuid, "channel", "web",
		                      "script_version", 1, "language", "nl", "answers", "verhaal",
		                      "prompt", "p", "title", "Mijn verhaal", "text", text, "wijk",
		                      j % 2 ? "zuid" : "noord", "geholpen", helped);
		struct story_submit st = {.collection = &c};
		const char *msg = NULL;
		struct answer_error e = {0};
		if (story_prepare(&st, s, b, 0, &msg, &e))
			fail_msg("story %d: %s", i, msg ? msg : "?");
		json_decref(b);
		assert_int_equal(story_submit_write(d, &st), 0);
		assert_int_equal(st.result, STORY_NEW);
		story_submit_free(&st);
		topic_of[i + 1] = t; /* ids from 1 in a fresh database */
	}
	/* a larger collection, for a computation that lasts: the demo's texts */
	big_id = wt_collection_for(d, org, sid, "Groot", "Themas stoppen", 3650, token);
	assert_int_equal(collection_by_token(d, token, &c), DB_ROW);
	struct demo_options o = {.stories = BIG, .seed = 2};
	struct demo_plan *plan = demo_plan_new(&o);
	for (int i = 0; i < BIG; i++) {
		int64_t at;
		json_t *demo = demo_story_body(plan, i, 9, 1, NULL, &at);
		json_t *v = json_object_get(json_object_get(demo, "answers"), "q-verhaal");
		char uuid[40];
		snprintf(uuid, sizeof uuid, "00000000-0000-4000-9000-%012d", i + 1);
		json_t *b = json_pack("{sssssisss{s{sssOsO}}}", "id", uuid, "channel", "web",
		                      "script_version", 1, "language", "nl", "answers", "verhaal",
		                      "prompt", "p", "title", json_object_get(v, "title"), "text",
		                      json_object_get(v, "text"));
		json_decref(demo);
		struct story_submit st = {.collection = &c};
		const char *msg = NULL;
		struct answer_error e = {0};
		if (story_prepare(&st, s, b, 0, &msg, &e))
			fail_msg("big story %d: %s", i, msg ? msg : "?");
		json_decref(b);
		assert_int_equal(story_submit_write(d, &st), 0);
		story_submit_free(&st);
	}
	demo_plan_free(plan);
	script_free(s);
}

static int setup(void **state)
{
	return wt_serve_with_reader("themes", "Gemeente Themas", READER_PW, seed, &reader,
	                            "10.9.0.2");
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* GET /api/v1/collections/{coll}/themes?more as the reader; the status,
 * the document in *out (decref). */
static int themes(const char *more, json_t **out)
{
	char p[512];
	snprintf(p, sizeof p, "/api/v1/collections/%lld/themes?%s", coll_id, more);
	return who_get_json(&reader, p, out);
}

/* The three topics found: three themes of 20, each one topic (by its
 * closest stories), labelled with the topic's words. */
static void test_api_finds_topics(void **state)
{
	json_t *j;
	assert_int_equal(themes("k_min=2&k_max=5&seed=1", &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "stories")), NSTORIES);
	assert_int_equal(json_integer_value(json_object_get(j, "k")), 3);
	assert_string_equal(json_string_value(json_object_get(j, "chosen_by")), "silhouette");
	json_t *list = json_object_get(j, "themes");
	assert_int_equal(json_array_size(list), 3);
	int seen[3] = {0};
	for (size_t i = 0; i < 3; i++) {
		json_t *th = json_array_get(list, i);
		assert_int_equal(json_integer_value(json_object_get(th, "theme")), (int)i + 1);
		assert_int_equal(json_integer_value(json_object_get(th, "stories")), PER_TOPIC);
		json_t *closest = json_object_get(th, "closest");
		assert_true(json_array_size(closest) >= 3);
		int t = topic_of[json_integer_value(json_array_get(closest, 0))];
		for (size_t k = 1; k < json_array_size(closest); k++)
			assert_int_equal(topic_of[json_integer_value(json_array_get(closest, k))],
			                 t);
		seen[t]++;
		const char *first = json_string_value(
		        json_object_get(json_array_get(json_object_get(th, "terms"), 0), "term"));
		assert_non_null(first);
	}
	assert_true(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
	char *s = json_dumps(j, JSON_COMPACT);
	assert_non_null(strstr(s, "\"term\":\"regiotaxi\""));
	assert_non_null(strstr(s, "\"term\":\"schoonmaakster\""));
	free(s);
	json_decref(j);
}

static void test_api_filter_and_small_groups(void **state)
{
	json_t *j;
	assert_int_equal(themes("k=3&filter=wijk%20%3D%20noord", &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "filter")), "wijk = noord");
	assert_int_equal(json_integer_value(json_object_get(j, "stories")), NSTORIES / 2);
	assert_string_equal(json_string_value(json_object_get(j, "chosen_by")), "fixed");
	/* 10 stories a theme: exactly the smallest group shown (min_group 10) */
	json_t *th = json_array_get(json_object_get(j, "themes"), 0);
	assert_false(json_is_true(json_object_get(th, "too_few")));
	json_decref(j);
	/* twelve themes of about five: a theme under 10 stories shows neither
	 * its count nor its words nor its stories */
	assert_int_equal(themes("k=12", &j), 200);
	size_t i, few = 0;
	json_array_foreach(json_object_get(j, "themes"), i, th)
	{
		if (json_is_true(json_object_get(th, "too_few"))) {
			few++;
			assert_true(json_is_null(json_object_get(th, "stories")));
			assert_true(json_is_null(json_object_get(th, "share")));
			assert_int_equal(json_array_size(json_object_get(th, "terms")), 0);
			assert_int_equal(json_array_size(json_object_get(th, "closest")), 0);
		} else {
			assert_true(json_integer_value(json_object_get(th, "stories")) >= 10);
		}
	}
	assert_true(few > 0);
	json_decref(j);
}

static void bad(const char *more, int status, const char *detail)
{
	json_t *j = NULL;
	assert_int_equal(themes(more, &j), status);
	wt_expect_detail(j, more, detail);
}

static void test_api_bad_input(void **state)
{
	bad("k=1", 400, "k, k_min and k_max");
	bad("k=31", 400, "k, k_min and k_max");
	bad("k=abc", 400, "k, k_min and k_max");
	bad("k_min=9&k_max=4", 400, "k_min no more than k_max");
	bad("seed=-3", 400, "seed");
	bad("filter=wijk%20%3D", 400, "filter");
	bad("filter=wijk%20%3D%20west", 400, "west");
	/* 30 stories cannot make 20 themes of two */
	bad("k=20&filter=wijk%20%3D%20noord", 422, "too few stories");
	json_t *j = NULL;
	struct http_resp r;
	char p[128];
	snprintf(p, sizeof p, "/api/v1/collections/%lld/themes", coll_id);
	assert_int_equal(http_get(port, NULL, p, &r), 0);
	assert_int_equal(r.status, 401);
	http_free(&r);
	json_decref(j);
}

/* The page: computing in the background with a progress page that
 * refreshes, then the themes with their shares, words and links. */
static void test_page(void **state)
{
	char p[256];
	snprintf(p, sizeof p, "/verkennen/%lld/themas?k=3&filter=wijk%%20%%3D%%20zuid", coll_id);
	struct http_resp r;
	int tries = 0, shown = 0;
	while (tries++ < 200 && !shown) {
		assert_int_equal(who_get(&reader, p, &r), 200);
		if (wt_has(&r, "Themes found")) {
			shown = 1;
			assert_non_null(strstr(r.body, "Share of stories per theme"));
			assert_non_null(strstr(r.body, "<svg"));
			assert_non_null(strstr(r.body, "Words that stand out"));
			/* themes of a filter: their stories cannot be one filter */
			assert_null(strstr(r.body, "theme%20%3D"));
		} else {
			assert_non_null(strstr(r.body, "<progress"));
			assert_non_null(http_header(&r, "Refresh"));
			assert_non_null(strstr(r.body, "themas/stoppen"));
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		http_free(&r);
	}
	assert_true(shown);
	/* all stories, k chosen: each theme links to its stories, the filter
	 * "theme = N" */
	snprintf(p, sizeof p, "/verkennen/%lld/themas", coll_id);
	for (tries = 0, shown = 0; tries < 200 && !shown; tries++) {
		assert_int_equal(who_get(&reader, p, &r), 200);
		shown = wt_has(&r, "Themes found");
		if (shown)
			assert_true(wt_has(&r, "Read the stories of this theme"));
		http_free(&r);
		if (!shown) {
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	assert_true(shown);
	snprintf(p, sizeof p, "/verkennen/%lld/verhalen?filter=theme%%20%%3D%%202", coll_id);
	assert_int_equal(who_get(&reader, p, &r), 200);
	http_free(&r);
	json_t *j;
	assert_int_equal(themes("", &j), 200);
	json_decref(j);
	snprintf(p, sizeof p, "/api/v1/collections/%lld/analysis/count?filter=theme%%20%%3D%%201",
	         coll_id);
	assert_int_equal(who_get(&reader, p, &r), 200);
	assert_true(wt_has(&r, "\"n\":20,"));
	http_free(&r);
	/* bad input: a clear message, the form kept */
	snprintf(p, sizeof p, "/verkennen/%lld/themas?k=99", coll_id);
	assert_int_equal(who_get(&reader, p, &r), 400);
	assert_true(wt_has(&r, "Give a whole number from 2 to 30"));
	http_free(&r);
	snprintf(p, sizeof p, "/verkennen/%lld/themas?filter=wijk%%20%%3D", coll_id);
	assert_int_equal(who_get(&reader, p, &r), 400);
	http_free(&r);
	/* too few stories: said, not a crash */
	snprintf(p, sizeof p, "/verkennen/%lld/themas?k=30&filter=wijk%%20%%3D%%20zuid", coll_id);
	int st = 0;
	for (tries = 0; tries < 200; tries++) {
		st = who_get(&reader, p, &r);
		int busy = wt_has(&r, "<progress");
		http_free(&r);
		if (!busy)
			break;
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	assert_int_equal(st, 422);
}

/* The pattern finder's page after the themes of all stories were
 * computed (test_page): the waiting-list theme is the first group, named
 * by its words, and the page links to the themes. */
static void test_patterns_page(void **state)
{
	char p[256];
	snprintf(p, sizeof p, "/verkennen/%lld/patronen?uitkomst=geholpen", coll_id);
	struct http_resp r;
	assert_int_equal(who_get(&reader, p, &r), 200);
	const char *row = strstr(r.body, "vp-pattern-group");
	assert_non_null(row);
	const char *theme = strstr(row, "Theme ");
	assert_non_null(theme);
	assert_true(theme < strstr(row, "</th>"));
	/* named by the words of the waiting-list stories */
	char group[160];
	snprintf(group, sizeof group, "%.*s", (int)(strstr(row, "</th>") - theme), theme);
	assert_non_null(strstr(group, ": "));
	assert_true(strstr(group, "wachtlijst") || strstr(group, "indicatie") ||
	            strstr(group, "maanden"));
	assert_true(wt_has(&r, "filter=theme%20%3D%20"));
	assert_true(wt_has(&r, "Themes are among these groups"));
	char themes_href[64];
	snprintf(themes_href, sizeof themes_href, "href=\"/verkennen/%lld/themas\"", coll_id);
	assert_true(wt_has(&r, themes_href));
	http_free(&r);
	/* the API gives the same condition */
	snprintf(p, sizeof p, "/api/v1/collections/%lld/analysis/patterns?outcome=geholpen",
	         coll_id);
	assert_int_equal(who_get(&reader, p, &r), 200);
	assert_true(wt_has(&r, "\"themes\":3"));
	assert_true(wt_has(&r, "{\"question\":\"theme\",\"option\":\""));
	http_free(&r);
}

/* Stopping: with nothing running the page says so; the form needs its
 * token. */
static void test_stop(void **state)
{
	char p[128];
	snprintf(p, sizeof p, "/verkennen/%lld/themas/stoppen", coll_id);
	struct http_resp r;
	assert_int_equal(who_post(&reader, p, &r, "k", "4", "filter", "", NULL), 200);
	assert_true(wt_has(&r, "No computation was running") ||
	            wt_has(&r, "The computation stops"));
	http_free(&r);
	struct jar tmp = reader.jar;
	assert_int_equal(http_post_form(port, &tmp, p, "k=4", &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
}

/* A computation that runs is stopped by the button, and the page starts it
 * again when opened. */
static void test_stop_running(void **state)
{
	char p[128], stop[128];
	snprintf(p, sizeof p, "/verkennen/%lld/themas", big_id);
	snprintf(stop, sizeof stop, "/verkennen/%lld/themas/stoppen", big_id);
	struct http_resp r;
	assert_int_equal(who_get(&reader, p, &r), 200);
	assert_true(wt_has(&r, "<progress"));
	http_free(&r);
	assert_int_equal(who_post(&reader, stop, &r, "k", "", "filter", "", NULL), 200);
	assert_true(wt_has(&r, "The computation stops."));
	http_free(&r);
	int tries, shown = 0;
	for (tries = 0; tries < 500 && !shown; tries++) {
		assert_int_equal(who_get(&reader, p, &r), 200);
		shown = wt_has(&r, "Themes found");
		http_free(&r);
		if (!shown) {
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	assert_true(shown);
}

int main(void)
{
	log_set_enabled(0);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_api_finds_topics),
	        cmocka_unit_test(test_api_filter_and_small_groups),
	        cmocka_unit_test(test_api_bad_input),
	        cmocka_unit_test(test_page),
	        cmocka_unit_test(test_patterns_page),
	        cmocka_unit_test(test_stop),
	        cmocka_unit_test(test_stop_running),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
