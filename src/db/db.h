/* db.h: the thin database layer: open, prepare with named parameters, bind, step, columns. */
#ifndef VP_DB_H
#define VP_DB_H

#include <stddef.h>
#include <stdint.h>

/* The model speaks only this interface. SQL given to db_prepare must be a
 * string literal (the macro enforces it at compile time) written in the
 * common dialect of SQLite and PostgreSQL: named parameters as :name,
 * RETURNING for generated ids, no driver-specific functions. Everything
 * dialect-specific lives in the drivers. */
typedef struct db db;
typedef struct db_stmt db_stmt;

enum db_rc {
	DB_OK = 0,
	DB_ROW = 1,         /* db_step: a row is ready */
	DB_DONE = 2,        /* db_step: no (more) rows */
	DB_CONSTRAINT = -2, /* a UNIQUE/CHECK/FOREIGN KEY constraint refused the change */
	DB_BUSY = -3,       /* locked for longer than the busy timeout */
	DB_ERROR = -1       /* anything else; the message is in db_errmsg */
};

/* Opens a database by URL: a file path or sqlite:PATH (SQLite), or
 * postgres://user@host:port/name or postgresql://... (PostgreSQL, any
 * libpq connection URI: ?options=-csearch_path%3DNAME picks a schema). Returns NULL with a message in err on failure. The handle is
 * for one thread at a time. */
db *db_open(const char *url, char *err, size_t errlen);
void db_close(db *d);
const char *db_errmsg(db *d);
const char *db_driver_name(db *d);
/* The URL the handle was opened with (a file path or postgres://...): tells
 * two databases in one process apart, and opens another handle on the same
 * one (a background thread's). */
const char *db_url(db *d);

/* Prepares a statement. A statement that does not compile is a programming
 * error and aborts with the message. Freed by db_finalize. */
#define db_prepare(d, sql) db_prepare_literal((d), "" sql "")
db_stmt *db_prepare_literal(db *d, const char *sql);
void db_finalize(db_stmt *s);
void db_reset(db_stmt *s);

/* Binding by name (without the colon). Binding a name the statement does
 * not have aborts: it is always a typo. Text is copied. */
void db_bind_text(db_stmt *s, const char *name, const char *v);
void db_bind_int(db_stmt *s, const char *name, int64_t v);
void db_bind_double(db_stmt *s, const char *name, double v);
void db_bind_blob(db_stmt *s, const char *name, const void *p, size_t n);
void db_bind_null(db_stmt *s, const char *name);

int db_step(db_stmt *s);
int db_col_count(db_stmt *s);
int db_col_is_null(db_stmt *s, int i);
int64_t db_col_int(db_stmt *s, int i);
double db_col_double(db_stmt *s, int i);
/* Valid until the next step, reset or finalize; "" for NULL. */
const char *db_col_text(db_stmt *s, int i);
const void *db_col_blob(db_stmt *s, int i, size_t *n);

/* Steps s to the end, collecting its first column (an id) into a new
 * array (*ids, freed by the caller with free; NULL when none) of *n ids.
 * Returns DB_DONE, or the error that stopped it. */
int db_collect_ids(db_stmt *s, int64_t **ids, size_t *n);

/* Runs one parameterless statement to completion; returns a db_rc. */
#define db_exec(d, sql) db_exec_literal((d), "" sql "")
int db_exec_literal(db *d, const char *sql);
/* Runs a trusted, embedded multi-statement script (migrations only). */
int db_exec_trusted_script(db *d, const char *script);

int db_begin(db *d); /* a write transaction, taking the write lock at once */
int db_commit(db *d);
int db_rollback(db *d);
int db_savepoint(db *d);          /* nested: SAVEPOINT vp_sp */
int db_savepoint_release(db *d);  /* RELEASE vp_sp */
int db_savepoint_rollback(db *d); /* ROLLBACK TO vp_sp; RELEASE vp_sp */
/* Rows changed by the last INSERT/UPDATE/DELETE on this handle. */
int64_t db_changes(db *d);

