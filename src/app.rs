//! The HTML shell and the routes of the portal.

use crate::pages::layout::Layout;
use crate::pages::{
    audit_log::AuditLogPage,
    builder::BuilderPage,
    catalog::CatalogPage,
    credentials::CredentialsPage,
    dashboard::{DashboardPage, HomePage},
    entity::EntityPage,
    not_found::NotFound,
    users_teams::UsersTeamsPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    lazy_route, path, Lazy, LazyRoute, SsrMode,
};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The site's files under a path named by their version (see
    // `server::assets`), so the browser keeps them until a new build.
    let base = use_context::<crate::model::site::AssetBase>()
        .unwrap_or_default()
        .0;
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" id="leptos" href=format!("{base}/pkg/portolan.css")/>
                <link rel="icon" type="image/x-icon" href=format!("{base}/favicon.ico")/>
                // Dates in the viewer's time zone (see components::value::local_time).
                <script src=format!("{base}/local-time.js") defer></script>
                // Iframe widgets: PKCE sign-in and pages that refuse framing.
                <script src=format!("{base}/iframe-widget.js") defer></script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options root=base.clone()/>
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
                    <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/catalog/:page") view={Lazy::<CatalogRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/entity/:blueprint/:identifier") view={Lazy::<EntityRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard/:page") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/users-teams") view={Lazy::<UsersTeamsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/builder") view={Lazy::<BuilderRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/credentials") view={Lazy::<CredentialsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/audit-log") view={Lazy::<AuditLogRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// A page whose code is its own part of the browser bundle: built with
/// `cargo leptos build --split`, the browser downloads the shell and the
/// page it opens, and each other page's code the first time it goes there.
/// The page loads its data itself, as before.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    };
}

lazy_page!(HomeRoute, HomePage);
lazy_page!(CatalogRoute, CatalogPage);
lazy_page!(EntityRoute, EntityPage);
lazy_page!(DashboardRoute, DashboardPage);
lazy_page!(UsersTeamsRoute, UsersTeamsPage);
lazy_page!(BuilderRoute, BuilderPage);
lazy_page!(CredentialsRoute, CredentialsPage);
lazy_page!(AuditLogRoute, AuditLogPage);
