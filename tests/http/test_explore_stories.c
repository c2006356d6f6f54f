/* test_explore_stories.c: the stories behind the explorer's marks (/verkennen/{id}/verhalen), their cards, and the downloads of a view (CSV, XLSX, JSON, SVG, PNG): filters, bad input, small groups, escaping, formula injection, the access log. */
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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define READER_PW  "reader password 123"
#define ANALYST_PW "analyst password 123"

/* A story question, a choice, a dyad, a triad, a 5-point scale, and a
 * choice whose labels are a formula and markup. */
#define SCRIPT_TEXT(KEY)                                                                           \
	"{\"format\":\"vertelpunt-script/1\",\"key\":\"" KEY "\",\"title\":{\"nl\":\"Verhalen\"}," \
	"\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","         \
	"\"questions\":["                                                                          \
	"{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"   \
	"\"ask_title\":true,\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"      \
	"{\"id\":\"situatie\",\"type\":\"choice\",\"text\":{\"nl\":\"Situatie\"},\"options\":["    \
	"{\"id\":\"alleen\",\"label\":{\"nl\":\"Alleen\"}},{\"id\":\"samen\",\"label\":{\"nl\":"   \
	"\"Samen\"}}]},"                                                                           \
	"{\"id\":\"geholpen\",\"type\":\"dyad\",\"text\":{\"nl\":\"Geholpen?\"},\"poles\":["       \
	"{\"id\":\"niet\",\"label\":{\"nl\":\"Niet\"}},{\"id\":\"wel\",\"label\":{\"nl\":"         \
	"\"Wel\"}}]},"                                                                             \
	"{\"id\":\"steun\",\"type\":\"triad\",\"text\":{\"nl\":\"Steun\"},\"corners\":["           \
	"{\"id\":\"zelf\",\"label\":{\"nl\":\"Zelf\"}},{\"id\":\"netwerk\",\"label\":{\"nl\":"     \
	"\"Netwerk\"}},{\"id\":\"gemeente\",\"label\":{\"nl\":\"Gemeente\"}}]},"                   \
	"{\"id\":\"tevreden\",\"type\":\"scale\",\"text\":{\"nl\":\"Tevreden\"},\"points\":5,"     \
	"\"low\":{\"nl\":\"Niet\"},\"high\":{\"nl\":\"Heel\"}},"                                   \
	"{\"id\":\"wijk\",\"type\":\"choice\",\"text\":{\"nl\":\"Wijk\"},\"options\":["            \
	"{\"id\":\"noord\",\"label\":{\"nl\":\"=1+1\"}},{\"id\":\"zuid\","                         \
	"\"label\":{\"nl\":\"<i>Zuid</i>\"}}]}"                                                    \
	"]}]}"

/* 40 stories "Verhaal 0".."Verhaal 39", stored in that order: situatie
 * alleen for even i; geholpen 25 for i < 20, else 75; steun from "zelf"
 * to "gemeente" with i; tevreden 1 when i % 8 == 0 (5 stories), else 4;
 * wijk noord for i < 30. Story 39's text carries markup and a formula. */
enum { NSTORIES = 40 };

static long long coll_id, other_id;

