-- 021_dialogue_tables.sql: dialogue tables (dialoogtafels) of a trajectory: its sessions, the tables of each session with their facilitators, open registrations with a waiting list and support for joining online, who sits at which table, speaking turns and notes, the agreements drafted at the tables and merged into versions, and the council's decision.
CREATE TABLE dialogue_sessions (
	id INTEGER PRIMARY KEY,
	trajectory_id INTEGER NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
	number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 50),
	title TEXT NOT NULL,
	starts_at INTEGER NOT NULL,
	minutes INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 600),
	place TEXT NOT NULL DEFAULT '',      -- a room's address, or ''
	online_url TEXT NOT NULL DEFAULT '', -- the video link (https), or ''
	closes_at INTEGER NOT NULL,          -- registration closes
	capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
	agenda TEXT NOT NULL DEFAULT '',
	ical_uid TEXT NOT NULL UNIQUE,
	reminded_at INTEGER,                 -- the reminders of this session were queued
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	UNIQUE (trajectory_id, number),
	CHECK (closes_at <= starts_at),
	CHECK (place <> '' OR online_url <> '')
);
CREATE INDEX dialogue_sessions_due ON dialogue_sessions(starts_at) WHERE reminded_at IS NULL;

-- The tables of a session; by default the four roles of government.
CREATE TABLE dialogue_tables (
	id INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES dialogue_sessions(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	name TEXT NOT NULL,
	theme TEXT NOT NULL DEFAULT '',
	UNIQUE (session_id, position)
);

-- Facilitators (procesbegeleiders): staff on the trajectory, per table.
CREATE TABLE dialogue_facilitators (
	table_id INTEGER NOT NULL REFERENCES dialogue_tables(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	PRIMARY KEY (table_id, user_id)
);

-- A registration for one session. Name and contact data are sealed with
-- the participant; here only what the tables need. A registration sits at
-- no table or exactly one (table_id), so nobody is placed twice.
CREATE TABLE dialogue_registrations (
	id INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES dialogue_sessions(id) ON DELETE CASCADE,
	participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
	-- What they want to contribute and what they need to take part (may
	-- say something about their health): each sealed with the key file
	-- (model/dialogue.c), NULL when not given.
	contribution BLOB,
	access_needs BLOB,
	district TEXT NOT NULL DEFAULT '',     -- characteristics for balanced tables
	age_band TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled')),
	wait_position INTEGER, -- order on the waiting list, while waiting
	needs_help INTEGER NOT NULL DEFAULT 0 CHECK (needs_help IN (0, 1)),
	support_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL, -- the contact person
	support_done_at INTEGER,
	table_id INTEGER REFERENCES dialogue_tables(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	promoted_at INTEGER,
	cancelled_at INTEGER,
	CHECK (status = 'registered' OR table_id IS NULL),
	CHECK ((status = 'waiting') = (wait_position IS NOT NULL))
);
CREATE INDEX dialogue_registrations_session ON dialogue_registrations(session_id, status);
CREATE INDEX dialogue_registrations_table ON dialogue_registrations(table_id);
CREATE INDEX dialogue_registrations_participant ON dialogue_registrations(participant_id);

-- Speaking turns: a start and a stop per turn, counted on the server so a
-- reload loses nothing. At most one open turn per table.
CREATE TABLE dialogue_turns (
	id INTEGER PRIMARY KEY,
	table_id INTEGER NOT NULL REFERENCES dialogue_tables(id) ON DELETE CASCADE,
	registration_id INTEGER NOT NULL REFERENCES dialogue_registrations(id) ON DELETE CASCADE,
	started_at INTEGER NOT NULL,
	stopped_at INTEGER,
	CHECK (stopped_at IS NULL OR stopped_at >= started_at)
);
CREATE INDEX dialogue_turns_table ON dialogue_turns(table_id, registration_id);
CREATE UNIQUE INDEX dialogue_turns_open ON dialogue_turns(table_id) WHERE stopped_at IS NULL;

-- Notes and draft proposals of a table (no contact data goes here).
CREATE TABLE dialogue_notes (
	id INTEGER PRIMARY KEY,
	table_id INTEGER NOT NULL REFERENCES dialogue_tables(id) ON DELETE CASCADE,
	kind TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'proposal')),
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX dialogue_notes_table ON dialogue_notes(table_id);

-- The agreements of a trajectory's series: each save is a new version
-- (numbered from 1); a save based on an older version than the newest is
-- refused, so nothing is overwritten. body: one agreement a line, in order;
-- sources: a JSON array, per agreement the ids of the tables it came from.
CREATE TABLE dialogue_agreement_versions (
	id INTEGER PRIMARY KEY,
	trajectory_id INTEGER NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
	version INTEGER NOT NULL CHECK (version >= 1),
	body TEXT NOT NULL,
	sources TEXT NOT NULL DEFAULT '[]',
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	UNIQUE (trajectory_id, version)
);

-- The state of the set and the council's decision.
CREATE TABLE dialogue_agreement_status (
	trajectory_id INTEGER PRIMARY KEY REFERENCES trajectories(id) ON DELETE CASCADE,
	status TEXT NOT NULL DEFAULT 'draft'
	        CHECK (status IN ('draft', 'presented', 'adopted', 'adopted_changed', 'rejected')),
	decision TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL,
	updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
