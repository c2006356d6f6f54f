/* test_arena.c: unit tests of the request arena. */
#include "testutil.h"

#include "core/arena.h"

#include <stdint.h>
#include <string.h>

static int setup(void **state)
{
	*state = arena_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static void test_alignment(void **state)
{
	arena *a = *state;
	/* Odd sizes in a row: every pointer must still be 16-byte aligned. */
	static const size_t sizes[] = {1, 3, 7, 15, 16, 17, 31, 33, 100, 4095, 4096, 4097, 5000};
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			void *p = arena_alloc(a, sizes[i]);
			assert_non_null(p);
			assert_int_equal((uintptr_t)p % 16, 0);
		}
	}
}

static void test_no_overlap(void **state)
{
	arena *a = *state;
	enum { N = 3000 };
	unsigned char *ptrs[N];
	for (int i = 0; i < N; i++) {
		size_t n = (size_t)(i % 61) + 1;
		ptrs[i] = arena_alloc(a, n);
		memset(ptrs[i], i & 0xff, n);
	}
	/* Writing into later allocations did not clobber earlier ones. */
	for (int i = 0; i < N; i++) {
		size_t n = (size_t)(i % 61) + 1;
		for (size_t k = 0; k < n; k++)
			if (ptrs[i][k] != (unsigned char)(i & 0xff))
				fail_msg("allocation %d byte %zu overwritten", i, k);
	}
}

static void test_large(void **state)
{
	arena *a = *state;
	char *small1 = arena_alloc(a, 32);
	memset(small1, 'a', 32);
	/* Bigger than a block: must get memory of its own. */
	size_t big = 1u << 20;
	unsigned char *p = arena_alloc(a, big);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	memset(p, 0x5a, big);
	char *small2 = arena_alloc(a, 32);
	memset(small2, 'b', 32);
	assert_int_equal(p[0], 0x5a);
	assert_int_equal(p[big - 1], 0x5a);
	for (int i = 0; i < 32; i++) {
		assert_int_equal(small1[i], 'a');
		assert_int_equal(small2[i], 'b');
	}
	/* A large allocation does not waste the head block: small ones stay
	 * close together. */
	assert_true((size_t)(small2 - small1) < 16384);
}

static void test_many_large(void **state)
{
	arena *a = *state;
	unsigned char *ptrs[20];
	for (int i = 0; i < 20; i++) {
		ptrs[i] = arena_alloc(a, 100000 + (size_t)i);
		memset(ptrs[i], i, 100000 + (size_t)i);
	}
	for (int i = 0; i < 20; i++)
		assert_int_equal(ptrs[i][100000 + i - 1], i);
}

static void test_zero_size(void **state)
{
	arena *a = *state;
	void *p = arena_alloc(a, 0);
	void *q = arena_alloc(a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
}

static void test_zalloc(void **state)
{
	arena *a = *state;
	/* Dirty memory first, so a zalloc that does not clear would show. */
	for (int i = 0; i < 100; i++)
		memset(arena_alloc(a, 1000), 0xff, 1000);
	for (size_t n = 1; n < 10000; n = n * 3 + 1) {
		unsigned char *p = arena_zalloc(a, n);
		for (size_t k = 0; k < n; k++)
			if (p[k])
				fail_msg("zalloc(%zu) byte %zu is %d", n, k, p[k]);
		memset(p, 0xee, n);
	}
	unsigned char *big = arena_zalloc(a, 200000);
	for (size_t k = 0; k < 200000; k++)
		if (big[k])
			fail_msg("big zalloc byte %zu is %d", k, big[k]);
}

static void test_strdup(void **state)
{
	arena *a = *state;
	char src[] = "hello, arena";
	char *p = arena_strdup(a, src);
	assert_string_equal(p, "hello, arena");
	assert_ptr_not_equal(p, src);
	src[0] = 'J';
	assert_string_equal(p, "hello, arena"); /* a copy, not a reference */
	char *e = arena_strdup(a, "");
	assert_string_equal(e, "");
}

static void test_strndup(void **state)
{
	arena *a = *state;
	char *p = arena_strndup(a, "abcdef", 3);
	assert_string_equal(p, "abc");
	assert_int_equal(p[3], '\0');
	/* Not NUL-terminated input, and embedded bytes. */
	char raw[4] = {'x', 'y', 'z', 'w'};
	p = arena_strndup(a, raw, 4);
	assert_string_equal(p, "xyzw");
	p = arena_strndup(a, "abc", 0);
	assert_string_equal(p, "");
}

static void test_used(void **state)
{
	arena *a = *state;
	assert_int_equal(arena_used(a), 0);
	arena_alloc(a, 1);
	assert_int_equal(arena_used(a), 16); /* rounded to the alignment */
	arena_alloc(a, 16);
	assert_int_equal(arena_used(a), 32);
	arena_alloc(a, 17);
	assert_int_equal(arena_used(a), 64);
	arena_alloc(a, 100000);
	assert_int_equal(arena_used(a), 64 + 100000);
	arena_strdup(a, "abc"); /* 4 bytes -> 16 */
	assert_int_equal(arena_used(a), 64 + 100000 + 16);
}

static void test_free_null(void **state)
{
	arena_free(NULL); /* allowed, like free(NULL) */
	arena *a = arena_new();
	assert_int_equal(arena_used(a), 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_alignment, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_no_overlap, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_large, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_many_large, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_zero_size, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_zalloc, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_strdup, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_strndup, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_used, setup, teardown),
	        cmocka_unit_test(test_free_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
