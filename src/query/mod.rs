//! From what a page or an API call asks for to parameterised SQL.
//!
//! This module owns the translation of entity reads into SQL text plus bind
//! values for each database dialect. It never touches a connection (the store
//! runs what it builds) and never interpolates a value into SQL: every value
//! a user can influence becomes a bind parameter. The search query language
//! of `shared/spec/search.md` compiles here too, through the same `Sql`
//! builder.

pub mod aggregate;
pub mod dialect;
pub mod filter;
pub mod listing;

pub use dialect::Dialect;
pub use filter::{compile_filter, Scope, Viewer};
pub use listing::{compile_blueprint_count, compile_listing, CompiledListing, EntityListing};

/// A value bound to a `$n` placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum Bind {
    Text(String),
    Int(i64),
    Float(f64),
    Time(chrono::DateTime<chrono::Utc>),
    /// SQL NULL (an absent title, icon or author).
    Null,
}

/// SQL text under construction with its bind values; `push_bind` hands out
/// the next `$n` placeholder so numbering can't drift.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<Bind>,
}

impl Sql {
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    pub fn push_bind(&mut self, value: Bind) -> &mut Self {
        self.binds.push(value);
        self.text.push_str(&format!("${}", self.binds.len()));
        self
    }

    /// Appends another fragment (a compiled condition), renumbering its
    /// placeholders after ours. A `$` followed by digits is a placeholder;
    /// the only other `$` in built SQL opens a literal JSON path (`'$."k"'`).
    pub fn push_sql(&mut self, other: &Sql) -> &mut Self {
        let offset = self.binds.len();
        let mut chars = other.text.chars().peekable();
        while let Some(c) = chars.next() {
            self.text.push(c);
            if c != '$' {
                continue;
            }
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            match digits.parse::<usize>() {
                Ok(n) => self.text.push_str(&(n + offset).to_string()),
                Err(_) => self.text.push_str(&digits),
            }
        }
        self.binds.extend(other.binds.iter().cloned());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appended_fragments_are_renumbered_after_ours() {
        let mut cond = Sql::default();
        cond.push("a = ")
            .push_bind(Bind::Int(1))
            .push(" OR b IN (")
            .push_bind(Bind::Int(2))
            .push(", ")
            .push_bind(Bind::Int(3))
            .push(")");
        let mut sql = Sql::default();
        sql.push("x = ")
            .push_bind(Bind::Text("x".into()))
            .push(" AND ");
        sql.push_sql(&cond);
        assert_eq!(sql.text, "x = $1 AND a = $2 OR b IN ($3, $4)");
        assert_eq!(sql.binds.len(), 4);
        assert_eq!(sql.binds[3], Bind::Int(3));
    }
}
