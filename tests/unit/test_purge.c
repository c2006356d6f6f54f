/* test_purge.c: retention: stories past their collection's period go, with a log entry; unused old uploads go; nothing else. */
#include "testutil.h"
#include "testdb.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "model/audit.h"
#include "model/collection.h"
#include "model/purge.h"
#include "model/script_store.h"
#include "model/story.h"
#include "model/upload.h"
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"k\",\"title\":{\"nl\":\"T\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":[{\"id\":\"v\","
        "\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},\"prompts\":[{\"id\":\"p\",\"text\":"
        "{\"nl\":\"Vertel "
        "maar\"}}]},{\"id\":\"kaart\",\"type\":\"pin\",\"text\":{\"nl\":\"Waar?\"},"
        "\"image\":\"IMAGE\"}]}]}";

static int64_t count(db *d, const char *what)
{
	db_stmt *s =
	        strcmp(what, "stories") == 0 ? db_prepare(d, "SELECT COUNT(*) FROM stories")
	        : strcmp(what, "uploads") == 0
	                ? db_prepare(d, "SELECT COUNT(*) FROM uploads")
	                : db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'delete'");
	assert_int_equal(db_step(s), DB_ROW);
	int64_t n = db_col_int(s, 0);
	db_finalize(s);
	return n;
}

static void add_upload(db *d, int64_t org, const char *dir, char token[33])
{
	struct upload u = {.org_id = org, .bytes = 3, .width = 1, .height = 1};
	upload_new_token(u.token);
	snprintf(u.original_name, sizeof u.original_name, "kaart.png");
	snprintf(u.content_type, sizeof u.content_type, "image/png");
	snprintf(u.blake2b, sizeof u.blake2b, "%064d", 0);
	char err[128];
	assert_int_equal(upload_file_store(dir, u.token, "abc", 3, err, sizeof err), 0);
	assert_int_equal(upload_insert(d, &u), DB_OK);
	snprintf(token, 33, "%s", u.token);
}

static void test_retention(void **state)
{
	log_set_enabled(0);
	assert_true(sodium_init() >= 0);
	char dir[64], path[96], updir[128], err[256];
	assert_int_equal(test_db_make(dir, path, "purge"), 0);
	snprintf(updir, sizeof updir, "%s/uploads", dir);
	db *d = db_open(path, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(migrate_apply(d, NULL, err, sizeof err), 0);
	int64_t org;
	assert_int_equal(org_ensure(d, "Gemeente", &org), DB_OK);
	/* Two uploads, made 40 days ago: one used by the script, one not. */
	clock_advance(-40 * 86400);
	char used[33], unused[33];
	add_upload(d, org, updir, used);
	add_upload(d, org, updir, unused);
	clock_advance(40 * 86400);
	char text[2048];
	const char *at = strstr(script_text, "IMAGE");
	snprintf(text, sizeof text, "%.*s%s%s", (int)(at - script_text), script_text, used, at + 5);
	struct script *sc = script_parse_text(text, strlen(text), err, sizeof err);
	assert_non_null(sc);
	struct script_save_job sj = {.org_id = org, .script = sc};
	assert_int_equal(script_save_write(d, &sj), 0);
	struct script_status_job pj = {
	        .org_id = org, .script_id = sj.script_id, .version = 1, .to = SCRIPT_PUBLISHED};
	assert_int_equal(script_status_write(d, &pj), 0);
	/* Two collections: 10 and 100 days of retention. */
	struct collection c10, c100;
	struct collection_new cn = {.org_id = org,
	                            .title = "Kort",
	                            .purpose = "P",
	                            .script_id = sj.script_id,
	                            .script_version = 1,
	                            .retention_days = 10};
	assert_int_equal(collection_create_write(d, &cn), 0);
	assert_int_equal(collection_by_token(d, cn.token, &c10), DB_ROW);
	cn.title = "Lang";
	cn.retention_days = 100;
	assert_int_equal(collection_create_write(d, &cn), 0);
	assert_int_equal(collection_by_token(d, cn.token, &c100), DB_ROW);
	/* A story in each, 20 days ago, and one in each now. */
	int k = 0;
	for (int age = 20; age >= 0; age -= 20) {
		clock_advance(-age * 86400);
		for (int i = 0; i < 2; i++) {
			struct story_submit st = {.collection = i ? &c100 : &c10};
			char body[256];
			snprintf(body, sizeof body,
			         "{\"id\":\"00000000-0000-4000-8000-%012d\",\"channel\":\"web\","
			         "\"script_version\":1,\"answers\":{\"v\":{\"prompt\":\"p\","
			         "\"text\":\"x\"}}}",
			         k++);
			json_t *b = json_loads(body, 0, NULL);
			const char *msg;
			struct answer_error e;
			assert_int_equal(story_prepare(&st, sc, b, 0, &msg, &e), 0);
			assert_int_equal(story_submit_write(d, &st), 0);
			assert_int_equal(st.result, STORY_NEW);
			story_submit_free(&st);
			json_decref(b);
		}
		clock_advance(age * 86400);
	}
	assert_int_equal(count(d, "stories"), 4);
	struct purge_job j = {.now = clock_now(), .actor = "system", .origin = "test"};
	assert_int_equal(purge_write(d, &j), 0);
	/* Only the 20-day-old story of the 10-day collection went. */
	assert_int_equal(j.stories, 1);
	assert_int_equal(count(d, "stories"), 3);
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM stories WHERE collection_id = :c");
	db_bind_int(s, "c", c10.id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	/* The unused upload went, row and (after the commit) file. */
	assert_int_equal(j.uploads, 1);
	assert_int_equal(j.ntokens, 1);
	assert_string_equal(j.tokens[0], unused);
	assert_int_equal(count(d, "uploads"), 1);
	purge_remove_files(&j, updir);
	struct stat sb;
	char f[256];
	snprintf(f, sizeof f, "%s/%s", updir, unused);
	assert_int_equal(stat(f, &sb), -1);
	snprintf(f, sizeof f, "%s/%s", updir, used);
	assert_int_equal(stat(f, &sb), 0);
	/* Logged: one entry for the collection, one for the uploads; the
	 * chain holds. */
	assert_int_equal(count(d, "audit"), 2);
	int64_t rows = 0, bad = 0;
	assert_int_equal(audit_verify(d, &rows, &bad), DB_OK);
	assert_int_equal(bad, 0);
	/* Again: nothing more to do, nothing logged. */
	assert_int_equal(purge_write(d, &j), 0);
	assert_int_equal(j.stories + j.uploads + j.drafts, 0);
	assert_int_equal(count(d, "audit"), 2);
	purge_job_free(&j);
	/* Compacting gives the space back and keeps the data. */
	assert_int_equal(db_compact(d, 1, err, sizeof err), 0);
	assert_int_equal(count(d, "stories"), 3);
	script_free(sc);
	db_close(d);
	snprintf(f, sizeof f, "rm -rf '%s'", dir);
	assert_int_equal(system(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_retention)};
	return cmocka_run_group_tests_name("purge", tests, NULL, NULL);
}
