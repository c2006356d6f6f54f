/* totp.c: TOTP secrets sealed with the vault, replay-proof code checks, hashed recovery codes, pending logins. */
#include "model/totp.h"

#include "model/session.h"

#include "core/clock.h"
#include "core/util.h"

#include <assert.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Recovery codes use letters and digits that cannot be mistaken for one
 * another when read aloud or written down: no 0/o, 1/l/i. */
static const char recovery_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;

static void oath_start(void)
{
	/* oath_init sets up liboath's hash functions; it is done once per
	 * process and never undone (oath_done would race other threads). */
	if (oath_init() != OATH_OK)
		abort();
}

/* ---- pure functions ------------------------------------------------------ */

int64_t totp_step(int64_t t)
{
	/* Floor division, so a time before the epoch gives a negative step. */
	return t >= 0 ? t / TOTP_STEP_SECONDS : -((-t + TOTP_STEP_SECONDS - 1) / TOTP_STEP_SECONDS);
}

int totp_hotp(const unsigned char *key, size_t keylen, int64_t counter, unsigned digits, char *out)
{
	assert(key && out && digits >= 6 && digits <= 8);
	pthread_once(&oath_once, oath_start);
	if (counter < 0)
		return -1;
	int rc = oath_hotp_generate((const char *)key, keylen, (uint64_t)counter, digits, false,
	                            OATH_HOTP_DYNAMIC_TRUNCATION, out);
	return rc == OATH_OK ? 0 : -1;
}

/* code without spaces into out; 0 when it is exactly TOTP_DIGITS digits. */
static int code_digits(const char *code, char out[TOTP_DIGITS + 1])
{
	size_t n = 0;
	for (const char *p = code; p && *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
			return -1;
		out[n++] = *p;
	}
	out[n] = '\0';
	return n == TOTP_DIGITS ? 0 : -1;
}

int64_t totp_match(const unsigned char *key, size_t keylen, int64_t now, int64_t last_step,
                   const char *code, int *replay)
{
	char want[TOTP_DIGITS + 1];
	if (replay)
		*replay = 0;
	if (code_digits(code, want))
		return -1;
	int64_t s = totp_step(now), found = -1;
	/* The current step first, then the one before and the one after. */
	const int64_t order[] = {s, s - 1, s + 1};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		char got[TOTP_DIGITS + 1];
		if (totp_hotp(key, keylen, order[i], TOTP_DIGITS, got))
			continue;
		int same = sodium_memcmp(got, want, TOTP_DIGITS) == 0;
		sodium_memzero(got, sizeof got);
		if (!same)
			continue;
		if (order[i] > last_step) {
			if (found < 0)
				found = order[i];
		} else if (replay) {
			*replay = 1;
		}
	}
	if (found >= 0 && replay)
		*replay = 0;
	return found;
}

void totp_secret_new(unsigned char key[TOTP_SECRET_BYTES])
{
	randombytes_buf(key, TOTP_SECRET_BYTES);
}

void totp_base32(const unsigned char key[TOTP_SECRET_BYTES], char out[TOTP_SECRET_B32 + 1])
{
	pthread_once(&oath_once, oath_start);
	char *enc = NULL;
	size_t n = 0;
	if (oath_base32_encode((const char *)key, TOTP_SECRET_BYTES, &enc, &n) != OATH_OK || !enc)
		abort(); /* only out of memory */
	/* 160 bits are exactly 32 base32 characters: no padding. */
	assert(n >= TOTP_SECRET_B32);
	memcpy(out, enc, TOTP_SECRET_B32);
	out[TOTP_SECRET_B32] = '\0';
	sodium_memzero(enc, n);
	free(enc);
}

static void percent_encode(buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf_putc(out, (char)*p);
		else
			buf_printf(out, "%%%02X", *p);
	}
}

void totp_uri(buf *out, const char *issuer, const char *account,
              const char b32[TOTP_SECRET_B32 + 1])
{
	buf_puts(out, "otpauth://totp/");
	percent_encode(out, issuer);
	buf_putc(out, ':');
	percent_encode(out, account);
	buf_puts(out, "?secret=");
	buf_puts(out, b32);
	buf_puts(out, "&issuer=");
	percent_encode(out, issuer);
	buf_printf(out, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP_SECONDS);
}

