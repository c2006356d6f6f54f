/* test_themes_rising.c: a theme as a question over HTTP: the measures take "theme" once the themes are computed (409 before), the cross-table of theme x district equals counting with "theme = N" filters, each theme's share compared between periods, and what is rising (the API's ?rising=1 and the themes page's table with links to each period's stories) puts the theme planted to rise first. */
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
#include "model/story.h"
#include "model/user.h"

#include <jansson.h>
#include <math.h>
#include <time.h>

#define READER_PW "reader password 123"

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"stijgers\",\"title\":{\"nl\":\"S\"},"
        "\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","
        "\"questions\":[{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"
        "{\"id\":\"wijk\",\"type\":\"choice\",\"text\":{\"nl\":\"Wijk\"},\"options\":["
        "{\"id\":\"noord\",\"label\":{\"nl\":\"Noord\"}},{\"id\":\"zuid\",\"label\":{\"nl\":"
        "\"Zuid\"}}]}]}]}";

/* The three topics of topics.h; a story is two of its topic's sentences
 * and one any story could have. */

/* 2025-Q3: 20 taxi, 20 waiting-list and 10 cleaning stories; 2025-Q4: 15,
 * 15 and 30: cleaning rises from 20% to 50%. */
static const int per_quarter[2][3] = {{20, 20, 10}, {15, 15, 30}};
#define Q3_START 1751328000 /* 2025-07-01 UTC */
#define Q4_START 1759276800 /* 2025-10-01 UTC */
enum { NSTORIES = 110, CLEANING = 2 };

static long long coll_id;
static struct who reader;
static int topic_of[NSTORIES + 1]; /* by story id */

static void seed(db *d, int64_t org)
{
	struct script *s = NULL;
	int64_t sid = wt_script(d, org, script_text, &s);
	char token[64];
	coll_id = wt_collection_for(d, org, sid, "Stijgers", "Wat stijgt", 3650, token);
	struct collection c;
	assert_int_equal(collection_by_token(d, token, &c), DB_ROW);
	int id = 0;
	for (int qu = 0; qu < 2; qu++)
		for (int t = 0; t < 3; t++)
			for (int j = 0; j < per_quarter[qu][t]; j++) {
				char uuid[40], text[400];
				id++;
				snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", id);
				topic_text(text, sizeof text, t, j, 1);
				json_t *b = json_pack(
				        "{sssssisss{s{ssssss}ss}}", "id", uuid, "channel", "web",
				        "script_version", 1, "language", "nl", "answers", "verhaal",
				        "prompt", "p", "title", "Mijn verhaal", "text", text,
				        "wijk", j % 2 ? "zuid" : "noord");
				struct story_submit st = {.collection = &c};
				st.created_at = (qu ? Q4_START : Q3_START) + 86400 * (j + 1);
				const char *msg = NULL;
				struct answer_error e = {0};
				if (story_prepare(&st, s, b, 0, &msg, &e))
					fail_msg("story %d: %s", id, msg ? msg : "?");
				st.created_at = (qu ? Q4_START : Q3_START) + 86400 * (j + 1);
				json_decref(b);
				assert_int_equal(story_submit_write(d, &st), 0);
				assert_int_equal(st.result, STORY_NEW);
				story_submit_free(&st);
				topic_of[id] = t; /* ids from 1 in a fresh database */
			}
	assert_int_equal(id, NSTORIES);
	script_free(s);
}

