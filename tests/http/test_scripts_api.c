/* test_scripts_api.c: the real server: the script API, its versions, every bad import and every bad answer. */
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
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>

#define PW "script editor password"

static struct jar editor, reader;
static char editor_token[80], reader_token[80];

static int setup(void **state)
{
	db *d = fixture_open("scripts-api");
	int64_t org;
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK)
		return -1;
	fixture_user(d, org, "editor", "Editor", ROLE_ONDERZOEKER, PW, 0);
	fixture_user(d, org, "reader", "Reader", ROLE_MEELEZER, PW, 0);
	struct app_config cfg;
	fixture_config(&cfg);
	if (fixture_start(d, &cfg) != 0)
		return -1;
	snprintf(editor.ip, sizeof editor.ip, "10.8.0.1");
	snprintf(reader.ip, sizeof reader.ip, "10.8.0.2");
	assert_int_equal(fixture_login(&editor, "editor", PW, NULL), 303);
	assert_int_equal(fixture_login(&reader, "reader", PW, NULL), 303);
	wt_api_csrf(&editor, editor_token, sizeof editor_token);
	wt_api_csrf(&reader, reader_token, sizeof reader_token);
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* A JSON request as the editor (or reader); body may be NULL. */
static void api(struct jar *j, const char *method, const char *path, const char *body,
                struct http_resp *r)
{
	char hdr[128];
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n",
	         j == &editor ? editor_token : reader_token);
	assert_int_equal(http_do(port, j, method, path, body ? "application/json" : NULL, hdr, body,
	                         body ? strlen(body) : 0, r),
	                 0);
}

static json_t *body_json(struct http_resp *r)
{
	json_t *j = json_loadb(r->body, r->body_len, 0, NULL);
	if (!j)
		print_message("not JSON: %.*s\n", (int)r->body_len, r->body);
	assert_non_null(j);
	return j;
}