void totp_recovery_new(char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1])
{
	for (int i = 0; i < TOTP_RECOVERY_COUNT; i++) {
		char *c = codes[i];
		for (int k = 0, j = 0; k < TOTP_RECOVERY_CHARS; k++) {
			if (k && k % 4 == 0)
				c[j++] = '-';
			c[j++] = recovery_alphabet[randombytes_uniform(sizeof recovery_alphabet -
			                                               1)];
		}
		c[TOTP_RECOVERY_LEN] = '\0';
	}
}

int totp_recovery_normalise(const char *in, char out[TOTP_RECOVERY_CHARS + 1])
{
	size_t n = 0;
	for (const char *p = in; p && *p; p++) {
		char c = *p;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!strchr(recovery_alphabet, c) || n == TOTP_RECOVERY_CHARS)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == TOTP_RECOVERY_CHARS ? 0 : -1;
}

void totp_failure_subject(int64_t user_id, char out[32])
{
	snprintf(out, 32, "2fa:%lld", (long long)user_id);
}

/* ---- accounts ------------------------------------------------------------- */

static void secret_ad(int64_t user_id, char ad[48])
{
	snprintf(ad, 48, "user:%lld:totp", (long long)user_id);
}

static int done_ok(db_stmt *s)
{
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int totp_status_get(db *d, int64_t user_id, struct totp_status *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(
	        d, "SELECT required, CASE WHEN secret IS NULL THEN 0 ELSE 1 END, enrolled_at, "
	           "(SELECT COUNT(*) FROM user_recovery_codes c WHERE "
	           "c.user_id = t.user_id AND c.used_at IS NULL) "
	           "FROM user_totp t WHERE user_id = :u");
	db_bind_int(s, "u", user_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->required = db_col_int(s, 0) != 0;
		out->enrolled = db_col_int(s, 1) != 0;
		out->enrolled_at = out->enrolled && !db_col_is_null(s, 2) ? db_col_int(s, 2) : 0;
		out->recovery_left = out->enrolled ? (int)db_col_int(s, 3) : 0;
	}
	db_finalize(s);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int totp_login_factor(db *d, int64_t user_id)
{
	struct totp_status st;
	if (totp_status_get(d, user_id, &st) != DB_OK)
		return TOTP_PENDING_CODE; /* fail closed: no session without a factor */
	if (st.enrolled)
		return TOTP_PENDING_CODE;
	return st.required ? TOTP_PENDING_ENROL : 0;
}

static void recovery_hash(const unsigned char salt[32], const char norm[TOTP_RECOVERY_CHARS + 1],
                          char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)norm, TOTP_RECOVERY_CHARS, salt, 32);
	util_hex(h, sizeof h, out);
}

/* The account's recovery salt (enrolled accounts only): DB_ROW, DB_DONE. */
static int recovery_salt(db *d, int64_t user_id, unsigned char salt[32])
{
	db_stmt *s = db_prepare(d, "SELECT recovery_salt FROM user_totp WHERE user_id = :u AND "
	                           "secret IS NOT NULL AND recovery_salt IS NOT NULL");
	db_bind_int(s, "u", user_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		const char *hex = db_col_text(s, 0);
		size_t n = 0;
		if (!hex || sodium_hex2bin(salt, 32, hex, strlen(hex), NULL, &n, NULL) != 0 ||
		    n != 32)
			rc = DB_ERROR;
	}
	db_finalize(s);
	return rc;
}

/* Replaces the account's recovery codes with fresh ones (into codes). */
static int store_recovery(db *d, int64_t user_id, const unsigned char salt[32],
                          char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1])
{
	db_stmt *s = db_prepare(d, "DELETE FROM user_recovery_codes WHERE user_id = :u");
	db_bind_int(s, "u", user_id);
	int rc = done_ok(s);
	totp_recovery_new(codes);
	for (int i = 0; i < TOTP_RECOVERY_COUNT && rc == DB_OK; i++) {
		char norm[TOTP_RECOVERY_CHARS + 1], hash[65];
		if (totp_recovery_normalise(codes[i], norm))
			abort(); /* our own codes always normalise */
		recovery_hash(salt, norm, hash);
		s = db_prepare(d, "INSERT INTO user_recovery_codes (user_id, code_hash) "
		                  "VALUES (:u, :h)");
		db_bind_int(s, "u", user_id);
		db_bind_text(s, "h", hash);
		rc = done_ok(s);
	}
	return rc;
}

