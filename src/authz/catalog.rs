//! Entities: who may read, register, update and unregister them, from the
//! blueprint's permissions (permissions.md §2) and team ownership (§5).
//!
//! Admins may do everything. Everyone else is matched against each block:
//! a role it lists (`Member` covers every signed-in subject, since the
//! roles are ordered Admin > Moderator > Member), their e-mail, a team
//! they belong to, or, with `ownedByTeam`, membership of one of the
//! entity's teams.

use super::Decision;
use crate::model::permissions::{moderated_by_role, BlueprintPermissions, Grant};
use crate::model::query::{Combinator, Meta, Operator, PropertyRef, Query, Rule, RuleValue};
use crate::model::{Entity, EntityAbilities, Subject, UserRole};

/// Whether `subject` holds the role string `role` (`Admin`, `Member`,
/// `<bp>-moderator`; compared without case, as Port's docs vary).
pub fn holds_role(subject: &Subject, role: &str) -> bool {
    let Some(own) = subject.role() else {
        return false;
    };
    if own == UserRole::Admin || role.eq_ignore_ascii_case("Member") {
        return true;
    }
    match (moderated_by_role(role), subject) {
        (Some(bp), Subject::User(u)) => u
            .moderated_blueprints
            .iter()
            .any(|m| m.eq_ignore_ascii_case(bp)),
        _ => false,
    }
}

fn teams_of(subject: &Subject) -> &[String] {
    subject.email_and_teams().1
}

/// Whether the grant lets `subject` in by role, e-mail or team, leaving
/// ownership aside.
pub fn in_audience(
    subject: &Subject,
    roles: &[String],
    users: &[String],
    teams: &[String],
) -> bool {
    let (email, my_teams) = subject.email_and_teams();
    roles.iter().any(|r| holds_role(subject, r))
        || email.is_some_and(|e| users.iter().any(|u| u.eq_ignore_ascii_case(e)))
        || my_teams.iter().any(|t| teams.contains(t))
}

/// Whether `subject` belongs to one of the entity's teams.
pub fn owns(subject: &Subject, entity: &Entity) -> bool {
    teams_of(subject).iter().any(|t| entity.team.contains(t))
}

fn grants(subject: &Subject, grant: &Grant, entity: &Entity) -> bool {
    subject.role() == Some(UserRole::Admin)
        || in_audience(subject, &grant.roles, &grant.users, &grant.teams)
        || (grant.owned_by_team && owns(subject, entity))
}

/// Who a grant lets in, for a refusal's reason.
fn describe(grant: &Grant) -> String {
    let mut who: Vec<String> = grant.roles.clone();
    who.extend(grant.users.iter().cloned());
    who.extend(grant.teams.iter().map(|t| format!("team {t}")));
    if grant.owned_by_team {
        who.push("members of the entity's own teams".into());
    }
    if who.is_empty() {
        "nobody".into()
    } else {
        who.join(", ")
    }
}

fn refused(reason: String) -> Decision {
    Decision {
        allowed: false,
        reason,
    }
}

fn allowed(reason: &str) -> Decision {
    Decision {
        allowed: true,
        reason: reason.into(),
    }
}

/// How much of a blueprint's entities a subject may read.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadScope {
    All,
    /// Only the entities matching this query (evaluated for the subject).
    Only(Query),
    Nothing,
}

