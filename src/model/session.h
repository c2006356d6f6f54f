/* session.h: server-side staff sessions and the login throttle. */
#ifndef VP_SESSION_H
#define VP_SESSION_H

#include "db/db.h"
#include "model/user.h"

#include <stdint.h>

enum {
	SESSION_IDLE_SECONDS = 30 * 60,
	SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60,
	SESSION_TOUCH_SECONDS = 60, /* last_seen is written at most once a minute */
	LOGIN_WINDOW_SECONDS = 15 * 60,
	LOGIN_MAX_FAILURES = 10,
};

struct session {
	char id_hash[65];
	char csrf[65];
	int64_t created_at;
	int64_t last_seen;
	struct user user;
};

/* Creates a session for user_id with a fresh 256-bit id (hex, to the cookie)
 * and CSRF token. Runs in a writer job. */
int session_create(db *d, int64_t user_id, const char *ip, char id_out[65], char csrf_out[65]);
/* 1 when id has the form of a session id: 64 lower-case hex digits. */
int session_id_ok(const char *id);
/* Finds the live session for a cookie value at time now: DB_ROW when it
 * exists, is neither idle nor too old, and its user is enabled; DB_DONE
 * otherwise. */
int session_lookup(db *d, const char *id, int64_t now, struct session *out);
int session_touch(db *d, const char *id_hash, int64_t now);
int session_delete(db *d, const char *id_hash);
/* Removes expired sessions and old login failures; returns rows removed or -1. */
int64_t session_purge(db *d, int64_t now);

/* The login throttle counts failures per subject ("user:NAME", "ip:ADDR")
 * inside the window. */
int64_t login_failures(db *d, const char *subject, int64_t now);
int login_failure_record(db *d, const char *subject, int64_t now);
int login_failures_clear(db *d, const char *subject);

#endif
