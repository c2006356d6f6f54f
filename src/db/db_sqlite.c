/* db_sqlite.c: the SQLite driver (WAL, foreign keys, busy timeout, synchronous=FULL). */
#include "db/db.h"
#include "db/fts_nl.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Statements are cached per connection by the address of their SQL text:
 * db_prepare only takes literals, so an address names one statement for the
 * life of the process. A cached statement is handed out once at a time. */
enum { CACHE_SIZE = 64 };

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
	const char *sql;
	int cached;
};

struct sq_db {
	struct db base;
	sqlite3 *h;
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[CACHE_SIZE];
	int ncache;
};

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: return DB_OK;
	case SQLITE_ROW: return DB_ROW;
	case SQLITE_DONE: return DB_DONE;
	case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DB_BUSY;
	default: return DB_ERROR;
	}
}

/* The FTS5 interface of connection h ("SELECT fts5(?1)" with a pointer
 * bound, as https://sqlite.org/fts5.html says), or NULL. */
static fts5_api *sq_fts5_api(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	if (sqlite3_finalize(st) != SQLITE_OK)
		return NULL;
	return api;
}

static db *sq_open(const char *url, char *err, size_t errlen)
{
	const char *path = url;
	if (strncmp(path, "sqlite:", 7) == 0)
		path += 7;
	struct sq_db *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	d->base.drv = &db_sqlite_driver;
	int rc = sqlite3_open_v2(path, &d->h,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
	                                 SQLITE_OPEN_EXRESCODE,
	                         NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
		         d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
		sqlite3_close(d->h);
		free(d);
		return NULL;
	}
	sqlite3_busy_timeout(d->h, 10000);
	sqlite3_extended_result_codes(d->h, 1);
	const char *pragmas = "PRAGMA journal_mode=WAL;"
	                      "PRAGMA synchronous=FULL;"
	                      "PRAGMA foreign_keys=ON;"
	                      "PRAGMA temp_store=MEMORY;"
	                      "PRAGMA trusted_schema=OFF;"
	                      /* Deleted personal data is overwritten, not left in free pages. */
	                      "PRAGMA secure_delete=ON;";
	char *msg = NULL;
	rc = sqlite3_exec(d->h, pragmas, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up database %s: %s", path, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(d->h);
		free(d);
		return NULL;
	}
	/* full-text search of stories (023_story_search.sql) */
	fts5_api *fts = sq_fts5_api(d->h);
	if ((rc = fts ? fts_nl_register(fts) : SQLITE_ERROR) != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up full-text search on %s: %s", path,
		         sqlite3_errstr(rc));
		sqlite3_close(d->h);
		free(d);
		return NULL;
	}
	return &d->base;
}

static void sq_close(db *base)
{
	struct sq_db *d = (struct sq_db *)base;
	for (int i = 0; i < d->ncache; i++)
		sqlite3_finalize(d->cache[i].st);
	sqlite3_close(d->h);
	free(d);
}

static const char *sq_errmsg(db *base)
{
	return sqlite3_errmsg(((struct sq_db *)base)->h);
}

static db_stmt *sq_prepare(db *base, const char *sql)
{
	struct sq_db *d = (struct sq_db *)base;
	struct sq_stmt *s = malloc(sizeof *s);
	if (!s)
		abort();
	s->base.drv = &db_sqlite_driver;
	s->base.owner = base;
	s->sql = sql;
	s->cached = 0;
	for (int i = 0; i < d->ncache; i++) {
		if (d->cache[i].sql == sql) {
			s->st = d->cache[i].st;
			d->cache[i] = d->cache[--d->ncache];
			s->cached = 1;
			return &s->base;
		}
	}
	if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) !=
	            SQLITE_OK ||
	    !s->st) {
		free(s);
		return NULL;
	}
	return &s->base;
}

