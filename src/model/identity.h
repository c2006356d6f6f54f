/* identity.h: staff login through an outside identity provider (OpenID Connect): which account an identity is, and whether it may start a session. */
#ifndef VP_IDENTITY_H
#define VP_IDENTITY_H

#include "db/db.h"
#include "model/user.h"

#include <stdint.h>

/* What the relying party (docs/oidc.md) has verified about the person:
 * the ID token's signature, issuer, audience, expiry and nonce are checked
 * before this is filled in. Nothing here is trusted for authorisation but
 * (issuer, subject): e-mail addresses and names change and are reused. */
struct external_identity {
	const char *issuer;  /* "iss": the provider's URL */
	const char *subject; /* "sub": stable, unique at the issuer */
	int mfa;             /* "amr"/"acr" say a second factor was used */
};

enum identity_result {
	IDENTITY_OK = 0,         /* a session may be made for user */
	IDENTITY_UNKNOWN = 1,    /* not linked to an account: refused (no self-service accounts) */
	IDENTITY_DISABLED = 2,   /* linked to a disabled account: refused */
	IDENTITY_NEEDS_CODE = 3, /* the account requires two-factor login and the provider did
	                          * not report one: ask for our own code (TOTP) first */
	IDENTITY_INVALID = 4,    /* issuer or subject empty, too long or not clean UTF-8 */
};

/* Decides a login by an outside identity in organisation org_id: the
 * linked account (filled into out when found) and what may happen. A
 * role, a password change or anything else is never taken from the
 * provider's claims: staff keep their roles here. Returns an enum
 * identity_result, or a negative db_rc error. */
int identity_login(db *d, int64_t org_id, const struct external_identity *id, struct user *out);

/* Links an identity to an account of org_id, or unlinks it (a writer job,
 * for administrators: `vertelpunt user link-identity`). result: DB_OK,
 * IDENTITY_UNKNOWN (no such account), IDENTITY_INVALID, or DB_CONSTRAINT
 * (the identity is linked to another account already). */
struct identity_link {
	int64_t org_id;
	const char *username, *issuer, *subject;
	int unlink;
	int result;
};
int identity_link_write(db *d, void *ctx);
/* Records a login (a writer job on the same struct as identity_login's
 * input). */
int identity_touch_write(db *d, void *ctx);

#endif
