-- 013_audit_seals.sql: keyed seals of the access log's head, so a rewritten chain is found.
--
-- The hash chain of audit_log (003_audit.sql) has no secret: whoever can
-- write the database file can change a row and recompute every hash after
-- it. A seal is an HMAC-SHA-256 over "log_id|log_hash|at|key_id" with a key
-- derived from the vault key key_id (the key file, outside the database)
-- for this one purpose ("audit-seal"). Rows are written only by audit_seal
-- (src/model/audit.c) inside a writer job, when the head moved since the
-- last seal: by the server's housekeeping every few minutes, by
-- `vertelpunt audit seal`, and by `vertelpunt key rotate` before it drops
-- the old keys. audit_verify_sealed checks every seal whose key the key
-- file still holds; a rewritten chain fails at the first sealed row whose
-- hash changed. Rows after the newest seal are protected by the chain only
-- (docs/privacy-log.md, "The seal").
CREATE TABLE audit_seals (
	id INTEGER PRIMARY KEY,
	log_id INTEGER NOT NULL, -- the audit_log row sealed (no foreign key: a purge may remove it)
	log_hash TEXT NOT NULL,  -- that row's hash when it was sealed
	key_id INTEGER NOT NULL, -- the vault key the mac key was derived from
	at INTEGER NOT NULL,
	mac TEXT NOT NULL        -- 64 hex digits
);
CREATE INDEX audit_seals_log ON audit_seals(log_id);

-- Append-only, like audit_log.
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
BEGIN
	SELECT RAISE(ABORT, 'audit_seals is append-only');
END;
CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
BEGIN
	SELECT RAISE(ABORT, 'audit_seals is append-only');
END;
