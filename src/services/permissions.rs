//! Reading and changing blueprint and page permissions
//! (`/v1/blueprints/{id}/permissions`, `/v1/pages/{id}/permissions`).
//! Everyone signed in may read a blueprint's permissions, and a page's if they may read the page (they explain what one may do);
//! only admins change them, and each change is in the audit log.

use crate::authz::may_change_permissions;
use crate::model::query::Query;
use crate::model::{AppError, BlueprintPermissions, PagePermissions, Subject};
use crate::services::access::{self, require_or_record};
use crate::store::Store;
use serde_json::Value;

pub async fn blueprint_permissions(
    store: &Store,
    identifier: &str,
) -> Result<BlueprintPermissions, AppError> {
    let blueprint = crate::services::blueprints::blueprint(store, identifier).await?;
    access::permissions_of(store, &blueprint).await
}

/// Applies Port's PATCH: blocks and keys present replace the stored ones.
/// Every problem is named and nothing is stored unless all is well; a
/// read `policy` must be a valid query on this blueprint.
pub async fn patch_blueprint_permissions(
    store: &Store,
    subject: &Subject,
    identifier: &str,
    body: &Value,
) -> Result<BlueprintPermissions, AppError> {
    require_or_record(
        store,
        subject,
        may_change_permissions(subject),
        "permissions",
        "UPDATE",
        Some(identifier),
        Some(identifier),
    )
    .await?;
    let blueprint = crate::services::blueprints::blueprint(store, identifier).await?;
    let before = access::permissions_of(store, &blueprint).await?;
    let mut after = before.clone();
    after
        .patch(body, &blueprint)
        .map_err(|errors| AppError::Invalid(errors.join("; ")))?;
    if let Some(policy) = &after.entities.read.policy {
        let query = Query::from_json(policy).map_err(|e| {
            AppError::Invalid(format!("`entities.read.policy` is not a valid query: {e}"))
        })?;
        access::compile_on(store, subject, &blueprint, &query).map_err(|e| {
            AppError::Invalid(format!(
                "`entities.read.policy` does not fit blueprint `{identifier}`: {e}"
            ))
        })?;
    }
    if !store
        .set_blueprint_permissions(identifier, &before, &after, &subject.audit_name())
        .await?
    {
        return Err(AppError::NotFound(format!(
            "there is no blueprint `{identifier}`"
        )));
    }
    Ok(after)
}

/// A page's permissions, for whoever may read the page.
pub async fn page_permissions(
    store: &Store,
    subject: &Subject,
    identifier: &str,
) -> Result<PagePermissions, AppError> {
    Ok(
        crate::services::pages::readable_page(store, subject, identifier)
            .await?
            .permissions,
    )
}

/// Applies Port's PATCH of page permissions (admins only).
pub async fn patch_page_permissions(
    store: &Store,
    subject: &Subject,
    identifier: &str,
    body: &Value,
) -> Result<PagePermissions, AppError> {
    require_or_record(
        store,
        subject,
        may_change_permissions(subject),
        "page-permissions",
        "UPDATE",
        Some("_page"),
        Some(identifier),
    )
    .await?;
    let page = crate::services::pages::existing(store, identifier).await?;
    let mut after = page.permissions.clone();
    after
        .patch(body)
        .map_err(|errors| AppError::Invalid(errors.join("; ")))?;
    if !store
        .set_page_permissions(identifier, &page.permissions, &after, &subject.audit_name())
        .await?
    {
        return Err(AppError::NotFound(format!(
            "there is no page `{identifier}`"
        )));
    }
    Ok(after)
}
