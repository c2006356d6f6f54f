/* test_pg_driver.c: the PostgreSQL driver (db_pg.c) and its migrations, against the cluster in VP_TEST_DB (make unit-pg). */
#include "unit/testutil.h"
#include "unit/testdb.h"

#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Each test gets a fresh schema of the test database. */

static int setup(void **state)
{
	return test_db_fixture_setup(state, "pg");
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

static int64_t count_t(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM t");
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

/* ---- open ---- */

static void test_open_selects_postgres(void **state)
{
	struct test_db_fixture *f = *state;
	assert_string_equal(db_driver_name(f->d), "postgres");
	/* The schema of the URL is the one in use. */
	db_stmt *s = db_prepare(f->d, "SELECT current_schema()");
	assert_int_equal(db_step(s), DB_ROW);
	assert_non_null(strstr(f->path, db_col_text(s, 0)));
	db_finalize(s);
}

static void test_open_fails_with_message(void **state)
{
	char err[256] = "";
	/* A port nothing listens on (the cluster's own plus one is not ours). */
	db *d = db_open("postgres://vertelpunt@127.0.0.1:1/none", err, sizeof err);
	assert_null(d);
	assert_non_null(strstr(err, "127.0.0.1:1"));
	err[0] = '\0';
	d = db_open("postgresql://vertelpunt@127.0.0.1:1/none", err, sizeof err);
	assert_null(d);
	assert_true(strlen(err) > 0);
}

/* ---- parameters ---- */

static void test_named_binding_and_types(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (i bigint, s text, r double precision, "
	                               "b bytea, z text)"),
	                 DB_OK);
	db_stmt *s = db_prepare(f->d, "INSERT INTO t (z, b, r, s, i) VALUES (:z, :b, :r, :s, :i)");
	db_bind_int(s, "i", -9007199254740993LL);
	char text[] = "tekst \xc3\xa9 'quoted' ; DROP TABLE t";
	db_bind_text(s, "s", text);
	text[0] = 'X'; /* bound text is a copy */
	db_bind_double(s, "r", 2.5);
	db_bind_blob(s, "b", "\x00\x01\x02\xff", 4);
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
	assert_int_equal(n, 4);
	assert_memory_equal(p, "\x00\x01\x02\xff", 4);
	assert_true(db_col_is_null(s, 4));
	assert_false(db_col_is_null(s, 0));
	assert_string_equal(db_col_text(s, 4), ""); /* NULL reads as "" */
	assert_int_equal(db_col_int(s, 4), 0);      /* and as 0 */
	assert_int_equal(db_step(s), DB_DONE);
	assert_int_equal(db_step(s), DB_DONE); /* and stays done */
	db_finalize(s);
}

static void test_same_name_twice_and_null(void **state)
{
	struct test_db_fixture *f = *state;
	db_stmt *s = db_prepare(f->d, "SELECT :x + :x, :y IS NULL");
	db_bind_int(s, "x", 21);
	db_bind_text(s, "y", NULL); /* NULL text binds NULL */
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 42);
	assert_int_equal(db_col_int(s, 1), 1); /* a boolean reads as 1 */
	db_finalize(s);
}

static void test_rewrite_skips_literals_casts_comments(void **state)
{
	struct test_db_fixture *f = *state;
	/* ':not' in a string, "x:y" as an identifier, '::' a cast, comments. */
	db_stmt *s = db_prepare(f->d, "SELECT 'a :not '' :no' AS \"x:y\", :v::text || '!' -- :c\n"
	                              ", /* :d */ :w");
	db_bind_int(s, "v", 5);
	db_bind_text(s, "w", "w");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "a :not ' :no");
	assert_string_equal(db_col_text(s, 1), "5!");
	assert_string_equal(db_col_text(s, 2), "w");
	db_finalize(s);
}

