/* totp.h: two-factor login: time-based one-time passwords (RFC 6238), recovery codes, logins waiting for a code. */
#ifndef VP_TOTP_H
#define VP_TOTP_H

#include "core/buf.h"
#include "core/vault.h"
#include "db/db.h"
#include "model/user.h"

#include <stddef.h>
#include <stdint.h>

/* Codes are HOTP (RFC 4226, HMAC-SHA1, from liboath) over the 30-second
 * step since the epoch, 6 digits, as every authenticator app expects. A
 * code is accepted for the current step and one step either side (clock
 * drift), but only for a step later than the last one accepted for the
 * account: a code cannot be used twice. */
enum {
	TOTP_SECRET_BYTES = 20, /* 160 bits (RFC 4226 section 4) */
	TOTP_SECRET_B32 = 32,   /* its base32 form, without padding */
	TOTP_DIGITS = 6,
	TOTP_STEP_SECONDS = 30,
	TOTP_WINDOW = 1, /* steps either side */
	TOTP_RECOVERY_COUNT = 10,
	TOTP_RECOVERY_CHARS = 16, /* 16 of 31 letters and digits: 79 bits */
	TOTP_RECOVERY_LEN = 19,   /* shown as "abcd-efgh-jkmn-pqrs" */
	TOTP_MAX_FAILURES = 5,    /* wrong codes inside LOGIN_WINDOW_SECONDS */
	TOTP_PENDING_SECONDS = 10 * 60,
};

/* Results besides the db_rc ones. */
enum {
	TOTP_WRONG = -30,  /* the code does not match */
	TOTP_REPLAY = -31, /* the code matches a step that was used already */
	TOTP_NOT_ENROLLED = -32,
	TOTP_ENROLLED = -33,   /* totp_enrol: the account has a secret already */
	TOTP_UNREADABLE = -34, /* the sealed secret does not open with the vault */
};

/* ---- pure functions ------------------------------------------------------ */

/* The time step of unix time t (floor(t / 30)). */
int64_t totp_step(int64_t t);
/* The HOTP value of key for counter (the time step for TOTP), digits long
 * (6 to 8), as decimal text into out (digits + 1 bytes). Returns 0 or -1. */
int totp_hotp(const unsigned char *key, size_t keylen, int64_t counter, unsigned digits, char *out);
/* The step in [step(now) - 1, step(now) + 1] whose 6-digit code is code
 * and that is later than last_step; -1 when none. Spaces in code are
 * ignored; anything but 6 digits matches nothing. Every candidate is
 * computed and compared in constant time. *replay (may be NULL) is set
 * when the code matches only a step at or before last_step. */
int64_t totp_match(const unsigned char *key, size_t keylen, int64_t now, int64_t last_step,
                   const char *code, int *replay);
/* A fresh random secret. */
void totp_secret_new(unsigned char key[TOTP_SECRET_BYTES]);
/* The secret in base32 (RFC 4648, upper case, no padding). */
void totp_base32(const unsigned char key[TOTP_SECRET_BYTES], char out[TOTP_SECRET_B32 + 1]);
/* Appends the otpauth:// URI an authenticator app reads (Key Uri Format):
 * otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&
 * digits=6&period=30, with issuer and account percent-encoded. */
void totp_uri(buf *out, const char *issuer, const char *account,
              const char b32[TOTP_SECRET_B32 + 1]);
/* Ten fresh recovery codes, "abcd-efgh-jkmn-pqrs" (no 0/o, 1/l/i). */
void totp_recovery_new(char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1]);
/* The 16 characters of a recovery code as typed (any case, with or without
 * dashes and spaces). Returns 0, or -1 when it cannot be a recovery code. */
int totp_recovery_normalise(const char *in, char out[TOTP_RECOVERY_CHARS + 1]);
/* The throttle subject of wrong codes for an account (model/session.h's
 * login_failures): "2fa:<id>". */