static int setup(void **state)
{
	return wt_serve_with_reader("themesrising", "Gemeente Stijgers", READER_PW, seed, &reader,
	                            "10.9.0.3");
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* GET path (after /api/v1/collections/{coll}/) as the reader: the status,
 * the document in *out (decref). */
static int api(const char *path, json_t **out)
{
	char p[512];
	snprintf(p, sizeof p, "/api/v1/collections/%lld/%s", coll_id, path);
	return who_get_json(&reader, p, out);
}

static void expect_error(const char *path, int status, const char *detail)
{
	json_t *j = NULL;
	assert_int_equal(api(path, &j), status);
	wt_expect_detail(j, path, detail);
}

/* Before any themes are computed, "theme" is no question yet: a clear
 * 409 that says how to compute them; then the same requests work. */
static void test_theme_question(void **state)
{
	expect_error("analysis/crosstab/theme/wijk", 409, "compute them first");
	expect_error("analysis/distribution/theme", 409, "compute them first");
	expect_error("analysis/compare/theme?a=period%20%3D%202025-Q3&b=period%20%3D%202025-Q4",
	             409, "compute them first");
	/* the explorer offers no themes to cross yet */
	char page[160];
	snprintf(page, sizeof page, "/verkennen/%lld?rij=theme&kolom=wijk", coll_id);
	struct http_resp hr;
	assert_int_equal(who_get(&reader, page, &hr), 400);
	assert_true(wt_has(&hr, "Choose two questions for the cross-table"));
	assert_false(wt_has(&hr, "<option value=\"theme\""));
	http_free(&hr);
	json_t *j;
	assert_int_equal(api("themes", &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "k")), 3);
	json_decref(j);
	/* now it does: the cross-table of the themes by district, each cell a
	 * link to its stories */
	assert_int_equal(who_get(&reader, page, &hr), 200);
	assert_true(wt_has(&hr, "<option value=\"theme\" selected>Themes</option>"));
	assert_true(wt_has(&hr, "Themes \u00d7 Wijk"));
	assert_true(wt_has(&hr, "theme%20%3D%201%20and%20wijk%20%3D%20noord"));
	http_free(&hr);

	json_t *x;
	assert_int_equal(api("analysis/crosstab/theme/wijk", &x), 200);
	assert_string_equal(json_string_value(json_object_get(x, "question")), "theme");
	assert_int_equal(json_integer_value(json_object_get(x, "n")), NSTORIES);
	assert_non_null(json_object_get(x, "residuals"));
	json_t *rows = json_object_get(x, "rows"), *cols = json_object_get(x, "columns");
	assert_int_equal(json_array_size(rows), 3);
	assert_int_equal(json_array_size(cols), 2);
	/* every cell is the count of "theme = N and wijk = W" */
	for (size_t i = 0; i < 3; i++)
		for (size_t k = 0; k < 2; k++) {
			char p[256];
			const char *opt =
			        json_string_value(json_object_get(json_array_get(cols, k), "id"));
			snprintf(p, sizeof p,
			         "analysis/"
			         "count?filter=theme%%20%%3D%%20%zu%%20and%%20wijk%%20%%3D%%20%s",
			         i + 1, opt);
			json_t *c;
			assert_int_equal(api(p, &c), 200);
			json_t *cell =
			        json_array_get(json_array_get(json_object_get(x, "counts"), i), k);
			assert_int_equal(json_integer_value(json_object_get(c, "n")),
			                 json_integer_value(cell));
			json_decref(c);
		}
	/* the rows are labelled by the themes' words */
	assert_true(strlen(json_string_value(json_object_get(json_array_get(rows, 0), "label"))) >
	            3);
	json_decref(x);

	/* the distribution of the themes: three options that add up */
	assert_int_equal(api("analysis/distribution/theme", &x), 200);
	json_int_t sum = 0;
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(x, "options"), i, o) sum +=
	        json_integer_value(json_object_get(o, "count"));
	assert_int_equal(sum, NSTORIES);
	json_decref(x);

	/* each theme's share in two periods */
	assert_int_equal(
	        api("analysis/compare/theme?a=period%20%3D%202025-Q3&b=period%20%3D%202025-Q4", &x),
	        200);
	assert_string_equal(json_string_value(json_object_get(x, "question")), "theme");
	assert_int_equal(json_array_size(json_object_get(x, "questions")), 3);
	json_array_foreach(json_object_get(x, "questions"), i, o)
	{
		assert_int_equal(json_integer_value(json_object_get(o, "n_a")), 50);
		assert_int_equal(json_integer_value(json_object_get(o, "n_b")), 60);
		assert_non_null(json_object_get(o, "difference"));
	}
	json_decref(x);
	/* a question that is not there is still a 404 */
	expect_error("analysis/crosstab/thema/wijk", 404, "no question thema");
}

/* The theme of the cleaning stories (by its closest stories). */
static int cleaning_theme(void)
{
	json_t *j;
	assert_int_equal(api("themes", &j), 200);
	size_t i;
	json_t *th;
	int found = 0;
	json_array_foreach(json_object_get(j, "themes"), i, th)
	{
		json_int_t s =
		        json_integer_value(json_array_get(json_object_get(th, "closest"), 0));
		if (topic_of[s] == CLEANING)
			found = (int)json_integer_value(json_object_get(th, "theme"));
	}
	json_decref(j);
	assert_true(found > 0);
	return found;
}

