-- 018_conversations.sql: kitchen-table conversations of a trajectory: who is invited (with a personal link), the appointment, notes, the points raised with a decision on each, and the personal feedback that closes the loop.
CREATE TABLE conversations (
	id INTEGER PRIMARY KEY,
	trajectory_id INTEGER NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
	method_id INTEGER REFERENCES methods(id),
	title TEXT NOT NULL,
	-- draft -> invited -> appointment -> reminded -> held -> decided -> feedback
	-- -> closed, derived from the facts after every change
	-- (model/conversation.h: conversation_status_of); kept for lists.
	status TEXT NOT NULL DEFAULT 'draft'
	        CHECK (status IN ('draft', 'invited', 'appointment', 'reminded', 'held', 'decided',
	                          'feedback', 'closed')),
	lead_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	-- The invitation text as the official edited it (no personal data:
	-- the greeting is added per person when it is sent).
	invitation TEXT NOT NULL DEFAULT '',
	held_at INTEGER,   -- the talk took place
	closed_at INTEGER,
	closed_reason TEXT, -- why it was closed with loops still open
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX conversations_trajectory ON conversations(trajectory_id);
CREATE INDEX conversations_lead ON conversations(lead_user_id, status);

-- The people at the table: residents, entrepreneurs, organisations, each a
-- participant (contact data sealed there). The personal link's token is
-- kept only as its hash; it expires.
CREATE TABLE conversation_people (
	id INTEGER PRIMARY KEY,
	conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
	participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
	kind TEXT NOT NULL DEFAULT 'resident'
	        CHECK (kind IN ('resident', 'entrepreneur', 'organisation')),
	token_hash TEXT UNIQUE,
	token_expires_at INTEGER,
	response TEXT NOT NULL DEFAULT 'none'
	        CHECK (response IN ('none', 'accepted', 'declined', 'other_time')),
	response_note TEXT NOT NULL DEFAULT '', -- "another time": what they propose
	responded_at INTEGER,
	invited_at INTEGER,
	invited_channel TEXT CHECK (invited_channel IN ('email', 'letter')),
	feedback TEXT NOT NULL DEFAULT '',    -- the draft, then what was sent
	feedback_reviewed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	feedback_sent_at INTEGER,
	feedback_channel TEXT CHECK (feedback_channel IN ('email', 'letter')),
	UNIQUE (conversation_id, participant_id)
);
CREATE INDEX conversation_people_participant ON conversation_people(participant_id);

-- The appointment (one per conversation; a new time is an update of the
-- same calendar event: same uid, higher sequence).
CREATE TABLE appointments (
	conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
	starts_at INTEGER NOT NULL,
	minutes INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 600),
	place_kind TEXT NOT NULL CHECK (place_kind IN ('home', 'town_hall', 'video', 'phone', 'other')),
	place TEXT NOT NULL DEFAULT '', -- an address, or the video link
	official_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	ical_uid TEXT NOT NULL UNIQUE,
	ical_sequence INTEGER NOT NULL DEFAULT 0,
	remind_minutes INTEGER NOT NULL DEFAULT 2880 CHECK (remind_minutes BETWEEN 0 AND 43200),
	reminded_at INTEGER,
	cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
	updated_at INTEGER NOT NULL
);
CREATE INDEX appointments_official ON appointments(official_user_id, starts_at);

-- Notes of the talk (like stories: behind per-trajectory access and the
-- retention period; contact data never goes here).
CREATE TABLE conversation_notes (
	id INTEGER PRIMARY KEY,
	conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);

-- The points raised: who raised it, what, its theme, and the decision:
-- taken along or not, with the reason; decided during the talk or later.
CREATE TABLE conversation_points (
	id INTEGER PRIMARY KEY,
	conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
	person_id INTEGER REFERENCES conversation_people(id) ON DELETE SET NULL,
	text TEXT NOT NULL,
	theme TEXT NOT NULL DEFAULT '',
	decision TEXT NOT NULL DEFAULT 'open' CHECK (decision IN ('open', 'taken', 'not_taken')),
	reason TEXT NOT NULL DEFAULT '',
	decided_at INTEGER,
	decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	CHECK (decision <> 'not_taken' OR length(reason) > 0)
);
CREATE INDEX conversation_points_conversation ON conversation_points(conversation_id);
