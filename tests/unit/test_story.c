/* test_story.c: collections (codes, periods, readiness) and stories (envelope, perspectives, exactly once, pilot marking). */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "db/migrate.h"
#include "model/collection.h"
#include "model/script_store.h"
#include "model/story.h"
#include "model/user.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <string.h>

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"verhalen\",\"title\":{\"nl\":\"V\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"
        "{\"id\":\"regie\",\"type\":\"dyad\",\"not_applicable\":true,\"text\":{\"nl\":\"Wie?\"},"
        "\"poles\":[{\"id\":\"ik\",\"label\":{\"nl\":\"Ik\"}},{\"id\":\"zij\",\"label\":"
        "{\"nl\":\"Zij\"}}]},"
        "{\"id\":\"oordeel\",\"type\":\"scale\",\"perspective\":\"professional\",\"text\":"
        "{\"nl\":\"Oordeel\"},\"points\":5,\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":\"Hoog\"}}"
        "]}]}";

struct fixture {
	char dir[64], path[96];
	db *d;
	int64_t org;
	struct script *script;
	int64_t script_id;
	struct collection c;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_store_open(f->dir, f->path, &f->d, &f->org, "story"))
		return -1;
	f->script = test_script_add(f->d, f->org, script_text, 0, &f->script_id);
	if (!f->script)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	script_free(f->script);
	test_store_close(f->dir, f->path, f->d);
	free(f);
	return 0;
}

static void set_status(struct fixture *f, int to)
{
	struct script_status_job j = {
	        .org_id = f->org, .script_id = f->script_id, .version = 1, .to = to};
	assert_int_equal(script_status_write(f->d, &j), 0);
	assert_int_equal(j.result, SCRIPT_OK);
}

static void test_codes(void **state)
{
	char c[COLLECTION_CODE_LEN + 1], n[COLLECTION_CODE_LEN + 1];
	for (int i = 0; i < 100; i++) {
		collection_new_code(c);
		assert_int_equal(strlen(c), 8);
		assert_null(strpbrk(c, "01OIL"));
		assert_int_equal(collection_code_normalise(c, n), 0);
		assert_string_equal(c, n);
	}
	assert_int_equal(collection_code_normalise("k7m4 q2px", n), 0);
	assert_string_equal(n, "K7M4Q2PX");
	assert_int_equal(collection_code_normalise("K7M4-Q2PX", n), 0);
	assert_int_equal(collection_code_normalise("K7M4-Q2P", n), -1);
	assert_int_equal(collection_code_normalise("K7M4-Q2PXX", n), -1);
	assert_int_equal(collection_code_normalise("K7M0-Q2PX", n), -1); /* 0 is never used */
	assert_true(collection_token_valid("0123456789abcdef0123456789abcdef"));
	assert_false(collection_token_valid("0123456789ABCDEF0123456789abcdef"));
	assert_false(collection_token_valid("0123456789abcdef"));
	assert_false(collection_token_valid(NULL));
}

static void test_collection_needs_ready_script(void **state)
{
	struct fixture *f = *state;
	struct collection_new cn = {.org_id = f->org,
	                            .title = "Ervaringen Wmo-loket 2026, kwartaal 1",
	                            .purpose = "Leren hoe het loket werkt.",
	                            .script_id = f->script_id,
	                            .script_version = 1,
	                            .retention_days = 730};
	assert_null(collection_check(&cn));
	/* A draft cannot be collected with. */
	assert_int_equal(collection_create_write(f->d, &cn), 0);
	assert_int_equal(cn.result, COLLECTION_NOT_READY);
	set_status(f, SCRIPT_PILOT);
	assert_int_equal(collection_create_write(f->d, &cn), 0);
	assert_int_equal(cn.result, COLLECTION_OK);
	assert_true(collection_token_valid(cn.token));
	assert_int_equal(collection_by_token(f->d, cn.token, &f->c), DB_ROW);
	assert_string_equal(f->c.short_code, cn.short_code);
	assert_int_equal(f->c.script_status, SCRIPT_PILOT);
	assert_true(collection_accepts(&f->c, clock_now()));
	struct collection by_code;
	char typed[16];
	snprintf(typed, sizeof typed, "%.4s-%.4s", cn.short_code, cn.short_code + 4);
	for (char *p = typed; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	assert_int_equal(collection_by_code(f->d, typed, &by_code), DB_ROW);
	assert_int_equal(by_code.id, f->c.id);
	assert_int_equal(collection_by_token(f->d, "ffffffffffffffffffffffffffffffff", &by_code),
	                 DB_DONE);
	/* Another script in another organisation is not found. */
	struct collection_new other = cn;
	other.org_id = f->org + 100;
	assert_int_equal(collection_create_write(f->d, &other), 0);
	assert_int_equal(other.result, COLLECTION_NO_SCRIPT);
	/* Periods and closing. */
	struct collection t = f->c;
	t.starts_at = clock_now() + 100;
	assert_false(collection_accepts(&t, clock_now()));
	t.starts_at = 0;
	t.ends_at = clock_now();
	assert_false(collection_accepts(&t, clock_now()));
	t.ends_at = 0;
	t.closed = 1;
	assert_false(collection_accepts(&t, clock_now()));
	/* Bad fields. */
	struct collection_new bad = cn;
	bad.title = "";
	assert_non_null(collection_check(&bad));
	bad = cn;
	bad.retention_days = 0;
	assert_non_null(collection_check(&bad));
	bad = cn;
	bad.starts_at = 100, bad.ends_at = 50;
	assert_non_null(collection_check(&bad));
	buf j;
	buf_init(&j);
	assert_int_equal(collection_list_json(f->d, f->org, 0, &j), DB_OK);
	json_t *list = json_loads(j.data, 0, NULL);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "stories")),
	                 0);
	json_decref(list);
	buf_free(&j);
}

