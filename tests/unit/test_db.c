/* test_db.c: unit tests of the db_ layer, the SQLite driver and schema migrations. */
#include "testutil.h"
#include "testdb.h"

#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"

#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Each test gets a fresh database file in its own directory under /tmp. */

static int setup(void **state)
{
	return test_db_fixture_setup(state, "db");
}

static int teardown(void **state)
{
	return test_db_fixture_teardown(state);
}

static void migrate_or_fail(db *d)
{
	char err[256] = "";
	if (migrate_apply(d, NULL, err, sizeof err) != 0)
		fail_msg("migrate_apply: %s", err);
}

static int64_t count_rows(db *d, int which)
{
	db_stmt *s = which == 0 ? db_prepare(d, "SELECT COUNT(*) FROM t")
	                        : db_prepare(d, "SELECT COUNT(*) FROM schema_migrations");
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

/* ---- open ---- */

static void test_open_driver(void **state)
{
	struct test_db_fixture *f = *state;
	assert_string_equal(db_driver_name(f->d), "sqlite");
}

static void test_open_fails_with_message(void **state)
{
	char err[256] = "";
	db *d = db_open("/nonexistent-dir-vp/sub/x.db", err, sizeof err);
	assert_null(d);
	assert_non_null(strstr(err, "/nonexistent-dir-vp/sub/x.db"));
	err[0] = '\0';
	d = db_open("postgres://localhost/vp", err, sizeof err);
	assert_null(d);
	assert_true(strlen(err) > 0);
}

static void test_sqlite_prefix(void **state)
{
	struct test_db_fixture *f = *state;
	char url[128], err[256] = "";
	snprintf(url, sizeof url, "sqlite:%s", f->path);
	db *d = db_open(url, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(db_exec(d, "CREATE TABLE via_prefix (x)"), DB_OK);
	db_close(d);
	/* The same file as the plain path. */
	db_stmt *s =
	        db_prepare(f->d, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'via_prefix'");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
}

/* ---- pragmas ---- */

static void test_wal_mode(void **state)
{
	struct test_db_fixture *f = *state;
	db_stmt *s = db_prepare(f->d, "PRAGMA journal_mode");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "wal");
	db_finalize(s);
	s = db_prepare(f->d, "PRAGMA synchronous");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 2); /* FULL */
	db_finalize(s);
	s = db_prepare(f->d, "PRAGMA foreign_keys");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
}

static void test_foreign_keys_enforced(void **state)
{
	struct test_db_fixture *f = *state;
	migrate_or_fail(f->d);
	db_stmt *s = db_prepare(
	        f->d, "INSERT INTO users (org_id, username, display_name, role, password_hash, "
	              "created_at, password_changed_at) VALUES (:org, 'ann', 'Ann', 'beheerder', "
	              "'x', 0, 0)");
	db_bind_int(s, "org", 999);
	assert_int_equal(db_step(s), DB_CONSTRAINT);
	db_finalize(s);
	s = db_prepare(f->d, "SELECT COUNT(*) FROM users");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
}

static void test_constraints_map(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (k TEXT UNIQUE, n INTEGER CHECK (n > 0))"),
	                 DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES ('a', 1)"), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES ('a', 2)"), DB_CONSTRAINT);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES ('b', 0)"), DB_CONSTRAINT);
	assert_int_equal(count_rows(f->d, 0), 1);
}

/* ---- binding and columns ---- */

static void test_named_binding(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (i INTEGER, s TEXT, r REAL, b BLOB, z)"),
	                 DB_OK);
	db_stmt *s = db_prepare(f->d, "INSERT INTO t (z, b, r, s, i) VALUES (:z, :b, :r, :s, :i)");
	/* Bound in an order unlike the parameters' positions. */
	db_bind_int(s, "i", -9007199254740993LL);
	char text[] = "tekst \xc3\xa9 'quoted' ; DROP TABLE t";
	db_bind_text(s, "s", text);
	text[0] = 'X'; /* bound text is a copy */
	db_bind_double(s, "r", 2.5);
	db_bind_blob(s, "b", "\x00\x01\x02", 3);
	db_bind_null(s, "z");
	assert_int_equal(db_step(s), DB_DONE);
	assert_int_equal(db_changes(f->d), 1);
	db_finalize(s);

	s = db_prepare(f->d, "SELECT i, s, r, b, z FROM t");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_count(s), 5);
	assert_true(db_col_int(s, 0) == -9007199254740993LL);
	assert_string_equal(db_col_text(s, 1), "tekst \xc3\xa9 'quoted' ; DROP TABLE t");
	assert_true(db_col_double(s, 2) == 2.5);
	size_t n = 0;
	const void *p = db_col_blob(s, 3, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "\x00\x01\x02", 3);
	assert_true(db_col_is_null(s, 4));
	assert_false(db_col_is_null(s, 0));
	assert_string_equal(db_col_text(s, 4), ""); /* NULL reads as "" */
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
}

