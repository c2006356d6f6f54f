/* schedule.h: scheduled work that runs once across every instance sharing the database. */
#ifndef VP_SCHEDULE_H
#define VP_SCHEDULE_H

#include "db/db.h"

#include <stdint.h>

/* Several `vertelpunt serve` processes may share one database; each has
 * the same timer loop (http/server.c), but the work behind it must be done
 * once. Two kinds:
 *
 * - Work that is due every so often (the daily retention purge): a writer
 *   job starts with schedule_claim, which takes the job's lock
 *   (db_try_lock) and reads and advances its row in scheduled_runs, all in
 *   the job's own transaction. Whoever comes next, in this instance or
 *   another, sees the committed run and finds it not due. An instance that
 *   dies mid-job rolls back: the lock goes and the row is unchanged, so the
 *   next instance to look does the job.
 * - Work that every round may do but two at once must not (queueing
 *   reminders, sealing the access log): the job takes only the lock with
 *   schedule_exclusive and skips the round when another instance has it;
 *   what it does is idempotent (dedup keys, "sealed up to").
 *
 * On SQLite the write transaction is already exclusive; the row still
 * keeps the daily purge to once a day across restarts. */

/* Inside a writer job: 1 when the job name is due (it never ran, or last
 * ran every seconds or more before now, or the clock went back by more
 * than that) and is now this transaction's: its run is recorded at now, and
 * undone if the transaction rolls back. 0 when it is not due or another
 * transaction is doing it; a db error (< 0). */
int schedule_claim(db *d, const char *name, int64_t every, int64_t now);

/* Inside a writer job: 1 when this transaction may do the work name (no
 * other instance's transaction is doing it), 0 when another is; a db error
 * (< 0). */
int schedule_exclusive(db *d, const char *name);

/* How often name ran (scheduled_runs.runs) and when last (*last_run_at, may
 * be NULL); 0 and 0 when never. A db error (< 0). */
int64_t schedule_runs(db *d, const char *name, int64_t *last_run_at);

#endif
