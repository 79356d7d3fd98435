//! Users and teams (data-model.md §4, permissions.md §1).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Role strings exactly as on the wire: `Admin`, `Moderator`, `Member`.
/// Which blueprints a moderator moderates is kept beside the role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum UserRole {
    Member,
    Moderator,
    Admin,
}

impl UserRole {
    pub fn as_str(&self) -> &'static str {
        match self {
            UserRole::Admin => "Admin",
            UserRole::Moderator => "Moderator",
            UserRole::Member => "Member",
        }
    }

    /// A form's role choice: `Admin` or `Member` (moderation is given per
    /// blueprint, not picked here).
    pub fn admin_or_member(value: &str) -> Result<Self, super::AppError> {
        match value {
            "Admin" => Ok(UserRole::Admin),
            "Member" => Ok(UserRole::Member),
            other => Err(super::AppError::Invalid(format!(
                "role: must be Admin or Member, not `{other}`"
            ))),
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "Admin" => Some(UserRole::Admin),
            "Moderator" => Some(UserRole::Moderator),
            "Member" => Some(UserRole::Member),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Staged,
    Invited,
    Active,
    Disabled,
}

impl UserStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            UserStatus::Staged => "Staged",
            UserStatus::Invited => "Invited",
            UserStatus::Active => "Active",
            UserStatus::Disabled => "Disabled",
        }
    }

    /// Accepts the entity form (`Active`) and the payload form (`ACTIVE`):
    /// Port's sources disagree, so both are read.
    pub fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "staged" => Some(UserStatus::Staged),
            "invited" => Some(UserStatus::Invited),
            "active" => Some(UserStatus::Active),
            "disabled" => Some(UserStatus::Disabled),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub picture: Option<String>,
    pub role: UserRole,
    /// Blueprints this user moderates (`<blueprint>-moderator` roles).
    #[serde(default)]
    pub moderated_blueprints: Vec<String>,
    pub status: UserStatus,
    #[serde(default)]
    pub teams: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub last_login_at: Option<DateTime<Utc>>,
}

impl User {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }

    /// Port's role strings: `Admin`, `Member`, and one `<bp>-moderator` each.
    pub fn role_names(&self) -> Vec<String> {
        let mut roles = vec![match self.role {
            UserRole::Admin => "Admin".to_string(),
            _ => "Member".to_string(),
        }];
        roles.extend(
            self.moderated_blueprints
                .iter()
                .map(|bp| format!("{bp}-moderator")),
        );
        roles
    }
}

/// Where a team comes from: created in Portolan, or synced from the SSO
/// provider's groups (then its membership is read-only).
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TeamProvider {
    #[serde(rename = "Port")]
    Native,
    #[serde(rename = "SSO")]
    Sso,
}

impl TeamProvider {
    pub fn as_str(&self) -> &'static str {
        match self {
            TeamProvider::Native => "Port",
            TeamProvider::Sso => "SSO",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "Port" => Some(TeamProvider::Native),
            "SSO" => Some(TeamProvider::Sso),
            _ => None,
        }
    }
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub provider: TeamProvider,
    /// Member e-mails.
    #[serde(default)]
    pub users: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A fresh invitation, as shown once to the admin who made it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub email: String,
    /// The path of the one-time link (`/invite/<token>`).
    pub link: String,
    pub expires_at: DateTime<Utc>,
}

/// E-mails are compared in lower case; the store keeps them that way.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_accepts_both_spellings() {
        assert_eq!(UserStatus::parse("ACTIVE"), Some(UserStatus::Active));
        assert_eq!(UserStatus::parse("Active"), Some(UserStatus::Active));
        assert_eq!(UserStatus::parse("gone"), None);
    }

    #[test]
    fn moderators_get_one_role_string_per_blueprint() {
        let user = User {
            email: "m@x".into(),
            first_name: "M".into(),
            last_name: "X".into(),
            picture: None,
            role: UserRole::Moderator,
            moderated_blueprints: vec!["service".into()],
            status: UserStatus::Active,
            teams: vec![],
            created_at: Utc::now(),
            updated_at: Utc::now(),
            last_login_at: None,
        };
        assert_eq!(user.role_names(), vec!["Member", "service-moderator"]);
    }
}