/* A script with a story and six signification questions. KEY is replaced. */
static const char base_script[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"KEY\",\"title\":{\"nl\":\"Ervaringen\","
        "\"en\":\"Experiences\"},\"privacy\":{\"nl\":\"Alleen het team leest uw verhaal.\"},"
        "\"sections\":[{\"id\":\"s1\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},\"required\":true,"
        "\"prompts\":[{\"id\":\"p1\",\"text\":{\"nl\":\"Vertel over een goed moment.\"}},"
        "{\"id\":\"p2\",\"text\":{\"nl\":\"Vertel over een moeilijk moment.\"}}]},"
        "{\"id\":\"gevoel\",\"type\":\"choice\",\"text\":{\"nl\":\"Hoe voelde het?\"},"
        "\"options\":[{\"id\":\"goed\",\"label\":{\"nl\":\"Goed\"}},{\"id\":\"slecht\","
        "\"label\":{\"nl\":\"Slecht\"}}],\"other\":{\"nl\":\"Anders\"}},"
        "{\"id\":\"wie\",\"type\":\"multi\",\"text\":{\"nl\":\"Wie hielp?\"},\"options\":["
        "{\"id\":\"buur\",\"label\":{\"nl\":\"Buren\"}},{\"id\":\"fam\",\"label\":{\"nl\":"
        "\"Familie\"}},{\"id\":\"gem\",\"label\":{\"nl\":\"Gemeente\"}}],\"max\":2},"
        "{\"id\":\"waarom\",\"type\":\"text\",\"text\":{\"nl\":\"Waarom slecht?\"},"
        "\"show_if\":{\"question\":\"gevoel\",\"is\":[\"slecht\"]}},"
        "{\"id\":\"tevreden\",\"type\":\"scale\",\"text\":{\"nl\":\"Hoe tevreden bent u?\"},"
        "\"points\":5,\"low\":{\"nl\":\"Niet\"},\"high\":{\"nl\":\"Heel erg\"}},"
        "{\"id\":\"regie\",\"type\":\"dyad\",\"text\":{\"nl\":\"Wie besliste?\"},"
        "\"not_applicable\":true,\"poles\":[{\"id\":\"ik\",\"label\":{\"nl\":\"Ikzelf\"}},"
        "{\"id\":\"zij\",\"label\":{\"nl\":\"De gemeente\"}}]},"
        "{\"id\":\"steun\",\"type\":\"triad\",\"text\":{\"nl\":\"Steun kwam van\"},"
        "\"corners\":[{\"id\":\"a\",\"label\":{\"nl\":\"Mijzelf\"}},{\"id\":\"b\",\"label\":"
        "{\"nl\":\"Mijn netwerk\"}},{\"id\":\"c\",\"label\":{\"nl\":\"Hulpverleners\"}}]},"
        "{\"id\":\"plek\",\"type\":\"stones\",\"text\":{\"nl\":\"Leg de stenen\"},\"stones\":["
        "{\"id\":\"huis\",\"label\":{\"nl\":\"Huis\"}}],\"x\":{\"low\":{\"nl\":\"Klein\"},"
        "\"high\":{\"nl\":\"Groot\"}},\"y\":{\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":"
        "\"Hoog\"}}},"
        "{\"id\":\"oordeel\",\"type\":\"scale\",\"perspective\":\"professional\",\"required\":"
        "true,\"text\":{\"nl\":\"Oordeel van de consulent\"},\"points\":7,\"low\":{\"nl\":"
        "\"Slecht\"},\"high\":{\"nl\":\"Goed\"}}]}]}";

/* base_script with KEY replaced and one substring replaced (or NULL). */
static char *script_with(const char *key, const char *from, const char *to)
{
	buf b;
	buf_init(&b);
	const char *k = strstr(base_script, "KEY");
	buf_append(&b, base_script, (size_t)(k - base_script));
	buf_puts(&b, key);
	buf_puts(&b, k + 3);
	char *s = buf_detach(&b, NULL);
	if (from) {
		char *at = strstr(s, from);
		assert_non_null(at);
		buf_init(&b);
		buf_append(&b, s, (size_t)(at - s));
		buf_puts(&b, to);
		buf_puts(&b, at + strlen(from));
		free(s);
		s = buf_detach(&b, NULL);
	}
	return s;
}

/* s with every from replaced by to; frees s. */
static char *replace_all(char *s, const char *from, const char *to)
{
	buf b;
	buf_init(&b);
	const char *p = s, *at;
	while ((at = strstr(p, from))) {
		buf_append(&b, p, (size_t)(at - p));
		buf_puts(&b, to);
		p = at + strlen(from);
	}
	buf_puts(&b, p);
	free(s);
	return buf_detach(&b, NULL);
}

/* Creates a script and returns its id. */
static long long create(const char *key)
{
	char *body = script_with(key, NULL, NULL);
	struct http_resp r;
	api(&editor, "POST", "/api/v1/scripts", body, &r);
	free(body);
	assert_int_equal(r.status, 201);
	json_t *j = body_json(&r);
	long long id = json_integer_value(json_object_get(j, "id"));
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
	char loc[96];
	snprintf(loc, sizeof loc, "/api/v1/scripts/%lld/versions/1", id);
	assert_string_equal(http_header(&r, "Location"), loc);
	json_decref(j);
	http_free(&r);
	return id;
}

static int status_of(struct jar *j, const char *method, const char *path, const char *body)
{
	struct http_resp r;
	api(j, method, path, body, &r);
	int st = r.status;
	http_free(&r);
	return st;
}

static void test_create_and_export(void **state)
{
	long long id = create("export");
	char path[96];
	snprintf(path, sizeof path, "/api/v1/scripts/%lld/versions/1", id);
	struct http_resp r;
	api(&reader, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(http_header(&r, "Vertelpunt-Script-Status"), "draft");
	assert_null(http_header(&r, "Content-Disposition"));
	/* The body is the canonical form: parse + emit gives the same bytes. */
	char err[256];
	struct script *s = script_parse_text(r.body, r.body_len, err, sizeof err);
	assert_non_null(s);
	buf again;
	buf_init(&again);
	script_emit(s, &again);
	assert_int_equal(again.len, r.body_len);
	assert_memory_equal(again.data, r.body, r.body_len);
	/* Importing the export again stores the same bytes (as a new script). */
	char *copy = strndup(r.body, r.body_len);
	http_free(&r);
	char *at = strstr(copy, "\"export\"");
	assert_non_null(at);
	memcpy(at, "\"exporu\"", 8);
	api(&editor, "POST", "/api/v1/scripts", copy, &r);
	assert_int_equal(r.status, 201);
	json_t *j = body_json(&r);
	snprintf(path, sizeof path, "/api/v1/scripts/%lld/versions/1",
	         (long long)json_integer_value(json_object_get(j, "id")));
	json_decref(j);
	http_free(&r);
	api(&reader, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, strlen(copy));
	assert_memory_equal(r.body, copy, r.body_len);
	http_free(&r);
	free(copy);
	buf_free(&again);
	script_free(s);

	/* As a file to save. */
	snprintf(path, sizeof path, "/api/v1/scripts/%lld/versions/1?download=1", id);
	api(&reader, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(http_header(&r, "Content-Disposition"),
	                    "attachment; filename=\"export-v1.json\"");
	http_free(&r);

	/* The list shows both. */
	api(&reader, "GET", "/api/v1/scripts", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"key\":\"export\""));
	assert_non_null(strstr(r.body, "\"key\":\"exporu\""));
	http_free(&r);
}

static void test_reader_may_not_write(void **state)
{
	char *body = script_with("nope", NULL, NULL);
	assert_int_equal(status_of(&reader, "POST", "/api/v1/scripts", body), 403);
	free(body);
}

static void test_versions(void **state)
{
	long long id = create("versions");
	char v1[96], v2[96], st1[110], st2[110], versions[96];
	snprintf(v1, sizeof v1, "/api/v1/scripts/%lld/versions/1", id);
	snprintf(v2, sizeof v2, "/api/v1/scripts/%lld/versions/2", id);
	snprintf(st1, sizeof st1, "%s/status", v1);
	snprintf(st2, sizeof st2, "%s/status", v2);
	snprintf(versions, sizeof versions, "/api/v1/scripts/%lld/versions", id);

	/* A draft changes in place; the same key again is refused while it
	 * exists, unless replace_draft. */
	char *changed = script_with("versions", "Hoe voelde het?", "Hoe voelde dat?");
	assert_int_equal(status_of(&editor, "PUT", v1, changed), 200);
	assert_int_equal(status_of(&editor, "POST", "/api/v1/scripts", changed), 409);
	assert_int_equal(status_of(&editor, "POST", "/api/v1/scripts?replace_draft=1", changed),
	                 201);
	/* A body with another key cannot replace this draft. */
	char *other = script_with("iets-anders", NULL, NULL);
	assert_int_equal(status_of(&editor, "PUT", v1, other), 409);
	free(other);

	/* Pilot, then published: immutable from then on. */
	assert_int_equal(status_of(&editor, "POST", st1, "{\"status\":\"pilot\"}"), 200);
	assert_int_equal(status_of(&editor, "PUT", v1, changed), 409);
	assert_int_equal(status_of(&editor, "POST", st1, "{\"status\":\"published\"}"), 200);
	assert_int_equal(status_of(&editor, "POST", st1, "{\"status\":\"pilot\"}"), 409);
	assert_int_equal(status_of(&editor, "POST", st1, "{\"status\":\"deleted\"}"), 409);
	assert_int_equal(status_of(&editor, "POST", st1, "{\"status\":\"draft\"}"), 422);
	assert_int_equal(status_of(&editor, "POST", st1, "{\"status\":\"gone\"}"), 422);

	/* A new draft (version 2); only one draft at a time. */
	struct http_resp r;
	api(&editor, "POST", versions, "{}", &r);
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.body, "\"version\":2"));
	http_free(&r);
	assert_int_equal(status_of(&editor, "POST", versions, "{}"), 409);

	/* Version 2 changes the options of "gevoel" but keeps its id:
	 * publishing is refused and names the question. */
	char *moved = replace_all(script_with("versions", NULL, NULL), "\"slecht\"", "\"matig\"");
	assert_int_equal(status_of(&editor, "PUT", v2, moved), 200);
	api(&editor, "POST", st2, "{\"status\":\"published\"}", &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "gevoel"));
	http_free(&r);
	/* Saying what it continues (an explicit mapping) lets it through. */
	char *mapped = replace_all(
	        strdup(moved), "\"other\":{\"nl\":\"Anders\"}}",
	        "\"other\":{\"nl\":\"Anders\"},\"continues\":{\"question\":\"gevoel\",\"options\":"
	        "{\"goed\":\"goed\",\"slecht\":\"matig\"}}}");
	char *m2 = mapped;
	api(&editor, "PUT", v2, m2, &r);
	if (r.status != 200)
		print_message("%.*s\n", (int)r.body_len, r.body);
	assert_int_equal(r.status, 200);
	http_free(&r);
	assert_int_equal(status_of(&editor, "POST", st2, "{\"status\":\"published\"}"), 200);
	/* Retire the old one; it stays readable. */
	assert_int_equal(status_of(&editor, "POST", st1, "{\"status\":\"retired\"}"), 200);
	api(&reader, "GET", v1, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(http_header(&r, "Vertelpunt-Script-Status"), "retired");
	http_free(&r);
	free(changed);
	free(moved);
	free(mapped);
}