int totp_enrol(db *d, const vault *v, int64_t user_id, const unsigned char key[TOTP_SECRET_BYTES],
               int64_t step, char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1])
{
	assert(d && v && key && codes);
	char ad[48], salt_hex[65];
	unsigned char salt[32];
	secret_ad(user_id, ad);
	buf sealed;
	buf_init(&sealed);
	vault_seal(v, key, TOTP_SECRET_BYTES, ad, &sealed);
	randombytes_buf(salt, sizeof salt);
	util_hex(salt, sizeof salt, salt_hex);
	/* Only an account without a secret gets one: enrolling twice (two
	 * browser tabs) must not silently replace the first secret. */
	db_stmt *s = db_prepare(
	        d, "INSERT INTO user_totp (user_id, required, secret, key_id, last_step, "
	           "enrolled_at, recovery_salt) VALUES (:u, 0, :secret, :key, :step, :now, :salt) "
	           "ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, "
	           "key_id = excluded.key_id, last_step = excluded.last_step, "
	           "enrolled_at = excluded.enrolled_at, recovery_salt = excluded.recovery_salt "
	           "WHERE user_totp.secret IS NULL");
	db_bind_int(s, "u", user_id);
	db_bind_blob(s, "secret", sealed.data, sealed.len);
	db_bind_int(s, "key", vault_active_id(v));
	db_bind_int(s, "step", step);
	db_bind_int(s, "now", clock_now());
	db_bind_text(s, "salt", salt_hex);
	int rc = done_ok(s);
	buf_free(&sealed);
	if (rc == DB_OK && db_changes(d) == 0)
		rc = TOTP_ENROLLED;
	if (rc == DB_OK)
		rc = store_recovery(d, user_id, salt, codes);
	sodium_memzero(salt, sizeof salt);
	return rc;
}

int totp_check_code(db *d, const vault *v, int64_t user_id, const char *code, int64_t now)
{
	db_stmt *s = db_prepare(d, "SELECT secret, last_step FROM user_totp WHERE user_id = :u "
	                           "AND secret IS NOT NULL");
	db_bind_int(s, "u", user_id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc == DB_DONE ? TOTP_NOT_ENROLLED : rc;
	}
	char ad[48];
	secret_ad(user_id, ad);
	size_t n = 0;
	const void *sealed = db_col_blob(s, 0, &n);
	int64_t last = db_col_int(s, 1);
	buf key;
	buf_init(&key);
	int opened =
	        sealed && vault_open(v, sealed, n, ad, &key) == 0 && key.len == TOTP_SECRET_BYTES;
	db_finalize(s);
	int64_t step = -1;
	int replay = 0;
	if (opened)
		step = totp_match((const unsigned char *)key.data, key.len, now, last, code,
		                  &replay);
	if (key.data)
		sodium_memzero(key.data, key.len);
	buf_free(&key);
	if (!opened)
		return TOTP_UNREADABLE;
	if (step < 0)
		return replay ? TOTP_REPLAY : TOTP_WRONG;
	s = db_prepare(d, "UPDATE user_totp SET last_step = :step WHERE user_id = :u "
	                  "AND last_step < :step");
	db_bind_int(s, "step", step);
	db_bind_int(s, "u", user_id);
	rc = done_ok(s);
	/* Inside the writer nothing comes between the read and this update;
	 * the condition keeps it right under any other caller too. */
	if (rc == DB_OK && db_changes(d) != 1)
		rc = TOTP_REPLAY;
	return rc;
}

