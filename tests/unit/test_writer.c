/* test_writer.c: unit tests of the single writer thread and its group commit. */
#include "testutil.h"
#include "testdb.h"

#include "core/log.h"
#include "db/db.h"
#include "db/writer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct fixture {
	char dir[64];
	char path[96];
	db *d; /* the test's own (reading) connection */
	writer *w;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (test_db_make(f->dir, f->path, "writer"))
		return -1;
	char err[256] = "";
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d || db_exec(f->d, "CREATE TABLE t (id INTEGER PRIMARY KEY, tag TEXT)") != DB_OK) {
		print_error("setup: %s\n", err);
		return -1;
	}
	f->w = writer_start(f->path, err, sizeof err);
	if (!f->w) {
		print_error("writer_start: %s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	writer_stop(f->w); /* NULL when a test stopped it itself */
	db_close(f->d);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

static int64_t count_where(db *d, int odd_only)
{
	db_stmt *s = odd_only ? db_prepare(d, "SELECT COUNT(*) FROM t WHERE id % 2 = 1")
	                      : db_prepare(d, "SELECT COUNT(*) FROM t");
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

static int insert_id(db *d, int64_t id)
{
	db_stmt *s = db_prepare(d, "INSERT INTO t (id, tag) VALUES (:id, 'job')");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? 0 : 1;
}

/* ---- writer_run ---- */

static int job_insert_42(db *d, void *ctx)
{
	return insert_id(d, 42);
}

static void test_run_commits_durably(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(writer_run(f->w, job_insert_42, NULL), 0);
	/* Visible from a connection opened only now. */
	char err[256] = "";
	db *other = db_open(f->path, err, sizeof err);
	assert_non_null(other);
	assert_int_equal(count_where(other, 0), 1);
	db_close(other);
	assert_int_equal(count_where(f->d, 0), 1);
}

static int job_insert_then_fail(db *d, void *ctx)
{
	insert_id(d, 7);
	return 17;
}

static void test_run_failure_rolls_back(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(writer_run(f->w, job_insert_then_fail, NULL), 17);
	assert_int_equal(count_where(f->d, 0), 0);
	/* The writer goes on working afterwards. */
	assert_int_equal(writer_run(f->w, job_insert_42, NULL), 0);
	assert_int_equal(count_where(f->d, 0), 1);
}

static int job_constraint(db *d, void *ctx)
{
	/* A duplicate key: the job reports it and its savepoint is undone. */
	return insert_id(d, 42) ? 99 : 0;
}

static void test_run_constraint_failure(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(writer_run(f->w, job_insert_42, NULL), 0);
	assert_int_equal(writer_run(f->w, job_constraint, NULL), 99);
	assert_int_equal(count_where(f->d, 0), 1);
}

static void test_start_bad_path(void **state)
{
	char err[256] = "";
	writer *w = writer_start("/nonexistent-dir-vp/sub/x.db", err, sizeof err);
	assert_null(w);
	assert_true(strlen(err) > 0);
}

/* ---- many jobs from many threads ---- */

enum { THREADS = 8, PER_THREAD = 200, TOTAL = THREADS * PER_THREAD, FAIL_RC = 5 };

struct job_ctx {
	int64_t id;
	int fail;
	atomic_int ran;  /* fn calls */
	atomic_int done; /* done calls */
	atomic_int rc;
};

struct many {
	writer *w;
	struct job_ctx jobs[TOTAL];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int finished;
	pthread_barrier_t start;
};

static struct many *many_new(writer *w)
{
	struct many *m = calloc(1, sizeof *m);
	assert_non_null(m);
	m->w = w;
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	pthread_barrier_init(&m->start, NULL, THREADS);
	for (int i = 0; i < TOTAL; i++) {
		m->jobs[i].id = i + 1;
		m->jobs[i].fail = (i + 1) % 2; /* odd ids fail */
		atomic_init(&m->jobs[i].rc, -12345);
	}
	return m;
}

static void many_free(struct many *m)
{
	pthread_mutex_destroy(&m->mu);
	pthread_cond_destroy(&m->cv);
	pthread_barrier_destroy(&m->start);
	free(m);
}

static struct many *the_many; /* for the done callback */

static int many_fn(db *d, void *ctx)
{
	struct job_ctx *j = ctx;
	atomic_fetch_add(&j->ran, 1);
	if (insert_id(d, j->id))
		return 1;
	return j->fail ? FAIL_RC : 0;
}

static void many_done(void *ctx, int rc)
{
	struct job_ctx *j = ctx;
	atomic_store(&j->rc, rc);
	atomic_fetch_add(&j->done, 1);
	pthread_mutex_lock(&the_many->mu);
	the_many->finished++;
	pthread_cond_broadcast(&the_many->cv);
	pthread_mutex_unlock(&the_many->mu);
}

struct submitter {
	struct many *m;
	int first;
};

static void *submit_thread(void *arg)
{
	struct submitter *s = arg;
	pthread_barrier_wait(&s->m->start); /* all threads at once */
	for (int i = 0; i < PER_THREAD; i++) {
		struct job_ctx *j = &s->m->jobs[s->first + i];
		writer_submit(s->m->w, many_fn, many_done, j);
	}
	return NULL;
}

static void wait_finished(struct many *m, int n)
{
	pthread_mutex_lock(&m->mu);
	while (m->finished < n)
		pthread_cond_wait(&m->cv, &m->mu);
	pthread_mutex_unlock(&m->mu);
}

static void test_concurrent_batches(void **state)
{
	struct fixture *f = *state;
	struct writer_stats before, after;
	writer_get_stats(f->w, &before);

	struct many *m = the_many = many_new(f->w);
	pthread_t th[THREADS];
	struct submitter sub[THREADS];
	for (int t = 0; t < THREADS; t++) {
		sub[t] = (struct submitter){m, t * PER_THREAD};
		assert_int_equal(pthread_create(&th[t], NULL, submit_thread, &sub[t]), 0);
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	wait_finished(m, TOTAL);

	for (int i = 0; i < TOTAL; i++) {
		struct job_ctx *j = &m->jobs[i];
		/* A batch with a failing job runs again with each job isolated
		 * (writer.h), so a job runs once or twice; it is done once. */
		int ran = atomic_load(&j->ran);
		if (ran < 1 || ran > 2 || atomic_load(&j->done) != 1)
			fail_msg("job %lld ran %d times, done %d times", (long long)j->id,
			         atomic_load(&j->ran), atomic_load(&j->done));
		int want = j->fail ? FAIL_RC : 0;
		if (atomic_load(&j->rc) != want)
			fail_msg("job %lld: rc %d, want %d", (long long)j->id, atomic_load(&j->rc),
			         want);
	}
	/* The failing half was rolled back, the other half committed. */
	assert_int_equal(count_where(f->d, 0), TOTAL / 2);
	assert_int_equal(count_where(f->d, 1), 0);
	db_stmt *s = db_prepare(f->d, "SELECT SUM(id) FROM t");
	assert_int_equal(db_step(s), DB_ROW);
	/* 2 + 4 + ... + TOTAL */
	assert_int_equal(db_col_int(s, 0), (int64_t)(TOTAL / 2) * (TOTAL / 2 + 1));
	db_finalize(s);

	writer_get_stats(f->w, &after);
	long long jobs = after.jobs - before.jobs, batches = after.batches - before.batches;
	assert_int_equal(jobs, TOTAL);
	assert_int_equal(after.commit_failures, 0);
	/* Group commit: many jobs share one transaction. */
	assert_true(batches >= 1);
	if (!(batches < jobs))
		fail_msg("no batching: %lld batches for %lld jobs", batches, jobs);
	assert_true(after.max_batch > 1);
	many_free(m);
	the_many = NULL;
}

/* ---- batching, made certain with a gate ---- */

struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int open;
	atomic_int entered;
};

static int gate_fn(db *d, void *ctx)
{
	struct gate *g = ctx;
	atomic_store(&g->entered, 1);
	pthread_mutex_lock(&g->mu);
	while (!g->open)
		pthread_cond_wait(&g->cv, &g->mu);
	pthread_mutex_unlock(&g->mu);
	return 0;
}

static void gate_open(struct gate *g)
{
	pthread_mutex_lock(&g->mu);
	g->open = 1;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void test_group_commit_gated(void **state)
{
	struct fixture *f = *state;
	struct gate g = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	writer_submit(f->w, gate_fn, NULL, &g);
	while (!atomic_load(&g.entered))
		sleep_ms(1);
	/* The writer is busy inside the gate job: everything now queues. */
	struct many *m = the_many = many_new(f->w);
	for (int i = 0; i < TOTAL; i++)
		writer_submit(f->w, many_fn, many_done, &m->jobs[i]);
	struct writer_stats mid;
	writer_get_stats(f->w, &mid);
	assert_int_equal(mid.jobs, 0); /* nothing finished while the gate is shut */
	gate_open(&g);
	wait_finished(m, TOTAL);

	struct writer_stats st;
	writer_get_stats(f->w, &st);
	assert_int_equal(st.jobs, TOTAL + 1);
	/* 1 batch for the gate, then the 1600 queued jobs in a few big ones. */
	assert_true(st.batches >= 2);
	assert_true(st.batches <= 1 + (TOTAL + 63) / 64);
	assert_true(st.max_batch >= 64);
	assert_int_equal(count_where(f->d, 0), TOTAL / 2);
	for (int i = 0; i < TOTAL; i++)
		assert_int_equal(atomic_load(&m->jobs[i].done), 1);
	many_free(m);
	the_many = NULL;
}

/* ---- done runs after the commit ---- */

struct visible {
	db *reader;
	int64_t seen;
	int rc;
};

static int visible_fn(db *d, void *ctx)
{
	return insert_id(d, 1234);
}

static void visible_done(void *ctx, int rc)
{
	struct visible *v = ctx;
	v->rc = rc;
	/* Another connection sees the row already: the COMMIT has returned. */
	db_stmt *s = db_prepare(v->reader, "SELECT COUNT(*) FROM t WHERE id = 1234");
	v->seen = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
}

static void test_done_after_commit(void **state)
{
	struct fixture *f = *state;
	struct visible v = {.reader = f->d, .seen = -1, .rc = -1};
	writer_submit(f->w, visible_fn, visible_done, &v);
	/* Jobs are answered in order: this returns after visible_done ran. */
	assert_int_equal(writer_run(f->w, job_insert_42, NULL), 0);
	assert_int_equal(v.rc, 0);
	assert_int_equal(v.seen, 1);
}

/* ---- stop ---- */

struct stop_probe {
	writer *w;
	struct gate *g;
	atomic_int queued, stopped, ran, done_ok;
	atomic_int stop_called;
};

static int probe_fn(db *d, void *ctx)
{
	struct stop_probe *p = ctx;
	atomic_fetch_add(&p->ran, 1);
	return 0;
}

static void probe_done(void *ctx, int rc)
{
	struct stop_probe *p = ctx;
	if (rc == WRITER_STOPPED)
		atomic_fetch_add(&p->stopped, 1);
	else if (rc == 0)
		atomic_fetch_add(&p->done_ok, 1);
}

/* Runs on the writer thread while the test calls writer_stop: submits
 * probes until one is refused, which happens as soon as the stop began. */
static int stopper_fn(db *d, void *ctx)
{
	struct stop_probe *p = ctx;
	while (!atomic_load(&p->stop_called))
		sleep_ms(1);
	for (int tries = 0; tries < 20000 && !atomic_load(&p->stopped); tries++) {
		atomic_fetch_add(&p->queued, 1);
		writer_submit(p->w, probe_fn, probe_done, p);
		if (!atomic_load(&p->stopped))
			sleep_ms(1);
	}
	return 0;
}

static void test_stop_drains_and_refuses(void **state)
{
	struct fixture *f = *state;
	struct stop_probe p = {.w = f->w};
	struct many *m = the_many = many_new(f->w);
	writer_submit(f->w, stopper_fn, NULL, &p);
	for (int i = 0; i < TOTAL; i++)
		writer_submit(f->w, many_fn, many_done, &m->jobs[i]);
	atomic_store(&p.stop_called, 1);
	writer_stop(f->w);
	f->w = NULL;

	/* Every job queued before the stop ran and was answered. */
	assert_int_equal(m->finished, TOTAL);
	for (int i = 0; i < TOTAL; i++)
		assert_int_equal(atomic_load(&m->jobs[i].done), 1);
	assert_int_equal(count_where(f->d, 0), TOTAL / 2);
	/* Exactly one probe was refused (the loop ends on it), without running;
	 * the ones queued before it ran during the drain. */
	assert_int_equal(atomic_load(&p.stopped), 1);
	assert_int_equal(atomic_load(&p.done_ok), atomic_load(&p.queued) - 1);
	assert_int_equal(atomic_load(&p.ran), atomic_load(&p.queued) - 1);
	many_free(m);
	the_many = NULL;
}

static void count_done(void *ctx, int rc)
{
	int *n = ctx;
	*n = rc == 0 ? *n + 1 : -1000;
}

static void test_stop_right_after_submit(void **state)
{
	struct fixture *f = *state;
	int done = 0;
	/* Queued and not waited for: the stop still finishes it, durably. */
	writer_submit(f->w, job_insert_42, count_done, &done);
	writer_stop(f->w);
	f->w = NULL;
	assert_int_equal(done, 1);
	assert_int_equal(count_where(f->d, 0), 1);
	writer_stop(NULL); /* allowed, does nothing */
}

int main(void)
{
	log_set_enabled(0);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_run_commits_durably),     T(test_run_failure_rolls_back),
	        T(test_run_constraint_failure),  cmocka_unit_test(test_start_bad_path),
	        T(test_concurrent_batches),      T(test_group_commit_gated),
	        T(test_done_after_commit),       T(test_stop_drains_and_refuses),
	        T(test_stop_right_after_submit),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
