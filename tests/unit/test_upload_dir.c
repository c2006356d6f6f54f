/* test_upload_dir.c: the upload folder of a server database (var/uploads) is made, var/ included, when the first picture is stored. */
#include "testutil.h"

#include "model/upload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_default_for_url(void **state)
{
	(void)state;
	char out[256];
	upload_dir_default("postgres://vp@127.0.0.1:5432/vp", out, sizeof out);
	assert_string_equal(out, "var/uploads");
	upload_dir_default("/srv/vp/var/vertelpunt.db", out, sizeof out);
	assert_string_equal(out, "/srv/vp/var/uploads");
}

/* A working folder without var/ (a fresh instance on PostgreSQL): the
 * first picture makes var/ and var/uploads and lands in it. */
static void test_store_makes_parent(void **state)
{
	(void)state;
	char tmp[] = "/tmp/vp-upload-dir-XXXXXX", dir[128], path[192], err[256] = "";
	assert_non_null(mkdtemp(tmp));
	snprintf(dir, sizeof dir, "%s/var/uploads", tmp);
	const char *token = "0123456789abcdef0123456789abcdef";
	assert_int_equal(upload_file_store(dir, token, "abc", 3, err, sizeof err), 0);
	snprintf(path, sizeof path, "%s/%s", dir, token);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 3);
	/* Two missing levels above the folder are not made: a clear error. */
	snprintf(dir, sizeof dir, "%s/a/b/uploads", tmp);
	assert_int_equal(upload_file_store(dir, token, "abc", 3, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot create"));
	snprintf(path, sizeof path, "rm -rf '%s'", tmp);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_default_for_url),
	                                   cmocka_unit_test(test_store_makes_parent)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
