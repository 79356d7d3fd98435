-- Entity properties as SQLite's binary JSONB (3.45+): every filter and sort
-- on a property runs json_extract on each candidate row, and on JSONB it
-- skips parsing text. The store writes jsonb(?) and reads json(properties).
UPDATE entities SET properties = jsonb(properties) WHERE typeof(properties) = 'text';
