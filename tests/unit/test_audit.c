/* test_audit.c: unit tests of the access log: the hash chain, tampering, triggers, listing, input. */
#include "testutil.h"
#include "testdb.h"

#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/writer.h"
#include "model/audit.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
	char dir[64];
	char path[96];
	db *d;
};

static int group_setup(void **state)
{
	log_set_enabled(0);
	return sodium_init() < 0 ? -1 : 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_db_make(f->dir, f->path, "audit"))
		return -1;
	char err[256] = "";
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d || migrate_apply(f->d, NULL, err, sizeof err) != 0) {
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
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

/* A valid entry; tests change one field at a time. */
static struct audit_entry entry(const char *action, const char *object_id, const char *subject)
{
	return (struct audit_entry){.at = 1700000000,
	                            .actor_user_id = 7,
	                            .actor = "anna",
	                            .action = action,
	                            .object_type = "story",
	                            .object_id = object_id,
	                            .subject_code = subject,
	                            .origin = "192.0.2.1"};
}

/* Appends n entries in one transaction, as a writer job would. */
static void append_n(db *d, int n)
{
	assert_int_equal(db_begin(d), DB_OK);
	for (int i = 0; i < n; i++) {
		char id[16];
		snprintf(id, sizeof id, "%d", i + 1);
		struct audit_entry e = entry("view", id, i % 2 ? "P-BBBB" : "P-AAAA");
		assert_int_equal(audit_append(d, &e), DB_OK);
	}
	assert_int_equal(db_commit(d), DB_OK);
}

static int64_t count_rows(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_log");
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

static void verify_expect(db *d, int want_rc, int64_t want_rows, int64_t want_bad)
{
	int64_t rows = -1, bad = -1;
	assert_int_equal(audit_verify(d, &rows, &bad), want_rc);
	assert_int_equal(rows, want_rows);
	assert_int_equal(bad, want_bad);
}

/* ---- the chain ---- */

static void test_empty_log_verifies(void **state)
{
	struct fixture *f = *state;
	verify_expect(f->d, DB_OK, 0, 0);
}

static void test_append_and_verify(void **state)
{
	struct fixture *f = *state;
	append_n(f->d, 5);
	assert_int_equal(count_rows(f->d), 5);
	verify_expect(f->d, DB_OK, 5, 0);

	db_stmt *s = db_prepare(f->d, "SELECT id, prev_hash, hash FROM audit_log ORDER BY id");
	char prev[65];
	snprintf(prev, sizeof prev, "%s", audit_genesis);
	int64_t want_id = 1;
	while (db_step(s) == DB_ROW) {
		assert_int_equal(db_col_int(s, 0), want_id++);
		assert_string_equal(db_col_text(s, 1), prev);
		assert_int_equal(strlen(db_col_text(s, 2)), 64);
		assert_string_not_equal(db_col_text(s, 2), prev);
		snprintf(prev, sizeof prev, "%s", db_col_text(s, 2));
	}
	db_finalize(s);
	assert_int_equal(want_id, 6);
}

/* The encoding is documented in docs/privacy-log.md so that anyone can
 * check the log without this program. Reference values from Python:
 *   import hashlib,struct
 *   f=lambda s: struct.pack(">Q",2**64-1) if s is None else struct.pack(">Q",len(s.encode()))+s.encode()
 *   hashlib.blake2b(b"".join(map(f,["vertelpunt audit_log v1","0"*64,"1","1700000000","7","anna",
 *     "view","story","42","P-7K3M","192.0.2.1",""])),digest_size=32).hexdigest()
 * and the same with None for actor_user_id and subject_code for the second. */
static void test_hash_reference_values(void **state)
{
	struct fixture *f = *state;
	struct audit_entry e = entry("view", "42", "P-7K3M");
	assert_int_equal(audit_append(f->d, &e), DB_OK);
	db_stmt *s = db_prepare(f->d, "SELECT hash FROM audit_log WHERE id = 1");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0),
	                    "06311de3636f56215d9598c3df8c641aa73b0ec4152f7b956a76b42721fd5389");
	db_finalize(s);

	char dir[64], path[96], err[256];
	assert_int_equal(test_db_make(dir, path, "audit2"), 0);
	db *d = db_open(path, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(migrate_apply(d, NULL, err, sizeof err), 0);
	struct audit_entry c = {.at = 1700000000,
	                        .actor = "cli:root",
	                        .action = "create",
	                        .object_type = "user",
	                        .object_id = "jansen",
	                        .origin = "cli",
	                        .detail = "role=meelezer"};
	assert_int_equal(audit_append(d, &c), DB_OK);
	s = db_prepare(d,
	               "SELECT hash, actor_user_id IS NULL, subject_code IS NULL FROM audit_log");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0),
	                    "3562bf79fb66c0e33cbfefe80118d55eaf5f5a012128ec33b51c0abe33025675");
	assert_int_equal(db_col_int(s, 1), 1);
	assert_int_equal(db_col_int(s, 2), 1);
	db_finalize(s);
	db_close(d);
	test_db_remove(dir, path);
}

