/* testdb.h: a fresh database for tests that need one: a file in its own temporary folder, or a PostgreSQL schema. */
#ifndef VP_TESTDB_H
#define VP_TESTDB_H

#include "db/db.h"
#include "db/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* With VP_TEST_DB=postgres://... (make unit-pg sets it to the throw-away
 * cluster of scripts/pg-cluster.sh) every test database is a new schema
 * of that database instead of a file: path is then the URL with
 * ?options=-csearch_path%3DSCHEMA, which db_open takes like a file name. */
static inline const char *test_db_pg_url(void)
{
	const char *u = getenv("VP_TEST_DB");
	if (u && (strncmp(u, "postgres://", 11) == 0 || strncmp(u, "postgresql://", 13) == 0))
		return u;
	return NULL;
}

/* Runs a script of the test's own on the base database; 0 or -1. */
static inline int test_db_pg_run(const char *script)
{
	char err[256] = "";
	db *d = db_open(test_db_pg_url(), err, sizeof err);
	if (!d) {
		fprintf(stderr, "testdb: %s\n", err);
		return -1;
	}
	int rc = db_exec_trusted_script(d, script);
	if (rc != DB_OK)
		fprintf(stderr, "testdb: %s\n", db_errmsg(d));
	db_close(d);
	return rc == DB_OK ? 0 : -1;
}

/* Drops the trigger name of table, as a test that tampers with rows does
 * (SQLite's DROP TRIGGER has no ON; PostgreSQL's needs it). A db_rc. */
static inline int test_drop_trigger(db *d, const char *name, const char *table)
{
	char script[160];
	if (strcmp(db_driver_name(d), "postgres") == 0)
		snprintf(script, sizeof script, "DROP TRIGGER %s ON %s", name, table);
	else
		snprintf(script, sizeof script, "DROP TRIGGER %s", name);
	return db_exec_trusted_script(d, script);
}

/* With VP_TEST_DB, sets path (cap bytes) to a new empty PostgreSQL schema
 * of that database named after the random suffix of the folder dir (made
 * by mkdtemp, so unique while it exists). The test binaries of the http
 * layer share it through tests/http/fixture.h. 0 or -1. */
static inline int test_db_pg_make(const char *dir, char *path, size_t cap)
{
	const char *pg = test_db_pg_url();
	char schema[32], script[128];
	snprintf(schema, sizeof schema, "vpt_%s", strrchr(dir, '-') + 1);
	for (char *p = schema; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if ((size_t)snprintf(path, cap, "%s%soptions=-csearch_path%%3D%s", pg,
	                     strchr(pg, '?') ? "&" : "?", schema) >= cap) {
		fprintf(stderr, "testdb: VP_TEST_DB is too long for a test's path\n");
		return -1;
	}
	snprintf(script, sizeof script, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s",
	         schema, schema);
	return test_db_pg_run(script);
}

/* Drops the schema of a path test_db_pg_make made; 1 when path is one,
 * else 0 (nothing done). */
static inline int test_db_pg_drop(const char *path)
{
	const char *at = strstr(path, "search_path%3D");
	if (!test_db_pg_url() || !at || strncmp(path, "postgres", 8) != 0)
		return 0;
	char script[96];
	snprintf(script, sizeof script, "DROP SCHEMA IF EXISTS %.40s CASCADE", at + 14);
	test_db_pg_run(script);
	return 1;
}

/* Makes /tmp/vp-test-NAME-XXXXXX and sets path to test.db inside it (the
 * file itself is not created), or, with VP_TEST_DB, to a new empty
 * PostgreSQL schema. dir needs 64 bytes, path 96. */
static inline int test_db_make(char dir[64], char path[96], const char *name)
{
	snprintf(dir, 64, "/tmp/vp-test-%.20s-XXXXXX", name);
	if (!mkdtemp(dir))
		return -1;
	if (test_db_pg_url())
		return test_db_pg_make(dir, path, 96);
	snprintf(path, 96, "%s/test.db", dir);
	return 0;
}

/* Removes the database with its WAL, shared-memory and journal files, and
 * the folder (or drops the test's PostgreSQL schema). */
static inline void test_db_remove(const char *dir, const char *path)
{
	if (test_db_pg_drop(path)) {
		rmdir(dir);
		return;
	}
	static const char *suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[128];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* The fixture of tests that need nothing but a fresh database, open and
 * not yet migrated: test_db_fixture_setup and _teardown as cmocka's setup
 * and teardown (name: the temporary folder's, see test_db_make). */
struct test_db_fixture {
	char dir[64];
	char path[96];
	db *d;
};

static inline int test_db_fixture_setup(void **state, const char *name)
{
	struct test_db_fixture *f = calloc(1, sizeof *f);
	if (!f || test_db_make(f->dir, f->path, name)) {
		free(f);
		return -1;
	}
	char err[256] = "";
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d) {
		fprintf(stderr, "db_open: %s\n", err);
		test_db_remove(f->dir, f->path);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static inline int test_db_fixture_teardown(void **state);

/* test_db_fixture_setup, then this program's schema (migrate_apply). */
static inline int test_db_fixture_setup_migrated(void **state, const char *name)
{
	if (test_db_fixture_setup(state, name))
		return -1;
	struct test_db_fixture *f = *state;
	char err[256] = "";
	if (migrate_apply(f->d, NULL, err, sizeof err)) {
		fprintf(stderr, "%s: %s\n", name, err);
		test_db_fixture_teardown(state);
		return -1;
	}
	return 0;
}

static inline int test_db_fixture_teardown(void **state)
{
	struct test_db_fixture *f = *state;
	db_close(f->d);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

#endif