/// What `subject` may read of a blueprint's entities. Any write grant
/// implies read; `ownedByTeam` on any block admits the entities of the
/// subject's teams; the read `policy` counts when nothing else granted.
pub fn entity_read_scope(subject: &Subject, permissions: &BlueprintPermissions) -> ReadScope {
    let e = &permissions.entities;
    let read = e.read.grant();
    let blocks = [&read, &e.register, &e.update, &e.unregister];
    if subject.role() == Some(UserRole::Admin)
        || blocks
            .iter()
            .any(|g| in_audience(subject, &g.roles, &g.users, &g.teams))
    {
        return ReadScope::All;
    }
    if !subject.is_signed_in() {
        return ReadScope::Nothing;
    }
    let mut rules = Vec::new();
    let my_teams = teams_of(subject);
    if blocks.iter().any(|g| g.owned_by_team) && !my_teams.is_empty() {
        rules.push(Rule::Property {
            property: PropertyRef::Meta(Meta::Team),
            operator: Operator::ContainsAny,
            value: Some(RuleValue::List(my_teams.to_vec())),
        });
    }
    if let Some(policy) = e
        .read
        .policy
        .as_ref()
        .and_then(|p| Query::from_json(p).ok())
    {
        rules.push(Rule::Group(policy));
    }
    if rules.is_empty() {
        ReadScope::Nothing
    } else {
        ReadScope::Only(Query {
            combinator: Combinator::Or,
            rules,
        })
    }
}

/// The refusal for a blueprint the subject may read nothing of.
pub fn read_refused(blueprint: &str, permissions: &BlueprintPermissions) -> Decision {
    refused(format!(
        "you may not read entities of blueprint `{blueprint}`: reading is allowed to {}",
        describe(&permissions.entities.read.grant())
    ))
}

/// May `subject` create `entity`? With `ownedByTeam`, only when the entity
/// is given a team the subject belongs to.
pub fn may_register(
    subject: &Subject,
    permissions: &BlueprintPermissions,
    entity: &Entity,
) -> Decision {
    let grant = &permissions.entities.register;
    if grants(subject, grant, entity) {
        return allowed("the blueprint's register permission includes you");
    }
    let hint = if grant.owned_by_team {
        " (give the entity one of your teams)"
    } else {
        ""
    };
    refused(format!(
        "you may not create entities of blueprint `{}`: creating them is allowed to {}{hint}",
        entity.blueprint,
        describe(grant)
    ))
}

/// May `subject` change `before` into `after`? The `update` block grants
/// every field; otherwise each changed property and relation needs its own
/// grant, and the title, icon and teams need `update`. Ownership is judged
/// on the entity as it was, so nobody gains a write by claiming a team.
pub fn may_update(
    subject: &Subject,
    permissions: &BlueprintPermissions,
    before: &Entity,
    after: &Entity,
) -> Decision {
    let e = &permissions.entities;
    if grants(subject, &e.update, before) {
        return allowed("the blueprint's update permission includes you");
    }
    let mut denied: Vec<String> = Vec::new();
    let mut needs_update: Vec<&str> = Vec::new();
    if before.title != after.title {
        needs_update.push("title");
    }
    if before.icon != after.icon {
        needs_update.push("icon");
    }
    if before.team != after.team {
        needs_update.push("team");
    }
    denied.extend(needs_update.iter().map(|f| format!("`{f}`")));
    let changed = |a: &serde_json::Map<String, serde_json::Value>,
                   b: &serde_json::Map<String, serde_json::Value>| {
        let mut keys: Vec<String> = a.keys().chain(b.keys()).cloned().collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter(|k| a.get(k) != b.get(k))
            .collect::<Vec<_>>()
    };
    let mut any_field_grant = false;
    for (kind, per_field, old, new) in [
        (
            "property",
            &e.update_properties,
            &before.properties,
            &after.properties,
        ),
        (
            "relation",
            &e.update_relations,
            &before.relations,
            &after.relations,
        ),
    ] {
        any_field_grant |= per_field.values().any(|g| grants(subject, g, before));
        for key in changed(old, new) {
            let ok = per_field
                .get(&key)
                .is_some_and(|g| grants(subject, g, before));
            if !ok {
                denied.push(format!("{kind} `{key}`"));
            }
        }
    }
    if denied.is_empty() && any_field_grant {
        return allowed("every field changed is one you may update");
    }
    if denied.is_empty() {
        return refused(format!(
            "you may not update entities of blueprint `{}`: updating them is allowed to {}",
            before.blueprint,
            describe(&e.update)
        ));
    }
    refused(format!(
        "you may not change {} of `{}` (blueprint `{}`): updating them is allowed to {}",
        denied.join(", "),
        before.identifier,
        before.blueprint,
        describe(&e.update)
    ))
}

