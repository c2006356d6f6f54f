-- 004_consent.sql: consent as given: the exact text shown, when, through which channel; and its withdrawal.
-- Each text shown is stored once, by its BLAKE2b-256 hash.
CREATE TABLE consent_texts (
	hash TEXT PRIMARY KEY,
	text TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE consents (
	id INTEGER PRIMARY KEY,
	participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
	purpose TEXT NOT NULL,
	text_version TEXT NOT NULL,
	text_hash TEXT NOT NULL REFERENCES consent_texts(hash),
	channel TEXT NOT NULL CHECK (channel IN ('web', 'kiosk', 'face-to-face', 'phone', 'paper', 'cli')),
	given_at INTEGER NOT NULL,
	withdrawn_at INTEGER,
	withdrawn_channel TEXT CHECK (withdrawn_channel IS NULL OR
		withdrawn_channel IN ('web', 'kiosk', 'face-to-face', 'phone', 'paper', 'cli'))
);
CREATE INDEX consents_participant ON consents(participant_id);
