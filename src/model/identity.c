/* identity.c: staff login through an outside identity provider (OpenID Connect): which account an identity is, and whether it may start a session. */
#include "model/identity.h"

#include "core/clock.h"
#include "core/util.h"
#include "model/totp.h"

#include <assert.h>
#include <string.h>

static int valid(const char *s, size_t max)
{
	return s && *s && strlen(s) <= max && util_utf8_clean(s, strlen(s));
}

int identity_login(db *d, int64_t org_id, const struct external_identity *id, struct user *out)
{
	assert(id && out);
	memset(out, 0, sizeof *out);
	if (!valid(id->issuer, 512) || !valid(id->subject, 255))
		return IDENTITY_INVALID;
	db_stmt *s = db_prepare(d, "SELECT i.user_id FROM user_identities i JOIN users u ON "
	                           "u.id = i.user_id WHERE i.issuer = :iss AND i.subject = :sub "
	                           "AND u.org_id = :org");
	db_bind_text(s, "iss", id->issuer);
	db_bind_text(s, "sub", id->subject);
	db_bind_int(s, "org", org_id);
	int rc = db_step(s);
	int64_t uid = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc == DB_DONE)
		return IDENTITY_UNKNOWN;
	if (rc != DB_ROW)
		return rc > 0 ? -rc : rc;
	rc = user_by_id(d, uid, out);
	if (rc != DB_ROW)
		return rc == DB_DONE ? IDENTITY_UNKNOWN : (rc > 0 ? -rc : rc);
	if (out->disabled)
		return IDENTITY_DISABLED;
	/* The provider's second factor counts; without it an account that
	 * must use two-factor login is asked for its own code. */
	if (!id->mfa && totp_login_factor(d, uid) != 0)
		return IDENTITY_NEEDS_CODE;
	return IDENTITY_OK;
}

int identity_link_write(db *d, void *ctx)
{
	struct identity_link *l = ctx;
	if (!valid(l->issuer, 512) || !valid(l->subject, 255)) {
		l->result = IDENTITY_INVALID;
		return DB_OK;
	}
	struct user u;
	int rc = user_by_name(d, l->username, &u, NULL);
	if (rc != DB_ROW || u.org_id != l->org_id) {
		l->result = IDENTITY_UNKNOWN;
		return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
	}
	db_stmt *s;
	if (l->unlink) {
		s = db_prepare(d,
		               "DELETE FROM user_identities WHERE issuer = :iss AND subject = :sub "
		               "AND user_id = :u RETURNING user_id");
	} else {
		s = db_prepare(
		        d, "INSERT INTO user_identities (issuer, subject, user_id, created_at) "
		           "VALUES (:iss, :sub, :u, :now) ON CONFLICT (issuer, subject) DO "
		           "UPDATE SET issuer = excluded.issuer WHERE user_identities.user_id = "
		           "excluded.user_id "
		           "RETURNING user_id");
		db_bind_int(s, "now", clock_now());
	}
	db_bind_text(s, "iss", l->issuer);
	db_bind_text(s, "sub", l->subject);
	db_bind_int(s, "u", u.id);
	rc = db_step(s);
	db_finalize(s);
	if (rc == DB_ROW) {
		l->result = DB_OK;
		return DB_OK;
	}
	if (rc != DB_DONE)
		return rc;
	/* Unlink: nothing to remove. Link: linked to someone else already. */
	l->result = l->unlink ? IDENTITY_UNKNOWN : DB_CONSTRAINT;
	return DB_OK;
}

int identity_touch_write(db *d, void *ctx)
{
	const struct external_identity *id = ctx;
	db_stmt *s = db_prepare(d, "UPDATE user_identities SET last_login_at = :now WHERE "
	                           "issuer = :iss AND subject = :sub");
	db_bind_int(s, "now", clock_now());
	db_bind_text(s, "iss", id->issuer);
	db_bind_text(s, "sub", id->subject);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}
