//! The policy's read decisions applied to queries: the blueprint
//! permissions in force, and the condition every read of entities carries
//! so a subject sees only what `authz::entity_read_scope` allows — in
//! searches, tables, counts, charts and relations alike.

use crate::authz::{catalog::read_refused, entity_read_scope, require, Decision, ReadScope};
use crate::model::query::{Combinator, Meta, Operator, PropertyRef, Query, Rule, RuleValue};
use crate::model::{AppError, Blueprint, BlueprintPermissions, Entity, Subject};
use crate::query::{compile_filter, Scope, Sql, Viewer};
use crate::store::{DeniedAttempt, Store};
use chrono::Utc;
use std::collections::{HashMap, HashSet};

/// A blueprint's permissions as they apply now (stored or Port's defaults,
/// fitted to its current properties and relations).
pub async fn permissions_of(
    store: &Store,
    blueprint: &Blueprint,
) -> Result<BlueprintPermissions, AppError> {
    let stored = store
        .stored_blueprint_permissions(&blueprint.identifier)
        .await?;
    Ok(BlueprintPermissions::for_blueprint(stored, blueprint))
}

/// Each blueprint's read scope for `subject`, by identifier.
pub async fn read_scopes(
    store: &Store,
    subject: &Subject,
    blueprints: &[Blueprint],
) -> Result<HashMap<String, ReadScope>, AppError> {
    let mut stored = store.all_stored_blueprint_permissions().await?;
    Ok(blueprints
        .iter()
        .map(|bp| {
            let permissions =
                BlueprintPermissions::for_blueprint(stored.remove(&bp.identifier), bp);
            (
                bp.identifier.clone(),
                entity_read_scope(subject, &permissions),
            )
        })
        .collect())
}

fn blueprint_is(identifier: &str) -> Rule {
    Rule::Property {
        property: PropertyRef::Meta(Meta::Blueprint),
        operator: Operator::Eq,
        value: Some(RuleValue::Text(identifier.to_string())),
    }
}

/// A search over several blueprints narrowed to what the subject may
/// read: unchanged when everything is readable, `None` when nothing is.
pub fn narrow(query: &Query, scopes: &HashMap<String, ReadScope>) -> Option<Query> {
    if scopes.values().all(|s| *s == ReadScope::All) {
        return Some(query.clone());
    }
    let mut ids: Vec<&String> = scopes.keys().collect();
    ids.sort();
    let readable: Vec<Rule> = ids
        .into_iter()
        .filter_map(|id| match &scopes[id] {
            ReadScope::All => Some(blueprint_is(id)),
            ReadScope::Only(only) => Some(Rule::Group(Query {
                combinator: Combinator::And,
                rules: vec![blueprint_is(id), Rule::Group(only.clone())],
            })),
            ReadScope::Nothing => None,
        })
        .collect();
    if readable.is_empty() {
        return None;
    }
    Some(Query {
        combinator: Combinator::And,
        rules: vec![
            Rule::Group(query.clone()),
            Rule::Group(Query {
                combinator: Combinator::Or,
                rules: readable,
            }),
        ],
    })
}

/// What `subject` may read of one blueprint, compiled: `None` for every
/// entity, a condition on `e` for some; 403 (with the reason) for none.
pub async fn read_restriction(
    store: &Store,
    subject: &Subject,
    blueprint: &Blueprint,
) -> Result<Option<Sql>, AppError> {
    let permissions = permissions_of(store, blueprint).await?;
    restriction_under(store, subject, blueprint, &permissions)
}

/// `read_restriction` with the blueprint's permissions already loaded.
pub fn restriction_under(
    store: &Store,
    subject: &Subject,
    blueprint: &Blueprint,
    permissions: &BlueprintPermissions,
) -> Result<Option<Sql>, AppError> {
    match entity_read_scope(subject, permissions) {
        ReadScope::All => Ok(None),
        ReadScope::Nothing => {
            require(subject, read_refused(&blueprint.identifier, permissions))?;
            Ok(None)
        }
        ReadScope::Only(query) => compile_for(store, subject, blueprint, &query).map(Some),
    }
}

/// The conditions ANDed together; `None` when there are none.
pub fn all_of(conditions: Vec<Sql>) -> Option<Sql> {
    let mut conditions = conditions.into_iter();
    let first = conditions.next()?;
    Some(conditions.fold(first, |mut all, next| {
        let mut both = Sql::default();
        both.push("(")
            .push_sql(&all)
            .push(") AND (")
            .push_sql(&next)
            .push(")");
        all = both;
        all
    }))
}

/// Compiles a query on one blueprint for `subject` (dynamic values are
/// theirs), or says why it does not fit the blueprint.
pub fn compile_on(
    store: &Store,
    subject: &Subject,
    blueprint: &Blueprint,
    query: &Query,
) -> Result<Sql, crate::model::query::QueryError> {
    let viewer = Viewer::of(subject);
    let blueprints = [blueprint.clone()];
    let scope = Scope {
        blueprints: &blueprints,
        single: Some(&blueprint.identifier),
        viewer: &viewer,
        now: Utc::now(),
    };
    compile_filter(store.dialect(), query, &scope)
}

