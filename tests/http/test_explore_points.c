/* test_explore_points.c: pin and stones questions in the explorer: both charts with their tables on /verkennen/{id}, too few stories, the SVG and PNG downloads with the picture, and the points measure in the API. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "gen/embedded.h"
#include "model/collection.h"
#include "model/script_store.h"
#include "model/story.h"
#include "model/upload.h"
#include "model/user.h"

#include <jansson.h>
#include <string.h>

#define READER_PW "reader password 123"

/* A story, a choice, a pin on the uploaded picture and three stones. */
static const char script_fmt[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"%s\",\"title\":{\"nl\":\"Plekken\"},"
        "\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","
        "\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"
        "{\"id\":\"groep\",\"type\":\"choice\",\"text\":{\"nl\":\"Groep\"},\"options\":["
        "{\"id\":\"a\",\"label\":{\"nl\":\"A\"}},{\"id\":\"b\",\"label\":{\"nl\":\"B\"}}]},"
        "{\"id\":\"plek\",\"type\":\"pin\",\"not_applicable\":true,\"text\":{\"nl\":\"Waar "
        "op de kaart?\"},\"image\":\"%s\"},"
        "{\"id\":\"stenen\",\"type\":\"stones\",\"text\":{\"nl\":\"Leg de stenen\"},"
        "\"stones\":[{\"id\":\"buren\",\"label\":{\"nl\":\"Buren\"}},{\"id\":\"winkels\","
        "\"label\":{\"nl\":\"Winkels\"}},{\"id\":\"groen\",\"label\":{\"nl\":\"<i>Groen</i>\"}}],"
        "\"x\":{\"label\":{\"nl\":\"Invloed\"},\"low\":{\"nl\":\"Weinig\"},\"high\":{\"nl\":"
        "\"Veel\"}},\"y\":{\"label\":{\"nl\":\"Belang\"},\"low\":{\"nl\":\"Laag\"},\"high\":"
        "{\"nl\":\"Hoog\"}}}"
        "]}]}";

/* 24 stories: groep a for i < 20 (20), b for the rest (4); a pin at
 * (5, 5) for i < 12, (55, 35) for the others except i = 23 (not
 * applicable); buren at (20, 80) and winkels at (70, 30) in every story,
 * groen only in 3 (too few to show). */
enum { NSTORIES = 24 };

static long long coll_id, small_id;
static char upload_token[UPLOAD_TOKEN_LEN + 1];
static struct jar reader;
static struct app_config config;

/* small: only the first 3 stories answer the pin and the stones (the pin
 * "not applicable" and the stones left out in the others). */
static void seed(db *d, const char *token, const char *text, int n, int small)
{
	struct collection c;
	assert_int_equal(collection_by_token(d, token, &c), DB_ROW);
	char err[256];
	struct script *s = script_parse_text(text, strlen(text), err, sizeof err);
	assert_non_null(s);
	static int next;
	for (int i = 0; i < n; i++) {
		char uuid[40];
		snprintf(uuid, sizeof uuid, "dddddddd-0000-4000-8000-%012d", ++next);
		json_t *stones =
		        json_pack("{s:[i,i], s:[i,i]}", "buren", 20, 80, "winkels", 70, 30);
		if (i < 3)
			json_object_set_new(stones, "groen", json_pack("[i,i]", 50, 50));
		json_t *pin = i == 23 || (small && i >= 3) ? json_null()
		              : i < 12                     ? json_pack("{s:i, s:i}", "x", 5, "y", 5)
		                       : json_pack("{s:i, s:i}", "x", 55, "y", 35);
		json_t *body = json_pack("{s:s, s:s, s:i, s:{s:{s:s, s:s}, s:s, s:o}}", "id", uuid,
		                         "channel", "web", "script_version", 1, "answers",
		                         "verhaal", "prompt", "p", "text", "Een verhaal.", "groep",
		                         i < 20 ? "a" : "b", "plek", pin);
		if (small && i >= 3)
			json_decref(stones);
		else
			json_object_set_new(json_object_get(body, "answers"), "stenen", stones);
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

static int setup(void **state)
{
	db *d = fixture_open("explore_points");
	int64_t org;
	if (!d || org_ensure(d, "Gemeente Plekken", &org) != DB_OK)
		return -1;
	if (fixture_user(d, org, "lezer", "Lex Lezer", ROLE_MEELEZER, READER_PW, 0) <= 0)
		return -1;
	/* the picture: the script library's map, stored as an upload 300 x 150 */
	const struct embedded_file *png = wt_library_png();
	assert_non_null(png);
	char updir[300], err[256];
	snprintf(updir, sizeof updir, "%s/uploads", dir);
	struct upload u = {.org_id = org, .bytes = (int64_t)png->len, .width = 300, .height = 150};
	upload_new_token(u.token);
	snprintf(u.original_name, sizeof u.original_name, "kaart.png");
	snprintf(u.content_type, sizeof u.content_type, "image/png");
	snprintf(u.blake2b, sizeof u.blake2b, "%064d", 0);
	assert_int_equal(upload_file_store(updir, u.token, png->data, png->len, err, sizeof err),
	                 0);
	assert_int_equal(upload_insert(d, &u), DB_OK);
	snprintf(upload_token, sizeof upload_token, "%s", u.token);

	char text[4096], token[40];
	snprintf(text, sizeof text, script_fmt, "plekken", upload_token);
	int64_t sid = wt_script(d, org, text, NULL);
	coll_id = wt_collection_for(d, org, sid, "Plekken", "Verkennen testen", 3650, token);
	seed(d, token, text, NSTORIES, 0);
	small_id = wt_collection_for(d, org, sid, "Weinig", "Verkennen testen", 3650, token);
	seed(d, token, text, 12, 1);
	fixture_config(&config);
	config.analysis_min_group = 10;
	if (fixture_start(d, &config) != 0)
		return -1;
	wt_login(&reader, "lezer", READER_PW, "10.9.0.1", "en");
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

static int get(const char *path, struct http_resp *r)
{
	struct jar tmp = reader;
	assert_int_equal(http_get(port, &tmp, path, r), 0);
	return r->status;
}

static char *page(long long id, const char *filter)
{
	buf p;
	buf_init(&p);
	buf_printf(&p, "/verkennen/%lld", id);
	if (filter) {
		buf_puts(&p, "?filter=");
		wt_enc(&p, filter);
	}
	struct http_resp r;
	assert_int_equal(get(p.data, &r), 200);
	buf_free(&p);
	char *body = strndup(r.body ? r.body : "", r.body_len);
	http_free(&r);
	return body;
}

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

static int occurrences(const char *s, const char *what)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void test_both_charts(void **state)
{
	char *body = page(coll_id, NULL);
	char *s = section_of(body, "plek");
	assert_non_null(s);
	/* the picture, its grid of counts, the mean, the table */
	char href[80];
	snprintf(href, sizeof href, "href=\"/uploads/%s\"", upload_token);
	assert_non_null(strstr(s, href));
	/* 300 x 150 drawn 400 x 200: a cell is 40 x 20 */
	assert_non_null(strstr(s, "width=\"40\" height=\"20\""));
	assert_non_null(strstr(s, ">12</text>")); /* (5, 5) */
	assert_non_null(strstr(s, ">11</text>")); /* (55, 35) */
	assert_int_equal(occurrences(s, "class=\"vp-chart-bin "), 2);
	assert_non_null(strstr(s, "class=\"vp-chart-mean\""));
	assert_non_null(strstr(s, "<desc>"));
	assert_non_null(strstr(s, "Stories per part of the picture"));
	free(s);

	s = section_of(body, "stenen");
	assert_non_null(s);
	assert_non_null(strstr(s, ">Invloed</text>"));
	assert_non_null(strstr(s, ">Hoog</text>"));
	assert_int_equal(occurrences(s, "class=\"vp-chart-stone\""), 2);
	assert_non_null(strstr(s, ">1 Buren</text>"));
	/* groen, placed 3 times: too few; its label escaped */
	assert_non_null(strstr(s, "3 &lt;i&gt;Groen&lt;/i&gt; (too few)"));
	assert_null(strstr(s, "<i>Groen"));
	assert_non_null(strstr(s, "Mean: Invloed"));
	assert_non_null(strstr(s, ">24</td>")); /* buren placed 24 times */
	free(s);
	free(body);
}

/* The report to print draws them too, the pin on its picture. */
static void test_report(void **state)
{
	char path[128];
	snprintf(path, sizeof path, "/verkennen/%lld/rapport", coll_id);
	struct http_resp r;
	assert_int_equal(get(path, &r), 200);
	char *body = strndup(r.body, r.body_len);
	http_free(&r);
	char href[80];
	snprintf(href, sizeof href, "href=\"/uploads/%s\"", upload_token);
	assert_non_null(strstr(body, href));
	assert_non_null(strstr(body, "class=\"vp-chart-stone\""));
	free(body);
}

static void test_too_few(void **state)
{
	/* 12 stories, 3 with a pin and stones */
	char *body = page(small_id, NULL);
	char *s = section_of(body, "plek");
	assert_non_null(s);
	assert_non_null(strstr(s, "vp-chart-too-few"));
	assert_null(strstr(s, "<svg"));
	free(s);
	s = section_of(body, "stenen");
	assert_non_null(s);
	assert_non_null(strstr(s, "vp-chart-too-few"));
	free(s);
	free(body);
	/* a filter that leaves 4 stories: no figure at all */
	body = page(coll_id, "groep = b");
	assert_null(section_of(body, "plek"));
	assert_non_null(strstr(body, "vp-chart-too-few"));
	free(body);
}

static void test_downloads(void **state)
{
	char path[128];
	snprintf(path, sizeof path, "/verkennen/%lld/grafiek/plek.svg", coll_id);
	struct http_resp r;
	assert_int_equal(get(path, &r), 200);
	assert_string_equal(http_header(&r, "Content-Type"), "image/svg+xml");
	char *svg = strndup(r.body, r.body_len);
	http_free(&r);
	assert_non_null(strstr(svg, "href=\"data:image/png;base64,iVBOR"));
	assert_null(strstr(svg, "/uploads/"));
	assert_non_null(strstr(svg, ">12</text>"));
	free(svg);
	snprintf(path, sizeof path, "/verkennen/%lld/grafiek/stenen.png", coll_id);
	assert_int_equal(get(path, &r), 200);
	assert_string_equal(http_header(&r, "Content-Type"), "image/png");
	assert_true(r.body_len > 8 && memcmp(r.body, "\x89PNG", 4) == 0);
	http_free(&r);
	snprintf(path, sizeof path, "/verkennen/%lld/grafiek/plek.png", coll_id);
	assert_int_equal(get(path, &r), 200);
	http_free(&r);
	/* the figures as CSV: the means and the cells with stories */
	snprintf(path, sizeof path, "/verkennen/%lld/export.csv?vraag=plek", coll_id);
	assert_int_equal(get(path, &r), 200);
	char *csv = strndup(r.body, r.body_len);
	http_free(&r);
	assert_non_null(strstr(csv, "mean x"));
	assert_non_null(strstr(csv, "\"x 0-10, y 0-10\",,12"));
	assert_non_null(strstr(csv, "\"x 50-60, y 30-40\",,11"));
	free(csv);
	snprintf(path, sizeof path, "/verkennen/%lld/export.csv?vraag=stenen", coll_id);
	assert_int_equal(get(path, &r), 200);
	csv = strndup(r.body, r.body_len);
	http_free(&r);
	assert_non_null(strstr(csv, "buren mean y"));
	free(csv);
	/* too few: no chart to download */
	snprintf(path, sizeof path, "/verkennen/%lld/grafiek/plek.svg", small_id);
	assert_int_equal(get(path, &r), 422);
	http_free(&r);
}

/* The href of the link whose <title> is name, &amp; undone; NULL when
 * there is none. */
static char *link_named(const char *body, const char *name)
{
	buf t;
	buf_init(&t);
	buf_printf(&t, "\"><title>%s</title>", name);
	const char *p = strstr(body, t.data);
	buf_free(&t);
	if (!p)
		return NULL;
	const char *h = p;
	while (h > body && strncmp(h, "<a href=\"", 9) != 0)
		h--;
	if (strncmp(h, "<a href=\"", 9) != 0)
		return NULL;
	h += 9;
	buf u;
	buf_init(&u);
	for (const char *c = h; c < p; c++) {
		if (strncmp(c, "&amp;", 5) == 0) {
			buf_putc(&u, '&');
			c += 4;
		} else {
			buf_putc(&u, *c);
		}
	}
	char *out = strdup(u.data);
	buf_free(&u);
	return out;
}

/* The number of stories a stories page says it lists, and how many it
 * shows; -1 when it says too few. */
static int stories_listed(const char *path, int *shown)
{
	struct http_resp r;
	assert_int_equal(get(path, &r), 200);
	char *body = strndup(r.body, r.body_len);
	http_free(&r);
	const char *n = strstr(body, "id=\"verhalen-aantal\">");
	int count = n ? atoi(n + strlen("id=\"verhalen-aantal\">")) : -1;
	*shown = occurrences(body, "<article class=\"vp-story-item\">");
	free(body);
	return count;
}

/* Every pin cell and stone with a count shown links to its stories; the
 * link opens exactly the stories counted there; a count hidden as too
 * few has no link. */
static void test_mark_links(void **state)
{
	char *body = page(coll_id, NULL);
	char *s = section_of(body, "plek");
	assert_non_null(s);
	/* the marks are focusable links in a group, not parts of an image */
	assert_non_null(strstr(s, "role=\"group\""));
	char *url = link_named(s, "Read the stories: 50\u201360% from the left, 30\u201340% from "
	                          "the top, 11 stories");
	assert_non_null(url);
	assert_non_null(strstr(url, "/verhalen?filter="));
	assert_non_null(strstr(url, "plek%5Bx%5D%20%3E%3D%2050%20and%20plek%5Bx%5D%20%3C%2060"));
	int shown, n = stories_listed(url, &shown);
	assert_int_equal(n, 11);
	assert_int_equal(shown, 11);
	free(url);
	url = link_named(
	        s,
	        "Read the stories: 0\u201310% from the left, 0\u201310% from the top, 12 stories");
	assert_non_null(url);
	assert_int_equal(stories_listed(url, &shown), 12);
	assert_int_equal(shown, 12);
	free(url);
	/* the data table links the same cells */
	assert_int_equal(occurrences(s, "class=\"utrecht-link vp-chart-stories\""), 2);
	assert_non_null(strstr(s, ">11<span class=\"vp-visually-hidden\"> stories: 50\u201360% "
	                          "from the left, 30\u201340% from the top</span></a>"));
	free(s);

	/* stones: buren and winkels (24 each) link; groen (3) does not */
	s = section_of(body, "stenen");
	assert_non_null(s);
	url = link_named(s, "Read the stories: 1 Buren, 24 stories with this stone placed");
	assert_non_null(url);
	assert_non_null(strstr(url, "stenen%5Bburen%5D%5Bx%5D%20%3E%3D%200"));
	assert_int_equal(stories_listed(url, &shown), 24);
	free(url);
	assert_null(strstr(s, "3 &lt;i&gt;Groen&lt;/i&gt;, "));
	assert_int_equal(occurrences(s, "<a href=\""), 2);
	assert_int_equal(occurrences(s, "class=\"utrecht-link vp-chart-stories\""), 2);
	free(s);
	free(body);

	/* with a filter: groep = a leaves 12 at (5, 5) and 8 at (55, 35), too
	 * few to show, so that cell has no link; the link keeps the filter */
	body = page(coll_id, "groep = a");
	s = section_of(body, "plek");
	assert_non_null(s);
	url = link_named(
	        s,
	        "Read the stories: 0\u201310% from the left, 0\u201310% from the top, 12 stories");
	assert_non_null(url);
	assert_non_null(strstr(url, "filter=groep%20%3D%20a%20and%20plek"));
	assert_int_equal(stories_listed(url, &shown), 12);
	free(url);
	assert_null(strstr(s, "30\u201340% from the top, "));
	assert_int_equal(occurrences(s, "<a href=\""), 1);
	free(s);
	free(body);

	/* the downloaded chart has no links */
	char path[128];
	snprintf(path, sizeof path, "/verkennen/%lld/grafiek/plek.svg", coll_id);
	struct http_resp r;
	assert_int_equal(get(path, &r), 200);
	assert_false(wt_has(&r, "<a href"));
	http_free(&r);
}

static void test_api(void **state)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/collections/%lld/analysis/points/plek", coll_id);
	struct http_resp r;
	assert_int_equal(get(path, &r), 200);
	json_t *o = json_loadb(r.body, r.body_len, 0, NULL);
	http_free(&r);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "n")), 23);
	const json_t *counts = json_object_get(json_object_get(o, "grid"), "counts");
	assert_int_equal(json_integer_value(json_array_get(counts, 0)), 12);
	assert_int_equal(json_integer_value(json_array_get(counts, 35)), 11);
	json_decref(o);
	/* distribution gives the same; a choice is not a points question */
	snprintf(path, sizeof path, "/api/v1/collections/%lld/analysis/distribution/stenen",
	         coll_id);
	assert_int_equal(get(path, &r), 200);
	assert_non_null(strstr(r.body, "\"stones\""));
	http_free(&r);
	snprintf(path, sizeof path, "/api/v1/collections/%lld/analysis/points/groep", coll_id);
	assert_int_equal(get(path, &r), 422);
	http_free(&r);
	snprintf(path, sizeof path,
	         "/api/v1/collections/%lld/analysis/points/plek?filter=groep%%20%%3D", coll_id);
	assert_int_equal(get(path, &r), 400);
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_both_charts), cmocka_unit_test(test_too_few),
	        cmocka_unit_test(test_report),      cmocka_unit_test(test_downloads),
	        cmocka_unit_test(test_api),         cmocka_unit_test(test_mark_links),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
