/* test_collections_pages.c: collections in the browser and the API: list, new (page and API), bad input, details, poster, flyer, QR code, closing, roles. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "model/script.h"
#include "model/script_store.h"
#include "model/user.h"

#include <jansson.h>
#include <regex.h>

#define EDITOR_PW "editor password 123"
#define READER_PW "reader password 123"

#define SCRIPT_TEXT(KEY)                                                                     \
	"{\"format\":\"vertelpunt-script/1\",\"key\":\"" KEY "\",\"title\":{\"nl\":\"Wonen " \
	"in Oost\"},\"privacy\":{\"nl\":\"Alleen de gemeente leest dit.\"},\"sections\":"    \
	"[{\"id\":\"s\",\"questions\":[{\"id\":\"q\",\"type\":\"story\",\"text\":"           \
	"{\"nl\":\"Vertel\"},\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel "          \
	"maar\"}}]}]}]}"

static int ipn;
/* Script ids: one published, one only a draft, one retired. */
static long long published_id, draft_id, retired_id;

static int64_t add_script(db *d, int64_t org, const char *text, int to1, int to2)
{
	char err[256];
	struct script *sc = script_parse_text(text, strlen(text), err, sizeof err);
	if (!sc)
		return 0;
	struct script_save_job sj = {.org_id = org, .script = sc};
	int rc = script_save_write(d, &sj);
	script_free(sc);
	if (rc != 0 || sj.result != SCRIPT_OK)
		return 0;
	int to[2] = {to1, to2};
	for (int i = 0; i < 2; i++) {
		if (to[i] < 0)
			continue;
		struct script_status_job pj = {
		        .org_id = org, .script_id = sj.script_id, .version = 1, .to = to[i]};
		if (script_status_write(d, &pj) != 0 || pj.result != SCRIPT_OK)
			return 0;
	}
	return sj.script_id;
}

static int setup(void **state)
{
	db *d = fixture_open("collpages");
	int64_t org;
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK)
		return -1;
	if (wt_editor_and_reader(d, org, ROLE_PROCESBEGELEIDER, EDITOR_PW, READER_PW) != 0)
		return -1;
	published_id = add_script(d, org, SCRIPT_TEXT("gepubliceerd"), SCRIPT_PUBLISHED, -1);
	draft_id = add_script(d, org, SCRIPT_TEXT("concept"), -1, -1);
	retired_id = add_script(d, org, SCRIPT_TEXT("oud"), SCRIPT_PUBLISHED, SCRIPT_RETIRED);
	if (!published_id || !draft_id || !retired_id)
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

/* ---- helpers ---------------------------------------------------------------- */

/* Logs in from the next address of 10.6 (English interface: the texts
 * are the message ids) and reads the session's form token. */
static void login(struct who *w, const char *user, const char *pw)
{
	char ip[32];
	wt_ip(ip, sizeof ip, 6, ++ipn);
	who_login(w, user, pw, ip);
}

static int post_json(struct who *w, const char *path, const char *body, struct http_resp *r)
{
	char hdr[200];
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", w->token);
	assert_int_equal(http_do(port, &w->jar, "POST", path, body ? "application/json" : NULL, hdr,
	                         body ? body : "", body ? strlen(body) : 0, r),
	                 0);
	return r->status;
}

