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
