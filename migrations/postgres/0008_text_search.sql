-- The catalog's text search (the table's search box: a term anywhere in
-- the title or identifier, ILIKE '%term%') through trigram indexes, which
-- ILIKE uses as they are. pg_trgm ships with PostgreSQL and is a trusted
-- extension (the database owner may create it); where it cannot be
-- created the search still works, by reading the rows, and start-up goes on.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%); text search reads every row', SQLERRM;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS entities_title_trgm ON entities USING gin (title gin_trgm_ops);
        CREATE INDEX IF NOT EXISTS entities_identifier_trgm ON entities USING gin (identifier gin_trgm_ops);
    END IF;
END
$$;