static void sq_finalize(db_stmt *base)
{
	struct sq_stmt *s = (struct sq_stmt *)base;
	struct sq_db *d = (struct sq_db *)base->owner;
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	if (d->ncache < CACHE_SIZE) {
		d->cache[d->ncache].sql = s->sql;
		d->cache[d->ncache].st = s->st;
		d->ncache++;
	} else {
		sqlite3_finalize(s->st);
	}
	free(s);
}

static void sq_reset(db_stmt *base)
{
	struct sq_stmt *s = (struct sq_stmt *)base;
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
}

static int sq_bind_index(db_stmt *base, const char *name)
{
	char key[64];
	if (snprintf(key, sizeof key, ":%s", name) >= (int)sizeof key)
		return 0;
	return sqlite3_bind_parameter_index(((struct sq_stmt *)base)->st, key);
}

#define ST(b) (((struct sq_stmt *)(b))->st)

static void sq_bind_text(db_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(ST(s), i, v, -1, SQLITE_TRANSIENT);
}

static void sq_bind_int(db_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(ST(s), i, v);
}

static void sq_bind_double(db_stmt *s, int i, double v)
{
	sqlite3_bind_double(ST(s), i, v);
}

static void sq_bind_blob(db_stmt *s, int i, const void *p, size_t n)
{
	sqlite3_bind_blob64(ST(s), i, p, n, SQLITE_TRANSIENT);
}

static void sq_bind_null(db_stmt *s, int i)
{
	sqlite3_bind_null(ST(s), i);
}

static int sq_step(db_stmt *s)
{
	return map_rc(sqlite3_step(ST(s)));
}

static int sq_col_count(db_stmt *s)
{
	return sqlite3_column_count(ST(s));
}

static int sq_col_is_null(db_stmt *s, int i)
{
	return sqlite3_column_type(ST(s), i) == SQLITE_NULL;
}

static int64_t sq_col_int(db_stmt *s, int i)
{
	return sqlite3_column_int64(ST(s), i);
}

static double sq_col_double(db_stmt *s, int i)
{
	return sqlite3_column_double(ST(s), i);
}

static const char *sq_col_text(db_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(ST(s), i);
}

static const void *sq_col_blob(db_stmt *s, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(ST(s), i);
	*n = (size_t)sqlite3_column_bytes(ST(s), i);
	return p;
}

static int sq_exec_script(db *base, const char *script)
{
	return map_rc(sqlite3_exec(((struct sq_db *)base)->h, script, NULL, NULL, NULL));
}

static int sq_begin(db *base)
{
	return map_rc(sqlite3_exec(((struct sq_db *)base)->h, "BEGIN IMMEDIATE", NULL, NULL, NULL));
}

static int64_t sq_changes(db *base)
{
	return sqlite3_changes64(((struct sq_db *)base)->h);
}

/* The backup API inside one read transaction: sqlite3_backup_step(-1)
 * copies every page in a single step, so in WAL mode the copy is the state
 * of one commit while writers go on (a page-by-page copy would restart each
 * time another connection commits, and might never finish on a busy
 * server). BUSY and LOCKED (a checkpoint or recovery holding a lock, or
 * this handle writing) are retried for up to about 30 seconds. */
static int sq_backup_to(db *base, const char *path, char *err, size_t errlen)
{
	struct sq_db *d = (struct sq_db *)base;
	if (!sqlite3_get_autocommit(d->h)) {
		snprintf(err, errlen, "cannot back up inside a transaction");
		return -1;
	}
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(path, &dst,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
	                                 SQLITE_OPEN_EXRESCODE,
	                         NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot create the copy %s: %s", path,
		         dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		sqlite3_close(dst);
		return -1;
	}
	/* The copy is read back and encrypted at once; durability is not its
	 * business, and no rollback journal beside it means one file less
	 * holding data in clear. */
	sqlite3_exec(dst, "PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF;", NULL, NULL, NULL);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", d->h, "main");
	if (!b) {
		snprintf(err, errlen, "cannot start the backup: %s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	for (int tries = 0;; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		if (tries >= 300)
			break;
		sqlite3_sleep(100);
	}
	int frc = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || frc != SQLITE_OK) {
		snprintf(err, errlen, "backup failed: %s",
		         sqlite3_errstr(rc != SQLITE_DONE ? rc : frc));
		sqlite3_close(dst);
		return -1;
	}
	/* The pages carry the source's WAL flag; make the copy a plain
	 * rollback-journal database, readable without -wal or -shm. */
	char *msg = NULL;
	rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot finish the copy: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(dst);
		return -1;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		snprintf(err, errlen, "cannot close the copy %s", path);
		return -1;
	}
	return 0;
}

