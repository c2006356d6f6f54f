-- 002_participants.sql: residents and clients by pseudonymous code; contact data sealed apart.
CREATE TABLE participants (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);

-- Contact data (name, address, phone, e-mail) as one sealed JSON object per
-- participant (XChaCha20-Poly1305, key in the key file, see core/vault.h).
-- The *_index columns are keyed hashes of normalised values, so a person
-- can be found by a contact detail without it being stored in clear.
CREATE TABLE participant_contacts (
	participant_id INTEGER PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
	sealed BLOB NOT NULL,
	key_id INTEGER NOT NULL,
	name_index TEXT,
	email_index TEXT,
	phone_index TEXT,
	updated_at INTEGER NOT NULL
);
CREATE INDEX participant_contacts_name ON participant_contacts(name_index);
CREATE INDEX participant_contacts_email ON participant_contacts(email_index);
CREATE INDEX participant_contacts_phone ON participant_contacts(phone_index);
CREATE INDEX participant_contacts_key ON participant_contacts(key_id);
