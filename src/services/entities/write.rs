//! The entity write path, one named step at a time. Every write (the API's
//! create, upsert, PUT and PATCH, bulk writes, the import, the entity
//! forms) runs these steps once, over the whole batch:
//!
//! 1. `identify`: identifiers generated when missing, checked, unique;
//! 2. `load_stored`: the stored entities (one query), and which of them
//!    the writer may not read (which then count as taken, never shown);
//! 3. `plan`: each input merged over its stored entity, teams, properties
//!    and relations checked against the blueprint (field errors kept per
//!    field, for a form);
//! 4. `inherit_teams`: teams inherited along the ownership path;
//! 5. `authorize`: the policy, per entity (refusals recorded);
//! 6. `check_targets`: relation targets exist (one query for all), or
//!    stubs for them when asked;
//! 7. `save`: one transaction for every entity, stub and audit row.

use super::{refuse, EntityInput, EntityOutcome, WriteOptions};
use crate::authz::{may_register, may_update};
use crate::model::error::FieldErrors;
use crate::model::identifier::validate_entity_identifier;
use crate::model::validate::{validate_entity, FieldError};
use crate::model::{AppError, Blueprint, BlueprintPermissions, Entity, Subject};
use crate::services::{access, blueprints, ownership};
use crate::store::{AuditRecord, EntityWrite, NewEntity, RelationLink, Store};
use chrono::{SubsecRound, Utc};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One entity's outcome while the steps run: planned so far, or refused.
type Slot = Result<Planned, AppError>;

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

/// `write_all` for one entity.
pub(super) async fn write_one(
    store: &Store,
    actor: &Subject,
    blueprint: &Blueprint,
    input: EntityInput,
    options: WriteOptions,
) -> Result<(Entity, bool), AppError> {
    write_all(store, actor, blueprint, vec![input], options)
        .await?
        .pop()
        .unwrap_or_else(|| Err(AppError::Internal("the write produced no outcome".into())))
}

/// Writes a batch of one blueprint's entities (see the module doc). An
/// upsert that planned a create and lost the race to a concurrent writer
/// (or to a stub) is planned again, once, as the update it now is.
pub(super) async fn write_all(
    store: &Store,
    actor: &Subject,
    blueprint: &Blueprint,
    inputs: Vec<EntityInput>,
    options: WriteOptions,
) -> Result<Vec<EntityOutcome>, AppError> {
    let again = options.upsert.then(|| inputs.clone());
    let (mut outcomes, lost) = write_once(store, actor, blueprint, inputs, options).await?;
    if let (Some(all), false) = (again, lost.is_empty()) {
        let retried: Vec<EntityInput> = lost.iter().map(|&i| all[i].clone()).collect();
        let (second, _) = write_once(store, actor, blueprint, retried, options).await?;
        for (index, outcome) in lost.into_iter().zip(second) {
            outcomes[index] = outcome;
        }
    }
    Ok(outcomes)
}

/// One pass of the steps; also answers which inputs lost a create race.
async fn write_once(
    store: &Store,
    actor: &Subject,
    blueprint: &Blueprint,
    inputs: Vec<EntityInput>,
    options: WriteOptions,
) -> Result<(Vec<EntityOutcome>, Vec<usize>), AppError> {
    let permissions = access::permissions_of(store, blueprint).await?;
    let batch = Batch {
        blueprint,
        permissions: &permissions,
        actor,
        options,
        known_teams: known_teams(store, &inputs).await?,
        // Stored with microseconds, so answer the same instant a read shows.
        now: Utc::now().trunc_subsecs(6),
    };
    let identifiers = identify(&inputs);
    let (mut stored, hidden) = load_stored(store, &batch, &identifiers).await?;
    let mut planned: Vec<Slot> = inputs
        .into_iter()
        .zip(identifiers)
        .map(|(input, identifier)| {
            let existing = identifier.as_ref().ok().and_then(|id| stored.remove(id));
            let is_hidden = identifier.as_ref().is_ok_and(|id| hidden.contains(id));
            plan(&batch, identifier, input, existing, is_hidden)
        })
        .collect();
    let all_blueprints = store.list_blueprints().await?;
    inherit_teams(store, blueprint, &all_blueprints, &mut planned).await?;
    authorize(store, &batch, &mut planned).await;
    let stubs = check_targets(store, &batch, &mut planned).await?;
    if options.validation_only {
        return Ok((outcomes(planned), Vec::new()));
    }
    save(store, &batch, &all_blueprints, planned, stubs).await
}

