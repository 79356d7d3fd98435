-- Catalog, identity and sessions: the first schema (PostgreSQL dialect).
-- JSON documents are JSONB; timestamps are TIMESTAMPTZ.
-- Text that tables sort on uses the "C" collation, so both databases order rows byte-wise alike.

CREATE TABLE blueprints (
    identifier  TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    icon        TEXT,
    description TEXT,
    -- The whole blueprint document (schema, relations, unknown keys echoed back).
    definition  JSONB NOT NULL,
    position    BIGINT NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT
);

CREATE TABLE entities (
    id          BIGSERIAL PRIMARY KEY,
    blueprint   TEXT NOT NULL REFERENCES blueprints(identifier) ON DELETE CASCADE,
    identifier  TEXT COLLATE "C" NOT NULL,
    title       TEXT COLLATE "C",
    icon        TEXT,
    -- The entity's own `team` list as written; `entity_teams` holds the
    -- effective (also inherited) teams that `$team` filters use.
    teams       JSONB NOT NULL DEFAULT '[]',
    properties  JSONB NOT NULL DEFAULT '{}',
    relations   JSONB NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT,
    version     BIGINT NOT NULL DEFAULT 1,
    UNIQUE (blueprint, identifier)
);
-- Default sort of catalog tables, and the keyset for paging through it.
CREATE INDEX entities_by_title ON entities (blueprint, title, identifier);
CREATE INDEX entities_by_updated ON entities (blueprint, updated_at);

-- `$team` filters go through this side table, not through JSON.
CREATE TABLE entity_teams (
    entity_id BIGINT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    team      TEXT NOT NULL,
    PRIMARY KEY (entity_id, team)
);
CREATE INDEX entity_teams_by_team ON entity_teams (team, entity_id);

-- `relatedTo` and "referenced by" go through this side table.
CREATE TABLE entity_relations (
    entity_id        BIGINT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
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
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    email                TEXT PRIMARY KEY,
    first_name           TEXT NOT NULL DEFAULT '',
    last_name            TEXT NOT NULL DEFAULT '',
    picture              TEXT,
    role                 TEXT NOT NULL DEFAULT 'Member',
    moderated_blueprints JSONB NOT NULL DEFAULT '[]',
    status               TEXT NOT NULL DEFAULT 'Active',
    password_hash        TEXT,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    last_login_at        TIMESTAMPTZ
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
    position   BIGINT NOT NULL DEFAULT 0,
    -- The rest of the page document (description, widgets, initial filters).
    definition JSONB NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- tower-sessions records; `expires_at` is a Unix timestamp in seconds.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    data       BYTEA NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