static int body_matches(struct http_resp *r, const char *pattern)
{
	regex_t re;
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	int ok = r->body && regexec(&re, r->body, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* The collections as JSON (through the API). */
static json_t *api_list(struct who *w)
{
	struct http_resp r;
	assert_int_equal(who_get(w, "/api/v1/collections", &r), 200);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	http_free(&r);
	assert_true(json_is_array(j));
	return j;
}

static size_t count_collections(struct who *w)
{
	json_t *j = api_list(w);
	size_t n = json_array_size(j);
	json_decref(j);
	return n;
}

/* The list item with this id (a new reference), or NULL. */
static json_t *api_item(struct who *w, long long id)
{
	json_t *j = api_list(w), *found = NULL;
	size_t i;
	json_t *c;
	json_array_foreach(j, i, c) if (json_integer_value(json_object_get(c, "id")) == id) found =
	        json_incref(c);
	json_decref(j);
	return found;
}

static const char *version_of(long long script_id)
{
	static char v[32];
	snprintf(v, sizeof v, "%lld:1", script_id);
	return v;
}

/* Makes a collection through the form; returns its id. */
static long long create_page(struct who *w, const char *title)
{
	struct http_resp r;
	assert_int_equal(who_post(w, "/verzamelingen", &r, "title", title, "purpose",
	                          "Leren hoe het is om in Oost te wonen.", "version",
	                          version_of(published_id), "from", "2026-01-01", "until",
	                          "2026-03-31", "retention", "365", NULL),
	                 303);
	long long id = 0;
	assert_int_equal(sscanf(wt_location(&r), "/verzamelingen/%lld?ok=created", &id), 1);
	http_free(&r);
	return id;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_list_and_form(void **state)
{
	struct who ed, rd;
	login(&ed, "redacteur", EDITOR_PW);
	login(&rd, "lezer", READER_PW);
	struct http_resp r;
	assert_int_equal(who_get(&ed, "/verzamelingen", &r), 200);
	assert_true(wt_has(&r, "<form class=\"vp-form vp-coll-form\" method=\"post\" "
	                       "action=\"/verzamelingen\">"));
	assert_true(wt_has(&r, "name=\"retention\""));
	assert_true(wt_has(&r, "value=\"730\""));
	/* Only the published version can be chosen. */
	char opt[64];
	snprintf(opt, sizeof opt, "<option value=\"%lld:1\"", published_id);
	assert_true(wt_has(&r, opt));
	snprintf(opt, sizeof opt, "<option value=\"%lld:1\"", draft_id);
	assert_false(wt_has(&r, opt));
	snprintf(opt, sizeof opt, "<option value=\"%lld:1\"", retired_id);
	assert_false(wt_has(&r, opt));
	/* The menu leads here. */
	assert_true(wt_has(&r, "href=\"/verzamelingen\" aria-current=\"page\""));
	http_free(&r);
	/* A reader sees the list, not the form. */
	assert_int_equal(who_get(&rd, "/verzamelingen", &r), 200);
	assert_false(wt_has(&r, "action=\"/verzamelingen\""));
	http_free(&r);
	/* The start page links to it. */
	assert_int_equal(who_get(&rd, "/", &r), 200);
	assert_true(wt_has(&r, "<main"));
	assert_true(strstr(strstr(r.body, "<main"), "href=\"/verzamelingen\"") != NULL);
	http_free(&r);
}

static void test_create_page_and_details(void **state)
{
	struct who ed;
	login(&ed, "redacteur", EDITOR_PW);
	long long id = create_page(&ed, "Wonen in Oost <2026>");
	json_t *c = api_item(&ed, id);
	assert_non_null(c);
	const char *token = json_string_value(json_object_get(c, "token"));
	const char *code = json_string_value(json_object_get(c, "short_code"));
	assert_int_equal(strlen(token), 32);
	assert_int_equal(json_integer_value(json_object_get(c, "starts_at")), 1767225600);
	assert_int_equal(json_integer_value(json_object_get(c, "ends_at")), 1775001600);
	assert_int_equal(json_integer_value(json_object_get(c, "retention_days")), 365);
	char path[64], want[128];
	snprintf(path, sizeof path, "/verzamelingen/%lld?ok=created", id);
	struct http_resp r;
	assert_int_equal(who_get(&ed, path, &r), 200);
	assert_true(wt_has(&r, "<h1 class=\"utrecht-heading-1\">Wonen in Oost &lt;2026&gt;</h1>"));
	/* The link in full, from the Host header the client sent. */
	snprintf(want, sizeof want, ">http://127.0.0.1/v/%s</a>", token);
	assert_true(wt_has(&r, want));
	snprintf(want, sizeof want, ">%.4s-%.4s</code>", code, code + 4);
	assert_true(wt_has(&r, want));
	assert_true(wt_has(&r, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
	snprintf(want, sizeof want, "<title>http://127.0.0.1/v/%s</title>", token);
	assert_true(wt_has(&r, want));
	snprintf(want, sizeof want, "href=\"/verzamelingen/%lld/poster\"", id);
	assert_true(wt_has(&r, want));
	snprintf(want, sizeof want, "href=\"/verzamelingen/%lld/flyer\"", id);
	assert_true(wt_has(&r, want));
	snprintf(want, sizeof want, "action=\"/verzamelingen/%lld/sluiten\"", id);
	assert_true(wt_has(&r, want));
	assert_true(wt_has(&r, "The collection was made."));
	assert_true(wt_has(&r, "until and including 2026-03-31"));
	http_free(&r);
	/* The list shows it with its code. */
	assert_int_equal(who_get(&ed, "/verzamelingen", &r), 200);
	assert_true(wt_has(&r, "Wonen in Oost &lt;2026&gt;"));
	snprintf(want, sizeof want, ">%.4s-%.4s</code>", code, code + 4);
	assert_true(wt_has(&r, want));
	http_free(&r);
	json_decref(c);
	/* An unknown or malformed id. */
	assert_int_equal(who_get(&ed, "/verzamelingen/999999", &r), 404);
	http_free(&r);
	assert_int_equal(who_get(&ed, "/verzamelingen/abc", &r), 404);
	http_free(&r);
}

static void test_create_page_bad_input(void **state)
{
	struct who ed;
	login(&ed, "redacteur", EDITOR_PW);
	size_t before = count_collections(&ed);
	const char *pub = version_of(published_id);
	char draft[32], retired[32];
	snprintf(draft, sizeof draft, "%lld:1", draft_id);
	snprintf(retired, sizeof retired, "%lld:1", retired_id);
	struct {
		const char *title, *purpose, *version, *from, *until, *retention;
		int status;
		const char *field, *msg;
	} cases[] = {
	        {"", "P", pub, "", "", "730", 422, "title", "Write a title"},
	        {"   ", "P", pub, "", "", "730", 422, "title", "Write a title"},
	        {"T", "", pub, "", "", "730", 422, "purpose", "Write the purpose"},
	        {"T", "P", "", "", "", "730", 422, "version", "Choose an interview script"},
	        {"T", "P", "x:1", "", "", "730", 422, "version", "Choose an interview script"},
	        {"T", "P", "999999:1", "", "", "730", 422, "version", "Choose an interview script"},
	        {"T", "P", draft, "", "", "730", 409, "version", "draft or retired"},
	        {"T", "P", retired, "", "", "730", 409, "version", "draft or retired"},
	        {"T", "P", pub, "31-12-2026", "", "730", 422, "from", "first day"},
	        {"T", "P", pub, "", "2026-02-30x", "730", 422, "until", "last day"},
	        {"T", "P", pub, "", "2026-02-30", "730", 422, "until", "last day"},
	        {"T", "P", pub, "2026-05-01", "2026-04-01", "730", 422, "until",
	         "end of the period"},
	        {"T", "P", pub, "", "", "0", 422, "retention", "1 to 36500 days"},
	        {"T", "P", pub, "", "", "abc", 422, "retention", "1 to 36500 days"},
	        {"T", "P", pub, "", "", "36501", 422, "retention", "1 to 36500 days"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct http_resp r;
		int st = who_post(&ed, "/verzamelingen", &r, "title", cases[i].title, "purpose",
		                  cases[i].purpose, "version", cases[i].version, "from",
		                  cases[i].from, "until", cases[i].until, "retention",
		                  cases[i].retention, NULL);
		if (st != cases[i].status)
			print_message("  case %zu: %d\n", i, st);
		assert_int_equal(st, cases[i].status);
		assert_true(wt_has(&r, "role=\"alert\" id=\"nieuw-fout\""));
		assert_true(wt_has(&r, cases[i].msg));
		char want[96];
		snprintf(want, sizeof want, "id=\"%s\" name=\"%s\"", cases[i].field,
		         cases[i].field);
		const char *f = strstr(r.body, want);
		assert_non_null(f);
		const char *end = strchr(f, '>');
		assert_non_null(strstr(f, "aria-invalid=\"true\""));
		assert_true(strstr(f, "aria-invalid=\"true\"") < end);
		/* What was typed stays in the form. */
		if (*cases[i].title && *cases[i].title != ' ')
			assert_true(wt_has(&r, "value=\"T\""));
		http_free(&r);
	}
	assert_int_equal(count_collections(&ed), before);
}

static void test_api_create(void **state)
{
	struct who ed;
	login(&ed, "redacteur", EDITOR_PW);
	char body[512];
	snprintf(body, sizeof body,
	         "{\"title\":\"Via de API\",\"purpose\":\"Testen\",\"script_id\":%lld,"
	         "\"script_version\":1,\"starts_at\":\"2026-01-01\",\"ends_at\":\"2026-03-31\","
	         "\"retention_days\":100}",
	         published_id);
	struct http_resp r;
	assert_int_equal(post_json(&ed, "/api/v1/collections", body, &r), 201);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	http_free(&r);
	assert_non_null(j);
	long long id = json_integer_value(json_object_get(j, "id"));
	const char *token = json_string_value(json_object_get(j, "token"));
	const char *code = json_string_value(json_object_get(j, "short_code"));
	const char *link = json_string_value(json_object_get(j, "link"));
	assert_true(id > 0);
	assert_int_equal(strlen(token), 32);
	assert_non_null(code);
	assert_int_equal(strlen(code), 9);
	assert_int_equal(code[4], '-');
	char want[96];
	snprintf(want, sizeof want, "http://127.0.0.1/v/%s", token);
	assert_string_equal(link, want);
	json_t *c = api_item(&ed, id);
	assert_non_null(c);
	assert_int_equal(json_integer_value(json_object_get(c, "starts_at")), 1767225600);
	assert_int_equal(json_integer_value(json_object_get(c, "ends_at")), 1775001600);
	assert_int_equal(json_integer_value(json_object_get(c, "retention_days")), 100);
	assert_false(json_is_true(json_object_get(c, "closed")));
	json_decref(c);
	json_decref(j);

	/* Defaults: no period, 730 days; times as seconds too. */
	snprintf(body, sizeof body,
	         "{\"title\":\"Zonder periode\",\"purpose\":\"Testen\",\"script_id\":%lld,"
	         "\"script_version\":1,\"ends_at\":1775001600}",
	         published_id);
	assert_int_equal(post_json(&ed, "/api/v1/collections", body, &r), 201);
	j = json_loadb(r.body, r.body_len, 0, NULL);
	http_free(&r);
	c = api_item(&ed, json_integer_value(json_object_get(j, "id")));
	assert_int_equal(json_integer_value(json_object_get(c, "retention_days")), 730);
	assert_int_equal(json_integer_value(json_object_get(c, "starts_at")), 0);
	assert_int_equal(json_integer_value(json_object_get(c, "ends_at")), 1775001600);
	json_decref(c);
	json_decref(j);

	/* Bad input: 422 naming the field; drafts and retired versions 409. */
	size_t before = count_collections(&ed);
	struct {
		const char *fmt;
		long long sid;
		int status;
		const char *field;
	} cases[] = {
	        {"{\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1}", published_id, 422,
	         "title"},
	        {"{\"title\":\"\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1}",
	         published_id, 422, "title"},
	        {"{\"title\":\"a\\nb\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1}",
	         published_id, 422, "title"},
	        {"{\"title\":\"T\",\"purpose\":7,\"script_id\":%lld,\"script_version\":1}",
	         published_id, 422, "purpose"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":\"%lld\",\"script_version\":1}",
	         published_id, 422, "script_id"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld}", published_id, 422,
	         "script_version"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":0}",
	         published_id, 422, "script_version"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1}",
	         999999, 422, "script_version"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1,"
	         "\"starts_at\":\"1-1-2026\"}",
	         published_id, 422, "starts_at"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1,"
	         "\"ends_at\":true}",
	         published_id, 422, "ends_at"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1,"
	         "\"starts_at\":\"2026-05-01\",\"ends_at\":\"2026-04-01\"}",
	         published_id, 422, "ends_at"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1,"
	         "\"retention_days\":0}",
	         published_id, 422, "retention_days"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1,"
	         "\"retention_days\":\"730\"}",
	         published_id, 422, "retention_days"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1}",
	         draft_id, 409, "script_version"},
	        {"{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1}",
	         retired_id, 409, "script_version"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(body, sizeof body, cases[i].fmt, cases[i].sid);
#pragma GCC diagnostic pop
		int st = post_json(&ed, "/api/v1/collections", body, &r);
		if (st != cases[i].status)
			print_message("  case %zu: %d %.*s\n", i, st, (int)r.body_len, r.body);
		assert_int_equal(st, cases[i].status);
		assert_string_equal(http_header(&r, "Content-Type"), "application/problem+json");
		j = json_loadb(r.body, r.body_len, 0, NULL);
		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j, "field")), cases[i].field);
		assert_int_equal(json_integer_value(json_object_get(j, "status")), cases[i].status);
		json_decref(j);
		http_free(&r);
	}
	/* Not JSON at all. */
	char hdr[200];
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", ed.token);
	assert_int_equal(http_do(port, &ed.jar, "POST", "/api/v1/collections", "text/plain", hdr,
	                         "x", 1, &r),
	                 0);
	assert_int_equal(r.status, 415);
	http_free(&r);
	assert_int_equal(count_collections(&ed), before);
}

static void test_poster_flyer_qr(void **state)
{
	struct who rd, ed;
	login(&ed, "redacteur", EDITOR_PW);
	login(&rd, "lezer", READER_PW); /* every role of the staff may print */
	long long id = create_page(&ed, "Poster & flyer");
	json_t *c = api_item(&ed, id);
	const char *token = json_string_value(json_object_get(c, "token"));
	const char *code = json_string_value(json_object_get(c, "short_code"));
	char path[96], link[96], want[160];
	snprintf(link, sizeof link, "http://127.0.0.1/v/%s", token);
	struct http_resp r;
	static const char *const kinds[] = {"poster", "flyer"};
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof path, "/verzamelingen/%lld/%s", id, kinds[k]);
		assert_int_equal(who_get(&rd, path, &r), 200);
		assert_string_equal(http_header(&r, "Content-Type"), "text/html; charset=utf-8");
		assert_true(wt_has(&r, k == 0 ? "vp-sheet vp-sheet--a4" : "vp-sheet vp-sheet--a6"));
		assert_true(wt_has(&r, "Tell us your story"));
		assert_true(wt_has(&r, "Poster &amp; flyer"));
		snprintf(want, sizeof want, "<p class=\"vp-sheet__link\">%s</p>", link);
		assert_true(wt_has(&r, want));
		snprintf(want, sizeof want, "<p class=\"vp-sheet__code\">%.4s-%.4s</p>", code,
		         code + 4);
		assert_true(wt_has(&r, want));
		snprintf(want, sizeof want, "<title>%s</title>", link);
		assert_true(wt_has(&r, want));
		assert_true(body_matches(&r, "<path fill=\"#000\"[^>]* d=\"M[0-9]"));
		assert_true(wt_has(&r, "counter of the town hall"));
		http_free(&r);
	}
	snprintf(path, sizeof path, "/verzamelingen/%lld/qr.svg", id);
	assert_int_equal(who_get(&rd, path, &r), 200);
	assert_string_equal(http_header(&r, "Content-Type"), "image/svg+xml");
	assert_null(http_header(&r, "Content-Disposition"));
	assert_true(strncmp(r.body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
	snprintf(want, sizeof want, "<title>%s</title>", link);
	assert_true(wt_has(&r, want));
	assert_true(wt_has(&r, "<path "));
	assert_true(wt_has(&r, "</svg>"));
	http_free(&r);
	snprintf(path, sizeof path, "/verzamelingen/%lld/qr.svg?download=1", id);
	assert_int_equal(who_get(&rd, path, &r), 200);
	snprintf(want, sizeof want, "attachment; filename=\"verzameling-%lld-qr.svg\"", id);
	assert_string_equal(http_header(&r, "Content-Disposition"), want);
	http_free(&r);
	json_decref(c);
	static const char *const missing[] = {"/verzamelingen/999999/poster",
	                                      "/verzamelingen/999999/flyer",
	                                      "/verzamelingen/999999/qr.svg"};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(who_get(&rd, missing[i], &r), 404);
		http_free(&r);
	}
}

