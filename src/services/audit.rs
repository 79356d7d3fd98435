//! Reading the audit log (every change is recorded by the storage function
//! that makes it).

use crate::authz::{may_read_audit_log, require};
use crate::model::{AppError, AuditEntry, AuditFilter, Subject, UserRole};
use crate::services::access;
use crate::store::Store;

/// Entries read when no `limit` is given, and the most one read may ask.
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

pub async fn audit_log(
    store: &Store,
    subject: &Subject,
    filter: AuditFilter,
) -> Result<Vec<AuditEntry>, AppError> {
    let one_entity = filter.entity.is_some() && filter.blueprint.is_some();
    require(subject, may_read_audit_log(subject, one_entity))?;
    if subject.role() != Some(UserRole::Admin) {
        if let (Some(blueprint), Some(identifier)) = (&filter.blueprint, &filter.entity) {
            require_entity_readable(store, subject, blueprint, identifier).await?;
        }
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
    let blueprint = crate::services::catalog::blueprint(store, blueprint).await?;
    let restriction = access::read_restriction(store, subject, &blueprint).await?;
    match store.get_entity(&blueprint.identifier, identifier).await? {
        Some(entity) => access::require_readable(store, subject, &blueprint, &entity).await,
        None if restriction.is_none() => Ok(()),
        None => Err(AppError::Forbidden(format!(
            "you may not read the history of `{identifier}`: it no longer exists, and blueprint `{}` lets you read only some of its entities",
            blueprint.identifier
        ))),
    }
}
