//! Users and teams: reading them, editing them (admins; SSO-synced teams'
//! membership is the identity provider's), and inviting people (an Invited
//! account and a one-time link to set a password).

use crate::authz::{may_edit_team_membership, may_manage_users, Decision};
use crate::secret::{hash_secret, random_token, token_hash};
use crate::services::access::require_or_record;

/// `Ok` when allowed; a refusal is recorded in the audit log under the
/// system blueprint of its kind (`_team`, `_user`) and returned.
async fn recorded(
    store: &Store,
    subject: &Subject,
    decision: Decision,
    resource: &'static str,
    action: &'static str,
    identifier: &str,
) -> Result<(), AppError> {
    let blueprint = if resource == "team" { "_team" } else { "_user" };
    require_or_record(
        store,
        subject,
        decision,
        resource,
        action,
        Some(blueprint),
        Some(identifier),
    )
    .await
}
use crate::model::directory::{team_catalog_href, RoleNames, TeamEntities};
use crate::model::identifier::validate_team_name;
use crate::model::{
    AppError, Invitation, PageType, Subject, Team, TeamProvider, User, UserRole, UserStatus,
    UsersAndTeams,
};
use crate::store::{NewInvitation, Store, TeamChange, UserChange};

/// An invitation link works this long (spec: 7 days).
pub const INVITATION_SECONDS: i64 = 7 * 24 * 3600;

pub async fn users_and_teams(store: &Store, idp: &str) -> Result<UsersAndTeams, AppError> {
    Ok(UsersAndTeams {
        users: store.list_users().await?,
        teams: store.list_teams().await?,
        identity_provider: idp.to_string(),
        owned: Vec::new(),
        blueprints: Vec::new(),
    })
}

/// What each team owns, counted per blueprint whose catalog page `subject`
/// may read, each count linking to that page filtered by the team.
pub async fn team_ownership(
    store: &Store,
    subject: &Subject,
) -> Result<Vec<TeamEntities>, AppError> {
    let pages = crate::services::pages::readable_pages(store, subject).await?;
    let catalog_page = |blueprint: &str| {
        pages.iter().find(|p| {
            p.kind == PageType::BlueprintEntities && p.blueprint.as_deref() == Some(blueprint)
        })
    };
    Ok(store
        .team_entity_counts()
        .await?
        .into_iter()
        .filter_map(|(team, blueprint, count)| {
            let page = catalog_page(&blueprint)?;
            Some(TeamEntities {
                href: team_catalog_href(&page.identifier, &team),
                title: page.title.clone(),
                team,
                count,
            })
        })
        .collect())
}

pub async fn list_users(store: &Store) -> Result<Vec<User>, AppError> {
    Ok(store.list_users().await?)
}

pub async fn get_user(store: &Store, email: &str) -> Result<User, AppError> {
    store
        .get_user(&crate::model::user::normalize_email(email))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user `{email}` not found")))
}

pub async fn get_team(store: &Store, name: &str) -> Result<Team, AppError> {
    store
        .get_team(name)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("team `{name}` not found")))
}

/// A team as an admin writes it: POST and PUT (all fields) or PATCH
/// (`None` = unchanged).
#[derive(Clone, Debug, Default)]
pub struct TeamInput {
    /// A new name (PATCH and PUT; the path names the team).
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub users: Option<Vec<String>>,
}

