/* test_explore_more.c: the explorer's pattern finder (/verkennen/{id}/patronen) and comparison of two groups (/verkennen/{id}/vergelijken). */
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
#include "model/script_store.h"
#include "model/story.h"
#include "model/user.h"

#include <jansson.h>
#include <string.h>

#define READER_PW "reader password 123"

/* A story, two choices (one with markup in its texts), a dyad and a
 * 5-point scale. */
#define SCRIPT_TEXT(KEY)                                                                           \
	"{\"format\":\"vertelpunt-script/1\",\"key\":\"" KEY "\",\"title\":{\"nl\":\"Patronen\"}," \
	"\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","         \
	"\"questions\":["                                                                          \
	"{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"   \
	"\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"                         \
	"{\"id\":\"situatie\",\"type\":\"choice\",\"text\":{\"nl\":\"Situatie\"},\"options\":["    \
	"{\"id\":\"alleen\",\"label\":{\"nl\":\"Woont alleen\"}},{\"id\":\"samen\",\"label\":"     \
	"{\"nl\":\"Woont samen\"}}]},"                                                             \
	"{\"id\":\"wijk\",\"type\":\"choice\",\"text\":{\"nl\":\"<b>Wijk</b>\"},\"options\":["     \
	"{\"id\":\"noord\",\"label\":{\"nl\":\"<i>Noord</i>\"}},{\"id\":\"zuid\","                 \
	"\"label\":{\"nl\":\"Zuid\"}}]},"                                                          \
	"{\"id\":\"geholpen\",\"type\":\"dyad\",\"text\":{\"nl\":\"Geholpen?\"},\"poles\":["       \
	"{\"id\":\"niet\",\"label\":{\"nl\":\"Niet\"}},{\"id\":\"wel\",\"label\":{\"nl\":"         \
	"\"Wel\"}}]},"                                                                             \
	"{\"id\":\"tevreden\",\"type\":\"scale\",\"text\":{\"nl\":\"Tevreden\"},\"points\":5,"     \
	"\"low\":{\"nl\":\"Niet\"},\"high\":{\"nl\":\"Heel\"}}"                                    \
	"]}]}"

/* 80 stories: situatie alleen for even i, wijk noord when (i / 2) is even:
 * 20 stories alleen in noord, and those (the planted subgroup) answer
 * geholpen 90; the others 30 + 3 * (i % 7). tevreden 1 + i % 5. */
enum { NSTORIES = 80 };

static long long coll_id, other_id;

static void seed_stories(db *d, const char *token, const char *script_text)
{
	struct collection c;
	assert_int_equal(collection_by_token(d, token, &c), DB_ROW);
	char err[256];
	struct script *s = script_parse_text(script_text, strlen(script_text), err, sizeof err);
	assert_non_null(s);
	for (int i = 0; i < NSTORIES; i++) {
		char uuid[40];
		snprintf(uuid, sizeof uuid, "dddddddd-0000-4000-8000-%012d", i);
		int alleen = i % 2 == 0, noord = (i / 2) % 2 == 0;
		json_t *body = json_pack(
		        "{s:s, s:s, s:i, s:{s:{s:s, s:s, s:s}, s:s, s:s, s:f, s:i}}", "id", uuid,
		        "channel", "web", "script_version", 1, "answers", "verhaal", "prompt", "p",
		        "title", "Verhaal", "text", "Een verhaal.", "situatie",
		        alleen ? "alleen" : "samen", "wijk", noord ? "noord" : "zuid", "geholpen",
		        alleen && noord ? 90.0 : 30.0 + 3 * (i % 7), "tevreden", 1 + i % 5);
		struct story_submit st = {.collection = &c};
		const char *msg = NULL;
		struct answer_error e;
		int rc = story_prepare(&st, s, body, 0, &msg, &e);
		if (rc)
			print_message("story %d: %d %s\n", i, rc, msg ? msg : "");
		assert_int_equal(rc, 0);
		assert_int_equal(story_submit_write(d, &st), 0);
		story_submit_free(&st);
		json_decref(body);
	}
	script_free(s);
}

static struct jar reader;
static struct app_config config;

