/* test_explore_pages.c: the explorer page /verkennen/{id}: every chart type, the filter in the URL, bad filters, small groups, other organisations, escaping. */
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

/* A story question, a choice, a dyad, a triad, a 5-point scale, and a
 * choice whose texts carry markup (to be shown as text). */
#define SCRIPT_TEXT(KEY)                                                                         \
	"{\"format\":\"vertelpunt-script/1\",\"key\":\"" KEY                                     \
	"\",\"title\":{\"nl\":\"Verkennen\"},"                                                   \
	"\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","       \
	"\"questions\":["                                                                        \
	"{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"}," \
	"\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"                       \
	"{\"id\":\"situatie\",\"type\":\"choice\",\"text\":{\"nl\":\"Situatie\"},\"options\":["  \
	"{\"id\":\"alleen\",\"label\":{\"nl\":\"Alleen\"}},{\"id\":\"samen\",\"label\":{\"nl\":" \
	"\"Samen\"}}]},"                                                                         \
	"{\"id\":\"geholpen\",\"type\":\"dyad\",\"text\":{\"nl\":\"Geholpen?\"},\"poles\":["     \
	"{\"id\":\"niet\",\"label\":{\"nl\":\"Niet\"}},{\"id\":\"wel\",\"label\":{\"nl\":"       \
	"\"Wel\"}}]},"                                                                           \
	"{\"id\":\"steun\",\"type\":\"triad\",\"text\":{\"nl\":\"Steun\"},\"corners\":["         \
	"{\"id\":\"zelf\",\"label\":{\"nl\":\"Zelf\"}},{\"id\":\"netwerk\",\"label\":{\"nl\":"   \
	"\"Netwerk\"}},{\"id\":\"gemeente\",\"label\":{\"nl\":\"Gemeente\"}}]},"                 \
	"{\"id\":\"tevreden\",\"type\":\"scale\",\"text\":{\"nl\":\"Tevreden\"},\"points\":5,"   \
	"\"low\":{\"nl\":\"Niet\"},\"high\":{\"nl\":\"Heel\"}},"                                 \
	"{\"id\":\"wijk\",\"type\":\"choice\",\"text\":{\"nl\":\"<b>Wijk</b>\"},\"options\":["   \
	"{\"id\":\"noord\",\"label\":{\"nl\":\"<script>alert(1)</script>\"}},{\"id\":\"zuid\","  \
	"\"label\":{\"nl\":\"Zuid & \\\"co\\\"\"}}]}"                                            \
	"]}]}"

/* 40 stories: situatie alleen for even i (20), samen for odd; geholpen
 * 25 for i < 20, else 75; steun moves from "zelf" to "gemeente" with i;
 * tevreden 1 when i % 8 == 0 (5 stories, all alleen: too few), else 4;
 * wijk noord for i < 30; every fourth at the kiosk, the others online. */
enum { NSTORIES = 40 };

static long long coll_id, other_id;

/* The stories, stored through the model as every channel stores them. */
static void seed_stories(db *d, const char *token, const char *script_text)
{
	struct collection c;
	assert_int_equal(collection_by_token(d, token, &c), DB_ROW);
	char err[256];
	struct script *s = script_parse_text(script_text, strlen(script_text), err, sizeof err);
	assert_non_null(s);
	for (int i = 0; i < NSTORIES; i++) {
		char uuid[40];
		snprintf(uuid, sizeof uuid, "cccccccc-0000-4000-8000-%012d", i);
		double z = i / (double)(NSTORIES - 1);
		json_t *body = json_pack(
		        "{s:s, s:s, s:i, s:{s:{s:s, s:s, s:s}, s:s, s:f, s:[f,f,f], s:i, s:s}}",
		        "id", uuid, "channel", i % 4 == 0 ? "kiosk" : "web", "script_version", 1,
		        "answers", "verhaal", "prompt", "p", "title", "Verhaal", "text",
		        "Een verhaal.", "situatie", i % 2 ? "samen" : "alleen", "geholpen",
		        i < 20 ? 25.0 : 75.0, "steun", 0.8 * (1 - z) + 0.05, 0.1, 0.8 * z + 0.05,
		        "tevreden", i % 8 == 0 ? 1 : 4, "wijk", i < 30 ? "noord" : "zuid");
		struct story_submit st = {.collection = &c};
		const char *msg = NULL;
		struct answer_error e;
		int rc = story_prepare(&st, s, body, 0, &msg, &e);
		if (rc)
			print_message("story %d: %d %s\n", i, rc, msg ? msg : "");
		assert_int_equal(rc, 0);
		assert_int_equal(story_submit_write(d, &st), 0);
		assert_int_equal(st.result, STORY_NEW);
		story_submit_free(&st);
		json_decref(body);
	}
	script_free(s);
}

static struct jar reader;
static struct app_config config;

static int setup(void **state)
{
	db *d = fixture_open("explore");
	int64_t org, other;
	if (!d || org_ensure(d, "Gemeente Verkennen", &org) != DB_OK ||
	    org_ensure(d, "Gemeente Anders", &other) != DB_OK)
		return -1;
	if (fixture_user(d, org, "lezer", "Lex Lezer", ROLE_MEELEZER, READER_PW, 0) <= 0)
		return -1;
	char token[40];
	int64_t sid = wt_script(d, org, SCRIPT_TEXT("verkennen"), NULL);
	coll_id =
	        wt_collection_for(d, org, sid, "Open <verhalen>", "Verkennen testen", 3650, token);
	seed_stories(d, token, SCRIPT_TEXT("verkennen"));
	int64_t osid = wt_script(d, other, SCRIPT_TEXT("anders"), NULL);
	other_id = wt_collection_for(d, other, osid, "Anders", "Verkennen testen", 3650, NULL);
	fixture_config(&config);
	config.analysis_min_group = 10;
	if (fixture_start(d, &config) != 0)
		return -1;
	wt_login(&reader, "lezer", READER_PW, "10.9.0.1", NULL);
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* ---- requests -------------------------------------------------------------- */

/* GET /verkennen/<id>[?filter=...] as the reader; the status, and the
 * body (malloc'ed) in *body. */
static int get_page(long long id, const char *filter, char **body)
{
	buf p;
	buf_init(&p);
	buf_printf(&p, "/verkennen/%lld", id);
	if (filter) {
		buf_puts(&p, "?filter=");
		wt_enc(&p, filter);
	}
	struct jar tmp = reader;
	struct http_resp r;
	assert_int_equal(http_get(port, &tmp, p.data, &r), 0);
	buf_free(&p);
	int st = r.status;
	*body = strndup(r.body ? r.body : "", r.body_len);
	http_free(&r);
	return st;
}

/* The number in <strong ... id="verhalen-aantal">N</strong>, or -1. */
static long count_in(const char *body)
{
	const char *p = strstr(body, "id=\"verhalen-aantal\">");
	return p ? strtol(p + strlen("id=\"verhalen-aantal\">"), NULL, 10) : -1;
}

/* The part of the page for question q (its <section> up to the next). */
static char *section_of(const char *body, const char *q)
{
	char id[64];
	snprintf(id, sizeof id, "id=\"v-%s\"", q);
	const char *p = strstr(body, id);
	if (!p)
		return NULL;
	const char *e = strstr(p, "</section>");
	return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

static int too_few_shown(const char *s)
{
	return strstr(s, "vp-chart-too-few") &&
	       (strstr(s, "Te weinig verhalen") || strstr(s, "Too few stories"));
}

/* ---- tests ----------------------------------------------------------------- */

static void test_every_chart(void **state)
{
	char *body;
	assert_int_equal(get_page(coll_id, NULL, &body), 200);
	assert_int_equal(count_in(body), NSTORIES);
	/* per channel: 10 at the kiosk, 30 online */
	assert_non_null(strstr(body, "vp-explore-channels"));
	/* the triad: a ternary plot with its 40 points (few stories), mean and
	 * confidence region */
	char *s = section_of(body, "steun");
	assert_non_null(s);
	assert_non_null(strstr(s, "class=\"vp-chart-frame\""));
	const char *p = s;
	int points = 0;
	while ((p = strstr(p, "class=\"vp-chart-point\"")))
		points++, p++;
	assert_int_equal(points, NSTORIES);
	assert_non_null(strstr(s, "class=\"vp-chart-mean\""));
	assert_non_null(strstr(s, "class=\"vp-chart-ci\""));
	assert_non_null(strstr(s, ">Zelf</text>"));
	assert_non_null(strstr(s, "<details"));
	free(s);
	/* the dyad: a histogram, a bin a link */
	s = section_of(body, "geholpen");
	assert_non_null(s);
	assert_non_null(strstr(s, "class=\"vp-chart-bar\""));
	assert_non_null(strstr(s, "<desc>"));
	free(s);
	/* the scale: a histogram of its points */
	s = section_of(body, "tevreden");
	assert_non_null(s);
	assert_non_null(strstr(s, "class=\"vp-chart-bar\""));
	free(s);
	/* the choice: bars with intervals, each a link to its stories; the
	 * figures table has those and the link that narrows the view */
	s = section_of(body, "situatie");
	assert_non_null(s);
	assert_non_null(strstr(s, "class=\"vp-chart-whisker\""));
	char want[200];
	snprintf(want, sizeof want,
	         "<a href=\"/verkennen/%lld/verhalen?filter=situatie%%20%%3D%%20alleen\">",
	         coll_id);
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof want,
	         "class=\"utrecht-link vp-chart-narrow\" "
	         "href=\"/verkennen/%lld?filter=situatie%%20%%3D%%20alleen#v-situatie\">",
	         coll_id);
	assert_non_null(strstr(s, want));
	/* its figures in a table */
	assert_non_null(strstr(s, "<table class=\"utrecht-table\">"));
	assert_non_null(strstr(s, ">Alleen</th>"));
	assert_non_null(strstr(s, ">20</td>"));
	free(s);
	/* the story question has one prompt: no chart */
	assert_null(strstr(body, "id=\"v-verhaal\""));
	free(body);
}

static void test_filter_narrows(void **state)
{
	char *body;
	assert_int_equal(get_page(coll_id, "situatie = alleen", &body), 200);
	assert_int_equal(count_in(body), 20);
	/* the field holds the filter */
	assert_non_null(strstr(body, "name=\"filter\""));
	assert_non_null(strstr(body, "value=\"situatie = alleen\""));
	/* a chart's link adds to it */
	char want[200];
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld?filter=situatie%%20%%3D%%20alleen%%20and%%20wijk%%20%%3D%%"
	         "20noord#v-wijk\"",
	         coll_id);
	assert_non_null(strstr(body, want));
	free(body);
	/* a filter of a dyad and of the channel */
	assert_int_equal(get_page(coll_id, "geholpen >= 50 and channel = web", &body), 200);
	assert_int_equal(count_in(body), 15); /* i = 20..39 without 20, 24, 28, 32, 36 */
	free(body);
	/* an empty filter is every story */
	assert_int_equal(get_page(coll_id, "", &body), 200);
	assert_int_equal(count_in(body), NSTORIES);
	free(body);
}

static void test_bad_filter(void **state)
{
	static const char *const bad[] = {
	        "situatie = ",         "situatie = alleen and", "nee = 1",
	        "((situatie = alleen", "geholpen >= veel",      "\"",
	        "steun[zelf] > 2x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *body;
		int st = get_page(coll_id, bad[i], &body);
		if (st != 400)
			print_message("%s: %d\n", bad[i], st);
		assert_int_equal(st, 400);
		/* the parser's message with its position, in an error summary
		 * linked to the field, which is marked invalid */
		assert_non_null(strstr(body, "class=\"vp-error-summary\""));
		assert_non_null(strstr(body, "href=\"#filter\""));
		assert_non_null(strstr(body, "at "));
		assert_non_null(strstr(body, "aria-invalid=\"true\""));
		/* no chart for a filter that means nothing */
		assert_null(strstr(body, "<svg"));
		free(body);
	}
	/* the typed text comes back in the field, escaped */
	char *body;
	get_page(coll_id, "wijk = \"<script>\"", &body);
	assert_null(strstr(body, "<script>"));
	assert_non_null(strstr(body, "&lt;script&gt;"));
	free(body);
	/* a very long filter: 400, not a crash */
	char longf[2100];
	memset(longf, 'a', sizeof longf - 1);
	longf[sizeof longf - 1] = 0;
	assert_int_equal(get_page(coll_id, longf, &body), 400);
	free(body);
}

static void test_not_found(void **state)
{
	char *body;
	assert_int_equal(get_page(other_id, NULL, &body), 404);
	free(body);
	assert_int_equal(get_page(999999, NULL, &body), 404);
	free(body);
	struct jar tmp = reader;
	struct http_resp r;
	assert_int_equal(http_get(port, &tmp, "/verkennen/abc", &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
	/* not logged in: to the login page */
	struct jar anon;
	memset(&anon, 0, sizeof anon);
	snprintf(anon.ip, sizeof anon.ip, "10.9.0.2");
	char path[64];
	snprintf(path, sizeof path, "/verkennen/%lld", coll_id);
	assert_int_equal(http_get(port, &anon, path, &r), 0);
	assert_true(r.status == 303 || r.status == 302 || r.status == 401);
	http_free(&r);
}

static void test_too_few(void **state)
{
	char *body;
	/* 5 stories: too few for any figure */
	assert_int_equal(get_page(coll_id, "situatie = alleen and tevreden = 1", &body), 200);
	assert_true(too_few_shown(body));
	assert_int_equal(count_in(body), -1);
	assert_null(strstr(body, "<svg"));
	free(body);
	/* 10 stories (wijk zuid): the count, and a chart per question with
	 * its own small cells hidden */
	assert_int_equal(get_page(coll_id, "wijk = zuid", &body), 200);
	assert_int_equal(count_in(body), 10);
	char *s = section_of(body, "situatie");
	assert_non_null(s);
	/* 5 and 5: each too few to show */
	assert_true(strstr(s, "too few") || strstr(s, "te weinig"));
	free(s);
	free(body);
}

static void test_escaping(void **state)
{
	char *body;
	assert_int_equal(get_page(coll_id, NULL, &body), 200);
	assert_null(strstr(body, "<script>alert"));
	assert_null(strstr(body, "<b>Wijk"));
	assert_non_null(strstr(body, "&lt;b&gt;Wijk&lt;/b&gt;"));
	assert_non_null(strstr(body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(body, "Zuid &amp; &quot;co&quot;"));
	assert_non_null(strstr(body, "Open &lt;verhalen&gt;"));
	free(body);
}

/* GET with a query taken as it is (already encoded). */
static int get_raw(const char *query, char **body)
{
	char path[512];
	snprintf(path, sizeof path, "/verkennen/%lld%s", coll_id, query);
	struct jar tmp = reader;
	struct http_resp r;
	assert_int_equal(http_get(port, &tmp, path, &r), 0);
	int st = r.status;
	*body = strndup(r.body ? r.body : "", r.body_len);
	http_free(&r);
	return st;
}

static void test_crosstab(void **state)
{
	char *body;
	/* situatie x wijk: alleen/noord 15, samen/noord 15, 5 and 5 in zuid */
	assert_int_equal(get_raw("?rij=situatie&kolom=wijk", &body), 200);
	const char *p = strstr(body, "id=\"kruistabel\"");
	assert_non_null(p);
	assert_non_null(strstr(p, "class=\"vp-heat vp-heat--"));
	/* every cell says its count and residual: colour is not the only carrier */
	assert_non_null(strstr(p, ">15 ("));
	assert_non_null(strstr(p, "class=\"vp-heat vp-heat--na\""));
	/* the labels are escaped */
	assert_non_null(strstr(p, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	/* a cell opens the stories of both conditions */
	char want[256];
	snprintf(
	        want, sizeof want,
	        "href=\"/verkennen/%lld/verhalen?filter=situatie%%20%%3D%%20alleen%%20and%%20wijk%%"
	        "20%%3D%%20noord\"",
	        coll_id);
	assert_non_null(strstr(body, want));
	/* the selects keep the choice */
	assert_non_null(strstr(body, "<option value=\"situatie\" selected>"));
	assert_non_null(strstr(body, "<option value=\"wijk\" selected>"));
	free(body);
	/* with a filter: the table narrows too */
	assert_int_equal(get_raw("?filter=wijk%20%3D%20noord&rij=situatie&kolom=wijk", &body), 200);
	assert_int_equal(count_in(body), 30);
	assert_non_null(strstr(body, "id=\"kruistabel\""));
	free(body);
	/* one question, an unknown one, or one that is not categorical: 400 */
	static const char *const bad[] = {"?rij=situatie",           "?kolom=wijk",
	                                  "?rij=nee&kolom=wijk",     "?rij=geholpen&kolom=wijk",
	                                  "?rij=verhaal&kolom=wijk", "?rij=%3Cb%3E&kolom=wijk"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(get_raw(bad[i], &body), 400);
		assert_non_null(strstr(body, "class=\"vp-error-summary\""));
		assert_non_null(strstr(body, "href=\"#rij\""));
		assert_null(strstr(body, "<svg"));
		assert_null(strstr(body, "<b>"));
		free(body);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_chart), cmocka_unit_test(test_filter_narrows),
	        cmocka_unit_test(test_bad_filter),  cmocka_unit_test(test_not_found),
	        cmocka_unit_test(test_too_few),     cmocka_unit_test(test_escaping),
	        cmocka_unit_test(test_crosstab),
	};
	return cmocka_run_group_tests_name("explore_pages", tests, setup, teardown);
}
