//! Writing entities: create, upsert (replace or merge) and delete, with the
//! blueprint's validation, relation targets checked (or stubbed), the
//! version checked, and an audit record in the same transaction.
//!
//! One write path: the API, the import and the entity forms (`form`, thin
//! adapters that read a form's text by the schema) all go through
//! `write::write_all`, whose steps are named there.

mod form;
mod write;

pub use form::{create_form, save_form};

use crate::authz::{may_unregister, Decision};
use crate::model::{AppError, Blueprint, BlueprintPermissions, Entity, Subject};
use crate::services::{access, blueprints};
use crate::store::{AuditRecord, Store};
use serde::Deserialize;
use serde_json::{Map, Value};

/// A refused entity write: recorded, then the 403.
async fn refuse(
    store: &Store,
    actor: &Subject,
    action: &'static str,
    blueprint: &str,
    identifier: &str,
    decision: Decision,
) -> AppError {
    access::refuse(
        store,
        actor,
        "entity",
        action,
        Some(blueprint),
        Some(identifier),
        decision,
    )
    .await
}

/// Port's write modes (api.md §4).
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteOptions {
    pub upsert: bool,
    pub merge: bool,
    pub validation_only: bool,
    pub create_missing_related_entities: bool,
    /// The version the writer last read (a form): another write since
    /// then is a conflict, and nothing is overwritten.
    pub expected_version: Option<i64>,
    /// An update of a stored entity (PUT, PATCH, a form): one missing, or
    /// one the writer may not read, is a 404 rather than created.
    pub must_exist: bool,
}

/// An entity as clients send it; `team` may be a string or an array.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct EntityInput {
    #[serde(default)]
    pub identifier: Option<String>,
    /// Left out: kept on a merge; `null`: cleared.
    #[serde(default, deserialize_with = "crate::model::present")]
    #[schemars(with = "Option<String>")]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::model::present")]
    #[schemars(with = "Option<String>")]
    pub icon: Option<Option<String>>,
    /// A team name or an array of team names.
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

/// Nobody writes anonymously (the API's middleware already answers 401;
/// this keeps the services safe on their own).
fn require_signed_in(actor: &Subject) -> Result<(), AppError> {
    crate::authz::require(actor, crate::authz::may_write_catalog(actor))
}

/// Most entities one bulk request may carry. Port accepts 20 per request;
/// Portolan takes more so a large import needs fewer round trips.
pub const BULK_LIMIT: usize = 1000;

/// What happened to one entity of a write: it as written and whether it
/// is new, or why it was refused.
pub type EntityOutcome = Result<(Entity, bool), AppError>;

/// Creates or upserts one entity; returns it as stored and whether it is new.
pub async fn write_entity(
    store: &Store,
    actor: &Subject,
    blueprint_id: &str,
    input: EntityInput,
    options: WriteOptions,
) -> Result<(Entity, bool), AppError> {
    require_signed_in(actor)?;
    let blueprint = blueprints::blueprint(store, blueprint_id).await?;
    write::write_one(store, actor, &blueprint, input, options).await
}

/// Creates or upserts entities of one blueprint, each checked on its own:
/// one outcome per input, in order. Whole-request problems (anonymous,
/// unknown blueprint, database down) are the outer error. The reads are
/// batched (stored entities, teams, relation targets: one query each) and
/// the writes share one transaction, so a bulk request costs a handful of
/// round trips, not a few per entity. The steps are in `write`.
pub async fn write_entities(
    store: &Store,
    actor: &Subject,
    blueprint_id: &str,
    inputs: Vec<EntityInput>,
    options: WriteOptions,
) -> Result<Vec<EntityOutcome>, AppError> {
    require_signed_in(actor)?;
    let blueprint = blueprints::blueprint(store, blueprint_id).await?;
    write::write_all(store, actor, &blueprint, inputs, options).await
}

/// The 404 of an entity that is not there, or that the writer may not
/// read: the same words either way.
fn missing_entity(blueprint: &str, identifier: &str) -> AppError {
    AppError::NotFound(format!(
        "there is no entity `{identifier}` in blueprint `{blueprint}`"
    ))
}

/// Updates a stored entity (PUT replaces it, PATCH merges into it): 404
/// when it does not exist or `actor` may not read it.
pub async fn update_entity(
    store: &Store,
    actor: &Subject,
    blueprint_id: &str,
    identifier: &str,
    input: EntityInput,
    options: WriteOptions,
) -> Result<Entity, AppError> {
    let input = EntityInput {
        identifier: Some(identifier.to_string()),
        ..input
    };
    let options = WriteOptions {
        upsert: true,
        must_exist: true,
        ..options
    };
    Ok(write_entity(store, actor, blueprint_id, input, options)
        .await?
        .0)
}

/// One stored entity that `actor` may read, or the same 404 as for a
/// missing one, so a deletion never tells an entity one may not read from
/// one that does not exist.
async fn readable_or_missing(
    store: &Store,
    actor: &Subject,
    blueprint: &Blueprint,
    permissions: &BlueprintPermissions,
    identifier: &str,
) -> Result<Entity, AppError> {
    let found = store
        .get_entity(&blueprint.identifier, identifier)
        .await?
        .ok_or_else(|| missing_entity(&blueprint.identifier, identifier))?;
    let ids = std::slice::from_ref(&found.identifier);
    if access::unreadable(store, actor, blueprint, permissions, ids)
        .await?
        .is_empty()
    {
        Ok(found)
    } else {
        Err(missing_entity(&blueprint.identifier, identifier))
    }
}

/// Deletes one entity (404 when it does not exist, or when `actor` may
/// not read it).
pub async fn delete_entity(
    store: &Store,
    actor: &Subject,
    blueprint_id: &str,
    identifier: &str,
) -> Result<(), AppError> {
    require_signed_in(actor)?;
    let blueprint = blueprints::blueprint(store, blueprint_id).await?;
    let permissions = access::permissions_of(store, &blueprint).await?;
    let before = readable_or_missing(store, actor, &blueprint, &permissions, identifier).await?;
    let decision = may_unregister(actor, &permissions, &before);
    if !decision.allowed {
        return Err(refuse(store, actor, "DELETE", blueprint_id, identifier, decision).await);
    }
    let audit = AuditRecord {
        actor: actor.audit_name(),
        action: "DELETE",
        blueprint: blueprint_id.to_string(),
        identifier: identifier.to_string(),
        before: Some(before),
        after: None,
    };
    let inheritance =
        crate::services::ownership::rules_touching(&store.list_blueprints().await?, blueprint_id);
    if store.delete_entity(&audit, &inheritance).await? {
        Ok(())
    } else {
        Err(missing_entity(blueprint_id, identifier))
    }
}
