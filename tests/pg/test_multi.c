/* test_multi.c: several instances on one PostgreSQL database: story ids commit in order, scheduled work is taken once, an outbox message is claimed once, a reminder queued once (make unit-pg). */
#include "unit/testutil.h"
#include "unit/testdb.h"
#include "unit/teststory.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "db/writer.h"
#include "model/outbox.h"
#include "model/schedule.h"
#include "model/story.h"

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"verhalen\",\"title\":{\"nl\":\"V\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]}]}]}";

/* One database, two connections standing for two instances' writers
 * (a and b), and a third that looks (c, outside any transaction). */
struct fixture {
	char dir[64], path[96];
	db *a, *b, *c;
	int64_t org;
	struct script *script;
	struct collection coll;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->script = test_story_setup(f->dir, f->path, &f->a, &f->org, "multi", script_text, "Samen",
	                             &f->coll);
	if (!f->script)
		return -1;
	char err[256] = "";
	f->b = db_open(f->path, err, sizeof err);
	f->c = db_open(f->path, err, sizeof err);
	if (!f->b || !f->c) {
		print_error("db_open: %s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	script_free(f->script);
	db_close(f->b);
	db_close(f->c);
	test_store_close(f->dir, f->path, f->a);
	free(f);
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Waits (at most 5 s) until a session of this database waits for a lock
 * in a statement that contains what; 1 when one does, 0 when none came. */
static int someone_waits(db *c, const char *what)
{
	for (int i = 0; i < 100; i++) {
		db_stmt *s = db_prepare(c, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
		                           "current_database() AND wait_event_type = 'Lock' AND "
		                           "strpos(query, :what) > 0");
		db_bind_text(s, "what", what);
		int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
		db_finalize(s);
		if (n > 0)
			return 1;
		sleep_ms(50);
	}
	return 0;
}

static int64_t count(db *c, int64_t above)
{
	db_stmt *s = db_prepare(c, "SELECT count(*) FROM stories WHERE id > :id");
	db_bind_int(s, "id", above);
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

static void prepare_story(struct fixture *f, struct story_submit *st, int n)
{
	char body[512];
	snprintf(body, sizeof body,
	         "{\"id\":\"00000000-0000-4000-8000-%012d\",\"channel\":\"web\","
	         "\"script_version\":1,\"answers\":{\"verhaal\":{\"prompt\":\"p\",\"text\":"
	         "\"Verhaal %d over het loket.\"}}}",
	         n, n);
	memset(st, 0, sizeof *st);
	st->collection = &f->coll;
	json_t *b = json_loads(body, 0, NULL);
	assert_non_null(b);
	const char *msg = NULL;
	struct answer_error e = {0};
	int rc = story_prepare(st, f->script, b, 0, &msg, &e);
	json_decref(b);
	if (rc != 0)
		fail_msg("story %d refused: %s", n, msg ? msg : "?");
}

/* b's story: in its own transaction, committed, on its own thread. */
struct b_story {
	db *d;
	struct story_submit *st;
	int rc;
	int done;
};

static void *b_submit(void *p)
{
	struct b_story *b = p;
	b->rc = db_begin(b->d);
	if (b->rc == DB_OK)
		b->rc = story_submit_write(b->d, b->st);
	if (b->rc == DB_OK)
		b->rc = db_commit(b->d);
	else
		db_rollback(b->d);
	__atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Two writers store a story each. a draws its id first and commits last.
 * The story index reads "stories above the highest id seen", so b's larger
 * id must not become visible while a's smaller one may still commit:
 * b waits for a (STORY_INSERT_LOCK). */
static void test_story_ids_commit_in_order(void **state)
{
	struct fixture *f = *state;
	struct story_submit sa, sb;
	prepare_story(f, &sa, 1);
	prepare_story(f, &sb, 2);
	int64_t before = count(f->c, 0);
	assert_int_equal(db_begin(f->a), DB_OK);
	assert_int_equal(story_submit_write(f->a, &sa), 0);
	assert_int_equal(sa.result, STORY_NEW);

	struct b_story b = {.d = f->b, .st = &sb};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, b_submit, &b), 0);
	/* b waits for a's lock; without it, b commits at once. */
	int waited = someone_waits(f->c, "pg_advisory_xact_lock");
	/* Nothing above a's story is visible while a has not committed. */
	int64_t visible_above_a = count(f->c, sa.id);
	int b_done_early = __atomic_load_n(&b.done, __ATOMIC_SEQ_CST);
	assert_int_equal(db_commit(f->a), DB_OK);
	pthread_join(t, NULL);
	assert_int_equal(visible_above_a, 0);
	assert_false(b_done_early);
	assert_true(waited);
	assert_int_equal(b.rc, DB_OK);
	assert_int_equal(sb.result, STORY_NEW);
	assert_true(sb.id > sa.id);
	assert_int_equal(count(f->c, 0), before + 2);
	story_submit_free(&sa);
	story_submit_free(&sb);
}

/* The same story (uuid) sent to two instances at once: the second finds
 * the first's, as on one instance, instead of failing on the constraint. */
static void test_same_story_twice_at_once(void **state)
{
	struct fixture *f = *state;
	struct story_submit sa, sb;
	prepare_story(f, &sa, 7);
	prepare_story(f, &sb, 7);
	assert_int_equal(db_begin(f->a), DB_OK);
	assert_int_equal(story_submit_write(f->a, &sa), 0);
	struct b_story b = {.d = f->b, .st = &sb};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, b_submit, &b), 0);
	int waited = someone_waits(f->c, "pg_advisory_xact_lock");
	assert_int_equal(db_commit(f->a), DB_OK);
	pthread_join(t, NULL); /* before any assertion: b uses the fixture */
	assert_int_equal(b.rc, DB_OK);
	assert_int_equal(sb.result, STORY_SAME);
	assert_int_equal(sb.id, sa.id);
	assert_string_equal(sb.receipt, sa.receipt);
	assert_true(waited);
	story_submit_free(&sa);
	story_submit_free(&sb);
}

/* The daily purge's lease: taken by one transaction, refused to the other
 * while it runs and, once committed, not due for a day. */
static void test_schedule_once_across_connections(void **state)
{
	struct fixture *f = *state;
	int64_t now = 1790000000;
	assert_int_equal(db_begin(f->a), DB_OK);
	assert_int_equal(db_begin(f->b), DB_OK);
	assert_int_equal(schedule_claim(f->a, "purge", 86400, now), 1);
	assert_int_equal(schedule_claim(f->b, "purge", 86400, now), 0); /* a is doing it */
	assert_int_equal(schedule_exclusive(f->b, "reminders"), 1);     /* another job: free */
	assert_int_equal(schedule_exclusive(f->a, "reminders"), 0);
	assert_int_equal(db_commit(f->a), DB_OK);
	assert_int_equal(db_rollback(f->b), DB_OK);
	/* After a's commit: not due, for b as for a. */
	assert_int_equal(db_begin(f->b), DB_OK);
	assert_int_equal(schedule_claim(f->b, "purge", 86400, now + 60), 0);
	assert_int_equal(schedule_exclusive(f->b, "reminders"), 1); /* a's ended with a */
	assert_int_equal(db_rollback(f->b), DB_OK);
	int64_t last = 0;
	assert_int_equal(schedule_runs(f->c, "purge", &last), 1);
	assert_int_equal(last, now);
	/* A day later it is b's, once. */
	assert_int_equal(db_begin(f->b), DB_OK);
	assert_int_equal(schedule_claim(f->b, "purge", 86400, now + 86400), 1);
	assert_int_equal(db_commit(f->b), DB_OK);
	assert_int_equal(schedule_runs(f->c, "purge", NULL), 2);
}

/* An instance killed mid-job (SIGKILL, in a child process of its own):
 * its connection goes, its transaction rolls back, the lock is free and
 * the job is still due for the next instance. */
static void test_schedule_survives_killed_instance(void **state)
{
	struct fixture *f = *state;
	int64_t now = 1790000000;
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[256] = "";
		db *d = db_open(f->path, err, sizeof err);
		int ok = d && db_begin(d) == DB_OK && schedule_claim(d, "purge", 86400, now) == 1;
		char c = ok ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1)
			_exit(2);
		pause(); /* mid-job, until killed */
		_exit(0);
	}
	char c = 0;
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	close(ready[1]);
	/* While the child has it, it is not ours. */
	assert_int_equal(db_begin(f->b), DB_OK);
	int during = schedule_claim(f->b, "purge", 86400, now);
	assert_int_equal(db_rollback(f->b), DB_OK);
	kill(pid, SIGKILL);
	int status;
	waitpid(pid, &status, 0);
	assert_int_equal(c, 'y');
	assert_int_equal(during, 0);
	assert_int_equal(schedule_runs(f->c, "purge", NULL), 0);
	/* PostgreSQL notices the closed connection at once; give it a moment. */
	int after = 0;
	for (int i = 0; i < 100 && after != 1; i++) {
		assert_int_equal(db_begin(f->b), DB_OK);
		after = schedule_claim(f->b, "purge", 86400, now + 5);
		assert_int_equal(after == 1 ? db_commit(f->b) : db_rollback(f->b), DB_OK);
		if (after != 1)
			sleep_ms(50);
	}
	assert_int_equal(after, 1);
	assert_int_equal(schedule_runs(f->c, "purge", NULL), 1);
}

