//! A read another task can stop half-way. SQLite calls a connection's
//! progress handler every few thousand virtual-machine steps, and a
//! statement whose handler says stop ends at once with `SQLITE_INTERRUPT`.
//! A catalog listing starts one read on speculation and stops it when the
//! count shows it was the wrong one (see `Store::list_entities`).

use super::StoreError;
use sqlx::pool::PoolConnection;
use sqlx::query::QueryAs;
use sqlx::sqlite::{Sqlite, SqliteArguments, SqliteRow};
use sqlx::{FromRow, SqlitePool};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Steps between two looks at the signal: microseconds of work, so a
/// stopped read ends almost at once.
const STEPS_BETWEEN_LOOKS: i32 = 1000;

/// Raised once by one task, read by the statement running in another.
#[derive(Clone, Default)]
pub struct StopSignal(Arc<AtomicBool>);

impl StopSignal {
    pub fn raise(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn is_raised(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Runs `query` on a connection of its own until it ends or `stop` is
/// raised (then an error, `interrupted`, which the caller discards).
pub async fn fetch_all_until<'q, T>(
    pool: &SqlitePool,
    query: QueryAs<'q, Sqlite, T, SqliteArguments<'q>>,
    stop: &StopSignal,
) -> Result<Vec<T>, StoreError>
where
    T: Send + Unpin + for<'r> FromRow<'r, SqliteRow>,
{
    let mut watched = Watched {
        conn: pool.acquire().await?,
        handler_set: false,
    };
    let signal = stop.clone();
    watched
        .conn
        .lock_handle()
        .await?
        .set_progress_handler(STEPS_BETWEEN_LOOKS, move || !signal.is_raised());
    watched.handler_set = true;
    let rows = query.fetch_all(&mut *watched.conn).await;
    watched.conn.lock_handle().await?.remove_progress_handler();
    watched.handler_set = false;
    Ok(rows?)
}

/// A pooled connection with a progress handler. Dropped before the handler
/// is removed (the request went away), it is closed instead of going back
/// to the pool, where the raised signal would stop another request's reads.
struct Watched {
    conn: PoolConnection<Sqlite>,
    handler_set: bool,
}

impl Drop for Watched {
    fn drop(&mut self) {
        if self.handler_set {
            self.conn.close_on_drop();
        }
    }
}
