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
    /// comparable SQL value. Sorting uses exactly this expression, and so
    /// do the property indexes (`store::property_indexes`): keep the three
    /// in step.
    pub fn push_property(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => {
                // json_extract wants a JSON path; quoting the key keeps `-`
                // and `@` (allowed in property keys) from being parsed.
                sql.push("json_extract(e.properties, ")
                    .push_json_path(key)
                    .push(")");
            }
            Dialect::Postgres => {
                sql.push("(e.properties -> ").push_json_key(key).push(")");
            }
        }
    }

    /// Around the placeholder of a JSON document written to an entity
    /// column. SQLite keeps `properties` as binary JSONB: filters and sorts
    /// call json_extract on it for every candidate row, and JSONB spares
    /// them parsing text (a filtered count at 100k entities: 11.5 → 7.5 ms).
    /// PostgreSQL casts the bound text to jsonb.
    pub fn json_in(&self, properties: bool) -> (&'static str, &'static str) {
        match self {
            Dialect::Sqlite if properties => ("jsonb(", ")"),
            Dialect::Sqlite => ("", ""),
            Dialect::Postgres => ("", "::jsonb"),
        }
    }

    /// The columns of an entity row (`store::entities::EntityRow`), with
    /// SQLite's JSONB properties read back as text.
    pub fn entity_columns(&self) -> &'static str {
        macro_rules! columns {
            ($properties:literal) => {
                concat!(
                    "e.identifier, e.title, e.icon, e.blueprint, e.teams, ",
                    $properties,
                    ", e.relations, e.created_at, e.created_by, e.updated_at, e.updated_by, e.version"
                )
            };
        }
        match self {
            Dialect::Sqlite => columns!("json(e.properties) AS properties"),
            Dialect::Postgres => columns!("e.properties"),
        }
    }

    /// `column` contains `needle`, ignoring case, with `%`/`_` escaped so a
    /// search for `50%` means what it says. SQLite's LIKE ignores ASCII
    /// case itself; PostgreSQL compares `lower(column)`, the expression its
    /// trigram indexes are built on (migration 0010).
    pub fn push_contains_ci(&self, sql: &mut Sql, column: &str, needle: &str) {
        let escaped = needle
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = Bind::Text(format!("%{escaped}%"));
        match self {
            Dialect::Sqlite => sql.push(column).push(" LIKE ").push_bind(pattern),
            Dialect::Postgres => sql
                .push("lower(")
                .push(column)
                .push(") LIKE lower(")
                .push_bind(pattern)
                .push(")"),
        };
        sql.push(" ESCAPE '\\'");
    }
}

impl Dialect {
    /// The catalog's text search: `term` anywhere in the title or the
    /// identifier, ignoring case. SQLite asks its trigram full-text index
    /// (migration 0009), which knows substrings of three characters or
    /// more; shorter terms compare the columns. PostgreSQL's trigram
    /// indexes are on `lower(column)` (migration 0010, so that equality
    /// lookups never pick them), and the search asks in the same terms.
    pub fn push_text_search(&self, sql: &mut Sql, term: &str) {
        if *self == Dialect::Sqlite && term.chars().count() >= 3 {
            // One FTS5 phrase: the term as it is, quotes doubled.
            let phrase = format!("\"{}\"", term.replace('"', "\"\""));
            sql.push("e.id IN (SELECT rowid FROM entities_text WHERE entities_text MATCH ")
                .push_bind(Bind::Text(phrase))
                .push(")");
            return;
        }
        sql.push("(");
        self.push_contains_ci(sql, "e.title", term);
        sql.push(" OR ");
        self.push_contains_ci(sql, "e.identifier", term);
        sql.push(")");
    }
}

impl Sql {
    /// SQLite's JSON path of a top-level property. A key as schemas allow
    /// it (A-Z, a-z, 0-9, `@`, `_`, `=`, `-`) is written into the SQL text:
    /// SQLite uses an expression index only for a query expression with
    /// the same literal path. Anything else is bound.
    pub fn push_json_path(&mut self, key: &str) -> &mut Self {
        if is_plain_key(key) {
            self.push("'$.\"").push(key).push("\"'")
        } else {
            self.push_bind(Bind::Text(format!("$.\"{key}\"")))
        }
    }

    /// PostgreSQL's key of a top-level property (`properties -> 'key'`),
    /// literal for the same reason and under the same condition.
    pub fn push_json_key(&mut self, key: &str) -> &mut Self {
        if is_plain_key(key) {
            self.push("'").push(key).push("'")
        } else {
            self.push_bind(Bind::Text(key.to_string()))
        }
    }
}

impl Sql {
    /// A blueprint identifier in a `blueprint = …` condition, literal when
    /// it is a valid identifier (no quote can be one): the property indexes
    /// are partial indexes per blueprint, and a planner uses one only when
    /// the query names the same blueprint in its text.
    pub fn push_blueprint(&mut self, blueprint: &str) -> &mut Self {
        if is_plain_blueprint(blueprint) {
            self.push("'").push(blueprint).push("'")
        } else {
            self.push_bind(Bind::Text(blueprint.to_string()))
        }
    }
}

