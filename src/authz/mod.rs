//! Who may do what: the one policy that says yes or no.
//!
//! Decisions are pure functions with no I/O (the caller loads what they
//! need) and come with a reason a person can read. Services ask here before
//! every write; nothing else in the code base decides access. Roles, blueprint
//! and page permissions (the Authorization issue) grow from this module.
//!
//! Until sign-in exists, the catalog reads are open to everyone, and writes
//! are allowed to admin machine credentials only.

/// A yes or no, with the reason shown to whoever was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub reason: String,
}

/// Who acts on a write: an authenticated machine with its role, or nobody.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    Machine { client_id: String, role: String },
}

impl Actor {
    /// The name the audit log records.
    pub fn name(&self) -> String {
        match self {
            Actor::Anonymous => "anonymous".into(),
            Actor::Machine { client_id, .. } => format!("client:{client_id}"),
        }
    }
}

/// May `actor` change entities of the catalog?
pub fn may_write_catalog(actor: &Actor) -> Decision {
    match actor {
        Actor::Anonymous => Decision {
            allowed: false,
            reason: "writing to the catalog needs an access token: POST /v1/auth/access_token, then send `Authorization: Bearer <accessToken>`".into(),
        },
        Actor::Machine { role, .. } if role == "Admin" => Decision {
            allowed: true,
            reason: "admin credentials may change the catalog".into(),
        },
        Actor::Machine { client_id, role } => Decision {
            allowed: false,
            reason: format!("client `{client_id}` has role {role}; only Admin credentials may change the catalog for now"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_machines_may_write_for_now() {
        assert!(!may_write_catalog(&Actor::Anonymous).allowed);
        let admin = Actor::Machine {
            client_id: "ci".into(),
            role: "Admin".into(),
        };
        assert!(may_write_catalog(&admin).allowed);
        let member = Actor::Machine {
            client_id: "bot".into(),
            role: "Member".into(),
        };
        let d = may_write_catalog(&member);
        assert!(!d.allowed && d.reason.contains("role Member"));
    }
}
