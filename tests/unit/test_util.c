/* test_util.c: unit tests of random tokens, secret hashing, strict parsing and UTF-8 checks. */
#include "testutil.h"

#include "core/util.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int group_setup(void **state)
{
	return sodium_init() < 0 ? -1 : 0;
}

static int is_lower_hex(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

/* ---- random_hex, hex, hash_hex ---- */

static void test_random_hex_length_charset(void **state)
{
	char out[129];
	static const size_t sizes[] = {0, 1, 16, 32, 64};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		memset(out, 'Z', sizeof out);
		util_random_hex(out, sizes[i]);
		assert_int_equal(strlen(out), 2 * sizes[i]);
		assert_true(is_lower_hex(out));
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_random_hex_unique(void **state)
{
	enum { N = 2000 };
	char(*ids)[33] = calloc(N, sizeof *ids);
	assert_non_null(ids);
	for (int i = 0; i < N; i++)
		util_random_hex(ids[i], 16);
	qsort(ids, N, sizeof *ids, cmp_str);
	for (int i = 1; i < N; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	/* Every hex digit turns up somewhere (a constant or a narrowed
	 * charset would not pass). */
	int seen[16] = {0};
	for (int i = 0; i < N; i++)
		for (const char *p = ids[i]; *p; p++)
			seen[*p <= '9' ? *p - '0' : *p - 'a' + 10] = 1;
	for (int k = 0; k < 16; k++)
		assert_true(seen[k]);
	free(ids);
}

static void test_hex(void **state)
{
	const unsigned char in[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
	char out[13];
	util_hex(in, sizeof in, out);
	assert_string_equal(out, "00017f80abff");
	util_hex(in, 0, out);
	assert_string_equal(out, "");
}

static void test_hash_hex_known(void **state)
{
	/* Reference values:
	 *   python3 -c 'import hashlib; print(hashlib.blake2b(b"abc", digest_size=32).hexdigest())'
	 *   python3 -c 'import hashlib; print(hashlib.blake2b(b"", digest_size=32).hexdigest())' */
	char out[65];
	util_hash_hex("abc", out);
	assert_string_equal(out,
	                    "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	util_hash_hex("", out);
	assert_string_equal(out,
	                    "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

static void test_hash_hex_differs(void **state)
{
	char a[65], b[65];
	util_hash_hex("session-1", a);
	util_hash_hex("session-2", b);
	assert_int_equal(strlen(a), 64);
	assert_true(is_lower_hex(a));
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, "session-1");
}

/* ---- streq_ct ---- */

static void test_streq_ct(void **state)
{
	assert_true(util_streq_ct("abc", "abc"));
	assert_true(util_streq_ct("", ""));
	assert_false(util_streq_ct("abc", "abd"));
	assert_false(util_streq_ct("abc", "ab"));
	assert_false(util_streq_ct("ab", "abc"));
	assert_false(util_streq_ct("", "a"));
	assert_false(util_streq_ct("Abc", "abc"));
	assert_false(util_streq_ct(NULL, "abc"));
	assert_false(util_streq_ct("abc", NULL));
	assert_false(util_streq_ct(NULL, NULL));
}

/* ---- parse_i64 ---- */

static void test_parse_i64_ok(void **state)
{
	int64_t v = 0;
	assert_int_equal(util_parse_i64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(util_parse_i64("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(util_parse_i64("-17", &v), 0);
	assert_int_equal(v, -17);
	assert_int_equal(util_parse_i64("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(util_parse_i64("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
}

static void test_parse_i64_rejects(void **state)
{
	int64_t v = 12345;
	static const char *bad[] = {
	        "",
	        "-",
	        "abc",
	        "12a",
	        "1.5",
	        "0x10",
	        "1e3",
	        "5 ",
	        "9223372036854775808",
	        "-9223372036854775809",
	        "99999999999999999999999",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (util_parse_i64(bad[i], &v) == 0)
			fail_msg("util_parse_i64 accepted \"%s\"", bad[i]);
	assert_int_equal(util_parse_i64(NULL, &v), -1);
	assert_int_equal(v, 12345); /* not written on failure */
}

/* "Strictly (whole string)": strtoll skips leading white space, so a value
 * such as " 5" or "\n5" must be refused by the wrapper. */
static void test_parse_i64_rejects_leading_space(void **state)
{
	int64_t v = 0;
	assert_int_not_equal(util_parse_i64(" 5", &v), 0);
	assert_int_not_equal(util_parse_i64("\t5", &v), 0);
	assert_int_not_equal(util_parse_i64("\n-5", &v), 0);
}

/* ---- parse_id ---- */

static void test_parse_id_ok(void **state)
{
	int64_t v = 0;
	assert_int_equal(util_parse_id("1", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(util_parse_id("123456", &v), 0);
	assert_int_equal(v, 123456);
	assert_int_equal(util_parse_id("999999999999999999", &v), 0); /* 18 digits */
	assert_true(v == 999999999999999999LL);
}

static void test_parse_id_rejects(void **state)
{
	int64_t v = 0;
	static const char *bad[] = {
	        "", "0", "-1", "+1", " 1", "1 ", "1a", "a1", "1.0", "0x1", "99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (util_parse_id(bad[i], &v) == 0)
			fail_msg("util_parse_id accepted \"%s\"", bad[i]);
	assert_int_equal(util_parse_id(NULL, &v), -1);
	assert_int_equal(util_parse_id("000", &v), -1);
}

/* util.h promises the whole range 1..2^63-1. */
static void test_parse_id_full_range(void **state)
{
	int64_t v = 0;
	assert_int_equal(util_parse_id("1000000000000000000", &v), 0); /* 19 digits */
	assert_true(v == 1000000000000000000LL);
	assert_int_equal(util_parse_id("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(util_parse_id("9223372036854775808", &v), -1);
}

/* ---- utf8_clean ---- */

#define CLEAN(lit) util_utf8_clean((lit), sizeof(lit) - 1)

static void test_utf8_valid(void **state)
{
	assert_true(util_utf8_clean("", 0));
	assert_true(CLEAN("plain ascii ~"));
	assert_true(CLEAN("tab\tnl\ncr\r"));
	assert_true(CLEAN("caf\xc3\xa9"));      /* U+00E9 */
	assert_true(CLEAN("\xc2\x80"));         /* U+0080, smallest 2-byte */
	assert_true(CLEAN("\xdf\xbf"));         /* U+07FF */
	assert_true(CLEAN("\xe0\xa0\x80"));     /* U+0800, smallest 3-byte */
	assert_true(CLEAN("\xe2\x82\xac"));     /* U+20AC euro */
	assert_true(CLEAN("\xed\x9f\xbf"));     /* U+D7FF, just below surrogates */
	assert_true(CLEAN("\xee\x80\x80"));     /* U+E000, just above surrogates */
	assert_true(CLEAN("\xef\xbf\xbd"));     /* U+FFFD */
	assert_true(CLEAN("\xf0\x90\x80\x80")); /* U+10000, smallest 4-byte */
	assert_true(CLEAN("\xf0\x9f\x98\x80")); /* U+1F600 */
	assert_true(CLEAN("\xf4\x8f\xbf\xbf")); /* U+10FFFF, the last code point */
}

static void test_utf8_overlong(void **state)
{
	assert_false(CLEAN("\xc0\x80")); /* NUL as 2 bytes */
	assert_false(CLEAN("\xc0\xaf")); /* '/' as 2 bytes */
	assert_false(CLEAN("\xc1\xbf"));
	assert_false(CLEAN("\xe0\x80\x80"));
	assert_false(CLEAN("\xe0\x80\xaf")); /* '/' as 3 bytes */
	assert_false(CLEAN("\xe0\x9f\xbf")); /* U+07FF as 3 bytes */
	assert_false(CLEAN("\xf0\x80\x80\x80"));
	assert_false(CLEAN("\xf0\x8f\xbf\xbf"));     /* U+FFFF as 4 bytes */
	assert_false(CLEAN("\xf8\x88\x80\x80\x80")); /* 5-byte form */
}

static void test_utf8_surrogates(void **state)
{
	assert_false(CLEAN("\xed\xa0\x80"));             /* U+D800 */
	assert_false(CLEAN("\xed\xad\xbf"));             /* U+DB7F */
	assert_false(CLEAN("\xed\xb0\x80"));             /* U+DC00 */
	assert_false(CLEAN("\xed\xbf\xbf"));             /* U+DFFF */
	assert_false(CLEAN("\xed\xa0\xbd\xed\xb8\x80")); /* CESU-8 pair */
}

static void test_utf8_above_max(void **state)
{
	assert_false(CLEAN("\xf4\x90\x80\x80")); /* U+110000 */
	assert_false(CLEAN("\xf4\xbf\xbf\xbf"));
	assert_false(CLEAN("\xf5\x80\x80\x80"));
	assert_false(CLEAN("\xf7\xbf\xbf\xbf"));
	assert_false(CLEAN("\xfe"));
	assert_false(CLEAN("\xff"));
}

static void test_utf8_truncated_and_stray(void **state)
{
	assert_false(CLEAN("\xc3"));
	assert_false(CLEAN("abc\xc3"));
	assert_false(CLEAN("\xe2\x82"));
	assert_false(CLEAN("\xf0\x9f\x98"));
	assert_false(CLEAN("\xe2\x82x"));    /* continuation replaced by ASCII */
	assert_false(CLEAN("\xc3\xc3\xa9")); /* lead byte where a continuation belongs */
	assert_false(CLEAN("\x80"));         /* lone continuation */
	assert_false(CLEAN("a\xbf"));
	/* n is honoured: a valid sequence cut short by n is refused. */
	assert_false(util_utf8_clean("\xc3\xa9", 1));
	assert_true(util_utf8_clean("ab\xc3\xa9", 2));
}

static void test_utf8_controls(void **state)
{
	assert_false(util_utf8_clean("a\0b", 3)); /* NUL inside the length */
	assert_false(CLEAN("\x01"));
	assert_false(CLEAN("\x08"));
	assert_false(CLEAN("\x0b")); /* vertical tab */
	assert_false(CLEAN("\x0c")); /* form feed */
	assert_false(CLEAN("\x1b[31m"));
	assert_false(CLEAN("\x1f"));
	assert_false(CLEAN("\x7f"));
	assert_true(CLEAN("\x20"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_random_hex_length_charset),
	        cmocka_unit_test(test_random_hex_unique),
	        cmocka_unit_test(test_hex),
	        cmocka_unit_test(test_hash_hex_known),
	        cmocka_unit_test(test_hash_hex_differs),
	        cmocka_unit_test(test_streq_ct),
	        cmocka_unit_test(test_parse_i64_ok),
	        cmocka_unit_test(test_parse_i64_rejects),
	        cmocka_unit_test(test_parse_i64_rejects_leading_space),
	        cmocka_unit_test(test_parse_id_ok),
	        cmocka_unit_test(test_parse_id_rejects),
	        cmocka_unit_test(test_parse_id_full_range),
	        cmocka_unit_test(test_utf8_valid),
	        cmocka_unit_test(test_utf8_overlong),
	        cmocka_unit_test(test_utf8_surrogates),
	        cmocka_unit_test(test_utf8_above_max),
	        cmocka_unit_test(test_utf8_truncated_and_stray),
	        cmocka_unit_test(test_utf8_controls),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
