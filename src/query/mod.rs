//! From what a page or an API call asks for to parameterised SQL.
//!
//! This module owns the translation of entity reads into SQL text plus bind
//! values for each database dialect. It never touches a connection (the store
//! runs what it builds) and never interpolates a value into SQL: every value
//! a user can influence becomes a bind parameter. The search query language
//! of `shared/spec/search.md` compiles here too, through the same `Sql`
//! builder.

pub mod dialect;
pub mod filter;
pub mod listing;

pub use dialect::Dialect;
pub use filter::{compile_filter, Scope, Viewer};
pub use listing::{compile_listing, EntityListing};

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
#[derive(Debug, Default)]
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
}
