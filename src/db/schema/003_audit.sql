-- 003_audit.sql: the access log (NEN 7513): who saw or changed which record, when, from where.
--
-- One row per view, export or change of a personal record (staff accounts,
-- participants, stories) and per login attempt. Rows are written only by
-- audit_append (src/model/audit.c) inside the writer's transaction, which
-- serialises appends. Each row carries the hash of the row before it
-- (prev_hash) and its own hash over a canonical encoding of its fields, so
-- a changed, removed or inserted row breaks the chain from that row on;
-- `vertelpunt audit verify` recomputes it. The first row's prev_hash is 64
-- zeros.
--
-- Retention: a later purge may remove old rows. It will first append a
-- 'checkpoint' row (object_type 'audit_log', detail naming the last id
-- removed), then delete the rows before it in the same transaction, after
-- replacing audit_log_no_delete with a trigger that allows deleting only
-- rows older than the newest checkpoint. audit_verify already accepts a
-- chain that starts at a checkpoint row: its prev_hash is then the anchor.
--
-- The triggers are SQLite syntax. PostgreSQL gets its own
-- 003_audit.pg.sql (same table; a plpgsql function raising an exception in
-- BEFORE UPDATE OR DELETE triggers, and a REVOKE of UPDATE/DELETE from the
-- application role) when that driver is built.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor_user_id INTEGER NULL, -- no foreign key: the log outlives the account
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id TEXT NOT NULL,
	subject_code TEXT NULL,
	origin TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
-- "Who has seen the data of person X" is one indexed query.
CREATE INDEX audit_log_subject ON audit_log(subject_code, id);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id, id);

-- Append-only, enforced by the database itself, not only by the program.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