static void seed_stories(db *d, const char *token, const char *script_text)
{
	struct collection c;
	assert_int_equal(collection_by_token(d, token, &c), DB_ROW);
	char err[256];
	struct script *s = script_parse_text(script_text, strlen(script_text), err, sizeof err);
	assert_non_null(s);
	for (int i = 0; i < NSTORIES; i++) {
		char uuid[40], title[32];
		snprintf(uuid, sizeof uuid, "dddddddd-0000-4000-8000-%012d", i);
		snprintf(title, sizeof title, "Verhaal %d", i);
		const char *text = i == 39 ? "<script>alert(1)</script> =HYPERLINK(\"x\")"
		                           : "Een gewoon verhaal.";
		double z = i / (double)(NSTORIES - 1);
		json_t *body = json_pack(
		        "{s:s, s:s, s:i, s:{s:{s:s, s:s, s:s}, s:s, s:f, s:[f,f,f], s:i, s:s}}",
		        "id", uuid, "channel", i % 4 == 0 ? "kiosk" : "web", "script_version", 1,
		        "answers", "verhaal", "prompt", "p", "title", title, "text", text,
		        "situatie", i % 2 ? "samen" : "alleen", "geholpen", i < 20 ? 25.0 : 75.0,
		        "steun", 0.8 * (1 - z) + 0.05, 0.1, 0.8 * z + 0.05, "tevreden",
		        i % 8 == 0 ? 1 : 4, "wijk", i < 30 ? "noord" : "zuid");
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
static struct who analyst;
static struct app_config config;

static int setup(void **state)
{
	db *d = fixture_open("explore_stories");
	int64_t org, other;
	if (!d || org_ensure(d, "Gemeente Verhalen", &org) != DB_OK ||
	    org_ensure(d, "Gemeente Anders", &other) != DB_OK)
		return -1;
	if (fixture_user(d, org, "lezer", "Lex Lezer", ROLE_MEELEZER, READER_PW, 0) <= 0 ||
	    fixture_user(d, org, "analist", "Ana Analist", ROLE_ONDERZOEKER, ANALYST_PW, 0) <= 0)
		return -1;
	char token[40];
	int64_t sid = wt_script(d, org, SCRIPT_TEXT("verhalen"), NULL);
	coll_id = wt_collection_for(d, org, sid, "Open <verhalen>", "Verhalen testen", 3650, token);
	seed_stories(d, token, SCRIPT_TEXT("verhalen"));
	int64_t osid = wt_script(d, other, SCRIPT_TEXT("anders"), NULL);
	other_id = wt_collection_for(d, other, osid, "Anders", "Verhalen testen", 3650, NULL);
	fixture_config(&config);
	config.analysis_min_group = 10;
	if (fixture_start(d, &config) != 0)
		return -1;
	wt_login(&reader, "lezer", READER_PW, "10.9.1.1", "en");
	who_login(&analyst, "analist", ANALYST_PW, "10.9.1.2");
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* ---- requests -------------------------------------------------------------- */

/* GET /verkennen/<id>/<page>[?filter=F][&rest] as the reader; the response
 * in r (http_free it). */
static int get(long long id, const char *page, const char *filter, const char *rest,
               struct http_resp *r)
{
	buf p;
	buf_init(&p);
	buf_printf(&p, "/verkennen/%lld%s%s", id, *page ? "/" : "", page);
	char sep = '?';
	if (filter) {
		buf_puts(&p, "?filter=");
		wt_enc(&p, filter);
		sep = '&';
	}
	if (rest) {
		buf_putc(&p, sep);
		buf_puts(&p, rest);
	}
	struct jar tmp = reader;
	assert_int_equal(http_get(port, &tmp, p.data, r), 0);
	buf_free(&p);
	return r->status;
}

static char *body_of(struct http_resp *r)
{
	char *s = strndup(r->body ? r->body : "", r->body_len);
	http_free(r);
	return s;
}

static int count_of(const char *s, const char *what)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static long long log_count_by(const char *action, const char *actor)
{
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE action = :a AND "
	                           "actor = :who");
	db_bind_text(s, "a", action);
	db_bind_text(s, "who", actor);
	return wt_count_of(d, s);
}

static long long log_count(const char *action)
{
	return log_count_by(action, "lezer");
}

/* ---- the stories -------------------------------------------------------------- */

static void test_stories_of_a_filter(void **state)
{
	long long before = log_count("view");
	struct http_resp r;
	assert_int_equal(get(coll_id, "verhalen", "situatie = alleen", NULL, &r), 200);
	char *body = body_of(&r);
	assert_non_null(strstr(body, "id=\"verhalen-aantal\">20<"));
	assert_int_equal(count_of(body, "<article class=\"vp-story-item\">"), 20);
	/* newest first: 38, 36, ... 0 */
	const char *a = strstr(body, ">Verhaal 38<"), *b = strstr(body, ">Verhaal 36<"),
	           *z = strstr(body, ">Verhaal 0<");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(z);
	assert_true(a < b && b < z);
	assert_null(strstr(body, ">Verhaal 1<"));
	/* the signification as glyphs with words: a triangle, a bar, the choice */
	assert_non_null(strstr(body, "class=\"vp-glyph-frame\""));
	assert_non_null(strstr(body, "class=\"vp-glyph-point\""));
	assert_non_null(strstr(body, "Zelf 85%, Netwerk 10%, Gemeente 5%"));
	assert_non_null(strstr(body, "25 of 100 (Niet 0, Wel 100)"));
	assert_non_null(strstr(body, "4 of 5 (Niet 1, Heel 5)"));
	assert_non_null(strstr(body, ">Alleen</span>"));
	/* labels are text */
	assert_non_null(strstr(body, "&lt;i&gt;Zuid&lt;/i&gt;") || strstr(body, "=1+1"));
	assert_null(strstr(body, "<i>Zuid"));
	free(body);
	/* each story shown is in the access log */
	assert_int_equal(log_count("view"), before + 20);
}

static void test_story_text_escaped(void **state)
{
	struct http_resp r;
	assert_int_equal(get(coll_id, "verhalen", NULL, NULL, &r), 200);
	char *body = body_of(&r);
	assert_non_null(strstr(body, ">Verhaal 39<"));
	assert_null(strstr(body, "<script>alert"));
	assert_non_null(strstr(body, "&lt;script&gt;alert(1)&lt;/script&gt; =HYPERLINK"));
	assert_non_null(strstr(body, "Open &lt;verhalen&gt;"));
	free(body);
}

static void test_pages(void **state)
{
	struct http_resp r;
	assert_int_equal(get(coll_id, "verhalen", NULL, NULL, &r), 200);
	char *body = body_of(&r);
	assert_non_null(strstr(body, "id=\"verhalen-aantal\">40<"));
	assert_int_equal(count_of(body, "<article class=\"vp-story-item\">"), 25);
	char want[128];
	snprintf(want, sizeof want, "href=\"/verkennen/%lld/verhalen?pagina=2\"", coll_id);
	assert_non_null(strstr(body, want));
	free(body);
	assert_int_equal(get(coll_id, "verhalen", NULL, "pagina=2", &r), 200);
	body = body_of(&r);
	assert_int_equal(count_of(body, "<article class=\"vp-story-item\">"), 15);
	assert_non_null(strstr(body, ">Verhaal 14<"));
	assert_non_null(strstr(body, ">Verhaal 0<"));
	assert_null(strstr(body, ">Verhaal 15<"));
	free(body);
	/* a page that is not there, or not a number: 400 with a message */
	static const char *const bad[] = {"pagina=3", "pagina=0", "pagina=abc", "pagina=-1",
	                                  "pagina=99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(get(coll_id, "verhalen", NULL, bad[i], &r), 400);
		body = body_of(&r);
		assert_non_null(strstr(body, "vp-error-summary"));
		assert_null(strstr(body, "<article"));
		free(body);
	}
}

static void test_bad_filter(void **state)
{
	long long before = log_count("view");
	static const char *const bad[] = {"situatie = ", "nee = 1", "((situatie = alleen",
	                                  "steun[zelf] > 2x", "wijk = \"<script>\""};
	struct http_resp r;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int st = get(coll_id, "verhalen", bad[i], NULL, &r);
		char *body = body_of(&r);
		if (i < 4) {
			assert_int_equal(st, 400);
			assert_non_null(strstr(body, "vp-error-summary"));
			assert_non_null(strstr(body, "at "));
		}
		assert_null(strstr(body, "<article"));
		assert_null(strstr(body, "<script>"));
		free(body);
		assert_int_equal(get(coll_id, "verhalen/kaarten", bad[i], NULL, &r), st);
		http_free(&r);
	}
	char longf[2100];
	memset(longf, 'a', sizeof longf - 1);
	longf[sizeof longf - 1] = 0;
	assert_int_equal(get(coll_id, "verhalen", longf, NULL, &r), 400);
	http_free(&r);
	assert_int_equal(log_count("view"), before);
}

static void test_too_few(void **state)
{
	long long before = log_count("view");
	struct http_resp r;
	/* 5 stories: their texts could point at who told them */
	assert_int_equal(get(coll_id, "verhalen", "tevreden = 1", NULL, &r), 200);
	char *body = body_of(&r);
	assert_non_null(strstr(body, "vp-chart-too-few"));
	assert_null(strstr(body, "<article"));
	assert_null(strstr(body, "Verhaal"));
	free(body);
	assert_int_equal(get(coll_id, "verhalen/kaarten", "tevreden = 1", NULL, &r), 200);
	body = body_of(&r);
	assert_non_null(strstr(body, "vp-chart-too-few"));
	assert_null(strstr(body, "<article"));
	free(body);
	/* 10 (the minimum) are shown */
	assert_int_equal(get(coll_id, "verhalen", "wijk = zuid", NULL, &r), 200);
	body = body_of(&r);
	assert_int_equal(count_of(body, "<article class=\"vp-story-item\">"), 10);
	free(body);
	assert_int_equal(log_count("view"), before + 10);
}

static void test_cards(void **state)
{
	struct http_resp r;
	assert_int_equal(get(coll_id, "verhalen/kaarten", "wijk = noord", NULL, &r), 200);
	char *body = body_of(&r);
	assert_int_equal(count_of(body, "<article class=\"vp-story-card\">"), 30);
	assert_non_null(strstr(body, "class=\"vp-glyph-point\""));
	assert_non_null(strstr(body, "vp-cards-page"));
	free(body);
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND "
	                           "object_type = 'story' AND detail = 'cards'");
	assert_true(wt_count_of(d, s) >= 30);
}