/// May `subject` delete `entity`?
pub fn may_unregister(
    subject: &Subject,
    permissions: &BlueprintPermissions,
    entity: &Entity,
) -> Decision {
    let grant = &permissions.entities.unregister;
    if grants(subject, grant, entity) {
        return allowed("the blueprint's unregister permission includes you");
    }
    refused(format!(
        "you may not delete `{}` of blueprint `{}`: deleting them is allowed to {}",
        entity.identifier,
        entity.blueprint,
        describe(grant)
    ))
}

/// What `subject` may do with `entity`, for the UI to show only the
/// controls that will work.
pub fn entity_abilities(
    subject: &Subject,
    permissions: &BlueprintPermissions,
    entity: &Entity,
) -> EntityAbilities {
    let e = &permissions.entities;
    let update_all = grants(subject, &e.update, entity);
    let fields = |per_field: &indexmap::IndexMap<String, Grant>| -> Vec<String> {
        per_field
            .iter()
            .filter(|(_, g)| update_all || grants(subject, g, entity))
            .map(|(k, _)| k.clone())
            .collect()
    };
    EntityAbilities {
        update_all,
        properties: fields(&e.update_properties),
        relations: fields(&e.update_relations),
        delete: grants(subject, &e.unregister, entity),
    }
}

/// Whether `subject` could create some entity of the blueprint (with
/// `ownedByTeam`, one of their own teams'), so the UI offers "New" only
/// where it can work; the server decides each creation again.
pub fn may_create_some(subject: &Subject, permissions: &BlueprintPermissions) -> bool {
    let g = &permissions.entities.register;
    subject.role() == Some(UserRole::Admin)
        || in_audience(subject, &g.roles, &g.users, &g.teams)
        || (g.owned_by_team && !teams_of(subject).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Blueprint, PropertySchema, PropertyType, SignedInUser};
    use chrono::Utc;
    use serde_json::json;

    fn service() -> Blueprint {
        let mut bp: Blueprint = serde_json::from_value(json!({
            "identifier": "service", "title": "Service", "schema": {"properties": {}}
        }))
        .unwrap();
        for key in ["tier", "version"] {
            bp.schema
                .properties
                .insert(key.into(), PropertySchema::new(PropertyType::String, key));
        }
        bp
    }

    fn user(role: UserRole, teams: &[&str], moderates: &[&str]) -> Subject {
        Subject::User(SignedInUser {
            email: "u@x.test".into(),
            name: "U".into(),
            role,
            teams: teams.iter().map(|s| s.to_string()).collect(),
            moderated_blueprints: moderates.iter().map(|s| s.to_string()).collect(),
        })
    }

    fn entity(team: &[&str], tier: &str, version: &str) -> Entity {
        Entity {
            identifier: "cart".into(),
            title: Some("Cart".into()),
            icon: None,
            blueprint: "service".into(),
            team: team.iter().map(|s| s.to_string()).collect(),
            properties: json!({"tier": tier, "version": version})
                .as_object()
                .cloned()
                .unwrap(),
            relations: Default::default(),
            created_at: Utc::now(),
            created_by: None,
            updated_at: Utc::now(),
            updated_by: None,
            version: 1,
        }
    }

    #[test]
    fn defaults_let_admins_and_moderators_write_and_everyone_read() {
        let p = BlueprintPermissions::defaults(&service());
        let e = entity(&["platform"], "gold", "1");
        let admin = user(UserRole::Admin, &[], &[]);
        let moderator = user(UserRole::Moderator, &[], &["Service"]);
        let other_moderator = user(UserRole::Moderator, &[], &["cluster"]);
        let member = user(UserRole::Member, &["platform"], &[]);
        for (who, may) in [
            (&admin, true),
            (&moderator, true),
            (&other_moderator, false),
            (&member, false),
        ] {
            assert_eq!(may_register(who, &p, &e).allowed, may, "{who:?}");
            assert_eq!(may_unregister(who, &p, &e).allowed, may, "{who:?}");
            assert_eq!(entity_read_scope(who, &p), ReadScope::All);
        }
        assert_eq!(
            entity_read_scope(&Subject::Anonymous, &p),
            ReadScope::Nothing
        );
    }

    #[test]
    fn member_allowed_only_tier_is_refused_naming_version() {
        let mut p = BlueprintPermissions::defaults(&service());
        p.entities.update_properties["tier"]
            .roles
            .push("Member".into());
        let member = user(UserRole::Member, &[], &[]);
        let before = entity(&[], "gold", "1");
        let tier = entity(&[], "silver", "1");
        assert!(may_update(&member, &p, &before, &tier).allowed);
        let both = entity(&[], "silver", "2");
        let d = may_update(&member, &p, &before, &both);
        assert!(!d.allowed);
        assert!(d.reason.contains("property `version`"), "{}", d.reason);
        assert!(!d.reason.contains("`tier`"), "{}", d.reason);
    }

    #[test]
    fn owned_by_team_means_a_member_of_one_of_the_entitys_teams() {
        let mut p = BlueprintPermissions::defaults(&service());
        p.entities.update.owned_by_team = true;
        p.entities.register.owned_by_team = true;
        let inside = user(UserRole::Member, &["payments"], &[]);
        let outside = user(UserRole::Member, &["search"], &[]);
        let before = entity(&["payments"], "gold", "1");
        let after = entity(&["payments"], "gold", "2");
        assert!(may_update(&inside, &p, &before, &after).allowed);
        let d = may_update(&outside, &p, &before, &after);
        assert!(
            !d.allowed && d.reason.contains("property `version`"),
            "{}",
            d.reason
        );
        // Creating needs one of the creator's own teams on the entity.
        assert!(may_register(&inside, &p, &before).allowed);
        let d = may_register(&inside, &p, &entity(&["search"], "gold", "1"));
        assert!(
            !d.allowed && d.reason.contains("one of your teams"),
            "{}",
            d.reason
        );
        // Ownership is judged on the entity as it was: its owners may hand
        // it to another team; nobody takes it by naming their own team.
        let moved = entity(&["search"], "gold", "1");
        assert!(may_update(&inside, &p, &before, &moved).allowed);
        assert!(!may_update(&outside, &p, &before, &moved).allowed);
    }

    #[test]
    fn read_scope_narrows_to_owned_entities_and_the_policy() {
        let mut p = BlueprintPermissions::defaults(&service());
        p.entities.read.roles = vec!["Admin".into()];
        let member = user(UserRole::Member, &["payments"], &[]);
        assert_eq!(entity_read_scope(&member, &p), ReadScope::Nothing);
        p.entities.read.owned_by_team = true;
        let ReadScope::Only(q) = entity_read_scope(&member, &p) else {
            panic!("expected a narrowed scope")
        };
        assert_eq!(
            q.to_json(),
            json!({"combinator": "or", "rules": [{"property": "$team", "operator": "containsAny", "value": ["payments"]}]})
        );
        p.entities.read.policy = Some(json!({"combinator": "and", "rules": [
            {"property": "tier", "operator": "=", "value": "gold"}]}));
        let ReadScope::Only(q) = entity_read_scope(&member, &p) else {
            panic!("expected a narrowed scope")
        };
        assert_eq!(q.rules.len(), 2);
        // A write grant implies read.
        p.entities.update.users = vec!["U@X.test".into()];
        assert_eq!(entity_read_scope(&member, &p), ReadScope::All);
    }
}
