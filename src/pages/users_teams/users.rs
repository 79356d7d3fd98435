//! The users tab: a filter (name or e-mail, role, team, status) and the
//! table, with an admin's controls on each row: the role (asked first),
//! the blueprints they moderate and their teams, enabling, deleting.

use super::choices::{BlueprintChoices, TeamChoices};
use super::AdminActions;
use crate::components::badge::{Badge, TeamChip};
use crate::model::directory::UserFilter;
use crate::model::{AppError, User, UserRole, UserStatus, UsersAndTeams};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Makes someone an admin or a member, keeping the blueprints they moderate.
#[server(endpoint = "set_user_role", output = crate::model::json_codec::Json)]
pub async fn set_user_role(email: String, role: String) -> Result<User, AppError> {
    let idp = crate::pages::context::auth()?.idp_name();
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    let user = crate::services::directory::set_role(&store, &subject, &email, &role, &idp).await?;
    // Confirmed before hydration: back to the list, changed.
    crate::pages::context::redirect_plain_form_to("/users-teams");
    Ok(user)
}

/// Sets a user's role, the blueprints they moderate and their teams at
/// once, as `PATCH /v1/users/{email}` with `roles` and `teams` would.
#[server(endpoint = "edit_user", output = crate::model::json_codec::Json)]
pub async fn edit_user(
    email: String,
    role: String,
    #[server(default)] moderates: BTreeMap<String, String>,
    #[server(default)] teams: BTreeMap<String, String>,
    #[server(default)] teams_offered: bool,
) -> Result<User, AppError> {
    use crate::services::directory::{self, UserEdit};
    let idp = crate::pages::context::auth()?.idp_name();
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    let moderated: Vec<String> = moderates.into_keys().collect();
    let edit = UserEdit {
        roles: Some(crate::model::directory::RoleNames::of_choice(
            &role, &moderated,
        )),
        // Without the team boxes (an old form), the teams stay.
        teams: teams_offered.then(|| teams.into_keys().collect()),
        status: None,
    };
    let user = directory::change_user(&store, &subject, &email, edit, &idp).await?;
    crate::pages::context::redirect_plain_form_to("/users-teams");
    Ok(user)
}

/// Disables or re-enables an account (`Disabled` / `Active`).
#[server(endpoint = "set_user_status", output = crate::model::json_codec::Json)]
pub async fn set_user_status(email: String, status: String) -> Result<User, AppError> {
    use crate::services::directory::{self, UserEdit};
    let idp = crate::pages::context::auth()?.idp_name();
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    let edit = UserEdit {
        status: Some(status),
        ..UserEdit::default()
    };
    directory::change_user(&store, &subject, &email, edit, &idp).await
}

/// Deletes an account after the admin confirmed it.
#[server(endpoint = "delete_user", output = crate::model::json_codec::Json)]
pub async fn delete_user(email: String) -> Result<(), AppError> {
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    crate::services::directory::delete_user(&store, &subject, &email).await?;
    crate::pages::context::redirect_plain_form_to("/users-teams");
    Ok(())
}

fn status_color(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Active => "green",
        UserStatus::Invited | UserStatus::Staged => "blue",
        UserStatus::Disabled => "darkGray",
    }
}

/// The avatar's letters: the name's initials, or the e-mail's first letter
/// for someone who has not told their name yet (an invited person). The
/// stylesheet shows them in capitals (Unicode case tables in the browser
/// bundle would cost every page 10 KB).
fn initials(user: &User) -> String {
    let letters: String = user
        .first_name
        .chars()
        .take(1)
        .chain(user.last_name.chars().take(1))
        .collect();
    if letters.is_empty() {
        user.email.chars().take(1).collect()
    } else {
        letters
    }
}

/// The GET form that filters the table; it keeps what was chosen.
pub fn filter_form(filter: &UserFilter, data: &UsersAndTeams) -> AnyView {
    let option = |value: &str, label: &str, chosen: &str| {
        let selected = value == chosen;
        view! { <option value=value.to_string() selected=selected>{label.to_string()}</option> }
    };
    let role = filter.role.clone();
    let status = filter.status.clone();
    let team = filter.team.clone();
    view! {
        <form method="get" action="/users-teams" class="filter-bar" role="search" aria-label="Filter users">
            <label for="users-q" class="visually-hidden">"Name or e-mail"</label>
            <input id="users-q" name="q" type="search" value=filter.q.clone() placeholder="Search by name or e-mail"/>
            <label for="users-role" class="visually-hidden">"Role"</label>
            <select id="users-role" name="role">
                {option("", "Any role", &role)}
                {option("Admin", "Admins", &role)}
                {option("Member", "Members", &role)}
                {option("Moderator", "Moderators", &role)}
            </select>
            <label for="users-team" class="visually-hidden">"Team"</label>
            <select id="users-team" name="team">
                {option("", "Any team", &team)}
                {data.teams.iter().map(|t| option(&t.name, &t.name, &team)).collect_view()}
            </select>
            <label for="users-status" class="visually-hidden">"Status"</label>
            <select id="users-status" name="status">
                {option("", "Any status", &status)}
                {["Active", "Invited", "Disabled", "Staged"].into_iter().map(|s| option(s, s, &status)).collect_view()}
            </select>
            <button type="submit" class="button">"Filter"</button>
            {(!filter.is_empty()).then(|| view! { <a class="button subtle" href="/users-teams">"Clear"</a> })}
        </form>
    }
    .into_any()
}

