-- Every change, written in the same transaction as the change itself.
CREATE TABLE audit_log (
    id            BIGSERIAL PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor         TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    action        TEXT NOT NULL,
    blueprint     TEXT,
    identifier    TEXT,
    status        TEXT NOT NULL,
    diff          JSONB NOT NULL
);
CREATE INDEX audit_log_by_entity ON audit_log (blueprint, identifier, at);
CREATE INDEX audit_log_by_time ON audit_log (at);