/// Normalises member e-mails and checks that each is a user (422 naming
/// the unknown ones).
async fn known_users(store: &Store, users: &[String]) -> Result<Vec<String>, AppError> {
    let mut emails: Vec<String> = users
        .iter()
        .map(|e| crate::model::user::normalize_email(e))
        .collect();
    emails.sort();
    emails.dedup();
    let existing = store.existing_users(&emails).await?;
    let unknown: Vec<&String> = emails.iter().filter(|e| !existing.contains(e)).collect();
    if !unknown.is_empty() {
        return Err(AppError::Invalid(format!(
            "users: no user with e-mail {}",
            unknown
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(emails)
}

/// Creates a team made in Portolan (`provider: Port`).
pub async fn create_team(
    store: &Store,
    subject: &Subject,
    name: &str,
    input: TeamInput,
) -> Result<Team, AppError> {
    recorded(
        store,
        subject,
        may_manage_users(subject),
        "team",
        "CREATE",
        name,
    )
    .await?;
    validate_team_name(name).map_err(|m| AppError::Invalid(format!("name: {m}")))?;
    let users = known_users(store, &input.users.unwrap_or_default()).await?;
    let now = chrono::Utc::now();
    let team = Team {
        name: name.to_string(),
        description: input.description.flatten().filter(|d| !d.trim().is_empty()),
        provider: TeamProvider::Native,
        users,
        created_at: now,
        updated_at: now,
    };
    store
        .create_team(&team, Some(&subject.audit_name()))
        .await?;
    Ok(team)
}

/// Changes a team's description and, for teams made in Portolan, its
/// members. A team synced from SSO refuses member changes (403 naming
/// `idp`); writing its current members back is not a change.
pub async fn change_team(
    store: &Store,
    subject: &Subject,
    name: &str,
    input: TeamInput,
    idp: &str,
) -> Result<Team, AppError> {
    recorded(
        store,
        subject,
        may_manage_users(subject),
        "team",
        "UPDATE",
        name,
    )
    .await?;
    let team = get_team(store, name).await?;
    let users = match &input.users {
        Some(users) => Some(known_users(store, users).await?),
        None => None,
    };
    if users.as_ref().is_some_and(|u| *u != team.users) {
        recorded(
            store,
            subject,
            may_edit_team_membership(&team, idp),
            "team",
            "UPDATE",
            name,
        )
        .await?;
    }
    let name = match input.name.as_deref().map(str::trim) {
        Some(new) if new != team.name => {
            validate_team_name(new).map_err(|m| AppError::Invalid(format!("name: {m}")))?;
            recorded(
                store,
                subject,
                may_edit_team_membership(&team, idp),
                "team",
                "UPDATE",
                name,
            )
            .await?;
            Some(new.to_string())
        }
        _ => None,
    };
    let change = TeamChange {
        name,
        description: input
            .description
            .map(|d| d.filter(|d| !d.trim().is_empty())),
        users,
    };
    Ok(store
        .change_team(&team, &change, &subject.audit_name())
        .await?)
}

/// Deletes a team made in Portolan that owns no entity (409 says how many
/// it owns, so nothing loses its owner silently).
pub async fn delete_team(
    store: &Store,
    subject: &Subject,
    name: &str,
    idp: &str,
) -> Result<(), AppError> {
    recorded(
        store,
        subject,
        may_manage_users(subject),
        "team",
        "DELETE",
        name,
    )
    .await?;
    let team = get_team(store, name).await?;
    recorded(
        store,
        subject,
        may_edit_team_membership(&team, idp),
        "team",
        "DELETE",
        name,
    )
    .await?;
    let owned = store.count_team_entities(name).await?;
    if owned > 0 {
        return Err(AppError::Conflict(format!(
            "team `{name}` owns {owned} entit{}; give {} another team before deleting it",
            if owned == 1 { "y" } else { "ies" },
            if owned == 1 { "it" } else { "them" },
        )));
    }
    store.delete_team(&team, &subject.audit_name()).await?;
    Ok(())
}

/// An admin's edit of a user: Port's role strings (`Admin`, `Member`,
/// `<blueprint>-moderator`), the complete team list, and the status
/// (`Active` or `Disabled`). `None` leaves a field alone.
#[derive(Clone, Debug, Default)]
pub struct UserEdit {
    pub roles: Option<Vec<String>>,
    pub teams: Option<Vec<String>>,
    pub status: Option<String>,
}

/// Turns Port's role strings into a role and moderated blueprints, each
/// of which must exist (the same reading for the API, the users tab and
/// invitations).
async fn parse_roles(store: &Store, roles: &[String]) -> Result<(UserRole, Vec<String>), AppError> {
    let names = RoleNames::parse(roles).map_err(AppError::Invalid)?;
    let known = store.existing_blueprints(&names.moderated).await?;
    if let Some(missing) = names.moderated.iter().find(|bp| !known.contains(bp)) {
        return Err(AppError::Invalid(format!(
            "roles: `{missing}-moderator` names blueprint `{missing}`, which does not exist"
        )));
    }
    Ok((names.role(), names.moderated))
}

/// Refuses an edit that would leave the portal without an active admin.
async fn keep_an_admin(store: &Store, before: &User, after_is_admin: bool) -> Result<(), AppError> {
    let was_admin = before.role == UserRole::Admin && before.status == UserStatus::Active;
    if was_admin && !after_is_admin && store.count_active_admins().await? <= 1 {
        return Err(AppError::Conflict(format!(
            "{} is the only active admin; make someone else an admin first",
            before.email
        )));
    }
    Ok(())
}

/// Applies an admin's edit to a user. Membership of SSO-synced teams cannot
/// change here (403 naming `idp`); a disabled user's sessions and personal
/// tokens stop working at their next request.
pub async fn change_user(
    store: &Store,
    subject: &Subject,
    email: &str,
    edit: UserEdit,
    idp: &str,
) -> Result<User, AppError> {
    recorded(
        store,
        subject,
        may_manage_users(subject),
        "user",
        "UPDATE",
        email,
    )
    .await?;
    let user = get_user(store, email).await?;
    let mut change = UserChange::default();
    if let Some(roles) = &edit.roles {
        let (role, moderated) = parse_roles(store, roles).await?;
        change.role = Some(role);
        change.moderated_blueprints = Some(moderated);
    }
    if let Some(status) = &edit.status {
        change.status = Some(match UserStatus::parse(status) {
            Some(s @ (UserStatus::Active | UserStatus::Disabled)) => s,
            _ => {
                return Err(AppError::Invalid(format!(
                    "status: `{status}` cannot be set; use `Active` or `Disabled`"
                )))
            }
        });
        if change.status == Some(UserStatus::Disabled) && subject.audit_name() == user.email {
            return Err(AppError::Conflict(
                "you cannot disable your own account".into(),
            ));
        }
    }
    if let Some(teams) = &edit.teams {
        change.teams = Some(user_teams(store, subject, &user, teams, idp).await?);
    }
    let after_is_admin = change.role.unwrap_or(user.role) == UserRole::Admin
        && change.status.unwrap_or(user.status) == UserStatus::Active;
    keep_an_admin(store, &user, after_is_admin).await?;
    Ok(store
        .change_user(&user, &change, &subject.audit_name())
        .await?)
}

/// Makes someone an admin or a member (the users tab), keeping the
/// blueprints they moderate.
pub async fn set_role(
    store: &Store,
    subject: &Subject,
    email: &str,
    role: &str,
    idp: &str,
) -> Result<User, AppError> {
    let user = get_user(store, email).await?;
    let mut roles = vec![role.to_string()];
    roles.extend(
        user.moderated_blueprints
            .iter()
            .map(|bp| crate::model::permissions::moderator_role(bp)),
    );
    let edit = UserEdit {
        roles: Some(roles),
        ..UserEdit::default()
    };
    change_user(store, subject, email, edit, idp).await
}

/// Adds (`member`) or removes one member of a team made in Portolan (the
/// teams tab). The store changes that one membership, so two admins adding
/// different people at once both land.
pub async fn set_team_member(
    store: &Store,
    subject: &Subject,
    team: &str,
    email: &str,
    member: bool,
    idp: &str,
) -> Result<Team, AppError> {
    recorded(
        store,
        subject,
        may_manage_users(subject),
        "team",
        "UPDATE",
        team,
    )
    .await?;
    let current = get_team(store, team).await?;
    recorded(
        store,
        subject,
        may_edit_team_membership(&current, idp),
        "team",
        "UPDATE",
        team,
    )
    .await?;
    let email = match member {
        true => known_users(store, &[email.to_string()]).await?.remove(0),
        false => crate::model::user::normalize_email(email),
    };
    store
        .set_membership(team, &email, member, &subject.audit_name())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("team `{team}` not found")))
}

/// Checks a user's new team list: every team exists, and SSO-synced teams
/// are neither joined nor left here.
async fn user_teams(
    store: &Store,
    subject: &Subject,
    user: &User,
    teams: &[String],
    idp: &str,
) -> Result<Vec<String>, AppError> {
    let mut wanted = teams.to_vec();
    wanted.sort();
    wanted.dedup();
    let all = store.list_teams().await?;
    if let Some(unknown) = wanted
        .iter()
        .find(|t| !all.iter().any(|team| &team.name == *t))
    {
        return Err(AppError::Invalid(format!(
            "teams: no team named `{unknown}`"
        )));
    }
    for team in &all {
        let had = user.teams.contains(&team.name);
        let has = wanted.contains(&team.name);
        if had != has {
            recorded(
                store,
                subject,
                may_edit_team_membership(team, idp),
                "user",
                "UPDATE",
                &user.email,
            )
            .await?;
        }
    }
    Ok(wanted)
}

/// Deletes a user (not oneself, not the last admin).
pub async fn delete_user(store: &Store, subject: &Subject, email: &str) -> Result<(), AppError> {
    recorded(
        store,
        subject,
        may_manage_users(subject),
        "user",
        "DELETE",
        email,
    )
    .await?;
    let user = get_user(store, email).await?;
    if subject.audit_name() == user.email {
        return Err(AppError::Conflict(
            "you cannot delete your own account".into(),
        ));
    }
    keep_an_admin(store, &user, false).await?;
    store.delete_user(&user, &subject.audit_name()).await?;
    Ok(())
}

/// Invites `email` with Port's role strings and teams (read as a user
/// edit reads them); answers the one-time link, which is shown to the
/// inviting admin only (it is stored as a hash).
pub async fn invite(
    store: &Store,
    subject: &Subject,
    email: &str,
    roles: &[String],
    teams: &[String],
    idp: &str,
) -> Result<Invitation, AppError> {
    recorded(
        store,
        subject,
        may_manage_users(subject),
        "user",
        "CREATE",
        email,
    )
    .await?;
    let email = crate::model::user::normalize_email(email);
    if !crate::model::validate::looks_like_email(&email) {
        return Err(AppError::Invalid(format!(
            "email: `{email}` is not an e-mail address"
        )));
    }
    let roles = match roles.is_empty() {
        true => vec!["Member".to_string()],
        false => roles.to_vec(),
    };
    let (role, moderated) = parse_roles(store, &roles).await?;
    let invitee = User {
        email: email.clone(),
        first_name: String::new(),
        last_name: String::new(),
        picture: None,
        role,
        moderated_blueprints: moderated.clone(),
        status: UserStatus::Invited,
        teams: Vec::new(),
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
        last_login_at: None,
    };
    let teams = user_teams(store, subject, &invitee, teams, idp).await?;
    let token = random_token();
    let expires_at = chrono::Utc::now().timestamp() + INVITATION_SECONDS;
    store
        .invite(&NewInvitation {
            email: &email,
            role,
            moderated_blueprints: &moderated,
            teams: &teams,
            token_hash: &token_hash(&token),
            invited_by: &subject.audit_name(),
            expires_at,
        })
        .await?;
    Ok(Invitation {
        email,
        link: format!("/invite/{token}"),
        expires_at: chrono::DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
    })
}

/// The e-mail an invitation link is for, or 404 when it cannot be used.
pub async fn invitation_email(store: &Store, token: &str) -> Result<String, AppError> {
    store
        .invitation_email(&token_hash(token), chrono::Utc::now().timestamp())
        .await?
        .ok_or_else(unusable)
}

fn unusable() -> AppError {
    AppError::NotFound(
        "This invitation link is not valid: it was already used, has expired (links last 7 days), or never existed. Ask an admin for a new one."
            .into(),
    )
}

/// Uses an invitation: checks the new password, stores it and activates
/// the account. Answers the e-mail, to sign the person in.
pub async fn accept_invitation(
    store: &Store,
    token: &str,
    first_name: &str,
    last_name: &str,
    password: &str,
    confirm: &str,
) -> Result<String, AppError> {
    if password != confirm {
        return Err(AppError::Invalid("The two passwords differ.".into()));
    }
    let email = invitation_email(store, token).await?;
    let personal = [email.as_str(), first_name.trim(), last_name.trim()];
    if let Some(problem) = crate::secret::strength::password_problem(password, &personal) {
        return Err(AppError::Invalid(problem));
    }
    store
        .accept_invitation(
            &token_hash(token),
            &hash_secret(password)?,
            first_name.trim(),
            last_name.trim(),
            chrono::Utc::now().timestamp(),
        )
        .await?
        .ok_or_else(unusable)
}
