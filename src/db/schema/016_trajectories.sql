-- 016_trajectories.sql: trajectories (one participation process each), who works on them, the methods they use, contact requests from their public page; collections belong to a trajectory.
CREATE TABLE trajectories (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES organisations(id),
	-- The public page /meedoen/SLUG, readable in a letter; unique.
	slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 80),
	title TEXT NOT NULL,                       -- the subject
	question TEXT NOT NULL DEFAULT '',         -- the concrete question
	-- What may be discussed, and what happens with the input. With the
	-- selection rationale and the contact route a precondition for any
	-- invitation (model/trajectory.h: trajectory_missing).
	scope TEXT NOT NULL DEFAULT '',
	ladder TEXT NOT NULL DEFAULT 'raadplegen'
	        CHECK (ladder IN ('informeren', 'raadplegen', 'adviseren', 'coproduceren',
	                          'meebeslissen', 'zelfbeheer')),
	target_group TEXT NOT NULL DEFAULT '',
	selection_rationale TEXT NOT NULL DEFAULT '', -- why these people or this area
	contact_route TEXT NOT NULL DEFAULT '',       -- how others can get in touch
	starts_on TEXT,                               -- YYYY-MM-DD or NULL
	ends_on TEXT,
	retention_days INTEGER NOT NULL DEFAULT 730 CHECK (retention_days BETWEEN 1 AND 36500),
	-- The sketch, plan or map that makes the subject visible (an upload).
	material_token TEXT,
	material_alt TEXT NOT NULL DEFAULT '',
	-- What was done with the input, aggregated, for the public page.
	outcome TEXT NOT NULL DEFAULT '',
	published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	closed_at INTEGER,
	closed_reason TEXT,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	updated_at INTEGER NOT NULL,
	CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX trajectories_org ON trajectories(org_id);

-- Who works on a trajectory. Staff see only the trajectories they are on,
-- unless their role sees all (model/trajectory.h: trajectory_user_may).
-- responsible: named as a responsible official on the public page.
CREATE TABLE trajectory_staff (
	trajectory_id INTEGER NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	responsible INTEGER NOT NULL DEFAULT 0 CHECK (responsible IN (0, 1)),
	PRIMARY KEY (trajectory_id, user_id)
) WITHOUT ROWID;
CREATE INDEX trajectory_staff_user ON trajectory_staff(user_id);

CREATE TABLE trajectory_methods (
	trajectory_id INTEGER NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
	method_id INTEGER NOT NULL REFERENCES methods(id),
	PRIMARY KEY (trajectory_id, method_id)
) WITHOUT ROWID;

-- A message from the public page's contact form. The sender is a
-- participant (their contact data sealed there, so finding, exporting and
-- erasing a person covers it); the message itself is sealed too: people
-- write about their health and home.
CREATE TABLE contact_requests (
	id INTEGER PRIMARY KEY,
	trajectory_id INTEGER NOT NULL REFERENCES trajectories(id) ON DELETE CASCADE,
	participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
	message BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	handled_at INTEGER,
	handled_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX contact_requests_trajectory ON contact_requests(trajectory_id, created_at);

-- A collection in a trajectory is seen by that trajectory's staff only;
-- one outside any trajectory (NULL) by all staff of the organisation.
ALTER TABLE collections ADD COLUMN trajectory_id INTEGER REFERENCES trajectories(id);
CREATE INDEX collections_trajectory ON collections(trajectory_id);
