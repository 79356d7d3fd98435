//! What differs between SQLite and PostgreSQL SQL. Everything dialect-specific
//! that the query compiler emits is decided here, nowhere else.

use super::{Bind, Sql};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The value of a top-level property of `entities.properties`, as a
    /// comparable SQL value; the key is bound, never spliced.
    pub fn push_property(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => {
                // json_extract wants a JSON path; quoting the key keeps `-`
                // and `@` (allowed in property keys) from being parsed.
                sql.push("json_extract(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(")");
            }
            Dialect::Postgres => {
                sql.push("(e.properties -> ")
                    .push_bind(Bind::Text(key.to_string()))
                    .push(")");
            }
        }
    }

    /// `column` contains `needle`, ignoring ASCII case, with `%`/`_`
    /// escaped so a search for `50%` means what it says.
    pub fn push_contains_ci(&self, sql: &mut Sql, column: &str, needle: &str) {
        let escaped = needle
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let op = match self {
            Dialect::Sqlite => " LIKE ",
            Dialect::Postgres => " ILIKE ",
        };
        sql.push(column)
            .push(op)
            .push_bind(Bind::Text(format!("%{escaped}%")))
            .push(" ESCAPE '\\'");
    }
}

impl Dialect {
    /// A property as text (strings, ISO dates); NULL when absent or null.
    pub fn push_property_text(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => self.push_property(sql, key),
            Dialect::Postgres => {
                sql.push("(e.properties ->> ")
                    .push_bind(Bind::Text(key.to_string()))
                    .push(")");
            }
        }
    }

    /// Any scalar property as text, the same on both databases: booleans
    /// read `true`/`false` (SQLite's json_extract would give 1/0).
    pub fn push_property_as_text(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => {
                sql.push("(CASE json_type(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(") AS TEXT) END)");
            }
            Dialect::Postgres => self.push_property_text(sql, key),
        }
    }

    /// A property as a number; NULL when absent or not a number.
    pub fn push_property_number(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => {
                sql.push("(CASE WHEN json_type(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(") IN ('integer', 'real') THEN json_extract(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(") END)");
            }
            Dialect::Postgres => {
                sql.push("(CASE WHEN jsonb_typeof(e.properties -> ")
                    .push_bind(Bind::Text(key.to_string()))
                    .push(") = 'number' THEN (e.properties ->> ")
                    .push_bind(Bind::Text(key.to_string()))
                    .push(")::float8 END)");
            }
        }
    }

    /// The JSON type of a property: `'true'`/`'false'` for booleans,
    /// `'array'`, `'null'`, … NULL when absent. SQLite's and PostgreSQL's
    /// names differ, so callers compare against `json_type_name`.
    pub fn push_boolean_is(&self, sql: &mut Sql, key: &str, value: bool) {
        match self {
            Dialect::Sqlite => {
                sql.push("json_type(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(if value { ") = 'true'" } else { ") = 'false'" });
            }
            Dialect::Postgres => {
                sql.push("(e.properties -> ")
                    .push_bind(Bind::Text(key.to_string()))
                    .push(if value {
                        ") = 'true'::jsonb"
                    } else {
                        ") = 'false'::jsonb"
                    });
            }
        }
    }

    /// The property is absent, null, `""`, `[]` or `{}`.
    pub fn push_property_is_empty(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => {
                sql.push("(COALESCE(json_type(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push("), 'null') = 'null' OR json_extract(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(") = '' OR (json_type(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(") IN ('array', 'object') AND json_extract(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(") IN ('[]', '{}')))");
            }
            Dialect::Postgres => {
                sql.push("(COALESCE(e.properties -> ")
                    .push_bind(Bind::Text(key.to_string()))
                    .push(", 'null'::jsonb) IN ('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb, '{}'::jsonb))");
            }
        }
    }

    /// A row source `j` with one text column `j.v` per element of an array
    /// property (no rows when the property is absent or not an array).
    pub fn push_array_elements(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => {
                sql.push("(SELECT CAST(value AS TEXT) AS v FROM json_each(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(") WHERE json_type(e.properties, ")
                    .push_bind(Bind::Text(format!("$.\"{key}\"")))
                    .push(") = 'array') j");
            }
            Dialect::Postgres => {
                sql.push("(SELECT v FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.properties -> ")
                    .push_bind(Bind::Text(key.to_string()))
                    .push(") = 'array' THEN e.properties -> ")
                    .push_bind(Bind::Text(key.to_string()))
                    .push(" ELSE '[]'::jsonb END) AS t(v)) j");
            }
        }
    }

    /// `haystack` contains `needle` (case-sensitive, no wildcards).
    pub fn push_substring(&self, sql: &mut Sql, haystack: &dyn Fn(&mut Sql), needle: &str) {
        sql.push(match self {
            Dialect::Sqlite => "instr(",
            Dialect::Postgres => "strpos(",
        });
        haystack(sql);
        sql.push(", ")
            .push_bind(Bind::Text(needle.to_string()))
            .push(") > 0");
    }
}
