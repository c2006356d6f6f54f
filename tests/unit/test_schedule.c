/* test_schedule.c: scheduled work taken once: due and not due, the run recorded with the work, undone by a rollback, a clock that went back. */
#include "testutil.h"
#include "testdb.h"

#include "core/log.h"
#include "db/migrate.h"
#include "model/schedule.h"

#include <stdio.h>
#include <stdlib.h>

static int setup(void **state)
{
	log_set_enabled(0);
	return test_db_fixture_setup_migrated(state, "schedule");
}

static int teardown(void **state)
{
	return test_db_fixture_teardown(state);
}

/* claim inside its own transaction, committed (or rolled back). */
static int claim(db *d, const char *name, int64_t every, int64_t now, int commit)
{
	assert_int_equal(db_begin(d), DB_OK);
	int rc = schedule_claim(d, name, every, now);
	assert_int_equal(commit ? db_commit(d) : db_rollback(d), DB_OK);
	return rc;
}

static void test_due_once_per_period(void **state)
{
	struct test_db_fixture *f = *state;
	int64_t t = 1790000000, last = -1;
	assert_int_equal(schedule_runs(f->d, "purge", &last), 0);
	assert_int_equal(last, 0);
	assert_int_equal(claim(f->d, "purge", 86400, t, 1), 1); /* never ran: due */
	assert_int_equal(claim(f->d, "purge", 86400, t, 1), 0);
	assert_int_equal(claim(f->d, "purge", 86400, t + 86399, 1), 0);
	assert_int_equal(claim(f->d, "purge", 86400, t + 86400, 1), 1);
	assert_int_equal(schedule_runs(f->d, "purge", &last), 2);
	assert_int_equal(last, t + 86400);
	/* Another job has its own row. */
	assert_int_equal(claim(f->d, "other", 60, t, 1), 1);
	assert_int_equal(schedule_runs(f->d, "purge", NULL), 2);
	assert_int_equal(schedule_runs(f->d, "other", NULL), 1);
}

static void test_rollback_leaves_it_due(void **state)
{
	struct test_db_fixture *f = *state;
	int64_t t = 1790000000;
	/* The work failed (or its instance died): nothing recorded. */
	assert_int_equal(claim(f->d, "purge", 86400, t, 0), 1);
	assert_int_equal(schedule_runs(f->d, "purge", NULL), 0);
	assert_int_equal(claim(f->d, "purge", 86400, t + 1, 1), 1);
	assert_int_equal(schedule_runs(f->d, "purge", NULL), 1);
}

static void test_clock_back(void **state)
{
	struct test_db_fixture *f = *state;
	int64_t t = 1790000000;
	assert_int_equal(claim(f->d, "purge", 86400, t, 1), 1);
	/* A little behind (another instance's clock): not due. */
	assert_int_equal(claim(f->d, "purge", 86400, t - 30, 1), 0);
	/* More than a period back: the clock was reset, run it. */
	assert_int_equal(claim(f->d, "purge", 86400, t - 86401, 1), 1);
}

static void test_exclusive_alone(void **state)
{
	struct test_db_fixture *f = *state;
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(schedule_exclusive(f->d, "reminders"), 1);
	assert_int_equal(schedule_exclusive(f->d, "reminders"), 1); /* the holder may again */
	assert_int_equal(db_commit(f->d), DB_OK);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_due_once_per_period),
	        T(test_rollback_leaves_it_due),
	        T(test_clock_back),
	        T(test_exclusive_alone),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