static void test_text_against_bigint_column(void **state)
{
	struct test_db_fixture *f = *state;
	/* SQLite compares '7' with an integer column; so must this driver. */
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (id bigint, name text)"), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (7, 'zeven')"), DB_OK);
	db_stmt *s = db_prepare(f->d, "SELECT name FROM t WHERE id = :id");
	db_bind_text(s, "id", "7");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "zeven");
	db_finalize(s);
	/* The same statement bound with an int is another prepared version. */
	s = db_prepare(f->d, "SELECT name FROM t WHERE id = :id");
	db_bind_int(s, "id", 7);
	assert_int_equal(db_step(s), DB_ROW);
	db_finalize(s);
}

static void test_reset_clears_bindings(void **state)
{
	struct test_db_fixture *f = *state;
	db_stmt *s = db_prepare(f->d, "SELECT :v::bigint");
	db_bind_int(s, "v", 7);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 7);
	db_reset(s);
	assert_int_equal(db_step(s), DB_ROW);
	assert_true(db_col_is_null(s, 0));
	db_finalize(s);
}

static void test_returning_and_changes(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS "
	                               "IDENTITY PRIMARY KEY, v bigint)"),
	                 DB_OK);
	for (int i = 1; i <= 3; i++) {
		db_stmt *s = db_prepare(f->d, "INSERT INTO t (v) VALUES (:v) RETURNING id");
		db_bind_int(s, "v", i * 10);
		assert_int_equal(db_step(s), DB_ROW);
		assert_int_equal(db_col_int(s, 0), i);
		assert_int_equal(db_step(s), DB_DONE);
		db_finalize(s);
	}
	assert_int_equal(db_exec(f->d, "UPDATE t SET v = v + 1 WHERE v >= 20"), DB_OK);
	assert_int_equal(db_changes(f->d), 2);
	/* A SELECT does not change the count. */
	assert_int_equal(count_t(f->d), 3);
	assert_int_equal(db_changes(f->d), 2);
	int64_t *ids;
	size_t n;
	db_stmt *s = db_prepare(f->d, "SELECT id FROM t ORDER BY id DESC");
	assert_int_equal(db_collect_ids(s, &ids, &n), DB_DONE);
	db_finalize(s);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 3);
	free(ids);
}

static void test_pragma_is_nothing(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "PRAGMA cache_size = -262144"), DB_OK);
}

/* ---- errors ---- */

static void test_constraints_map(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (k text UNIQUE, n bigint CHECK (n > 0))"),
	                 DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES ('a', 1)"), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES ('a', 2)"), DB_CONSTRAINT);
	assert_non_null(strstr(db_errmsg(f->d), "duplicate"));
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES ('b', 0)"), DB_CONSTRAINT);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (NULL, NULL), ('c', 1)"), DB_OK);
	assert_int_equal(count_t(f->d), 3);
}

static void test_busy_maps(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (v bigint)"), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (1)"), DB_OK);
	char err[256] = "";
	db *other = db_open(f->path, err, sizeof err);
	assert_non_null(other);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "UPDATE t SET v = 2"), DB_OK);
	/* 55P03 lock_not_available */
	assert_int_equal(db_exec(other, "SELECT v FROM t FOR UPDATE NOWAIT"), DB_BUSY);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(db_exec(other, "SELECT v FROM t FOR UPDATE NOWAIT"), DB_OK);
	db_close(other);
}

/* ---- transactions ---- */

static void test_transaction_rollback(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (v bigint)"), DB_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (1)"), DB_OK);
	assert_int_equal(db_rollback(f->d), DB_OK);
	assert_int_equal(count_t(f->d), 0);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (1)"), DB_OK);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(count_t(f->d), 1);
}

static void test_failed_statement_keeps_transaction(void **state)
{
	struct test_db_fixture *f = *state;
	/* As in SQLite: a refused statement undoes itself, not the transaction. */
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (v bigint UNIQUE)"), DB_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (1)"), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (2), (1)"), DB_CONSTRAINT);
	db_stmt *s = db_prepare(f->d, "INSERT INTO t VALUES (:v)");
	db_bind_int(s, "v", 3);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(count_t(f->d), 2);
}

