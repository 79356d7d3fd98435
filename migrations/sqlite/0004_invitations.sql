-- One-time invitation links. Only the SHA-256 of the link's token is kept.
CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    email      TEXT NOT NULL REFERENCES users(email) ON DELETE CASCADE ON UPDATE CASCADE,
    invited_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    TEXT
);
CREATE INDEX invitations_by_email ON invitations (email);
