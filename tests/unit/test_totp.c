/* test_totp.c: unit tests of two-factor login: RFC 6238 vectors, window, replay, recovery codes, pending logins. */
#include "testutil.h"
#include "testdb.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "db/migrate.h"
#include "model/session.h"
#include "model/totp.h"
#include "model/user.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The SHA-1 seed of RFC 6238 Appendix B: the ASCII string "12345678901234567890". */
static const unsigned char rfc_key[] = "12345678901234567890";
#define RFC_KEYLEN 20

/* RFC 6238 Appendix B, the SHA1 column: time, 8-digit TOTP. */
static const struct {
	int64_t t;
	const char *totp8;
} rfc_vectors[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};

static void test_rfc6238_vectors(void **state)
{
	for (size_t i = 0; i < sizeof rfc_vectors / sizeof rfc_vectors[0]; i++) {
		char out[9];
		int64_t step = totp_step(rfc_vectors[i].t);
		assert_int_equal(totp_hotp(rfc_key, RFC_KEYLEN, step, 8, out), 0);
		assert_string_equal(out, rfc_vectors[i].totp8);
		/* Six digits are the same number modulo 10^6: the last six. */
		assert_int_equal(totp_hotp(rfc_key, RFC_KEYLEN, step, 6, out), 0);
		assert_string_equal(out, rfc_vectors[i].totp8 + 2);
		/* And totp_match accepts exactly that code at that time. */
		assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, rfc_vectors[i].t, 0,
		                            rfc_vectors[i].totp8 + 2, NULL),
		                 step);
	}
}

static void test_step(void **state)
{
	assert_int_equal(totp_step(0), 0);
	assert_int_equal(totp_step(29), 0);
	assert_int_equal(totp_step(30), 1);
	assert_int_equal(totp_step(59), 1);
	assert_int_equal(totp_step(1111111109), 37037036);
	assert_int_equal(totp_step(-1), -1);
	assert_int_equal(totp_step(-30), -1);
	assert_int_equal(totp_step(-31), -2);
	char out[9];
	assert_int_equal(totp_hotp(rfc_key, RFC_KEYLEN, -1, 6, out), -1);
}

static void code_at(int64_t step, char out[7])
{
	assert_int_equal(totp_hotp(rfc_key, RFC_KEYLEN, step, 6, out), 0);
}

static void test_window(void **state)
{
	const int64_t now = 1700000015; /* in the middle of a step */
	int64_t s = totp_step(now);
	char c[7];
	for (int64_t d = -1; d <= 1; d++) {
		code_at(s + d, c);
		assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, now, 0, c, NULL), s + d);
	}
	int replay = 7;
	for (int64_t d = -3; d <= 3; d += 1) {
		if (d >= -1 && d <= 1)
			continue;
		code_at(s + d, c);
		/* A code two steps away matches nothing (unless it collides
		 * with one inside the window, which these do not). */
		assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, now, 0, c, &replay), -1);
		assert_int_equal(replay, 0);
	}
}

static void test_replay(void **state)
{
	const int64_t now = 1700000015;
	int64_t s = totp_step(now);
	char c[7];
	int replay = 0;
	code_at(s, c);
	/* Accepted once, then the step is used: refused as a replay. */
	assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, now, s - 5, c, &replay), s);
	assert_int_equal(replay, 0);
	assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, now, s, c, &replay), -1);
	assert_int_equal(replay, 1);
	/* An earlier step is refused too once a later one was used. */
	code_at(s - 1, c);
	assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, now, s, c, &replay), -1);
	assert_int_equal(replay, 1);
	/* The next step is still fine. */
	code_at(s + 1, c);
	assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, now, s, c, &replay), s + 1);
	assert_int_equal(replay, 0);
}

static void test_code_format(void **state)
{
	/* 287082 is the code at t = 59. */
	assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, 59, 0, "287 082", NULL), 1);
	assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, 59, 0, " 287082 ", NULL), 1);
	const char *bad[] = {"28708", "2870820", "28708a", "", "-287082", "287-082", "94287082"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, 59, 0, bad[i], NULL), -1);
	assert_int_equal(totp_match(rfc_key, RFC_KEYLEN, 59, 0, NULL, NULL), -1);
}