static void test_time_defaults_to_now(void **state)
{
	struct fixture *f = *state;
	struct audit_entry e = entry("view", "1", NULL);
	e.at = 0;
	assert_int_equal(audit_append(f->d, &e), DB_OK);
	db_stmt *s = db_prepare(f->d, "SELECT at FROM audit_log");
	assert_int_equal(db_step(s), DB_ROW);
	assert_true(db_col_int(s, 0) > 1700000000);
	db_finalize(s);
	verify_expect(f->d, DB_OK, 1, 0);
}

/* ---- the database refuses changes ---- */

static void test_update_and_delete_refused(void **state)
{
	struct fixture *f = *state;
	append_n(f->d, 3);
	assert_int_equal(db_exec(f->d, "UPDATE audit_log SET detail = 'changed' WHERE id = 2"),
	                 DB_CONSTRAINT);
	assert_non_null(strstr(db_errmsg(f->d), "append-only"));
	assert_int_equal(db_exec(f->d, "DELETE FROM audit_log WHERE id = 2"), DB_CONSTRAINT);
	assert_non_null(strstr(db_errmsg(f->d), "append-only"));
	assert_int_equal(db_exec(f->d, "DELETE FROM audit_log"), DB_CONSTRAINT);
	assert_int_equal(count_rows(f->d), 3);
	verify_expect(f->d, DB_OK, 3, 0);
}

/* ---- tampering is found ---- */

/* A second connection, as someone with the file would use, drops a
 * trigger and changes the log behind the program's back. */
static db *raw_connection(struct fixture *f)
{
	char err[256];
	db *raw = db_open(f->path, err, sizeof err);
	assert_non_null(raw);
	return raw;
}

static void test_tampered_row_found(void **state)
{
	struct fixture *f = *state;
	append_n(f->d, 5);
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_update", "audit_log"), DB_OK);
	assert_int_equal(db_exec(raw, "UPDATE audit_log SET actor = 'someone else' WHERE id = 3"),
	                 DB_OK);
	db_close(raw);
	verify_expect(f->d, AUDIT_BROKEN, 2, 3);
}

static void test_tampered_time_found(void **state)
{
	struct fixture *f = *state;
	append_n(f->d, 4);
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_update", "audit_log"), DB_OK);
	assert_int_equal(db_exec(raw, "UPDATE audit_log SET at = at + 1 WHERE id = 4"), DB_OK);
	db_close(raw);
	verify_expect(f->d, AUDIT_BROKEN, 3, 4);
}

static void test_subject_null_versus_empty(void **state)
{
	struct fixture *f = *state;
	struct audit_entry e = entry("view", "1", NULL);
	assert_int_equal(audit_append(f->d, &e), DB_OK);
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_update", "audit_log"), DB_OK);
	assert_int_equal(db_exec(raw, "UPDATE audit_log SET subject_code = ''"), DB_OK);
	db_close(raw);
	verify_expect(f->d, AUDIT_BROKEN, 0, 1);
}

static void test_deleted_middle_row_found(void **state)
{
	struct fixture *f = *state;
	append_n(f->d, 5);
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_delete", "audit_log"), DB_OK);
	assert_int_equal(db_exec(raw, "DELETE FROM audit_log WHERE id = 3"), DB_OK);
	db_close(raw);
	verify_expect(f->d, AUDIT_BROKEN, 2, 4);
}

static void test_deleted_first_row_found(void **state)
{
	struct fixture *f = *state;
	append_n(f->d, 3);
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_delete", "audit_log"), DB_OK);
	assert_int_equal(db_exec(raw, "DELETE FROM audit_log WHERE id = 1"), DB_OK);
	db_close(raw);
	verify_expect(f->d, AUDIT_BROKEN, 0, 2);
}

/* Inserting is allowed by the triggers; a forged row without the right
 * hash breaks the chain at itself. */
