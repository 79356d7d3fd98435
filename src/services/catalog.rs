//! Reading the catalog: the home overview, entity pages, and what relation
//! pickers and counts show, each limited to what the subject may read.
//! Catalog page tables are in `catalog_page`; pages and the sidebar in
//! `pages`; blueprints in `blueprints`.

use crate::authz::ReadScope;
use crate::model::{AppError, Blueprint, Entity, EntityPageData, EntitySort, Subject};
use crate::query::EntityListing;
use crate::services::access;
use crate::services::blueprints::blueprint;
use crate::services::pages::catalog_href;
use crate::store::Store;

/// Changes an entity page lists.
const HISTORY_SHOWN: i64 = 20;

/// An entity with its blueprint and the entities that point at it (those
/// `subject` may read).
pub async fn entity_page(
    store: &Store,
    subject: &Subject,
    blueprint_id: &str,
    identifier: &str,
) -> Result<EntityPageData, AppError> {
    let blueprint = blueprint(store, blueprint_id).await?;
    let mut entity = readable_entity_of(store, subject, &blueprint, identifier).await?;
    crate::services::mirrors::fill(store, std::slice::from_mut(&mut entity)).await?;
    let mut referenced_by = store.entities_referencing(blueprint_id, identifier).await?;
    let all = store.list_blueprints().await?;
    let scopes = access::read_scopes(store, subject, &all).await?;
    if scopes.values().any(|s| *s != ReadScope::All) {
        let mut readable = Vec::with_capacity(referenced_by.len());
        for r in referenced_by {
            let visible = match scopes.get(&r.blueprint) {
                Some(ReadScope::All) => true,
                Some(ReadScope::Only(_)) => {
                    let from = all.iter().find(|b| b.identifier == r.blueprint);
                    match (from, store.get_entity(&r.blueprint, &r.identifier).await?) {
                        (Some(from), Some(e)) => access::require_readable(store, subject, from, &e)
                            .await
                            .is_ok(),
                        _ => false,
                    }
                }
                _ => false,
            };
            if visible {
                readable.push(r);
            }
        }
        referenced_by = readable;
    }
    let catalog_href = catalog_href(store, subject, blueprint_id).await?;
    let permissions = access::permissions_of(store, &blueprint).await?;
    let abilities = crate::authz::entity_abilities(subject, &permissions, &entity);
    // Readable with the entity itself (checked above).
    let history = store
        .audit_log(&crate::model::AuditFilter {
            entity: Some(entity.identifier.clone()),
            blueprint: Some(blueprint_id.to_string()),
            resource_types: vec!["entity".into()],
            status: Some("SUCCESS".into()),
            limit: HISTORY_SHOWN,
            ..Default::default()
        })
        .await?;
    // Inherited teams are not the entity's to change.
    let team_choices = if abilities.update_all && blueprint.inherited_team_path().is_none() {
        let mut teams = assignable_teams(store, subject).await?;
        for team in &entity.team {
            if !teams.contains(team) {
                teams.push(team.clone());
            }
        }
        teams.sort();
        teams
    } else {
        Vec::new()
    };
    let markdown_html = blueprint
        .schema
        .properties
        .iter()
        .filter(|(_, p)| p.format.as_deref() == Some("markdown"))
        .filter_map(|(key, _)| {
            let text = entity.properties.get(key)?.as_str()?;
            Some((key.clone(), crate::services::markdown::to_safe_html(text)))
        })
        .collect();
    Ok(EntityPageData {
        entity,
        blueprint,
        catalog_href,
        referenced_by,
        abilities,
        history,
        team_choices,
        markdown_html,
    })
}

/// One entity `subject` may read, or 404 (unknown blueprint or entity) /
/// 403 (not readable), as stored (without mirror values).
pub async fn readable_entity(
    store: &Store,
    subject: &Subject,
    blueprint_id: &str,
    identifier: &str,
) -> Result<Entity, AppError> {
    let blueprint = blueprint(store, blueprint_id).await?;
    readable_entity_of(store, subject, &blueprint, identifier).await
}

async fn readable_entity_of(
    store: &Store,
    subject: &Subject,
    blueprint: &Blueprint,
    identifier: &str,
) -> Result<Entity, AppError> {
    let entity = store
        .get_entity(&blueprint.identifier, identifier)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "there is no {} `{identifier}`",
                blueprint.title.to_lowercase()
            ))
        })?;
    access::require_readable(store, subject, blueprint, &entity).await?;
    Ok(entity)
}

/// The teams `subject` may give an entity: every team for admins, their
/// own for everyone else.
pub(crate) async fn assignable_teams(
    store: &Store,
    subject: &Subject,
) -> Result<Vec<String>, AppError> {
    Ok(match crate::authz::assignable_teams(subject) {
        crate::authz::TeamChoice::Any => store
            .list_teams()
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect(),
        crate::authz::TeamChoice::Own(teams) => teams,
    })
}

/// Entities of `blueprint_id` whose title or identifier contains `text`,
/// among those `subject` may read: what a relation picker offers.
pub async fn related_choices(
    store: &Store,
    subject: &Subject,
    blueprint_id: &str,
    text: &str,
) -> Result<Vec<crate::model::RelatedChoice>, AppError> {
    let blueprint = blueprint(store, blueprint_id).await?;
    let restriction = access::read_restriction(store, subject, &blueprint).await?;
    let list = store
        .list_entities(&EntityListing {
            blueprint: blueprint_id.to_string(),
            search: Some(text.trim().to_string()).filter(|t| !t.is_empty()),
            sort: EntitySort::default(),
            offset: 0,
            limit: 20,
            restriction,
            group_by: None,
        })
        .await?;
    Ok(list
        .entities
        .into_iter()
        .map(|e| crate::model::RelatedChoice {
            identifier: e.identifier,
            title: e.title,
        })
        .collect())
}

/// How many of a blueprint's entities `subject` may read.
pub async fn entities_count(
    store: &Store,
    subject: &Subject,
    blueprint_id: &str,
) -> Result<i64, AppError> {
    let blueprint = blueprint(store, blueprint_id).await?;
    let restriction = access::read_restriction(store, subject, &blueprint).await?;
    Ok(store
        .count_entities_where(blueprint_id, restriction.as_ref())
        .await?)
}
