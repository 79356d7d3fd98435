//! Users & teams: who is in the organization, their roles and teams.
//! Every change goes through `services::directory`, as the API's do.

mod choices;
mod invite;
mod teams;
mod users;

use crate::components::error::{ErrorView, Loading};
use crate::model::directory::UserFilter;
use crate::model::{AppError, UsersAndTeams};
use invite::{InviteForm, InviteUser};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use teams::{CreateTeam, DeleteTeam, EditTeam, NewTeamForm, SetTeamMember};
use users::{DeleteUser, EditUser, SetUserRole, SetUserStatus};

/// The people, the teams with what each owns (per catalog page the reader
/// may see), and the blueprints one may moderate.
#[server(endpoint = "get_users_and_teams", output = crate::model::json_codec::Json)]
pub async fn get_users_and_teams() -> Result<UsersAndTeams, AppError> {
    use crate::services::{blueprints, directory};
    let idp = crate::pages::context::auth()?.idp_name();
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    let mut data = directory::users_and_teams(&store, &idp).await?;
    data.owned = directory::team_ownership(&store, &subject).await?;
    data.blueprints = blueprints::blueprints(&store)
        .await?
        .into_iter()
        .map(|bp| (bp.identifier, bp.title))
        .collect();
    Ok(data)
}

/// The admin's actions on this page; every change reloads the tables.
#[derive(Clone, Copy)]
struct AdminActions {
    create_team: ServerAction<CreateTeam>,
    edit_team: ServerAction<EditTeam>,
    delete_team: ServerAction<DeleteTeam>,
    set_member: ServerAction<SetTeamMember>,
    set_role: ServerAction<SetUserRole>,
    edit_user: ServerAction<EditUser>,
    set_status: ServerAction<SetUserStatus>,
    delete_user: ServerAction<DeleteUser>,
    /// The team whose deletion waits for a second click.
    confirming: RwSignal<Option<String>>,
}

impl AdminActions {
    fn new() -> Self {
        AdminActions {
            create_team: ServerAction::new(),
            edit_team: ServerAction::new(),
            delete_team: ServerAction::new(),
            set_member: ServerAction::new(),
            set_role: ServerAction::new(),
            edit_user: ServerAction::new(),
            set_status: ServerAction::new(),
            delete_user: ServerAction::new(),
            confirming: RwSignal::new(None),
        }
    }

    /// Changes whenever any action finishes.
    fn version(&self) -> [usize; 8] {
        [
            self.create_team.version().get(),
            self.edit_team.version().get(),
            self.delete_team.version().get(),
            self.set_member.version().get(),
            self.set_role.version().get(),
            self.edit_user.version().get(),
            self.set_status.version().get(),
            self.delete_user.version().get(),
        ]
    }

    /// The refusal of the latest row action, if any (creation errors show
    /// by its form).
    fn error(&self) -> Option<String> {
        fn failed<T: 'static + Send + Sync>(v: Option<Result<T, AppError>>) -> Option<String> {
            v.and_then(|r| r.err()).map(|e| e.message().to_string())
        }
        failed(self.edit_team.value().get())
            .or_else(|| failed(self.delete_team.value().get()))
            .or_else(|| failed(self.set_member.value().get()))
            .or_else(|| failed(self.set_role.value().get()))
            .or_else(|| failed(self.edit_user.value().get()))
            .or_else(|| failed(self.set_status.value().get()))
            .or_else(|| failed(self.delete_user.value().get()))
    }
}

#[component]
pub fn UsersTeamsPage() -> impl IntoView {
    let query = use_query_map();
    let teams_tab = move || query.read().get("tab").as_deref() == Some("teams");
    let filter = move || {
        let q = query.read();
        let field = |name: &str| q.get(name).unwrap_or_default();
        UserFilter {
            q: field("q"),
            role: field("role"),
            team: field("team"),
            status: field("status"),
        }
    };
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
                let data = match data.await {
                    Ok(data) => data,
                    Err(error) => return view! { <ErrorView error/> }.into_any(),
                };
                let (form, tables) = if teams_tab() {
                    (
                        is_admin.then(|| view! { <NewTeamForm create=actions.create_team/> }.into_any()),
                        teams::teams_table(data, admin),
                    )
                } else {
                    let filter = filter();
                    (
                        is_admin.then(|| view! { <InviteForm invite data=data.clone()/> }.into_any()),
                        view! {
                            {users::filter_form(&filter, &data)}
                            {users::users_table(data, &filter, admin)}
                        }.into_any(),
                    )
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