static void test_not_found(void **state)
{
	struct http_resp r;
	static const char *const pages[] = {"verhalen",    "verhalen/kaarten",
	                                    "export.csv",  "export.xlsx",
	                                    "export.json", "grafiek/situatie.svg"};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		assert_int_equal(get(other_id, pages[i], NULL, NULL, &r), 404);
		http_free(&r);
		assert_int_equal(get(999999, pages[i], NULL, NULL, &r), 404);
		http_free(&r);
	}
	/* charts of questions that are not there, or without a chart */
	static const char *const charts[] = {"grafiek/nee.svg", "grafiek/verhaal.svg",
	                                     "grafiek/situatie.gif", "grafiek/situatie",
	                                     "grafiek/.svg"};
	for (size_t i = 0; i < sizeof charts / sizeof *charts; i++) {
		assert_int_equal(get(coll_id, charts[i], NULL, NULL, &r), 404);
		http_free(&r);
	}
}

/* ---- links from the explorer -------------------------------------------------- */

static void test_links_to_stories(void **state)
{
	struct http_resp r;
	assert_int_equal(get(coll_id, "", "wijk = noord", "rij=situatie&kolom=wijk", &r), 200);
	char *body = body_of(&r);
	char want[300];
	/* a bar's row in the figures links to its stories, with the filter */
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld/verhalen?filter=wijk%%20%%3D%%20noord%%20and%%20situatie%%"
	         "20%%3D%%20alleen\"",
	         coll_id);
	assert_non_null(strstr(body, want));
	/* a histogram bin's row */
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld/verhalen?filter=wijk%%20%%3D%%20noord%%20and%%20geholpen%%"
	         "20%%3E%%3D%%2020%%20and%%20geholpen%%20%%3C%%2030\"",
	         coll_id);
	assert_non_null(strstr(body, want));
	/* a cross-table cell */
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld/verhalen?filter=wijk%%20%%3D%%20noord%%20and%%20situatie%%"
	         "20%%3D%%20samen%%20and%%20wijk%%20%%3D%%20noord\"",
	         coll_id);
	assert_non_null(strstr(body, want));
	/* all stories of the view, their cards, and the downloads */
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld/verhalen?filter=wijk%%20%%3D%%20noord\"", coll_id);
	assert_non_null(strstr(body, want));
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld/"
	         "export.xlsx?filter=wijk%%20%%3D%%20noord&amp;rij=situatie&amp;"
	         "kolom=wijk\"",
	         coll_id);
	assert_non_null(strstr(body, want));
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld/grafiek/steun.png?filter=wijk%%20%%3D%%20noord\"",
	         coll_id);
	assert_non_null(strstr(body, want));
	free(body);
	/* every link to the stories opens a page that says how many */
	assert_int_equal(get(coll_id, "verhalen", "wijk = noord and situatie = alleen", NULL, &r),
	                 200);
	body = body_of(&r);
	assert_non_null(strstr(body, "id=\"verhalen-aantal\">15<"));
	free(body);
}

