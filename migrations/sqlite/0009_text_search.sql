-- The catalog's text search (the table's search box: a term anywhere in
-- the title or identifier) through a full-text index: FTS5 with the
-- trigram tokenizer matches substrings of three or more characters,
-- ignoring case, without reading every entity. The entities table stays
-- the only copy of the text (an external-content index); these triggers
-- keep the index in step with it.
CREATE VIRTUAL TABLE entities_text USING fts5(
    title, identifier,
    content = 'entities', content_rowid = 'id',
    tokenize = 'trigram'
);

CREATE TRIGGER entities_text_insert AFTER INSERT ON entities BEGIN
    INSERT INTO entities_text (rowid, title, identifier)
    VALUES (new.id, new.title, new.identifier);
END;

CREATE TRIGGER entities_text_delete AFTER DELETE ON entities BEGIN
    INSERT INTO entities_text (entities_text, rowid, title, identifier)
    VALUES ('delete', old.id, old.title, old.identifier);
END;

CREATE TRIGGER entities_text_update AFTER UPDATE OF title, identifier ON entities BEGIN
    INSERT INTO entities_text (entities_text, rowid, title, identifier)
    VALUES ('delete', old.id, old.title, old.identifier);
    INSERT INTO entities_text (rowid, title, identifier)
    VALUES (new.id, new.title, new.identifier);
END;

INSERT INTO entities_text (entities_text) VALUES ('rebuild');
