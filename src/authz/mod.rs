//! Who may do what: the one policy that says yes or no.
//!
//! Decisions are pure functions with no I/O (the caller loads what they
//! need) and come with a reason a person can read. Services, server
//! functions and pages ask here before every read and write; nothing else
//! decides access.
//!
//! Reads need a signed-in subject (enforced where requests come in).
//! Entities follow their blueprint's permissions (`catalog`), pages their
//! page permissions (`pages`); the rest of this file covers the data
//! model, users, credentials and the audit log.

pub mod catalog;
pub mod pages;

pub use catalog::{
    entity_abilities, entity_read_scope, may_create_some, may_register, may_unregister, may_update,
    ReadScope,
};
pub use pages::{
    may_arrange_sidebar, may_change_permissions, may_configure_page, may_create_page,
    may_edit_dashboard, may_read_page, may_save_views,
};

use crate::model::{Subject, Team, TeamProvider, UserRole};

/// A yes or no, with the reason shown to whoever was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub reason: String,
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
/// it; others one entity's history at a time, if they may read that entity
/// (checked by the caller), and of refusals only their own (`audit_scope`).
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

/// How much of the audit log a reader sees, once `may_read_audit_log`
/// let them in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditScope {
    /// Admins: every row, refusals included.
    Everything,
    /// Everyone else: the history of entities (whose readability the
    /// caller checks), and of refused attempts only their own. Blueprint,
    /// permission, page, user, team and credential rows are the
    /// organization's, so admins'.
    EntityHistory { own_refusals_of: String },
}

pub fn audit_scope(subject: &Subject) -> AuditScope {
    if subject.role() == Some(UserRole::Admin) {
        AuditScope::Everything
    } else {
        AuditScope::EntityHistory {
            own_refusals_of: subject.audit_name(),
        }
    }
}

/// May `subject` write to the catalog at all? Anyone signed in, a person
/// or a token; what they may write is each blueprint's permissions'.
pub fn may_write_catalog(subject: &Subject) -> Decision {
    if subject.is_signed_in() {
        Decision {
            allowed: true,
            reason: "signed-in subjects write what blueprint permissions allow".into(),
        }
    } else {
        Decision {
            allowed: false,
            reason: "writing to the catalog needs a signed-in user or an access token: POST /v1/auth/access_token, then send `Authorization: Bearer <accessToken>`".into(),
        }
    }
}

/// Which teams `subject` may give an entity in a form: admins any team,
/// everyone else only their own (`ownedByTeam` then admits them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamChoice {
    Any,
    Own(Vec<String>),
}

pub fn assignable_teams(subject: &Subject) -> TeamChoice {
    if subject.role() == Some(UserRole::Admin) {
        TeamChoice::Any
    } else {
        TeamChoice::Own(subject.email_and_teams().1.to_vec())
    }
}

/// May `subject` hold personal API credentials (and open the credentials
/// page)? People only: a token cannot mint tokens for itself.
pub fn may_hold_personal_credentials(subject: &Subject) -> Decision {
    match subject {
        Subject::User(_) => Decision {
            allowed: true,
            reason: "people hold personal credentials".into(),
        },
        _ => Decision {
            allowed: false,
            reason: "only people signed in to the portal have personal credentials".into(),
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

/// May a team's membership be edited, or the team renamed or deleted, in
/// Portolan?
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
                "team `{}` is synced from {idp}: its members come from the identity provider's groups, so change them there (Portolan updates them at each sign-in); it cannot be renamed or deleted here either",
                team.name
            ),
        },
    }
}

/// The error a refused decision becomes: 401 for nobody, 403 for someone.
pub fn refusal(subject: &Subject, decision: Decision) -> crate::model::AppError {
    match subject {
        Subject::Anonymous => crate::model::AppError::Unauthorized(decision.reason),
        _ => crate::model::AppError::Forbidden(decision.reason),
    }
}

/// `Ok` when the decision allows, else its `refusal`.
pub fn require(subject: &Subject, decision: Decision) -> Result<(), crate::model::AppError> {
    if decision.allowed {
        Ok(())
    } else {
        Err(refusal(subject, decision))
    }
}

/// May `subject` read the history of an entity that no longer exists?
/// Only who may read every entity of its blueprint: whether a deleted
/// entity was one of theirs can no longer be told.
pub fn may_read_deleted_history(blueprint: &str, identifier: &str, scope: &ReadScope) -> Decision {
    if *scope == ReadScope::All {
        Decision {
            allowed: true,
            reason: "you may read every entity of its blueprint".into(),
        }
    } else {
        Decision {
            allowed: false,
            reason: format!(
                "you may not read the history of `{identifier}`: it no longer exists, and blueprint `{blueprint}` lets you read only some of its entities"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_401_for_nobody_and_403_for_someone() {
        let no = Decision {
            allowed: false,
            reason: "why".into(),
        };
        let machine = Subject::Machine {
            client_id: "ci".into(),
            role: UserRole::Member,
        };
        assert!(matches!(
            require(&Subject::Anonymous, no.clone()),
            Err(crate::model::AppError::Unauthorized(_))
        ));
        assert!(matches!(
            require(&machine, no),
            Err(crate::model::AppError::Forbidden(m)) if m == "why"
        ));
    }
}