/* ---- downloads ---------------------------------------------------------------- */

static void test_csv(void **state)
{
	long long before = log_count("export");
	struct http_resp r;
	assert_int_equal(get(coll_id, "export.csv", NULL, NULL, &r), 200);
	assert_non_null(strstr(http_header(&r, "Content-Type"), "text/csv"));
	char want[96];
	snprintf(want, sizeof want, "attachment; filename=\"verkennen-%lld-alles.csv\"", coll_id);
	assert_string_equal(http_header(&r, "Content-Disposition"), want);
	assert_string_equal(http_header(&r, "X-Content-Type-Options"), "nosniff");
	char *body = body_of(&r);
	/* a byte order mark for Excel, a header, CRLF line ends */
	assert_memory_equal(body, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(body, "Question,Question text,Answer,Answer text,Stories"));
	assert_non_null(strstr(body, "\r\nsituatie,Situatie,alleen,Alleen,20,50,"));
	/* a label that is a formula stays text: a quote before it */
	assert_non_null(strstr(body, "wijk,Wijk,noord,'=1+1,30,"));
	assert_null(strstr(body, ",=1+1"));
	/* markup is just text in a CSV */
	assert_non_null(strstr(body, "<i>Zuid</i>"));
	/* no story texts leave this way */
	assert_null(strstr(body, "HYPERLINK"));
	assert_null(strstr(body, "Verhaal 3"));
	free(body);
	/* one question, with a filter */
	assert_int_equal(get(coll_id, "export.csv", "situatie = alleen", "vraag=wijk", &r), 200);
	snprintf(want, sizeof want, "attachment; filename=\"verkennen-%lld-wijk.csv\"", coll_id);
	assert_string_equal(http_header(&r, "Content-Disposition"), want);
	body = body_of(&r);
	assert_non_null(strstr(body, "wijk,Wijk,noord,'=1+1,15,"));
	assert_null(strstr(body, "situatie,Situatie,"));
	free(body);
	assert_int_equal(log_count("export"), before + 2);
	/* bad input: 400 with a message, nothing logged */
	assert_int_equal(get(coll_id, "export.csv", "situatie = ", NULL, &r), 400);
	body = body_of(&r);
	assert_non_null(strstr(body, "at "));
	free(body);
	assert_int_equal(get(coll_id, "export.csv", NULL, "vraag=nee", &r), 400);
	http_free(&r);
	assert_int_equal(get(coll_id, "export.csv", NULL, "rij=situatie", &r), 400);
	http_free(&r);
	assert_int_equal(log_count("export"), before + 2);
	/* too few: the count says so, no question's figures */
	assert_int_equal(get(coll_id, "export.csv", "tevreden = 1", NULL, &r), 200);
	body = body_of(&r);
	assert_non_null(strstr(body, "Too few stories"));
	assert_null(strstr(body, "situatie,"));
	free(body);
}

