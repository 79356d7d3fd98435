//! REST API v1 in Port's shapes (`shared/spec/api.md`), one file per
//! resource, plus the health check.
//!
//! Handlers parse the request, call `services`, and answer with Port's
//! envelope: `{"ok": true, …}` or `{"ok": false, "error", "message"}` with
//! the status of the `AppError`. They hold no domain rule and no SQL.

mod auth;
mod blueprints;
mod entities;
mod error;
mod health;
mod json;
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
        .route("/blueprints", get(blueprints::list))
        .route("/blueprints/{id}", get(blueprints::get))
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
        .route(
            "/blueprints/{bp}/entities/{id}",
            get(entities::get).delete(entities::delete),
        )
        .route("/entities/search", post(entities::search))
        .route("/users/invite", post(users::invite))
        .fallback(any(blueprints::unknown_route))
        .layer(axum::middleware::from_fn(auth::require_subject));
    Router::new()
        .route("/healthz", get(health::healthz))
        // Outside the bearer check: this is where tokens come from.
        .route("/v1/auth/access_token", post(auth::access_token))
        .nest("/v1", v1)
}
