/* test_buf.c: unit tests of the growable byte buffer. */
#include "testutil.h"

#include "core/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void test_init_empty(void **state)
{
	buf b;
	buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_free(&b);
	assert_null(b.data);
}

static void test_append_and_nul(void **state)
{
	buf b;
	buf_init(&b);
	buf_append(&b, "abc", 3);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	buf_puts(&b, "def");
	buf_putc(&b, 'g');
	assert_int_equal(b.len, 7);
	assert_string_equal(b.data, "abcdefg");
	assert_int_equal(b.data[b.len], '\0');
	/* Zero-length appends keep the contents and the terminator. */
	buf_append(&b, NULL, 0);
	buf_puts(&b, "");
	assert_int_equal(b.len, 7);
	assert_string_equal(b.data, "abcdefg");
	buf_free(&b);
}

static void test_append_binary(void **state)
{
	buf b;
	buf_init(&b);
	buf_append(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 3);
	assert_int_equal(b.data[3], '\0');
	buf_free(&b);
}

static void test_growth(void **state)
{
	buf b;
	buf_init(&b);
	size_t prev_cap = 0;
	int grew = 0;
	for (int i = 0; i < 100000; i++) {
		buf_putc(&b, (char)('a' + i % 26));
		assert_true(b.cap > b.len); /* always room for the NUL */
		if (b.cap != prev_cap)
			grew++, prev_cap = b.cap;
	}
	assert_int_equal(b.len, 100000);
	assert_int_equal(strlen(b.data), 100000);
	for (int i = 0; i < 100000; i++)
		if (b.data[i] != (char)('a' + i % 26))
			fail_msg("byte %d is %c", i, b.data[i]);
	/* Doubling: a handful of reallocations, not one per byte. */
	assert_true(grew < 20);
	buf_free(&b);
}

static void test_reserve(void **state)
{
	buf b;
	buf_init(&b);
	buf_reserve(&b, 1000);
	assert_true(b.cap >= 1001);
	assert_int_equal(b.len, 0);
	char *before = b.data;
	size_t cap = b.cap;
	buf_append(&b, "x", 1);
	for (int i = 0; i < 999; i++)
		buf_putc(&b, 'y');
	assert_int_equal(b.len, 1000);
	/* The reservation was enough: no reallocation happened. */
	assert_ptr_equal(b.data, before);
	assert_int_equal(b.cap, cap);
	buf_free(&b);
}

static void test_reset(void **state)
{
	buf b;
	buf_init(&b);
	buf_reset(&b); /* on an empty buffer: no crash, nothing to write */
	assert_null(b.data);
	buf_puts(&b, "hello");
	size_t cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(b.cap, cap);
	buf_puts(&b, "x");
	assert_string_equal(b.data, "x");
	buf_free(&b);
}

static void test_put_int(void **state)
{
	buf b;
	buf_init(&b);
	buf_put_int(&b, 0);
	buf_putc(&b, ' ');
	buf_put_int(&b, -42);
	buf_putc(&b, ' ');
	buf_put_int(&b, INT64_MAX);
	buf_putc(&b, ' ');
	buf_put_int(&b, INT64_MIN);
	assert_string_equal(b.data, "0 -42 9223372036854775807 -9223372036854775808");
	buf_free(&b);
}

static void test_printf(void **state)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "n=");
	buf_printf(&b, "%d/%s/%05.1f", 7, "x", 3.14159);
	assert_string_equal(b.data, "n=7/x/003.1");
	assert_int_equal(b.len, strlen("n=7/x/003.1"));
	buf_printf(&b, "%s", "");
	assert_int_equal(b.len, strlen("n=7/x/003.1"));
	buf_free(&b);
}

