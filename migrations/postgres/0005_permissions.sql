-- Blueprint permissions (Port's JSON shape; NULL = Port's defaults) and the
-- reason a refused write was refused, for the audit log's FAILURE rows.
ALTER TABLE blueprints ADD COLUMN permissions JSONB;
ALTER TABLE audit_log ADD COLUMN message TEXT;