fn outcomes(planned: Vec<Slot>) -> Vec<EntityOutcome> {
    planned
        .into_iter()
        .map(|p| p.map(|p| (p.entity, p.existing.is_none())))
        .collect()
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

/// Step 1: each input's identifier, generated when missing, checked, and
/// each only once per request; or the problem with it.
fn identify(inputs: &[EntityInput]) -> Vec<Result<String, FieldError>> {
    let mut seen = HashSet::new();
    inputs
        .iter()
        .map(|input| {
            let id = input
                .identifier
                .clone()
                .unwrap_or_else(generated_identifier);
            let problem = |message: String| FieldError {
                field: "identifier".into(),
                message,
            };
            validate_entity_identifier(&id).map_err(problem)?;
            if !seen.insert(id.clone()) {
                return Err(problem(format!(
                    "`{id}` appears more than once in this request"
                )));
            }
            Ok(id)
        })
        .collect()
}

/// The teams the inputs name that exist (one query).
async fn known_teams(store: &Store, inputs: &[EntityInput]) -> Result<HashSet<String>, AppError> {
    let mut names: Vec<String> = Vec::new();
    for input in inputs {
        if let Some(Ok(teams)) = input.team.as_ref().map(teams_of) {
            names.extend(teams);
        }
    }
    names.sort();
    names.dedup();
    Ok(store.existing_teams(&names).await?.into_iter().collect())
}

/// Step 2: the stored entities of the batch's identifiers (one query), and
/// those of them the writer may not read.
async fn load_stored(
    store: &Store,
    batch: &Batch<'_>,
    identifiers: &[Result<String, FieldError>],
) -> Result<(HashMap<String, Entity>, HashSet<String>), AppError> {
    let wanted: Vec<String> = identifiers
        .iter()
        .filter_map(|r| r.as_ref().ok().cloned())
        .collect();
    let stored: HashMap<String, Entity> = store
        .get_entities(&batch.blueprint.identifier, &wanted)
        .await?
        .into_iter()
        .map(|e| (e.identifier.clone(), e))
        .collect();
    let stored_ids: Vec<String> = stored.keys().cloned().collect();
    let hidden = access::unreadable(
        store,
        batch.actor,
        batch.blueprint,
        batch.permissions,
        &stored_ids,
    )
    .await?;
    Ok((stored, hidden))
}

fn teams_of(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("each team must be a team name, not {v}"))
            })
            .collect(),
        other => Err(format!(
            "must be a team name or an array of them, not {other}"
        )),
    }
}

fn relation_links(blueprint: &Blueprint, relations: &Map<String, Value>) -> Vec<RelationLink> {
    let mut links = Vec::new();
    for (key, value) in relations {
        let Some(rel) = blueprint.relations.get(key) else {
            continue;
        };
        for target in crate::model::entity::related_ids(value) {
            links.push(RelationLink {
                relation: key.clone(),
                target_blueprint: rel.target.clone(),
                target: target.to_string(),
            });
        }
    }
    links
}

fn taken(blueprint: &Blueprint, identifier: &str, hint: &str) -> AppError {
    AppError::Fields(FieldErrors {
        status: 409,
        message: format!(
            "entity identifier `{identifier}` is already taken in blueprint `{}`{hint}",
            blueprint.identifier
        ),
        fields: vec![FieldError {
            field: "identifier".into(),
            message: format!("`{identifier}` is already taken in this blueprint"),
        }],
    })
}

