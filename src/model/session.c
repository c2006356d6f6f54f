/* session.c: sessions stored by the hash of their id; failed-login bookkeeping. */
#include "model/session.h"

#include "core/clock.h"
#include "core/util.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

int session_create(db *d, int64_t user_id, const char *ip, char id_out[65], char csrf_out[65])
{
	char hash[65];
	util_random_hex(id_out, 32);
	util_random_hex(csrf_out, 32);
	util_hash_hex(id_out, hash);
	db_stmt *s =
	        db_prepare(d, "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, "
	                      "last_seen, ip) VALUES (:h, :u, :csrf, :now, :now, :ip)");
	db_bind_text(s, "h", hash);
	db_bind_int(s, "u", user_id);
	db_bind_text(s, "csrf", csrf_out);
	db_bind_int(s, "now", clock_now());
	db_bind_text(s, "ip", ip ? ip : "");
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int session_id_ok(const char *id)
{
	if (!id || strlen(id) != 64)
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

int session_lookup(db *d, const char *id, int64_t now, struct session *out)
{
	if (!session_id_ok(id))
		return DB_DONE;
	char hash[65];
	util_hash_hex(id, hash);
	db_stmt *s = db_prepare(
	        d, "SELECT s.csrf_token, s.created_at, s.last_seen, u.id, u.org_id, u.username, "
	           "u.display_name, u.role, u.disabled, u.must_change_password "
	           "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = :h");
	db_bind_text(s, "h", hash);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		memset(out, 0, sizeof *out);
		snprintf(out->id_hash, sizeof out->id_hash, "%s", hash);
		snprintf(out->csrf, sizeof out->csrf, "%s", db_col_text(s, 0));
		out->created_at = db_col_int(s, 1);
		out->last_seen = db_col_int(s, 2);
		out->user.id = db_col_int(s, 3);
		out->user.org_id = db_col_int(s, 4);
		snprintf(out->user.username, sizeof out->user.username, "%s", db_col_text(s, 5));
		snprintf(out->user.display_name, sizeof out->user.display_name, "%s",
		         db_col_text(s, 6));
		out->user.role = role_parse(db_col_text(s, 7));
		out->user.disabled = (int)db_col_int(s, 8);
		out->user.must_change_password = (int)db_col_int(s, 9);
		if (out->user.disabled || !out->user.role ||
		    now - out->last_seen > SESSION_IDLE_SECONDS ||
		    now - out->created_at > SESSION_ABSOLUTE_SECONDS || now < out->created_at - 300)
			rc = DB_DONE;
	}
	db_finalize(s);
	return rc;
}

int session_touch(db *d, const char *id_hash, int64_t now)
{
	db_stmt *s = db_prepare(d, "UPDATE sessions SET last_seen = :now WHERE id_hash = :h "
	                           "AND last_seen < :now");
	db_bind_int(s, "now", now);
	db_bind_text(s, "h", id_hash);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int session_delete(db *d, const char *id_hash)
{
	db_stmt *s = db_prepare(d, "DELETE FROM sessions WHERE id_hash = :h");
	db_bind_text(s, "h", id_hash);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int64_t session_purge(db *d, int64_t now)
{
	db_stmt *s = db_prepare(d, "DELETE FROM sessions WHERE last_seen < :idle "
	                           "OR created_at < :absolute");
	db_bind_int(s, "idle", now - SESSION_IDLE_SECONDS);
	db_bind_int(s, "absolute", now - SESSION_ABSOLUTE_SECONDS);
	int rc = db_step(s);
	int64_t n = db_changes(d);
	db_finalize(s);
	if (rc != DB_DONE)
		return -1;
	s = db_prepare(d, "DELETE FROM login_failures WHERE at < :since");
	db_bind_int(s, "since", now - LOGIN_WINDOW_SECONDS);
	rc = db_step(s);
	n += db_changes(d);
	db_finalize(s);
	return rc == DB_DONE ? n : -1;
}

int64_t login_failures(db *d, const char *subject, int64_t now)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM login_failures WHERE subject = :subject "
	                           "AND at > :since");
	db_bind_text(s, "subject", subject);
	db_bind_int(s, "since", now - LOGIN_WINDOW_SECONDS);
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	return n;
}

int login_failure_record(db *d, const char *subject, int64_t now)
{
	db_stmt *s =
	        db_prepare(d, "INSERT INTO login_failures (subject, at) VALUES (:subject, :at)");
	db_bind_text(s, "subject", subject);
	db_bind_int(s, "at", now);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int login_failures_clear(db *d, const char *subject)
{
	db_stmt *s = db_prepare(d, "DELETE FROM login_failures WHERE subject = :subject");
	db_bind_text(s, "subject", subject);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}
