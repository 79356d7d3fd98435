//! Blueprint and page permissions in Port's JSON shapes (permissions.md §2,
//! §4): who may read, register, update and unregister a blueprint's
//! entities, per property and relation, and who may read a page.
//!
//! These are the stored documents and their defaults; the decisions made
//! from them live in `authz`. A blueprint whose permissions were never set
//! gets Port's defaults; properties and relations added later get default
//! entries and removed ones are dropped (`for_blueprint`).

use super::Blueprint;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who a block grants: roles (`Admin`, `Member`, `<bp>-moderator`),
/// users by e-mail, teams by name, and with `ownedByTeam` the members of
/// the entity's own teams.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Grant {
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub teams: Vec<String>,
    #[serde(default)]
    pub owned_by_team: bool,
}

/// The `read` block: a grant plus an optional search query (`policy`)
/// that decides for whoever the grant leaves out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReadGrant {
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub teams: Vec<String>,
    #[serde(default)]
    pub owned_by_team: bool,
    #[serde(default)]
    pub policy: Option<Value>,
}

impl ReadGrant {
    /// The grant part, without the policy.
    pub fn grant(&self) -> Grant {
        Grant {
            roles: self.roles.clone(),
            users: self.users.clone(),
            teams: self.teams.clone(),
            owned_by_team: self.owned_by_team,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntityPermissions {
    pub read: ReadGrant,
    pub register: Grant,
    pub update: Grant,
    pub unregister: Grant,
    #[serde(default)]
    pub update_properties: IndexMap<String, Grant>,
    #[serde(default)]
    pub update_relations: IndexMap<String, Grant>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlueprintPermissions {
    pub entities: EntityPermissions,
}

/// The moderator role of a blueprint, as Port spells it.
pub fn moderator_role(blueprint: &str) -> String {
    format!("{blueprint}-moderator")
}

/// Port's default write grant: admins and the blueprint's moderators.
fn moderators(blueprint: &str) -> Grant {
    Grant {
        roles: vec!["Admin".into(), moderator_role(blueprint)],
        ..Grant::default()
    }
}

impl BlueprintPermissions {
    /// Port's defaults: writes for Admin and `<bp>-moderator`, every
    /// property and relation likewise, and reading for everyone signed in
    /// (the sources disagree on `Member`; the spec includes it).
    pub fn defaults(blueprint: &Blueprint) -> Self {
        let id = &blueprint.identifier;
        BlueprintPermissions {
            entities: EntityPermissions {
                read: ReadGrant {
                    roles: vec!["Admin".into(), moderator_role(id), "Member".into()],
                    ..ReadGrant::default()
                },
                register: moderators(id),
                update: moderators(id),
                unregister: moderators(id),
                update_properties: blueprint
                    .schema
                    .properties
                    .keys()
                    .map(|k| (k.clone(), moderators(id)))
                    .collect(),
                update_relations: blueprint
                    .relations
                    .keys()
                    .map(|k| (k.clone(), moderators(id)))
                    .collect(),
            },
        }
    }

    /// The stored permissions (or the defaults) fitted to the blueprint as
    /// it is now: properties and relations without an entry get the
    /// default one, entries of removed ones are dropped, schema order kept.
    pub fn for_blueprint(stored: Option<Self>, blueprint: &Blueprint) -> Self {
        let defaults = Self::defaults(blueprint);
        let Some(mut stored) = stored else {
            return defaults;
        };
        let fit = |stored: &mut IndexMap<String, Grant>, defaults: IndexMap<String, Grant>| {
            *stored = defaults
                .into_iter()
                .map(|(key, default)| {
                    let grant = stored.shift_remove(&key).unwrap_or(default);
                    (key, grant)
                })
                .collect();
        };
        fit(
            &mut stored.entities.update_properties,
            defaults.entities.update_properties,
        );
        fit(
            &mut stored.entities.update_relations,
            defaults.entities.update_relations,
        );
        stored
    }

    /// Applies a PATCH body (`{"entities": {…}}`): each block present
    /// replaces the stored block, each property or relation key present
    /// replaces its entry; what is absent stays. Every problem is named
    /// (unknown block, property, relation or role; malformed grant).
    pub fn patch(&mut self, body: &Value, blueprint: &Blueprint) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        let Some(top) = body.as_object() else {
            return Err(vec![
                "the body must be an object like {\"entities\": {\"update\": {\"roles\": [\"Admin\"]}}}".into(),
            ]);
        };
        for key in top.keys().filter(|k| *k != "entities") {
            errors.push(format!(
                "`{key}`: blueprint permissions have only an `entities` block"
            ));
        }
        let Some(entities) = top.get("entities") else {
            return if errors.is_empty() {
                Err(vec!["`entities`: give the blocks to change (read, register, update, unregister, updateProperties, updateRelations)".into()])
            } else {
                Err(errors)
            };
        };
        let Some(blocks) = entities.as_object() else {
            return Err(vec![
                "`entities` must be an object of permission blocks".into()
            ]);
        };
        let e = &mut self.entities;
        for (name, value) in blocks {
            let path = format!("entities.{name}");
            match name.as_str() {
                "read" => match parse::<ReadGrant>(value, &path) {
                    Ok(read) => e.read = read,
                    Err(m) => errors.push(m),
                },
                "register" | "update" | "unregister" => match parse::<Grant>(value, &path) {
                    Ok(grant) => {
                        *match name.as_str() {
                            "register" => &mut e.register,
                            "update" => &mut e.update,
                            _ => &mut e.unregister,
                        } = grant
                    }
                    Err(m) => errors.push(m),
                },
                "updateProperties" | "updateRelations" => {
                    let Some(entries) = value.as_object() else {
                        errors.push(format!(
                            "`{path}` must be an object keyed by {}",
                            if name == "updateProperties" { "property" } else { "relation" }
                        ));
                        continue;
                    };
                    for (key, value) in entries {
                        let known = if name == "updateProperties" {
                            blueprint.schema.properties.contains_key(key)
                        } else {
                            blueprint.relations.contains_key(key)
                        };
                        let target = if name == "updateProperties" {
                            &mut e.update_properties
                        } else {
                            &mut e.update_relations
                        };
                        if !known {
                            errors.push(format!(
                                "`{path}.{key}`: blueprint `{}` has no {} `{key}`",
                                blueprint.identifier,
                                if name == "updateProperties" { "property" } else { "relation" }
                            ));
                            continue;
                        }
                        match parse::<Grant>(value, &format!("{path}.{key}")) {
                            Ok(grant) => {
                                target.insert(key.clone(), grant);
                            }
                            Err(m) => errors.push(m),
                        }
                    }
                }
                other => errors.push(format!(
                    "`entities.{other}`: unknown block; the blocks are read, register, update, unregister, updateProperties and updateRelations"
                )),
            }
        }
        errors.extend(self.role_errors());
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Every block with the path a message names it by.
    fn grants(&self) -> Vec<(String, Grant)> {
        let e = &self.entities;
        let mut all = vec![
            ("entities.read".to_string(), e.read.grant()),
            ("entities.register".to_string(), e.register.clone()),
            ("entities.update".to_string(), e.update.clone()),
            ("entities.unregister".to_string(), e.unregister.clone()),
        ];
        for (k, g) in &e.update_properties {
            all.push((format!("entities.updateProperties.{k}"), g.clone()));
        }
        for (k, g) in &e.update_relations {
            all.push((format!("entities.updateRelations.{k}"), g.clone()));
        }
        all
    }

    fn role_errors(&self) -> Vec<String> {
        self.grants()
            .into_iter()
            .flat_map(|(path, grant)| {
                grant
                    .roles
                    .into_iter()
                    .filter(|r| !is_role_name(r))
                    .map(move |r| {
                        format!("`{path}.roles`: unknown role `{r}`; roles are Admin, Member and <blueprint>-moderator")
                    })
            })
            .collect()
    }
}

fn parse<T: serde::de::DeserializeOwned>(value: &Value, path: &str) -> Result<T, String> {
    serde_json::from_value(value.clone()).map_err(|e| format!("`{path}`: {e}"))
}

/// Whether `role` is a role string at all: `Admin`, `Member` or
/// `<something>-moderator` (case-insensitive, as Port's docs vary).
pub fn is_role_name(role: &str) -> bool {
    role.eq_ignore_ascii_case("Admin")
        || role.eq_ignore_ascii_case("Member")
        || moderated_by_role(role).is_some()
}

/// The blueprint a `<bp>-moderator` role moderates.
pub fn moderated_by_role(role: &str) -> Option<&str> {
    let cut = role.len().checked_sub("-moderator".len())?;
    let (bp, suffix) = (role.get(..cut)?, role.get(cut..)?);
    (suffix.eq_ignore_ascii_case("-moderator") && !bp.is_empty()).then_some(bp)
}

/// What the viewer may do with one entity, as the policy decides: the UI
/// shows only these controls (the server decides each write again).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityAbilities {
    /// Title, icon and teams, and so every field.
    pub update_all: bool,
    /// Property keys the viewer may change.
    pub properties: Vec<String>,
    /// Relation keys the viewer may change.
    pub relations: Vec<String>,
    pub delete: bool,
}

impl EntityAbilities {
    pub fn may_edit_something(&self) -> bool {
        self.update_all || !self.properties.is_empty() || !self.relations.is_empty()
    }
}

/// Who may read a page (and see it in the sidebar), and who may edit it.
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PagePermissions {
    pub read: PageAudience,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<PageAudience>,
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PageAudience {
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub teams: Vec<String>,
}

impl Default for PagePermissions {
    /// Everyone: Port's "everyone" is `read.roles: ["Admin", "Member"]`.
    fn default() -> Self {
        PagePermissions {
            read: PageAudience {
                roles: vec!["Admin".into(), "Member".into()],
                ..PageAudience::default()
            },
            update: None,
        }
    }
}

impl PagePermissions {
    /// Applies a PATCH body: `read` and `update` present replace the
    /// stored ones (a present list fully replaces, which is how access is
    /// revoked); absent ones stay.
    pub fn patch(&mut self, body: &Value) -> Result<(), Vec<String>> {
        let Some(top) = body.as_object() else {
            return Err(vec![
                "the body must be an object like {\"read\": {\"roles\": [\"Admin\"]}}".into(),
            ]);
        };
        let mut errors = Vec::new();
        for (key, value) in top {
            let slot = match key.as_str() {
                "read" => &mut self.read,
                "update" => self.update.get_or_insert_with(PageAudience::default),
                other => {
                    errors.push(format!(
                        "`{other}`: page permissions have `read` and `update`"
                    ));
                    continue;
                }
            };
            let Some(fields) = value.as_object() else {
                errors.push(format!(
                    "`{key}` must be an object with roles, users and teams"
                ));
                continue;
            };
            let mut merged = serde_json::to_value(&*slot).unwrap_or_default();
            for (field, v) in fields {
                merged[field] = v.clone();
            }
            match parse::<PageAudience>(&merged, key) {
                Ok(audience) => {
                    for role in audience.roles.iter().filter(|r| !is_role_name(r)) {
                        errors.push(format!(
                            "`{key}.roles`: unknown role `{role}`; roles are Admin, Member and <blueprint>-moderator"
                        ));
                    }
                    *slot = audience;
                }
                Err(m) => errors.push(m),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PropertySchema, PropertyType, RelationSchema};
    use serde_json::json;

    fn service() -> Blueprint {
        let mut bp: Blueprint = serde_json::from_value(json!({
            "identifier": "service", "title": "Service",
            "schema": {"properties": {}}, "relations": {}
        }))
        .unwrap();
        for key in ["tier", "version"] {
            bp.schema
                .properties
                .insert(key.into(), PropertySchema::new(PropertyType::String, key));
        }
        bp.relations.insert(
            "squad".into(),
            RelationSchema {
                title: None,
                description: None,
                target: "squad".into(),
                required: false,
                many: false,
            },
        );
        bp
    }

    #[test]
    fn defaults_are_ports_and_serialize_in_its_shape() {
        let p = BlueprintPermissions::defaults(&service());
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(
            v["entities"]["read"]["roles"],
            json!(["Admin", "service-moderator", "Member"])
        );
        assert_eq!(v["entities"]["read"]["policy"], Value::Null);
        assert_eq!(v["entities"]["update"]["ownedByTeam"], false);
        assert_eq!(
            v["entities"]["updateProperties"]["tier"]["roles"],
            json!(["Admin", "service-moderator"])
        );
        assert_eq!(
            v["entities"]["updateRelations"]["squad"]["users"],
            json!([])
        );
    }

    #[test]
    fn patch_replaces_present_blocks_and_keys_only() {
        let bp = service();
        let mut p = BlueprintPermissions::defaults(&bp);
        p.patch(
            &json!({"entities": {"update": {"roles": ["Admin"], "ownedByTeam": true},
                                 "updateProperties": {"tier": {"roles": ["Member"]}}}}),
            &bp,
        )
        .unwrap();
        assert_eq!(p.entities.update.roles, vec!["Admin"]);
        assert!(p.entities.update.owned_by_team);
        assert_eq!(p.entities.update_properties["tier"].roles, vec!["Member"]);
        assert_eq!(
            p.entities.update_properties["version"].roles,
            vec!["Admin", "service-moderator"]
        );
        assert_eq!(
            p.entities.register.roles,
            vec!["Admin", "service-moderator"]
        );
    }

    #[test]
    fn patch_names_every_problem_and_changes_nothing_it_refuses() {
        let bp = service();
        let mut p = BlueprintPermissions::defaults(&bp);
        let errors = p
            .patch(
                &json!({"entities": {"updateProperties": {"nope": {"roles": []}},
                                     "update": {"roles": ["Owner"]},
                                     "delete": {}}}),
                &bp,
            )
            .unwrap_err();
        let all = errors.join("\n");
        assert!(all.contains("no property `nope`"), "{all}");
        assert!(all.contains("unknown role `Owner`"), "{all}");
        assert!(all.contains("`entities.delete`: unknown block"), "{all}");
        let errors = p
            .patch(
                &json!({"entities": {"read": {"roles": [], "everyone": true}}}),
                &bp,
            )
            .unwrap_err();
        assert!(errors[0].contains("everyone"), "{errors:?}");
    }

    #[test]
    fn stored_permissions_follow_schema_changes() {
        let mut bp = service();
        let mut stored = BlueprintPermissions::defaults(&bp);
        stored.entities.update_properties["tier"].roles = vec!["Member".into()];
        bp.schema.properties.shift_remove("version");
        bp.schema.properties.insert(
            "owner".into(),
            PropertySchema::new(PropertyType::String, "Owner"),
        );
        let fitted = BlueprintPermissions::for_blueprint(Some(stored), &bp);
        let keys: Vec<_> = fitted.entities.update_properties.keys().collect();
        assert_eq!(keys, vec!["tier", "owner"]);
        assert_eq!(
            fitted.entities.update_properties["tier"].roles,
            vec!["Member"]
        );
    }

    #[test]
    fn moderator_roles_are_recognised_in_any_case() {
        assert_eq!(moderated_by_role("service-moderator"), Some("service"));
        assert_eq!(moderated_by_role("Services-Moderator"), Some("Services"));
        assert_eq!(moderated_by_role("-moderator"), None);
        assert!(is_role_name("admin") && !is_role_name("Owner"));
    }

    #[test]
    fn page_patch_replaces_lists_present() {
        let mut p = PagePermissions::default();
        p.patch(&json!({"read": {"roles": ["Admin"], "teams": ["platform"]}}))
            .unwrap();
        assert_eq!(p.read.roles, vec!["Admin"]);
        assert_eq!(p.read.teams, vec!["platform"]);
        p.patch(&json!({"read": {"users": ["a@x"]}})).unwrap();
        assert_eq!(p.read.teams, vec!["platform"], "absent keys stay");
        assert!(p.patch(&json!({"read": {"roles": ["Boss"]}})).is_err());
    }
}
