//! The teams tab: each team's description, source, members and what it
//! owns (linked to the catalog filtered by it), with an admin's controls:
//! rename and describe, add and remove members, delete (asked first).

use super::AdminActions;
use crate::components::badge::TeamChip;
use crate::model::{AppError, Team, TeamProvider, User, UsersAndTeams};
use leptos::prelude::*;

#[server(endpoint = "create_team", output = crate::model::json_codec::Json)]
pub async fn create_team(name: String, description: String) -> Result<Team, AppError> {
    use crate::services::directory::{self, TeamInput};
    let input = TeamInput {
        name: None,
        description: Some(Some(description)),
        users: None,
    };
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    directory::create_team(&store, &subject, name.trim(), input).await
}

/// Renames and describes a team; everything that names it follows the new
/// name (its entities, permission grants, filters).
#[server(endpoint = "edit_team", output = crate::model::json_codec::Json)]
pub async fn edit_team(
    name: String,
    new_name: String,
    description: String,
) -> Result<Team, AppError> {
    use crate::services::directory::{self, TeamInput};
    let idp = crate::pages::context::auth()?.idp_name();
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    let input = TeamInput {
        name: Some(new_name.trim().to_string()),
        description: Some(Some(description)),
        users: None,
    };
    let team = directory::change_team(&store, &subject, &name, input, &idp).await?;
    crate::pages::context::redirect_plain_form_to("/users-teams?tab=teams");
    Ok(team)
}

#[server(endpoint = "delete_team", output = crate::model::json_codec::Json)]
pub async fn delete_team(name: String) -> Result<(), AppError> {
    let idp = crate::pages::context::auth()?.idp_name();
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    crate::services::directory::delete_team(&store, &subject, &name, &idp).await
}

/// Adds (`member = true`) or removes one member of a team made in Portolan.
#[server(endpoint = "set_team_member", output = crate::model::json_codec::Json)]
pub async fn set_team_member(team: String, email: String, member: bool) -> Result<Team, AppError> {
    let idp = crate::pages::context::auth()?.idp_name();
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    crate::services::directory::set_team_member(&store, &subject, &team, &email, member, &idp).await
}

/// A member of a team made in Portolan, with a remove button for admins.
fn member_chip(team: &str, email: String, admin: Option<AdminActions>) -> AnyView {
    let team = team.to_string();
    view! {
        <span class="chip member-chip">
            {email.clone()}
            {admin.map(|actions| view! {
                <ActionForm action=actions.set_member attr:class="inline-form">
                    <input type="hidden" name="team" value=team.clone()/>
                    <input type="hidden" name="email" value=email.clone()/>
                    <input type="hidden" name="member" value="false"/>
                    <button type="submit" class="chip-remove" aria-label=format!("Remove {email} from {team}")>"×"</button>
                </ActionForm>
            })}
        </span>
    }
    .into_any()
}

/// Rename and describe, in one small form (also for SSO-synced teams'
/// descriptions; their names are the provider's, so the server refuses a
/// new one with the reason).
fn edit_control(team: &Team, actions: AdminActions) -> AnyView {
    let name = team.name.clone();
    let group_label = format!("Edit the team {name}");
    let (name_id, description_id) = (
        format!("team-edit-{name}-name"),
        format!("team-edit-{name}-description"),
    );
    let synced = team.provider == TeamProvider::Sso;
    let description = team.description.clone().unwrap_or_default();
    view! {
        <details class="team-edit">
            <summary class="button subtle">"Edit…"</summary>
            <div class="confirm-pop wide" role="group" aria-label=group_label>
                <ActionForm action=actions.edit_team attr:class="stack-form">
                    <input type="hidden" name="name" value=name.clone()/>
                    <label for=name_id.clone()>"Name"</label>
                    <input id=name_id name="new_name" required value=name readonly=synced/>
                    <label for=description_id.clone()>"Description"</label>
                    <input id=description_id name="description" value=description placeholder="What the team does"/>
                    <p class="muted small">"Renaming carries the new name to the entities it owns, permissions and saved filters."</p>
                    <button type="submit" class="button primary">"Save team"</button>
                </ActionForm>
            </div>
        </details>
    }
    .into_any()
}