static void test_lint_blocks_publishing(void **state)
{
	char *bad =
	        script_with("linted", "\"label\":{\"nl\":\"Buren\"}", "\"label\":{\"nl\":\" \"}");
	struct http_resp r;
	api(&editor, "POST", "/api/v1/scripts", bad, &r);
	assert_int_equal(r.status, 201);
	json_t *j = body_json(&r);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	http_free(&r);
	char path[128];
	snprintf(path, sizeof path, "/api/v1/scripts/%lld/versions/1/lint", id);
	api(&reader, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	j = body_json(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "errors")), 1);
	json_t *item = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "question")), "wie");
	assert_string_equal(json_string_value(json_object_get(item, "field")),
	                    "options[0].label.nl");
	json_decref(j);
	http_free(&r);
	snprintf(path, sizeof path, "/api/v1/scripts/%lld/versions/1/status", id);
	assert_int_equal(status_of(&editor, "POST", path, "{\"status\":\"published\"}"), 422);
	assert_int_equal(status_of(&editor, "POST", path, "{\"status\":\"pilot\"}"), 422);
	/* A draft can be deleted; then it is gone. */
	assert_int_equal(status_of(&editor, "POST", path, "{\"status\":\"deleted\"}"), 200);
	snprintf(path, sizeof path, "/api/v1/scripts/%lld/versions/1", id);
	assert_int_equal(status_of(&reader, "GET", path, NULL), 404);
	free(bad);
}

