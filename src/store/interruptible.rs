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

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqlitePoolOptions;

    /// Counts to ten million: long enough that only a stop ends it early.
    const LONG_READ: &str = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n \
                             WHERE x < 10000000) SELECT COUNT(*) FROM n";

    /// One connection, so every read below reuses the watched one.
    async fn one_connection() -> SqlitePool {
        SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap()
    }

    fn is_interrupted(result: &Result<Vec<(i64,)>, StoreError>) -> bool {
        matches!(result, Err(StoreError::Database(sqlx::Error::Database(e))) if e.message().contains("interrupt"))
    }

    #[tokio::test]
    async fn a_raised_signal_stops_the_read_and_the_connection_serves_on() {
        let pool = one_connection().await;
        let stop = StopSignal::default();
        let stopper = stop.clone();
        let raise_soon = async move {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            stopper.raise();
        };
        let (stopped, ()) = tokio::join!(
            fetch_all_until(&pool, sqlx::query_as::<_, (i64,)>(LONG_READ), &stop),
            raise_soon
        );
        assert!(is_interrupted(&stopped), "{stopped:?}");

        // The handler went with the read: the same connection, with the
        // signal still raised, runs the next statements to the end.
        let (one,): (i64,) = sqlx::query_as("SELECT 1").fetch_one(&pool).await.unwrap();
        assert_eq!(one, 1);
        let (counted,): (i64,) = sqlx::query_as(LONG_READ).fetch_one(&pool).await.unwrap();
        assert_eq!(counted, 10_000_000);
    }

    #[tokio::test]
    async fn an_unraised_signal_lets_the_read_finish() {
        let pool = one_connection().await;
        let rows = fetch_all_until(
            &pool,
            sqlx::query_as::<_, (i64,)>("SELECT 7 UNION ALL SELECT 8"),
            &StopSignal::default(),
        )
        .await
        .unwrap();
        assert_eq!(rows, [(7,), (8,)]);
    }
}
