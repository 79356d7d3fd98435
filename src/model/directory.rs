//! The people directory's rules that the UI, the API and the store share:
//! Port's role strings, the users tab's filter, and what renaming a team
//! changes in the documents that name it.

use super::user::{User, UserRole, UserStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Port's role strings read: `Admin`, `Member` and `<blueprint>-moderator`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleNames {
    pub admin: bool,
    /// Blueprint identifiers, sorted, without repeats.
    pub moderated: Vec<String>,
}

impl RoleNames {
    /// Reads role strings; whether each moderated blueprint exists is the
    /// caller's check (it needs the store). At least one role is required,
    /// as Port's `PATCH /v1/users/{email}` requires.
    pub fn parse(roles: &[String]) -> Result<RoleNames, String> {
        if roles.is_empty() {
            return Err(
                "roles: give at least one role (`Admin`, `Member` or `<blueprint>-moderator`)"
                    .into(),
            );
        }
        let mut parsed = RoleNames::default();
        for role in roles {
            match role.trim() {
                "Admin" => parsed.admin = true,
                "Member" => {}
                other => match other.strip_suffix("-moderator") {
                    Some(bp) if !bp.is_empty() => parsed.moderated.push(bp.to_string()),
                    _ => {
                        return Err(format!(
                            "roles: unknown role `{other}`; roles are `Admin`, `Member` and `<blueprint>-moderator`"
                        ))
                    }
                },
            }
        }
        parsed.moderated.sort();
        parsed.moderated.dedup();
        Ok(parsed)
    }

    /// The stored role these names make.
    pub fn role(&self) -> UserRole {
        match (self.admin, self.moderated.is_empty()) {
            (true, _) => UserRole::Admin,
            (false, false) => UserRole::Moderator,
            (false, true) => UserRole::Member,
        }
    }

    /// The role strings of a form's choice: `Admin` or `Member`, plus one
    /// moderator role per ticked blueprint.
    pub fn of_choice(role: &str, moderated: &[String]) -> Vec<String> {
        std::iter::once(role.trim().to_string())
            .chain(moderated.iter().map(|bp| format!("{bp}-moderator")))
            .collect()
    }
}

/// The users tab's filter, from its GET form (`q`, `role`, `team`,
/// `status`); empty fields filter nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFilter {
    /// Part of a name or an e-mail, any case.
    #[serde(default)]
    pub q: String,
    /// `Admin`, `Member` (no admin rights) or `Moderator` (of anything).
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub team: String,
    /// `Active`, `Invited`, `Disabled` or `Staged`.
    #[serde(default)]
    pub status: String,
}

impl UserFilter {
    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.role.is_empty()
            && self.team.is_empty()
            && self.status.is_empty()
    }

    pub fn matches(&self, user: &User) -> bool {
        let q = self.q.trim().to_lowercase();
        let text = q.is_empty()
            || user.email.to_lowercase().contains(&q)
            || user.full_name().to_lowercase().contains(&q);
        let role = match self.role.as_str() {
            "" => true,
            "Admin" => user.role == UserRole::Admin,
            "Member" => user.role != UserRole::Admin,
            "Moderator" => !user.moderated_blueprints.is_empty(),
            _ => false,
        };
        let team = self.team.is_empty() || user.teams.contains(&self.team);
        let status = self.status.is_empty() || UserStatus::parse(&self.status) == Some(user.status);
        text && role && team && status
    }
}

/// How many entities a team owns of one blueprint, and the catalog page
/// that lists them (filtered by the team).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamEntities {
    pub team: String,
    pub count: i64,
    /// The catalog page's title (`Services`).
    pub title: String,
    pub href: String,
}

/// The catalog page `page` filtered to the entities `team` owns.
pub fn team_catalog_href(page: &str, team: &str) -> String {
    let filter = serde_json::json!({
        "combinator": "and",
        "rules": [{"property": "$team", "operator": "containsAny", "value": [team]}],
    });
    format!(
        "/catalog/{page}?filter={}",
        super::url::encode_component(&filter.to_string())
    )
}

