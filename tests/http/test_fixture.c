/* test_fixture.c: the HTTP tests' fixture itself: the server and the test's own connections use one database (SQLite file, or a PostgreSQL schema with VP_TEST_DB), keys and uploads stay in the folder, and stopping removes both. */
#include "../unit/testutil.h"

#include "httpclient.h"

#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"

#include <sys/stat.h>

#define PW "fixture password 123"

static int stopped;

static int setup(void **state)
{
	db *d = fixture_open("fixture");
	assert_non_null(d);
	int64_t org;
	assert_int_equal(org_ensure(d, "Gemeente Test", &org), DB_OK);
	assert_true(fixture_user(d, org, "anna", "Anna Test", ROLE_BEHEERDER, PW, 0) > 0);
	struct app_config cfg;
	fixture_config(&cfg);
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return stopped ? 0 : fixture_stop();
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* The database is PostgreSQL exactly when VP_TEST_DB names a cluster: then
 * no SQLite file is made in the folder; the key file is there either way. */
static void test_database_is_the_chosen_backend(void **state)
{
	char file[320];
	snprintf(file, sizeof file, "%s/test.db", dir);
	db *d = wt_open_db();
	if (test_db_pg_url()) {
		assert_string_equal(db_driver_name(d), "postgres");
		assert_memory_equal(dbpath, test_db_pg_url(), strlen(test_db_pg_url()));
		assert_false(exists(file));
	} else {
		assert_string_equal(db_driver_name(d), "sqlite");
		assert_string_equal(dbpath, file);
		assert_true(exists(file));
	}
	db_close(d);
	assert_true(exists(keypath));
	assert_memory_equal(keypath, dir, strlen(dir));
}

/* The server reads the seed and writes where wt_open_db reads: a login
 * finds the seeded account and leaves a session row. */
static void test_server_and_test_share_the_database(void **state)
{
	assert_int_equal(wt_count("SELECT COUNT(*) FROM sessions"), 0);
	struct jar j;
	wt_login(&j, "anna", PW, "10.9.0.1", "en");
	assert_true(wt_count("SELECT COUNT(*) FROM sessions") >= 1);
}

/* wt_db_reveals finds what is stored in clear (a display name) and not
 * what was never stored, on either backend. */
static void test_reveals_reads_the_stored_data(void **state)
{
	assert_true(wt_db_reveals("Anna Test"));
	assert_true(wt_db_reveals("Gemeente Test"));
	assert_false(wt_db_reveals("nowhere-in-the-database"));
}

/* Uploads go to the folder's uploads/ on both backends. */
static void test_uploads_in_the_folder(void **state)
{
	char want[320];
	snprintf(want, sizeof want, "%s/uploads", dir);
	assert_non_null(app.cfg.upload_dir);
	assert_string_equal(app.cfg.upload_dir, want);
}

/* Stopping removes the folder and, on PostgreSQL, the test's schema. */
static void test_stop_removes_everything(void **state)
{
	char schema[64] = "";
	const char *at = strstr(dbpath, "search_path%3D");
	if (at)
		snprintf(schema, sizeof schema, "%s", at + 14);
	assert_int_equal(fixture_stop(), 0);
	stopped = 1;
	assert_false(exists(dir));
	if (!test_db_pg_url())
		return;
	assert_true(schema[0] != '\0');
	char err[256];
	db *d = db_open(test_db_pg_url(), err, sizeof err);
	assert_non_null(d);
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM pg_namespace WHERE nspname = :name");
	assert_non_null(s);
	db_bind_text(s, "name", schema);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
	db_close(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_database_is_the_chosen_backend),
	        cmocka_unit_test(test_server_and_test_share_the_database),
	        cmocka_unit_test(test_reveals_reads_the_stored_data),
	        cmocka_unit_test(test_uploads_in_the_folder),
	        cmocka_unit_test(test_stop_removes_everything),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