/* Every bad import of the issue: refused with the place named, nothing stored. */
static void test_bad_imports(void **state)
{
	static const struct {
		const char *from, *to, *place;
	} cases[] = {
	        {"\"type\":\"choice\"", "\"type\":\"slider\"", "unknown question type"},
	        {"\"label\":{\"nl\":\"Familie\"}", "\"label\":{\"en\":\"Family\"}",
	         "options[1].label: has no Dutch"},
	        {",{\"id\":\"c\",\"label\":{\"nl\":\"Hulpverleners\"}}", "", "(steun).corners"},
	        {"\"show_if\":{\"question\":\"gevoel\"", "\"show_if\":{\"question\":\"tevreden\"",
	         "(waarom).show_if.question"},
	        {"{\"id\":\"wie\"", "{\"id\":\"gevoel\"", "duplicate question id"},
	        {"{\"id\":\"fam\"", "{\"id\":\"buur\"", "duplicate id"},
	        {"\"format\":\"vertelpunt-script/1\"", "\"format\":\"other/2\"", "format"},
	        {"\"points\":5", "\"points\":6", "points"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *body = script_with("bad-import", cases[i].from, cases[i].to);
		struct http_resp r;
		api(&editor, "POST", "/api/v1/scripts", body, &r);
		if (r.status != 422 ||
		    !memmem(r.body, r.body_len, cases[i].place, strlen(cases[i].place)))
			print_message("case %zu: %d %.*s\n", i, r.status, (int)r.body_len, r.body);
		assert_int_equal(r.status, 422);
		assert_non_null(memmem(r.body, r.body_len, cases[i].place, strlen(cases[i].place)));
		assert_non_null(strstr(http_header(&r, "Content-Type"), "problem+json"));
		http_free(&r);
		free(body);
	}
	/* Broken JSON: 400 from the parser. */
	assert_int_equal(status_of(&editor, "POST", "/api/v1/scripts", "{\"format\":"), 400);
	/* Nothing with the key was stored. */
	struct http_resp r;
	api(&reader, "GET", "/api/v1/scripts", NULL, &r);
	assert_null(strstr(r.body, "bad-import"));
	http_free(&r);
}

/* The shared answer checks, through the API: 422 names the question. */
static void test_answers(void **state)
{
	long long id = create("answers");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/scripts/%lld/versions/1/check", id);
	static const char story[] =
	        "\"verhaal\":{\"prompt\":\"p1\",\"title\":\"Hulp\",\"text\":\"Het ging goed.\"}";
	static const struct {
		const char *answers;
		int status;
		const char *question;
	} cases[] = {
	        {"{%s}", 200, NULL},
	        {"{%s,\"steun\":[0.2,0.3,0.5],\"regie\":40,\"gevoel\":\"goed\",\"wie\":[\"buur\"]}",
	         200, NULL},
	        {"{%s,\"steun\":[0.2,0.3,0.4]}", 422, "steun"},
	        {"{%s,\"steun\":[0.2,0.3,0.4995]}", 200, NULL},
	        {"{%s,\"steun\":[-0.1,0.6,0.5]}", 422, "steun"},
	        {"{%s,\"steun\":[0.5,0.5]}", 422, "steun"},
	        {"{%s,\"regie\":101}", 422, "regie"},
	        {"{%s,\"regie\":-1}", 422, "regie"},
	        {"{%s,\"regie\":null}", 200, NULL},
	        {"{%s,\"steun\":null}", 422, "steun"},
	        {"{%s,\"gevoel\":\"boos\"}", 422, "gevoel"},
	        {"{%s,\"gevoel\":{\"other\":\"Moe\"}}", 200, NULL},
	        {"{%s,\"wie\":[\"buur\",\"fam\",\"gem\"]}", 422, "wie"},
	        {"{%s,\"tevreden\":6}", 422, "tevreden"},
	        {"{%s,\"plek\":{\"huis\":[10,120]}}", 422, "plek"},
	        {"{\"gevoel\":\"goed\"}", 422, "verhaal"},
	        {"{%s,\"onbekend\":1}", 422, NULL},
	        {"{%s,\"oordeel\":3}", 422, "oordeel"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char answers[512], body[600];
		const char *hole = strstr(cases[i].answers, "%s");
		if (hole)
			snprintf(answers, sizeof answers, "%.*s%s%s",
			         (int)(hole - cases[i].answers), cases[i].answers, story, hole + 2);
		else
			snprintf(answers, sizeof answers, "%s", cases[i].answers);
		snprintf(body, sizeof body, "{\"answers\":%s}", answers);
		struct http_resp r;
		api(&reader, "POST", path, body, &r);
		if (r.status != cases[i].status)
			print_message("case %zu: %d %.*s\n", i, r.status, (int)r.body_len, r.body);
		assert_int_equal(r.status, cases[i].status);
		if (cases[i].status == 422) {
			json_t *j = body_json(&r);
			json_t *q = json_object_get(j, "question");
			if (cases[i].question)
				assert_string_equal(json_string_value(q), cases[i].question);
			assert_non_null(json_object_get(j, "detail"));
			json_decref(j);
		}
		http_free(&r);
	}
	/* The professional perspective: the consultant's required question. */
	char body[600];
	snprintf(body, sizeof body,
	         "{\"perspectives\":[\"teller\",\"professional\"],\"answers\":{%s}}", story);
	assert_int_equal(status_of(&reader, "POST", path, body), 422);
	snprintf(body, sizeof body,
	         "{\"perspectives\":[\"teller\",\"professional\"],\"answers\":{%s,\"oordeel\":5}}",
	         story);
	assert_int_equal(status_of(&reader, "POST", path, body), 200);
	/* An answer to a question that is not asked is dropped. */
	snprintf(body, sizeof body, "{\"answers\":{%s,\"gevoel\":\"goed\",\"waarom\":\"Daarom\"}}",
	         story);
	struct http_resp r;
	api(&reader, "POST", path, body, &r);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "waarom"));
	http_free(&r);
	/* Dutch messages by default, English on request. */
	snprintf(body, sizeof body, "{\"answers\":{%s,\"regie\":101}}", story);
	api(&reader, "POST", path, body, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "\"question\":\"regie\""));
	http_free(&r);
}

static void test_openapi(void **state)
{
	struct http_resp r;
	assert_int_equal(http_get(port, NULL, "/api/v1/openapi.json", &r), 0);
	assert_int_equal(r.status, 200);
	json_t *j = body_json(&r);
	json_t *paths = json_object_get(j, "paths");
	static const char *const want[] = {"/scripts",
	                                   "/scripts/{id}",
	                                   "/scripts/{id}/versions",
	                                   "/scripts/{id}/versions/{n}",
	                                   "/scripts/{id}/versions/{n}/status",
	                                   "/scripts/{id}/versions/{n}/lint",
	                                   "/scripts/{id}/versions/{n}/check"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (!json_object_get(paths, want[i]))
			print_message("openapi.json lacks %s\n", want[i]);
		assert_non_null(json_object_get(paths, want[i]));
	}
	json_decref(j);
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_create_and_export),
	        cmocka_unit_test(test_reader_may_not_write),
	        cmocka_unit_test(test_versions),
	        cmocka_unit_test(test_lint_blocks_publishing),
	        cmocka_unit_test(test_bad_imports),
	        cmocka_unit_test(test_answers),
	        cmocka_unit_test(test_openapi),
	};
	return cmocka_run_group_tests_name("scripts api", tests, setup, teardown);
}
