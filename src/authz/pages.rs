//! Pages: who may read a catalog page or dashboard (and see it in the
//! sidebar), create or configure one (initial filter, default view,
//! deletion), save personal views, and change page permissions
//! (permissions.md §4).
//! Reading a page never widens what its entities' blueprint lets one read.

use super::catalog::{holds_role, in_audience};
use super::Decision;
use crate::model::permissions::moderator_role;
use crate::model::{Page, PagePermissions, PageType, Subject, UserRole};

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

/// Whether `subject` moderates the blueprint a catalog page lists. A
/// dashboard's `blueprint` gives its moderators nothing: a dashboard shows
/// in everyone's sidebar, and only admins make those.
fn moderates_catalog_page(subject: &Subject, page: &Page) -> bool {
    page.kind == PageType::BlueprintEntities
        && page
            .blueprint
            .as_deref()
            .is_some_and(|bp| holds_role(subject, &moderator_role(bp)))
}

/// May `subject` create `page`? Admins any page; a blueprint's moderators
/// a catalog page of their blueprint, visible to everyone (or to whoever
/// sees `copied_from`, the page it was made from). Who sees a page is an
/// admin's decision (permissions.md §4), so only admins create one with
/// permissions of their own.
pub fn may_create_page(
    subject: &Subject,
    page: &Page,
    copied_from: Option<&PagePermissions>,
) -> Decision {
    if subject.role() == Some(UserRole::Admin) {
        return Decision {
            allowed: true,
            reason: "admins create pages".into(),
        };
    }
    if page.kind != PageType::BlueprintEntities {
        return Decision {
            allowed: false,
            reason: "only an admin may create a dashboard: it appears in everyone's sidebar".into(),
        };
    }
    if !moderates_catalog_page(subject, page) {
        return Decision {
            allowed: false,
            reason: format!(
                "only an admin or a moderator of `{}` may create a catalog page of it",
                page.blueprint.as_deref().unwrap_or("its blueprint")
            ),
        };
    }
    let everyone = PagePermissions::default();
    if page.permissions != everyone && Some(&page.permissions) != copied_from {
        return Decision {
            allowed: false,
            reason: "only an admin may set who sees a page: leave out `permissions` (the page is then everyone's) and ask an admin to narrow it".into(),
        };
    }
    Decision {
        allowed: true,
        reason: "a blueprint's moderators create its catalog pages".into(),
    }
}

/// May `subject` change how a catalog page shows its blueprint for
/// everyone (its initial filter and its default view), or delete it?
/// Admins any page, and the moderators of a catalog page's blueprint
/// (Port's "page editors").
pub fn may_configure_page(subject: &Subject, page: &Page) -> Decision {
    let moderator = moderates_catalog_page(subject, page);
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

/// May `subject` change a dashboard's widgets, layout and filters for
/// everyone? Admins, and whoever the page's `update` permission names
/// (Port's "page editors"); a catalog page's moderators configure it
/// through `may_configure_page` instead.
pub fn may_edit_dashboard(subject: &Subject, page: &Page) -> Decision {
    let editor = page
        .permissions
        .update
        .as_ref()
        .is_some_and(|u| in_audience(subject, &u.roles, &u.users, &u.teams));
    if page.kind == PageType::Dashboard && (subject.role() == Some(UserRole::Admin) || editor) {
        Decision {
            allowed: true,
            reason: "admins and the page's editors edit its widgets".into(),
        }
    } else {
        Decision {
            allowed: false,
            reason: format!(
                "only an admin or an editor named in the page's `update` permission may change the dashboard `{}`",
                page.identifier
            ),
        }
    }
}

/// May `subject` make, rename or delete sidebar folders? Admins only: the
/// sidebar is everyone's (permissions.md §4 gives its layout to admins).
pub fn may_arrange_sidebar(subject: &Subject) -> Decision {
    if subject.role() == Some(UserRole::Admin) {
        Decision {
            allowed: true,
            reason: "admins arrange the sidebar".into(),
        }
    } else {
        Decision {
            allowed: false,
            reason: "only an admin may make, rename or delete sidebar folders".into(),
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
    use crate::model::{PageAudience, SignedInUser};

    fn page(read: PageAudience) -> Page {
        Page {
            identifier: "clusters".into(),
            title: "Clusters".into(),
            icon: None,
            kind: PageType::BlueprintEntities,
            blueprint: Some("cluster".into()),
            description: None,
            widgets: vec![],
            layout: vec![],
            page_filters: vec![],
            permissions: PagePermissions { read, update: None },
            dataset: None,
            view: None,
            parent: None,
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
    fn dashboards_are_edited_by_admins_and_the_pages_editors() {
        let mut dashboard = Page {
            kind: PageType::Dashboard,
            ..page(PagePermissions::default().read)
        };
        assert!(!may_edit_dashboard(&member(&["platform"]), &dashboard).allowed);
        dashboard.permissions.update = Some(PageAudience {
            roles: vec![],
            users: vec![],
            teams: vec!["platform".into()],
        });
        assert!(may_edit_dashboard(&member(&["platform"]), &dashboard).allowed);
        let refused = may_edit_dashboard(&member(&["payments"]), &dashboard);
        assert!(
            !refused.allowed && refused.reason.contains("update"),
            "{}",
            refused.reason
        );
        // A catalog page's `update` names nobody who edits widgets.
        let catalog = Page {
            kind: PageType::BlueprintEntities,
            ..dashboard
        };
        assert!(!may_edit_dashboard(&member(&["platform"]), &catalog).allowed);
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

    fn moderator_of(blueprint: &str) -> Subject {
        match member(&[]) {
            Subject::User(mut u) => {
                u.role = UserRole::Moderator;
                u.moderated_blueprints = vec![blueprint.to_string()];
                Subject::User(u)
            }
            other => other,
        }
    }

    #[test]
    fn moderators_create_only_everyones_catalog_pages_of_their_blueprint() {
        let moderator = moderator_of("cluster");
        let catalog = page(PagePermissions::default().read);
        assert!(may_create_page(&moderator, &catalog, None).allowed);
        assert!(!may_create_page(&moderator_of("service"), &catalog, None).allowed);

        // The probe's findings: a dashboard naming the blueprint, and a
        // page created with permissions of its own.
        let dashboard = Page {
            kind: PageType::Dashboard,
            ..catalog.clone()
        };
        let d = may_create_page(&moderator, &dashboard, None);
        assert!(!d.allowed && d.reason.contains("dashboard"), "{}", d.reason);
        assert!(!may_configure_page(&moderator, &dashboard).allowed);
        let narrowed = page(PageAudience {
            roles: vec![],
            users: vec!["m@x.test".into()],
            teams: vec![],
        });
        let d = may_create_page(&moderator, &narrowed, None);
        assert!(!d.allowed && d.reason.contains("who sees"), "{}", d.reason);
        // Copying a narrowed page keeps its audience, which is no new grant.
        assert!(may_create_page(&moderator, &narrowed, Some(&narrowed.permissions)).allowed);

        let admin = match member(&[]) {
            Subject::User(mut u) => {
                u.role = UserRole::Admin;
                Subject::User(u)
            }
            other => other,
        };
        assert!(may_create_page(&admin, &dashboard, None).allowed);
        assert!(may_create_page(&admin, &narrowed, None).allowed);
        assert!(!may_create_page(&member(&["platform"]), &catalog, None).allowed);
    }
}
