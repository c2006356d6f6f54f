/* test_audit_seal.c: unit tests of the keyed seals of the access log's head: sealing, verifying, rewrites, forgeries, rotation. */
#include "testutil.h"
#include "testdb.h"

#include "core/log.h"
#include "core/vault.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
	char dir[64];
	char path[96];
	char key[128];
	db *d;
	vault *v;
};

static int group_setup(void **state)
{
	log_set_enabled(0);
	return sodium_init() < 0 ? -1 : 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_db_make(f->dir, f->path, "seal"))
		return -1;
	char err[256] = "";
	snprintf(f->key, sizeof f->key, "%s/test.key", f->dir);
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d || migrate_apply(f->d, NULL, err, sizeof err) != 0 ||
	    vault_create_file(f->key, err, sizeof err) != 0 ||
	    !(f->v = vault_load(f->key, err, sizeof err))) {
		print_error("setup: %s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	vault_free(f->v);
	unlink(f->key);
	char tmp[160];
	snprintf(tmp, sizeof tmp, "%s.tmp", f->key);
	unlink(tmp);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

static struct audit_entry entry(const char *object_id, const char *actor)
{
	return (struct audit_entry){.at = 1700000000,
	                            .actor_user_id = 7,
	                            .actor = actor,
	                            .action = "view",
	                            .object_type = "story",
	                            .object_id = object_id,
	                            .subject_code = "P-AAAA",
	                            .origin = "192.0.2.1"};
}

/* Appends entries first..last (object ids) in one transaction. */
static void append_range(db *d, int first, int last, const char *actor)
{
	assert_int_equal(db_begin(d), DB_OK);
	for (int i = first; i <= last; i++) {
		char id[16];
		snprintf(id, sizeof id, "%d", i);
		struct audit_entry e = entry(id, actor);
		assert_int_equal(audit_append(d, &e), DB_OK);
	}
	assert_int_equal(db_commit(d), DB_OK);
}

/* audit_seal in its own transaction, as a writer job would run it. */
static int64_t seal(struct fixture *f, int64_t now)
{
	assert_int_equal(db_begin(f->d), DB_OK);
	int64_t id = audit_seal(f->d, f->v, now);
	if (id >= 0)
		assert_int_equal(db_commit(f->d), DB_OK);
	else
		assert_int_equal(db_rollback(f->d), DB_OK);
	return id;
}

static int64_t count_seals(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_seals");
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

static void verify_expect(struct fixture *f, int want_rc, int64_t want_rows, int64_t want_seals,
                          int64_t want_bad)
{
	int64_t rows = -1, seals = -1, bad = -1;
	assert_int_equal(audit_verify_sealed(f->d, f->v, &rows, &seals, &bad), want_rc);
	assert_int_equal(rows, want_rows);
	assert_int_equal(seals, want_seals);
	assert_int_equal(bad, want_bad);
}

/* A second connection, as someone with the file would use. */
static db *raw_connection(struct fixture *f)
{
	char err[256];
	db *raw = db_open(f->path, err, sizeof err);
	assert_non_null(raw);
	return raw;
}

/* ---- sealing ---- */

static void test_empty_log_needs_no_seal(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(seal(f, 1700000100), 0);
	assert_int_equal(count_seals(f->d), 0);
	verify_expect(f, DB_OK, 0, 0, 0);
}

static void test_seal_then_verify(void **state)
{
	struct fixture *f = *state;
	append_range(f->d, 1, 5, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	verify_expect(f, DB_OK, 5, 1, 0);

	struct audit_seal_info last;
	assert_int_equal(audit_seal_last(f->d, &last), DB_OK);
	assert_int_equal(last.seal_id, 1);
	assert_int_equal(last.log_id, 5);
	assert_int_equal(last.key_id, vault_active_id(f->v));
	assert_int_equal(last.at, 1700000100);
	db_stmt *s = db_prepare(f->d, "SELECT hash FROM audit_log WHERE id = 5");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(last.log_hash, db_col_text(s, 0));
	db_finalize(s);

	append_range(f->d, 6, 7, "anna");
	assert_int_equal(seal(f, 1700000200), 2);
	verify_expect(f, DB_OK, 7, 2, 0);
}

/* The mac is HMAC-SHA-256 over "log_id|log_hash|at|key_id" with the key
 * BLAKE2b-256(key = vault key, message "vertelpunt audit-seal v1"), as
 * docs/privacy-log.md says, so it can be checked without this program.
 * Computed here independently with libsodium's one-shot functions. */
static void test_mac_as_documented(void **state)
{
	struct fixture *f = *state;
	append_range(f->d, 1, 2, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	struct audit_seal_info last;
	assert_int_equal(audit_seal_last(f->d, &last), DB_OK);
	unsigned char sub[32], mac[32];
	crypto_generichash(sub, 32, (const unsigned char *)"vertelpunt audit-seal v1", 24,
	                   vault_key(f->v, last.key_id), 32);
	char text[200], hex[65];
	int n = snprintf(text, sizeof text, "2|%s|1700000100|%u", last.log_hash,
	                 (unsigned)last.key_id);
	crypto_auth_hmacsha256(mac, (const unsigned char *)text, (unsigned long long)n, sub);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	db_stmt *s = db_prepare(f->d, "SELECT mac FROM audit_seals WHERE id = 1");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), hex);
	db_finalize(s);
}

static void test_no_new_seal_when_head_still(void **state)
{
	struct fixture *f = *state;
	append_range(f->d, 1, 3, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	assert_int_equal(seal(f, 1700000200), 0);
	assert_int_equal(seal(f, 1700000300), 0);
	assert_int_equal(count_seals(f->d), 1);
	append_range(f->d, 4, 4, "anna");
	assert_int_equal(seal(f, 1700000400), 2);
	assert_int_equal(count_seals(f->d), 2);
}

static void test_seals_append_only(void **state)
{
	struct fixture *f = *state;
	append_range(f->d, 1, 3, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	assert_int_equal(db_exec(f->d, "UPDATE audit_seals SET log_id = 2"), DB_CONSTRAINT);
	assert_non_null(strstr(db_errmsg(f->d), "append-only"));
	assert_int_equal(db_exec(f->d, "DELETE FROM audit_seals"), DB_CONSTRAINT);
	assert_int_equal(count_seals(f->d), 1);
}

/* ---- what the seal finds ---- */

/* Someone with the file rewrites rows 4..8 and recomputes every hash after
 * them, with the program's own append: the chain alone is intact again, the
 * seals are not. The first sealed row at or after the change is reported. */
static void test_consistent_rewrite_found(void **state)
{
	struct fixture *f = *state;
	append_range(f->d, 1, 3, "anna");
	assert_int_equal(seal(f, 1700000100), 1); /* row 3 */
	append_range(f->d, 4, 6, "anna");
	assert_int_equal(seal(f, 1700000200), 2); /* row 6 */
	append_range(f->d, 7, 8, "anna");
	assert_int_equal(seal(f, 1700000300), 3); /* row 8 */
	verify_expect(f, DB_OK, 8, 3, 0);

	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_delete", "audit_log"), DB_OK);
	assert_int_equal(db_exec(raw, "DELETE FROM audit_log WHERE id >= 4"), DB_OK);
	append_range(raw, 4, 8, "someone else");
	db_close(raw);

	int64_t rows = -1, bad = -1;
	assert_int_equal(audit_verify(f->d, &rows, &bad), DB_OK); /* the chain is fooled */
	assert_int_equal(rows, 8);
	verify_expect(f, AUDIT_BROKEN, 8, 1, 6);
	/* Nor does a new seal bless the rewritten chain. */
	append_range(f->d, 9, 9, "anna");
	assert_int_equal(seal(f, 1700000400), AUDIT_BROKEN);
	assert_int_equal(count_seals(f->d), 3);
}

/* A rewrite that also replaces the seals' log_hash cannot make the macs. */
static void test_rewritten_seal_hash_found(void **state)
{
	struct fixture *f = *state;
	append_range(f->d, 1, 4, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_delete", "audit_log"), DB_OK);
	assert_int_equal(test_drop_trigger(raw, "audit_seals_no_update", "audit_seals"), DB_OK);
	assert_int_equal(db_exec(raw, "DELETE FROM audit_log WHERE id >= 2"), DB_OK);
	append_range(raw, 2, 4, "someone else");
	assert_int_equal(db_exec(raw, "UPDATE audit_seals SET log_hash = "
	                              "(SELECT hash FROM audit_log WHERE id = 4)"),
	                 DB_OK);
	db_close(raw);
	verify_expect(f, AUDIT_BROKEN, 4, 0, 4);
}

static void test_forged_mac_refused(void **state)
{
	struct fixture *f = *state;
	append_range(f->d, 1, 3, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	append_range(f->d, 4, 5, "anna");
	/* Inserting is what the triggers allow: a seal of row 5 with a made-up
	 * mac under the active key's id. */
	db_stmt *s = db_prepare(f->d, "INSERT INTO audit_seals (id, log_id, log_hash, key_id, at, "
	                              "mac) SELECT 2, id, hash, :key, 1700000200, :mac "
	                              "FROM audit_log WHERE id = 5");
	db_bind_int(s, "key", vault_active_id(f->v));
	db_bind_text(s, "mac", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	verify_expect(f, AUDIT_BROKEN, 5, 1, 5);
	append_range(f->d, 6, 6, "anna");
	assert_int_equal(seal(f, 1700000300), AUDIT_BROKEN);
}

/* A seal moved to another row (its mac covers the row id) is refused. */
static void test_seal_of_other_row_refused(void **state)
{
	struct fixture *f = *state;
	append_range(f->d, 1, 3, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_seals_no_update", "audit_seals"), DB_OK);
	assert_int_equal(db_exec(raw, "UPDATE audit_seals SET log_id = 2, log_hash = "
	                              "(SELECT hash FROM audit_log WHERE id = 2)"),
	                 DB_OK);
	db_close(raw);
	verify_expect(f, AUDIT_BROKEN, 3, 0, 2);
}

/* A sealed row changed without recomputing anything breaks the chain
 * first; the chain's own check reports it. */
static void test_changed_sealed_row_refused(void **state)
{
	struct fixture *f = *state;
	append_range(f->d, 1, 3, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_update", "audit_log"), DB_OK);
	assert_int_equal(db_exec(raw, "UPDATE audit_log SET hash = prev_hash WHERE id = 3"), DB_OK);
	db_close(raw);
	verify_expect(f, AUDIT_BROKEN, 2, 0, 3);
	assert_int_equal(seal(f, 1700000200), AUDIT_BROKEN);
}

/* ---- keys ---- */

/* Seals made with a key the file no longer holds are skipped, not
 * failed; the others are still checked. */
static void test_verify_after_rotation(void **state)
{
	struct fixture *f = *state;
	char err[256];
	append_range(f->d, 1, 3, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	uint32_t old = vault_active_id(f->v);

	/* Step one of a rotation: both keys in the file. */
	assert_int_equal(vault_file_add_key(f->key, err, sizeof err), 0);
	vault_free(f->v);
	f->v = vault_load(f->key, err, sizeof err);
	assert_non_null(f->v);
	assert_int_not_equal(vault_active_id(f->v), old);
	verify_expect(f, DB_OK, 3, 1, 0); /* the old seal checks with the old key */

	/* The head did not move, but its seal is under the old key. */
	assert_int_equal(db_begin(f->d), DB_OK);
	int64_t id = audit_seal_rotation(f->d, f->v, 1700000200, "cli:test");
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(id, 2);
	struct audit_seal_info last;
	assert_int_equal(audit_seal_last(f->d, &last), DB_OK);
	assert_int_equal(last.log_id, 4); /* the rotation's own entry */
	assert_int_equal(last.key_id, vault_active_id(f->v));
	db_stmt *s = db_prepare(f->d, "SELECT action, object_type, detail FROM audit_log "
	                              "WHERE id = 4");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "seal");
	assert_string_equal(db_col_text(s, 1), "audit_log");
	assert_non_null(strstr(db_col_text(s, 2), "1 of 1 seals were made with older keys"));
	db_finalize(s);
	verify_expect(f, DB_OK, 4, 2, 0);
	int64_t all = -1, older = -1;
	assert_int_equal(audit_seal_count(f->d, vault_active_id(f->v), &all, &older), DB_OK);
	assert_int_equal(all, 2);
	assert_int_equal(older, 1);

	/* Step two: the old key dropped. Its seal can no longer be checked,
	 * the new one still covers every row up to the rotation. */
	assert_int_equal(vault_file_keep_active(f->key, err, sizeof err), 0);
	vault_free(f->v);
	f->v = vault_load(f->key, err, sizeof err);
	assert_non_null(f->v);
	assert_null(vault_key(f->v, old));
	verify_expect(f, DB_OK, 4, 1, 0);
	assert_int_equal(seal(f, 1700000300), 0);
	append_range(f->d, 5, 5, "anna");
	assert_int_equal(seal(f, 1700000400), 3);
	verify_expect(f, DB_OK, 5, 2, 0);

	/* A rewrite of rows sealed only under the dropped key is still found:
	 * the rotation's seal covers them through the chain. */
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_delete", "audit_log"), DB_OK);
	assert_int_equal(db_exec(raw, "DELETE FROM audit_log WHERE id >= 2"), DB_OK);
	append_range(raw, 2, 5, "someone else");
	db_close(raw);
	verify_expect(f, AUDIT_BROKEN, 5, 0, 4);
}

/* A rotation over a broken log stops, so the old keys are kept. */
static void test_rotation_refuses_broken_log(void **state)
{
	struct fixture *f = *state;
	char err[256];
	append_range(f->d, 1, 3, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_delete", "audit_log"), DB_OK);
	assert_int_equal(db_exec(raw, "DELETE FROM audit_log WHERE id >= 2"), DB_OK);
	append_range(raw, 2, 3, "someone else");
	db_close(raw);
	assert_int_equal(vault_file_add_key(f->key, err, sizeof err), 0);
	vault_free(f->v);
	f->v = vault_load(f->key, err, sizeof err);
	assert_non_null(f->v);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(audit_seal_rotation(f->d, f->v, 1700000200, "cli:test"), AUDIT_BROKEN);
	assert_int_equal(db_rollback(f->d), DB_OK);
	assert_int_equal(count_seals(f->d), 1);
}

/* Without the right key file nothing can be sealed or checked: a seal under
 * an unknown key id is skipped, not trusted. */
static void test_other_key_file(void **state)
{
	struct fixture *f = *state;
	char err[256], other[160];
	append_range(f->d, 1, 3, "anna");
	assert_int_equal(seal(f, 1700000100), 1);
	snprintf(other, sizeof other, "%s/other.key", f->dir);
	assert_int_equal(vault_create_file(other, err, sizeof err), 0);
	vault *w = vault_load(other, err, sizeof err);
	assert_non_null(w);
	/* Same key id 1, another secret: the mac does not verify. */
	int64_t rows, seals, bad;
	assert_int_equal(audit_verify_sealed(f->d, w, &rows, &seals, &bad), AUDIT_BROKEN);
	assert_int_equal(bad, 3);
	vault_free(w);
	unlink(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_empty_log_needs_no_seal, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_seal_then_verify, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mac_as_documented, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_no_new_seal_when_head_still, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_seals_append_only, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_consistent_rewrite_found, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rewritten_seal_hash_found, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_forged_mac_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_seal_of_other_row_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_changed_sealed_row_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_verify_after_rotation, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rotation_refuses_broken_log, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_other_key_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