/* Runs python3 with openpyxl (Debian's python3-openpyxl) on the workbook
 * in path; the script's output in out. */
static int openpyxl(const char *path, const char *script, char *out, size_t cap)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c '%s' '%s' 2>&1", script, path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = 0;
	return pclose(p);
}

static void test_xlsx(void **state)
{
	struct http_resp r;
	assert_int_equal(get(coll_id, "export.xlsx", "wijk = noord", "rij=situatie&kolom=wijk", &r),
	                 200);
	assert_string_equal(http_header(&r, "Content-Type"),
	                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_memory_equal(r.body, "PK", 2);
	char path[] = "/tmp/vp-test-xlsx-XXXXXX.xlsx";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, r.body, r.body_len), (ssize_t)r.body_len);
	close(fd);
	http_free(&r);
	char out[4096];
	/* the sheets, and the formula label as a string cell */
	int rc = openpyxl(path,
	                  "import sys, openpyxl\n"
	                  "wb = openpyxl.load_workbook(sys.argv[1])\n"
	                  "print(\"|\".join(wb.sheetnames))\n"
	                  "ws = wb[\"wijk\"]\n"
	                  "for row in ws.iter_rows():\n"
	                  "  for c in row:\n"
	                  "    if c.value == \"=1+1\": print(\"cell\", c.data_type)\n"
	                  "print(\"n\", wb[\"situatie\"][\"E2\"].value)\n"
	                  "print(\"head\", wb[\"situatie\"][\"A1\"].value)\n",
	                  out, sizeof out);
	unlink(path);
	if (rc != 0)
		print_message("%s\n", out);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "Summary|situatie|geholpen|steun|tevreden|wijk|Cross-table\n"));
	assert_non_null(strstr(out, "cell s\n"));
	assert_non_null(strstr(out, "n 15\n"));
	assert_non_null(strstr(out, "head Question\n"));
}