/// Step 3: the entity `input` describes, merged over `existing` when
/// `merge` is set, with every field checked: teams exist, properties and
/// relations fit the blueprint. Every field's problem is kept (the
/// identifier's too), so a form shows them all at once.
fn plan(
    batch: &Batch,
    identifier: Result<String, FieldError>,
    input: EntityInput,
    existing: Option<Entity>,
    hidden: bool,
) -> Slot {
    let Batch {
        blueprint,
        actor,
        options,
        known_teams,
        now,
        ..
    } = batch;
    // An update of what is not there (or not readable, or cannot even be
    // an identifier) answers as for a missing entity.
    if options.must_exist && (identifier.is_err() || existing.is_none() || hidden) {
        return Err(super::missing_entity(
            &blueprint.identifier,
            input.identifier.as_deref().unwrap_or_default(),
        ));
    }
    if let Ok(id) = &identifier {
        // An entity the writer may not read is never written over nor
        // shown: its identifier is taken, which is all a create could
        // learn anyway.
        if existing.is_some() && hidden {
            return Err(taken(blueprint, id, ""));
        }
        if existing.is_some() && !options.upsert {
            return Err(taken(blueprint, id, "; send upsert=true to replace it"));
        }
    }
    if let (Some(expected), Some(stored)) = (options.expected_version, &existing) {
        if stored.version != expected {
            return Err(AppError::Conflict(format!(
                "`{}` changed since you opened it (version {expected}, now {}): reload to see the latest version, then edit again; nothing was overwritten",
                stored.identifier, stored.version
            )));
        }
    }
    let mut problems: Vec<FieldError> = identifier.as_ref().err().cloned().into_iter().collect();
    let base = existing.as_ref().filter(|_| options.merge);
    let mut properties = base.map(|e| e.properties.clone()).unwrap_or_default();
    for (key, value) in input.properties.unwrap_or_default() {
        // `3774` over a stored `3774.0` (a form shows whole numbers
        // without the fraction) is no change; two integers are compared
        // exactly, never through a float.
        let same_number = match (properties.get(&key), &value) {
            (Some(Value::Number(old)), Value::Number(new)) if old.is_f64() || new.is_f64() => {
                const EXACT: f64 = 9_007_199_254_740_992.0;
                matches!((old.as_f64(), new.as_f64()), (Some(a), Some(b)) if a == b && a.abs() <= EXACT)
            }
            _ => false,
        };
        if !same_number {
            properties.insert(key, value);
        }
    }
    crate::services::mirrors::strip_written(blueprint, &mut properties);
    let mut relations = base.map(|e| e.relations.clone()).unwrap_or_default();
    relations.extend(input.relations.unwrap_or_default());
    // Teams given are checked; a merge keeps the stored ones as they are.
    let team = match (&input.team, base) {
        (Some(v), _) => match teams_of(v) {
            Ok(team) => {
                if let Some(unknown) = team.iter().find(|t| !known_teams.contains(*t)) {
                    problems.push(FieldError {
                        field: "team".into(),
                        message: format!("there is no team `{unknown}`"),
                    });
                }
                team
            }
            Err(message) => {
                problems.push(FieldError {
                    field: "team".into(),
                    message,
                });
                Vec::new()
            }
        },
        (None, Some(base)) => base.team.clone(),
        (None, None) => Vec::new(),
    };
    if let Err(errors) = validate_entity(blueprint, &properties, &relations) {
        problems.extend(errors);
    }
    let identifier = match identifier {
        Ok(id) if problems.is_empty() => id,
        _ => return Err(FieldErrors::invalid(problems)),
    };
    let links = relation_links(blueprint, &relations);
    let sent_team = input.team.is_some().then(|| team.clone());
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
        created_at: existing.as_ref().map(|e| e.created_at).unwrap_or(*now),
        created_by: match &existing {
            Some(e) => e.created_by.clone(),
            None => Some(actor.audit_name()),
        },
        updated_at: *now,
        updated_by: Some(actor.audit_name()),
        version: existing.as_ref().map(|e| e.version + 1).unwrap_or(1),
    };
    Ok(Planned {
        entity,
        existing,
        links,
        sent_team,
    })
}

/// Step 4: teams inherited along the blueprint's ownership path, before
/// the policy (`ownedByTeam` admits the members of the teams the entity
/// will have); an input may only repeat the teams it inherits.
async fn inherit_teams(
    store: &Store,
    blueprint: &Blueprint,
    all_blueprints: &[Blueprint],
    planned: &mut [Slot],
) -> Result<(), AppError> {
    let Some(rule) = ownership::rule_of(blueprint, all_blueprints) else {
        return Ok(());
    };
    ownership::inherit(
        store,
        &rule,
        planned.iter_mut().flatten().map(|p| &mut p.entity),
    )
    .await?;
    for slot in planned.iter_mut() {
        let Ok(p) = slot else { continue };
        let sent = p.sent_team.as_deref().unwrap_or_default();
        if let Err(refusal) = ownership::check_sent_teams(blueprint, sent, &p.entity.team) {
            *slot = Err(refusal);
        }
    }
    Ok(())
}

