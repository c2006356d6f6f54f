/* test_user.c: unit tests of staff accounts: roles, validation, passwords and storage. */
#include "testutil.h"
#include "testdb.h"

#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PASSWORD "correct horse battery staple"

/* One real argon2id hash, made once: hashing is slow by design. */
static char the_hash[PWHASH_MAX];

static int group_setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	log_set_enabled(0);
	return user_hash_password(PASSWORD, the_hash);
}

struct fixture {
	char dir[64];
	char path[96];
	db *d;
	int64_t org;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (test_db_make(f->dir, f->path, "user"))
		return -1;
	char err[256] = "";
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d || migrate_apply(f->d, NULL, err, sizeof err) != 0) {
		print_error("setup: %s\n", err);
		return -1;
	}
	if (org_ensure(f->d, "Gemeente Test", &f->org) != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

static int64_t add_user(struct fixture *f, const char *name, unsigned role)
{
	int64_t id = 0;
	assert_int_equal(user_insert(f->d, f->org, name, "Display", role, "fake-hash", 0, &id),
	                 DB_OK);
	assert_true(id > 0);
	return id;
}

static void add_session(db *d, int64_t user_id, const char *id_hash)
{
	db_stmt *s =
	        db_prepare(d, "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, "
	                      "last_seen, ip) VALUES (:h, :u, 'csrf', 0, 0, '')");
	db_bind_text(s, "h", id_hash);
	db_bind_int(s, "u", user_id);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
}

static int64_t sessions_of(db *d, int64_t user_id)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM sessions WHERE user_id = :u");
	db_bind_int(s, "u", user_id);
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

/* ---- roles ---- */

static void test_role_round_trip(void **state)
{
	static const struct {
		unsigned role;
		const char *name;
	} want[] = {
	        {ROLE_BEHEERDER, "beheerder"},
	        {ROLE_ONDERZOEKER, "onderzoeker"},
	        {ROLE_GESPREKSVOERDER, "gespreksvoerder"},
	        {ROLE_PROCESBEGELEIDER, "procesbegeleider"},
	        {ROLE_MEELEZER, "meelezer"},
	};
	unsigned all = 0;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_string_equal(role_name(want[i].role), want[i].name);
		assert_int_equal(role_parse(want[i].name), want[i].role);
		assert_int_equal(role_parse(role_name(want[i].role)), want[i].role);
		all |= want[i].role;
	}
	assert_int_equal(all, ROLE_ALL_STAFF);
}

static void test_role_invalid(void **state)
{
	assert_null(role_name(0));
	assert_null(role_name(ROLE_BEHEERDER | ROLE_MEELEZER)); /* one role, not a set */
	assert_null(role_name(1u << 5));
	assert_null(role_name(ROLE_ALL_STAFF));
	assert_int_equal(role_parse(NULL), 0);
	assert_int_equal(role_parse(""), 0);
	assert_int_equal(role_parse("Beheerder"), 0);
	assert_int_equal(role_parse("beheerder "), 0);
	assert_int_equal(role_parse("admin"), 0);
}

/* ---- validation ---- */

static void test_check_username(void **state)
{
	char s64[65], s65[66];
	memset(s64, 'a', 64), s64[64] = '\0';
	memset(s65, 'a', 65), s65[65] = '\0';
	assert_null(user_check_username("ab"));
	assert_null(user_check_username("ann.de-vries_2@gemeente"));
	assert_null(user_check_username(s64));
	static const char *bad_len[] = {NULL, "", "a"};
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(user_check_username(bad_len[i]),
		                    "A username has 2 to 64 characters.");
	assert_string_equal(user_check_username(s65), "A username has 2 to 64 characters.");
	static const char *bad_chars[] = {"Ann", "an n", "ann!", "j\xc3\xa9", "a/b", "a\nb", "a'b"};
	for (size_t i = 0; i < sizeof bad_chars / sizeof bad_chars[0]; i++) {
		const char *m = user_check_username(bad_chars[i]);
		if (!m)
			fail_msg("username \"%s\" accepted", bad_chars[i]);
		assert_string_equal(m,
		                    "A username has only lower-case letters, digits and . - _ @");
	}
}

