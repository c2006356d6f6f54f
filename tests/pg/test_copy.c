/* test_copy.c: copying a SQLite database into PostgreSQL and comparing both (db/copy.c), against the cluster in VP_TEST_DB (make unit-pg). */
#include "unit/testutil.h"
#include "unit/testdb.h"

#include "core/log.h"
#include "db/copy.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A PostgreSQL schema (to) and a SQLite file (from), both migrated. */
struct fixture {
	char dir[64], path[96];
	char lite_dir[64], lite_path[96];
	db *to, *from;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[256] = "";
	if (!f || test_db_make(f->dir, f->path, "copy"))
		return -1;
	snprintf(f->lite_dir, sizeof f->lite_dir, "/tmp/vp-test-copylite-XXXXXX");
	if (!mkdtemp(f->lite_dir))
		return -1;
	snprintf(f->lite_path, sizeof f->lite_path, "%s/test.db", f->lite_dir);
	f->to = db_open(f->path, err, sizeof err);
	f->from = db_open(f->lite_path, err, sizeof err);
	if (!f->to || !f->from || migrate_apply(f->to, NULL, err, sizeof err) ||
	    migrate_apply(f->from, NULL, err, sizeof err)) {
		print_error("setup: %s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->to);
	db_close(f->from);
	test_db_remove(f->dir, f->path);
	test_db_remove(f->lite_dir, f->lite_path);
	free(f);
	return 0;
}

/* An organisation, users with ids far apart and awkward text, a
 * trajectory with a NULL and an empty text. */
static void fill_source(db *d)
{
	int64_t org = 0, id = 0;
	assert_int_equal(org_ensure(d, "Gemeente Proef", &org), DB_OK);
	assert_int_equal(user_insert(d, org, "a", "Anna \"A\" 🙂\nregel twee", ROLE_BEHEERDER,
	                             "x", 0, &id),
	                 DB_OK);
	db_stmt *s = db_prepare(d, "INSERT INTO users (id, org_id, username, display_name, role, "
	                           "password_hash, must_change_password, disabled, created_at, "
	                           "password_changed_at) VALUES (500, :org, 'b', '', 'meelezer', "
	                           "'y', 1, 0, 1, 2)");
	db_bind_int(s, "org", org);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	s = db_prepare(d, "INSERT INTO trajectories (id, org_id, slug, title, material_token, "
	                  "created_at, updated_at) VALUES (7, :org, 'wijk', 'Wijk', '', 1, 1)");
	db_bind_int(s, "org", org);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
}

static const struct copy_table *line(const struct copy_result *r, const char *table)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->tables[i].name, table) == 0)
			return &r->tables[i];
	fail_msg("no line for %s", table);
	return NULL;
}

static void test_plain_names(void **state)
{
	(void)state;
	assert_true(db_is_plain_name("stories"));
	assert_true(db_is_plain_name("_x1"));
	assert_false(db_is_plain_name(""));
	assert_false(db_is_plain_name("1a"));
	assert_false(db_is_plain_name("Stories"));
	assert_false(db_is_plain_name("a-b"));
	assert_false(db_is_plain_name("a\"; DROP TABLE users; --"));
	assert_false(db_is_plain_name(
	        "a234567890123456789012345678901234567890123456789012345678901234"));
}

static void test_copy_keeps_ids_and_values(void **state)
{
	struct fixture *f = *state;
	fill_source(f->from);
	char err[512] = "";
	assert_int_equal(copy_check_target(f->from, f->to, err, sizeof err), 0);
	struct copy_result r;
	int rc = copy_database(f->from, f->to, &r, NULL, NULL, err, sizeof err);
	if (rc != 0)
		fail_msg("copy_database %d: %s", rc, err);
	const struct copy_table *u = line(&r, "users");
	assert_int_equal(u->rows_from, 2);
	assert_int_equal(u->rows_to, 2);
	assert_true(u->ok);
	for (size_t i = 0; i < r.n; i++)
		assert_true(r.tables[i].ok);
	copy_result_free(&r);
	/* The values themselves, NULL included. */
	db_stmt *s = db_prepare(f->to, "SELECT display_name FROM users WHERE id = 500");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "");
	db_finalize(s);
	s = db_prepare(f->to, "SELECT starts_on IS NULL, material_token IS NULL, material_token "
	                      "FROM trajectories WHERE id = 7");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	assert_int_equal(db_col_int(s, 1), 0);
	assert_string_equal(db_col_text(s, 2), "");
	db_finalize(s);
	s = db_prepare(f->to, "SELECT display_name FROM users WHERE username = 'a'");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "Anna \"A\" 🙂\nregel twee");
	db_finalize(s);
	/* The next id comes after the highest copied one. */
	int64_t id = 0;
	assert_int_equal(user_insert(f->to, 1, "c", "C", ROLE_MEELEZER, "z", 0, &id), DB_OK);
	assert_int_equal(id, 501);
	/* Now the target differs, and holds data. */
	assert_int_equal(copy_verify(f->from, f->to, &r, err, sizeof err), 1);
	assert_false(line(&r, "users")->ok);
	assert_int_equal(line(&r, "users")->rows_to, 3);
	assert_true(line(&r, "organisations")->ok);
	copy_result_free(&r);
	assert_int_equal(copy_check_target(f->from, f->to, err, sizeof err), 1);
	assert_non_null(strstr(err, "holds data already"));
}

static void test_changed_value_same_count(void **state)
{
	struct fixture *f = *state;
	fill_source(f->from);
	char err[512] = "";
	struct copy_result r;
	assert_int_equal(copy_database(f->from, f->to, &r, NULL, NULL, err, sizeof err), 0);
	copy_result_free(&r);
	assert_int_equal(copy_verify(f->from, f->to, &r, err, sizeof err), 0);
	copy_result_free(&r);
	/* One character of one value: same rows, another checksum. */
	assert_int_equal(db_exec(f->to, "UPDATE users SET display_name = 'x' WHERE id = 500"),
	                 DB_OK);
	assert_int_equal(copy_verify(f->from, f->to, &r, err, sizeof err), 1);
	const struct copy_table *u = line(&r, "users");
	assert_int_equal(u->rows_from, u->rows_to);
	assert_string_not_equal(u->sum_from, u->sum_to);
	copy_result_free(&r);
}

static void test_only_sqlite_to_postgres(void **state)
{
	struct fixture *f = *state;
	char err[512] = "";
	struct copy_result r;
	assert_int_equal(copy_database(f->to, f->from, &r, NULL, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "SQLite to PostgreSQL only"));
	copy_result_free(&r);
}

int main(void)
{
	log_set_enabled(0);
	if (!test_db_pg_url()) {
		fprintf(stderr, "test_copy: set VP_TEST_DB=postgres://... (make unit-pg does)\n");
		return 1;
	}
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_plain_names),
	        T(test_copy_keeps_ids_and_values),
	        T(test_changed_value_same_count),
	        T(test_only_sqlite_to_postgres),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
