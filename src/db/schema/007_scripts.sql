-- 007_scripts.sql: interview scripts, their numbered versions, and each version's questions.
CREATE TABLE scripts (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES organisations(id),
	key TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	UNIQUE (org_id, key)
);

-- body is the canonical JSON of docs/formats.md. Only a draft may change or
-- be deleted: stories and collections point at pilot, published and retired
-- versions and must stay readable for ever.
CREATE TABLE script_versions (
	script_id INTEGER NOT NULL REFERENCES scripts(id),
	version INTEGER NOT NULL CHECK (version >= 1),
	status TEXT NOT NULL CHECK (status IN ('draft', 'pilot', 'published', 'retired')),
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	lint_errors INTEGER NOT NULL DEFAULT 0,
	lint_warnings INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	updated_at INTEGER NOT NULL,
	pilot_at INTEGER,
	published_at INTEGER,
	retired_at INTEGER,
	PRIMARY KEY (script_id, version)
);

CREATE TRIGGER script_versions_frozen BEFORE UPDATE OF body, title, version, script_id
ON script_versions WHEN OLD.status <> 'draft'
BEGIN
	SELECT RAISE(ABORT, 'script version is not a draft');
END;

CREATE TRIGGER script_versions_status BEFORE UPDATE OF status ON script_versions
WHEN NOT ((OLD.status = 'draft' AND NEW.status IN ('draft', 'pilot', 'published'))
       OR (OLD.status = 'pilot' AND NEW.status IN ('pilot', 'published', 'retired'))
       OR (OLD.status = 'published' AND NEW.status IN ('published', 'retired'))
       OR (OLD.status = 'retired' AND NEW.status = 'retired'))
BEGIN
	SELECT RAISE(ABORT, 'script version status cannot go back');
END;

CREATE TRIGGER script_versions_keep BEFORE DELETE ON script_versions
WHEN OLD.status <> 'draft'
BEGIN
	SELECT RAISE(ABORT, 'only a draft script version can be deleted');
END;

-- One row per question of a non-draft version: the identity analysis uses
-- to combine versions (identity = the id of the first question it
-- continues), and the fingerprint of its meaning.
CREATE TABLE script_questions (
	script_id INTEGER NOT NULL,
	version INTEGER NOT NULL,
	question_id TEXT NOT NULL,
	type TEXT NOT NULL,
	identity TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	PRIMARY KEY (script_id, version, question_id),
	FOREIGN KEY (script_id, version) REFERENCES script_versions(script_id, version)
);
CREATE INDEX script_questions_identity ON script_questions(script_id, identity);
