-- Sidebar folders (Port's /v1/sidebars/catalog/folders). A page names its
-- folder in its document's `parent`; a folder may sit in another (up to
-- three deep, checked by the service). A folder is deleted only when empty.
CREATE TABLE sidebar_folders (
    identifier TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    parent     TEXT REFERENCES sidebar_folders(identifier),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