static void test_json(void **state)
{
	struct http_resp r;
	assert_int_equal(get(coll_id, "export.json", "situatie = alleen", NULL, &r), 200);
	assert_string_equal(http_header(&r, "Content-Type"), "application/json");
	json_t *doc = json_loadb(r.body, r.body_len, 0, NULL);
	http_free(&r);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "filter")), "situatie = alleen");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "count"), "n")),
	                 20);
	json_t *qs = json_object_get(doc, "questions");
	assert_int_equal(json_array_size(qs), 5);
	/* the same document as the API's, with the labels */
	json_t *first = json_array_get(qs, 0);
	assert_string_equal(json_string_value(json_object_get(first, "question")), "situatie");
	struct jar tmp = reader;
	char path[160];
	snprintf(path, sizeof path,
	         "/api/v1/collections/%lld/analysis/distribution/situatie?filter=situatie%%20%%3D%%"
	         "20alleen",
	         coll_id);
	assert_int_equal(http_get(port, &tmp, path, &r), 0);
	json_t *api = json_loadb(r.body, r.body_len, 0, NULL);
	http_free(&r);
	assert_non_null(api);
	assert_true(json_equal(json_object_get(api, "options") ? json_object_get(api, "n") : NULL,
	                       json_object_get(first, "n")));
	json_decref(api);
	json_decref(doc);
}

static void test_chart_files(void **state)
{
	long long before = log_count("export");
	struct http_resp r;
	assert_int_equal(get(coll_id, "grafiek/situatie.svg", "wijk = noord", NULL, &r), 200);
	assert_string_equal(http_header(&r, "Content-Type"), "image/svg+xml");
	char want[96];
	snprintf(want, sizeof want, "attachment; filename=\"verkennen-%lld-situatie.svg\"",
	         coll_id);
	assert_string_equal(http_header(&r, "Content-Disposition"), want);
	char *body = body_of(&r);
	assert_non_null(strstr(body, "<?xml"));
	assert_non_null(strstr(body, "<style>"));
	assert_non_null(strstr(body, "class=\"vp-chart-bar\""));
	/* a file has no links */
	assert_null(strstr(body, "<a "));
	free(body);
	/* the triad and the dyad */
	assert_int_equal(get(coll_id, "grafiek/steun.svg", NULL, NULL, &r), 200);
	body = body_of(&r);
	assert_non_null(strstr(body, "class=\"vp-chart-frame\""));
	free(body);
	/* the PNG: our SVG rendered by libvips */
	assert_int_equal(get(coll_id, "grafiek/geholpen.png", NULL, NULL, &r), 200);
	assert_string_equal(http_header(&r, "Content-Type"), "image/png");
	assert_true(r.body_len > 1000);
	assert_memory_equal(r.body, "\x89PNG\r\n\x1a\n", 8);
	http_free(&r);
	assert_int_equal(log_count("export"), before + 3);
	/* too few stories: no picture */
	assert_int_equal(get(coll_id, "grafiek/situatie.png", "tevreden = 1", NULL, &r), 422);
	http_free(&r);
	assert_int_equal(get(coll_id, "grafiek/situatie.svg", "situatie = ", NULL, &r), 400);
	http_free(&r);
	assert_int_equal(log_count("export"), before + 3);
}

/* ---- tags and story sets -------------------------------------------------------- */

/* The id of story "Verhaal i" (stored i-th). */
static long long story_id_of(int i)
{
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT id FROM stories WHERE collection_id = :c ORDER BY id "
	                           "LIMIT 1 OFFSET :i");
	db_bind_int(s, "c", coll_id);
	db_bind_int(s, "i", i);
	assert_int_equal(db_step(s), DB_ROW);
	long long id = db_col_int(s, 0);
	db_finalize(s);
	db_close(d);
	return id;
}

static long long count_sql(const char *what, long long arg)
{
	db *d = wt_open_db();
	db_stmt *s =
	        strcmp(what, "tags") == 0
	                ? db_prepare(d, "SELECT COUNT(*) FROM story_tags WHERE story_id = :a")
	        : strcmp(what, "items") == 0
	                ? db_prepare(d, "SELECT COUNT(*) FROM story_set_items WHERE set_id = :a")
	                : db_prepare(d, "SELECT COUNT(*) FROM story_sets WHERE collection_id = :a");
	db_bind_int(s, "a", arg);
	return wt_count_of(d, s);
}

