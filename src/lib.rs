//! Portolan: a self-hostable internal developer portal.
//!
//! One crate built twice: with `ssr` it is the server (axum, Leptos SSR,
//! storage); with `hydrate` it is the WASM bundle that hydrates the same
//! components in the browser. Modules that touch the database, secrets or
//! the network compile only with `ssr`. See `ARCHITECTURE.md` in the shared
//! folder for the layering: pages/components → server functions / api →
//! services → authz + store (+ query).

// The future that hydrates the whole app asynchronously (lazy routes) is a
// deeply nested type; its layout needs more than the default 128 levels.
#![recursion_limit = "256"]

pub mod app;
pub mod authz;
pub mod components;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod envelope;
#[cfg(feature = "ssr")]
pub mod login;
#[cfg(feature = "ssr")]
pub mod query;
#[cfg(feature = "ssr")]
pub mod secret;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod store;

/// Entry point of the browser bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazy routes (split out of the bundle), so hydration is
    // asynchronous: a page's code arrives before its part of the DOM is
    // hydrated. This is `leptos::mount::hydrate_lazy` with a flag at the end.
    wasm_bindgen_futures::spawn_local(async {
        let search = leptos::prelude::window()
            .location()
            .search()
            .unwrap_or_default();
        pages::entity_form::preload_for_url(&search).await;
        pages::filter_builder::preload_for_url(&search).await;
        let body = leptos::prelude::document().body().expect("a document body");
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        // The stylesheet hides what only a page without JavaScript needs
        // (`.plain-only`, such as the filter builder's "Update rules").
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.class_list().add_1("hydrated");
        }
        // A flag for the end-to-end tests: event handlers are attached now.
        let window = leptos::prelude::window();
        let _ = js_sys::Reflect::set(&window, &"__portolanHydrated".into(), &true.into());
        // And when, for the benchmark (milliseconds since navigation).
        if let Some(now) = window.performance().map(|p| p.now()) {
            let _ = js_sys::Reflect::set(&window, &"__portolanHydratedAt".into(), &now.into());
        }
    });
}
