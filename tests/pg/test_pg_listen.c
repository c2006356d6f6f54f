/* test_pg_listen.c: the PostgreSQL driver's LISTEN/NOTIFY (db_listen, db_notify, db_wait) and its reconnecting after a lost connection, with the writer's answer to it (make unit-pg). */
#include "unit/testutil.h"
#include "unit/testdb.h"

#include "core/log.h"
#include "db/db.h"
#include "db/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Each test gets a fresh schema with a table t, and two handles on it: a
 * (the one under test) and b (another process, as it were). */
struct fixture {
	char dir[64];
	char path[96];
	db *a, *b;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_db_make(f->dir, f->path, "pglisten"))
		return -1;
	char err[256] = "";
	f->a = db_open(f->path, err, sizeof err);
	f->b = f->a ? db_open(f->path, err, sizeof err) : NULL;
	if (!f->a || !f->b) {
		print_error("db_open: %s\n", err);
		return -1;
	}
	if (db_exec_trusted_script(f->a, "CREATE TABLE t (id bigint PRIMARY KEY, v text)") != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->a);
	db_close(f->b);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

static int64_t backend_pid(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT pg_backend_pid()");
	int64_t pid = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return pid;
}

/* Ends d's session from another handle, as a restarted server would. */
static void kill_session(db *killer, db *d)
{
	int64_t pid = backend_pid(d);
	assert_true(pid > 0);
	db_stmt *s = db_prepare(killer, "SELECT pg_terminate_backend(:pid)");
	db_bind_int(s, "pid", pid);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	/* the backend is gone once pg_stat_activity no longer lists it */
	for (int i = 0; i < 200; i++) {
		s = db_prepare(killer, "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid");
		db_bind_int(s, "pid", pid);
		int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
		db_finalize(s);
		if (n == 0)
			return;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	fail_msg("the session did not end");
}

static int64_t count_t(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT count(*) FROM t");
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

static int insert_t(db *d, int64_t id)
{
	db_stmt *s = db_prepare(d, "INSERT INTO t (id, v) VALUES (:id, 'x')");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	db_finalize(s);
	return rc;
}

static void test_notify_delivered_at_commit(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_listen(f->a, "vp_test"), DB_OK);
	assert_int_equal(db_wait(f->a, 50), 0); /* nothing yet */
	assert_int_equal(db_begin(f->b), DB_OK);
	assert_int_equal(insert_t(f->b, 1), DB_DONE);
	db_notify(f->b, "vp_test");
	db_notify(f->b, "vp_test");              /* twice in one transaction: sent once */
	assert_int_equal(db_wait(f->a, 200), 0); /* not before the commit */
	assert_int_equal(db_commit(f->b), DB_OK);
	assert_int_equal(db_wait(f->a, 5000), 1);
	assert_int_equal(db_wait(f->a, 100), 0); /* all were taken */
	/* a rolled-back transaction sends nothing */
	assert_int_equal(db_begin(f->b), DB_OK);
	db_notify(f->b, "vp_test");
	assert_int_equal(db_rollback(f->b), DB_OK);
	assert_int_equal(db_begin(f->b), DB_OK);
	assert_int_equal(db_commit(f->b), DB_OK);
	assert_int_equal(db_wait(f->a, 300), 0);
	/* outside a transaction: at once; another channel is not heard */
	db_notify(f->b, "vp_other");
	assert_int_equal(db_wait(f->a, 300), 0);
	db_notify(f->b, "vp_test");
	assert_int_equal(db_wait(f->a, 5000), 1);
}

static void test_select_survives_lost_connection(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(insert_t(f->a, 1), DB_DONE);
	int64_t before = backend_pid(f->a);
	kill_session(f->b, f->a);
	/* the next statement finds the connection lost and reconnects */
	assert_int_equal(count_t(f->a), 1);
	int64_t after = backend_pid(f->a);
	assert_true(after > 0 && after != before);
	/* prepared statements are prepared again on the new session */
	assert_int_equal(insert_t(f->a, 2), DB_DONE);
	assert_int_equal(count_t(f->a), 2);
}

static void test_lost_transaction_never_commits(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_begin(f->a), DB_OK);
	assert_int_equal(insert_t(f->a, 1), DB_DONE);
	kill_session(f->b, f->a);
	/* the rest of the transaction fails, also after a reconnect */
	assert_int_not_equal(insert_t(f->a, 2), DB_DONE);
	assert_int_not_equal(insert_t(f->a, 3), DB_DONE);
	assert_int_equal(db_commit(f->a), DB_ERROR);
	assert_non_null(strstr(db_errmsg(f->a), "not committed"));
	assert_int_equal(count_t(f->b), 0);
	/* a ROLLBACK after it is harmless; the handle works again */
	assert_int_equal(db_rollback(f->a), DB_OK);
	assert_int_equal(db_begin(f->a), DB_OK);
	assert_int_equal(insert_t(f->a, 4), DB_DONE);
	assert_int_equal(db_commit(f->a), DB_OK);
	assert_int_equal(count_t(f->b), 1);
	/* lost, then rolled back at once: as good as new */
	assert_int_equal(db_begin(f->a), DB_OK);
	assert_int_equal(insert_t(f->a, 5), DB_DONE);
	kill_session(f->b, f->a);
	assert_int_equal(db_rollback(f->a), DB_OK);
	assert_int_equal(count_t(f->a), 1);
}

