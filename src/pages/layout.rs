//! The frame around every page: the sidebar with catalog pages, dashboards,
//! users & teams, the builder, API credentials and (for admins) the audit
//! log, and the top bar.

use crate::components::error::Loading;
use crate::components::icon::Icon;
use crate::model::{AppError, Folder, PageType, Sidebar, SidebarItem, Subject};
use leptos::prelude::*;
use leptos_router::components::A;

#[server(endpoint = "get_sidebar", output = crate::model::json_codec::Json)]
pub async fn get_sidebar() -> Result<Sidebar, AppError> {
    let subject = crate::pages::context::subject().await?;
    crate::services::sidebar::sidebar(&crate::pages::context::store()?, &subject).await
}

/// Who is signed in, for the user menu.
#[server(endpoint = "get_subject", output = crate::model::json_codec::Json)]
pub async fn get_subject() -> Result<Subject, AppError> {
    crate::pages::context::subject().await
}

/// The signed-in person and the sign-out button (a plain form post, so
/// it works before hydration too).
#[component]
fn UserMenu() -> impl IntoView {
    let subject = Resource::new(|| (), |_| get_subject());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match subject.await {
                    Ok(Subject::User(user)) => {
                        let initial = user.name.chars().next().unwrap_or('?').to_string();
                        let role = if user.moderated_blueprints.is_empty() || user.role == crate::model::UserRole::Admin {
                            user.role.as_str().to_string()
                        } else {
                            format!("Moderator of {}", user.moderated_blueprints.join(", "))
                        };
                        view! {
                            <div class="user-menu">
                                <span class="avatar" aria-hidden="true">{initial}</span>
                                <span class="user-who">
                                    <span class="user-name">{user.name.clone()}</span>
                                    <span class="user-role">{role}</span>
                                </span>
                                <form method="post" action="/logout">
                                    <button type="submit" class="button subtle">"Sign out"</button>
                                </form>
                            </div>
                        }
                            .into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// "New dashboard": title, icon, description and folder, for admins (a
/// plain form post before hydration; the new dashboard then opens in its
/// editor's place, empty).
#[component]
fn NewDashboard(folders: Vec<String>) -> impl IntoView {
    let create = ServerAction::<crate::pages::dashboard::CreateDashboard>::new();
    Effect::new(move |_| {
        if let Some(Ok(href)) = create.value().get() {
            // A full load, so the sidebar lists it.
            let _ = window().location().set_href(&href);
        }
    });
    view! {
        <details class="nav-new">
            <summary>"+ New dashboard"</summary>
            <ActionForm action=create attr:class="stack-form nav-new-form">
                <label for="new-dashboard-title">"Title"</label>
                <input id="new-dashboard-title" type="text" name="title" required placeholder="e.g. Costs"/>
                <label for="new-dashboard-icon">"Icon"</label>
                <input id="new-dashboard-icon" type="text" name="icon" placeholder="e.g. Dashboard"/>
                <label for="new-dashboard-description">"Description"</label>
                <input id="new-dashboard-description" type="text" name="description"/>
                <label for="new-dashboard-folder">"Folder"</label>
                <input
                    id="new-dashboard-folder"
                    type="text"
                    name="folder"
                    list="new-dashboard-folders"
                    placeholder="none, or a new or existing folder"
                />
                <datalist id="new-dashboard-folders">
                    {folders.into_iter().map(|title| view! { <option value=title></option> }).collect_view()}
                </datalist>
                <button type="submit" class="button primary">"Create dashboard"</button>
                {move || match create.value().get() {
                    Some(Err(e)) => Some(view! { <p class="field-error" role="alert">{e.to_string()}</p> }),
                    _ => None,
                }}
            </ActionForm>
        </details>
    }
}

fn page_link(item: &SidebarItem) -> AnyView {
    let icon = item.icon.clone().unwrap_or_else(|| item.title.clone());
    let (href, title) = (item.href.clone(), item.title.clone());
    view! {
        <li>
            <A href=href>
                <Icon name=icon/>
                <span class="nav-label">{title}</span>
            </A>
        </li>
    }
    .into_any()
}

/// Whether `folder`, or a folder inside it, holds one of `items`.
fn holds_any(folder: &Folder, items: &[SidebarItem], folders: &[Folder]) -> bool {
    items
        .iter()
        .any(|i| i.parent.as_deref() == Some(folder.identifier.as_str()))
        || folders
            .iter()
            .filter(|f| f.parent.as_deref() == Some(folder.identifier.as_str()))
            .any(|inner| holds_any(inner, items, folders))
}

/// The folders and pages directly inside `parent` (the top: `None`),
/// folders first; a folder with nothing of this section's shows only when
/// `show_empty` (admins', who fill it).
fn entries(
    parent: Option<&str>,
    items: &[SidebarItem],
    folders: &[Folder],
    show_empty: bool,
) -> Vec<AnyView> {
    let mut views: Vec<AnyView> = folders
        .iter()
        .filter(|f| f.parent.as_deref() == parent)
        .filter(|f| show_empty || holds_any(f, items, folders))
        .map(|folder| {
            let inner = entries(Some(&folder.identifier), items, folders, show_empty);
            view! {
                <li class="nav-folder">
                    <details open>
                        <summary>
                            <span class="nav-folder-mark" aria-hidden="true"></span>
                            <span class="nav-label">{folder.title.clone()}</span>
                        </summary>
                        <ul>{inner}</ul>
                    </details>
                </li>
            }
            .into_any()
        })
        .collect();
    views.extend(
        items
            .iter()
            .filter(|i| i.parent.as_deref() == parent)
            .map(page_link),
    );
    views
}

fn section(
    title: &'static str,
    items: Vec<SidebarItem>,
    folders: &[Folder],
    show_empty: bool,
    extra: Option<AnyView>,
) -> impl IntoView {
    // A page whose folder is gone shows at the top rather than nowhere.
    let items: Vec<SidebarItem> = items
        .into_iter()
        .map(|mut item| {
            if item
                .parent
                .as_deref()
                .is_some_and(|p| !folders.iter().any(|f| f.identifier == p))
            {
                item.parent = None;
            }
            item
        })
        .collect();
    let list = entries(None, &items, folders, show_empty);
    (!list.is_empty() || extra.is_some()).then(|| {
        view! {
            <div class="nav-section">
                <h2 class="nav-heading">{title}</h2>
                <ul>{list}</ul>
                {extra}
            </div>
        }
    })
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let collapsed = RwSignal::new(false);
    let items = Resource::new(|| (), |_| get_sidebar());
    let subject = Resource::new(|| (), |_| get_subject());
    view! {
        <div class="layout" class:collapsed=move || collapsed.get()>
            <aside class="sidebar">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"P"</span>
                    <span class="brand-name">"Portolan"</span>
                </a>
                <nav aria-label="Portal">
                    <Suspense fallback=|| view! { <Loading label="Loading pages…"/> }>
                        {move || Suspend::new(async move {
                            let admin = matches!(subject.await, Ok(Subject::User(u)) if u.role == crate::model::UserRole::Admin);
                            match items.await {
                                Ok(Sidebar { items, folders }) => {
                                    let (catalog, dashboards): (Vec<_>, Vec<_>) = items
                                        .into_iter()
                                        .partition(|i| i.kind == PageType::BlueprintEntities);
                                    let folder_titles = folders.iter().map(|f| f.title.clone()).collect();
                                    view! {
                                        <ul class="nav-home">
                                            <li><A href="/" exact=true><Icon name="Home"/><span class="nav-label">"Home"</span></A></li>
                                        </ul>
                                        {section("Catalog", catalog, &folders, false, None)}
                                        {section("Dashboards", dashboards, &folders, admin, admin.then(|| view! { <NewDashboard folders=folder_titles/> }.into_any()))}
                                    }
                                        .into_any()
                                }
                                Err(e) => view! {
                                    <p class="nav-error" role="alert">{e.message().to_string()}</p>
                                }
                                    .into_any(),
                            }
                        })}
                    </Suspense>
                    <div class="nav-section">
                        <h2 class="nav-heading">"Organization"</h2>
                        <ul>
                            <li>
                                <A href="/users-teams">
                                    <Icon name="UsersTeams"/>
                                    <span class="nav-label">"Users & teams"</span>
                                </A>
                            </li>
                            <li>
                                <A href="/builder">
                                    <Icon name="Builder"/>
                                    <span class="nav-label">"Builder"</span>
                                </A>
                            </li>
                            <li>
                                <A href="/credentials">
                                    <Icon name="Credentials"/>
                                    <span class="nav-label">"API credentials"</span>
                                </A>
                            </li>
                            // Only for those the policy lets read the whole log.
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    let whole_log = matches!(
                                        subject.await,
                                        Ok(s) if crate::authz::may_read_audit_log(&s, false).allowed
                                    );
                                    whole_log.then(|| view! {
                                        <li>
                                            <A href="/audit-log">
                                                <Icon name="History"/>
                                                <span class="nav-label">"Audit log"</span>
                                            </A>
                                        </li>
                                    })
                                })}
                            </Suspense>
                        </ul>
                    </div>
                </nav>
            </aside>
            <div class="main-column">
                <header class="topbar">
                    <button
                        type="button"
                        class="icon-button"
                        aria-label=move || if collapsed.get() { "Expand sidebar" } else { "Collapse sidebar" }
                        aria-expanded=move || (!collapsed.get()).to_string()
                        on:click=move |_| collapsed.update(|c| *c = !*c)
                    >
                        <span class="hamburger" aria-hidden="true"></span>
                    </button>
                    <span class="topbar-title">"Developer portal"</span>
                    <UserMenu/>
                </header>
                <main class="content" id="main">{children()}</main>
            </div>
        </div>
    }
}