static int prepare(struct fixture *f, struct story_submit *st, const char *body, int staff,
                   const char **msg, struct answer_error *e)
{
	memset(st, 0, sizeof *st);
	st->collection = &f->c;
	json_t *b = json_loads(body, 0, NULL);
	assert_non_null(b);
	int rc = story_prepare(st, f->script, b, staff, msg, e);
	json_decref(b);
	return rc;
}

#define UUID1 "6F9619FF-8B86-D011-B42D-00C04FC964FF"
#define STORY "\"verhaal\":{\"prompt\":\"p\",\"text\":\"Het loket hielp mij goed.\"}"

static void test_envelope(void **state)
{
	struct fixture *f = *state;
	struct story_submit st;
	const char *msg;
	struct answer_error e;
	static const struct {
		const char *body;
		int staff, status;
	} cases[] = {
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"web\",\"script_version\":1,\"answers\":{" STORY "}}",
	         0, 0},
	        {"{\"id\":\"nope\",\"channel\":\"web\",\"script_version\":1,\"answers\":{" STORY
	         "}}",
	         0, 422},
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"fax\",\"script_version\":1,\"answers\":{" STORY "}}",
	         0, 422},
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"phone\",\"script_version\":1,\"answers\":{" STORY "}}",
	         0, 422},
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"phone\",\"script_version\":1,\"answers\":{" STORY "}}",
	         1, 0},
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"web\",\"script_version\":2,\"answers\":{" STORY "}}",
	         0, 409},
	        {"{\"id\":\"" UUID1 "\",\"channel\":\"web\",\"script_version\":1,\"answers\":{}}",
	         0, 422},
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"web\",\"script_version\":1,\"answers\":{" STORY "},\"extra\":1}",
	         0, 422},
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"web\",\"script_version\":1,\"language\":\"NL\","
	         "\"answers\":{" STORY "}}",
	         0, 422},
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"web\",\"script_version\":1,\"answers\":{" STORY
	         "},\"professional\":{\"oordeel\":3}}",
	         0, 422},
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"face-to-face\",\"script_version\":1,\"answers\":"
	         "{" STORY "},\"professional\":{\"oordeel\":3}}",
	         1, 0},
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"face-to-face\",\"script_version\":1,\"answers\":"
	         "{" STORY "},\"professional\":{\"regie\":3}}",
	         1, 422},
	        {"{\"id\":\"" UUID1
	         "\",\"channel\":\"web\",\"script_version\":1,\"answers\":{" STORY
	         ",\"regie\":140}}",
	         0, 422},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = prepare(f, &st, cases[i].body, cases[i].staff, &msg, &e);
		if (rc != cases[i].status)
			print_message("case %zu: %d\n", i, rc);
		assert_int_equal(rc, cases[i].status);
		if (rc == 0) {
			assert_string_equal(st.uuid, "6f9619ff-8b86-d011-b42d-00c04fc964ff");
			assert_int_equal(strlen(st.content_hash), 64);
		} else {
			assert_non_null(msg);
		}
		story_submit_free(&st);
	}
	/* The question is named for a bad answer. */
	assert_int_equal(prepare(f, &st,
	                         "{\"id\":\"" UUID1 "\",\"channel\":\"web\",\"script_version\":1,"
	                         "\"answers\":{" STORY ",\"regie\":140}}",
	                         0, &msg, &e),
	                 422);
	assert_string_equal(e.question, "regie");
	/* Perspectives stay apart. */
	assert_int_equal(prepare(f, &st,
	                         "{\"id\":\"" UUID1
	                         "\",\"channel\":\"face-to-face\",\"script_version\""
	                         ":1,\"answers\":{" STORY ",\"regie\":20},\"professional\":"
	                         "{\"oordeel\":4}}",
	                         1, &msg, &e),
	                 0);
	assert_null(strstr(st.answers, "oordeel"));
	assert_non_null(strstr(st.answers, "regie"));
	assert_string_equal(st.professional, "{\"oordeel\":4}");
	story_submit_free(&st);
}

