//! `GET /v1/audit-log`: who changed what, with Port's filters.

use super::ApiResult;
use crate::model::{AppError, AuditEntry, AuditFilter, Subject};
use crate::services::audit::{self, DEFAULT_LIMIT};
use crate::store::Store;
use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// Port's entry shape (api.md §9).
fn entry_json(entry: &AuditEntry) -> Value {
    let mut entry_json = json!({
        "identifier": entry.id.to_string(),
        "action": entry.action,
        "resourceType": entry.resource_type,
        "status": entry.status,
        "trigger": {"at": entry.at, "by": {"userId": entry.actor}, "origin": "UI"},
        "context": {"blueprint": entry.blueprint, "entity": entry.identifier},
        "diff": entry.diff,
    });
    // Why a refused write was refused (status FAILURE).
    if let Some(message) = &entry.message {
        entry_json["message"] = Value::from(message.as_str());
    }
    entry_json
}

fn time(name: &str, value: &str) -> Result<DateTime<Utc>, AppError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            AppError::Invalid(format!(
                "{name}: `{value}` is not an ISO 8601 date-time such as 2026-01-31T09:30:00Z"
            ))
        })
}

/// Query parameters, repeated or comma-joined for lists; unknown ones are
/// ignored (clients add their own).
fn filter_of(params: &[(String, String)]) -> Result<AuditFilter, AppError> {
    let mut filter = AuditFilter {
        limit: DEFAULT_LIMIT,
        ..AuditFilter::default()
    };
    for (key, value) in params {
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "entity" => filter.entity = Some(value.clone()),
            "blueprint" => filter.blueprint = Some(value.clone()),
            "user" => filter.actor = Some(value.clone()),
            "action" => filter.action = Some(value.to_ascii_uppercase()),
            "status" => filter.status = Some(value.to_ascii_uppercase()),
            "resources" | "resources[]" => filter
                .resource_types
                .extend(value.split(',').map(|s| s.trim().to_string())),
            "from" => filter.from = Some(time("from", value)?),
            "to" => filter.to = Some(time("to", value)?),
            "limit" => {
                filter.limit = value.parse().map_err(|_| {
                    AppError::Invalid(format!("limit: `{value}` is not a whole number"))
                })?
            }
            _ => {}
        }
    }
    Ok(filter)
}

pub async fn list(
    State(store): State<Store>,
    subject: Subject,
    Query(params): Query<Vec<(String, String)>>,
) -> ApiResult {
    let entries = audit::audit_log(&store, &subject, filter_of(&params)?).await?;
    let audits: Vec<Value> = entries.iter().map(entry_json).collect();
    Ok(Json(json!({"ok": true, "audits": audits})))
}
