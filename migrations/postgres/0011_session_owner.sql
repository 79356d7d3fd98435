-- Whose session each row is, and whether it was ended from outside (an
-- account disabled or deleted): such a session stays ended even if the
-- account is enabled again before its next request, and its owner is told
-- why when it comes back.
ALTER TABLE sessions ADD COLUMN email TEXT;
ALTER TABLE sessions ADD COLUMN ended TEXT;
CREATE INDEX sessions_by_email ON sessions (email);