/// Renames team `from` to `to` wherever a stored document names it: every
/// `teams` list of strings (permission grants, an entity's own teams) and
/// the value of every query rule on `$team` (page filters, saved views,
/// read policies, widget datasets). Answers whether anything changed.
pub fn rename_team_in(document: &mut Value, from: &str, to: &str) -> bool {
    let rename = |v: &mut Value| match v {
        Value::String(s) if s == from => {
            *s = to.to_string();
            true
        }
        _ => false,
    };
    match document {
        Value::Array(items) => items.iter_mut().fold(false, |changed, item| {
            rename_team_in(item, from, to) | changed
        }),
        Value::Object(map) => {
            let mut changed = false;
            if map.get("property").and_then(Value::as_str) == Some("$team") {
                match map.get_mut("value") {
                    Some(Value::Array(values)) => {
                        changed |= values.iter_mut().fold(false, |c, v| rename(v) | c)
                    }
                    Some(value) => changed |= rename(value),
                    None => {}
                }
            }
            for (key, value) in map.iter_mut() {
                changed |= match (key.as_str(), &mut *value) {
                    ("teams", Value::Array(names)) => {
                        names.iter_mut().fold(false, |c, v| rename(v) | c)
                    }
                    ("value", _) => false,
                    _ => rename_team_in(value, from, to),
                };
            }
            changed
        }
        _ => false,
    }
}

/// Renames `from` in a plain list of team names (an entity's `team`).
pub fn rename_in_list(teams: &mut [String], from: &str, to: &str) -> bool {
    let mut changed = false;
    for team in teams.iter_mut().filter(|t| *t == from) {
        *team = to.to_string();
        changed = true;
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(roles: &[&str]) -> Vec<String> {
        roles.iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn role_strings_read_as_port_writes_them() {
        let r =
            RoleNames::parse(&names(&["Member", "service-moderator", "env-moderator"])).unwrap();
        assert_eq!(r.moderated, vec!["env", "service"]);
        assert_eq!(r.role(), UserRole::Moderator);
        assert_eq!(
            RoleNames::parse(&names(&["Admin"])).unwrap().role(),
            UserRole::Admin
        );
        assert_eq!(
            RoleNames::parse(&names(&["Member"])).unwrap().role(),
            UserRole::Member
        );
        let e = RoleNames::parse(&names(&["Owner"])).unwrap_err();
        assert!(e.contains("unknown role `Owner`"), "{e}");
        assert!(RoleNames::parse(&[]).unwrap_err().contains("at least one"));
        assert!(RoleNames::parse(&names(&["-moderator"])).is_err());
        assert_eq!(
            RoleNames::of_choice("Member", &names(&["service"])),
            names(&["Member", "service-moderator"])
        );
    }

    #[test]
    fn a_rename_reaches_grants_and_team_rules_only() {
        let mut doc = json!({
            "entities": {"update": {"roles": ["Admin"], "users": ["payments@x.io"], "teams": ["payments", "core"]}},
            "policy": {"combinator": "and", "rules": [
                {"property": "$team", "operator": "containsAny", "value": ["payments"]},
                {"property": "tier", "operator": "=", "value": "payments"},
                {"property": "$team", "operator": "=", "value": "payments"}
            ]}
        });
        assert!(rename_team_in(&mut doc, "payments", "billing"));
        assert_eq!(
            doc["entities"]["update"]["teams"],
            json!(["billing", "core"])
        );
        assert_eq!(doc["entities"]["update"]["users"], json!(["payments@x.io"]));
        assert_eq!(doc["policy"]["rules"][0]["value"], json!(["billing"]));
        assert_eq!(
            doc["policy"]["rules"][1]["value"],
            json!("payments"),
            "not a $team rule"
        );
        assert_eq!(doc["policy"]["rules"][2]["value"], json!("billing"));
        assert!(
            !rename_team_in(&mut doc, "payments", "billing"),
            "nothing left to rename"
        );
    }

    #[test]
    fn the_users_filter_combines_its_fields() {
        let user: User = serde_json::from_value(json!({
            "email": "mia@example.com", "firstName": "Mia", "lastName": "Wong",
            "role": "Moderator", "moderatedBlueprints": ["service"], "status": "Active",
            "teams": ["payments"], "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"
        }))
        .unwrap();
        let f = |q: &str, role: &str, team: &str, status: &str| UserFilter {
            q: q.into(),
            role: role.into(),
            team: team.into(),
            status: status.into(),
        };
        assert!(f("", "", "", "").matches(&user));
        assert!(f("WONG", "Moderator", "payments", "Active").matches(&user));
        assert!(f("", "Member", "", "").matches(&user));
        assert!(!f("", "Admin", "", "").matches(&user));
        assert!(!f("", "", "platform", "").matches(&user));
        assert!(!f("", "", "", "Invited").matches(&user));
        assert!(!f("zed", "", "", "").matches(&user));
    }
}
