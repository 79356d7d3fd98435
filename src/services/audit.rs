//! Reading the audit log (every change is recorded by the storage function
//! that makes it).

use crate::authz::{audit_scope, may_read_audit_log, require, AuditScope};
use crate::model::{AppError, AuditEntry, AuditFilter, Subject};
use crate::services::access;
use crate::store::Store;

/// Entries read when no `limit` is given, and the most one read may ask.
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

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