static void test_tags(void **state)
{
	long long s38 = story_id_of(38);
	char path[128], back[96];
	snprintf(path, sizeof path, "/verkennen/%lld/verhalen/%lld/labels", coll_id, s38);
	snprintf(back, sizeof back, "/verkennen/%lld/verhalen?filter=situatie%%20%%3D%%20alleen",
	         coll_id);
	/* the reader sees no forms; the analyst does */
	struct http_resp r;
	assert_int_equal(get(coll_id, "verhalen", "situatie = alleen", NULL, &r), 200);
	char *body = body_of(&r);
	assert_null(strstr(body, "name=\"labels\""));
	free(body);
	char page[160];
	snprintf(page, sizeof page, "/verkennen/%lld/verhalen?filter=situatie%%20%%3D%%20alleen",
	         coll_id);
	assert_int_equal(who_get(&analyst, page, &r), 200);
	body = body_of(&r);
	assert_non_null(strstr(body, "name=\"labels\""));
	assert_non_null(strstr(body, "name=\"naam\""));
	free(body);
	long long before = log_count_by("update", "analist");
	/* tags: twice the same kept once, markup kept as text */
	assert_int_equal(who_post(&analyst, path, &r, "labels",
	                          " wachtlijst, <b>mooi</b>,wachtlijst ", "terug", back, NULL),
	                 303);
	assert_string_equal(wt_location(&r), back);
	http_free(&r);
	assert_int_equal(count_sql("tags", s38), 2);
	assert_int_equal(log_count_by("update", "analist"), before + 1);
	assert_int_equal(get(coll_id, "verhalen", "situatie = alleen", NULL, &r), 200);
	body = body_of(&r);
	assert_non_null(strstr(body, "<span class=\"vp-story-tag\">wachtlijst</span>"));
	assert_non_null(strstr(body, "&lt;b&gt;mooi&lt;/b&gt;"));
	assert_null(strstr(body, "<b>mooi"));
	free(body);
	/* bad tags: 422, nothing changed */
	char longtag[64];
	memset(longtag, 'x', 41);
	longtag[41] = 0;
	static const char *const bad[] = {"a,b,c,d,e,f,g,h,i,j,k", NULL, "tab\there"};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(
		        who_post(&analyst, path, &r, "labels", bad[i] ? bad[i] : longtag, NULL),
		        422);
		http_free(&r);
	}
	assert_int_equal(count_sql("tags", s38), 2);
	/* an empty text takes every tag off */
	assert_int_equal(who_post(&analyst, path, &r, "labels", "", NULL), 303);
	http_free(&r);
	assert_int_equal(count_sql("tags", s38), 0);
	/* a story that is not in this collection, a page elsewhere to go back to */
	snprintf(path, sizeof path, "/verkennen/%lld/verhalen/999999/labels", coll_id);
	assert_int_equal(who_post(&analyst, path, &r, "labels", "x", NULL), 404);
	http_free(&r);
	snprintf(path, sizeof path, "/verkennen/%lld/verhalen/%lld/labels", coll_id, s38);
	assert_int_equal(
	        who_post(&analyst, path, &r, "labels", "x", "terug", "//evil.example/x", NULL),
	        303);
	snprintf(back, sizeof back, "/verkennen/%lld/selecties", coll_id);
	assert_string_equal(wt_location(&r), back);
	http_free(&r);
}