static void test_bind_same_name_twice(void **state)
{
	struct test_db_fixture *f = *state;
	db_stmt *s = db_prepare(f->d, "SELECT :x + :x, :y IS NULL");
	db_bind_int(s, "x", 21);
	db_bind_text(s, "y", NULL); /* NULL text binds NULL */
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 42);
	assert_int_equal(db_col_int(s, 1), 1);
	db_finalize(s);
}

static void test_reset_clears_bindings(void **state)
{
	struct test_db_fixture *f = *state;
	db_stmt *s = db_prepare(f->d, "SELECT :v");
	db_bind_int(s, "v", 7);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 7);
	db_reset(s);
	assert_int_equal(db_step(s), DB_ROW);
	assert_true(db_col_is_null(s, 0));
	db_finalize(s);
}

/* Runs fn in a child process and returns its wait status. */
static int in_child(void (*fn)(void))
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGABRT, SIG_DFL);
		log_set_enabled(0);
		fn();
		_exit(0);
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void child_bind_unknown(void)
{
	char err[256];
	db *d = db_open(":memory:", err, sizeof err);
	if (!d)
		_exit(3);
	db_stmt *s = db_prepare(d, "SELECT :known");
	db_bind_int(s, "unknown", 1); /* a typo: must abort */
	_exit(0);
}

static void test_bind_unknown_name_aborts(void **state)
{
	int st = in_child(child_bind_unknown);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGABRT);
}

static void child_prepare_bad_sql(void)
{
	char err[256];
	db *d = db_open(":memory:", err, sizeof err);
	if (!d)
		_exit(3);
	db_prepare(d, "SELEKT 1");
	_exit(0);
}

static void test_prepare_bad_sql_aborts(void **state)
{
	int st = in_child(child_prepare_bad_sql);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGABRT);
}

/* ---- the statement cache ---- */

/* The driver's private statement starts with these two fields (see struct
 * sq_stmt in db_sqlite.c); the test looks at the sqlite3_stmt to tell a
 * reused statement from a freshly prepared one. */
struct sq_stmt_view {
	struct db_stmt base;
	sqlite3_stmt *st;
};

static sqlite3_stmt *raw(db_stmt *s)
{
	return ((struct sq_stmt_view *)s)->st;
}

static int live_statements(db_stmt *any)
{
	sqlite3 *h = sqlite3_db_handle(raw(any));
	int n = 0;
	for (sqlite3_stmt *p = sqlite3_next_stmt(h, NULL); p; p = sqlite3_next_stmt(h, p))
		n++;
	return n;
}

static db_stmt *prep_cached(db *d)
{
	/* One literal, so one address, every call. */
	return db_prepare(d, "SELECT value FROM json_each('[10,20,30]') ORDER BY value");
}

static void test_cache_sequential_reuse(void **state)
{
	struct test_db_fixture *f = *state;
	db_stmt *s = prep_cached(f->d);
	sqlite3_stmt *first = raw(s);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 10);
	int live = live_statements(s);
	db_finalize(s); /* left mid-iteration: the cache must reset it */

	for (int i = 0; i < 5; i++) {
		s = prep_cached(f->d);
		assert_ptr_equal(raw(s), first);
		assert_int_equal(live_statements(s), live); /* nothing new compiled */
		assert_int_equal(db_step(s), DB_ROW);
		assert_int_equal(db_col_int(s, 0), 10); /* starts from the first row again */
		assert_int_equal(db_step(s), DB_ROW);
		assert_int_equal(db_col_int(s, 0), 20);
		db_finalize(s);
	}
}

static db_stmt *prep_param(db *d)
{
	return db_prepare(d, "SELECT :p");
}

