-- The expression indexes the store keeps on entity properties (sorting a
-- 100k-entity table by a number walks an index instead of reading every
-- row). Index `entities_prop_<id>` serves property `key` of `blueprint`.
-- No foreign key: a deleted blueprint's rows go when its indexes are
-- dropped, never before.
CREATE TABLE property_indexes (
    id        BIGSERIAL PRIMARY KEY,
    blueprint TEXT NOT NULL,
    key       TEXT NOT NULL,
    UNIQUE (blueprint, key)
);
