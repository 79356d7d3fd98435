//! The HTML shell and the routes of the portal.

use crate::pages::layout::Layout;
use crate::pages::{
    builder::BuilderPage, catalog::CatalogPage, credentials::CredentialsPage,
    dashboard::DashboardPage, entity::EntityPage, home::HomePage, not_found::NotFound,
    users_teams::UsersTeamsPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" id="leptos" href="/pkg/portolan.css"/>
                <link rel="icon" type="image/x-icon" href="/favicon.ico"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Data pages render fully before the response starts (`Async`), so a
    // missing entity answers 404 rather than 200 with an error inside.
    view! {
        <Title formatter=|title: String| {
            if title.is_empty() { "Portolan".to_string() } else { format!("{title} · Portolan") }
        }/>
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/catalog/:page") view=CatalogPage ssr=SsrMode::Async/>
                    <Route path=path!("/entity/:blueprint/:identifier") view=EntityPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard/:page") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/users-teams") view=UsersTeamsPage ssr=SsrMode::Async/>
                    <Route path=path!("/builder") view=BuilderPage ssr=SsrMode::Async/>
                    <Route path=path!("/credentials") view=CredentialsPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
