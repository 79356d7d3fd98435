//! Writing entities: create, upsert (replace or merge) and delete, with the
//! blueprint's validation, relation targets checked (or stubbed), the
//! version checked, and an audit record in the same transaction.

use crate::authz::{may_register, may_unregister, may_update, Decision};
use crate::model::form::{EntityForm, FormOutcome};
use crate::model::identifier::validate_entity_identifier;
use crate::model::validate::validate_entity;
use crate::model::validate::FieldError;
use crate::model::{AppError, Blueprint, BlueprintPermissions, Entity, Subject};
use crate::services::access;
use crate::store::{AuditRecord, EntityWrite, NewEntity, RelationLink, Store};
use chrono::{SubsecRound, Utc};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

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
    if actor.is_signed_in() {
        Ok(())
    } else {
        Err(AppError::Unauthorized(
            "writing to the catalog needs a signed-in user or an access token: POST /v1/auth/access_token, then send `Authorization: Bearer <accessToken>`".into(),
        ))
    }
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
        let targets = crate::model::entity::related_ids(value);
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
    write_entities(store, actor, blueprint_id, vec![input], options)
        .await?
        .pop()
        .unwrap_or_else(|| Err(AppError::Internal("the write produced no outcome".into())))
}

/// An entity of a batch that passed its own checks, waiting for the
/// relation check and the write.
struct Planned {
    entity: Entity,
    existing: Option<Entity>,
    links: Vec<RelationLink>,
    /// The teams the input named, if it named any: an inheriting entity
    /// may only repeat the ones it inherits.
    sent_team: Option<Vec<String>>,
}

/// What every entity of one write request shares.
struct Batch<'a> {
    blueprint: &'a Blueprint,
    permissions: &'a BlueprintPermissions,
    actor: &'a Subject,
    options: WriteOptions,
    known_teams: HashSet<String>,
    now: chrono::DateTime<Utc>,
}

/// The entity `input` describes, merged over `existing` when `merge` is
/// set, with every field checked: teams exist, properties and relations
/// fit the blueprint.
fn plan(
    batch: &Batch,
    identifier: String,
    input: EntityInput,
    existing: Option<Entity>,
    hidden: bool,
) -> Result<Planned, AppError> {
    let Batch {
        blueprint,
        actor,
        options,
        known_teams,
        now,
        ..
    } = batch;
    let now = *now;
    // An entity the writer may not read is never written over nor shown:
    // its identifier is taken, which is all a create could learn anyway.
    if existing.is_some() && hidden {
        return Err(AppError::Conflict(format!(
            "entity identifier `{identifier}` is already taken in blueprint `{}`",
            blueprint.identifier
        )));
    }
    if existing.is_some() && !options.upsert {
        return Err(AppError::Conflict(format!(
            "entity identifier `{identifier}` is already taken in blueprint `{}`; send upsert=true to replace it",
            blueprint.identifier
        )));
    }
    if let (Some(expected), Some(stored)) = (options.expected_version, &existing) {
        if stored.version != expected {
            return Err(AppError::Conflict(format!(
                "`{identifier}` changed since you opened it (version {expected}, now {}): reload to see the latest version, then edit again; nothing was overwritten",
                stored.version
            )));
        }
    }
    let base = existing.as_ref().filter(|_| options.merge);
    let mut properties = base.map(|e| e.properties.clone()).unwrap_or_default();
    properties.extend(input.properties.unwrap_or_default());
    crate::services::mirrors::strip_written(blueprint, &mut properties);
    let mut relations = base.map(|e| e.relations.clone()).unwrap_or_default();
    relations.extend(input.relations.unwrap_or_default());
    // Teams given are checked; a merge keeps the stored ones as they are.
    let team = match (&input.team, base) {
        (Some(v), _) => {
            let team = teams_of(v)?;
            if let Some(unknown) = team.iter().find(|t| !known_teams.contains(*t)) {
                return Err(AppError::Invalid(format!(
                    "team: there is no team `{unknown}`"
                )));
            }
            team
        }
        (None, Some(base)) => base.team.clone(),
        (None, None) => Vec::new(),
    };
    let team_sent = team.clone();
    validate_entity(blueprint, &properties, &relations)
        .map_err(|errors| AppError::Invalid(crate::model::validate::joined(&errors)))?;
    let links = relation_links(blueprint, &relations);
    let entity = Entity {
        identifier,
        title: input
            .title
            .unwrap_or_else(|| base.and_then(|b| b.title.clone())),
        icon: input
            .icon
            .unwrap_or_else(|| base.and_then(|b| b.icon.clone())),
        blueprint: blueprint.identifier.clone(),
        team,
        properties,
        relations,
        created_at: existing.as_ref().map(|e| e.created_at).unwrap_or(now),
        created_by: match &existing {
            Some(e) => e.created_by.clone(),
            None => Some(actor.audit_name()),
        },
        updated_at: now,
        updated_by: Some(actor.audit_name()),
        version: existing.as_ref().map(|e| e.version + 1).unwrap_or(1),
    };
    Ok(Planned {
        entity,
        existing,
        links,
        sent_team: input.team.is_some().then_some(team_sent),
    })
}