/// The one-step confirmed role change (Admin ⇄ Member), which says what
/// changes; a plain form post, so it works before hydration too.
fn role_change(user: &User, actions: AdminActions) -> AnyView {
    let email = user.email.clone();
    let is_admin = user.role == UserRole::Admin;
    let (next_role, consequence) = if is_admin {
        (
            "Member",
            "They lose the admin rights: the data model, permissions, pages, people and every entity; they keep what their teams and grants give them.",
        )
    } else {
        (
            "Admin",
            "They may then change the data model, permissions, pages and people, and every entity of every blueprint.",
        )
    };
    let who = match user.full_name().trim() {
        "" => user.email.clone(),
        name => name.to_string(),
    };
    let group_label = format!("Change the role of {email}");
    let question = format!(
        "Make {who} a{} {next_role}? ",
        if is_admin { "" } else { "n" }
    );
    view! {
        <details class="role-change">
            <summary class="button subtle">{format!("Make {next_role}…")}</summary>
            <div class="confirm-pop" role="group" aria-label=group_label>
                <p>{question}{consequence}</p>
                <ActionForm action=actions.set_role attr:class="inline-form">
                    <input type="hidden" name="email" value=email/>
                    <input type="hidden" name="role" value=next_role/>
                    <button type="submit" class="button" class:danger=is_admin>{format!("Make {next_role}")}</button>
                </ActionForm>
            </div>
        </details>
    }
    .into_any()
}

/// The blueprints someone moderates and the teams they are in, in one form.
fn access_editor(user: &User, data: &UsersAndTeams, actions: AdminActions) -> AnyView {
    let email = user.email.clone();
    let role = if user.role == UserRole::Admin {
        "Admin"
    } else {
        "Member"
    };
    let prefix = format!("edit-{}", user.email.replace(['@', '.'], "-"));
    let group_label = format!("Moderated blueprints and teams of {email}");
    let (blueprints, moderated) = (data.blueprints.clone(), user.moderated_blueprints.clone());
    let (data, teams) = (data.clone(), user.teams.clone());
    view! {
        <details class="access-edit">
            <summary class="button subtle">"Moderates & teams…"</summary>
            <div class="confirm-pop wide" role="group" aria-label=group_label>
                <ActionForm action=actions.edit_user attr:class="stack-form">
                    <input type="hidden" name="email" value=email/>
                    <input type="hidden" name="role" value=role/>
                    <div class="choice-columns">
                        <BlueprintChoices blueprints moderated id_prefix=prefix.clone()/>
                        <TeamChoices data member_of=teams id_prefix=prefix/>
                    </div>
                    <button type="submit" class="button primary">"Save"</button>
                </ActionForm>
            </div>
        </details>
    }
    .into_any()
}

/// Deleting asks first, and says what goes with the account.
fn delete_control(user: &User, actions: AdminActions) -> AnyView {
    let email = user.email.clone();
    let (group_label, question) = (
        format!("Delete the account of {email}"),
        format!("Delete {email}? "),
    );
    view! {
        <details class="confirm-delete">
            <summary class="button subtle danger">"Delete…"</summary>
            <div class="confirm-pop" role="group" aria-label=group_label>
                <p>{question}"Their sessions end, their API credentials stop working and they leave their teams. Entities and history stay."</p>
                <ActionForm action=actions.delete_user attr:class="inline-form">
                    <input type="hidden" name="email" value=email/>
                    <button type="submit" class="button danger">"Delete account"</button>
                </ActionForm>
            </div>
        </details>
    }
    .into_any()
}

/// An admin's controls on a user row.
fn user_controls(user: &User, data: &UsersAndTeams, actions: AdminActions) -> AnyView {
    let (next_status, label) = match user.status {
        UserStatus::Disabled => ("Active", "Enable"),
        _ => ("Disabled", "Disable"),
    };
    let email = user.email.clone();
    view! {
        <div class="row-actions">
            {role_change(user, actions)}
            {access_editor(user, data, actions)}
            {(user.status != UserStatus::Invited).then(|| view! {
                <ActionForm action=actions.set_status attr:class="inline-form">
                    <input type="hidden" name="email" value=email.clone()/>
                    <input type="hidden" name="status" value=next_status/>
                    <button type="submit" class="button subtle" class:danger=next_status == "Disabled">{label}</button>
                </ActionForm>
            })}
            {delete_control(user, actions)}
        </div>
    }
    .into_any()
}

pub fn users_table(
    data: UsersAndTeams,
    filter: &UserFilter,
    admin: Option<AdminActions>,
) -> AnyView {
    let total = data.users.len();
    let shown: Vec<User> = data
        .users
        .iter()
        .filter(|u| filter.matches(u))
        .cloned()
        .collect();
    let summary = match filter.is_empty() {
        true => format!("{total} people"),
        false => format!("{} of {total} people", shown.len()),
    };
    let empty = shown.is_empty();
    view! {
        <p class="muted table-summary" role="status">{summary}</p>
        <div class="table-wrap">
            <table class="entity-table">
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Role"</th>
                    <th scope="col">"Teams"</th><th scope="col">"Status"</th>
                    {admin.is_some().then(|| view! { <th scope="col">"Manage"</th> })}
                </tr></thead>
                <tbody>
                    {shown.into_iter().map(|u| {
                        let roles = u.role_names().join(", ");
                        view! {
                            <tr>
                                <td><span class="avatar" aria-hidden="true">{initials(&u)}</span>{u.full_name()}</td>
                                <td>{u.email.clone()}</td>
                                <td class="wrap">{roles}</td>
                                <td><span class="chips">{u.teams.iter().map(|t| view! { <TeamChip name=t.clone()/> }).collect_view()}</span></td>
                                <td><Badge label=u.status.as_str() color=Some(status_color(u.status).to_string())/></td>
                                {admin.map(|actions| view! { <td>{user_controls(&u, &data, actions)}</td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {empty.then(|| view! { <p class="empty-state">"Nobody matches this filter."</p> })}
        </div>
    }
    .into_any()
}