/* A named lock shared by every process on the same database (several
 * `vertelpunt serve` instances on one PostgreSQL), held until the current
 * transaction ends: released by COMMIT and ROLLBACK, also when the process
 * dies and its connection closes. Call inside a transaction. db_lock waits
 * for the lock and returns DB_OK or an error; db_try_lock does not wait and
 * returns 1 (taken), 0 (another transaction holds it) or an error (< 0).
 * PostgreSQL: transaction-scoped advisory locks keyed by the schema and
 * name. SQLite: nothing to take, 1/DB_OK: its write transaction (db_begin)
 * already excludes every other writer of the file. */
int db_lock(db *d, const char *name);
int db_try_lock(db *d, const char *name);

/* Maintenance, optional per driver (-1 with "not supported by this driver"
 * in err when the driver has none).
 *
 * db_backup_to copies the whole database, consistently and online, into the
 * file at path (which must be empty or missing; SQLite: the backup API in one
 * read transaction, so writers go on and the copy is one moment's state; the
 * copy is left in rollback-journal mode, one self-contained file). The handle
 * must not be in a transaction. Returns 0, or -1 with a message in err. */
int db_backup_to(db *d, const char *path, char *err, size_t errlen);
/* Checks the structure of the database (SQLite: PRAGMA integrity_check and
 * PRAGMA foreign_key_check). 0, or -1 with the first problem in err. */
int db_integrity_check(db *d, char *err, size_t errlen);
/* 1 when a table of that name exists, 0 when not, -1 when the database
 * cannot be read (or the driver cannot tell). Lets a caller probe before a
 * db_prepare that would abort on a missing table. */
int db_table_exists(db *d, const char *name);
/* Gives space back after deletions: writes the write-ahead log into the
 * database and truncates it (SQLite: wal_checkpoint(TRUNCATE)) and, with
 * vacuum, rebuilds the file without free pages (VACUUM; it needs the whole
 * database to itself for a while, so the server does not do it). The
 * handle must not be in a transaction. 0, or -1 with err. */
int db_compact(db *d, int vacuum, char *err, size_t errlen);

/* Full-text search of the stories (analysis/search.c), where a driver's
 * dialect has its own (NULL: the FTS5 statements of analysis/search.c
 * apply, as on SQLite). The PostgreSQL driver keeps story_search with a
 * tsvector (023_story_search.postgres.sql). match is search_query_build's
 * expression: "phrase" strings (FTS5 strings, "" for a quote) joined by
 * AND. */
struct db_fts {
	/* The writer's side: see search_index_story and search_forget_deleted. */
	int (*index_story)(db *d, int64_t id, const char *body); /* body: the text to find it by */
	int (*forget_deleted)(db *d);
	/* Calls hit for each story matching match, of the collections colls
	 * (ncolls; every collection when colls is NULL), pilot stories only with
	 * pilot set, at most limit (0: all), best first (rank: lower is better)
	 * or, with by_id, by ascending id; with snippets only when snippets is
	 * set ("" otherwise), only stories with an id of at least from_id (0: all).
	 * Returns DB_DONE, a db error or hit's answer. */
	int (*search)(db *d, const char *match, const int64_t *colls, int ncolls, int pilot,
	              int limit, int by_id, int snippets, int64_t from_id,
	              int (*hit)(void *ctx, int64_t story_id, double rank, const char *snippet),
	              void *ctx);
};
/* The driver's full-text search, or NULL (see struct db_fts). */
const struct db_fts *db_fts(db *d);

/* Change notification between processes sharing one database (PostgreSQL's
 * LISTEN/NOTIFY; analysis/index.c's poller waits for it). channel is an
 * identifier literal (the macros enforce a literal; lower-case letters,
 * digits and _). A driver without it (SQLite: one process, whose index
 * polls) answers db_listen with DB_ERROR ("not supported by this driver")
 * and does nothing on db_notify.
 *
 * db_listen subscribes this handle to channel; the subscription is renewed
 * when the driver reconnects. DB_OK or a db_rc.
 * db_notify tells every listening handle, when the current transaction
 * commits (outside a transaction: at once); several in one transaction
 * are sent once, a rolled-back transaction sends none.
 * db_wait waits at most timeout_ms on a listening handle: 1 when
 * notifications came (all taken) or the connection was made again (some may
 * have been missed: catch up), 0 when none came, DB_ERROR when the database
 * cannot be reached (at once: the caller decides how long to wait). */