static int setup(void **state)
{
	db *d = fixture_open("explore_more");
	int64_t org, other;
	if (!d || org_ensure(d, "Gemeente Patronen", &org) != DB_OK ||
	    org_ensure(d, "Gemeente Anders", &other) != DB_OK)
		return -1;
	if (fixture_user(d, org, "lezer", "Lex Lezer", ROLE_MEELEZER, READER_PW, 0) <= 0)
		return -1;
	char token[40];
	int64_t sid = wt_script(d, org, SCRIPT_TEXT("patronen"), NULL);
	coll_id = wt_collection_for(d, org, sid, "Patronen", "Patronen testen", 3650, token);
	seed_stories(d, token, SCRIPT_TEXT("patronen"));
	int64_t osid = wt_script(d, other, SCRIPT_TEXT("anders"), NULL);
	other_id = wt_collection_for(d, other, osid, "Anders", "Patronen testen", 3650, NULL);
	fixture_config(&config);
	config.analysis_min_group = 10;
	if (fixture_start(d, &config) != 0)
		return -1;
	wt_login(&reader, "lezer", READER_PW, "10.9.1.1", NULL);
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* GET /verkennen/<id>/<page><query> as the reader; the status, and the
 * body (malloc'ed) in *body. */
static int get(long long id, const char *page, const char *query, char **body)
{
	char path[512];
	snprintf(path, sizeof path, "/verkennen/%lld/%s%s", id, page, query ? query : "");
	struct jar tmp = reader;
	struct http_resp r;
	assert_int_equal(http_get(port, &tmp, path, &r), 0);
	int st = r.status;
	*body = strndup(r.body ? r.body : "", r.body_len);
	http_free(&r);
	return st;
}

/* A row marked in words as unlikely to be chance (Dutch once
 * po/pending/explorer2.json is merged, English before). */
static int marked(const char *row)
{
	return strstr(row, "waarschijnlijk geen toeval") || strstr(row, "probably not chance");
}

/* ---- tests ----------------------------------------------------------------- */

static void test_links_from_explorer(void **state)
{
	char path[64], want[80];
	snprintf(path, sizeof path, "/verkennen/%lld", coll_id);
	struct jar tmp = reader;
	struct http_resp r;
	assert_int_equal(http_get(port, &tmp, path, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(want, sizeof want, "href=\"/verkennen/%lld/patronen\"", coll_id);
	assert_true(wt_has(&r, want));
	snprintf(want, sizeof want, "href=\"/verkennen/%lld/vergelijken\"", coll_id);
	assert_true(wt_has(&r, want));
	http_free(&r);
}

static void test_patterns(void **state)
{
	char *body;
	/* no outcome yet: the choice, with only dyad, scale and number questions */
	assert_int_equal(get(coll_id, "patronen", NULL, &body), 200);
	assert_non_null(strstr(body, "<option value=\"geholpen\""));
	assert_non_null(strstr(body, "<option value=\"tevreden\""));
	assert_null(strstr(body, "<option value=\"situatie\""));
	assert_null(strstr(body, "class=\"vp-pattern\""));
	free(body);

	assert_int_equal(get(coll_id, "patronen", "?uitkomst=geholpen", &body), 200);
	assert_non_null(strstr(body, "<option value=\"geholpen\" selected>"));
	/* the first row is the planted subgroup, in words, with its link */
	const char *row = strstr(body, "vp-pattern\"");
	assert_non_null(row);
	const char *end = strstr(row, "</tr>");
	assert_non_null(end);
	char *first = strndup(row, (size_t)(end - row));
	assert_non_null(strstr(first, ">Situatie: Woont alleen<br>"));
	assert_non_null(strstr(first, "&lt;b&gt;Wijk&lt;/b&gt;: &lt;i&gt;Noord&lt;/i&gt;"));
	char want[160];
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld?filter=situatie%%20%%3D%%20alleen%%20and%%20wijk%%20%%3D%%"
	         "20noord\"",
	         coll_id);
	if (!strstr(first, want))
		print_message("first row: %s\n", first);
	assert_non_null(strstr(first, want));
	assert_true(strstr(first, "Bekijk deze verhalen") || strstr(first, "See these stories"));
	assert_true(marked(first));
	assert_non_null(strstr(first, "<svg"));
	free(first);
	assert_null(strstr(body, "<b>"));
	assert_null(strstr(body, "<i>"));
	free(body);

	/* within a filter where the difference cannot show: too few */
	assert_int_equal(
	        get(coll_id, "patronen",
	            "?uitkomst=geholpen&filter=situatie%20%3D%20samen%20and%20wijk%20%3D%20zuid",
	            &body),
	        200);
	assert_null(strstr(body, "vp-pattern\""));
	assert_non_null(strstr(body, "vp-chart-too-few"));
	free(body);
}

static void test_compare(void **state)
{
	char *body;
	assert_int_equal(get(coll_id, "vergelijken",
	                     "?a=situatie%20%3D%20alleen&b=situatie%20%3D%20samen", &body),
	                 200);
	assert_non_null(strstr(body, "id=\"n-a\">40<"));
	assert_non_null(strstr(body, "id=\"n-b\">40<"));
	/* every question but the story, once */
	static const char *const qs[] = {"geholpen", "tevreden", "wijk"};
	for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
		char want[64];
		snprintf(want, sizeof want, "data-question=\"%s\"", qs[i]);
		const char *p = strstr(body, want);
		assert_non_null(p);
		assert_null(strstr(p + 1, want));
	}
	assert_null(strstr(body, "data-question=\"verhaal\""));
	/* largest first: geholpen differs most; marked in words */
	const char *g = strstr(body, "data-question=\"geholpen\"");
	assert_true(g < strstr(body, "data-question=\"tevreden\""));
	const char *e = strstr(g, "</tr>");
	char *row = strndup(g, (size_t)(e - g));
	assert_true(marked(row));
	free(row);
	e = strstr(body, "data-question=\"tevreden\"");
	row = strndup(e, (size_t)(strstr(e, "</tr>") - e));
	assert_false(marked(row));
	free(row);
	assert_null(strstr(body, "<b>"));
	free(body);
	/* no groups given: last year against this year, filled in */
	assert_int_equal(get(coll_id, "vergelijken", NULL, &body), 200);
	assert_non_null(strstr(body, "value=\"period = 20"));
	free(body);
}

static void test_bad_input(void **state)
{
	char *body;
	static const char *const bad[][2] = {
	        {"patronen", "?uitkomst=nee"},
	        {"patronen", "?uitkomst=situatie"},
	        {"patronen", "?uitkomst=%3Cb%3E"},
	        {"patronen", "?uitkomst=geholpen&filter=wijk%20%3D%20"},
	        {"patronen", "?uitkomst=geholpen&filter=nee%20%3D%20x"},
	        {"vergelijken", "?a=wijk%20%3D&b=wijk%20%3D%20zuid"},
	        {"vergelijken", "?a=wijk%20%3D%20noord&b=%3Cb%3E%20%3D%201"},
	        {"vergelijken", "?a=&b=wijk%20%3D%20zuid"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(get(coll_id, bad[i][0], bad[i][1], &body), 400);
		assert_non_null(strstr(body, "class=\"vp-error-summary\""));
		assert_non_null(strstr(body, "aria-invalid=\"true\""));
		assert_null(strstr(body, "<b>"));
		assert_null(strstr(body, "<table"));
		free(body);
	}
	/* the second group's error points at the second field */
	assert_int_equal(
	        get(coll_id, "vergelijken", "?a=wijk%20%3D%20noord&b=nee%20%3D%201", &body), 400);
	assert_non_null(strstr(body, "href=\"#b\""));
	free(body);
}

static void test_not_found(void **state)
{
	char *body;
	const char *pages[] = {"patronen", "vergelijken"};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(get(other_id, pages[i], "?uitkomst=geholpen", &body), 404);
		free(body);
		assert_int_equal(get(999999, pages[i], NULL, &body), 404);
		free(body);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_links_from_explorer),
	        cmocka_unit_test(test_patterns),
	        cmocka_unit_test(test_compare),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_not_found),
	};
	return cmocka_run_group_tests_name("explore_more", tests, setup, teardown);
}
