//! Users & teams: who is in the organization, their roles and teams.

use crate::components::badge::{Badge, TeamChip};
use crate::components::error::{ErrorView, Loading};
use crate::model::{AppError, Team, User, UserStatus, UsersAndTeams};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "get_users_and_teams")]
pub async fn get_users_and_teams() -> Result<UsersAndTeams, AppError> {
    crate::services::directory::users_and_teams(&crate::server::store()?).await
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
    let data = Resource::new(|| (), |_| get_users_and_teams());
    view! {
        <Title text="Users & teams"/>
        <div class="page-header">
            <div>
                <h1>"Users & teams"</h1>
                <p class="subtitle">"People in the organization, their roles, and the teams that own the catalog."</p>
            </div>
        </div>
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
