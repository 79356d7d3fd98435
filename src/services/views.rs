//! Saving how a catalog page looks: people's personal views, and what an
//! admin or the blueprint's moderators set for everyone — the page's
//! default view and its initial filter. Each is checked against the
//! blueprint before it is stored, so a saved view always opens.

use crate::authz::{may_configure_page, may_save_views, require};
use crate::model::query::Query;
use crate::model::{AppError, Page, PageType, SavedView, Subject, ViewParams};
use crate::services::access::filter_on;
use crate::services::access::{self, require_or_record};
use crate::services::blueprints::blueprint;
use crate::services::catalog_page::{check_view, view_of_params};
use crate::services::pages::page_for;
use crate::store::{PageDocumentChange, Store};
use serde_json::Value;

/// Longest view name accepted.
const NAME_LIMIT: usize = 60;

/// Saves the view described by `params` as `subject`'s view `name` of the
/// page (replacing one of that name).
pub async fn save_view(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    name: &str,
    params: &ViewParams,
) -> Result<SavedView, AppError> {
    require(subject, may_save_views(subject))?;
    let page = page_for(store, subject, page_id, PageType::BlueprintEntities).await?;
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::Invalid("give the view a name".into()));
    }
    if name.chars().count() > NAME_LIMIT {
        return Err(AppError::Invalid(format!(
            "a view name has at most {NAME_LIMIT} characters"
        )));
    }
    let view = checked_view(store, subject, &page, params).await?;
    let saved = SavedView {
        page: page.identifier.clone(),
        name: name.to_string(),
        view,
    };
    let owner = owner_of(subject)?;
    store.save_view(owner, &saved).await?;
    Ok(saved)
}

/// Deletes `subject`'s view `name` of the page.
pub async fn delete_view(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    name: &str,
) -> Result<(), AppError> {
    require(subject, may_save_views(subject))?;
    if store.delete_view(page_id, owner_of(subject)?, name).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!(
            "you have no saved view `{name}` on the page `{page_id}`"
        )))
    }
}

/// Makes `params` the page's default view for everyone (no parameters:
/// back to the blueprint's defaults). Admins and the blueprint's moderators.
pub async fn save_default_view(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    params: &ViewParams,
) -> Result<(), AppError> {
    let page = configurable_page(store, subject, page_id, "page-view").await?;
    let after = if params.is_empty() {
        Value::Null
    } else {
        let view = checked_view(store, subject, &page, params).await?;
        serde_json::to_value(view).map_err(|e| AppError::Internal(e.to_string()))?
    };
    let before = serde_json::to_value(&page.view).unwrap_or_default();
    update_page(store, subject, &page, "view", "page-view", before, after).await
}

/// Sets the page's initial filter (Port's `dataset`; empty text removes
/// it). It must be a valid query on the page's blueprint; dynamic values
/// ("My Teams", date presets) are kept as such and resolved per viewer.
pub async fn set_initial_filter(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    filter: &str,
) -> Result<(), AppError> {
    let page = configurable_page(store, subject, page_id, "page-filter").await?;
    let after = match filter.trim() {
        "" => Value::Null,
        text => {
            let json: Value = serde_json::from_str(text)
                .map_err(|e| AppError::Invalid(format!("the initial filter is not JSON: {e}")))?;
            let query = Query::from_json(&json)
                .map_err(|e| AppError::Invalid(format!("the initial filter: {e}")))?;
            let blueprint = blueprint(store, page.blueprint.as_deref().unwrap_or_default()).await?;
            filter_on(store, subject, &blueprint, &query)?;
            if query.rules.is_empty() {
                Value::Null
            } else {
                query.to_json()
            }
        }
    };
    let before = page
        .dataset
        .as_ref()
        .map(Query::to_json)
        .unwrap_or_default();
    update_page(
        store,
        subject,
        &page,
        "dataset",
        "page-filter",
        before,
        after,
    )
    .await
}

/// The catalog page, if `subject` may configure it; a refusal is recorded.
async fn configurable_page(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    resource_type: &'static str,
) -> Result<Page, AppError> {
    let page = page_for(store, subject, page_id, PageType::BlueprintEntities).await?;
    require_or_record(
        store,
        subject,
        may_configure_page(subject, &page),
        resource_type,
        "UPDATE",
        page.blueprint.as_deref(),
        Some(page_id),
    )
    .await?;
    Ok(page)
}

async fn update_page(
    store: &Store,
    subject: &Subject,
    page: &Page,
    key: &'static str,
    resource_type: &'static str,
    before: Value,
    after: Value,
) -> Result<(), AppError> {
    let actor = subject.audit_name();
    let changed = store
        .update_page_document(&PageDocumentChange {
            page: &page.identifier,
            key,
            resource_type,
            before,
            after,
            actor: &actor,
        })
        .await?;
    if changed {
        Ok(())
    } else {
        Err(AppError::NotFound(format!(
            "there is no catalog page `{}`",
            page.identifier
        )))
    }
}

/// The view `params` describe, checked against the page's blueprint.
async fn checked_view(
    store: &Store,
    subject: &Subject,
    page: &Page,
    params: &ViewParams,
) -> Result<crate::model::CatalogView, AppError> {
    let view = view_of_params(params)?;
    let blueprint = blueprint(store, page.blueprint.as_deref().unwrap_or_default()).await?;
    check_view(&blueprint, &view)?;
    if let Some(filter) = &view.filter {
        filter_on(store, subject, &blueprint, filter)?;
    }
    // A view that cannot be read back is not worth saving.
    access::read_restriction(store, subject, &blueprint).await?;
    Ok(view)
}

fn owner_of(subject: &Subject) -> Result<&str, AppError> {
    subject
        .email_and_teams()
        .0
        .ok_or_else(|| AppError::Forbidden("only a signed-in person may save views".into()))
}
