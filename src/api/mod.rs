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
mod health;
mod json;
mod teams;
mod users;

pub use error::ApiError;

use crate::server::AppState;
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::Value;

/// What every handler answers: Port's `{"ok": true, …}` or its error envelope.
pub type ApiResult = Result<Json<Value>, ApiError>;

pub fn router() -> Router<AppState> {
    let v1 = Router::new()
        .route(
            "/blueprints",
            get(blueprints::list).post(blueprints::create),
        )
        .route(
            "/blueprints/{id}",
            get(blueprints::get)
                .put(blueprints::put)
                .patch(blueprints::patch)
                .delete(blueprints::delete),
        )
        .route(
            "/blueprints/{id}/entities-count",
            get(blueprints::entities_count),
        )
        .route(
            "/blueprints/{bp}/entities",
            get(entities::list).post(entities::create),
        )
        .route(
            "/blueprints/{bp}/entities/search",
            post(entities::search_blueprint),
        )
        .route("/blueprints/{bp}/entities/bulk", post(entities::bulk))
        .route(
            "/blueprints/{bp}/bulk/entities/delete",
            post(entities::bulk_delete),
        )
        .route(
            "/blueprints/{bp}/entities/{id}",
            get(entities::get)
                .put(entities::put)
                .patch(entities::patch)
                .delete(entities::delete),
        )
        .route("/entities/search", post(entities::search))
        .route("/audit-log", get(audit::list))
        .route("/users", get(users::list))
        .route("/users/invite", post(users::invite))
        .route(
            "/users/{email}",
            get(users::get).patch(users::patch).delete(users::delete),
        )
        .route(
            "/rotate-credentials/{email}",
            post(users::rotate_credentials),
        )
        .route("/teams", get(teams::list).post(teams::create))
        .route(
            "/teams/{name}",
            get(teams::get)
                .put(teams::put)
                .patch(teams::patch)
                .delete(teams::delete),
        )
        .fallback(any(blueprints::unknown_route))
        .layer(axum::middleware::from_fn(auth::require_subject));
    Router::new()
        .route("/healthz", get(health::healthz))
        // Outside the bearer check: this is where tokens come from.
        .route("/v1/auth/access_token", post(auth::access_token))
        .nest("/v1", v1)
}