static void test_check_display_name(void **state)
{
	assert_null(user_check_display_name("Ann de Vries"));
	assert_null(user_check_display_name("Zo\xc3\xab O'Brien <x>")); /* escaping is later */
	/* The limit is DISPLAY_NAME_MAX characters (code points), not bytes. */
	char ok[DISPLAY_NAME_MAX + 1], longer[DISPLAY_NAME_MAX + 2];
	char wide[DISPLAY_NAME_MAX * 2 + 1]; /* 128 x U+00EB, two bytes each */
	memset(ok, 'x', sizeof ok - 1), ok[sizeof ok - 1] = '\0';
	memset(longer, 'x', sizeof longer - 1), longer[sizeof longer - 1] = '\0';
	for (int i = 0; i < DISPLAY_NAME_MAX; i++)
		wide[2 * i] = '\xc3', wide[2 * i + 1] = '\xab';
	wide[sizeof wide - 1] = '\0';
	assert_null(user_check_display_name(ok));
	assert_null(user_check_display_name(wide));
	assert_string_equal(user_check_display_name(NULL), "Fill in a name.");
	assert_string_equal(user_check_display_name(""), "Fill in a name.");
	static const char *bad[] = {"a\nb", "a\rb", "a\tb",        "a\x01",
	                            "\xff", "\xc3", "\xed\xa0\x80"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_string_equal(user_check_display_name(bad[i]),
		                    "The name is too long or has characters that are not allowed.");
	assert_string_equal(user_check_display_name(longer),
	                    "The name is too long or has characters that are not allowed.");
}

static void test_check_password(void **state)
{
	assert_string_equal(user_check_password(NULL), "A password has at least 12 characters.");
	assert_string_equal(user_check_password(""), "A password has at least 12 characters.");
	assert_string_equal(user_check_password("12345678901"),
	                    "A password has at least 12 characters.");
	assert_null(user_check_password("123456789012"));
	assert_null(user_check_password("een zin van w\xc3\xb3rden"));
	char max[PASSWORD_MAX + 1], over[PASSWORD_MAX + 2];
	memset(max, 'p', sizeof max - 1), max[sizeof max - 1] = '\0';
	memset(over, 'p', sizeof over - 1), over[sizeof over - 1] = '\0';
	assert_null(user_check_password(max));
	const char *msg = "The password is too long or has characters that are not allowed.";
	assert_string_equal(user_check_password(over), msg);
	assert_string_equal(user_check_password("123456789012\xff"), msg);
	assert_string_equal(user_check_password("123456789012\x1b"), msg);
}

/* ---- passwords ---- */

static void test_hash_format(void **state)
{
	assert_int_equal(strncmp(the_hash, "$argon2id$", 10), 0);
	assert_true(strlen(the_hash) < PWHASH_MAX);
	assert_null(strstr(the_hash, PASSWORD));
}

static void test_hash_salted(void **state)
{
	char other[PWHASH_MAX];
	assert_int_equal(user_hash_password(PASSWORD, other), 0);
	assert_string_not_equal(other, the_hash);
}

static void test_verify(void **state)
{
	assert_int_equal(user_verify_password(the_hash, PASSWORD), 1);
	assert_int_equal(user_verify_password(the_hash, PASSWORD "x"), 0);
}

static void test_verify_missing_hash(void **state)
{
	/* Unknown user: no match, whatever the password. */
	assert_int_equal(user_verify_password(NULL, PASSWORD), 0);
	assert_int_equal(user_verify_password("", PASSWORD), 0);
	assert_int_equal(user_verify_password(NULL, "vertelpunt-dummy-password"), 0);
	assert_int_equal(user_verify_password(the_hash, NULL), 0);
	assert_int_equal(user_verify_password("not a hash", PASSWORD), 0);
}

static void test_generate_password(void **state)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	char prev[25] = "";
	int seen[256] = {0};
	for (int n = 0; n < 200; n++) {
		char pw[25];
		memset(pw, 'Z', sizeof pw);
		user_generate_password(pw);
		assert_int_equal(strlen(pw), 24);
		for (int i = 0; i < 24; i++) {
			if (i % 5 == 4) {
				assert_int_equal(pw[i], '-');
			} else {
				if (!strchr(alphabet, pw[i]) || pw[i] == '\0')
					fail_msg("character '%c' in %s", pw[i], pw);
				seen[(unsigned char)pw[i]]++;
			}
		}
		assert_null(user_check_password(pw));
		assert_string_not_equal(pw, prev);
		memcpy(prev, pw, sizeof pw);
	}
	/* Look-alikes never appear; the alphabet is used widely. */
	assert_int_equal(seen['0'] + seen['1'] + seen['l'] + seen['o'] + seen['O'] + seen['I'], 0);
	int used = 0;
	for (const char *a = alphabet; *a; a++)
		used += seen[(unsigned char)*a] > 0;
	assert_true(used >= 30);
}

