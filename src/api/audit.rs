//! `GET /v1/audit-log`: who changed what, with Port's filters.

use super::ApiResult;
use crate::model::{AuditEntry, Subject};
use crate::services::audit::{self, filter_of};
use crate::store::Store;
use axum::extract::{Query, State};
use axum::Json;
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

pub async fn list(
    State(store): State<Store>,
    subject: Subject,
    Query(params): Query<Vec<(String, String)>>,
) -> ApiResult {
    let entries = audit::audit_log(&store, &subject, filter_of(&params)?).await?;
    let audits: Vec<Value> = entries.iter().map(entry_json).collect();
    Ok(Json(json!({"ok": true, "audits": audits})))
}