#define db_listen(d, channel) db_listen_literal((d), "" channel "")
#define db_notify(d, channel) db_notify_literal((d), "" channel "")
int db_listen_literal(db *d, const char *channel);
void db_notify_literal(db *d, const char *channel);
int db_wait(db *d, int timeout_ms);

/* Whole tables named at run time, for moving a database to another driver
 * (db/copy.c, `vertelpunt migrate-data`): the one place where a statement is
 * made from names rather than a literal. Every name must be a plain
 * identifier (db_is_plain_name); it is quoted, and anything else aborts, so
 * no name can carry SQL. db_prepare_table_select reads the columns cols
 * (ncols of them) of table, ordered by the first npk of them (0: in no
 * order); db_prepare_table_insert writes one row of them from the
 * parameters :c0, :c1, ... Freed by db_finalize. */
int db_is_plain_name(const char *name); /* [a-z_][a-z0-9_]*, 1 to 63 bytes */
db_stmt *db_prepare_table_select(db *d, const char *table, const char *const *cols, int ncols,
                                 int npk);
db_stmt *db_prepare_table_insert(db *d, const char *table, const char *const *cols, int ncols);

/* The driver interface; each driver fills one in. */
struct db_driver {
	const char *name;
	db *(*open)(const char *url, char *err, size_t errlen);
	void (*close)(db *d);
	const char *(*errmsg)(db *d);
	db_stmt *(*prepare)(db *d, const char *sql);
	void (*finalize)(db_stmt *s);
	void (*reset)(db_stmt *s);
	int (*bind_index)(db_stmt *s, const char *name);
	void (*bind_text)(db_stmt *s, int idx, const char *v);
	void (*bind_int)(db_stmt *s, int idx, int64_t v);
	void (*bind_double)(db_stmt *s, int idx, double v);
	void (*bind_blob)(db_stmt *s, int idx, const void *p, size_t n);
	void (*bind_null)(db_stmt *s, int idx);
	int (*step)(db_stmt *s);
	int (*col_count)(db_stmt *s);
	int (*col_is_null)(db_stmt *s, int i);
	int64_t (*col_int)(db_stmt *s, int i);
	double (*col_double)(db_stmt *s, int i);
	const char *(*col_text)(db_stmt *s, int i);
	const void *(*col_blob)(db_stmt *s, int i, size_t *n);
	int (*exec_script)(db *d, const char *script);
	int (*begin)(db *d);
	int64_t (*changes)(db *d);
	/* Optional (NULL: not supported); see db_backup_to and friends. */
	int (*backup_to)(db *d, const char *path, char *err, size_t errlen);
	int (*integrity_check)(db *d, char *err, size_t errlen);
	int (*table_exists)(db *d, const char *name);
	int (*compact)(db *d, int vacuum, char *err, size_t errlen);
	/* db_lock (wait set) and db_try_lock; NULL: nothing to take. */
	int (*lock)(db *d, const char *name, int wait);
	const struct db_fts *fts; /* NULL: analysis/search.c's FTS5 statements */
	/* Optional (NULL: none); see db_listen, db_notify and db_wait. */
	int (*listen)(db *d, const char *channel);
	void (*notify)(db *d, const char *channel);
	int (*wait)(db *d, int timeout_ms);
};

/* Every handle and statement starts with its driver. */
struct db {
	const struct db_driver *drv;
	char *url; /* as given to db_open (set there, freed by db_close) */
};
struct db_stmt {
	const struct db_driver *drv;
	db *owner;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver; /* db_pg.c: postgres:// and postgresql:// URLs */

#endif
