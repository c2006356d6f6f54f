/* writer.h: the single writer path with group commit. */
#ifndef VP_WRITER_H
#define VP_WRITER_H

#include "db/db.h"

/* Every change to the database goes through one writer thread. It takes all
 * jobs waiting, runs each in its own savepoint inside one transaction, and
 * commits them together (synchronous=FULL): one fsync for many requests.
 * A job's done callback runs only after the COMMIT returned, so a request
 * answered from it is durable. */
typedef struct writer writer;

/* Runs inside the batch transaction on the writer's connection. Return 0 to
 * keep the job's changes, anything else to roll them back (that value is
 * passed to done). Must not begin or commit transactions itself.
 * It may run more than once: a batch runs without a savepoint per job, and
 * when one job fails, the whole batch is rolled back and run again with
 * each job in a savepoint of its own. So fn must change nothing but the
 * database and its own ctx, and set every result it hands back anew. */
typedef int (*writer_fn)(db *d, void *ctx);
/* Runs on the writer thread after the batch committed (rc = fn's result) or
 * failed to commit (rc = WRITER_COMMIT_FAILED). Must be quick: it usually
 * resumes a suspended connection. */
typedef void (*writer_done)(void *ctx, int rc);

enum { WRITER_COMMIT_FAILED = -1000, WRITER_STOPPED = -1001 };

/* Opens its own connection to url. NULL with err on failure. */
writer *writer_start(const char *url, char *err, size_t errlen);
/* Queues a job. Never blocks on the database. After writer_stop began,
 * done is called at once with WRITER_STOPPED. */
void writer_submit(writer *w, writer_fn fn, writer_done done, void *ctx);
/* Queues a job and waits for its durable result. */
int writer_run(writer *w, writer_fn fn, void *ctx);
/* Finishes every queued job, then closes the connection and frees w. */
void writer_stop(writer *w);

struct writer_stats {
	long long jobs, batches, commit_failures;
	int max_batch;
};
void writer_get_stats(writer *w, struct writer_stats *out);

#endif
