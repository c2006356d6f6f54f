/* db.c: driver selection by URL and the calls that dispatch to the driver. */
#include "db/db.h"

#include "core/buf.h"
#include "core/log.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

db *db_open(const char *url, char *err, size_t errlen)
{
	assert(url && err);
	db *d = strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0
	                ? db_pg_driver.open(url, err, errlen)
	                : db_sqlite_driver.open(url, err, errlen);
	if (d) {
		d->url = strdup(url);
		if (!d->url)
			abort();
	}
	return d;
}

void db_close(db *d)
{
	if (!d)
		return;
	free(d->url);
	d->url = NULL;
	d->drv->close(d);
}

const char *db_url(db *d)
{
	return d->url ? d->url : "";
}

const char *db_errmsg(db *d)
{
	return d->drv->errmsg(d);
}

const char *db_driver_name(db *d)
{
	return d->drv->name;
}

db_stmt *db_prepare_literal(db *d, const char *sql)
{
	assert(d && sql);
	db_stmt *s = d->drv->prepare(d, sql);
	if (!s) {
		log_event(LOG_ERROR, "sql_prepare", "%s: %s", db_errmsg(d), sql);
		abort();
	}
	return s;
}

void db_finalize(db_stmt *s)
{
	if (s)
		s->drv->finalize(s);
}

void db_reset(db_stmt *s)
{
	s->drv->reset(s);
}

static int index_of(db_stmt *s, const char *name)
{
	int i = s->drv->bind_index(s, name);
	if (i <= 0) {
		log_event(LOG_ERROR, "sql_bind", "no parameter :%s", name);
		abort();
	}
	return i;
}

void db_bind_text(db_stmt *s, const char *name, const char *v)
{
	int i = index_of(s, name);
	if (v)
		s->drv->bind_text(s, i, v);
	else
		s->drv->bind_null(s, i);
}

void db_bind_int(db_stmt *s, const char *name, int64_t v)
{
	s->drv->bind_int(s, index_of(s, name), v);
}

void db_bind_double(db_stmt *s, const char *name, double v)
{
	s->drv->bind_double(s, index_of(s, name), v);
}

void db_bind_blob(db_stmt *s, const char *name, const void *p, size_t n)
{
	s->drv->bind_blob(s, index_of(s, name), p, n);
}

void db_bind_null(db_stmt *s, const char *name)
{
	s->drv->bind_null(s, index_of(s, name));
}

int db_step(db_stmt *s)
{
	return s->drv->step(s);
}

int db_col_count(db_stmt *s)
{
	return s->drv->col_count(s);
}

int db_col_is_null(db_stmt *s, int i)
{
	return s->drv->col_is_null(s, i);
}

int64_t db_col_int(db_stmt *s, int i)
{
	return s->drv->col_int(s, i);
}

double db_col_double(db_stmt *s, int i)
{
	return s->drv->col_double(s, i);
}

const char *db_col_text(db_stmt *s, int i)
{
	const char *t = s->drv->col_text(s, i);
	return t ? t : "";
}

const void *db_col_blob(db_stmt *s, int i, size_t *n)
{
	return s->drv->col_blob(s, i, n);
}

int db_exec_literal(db *d, const char *sql)
{
	db_stmt *s = db_prepare_literal(d, sql);
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		;
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int db_exec_trusted_script(db *d, const char *script)
{
	return d->drv->exec_script(d, script);
}

int db_begin(db *d)
{
	return d->drv->begin(d);
}

int db_commit(db *d)
{
	return db_exec(d, "COMMIT");
}

int db_rollback(db *d)
{
	return db_exec(d, "ROLLBACK");
}

int db_savepoint(db *d)
{
	return db_exec(d, "SAVEPOINT vp_sp");
}

int db_savepoint_release(db *d)
{
	return db_exec(d, "RELEASE vp_sp");
}

int db_savepoint_rollback(db *d)
{
	int rc = db_exec(d, "ROLLBACK TO vp_sp");
	if (rc == DB_OK)
		rc = db_exec(d, "RELEASE vp_sp");
	return rc;
}

int64_t db_changes(db *d)
{
	return d->drv->changes(d);
}

int db_lock(db *d, const char *name)
{
	assert(d && name && *name);
	return d->drv->lock ? d->drv->lock(d, name, 1) : DB_OK;
}

int db_try_lock(db *d, const char *name)
{
	assert(d && name && *name);
	return d->drv->lock ? d->drv->lock(d, name, 0) : 1;
}

int db_backup_to(db *d, const char *path, char *err, size_t errlen)
{
	assert(d && path && err);
	if (!d->drv->backup_to) {
		snprintf(err, errlen, "backup is not supported by this driver (%s)", d->drv->name);
		return -1;
	}
	return d->drv->backup_to(d, path, err, errlen);
}

int db_integrity_check(db *d, char *err, size_t errlen)
{
	assert(d && err);
	if (!d->drv->integrity_check) {
		snprintf(err, errlen, "integrity check is not supported by this driver (%s)",
		         d->drv->name);
		return -1;
	}
	return d->drv->integrity_check(d, err, errlen);
}

int db_compact(db *d, int vacuum, char *err, size_t errlen)
{
	if (!d->drv->compact) {
		snprintf(err, errlen, "not supported by this driver");
		return -1;
	}
	return d->drv->compact(d, vacuum, err, errlen);
}

int db_table_exists(db *d, const char *name)
{
	assert(d && name);
	return d->drv->table_exists ? d->drv->table_exists(d, name) : -1;
}

const struct db_fts *db_fts(db *d)
{
	assert(d);
	return d->drv->fts;
}

int db_collect_ids(db_stmt *s, int64_t **ids, size_t *n)
{
	size_t cap = 0;
	int rc;
	*ids = NULL;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			int64_t *p = realloc(*ids, cap * sizeof **ids);
			if (!p)
				abort();
			*ids = p;
		}
		(*ids)[(*n)++] = db_col_int(s, 0);
	}
	return rc;
}

