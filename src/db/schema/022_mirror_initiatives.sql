-- 022_mirror_initiatives.sql: mirror conversations (a kind of conversation: panel, independent facilitator, listening officials, notes per round, improvement proposals with owner, decision and follow-up, the report to the panel) and citizen initiatives (intake, initiators, first-talk checklist, pipeline with status history).

-- A mirror conversation is a conversation of kind 'mirror': its panel are
-- the conversation's people (sealed contact, invitations, appointment,
-- status and the feedback loop are those of 018_conversations.sql); what
-- only a mirror conversation has lives in the tables below.
ALTER TABLE conversations ADD COLUMN kind TEXT NOT NULL DEFAULT 'kitchen_table'
        CHECK (kind IN ('kitchen_table', 'mirror'));
-- The round a note belongs to in a mirror conversation (NULL elsewhere).
ALTER TABLE conversation_notes ADD COLUMN round TEXT
        CHECK (round IS NULL OR round IN ('experiences', 'proposals', 'questions'));

CREATE TABLE mirror_conversations (
	conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
	-- The independent facilitator: not an account, often from outside.
	facilitator_name TEXT NOT NULL,
	facilitator_org TEXT NOT NULL DEFAULT '',
	-- The report to the panel as reviewed (no names: every panel member
	-- gets the same text; it is copied to each person's feedback when sent).
	report TEXT NOT NULL DEFAULT '',
	report_sent_at INTEGER,
	report_sent_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);

-- The officials who listen (and ask their questions in the last round).
CREATE TABLE mirror_observers (
	id INTEGER PRIMARY KEY,
	conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	team TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX mirror_observers_conversation ON mirror_observers(conversation_id);

-- An improvement proposal is a point of the conversation (its decision
-- there is 'taken' for adopted or under study, 'not_taken' with the reason
-- for not adopted, so status and open loops work as for every
-- conversation); here the team that owns it, the exact verdict and the
-- follow-up.
CREATE TABLE mirror_proposals (
	point_id INTEGER PRIMARY KEY REFERENCES conversation_points(id) ON DELETE CASCADE,
	team TEXT NOT NULL DEFAULT '',
	verdict TEXT CHECK (verdict IS NULL OR verdict IN ('adopted', 'not_adopted', 'under_study')),
	follow_up TEXT NOT NULL DEFAULT 'open' CHECK (follow_up IN ('open', 'in_progress', 'done')),
	follow_up_on TEXT, -- YYYY-MM-DD: when it was done, or is expected
	follow_up_note TEXT NOT NULL DEFAULT '',
	CHECK (verdict IS NOT 'not_adopted' OR follow_up = 'open')
);

-- A citizen initiative: an idea of active residents, with or without a
-- trajectory. Its status moves idea -> first_conversation -> collaboration
-- -> realised, or stopped (with a reason) from any status before realised.
CREATE TABLE initiatives (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES organisations(id),
	trajectory_id INTEGER REFERENCES trajectories(id) ON DELETE SET NULL,
	title TEXT NOT NULL,
	idea TEXT NOT NULL,
	neighbourhood TEXT NOT NULL DEFAULT '',
	ask TEXT NOT NULL DEFAULT '', -- what they ask from the municipality
	contact_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	status TEXT NOT NULL DEFAULT 'idea'
	        CHECK (status IN ('idea', 'first_conversation', 'collaboration', 'realised',
	                          'stopped')),
	stopped_reason TEXT NOT NULL DEFAULT '',
	-- The first conversation: when, what came out, who does what, next.
	talk_on TEXT,
	outcome TEXT NOT NULL DEFAULT '',
	roles TEXT NOT NULL DEFAULT '',
	next_steps TEXT NOT NULL DEFAULT '',
	status_since INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	updated_at INTEGER NOT NULL,
	CHECK (status <> 'stopped' OR length(stopped_reason) > 0)
);
CREATE INDEX initiatives_org ON initiatives(org_id, status);
CREATE INDEX initiatives_trajectory ON initiatives(trajectory_id);

-- The initiators: participants, their contact data sealed there.
CREATE TABLE initiative_people (
	id INTEGER PRIMARY KEY,
	initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
	participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX initiative_people_initiative ON initiative_people(initiative_id);
CREATE INDEX initiative_people_participant ON initiative_people(participant_id);

-- Every status an initiative had, from when, with the reason for stopped.
CREATE TABLE initiative_status_history (
	id INTEGER PRIMARY KEY,
	initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
	status TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	changed_at INTEGER NOT NULL,
	changed_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX initiative_status_history_initiative ON initiative_status_history(initiative_id);

-- The first-talk checklist: one row per question of the
-- burgerinitiatief-eerste-gesprek template the official ticked or answered.
CREATE TABLE initiative_checklist (
	initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
	question_id TEXT NOT NULL,
	done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
	answer TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (initiative_id, question_id)
) WITHOUT ROWID;
