/* user.c: staff accounts: validation, password hashing, storage. */
#include "model/user.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct {
	unsigned role;
	const char *name;
} roles[] = {
        {ROLE_BEHEERDER, "beheerder"},
        {ROLE_ONDERZOEKER, "onderzoeker"},
        {ROLE_GESPREKSVOERDER, "gespreksvoerder"},
        {ROLE_PROCESBEGELEIDER, "procesbegeleider"},
        {ROLE_MEELEZER, "meelezer"},
};

const char *role_name(unsigned role)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].role == role)
			return roles[i].name;
	return NULL;
}

unsigned role_parse(const char *name)
{
	if (!name)
		return 0;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	return 0;
}

const char *user_check_username(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > USERNAME_MAX)
		return N_("A username has 2 to 64 characters.");
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_' || c == '@'))
			return N_("A username has only lower-case letters, digits and . - _ @");
	}
	return NULL;
}

const char *user_check_display_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return N_("Fill in a name.");
	size_t chars = 0; /* code points: bytes that do not continue a sequence */
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (chars > DISPLAY_NAME_MAX || !util_utf8_clean(s, n) || strpbrk(s, "\r\n\t"))
		return N_("The name is too long or has characters that are not allowed.");
	return NULL;
}

const char *user_check_password(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < PASSWORD_MIN)
		return N_("A password has at least 12 characters.");
	if (n > PASSWORD_MAX || !util_utf8_clean(s, n))
		return N_("The password is too long or has characters that are not allowed.");
	return NULL;
}

