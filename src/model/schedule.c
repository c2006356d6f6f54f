/* schedule.c: scheduled work that runs once across every instance sharing the database (scheduled_runs and job locks). */
#include "model/schedule.h"

#include <assert.h>
#include <stdio.h>

/* The lock's name for a job, apart from other users of db_lock. */
static const char *lock_name(const char *name, char *out, size_t cap)
{
	int n = snprintf(out, cap, "job:%s", name);
	assert(n > 0 && (size_t)n < cap);
	return out;
}

int schedule_exclusive(db *d, const char *name)
{
	assert(d && name && *name);
	char lock[96];
	return db_try_lock(d, lock_name(name, lock, sizeof lock));
}

int schedule_claim(db *d, const char *name, int64_t every, int64_t now)
{
	assert(d && name && *name && every > 0);
	int rc = schedule_exclusive(d, name);
	if (rc != 1)
		return rc;
	/* Read after the lock: under PostgreSQL's READ COMMITTED each
	 * statement sees what committed before it began, so a run that
	 * finished while this transaction waited is seen here. */
	int64_t last = 0;
	int64_t runs = schedule_runs(d, name, &last);
	if (runs < 0)
		return (int)runs;
	if (runs > 0 && now - last < every && last - now <= every)
		return 0;
	db_stmt *s = db_prepare(d, "INSERT INTO scheduled_runs (name, last_run_at, runs) VALUES "
	                           "(:name, :now, 1) ON CONFLICT (name) DO UPDATE SET "
	                           "last_run_at = :now, runs = scheduled_runs.runs + 1");
	db_bind_text(s, "name", name);
	db_bind_int(s, "now", now);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? 1 : rc;
}

int64_t schedule_runs(db *d, const char *name, int64_t *last_run_at)
{
	assert(d && name);
	db_stmt *s =
	        db_prepare(d, "SELECT runs, last_run_at FROM scheduled_runs WHERE name = :name");
	db_bind_text(s, "name", name);
	int rc = db_step(s);
	int64_t runs = rc == DB_ROW ? db_col_int(s, 0) : 0;
	if (last_run_at)
		*last_run_at = rc == DB_ROW ? db_col_int(s, 1) : 0;
	db_finalize(s);
	return rc == DB_ROW || rc == DB_DONE ? runs : rc;
}
