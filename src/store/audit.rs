//! The audit log: one row per change, written by the storage function that
//! makes the change, inside the same transaction.

use super::{bind_all, with_pool, Store, StoreError};
use crate::model::{AuditEntry, AuditFilter};
use crate::query::{Bind, Sql};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;

/// A change to something that is not an entity (a team, a user), recorded
/// under Port's system blueprint of its kind (`_team`, `_user`) so the
/// audit log's entity filters find it.
pub struct ChangeRecord<'a> {
    pub actor: &'a str,
    pub resource_type: &'static str,
    pub action: &'static str,
    pub blueprint: &'a str,
    pub identifier: &'a str,
    pub before: Value,
    pub after: Value,
}

/// Inserts one audit row on a transaction: `(tx, actor, resource type,
/// action, blueprint, identifier, before, after)`.
macro_rules! insert_audit_row {
    ($tx:expr, $actor:expr, $resource:expr, $action:expr, $blueprint:expr, $identifier:expr, $before:expr, $after:expr) => {{
        sqlx::query(
            "INSERT INTO audit_log (at, actor, resource_type, action, blueprint, identifier, status, diff) \
             VALUES ($1, $2, $3, $4, $5, $6, 'SUCCESS', $7)",
        )
        .bind($crate::store::audit::now())
        .bind($actor)
        .bind($resource)
        .bind($action)
        .bind($blueprint)
        .bind($identifier)
        .bind(sqlx::types::Json(serde_json::json!({"before": $before, "after": $after})))
        .execute(&mut **$tx)
        .await?;
    }};
}
pub(crate) use insert_audit_row;

/// Records a `ChangeRecord` on a transaction.
macro_rules! insert_change {
    ($tx:expr, $change:expr) => {{
        let change: &$crate::store::audit::ChangeRecord = $change;
        $crate::store::audit::insert_audit_row!(
            $tx,
            change.actor,
            change.resource_type,
            change.action,
            change.blueprint,
            change.identifier,
            &change.before,
            &change.after
        );
    }};
}
pub(crate) use insert_change;

pub(crate) fn now() -> DateTime<Utc> {
    Utc::now()
}

type AuditRow = (
    i64,
    DateTime<Utc>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    Json<Value>,
    Option<String>,
);

impl Store {
    /// Audit entries matching every filter given, newest first.
    pub async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let mut sql = Sql::default();
        sql.push(
            "SELECT id, at, actor, resource_type, action, blueprint, identifier, status, diff, \
             message FROM audit_log WHERE 1 = 1",
        );
        let text_filters = [
            ("identifier", &filter.entity),
            ("blueprint", &filter.blueprint),
            ("actor", &filter.actor),
            ("action", &filter.action),
            ("status", &filter.status),
        ];
        for (column, value) in text_filters {
            if let Some(value) = value {
                sql.push(&format!(" AND {column} = "))
                    .push_bind(Bind::Text(value.clone()));
            }
        }
        if !filter.resource_types.is_empty() {
            sql.push(" AND resource_type IN (");
            for (i, kind) in filter.resource_types.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.push_bind(Bind::Text(kind.clone()));
            }
            sql.push(")");
        }
        if let Some(actor) = &filter.failures_only_by {
            sql.push(" AND (status <> 'FAILURE' OR actor = ")
                .push_bind(Bind::Text(actor.clone()))
                .push(")");
        }
        if let Some(from) = filter.from {
            sql.push(" AND at >= ").push_bind(Bind::Time(from));
        }
        if let Some(to) = filter.to {
            sql.push(" AND at <= ").push_bind(Bind::Time(to));
        }
        if let Some(before) = filter.before {
            sql.push(" AND id < ").push_bind(Bind::Int(before));
        }
        sql.push(" ORDER BY id DESC LIMIT ")
            .push_bind(Bind::Int(filter.limit));
        let rows: Vec<AuditRow> = with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, AuditRow>(&sql.text), &sql.binds)
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    at,
                    actor,
                    resource_type,
                    action,
                    blueprint,
                    identifier,
                    status,
                    Json(diff),
                    message,
                )| {
                    AuditEntry {
                        id,
                        at,
                        actor,
                        resource_type,
                        action,
                        blueprint,
                        identifier,
                        status,
                        diff,
                        message,
                    }
                },
            )
            .collect())
    }
}