/// An admin's controls on a team made in Portolan: add a member, delete
/// (after a second click).
fn team_controls(team: &Team, users: &[User], actions: AdminActions) -> AnyView {
    let name = team.name.clone();
    let candidates: Vec<String> = users
        .iter()
        .filter(|u| !team.users.contains(&u.email))
        .map(|u| u.email.clone())
        .collect();
    let confirm_name = name.clone();
    let asking = move || actions.confirming.get().as_deref() == Some(confirm_name.as_str());
    let ask_name = name.clone();
    let (question, doomed) = (format!("Delete {name}?"), name.clone());
    let group_label = format!("Delete the team {name}");
    view! {
        <div class="row-actions stack">
            {(!candidates.is_empty()).then(|| view! {
                <ActionForm action=actions.set_member attr:class="inline-form">
                    <input type="hidden" name="team" value=name.clone()/>
                    <input type="hidden" name="member" value="true"/>
                    <label class="visually-hidden" for=format!("add-{name}")>{format!("Add a member to {name}")}</label>
                    <select id=format!("add-{name}") name="email" required>
                        <option value="" selected disabled>"Add member…"</option>
                        {candidates.into_iter().map(|e| view! { <option value=e.clone()>{e.clone()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button subtle">"Add"</button>
                </ActionForm>
            })}
            {edit_control(team, actions)}
            // A native disclosure, so deleting asks first before (and
            // without) JavaScript too; its open state also lives in a signal,
            // so a reload of the table after another action keeps it open.
            <details class="confirm-delete" prop:open=asking
                on:toggle=move |ev| {
                    let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                    if open {
                        actions.confirming.set(Some(ask_name.clone()));
                    } else if actions.confirming.get_untracked().as_deref() == Some(ask_name.as_str()) {
                        actions.confirming.set(None);
                    }
                }>
                <summary class="button subtle danger">"Delete"</summary>
                <div class="confirm-pop" role="group" aria-label=group_label>
                    <p>{question}" Its members stay; entities it owns must be given to another team first."</p>
                    <ActionForm action=actions.delete_team attr:class="inline-form">
                        <input type="hidden" name="name" value=doomed/>
                        <button type="submit" class="button danger">"Delete team"</button>
                    </ActionForm>
                </div>
            </details>
        </div>
    }
    .into_any()
}

/// What a team owns: a linked count per catalog page, or a dash.
fn owned_cell(data: &UsersAndTeams, team: &str) -> AnyView {
    let owned: Vec<_> = data
        .owned
        .iter()
        .filter(|o| o.team == team)
        .cloned()
        .collect();
    if owned.is_empty() {
        return view! { <span class="muted">"Nothing yet"</span> }.into_any();
    }
    view! {
        <ul class="owned-list">
            {owned.into_iter().map(|o| {
                let label = format!("{} {} owned by {team}", o.count, o.title);
                view! {
                    <li><a href=o.href aria-label=label>
                        <strong>{o.count}</strong>" "{o.title}
                    </a></li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

pub fn teams_table(data: UsersAndTeams, admin: Option<AdminActions>) -> AnyView {
    let identity_provider = data.identity_provider.clone();
    view! {
        <div class="table-wrap">
            <table class="entity-table">
                <thead><tr>
                    <th scope="col">"Team"</th><th scope="col">"Description"</th><th scope="col">"Owns"</th>
                    <th scope="col">"Source"</th><th scope="col">"Members"</th>
                    {admin.is_some().then(|| view! { <th scope="col">"Manage"</th> })}
                </tr></thead>
                <tbody>
                    {data.teams.iter().map(|t| {
                        let synced = t.provider == TeamProvider::Sso;
                        let source = if synced {
                            format!("Synced from {identity_provider}")
                        } else {
                            "Created in Portolan".to_string()
                        };
                        let editable = admin.filter(|_| {
                            crate::authz::may_edit_team_membership(t, &identity_provider).allowed
                        });
                        let count = t.users.len();
                        view! {
                            <tr>
                                <td><TeamChip name=t.name.clone()/></td>
                                <td class="wrap">{t.description.clone().unwrap_or_default()}</td>
                                <td>{owned_cell(&data, &t.name)}</td>
                                <td>{source}</td>
                                <td>
                                    <span class="muted">{format!("{count} · ")}</span>
                                    <span class="chips">
                                        {t.users.iter().map(|e| member_chip(&t.name, e.clone(), editable)).collect_view()}
                                    </span>
                                </td>
                                {admin.map(|actions| view! {
                                    <td>{if synced {
                                        view! {
                                            <div class="row-actions stack">
                                                <span class="managed-note">{format!("Members come from {identity_provider}")}</span>
                                                {edit_control(t, actions)}
                                            </div>
                                        }.into_any()
                                    } else {
                                        team_controls(t, &data.users, actions).into_any()
                                    }}</td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The admin's form for a new team made in Portolan.
#[component]
pub fn NewTeamForm(create: ServerAction<CreateTeam>) -> impl IntoView {
    let pending = create.pending();
    view! {
        <section class="invite-panel" aria-label="Create a team">
            <ActionForm action=create attr:class="invite-form">
                <label for="team-name">"New team"</label>
                <input id="team-name" name="name" required placeholder="Team name"/>
                <label for="team-description" class="visually-hidden">"Description"</label>
                <input id="team-description" name="description" placeholder="What the team does (optional)"/>
                <button type="submit" class="button primary" disabled=move || pending.get()>"Create team"</button>
            </ActionForm>
            {move || match create.value().get() {
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message().to_string()}</p> }.into_any(),
                Some(Ok(team)) => view! { <p class="muted" role="status">{format!("Team {} created.", team.name)}</p> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}
