//! Writing entities: create, upsert (replace or merge) and delete, with the
//! blueprint's validation, relation targets checked (or stubbed), the
//! version checked, and an audit record in the same transaction.

use crate::authz::may_write_catalog;
use crate::model::identifier::validate_entity_identifier;
use crate::model::validate::validate_entity;
use crate::model::{AppError, Blueprint, Entity, Subject};
use crate::store::{AuditRecord, NewEntity, RelationLink, Store};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Port's write modes (api.md §4).
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteOptions {
    pub upsert: bool,
    pub merge: bool,
    pub validation_only: bool,
    pub create_missing_related_entities: bool,
}

/// An entity as clients send it; `team` may be a string or an array.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct EntityInput {
    #[serde(default)]
    pub identifier: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub team: Option<Value>,
    #[serde(default)]
    pub properties: Option<Map<String, Value>>,
    #[serde(default)]
    pub relations: Option<Map<String, Value>>,
    /// Clients also send the blueprint; the URL wins.
    #[serde(default)]
    pub blueprint: Option<String>,
}

fn authorize(actor: &Subject) -> Result<(), AppError> {
    crate::authz::require(actor, may_write_catalog(actor))
}

fn teams_of(value: &Value) -> Result<Vec<String>, AppError> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    AppError::Invalid(format!("team: each team must be a team name, not {v}"))
                })
            })
            .collect(),
        other => Err(AppError::Invalid(format!(
            "team: must be a team name or an array of them, not {other}"
        ))),
    }
}

fn relation_links(blueprint: &Blueprint, relations: &Map<String, Value>) -> Vec<RelationLink> {
    let mut links = Vec::new();
    for (key, value) in relations {
        let Some(rel) = blueprint.relations.get(key) else {
            continue;
        };
        let targets: Vec<&str> = match value {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for target in targets {
            links.push(RelationLink {
                relation: key.clone(),
                target_blueprint: rel.target.clone(),
                target: target.to_string(),
            });
        }
    }
    links
}

/// Creates or upserts one entity; returns it as stored and whether it is new.
pub async fn write_entity(
    store: &Store,
    actor: &Subject,
    blueprint_id: &str,
    input: EntityInput,
    options: WriteOptions,
) -> Result<(Entity, bool), AppError> {
    authorize(actor)?;
    let blueprint = crate::services::catalog::blueprint(store, blueprint_id).await?;
    let identifier = match input.identifier.clone() {
        Some(id) => id,
        None => generated_identifier(),
    };
    validate_entity_identifier(&identifier)
        .map_err(|m| AppError::Invalid(format!("identifier: {m}")))?;
    let existing = store.get_entity(blueprint_id, &identifier).await?;
    if existing.is_some() && !options.upsert {
        return Err(AppError::Conflict(format!(
            "entity identifier `{identifier}` is already taken in blueprint `{blueprint_id}`; send upsert=true to replace it"
        )));
    }
    let now = Utc::now();
    let merged_base = existing.as_ref().filter(|_| options.merge);
    let mut properties = merged_base
        .map(|e| e.properties.clone())
        .unwrap_or_default();
    properties.extend(input.properties.clone().unwrap_or_default());
    let mut relations = merged_base.map(|e| e.relations.clone()).unwrap_or_default();
    relations.extend(input.relations.clone().unwrap_or_default());
    let team = match (&input.team, merged_base) {
        (Some(v), _) => teams_of(v)?,
        (None, Some(base)) => base.team.clone(),
        (None, None) => Vec::new(),
    };
    let known_teams = store.existing_teams(&team).await?;
    if let Some(unknown) = team.iter().find(|t| !known_teams.contains(t)) {
        return Err(AppError::Invalid(format!(
            "team: there is no team `{unknown}`"
        )));
    }
    validate_entity(&blueprint, &properties, &relations).map_err(|errors| {
        AppError::Invalid(
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;

    let links = relation_links(&blueprint, &relations);
    let mut stubs = Vec::new();
    for link in &links {
        let found = store
            .existing_identifiers(&link.target_blueprint, std::slice::from_ref(&link.target))
            .await?;
        if !found.is_empty()
            || stubs.iter().any(|s: &NewEntity| {
                s.entity.identifier == link.target && s.entity.blueprint == link.target_blueprint
            })
        {
            continue;
        }
        if !options.create_missing_related_entities {
            return Err(AppError::NotFound(format!(
                "related entity `{}` of blueprint `{}` (relation `{}`) does not exist; create it first or send create_missing_related_entities=true",
                link.target, link.target_blueprint, link.relation
            )));
        }
        stubs.push(NewEntity {
            entity: Entity {
                identifier: link.target.clone(),
                title: None,
                icon: None,
                blueprint: link.target_blueprint.clone(),
                team: Vec::new(),
                properties: Map::new(),
                relations: Map::new(),
                created_at: now,
                created_by: Some(actor.audit_name()),
                updated_at: now,
                updated_by: Some(actor.audit_name()),
                version: 1,
            },
            links: Vec::new(),
        });
    }

    let title = match (&input.title, merged_base) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(base)) => base.title.clone(),
        (None, None) => None,
    };
    let icon = match (&input.icon, merged_base) {
        (Some(i), _) => Some(i.clone()),
        (None, Some(base)) => base.icon.clone(),
        (None, None) => None,
    };
    let entity = Entity {
        identifier: identifier.clone(),
        title,
        icon,
        blueprint: blueprint_id.to_string(),
        team,
        properties,
        relations,
        created_at: existing.as_ref().map(|e| e.created_at).unwrap_or(now),
        created_by: existing
            .as_ref()
            .map(|e| e.created_by.clone())
            .unwrap_or(Some(actor.audit_name())),
        updated_at: now,
        updated_by: Some(actor.audit_name()),
        version: existing.as_ref().map(|e| e.version + 1).unwrap_or(1),
    };
    if options.validation_only {
        return Ok((entity, existing.is_none()));
    }
    let audit = AuditRecord {
        actor: actor.audit_name(),
        action: if existing.is_some() {
            "UPDATE"
        } else {
            "CREATE"
        },
        blueprint: blueprint_id.to_string(),
        identifier: identifier.clone(),
        before: existing.clone(),
        after: Some(entity.clone()),
    };
    let write = NewEntity { entity, links };
    store
        .save_entity(&write, existing.as_ref().map(|e| e.version), &stubs, &audit)
        .await?;
    let stored = store
        .get_entity(blueprint_id, &identifier)
        .await?
        .ok_or_else(|| {
            AppError::Internal("the entity vanished right after it was written".into())
        })?;
    Ok((stored, existing.is_none()))
}

/// Deletes one entity (404 when it does not exist).
pub async fn delete_entity(
    store: &Store,
    actor: &Subject,
    blueprint_id: &str,
    identifier: &str,
) -> Result<(), AppError> {
    authorize(actor)?;
    crate::services::catalog::blueprint(store, blueprint_id).await?;
    let before = store.get_entity(blueprint_id, identifier).await?;
    let audit = AuditRecord {
        actor: actor.audit_name(),
        action: "DELETE",
        blueprint: blueprint_id.to_string(),
        identifier: identifier.to_string(),
        before,
        after: None,
    };
    if store.delete_entity(&audit).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!(
            "there is no entity `{identifier}` in blueprint `{blueprint_id}`"
        )))
    }
}

/// Port's observed form for generated identifiers: `e_` + 16 alphanumerics.
fn generated_identifier() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..16)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect();
    format!("e_{tail}")
}
