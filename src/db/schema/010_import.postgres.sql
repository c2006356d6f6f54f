-- 010_import.postgres.sql: what imports remember of their sources: the person behind a SenseMaker responder id, and the collection an export went into. (PostgreSQL version of 010_import.sql)
-- One participant per outside identity (source "sensemaker", external_id
-- the export's responder_id), so the same person's stories stay linked
-- across imports. Erasing the participant removes the link.
CREATE TABLE participant_external_ids (
	participant_id bigint NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
	source text NOT NULL,
	external_id text NOT NULL,
	created_at bigint NOT NULL,
	UNIQUE (source, external_id)
);
CREATE INDEX participant_external_ids_participant ON participant_external_ids(participant_id);

-- The collection a SenseMaker project (external_id: the definition's id)
-- was imported into, so importing its export again adds to it instead of
-- making a second script and collection.
CREATE TABLE import_sources (
	collection_id bigint NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
	source text NOT NULL,
	external_id text NOT NULL,
	created_at bigint NOT NULL,
	UNIQUE (source, external_id)
);
