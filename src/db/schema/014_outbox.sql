-- 014_outbox.sql: the durable outbox of e-mail: queued in the database, sent by a worker, retried with backoff.
--
-- A message is one row from the moment it is queued (in the same writer job
-- as the change it belongs to) until long after it was sent. The recipient
-- and the texts (subject, body, calendar part) are personal data: they are
-- one JSON object sealed with the vault (core/vault.h, associated data
-- "outbox:ID"), so the database file alone reveals no e-mail address. The
-- clear columns say only what kind of message it is, what it belongs to and
-- how sending went. src/model/outbox.c is the only writer; docs/mail.md
-- describes the life of a message and the guarantee.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	purpose TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 40), -- invitation, reminder, feedback, test
	dedup_key TEXT UNIQUE,      -- NULL, or a key that can be queued once only
	ref_kind TEXT,              -- what it belongs to ("conversation", "participant", ...)
	ref_id INTEGER,
	message_id TEXT NOT NULL UNIQUE, -- the Message-ID header, the same on every try
	sealed BLOB,                -- the sealed parts; NULL once purged after sending
	key_id INTEGER,
	status TEXT NOT NULL DEFAULT 'queued'
		CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0, -- tries started
	created_at INTEGER NOT NULL,
	next_attempt_at INTEGER NOT NULL,    -- queued: not before this time
	claimed_at INTEGER,                  -- sending: when the worker took it
	sent_at INTEGER,
	failed_at INTEGER,
	last_error TEXT,                     -- the last failure (addresses scrubbed)
	has_calendar INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_ref ON outbox(ref_kind, ref_id);
CREATE INDEX outbox_key ON outbox(key_id);
