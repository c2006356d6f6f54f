/* test_csv.c: unit tests of io/csv.c: RFC 4180 quoting, CRLF, BOM, formula-injection guard, numbers. */
#include "testutil.h"

#include "core/buf.h"
#include "io/csv.h"

#include <locale.h>
#include <math.h>
#include <string.h>

/* One row of text cells, written with flags; returns the buffer (caller frees). */
static void one_cell(const char *s, buf *b)
{
	csv c;
	buf_init(b);
	csv_init(&c, b, 0);
	csv_text(&c, s);
	csv_end_row(&c);
}

static void expect_cell(const char *in, const char *want)
{
	buf b;
	one_cell(in, &b);
	if (strcmp(b.data, want) != 0)
		fail_msg("cell \"%s\": got \"%s\", want \"%s\"", in, b.data, want);
	buf_free(&b);
}

static void test_rows_and_quoting(void **state)
{
	buf b;
	buf_init(&b);
	csv c;
	csv_init(&c, &b, 0);
	csv_text(&c, "naam");
	csv_text(&c, "verhaal");
	csv_text(&c, "aantal");
	csv_end_row(&c);
	csv_text(&c, "Jan, de buurman");
	csv_text(&c, "zei \"hallo\"\r\nen ging");
	csv_int(&c, 3);
	csv_end_row(&c);
	csv_text(&c, "");
	csv_text(&c, NULL);
	csv_textn(&c, "ab", 1);
	csv_end_row(&c);
	assert_string_equal(b.data, "naam,verhaal,aantal\r\n"
	                            "\"Jan, de buurman\",\"zei \"\"hallo\"\"\r\nen ging\",3\r\n"
	                            ",,a\r\n");
	buf_free(&b);
	expect_cell("a;b", "\"a;b\"\r\n");
	expect_cell("line\nbreak", "\"line\nbreak\"\r\n");
	expect_cell("\"", "\"\"\"\"\r\n");
	expect_cell("café ☕", "café ☕\r\n");
	expect_cell("plain", "plain\r\n");
}

static void test_bom_and_semicolon(void **state)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "x"); /* csv_init appends */
	csv c;
	csv_init(&c, &b, CSV_BOM | CSV_SEMICOLON);
	csv_text(&c, "a");
	csv_num(&c, 2.5);
	csv_text(&c, "b,c");
	csv_end_row(&c);
	assert_string_equal(b.data, "x\xef\xbb\xbf"
	                            "a;2,5;\"b,c\"\r\n");
	buf_free(&b);
}

static void test_formula_guard(void **state)
{
	/* Each start a spreadsheet may run gets a quote. */
	expect_cell("=1+1", "'=1+1\r\n");
	expect_cell("+31 6 12345678", "'+31 6 12345678\r\n");
	expect_cell("-2", "'-2\r\n");
	expect_cell("@SUM(A1:A9)", "'@SUM(A1:A9)\r\n");
	expect_cell("\tx", "'\tx\r\n");
	expect_cell("\r=cmd", "\"'\r=cmd\"\r\n");
	expect_cell("  =1", "'  =1\r\n");
	expect_cell("\xef\xbc\x9d"
	            "1+1",
	            "'\xef\xbc\x9d"
	            "1+1\r\n");                             /* full-width = */
	expect_cell("\xef\xbc\xa0x", "'\xef\xbc\xa0x\r\n"); /* full-width @ */
	/* Quoted and guarded at once; the inner quotes doubled. */
	expect_cell("=HYPERLINK(\"http://evil.example\",\"klik\")",
	            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"klik\"\")\"\r\n");
	expect_cell("-1,5", "\"'-1,5\"\r\n");
	/* Not at the start, or not a trigger: as is. */
	expect_cell("a=1", "a=1\r\n");
	expect_cell("1-2", "1-2\r\n");
	expect_cell(" x", " x\r\n");
	expect_cell("'quoted", "'quoted\r\n");
	expect_cell("\xef\xbc\xa1", "\xef\xbc\xa1\r\n"); /* full-width A */
	assert_true(csv_needs_guard("=", 1));
	assert_false(csv_needs_guard("=", 0));
	assert_false(csv_needs_guard(NULL, 0));
	assert_false(csv_needs_guard("   ", 3));
}

static void test_numbers(void **state)
{
	buf b;
	buf_init(&b);
	csv c;
	csv_init(&c, &b, 0);
	csv_num(&c, -3);
	csv_num(&c, 0.1);
	csv_num(&c, 1e20);
	csv_num(&c, -0.25);
	csv_num(&c, NAN);
	csv_num(&c, INFINITY);
	csv_num(&c, 1.0 / 3.0);
	csv_int(&c, -9007199254740993LL);
	csv_end_row(&c);
	/* Numbers are never guarded, so a negative stays a number. */
	assert_string_equal(b.data,
	                    "-3,0.1,1e+20,-0.25,,,0.3333333333333333,-9007199254740993\r\n");
	buf_free(&b);

	/* A locale with a decimal comma changes nothing (when installed). */
	if (setlocale(LC_NUMERIC, "nl_NL.UTF-8") || setlocale(LC_NUMERIC, "de_DE.UTF-8")) {
		buf_init(&b);
		csv_init(&c, &b, 0);
		csv_num(&c, 2.5);
		csv_end_row(&c);
		assert_string_equal(b.data, "2.5\r\n");
		buf_free(&b);
		setlocale(LC_NUMERIC, "C");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rows_and_quoting),
	        cmocka_unit_test(test_bom_and_semicolon),
	        cmocka_unit_test(test_formula_guard),
	        cmocka_unit_test(test_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