/* ---- the outbox claim ---- */

struct queue_job {
	const vault *v;
	int64_t id;
	int rc;
};

static int queue_fn(db *d, void *ctx)
{
	struct queue_job *q = ctx;
	struct outbox_msg m = {.purpose = "test",
	                       .to_addr = "wilhelmina.zonnebloem@voorbeeld-mail.nl",
	                       .subject = "Herinnering",
	                       .body_text = "Beste Wilhelmina,\nTot donderdag.\n"};
	q->rc = outbox_queue(d, q->v, &m, &q->id);
	return q->rc == DB_OK ? 0 : q->rc;
}

struct sender {
	writer *w;
	const vault *v;
	struct smtp_config smtp;
	struct outbox_pass pass;
};

static void *send_due(void *p)
{
	struct sender *s = p;
	outbox_send_due(s->w, s->v, &s->smtp, 5, 10, &s->pass);
	return NULL;
}

/* Instance a has claimed the message (its transaction not yet committed)
 * when instance b's sender looks: b's SELECT still sees it queued, b's
 * UPDATE waits for a's row. Once a commits, b must not claim it too. */
static void test_outbox_claimed_once(void **state)
{
	struct fixture *f = *state;
	char key[128], err[256] = "";
	vault *v;
	assert_int_equal(test_vault_make(f->dir, key, &v), 0);
	writer *w = writer_start(f->path, err, sizeof err);
	assert_non_null(w);
	struct queue_job q = {.v = v};
	assert_int_equal(writer_run(w, queue_fn, &q), 0);

	assert_int_equal(db_begin(f->a), DB_OK);
	db_stmt *s = db_prepare(f->a, "UPDATE outbox SET status = 'sending', claimed_at = :now, "
	                              "attempts = attempts + 1 WHERE id = :id");
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "id", q.id);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);

	/* Nothing listens on port 1: were b to claim it, its try would fail
	 * and count as one to retry. */
	struct sender b = {.w = w,
	                   .v = v,
	                   .smtp = {.url = "smtp://127.0.0.1:1",
	                            .timeout = 5,
	                            .from = "noreply@vertelpunt.invalid"}};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, send_due, &b), 0);
	int waited = someone_waits(f->c, "UPDATE outbox");
	assert_int_equal(db_commit(f->a), DB_OK);
	pthread_join(t, NULL);
	assert_true(waited);
	assert_int_equal(b.pass.sent + b.pass.retry + b.pass.failed + b.pass.errors, 0);
	s = db_prepare(f->c, "SELECT attempts, status FROM outbox WHERE id = :id");
	db_bind_int(s, "id", q.id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	assert_string_equal(db_col_text(s, 1), "sending");
	db_finalize(s);
	writer_stop(w);
	vault_free(v);
	unlink(key);
}

