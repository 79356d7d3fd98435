-- Views people saved on catalog pages for themselves: the filter, sort,
-- search, columns and grouping (a CatalogView), named per page and person.
-- A page's default view for everyone lives in the page's own definition.
CREATE TABLE saved_views (
    page       TEXT NOT NULL REFERENCES pages(identifier) ON DELETE CASCADE,
    owner      TEXT NOT NULL REFERENCES users(email) ON DELETE CASCADE ON UPDATE CASCADE,
    name       TEXT NOT NULL,
    definition JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (page, owner, name)
);
