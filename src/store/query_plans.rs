//! The plans the databases choose for catalog reads, written to a file on
//! request (`PORTOLAN_QUERY_PLAN_LOG`), so that a slow page can be traced to
//! a scan and the benchmark can show which index each search query uses.
//!
//! Off by default, and then a read pays one check of an unset `OnceLock`.
//! On, each distinct statement text is explained once, the first time it
//! runs (bind values differ between calls, the shape of the plan rarely
//! does), and appended as one JSON line `{"backend", "sql", "plan": [...]}`.
//! A plan that cannot be had is logged and skipped: diagnostics never fail
//! the read they describe.

use super::{bind_all, Store, StoreError};
use crate::query::Sql;
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

struct PlanLog {
    file: std::fs::File,
    /// (backend, statement text) already explained.
    explained: HashSet<(&'static str, String)>,
}

static PLAN_LOG: OnceLock<Mutex<PlanLog>> = OnceLock::new();

/// Appends the plans of this process's catalog reads to `path` (created if
/// missing). Once per process: the first call wins.
pub fn write_plans_to(path: &Path) -> Result<(), StoreError> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| {
            StoreError::Config(format!(
                "cannot open the query plan log `{}`: {e}",
                path.display()
            ))
        })?;
    let _ = PLAN_LOG.set(Mutex::new(PlanLog {
        file,
        explained: HashSet::new(),
    }));
    Ok(())
}

impl Store {
    /// Writes the plan of `sql` to the plan log, if there is one and this
    /// statement text has not been explained yet.
    pub(crate) async fn log_plan(&self, sql: &Sql) {
        let Some(log) = PLAN_LOG.get() else { return };
        {
            let mut log = log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if !log.explained.insert((self.backend(), sql.text.clone())) {
                return;
            }
        }
        let plan = match self.explain(sql).await {
            Ok(plan) => plan,
            Err(e) => {
                tracing::warn!(error = %e, sql = %sql.text, "no query plan");
                return;
            }
        };
        let line = serde_json::json!({
            "backend": self.backend(),
            "sql": sql.text,
            "plan": plan,
        });
        let mut log = log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Err(e) = writeln!(log.file, "{line}") {
            tracing::warn!(error = %e, "cannot write the query plan log");
        }
    }

    /// The database's plan for `sql` with its bind values, one line per
    /// step, indented by depth as the command-line shells print them.
    async fn explain(&self, sql: &Sql) -> Result<Vec<String>, StoreError> {
        let explain = match self {
            Store::Sqlite(_) => format!("EXPLAIN QUERY PLAN {}", sql.text),
            Store::Postgres(_) => format!("EXPLAIN {}", sql.text),
        };
        match self {
            Store::Sqlite(pool) => {
                let rows: Vec<(i64, i64, i64, String)> =
                    bind_all!(sqlx::query_as(&explain), &sql.binds)
                        .fetch_all(pool)
                        .await?;
                // Each step names its parent step's id; depth is the chain's length.
                let mut depth_of: std::collections::HashMap<i64, usize> =
                    std::collections::HashMap::new();
                Ok(rows
                    .into_iter()
                    .map(|(id, parent, _, detail)| {
                        let depth = depth_of.get(&parent).map_or(0, |d| *d + 1);
                        depth_of.insert(id, depth);
                        format!("{}{detail}", "  ".repeat(depth))
                    })
                    .collect())
            }
            Store::Postgres(pool) => {
                let rows: Vec<(String,)> = bind_all!(sqlx::query_as(&explain), &sql.binds)
                    .fetch_all(pool)
                    .await?;
                Ok(rows.into_iter().map(|(line,)| line).collect())
            }
        }
    }
}
