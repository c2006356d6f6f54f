-- 005_totp.sql: two-factor login (TOTP, RFC 6238): secrets, recovery codes, logins waiting for a code.
-- One row per account that has two-factor login or must have it. The secret
-- is sealed with the vault (core/vault.h, associated data "user:<id>:totp");
-- secret IS NULL means not enrolled. last_step is the last 30-second step a
-- code was accepted for: a code for that step or an earlier one is refused
-- (no replay).
CREATE TABLE user_totp (
	user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	required INTEGER NOT NULL DEFAULT 0,
	secret BLOB,
	key_id INTEGER,
	last_step INTEGER NOT NULL DEFAULT 0,
	enrolled_at INTEGER,
	recovery_salt TEXT
);
CREATE INDEX user_totp_key ON user_totp(key_id);

-- Recovery codes, stored only as keyed BLAKE2b-256 hashes (key: the
-- account's recovery_salt); each can be used once.
CREATE TABLE user_recovery_codes (
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_hash TEXT NOT NULL,
	used_at INTEGER,
	PRIMARY KEY (user_id, code_hash)
);

-- A login whose password was right and that waits for a code ('code') or
-- for enrolment ('enrol'). Stored by the hash of its id (the cookie holds
-- the id). It is not a session: every page for staff stays closed to it.
CREATE TABLE totp_pending (
	id_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('code', 'enrol')),
	next TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	ip TEXT NOT NULL
);
CREATE INDEX totp_pending_user ON totp_pending(user_id);