static void test_savepoints(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (v bigint CHECK (v < 100))"), DB_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (1)"), DB_OK);
	assert_int_equal(db_savepoint(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (2)"), DB_OK);
	assert_int_equal(db_savepoint_rollback(f->d), DB_OK);
	assert_int_equal(db_savepoint(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (3)"), DB_OK);
	assert_int_equal(db_savepoint_release(f->d), DB_OK);
	assert_int_equal(db_savepoint(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (4)"), DB_OK);
	assert_int_equal(db_savepoint(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (5)"), DB_OK);
	assert_int_equal(db_savepoint_rollback(f->d), DB_OK);
	assert_int_equal(db_savepoint_release(f->d), DB_OK);
	assert_int_equal(db_savepoint(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (6)"), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES (100)"), DB_CONSTRAINT);
	assert_int_equal(db_savepoint_rollback(f->d), DB_OK);
	assert_int_equal(db_commit(f->d), DB_OK);
	db_stmt *s = db_prepare(f->d, "SELECT string_agg(v::text, ',' ORDER BY v) FROM t");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "1,3,4");
	db_finalize(s);
}

static void test_savepoint_release_unknown_fails(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_savepoint_release(f->d), DB_ERROR);
	assert_true(strlen(db_errmsg(f->d)) > 0);
	assert_int_equal(db_rollback(f->d), DB_OK);
}

/* ---- bad SQL ---- */

static int in_child(void (*fn)(const char *), const char *path)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGABRT, SIG_DFL);
		log_set_enabled(0);
		fn(path);
		_exit(0);
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void child_bad_sql(const char *path)
{
	char err[256];
	db *d = db_open(path, err, sizeof err);
	if (!d)
		_exit(3);
	db_prepare(d, "SELEKT :x");
	_exit(0);
}

static void child_bind_unknown(const char *path)
{
	char err[256];
	db *d = db_open(path, err, sizeof err);
	if (!d)
		_exit(3);
	db_stmt *s = db_prepare(d, "SELECT :known::text");
	db_bind_int(s, "unknown", 1);
	_exit(0);
}

static void test_bad_sql_and_unknown_name_abort(void **state)
{
	struct test_db_fixture *f = *state;
	int st = in_child(child_bad_sql, f->path);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGABRT);
	st = in_child(child_bind_unknown, f->path);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGABRT);
}

/* ---- maintenance ---- */

static void test_maintenance(void **state)
{
	struct test_db_fixture *f = *state;
	char err[256] = "";
	assert_int_equal(db_table_exists(f->d, "t"), 0);
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (v bigint PRIMARY KEY)"), DB_OK);
	assert_int_equal(db_table_exists(f->d, "t"), 1);
	assert_int_equal(db_integrity_check(f->d, err, sizeof err), 0);
	assert_int_equal(db_compact(f->d, 1, err, sizeof err), 0);
	assert_int_equal(db_compact(f->d, 0, err, sizeof err), 0);
	assert_int_equal(db_backup_to(f->d, "/tmp/never-written.db", err, sizeof err), -1);
	assert_non_null(strstr(err, "pg_dump"));
	assert_int_equal(access("/tmp/never-written.db", F_OK), -1);
	/* A constraint added NOT VALID is found. */
	assert_int_equal(
	        db_exec(f->d, "ALTER TABLE t ADD CONSTRAINT t_small CHECK (v < 10) NOT VALID"),
	        DB_OK);
	assert_int_equal(db_integrity_check(f->d, err, sizeof err), -1);
	assert_non_null(strstr(err, "t_small"));
}

/* ---- migrations ---- */

static void test_migrate_fresh_and_idempotent(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(migrate_current(f->d), 0);
	buf out;
	buf_init(&out);
	char err[256] = "";
	assert_int_equal(migrate_apply(f->d, &out, err, sizeof err), 0);
	/* The bookkeeping is the same as on SQLite: the common file's name,
	 * also where the PostgreSQL file 001_foundation.postgres.sql ran. */
	assert_non_null(strstr(out.data, "\"001_foundation.sql\""));
	assert_null(strstr(out.data, "postgres"));
	assert_int_equal(migrate_current(f->d), migrate_latest());
	buf_reset(&out);
	assert_int_equal(migrate_apply(f->d, &out, err, sizeof err), 0);
	assert_string_equal(out.data, "[]");
	buf_free(&out);
	db_stmt *s = db_prepare(f->d, "SELECT COUNT(*) FROM schema_migrations");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), migrate_latest());
	db_finalize(s);
	s = db_prepare(f->d, "SELECT name FROM schema_migrations WHERE version = 23");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "023_story_search.sql");
	db_finalize(s);
	assert_int_equal(db_integrity_check(f->d, err, sizeof err), 0);
}