static void test_close(void **state)
{
	struct who ed;
	login(&ed, "redacteur", EDITOR_PW);
	long long id = create_page(&ed, "Te sluiten");
	char path[96], want[96];
	snprintf(path, sizeof path, "/verzamelingen/%lld/sluiten", id);
	struct http_resp r;
	/* Not without ticking the box. */
	assert_int_equal(who_post(&ed, path, &r, NULL), 422);
	assert_true(wt_has(&r, "Tick the box"));
	assert_true(wt_has(&r, "id=\"bevestig\" name=\"confirm\" value=\"yes\" "
	                       "aria-invalid=\"true\""));
	http_free(&r);
	json_t *open = api_item(&ed, id);
	assert_false(json_is_true(json_object_get(open, "closed")));
	json_decref(open);
	assert_int_equal(who_post(&ed, path, &r, "confirm", "no", NULL), 422);
	http_free(&r);
	assert_int_equal(who_post(&ed, path, &r, "confirm", "yes", NULL), 303);
	snprintf(want, sizeof want, "/verzamelingen/%lld?ok=closed", id);
	assert_string_equal(wt_location(&r), want);
	http_free(&r);
	assert_int_equal(who_get(&ed, want, &r), 200);
	assert_true(wt_has(&r, "The collection is closed."));
	assert_false(wt_has(&r, "/sluiten\""));
	assert_true(wt_has(&r, ">closed</span>"));
	http_free(&r);
	json_t *c = api_item(&ed, id);
	assert_true(json_is_true(json_object_get(c, "closed")));
	json_decref(c);
	assert_int_equal(who_post(&ed, "/verzamelingen/999999/sluiten", &r, "confirm", "yes", NULL),
	                 404);
	http_free(&r);

	/* Through the API. */
	id = create_page(&ed, "Te sluiten via de API");
	snprintf(path, sizeof path, "/api/v1/collections/%lld/close", id);
	assert_int_equal(post_json(&ed, path, NULL, &r), 200);
	snprintf(want, sizeof want, "{\"id\":%lld,\"closed\":true}", id);
	assert_int_equal(r.body_len, strlen(want));
	assert_memory_equal(r.body, want, r.body_len);
	http_free(&r);
	c = api_item(&ed, id);
	assert_true(json_is_true(json_object_get(c, "closed")));
	json_decref(c);
	assert_int_equal(post_json(&ed, "/api/v1/collections/999999/close", NULL, &r), 404);
	http_free(&r);
}

