-- 008_collections.sql: collections (one script version published for a purpose and a period) and the stories told in them.
CREATE TABLE collections (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES organisations(id),
	-- The public link /v/TOKEN: 128 random bits in hex. short_code is what
	-- a person types (8 characters without look-alikes, shown as XXXX-XXXX).
	token TEXT NOT NULL UNIQUE,
	short_code TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	purpose TEXT NOT NULL,
	script_id INTEGER NOT NULL,
	script_version INTEGER NOT NULL,
	starts_at INTEGER,
	ends_at INTEGER,
	retention_days INTEGER NOT NULL CHECK (retention_days BETWEEN 1 AND 36500),
	closed INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	FOREIGN KEY (script_id, script_version) REFERENCES script_versions(script_id, version)
);
CREATE INDEX collections_org ON collections(org_id);

-- One row per story. uuid is made on the device that sent it: the same
-- uuid with the same content is the same story (the receipt is given
-- again); with other content it is refused. answers holds the teller's
-- answers, professional those of the professional who took the story:
-- both perspectives stay apart. pilot: told while the script version was
-- in pilot, left out of analysis by default.
CREATE TABLE stories (
	id INTEGER PRIMARY KEY,
	uuid TEXT NOT NULL UNIQUE,
	collection_id INTEGER NOT NULL REFERENCES collections(id),
	script_id INTEGER NOT NULL,
	script_version INTEGER NOT NULL,
	channel TEXT NOT NULL CHECK (channel IN ('web', 'kiosk', 'face-to-face', 'phone', 'paper',
	                                         'import')),
	language TEXT NOT NULL,
	pilot INTEGER NOT NULL DEFAULT 0,
	participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
	answers TEXT NOT NULL,
	professional TEXT,
	content_hash TEXT NOT NULL,
	receipt TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	FOREIGN KEY (script_id, script_version) REFERENCES script_versions(script_id, version)
);
CREATE INDEX stories_collection ON stories(collection_id, created_at);
CREATE INDEX stories_participant ON stories(participant_id);
