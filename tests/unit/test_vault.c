/* test_vault.c: sealing, opening, binding to a place, key files and rotation. */
#include "testutil.h"

#include "core/vault.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], keyfile[96];

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/vp-test-vault-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(keyfile, sizeof keyfile, "%s/t.key", dir);
	char err[256];
	return vault_create_file(keyfile, err, sizeof err);
}

static int teardown(void **state)
{
	unlink(keyfile);
	rmdir(dir);
	return 0;
}

static vault *load(void)
{
	char err[256] = "";
	vault *v = vault_load(keyfile, err, sizeof err);
	if (!v)
		fail_msg("vault_load: %s", err);
	return v;
}

static void test_default_path(void **state)
{
	char *p = vault_default_path("var/vertelpunt.db");
	assert_string_equal(p, "var/vertelpunt.key");
	free(p);
	p = vault_default_path("data/x");
	assert_string_equal(p, "data/x.key");
	free(p);
	assert_null(vault_default_path("postgres://u@h/db"));
}

static void test_file_mode_and_exclusive(void **state)
{
	struct stat st;
	assert_int_equal(stat(keyfile, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char err[256] = "";
	assert_int_equal(vault_create_file(keyfile, err, sizeof err), -1);
	assert_non_null(strstr(err, "exists"));
	chmod(keyfile, 0640);
	assert_null(vault_load(keyfile, err, sizeof err));
	assert_non_null(strstr(err, "read by others"));
	chmod(keyfile, 0600);
}

static void test_seal_open(void **state)
{
	vault *v = load();
	const char *msg = "Wilhelmina, 06-12345678";
	buf a, b, out;
	buf_init(&a), buf_init(&b), buf_init(&out);
	vault_seal(v, msg, strlen(msg), "participant:1:contact", &a);
	vault_seal(v, msg, strlen(msg), "participant:1:contact", &b);
	assert_int_equal(a.len, strlen(msg) + VAULT_OVERHEAD);
	assert_memory_not_equal(a.data, b.data, a.len); /* fresh nonce each time */
	assert_null(memmem(a.data, a.len, "Wilhelmina", 10));
	assert_int_equal(vault_sealed_key_id(a.data, a.len), vault_active_id(v));
	assert_int_equal(vault_open(v, a.data, a.len, "participant:1:contact", &out), 0);
	assert_string_equal(out.data, msg);
	/* Another place, a flipped bit, a short value: refused. */
	buf_reset(&out);
	assert_int_equal(vault_open(v, a.data, a.len, "participant:2:contact", &out), -1);
	a.data[a.len - 1] ^= 1;
	assert_int_equal(vault_open(v, a.data, a.len, "participant:1:contact", &out), -1);
	assert_int_equal(vault_open(v, a.data, 10, "participant:1:contact", &out), -1);
	assert_int_equal(vault_sealed_key_id("x", 1), 0);
	buf_free(&a), buf_free(&b), buf_free(&out);
	vault_free(v);
}

static void test_empty_value(void **state)
{
	vault *v = load();
	buf a, out;
	buf_init(&a), buf_init(&out);
	vault_seal(v, "", 0, "x", &a);
	assert_int_equal(a.len, VAULT_OVERHEAD);
	assert_int_equal(vault_open(v, a.data, a.len, "x", &out), 0);
	assert_int_equal(out.len, 0);
	buf_free(&a), buf_free(&out);
	vault_free(v);
}

static void test_blind_index(void **state)
{
	vault *v = load();
	char a[65], b[65], c[65];
	vault_blind_index(v, "email", "a@b.nl", a);
	vault_blind_index(v, "email", "a@b.nl", b);
	vault_blind_index(v, "phone", "a@b.nl", c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c); /* the purpose is part of the hash */
	assert_int_equal(strlen(a), 64);
	vault_free(v);
}

static void test_rotation(void **state)
{
	vault *v = load();
	uint32_t first = vault_active_id(v);
	buf old, out;
	buf_init(&old), buf_init(&out);
	vault_seal(v, "geheim", 6, "p", &old);
	vault_free(v);
	char err[256] = "";
	assert_int_equal(vault_file_add_key(keyfile, err, sizeof err), 0);
	v = load();
	assert_int_equal(vault_active_id(v), first + 1);
	/* Old values still open while both keys are there. */
	assert_int_equal(vault_open(v, old.data, old.len, "p", &out), 0);
	assert_string_equal(out.data, "geheim");
	buf fresh;
	buf_init(&fresh);
	vault_seal(v, "nieuw", 5, "p", &fresh);
	assert_int_equal(vault_sealed_key_id(fresh.data, fresh.len), first + 1);
	vault_free(v);
	assert_int_equal(vault_file_keep_active(keyfile, err, sizeof err), 0);
	v = load();
	buf_reset(&out);
	assert_int_equal(vault_open(v, old.data, old.len, "p", &out), -1);
	assert_int_equal(vault_open(v, fresh.data, fresh.len, "p", &out), 0);
	struct stat st;
	assert_int_equal(stat(keyfile, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	buf_free(&old), buf_free(&out), buf_free(&fresh);
	vault_free(v);
}

static void test_bad_files(void **state)
{
	char path[128], err[256];
	snprintf(path, sizeof path, "%s/bad.key", dir);
	const char *bad[] = {
	        "",
	        "# only a comment\n",
	        "vpkey1 1 abc\n",
	        "vpkey1 0 0000000000000000000000000000000000000000000000000000000000000000\n",
	        "vpkey2 1 0000000000000000000000000000000000000000000000000000000000000000\n",
	        "vpkey1 1 zz00000000000000000000000000000000000000000000000000000000000000\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		FILE *f = fopen(path, "w");
		fputs(bad[i], f);
		fclose(f);
		chmod(path, 0600);
		assert_null(vault_load(path, err, sizeof err));
	}
	unlink(path);
	assert_null(vault_load(path, err, sizeof err));
	assert_non_null(strstr(err, "cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_default_path), cmocka_unit_test(test_file_mode_and_exclusive),
	        cmocka_unit_test(test_seal_open),    cmocka_unit_test(test_empty_value),
	        cmocka_unit_test(test_blind_index),  cmocka_unit_test(test_rotation),
	        cmocka_unit_test(test_bad_files),
	};
	return cmocka_run_group_tests_name("vault", tests, setup, teardown);
}
