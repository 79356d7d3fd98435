-- The trigram indexes of 0008 were on the bare columns, and pg_trgm's GIN
-- operator class also answers equality: the planner, with the statistics
-- of a catalog still filling up, read `identifier IN (…250 ids…)` (bulk
-- writes check which identifiers exist) through the trigram index rather
-- than the unique index, and every identifier shares the trigrams of its
-- prefix, so each such lookup rechecked most of the table (0.4-0.8 s seen
-- by auto_explain; bulk ingest of 100k fell to 840 entities/s). On
-- lower(column) they serve only the text search, which asks for
-- lower(column) LIKE lower(pattern), and equality goes to the B-trees.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        DROP INDEX IF EXISTS entities_title_trgm;
        DROP INDEX IF EXISTS entities_identifier_trgm;
        CREATE INDEX entities_title_trgm ON entities USING gin (lower(title) gin_trgm_ops);
        CREATE INDEX entities_identifier_trgm ON entities USING gin (lower(identifier) gin_trgm_ops);
    END IF;
END
$$;
