-- 005_totp.postgres.sql: two-factor login (TOTP, RFC 6238): secrets, recovery codes, logins waiting for a code. (PostgreSQL version of 005_totp.sql)
-- One row per account that has two-factor login or must have it. The secret
-- is sealed with the vault (core/vault.h, associated data "user:<id>:totp");
-- secret IS NULL means not enrolled. last_step is the last 30-second step a
-- code was accepted for: a code for that step or an earlier one is refused
-- (no replay).
CREATE TABLE user_totp (
	user_id bigint PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	required bigint NOT NULL DEFAULT 0,
	secret bytea,
	key_id bigint,
	last_step bigint NOT NULL DEFAULT 0,
	enrolled_at bigint,
	recovery_salt text
);
CREATE INDEX user_totp_key ON user_totp(key_id);

-- Recovery codes, stored only as keyed BLAKE2b-256 hashes (key: the
-- account's recovery_salt); each can be used once.
CREATE TABLE user_recovery_codes (
	user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_hash text NOT NULL,
	used_at bigint,
	PRIMARY KEY (user_id, code_hash)
);

-- A login whose password was right and that waits for a code ('code') or
-- for enrolment ('enrol'). Stored by the hash of its id (the cookie holds
-- the id). It is not a session: every page for staff stays closed to it.
CREATE TABLE totp_pending (
	id_hash text PRIMARY KEY,
	user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('code', 'enrol')),
	next text NOT NULL,
	created_at bigint NOT NULL,
	ip text NOT NULL
);
CREATE INDEX totp_pending_user ON totp_pending(user_id);