/// Asks the policy about each planned entity: registering a new one, or
/// the fields an update changes. A refusal becomes that entity's 403 and
/// is recorded in the audit log.
async fn authorize_planned(
    store: &Store,
    batch: &Batch<'_>,
    planned: &mut [Result<Planned, AppError>],
) -> Result<(), AppError> {
    for slot in planned.iter_mut() {
        let Ok(p) = slot else { continue };
        let (action, decision) = match &p.existing {
            None => (
                "CREATE",
                may_register(batch.actor, batch.permissions, &p.entity),
            ),
            Some(before) => (
                "UPDATE",
                may_update(batch.actor, batch.permissions, before, &p.entity),
            ),
        };
        if !decision.allowed {
            let blueprint = p.entity.blueprint.clone();
            let identifier = p.entity.identifier.clone();
            *slot = Err(refuse(
                store,
                batch.actor,
                action,
                &blueprint,
                &identifier,
                decision,
            )
            .await);
        }
    }
    Ok(())
}

/// An identifier-only entity standing in for a missing relation target.
fn stub(actor: &Subject, link: &RelationLink, now: chrono::DateTime<Utc>) -> NewEntity {
    NewEntity {
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
    }
}

/// Creates or upserts entities of one blueprint, each checked on its own:
/// one outcome per input, in order. Whole-request problems (not allowed,
/// unknown blueprint, database down) are the outer error. The reads are
/// batched (stored entities, teams, relation targets: one query each) and
/// the writes share one transaction, so a bulk request costs a handful of
/// round trips, not a few per entity.
pub async fn write_entities(
    store: &Store,
    actor: &Subject,
    blueprint_id: &str,
    inputs: Vec<EntityInput>,
    options: WriteOptions,
) -> Result<Vec<EntityOutcome>, AppError> {
    // An upsert that planned a create and lost the race to a concurrent
    // writer (or to a stub) is planned again, once, as the update it now is.
    let again = options.upsert.then(|| inputs.clone());
    let (mut outcomes, lost) = write_once(store, actor, blueprint_id, inputs, options).await?;
    if let (Some(all), false) = (again, lost.is_empty()) {
        let retried: Vec<EntityInput> = lost.iter().map(|&i| all[i].clone()).collect();
        let (second, _) = write_once(store, actor, blueprint_id, retried, options).await?;
        for (index, outcome) in lost.into_iter().zip(second) {
            outcomes[index] = outcome;
        }
    }
    Ok(outcomes)
}

