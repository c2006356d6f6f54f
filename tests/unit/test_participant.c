/* test_participant.c: codes, normalisation, sealed contacts, blind-index lookups, corrections, re-sealing. */
#include "testutil.h"
#include "testdb.h"

#include "core/log.h"
#include "db/migrate.h"
#include "model/participant.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

struct fixture {
	char dir[64];
	char path[96];
	char key[128];
	db *d;
	vault *v;
};

static int setup(void **state)
{
	log_set_enabled(0);
	if (sodium_init() < 0)
		return -1;
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_db_make(f->dir, f->path, "participant"))
		return -1;
	snprintf(f->key, sizeof f->key, "%s/k.key", f->dir);
	char err[256] = "";
	if (vault_create_file(f->key, err, sizeof err) ||
	    !(f->v = vault_load(f->key, err, sizeof err)))
		return -1;
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d || migrate_apply(f->d, NULL, err, sizeof err))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	vault_free(f->v);
	unlink(f->key);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

static json_t *find(struct fixture *f, const char *q)
{
	buf out;
	buf_init(&out);
	assert_int_equal(participant_find_json(f->d, f->v, q, &out), DB_OK);
	json_t *j = json_loads(out.data, 0, NULL);
	assert_non_null(j);
	assert_true(json_is_array(j));
	buf_free(&out);
	return j;
}

static void test_normalise(void **state)
{
	char out[CONTACT_FIELD_MAX + 1];
	contact_norm_email("  Jan.Jansen@Example.NL \t", out);
	assert_string_equal(out, "jan.jansen@example.nl");
	contact_norm_phone("+31 (6) 1234-5678", out);
	assert_string_equal(out, "0612345678");
	contact_norm_phone("0031 20 123 4567", out);
	assert_string_equal(out, "0201234567");
	contact_norm_phone("06 1234 5678", out);
	assert_string_equal(out, "0612345678");
	contact_norm_name("  Jan   de  VRIES ", out);
	assert_string_equal(out, "jan de vries");
}

static void test_check(void **state)
{
	struct contact ok = {"Jan", "Straat 1", "06-12345678", "jan@example.nl"};
	assert_null(contact_check(&ok));
	struct contact bad_mail = {.email = "jan at example"};
	assert_non_null(contact_check(&bad_mail));
	struct contact bad_phone = {.phone = "bel me"};
	assert_non_null(contact_check(&bad_phone));
	struct contact bad_utf8 = {.name = "\xff"};
	assert_non_null(contact_check(&bad_utf8));
	char longname[CONTACT_FIELD_MAX + 2];
	memset(longname, 'a', sizeof longname - 1), longname[sizeof longname - 1] = '\0';
	struct contact too_long = {.name = longname};
	assert_non_null(contact_check(&too_long));
}

static void test_create_and_find(void **state)
{
	struct fixture *f = *state;
	char code[PARTICIPANT_CODE_LEN + 1];
	int64_t id;
	struct contact c = {"Fatima el Amrani", "Dorpsstraat 12", "+31 6 11122233",
	                    "fatima@example.nl"};
	assert_int_equal(participant_create(f->d, f->v, &c, code, &id), DB_OK);
	assert_int_equal(strlen(code), PARTICIPANT_CODE_LEN);
	assert_memory_equal(code, "VP-", 3);
	assert_int_equal(code[7], '-');
	const char *queries[] = {code, "FATIMA@example.nl", "06-11122233", "fatima  EL amrani"};
	for (size_t i = 0; i < 4; i++) {
		json_t *j = find(f, queries[i]);
		assert_int_equal(json_array_size(j), 1);
		json_t *p = json_array_get(j, 0);
		assert_string_equal(json_string_value(json_object_get(p, "code")), code);
		json_t *ct = json_object_get(p, "contact");
		assert_string_equal(json_string_value(json_object_get(ct, "address")),
		                    "Dorpsstraat 12");
		json_decref(j);
	}
	/* Nothing in clear in the table. */
	db_stmt *s =
	        db_prepare(f->d, "SELECT COUNT(*) FROM participant_contacts "
	                         "WHERE instr(sealed, 'Fatima') > 0 OR email_index LIKE '%@%'");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
	/* A participant without contact data. */
	struct contact none = {0};
	assert_int_equal(participant_create(f->d, f->v, &none, code, &id), DB_OK);
	json_t *j = find(f, code);
	assert_int_equal(json_array_size(j), 1);
	assert_int_equal(json_object_size(json_object_get(json_array_get(j, 0), "contact")), 0);
	json_decref(j);
	/* A short number does not match everything without a phone. */
	j = find(f, "12");
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
}

