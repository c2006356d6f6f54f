/* test_script_paper.c: the paper version of a script: every library template renders with all its questions, conditions with question numbers, the professional's part, escaping, 404s, who may print. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "io/image.h"
#include "model/script.h"
#include "model/script_library.h"
#include "model/user.h"
#include "web/html.h"

#include <jansson.h>

#define EDITOR_PW "editor password 123"
#define READER_PW "reader password 123"

static struct jar editor, reader;
static char editor_token[128];

static int setup(void **state)
{
	db *d = wt_open_editor_and_reader("paper", ROLE_ONDERZOEKER, EDITOR_PW, READER_PW);
	if (!d)
		return -1;
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.per_ip_limit = 40;
	if (fixture_start(d, &cfg) != 0)
		return -1;
	wt_login(&editor, "redacteur", EDITOR_PW, "10.7.0.1", "en");
	wt_login(&reader, "lezer", READER_PW, "10.7.0.2", "nl");
	wt_api_csrf(&editor, editor_token, sizeof editor_token);
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

static int get(struct jar *j, const char *path, struct http_resp *r)
{
	assert_int_equal(http_get(port, j, path, r), 0);
	return r->status;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* The text as html_text writes it, so a test looks for the escaped form. */
static char *escaped(const char *s)
{
	buf b;
	buf_init(&b);
	html_text(&b, s);
	char *out = strdup(b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static void assert_has_text(const struct http_resp *r, const char *s)
{
	char *e = escaped(s);
	if (!wt_has(r, e))
		fail_msg("the paper version lacks \"%s\"", e);
	free(e);
}

/* Stores a script in our format through the API; returns its id. */
static long long add_script(const char *json)
{
	char hdr[160];
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", editor_token);
	struct http_resp r;
	assert_int_equal(http_do(port, &editor, "POST", "/api/v1/scripts", "application/json", hdr,
	                         json, strlen(json), &r),
	                 0);
	if (r.status != 201)
		fail_msg("POST /api/v1/scripts: %d %.*s", r.status, (int)r.body_len, r.body);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(j);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	http_free(&r);
	return id;
}

/* Every template of the library: installed as the editor does, then its
 * paper version holds every question's text once, numbered, the privacy
 * text and a consent box; drawings where the type needs one. */
static void test_every_template(void **state)
{
	size_t n = script_library_count();
	assert_true(n >= 6);
	for (size_t i = 0; i < n; i++) {
		char name[128], path[200];
		snprintf(name, sizeof name, "%s", script_library_name(i));
		char *dot = strstr(name, ".json");
		if (dot)
			*dot = 0;
		snprintf(path, sizeof path, "/vragenlijsten/bibliotheek/%s", name);
		char form[200];
		snprintf(form, sizeof form, "csrf_token=%s", editor_token);
		struct http_resp r;
		assert_int_equal(http_post_form(port, &editor, path, form, &r), 0);
		assert_int_equal(r.status, 303);
		long long id;
		int v;
		const char *loc = http_header(&r, "Location");
		assert_non_null(loc);
		assert_int_equal(sscanf(loc, "/vragenlijsten/%lld/versies/%d", &id, &v), 2);
		http_free(&r);

		/* The script as stored, to know what the paper must ask. */
		snprintf(path, sizeof path, "/api/v1/scripts/%lld/versions/%d", id, v);
		assert_int_equal(get(&editor, path, &r), 200);
		char err[256];
		struct script *sc = script_parse_text(r.body, r.body_len, err, sizeof err);
		http_free(&r);
		if (!sc)
			fail_msg("%s: %s", name, err);

		snprintf(path, sizeof path, "/vragenlijsten/%lld/versies/%d/papier", id, v);
		assert_int_equal(get(&editor, path, &r), 200);
		assert_non_null(strstr(http_header(&r, "Content-Type"), "text/html"));
		assert_true(wt_has(&r, "<!DOCTYPE html>"));
		assert_true(wt_has(&r, "<html lang=\"en\""));
		/* Its own print stylesheet, and nothing of the site's frame. */
		assert_true(wt_has(&r, "/static/print.css?v="));
		assert_false(wt_has(&r, "vp-nav"));
		assert_true(wt_has(&r, "<main"));
		assert_has_text(&r, ltext_get(&sc->title, "en"));
		assert_has_text(&r, "Who can read your story?");
		char *priv = strdup(ltext_get(&sc->privacy, "en"));
		char *para_end = strstr(priv, "\n\n");
		if (para_end)
			*para_end = 0;
		assert_has_text(&r, priv);
		free(priv);
		assert_true(wt_has(&r, "vp-paper__consent"));
		/* Each question once, with its number. */
		assert_int_equal(count(r.body, "class=\"vp-paper__question "), sc->nquestions);
		int pro = 0;
		for (int k = 0; k < sc->nquestions; k++) {
			const struct question *q = sc->questions[k];
			assert_has_text(&r, ltext_get(&q->text, "en"));
			pro |= q->perspective == PERSPECTIVE_PROFESSIONAL;
			if (q->type == Q_TRIAD)
				assert_true(wt_has(&r, "Put a dot in the triangle."));
			if (q->type == Q_DYAD)
				assert_true(wt_has(&r, "Put a cross on the line."));
			if (q->type == Q_STONES)
				assert_true(wt_has(&r, "Write the letter of each stone"));
			if (q->type == Q_PIN) {
				char src[80];
				snprintf(src, sizeof src, "src=\"/uploads/%s\"", q->image);
				assert_true(wt_has(&r, src));
			}
			for (int o = 0; q->type != Q_STORY && o < q->noptions; o++)
				assert_has_text(&r, ltext_get(&q->options[o].label, "en"));
		}
		char num[48];
		snprintf(num, sizeof num, "<span class=\"vp-paper__num\">%d.</span>",
		         sc->nquestions);
		assert_true(wt_has(&r, num));
		assert_int_equal(wt_has(&r, "To be filled in by the conversation lead"), pro);
		for (int k = 0; k < sc->nquestions; k++)
			if (sc->questions[k]->type == Q_TRIAD || sc->questions[k]->type == Q_DYAD)
				assert_true(wt_has(&r, "<svg"));
		http_free(&r);
		script_free(sc);
	}
}

/* Markup in every text a script has: escaped on paper; conditions name the
 * question's number and the option's label; the professional's question
 * comes last, in its own part. */
static const char markup_script[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"opmaak\","
        "\"title\":{\"nl\":\"<script>alert(1)</script> Titel\"},"
        "\"introduction\":{\"nl\":\"Intro <b>vet</b> & zo\"},"
        "\"privacy\":{\"nl\":\"Privacy <img src=x onerror=alert(2)>\"},"
        "\"sections\":[{\"id\":\"s1\",\"title\":{\"nl\":\"Deel <i>een</i>\"},\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel <u>iets</u>\"},"
        "\"prompts\":[{\"id\":\"p1\",\"text\":{\"nl\":\"Prompt \\\"een\\\"\"}},"
        "{\"id\":\"p2\",\"text\":{\"nl\":\"Prompt <twee>\"}}]},"
        "{\"id\":\"pro\",\"type\":\"scale\",\"perspective\":\"professional\",\"points\":5,"
        "\"text\":{\"nl\":\"Oordeel <pro>\"},\"low\":{\"nl\":\"laag\"},\"high\":{\"nl\":\"hoog\"}},"
        "{\"id\":\"hulp\",\"type\":\"choice\",\"text\":{\"nl\":\"Hulp <gehad>?\"},"
        "\"not_applicable\":true,"
        "\"options\":[{\"id\":\"ja\",\"label\":{\"nl\":\"Ja <zeker>\"}},"
        "{\"id\":\"nee\",\"label\":{\"nl\":\"Nee\"}}],\"other\":{\"nl\":\"Anders\"}},"
        "{\"id\":\"wie\",\"type\":\"multi\",\"text\":{\"nl\":\"Wie hielp?\"},\"max\":2,"
        "\"show_if\":{\"question\":\"hulp\",\"is\":[\"ja\"]},"
        "\"options\":[{\"id\":\"a\",\"label\":{\"nl\":\"Buren\"}},"
        "{\"id\":\"b\",\"label\":{\"nl\":\"Familie\"}},{\"id\":\"c\",\"label\":{\"nl\":\"Loket\"}}]"
        "},"
        "{\"id\":\"wanneer\",\"type\":\"date\",\"text\":{\"nl\":\"Wanneer?\"}},"
        "{\"id\":\"hoeveel\",\"type\":\"number\",\"text\":{\"nl\":\"Hoeveel?\"},\"min\":0,"
        "\"max\":10,\"integer\":true}"
        "]}]}";

static void test_markup_and_conditions(void **state)
{
	long long id = add_script(markup_script);
	char path[96];
	snprintf(path, sizeof path, "/vragenlijsten/%lld/versies/1/papier", id);
	struct http_resp r;
	/* The reader (Dutch interface) may print it too. */
	assert_int_equal(get(&reader, path, &r), 200);
	assert_false(wt_has(&r, "<script>"));
	assert_false(wt_has(&r, "<img src=x"));
	assert_false(wt_has(&r, "<b>"));
	assert_false(wt_has(&r, "<twee>"));
	assert_false(wt_has(&r, "<pro>"));
	assert_true(wt_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt; Titel"));
	assert_true(wt_has(&r, "Intro &lt;b&gt;vet&lt;/b&gt; &amp; zo"));
	assert_true(wt_has(&r, "Privacy &lt;img src=x onerror=alert(2)&gt;"));
	assert_true(wt_has(&r, "Deel &lt;i&gt;een&lt;/i&gt;"));
	assert_true(wt_has(&r, "Prompt &quot;een&quot;"));
	assert_true(wt_has(&r, "Ja &lt;zeker&gt;"));
	/* Numbers: the teller's five first, the professional's last (6). */
	assert_true(wt_has(&r, "<span class=\"vp-paper__num\">2.</span> Hulp &lt;gehad&gt;?"));
	assert_true(wt_has(&r, "<span class=\"vp-paper__num\">6.</span> Oordeel &lt;pro&gt;"));
	assert_true(strstr(r.body, "Oordeel &lt;pro&gt;") > strstr(r.body, "Hoeveel?"));
	http_free(&r);

	/* In English (the editor), the texts of the interface and the
	 * condition with the number and label. */
	assert_int_equal(get(&editor, path, &r), 200);
	assert_true(wt_has(&r,
	                   "Only fill in if at question 2 you chose \xe2\x80\x98Ja &lt;zeker&gt;"
	                   "\xe2\x80\x99."));
	assert_true(wt_has(&r, "Tick at most 2 boxes."));
	assert_true(wt_has(&r, "Choose one of these questions and tick it."));
	assert_true(wt_has(&r, "Not applicable"));
	assert_true(wt_has(&r, "<span>Anders</span><span class=\"vp-paper__fill\""));
	assert_true(wt_has(&r, "DD-MM-YYYY"));
	assert_true(wt_has(&r, "A number from 0 to 10."));
	assert_true(wt_has(&r, "To be filled in by the conversation lead"));
	assert_int_equal(count(r.body, "class=\"vp-paper__circle\""), 5);
	assert_int_equal(count(r.body, "class=\"vp-paper__digit\""), 8);
	http_free(&r);
}

static void test_not_found(void **state)
{
	long long id = add_script("{\"format\":\"vertelpunt-script/1\",\"key\":\"klein\","
	                          "\"title\":{\"nl\":\"Klein\"},\"privacy\":{\"nl\":\"P\"},"
	                          "\"sections\":[{\"id\":\"s\",\"questions\":[{\"id\":\"v\","
	                          "\"type\":\"story\",\"text\":{\"nl\":\"V\"},\"prompts\":[{"
	                          "\"id\":\"p\",\"text\":{\"nl\":\"P\"}}]}]}]}");
	char path[96];
	struct http_resp r;
	snprintf(path, sizeof path, "/vragenlijsten/%lld/versies/1/papier", id);
	assert_int_equal(get(&editor, path, &r), 200);
	http_free(&r);
	snprintf(path, sizeof path, "/vragenlijsten/%lld/versies/2/papier", id);
	assert_int_equal(get(&editor, path, &r), 404);
	http_free(&r);
	assert_int_equal(get(&editor, "/vragenlijsten/999999/versies/1/papier", &r), 404);
	http_free(&r);
	assert_int_equal(get(&editor, "/vragenlijsten/abc/versies/1/papier", &r), 404);
	http_free(&r);
	/* Without a session: to the login page, nothing of the script. */
	struct jar anon = {0};
	snprintf(anon.ip, sizeof anon.ip, "10.7.0.9");
	snprintf(path, sizeof path, "/vragenlijsten/%lld/versies/1/papier", id);
	assert_int_equal(http_get(port, &anon, path, &r), 0);
	assert_int_equal(r.status / 100, 3);
	assert_false(wt_has(&r, "Klein"));
	http_free(&r);
}

/* The editor's page links to the paper version. */
static void test_link(void **state)
{
	long long id = add_script("{\"format\":\"vertelpunt-script/1\",\"key\":\"link\","
	                          "\"title\":{\"nl\":\"Link\"},\"privacy\":{\"nl\":\"P\"},"
	                          "\"sections\":[{\"id\":\"s\",\"questions\":[{\"id\":\"v\","
	                          "\"type\":\"story\",\"text\":{\"nl\":\"V\"},\"prompts\":[{"
	                          "\"id\":\"p\",\"text\":{\"nl\":\"P\"}}]}]}]}");
	char path[96], href[128];
	snprintf(path, sizeof path, "/vragenlijsten/%lld/versies/1", id);
	snprintf(href, sizeof href, "href=\"/vragenlijsten/%lld/versies/1/papier\">Paper version<",
	         id);
	struct http_resp r;
	assert_int_equal(get(&editor, path, &r), 200);
	assert_true(wt_has(&r, href));
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_template),
	        cmocka_unit_test(test_markup_and_conditions),
	        cmocka_unit_test(test_not_found),
	        cmocka_unit_test(test_link),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
