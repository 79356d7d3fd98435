//! Changing the data model: creating, replacing, patching and deleting
//! blueprints. A change that existing entities would not fit is refused
//! with the entities it would break; deleting a blueprint that still has
//! entities needs the caller to say so.

use crate::authz::may_change_data_model;
use crate::model::validate::{validate_blueprint, validate_entity};
use crate::model::{AppError, Blueprint, Page, PageType, Subject};
use crate::services::access::require_or_record;
use crate::store::Store;
use serde_json::{Map, Value};

/// Every blueprint.
pub async fn blueprints(store: &Store) -> Result<Vec<Blueprint>, AppError> {
    Ok(store.list_blueprints().await?)
}

/// One blueprint, or 404 naming it.
pub async fn blueprint(store: &Store, identifier: &str) -> Result<Blueprint, AppError> {
    store
        .get_blueprint(identifier)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no blueprint `{identifier}`")))
}

/// Only admins change the data model; a refusal is recorded.
async fn require_data_model(
    store: &Store,
    subject: &Subject,
    action: &'static str,
    blueprint: &str,
) -> Result<(), AppError> {
    let decision = may_change_data_model(subject);
    let id = Some(blueprint);
    require_or_record(store, subject, decision, "blueprint", action, id, id).await
}

/// How many breaking entities a refusal lists by name.
const SHOWN_BREAKAGES: usize = 10;

async fn checked(store: &Store, blueprint: &Blueprint) -> Result<(), AppError> {
    let others = store.list_blueprints().await?;
    validate_blueprint(blueprint, &others)
        .map_err(|errors| AppError::Invalid(crate::model::validate::joined(&errors)))
}

/// Creates a blueprint and, unless told not to, its catalog page
/// (`<identifier>s`, as Port's URLs suggest). Its moderator role,
/// `<identifier>-moderator`, exists from then on.
pub async fn create(
    store: &Store,
    subject: &Subject,
    blueprint: Blueprint,
    create_catalog_page: bool,
) -> Result<Blueprint, AppError> {
    require_data_model(store, subject, "CREATE", &blueprint.identifier).await?;
    checked(store, &blueprint).await?;
    let position = store.list_blueprints().await?.len() as i64;
    store
        .insert_blueprint(&blueprint, position, Some(&subject.audit_name()))
        .await?;
    if create_catalog_page {
        let identifier = format!("{}s", blueprint.identifier);
        if store.get_page(&identifier).await?.is_none() {
            let page = Page {
                identifier,
                title: format!("{}s", blueprint.title),
                icon: blueprint.icon.clone(),
                kind: PageType::BlueprintEntities,
                blueprint: Some(blueprint.identifier.clone()),
                description: blueprint.description.clone(),
                widgets: vec![],
                layout: vec![],
                page_filters: vec![],
                permissions: Default::default(),
                dataset: None,
                view: None,
                parent: None,
            };
            let position = store.list_pages().await?.len() as i64;
            store.insert_page(&page, position).await?;
        }
    }
    Ok(blueprint)
}

/// Replaces a blueprint (PUT: `identifier` from the path), refusing a
/// schema that stored entities would not fit.
pub async fn replace(
    store: &Store,
    subject: &Subject,
    identifier: &str,
    mut blueprint: Blueprint,
) -> Result<Blueprint, AppError> {
    require_data_model(store, subject, "UPDATE", identifier).await?;
    let before = crate::services::blueprints::blueprint(store, identifier).await?;
    if blueprint.identifier != identifier {
        return Err(AppError::Invalid(format!(
            "identifier: blueprints cannot be renamed (`{identifier}` → `{}`)",
            blueprint.identifier
        )));
    }
    blueprint.identifier = identifier.to_string();
    checked(store, &blueprint).await?;
    fits_existing_entities(store, &blueprint).await?;
    store
        .update_blueprint(&before, &blueprint, &subject.audit_name())
        .await?;
    crate::services::ownership::blueprint_changed(store, &before, &blueprint).await?;
    Ok(blueprint)
}

/// PATCH: every top-level key present in `patch` replaces the stored one
/// (api.md §3, as ocean's three-pass bootstrap expects).
pub async fn patch(
    store: &Store,
    subject: &Subject,
    identifier: &str,
    patch: Map<String, Value>,
) -> Result<Blueprint, AppError> {
    require_data_model(store, subject, "UPDATE", identifier).await?;
    let before = crate::services::blueprints::blueprint(store, identifier).await?;
    let mut document = match serde_json::to_value(&before) {
        Ok(Value::Object(map)) => map,
        _ => {
            return Err(AppError::Internal(
                "a stored blueprint is not an object".into(),
            ))
        }
    };
    document.extend(patch);
    document.insert("identifier".into(), Value::String(identifier.to_string()));
    let blueprint: Blueprint = serde_json::from_value(Value::Object(document))
        .map_err(|e| AppError::Invalid(format!("the patched blueprint is not valid: {e}")))?;
    replace(store, subject, identifier, blueprint).await
}

/// Deletes a blueprint and its catalog pages. With entities, only when
/// `delete_entities` is set (they go too); never while another blueprint
/// relates to it.
pub async fn delete(
    store: &Store,
    subject: &Subject,
    identifier: &str,
    delete_entities: bool,
) -> Result<u64, AppError> {
    require_data_model(store, subject, "DELETE", identifier).await?;
    let blueprint = crate::services::blueprints::blueprint(store, identifier).await?;
    let referrers: Vec<String> = store
        .list_blueprints()
        .await?
        .into_iter()
        .filter(|b| b.identifier != identifier)
        .filter(|b| b.relations.values().any(|r| r.target == identifier))
        .map(|b| format!("`{}`", b.identifier))
        .collect();
    if !referrers.is_empty() {
        return Err(AppError::Conflict(format!(
            "blueprint `{identifier}` is the target of relations in {}; remove those relations first",
            referrers.join(", ")
        )));
    }
    let count = store.count_entities(identifier).await?;
    if count > 0 && !delete_entities {
        return Err(AppError::Conflict(format!(
            "blueprint `{identifier}` has {count} entities; send delete_entities=true to delete them with it"
        )));
    }
    Ok(store
        .delete_blueprint(&blueprint, &subject.audit_name())
        .await?)
}

/// Walks every stored entity of the blueprint (in pages, never all in
/// memory) and refuses the new schema when some would not fit it, naming
/// the first few and their problems.
async fn fits_existing_entities(store: &Store, blueprint: &Blueprint) -> Result<(), AppError> {
    let mut after = String::new();
    let mut broken = Vec::new();
    let mut total_broken = 0usize;
    loop {
        let page = store
            .entities_after(&blueprint.identifier, &after, 1000)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.identifier.clone();
        for entity in &page {
            if let Err(errors) = validate_entity(blueprint, &entity.properties, &entity.relations) {
                total_broken += 1;
                if broken.len() < SHOWN_BREAKAGES {
                    let first = &errors[0];
                    broken.push(format!(
                        "`{}` ({}: {})",
                        entity.identifier, first.field, first.message
                    ));
                }
            }
        }
    }
    if total_broken == 0 {
        return Ok(());
    }
    Err(AppError::Invalid(format!(
        "the new schema does not fit {total_broken} existing entit{}: {}{}; change those entities first or keep the schema compatible",
        if total_broken == 1 { "y" } else { "ies" },
        broken.join(", "),
        if total_broken > broken.len() { ", …" } else { "" }
    )))
}
