//! Who is acting: a signed-in person, a machine with an access token, or
//! nobody. The server resolves it once per request (`auth::subject`); the
//! UI receives it to show the user menu and to hide what the policy forbids.

use super::user::UserRole;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedInUser {
    pub email: String,
    /// The name to greet them with (their e-mail when the profile has none).
    pub name: String,
    pub role: UserRole,
    pub teams: Vec<String>,
    pub moderated_blueprints: Vec<String>,
}

impl From<super::user::User> for SignedInUser {
    fn from(user: super::user::User) -> Self {
        let name = match user.full_name() {
            n if n.is_empty() => user.email.clone(),
            n => n,
        };
        SignedInUser {
            email: user.email,
            name,
            role: user.role,
            teams: user.teams,
            moderated_blueprints: user.moderated_blueprints,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Subject {
    #[default]
    Anonymous,
    User(SignedInUser),
    #[serde(rename_all = "camelCase")]
    Machine {
        client_id: String,
        role: UserRole,
    },
}

impl Subject {
    /// The name the audit log records: the e-mail, `client:<id>`, or `anonymous`.
    pub fn audit_name(&self) -> String {
        match self {
            Subject::Anonymous => "anonymous".into(),
            Subject::User(u) => u.email.clone(),
            Subject::Machine { client_id, .. } => format!("client:{client_id}"),
        }
    }

    pub fn role(&self) -> Option<UserRole> {
        match self {
            Subject::Anonymous => None,
            Subject::User(u) => Some(u.role),
            Subject::Machine { role, .. } => Some(*role),
        }
    }

    pub fn is_signed_in(&self) -> bool {
        !matches!(self, Subject::Anonymous)
    }

    /// The e-mail and teams that `My Teams` and `user` filters resolve to.
    pub fn email_and_teams(&self) -> (Option<&str>, &[String]) {
        match self {
            Subject::User(u) => (Some(u.email.as_str()), u.teams.as_slice()),
            _ => (None, &[]),
        }
    }
}