static void test_base32_and_uri(void **state)
{
	char b32[TOTP_SECRET_B32 + 1];
	totp_base32(rfc_key, b32);
	assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	buf u;
	buf_init(&u);
	totp_uri(&u, "Vertelpunt Gemeente Test", "anna.b", b32);
	assert_string_equal(u.data, "otpauth://totp/Vertelpunt%20Gemeente%20Test:anna.b"
	                            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	                            "&issuer=Vertelpunt%20Gemeente%20Test"
	                            "&algorithm=SHA1&digits=6&period=30");
	buf_reset(&u);
	totp_uri(&u, "a:b&c", "x/y?z", b32);
	assert_non_null(strstr(u.data, "totp/a%3Ab%26c:x%2Fy%3Fz?secret="));
	buf_free(&u);
	unsigned char k1[TOTP_SECRET_BYTES], k2[TOTP_SECRET_BYTES];
	totp_secret_new(k1);
	totp_secret_new(k2);
	assert_memory_not_equal(k1, k2, TOTP_SECRET_BYTES);
}

static void test_recovery_codes(void **state)
{
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	totp_recovery_new(codes);
	for (int i = 0; i < TOTP_RECOVERY_COUNT; i++) {
		assert_int_equal(strlen(codes[i]), TOTP_RECOVERY_LEN);
		assert_int_equal(codes[i][4], '-');
		assert_int_equal(codes[i][9], '-');
		assert_int_equal(codes[i][14], '-');
		assert_null(strpbrk(codes[i], "01ilo"));
		for (int k = 0; k < i; k++)
			assert_string_not_equal(codes[i], codes[k]);
	}
	char norm[TOTP_RECOVERY_CHARS + 1];
	assert_int_equal(totp_recovery_normalise("ABCD-efgh jkmn-PQRS", norm), 0);
	assert_string_equal(norm, "abcdefghjkmnpqrs");
	assert_int_equal(totp_recovery_normalise("abcdefghjkmnpqrs", norm), 0);
	assert_int_equal(totp_recovery_normalise("abcd-efgh-jkmn-pqr", norm), -1);
	assert_int_equal(totp_recovery_normalise("abcd-efgh-jkmn-pqrst", norm), -1);
	assert_int_equal(totp_recovery_normalise("abcd-efgh-jkmn-pqr0", norm), -1);
	assert_int_equal(totp_recovery_normalise("", norm), -1);
}

/* ---- with a database -------------------------------------------------------- */

struct fixture {
	char dir[64];
	char path[96];
	char key[128];
	db *d;
	vault *v;
	int64_t uid, uid2;
};

static int setup(void **state)
{
	clock_reset();
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_db_make(f->dir, f->path, "totp"))
		return -1;
	snprintf(f->key, sizeof f->key, "%s/k.key", f->dir);
	char err[256] = "";
	if (vault_create_file(f->key, err, sizeof err) ||
	    !(f->v = vault_load(f->key, err, sizeof err)))
		return -1;
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d || migrate_apply(f->d, NULL, err, sizeof err))
		return -1;
	int64_t org;
	if (org_ensure(f->d, "Gemeente Test", &org) != DB_OK ||
	    user_insert(f->d, org, "ann", "Ann", ROLE_ONDERZOEKER, "fake-hash", 0, &f->uid) !=
	            DB_OK ||
	    user_insert(f->d, org, "bob", "Bob", ROLE_MEELEZER, "fake-hash", 0, &f->uid2) != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	clock_reset();
	db_close(f->d);
	vault_free(f->v);
	unlink(f->key);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

static int64_t count(db *d, int64_t uid, int sessions)
{
	db_stmt *s =
	        sessions ? db_prepare(d, "SELECT COUNT(*) FROM sessions WHERE user_id = :u")
	                 : db_prepare(d, "SELECT COUNT(*) FROM totp_pending WHERE user_id = :u");
	db_bind_int(s, "u", uid);
	assert_int_equal(db_step(s), DB_ROW);
	int64_t n = db_col_int(s, 0);
	db_finalize(s);
	return n;
}

static void enrol(struct fixture *f, const unsigned char *key, int64_t now,
                  char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1])
{
	assert_int_equal(totp_enrol(f->d, f->v, f->uid, key, totp_step(now), codes), DB_OK);
}