static void test_rising_api(void **state)
{
	int cleaning = cleaning_theme();
	json_t *j;
	assert_int_equal(api("themes?rising=1", &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "k")), 3);
	json_t *r = json_object_get(j, "rising");
	assert_non_null(r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "a"), "filter")),
	                    "period = 2025-Q3");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "b"), "filter")),
	                    "period = 2025-Q4");
	json_t *first = json_array_get(json_object_get(r, "rising"), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "theme")), cleaning);
	assert_int_equal(json_integer_value(json_object_get(first, "count_a")), 10);
	assert_int_equal(json_integer_value(json_object_get(first, "count_b")), 30);
	double d = json_number_value(json_object_get(first, "difference"));
	assert_true(fabs(d - 30.0) < 1e-6);
	assert_true(json_number_value(json_array_get(json_object_get(first, "ci"), 0)) > 0);
	assert_true(json_number_value(json_object_get(first, "q")) < 0.05);
	json_decref(j);
	/* periods given; rising only when asked */
	assert_int_equal(
	        api("themes?rising=1&a=period%20%3D%202025-07&b=period%20%3D%202025-Q4", &j), 200);
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(json_object_get(j, "rising"), "a"), "filter")),
	                    "period = 2025-07");
	json_decref(j);
	assert_int_equal(api("themes", &j), 200);
	assert_null(json_object_get(j, "rising"));
	json_decref(j);
	expect_error("themes?rising=1&a=period%20%3D%202025-Q3", 400, "give both periods");
	expect_error("themes?rising=1&a=period%20%3D%202025-Q9&b=period%20%3D%202025-Q4", 400,
	             "filter");
}

/* The themes page: the table of what is rising, the rising theme first,
 * its shares linking to its stories in each period. */
static void test_rising_page(void **state)
{
	int cleaning = cleaning_theme();
	char p[256];
	snprintf(p, sizeof p, "/verkennen/%lld/themas", coll_id);
	struct http_resp r;
	assert_int_equal(who_get(&reader, p, &r), 200);
	assert_true(wt_has(&r, "Themes found"));
	assert_true(wt_has(&r, "What is rising"));
	const char *table =
	        strstr(r.body, "<caption class=\"utrecht-table__caption\">What is rising");
	assert_non_null(table);
	const char *row = strstr(table, "scope=\"row\">");
	assert_non_null(row);
	char want[64];
	snprintf(want, sizeof want, "scope=\"row\">Theme %d: ", cleaning);
	assert_true(strncmp(row, want, strlen(want)) == 0);
	/* the later period's share links the theme's stories of that quarter */
	char link[160];
	snprintf(link, sizeof link, "period%%20%%3D%%202025-Q4%%20and%%20theme%%20%%3D%%20%d",
	         cleaning);
	assert_non_null(strstr(row, link));
	assert_non_null(strstr(row, "50%"));
	http_free(&r);
	/* the link opens those stories */
	snprintf(p, sizeof p, "/verkennen/%lld/verhalen?filter=%s", coll_id, link);
	assert_int_equal(who_get(&reader, p, &r), 200);
	http_free(&r);
	/* two periods the analyst picks */
	snprintf(p, sizeof p, "/verkennen/%lld/themas?a=2025-07&b=2025-Q4", coll_id);
	assert_int_equal(who_get(&reader, p, &r), 200);
	assert_true(wt_has(&r, "What is rising: 2025-07 against 2025-Q4"));
	http_free(&r);
	/* bad periods: said in the page, the themes still shown */
	snprintf(p, sizeof p, "/verkennen/%lld/themas?a=2025-Q9&b=2025-Q4", coll_id);
	assert_int_equal(who_get(&reader, p, &r), 200);
	assert_true(wt_has(&r, "Themes found"));
	assert_true(wt_has(&r, "What is rising could not be computed"));
	http_free(&r);
	snprintf(p, sizeof p, "/verkennen/%lld/themas?a=2025-Q3", coll_id);
	assert_int_equal(who_get(&reader, p, &r), 200);
	assert_true(wt_has(&r, "Give both periods, or leave both empty."));
	http_free(&r);
}

int main(void)
{
	log_set_enabled(0);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_theme_question),
	        cmocka_unit_test(test_rising_api),
	        cmocka_unit_test(test_rising_page),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
