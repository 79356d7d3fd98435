//! Wiring: settings, database, routes, layers, and the process lifecycle.

mod assets;
pub mod config;
mod function_errors;
mod headers;

use crate::app::{shell, App};
use crate::store::Store;
use axum::extract::FromRef;
use axum::Router;
use config::Settings;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::process::ExitCode;

/// Largest request body accepted (Port: 1 MiB).
pub const MAX_BODY: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub auth: crate::auth::AuthState,
    /// Whether cookies get the Secure flag (the portal is served over https).
    #[from_ref(skip)]
    pub secure_cookies: bool,
}

impl AppState {
    /// The state with default session limits and no SSO (tests use this).
    pub fn new(leptos_options: LeptosOptions, store: Store) -> Self {
        AppState {
            leptos_options,
            auth: crate::auth::AuthState::new(store.clone(), Default::default()),
            store,
            secure_cookies: false,
        }
    }
}

/// Where cargo-leptos put the browser bundle. `LEPTOS_SITE_ROOT` overrides
/// it (cargo-leptos sets it when it runs the server itself).
fn leptos_options(settings: &Settings) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") | Ok("dev") | Ok("development") => Env::DEV,
        _ => Env::PROD,
    };
    LeptosOptions::builder()
        .output_name("portolan")
        .site_root(site_root)
        .site_pkg_dir(std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into()))
        .site_addr(settings.addr)
        .env(env)
        .build()
}

/// The whole application: pages, server functions, REST API and static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let site_root = std::path::PathBuf::from(state.leptos_options.site_root.as_ref());
    let version = assets::version(&site_root);
    let base = crate::model::site::AssetBase(
        version
            .as_ref()
            .map(|v| format!("{}{v}", assets::VERSIONED))
            .unwrap_or_default(),
    );
    let (store, auth) = (state.store.clone(), state.auth.clone());
    let context = move || {
        provide_context(store.clone());
        provide_context(auth.clone());
        provide_context(base.clone());
    };
    let options = state.leptos_options.clone();
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(axum::middleware::from_fn(
            crate::auth::subject::require_sign_in,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY));
    // The API reads bodies through its own extractor, which answers an
    // oversized body with Port's 413 envelope rather than a bare status.
    let api =
        crate::api::router::<AppState>().layer(axum::extract::DefaultBodyLimit::max(MAX_BODY));
    Router::new()
        .merge(assets::router(&site_root, version.as_deref()))
        .merge(api)
        .merge(crate::login::router())
        .merge(pages)
        .layer(axum::middleware::from_fn(
            function_errors::restore_error_status,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.auth.clone(),
            crate::auth::subject::resolve,
        ))
        // Before the subject is resolved: a forged request costs no lookup.
        .layer(axum::middleware::from_fn_with_state(
            state.auth.clone(),
            crate::auth::same_origin::require_same_origin,
        ))
        .layer(crate::auth::session_layer(
            state.store.clone(),
            state.secure_cookies,
        ))
        .layer(axum::middleware::from_fn_with_state(
            headers::HeaderPolicy {
                https: state.secure_cookies,
                store: state.store.clone(),
                frames: Default::default(),
            },
            headers::security_headers,
        ))
        // Brotli or gzip, as the browser asks (`Accept-Encoding`): pages,
        // server functions, the API and the bundle (780 KB of wasm is about
        // 300 KB gzip). Images and event streams go as they are.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .br(true)
                .gzip(true),
        )
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Runs the server until SIGTERM or Ctrl-C. Every failure to start is one
/// line on stderr and a non-zero exit code, never a panic.
pub async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();

    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("portolan: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = &settings.query_plan_log {
        if let Err(e) = crate::store::query_plans::write_plans_to(path) {
            eprintln!("portolan: {e}");
            return ExitCode::from(2);
        }
    }
    let store = match Store::connect(&settings.database_url).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("portolan: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = store.migrate().await {
        eprintln!("portolan: {e}");
        return ExitCode::from(1);
    }
    if settings.demo_data {
        match crate::services::demo::seed_if_empty(&store).await {
            Ok(Some(s)) => tracing::info!(
                blueprints = s.blueprints,
                entities = s.entities,
                teams = s.teams,
                users = s.users,
                pages = s.pages,
                "seeded demo data into the empty database"
            ),
            Ok(None) => tracing::info!("database already holds a catalog; demo data not seeded"),
            Err(e) => {
                eprintln!("portolan: could not seed demo data: {e}");
                return ExitCode::from(1);
            }
        }
    }

    if let Some((id, secret)) = &settings.admin_credentials {
        if let Err(e) = crate::auth::machine::ensure_admin_credentials(&store, id, secret).await {
            eprintln!("portolan: admin client credentials: {e}");
            return ExitCode::from(2);
        }
        tracing::info!(client_id = %id, "admin client credentials are ready");
    }

    match crate::auth::password::bootstrap_admin(
        &store,
        &settings.admin_email,
        settings.admin_password.as_deref(),
    )
    .await
    {
        Ok(crate::auth::password::AdminBootstrap::Generated { email, password }) => {
            println!(
                "First start: sign in as {email} with the password {password}\n\
                 (shown once; set PORTOLAN_ADMIN_PASSWORD to choose it, or to reset it later)"
            );
        }
        Ok(crate::auth::password::AdminBootstrap::Configured(email)) => {
            tracing::info!(%email, "admin password set from PORTOLAN_ADMIN_PASSWORD")
        }
        Ok(crate::auth::password::AdminBootstrap::Exists) => {}
        Err(e) => {
            eprintln!("portolan: admin account: {e}");
            return ExitCode::from(2);
        }
    }

    let leptos_options = leptos_options(&settings);
    let bundle = std::path::Path::new(leptos_options.site_root.as_ref())
        .join(leptos_options.site_pkg_dir.as_ref())
        .join("portolan.wasm");
    if !bundle.exists() {
        tracing::warn!(
            path = %bundle.display(),
            "browser bundle not found: pages render but will not be interactive; build with `cargo leptos build --release`"
        );
    }
    let site_root = std::path::PathBuf::from(leptos_options.site_root.as_ref());
    assets::remove_stale_copies(&site_root);
    assets::spawn_precompress(site_root);
    crate::auth::spawn_expired_session_cleanup(store.clone(), std::time::Duration::from_secs(3600));

    let mut state = AppState::new(leptos_options, store.clone());
    state.auth.limits = settings.session_limits;
    state.auth.trusted_proxies = settings.trusted_proxies.clone();
    if let Some(oidc) = settings.oidc.clone() {
        tracing::info!(issuer = %oidc.issuer, "single sign-on with OpenID Connect is on");
        match crate::auth::oidc::Oidc::new(oidc) {
            Ok(o) => state.auth.oidc = Some(std::sync::Arc::new(o)),
            Err(e) => {
                eprintln!("portolan: {e}");
                return ExitCode::from(2);
            }
        }
    }
    state.secure_cookies = settings.public_url.starts_with("https://");
    state.auth.public_origin = crate::auth::same_origin::origin_of(&settings.public_url);
    let app = router(state);
    let listener = match tokio::net::TcpListener::bind(settings.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("portolan: cannot listen on {}: {e}", settings.addr);
            return ExitCode::from(1);
        }
    };
    tracing::info!(
        database = store.backend(),
        "Portolan is listening on http://{}",
        settings.addr
    );
    println!("Portolan is running at http://{}", settings.addr);
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    store.close().await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portolan: server error: {e}");
            ExitCode::from(1)
        }
    }
}