static void test_enrol_and_check(void **state)
{
	struct fixture *f = *state;
	struct totp_status st;
	assert_int_equal(totp_status_get(f->d, f->uid, &st), DB_OK);
	assert_false(st.enrolled);
	assert_int_equal(totp_login_factor(f->d, f->uid), 0);
	assert_int_equal(totp_check_code(f->d, f->v, f->uid, "123456", 1700000000),
	                 TOTP_NOT_ENROLLED);

	unsigned char key[TOTP_SECRET_BYTES];
	totp_secret_new(key);
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	const int64_t t0 = 1700000000;
	enrol(f, key, t0, codes);
	assert_int_equal(totp_status_get(f->d, f->uid, &st), DB_OK);
	assert_true(st.enrolled);
	assert_false(st.required);
	assert_int_equal(st.recovery_left, TOTP_RECOVERY_COUNT);
	assert_int_equal(totp_login_factor(f->d, f->uid), TOTP_PENDING_CODE);

	/* The secret is sealed: the stored bytes are not the key. */
	db_stmt *s = db_prepare(f->d, "SELECT secret, key_id FROM user_totp WHERE user_id = :u");
	db_bind_int(s, "u", f->uid);
	assert_int_equal(db_step(s), DB_ROW);
	size_t n = 0;
	const unsigned char *sealed = db_col_blob(s, 0, &n);
	assert_int_equal(n, TOTP_SECRET_BYTES + VAULT_OVERHEAD);
	assert_null(memmem(sealed, n, key, TOTP_SECRET_BYTES));
	assert_int_equal(db_col_int(s, 1), vault_active_id(f->v));
	db_finalize(s);

	/* A second enrolment does not replace the first secret. */
	unsigned char other[TOTP_SECRET_BYTES];
	totp_secret_new(other);
	assert_int_equal(totp_enrol(f->d, f->v, f->uid, other, 1, codes), TOTP_ENROLLED);

	/* The confirming code's step is used: the same code is a replay. */
	char c[7];
	assert_int_equal(totp_hotp(key, sizeof key, totp_step(t0), 6, c), 0);
	assert_int_equal(totp_check_code(f->d, f->v, f->uid, c, t0), TOTP_REPLAY);
	/* The next step's code works once. */
	int64_t t1 = t0 + TOTP_STEP_SECONDS;
	assert_int_equal(totp_hotp(key, sizeof key, totp_step(t1), 6, c), 0);
	assert_int_equal(totp_check_code(f->d, f->v, f->uid, c, t1), DB_OK);
	assert_int_equal(totp_check_code(f->d, f->v, f->uid, c, t1), TOTP_REPLAY);
	assert_int_equal(totp_check_code(f->d, f->v, f->uid, c, t1 + TOTP_STEP_SECONDS),
	                 TOTP_REPLAY);
	/* A code far from now is wrong, not a replay. */
	int64_t t5 = t1 + 5 * TOTP_STEP_SECONDS;
	assert_int_equal(totp_hotp(key, sizeof key, totp_step(t5), 6, c), 0);
	assert_int_equal(totp_check_code(f->d, f->v, f->uid, c, t1), TOTP_WRONG);
	assert_int_equal(totp_check_code(f->d, f->v, f->uid, "abcdef", t1), TOTP_WRONG);
	/* Another account's secret does not open under this account's name. */
	assert_int_equal(totp_check_code(f->d, f->v, f->uid2, c, t5), TOTP_NOT_ENROLLED);
	s = db_prepare(f->d, "INSERT INTO user_totp (user_id, secret, key_id) SELECT :b, secret, "
	                     "key_id FROM user_totp WHERE user_id = :a");
	db_bind_int(s, "a", f->uid);
	db_bind_int(s, "b", f->uid2);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	assert_int_equal(totp_check_code(f->d, f->v, f->uid2, c, t5), TOTP_UNREADABLE);
	assert_int_equal(totp_check_code(f->d, f->v, f->uid, c, t5), DB_OK);
}