/* "consent": the privacy text shown, checked against the script's, and
 * stored with a new story (the text once, by its hash). */
static void test_consent(void **state)
{
	struct fixture *f = *state;
	struct story_submit st;
	const char *msg;
	struct answer_error e;
	char hash[65], body[512];
	util_hash_hex("P", hash); /* the script's privacy text */
	snprintf(body, sizeof body,
	         "{\"id\":\"c0000000-0000-4000-8000-000000000001\",\"channel\":\"web\","
	         "\"script_version\":1,\"answers\":{" STORY "},\"consent\":{\"text_hash\":"
	         "\"%s\",\"at\":1700000000}}",
	         hash);
	assert_int_equal(prepare(f, &st, body, 0, &msg, &e), 0);
	assert_string_equal(st.consent_text, "P");
	assert_string_equal(st.consent_text_hash, hash);
	assert_int_equal(st.consent_at, 1700000000);
	assert_int_equal(story_submit_write(f->d, &st), 0);
	assert_int_equal(st.result, STORY_NEW);
	db_stmt *s = db_prepare(f->d, "SELECT s.consent_text_hash, s.consent_at, t.text FROM "
	                              "stories s JOIN consent_texts t ON t.hash = "
	                              "s.consent_text_hash WHERE s.id = :id");
	db_bind_int(s, "id", st.id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), hash);
	assert_int_equal(db_col_int(s, 1), 1700000000);
	assert_string_equal(db_col_text(s, 2), "P");
	db_finalize(s);
	story_submit_free(&st);
	/* The consent is not content: sent again without it, the same story. */
	assert_int_equal(prepare(f, &st,
	                         "{\"id\":\"c0000000-0000-4000-8000-000000000001\",\"channel\":"
	                         "\"web\",\"script_version\":1,\"answers\":{" STORY "}}",
	                         0, &msg, &e),
	                 0);
	assert_null(st.consent_text);
	assert_int_equal(story_submit_write(f->d, &st), 0);
	assert_int_equal(st.result, STORY_SAME);
	story_submit_free(&st);
	/* Another text, a bad shape: 422, the detail names the consent. */
	char other[65];
	util_hash_hex("Q", other);
	const char *bad[] = {other, "nope"};
	for (int i = 0; i < 2; i++) {
		snprintf(body, sizeof body,
		         "{\"id\":\"c0000000-0000-4000-8000-000000000002\",\"channel\":\"web\","
		         "\"script_version\":1,\"answers\":{" STORY "},\"consent\":{\"text_hash\":"
		         "\"%s\",\"at\":1700000000}}",
		         bad[i]);
		assert_int_equal(prepare(f, &st, body, 0, &msg, &e), 422);
		assert_string_equal(e.detail, "consent");
		assert_null(st.consent_text);
		story_submit_free(&st);
	}
	snprintf(body, sizeof body,
	         "{\"id\":\"c0000000-0000-4000-8000-000000000002\",\"channel\":\"web\","
	         "\"script_version\":1,\"answers\":{" STORY "},\"consent\":{\"text_hash\":"
	         "\"%s\",\"at\":1.5}}",
	         hash);
	assert_int_equal(prepare(f, &st, body, 0, &msg, &e), 422);
	story_submit_free(&st);
	/* A clock ahead: now. */
	snprintf(body, sizeof body,
	         "{\"id\":\"c0000000-0000-4000-8000-000000000003\",\"channel\":\"web\","
	         "\"script_version\":1,\"answers\":{" STORY "},\"consent\":{\"text_hash\":"
	         "\"%s\",\"at\":99999999999}}",
	         hash);
	int64_t now = clock_now();
	assert_int_equal(prepare(f, &st, body, 0, &msg, &e), 0);
	assert_true(st.consent_at >= now && st.consent_at <= clock_now());
	story_submit_free(&st);
}

