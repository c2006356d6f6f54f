/* test_xlsx.c: the XLSX writer: sheets and cells written, then read back with openpyxl (Debian's python3-openpyxl); formulas stay text; sheet names made valid. */
#include "testutil.h"

#include "io/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes out[0..len) to a new .xlsx file; its path in path. */
static void save(const buf *b, char path[64])
{
	snprintf(path, 64, "/tmp/vp-unit-xlsx-XXXXXX.xlsx");
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b->data, b->len), (ssize_t)b->len);
	close(fd);
}

/* Runs a Python script with the workbook's path as argv[1]; its output in out. */
static int python(const char *path, const char *script, char *out, size_t cap)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c '%s' '%s' 2>&1", script, path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = 0;
	return pclose(p);
}

static void test_sheet_names(void **state)
{
	char out[32];
	xlsx_sheet_name("q-steun", out);
	assert_string_equal(out, "q-steun");
	xlsx_sheet_name("a[b]:c*d?e/f\\g", out);
	assert_string_equal(out, "a-b--c-d-e-f-g");
	xlsx_sheet_name("'quoted'", out);
	assert_string_equal(out, "quoted");
	xlsx_sheet_name("", out);
	assert_string_equal(out, "Sheet");
	xlsx_sheet_name(NULL, out);
	assert_string_equal(out, "Sheet");
	/* 31 bytes at most, never half a character */
	xlsx_sheet_name("abcdefghijklmnopqrstuvwxyz0123456789", out);
	assert_string_equal(out, "abcdefghijklmnopqrstuvwxyz01234");
	xlsx_sheet_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u00e9\u00e9", out); /* 29 + 2 x 2 bytes */
	assert_string_equal(out, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u00e9");
}

static void test_write_read_back(void **state)
{
	xlsx *x = xlsx_new();
	assert_non_null(x);
	assert_int_equal(xlsx_sheet(x, "Summary"), 0);
	xlsx_head(x, 0, 0, "Question");
	xlsx_head(x, 0, 1, "Stories");
	xlsx_text(x, 1, 0, "=HYPERLINK(\"http://evil.example\",\"click\")");
	xlsx_num(x, 1, 1, 42);
	xlsx_text(x, 2, 0, "@SUM(A1:A2)");
	xlsx_num(x, 2, 1, -3.5);
	xlsx_text(x, 3, 0, "+1");
	xlsx_text(x, 4, 0, "-1");
	xlsx_text(x, 5, 0, "<script>Zuid & \"co\"</script>");
	xlsx_num(x, 5, 1, 0.0 / 0.0); /* NaN: empty */
	xlsx_text(x, 6, 0, NULL);
	/* a text longer than a cell takes: cut */
	char *longt = malloc(40001);
	memset(longt, 'x', 40000);
	longt[40000] = 0;
	xlsx_text(x, 7, 0, longt);
	free(longt);
	/* the same name twice, and a name that is not allowed */
	assert_int_equal(xlsx_sheet(x, "summary"), 0);
	xlsx_text(x, 0, 0, "second");
	assert_int_equal(xlsx_sheet(x, "q/x:y"), 0);
	xlsx_text(x, 0, 0, "\u00e9\u00e9n verhaal");
	buf b;
	buf_init(&b);
	assert_int_equal(xlsx_finish(x, &b), 0);
	assert_true(b.len > 1000);
	assert_memory_equal(b.data, "PK", 2);
	char path[64];
	save(&b, path);
	buf_free(&b);
	char out[4096];
	int rc = python(path,
	                "import sys, openpyxl\n"
	                "wb = openpyxl.load_workbook(sys.argv[1])\n"
	                "print(\"|\".join(wb.sheetnames))\n"
	                "ws = wb[\"Summary\"]\n"
	                "for r in range(1, 9):\n"
	                "  for c in (\"A\", \"B\"):\n"
	                "    v = ws[c + str(r)]\n"
	                "    print(c + str(r), v.data_type, repr(v.value) if r < 8 else "
	                "len(v.value or \"\"))\n"
	                "print(\"bold\", ws[\"A1\"].font.b, ws[\"A2\"].font.b)\n"
	                "print(\"third\", wb[\"q-x-y\"][\"A1\"].value)\n",
	                out, sizeof out);
	unlink(path);
	if (rc != 0)
		print_message("%s\n", out);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "Summary|summary (2)|q-x-y\n"));
	/* formulas are strings ("s"), never formulas ("f") */
	assert_non_null(strstr(out, "A2 s '=HYPERLINK(\"http://evil.example\",\"click\")'\n"));
	assert_non_null(strstr(out, "A3 s '@SUM(A1:A2)'\n"));
	assert_non_null(strstr(out, "A4 s '+1'\n"));
	assert_non_null(strstr(out, "A5 s '-1'\n"));
	assert_null(strstr(out, " f "));
	/* numbers are numbers */
	assert_non_null(strstr(out, "B2 n 42\n"));
	assert_non_null(strstr(out, "B3 n -3.5\n"));
	assert_non_null(strstr(out, "A6 s '<script>Zuid & \"co\"</script>'\n"));
	assert_non_null(strstr(out, "B6 n None\n"));
	assert_non_null(strstr(out, "A7 n None\n"));
	assert_non_null(strstr(out, "A8 s 32767\n"));
	assert_non_null(strstr(out, "bold True False\n"));
	assert_non_null(strstr(out, "third \u00e9\u00e9n verhaal\n"));
}

static void test_empty_and_discard(void **state)
{
	/* a workbook without sheets gets one (Excel needs one) */
	xlsx *x = xlsx_new();
	assert_non_null(x);
	buf b;
	buf_init(&b);
	assert_int_equal(xlsx_finish(x, &b), 0);
	char path[64];
	save(&b, path);
	buf_free(&b);
	char out[512];
	int rc = python(path,
	                "import sys, openpyxl\n"
	                "print(openpyxl.load_workbook(sys.argv[1]).sheetnames)\n",
	                out, sizeof out);
	unlink(path);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "['Sheet']\n");
	/* discarding leaves no file behind (nothing to check but no leak or crash) */
	x = xlsx_new();
	assert_non_null(x);
	assert_int_equal(xlsx_sheet(x, "a"), 0);
	xlsx_text(x, 0, 0, "a");
	xlsx_discard(x);
	xlsx_discard(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sheet_names),
	        cmocka_unit_test(test_write_read_back),
	        cmocka_unit_test(test_empty_and_discard),
	};
	return cmocka_run_group_tests_name("xlsx", tests, NULL, NULL);
}
