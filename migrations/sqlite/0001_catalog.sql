-- Catalog, identity and sessions: the first schema (SQLite dialect).
-- JSON documents are TEXT; timestamps are RFC 3339 TEXT in UTC.

CREATE TABLE blueprints (
    identifier  TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    icon        TEXT,
    description TEXT,
    -- The whole blueprint document (schema, relations, unknown keys echoed back).
    definition  TEXT NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT
);

CREATE TABLE entities (
    id          INTEGER PRIMARY KEY,
    blueprint   TEXT NOT NULL REFERENCES blueprints(identifier) ON DELETE CASCADE,
    identifier  TEXT NOT NULL,
    title       TEXT,
    icon        TEXT,
    -- The entity's own `team` list as written; `entity_teams` holds the
    -- effective (also inherited) teams that `$team` filters use.
    teams       TEXT NOT NULL DEFAULT '[]',
    properties  TEXT NOT NULL DEFAULT '{}',
    relations   TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (blueprint, identifier)
);
-- Default sort of catalog tables, and the keyset for paging through it.
CREATE INDEX entities_by_title ON entities (blueprint, title, identifier);
CREATE INDEX entities_by_updated ON entities (blueprint, updated_at);

-- `$team` filters go through this side table, not through JSON.
CREATE TABLE entity_teams (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    team      TEXT NOT NULL,
    PRIMARY KEY (entity_id, team)
);
CREATE INDEX entity_teams_by_team ON entity_teams (team, entity_id);

-- `relatedTo` and "referenced by" go through this side table.
CREATE TABLE entity_relations (
    entity_id        INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    relation         TEXT NOT NULL,
    target_blueprint TEXT NOT NULL,
    target           TEXT NOT NULL,
    PRIMARY KEY (entity_id, relation, target)
);
CREATE INDEX entity_relations_by_target ON entity_relations (target_blueprint, target);

CREATE TABLE teams (
    name        TEXT PRIMARY KEY,
    description TEXT,
    provider    TEXT NOT NULL DEFAULT 'Port',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE users (
    email                TEXT PRIMARY KEY,
    first_name           TEXT NOT NULL DEFAULT '',
    last_name            TEXT NOT NULL DEFAULT '',
    picture              TEXT,
    role                 TEXT NOT NULL DEFAULT 'Member',
    moderated_blueprints TEXT NOT NULL DEFAULT '[]',
    status               TEXT NOT NULL DEFAULT 'Active',
    password_hash        TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    last_login_at        TEXT
);

CREATE TABLE memberships (
    team  TEXT NOT NULL REFERENCES teams(name) ON DELETE CASCADE ON UPDATE CASCADE,
    email TEXT NOT NULL REFERENCES users(email) ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY (team, email)
);
CREATE INDEX memberships_by_email ON memberships (email);

CREATE TABLE pages (
    identifier TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    icon       TEXT,
    blueprint  TEXT REFERENCES blueprints(identifier) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    -- The rest of the page document (description, widgets, initial filters).
    definition TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- tower-sessions records; `expires_at` is a Unix timestamp in seconds.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
