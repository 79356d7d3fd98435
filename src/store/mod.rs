//! The only place with SQL: one `Store` over an embedded SQLite file or a
//! PostgreSQL server.
//!
//! `Store` is an enum over the two concrete sqlx pools (sqlx's `Any` driver
//! lacks JSON and time types). Most statements are portable SQL with `$n`
//! placeholders, written once and run on either pool through `with_pool!`;
//! what differs between dialects comes from `query::Dialect`. Nothing here
//! decides who may do what: callers (services) have asked `authz` first.

pub(crate) mod audit;
pub use audit::ChangeRecord;
mod aggregates;
mod blueprints;
mod credentials;
pub use credentials::{Credential, TokenOwner};
mod entities;
pub use entities::{AuditRecord, NewEntity, RelationLink};
mod entity_batch;
mod folders;
pub use entity_batch::EntityWrite;
mod error;
pub(crate) mod inherited_teams;
mod interruptible;
mod users;
pub use inherited_teams::{InheritanceRule, Touched};
mod invitations;
pub use invitations::NewInvitation;
pub use users::{SsoProfile, UserChange};
mod pages;
pub use pages::PageDocumentChange;
mod permissions;
pub use permissions::DeniedAttempt;
pub mod property_indexes;
pub mod query_plans;
mod search;
pub mod sessions;
mod statistics;
mod team_rename;
mod teams;
pub use teams::TeamChange;
mod views;

pub(crate) use error::OnConflict;
pub use error::StoreError;

use crate::query::Dialect;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// How much of the SQLite file each connection reads through a memory map
/// (SQLite's own ceiling). Without it every connection copies pages into a
/// private 2 MB cache, so the pool's eight connections each start cold:
/// counting a team's 5,000 entities at 100k took 9 ms instead of 3. Mapped
/// pages are the kernel's page cache of the file, shared by every
/// connection and reclaimable, not memory the process allocates.
const SQLITE_MMAP_BYTES: u64 = 0x7fff_0000;

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code on whichever pool the store holds. The body is
/// compiled once per backend, so sqlx's types stay concrete.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite($pool) => $body,
            $crate::store::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Binds `query::Bind` values in order onto a sqlx query.
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for bind in $binds {
            q = match bind {
                $crate::query::Bind::Text(s) => q.bind(s.clone()),
                $crate::query::Bind::Int(i) => q.bind(*i),
                $crate::query::Bind::Float(f) => q.bind(*f),
                $crate::query::Bind::Time(t) => q.bind(*t),
                $crate::query::Bind::Null => q.bind(None::<String>),
            };
        }
        q
    }};
}
pub(crate) use bind_all;

/// Opens a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`:
/// a deferred transaction that reads first and writes later cannot take the
/// write lock once another connection has committed since its read (SQLite
/// answers "database is locked" at once, whatever the busy timeout), so two
/// concurrent bulk writes failed. Taking the lock at BEGIN makes the second
/// writer wait its turn instead. PostgreSQL's row locks need nothing more.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>,
    > + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>,
    > + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>,
    > + Send {
        self.begin()
    }
}

impl Store {
    /// Connects to `sqlite://path` (the file and its folder are created) or
    /// `postgres://…`, and checks that the database answers.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("invalid SQLite URL `{url}`: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string());
            if let Some(parent) = options.get_filename().parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        StoreError::Config(format!(
                            "cannot create the database folder `{}`: {e}",
                            parent.display()
                        ))
                    })?;
                }
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                // A connection to a local file does not go stale; pinging it
                // before each use was a second trip to its worker thread for
                // every statement (about 0.1 ms each, 15 per catalog page).
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(|e| {
                    StoreError::Connect(format!("cannot open SQLite database `{url}`: {e}"))
                })?;
            Ok(Store::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url).map_err(|e| {
                StoreError::Config(format!("invalid PostgreSQL URL `{}`: {e}", redact(url)))
            })?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(|e| {
                    StoreError::Connect(format!(
                        "cannot connect to PostgreSQL at `{}`: {e}",
                        redact(url)
                    ))
                })?;
            Ok(Store::Postgres(pool))
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL `{}`: use sqlite://<file> or postgres://<user>@<host>/<db>",
                redact(url)
            )))
        }
    }

    /// Applies the migrations of this backend, then makes the property
    /// indexes match the blueprints. Safe with several instances starting
    /// at once: sqlx takes an advisory lock on PostgreSQL.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Store::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        self.sync_all_property_indexes().await
    }

    /// `sqlite` or `postgres`, as `/healthz` reports it.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Store::Sqlite(_) => Dialect::Sqlite,
            Store::Postgres(_) => Dialect::Postgres,
        }
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}

/// A database URL fit for a log line: the password replaced by `***`.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(
            super::redact("postgres://app:s3cret@db:5432/portolan"),
            "postgres://app:***@db:5432/portolan"
        );
        assert_eq!(
            super::redact("sqlite://data/portolan.db"),
            "sqlite://data/portolan.db"
        );
    }
}
