/* test_clock.c: unit tests of the wall clock, its test offset and RFC 3339 formatting. */
#include "testutil.h"

#include "core/clock.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

static int teardown(void **state)
{
	clock_reset();
	return 0;
}

static void test_now_matches_time(void **state)
{
	int64_t before = (int64_t)time(NULL);
	int64_t now = clock_now();
	int64_t after = (int64_t)time(NULL);
	assert_true(now >= before && now <= after);
	int64_t ms = clock_now_ms();
	assert_true(ms / 1000 >= before && ms / 1000 <= after + 1);
}

static void test_advance_and_reset(void **state)
{
	int64_t base = clock_now();
	clock_advance(3600);
	int64_t later = clock_now();
	assert_true(later - base >= 3600 && later - base <= 3601);
	int64_t ms = clock_now_ms();
	assert_true(ms / 1000 - base >= 3600 && ms / 1000 - base <= 3601);
	/* Offsets add up, also negative ones. */
	clock_advance(-7200);
	int64_t earlier = clock_now();
	assert_true(base - earlier >= 3599 && base - earlier <= 3600);
	clock_reset();
	int64_t again = clock_now();
	assert_true(again - base >= 0 && again - base <= 1);
}

static void test_mono_not_offset(void **state)
{
	int64_t a = clock_mono_us();
	clock_advance(86400);
	int64_t b = clock_mono_us();
	assert_true(b >= a);
	assert_true(b - a < 10 * 1000000LL); /* not moved by a day */
}

static void test_iso_fixed(void **state)
{
	char out[21];
	memset(out, 'X', sizeof out);
	clock_iso(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	/* date -u -d @1795364820 +%Y-%m-%dT%H:%M:%SZ -> 2026-11-22T16:27:00Z */
	clock_iso(1795364820, out);
	assert_string_equal(out, "2026-11-22T16:27:00Z");
	clock_iso(951782400, out); /* leap day */
	assert_string_equal(out, "2000-02-29T00:00:00Z");
	clock_iso(4102444799LL, out);
	assert_string_equal(out, "2099-12-31T23:59:59Z");
	assert_int_equal(strlen(out), 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_teardown(test_now_matches_time, teardown),
	        cmocka_unit_test_teardown(test_advance_and_reset, teardown),
	        cmocka_unit_test_teardown(test_mono_not_offset, teardown),
	        cmocka_unit_test(test_iso_fixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