/* ---- organisations ---- */

static void test_org_ensure(void **state)
{
	struct fixture *f = *state;
	int64_t a = 0, b = 0, c = 0;
	assert_int_equal(org_ensure(f->d, "Gemeente Test", &a), DB_OK);
	assert_int_equal(a, f->org); /* made in setup: found, not made again */
	assert_int_equal(org_ensure(f->d, "Gemeente Ander", &b), DB_OK);
	assert_int_not_equal(b, a);
	assert_int_equal(org_ensure(f->d, "Gemeente Ander", &c), DB_OK);
	assert_int_equal(c, b);
	db_stmt *s = db_prepare(f->d, "SELECT COUNT(*) FROM organisations");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 2);
	db_finalize(s);
	char name[64];
	assert_int_equal(org_name(f->d, b, name, sizeof name), DB_ROW);
	assert_string_equal(name, "Gemeente Ander");
	assert_int_equal(org_name(f->d, 9999, name, sizeof name), DB_DONE);
}

/* ---- users ---- */

static void test_insert_and_lookup(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0;
	assert_int_equal(user_count(f->d), 0);
	assert_int_equal(user_insert(f->d, f->org, "ann", "Ann de Vries", ROLE_ONDERZOEKER,
	                             the_hash, 1, &id),
	                 DB_OK);
	assert_true(id > 0);
	assert_int_equal(user_count(f->d), 1);

	struct user u;
	char hash[PWHASH_MAX] = "";
	assert_int_equal(user_by_name(f->d, "ann", &u, hash), DB_ROW);
	assert_int_equal(u.id, id);
	assert_int_equal(u.org_id, f->org);
	assert_string_equal(u.username, "ann");
	assert_string_equal(u.display_name, "Ann de Vries");
	assert_int_equal(u.role, ROLE_ONDERZOEKER);
	assert_int_equal(u.disabled, 0);
	assert_int_equal(u.must_change_password, 1);
	assert_string_equal(hash, the_hash);
	assert_int_equal(user_verify_password(hash, PASSWORD), 1);

	struct user v;
	assert_int_equal(user_by_id(f->d, id, &v), DB_ROW);
	assert_int_equal(v.id, id);
	assert_string_equal(v.username, "ann");
	assert_string_equal(v.display_name, "Ann de Vries");
	assert_int_equal(v.role, ROLE_ONDERZOEKER);
	assert_int_equal(v.must_change_password, 1);

	assert_int_equal(user_by_name(f->d, "ann", &u, NULL), DB_ROW); /* hash not wanted */
	assert_int_equal(user_by_name(f->d, "bob", &u, NULL), DB_DONE);
	assert_int_equal(user_by_name(f->d, "ANN", &u, NULL), DB_DONE);
	assert_int_equal(user_by_id(f->d, id + 1000, &v), DB_DONE);
}