static void test_sets(void **state)
{
	long long s1 = story_id_of(1), s2 = story_id_of(2);
	char path[128], s1t[24], s2t[24];
	snprintf(s1t, sizeof s1t, "%lld", s1);
	snprintf(s2t, sizeof s2t, "%lld", s2);
	snprintf(path, sizeof path, "/verkennen/%lld/selecties", coll_id);
	struct http_resp r;
	/* no sets yet */
	assert_int_equal(get(coll_id, "selecties", NULL, NULL, &r), 200);
	char *body = body_of(&r);
	assert_non_null(strstr(body, "vp-sets-empty"));
	free(body);
	/* a new set by its name, then the same name again: one set */
	assert_int_equal(who_post(&analyst, path, &r, "verhaal", s1t, "naam", "Sessie <1>", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(who_post(&analyst, path, &r, "verhaal", s2t, "naam", "Sessie <1>", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(count_sql("sets", coll_id), 1);
	assert_int_equal(get(coll_id, "selecties", NULL, NULL, &r), 200);
	body = body_of(&r);
	assert_non_null(strstr(body, "Sessie &lt;1&gt;</a> (2 "));
	const char *p = strstr(body, "/selecties/");
	assert_non_null(p);
	long long set = strtoll(p + strlen("/selecties/"), NULL, 10);
	free(body);
	assert_int_equal(count_sql("items", set), 2);
	/* a set's page shows its stories (whatever their number), each logged */
	long long views = log_count("view");
	char page[64];
	snprintf(page, sizeof page, "selecties/%lld", set);
	assert_int_equal(get(coll_id, page, NULL, NULL, &r), 200);
	body = body_of(&r);
	assert_int_equal(count_of(body, "<article class=\"vp-story-item\">"), 2);
	assert_non_null(strstr(body, ">Verhaal 2<"));
	assert_null(strstr(body, "Take out of this set")); /* the reader cannot */
	free(body);
	assert_int_equal(log_count("view"), views + 2);
	assert_int_equal(get(coll_id, page, NULL, "kaarten=1", &r), 200);
	body = body_of(&r);
	assert_int_equal(count_of(body, "<article class=\"vp-story-card\">"), 2);
	free(body);
	/* by its id too; a second time changes nothing */
	char sett[24];
	snprintf(sett, sizeof sett, "%lld", set);
	assert_int_equal(who_post(&analyst, path, &r, "verhaal", s2t, "selectie", sett, NULL), 303);
	http_free(&r);
	assert_int_equal(count_sql("items", set), 2);
	/* bad input: 422 or 404, nothing changed */
	char longname[100];
	memset(longname, 'n', 81);
	longname[81] = 0;
	assert_int_equal(who_post(&analyst, path, &r, "verhaal", s1t, "naam", "", NULL), 422);
	http_free(&r);
	assert_int_equal(who_post(&analyst, path, &r, "verhaal", s1t, "naam", longname, NULL), 422);
	http_free(&r);
	assert_int_equal(who_post(&analyst, path, &r, "verhaal", "abc", "naam", "x", NULL), 422);
	http_free(&r);
	assert_int_equal(who_post(&analyst, path, &r, "verhaal", "999999", "naam", "x", NULL), 404);
	http_free(&r);
	assert_int_equal(who_post(&analyst, path, &r, "verhaal", s1t, "selectie", "999999", NULL),
	                 404);
	http_free(&r);
	assert_int_equal(count_sql("sets", coll_id), 1);
	/* the reader may not change sets */
	struct who rd;
	memset(&rd, 0, sizeof rd);
	rd.jar = reader;
	assert_int_equal(who_post(&rd, path, &r, "verhaal", s1t, "naam", "Lezer", NULL), 403);
	http_free(&r);
	/* taken out; a second time is 404 */
	char rm[96];
	snprintf(rm, sizeof rm, "/verkennen/%lld/selecties/%lld/verwijderen", coll_id, set);
	assert_int_equal(who_post(&analyst, rm, &r, "verhaal", s1t, NULL), 303);
	http_free(&r);
	assert_int_equal(count_sql("items", set), 1);
	assert_int_equal(who_post(&analyst, rm, &r, "verhaal", s1t, NULL), 404);
	http_free(&r);
	/* a set of another collection, or none */
	assert_int_equal(get(coll_id, "selecties/999999", NULL, NULL, &r), 404);
	http_free(&r);
	snprintf(page, sizeof page, "selecties/%lld", set);
	assert_int_equal(get(other_id, page, NULL, NULL, &r), 404);
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_stories_of_a_filter),
	        cmocka_unit_test(test_story_text_escaped),
	        cmocka_unit_test(test_pages),
	        cmocka_unit_test(test_bad_filter),
	        cmocka_unit_test(test_too_few),
	        cmocka_unit_test(test_cards),
	        cmocka_unit_test(test_not_found),
	        cmocka_unit_test(test_links_to_stories),
	        cmocka_unit_test(test_csv),
	        cmocka_unit_test(test_xlsx),
	        cmocka_unit_test(test_json),
	        cmocka_unit_test(test_chart_files),
	        cmocka_unit_test(test_tags),
	        cmocka_unit_test(test_sets),
	};
	return cmocka_run_group_tests_name("explore_stories", tests, setup, teardown);
}