/// A blueprint identifier that can stand in SQL text as it is.
pub fn is_plain_blueprint(blueprint: &str) -> bool {
    crate::model::identifier::validate_blueprint_identifier(blueprint).is_ok()
        && !blueprint.contains('\'')
}

/// A property key that can stand in SQL text as it is: one a schema
/// accepts, which never holds a quote.
fn is_plain_key(key: &str) -> bool {
    crate::model::identifier::validate_property_key(key).is_ok()
}

impl Dialect {
    /// A property as text (strings, ISO dates); NULL when absent or null.
    pub fn push_property_text(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => self.push_property(sql, key),
            Dialect::Postgres => {
                sql.push("(e.properties ->> ").push_json_key(key).push(")");
            }
        }
    }

    /// Any scalar property as text, the same on both databases: booleans
    /// read `true`/`false` (SQLite's json_extract would give 1/0).
    pub fn push_property_as_text(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => {
                sql.push("(CASE json_type(e.properties, ")
                    .push_json_path(key)
                    .push(") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(e.properties, ")
                    .push_json_path(key)
                    .push(") AS TEXT) END)");
            }
            Dialect::Postgres => self.push_property_text(sql, key),
        }
    }

    /// The key of the row's owning-teams group (`model::team_group_key`):
    /// its teams sorted by their bytes (SQLite's BINARY collation,
    /// PostgreSQL's "C") and joined by `;`; NULL for no team. Read from the
    /// row's `teams` list, the one the table shows (inherited teams are
    /// kept in it too).
    pub fn push_team_group(&self, sql: &mut Sql) {
        sql.push(match self {
            // `group_concat(… ORDER BY …)` needs SQLite 3.44 (sqlx bundles
            // a newer one).
            Dialect::Sqlite => {
                "(SELECT group_concat(t.value, ';' ORDER BY t.value) FROM json_each(e.teams) t)"
            }
            Dialect::Postgres => {
                "((SELECT string_agg(t, ';' ORDER BY t COLLATE \"C\") \
                 FROM jsonb_array_elements_text(e.teams) AS t) COLLATE \"C\")"
            }
        });
    }

    /// A property as a number; NULL when absent or not a number.
    pub fn push_property_number(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => {
                sql.push("(CASE WHEN json_type(e.properties, ")
                    .push_json_path(key)
                    .push(") IN ('integer', 'real') THEN json_extract(e.properties, ")
                    .push_json_path(key)
                    .push(") END)");
            }
            Dialect::Postgres => {
                sql.push("(CASE WHEN jsonb_typeof(e.properties -> ")
                    .push_json_key(key)
                    .push(") = 'number' THEN (e.properties ->> ")
                    .push_json_key(key)
                    .push(")::float8 END)");
            }
        }
    }

    /// `e.properties[key]` is the JSON boolean `value` (SQLite compares
    /// `json_type` with 'true'/'false'; PostgreSQL the jsonb value).
    pub fn push_boolean_is(&self, sql: &mut Sql, key: &str, value: bool) {
        match self {
            Dialect::Sqlite => {
                sql.push("json_type(e.properties, ")
                    .push_json_path(key)
                    .push(if value { ") = 'true'" } else { ") = 'false'" });
            }
            Dialect::Postgres => {
                sql.push("(e.properties -> ")
                    .push_json_key(key)
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
                    .push_json_path(key)
                    .push("), 'null') = 'null' OR json_extract(e.properties, ")
                    .push_json_path(key)
                    .push(") = '' OR (json_type(e.properties, ")
                    .push_json_path(key)
                    .push(") IN ('array', 'object') AND json_extract(e.properties, ")
                    .push_json_path(key)
                    .push(") IN ('[]', '{}')))");
            }
            Dialect::Postgres => {
                sql.push("(COALESCE(e.properties -> ")
                    .push_json_key(key)
                    .push(
                    ", 'null'::jsonb) IN ('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb, '{}'::jsonb))",
                );
            }
        }
    }

    /// A row source `j` with one text column `j.v` per element of an array
    /// property (no rows when the property is absent or not an array).
    pub fn push_array_elements(&self, sql: &mut Sql, key: &str) {
        match self {
            Dialect::Sqlite => {
                sql.push("(SELECT CAST(value AS TEXT) AS v FROM json_each(e.properties, ")
                    .push_json_path(key)
                    .push(") WHERE json_type(e.properties, ")
                    .push_json_path(key)
                    .push(") = 'array') j");
            }
            Dialect::Postgres => {
                sql.push("(SELECT v FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.properties -> ")
                    .push_json_key(key)
                    .push(") = 'array' THEN e.properties -> ")
                    .push_json_key(key)
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
