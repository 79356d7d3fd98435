//! REST API v1 in Port's shapes (`shared/spec/api.md`), one file per
//! resource, plus the health check.
//!
//! Handlers parse the request, call `services`, and answer with Port's
//! envelope: `{"ok": true, …}` or `{"ok": false, "error", "message"}` with
//! the status of the `AppError`. They hold no domain rule and no SQL.

mod audit;
mod auth;
mod blueprints;
mod entities;
mod error;
mod export;
mod health;
mod json;
mod pages;
mod permissions;
mod teams;
mod users;

pub use error::ApiError;

use crate::server::AppState;
use axum::routing::{any, get, on, post, MethodFilter, MethodRouter};
use axum::{Json, Router};
use serde_json::Value;

/// What every handler answers: Port's `{"ok": true, …}` or its error envelope.
pub type ApiResult = Result<Json<Value>, ApiError>;

/// Declares the `/v1` endpoints once: the router is built from this list,
/// and `endpoint_list` hands it to the authorization matrix test, which
/// fails when an endpoint is missing from the matrix.
macro_rules! endpoints {
    ($($method:ident $path:literal => $handler:expr),* $(,)?) => {
        fn endpoints() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
            vec![$((stringify!($method), $path, on(MethodFilter::$method, $handler))),*]
        }
    };
}

endpoints! {
    GET "/blueprints" => blueprints::list,
    POST "/blueprints" => blueprints::create,
    GET "/blueprints/{id}" => blueprints::get,
    PUT "/blueprints/{id}" => blueprints::put,
    PATCH "/blueprints/{id}" => blueprints::patch,
    DELETE "/blueprints/{id}" => blueprints::delete,
    GET "/blueprints/{id}/entities-count" => blueprints::entities_count,
    GET "/blueprints/{id}/permissions" => permissions::get_blueprint,
    PATCH "/blueprints/{id}/permissions" => permissions::patch_blueprint,
    GET "/blueprints/{bp}/entities" => entities::list,
    POST "/blueprints/{bp}/entities" => entities::create,
    POST "/blueprints/{bp}/entities/search" => entities::search_blueprint,
    POST "/blueprints/{bp}/entities/bulk" => entities::bulk,
    POST "/blueprints/{bp}/bulk/entities/delete" => entities::bulk_delete,
    GET "/blueprints/{bp}/entities/{id}" => entities::get,
    PUT "/blueprints/{bp}/entities/{id}" => entities::put,
    PATCH "/blueprints/{bp}/entities/{id}" => entities::patch,
    DELETE "/blueprints/{bp}/entities/{id}" => entities::delete,
    POST "/entities/search" => entities::search,
    GET "/export" => export::export,
    POST "/import" => export::import,
    GET "/pages" => pages::list,
    POST "/pages" => pages::create,
    GET "/pages/{id}" => pages::get,
    DELETE "/pages/{id}" => pages::delete,
    GET "/pages/{id}/permissions" => permissions::get_page,
    PATCH "/pages/{id}/permissions" => permissions::patch_page,
    GET "/audit-log" => audit::list,
    GET "/users" => users::list,
    POST "/users/invite" => users::invite,
    GET "/users/{email}" => users::get,
    PATCH "/users/{email}" => users::patch,
    DELETE "/users/{email}" => users::delete,
    POST "/rotate-credentials/{email}" => users::rotate_credentials,
    GET "/teams" => teams::list,
    POST "/teams" => teams::create,
    GET "/teams/{name}" => teams::get,
    PUT "/teams/{name}" => teams::put,
    PATCH "/teams/{name}" => teams::patch,
    DELETE "/teams/{name}" => teams::delete,
}

/// Every `/v1` endpoint as `(method, full path)`, e.g. `("GET", "/v1/users")`.
pub fn endpoint_list() -> Vec<(&'static str, String)> {
    endpoints()
        .into_iter()
        .map(|(method, path, _)| (method, format!("/v1{path}")))
        .collect()
}

pub fn router() -> Router<AppState> {
    let v1 = endpoints()
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
        .fallback(any(blueprints::unknown_route))
        .layer(axum::middleware::from_fn(auth::require_subject));
    Router::new()
        .route("/healthz", get(health::healthz))
        // Outside the bearer check: this is where tokens come from.
        .route("/v1/auth/access_token", post(auth::access_token))
        .nest("/v1", v1)
}
