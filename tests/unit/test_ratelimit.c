/* test_ratelimit.c: token buckets: bursts, refill, keys apart, no limit, many keys within the budget, threads. */
#include "testutil.h"

#include "core/ratelimit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>

static void test_burst_and_refill(void **state)
{
	ratelimit *rl = ratelimit_new(60, 5); /* one a second, bursts of 5 */
	int wait;
	for (int i = 0; i < 5; i++)
		assert_int_equal(ratelimit_take(rl, "10.0.0.1", 1000, &wait), 1);
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", 1000, &wait), 0);
	assert_int_equal(wait, 1);
	/* Another key has its own bucket. */
	assert_int_equal(ratelimit_take(rl, "10.0.0.2", 1000, &wait), 1);
	/* 999 ms later: not yet a whole token; 1000 ms: one. */
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", 1999, &wait), 0);
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", 2001, &wait), 1);
	assert_int_equal(ratelimit_take(rl, "10.0.0.1", 2001, &wait), 0);
	/* A long pause refills up to the burst, not beyond. */
	int n = 0;
	while (ratelimit_take(rl, "10.0.0.1", 100000, NULL))
		n++;
	assert_int_equal(n, 5);
	ratelimit_free(rl);
}

static void test_no_limit(void **state)
{
	ratelimit *rl = ratelimit_new(0, 0);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(ratelimit_take(rl, "x", 0, NULL), 1);
	ratelimit_free(rl);
}

/* More keys than the table holds: a key seen recently keeps its state;
 * nothing is refused that has tokens. */
static void test_many_keys(void **state)
{
	ratelimit *rl = ratelimit_new(1, 1);
	char key[32];
	for (int i = 0; i < 200000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(ratelimit_take(rl, key, i, NULL), 1);
	}
	/* The last key was just used: refused now. */
	assert_int_equal(ratelimit_take(rl, key, 200000, NULL), 0);
	ratelimit_free(rl);
}

static ratelimit *shared;
static int granted[4];

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	for (int i = 0; i < 1000; i++)
		granted[id] += ratelimit_take(shared, "same", 5000, NULL);
	return NULL;
}

/* Four threads on one key: exactly the burst is granted. */
static void test_threads(void **state)
{
	shared = ratelimit_new(60, 100);
	pthread_t t[4];
	for (intptr_t i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(granted[0] + granted[1] + granted[2] + granted[3], 100);
	ratelimit_free(shared);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_burst_and_refill),
	        cmocka_unit_test(test_no_limit),
	        cmocka_unit_test(test_many_keys),
	        cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