static void test_printf_large(void **state)
{
	/* Longer than the first allocation: vprintf must measure, grow, then write. */
	char big[5001];
	memset(big, 'q', 5000);
	big[5000] = '\0';
	buf b;
	buf_init(&b);
	buf_puts(&b, "<");
	buf_printf(&b, "[%s]", big);
	assert_int_equal(b.len, 5003);
	assert_int_equal(b.data[0], '<');
	assert_int_equal(b.data[1], '[');
	assert_int_equal(b.data[5001], 'q');
	assert_int_equal(b.data[5002], ']');
	assert_int_equal(b.data[5003], '\0');
	buf_free(&b);
}

static void test_detach(void **state)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "owned");
	size_t n = 0;
	char *p = buf_detach(&b, &n);
	assert_string_equal(p, "owned");
	assert_int_equal(n, 5);
	/* b is empty again and reusable, and does not share p. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_puts(&b, "new");
	assert_string_equal(b.data, "new");
	assert_string_equal(p, "owned");
	free(p);
	buf_free(&b);
}

static void test_detach_empty(void **state)
{
	buf b;
	buf_init(&b);
	size_t n = 99;
	char *p = buf_detach(&b, &n);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(n, 0);
	free(p);
	p = buf_detach(&b, NULL);
	assert_non_null(p);
	free(p);
}

static char *json(const char *s)
{
	buf b;
	buf_init(&b);
	buf_json_str(&b, s);
	return buf_detach(&b, NULL);
}

#define assert_json(in, want)                    \
	do {                                     \
		char *got_ = json(in);           \
		assert_string_equal(got_, want); \
		free(got_);                      \
	} while (0)

static void test_json_plain(void **state)
{
	assert_json("", "\"\"");
	assert_json("hello world", "\"hello world\"");
	assert_json("a/b", "\"a/b\"");
}

static void test_json_quotes_backslash(void **state)
{
	assert_json("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_json("c:\\dir", "\"c:\\\\dir\"");
}

static void test_json_named_controls(void **state)
{
	assert_json("a\nb\rc\td", "\"a\\nb\\rc\\td\"");
}

static void test_json_other_controls(void **state)
{
	assert_json("\x01", "\"\\u0001\"");
	assert_json("\x1f", "\"\\u001f\"");
	assert_json("\b\f", "\"\\u0008\\u000c\"");
	assert_json("x\x1by", "\"x\\u001by\"");
}

static void test_json_lt(void **state)
{
	/* "</script>" must not close a script element it is embedded in. */
	assert_json("</script>", "\"\\u003c/script>\"");
	assert_json("<<", "\"\\u003c\\u003c\"");
}

static void test_json_utf8_passthrough(void **state)
{
	assert_json("caf\xc3\xa9", "\"caf\xc3\xa9\"");           /* é */
	assert_json("\xe2\x82\xac", "\"\xe2\x82\xac\"");         /* € */
	assert_json("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""); /* 😀 */
	assert_json("\x7f", "\"\x7f\"");                         /* DEL is legal JSON */
}

static void test_json_appends(void **state)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "{\"k\":");
	buf_json_str(&b, "v");
	buf_putc(&b, '}');
	assert_string_equal(b.data, "{\"k\":\"v\"}");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_init_empty),
	        cmocka_unit_test(test_append_and_nul),
	        cmocka_unit_test(test_append_binary),
	        cmocka_unit_test(test_growth),
	        cmocka_unit_test(test_reserve),
	        cmocka_unit_test(test_reset),
	        cmocka_unit_test(test_put_int),
	        cmocka_unit_test(test_printf),
	        cmocka_unit_test(test_printf_large),
	        cmocka_unit_test(test_detach),
	        cmocka_unit_test(test_detach_empty),
	        cmocka_unit_test(test_json_plain),
	        cmocka_unit_test(test_json_quotes_backslash),
	        cmocka_unit_test(test_json_named_controls),
	        cmocka_unit_test(test_json_other_controls),
	        cmocka_unit_test(test_json_lt),
	        cmocka_unit_test(test_json_utf8_passthrough),
	        cmocka_unit_test(test_json_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
