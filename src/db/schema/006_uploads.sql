-- 006_uploads.sql: uploaded images (plans, maps, sketches, photos): what was stored, by whom, under which token.
-- The bytes are not in the database but in a file named by the token in the
-- upload folder (by default uploads/ next to the database file; see
-- docs/uploads.md). They are the re-encoded image, never the bytes as sent:
-- only JPEG and PNG, stripped of all metadata. The file is written, synced
-- and renamed into place before this row commits; a file without a row (a
-- crash in between) is an orphan that may be removed, a row without a file
-- answers 404.
CREATE TABLE uploads (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES organisations(id),
	-- 128 random bits as 32 lower-case hex digits: the file name and the URL.
	token TEXT NOT NULL UNIQUE CHECK (length(token) = 32),
	-- The name as sent, cleaned (no path, no control characters or quotes,
	-- at most 100 characters, extension matching the type); only for
	-- Content-Disposition.
	original_name TEXT NOT NULL,
	content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
	bytes INTEGER NOT NULL CHECK (bytes > 0),
	width INTEGER NOT NULL CHECK (width > 0),
	height INTEGER NOT NULL CHECK (height > 0),
	-- BLAKE2b-256 of the stored file, hex: lets a check find a changed file.
	blake2b TEXT NOT NULL CHECK (length(blake2b) = 64),
	-- The account that uploaded it; the image stays when the account goes.
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX uploads_org ON uploads(org_id, created_at);
