//! Who may do what: the one policy that says yes or no.
//!
//! Decisions are pure functions with no I/O (the caller loads what they
//! need) and come with a reason a person can read. Services ask here before
//! every write; nothing else in the code base decides access. Roles, blueprint
//! and page permissions (the Authorization issue) grow from this module.
//!
//! Reads need a signed-in subject (enforced where requests come in);
//! writes are allowed to admins until the Authorization issue lands.

use crate::model::{Subject, Team, TeamProvider, UserRole};

/// A yes or no, with the reason shown to whoever was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub reason: String,
}

/// May `subject` change entities of the catalog? Admins may (people and
/// machines); blueprint and ownership permissions come with the
/// Authorization issue.
pub fn may_write_catalog(subject: &Subject) -> Decision {
    match subject {
        Subject::Anonymous => Decision {
            allowed: false,
            reason: "writing to the catalog needs a signed-in admin or an access token: POST /v1/auth/access_token, then send `Authorization: Bearer <accessToken>`".into(),
        },
        s if s.role() == Some(UserRole::Admin) => Decision {
            allowed: true,
            reason: "admins may change the catalog".into(),
        },
        s => Decision {
            allowed: false,
            reason: format!(
                "{} has role {}; only admins may change the catalog for now",
                s.audit_name(),
                s.role().map(|r| r.as_str()).unwrap_or("none")
            ),
        },
    }
}

/// May `subject` create, change or delete blueprints? Admins only (people
/// and machines): the data model is the whole organization's.
pub fn may_change_data_model(subject: &Subject) -> Decision {
    if subject.role() == Some(UserRole::Admin) {
        Decision {
            allowed: true,
            reason: "admins shape the data model".into(),
        }
    } else {
        Decision {
            allowed: false,
            reason: "only an admin may create, change or delete blueprints".into(),
        }
    }
}

/// May `subject` read the audit log with these filters? Admins read all of
/// it; others one entity's history at a time (entities are readable to
/// everyone signed in until blueprint read permissions land).
pub fn may_read_audit_log(subject: &Subject, one_entity: bool) -> Decision {
    match subject.role() {
        Some(UserRole::Admin) => Decision {
            allowed: true,
            reason: "admins read the whole audit log".into(),
        },
        Some(_) if one_entity => Decision {
            allowed: true,
            reason: "an entity's history is as readable as the entity".into(),
        },
        _ => Decision {
            allowed: false,
            reason: "only admins read the whole audit log; give `entity` and `blueprint` to read one entity's history".into(),
        },
    }
}

/// May `subject` invite people and manage accounts? Admins only.
pub fn may_manage_users(subject: &Subject) -> Decision {
    if subject.role() == Some(UserRole::Admin) {
        Decision {
            allowed: true,
            reason: "admins manage users".into(),
        }
    } else {
        Decision {
            allowed: false,
            reason: "only an admin of the portal may invite people or change accounts".into(),
        }
    }
}

/// May `subject` see, create, rotate or revoke the credentials owned by
/// `owner` (`None`: the organization's machine credentials)? Admins may
/// manage all; a person only their own personal credentials.
pub fn may_manage_credentials_of(subject: &Subject, owner: Option<&str>) -> Decision {
    match (subject, owner) {
        (s, _) if s.role() == Some(UserRole::Admin) => Decision {
            allowed: true,
            reason: "admins manage every credential".into(),
        },
        (Subject::User(u), Some(owner)) if u.email == owner => Decision {
            allowed: true,
            reason: "people manage their own credentials".into(),
        },
        _ => Decision {
            allowed: false,
            reason: match owner {
                Some(owner) => format!("only {owner} or an admin may manage {owner}'s credentials"),
                None => "only an admin may manage the organization's credentials".into(),
            },
        },
    }
}

/// May a team's membership be edited, or the team deleted, in Portolan?
/// Not for a team synced from the identity provider `idp`: its groups are
/// the source of truth, and the next sign-in would undo the edit.
pub fn may_edit_team_membership(team: &Team, idp: &str) -> Decision {
    match team.provider {
        TeamProvider::Native => Decision {
            allowed: true,
            reason: "teams created in Portolan are edited here".into(),
        },
        TeamProvider::Sso => Decision {
            allowed: false,
            reason: format!(
                "team `{}` is synced from {idp}: its members come from the identity provider's groups, so change them there (Portolan updates them at each sign-in); it cannot be deleted here either",
                team.name
            ),
        },
    }
}

/// The error a refused decision becomes: 401 for nobody, 403 for someone.
pub fn require(subject: &Subject, decision: Decision) -> Result<(), crate::model::AppError> {
    match (decision.allowed, subject) {
        (true, _) => Ok(()),
        (false, Subject::Anonymous) => Err(crate::model::AppError::Unauthorized(decision.reason)),
        (false, _) => Err(crate::model::AppError::Forbidden(decision.reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SignedInUser;

    #[test]
    fn only_admins_may_write_for_now() {
        assert!(!may_write_catalog(&Subject::Anonymous).allowed);
        let admin = Subject::Machine {
            client_id: "ci".into(),
            role: UserRole::Admin,
        };
        assert!(may_write_catalog(&admin).allowed);
        let member = Subject::User(SignedInUser {
            email: "m@x".into(),
            name: "M".into(),
            role: UserRole::Member,
            teams: vec![],
            moderated_blueprints: vec![],
        });
        let d = may_write_catalog(&member);
        assert!(
            !d.allowed && d.reason.contains("m@x has role Member"),
            "{}",
            d.reason
        );
    }
}
