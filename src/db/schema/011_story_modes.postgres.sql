-- 011_story_modes.postgres.sql: how a draft of the story form is being told: on the web, at a kiosk, or taken by a staff member (face to face, by phone, from paper) for a known participant. (PostgreSQL version of 011_story_modes.sql)
-- channel is the story's channel when it is sent. A draft taken by a staff
-- member belongs to that member (user_id): only they can open it, and the
-- story records them as created_by. participant_id is the client the story
-- is about (chosen by code), so descriptors given before are carried.
-- Erasing the participant or the account removes the unsent draft.
ALTER TABLE story_drafts ADD COLUMN channel text NOT NULL DEFAULT 'web'
	CHECK (channel IN ('web', 'kiosk', 'face-to-face', 'phone', 'paper'));
ALTER TABLE story_drafts ADD COLUMN user_id bigint REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE story_drafts ADD COLUMN participant_id bigint
	REFERENCES participants(id) ON DELETE CASCADE;
