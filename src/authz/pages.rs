//! Pages: who may read a catalog page or dashboard (and see it in the
//! sidebar), and who may change page permissions (permissions.md §4).
//! Reading a page never widens what its entities' blueprint lets one read.

use super::catalog::{holds_role, in_audience};
use super::Decision;
use crate::model::permissions::moderator_role;
use crate::model::{Page, Subject, UserRole};

/// May `subject` read `page`? Admins read every page.
pub fn may_read_page(subject: &Subject, page: &Page) -> Decision {
    let read = &page.permissions.read;
    if subject.role() == Some(UserRole::Admin)
        || in_audience(subject, &read.roles, &read.users, &read.teams)
    {
        Decision {
            allowed: true,
            reason: "the page's read permission includes you".into(),
        }
    } else {
        Decision {
            allowed: false,
            reason: format!(
                "you may not open the page `{}`: an admin has limited it to some roles, people or teams; ask an admin for access",
                page.identifier
            ),
        }
    }
}

/// May `subject` change who may read or write pages and blueprints?
/// Admins only: permissions are the organization's.
pub fn may_change_permissions(subject: &Subject) -> Decision {
    if subject.role() == Some(UserRole::Admin) {
        Decision {
            allowed: true,
            reason: "admins set permissions".into(),
        }
    } else {
        Decision {
            allowed: false,
            reason: "only an admin may change permissions".into(),
        }
    }
}

/// May `subject` change how a catalog page shows its blueprint for
/// everyone: its initial filter and its default view? Admins, and the
/// moderators of the page's blueprint (Port's "page editors").
pub fn may_configure_page(subject: &Subject, page: &Page) -> Decision {
    let moderator = page
        .blueprint
        .as_deref()
        .is_some_and(|bp| holds_role(subject, &moderator_role(bp)));
    if subject.role() == Some(UserRole::Admin) || moderator {
        Decision {
            allowed: true,
            reason: "admins and the blueprint's moderators configure its pages".into(),
        }
    } else {
        Decision {
            allowed: false,
            reason: format!(
                "only an admin or a moderator of `{}` may change the filter or default view of the page `{}`; save a personal view instead",
                page.blueprint.as_deref().unwrap_or("its blueprint"),
                page.identifier
            ),
        }
    }
}

/// May `subject` save personal views? People only: a machine has no one to
/// show them to.
pub fn may_save_views(subject: &Subject) -> Decision {
    match subject {
        Subject::User(_) => Decision {
            allowed: true,
            reason: "people keep their own views".into(),
        },
        _ => Decision {
            allowed: false,
            reason: "only a signed-in person may save views".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PageAudience, PagePermissions, PageType, SignedInUser};

    fn page(read: PageAudience) -> Page {
        Page {
            identifier: "clusters".into(),
            title: "Clusters".into(),
            icon: None,
            kind: PageType::BlueprintEntities,
            blueprint: Some("cluster".into()),
            description: None,
            widgets: vec![],
            permissions: PagePermissions { read, update: None },
            dataset: None,
            view: None,
        }
    }

    fn member(teams: &[&str]) -> Subject {
        Subject::User(SignedInUser {
            email: "m@x.test".into(),
            name: "M".into(),
            role: UserRole::Member,
            teams: teams.iter().map(|s| s.to_string()).collect(),
            moderated_blueprints: vec![],
        })
    }

    #[test]
    fn admins_and_the_blueprints_moderators_configure_a_page() {
        let page = page(PagePermissions::default().read);
        let moderator = |of: &str| match member(&[]) {
            Subject::User(mut u) => {
                u.moderated_blueprints = vec![of.to_string()];
                Subject::User(u)
            }
            other => other,
        };
        assert!(may_configure_page(&moderator("cluster"), &page).allowed);
        let refused = may_configure_page(&moderator("service"), &page);
        assert!(!refused.allowed);
        assert!(
            refused.reason.contains("save a personal view"),
            "{}",
            refused.reason
        );
        assert!(!may_configure_page(&member(&["platform"]), &page).allowed);
        assert!(may_save_views(&member(&[])).allowed);
        assert!(!may_save_views(&Subject::Anonymous).allowed);
    }

    #[test]
    fn pages_are_everyones_until_narrowed_to_teams() {
        let open = page(PagePermissions::default().read);
        assert!(may_read_page(&member(&[]), &open).allowed);
        assert!(!may_read_page(&Subject::Anonymous, &open).allowed);
        let narrowed = page(PageAudience {
            roles: vec!["Admin".into()],
            users: vec![],
            teams: vec!["platform".into()],
        });
        assert!(may_read_page(&member(&["platform"]), &narrowed).allowed);
        let d = may_read_page(&member(&["payments"]), &narrowed);
        assert!(!d.allowed && d.reason.contains("clusters"), "{}", d.reason);
    }
}