/* ---- change notification (db.h: db_listen, db_notify, db_wait) ---- */

static void channel_check(const char *channel)
{
	assert(channel && *channel && strlen(channel) < 64);
	for (const char *p = channel; *p; p++)
		assert((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
}

int db_listen_literal(db *d, const char *channel)
{
	assert(d);
	channel_check(channel);
	return d->drv->listen ? d->drv->listen(d, channel) : DB_ERROR;
}

void db_notify_literal(db *d, const char *channel)
{
	assert(d);
	channel_check(channel);
	if (d->drv->notify)
		d->drv->notify(d, channel);
}

int db_wait(db *d, int timeout_ms)
{
	assert(d && timeout_ms >= 0);
	return d->drv->wait ? d->drv->wait(d, timeout_ms) : DB_ERROR;
}

int db_is_plain_name(const char *name)
{
	size_t n = 0;
	for (const char *p = name; *p; p++, n++) {
		int ok = (*p >= 'a' && *p <= 'z') || *p == '_' || (n > 0 && *p >= '0' && *p <= '9');
		if (!ok)
			return 0;
	}
	return n >= 1 && n <= 63;
}

/* Appends "name", quoted; the name was checked to be plain. */
static void put_name(buf *b, const char *name)
{
	if (!db_is_plain_name(name)) {
		log_event(LOG_ERROR, "sql_name", "not a plain name: %s", name);
		abort();
	}
	buf_putc(b, '"');
	buf_puts(b, name);
	buf_putc(b, '"');
}

/* The drivers cache statements by the address of their SQL text (a
 * literal's, for the life of the process), so a text made from names is
 * kept the same way: one copy per distinct text, never freed (a few per
 * table). Returns that copy; q is freed. */
static const char *interned(buf *q)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static struct text {
		struct text *next;
		char *sql;
	} * texts;
	pthread_mutex_lock(&lock);
	struct text *t = texts;
	while (t && strcmp(t->sql, q->data) != 0)
		t = t->next;
	if (!t) {
		t = malloc(sizeof *t);
		if (!t)
			abort();
		t->sql = buf_detach(q, NULL);
		t->next = texts;
		texts = t;
	}
	pthread_mutex_unlock(&lock);
	buf_free(q);
	return t->sql;
}

db_stmt *db_prepare_table_select(db *d, const char *table, const char *const *cols, int ncols,
                                 int npk)
{
	assert(d && table && cols && ncols > 0 && npk >= 0 && npk <= ncols);
	buf q;
	buf_init(&q);
	buf_puts(&q, "SELECT ");
	for (int i = 0; i < ncols; i++) {
		if (i)
			buf_puts(&q, ", ");
		put_name(&q, cols[i]);
	}
	buf_puts(&q, " FROM ");
	put_name(&q, table);
	for (int i = 0; i < npk; i++) {
		buf_puts(&q, i ? ", " : " ORDER BY ");
		put_name(&q, cols[i]);
	}
	return db_prepare_literal(d, interned(&q));
}

db_stmt *db_prepare_table_insert(db *d, const char *table, const char *const *cols, int ncols)
{
	assert(d && table && cols && ncols > 0);
	buf q;
	buf_init(&q);
	buf_puts(&q, "INSERT INTO ");
	put_name(&q, table);
	buf_puts(&q, " (");
	for (int i = 0; i < ncols; i++) {
		if (i)
			buf_puts(&q, ", ");
		put_name(&q, cols[i]);
	}
	buf_puts(&q, ") VALUES (");
	for (int i = 0; i < ncols; i++) {
		buf_puts(&q, i ? ", :c" : ":c");
		buf_put_int(&q, i);
	}
	buf_putc(&q, ')');
	return db_prepare_literal(d, interned(&q));
}
