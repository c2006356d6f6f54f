-- 001_foundation.sql: organisations, staff accounts, sessions and login throttling.
CREATE TABLE organisations (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES organisations(id),
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('beheerder', 'onderzoeker', 'gespreksvoerder',
	                                   'procesbegeleider', 'meelezer')),
	password_hash TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	password_changed_at INTEGER NOT NULL
);

-- Sessions are stored by the hash of their id: a copy of the database does
-- not hold a cookie anyone could use.
CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	ip TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- One row per failed login, per subject ('user:NAME' and 'ip:ADDRESS'); rows
-- older than the lockout window are pruned.
CREATE TABLE login_failures (
	id INTEGER PRIMARY KEY,
	subject TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures(subject, at);
