/* writer.c: one thread owns the write connection and commits queued jobs in batches. */
#include "db/writer.h"

#include "core/log.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

enum { MAX_BATCH = 512 };

struct job {
	struct job *next;
	writer_fn fn;
	writer_done done;
	void *ctx;
	int rc;
};

struct writer {
	db *d;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *head, *tail;
	long pending; /* jobs in the queue */
	int idle;     /* the writer waits for work and must be signalled */
	int stopping;
	struct writer_stats stats;
};

/* Runs every job of the batch, each in a savepoint of its own, so a job
 * that fails is rolled back alone. Returns the db_rc of BEGIN. */
static int run_isolated(writer *w, struct job *jobs)
{
	int rc = db_begin(w->d);
	for (struct job *j = jobs; j; j = j->next) {
		if (rc != DB_OK || db_savepoint(w->d) != DB_OK) {
			j->rc = WRITER_COMMIT_FAILED;
			continue;
		}
		j->rc = j->fn(w->d, j->ctx);
		if (j->rc == 0)
			db_savepoint_release(w->d);
		else
			db_savepoint_rollback(w->d);
	}
	return rc;
}

/* Jobs almost never fail, and a savepoint per job costs about a seventh of
 * the durable rate (docs/benchmarks.md). So the batch runs first without
 * them; only when a job fails is it all rolled back and run again, each
 * job isolated. That is why a job may run twice (writer.h). */
static void run_batch(writer *w, struct job *jobs)
{
	int n = 0;
	for (struct job *j = jobs; j; j = j->next)
		n++;
	int rc = db_begin(w->d), failed = 0;
	for (struct job *j = jobs; j && rc == DB_OK && !failed; j = j->next) {
		j->rc = j->fn(w->d, j->ctx);
		failed = j->rc != 0;
	}
	if (rc == DB_OK && failed) {
		db_rollback(w->d);
		rc = run_isolated(w, jobs);
	} else if (rc != DB_OK) {
		for (struct job *j = jobs; j; j = j->next)
			j->rc = WRITER_COMMIT_FAILED;
	}
	if (rc == DB_OK)
		rc = db_commit(w->d);
	if (rc != DB_OK) {
		log_event(LOG_ERROR, "writer_commit", "batch of %d failed: %s", n, db_errmsg(w->d));
		db_rollback(w->d);
		for (struct job *j = jobs; j; j = j->next)
			j->rc = WRITER_COMMIT_FAILED;
	}
	pthread_mutex_lock(&w->mu);
	w->stats.batches++;
	w->stats.jobs += n;
	if (rc != DB_OK)
		w->stats.commit_failures++;
	if (n > w->stats.max_batch)
		w->stats.max_batch = n;
	pthread_mutex_unlock(&w->mu);
	while (jobs) {
		struct job *next = jobs->next;
		if (jobs->done)
			jobs->done(jobs->ctx, jobs->rc);
		free(jobs);
		jobs = next;
	}
}

/* Clients whose jobs were just committed are about to send their next
 * ones. Taking the queue at once would commit half of them now and half
 * a moment later, doubling the syncs; so while jobs keep arriving (gaps
 * under GATHER_GAP_US) wait a little, at most GATHER_MAX_US. A lone job
 * waits one gap. The writer sleeps rather than waiting on the condition
 * variable, so the submitters do not wake it once per job. Called and
 * returns with w->mu held. */
enum { GATHER_GAP_US = 30, GATHER_MAX_US = 250 };

static void gather(writer *w)
{
	int64_t waited = 0;
	while (!w->stopping && w->pending < MAX_BATCH && waited < GATHER_MAX_US) {
		long before = w->pending;
		pthread_mutex_unlock(&w->mu);
		struct timespec gap = {0, GATHER_GAP_US * 1000};
		nanosleep(&gap, NULL);
		waited += GATHER_GAP_US;
		pthread_mutex_lock(&w->mu);
		if (w->pending == before)
			break; /* quiet for a whole gap */
	}
}

static void *writer_main(void *arg)
{
	writer *w = arg;
	/* Gathering sleeps tens of microseconds; the default timer slack
	 * (50 us) would double that. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (!w->head && !w->stopping) {
			w->idle = 1;
			pthread_cond_wait(&w->cv, &w->mu);
			w->idle = 0;
		}
		if (!w->head && w->stopping) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		gather(w);
		/* Take up to MAX_BATCH jobs; the rest wait for the next round. */
		struct job *batch = w->head, *last = w->head;
		for (int i = 1; i < MAX_BATCH && last->next; i++)
			last = last->next;
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		for (struct job *j = batch; j; j = j->next)
			w->pending--;
		pthread_mutex_unlock(&w->mu);
		run_batch(w, batch);
	}
	return NULL;
}

writer *writer_start(const char *url, char *err, size_t errlen)
{
	writer *w = calloc(1, sizeof *w);
	if (!w)
		abort();
	w->d = db_open(url, err, errlen);
	if (!w->d) {
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		snprintf(err, errlen, "cannot start writer thread");
		db_close(w->d);
		free(w);
		return NULL;
	}
	return w;
}

void writer_submit(writer *w, writer_fn fn, writer_done done, void *ctx)
{
	assert(w && fn);
	struct job *j = calloc(1, sizeof *j);
	if (!j)
		abort();
	j->fn = fn;
	j->done = done;
	j->ctx = ctx;
	pthread_mutex_lock(&w->mu);
	if (w->stopping) {
		pthread_mutex_unlock(&w->mu);
		free(j);
		if (done)
			done(ctx, WRITER_STOPPED);
		return;
	}
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	w->pending++;
	if (w->idle)
		pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int finished, rc;
	writer_fn fn;
	void *ctx;
};

static int waiter_fn(db *d, void *ctx)
{
	struct waiter *wt = ctx;
	return wt->fn(d, wt->ctx);
}

static void waiter_done(void *ctx, int rc)
{
	struct waiter *wt = ctx;
	pthread_mutex_lock(&wt->mu);
	wt->finished = 1;
	wt->rc = rc;
	pthread_cond_signal(&wt->cv);
	pthread_mutex_unlock(&wt->mu);
}

int writer_run(writer *w, writer_fn fn, void *ctx)
{
	struct waiter wt = {.fn = fn, .ctx = ctx};
	pthread_mutex_init(&wt.mu, NULL);
	pthread_cond_init(&wt.cv, NULL);
	writer_submit(w, waiter_fn, waiter_done, &wt);
	pthread_mutex_lock(&wt.mu);
	while (!wt.finished)
		pthread_cond_wait(&wt.cv, &wt.mu);
	pthread_mutex_unlock(&wt.mu);
	pthread_mutex_destroy(&wt.mu);
	pthread_cond_destroy(&wt.cv);
	return wt.rc;
}

void writer_stop(writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	db_close(w->d);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}

void writer_get_stats(writer *w, struct writer_stats *out)
{
	pthread_mutex_lock(&w->mu);
	*out = w->stats;
	pthread_mutex_unlock(&w->mu);
}