int user_hash_password(const char *password, char out[PWHASH_MAX])
{
	assert(password);
	_Static_assert(PWHASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
	return crypto_pwhash_str(out, password, strlen(password),
	                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                         crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
	               ? 0
	               : -1;
}

int user_verify_password(const char *hash, const char *password)
{
	static char dummy[PWHASH_MAX];
	static int have_dummy;
	if (!password)
		return 0;
	if (!hash || !*hash) {
		/* Spend the same time as for a real account. The race on the
		 * first call only costs an extra hash. */
		if (!have_dummy) {
			user_hash_password("vertelpunt-dummy-password", dummy);
			have_dummy = 1;
		}
		if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
			return 0;
		return 0;
	}
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void user_generate_password(char out[25])
{
	/* No 0/O, 1/l/I: people type these from a screen or a letter. */
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	int k = 0;
	for (int i = 0; i < 20; i++) {
		if (i && i % 4 == 0)
			out[k++] = '-';
		out[k++] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	}
	out[k] = '\0';
}

int org_ensure(db *d, const char *name, int64_t *id_out)
{
	db_stmt *s = db_prepare(d, "SELECT id FROM organisations WHERE name = :name");
	db_bind_text(s, "name", name);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*id_out = db_col_int(s, 0);
		db_finalize(s);
		return DB_OK;
	}
	db_finalize(s);
	s = db_prepare(d, "INSERT INTO organisations (name, created_at) VALUES (:name, :at) "
	                  "RETURNING id");
	db_bind_text(s, "name", name);
	db_bind_int(s, "at", clock_now());
	rc = db_step(s);
	if (rc == DB_ROW)
		*id_out = db_col_int(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : rc;
}

int org_name(db *d, int64_t id, char *out, size_t outlen)
{
	db_stmt *s = db_prepare(d, "SELECT name FROM organisations WHERE id = :id");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		snprintf(out, outlen, "%s", db_col_text(s, 0));
	db_finalize(s);
	return rc;
}

int user_insert(db *d, int64_t org_id, const char *username, const char *display_name,
                unsigned role, const char *pwhash, int must_change, int64_t *id_out)
{
	assert(role_name(role) && pwhash);
	db_stmt *s = db_prepare(
	        d, "INSERT INTO users (org_id, username, display_name, role, password_hash, "
	           "must_change_password, disabled, created_at, password_changed_at) "
	           "VALUES (:org, :username, :display, :role, :hash, :must, 0, :at, :at) RETURNING "
	           "id");
	db_bind_int(s, "org", org_id);
	db_bind_text(s, "username", username);
	db_bind_text(s, "display", display_name);
	db_bind_text(s, "role", role_name(role));
	db_bind_text(s, "hash", pwhash);
	db_bind_int(s, "must", must_change ? 1 : 0);
	db_bind_int(s, "at", clock_now());
	int rc = db_step(s);
	if (rc == DB_ROW && id_out)
		*id_out = db_col_int(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : rc;
}

static void fill(db_stmt *s, struct user *u)
{
	memset(u, 0, sizeof *u);
	u->id = db_col_int(s, 0);
	u->org_id = db_col_int(s, 1);
	snprintf(u->username, sizeof u->username, "%s", db_col_text(s, 2));
	snprintf(u->display_name, sizeof u->display_name, "%s", db_col_text(s, 3));
	u->role = role_parse(db_col_text(s, 4));
	u->disabled = (int)db_col_int(s, 5);
	u->must_change_password = (int)db_col_int(s, 6);
}

int user_by_name(db *d, const char *username, struct user *u, char pwhash[PWHASH_MAX])
{
	db_stmt *s = db_prepare(d, "SELECT id, org_id, username, display_name, role, disabled, "
	                           "must_change_password, password_hash FROM users "
	                           "WHERE username = :username");
	db_bind_text(s, "username", username);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		fill(s, u);
		if (pwhash)
			snprintf(pwhash, PWHASH_MAX, "%s", db_col_text(s, 7));
	}
	db_finalize(s);
	return rc;
}

int user_by_id(db *d, int64_t id, struct user *u)
{
	db_stmt *s = db_prepare(d, "SELECT id, org_id, username, display_name, role, disabled, "
	                           "must_change_password FROM users WHERE id = :id");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		fill(s, u);
	db_finalize(s);
	return rc;
}

int user_list_json(db *d, buf *out)
{
	db_stmt *s = db_prepare(d, "SELECT id, org_id, username, display_name, role, disabled, "
	                           "must_change_password, created_at FROM users ORDER BY username");
	int rc, first = 1;
	buf_putc(out, '[');
	while ((rc = db_step(s)) == DB_ROW) {
		struct user u;
		fill(s, &u);
		char at[21];
		clock_iso(db_col_int(s, 7), at);
		buf_puts(out, first ? "{" : ",{");
		first = 0;
		buf_printf(out, "\"id\":%lld,\"username\":", (long long)u.id);
		buf_json_str(out, u.username);
		buf_puts(out, ",\"name\":");
		buf_json_str(out, u.display_name);
		buf_puts(out, ",\"role\":");
		buf_json_str(out, role_name(u.role) ? role_name(u.role) : "");
		buf_printf(out,
		           ",\"disabled\":%s,\"must_change_password\":%s,\"created_at\":\"%s\"}",
		           u.disabled ? "true" : "false", u.must_change_password ? "true" : "false",
		           at);
	}
	buf_putc(out, ']');
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static int end_sessions(db *d, int64_t id)
{
	db_stmt *s = db_prepare(d, "DELETE FROM sessions WHERE user_id = :id");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static int done_or_missing(db *d, int rc)
{
	if (rc != DB_DONE)
		return rc;
	return db_changes(d) > 0 ? DB_OK : DB_DONE;
}

int user_set_role(db *d, int64_t id, unsigned role)
{
	assert(role_name(role));
	db_stmt *s = db_prepare(d, "UPDATE users SET role = :role WHERE id = :id");
	db_bind_text(s, "role", role_name(role));
	db_bind_int(s, "id", id);
	int rc = done_or_missing(d, db_step(s));
	db_finalize(s);
	return rc;
}

int user_set_disabled(db *d, int64_t id, int disabled)
{
	db_stmt *s = db_prepare(d, "UPDATE users SET disabled = :off WHERE id = :id");
	db_bind_int(s, "off", disabled ? 1 : 0);
	db_bind_int(s, "id", id);
	int rc = done_or_missing(d, db_step(s));
	db_finalize(s);
	if (rc == DB_OK && disabled)
		rc = end_sessions(d, id);
	return rc;
}

int user_set_password(db *d, int64_t id, const char *pwhash, int must_change)
{
	db_stmt *s = db_prepare(d, "UPDATE users SET password_hash = :hash, "
	                           "must_change_password = :must, password_changed_at = :at "
	                           "WHERE id = :id");
	db_bind_text(s, "hash", pwhash);
	db_bind_int(s, "must", must_change ? 1 : 0);
	db_bind_int(s, "at", clock_now());
	db_bind_int(s, "id", id);
	int rc = done_or_missing(d, db_step(s));
	db_finalize(s);
	if (rc == DB_OK)
		rc = end_sessions(d, id);
	return rc;
}

int64_t user_count(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM users");
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}