static void test_migrated_constraints_and_triggers(void **state)
{
	struct test_db_fixture *f = *state;
	migrate_or_fail(f->d);
	/* foreign key */
	db_stmt *s = db_prepare(
	        f->d, "INSERT INTO users (org_id, username, display_name, role, password_hash, "
	              "created_at, password_changed_at) VALUES (:org, 'ann', 'Ann', 'beheerder', "
	              "'x', 0, 0)");
	db_bind_int(s, "org", 999);
	assert_int_equal(db_step(s), DB_CONSTRAINT);
	db_finalize(s);
	/* generated ids */
	s = db_prepare(f->d, "INSERT INTO organisations (name, created_at) VALUES ('Gemeente', 0) "
	                     "RETURNING id");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	/* the append-only audit log refuses changes as a constraint */
	assert_int_equal(db_exec(f->d, "INSERT INTO audit_log (at, actor, action, object_type, "
	                               "object_id, origin, prev_hash, hash) VALUES (0, 'a', 'b', "
	                               "'c', 'd', 'e', 'f', 'g')"),
	                 DB_OK);
	assert_int_equal(db_exec(f->d, "UPDATE audit_log SET actor = 'x'"), DB_CONSTRAINT);
	assert_int_equal(db_exec(f->d, "DELETE FROM audit_log"), DB_CONSTRAINT);
}

/* The columns of every table, "table.column type notnull" one per line,
 * sorted, with SQLite's declared types mapped to PostgreSQL's names. */
static void schema_of(db *d, buf *out, int pg)
{
	db_stmt *s;
	if (pg)
		s = db_prepare(
		        d,
		        "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO', "
		        "0 FROM information_schema.columns c JOIN information_schema.tables t "
		        "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
		        "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
		        "ORDER BY c.table_name, c.ordinal_position");
	else
		s = db_prepare(d,
		               "SELECT l.name, c.name, upper(c.type), c.\"notnull\" OR c.pk = 1, "
		               "l.type = 'virtual' FROM pragma_table_list l, "
		               "pragma_table_info(l.name) c WHERE l.schema = 'main' AND l.type IN "
		               "('table', 'virtual') AND l.name NOT LIKE 'sqlite_%' "
		               "ORDER BY l.name, c.cid");
	while (db_step(s) == DB_ROW) {
		const char *type = db_col_text(s, 2);
		if (!pg) {
			if (strcmp(type, "INTEGER") == 0)
				type = "bigint";
			else if (strcmp(type, "TEXT") == 0)
				type = "text";
			else if (strcmp(type, "BLOB") == 0)
				type = "bytea";
			else if (strcmp(type, "REAL") == 0)
				type = "double precision";
		}
		/* migrate.c's own table says INTEGER on both: int4 on PostgreSQL. */
		if (pg && strcmp(db_col_text(s, 0), "schema_migrations") == 0 &&
		    strcmp(type, "integer") == 0)
			type = "bigint";
		/* An FTS5 table's columns are text; its key is the rowid. */
		if (!pg && db_col_int(s, 4))
			type = "text";
		buf_printf(out, "%s.%s %s%s\n", db_col_text(s, 0), db_col_text(s, 1), type,
		           db_col_int(s, 3) && !(!pg && db_col_int(s, 4)) ? " not null" : "");
	}
	db_finalize(s);
}

