-- Machine credentials (client id + hashed secret) and the short-lived
-- bearer tokens issued for them. Tokens are stored as SHA-256 hashes:
-- a leaked database does not leak usable tokens.
CREATE TABLE credentials (
    client_id   TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT 'Admin',
    owner       TEXT,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE access_tokens (
    token_hash TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES credentials(client_id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);
CREATE INDEX access_tokens_by_expiry ON access_tokens (expires_at);