static void test_insert_duplicate(void **state)
{
	struct fixture *f = *state;
	add_user(f, "ann", ROLE_BEHEERDER);
	int64_t id = -77;
	assert_int_equal(user_insert(f->d, f->org, "ann", "Other Ann", ROLE_MEELEZER, "h", 0, &id),
	                 DB_CONSTRAINT);
	assert_int_equal(id, -77);
	assert_int_equal(user_count(f->d), 1);
	struct user u;
	assert_int_equal(user_by_name(f->d, "ann", &u, NULL), DB_ROW);
	assert_int_equal(u.role, ROLE_BEHEERDER); /* the first one is untouched */
}

static void test_insert_bad_org(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(user_insert(f->d, f->org + 100, "zed", "Zed", ROLE_MEELEZER, "h", 0, NULL),
	                 DB_CONSTRAINT);
	assert_int_equal(user_count(f->d), 0);
}

static void test_set_role(void **state)
{
	struct fixture *f = *state;
	int64_t id = add_user(f, "ann", ROLE_MEELEZER);
	assert_int_equal(user_set_role(f->d, id, ROLE_PROCESBEGELEIDER), DB_OK);
	struct user u;
	assert_int_equal(user_by_id(f->d, id, &u), DB_ROW);
	assert_int_equal(u.role, ROLE_PROCESBEGELEIDER);
	assert_int_equal(user_set_role(f->d, id + 1000, ROLE_BEHEERDER), DB_DONE);
}

static void test_set_disabled(void **state)
{
	struct fixture *f = *state;
	int64_t ann = add_user(f, "ann", ROLE_MEELEZER);
	int64_t bob = add_user(f, "bob", ROLE_MEELEZER);
	add_session(f->d, ann, "a1");
	add_session(f->d, ann, "a2");
	add_session(f->d, bob, "b1");
	assert_int_equal(user_set_disabled(f->d, ann, 1), DB_OK);
	struct user u;
	assert_int_equal(user_by_id(f->d, ann, &u), DB_ROW);
	assert_int_equal(u.disabled, 1);
	assert_int_equal(sessions_of(f->d, ann), 0);
	assert_int_equal(sessions_of(f->d, bob), 1); /* only ann's sessions end */

	assert_int_equal(user_set_disabled(f->d, ann, 0), DB_OK);
	assert_int_equal(user_by_id(f->d, ann, &u), DB_ROW);
	assert_int_equal(u.disabled, 0);
	assert_int_equal(user_set_disabled(f->d, ann + 1000, 1), DB_DONE);
	assert_int_equal(user_set_disabled(f->d, ann + 1000, 0), DB_DONE);
}

static void test_set_password(void **state)
{
	struct fixture *f = *state;
	int64_t ann = add_user(f, "ann", ROLE_MEELEZER);
	int64_t bob = add_user(f, "bob", ROLE_MEELEZER);
	add_session(f->d, ann, "a1");
	add_session(f->d, bob, "b1");
	assert_int_equal(user_set_password(f->d, ann, the_hash, 1), DB_OK);
	assert_int_equal(sessions_of(f->d, ann), 0);
	assert_int_equal(sessions_of(f->d, bob), 1);
	struct user u;
	char hash[PWHASH_MAX];
	assert_int_equal(user_by_name(f->d, "ann", &u, hash), DB_ROW);
	assert_string_equal(hash, the_hash);
	assert_int_equal(u.must_change_password, 1);
	assert_int_equal(user_set_password(f->d, ann, "other", 0), DB_OK);
	assert_int_equal(user_by_name(f->d, "ann", &u, hash), DB_ROW);
	assert_string_equal(hash, "other");
	assert_int_equal(u.must_change_password, 0);
	assert_int_equal(user_set_password(f->d, ann + 1000, "x", 0), DB_DONE);
}

