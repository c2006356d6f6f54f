-- 009_story_drafts.sql: a resident's story form kept between its pages (drafts), the consent given with each story, and the receipt shown again after sending.
-- A draft is found by the BLAKE2b-256 hash of the secret in the browser's
-- __Host-vp_story cookie, or by the hash of the resume code (XXXX-XXXX) the
-- teller asked for with "Later verder": the database holds neither secret.
-- uuid is the story's id, made with the draft, so a double click or a
-- reload of the last page stores the story once. consent_text_hash names
-- the exact privacy text shown (consent_texts). Drafts expire 30 days
-- after they were made (expires_at); a purge can remove them.
CREATE TABLE story_drafts (
	id INTEGER PRIMARY KEY,
	secret_hash TEXT NOT NULL UNIQUE,
	code_hash TEXT UNIQUE,
	collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
	uuid TEXT NOT NULL UNIQUE,
	language TEXT NOT NULL,
	answers TEXT NOT NULL,
	step INTEGER NOT NULL DEFAULT 1,
	consent_text_hash TEXT NOT NULL REFERENCES consent_texts(hash),
	consent_at INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX story_drafts_expires ON story_drafts(expires_at);

-- After sending, the browser that sent the story (the same cookie secret)
-- sees its receipt again for an hour: a reload or a second click of
-- "Versturen" then shows the thank-you page, not an error.
CREATE TABLE story_drafts_sent (
	secret_hash TEXT PRIMARY KEY,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	expires_at INTEGER NOT NULL
);

-- The consent given with a story told through the story form: the exact
-- text shown (consent_texts) and when.
ALTER TABLE stories ADD COLUMN consent_text_hash TEXT REFERENCES consent_texts(hash);
ALTER TABLE stories ADD COLUMN consent_at INTEGER;