static void test_recovery(void **state)
{
	struct fixture *f = *state;
	unsigned char key[TOTP_SECRET_BYTES];
	totp_secret_new(key);
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	assert_int_equal(totp_use_recovery(f->d, f->uid, "abcd-efgh-jkmn-pqrs", 1),
	                 TOTP_NOT_ENROLLED);
	enrol(f, key, 1700000000, codes);
	/* Stored only as hashes. */
	db_stmt *s = db_prepare(f->d, "SELECT code_hash FROM user_recovery_codes "
	                              "WHERE user_id = :u");
	db_bind_int(s, "u", f->uid);
	int rows = 0;
	while (db_step(s) == DB_ROW) {
		rows++;
		assert_int_equal(strlen(db_col_text(s, 0)), 64);
		for (int i = 0; i < TOTP_RECOVERY_COUNT; i++)
			assert_null(strstr(db_col_text(s, 0), codes[i]));
	}
	db_finalize(s);
	assert_int_equal(rows, TOTP_RECOVERY_COUNT);

	/* Each code works once, typed in any case, with or without dashes. */
	char typed[32];
	snprintf(typed, sizeof typed, "%s", codes[3]);
	for (char *p = typed; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	assert_int_equal(totp_use_recovery(f->d, f->uid, typed, 5), DB_OK);
	assert_int_equal(totp_use_recovery(f->d, f->uid, codes[3], 6), TOTP_WRONG);
	assert_int_equal(totp_use_recovery(f->d, f->uid, "abcd-efgh-jkmn-pqrs", 7), TOTP_WRONG);
	assert_int_equal(totp_use_recovery(f->d, f->uid, "nonsense", 7), TOTP_WRONG);
	/* Another account cannot use them. */
	assert_int_equal(totp_use_recovery(f->d, f->uid2, codes[4], 7), TOTP_NOT_ENROLLED);
	struct totp_status st;
	assert_int_equal(totp_status_get(f->d, f->uid, &st), DB_OK);
	assert_int_equal(st.recovery_left, TOTP_RECOVERY_COUNT - 1);

	/* New codes replace all the old ones. */
	char fresh[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	assert_int_equal(totp_recovery_renew(f->d, f->uid, fresh), DB_OK);
	assert_int_equal(totp_use_recovery(f->d, f->uid, codes[4], 8), TOTP_WRONG);
	assert_int_equal(totp_use_recovery(f->d, f->uid, fresh[0], 8), DB_OK);
	assert_int_equal(totp_recovery_renew(f->d, f->uid2, fresh), TOTP_NOT_ENROLLED);
}

static void test_disable_require_reset(void **state)
{
	struct fixture *f = *state;
	char sid[65], csrf[65];
	assert_int_equal(session_create(f->d, f->uid, "127.0.0.1", sid, csrf), DB_OK);
	assert_int_equal(totp_disable(f->d, f->uid), TOTP_NOT_ENROLLED);

	/* Requiring it of an account without it ends its sessions. */
	assert_int_equal(totp_set_required(f->d, f->uid, 1), DB_OK);
	assert_int_equal(count(f->d, f->uid, 1), 0);
	assert_int_equal(totp_login_factor(f->d, f->uid), TOTP_PENDING_ENROL);
	struct totp_status st;
	assert_int_equal(totp_status_get(f->d, f->uid, &st), DB_OK);
	assert_true(st.required);
	assert_false(st.enrolled);

	unsigned char key[TOTP_SECRET_BYTES];
	totp_secret_new(key);
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	enrol(f, key, 1700000000, codes);
	assert_int_equal(totp_status_get(f->d, f->uid, &st), DB_OK);
	assert_true(st.required);
	assert_true(st.enrolled);
	/* Requiring it again of an enrolled account keeps its sessions. */
	assert_int_equal(session_create(f->d, f->uid, "127.0.0.1", sid, csrf), DB_OK);
	assert_int_equal(totp_set_required(f->d, f->uid, 1), DB_OK);
	assert_int_equal(count(f->d, f->uid, 1), 1);

	/* Disabling keeps the requirement; the recovery codes go. */
	assert_int_equal(totp_disable(f->d, f->uid), DB_OK);
	assert_int_equal(totp_status_get(f->d, f->uid, &st), DB_OK);
	assert_true(st.required);
	assert_false(st.enrolled);
	assert_int_equal(st.recovery_left, 0);
	assert_int_equal(totp_use_recovery(f->d, f->uid, codes[0], 9), TOTP_NOT_ENROLLED);

	/* A reset ends sessions and pending logins too. */
	enrol(f, key, 1700000000, codes);
	char pid[65];
	assert_int_equal(
	        totp_pending_create(f->d, f->uid, TOTP_PENDING_CODE, "/", "ip", clock_now(), pid),
	        DB_OK);
	assert_int_equal(count(f->d, f->uid, 0), 1);
	assert_int_equal(totp_reset(f->d, f->uid), DB_OK);
	assert_int_equal(count(f->d, f->uid, 1), 0);
	assert_int_equal(count(f->d, f->uid, 0), 0);
	assert_int_equal(totp_status_get(f->d, f->uid, &st), DB_OK);
	assert_false(st.enrolled);
	assert_int_equal(totp_reset(f->d, f->uid), DB_OK);

	/* Not required any more: a login is a plain login again. */
	assert_int_equal(totp_set_required(f->d, f->uid, 0), DB_OK);
	assert_int_equal(totp_login_factor(f->d, f->uid), 0);
	/* An unknown account cannot be required. */
	assert_int_equal(totp_set_required(f->d, 999999, 1), DB_CONSTRAINT);
}

static void test_pending(void **state)
{
	struct fixture *f = *state;
	char id[65];
	int64_t now = clock_now();
	assert_int_equal(totp_pending_create(f->d, f->uid, TOTP_PENDING_ENROL, "/beheer", "1.2.3.4",
	                                     now, id),
	                 DB_OK);
	assert_int_equal(strlen(id), 64);
	struct totp_pending p;
	assert_int_equal(totp_pending_lookup(f->d, id, now, &p), DB_ROW);
	assert_int_equal(p.kind, TOTP_PENDING_ENROL);
	assert_string_equal(p.next, "/beheer");
	assert_int_equal(p.user.id, f->uid);
	assert_string_equal(p.user.username, "ann");
	/* Stored by hash: the id itself is not in the table. */
	char hash[65];
	util_hash_hex(id, hash);
	assert_string_equal(p.id_hash, hash);
	/* Expires; bad ids are not found. */
	assert_int_equal(totp_pending_lookup(f->d, id, now + TOTP_PENDING_SECONDS + 1, &p),
	                 DB_DONE);
	assert_int_equal(totp_pending_lookup(f->d, "nope", now, &p), DB_DONE);
	assert_int_equal(totp_pending_lookup(f->d, NULL, now, &p), DB_DONE);
	/* A session id is not a pending login and the other way round. */
	char sid[65], csrf[65];
	assert_int_equal(session_create(f->d, f->uid, "ip", sid, csrf), DB_OK);
	assert_int_equal(totp_pending_lookup(f->d, sid, now, &p), DB_DONE);
	struct session sess;
	assert_int_equal(session_lookup(f->d, id, now, &sess), DB_DONE);
	/* A next that is not a local path becomes "/". */
	char id2[65];
	assert_int_equal(totp_pending_create(f->d, f->uid, TOTP_PENDING_CODE,
	                                     "https://evil.example", "ip", now, id2),
	                 DB_OK);
	assert_int_equal(totp_pending_lookup(f->d, id2, now, &p), DB_ROW);
	assert_string_equal(p.next, "/");
	assert_int_equal(p.kind, TOTP_PENDING_CODE);
	/* A disabled account's pending login is dead. */
	assert_int_equal(user_set_disabled(f->d, f->uid, 1), DB_OK);
	assert_int_equal(totp_pending_lookup(f->d, id2, now, &p), DB_DONE);
	assert_int_equal(user_set_disabled(f->d, f->uid, 0), DB_OK);
	/* Expired ones are removed when the next is made. */
	char id3[65];
	assert_int_equal(totp_pending_create(f->d, f->uid2, TOTP_PENDING_CODE, "/", "ip",
	                                     now + TOTP_PENDING_SECONDS + 1, id3),
	                 DB_OK);
	assert_int_equal(count(f->d, f->uid, 0), 0);
	assert_int_equal(totp_pending_delete(f->d, p.id_hash), DB_OK);
	assert_int_equal(totp_pending_end_user(f->d, f->uid2), DB_OK);
	assert_int_equal(count(f->d, f->uid2, 0), 0);
	char subject[32];
	totp_failure_subject(42, subject);
	assert_string_equal(subject, "2fa:42");
}

static void test_reseal_after_rotation(void **state)
{
	struct fixture *f = *state;
	unsigned char key[TOTP_SECRET_BYTES];
	totp_secret_new(key);
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1], err[256];
	enrol(f, key, 1700000000, codes);
	uint32_t old = vault_active_id(f->v);
	assert_int_equal(vault_file_add_key(f->key, err, sizeof err), 0);
	vault_free(f->v);
	f->v = vault_load(f->key, err, sizeof err);
	assert_non_null(f->v);
	assert_int_not_equal(vault_active_id(f->v), old);
	assert_int_equal(totp_reseal_all(f->d, f->v), 1);
	assert_int_equal(totp_reseal_all(f->d, f->v), 0);
	/* Only the new key is needed now. */
	assert_int_equal(vault_file_keep_active(f->key, err, sizeof err), 0);
	vault_free(f->v);
	f->v = vault_load(f->key, err, sizeof err);
	assert_non_null(f->v);
	int64_t t = 1700000000 + 60;
	char c[7];
	assert_int_equal(totp_hotp(key, sizeof key, totp_step(t), 6, c), 0);
	assert_int_equal(totp_check_code(f->d, f->v, f->uid, c, t), DB_OK);
}

int main(void)
{
	log_set_enabled(0);
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rfc6238_vectors),
	        cmocka_unit_test(test_step),
	        cmocka_unit_test(test_window),
	        cmocka_unit_test(test_replay),
	        cmocka_unit_test(test_code_format),
	        cmocka_unit_test(test_base32_and_uri),
	        cmocka_unit_test(test_recovery_codes),
	        cmocka_unit_test_setup_teardown(test_enrol_and_check, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_recovery, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_disable_require_reset, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pending, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_reseal_after_rotation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