/* Runs one check pragma; 0 when it reports nothing (or "ok"). */
static int sq_check_pragma(sqlite3 *h, const char *sql, int fk, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot check the database: %s", sqlite3_errmsg(h));
		return -1;
	}
	int rc = sqlite3_step(st), bad = 0;
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (fk) {
			snprintf(err, errlen,
			         "foreign key violation: row %lld of %s refers to a missing %s",
			         (long long)sqlite3_column_int64(st, 1), t ? t : "?",
			         sqlite3_column_text(st, 2)
			                 ? (const char *)sqlite3_column_text(st, 2)
			                 : "?");
			bad = 1;
		} else if (!t || strcmp(t, "ok") != 0) {
			snprintf(err, errlen, "integrity check failed: %s", t ? t : "?");
			bad = 1;
		}
	} else if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "cannot check the database: %s", sqlite3_errmsg(h));
		bad = 1;
	}
	sqlite3_finalize(st);
	return bad ? -1 : 0;
}

static int sq_integrity_check(db *base, char *err, size_t errlen)
{
	sqlite3 *h = ((struct sq_db *)base)->h;
	if (sq_check_pragma(h, "PRAGMA integrity_check", 0, err, errlen))
		return -1;
	return sq_check_pragma(h, "PRAGMA foreign_key_check", 1, err, errlen);
}

static int sq_compact(db *base, int vacuum, char *err, size_t errlen)
{
	sqlite3 *h = ((struct sq_db *)base)->h;
	const char *steps[] = {"PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM",
	                       "PRAGMA wal_checkpoint(TRUNCATE)"};
	for (size_t i = 0; i < 3; i++) {
		if (i > 0 && !vacuum)
			break;
		int rc = sqlite3_exec(h, steps[i], NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", steps[i], sqlite3_errmsg(h));
			return -1;
		}
	}
	return 0;
}

static int sq_table_exists(db *base, const char *name)
{
	sqlite3 *h = ((struct sq_db *)base)->h;
	int rc = sqlite3_table_column_metadata(h, "main", name, NULL, NULL, NULL, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 1;
	/* A missing table is a plain SQLITE_ERROR; NOTADB, CORRUPT, IOERR... are not. */
	return rc == SQLITE_ERROR ? 0 : -1;
}

const struct db_driver db_sqlite_driver = {
        .name = "sqlite",
        .open = sq_open,
        .close = sq_close,
        .errmsg = sq_errmsg,
        .prepare = sq_prepare,
        .finalize = sq_finalize,
        .reset = sq_reset,
        .bind_index = sq_bind_index,
        .bind_text = sq_bind_text,
        .bind_int = sq_bind_int,
        .bind_double = sq_bind_double,
        .bind_blob = sq_bind_blob,
        .bind_null = sq_bind_null,
        .step = sq_step,
        .col_count = sq_col_count,
        .col_is_null = sq_col_is_null,
        .col_int = sq_col_int,
        .col_double = sq_col_double,
        .col_text = sq_col_text,
        .col_blob = sq_col_blob,
        .exec_script = sq_exec_script,
        .begin = sq_begin,
        .changes = sq_changes,
        .backup_to = sq_backup_to,
        .integrity_check = sq_integrity_check,
        .table_exists = sq_table_exists,
        .compact = sq_compact,
};