static void test_listen_renewed_after_reconnect(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_listen(f->a, "vp_test"), DB_OK);
	kill_session(f->b, f->a);
	/* the wait sees the connection end, reconnects and says so: catch up */
	assert_int_equal(db_wait(f->a, 5000), 1);
	db_notify(f->b, "vp_test");
	assert_int_equal(db_wait(f->a, 5000), 1);
}

struct kill_job {
	int64_t id;
	int kill_self;
};

static int kill_job_fn(db *d, void *ctx)
{
	struct kill_job *j = ctx;
	int rc = insert_t(d, j->id);
	if (rc != DB_DONE)
		return rc;
	if (j->kill_self) {
		/* the connection ends under the batch, as when the server goes */
		db_stmt *s = db_prepare(d, "SELECT pg_terminate_backend(pg_backend_pid())");
		db_step(s);
		db_finalize(s);
	}
	return 0;
}

static void test_writer_fails_lost_batch_then_recovers(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	writer *w = writer_start(f->path, err, sizeof err);
	assert_non_null(w);
	struct kill_job j1 = {1, 1};
	assert_int_equal(writer_run(w, kill_job_fn, &j1), WRITER_COMMIT_FAILED);
	assert_int_equal(count_t(f->b), 0); /* not acknowledged, not stored */
	struct kill_job j2 = {2, 0};
	assert_int_equal(writer_run(w, kill_job_fn, &j2), 0);
	assert_int_equal(count_t(f->b), 1);
	writer_stop(w);
}

static void test_sqlite_has_no_listen(void **state)
{
	(void)state;
	char dir[] = "/tmp/vp-test-pglisten-sq-XXXXXX", path[96], err[256] = "";
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/test.db", dir);
	db *d = db_open(path, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(db_listen(d, "vp_test"), DB_ERROR);
	db_notify(d, "vp_test"); /* nothing, and no failure */
	assert_int_equal(db_wait(d, 10), DB_ERROR);
	db_close(d);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	log_set_enabled(0);
	if (!test_db_pg_url()) {
		fprintf(stderr,
		        "test_pg_listen: set VP_TEST_DB=postgres://... (make unit-pg does)\n");
		return 1;
	}
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_notify_delivered_at_commit),
	        T(test_select_survives_lost_connection),
	        T(test_lost_transaction_never_commits),
	        T(test_listen_renewed_after_reconnect),
	        T(test_writer_fails_lost_batch_then_recovers),
	        cmocka_unit_test(test_sqlite_has_no_listen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
