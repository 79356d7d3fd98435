//! Users & teams: who is in the organization, their roles and teams.

use crate::components::badge::{Badge, TeamChip};
use crate::components::error::{ErrorView, Loading};
use crate::model::{
    AppError, Invitation, Team, TeamProvider, User, UserRole, UserStatus, UsersAndTeams,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "get_users_and_teams", output = crate::model::json_codec::Json)]
pub async fn get_users_and_teams() -> Result<UsersAndTeams, AppError> {
    let idp = crate::pages::context::auth()?.idp_name();
    crate::services::directory::users_and_teams(&crate::pages::context::store()?, &idp).await
}

#[server(endpoint = "create_team", output = crate::model::json_codec::Json)]
pub async fn create_team(name: String, description: String) -> Result<Team, AppError> {
    use crate::services::directory::{self, TeamInput};
    let input = TeamInput {
        description: Some(Some(description)),
        users: None,
    };
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    directory::create_team(&store, &subject, name.trim(), input).await
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

/// Invites someone; the answer carries the one-time link to hand over.
#[server(endpoint = "invite_user", output = crate::model::json_codec::Json)]
pub async fn invite_user(email: String, role: String) -> Result<Invitation, AppError> {
    let role = UserRole::admin_or_member(&role)?;
    crate::services::directory::invite(
        &crate::pages::context::store()?,
        &crate::pages::context::subject().await?,
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
    let hydrated = crate::components::hydration::use_hydrated();
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
                <button type="submit" class="button primary" disabled=move || pending.get() || !hydrated.get()>
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

/// The admin's actions on this page; every change reloads the tables.
#[derive(Clone, Copy)]
struct AdminActions {
    create_team: ServerAction<CreateTeam>,
    delete_team: ServerAction<DeleteTeam>,
    set_member: ServerAction<SetTeamMember>,
    set_role: ServerAction<SetUserRole>,
    set_status: ServerAction<SetUserStatus>,
    /// The team whose deletion waits for a second click.
    confirming: RwSignal<Option<String>>,
}

impl AdminActions {
    fn new() -> Self {
        AdminActions {
            create_team: ServerAction::new(),
            delete_team: ServerAction::new(),
            set_member: ServerAction::new(),
            set_role: ServerAction::new(),
            set_status: ServerAction::new(),
            confirming: RwSignal::new(None),
        }
    }

    /// Changes whenever any action finishes.
    fn version(&self) -> (usize, usize, usize, usize, usize) {
        (
            self.create_team.version().get(),
            self.delete_team.version().get(),
            self.set_member.version().get(),
            self.set_role.version().get(),
            self.set_status.version().get(),
        )
    }

    /// The refusal of the latest row action, if any (creation errors show
    /// by its form).
    fn error(&self) -> Option<String> {
        fn failed<T: 'static + Send + Sync>(v: Option<Result<T, AppError>>) -> Option<String> {
            v.and_then(|r| r.err()).map(|e| e.message().to_string())
        }
        failed(self.delete_team.value().get())
            .or_else(|| failed(self.set_member.value().get()))
            .or_else(|| failed(self.set_role.value().get()))
            .or_else(|| failed(self.set_status.value().get()))
    }
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

/// An admin's controls on a user row: role and enable/disable.
fn user_controls(user: &User, actions: AdminActions) -> AnyView {
    let email = user.email.clone();
    let is_admin = user.role == UserRole::Admin;
    let (next_status, label) = match user.status {
        UserStatus::Disabled => ("Active", "Enable"),
        _ => ("Disabled", "Disable"),
    };
    // Two roles: changing one is a single confirmed step that says what
    // changes (a plain form post, so it works before hydration too).
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
    let role_email = email.clone();
    view! {
        <div class="row-actions">
            <details class="role-change">
                <summary class="button subtle">{format!("Make {next_role}…")}</summary>
                <div class="confirm-pop" role="group" aria-label=group_label>
                    <p>{format!("Make {who} a{} {next_role}? ", if is_admin { "" } else { "n" })}{consequence}</p>
                    <ActionForm action=actions.set_role attr:class="inline-form">
                        <input type="hidden" name="email" value=role_email/>
                        <input type="hidden" name="role" value=next_role/>
                        <button type="submit" class="button" class:danger=is_admin>{format!("Make {next_role}")}</button>
                    </ActionForm>
                </div>
            </details>
            {(user.status != UserStatus::Invited).then(|| view! {
                <ActionForm action=actions.set_status attr:class="inline-form">
                    <input type="hidden" name="email" value=email.clone()/>
                    <input type="hidden" name="status" value=next_status/>
                    <button type="submit" class="button subtle" class:danger=next_status == "Disabled">{label}</button>
                </ActionForm>
            })}
        </div>
    }
    .into_any()
}

fn users_table(users: Vec<User>, admin: Option<AdminActions>) -> AnyView {
    view! {
        <div class="table-wrap">
            <table class="entity-table">
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Role"</th>
                    <th scope="col">"Teams"</th><th scope="col">"Status"</th>
                    {admin.is_some().then(|| view! { <th scope="col">"Manage"</th> })}
                </tr></thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let roles = u.role_names().join(", ");
                        view! {
                            <tr>
                                <td><span class="avatar" aria-hidden="true">{initials(&u)}</span>{u.full_name()}</td>
                                <td>{u.email.clone()}</td>
                                <td class="wrap">{roles}</td>
                                <td><span class="chips">{u.teams.iter().map(|t| view! { <TeamChip name=t.clone()/> }).collect_view()}</span></td>
                                <td><Badge label=u.status.as_str() color=Some(status_color(u.status).to_string())/></td>
                                {admin.map(|actions| view! { <td>{user_controls(&u, actions)}</td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
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

fn teams_table(data: UsersAndTeams, admin: Option<AdminActions>) -> AnyView {
    let UsersAndTeams {
        users,
        teams,
        identity_provider,
    } = data;
    view! {
        <div class="table-wrap">
            <table class="entity-table">
                <thead><tr>
                    <th scope="col">"Team"</th><th scope="col">"Description"</th><th scope="col">"Source"</th>
                    <th scope="col">"Members"</th>
                    {admin.is_some().then(|| view! { <th scope="col">"Manage"</th> })}
                </tr></thead>
                <tbody>
                    {teams.into_iter().map(|t| {
                        let synced = t.provider == TeamProvider::Sso;
                        let source = if synced {
                            format!("Synced from {identity_provider}")
                        } else {
                            "Created in Portolan".to_string()
                        };
                        let editable = admin.filter(|_| {
                            crate::authz::may_edit_team_membership(&t, &identity_provider).allowed
                        });
                        let count = t.users.len();
                        view! {
                            <tr>
                                <td><TeamChip name=t.name.clone()/></td>
                                <td class="wrap">{t.description.clone().unwrap_or_default()}</td>
                                <td>{source}</td>
                                <td>
                                    <span class="muted">{format!("{count} · ")}</span>
                                    <span class="chips">
                                        {t.users.iter().map(|e| member_chip(&t.name, e.clone(), editable)).collect_view()}
                                    </span>
                                </td>
                                {admin.map(|actions| view! {
                                    <td>{if synced {
                                        view! { <span class="managed-note">{format!("Members come from {identity_provider}")}</span> }.into_any()
                                    } else {
                                        team_controls(&t, &users, actions).into_any()
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
fn NewTeamForm(create: ServerAction<CreateTeam>) -> impl IntoView {
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

#[component]
pub fn UsersTeamsPage() -> impl IntoView {
    let query = use_query_map();
    let teams_tab = move || query.read().get("tab").as_deref() == Some("teams");
    let invite = ServerAction::<InviteUser>::new();
    let actions = AdminActions::new();
    let data = Resource::new(
        move || (invite.version().get(), actions.version()),
        |_| get_users_and_teams(),
    );
    let subject = Resource::new(|| (), |_| crate::pages::layout::get_subject());
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
                let is_admin = subject
                    .await
                    .is_ok_and(|s| crate::authz::may_manage_users(&s).allowed);
                let admin = is_admin.then_some(actions);
                let form = match (is_admin, teams_tab()) {
                    (false, _) => ().into_any(),
                    (true, false) => view! { <InviteForm invite/> }.into_any(),
                    (true, true) => view! { <NewTeamForm create=actions.create_team/> }.into_any(),
                };
                let tables = match data.await {
                    Ok(data) => {
                        if teams_tab() { teams_table(data, admin).into_any() } else { users_table(data.users, admin).into_any() }
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                };
                view! {
                    {form}
                    {move || actions.error().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                    {tables}
                }.into_any()
            })}
        </Suspense>
    }
}
