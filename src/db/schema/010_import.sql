-- 010_import.sql: what imports remember of their sources: the person behind a SenseMaker responder id, and the collection an export went into.
-- One participant per outside identity (source "sensemaker", external_id
-- the export's responder_id), so the same person's stories stay linked
-- across imports. Erasing the participant removes the link.
CREATE TABLE participant_external_ids (
	participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
	source TEXT NOT NULL,
	external_id TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (source, external_id)
);
CREATE INDEX participant_external_ids_participant ON participant_external_ids(participant_id);

-- The collection a SenseMaker project (external_id: the definition's id)
-- was imported into, so importing its export again adds to it instead of
-- making a second script and collection.
CREATE TABLE import_sources (
	collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
	source TEXT NOT NULL,
	external_id TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (source, external_id)
);
