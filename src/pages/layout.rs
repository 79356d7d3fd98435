//! The frame around every page: the sidebar with catalog pages, dashboards,
//! users & teams, the builder and API credentials, and the top bar.

use crate::components::error::Loading;
use crate::components::icon::Icon;
use crate::model::{AppError, PageType, SidebarItem, Subject};
use leptos::prelude::*;
use leptos_router::components::A;

#[server(endpoint = "get_sidebar", output = crate::model::json_codec::Json)]
pub async fn get_sidebar() -> Result<Vec<SidebarItem>, AppError> {
    let subject = crate::pages::context::subject().await?;
    crate::services::pages::sidebar(&crate::pages::context::store()?, &subject).await
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

fn section(title: &'static str, items: Vec<SidebarItem>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <div class="nav-section">
                <h2 class="nav-heading">{title}</h2>
                <ul>
                    {items
                        .into_iter()
                        .map(|item| {
                            let icon = item.icon.clone().unwrap_or_else(|| item.title.clone());
                            view! {
                                <li>
                                    <A href=item.href.clone()>
                                        <Icon name=icon/>
                                        <span class="nav-label">{item.title.clone()}</span>
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let collapsed = RwSignal::new(false);
    let items = Resource::new(|| (), |_| get_sidebar());
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
                            match items.await {
                                Ok(items) => {
                                    let (catalog, dashboards): (Vec<_>, Vec<_>) = items
                                        .into_iter()
                                        .partition(|i| i.kind == PageType::BlueprintEntities);
                                    view! {
                                        {section("Catalog", catalog)}
                                        {section("Dashboards", dashboards)}
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