int totp_use_recovery(db *d, int64_t user_id, const char *code, int64_t now)
{
	char norm[TOTP_RECOVERY_CHARS + 1], hash[65];
	unsigned char salt[32];
	int rc = recovery_salt(d, user_id, salt);
	if (rc != DB_ROW)
		return rc == DB_DONE ? TOTP_NOT_ENROLLED : rc;
	if (totp_recovery_normalise(code, norm))
		return TOTP_WRONG;
	recovery_hash(salt, norm, hash);
	sodium_memzero(norm, sizeof norm);
	db_stmt *s = db_prepare(d, "UPDATE user_recovery_codes SET used_at = :now WHERE "
	                           "user_id = :u AND code_hash = :h AND used_at IS NULL");
	db_bind_int(s, "now", now);
	db_bind_int(s, "u", user_id);
	db_bind_text(s, "h", hash);
	rc = done_ok(s);
	if (rc == DB_OK && db_changes(d) != 1)
		rc = TOTP_WRONG;
	return rc;
}

int totp_recovery_renew(db *d, int64_t user_id,
                        char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1])
{
	unsigned char salt[32];
	int rc = recovery_salt(d, user_id, salt);
	if (rc != DB_ROW)
		return rc == DB_DONE ? TOTP_NOT_ENROLLED : rc;
	return store_recovery(d, user_id, salt, codes);
}

int totp_disable(db *d, int64_t user_id)
{
	db_stmt *s = db_prepare(d, "UPDATE user_totp SET secret = NULL, key_id = NULL, "
	                           "enrolled_at = NULL, recovery_salt = NULL "
	                           "WHERE user_id = :u AND secret IS NOT NULL");
	db_bind_int(s, "u", user_id);
	int rc = done_ok(s);
	if (rc != DB_OK)
		return rc;
	int changed = db_changes(d) == 1;
	s = db_prepare(d, "DELETE FROM user_recovery_codes WHERE user_id = :u");
	db_bind_int(s, "u", user_id);
	rc = done_ok(s);
	return rc == DB_OK && !changed ? TOTP_NOT_ENROLLED : rc;
}

static int end_sessions(db *d, int64_t user_id)
{
	db_stmt *s = db_prepare(d, "DELETE FROM sessions WHERE user_id = :u");
	db_bind_int(s, "u", user_id);
	int rc = done_ok(s);
	return rc == DB_OK ? totp_pending_end_user(d, user_id) : rc;
}

int totp_reset(db *d, int64_t user_id)
{
	int rc = totp_disable(d, user_id);
	if (rc != DB_OK && rc != TOTP_NOT_ENROLLED)
		return rc;
	return end_sessions(d, user_id);
}

int totp_set_required(db *d, int64_t user_id, int required)
{
	db_stmt *s =
	        db_prepare(d, "INSERT INTO user_totp (user_id, required) VALUES (:u, :r) "
	                      "ON CONFLICT (user_id) DO UPDATE SET required = excluded.required");
	db_bind_int(s, "u", user_id);
	db_bind_int(s, "r", required ? 1 : 0);
	int rc = done_ok(s);
	if (rc != DB_OK || !required)
		return rc;
	struct totp_status st;
	rc = totp_status_get(d, user_id, &st);
	if (rc != DB_OK || st.enrolled)
		return rc;
	return end_sessions(d, user_id);
}

int64_t totp_reseal_all(db *d, const vault *v)
{
	/* Collect the ids first: re-sealing writes the rows the query reads. */
	db_stmt *s = db_prepare(d, "SELECT user_id FROM user_totp WHERE secret IS NOT NULL "
	                           "AND key_id <> :active ORDER BY user_id");
	db_bind_int(s, "active", vault_active_id(v));
	int64_t *ids;
	size_t n;
	int rc = db_collect_ids(s, &ids, &n);
	db_finalize(s);
	int64_t done = 0;
	for (size_t i = 0; i < n && rc == DB_DONE; i++) {
		char ad[48];
		secret_ad(ids[i], ad);
		buf key, sealed;
		buf_init(&key);
		buf_init(&sealed);
		s = db_prepare(d, "SELECT secret FROM user_totp WHERE user_id = :u");
		db_bind_int(s, "u", ids[i]);
		size_t len = 0;
		const void *old = db_step(s) == DB_ROW ? db_col_blob(s, 0, &len) : NULL;
		int ok = old && vault_open(v, old, len, ad, &key) == 0;
		db_finalize(s);
		if (ok) {
			vault_seal(v, key.data, key.len, ad, &sealed);
			s = db_prepare(d, "UPDATE user_totp SET secret = :secret, key_id = :key "
			                  "WHERE user_id = :u");
			db_bind_blob(s, "secret", sealed.data, sealed.len);
			db_bind_int(s, "key", vault_active_id(v));
			db_bind_int(s, "u", ids[i]);
			ok = done_ok(s) == DB_OK;
		}
		if (key.data)
			sodium_memzero(key.data, key.len);
		buf_free(&key);
		buf_free(&sealed);
		if (!ok)
			rc = DB_ERROR;
		else
			done++;
	}
	free(ids);
	return rc == DB_DONE ? done : -1;
}