void totp_failure_subject(int64_t user_id, char out[32]);

/* ---- accounts ------------------------------------------------------------- */

struct totp_status {
	int required;        /* the administrator requires two-factor login */
	int enrolled;        /* the account has a secret */
	int64_t enrolled_at; /* unix seconds, 0 when not enrolled */
	int recovery_left;   /* unused recovery codes */
};

/* The account's two-factor state (all zero when it never had any). */
int totp_status_get(db *d, int64_t user_id, struct totp_status *out);
/* What a correct password leads to: 0 (a session), TOTP_PENDING_CODE (ask
 * for a code) or TOTP_PENDING_ENROL (required but not enrolled). */
int totp_login_factor(db *d, int64_t user_id);

/* The calls below change data and run inside a writer job. */

/* Stores key sealed with v for user_id (associated data "user:<id>:totp"),
 * with step as the last step used (the code that confirmed enrolment), and
 * ten new recovery codes, returned in codes. DB_OK, or TOTP_ENROLLED. */
int totp_enrol(db *d, const vault *v, int64_t user_id, const unsigned char key[TOTP_SECRET_BYTES],
               int64_t step, char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1]);
/* Checks a code at time now; on success the step is stored as used.
 * DB_OK, TOTP_WRONG, TOTP_REPLAY, TOTP_NOT_ENROLLED, TOTP_UNREADABLE or a
 * db_rc error. */
int totp_check_code(db *d, const vault *v, int64_t user_id, const char *code, int64_t now);
/* Uses a recovery code: DB_OK (now spent), TOTP_WRONG (unknown or spent),
 * TOTP_NOT_ENROLLED, or a db_rc error. */
int totp_use_recovery(db *d, int64_t user_id, const char *code, int64_t now);
/* Replaces all recovery codes with ten new ones. DB_OK or TOTP_NOT_ENROLLED. */
int totp_recovery_renew(db *d, int64_t user_id,
                        char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1]);
/* Removes the secret and the recovery codes (the requirement stays).
 * DB_OK, or TOTP_NOT_ENROLLED. */
int totp_disable(db *d, int64_t user_id);
/* An administrator's reset (a lost phone): as totp_disable, and ends the
 * account's sessions and waiting logins. DB_OK even when not enrolled. */
int totp_reset(db *d, int64_t user_id);
/* Sets whether the account must use two-factor login. Requiring it of an
 * account without it ends its sessions and waiting logins: the next login
 * goes through enrolment. */
int totp_set_required(db *d, int64_t user_id, int required);
/* Re-seals every secret not sealed with v's active key (key rotation).
 * Returns how many, or -1 (a secret no key of v opens: nothing changes). */
int64_t totp_reseal_all(db *d, const vault *v);

/* ---- logins waiting for a code ------------------------------------------- */

/* After the right password, an account with two-factor login does not get a
 * session but a pending login: a random id (the cookie) stored by its hash,
 * valid for TOTP_PENDING_SECONDS, that opens only the code (or enrolment)
 * page. A correct code replaces it with a session. */
enum totp_pending_kind { TOTP_PENDING_CODE = 1, TOTP_PENDING_ENROL = 2 };

struct totp_pending {
	char id_hash[65];
	int kind;
	char next[256]; /* where to go after the code: a local path */
	int64_t created_at;
	struct user user;
};

/* Creates a pending login (and removes expired ones). Writer job. */
int totp_pending_create(db *d, int64_t user_id, int kind, const char *next, const char *ip,
                        int64_t now, char id_out[65]);
/* DB_ROW when id is a live pending login of an enabled account, DB_DONE
 * otherwise. */
int totp_pending_lookup(db *d, const char *id, int64_t now, struct totp_pending *out);
int totp_pending_delete(db *d, const char *id_hash);
/* Ends every pending login of the account. */
int totp_pending_end_user(db *d, int64_t user_id);

#endif
