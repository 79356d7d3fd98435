//! Inherited ownership (data-model.md §2.3): a blueprint with `ownership:
//! {type: Inherited, path}` (or the legacy `teamInheritance`) gives each
//! of its entities the teams of the entity at the end of that relation
//! path. They are computed when the entity is written (so the policy's
//! `ownedByTeam` and the reply see them) and refreshed by the store in the
//! transaction of any write along the path (`store::inherited_teams`).

use crate::model::relation_path::resolve_ownership_path;
use crate::model::{AppError, Blueprint, Entity};
use crate::store::{InheritanceRule, Store};

/// The store's walk for `blueprint`, when its entities inherit their teams
/// and the path still resolves.
pub fn rule_of(blueprint: &Blueprint, all: &[Blueprint]) -> Option<InheritanceRule> {
    let path = blueprint.inherited_team_path()?;
    let hops = resolve_ownership_path(path, blueprint, all).ok()?;
    Some(InheritanceRule {
        blueprint: blueprint.identifier.clone(),
        hops: hops.into_iter().map(|h| (h.relation, h.target)).collect(),
    })
}

/// The rules whose children a write to (or deletion in) `written` may
/// change: its own inheriting entities, and those whose path passes
/// through it or ends at it.
pub fn rules_touching(all: &[Blueprint], written: &str) -> Vec<InheritanceRule> {
    all.iter()
        .filter_map(|b| rule_of(b, all))
        .filter(|rule| {
            rule.blueprint == written || rule.hops.iter().any(|(_, target)| target == written)
        })
        .collect()
}

/// Sets each entity's teams to those it inherits through `rule` (none when
/// a relation on the path is empty or points at nothing).
pub async fn inherit<'a>(
    store: &Store,
    rule: &InheritanceRule,
    entities: impl Iterator<Item = &'a mut Entity>,
) -> Result<(), AppError> {
    let Some(((first_relation, first_target), rest)) = rule.hops.split_first() else {
        return Ok(());
    };
    let mut entities: Vec<&mut Entity> = entities.collect();
    let mut parents: Vec<String> = entities
        .iter()
        .flat_map(|e| e.related(first_relation))
        .collect();
    parents.sort();
    parents.dedup();
    let teams = store.teams_along(first_target, rest, &parents).await?;
    for entity in entities.iter_mut() {
        entity.team = entity
            .related(first_relation)
            .first()
            .and_then(|parent| teams.get(parent))
            .cloned()
            .unwrap_or_default();
    }
    Ok(())
}

/// Refreshes every entity of `blueprint` after its ownership changed to
/// (another) inherited path.
pub async fn blueprint_changed(
    store: &Store,
    before: &Blueprint,
    after: &Blueprint,
) -> Result<(), AppError> {
    if before.inherited_team_path() == after.inherited_team_path() {
        return Ok(());
    }
    let all = store.list_blueprints().await?;
    if let Some(rule) = rule_of(after, &all) {
        store.refresh_all_inherited_teams(&rule).await?;
    }
    Ok(())
}

/// A write may name teams of an inheriting entity only to repeat the ones
/// it inherits (a client writing back what it read, an import of an
/// export); anything else is refused, naming where the teams come from.
pub fn check_sent_teams(
    blueprint: &Blueprint,
    sent: &[String],
    inherited: &[String],
) -> Result<(), AppError> {
    let Some(path) = blueprint.inherited_team_path() else {
        return Ok(());
    };
    let mut sent = sent.to_vec();
    let mut inherited = inherited.to_vec();
    sent.sort();
    inherited.sort();
    if sent.is_empty() || sent == inherited {
        return Ok(());
    }
    Err(AppError::Invalid(format!(
        "team: the teams of a `{}` are inherited through `{path}`; change the teams of the entity that path leads to instead",
        blueprint.identifier
    )))
}