static void test_schema_same_as_sqlite(void **state)
{
	struct test_db_fixture *f = *state;
	migrate_or_fail(f->d);
	char dir[64], path[96], err[256] = "";
	snprintf(dir, sizeof dir, "/tmp/vp-test-pgcmp-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/test.db", dir);
	db *lite = db_open(path, err, sizeof err);
	assert_non_null(lite);
	migrate_or_fail(lite);
	buf a, b;
	buf_init(&a);
	buf_init(&b);
	schema_of(lite, &a, 0);
	buf_putc(&b, '\n');
	schema_of(f->d, &b, 1);
	db_close(lite);
	unlink(path);
	char wal[128];
	snprintf(wal, sizeof wal, "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", path);
	unlink(wal);
	rmdir(dir);
	/* Every SQLite column is on PostgreSQL, with the same type and
	 * nullability; PostgreSQL has nothing SQLite lacks except the search
	 * table's own columns. */
	char *save = NULL;
	int lines = 0;
	for (char *line = strtok_r(a.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "story_search_", 13) == 0 &&
		    strncmp(line, "story_search_gone", 17))
			continue; /* FTS5's shadow tables */
		char want[200];
		snprintf(want, sizeof want, "\n%s\n", line);
		if (!strstr(b.data, want))
			fail_msg("PostgreSQL lacks or differs in: %s", line);
		lines++;
	}
	assert_true(lines > 300); /* every column of every table was compared */
	buf_free(&a);
	buf_free(&b);
}

static void test_schema_tables_match(void **state)
{
	struct test_db_fixture *f = *state;
	migrate_or_fail(f->d);
	/* And the other way: no table on PostgreSQL that SQLite has not. */
	char dir[64], path[96], err[256] = "";
	snprintf(dir, sizeof dir, "/tmp/vp-test-pgcmp-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/test.db", dir);
	db *lite = db_open(path, err, sizeof err);
	assert_non_null(lite);
	migrate_or_fail(lite);
	db_stmt *s = db_prepare(f->d, "SELECT table_name FROM information_schema.tables WHERE "
	                              "table_schema = current_schema() ORDER BY 1");
	int n = 0;
	while (db_step(s) == DB_ROW) {
		assert_int_equal(db_table_exists(lite, db_col_text(s, 0)), 1);
		n++;
	}
	db_finalize(s);
	assert_true(n > 40);
	db_close(lite);
	char p[128];
	static const char *suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

int main(void)
{
	log_set_enabled(0);
	if (!test_db_pg_url()) {
		fprintf(stderr,
		        "test_pg_driver: set VP_TEST_DB=postgres://... (make unit-pg does)\n");
		return 1;
	}
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_open_selects_postgres),
	        T(test_open_fails_with_message),
	        T(test_named_binding_and_types),
	        T(test_same_name_twice_and_null),
	        T(test_rewrite_skips_literals_casts_comments),
	        T(test_text_against_bigint_column),
	        T(test_reset_clears_bindings),
	        T(test_returning_and_changes),
	        T(test_pragma_is_nothing),
	        T(test_constraints_map),
	        T(test_busy_maps),
	        T(test_transaction_rollback),
	        T(test_failed_statement_keeps_transaction),
	        T(test_savepoints),
	        T(test_savepoint_release_unknown_fails),
	        T(test_bad_sql_and_unknown_name_abort),
	        T(test_maintenance),
	        T(test_migrate_fresh_and_idempotent),
	        T(test_migrated_constraints_and_triggers),
	        T(test_schema_same_as_sqlite),
	        T(test_schema_tables_match),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