/// One pass of `write_entities`; also answers which inputs lost a create
/// race.
async fn write_once(
    store: &Store,
    actor: &Subject,
    blueprint_id: &str,
    inputs: Vec<EntityInput>,
    options: WriteOptions,
) -> Result<(Vec<EntityOutcome>, Vec<usize>), AppError> {
    require_signed_in(actor)?;
    let blueprint = crate::services::catalog::blueprint(store, blueprint_id).await?;
    let permissions = access::permissions_of(store, &blueprint).await?;
    // Stored with microseconds, so answer the same instant a read shows.
    let now = Utc::now().trunc_subsecs(6);

    // Identifiers first: generated when missing, each checked, and each
    // only once per request.
    let mut seen = HashSet::new();
    let identifiers: Vec<Result<String, AppError>> = inputs
        .iter()
        .map(|input| {
            let id = input
                .identifier
                .clone()
                .unwrap_or_else(generated_identifier);
            validate_entity_identifier(&id)
                .map_err(|m| AppError::Invalid(format!("identifier: {m}")))?;
            if !seen.insert(id.clone()) {
                return Err(AppError::Invalid(format!(
                    "identifier: `{id}` appears more than once in this request"
                )));
            }
            Ok(id)
        })
        .collect();
    let wanted: Vec<String> = identifiers
        .iter()
        .filter_map(|r| r.as_ref().ok().cloned())
        .collect();
    let mut stored: HashMap<String, Entity> = store
        .get_entities(blueprint_id, &wanted)
        .await?
        .into_iter()
        .map(|e| (e.identifier.clone(), e))
        .collect();
    let stored_ids: Vec<String> = stored.keys().cloned().collect();
    let hidden = access::unreadable(store, actor, &blueprint, &permissions, &stored_ids).await?;
    let mut team_names: Vec<String> = Vec::new();
    for input in &inputs {
        if let Some(Ok(teams)) = input.team.as_ref().map(teams_of) {
            team_names.extend(teams);
        }
    }
    team_names.sort();
    team_names.dedup();
    let batch = Batch {
        blueprint: &blueprint,
        permissions: &permissions,
        actor,
        options,
        known_teams: store
            .existing_teams(&team_names)
            .await?
            .into_iter()
            .collect(),
        now,
    };

    let mut planned: Vec<Result<Planned, AppError>> = inputs
        .into_iter()
        .zip(identifiers)
        .map(|(input, identifier)| {
            let identifier = identifier?;
            let existing = stored.remove(&identifier);
            let hidden = hidden.contains(&identifier);
            plan(&batch, identifier, input, existing, hidden)
        })
        .collect();
    // Inherited teams before the policy: `ownedByTeam` admits the members
    // of the teams the entity will have.
    let all_blueprints = store.list_blueprints().await?;
    if let Some(rule) = crate::services::ownership::rule_of(&blueprint, &all_blueprints) {
        crate::services::ownership::inherit(
            store,
            &rule,
            planned.iter_mut().flatten().map(|p| &mut p.entity),
        )
        .await?;
        for slot in planned.iter_mut() {
            let Ok(p) = slot else { continue };
            let sent = p.sent_team.as_deref().unwrap_or_default();
            if let Err(refusal) =
                crate::services::ownership::check_sent_teams(&blueprint, sent, &p.entity.team)
            {
                *slot = Err(refusal);
            }
        }
    }
    authorize_planned(store, &batch, &mut planned).await?;

    // Relation targets: one query per target blueprint; entities of this
    // very request count as existing.
    let mut targets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in planned.iter().flatten() {
        for link in &p.links {
            targets
                .entry(link.target_blueprint.clone())
                .or_default()
                .push(link.target.clone());
        }
    }
    let mut found: HashSet<(String, String)> = HashSet::new();
    for (target_blueprint, mut ids) in targets {
        ids.sort();
        ids.dedup();
        for id in store.existing_identifiers(&target_blueprint, &ids).await? {
            found.insert((target_blueprint.clone(), id));
        }
    }
    for p in planned.iter().flatten() {
        found.insert((p.entity.blueprint.clone(), p.entity.identifier.clone()));
    }
    let mut stubs: Vec<NewEntity> = Vec::new();
    for slot in planned.iter_mut() {
        let Ok(p) = slot else { continue };
        let missing = p
            .links
            .iter()
            .find(|l| !found.contains(&(l.target_blueprint.clone(), l.target.clone())));
        let Some(link) = missing else { continue };
        if !options.create_missing_related_entities {
            *slot = Err(AppError::NotFound(format!(
                "related entity `{}` of blueprint `{}` (relation `{}`) does not exist; create it first or send create_missing_related_entities=true",
                link.target, link.target_blueprint, link.relation
            )));
            continue;
        }
        let mut new_stubs = Vec::new();
        for link in &p.links {
            if !found.contains(&(link.target_blueprint.clone(), link.target.clone())) {
                new_stubs.push(stub(actor, link, now));
            }
        }
        let mut refusal = None;
        for s in &new_stubs {
            let target = crate::services::catalog::blueprint(store, &s.entity.blueprint).await?;
            let target_permissions = access::permissions_of(store, &target).await?;
            let decision = may_register(actor, &target_permissions, &s.entity);
            if !decision.allowed {
                refusal = Some(
                    refuse(
                        store,
                        actor,
                        "CREATE",
                        &s.entity.blueprint,
                        &s.entity.identifier,
                        decision,
                    )
                    .await,
                );
                break;
            }
        }
        if let Some(refusal) = refusal {
            *slot = Err(refusal);
            continue;
        }
        for s in new_stubs {
            found.insert((s.entity.blueprint.clone(), s.entity.identifier.clone()));
            stubs.push(s);
        }
    }

    if options.validation_only {
        let outcomes = planned
            .into_iter()
            .map(|p| p.map(|p| (p.entity, p.existing.is_none())))
            .collect();
        return Ok((outcomes, Vec::new()));
    }
    let mut writes = Vec::new();
    let mut slots = Vec::new();
    for (index, p) in planned.iter().enumerate() {
        let Ok(p) = p else { continue };
        slots.push(index);
        writes.push(EntityWrite {
            new: NewEntity {
                entity: p.entity.clone(),
                links: p.links.iter().map(RelationLink::clone).collect(),
            },
            expected_version: p.existing.as_ref().map(|e| e.version),
            audit: AuditRecord {
                actor: actor.audit_name(),
                action: if p.existing.is_some() {
                    "UPDATE"
                } else {
                    "CREATE"
                },
                blueprint: blueprint_id.to_string(),
                identifier: p.entity.identifier.clone(),
                before: p.existing.clone(),
                after: Some(p.entity.clone()),
            },
        });
    }
    let saved = if writes.is_empty() && stubs.is_empty() {
        Vec::new()
    } else {
        let inheritance = crate::services::ownership::rules_touching(&all_blueprints, blueprint_id);
        store.save_entities(&writes, &stubs, &inheritance).await?
    };
    let mut lost = Vec::new();
    for (index, result) in slots.into_iter().zip(saved) {
        if let Err(conflict) = result {
            if matches!(&planned[index], Ok(p) if p.existing.is_none()) {
                lost.push(index);
            }
            planned[index] = Err(AppError::Conflict(conflict));
        }
    }
    let outcomes = planned
        .into_iter()
        .map(|p| p.map(|p| (p.entity, p.existing.is_none())))
        .collect();
    Ok((outcomes, lost))
}

