/* migrate.c: applies schema/NNN_name.sql files (embedded at build time) in order. */
#include "db/migrate.h"

#include "core/clock.h"
#include "core/log.h"
#include "gen/embedded.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A migration file is NNN_name.sql (all drivers) or NNN_name.DRIVER.sql (one
 * driver, used instead of the common file of the same number). */
static int version_of(const char *name)
{
	int v = 0, digits = 0;
	while (name[digits] >= '0' && name[digits] <= '9')
		v = v * 10 + (name[digits++] - '0');
	return digits == 3 && name[3] == '_' ? v : -1;
}

static int for_driver(const char *name, const char *driver)
{
	const char *ext = strrchr(name, '.');
	if (!ext || strcmp(ext, ".sql") != 0)
		return 0;
	const char *mid = NULL;
	for (const char *p = name; p < ext; p++)
		if (*p == '.')
			mid = p;
	if (!mid)
		return 1; /* common file */
	size_t n = (size_t)(ext - mid - 1);
	return strlen(driver) == n && strncmp(mid + 1, driver, n) == 0 ? 2 : 0;
}

/* The name a migration is recorded under: the common file's name, also when
 * a driver's own file ran (NNN_name.DRIVER.sql is NNN_name.sql), so
 * schema_migrations reads the same on every driver. */
static void common_name(const char *name, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", name);
	char *ext = strrchr(out, '.');
	char *mid = NULL;
	for (char *p = out; ext && p < ext; p++)
		if (*p == '.')
			mid = p;
	if (mid)
		memmove(mid, ext, strlen(ext) + 1);
}

/* The file to run for version v and this driver, or NULL. */
static const struct embedded_file *pick(int v, const char *driver)
{
	const struct embedded_file *best = NULL;
	int best_rank = 0;
	for (size_t i = 0; i < embedded_migrations_count; i++) {
		const struct embedded_file *f = &embedded_migrations[i];
		if (version_of(f->name) != v)
			continue;
		int rank = for_driver(f->name, driver);
		if (rank > best_rank)
			best = f, best_rank = rank;
	}
	return best;
}

int migrate_latest(void)
{
	int max = 0;
	for (size_t i = 0; i < embedded_migrations_count; i++) {
		int v = version_of(embedded_migrations[i].name);
		if (v > max)
			max = v;
	}
	return max;
}

static int ensure_table(db *d)
{
	return db_exec(
	        d, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	           "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
}

int migrate_current(db *d)
{
	if (ensure_table(d) != DB_OK)
		return -1;
	db_stmt *s = db_prepare(d, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
	int v = db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : -1;
	db_finalize(s);
	return v;
}

int migrate_apply(db *d, buf *out, char *err, size_t errlen)
{
	assert(d && err);
	if (ensure_table(d) != DB_OK) {
		snprintf(err, errlen, "cannot create schema_migrations: %s", db_errmsg(d));
		return -1;
	}
	int cur = migrate_current(d), latest = migrate_latest();
	if (cur > latest) {
		snprintf(err, errlen,
		         "database schema version %d is newer than this program (%d): "
		         "upgrade vertelpunt",
		         cur, latest);
		return -1;
	}
	if (out)
		buf_putc(out, '[');
	int first = 1;
	for (int v = cur + 1; v <= latest; v++) {
		const struct embedded_file *f = pick(v, db_driver_name(d));
		if (!f) {
			snprintf(err, errlen, "migration %03d is missing for driver %s", v,
			         db_driver_name(d));
			return -1;
		}
		char name[128];
		common_name(f->name, name, sizeof name);
		char *script = malloc(f->len + 1);
		if (!script)
			abort();
		memcpy(script, f->data, f->len);
		script[f->len] = '\0';
		int rc = db_begin(d);
		if (rc == DB_OK)
			rc = db_exec_trusted_script(d, script);
		free(script);
		if (rc == DB_OK) {
			db_stmt *s = db_prepare(
			        d, "INSERT INTO schema_migrations (version, name, applied_at) "
			           "VALUES (:v, :name, :at)");
			db_bind_int(s, "v", v);
			db_bind_text(s, "name", name);
			db_bind_int(s, "at", clock_now());
			rc = db_step(s) == DB_DONE ? DB_OK : DB_ERROR;
			db_finalize(s);
		}
		if (rc == DB_OK)
			rc = db_commit(d);
		if (rc != DB_OK) {
			snprintf(err, errlen, "migration %s failed: %s", f->name, db_errmsg(d));
			db_rollback(d);
			return -1;
		}
		log_event(LOG_INFO, "migrate", "applied %s", f->name);
		if (out) {
			if (!first)
				buf_putc(out, ',');
			buf_json_str(out, name);
			first = 0;
		}
	}
	if (out)
		buf_putc(out, ']');
	return 0;
}