static void test_list_json(void **state)
{
	struct fixture *f = *state;
	int64_t zed = 0;
	assert_int_equal(user_insert(f->d, f->org, "zed", "Zed \"Z\" <b>&</b>\n", ROLE_MEELEZER,
	                             the_hash, 0, &zed),
	                 DB_OK);
	int64_t ann = add_user(f, "ann", ROLE_BEHEERDER);
	assert_int_equal(user_set_disabled(f->d, ann, 1), DB_OK);

	buf out;
	buf_init(&out);
	assert_int_equal(user_list_json(f->d, &out), DB_OK);
	assert_null(strstr(out.data, "$argon2id$"));
	assert_null(strstr(out.data, "fake-hash"));
	assert_null(strstr(out.data, "<b>")); /* '<' is escaped in JSON strings */

	json_error_t jerr;
	json_t *arr = json_loads(out.data, 0, &jerr);
	if (!arr)
		fail_msg("invalid JSON (%s): %s", jerr.text, out.data);
	assert_true(json_is_array(arr));
	assert_int_equal(json_array_size(arr), 2);
	json_t *a = json_array_get(arr, 0), *z = json_array_get(arr, 1);
	/* Ordered by username. */
	assert_string_equal(json_string_value(json_object_get(a, "username")), "ann");
	assert_int_equal(json_integer_value(json_object_get(a, "id")), ann);
	assert_string_equal(json_string_value(json_object_get(a, "role")), "beheerder");
	assert_true(json_is_true(json_object_get(a, "disabled")));
	assert_string_equal(json_string_value(json_object_get(z, "username")), "zed");
	assert_string_equal(json_string_value(json_object_get(z, "name")), "Zed \"Z\" <b>&</b>\n");
	assert_true(json_is_false(json_object_get(z, "disabled")));
	assert_true(json_is_false(json_object_get(z, "must_change_password")));
	const char *at = json_string_value(json_object_get(z, "created_at"));
	assert_non_null(at);
	assert_int_equal(strlen(at), 20);
	assert_int_equal(at[10], 'T');
	assert_int_equal(at[19], 'Z');
	/* No key holds the hash, under any name. */
	for (size_t i = 0; i < 2; i++) {
		const char *key;
		json_t *val;
		json_object_foreach(json_array_get(arr, i), key, val)
		{
			assert_null(strstr(key, "hash"));
			assert_null(strstr(key, "password_hash"));
			if (json_is_string(val))
				assert_string_not_equal(json_string_value(val), the_hash);
		}
	}
	json_decref(arr);
	buf_free(&out);
}

static void test_list_json_empty(void **state)
{
	struct fixture *f = *state;
	buf out;
	buf_init(&out);
	assert_int_equal(user_list_json(f->d, &out), DB_OK);
	assert_string_equal(out.data, "[]");
	buf_free(&out);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_role_round_trip),
	        cmocka_unit_test(test_role_invalid),
	        cmocka_unit_test(test_check_username),
	        cmocka_unit_test(test_check_display_name),
	        cmocka_unit_test(test_check_password),
	        cmocka_unit_test(test_hash_format),
	        cmocka_unit_test(test_hash_salted),
	        cmocka_unit_test(test_verify),
	        cmocka_unit_test(test_verify_missing_hash),
	        cmocka_unit_test(test_generate_password),
	        T(test_org_ensure),
	        T(test_insert_and_lookup),
	        T(test_insert_duplicate),
	        T(test_insert_bad_org),
	        T(test_set_role),
	        T(test_set_disabled),
	        T(test_set_password),
	        T(test_list_json),
	        T(test_list_json_empty),
	};
#undef T
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