/// The view's own filter compiled for the viewer; one that does not fit
/// the blueprint is 422 naming the rule.
pub fn filter_on(
    store: &Store,
    subject: &Subject,
    blueprint: &Blueprint,
    filter: &Query,
) -> Result<Sql, AppError> {
    compile_on(store, subject, blueprint, filter).map_err(|e| {
        AppError::Invalid(format!(
            "the filter does not fit blueprint `{}`: {e}",
            blueprint.identifier
        ))
    })
}

/// A stored read policy compiled for `subject`; one that no longer fits
/// the schema is a fault an admin must fix, not the reader's.
pub fn compile_for(
    store: &Store,
    subject: &Subject,
    blueprint: &Blueprint,
    query: &Query,
) -> Result<Sql, AppError> {
    compile_on(store, subject, blueprint, query).map_err(|e| {
        AppError::Internal(format!(
            "the read permission of blueprint `{}` no longer fits its schema ({e}); an admin should fix it",
            blueprint.identifier
        ))
    })
}

/// Whether `subject` may read this stored entity; the entity page and the
/// single-entity API answer 403 otherwise.
pub async fn require_readable(
    store: &Store,
    subject: &Subject,
    blueprint: &Blueprint,
    entity: &Entity,
) -> Result<(), AppError> {
    let Some(restriction) = read_restriction(store, subject, blueprint).await? else {
        return Ok(());
    };
    let ids = std::slice::from_ref(&entity.identifier);
    if readable_among(store, blueprint, &restriction, ids)
        .await?
        .is_empty()
    {
        return Err(AppError::Forbidden(format!(
            "you may not read `{}` of blueprint `{}`: its blueprint's read permission does not include you for this entity (it belongs to a team you are not in)",
            entity.identifier, blueprint.identifier
        )));
    }
    Ok(())
}

/// Which of these stored entities of `blueprint` `subject` may not read.
/// A write must treat those as absent: its answer would otherwise show
/// what a read refuses (a field-level update grant does not grant reading).
pub async fn unreadable(
    store: &Store,
    subject: &Subject,
    blueprint: &Blueprint,
    permissions: &BlueprintPermissions,
    identifiers: &[String],
) -> Result<HashSet<String>, AppError> {
    if identifiers.is_empty() {
        return Ok(HashSet::new());
    }
    let query = match entity_read_scope(subject, permissions) {
        ReadScope::All => return Ok(HashSet::new()),
        ReadScope::Nothing => return Ok(identifiers.iter().cloned().collect()),
        ReadScope::Only(query) => query,
    };
    let restriction = compile_for(store, subject, blueprint, &query)?;
    let readable = readable_among(store, blueprint, &restriction, identifiers).await?;
    Ok(identifiers
        .iter()
        .filter(|id| !readable.contains(*id))
        .cloned()
        .collect())
}

/// Which of these entities of `blueprint` a read `restriction` admits (one
/// query).
async fn readable_among(
    store: &Store,
    blueprint: &Blueprint,
    restriction: &Sql,
    identifiers: &[String],
) -> Result<HashSet<String>, AppError> {
    let mut condition = Sql::default();
    condition.push("e.identifier IN (");
    for (i, id) in identifiers.iter().enumerate() {
        if i > 0 {
            condition.push(", ");
        }
        condition.push_bind(crate::query::Bind::Text(id.clone()));
    }
    condition.push(") AND (").push_sql(restriction).push(")");
    Ok(store
        .search_entities(
            condition,
            Some(&blueprint.identifier),
            None,
            identifiers.len() as i64,
        )
        .await?
        .into_iter()
        .map(|e| e.identifier)
        .collect())
}

/// Turns a refused write into the 403 the subject gets, after recording
/// the attempt in the audit log (status FAILURE, with the reason). A
/// failure to record is logged, not shown: the refusal stands either way.
pub async fn refuse(
    store: &Store,
    actor: &Subject,
    resource_type: &'static str,
    action: &'static str,
    blueprint: Option<&str>,
    identifier: Option<&str>,
    decision: Decision,
) -> AppError {
    let attempt = DeniedAttempt {
        actor: &actor.audit_name(),
        resource_type,
        action,
        blueprint,
        identifier,
        message: &decision.reason,
    };
    if let Err(e) = store.record_denied(&attempt).await {
        tracing::warn!(error = %e, "could not record a refused write in the audit log");
    }
    crate::authz::refusal(actor, decision)
}

/// `Ok` when the decision allows; otherwise the refusal is recorded and
/// returned (see `refuse`).
pub async fn require_or_record(
    store: &Store,
    actor: &Subject,
    decision: Decision,
    resource_type: &'static str,
    action: &'static str,
    blueprint: Option<&str>,
    identifier: Option<&str>,
) -> Result<(), AppError> {
    if decision.allowed {
        return Ok(());
    }
    Err(refuse(
        store,
        actor,
        resource_type,
        action,
        blueprint,
        identifier,
        decision,
    )
    .await)
}