/// Step 5: the policy on each planned entity: registering a new one, or
/// the fields an update changes. A refusal becomes that entity's 403 and
/// is recorded in the audit log.
async fn authorize(store: &Store, batch: &Batch<'_>, planned: &mut [Slot]) {
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

/// The 404 of an entity whose related entities do not exist: Port's
/// message (its clients read `not_found` as "not ready, retry") and, per
/// relation, which identifiers are missing (a form shows it at the picker).
fn missing_targets(missing: &[&RelationLink]) -> AppError {
    let first = missing[0];
    let mut by_relation: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for link in missing {
        by_relation
            .entry(&link.relation)
            .or_default()
            .push(format!("`{}`", link.target));
    }
    AppError::Fields(FieldErrors {
        status: 404,
        message: format!(
            "related entity `{}` of blueprint `{}` (relation `{}`) does not exist; create it first or send create_missing_related_entities=true",
            first.target, first.target_blueprint, first.relation
        ),
        fields: by_relation
            .into_iter()
            .map(|(relation, ids)| {
                let target = missing
                    .iter()
                    .find(|l| l.relation == relation)
                    .map(|l| l.target_blueprint.as_str())
                    .unwrap_or_default();
                FieldError {
                    field: format!("relations.{relation}"),
                    message: format!("there is no `{target}` {}", ids.join(", ")),
                }
            })
            .collect(),
    })
}

/// Step 6: every relation target exists (one query for the whole batch;
/// entities of this very request count as existing), or, with
/// `create_missing_related_entities`, stubs stand in for the missing ones
/// where the writer may register them. Answers the stubs to write.
async fn check_targets(
    store: &Store,
    batch: &Batch<'_>,
    planned: &mut [Slot],
) -> Result<Vec<NewEntity>, AppError> {
    let mut wanted: Vec<(String, String)> = planned
        .iter()
        .flatten()
        .flat_map(|p| &p.links)
        .map(|l| (l.target_blueprint.clone(), l.target.clone()))
        .collect();
    wanted.sort();
    wanted.dedup();
    let mut found = store.existing_entities(&wanted).await?;
    for p in planned.iter().flatten() {
        found.insert((p.entity.blueprint.clone(), p.entity.identifier.clone()));
    }
    let mut stubs: Vec<NewEntity> = Vec::new();
    for slot in planned.iter_mut() {
        let Ok(p) = slot else { continue };
        let missing: Vec<&RelationLink> = p
            .links
            .iter()
            .filter(|l| !found.contains(&(l.target_blueprint.clone(), l.target.clone())))
            .collect();
        if missing.is_empty() {
            continue;
        }
        if !batch.options.create_missing_related_entities {
            *slot = Err(missing_targets(&missing));
            continue;
        }
        let new_stubs: Vec<NewEntity> = missing
            .iter()
            .map(|link| stub(batch.actor, link, batch.now))
            .collect();
        let mut refusal = None;
        for s in &new_stubs {
            let target = blueprints::blueprint(store, &s.entity.blueprint).await?;
            let target_permissions = access::permissions_of(store, &target).await?;
            let decision = may_register(batch.actor, &target_permissions, &s.entity);
            if !decision.allowed {
                refusal = Some(
                    refuse(
                        store,
                        batch.actor,
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
    Ok(stubs)
}

/// Step 7: every planned entity, the stubs and the audit rows in one
/// transaction, each entity's stored version checked (a concurrent write
/// makes that entity a 409, nothing overwritten). Answers the outcomes and
/// which creates lost a race.
async fn save(
    store: &Store,
    batch: &Batch<'_>,
    all_blueprints: &[Blueprint],
    mut planned: Vec<Slot>,
    stubs: Vec<NewEntity>,
) -> Result<(Vec<EntityOutcome>, Vec<usize>), AppError> {
    let mut writes = Vec::new();
    let mut slots = Vec::new();
    for (index, p) in planned.iter().enumerate() {
        let Ok(p) = p else { continue };
        slots.push(index);
        writes.push(EntityWrite {
            new: NewEntity {
                entity: p.entity.clone(),
                links: p.links.clone(),
            },
            expected_version: p.existing.as_ref().map(|e| e.version),
            audit: AuditRecord {
                actor: batch.actor.audit_name(),
                action: if p.existing.is_some() {
                    "UPDATE"
                } else {
                    "CREATE"
                },
                blueprint: batch.blueprint.identifier.clone(),
                identifier: p.entity.identifier.clone(),
                before: p.existing.clone(),
                after: Some(p.entity.clone()),
            },
        });
    }
    let saved = if writes.is_empty() && stubs.is_empty() {
        Vec::new()
    } else {
        let inheritance = ownership::rules_touching(all_blueprints, &batch.blueprint.identifier);
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
    Ok((outcomes(planned), lost))
}