static void test_reader_may_not_change(void **state)
{
	struct who ed, rd;
	login(&ed, "redacteur", EDITOR_PW);
	login(&rd, "lezer", READER_PW);
	long long id = create_page(&ed, "Alleen lezen");
	size_t before = count_collections(&ed);
	struct http_resp r;
	assert_int_equal(who_post(&rd, "/verzamelingen", &r, "title", "T", "purpose", "P",
	                          "version", version_of(published_id), NULL),
	                 403);
	http_free(&r);
	char path[96], body[256];
	snprintf(path, sizeof path, "/verzamelingen/%lld/sluiten", id);
	assert_int_equal(who_post(&rd, path, &r, "confirm", "yes", NULL), 403);
	http_free(&r);
	snprintf(body, sizeof body,
	         "{\"title\":\"T\",\"purpose\":\"P\",\"script_id\":%lld,\"script_version\":1}",
	         published_id);
	assert_int_equal(post_json(&rd, "/api/v1/collections", body, &r), 403);
	http_free(&r);
	snprintf(path, sizeof path, "/api/v1/collections/%lld/close", id);
	assert_int_equal(post_json(&rd, path, NULL, &r), 403);
	http_free(&r);
	/* The reader sees the details, without the close button. */
	snprintf(path, sizeof path, "/verzamelingen/%lld", id);
	assert_int_equal(who_get(&rd, path, &r), 200);
	assert_false(wt_has(&r, "/sluiten\""));
	http_free(&r);
	assert_int_equal(count_collections(&ed), before);
	json_t *c = api_item(&ed, id);
	assert_false(json_is_true(json_object_get(c, "closed")));
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_list_and_form),
	        cmocka_unit_test(test_create_page_and_details),
	        cmocka_unit_test(test_create_page_bad_input),
	        cmocka_unit_test(test_api_create),
	        cmocka_unit_test(test_poster_flyer_qr),
	        cmocka_unit_test(test_close),
	        cmocka_unit_test(test_reader_may_not_change),
	};
	return cmocka_run_group_tests_name("collections pages", tests, setup, teardown);
}
