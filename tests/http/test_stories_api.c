/* test_stories_api.c: the real server: stories sent to a collection's link: exactly once, every bad input, rate limits. */
#include "../unit/testutil.h"

#include "core/clock.h"
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
#include "model/upload.h"
#include "model/user.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>

#define PW "consultant password 1"

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"loket\",\"title\":{\"nl\":\"Loket\"},"
        "\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","
        "\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"
        "{\"id\":\"regie\",\"type\":\"dyad\",\"not_applicable\":true,\"text\":{\"nl\":\"Wie?\"},"
        "\"poles\":[{\"id\":\"ik\",\"label\":{\"nl\":\"Ik\"}},{\"id\":\"zij\",\"label\":{\"nl\":"
        "\"Zij\"}}]},"
        "{\"id\":\"steun\",\"type\":\"triad\",\"text\":{\"nl\":\"Steun\"},\"corners\":["
        "{\"id\":\"a\",\"label\":{\"nl\":\"Ik\"}},{\"id\":\"b\",\"label\":{\"nl\":\"Familie\"}},"
        "{\"id\":\"c\",\"label\":{\"nl\":\"Gemeente\"}}]},"
        "{\"id\":\"gevoel\",\"type\":\"choice\",\"text\":{\"nl\":\"Gevoel\"},\"options\":["
        "{\"id\":\"goed\",\"label\":{\"nl\":\"Goed\"}},{\"id\":\"slecht\",\"label\":{\"nl\":"
        "\"Slecht\"}}]},"
        "{\"id\":\"wie\",\"type\":\"multi\",\"text\":{\"nl\":\"Wie\"},\"max\":1,\"options\":["
        "{\"id\":\"x\",\"label\":{\"nl\":\"X\"}},{\"id\":\"y\",\"label\":{\"nl\":\"Y\"}}]},"
        "{\"id\":\"oordeel\",\"type\":\"scale\",\"perspective\":\"professional\",\"text\":"
        "{\"nl\":\"Oordeel\"},\"points\":5,\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":\"Hoog\"}}"
        "]}]}";

static char open_token[40], closed_token[40], limited_token[40];
static char map_upload[40], other_upload[40]; /* shown by the open collection / by nothing */
static struct jar staff;
static char staff_csrf[80];

