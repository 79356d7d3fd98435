//! Users & teams: who is in the organization, their roles and teams.

use crate::components::badge::{Badge, TeamChip};
use crate::components::error::{ErrorView, Loading};
use crate::model::{
    AppError, Invitation, Subject, Team, User, UserRole, UserStatus, UsersAndTeams,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "get_users_and_teams")]
pub async fn get_users_and_teams() -> Result<UsersAndTeams, AppError> {
    crate::services::directory::users_and_teams(&crate::server::store()?).await
}

/// Invites someone; the answer carries the one-time link to hand over.
#[server(endpoint = "invite_user")]
pub async fn invite_user(email: String, role: String) -> Result<Invitation, AppError> {
    let role = match role.as_str() {
        "Admin" => UserRole::Admin,
        "Member" => UserRole::Member,
        other => {
            return Err(AppError::Invalid(format!(
                "role: must be Admin or Member, not `{other}`"
            )))
        }
    };
    crate::services::directory::invite(
        &crate::server::store()?,
        &crate::server::subject().await?,
        &email,
        role,
    )
    .await
}

/// The admin's invitation form, and the link it made (shown once).
#[component]
fn InviteForm(invite: ServerAction<InviteUser>) -> impl IntoView {
    let result = invite.value();
    let pending = invite.pending();
    view! {
        <section class="invite-panel" aria-label="Invite someone">
            <ActionForm action=invite attr:class="invite-form">
                <label for="invite-email">"Invite by e-mail"</label>
                <input id="invite-email" type="email" name="email" required placeholder="name@company.com"/>
                <label for="invite-role" class="visually-hidden">"Role"</label>
                <select id="invite-role" name="role">
                    <option value="Member" selected>"Member"</option>
                    <option value="Admin">"Admin"</option>
                </select>
                <button type="submit" class="button primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Inviting…" } else { "Invite" }}
                </button>
            </ActionForm>
            {move || match result.get() {
                Some(Ok(invitation)) => {
                    let link = window()
                        .location()
                        .origin()
                        .map(|origin| format!("{origin}{}", invitation.link))
                        .unwrap_or(invitation.link.clone());
                    view! {
                        <div class="invite-result" role="status">
                            <p>
                                "Send this one-time link to " <strong>{invitation.email.clone()}</strong>
                                ". It works once, for 7 days, and is not shown again."
                            </p>
                            <input class="invite-link" readonly value=link aria-label="Invitation link"/>
                        </div>
                    }
                        .into_any()
                }
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message().to_string()}</p> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

fn status_color(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Active => "green",
        UserStatus::Invited | UserStatus::Staged => "blue",
        UserStatus::Disabled => "darkGray",
    }
}

fn initials(user: &User) -> String {
    user.first_name
        .chars()
        .take(1)
        .chain(user.last_name.chars().take(1))
        .collect::<String>()
        .to_uppercase()
}

fn users_table(users: Vec<User>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="entity-table">
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Role"</th>
                    <th scope="col">"Teams"</th><th scope="col">"Status"</th>
                </tr></thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let roles = u.role_names().join(", ");
                        view! {
                            <tr>
                                <td><span class="avatar" aria-hidden="true">{initials(&u)}</span>{u.full_name()}</td>
                                <td>{u.email.clone()}</td>
                                <td>{roles}</td>
                                <td><span class="chips">{u.teams.iter().map(|t| view! { <TeamChip name=t.clone()/> }).collect_view()}</span></td>
                                <td><Badge label=u.status.as_str() color=Some(status_color(u.status).to_string())/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn teams_table(teams: Vec<Team>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="entity-table">
                <thead><tr>
                    <th scope="col">"Team"</th><th scope="col">"Description"</th><th scope="col">"Source"</th>
                    <th scope="col">"Members"</th>
                </tr></thead>
                <tbody>
                    {teams.into_iter().map(|t| {
                        let source = match t.provider {
                            crate::model::TeamProvider::Native => "Created in Portolan",
                            crate::model::TeamProvider::Sso => "Synced from SSO",
                        };
                        view! {
                            <tr>
                                <td><TeamChip name=t.name.clone()/></td>
                                <td>{t.description.clone().unwrap_or_default()}</td>
                                <td>{source}</td>
                                <td>{format!("{} ", t.users.len())}<span class="muted">{t.users.join(", ")}</span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn UsersTeamsPage() -> impl IntoView {
    let query = use_query_map();
    let teams_tab = move || query.read().get("tab").as_deref() == Some("teams");
    let invite = ServerAction::<InviteUser>::new();
    let data = Resource::new(move || invite.version().get(), |_| get_users_and_teams());
    let subject = Resource::new(|| (), |_| crate::pages::layout::get_subject());
    view! {
        <Title text="Users & teams"/>
        <div class="page-header">
            <div>
                <h1>"Users & teams"</h1>
                <p class="subtitle">"People in the organization, their roles, and the teams that own the catalog."</p>
            </div>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match subject.await {
                    Ok(Subject::User(u)) if u.role == UserRole::Admin => view! { <InviteForm invite/> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
        <nav class="tabs" aria-label="Users and teams">
            <a href="/users-teams" aria-current=move || (!teams_tab()).then_some("page")>"Users"</a>
            <a href="/users-teams?tab=teams" aria-current=move || teams_tab().then_some("page")>"Teams"</a>
        </nav>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(UsersAndTeams { users, teams }) => {
                        if teams_tab() { teams_table(teams).into_any() } else { users_table(users).into_any() }
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