static void test_forged_row_found(void **state)
{
	struct fixture *f = *state;
	append_n(f->d, 2);
	assert_int_equal(db_exec(f->d,
	                         "INSERT INTO audit_log (id, at, actor, action, object_type, "
	                         "object_id, origin, prev_hash, hash) VALUES (3, 1700000000, 'x', "
	                         "'view', 'story', '9', 'cli', 'bogus', 'bogus')"),
	                 DB_OK);
	verify_expect(f->d, AUDIT_BROKEN, 2, 3);
	/* The next append chains to it, and is itself intact: the break
	 * stays at the forged row. */
	struct audit_entry e = entry("view", "10", NULL);
	assert_int_equal(audit_append(f->d, &e), DB_OK);
	verify_expect(f->d, AUDIT_BROKEN, 2, 3);
}

/* A retention purge leaves the chain starting at a checkpoint row. */
static void test_chain_may_start_at_checkpoint(void **state)
{
	struct fixture *f = *state;
	append_n(f->d, 3);
	struct audit_entry cp = {.actor = "system",
	                         .action = "checkpoint",
	                         .object_type = "audit_log",
	                         .object_id = "3",
	                         .origin = "system",
	                         .detail = "purged up to id 3"};
	assert_int_equal(audit_append(f->d, &cp), DB_OK);
	append_n(f->d, 2);
	db *raw = raw_connection(f);
	assert_int_equal(test_drop_trigger(raw, "audit_log_no_delete", "audit_log"), DB_OK);
	assert_int_equal(db_exec(raw, "DELETE FROM audit_log WHERE id < 4"), DB_OK);
	db_close(raw);
	verify_expect(f->d, DB_OK, 3, 0);
}

/* ---- the change and its entry commit together ---- */

static int job_change_with_bad_entry(db *d, void *ctx)
{
	int rc = db_exec(d, "INSERT INTO organisations (name, created_at) VALUES ('Org', 0)");
	if (rc != DB_OK)
		return rc;
	struct audit_entry e = entry("", "1", NULL); /* refused */
	return audit_append(d, &e);
}

static int job_change_with_entry(db *d, void *ctx)
{
	int rc = db_exec(d, "INSERT INTO organisations (name, created_at) VALUES ('Org', 0)");
	if (rc != DB_OK)
		return rc;
	struct audit_entry e = entry("create", "1", NULL);
	e.object_type = "organisation";
	return audit_append(d, &e);
}

static void test_writer_job_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	char err[256];
	writer *w = writer_start(f->path, err, sizeof err);
	assert_non_null(w);
	assert_int_equal(writer_run(w, job_change_with_bad_entry, NULL), AUDIT_INVALID);
	assert_int_equal(writer_run(w, job_change_with_entry, NULL), 0);
	writer_stop(w);
	db_stmt *s = db_prepare(f->d, "SELECT COUNT(*) FROM organisations");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	assert_int_equal(count_rows(f->d), 1);
	verify_expect(f->d, DB_OK, 1, 0);
}

/* ---- listing ---- */

static json_t *list(db *d, const char *subject, int64_t limit)
{
	buf b;
	buf_init(&b);
	assert_int_equal(audit_list_json(d, subject, limit, &b), DB_OK);
	json_error_t jerr;
	json_t *j = json_loads(b.data, 0, &jerr);
	if (!j)
		fail_msg("not JSON: %s: %s", jerr.text, b.data);
	buf_free(&b);
	assert_true(json_is_array(j));
	return j;
}

static void test_list_by_subject(void **state)
{
	struct fixture *f = *state;
	append_n(f->d, 5); /* ids 1, 3, 5 about P-AAAA; 2, 4 about P-BBBB */
	struct audit_entry e = entry("login", "anna", NULL);
	e.object_type = "user";
	assert_int_equal(audit_append(f->d, &e), DB_OK);

	json_t *j = list(f->d, "P-AAAA", 0);
	assert_int_equal(json_array_size(j), 3);
	int64_t want[] = {5, 3, 1}; /* newest first */
	for (size_t i = 0; i < 3; i++) {
		json_t *o = json_array_get(j, i);
		assert_int_equal(json_integer_value(json_object_get(o, "id")), want[i]);
		assert_string_equal(json_string_value(json_object_get(o, "subject_code")),
		                    "P-AAAA");
		assert_string_equal(json_string_value(json_object_get(o, "actor")), "anna");
		assert_int_equal(json_integer_value(json_object_get(o, "actor_user_id")), 7);
		assert_string_equal(json_string_value(json_object_get(o, "action")), "view");
		assert_string_equal(json_string_value(json_object_get(o, "origin")), "192.0.2.1");
		assert_string_equal(json_string_value(json_object_get(o, "at")),
		                    "2023-11-14T22:13:20Z");
		assert_int_equal(strlen(json_string_value(json_object_get(o, "hash"))), 64);
	}
	json_decref(j);

	j = list(f->d, "P-NOBODY", 0);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);

	j = list(f->d, NULL, 2);
	assert_int_equal(json_array_size(j), 2);
	json_t *o = json_array_get(j, 0);
	assert_int_equal(json_integer_value(json_object_get(o, "id")), 6);
	assert_true(json_is_null(json_object_get(o, "subject_code")));
	assert_string_equal(json_string_value(json_object_get(o, "action")), "login");
	json_decref(j);

	j = list(f->d, NULL, 0);
	assert_int_equal(json_array_size(j), 6);
	json_decref(j);
}