/* ---- logins waiting for a code ------------------------------------------- */

int totp_pending_create(db *d, int64_t user_id, int kind, const char *next, const char *ip,
                        int64_t now, char id_out[65])
{
	assert(kind == TOTP_PENDING_CODE || kind == TOTP_PENDING_ENROL);
	db_stmt *s = db_prepare(d, "DELETE FROM totp_pending WHERE created_at < :old");
	db_bind_int(s, "old", now - TOTP_PENDING_SECONDS);
	int rc = done_ok(s);
	if (rc != DB_OK)
		return rc;
	char hash[65];
	util_random_hex(id_out, 32);
	util_hash_hex(id_out, hash);
	s = db_prepare(d, "INSERT INTO totp_pending (id_hash, user_id, kind, next, created_at, ip) "
	                  "VALUES (:h, :u, :kind, :next, :now, :ip)");
	db_bind_text(s, "h", hash);
	db_bind_int(s, "u", user_id);
	db_bind_text(s, "kind", kind == TOTP_PENDING_ENROL ? "enrol" : "code");
	db_bind_text(s, "next", next && next[0] == '/' && strlen(next) < 256 ? next : "/");
	db_bind_int(s, "now", now);
	db_bind_text(s, "ip", ip ? ip : "");
	return done_ok(s);
}

int totp_pending_lookup(db *d, const char *id, int64_t now, struct totp_pending *out)
{
	if (!session_id_ok(id))
		return DB_DONE;
	char hash[65];
	util_hash_hex(id, hash);
	db_stmt *s = db_prepare(
	        d, "SELECT p.kind, p.next, p.created_at, u.id, u.org_id, u.username, "
	           "u.display_name, u.role, u.disabled, u.must_change_password "
	           "FROM totp_pending p JOIN users u ON u.id = p.user_id WHERE p.id_hash = :h");
	db_bind_text(s, "h", hash);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		memset(out, 0, sizeof *out);
		snprintf(out->id_hash, sizeof out->id_hash, "%s", hash);
		out->kind = strcmp(db_col_text(s, 0), "enrol") == 0 ? TOTP_PENDING_ENROL
		                                                    : TOTP_PENDING_CODE;
		snprintf(out->next, sizeof out->next, "%s", db_col_text(s, 1));
		out->created_at = db_col_int(s, 2);
		out->user.id = db_col_int(s, 3);
		out->user.org_id = db_col_int(s, 4);
		snprintf(out->user.username, sizeof out->user.username, "%s", db_col_text(s, 5));
		snprintf(out->user.display_name, sizeof out->user.display_name, "%s",
		         db_col_text(s, 6));
		out->user.role = role_parse(db_col_text(s, 7));
		out->user.disabled = (int)db_col_int(s, 8);
		out->user.must_change_password = (int)db_col_int(s, 9);
		if (out->user.disabled || !out->user.role ||
		    now - out->created_at > TOTP_PENDING_SECONDS || now < out->created_at - 300)
			rc = DB_DONE;
	}
	db_finalize(s);
	return rc;
}

int totp_pending_delete(db *d, const char *id_hash)
{
	db_stmt *s = db_prepare(d, "DELETE FROM totp_pending WHERE id_hash = :h");
	db_bind_text(s, "h", id_hash);
	return done_ok(s);
}

int totp_pending_end_user(db *d, int64_t user_id)
{
	db_stmt *s = db_prepare(d, "DELETE FROM totp_pending WHERE user_id = :u");
	db_bind_int(s, "u", user_id);
	return done_ok(s);
}