static void test_cache_clears_bindings(void **state)
{
	struct test_db_fixture *f = *state;
	db_stmt *s = prep_param(f->d);
	db_bind_int(s, "p", 99);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 99);
	db_finalize(s);
	s = prep_param(f->d);
	assert_int_equal(db_step(s), DB_ROW);
	assert_true(db_col_is_null(s, 0)); /* the old value did not leak through */
	db_finalize(s);
}

static void test_cache_nested(void **state)
{
	struct test_db_fixture *f = *state;
	db_stmt *outer = prep_cached(f->d);
	assert_int_equal(db_step(outer), DB_ROW);
	assert_int_equal(db_col_int(outer, 0), 10);
	/* The same SQL while the first is still open: a second statement. */
	db_stmt *inner = prep_cached(f->d);
	assert_ptr_not_equal(raw(inner), raw(outer));
	int sum = 0, rows = 0;
	while (db_step(inner) == DB_ROW)
		sum += (int)db_col_int(inner, 0), rows++;
	assert_int_equal(rows, 3);
	assert_int_equal(sum, 60);
	/* The outer one went on where it was. */
	assert_int_equal(db_step(outer), DB_ROW);
	assert_int_equal(db_col_int(outer, 0), 20);
	sqlite3_stmt *a = raw(outer), *b = raw(inner);
	db_finalize(inner);
	db_finalize(outer);
	/* Both are cached now; the next two users get them back, not new ones. */
	db_stmt *x = prep_cached(f->d), *y = prep_cached(f->d);
	assert_true((raw(x) == a && raw(y) == b) || (raw(x) == b && raw(y) == a));
	assert_int_equal(db_step(x), DB_ROW);
	assert_int_equal(db_col_int(x, 0), 10);
	assert_int_equal(db_step(y), DB_ROW);
	assert_int_equal(db_col_int(y, 0), 10);
	db_finalize(x);
	db_finalize(y);
}

/* ---- transactions and savepoints ---- */

static void test_transaction_rollback(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (v INTEGER)"), DB_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (1)"), DB_OK);
	assert_int_equal(db_rollback(f->d), DB_OK);
	assert_int_equal(count_rows(f->d, 0), 0);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (1)"), DB_OK);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(count_rows(f->d, 0), 1);
}

