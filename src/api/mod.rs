//! REST API v1 in Port's shapes (`shared/spec/api.md`), one file per
//! resource, plus the health check.
//!
//! Handlers parse the request, call `services`, and answer with Port's
//! envelope: `{"ok": true, …}` or `{"ok": false, "error", "message"}` with
//! the status of the `AppError`. They hold no domain rule and no SQL.

mod error;
mod health;

pub use error::ApiError;

use crate::server::AppState;
use axum::{routing::get, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(health::healthz))
}