static void test_list_escapes(void **state)
{
	struct fixture *f = *state;
	struct audit_entry e = entry("view", "\"quoted\" \\ and </script>", "P-\xc3\xa9");
	assert_int_equal(audit_append(f->d, &e), DB_OK);
	json_t *j = list(f->d, "P-\xc3\xa9", 0);
	assert_int_equal(json_array_size(j), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "object_id")),
	                    "\"quoted\" \\ and </script>");
	json_decref(j);
}

/* ---- bad input ---- */

static void test_bad_input_refused(void **state)
{
	struct fixture *f = *state;
	char long_text[AUDIT_DETAIL_MAX + 2];
	memset(long_text, 'x', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	struct audit_entry bad[16];
	int n = 0;
	bad[n] = entry("", "1", NULL), n++;
	bad[n] = entry(NULL, "1", NULL), n++;
	bad[n] = entry("View", "1", NULL), n++;
	bad[n] = entry("view it", "1", NULL), n++;
	bad[n] = entry("view", "", NULL), n++;
	bad[n] = entry("view", NULL, NULL), n++;
	bad[n] = entry("view", "1\n2", NULL), n++;
	bad[n] = entry("view", "1", ""), n++;
	bad[n] = entry("view", "\xff\xfe", NULL), n++;
	bad[n] = entry("view", "1", NULL), bad[n].object_type = "", n++;
	bad[n] = entry("view", "1", NULL), bad[n].actor = "", n++;
	bad[n] = entry("view", "1", NULL), bad[n].actor = NULL, n++;
	bad[n] = entry("view", "1", NULL), bad[n].detail = long_text, n++;
	bad[n] = entry("view", "1", NULL), bad[n].origin = "10.0.0.1\r\nX: y", n++;
	bad[n] = entry("view", "1", NULL), bad[n].at = -5, n++;
	bad[n] = entry("view", "1", NULL), bad[n].detail = "tab\there", n++;
	for (int i = 0; i < n; i++) {
		if (!audit_check(&bad[i]))
			fail_msg("entry %d passed audit_check", i);
		assert_int_equal(audit_append(f->d, &bad[i]), AUDIT_INVALID);
	}
	assert_int_equal(count_rows(f->d), 0);

	/* The limits themselves are fine. */
	struct audit_entry ok = entry("view", "1", NULL);
	long_text[AUDIT_DETAIL_MAX] = '\0';
	ok.detail = long_text;
	ok.origin = "";
	assert_null(audit_check(&ok));
	assert_int_equal(audit_append(f->d, &ok), DB_OK);
	verify_expect(f->d, DB_OK, 1, 0);
}

static void test_cli_actor(void **state)
{
	char actor[AUDIT_ACTOR_MAX + 1];
	audit_cli_actor(actor, sizeof actor);
	assert_memory_equal(actor, "cli:", 4);
	assert_true(strlen(actor) > 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_empty_log_verifies, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_append_and_verify, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_hash_reference_values, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_time_defaults_to_now, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_update_and_delete_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_tampered_row_found, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_tampered_time_found, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_subject_null_versus_empty, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_deleted_middle_row_found, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_deleted_first_row_found, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_forged_row_found, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_chain_may_start_at_checkpoint, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_writer_job_all_or_nothing, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_list_by_subject, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_list_escapes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_input_refused, setup, teardown),
	        cmocka_unit_test(test_cli_actor),
	};
	return cmocka_run_group_tests_name("audit", tests, group_setup, NULL);
}