static void test_sealed_value_bound_to_row(void **state)
{
	struct fixture *f = *state;
	char a[PARTICIPANT_CODE_LEN + 1], b[PARTICIPANT_CODE_LEN + 1];
	int64_t ia, ib;
	struct contact ca = {.name = "Anna Swap"}, cb = {.name = "Bert Swap"};
	assert_int_equal(participant_create(f->d, f->v, &ca, a, &ia), DB_OK);
	assert_int_equal(participant_create(f->d, f->v, &cb, b, &ib), DB_OK);
	/* Copy Anna's sealed data onto Bert's row: it must not open there. */
	db_stmt *s = db_prepare(f->d, "UPDATE participant_contacts SET sealed = (SELECT sealed "
	                              "FROM participant_contacts WHERE participant_id = :a) "
	                              "WHERE participant_id = :b");
	db_bind_int(s, "a", ia);
	db_bind_int(s, "b", ib);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	json_t *j = find(f, b);
	json_t *p = json_array_get(j, 0);
	assert_true(json_is_null(json_object_get(p, "contact")));
	assert_true(json_is_true(json_object_get(p, "contact_error")));
	json_decref(j);
}

static void test_correct_merges(void **state)
{
	struct fixture *f = *state;
	char code[PARTICIPANT_CODE_LEN + 1];
	int64_t id;
	struct contact c = {"Kees Correct", NULL, "0611223344", "kees@example.nl"};
	assert_int_equal(participant_create(f->d, f->v, &c, code, &id), DB_OK);
	struct contact change = {.email = "kees.nieuw@example.nl", .phone = ""};
	assert_int_equal(participant_set_contact(f->d, f->v, id, &change), DB_OK);
	json_t *j = find(f, "kees.nieuw@example.nl");
	assert_int_equal(json_array_size(j), 1);
	json_t *ct = json_object_get(json_array_get(j, 0), "contact");
	assert_string_equal(json_string_value(json_object_get(ct, "name")), "Kees Correct");
	assert_null(json_object_get(ct, "phone"));
	json_decref(j);
	j = find(f, "kees@example.nl");
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	j = find(f, "0611223344");
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	assert_int_equal(participant_set_contact(f->d, f->v, 999999, &change), DB_DONE);
}

static void test_reseal_after_rotation(void **state)
{
	struct fixture *f = *state;
	char code[PARTICIPANT_CODE_LEN + 1], err[256];
	int64_t id;
	struct contact c = {.name = "Rita Roteer", .email = "rita@example.nl"};
	assert_int_equal(participant_create(f->d, f->v, &c, code, &id), DB_OK);
	assert_int_equal(vault_file_add_key(f->key, err, sizeof err), 0);
	vault_free(f->v);
	f->v = vault_load(f->key, err, sizeof err);
	assert_non_null(f->v);
	/* The index is keyed by the active key: found again only after re-sealing. */
	json_t *j = find(f, "rita@example.nl");
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	int64_t n = participant_reseal_all(f->d, f->v);
	assert_true(n >= 1);
	j = find(f, "rita@example.nl");
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	db_stmt *s = db_prepare(f->d, "SELECT COUNT(*) FROM participant_contacts "
	                              "WHERE key_id <> :k");
	db_bind_int(s, "k", vault_active_id(f->v));
	assert_int_equal(db_step(s), DB_ROW);
	/* Only the row spoiled on purpose in the swap test may remain. */
	assert_true(db_col_int(s, 0) <= 1);
	db_finalize(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_normalise),
	        cmocka_unit_test(test_check),
	        cmocka_unit_test(test_create_and_find),
	        cmocka_unit_test(test_correct_merges),
	        cmocka_unit_test(test_reseal_after_rotation),
	        cmocka_unit_test(test_sealed_value_bound_to_row),
	};
	return cmocka_run_group_tests_name("participant", tests, setup, teardown);
}