static void test_savepoints(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (v INTEGER CHECK (v < 100))"), DB_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (1)"), DB_OK);

	assert_int_equal(db_savepoint(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (2)"), DB_OK);
	assert_int_equal(db_savepoint_rollback(f->d), DB_OK);

	assert_int_equal(db_savepoint(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (3)"), DB_OK);
	assert_int_equal(db_savepoint_release(f->d), DB_OK);

	/* Nested savepoints of the same name: rolling back the inner one
	 * keeps the outer one's work. */
	assert_int_equal(db_savepoint(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (4)"), DB_OK);
	assert_int_equal(db_savepoint(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (5)"), DB_OK);
	assert_int_equal(db_savepoint_rollback(f->d), DB_OK);
	assert_int_equal(db_savepoint_release(f->d), DB_OK);

	/* A failed statement inside a savepoint, then its rollback. */
	assert_int_equal(db_savepoint(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (6)"), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (100)"), DB_CONSTRAINT);
	assert_int_equal(db_savepoint_rollback(f->d), DB_OK);

	assert_int_equal(db_commit(f->d), DB_OK);

	db_stmt *s =
	        db_prepare(f->d, "SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY v)");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "1,3,4");
	db_finalize(s);
}

static void test_savepoint_release_unknown_fails(void **state)
{
	struct test_db_fixture *f = *state;
	/* Releasing without a savepoint is an error, not a silent success. */
	assert_int_equal(db_savepoint_release(f->d), DB_ERROR);
	assert_true(strlen(db_errmsg(f->d)) > 0);
}

/* ---- migrations ---- */

static void test_migrate_fresh_and_idempotent(void **state)
{
	struct test_db_fixture *f = *state;
	int latest = migrate_latest();
	assert_true(latest >= 1);
	assert_int_equal(migrate_current(f->d), 0);

	buf out;
	buf_init(&out);
	char err[256] = "";
	assert_int_equal(migrate_apply(f->d, &out, err, sizeof err), 0);
	json_error_t jerr;
	json_t *names = json_loads(out.data, 0, &jerr);
	assert_non_null(names);
	assert_true(json_is_array(names));
	assert_int_equal(json_array_size(names), (size_t)latest);
	assert_string_equal(json_string_value(json_array_get(names, 0)), "001_foundation.sql");
	json_decref(names);
	assert_int_equal(migrate_current(f->d), latest);
	assert_int_equal(migrate_current(f->d), migrate_latest());
	assert_int_equal(count_rows(f->d, 1), latest);

	/* Again: nothing to do. */
	buf_reset(&out);
	assert_int_equal(migrate_apply(f->d, &out, err, sizeof err), 0);
	assert_string_equal(out.data, "[]");
	assert_int_equal(count_rows(f->d, 1), latest);
	assert_int_equal(migrate_current(f->d), latest);
	buf_free(&out);

	/* Migration 001 made its tables. */
	db_stmt *s = db_prepare(f->d,
	                        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
	                        "name IN ('organisations', 'users', 'sessions', 'login_failures')");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 4);
	db_finalize(s);
	s = db_prepare(f->d, "SELECT COUNT(*) FROM schema_migrations WHERE version = 1 "
	                     "AND name = '001_foundation.sql'");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
}

static void test_migrate_reopen(void **state)
{
	struct test_db_fixture *f = *state;
	migrate_or_fail(f->d);
	db_close(f->d);
	char err[256] = "";
	f->d = db_open(f->path, err, sizeof err);
	assert_non_null(f->d);
	assert_int_equal(migrate_current(f->d), migrate_latest());
	buf out;
	buf_init(&out);
	assert_int_equal(migrate_apply(f->d, &out, err, sizeof err), 0);
	assert_string_equal(out.data, "[]");
	buf_free(&out);
}

static void test_migrate_refuses_newer_schema(void **state)
{
	struct test_db_fixture *f = *state;
	migrate_or_fail(f->d);
	int future = migrate_latest() + 1;
	db_stmt *s = db_prepare(f->d, "INSERT INTO schema_migrations (version, name, applied_at) "
	                              "VALUES (:v, '999_future.sql', 0)");
	db_bind_int(s, "v", future);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	assert_int_equal(migrate_current(f->d), future);

	buf out;
	buf_init(&out);
	char err[256] = "";
	assert_int_equal(migrate_apply(f->d, &out, err, sizeof err), -1);
	assert_non_null(strstr(err, "newer"));
	char want[32];
	snprintf(want, sizeof want, "%d", future);
	assert_non_null(strstr(err, want));
	assert_int_equal(out.len, 0);
	buf_free(&out);
	assert_int_equal(count_rows(f->d, 1), future);
}

static void test_collect_ids(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (id INTEGER PRIMARY KEY)"), DB_OK);
	int64_t *ids;
	size_t n;
	db_stmt *s = db_prepare(f->d, "SELECT id FROM t ORDER BY id");
	assert_int_equal(db_collect_ids(s, &ids, &n), DB_DONE);
	db_finalize(s);
	assert_int_equal(n, 0);
	assert_null(ids);
	/* More than the first allocation, so the array has to grow. */
	assert_int_equal(db_exec(f->d, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
	                               "FROM c WHERE x < 200) INSERT INTO t SELECT x * 3 FROM c"),
	                 DB_OK);
	s = db_prepare(f->d, "SELECT id FROM t ORDER BY id");
	assert_int_equal(db_collect_ids(s, &ids, &n), DB_DONE);
	db_finalize(s);
	assert_int_equal(n, 200);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ids[i], 3 * (int64_t)(i + 1));
	free(ids);
}

int main(void)
{
	log_set_enabled(0);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_open_driver),
	        T(test_open_fails_with_message),
	        T(test_sqlite_prefix),
	        T(test_wal_mode),
	        T(test_foreign_keys_enforced),
	        T(test_constraints_map),
	        T(test_named_binding),
	        T(test_bind_same_name_twice),
	        T(test_reset_clears_bindings),
	        T(test_bind_unknown_name_aborts),
	        T(test_prepare_bad_sql_aborts),
	        T(test_cache_sequential_reuse),
	        T(test_cache_clears_bindings),
	        T(test_cache_nested),
	        T(test_transaction_rollback),
	        T(test_savepoints),
	        T(test_collect_ids),
	        T(test_savepoint_release_unknown_fails),
	        T(test_migrate_fresh_and_idempotent),
	        T(test_migrate_reopen),
	        T(test_migrate_refuses_newer_schema),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