/* b queues a message with a dedup key in its own transaction, on a
 * thread, and then commits. */
struct b_queue {
	db *d;
	const vault *v;
	int rc, commit_rc;
};

static void *b_queue_fn(void *p)
{
	struct b_queue *b = p;
	struct outbox_msg m = {.purpose = "reminder",
	                       .dedup_key = "reminder:dialogue:1:registration:1",
	                       .to_addr = "wilhelmina.zonnebloem@voorbeeld-mail.nl",
	                       .subject = "Herinnering",
	                       .body_text = "Tot donderdag.\n"};
	b->commit_rc = db_begin(b->d);
	if (b->commit_rc == DB_OK) {
		b->rc = outbox_queue(b->d, b->v, &m, NULL);
		b->commit_rc = db_commit(b->d);
	}
	return NULL;
}

/* Two instances queue the same reminder at once (without the reminders'
 * job lock, as two transactions under READ COMMITTED): the second waits
 * for the first's row, then its INSERT is refused as a duplicate
 * (DB_CONSTRAINT, which the reminder code takes as "queued before") and
 * its transaction still commits: not both queued, not both failed. */
static void test_same_reminder_queued_once(void **state)
{
	struct fixture *f = *state;
	char key[128];
	vault *v;
	assert_int_equal(test_vault_make(f->dir, key, &v), 0);
	struct b_queue a = {.d = f->a, .v = v}, b = {.d = f->b, .v = v};
	assert_int_equal(db_begin(f->a), DB_OK);
	struct outbox_msg m = {.purpose = "reminder",
	                       .dedup_key = "reminder:dialogue:1:registration:1",
	                       .to_addr = "wilhelmina.zonnebloem@voorbeeld-mail.nl",
	                       .subject = "Herinnering",
	                       .body_text = "Tot donderdag.\n"};
	a.rc = outbox_queue(f->a, v, &m, NULL);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, b_queue_fn, &b), 0);
	int waited = someone_waits(f->c, "INSERT INTO outbox");
	a.commit_rc = db_commit(f->a);
	pthread_join(t, NULL);
	assert_int_equal(a.rc, DB_OK);
	assert_int_equal(a.commit_rc, DB_OK);
	assert_int_equal(b.rc, DB_CONSTRAINT);
	assert_int_equal(b.commit_rc, DB_OK);
	assert_true(waited);
	db_stmt *s = db_prepare(f->c, "SELECT count(*) FROM outbox WHERE dedup_key = :k");
	db_bind_text(s, "k", "reminder:dialogue:1:registration:1");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	vault_free(v);
	unlink(key);
}

int main(void)
{
	log_set_enabled(0);
	if (!test_db_pg_url()) {
		fprintf(stderr, "test_multi: set VP_TEST_DB=postgres://... (make unit-pg does)\n");
		return 1;
	}
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_story_ids_commit_in_order),
	        T(test_same_story_twice_at_once),
	        T(test_schedule_once_across_connections),
	        T(test_schedule_survives_killed_instance),
	        T(test_outbox_claimed_once),
	        T(test_same_reminder_queued_once),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
