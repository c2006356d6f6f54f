-- 017_identities.postgres.sql: staff accounts linked to an outside identity (OpenID Connect: issuer and subject), for login through the municipality's identity provider (docs/oidc.md). (PostgreSQL version of 017_identities.sql)
CREATE TABLE user_identities (
	issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 512),
	subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
	user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at bigint NOT NULL,
	last_login_at bigint,
	PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities(user_id);
