//! Errors of the storage layer, and how services see them.

use crate::model::AppError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL or its options are wrong.
    #[error("{0}")]
    Config(String),
    /// The database does not answer.
    #[error("{0}")]
    Connect(String),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A unique key is taken (the message says which thing).
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Whether sqlx reports a unique-constraint violation, so a caller can
    /// turn it into a 409 naming the thing that already exists.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation())
    }
}

/// Turns a unique-constraint violation into a `Conflict` that names the
/// thing already taken; other errors pass through.
pub(crate) trait OnConflict<T> {
    fn on_conflict(self, message: impl FnOnce() -> String) -> Result<T, StoreError>;
}

impl<T> OnConflict<T> for Result<T, sqlx::Error> {
    fn on_conflict(self, message: impl FnOnce() -> String) -> Result<T, StoreError> {
        self.map_err(|e| {
            let err = StoreError::from(e);
            if err.is_unique_violation() {
                StoreError::Conflict(message())
            } else {
                err
            }
        })
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Connect(m) => AppError::Unavailable(m),
            StoreError::Database(sqlx::Error::PoolTimedOut)
            | StoreError::Database(sqlx::Error::Io(_)) => {
                tracing::error!(error = %err, "database unavailable");
                AppError::Unavailable("the database does not answer; try again shortly".into())
            }
            other => {
                tracing::error!(error = %other, "storage failure");
                AppError::Internal("an internal storage error occurred; see the server log".into())
            }
        }
    }
}
