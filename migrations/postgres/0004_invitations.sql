-- One-time invitation links. Only the SHA-256 of the link's token is kept.
CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    email      TEXT NOT NULL REFERENCES users(email) ON DELETE CASCADE ON UPDATE CASCADE,
    invited_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX invitations_by_email ON invitations (email);
