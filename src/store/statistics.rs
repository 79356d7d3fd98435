//! Planner statistics while the catalog grows. PostgreSQL's autovacuum
//! analyzes a table only after a fraction of it changed, so a catalog
//! filling up at thousands of rows a second is planned with the statistics
//! of a nearly empty table (sequential scans and nested loops over the side
//! tables): the benchmark saw bulk ingest fall from about 4,000 to 700
//! entities a second until an ANALYZE. The store counts the entity rows it
//! writes and, past a threshold that grows with what it has written, runs
//! ANALYZE itself, in the background and one at a time. SQLite keeps no
//! statistics until it is told to: without them it scans a blueprint's
//! index rather than start from a selective team filter (15 ms against
//! 40 ms at 100k entities), so it gets the same treatment.

use super::Store;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Rows written since the last ANALYZE, rows written in all (this process),
/// and whether one is running.
static SINCE_ANALYZE: AtomicU64 = AtomicU64::new(0);
static WRITTEN: AtomicU64 = AtomicU64::new(0);
static ANALYZING: AtomicBool = AtomicBool::new(false);

/// Fewest new rows worth an ANALYZE; after that a quarter of what was
/// written before, so a steady load analyzes less and less often.
const MIN_ROWS: u64 = 5_000;

impl Store {
    /// Notes `rows` entity rows written; may start a background ANALYZE.
    pub(crate) fn note_entities_written(&self, rows: u64) {
        let since = SINCE_ANALYZE.fetch_add(rows, Ordering::Relaxed) + rows;
        let total = WRITTEN.fetch_add(rows, Ordering::Relaxed) + rows;
        if since < MIN_ROWS.max(total / 4) || ANALYZING.swap(true, Ordering::AcqRel) {
            return;
        }
        SINCE_ANALYZE.store(0, Ordering::Relaxed);
        let store = self.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let analyzed = match &store {
                Store::Postgres(pool) => {
                    sqlx::query("ANALYZE entities, entity_teams, entity_relations")
                        .execute(pool)
                        .await
                        .map(|_| ())
                }
                Store::Sqlite(pool) => sqlx::query("ANALYZE").execute(pool).await.map(|_| ()),
            };
            match analyzed {
                Ok(_) => tracing::info!(
                    rows_written = total,
                    ms = started.elapsed().as_millis() as u64,
                    "refreshed planner statistics of the catalog tables"
                ),
                Err(e) => tracing::warn!(error = %e, "ANALYZE of the catalog tables failed"),
            }
            ANALYZING.store(false, Ordering::Release);
        });
    }
}
