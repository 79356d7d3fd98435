//! Reading the audit log (every change is recorded by the storage function
//! that makes it).

use crate::authz::{may_read_audit_log, require};
use crate::model::{AppError, AuditEntry, AuditFilter, Subject};
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
    if !(1..=MAX_LIMIT).contains(&filter.limit) {
        return Err(AppError::Invalid(format!(
            "limit: must be 1 to {MAX_LIMIT}, not {}",
            filter.limit
        )));
    }
    Ok(store.audit_log(&filter).await?)
}
