-- The home dashboard (Port's `$home`): what `/` shows, edited like any
-- other dashboard. Every portal has one; a new one starts with a welcome.
INSERT INTO pages (identifier, kind, title, icon, blueprint, position, definition, created_at, updated_at)
VALUES ('$home', 'dashboard', 'Home', 'Home', NULL, 0,
  '{"description": "What your teams own and run, at a glance", "widgets": [{"id": "welcome", "type": "markdown", "title": "Welcome to Portolan", "markdown": "This is your portal''s home dashboard. Admins can **edit** it: add number, pie, bar and line charts over the catalog, tables, links, markdown and framed pages.\n\n- Define what the catalog holds in the [Builder](/builder).\n- Invite people and teams in [Users & teams](/users-teams)."}], "layout": [{"height": 220, "columns": [{"id": "welcome", "size": 12}]}]}',
  now(), now())
ON CONFLICT (identifier) DO NOTHING;
