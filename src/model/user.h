/* user.h: staff accounts, roles and organisations. */
#ifndef VP_USER_H
#define VP_USER_H

#include "core/buf.h"
#include "db/db.h"

#include <stdint.h>

/* Roles are bits so a route can list the roles that may call it. */
enum role {
	ROLE_BEHEERDER = 1u << 0,        /* administrator */
	ROLE_ONDERZOEKER = 1u << 1,      /* analyst */
	ROLE_GESPREKSVOERDER = 1u << 2,  /* conversation lead, Wmo consultant */
	ROLE_PROCESBEGELEIDER = 1u << 3, /* facilitator */
	ROLE_MEELEZER = 1u << 4,         /* read-only */
};
#define ROLE_ALL_STAFF                                                                      \
	(ROLE_BEHEERDER | ROLE_ONDERZOEKER | ROLE_GESPREKSVOERDER | ROLE_PROCESBEGELEIDER | \
	 ROLE_MEELEZER)

/* The stored name of a single role ("beheerder"), or NULL. */
const char *role_name(unsigned role);
/* The role for a stored name, or 0. */
unsigned role_parse(const char *name);

enum {
	USERNAME_MAX = 64,
	DISPLAY_NAME_MAX = 128,
	PASSWORD_MIN = 12,
	PASSWORD_MAX = 1024,
	PWHASH_MAX = 128
};

struct user {
	int64_t id;
	int64_t org_id;
	char username[USERNAME_MAX + 1];
	char display_name[DISPLAY_NAME_MAX * 4 + 1];
	unsigned role;
	int disabled;
	int must_change_password;
};

/* Validation; each returns NULL when fine, else an English message id that
 * the caller translates. */
const char *user_check_username(const char *s);
const char *user_check_display_name(const char *s);
const char *user_check_password(const char *s);

/* argon2id hash (libsodium, INTERACTIVE limits or stronger). Slow by design:
 * call it outside the writer. Returns 0 or -1 (out of memory). */
int user_hash_password(const char *password, char out[PWHASH_MAX]);
/* Verifies password against the stored hash; always spends the hashing time,
 * also for an unknown user (pass hash NULL), so timing tells nothing. */
int user_verify_password(const char *hash, const char *password);
/* A random one-time password of 20 letters and digits in groups of 4. */
void user_generate_password(char out[25]);

/* Database calls. Those that change data run inside a writer job. */
int org_ensure(db *d, const char *name, int64_t *id_out);
int org_name(db *d, int64_t id, char *out, size_t outlen);
/* DB_OK, DB_CONSTRAINT when the username is taken. */
int user_insert(db *d, int64_t org_id, const char *username, const char *display_name,
                unsigned role, const char *pwhash, int must_change, int64_t *id_out);
/* DB_ROW when found (fills u and, if pwhash is not NULL, the hash), DB_DONE if not. */
int user_by_name(db *d, const char *username, struct user *u, char pwhash[PWHASH_MAX]);
int user_by_id(db *d, int64_t id, struct user *u);
/* Appends a JSON array of all users (no hashes) to out. */
int user_list_json(db *d, buf *out);
/* Each returns DB_OK, or DB_DONE when no such user. Disabling a user or
 * setting a password ends all their sessions. */
int user_set_role(db *d, int64_t id, unsigned role);
int user_set_disabled(db *d, int64_t id, int disabled);
int user_set_password(db *d, int64_t id, const char *pwhash, int must_change);
int64_t user_count(db *d);

#endif