static void test_exactly_once(void **state)
{
	struct fixture *f = *state;
	struct story_submit a, b, c;
	const char *msg;
	struct answer_error e;
	const char *body = "{\"id\":\"" UUID1 "\",\"channel\":\"web\",\"script_version\":1,"
	                   "\"answers\":{" STORY ",\"regie\":30}}";
	/* The same content, keys in another order: the same story. */
	const char *same = "{\"answers\":{\"regie\":30," STORY "},\"script_version\":1,\"id\":\""
	                   "6f9619ff-8b86-d011-b42d-00c04fc964ff\",\"channel\":\"web\"}";
	const char *other = "{\"id\":\"" UUID1 "\",\"channel\":\"web\",\"script_version\":1,"
	                    "\"answers\":{" STORY ",\"regie\":31}}";
	assert_int_equal(prepare(f, &a, body, 0, &msg, &e), 0);
	assert_int_equal(story_submit_write(f->d, &a), 0);
	assert_int_equal(a.result, STORY_NEW);
	assert_int_equal(strlen(a.receipt), STORY_RECEIPT_LEN);
	assert_memory_equal(a.receipt, "VT-", 3);
	assert_int_equal(prepare(f, &b, same, 0, &msg, &e), 0);
	assert_int_equal(story_submit_write(f->d, &b), 0);
	assert_int_equal(b.result, STORY_SAME);
	assert_string_equal(b.receipt, a.receipt);
	assert_int_equal(b.id, a.id);
	assert_int_equal(prepare(f, &c, other, 0, &msg, &e), 0);
	assert_int_equal(story_submit_write(f->d, &c), 0);
	assert_int_equal(c.result, STORY_CONFLICT);
	/* Told in pilot: marked. */
	db_stmt *s = db_prepare(f->d, "SELECT pilot, channel, answers FROM stories WHERE id = :id");
	db_bind_int(s, "id", a.id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	assert_string_equal(db_col_text(s, 1), "web");
	db_finalize(s);
	story_submit_free(&a);
	story_submit_free(&b);
	story_submit_free(&c);
	/* Published: no longer pilot. Retired: no new stories. */
	set_status(f, SCRIPT_PUBLISHED);
	assert_int_equal(prepare(f, &a,
	                         "{\"id\":\"00000000-0000-4000-8000-000000000001\",\"channel\":"
	                         "\"kiosk\",\"script_version\":1,\"answers\":{" STORY "}}",
	                         0, &msg, &e),
	                 0);
	assert_int_equal(story_submit_write(f->d, &a), 0);
	assert_int_equal(a.result, STORY_NEW);
	s = db_prepare(f->d, "SELECT pilot FROM stories WHERE id = :id");
	db_bind_int(s, "id", a.id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
	story_submit_free(&a);
	/* An open collection keeps its version from being retired. */
	struct script_status_job rj = {
	        .org_id = f->org, .script_id = f->script_id, .version = 1, .to = SCRIPT_RETIRED};
	assert_int_equal(script_status_write(f->d, &rj), 0);
	assert_int_equal(rj.result, SCRIPT_IN_USE);
	assert_string_equal(rj.detail, "Ervaringen Wmo-loket 2026, kwartaal 1");
	assert_int_equal(db_exec(f->d, "UPDATE collections SET closed = 1"), DB_OK);
	set_status(f, SCRIPT_RETIRED);
	assert_int_equal(prepare(f, &a,
	                         "{\"id\":\"00000000-0000-4000-8000-000000000002\",\"channel\":"
	                         "\"web\",\"script_version\":1,\"answers\":{" STORY "}}",
	                         0, &msg, &e),
	                 0);
	assert_int_equal(story_submit_write(f->d, &a), 0);
	assert_int_equal(a.result, STORY_GONE);
	story_submit_free(&a);
	/* A version with stories cannot be deleted or changed. */
	assert_int_equal(db_exec(f->d, "DELETE FROM script_versions"), DB_CONSTRAINT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_codes),
	        cmocka_unit_test(test_collection_needs_ready_script),
	        cmocka_unit_test(test_envelope),
	        cmocka_unit_test(test_consent),
	        cmocka_unit_test(test_exactly_once),
	};
	return cmocka_run_group_tests_name("story", tests, setup, teardown);
}