static int setup(void **state)
{
	int64_t org, sid;
	db *d = wt_open_with_script("stories", script_text, &org, &sid, NULL);
	if (!d)
		return -1;
	fixture_user(d, org, "consulent", "Consulent", ROLE_GESPREKSVOERDER, PW, 0);
	char err[256];
	/* Two stored images: one a pin question of a published script shows
	 * at the open collection, one no script uses. */
	char updir[300];
	snprintf(updir, sizeof updir, "%s/uploads", dir);
	char *tokens[2] = {map_upload, other_upload};
	for (int i = 0; i < 2; i++) {
		struct upload u = {.org_id = org, .bytes = 8, .width = 1, .height = 1};
		upload_new_token(u.token);
		snprintf(u.original_name, sizeof u.original_name, "kaart.png");
		snprintf(u.content_type, sizeof u.content_type, "image/png");
		snprintf(u.blake2b, sizeof u.blake2b, "%064d", 0);
		assert_int_equal(
		        upload_file_store(updir, u.token, "\x89PNG\r\n\x1a\n", 8, err, sizeof err),
		        0);
		assert_int_equal(upload_insert(d, &u), DB_OK);
		snprintf(tokens[i], 40, "%s", u.token);
	}
	char pin_script[1024];
	snprintf(pin_script, sizeof pin_script,
	         "{\"format\":\"vertelpunt-script/1\",\"key\":\"kaart\",\"title\":{\"nl\":\"K\"},"
	         "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
	         "{\"id\":\"v\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},\"prompts\":"
	         "[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel\"}}]},{\"id\":\"waar\",\"type\":"
	         "\"pin\",\"text\":{\"nl\":\"Waar?\"},\"image\":\"%s\"}]}]}",
	         map_upload);
	int64_t psid = wt_script(d, org, pin_script, NULL);
	char map_collection[40];
	wt_collection(d, org, psid, "Kaart", map_collection);
	wt_collection(d, org, sid, "Open", open_token);
	wt_closed_collection(d, org, sid, closed_token);
	wt_collection(d, org, sid, "Druk", limited_token);
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.body_limit = 1024 * 1024; /* the default: a long story fits */
	cfg.story_rate_ip = 100000;
	cfg.story_rate_collection = 120; /* burst 70 */
	if (fixture_start(d, &cfg) != 0)
		return -1;
	snprintf(staff.ip, sizeof staff.ip, "10.6.0.1");
	assert_int_equal(fixture_login(&staff, "consulent", PW, NULL), 303);
	wt_api_csrf(&staff, staff_csrf, sizeof staff_csrf);
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

static int ipn;

/* Sends body to the token's story endpoint from a fresh address (or as
 * the staff member, with or without the CSRF header). */
static void send_story(const char *token, const char *body, int as_staff, int with_csrf,
                       struct http_resp *r)
{
	struct jar j;
	if (as_staff) {
		j = staff;
	} else {
		memset(&j, 0, sizeof j);
		wt_ip(j.ip, sizeof j.ip, 5, ++ipn);
	}
	wt_send_story(token, body, strlen(body), &j, as_staff && with_csrf ? staff_csrf : NULL, r);
}

static int status_of(const char *token, const char *body)
{
	struct http_resp r;
	send_story(token, body, 0, 0, &r);
	int st = r.status;
	http_free(&r);
	return st;
}

#define STORY      "\"verhaal\":{\"prompt\":\"p\",\"title\":\"Loket\",\"text\":\"Het ging goed.\"}"
#define HEAD(uuid) "{\"id\":\"" uuid "\",\"channel\":\"web\",\"script_version\":1,\"answers\":{"

static void test_exactly_once(void **state)
{
	const char *body = HEAD("11111111-1111-4111-8111-111111111111") STORY ",\"regie\":30}}";
	struct http_resp a, b, c;
	send_story(open_token, body, 0, 0, &a);
	assert_int_equal(a.status, 201);
	json_t *ja = json_loadb(a.body, a.body_len, 0, NULL);
	assert_non_null(ja);
	const char *receipt = json_string_value(json_object_get(ja, "receipt"));
	assert_non_null(receipt);
	assert_int_equal(strlen(receipt), 12);
	/* Again, from another address: the same receipt, 200. */
	send_story(open_token, body, 0, 0, &b);
	assert_int_equal(b.status, 200);
	assert_int_equal(b.body_len, a.body_len);
	assert_memory_equal(b.body, a.body, a.body_len);
	/* The same id with other content: 409, nothing changed. */
	send_story(open_token, HEAD("11111111-1111-4111-8111-111111111111") STORY ",\"regie\":31}}",
	           0, 0, &c);
	assert_int_equal(c.status, 409);
	json_decref(ja);
	http_free(&a);
	http_free(&b);
	http_free(&c);
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	db_stmt *s = db_prepare(d, "SELECT COUNT(*), MIN(answers) FROM stories WHERE uuid = "
	                           "'11111111-1111-4111-8111-111111111111'");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	assert_non_null(strstr(db_col_text(s, 1), "\"regie\":30"));
	db_finalize(s);
	db_close(d);
}

/* Unknown, closed and malformed links: the same bytes. */
static void test_not_found_alike(void **state)
{
	const char *body = HEAD("22222222-2222-4222-8222-222222222222") STORY "}}";
	const char *tokens[] = {closed_token, "ffffffffffffffffffffffffffffffff", "kort",
	                        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"};
	struct http_resp first;
	send_story(tokens[0], body, 0, 0, &first);
	assert_int_equal(first.status, 404);
	for (size_t i = 1; i < sizeof tokens / sizeof tokens[0]; i++) {
		struct http_resp r;
		send_story(tokens[i], body, 0, 0, &r);
		assert_int_equal(r.status, 404);
		assert_int_equal(r.body_len, first.body_len);
		assert_memory_equal(r.body, first.body, r.body_len);
		http_free(&r);
	}
	http_free(&first);
}

static void test_bad_input(void **state)
{
	static const struct {
		const char *body;
		int status;
		const char *question;
	} cases[] = {
	        {HEAD("33333333-3333-4333-8333-000000000001") STORY "}", 400, NULL},
	        {"[]", 400, NULL},
	        {"{\"id\":\"33333333-3333-4333-8333-000000000002\",\"channel\":\"web\","
	         "\"script_version\":2,\"answers\":{" STORY "}}",
	         409, NULL},
	        {"{\"id\":\"niet-goed\",\"channel\":\"web\",\"script_version\":1,\"answers\":"
	         "{" STORY "}}",
	         422, NULL},
	        {"{\"id\":\"33333333-3333-4333-8333-000000000003\",\"channel\":\"phone\","
	         "\"script_version\":1,\"answers\":{" STORY "}}",
	         422, NULL},
	        {HEAD("33333333-3333-4333-8333-000000000004") "}}", 422, "verhaal"},
	        {HEAD("33333333-3333-4333-8333-000000000005") STORY ",\"steun\":[0.5,0.5,0.5]}}",
	         422, "steun"},
	        {HEAD("33333333-3333-4333-8333-000000000006") STORY ",\"steun\":[-0.5,1,0.5]}}",
	         422, "steun"},
	        {HEAD("33333333-3333-4333-8333-000000000007") STORY ",\"regie\":100.5}}", 422,
	         "regie"},
	        {HEAD("33333333-3333-4333-8333-000000000008") STORY ",\"gevoel\":\"boos\"}}", 422,
	         "gevoel"},
	        {HEAD("33333333-3333-4333-8333-000000000009") STORY ",\"wie\":[\"x\",\"y\"]}}", 422,
	         "wie"},
	        {HEAD("33333333-3333-4333-8333-000000000010") STORY ",\"steun\":null}}", 422,
	         "steun"},
	        {HEAD("33333333-3333-4333-8333-000000000011") STORY ",\"oordeel\":3}}", 422,
	         "oordeel"},
	        {HEAD("33333333-3333-4333-8333-000000000012") STORY ",\"onbekend\":3}}", 422,
	         "onbekend"},
	        {HEAD("33333333-3333-4333-8333-000000000013") STORY ",\"regie\":null,\"steun\":"
	                                                            "[0.2,0.3,0.5]}}",
	         201, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct http_resp r;
		send_story(open_token, cases[i].body, 0, 0, &r);
		if (r.status != cases[i].status)
			print_message("case %zu: %d %.*s\n", i, r.status, (int)r.body_len, r.body);
		assert_int_equal(r.status, cases[i].status);
		if (cases[i].question) {
			json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
			assert_non_null(j);
			assert_string_equal(json_string_value(json_object_get(j, "question")),
			                    cases[i].question);
			json_decref(j);
		}
		http_free(&r);
	}
	/* Not JSON at all. */
	struct http_resp r;
	char path[128];
	snprintf(path, sizeof path, "/api/v1/collections/%s/stories", open_token);
	assert_int_equal(http_do(port, NULL, "POST", path, "text/plain", NULL, "hallo", 5, &r), 0);
	assert_int_equal(r.status, 415);
	http_free(&r);
	/* A story longer than the limit (100,000 characters): 422. */
	buf big;
	buf_init(&big);
	buf_puts(&big, HEAD("33333333-3333-4333-8333-000000000014") "\"verhaal\":{\"prompt\":\"p\","
	                                                            "\"text\":\"");
	for (int i = 0; i < 100001; i++)
		buf_putc(&big, 'a');
	buf_puts(&big, "\"}}}");
	assert_int_equal(status_of(open_token, big.data), 422);
	/* Larger than the body limit (1 MiB): 413. */
	buf_reset(&big);
	buf_puts(&big, HEAD("33333333-3333-4333-8333-000000000015") "\"verhaal\":{\"prompt\":\"p\","
	                                                            "\"text\":\"");
	for (int i = 0; i < 1100000; i++)
		buf_putc(&big, 'a');
	buf_puts(&big, "\"}}}");
	assert_int_equal(status_of(open_token, big.data), 413);
	buf_free(&big);
}

/* The professional's answers: only a logged-in staff member, with the
 * session's CSRF token; both perspectives stored apart. */
static void test_professional(void **state)
{
	const char *body = "{\"id\":\"44444444-4444-4444-8444-444444444444\",\"channel\":"
	                   "\"face-to-face\",\"script_version\":1,\"answers\":{" STORY
	                   "},\"professional\":{\"oordeel\":4}}";
	struct http_resp r;
	send_story(open_token, body, 0, 0, &r);
	assert_int_equal(r.status, 422);
	http_free(&r);
	send_story(open_token, body, 1, 0, &r);
	assert_int_equal(r.status, 422);
	http_free(&r);
	send_story(open_token, body, 1, 1, &r);
	assert_int_equal(r.status, 201);
	http_free(&r);
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	db_stmt *s = db_prepare(d, "SELECT answers, professional, channel, created_by IS NOT NULL "
	                           "FROM stories WHERE uuid = "
	                           "'44444444-4444-4444-8444-444444444444'");
	assert_int_equal(db_step(s), DB_ROW);
	assert_null(strstr(db_col_text(s, 0), "oordeel"));
	assert_string_equal(db_col_text(s, 1), "{\"oordeel\":4}");
	assert_string_equal(db_col_text(s, 2), "face-to-face");
	assert_int_equal(db_col_int(s, 3), 1);
	db_finalize(s);
	db_close(d);
}

/* Past the collection's rate: 429 with Retry-After; others go on. */
static void test_rate_limit(void **state)
{
	int got429 = 0, created = 0;
	for (int i = 0; i < 100 && !got429; i++) {
		char body[512];
		snprintf(body, sizeof body,
		         "{\"id\":\"55555555-5555-4555-8555-%012d\",\"channel\":\"web\","
		         "\"script_version\":1,\"answers\":{" STORY "}}",
		         i);
		struct http_resp r;
		send_story(limited_token, body, 0, 0, &r);
		if (r.status == 429) {
			got429 = 1;
			const char *ra = http_header(&r, "Retry-After");
			assert_non_null(ra);
			assert_true(atoi(ra) >= 1);
		} else {
			assert_int_equal(r.status, 201);
			created++;
		}
		http_free(&r);
	}
	assert_true(got429);
	assert_true(created >= 60 && created <= 75);
	/* Another collection is not affected. */
	assert_int_equal(
	        status_of(open_token, HEAD("66666666-6666-4666-8666-666666666666") STORY "}}"),
	        201);
}

/* Residents see the images an open collection's script shows, and no
 * other upload. */
static void test_public_images(void **state)
{
	char path[96];
	struct http_resp r;
	snprintf(path, sizeof path, "/uploads/%s", map_upload);
	assert_int_equal(http_get(port, NULL, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(http_header(&r, "Content-Type"), "image/png");
	http_free(&r);
	snprintf(path, sizeof path, "/uploads/%s", other_upload);
	assert_int_equal(http_get(port, NULL, path, &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
	/* Staff of the organisation see it. */
	assert_int_equal(http_get(port, &staff, path, &r), 0);
	assert_int_equal(r.status, 200);
	http_free(&r);
	/* Once the collection closes, the map is no longer public. */
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_int_equal(db_exec(d, "UPDATE collections SET closed = 1 WHERE title = 'Kaart'"),
	                 DB_OK);
	db_close(d);
	snprintf(path, sizeof path, "/uploads/%s", map_upload);
	assert_int_equal(http_get(port, NULL, path, &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
}

/* The short code from a poster leads to the collection's form; unknown
 * and closed codes do not. */
static void test_code_page(void **state)
{
	struct jar j;
	memset(&j, 0, sizeof j);
	snprintf(j.ip, sizeof j.ip, "10.4.0.1");
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/code", &r), 0);
	assert_int_equal(r.status, 200);
	char token[128];
	assert_int_equal(html_hidden(&r, "csrf_token", token, sizeof token), 0);
	http_free(&r);
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	db_stmt *s = db_prepare(d, "SELECT short_code, title FROM collections "
	                           "WHERE title IN ('Open', 'Dicht') ORDER BY title");
	char dicht[16], open[16];
	assert_int_equal(db_step(s), DB_ROW);
	snprintf(dicht, sizeof dicht, "%s", db_col_text(s, 0));
	assert_int_equal(db_step(s), DB_ROW);
	snprintf(open, sizeof open, "%s", db_col_text(s, 0));
	db_finalize(s);
	db_close(d);
	/* Typed in small letters with a space: still the code. */
	char form[256], want[64];
	snprintf(form, sizeof form, "csrf_token=%s&code=%c%c%c%c+%s", token, tolower(open[0]),
	         tolower(open[1]), tolower(open[2]), tolower(open[3]), open + 4);
	assert_int_equal(http_post_form(port, &j, "/code", form, &r), 0);
	assert_int_equal(r.status, 303);
	snprintf(want, sizeof want, "/v/%s", open_token);
	assert_string_equal(http_header(&r, "Location"), want);
	http_free(&r);
	/* A closed collection's code and an unknown code: the page again. */
	const char *bad[] = {dicht, "2222-2222", "kort"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(form, sizeof form, "csrf_token=%s&code=%s", token, bad[i]);
		assert_int_equal(http_post_form(port, &j, "/code", form, &r), 0);
		assert_int_equal(r.status, 422);
		http_free(&r);
	}
	/* Without the token: refused. */
	snprintf(form, sizeof form, "code=%s", open);
	assert_int_equal(http_post_form(port, &j, "/code", form, &r), 0);
	assert_int_equal(r.status, 403);
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_exactly_once), cmocka_unit_test(test_not_found_alike),
	        cmocka_unit_test(test_bad_input),    cmocka_unit_test(test_professional),
	        cmocka_unit_test(test_rate_limit),   cmocka_unit_test(test_public_images),
	        cmocka_unit_test(test_code_page),
	};
	return cmocka_run_group_tests_name("stories api", tests, setup, teardown);
}
