-- 017_identities.sql: staff accounts linked to an outside identity (OpenID Connect: issuer and subject), for login through the municipality's identity provider (docs/oidc.md).
CREATE TABLE user_identities (
	issuer TEXT NOT NULL CHECK (length(issuer) BETWEEN 1 AND 512),
	subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	last_login_at INTEGER,
	PRIMARY KEY (issuer, subject)
) WITHOUT ROWID;
CREATE INDEX user_identities_user ON user_identities(user_id);