/// One stored entity, or 404 naming it.
pub async fn entity(
    store: &Store,
    blueprint_id: &str,
    identifier: &str,
) -> Result<Entity, AppError> {
    store
        .get_entity(blueprint_id, identifier)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "there is no entity `{identifier}` in blueprint `{blueprint_id}`"
            ))
        })
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
    require_signed_in(actor)?;
    let blueprint = crate::services::catalog::blueprint(store, blueprint_id).await?;
    readable_or_missing(store, actor, &blueprint, identifier).await?;
    let input = EntityInput {
        identifier: Some(identifier.to_string()),
        ..input
    };
    let options = WriteOptions {
        upsert: true,
        ..options
    };
    Ok(write_entity(store, actor, blueprint_id, input, options)
        .await?
        .0)
}

/// One stored entity that `actor` may read, or the same 404 as for a
/// missing one: what an update or a deletion starts from, so neither
/// tells an entity one may not read from one that does not exist.
pub async fn readable_or_missing(
    store: &Store,
    actor: &Subject,
    blueprint: &Blueprint,
    identifier: &str,
) -> Result<Entity, AppError> {
    let found = entity(store, &blueprint.identifier, identifier).await?;
    let permissions = access::permissions_of(store, blueprint).await?;
    let hidden = access::unreadable(
        store,
        actor,
        blueprint,
        &permissions,
        std::slice::from_ref(&found.identifier),
    )
    .await?;
    if hidden.is_empty() {
        Ok(found)
    } else {
        Err(AppError::NotFound(format!(
            "there is no entity `{identifier}` in blueprint `{}`",
            blueprint.identifier
        )))
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
    let blueprint = crate::services::catalog::blueprint(store, blueprint_id).await?;
    let before = readable_or_missing(store, actor, &blueprint, identifier).await?;
    let permissions = access::permissions_of(store, &blueprint).await?;
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

/// Saves an entity form: each field's text read by its schema, the same
/// validator as the API (its messages go back next to the fields), the
/// version the form was opened at checked, then the policy asked.
pub async fn save_form(
    store: &Store,
    actor: &Subject,
    form: EntityForm,
) -> Result<FormOutcome, AppError> {
    require_signed_in(actor)?;
    let blueprint = crate::services::catalog::blueprint(store, &form.blueprint).await?;
    let values = match form.values(&blueprint) {
        Ok(values) => values,
        Err(errors) => return Ok(FormOutcome::Invalid(errors)),
    };
    let existing = readable_or_missing(store, actor, &blueprint, &form.identifier).await?;
    // A form shows `3774.0` as `3774`; reading it back is no change.
    let mut values = values;
    for (key, value) in values.iter_mut() {
        if let (Some(old), Some(new)) = (
            existing.properties.get(key).and_then(Value::as_f64),
            value.as_f64(),
        ) {
            if old == new {
                *value = existing.properties[key].clone();
            }
        }
    }
    let relations = match form.relation_values(&blueprint) {
        Ok(relations) => relations,
        Err(errors) => return Ok(FormOutcome::Invalid(errors)),
    };
    let mut merged = existing.properties.clone();
    merged.extend(values.clone());
    let mut merged_relations = existing.relations.clone();
    merged_relations.extend(relations.clone());
    if let Err(errors) = validate_entity(&blueprint, &merged, &merged_relations) {
        return Ok(FormOutcome::Invalid(errors));
    }
    let missing = missing_targets(store, &blueprint, &relations).await?;
    if !missing.is_empty() {
        return Ok(FormOutcome::Invalid(missing));
    }
    let input = EntityInput {
        identifier: Some(form.identifier.clone()),
        title: form
            .title
            .map(|t| Some(t.trim().to_string()).filter(|t| !t.is_empty())),
        team: form.team.map(Value::from),
        properties: Some(values),
        relations: (!relations.is_empty()).then_some(relations),
        ..EntityInput::default()
    };
    let options = WriteOptions {
        upsert: true,
        merge: true,
        expected_version: Some(form.version),
        ..WriteOptions::default()
    };
    let (saved, _) = write_entity(store, actor, &form.blueprint, input, options).await?;
    Ok(FormOutcome::Saved(Box::new(saved)))
}

/// A form's related identifiers that name no entity of the relation's
/// target, as messages at the relation's field (the API answers 404 for
/// these; a form says it next to the picker).
async fn missing_targets(
    store: &Store,
    blueprint: &Blueprint,
    relations: &Map<String, Value>,
) -> Result<Vec<FieldError>, AppError> {
    let mut errors = Vec::new();
    for (key, value) in relations {
        let Some(relation) = blueprint.relations.get(key) else {
            continue;
        };
        let ids = crate::model::entity::related_ids(value);
        let mut missing = Vec::new();
        for id in ids {
            if store.get_entity(&relation.target, id).await?.is_none() {
                missing.push(format!("`{id}`"));
            }
        }
        if !missing.is_empty() {
            errors.push(FieldError {
                field: format!("relations.{key}"),
                message: format!("there is no `{}` {}", relation.target, missing.join(", ")),
            });
        }
    }
    Ok(errors)
}

/// Creates an entity from the catalog page's form: the identifier checked,
/// each field read by its schema and validated (required ones too), teams
/// chosen among existing ones, then the policy asked (register, with
/// `ownedByTeam` one of the creator's teams). Field problems, a taken
/// identifier included, go back next to their fields.
pub async fn create_form(
    store: &Store,
    actor: &Subject,
    form: EntityForm,
) -> Result<FormOutcome, AppError> {
    require_signed_in(actor)?;
    let blueprint = crate::services::catalog::blueprint(store, &form.blueprint).await?;
    let identifier = form.identifier.trim().to_string();
    let mut errors = Vec::new();
    if let Err(m) = validate_entity_identifier(&identifier) {
        errors.push(FieldError {
            field: "identifier".into(),
            message: m.to_string(),
        });
    }
    let mut values = match form.values(&blueprint) {
        Ok(values) => values,
        Err(field_errors) => {
            errors.extend(field_errors);
            Map::new()
        }
    };
    values.retain(|_, v| !v.is_null());
    let mut relations = match form.relation_values(&blueprint) {
        Ok(relations) => relations,
        Err(field_errors) => {
            errors.extend(field_errors);
            Map::new()
        }
    };
    relations.retain(|_, v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()));
    if let Err(field_errors) = validate_entity(&blueprint, &values, &relations) {
        for e in field_errors {
            if !errors.iter().any(|x| x.field == e.field) {
                errors.push(e);
            }
        }
    }
    if errors.is_empty()
        && store
            .get_entity(&form.blueprint, &identifier)
            .await?
            .is_some()
    {
        errors.push(FieldError {
            field: "identifier".into(),
            message: format!("`{identifier}` is already taken in this blueprint"),
        });
    }
    errors.extend(missing_targets(store, &blueprint, &relations).await?);
    if !errors.is_empty() {
        return Ok(FormOutcome::Invalid(errors));
    }
    let input = EntityInput {
        identifier: Some(identifier),
        title: form
            .title
            .map(|t| Some(t.trim().to_string()).filter(|t| !t.is_empty())),
        team: Some(Value::from(form.team.unwrap_or_default())),
        properties: Some(values),
        relations: (!relations.is_empty()).then_some(relations),
        ..EntityInput::default()
    };
    let (saved, _) = write_entity(
        store,
        actor,
        &form.blueprint,
        input,
        WriteOptions::default(),
    )
    .await?;
    Ok(FormOutcome::Saved(Box::new(saved)))
}
