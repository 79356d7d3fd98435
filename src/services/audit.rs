//! Reading the audit log (every change is recorded by the storage function
//! that makes it).

use crate::authz::{audit_scope, may_read_audit_log, require, AuditScope};
use crate::model::url::encode_component;
use crate::model::{AppError, AuditEntry, AuditFilter, AuditLogPage, AuditRow, Subject};
use crate::services::access;
use crate::store::Store;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Entries read when no `limit` is given, and the most one read may ask.
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;
/// Rows on one page of the audit log page.
pub const PAGE_SIZE: i64 = 50;

/// A moment given as ISO 8601 (`2026-01-31T09:30:00Z`), or as a browser's
/// date or date-and-time field writes it (`2026-01-31`, `2026-01-31T09:30`),
/// read as UTC. A bare date starts at midnight, or as `to` ends there.
fn time(name: &str, value: &str) -> Result<DateTime<Utc>, AppError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M") {
        return Ok(t.and_utc());
    }
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        let t = if name == "to" {
            day.and_hms_milli_opt(23, 59, 59, 999)
        } else {
            day.and_hms_opt(0, 0, 0)
        };
        if let Some(t) = t {
            return Ok(t.and_utc());
        }
    }
    Err(AppError::Invalid(format!(
        "{name}: `{value}` is not a date such as 2026-01-31 or an ISO 8601 date-time such as 2026-01-31T09:30:00Z"
    )))
}

/// The filters of a request (the REST API's query and the audit log
/// page's form alike): repeated or comma-joined for lists, empty ones
/// ignored, unknown ones ignored (clients add their own).
pub fn filter_of(params: &[(String, String)]) -> Result<AuditFilter, AppError> {
    let mut filter = AuditFilter {
        limit: DEFAULT_LIMIT,
        ..AuditFilter::default()
    };
    for (key, value) in params {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "entity" => filter.entity = Some(value.to_string()),
            "blueprint" => filter.blueprint = Some(value.to_string()),
            "user" => filter.actor = Some(value.to_string()),
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
            "before" => {
                filter.before = Some(value.parse().map_err(|_| {
                    AppError::Invalid(format!(
                        "before: `{value}` is not an audit entry's identifier"
                    ))
                })?)
            }
            _ => {}
        }
    }
    Ok(filter)
}

/// One page of the audit log for the audit log page: `PAGE_SIZE` rows
/// older than `filter.before`, each with a link to its resource while it
/// still exists and its changed fields, and the cursor of the next page.
/// Read through `audit_log`, so the same policy decides.
pub async fn audit_log_page(
    store: &Store,
    subject: &Subject,
    mut filter: AuditFilter,
) -> Result<AuditLogPage, AppError> {
    // One more than shown tells whether an older page exists.
    filter.limit = PAGE_SIZE + 1;
    let mut entries = audit_log(store, subject, filter).await?;
    let more = entries.len() as i64 > PAGE_SIZE;
    entries.truncate(PAGE_SIZE as usize);
    let older = more.then(|| entries.last().map(|e| e.id)).flatten();

    let mut pairs: Vec<(String, String)> = entries
        .iter()
        .filter(|e| e.resource_type == "entity")
        .filter_map(|e| Some((e.blueprint.clone()?, e.identifier.clone()?)))
        .collect();
    pairs.sort();
    pairs.dedup();
    let existing = store.existing_entities(&pairs).await?;
    let blueprints: Vec<String> = if entries.iter().any(|e| e.resource_type == "blueprint") {
        crate::services::blueprints::blueprints(store)
            .await?
            .into_iter()
            .map(|b| b.identifier)
            .collect()
    } else {
        Vec::new()
    };
    let rows = entries
        .into_iter()
        .map(|mut entry| {
            let href = match (
                entry.resource_type.as_str(),
                &entry.blueprint,
                &entry.identifier,
            ) {
                ("entity", Some(bp), Some(id)) if existing.contains(&(bp.clone(), id.clone())) => {
                    Some(format!(
                        "/entity/{}/{}",
                        encode_component(bp),
                        encode_component(id)
                    ))
                }
                ("blueprint", _, Some(id)) if blueprints.contains(id) => {
                    Some(format!("/builder#{}", encode_component(id)))
                }
                _ => None,
            };
            let changes = entry.changes();
            // The page shows the changes; the raw diff stays on the server.
            entry.diff = serde_json::Value::Null;
            AuditRow {
                entry,
                href,
                changes,
            }
        })
        .collect();
    Ok(AuditLogPage { rows, older })
}

pub async fn audit_log(
    store: &Store,
    subject: &Subject,
    mut filter: AuditFilter,
) -> Result<Vec<AuditEntry>, AppError> {
    let one_entity = filter.entity.is_some() && filter.blueprint.is_some();
    require(subject, may_read_audit_log(subject, one_entity))?;
    if let AuditScope::EntityHistory { own_refusals_of } = audit_scope(subject) {
        if let (Some(blueprint), Some(identifier)) = (&filter.blueprint, &filter.entity) {
            require_entity_readable(store, subject, blueprint, identifier).await?;
        }
        let asked_for_entities =
            filter.resource_types.is_empty() || filter.resource_types.iter().any(|r| r == "entity");
        if !asked_for_entities {
            return Ok(Vec::new());
        }
        filter.resource_types = vec!["entity".to_string()];
        filter.failures_only_by = Some(own_refusals_of);
    }
    if !(1..=MAX_LIMIT).contains(&filter.limit) {
        return Err(AppError::Invalid(format!(
            "limit: must be 1 to {MAX_LIMIT}, not {}",
            filter.limit
        )));
    }
    Ok(store.audit_log(&filter).await?)
}

/// An entity's history is as readable as the entity; a deleted entity's
/// only to those who may read every entity of its blueprint.
async fn require_entity_readable(
    store: &Store,
    subject: &Subject,
    blueprint: &str,
    identifier: &str,
) -> Result<(), AppError> {
    let blueprint = crate::services::blueprints::blueprint(store, blueprint).await?;
    match store.get_entity(&blueprint.identifier, identifier).await? {
        Some(entity) => access::require_readable(store, subject, &blueprint, &entity).await,
        None => {
            let permissions = access::permissions_of(store, &blueprint).await?;
            let scope = crate::authz::entity_read_scope(subject, &permissions);
            let decision =
                crate::authz::may_read_deleted_history(&blueprint.identifier, identifier, &scope);
            require(subject, decision)
        }
    }
}
