//! `GET /healthz`: 200 only when the database answers, for load balancers.

use crate::store::Store;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

pub async fn healthz(State(store): State<Store>) -> (StatusCode, Json<Value>) {
    // A bounded wait: a hung database must not hang the health check.
    let ping = tokio::time::timeout(std::time::Duration::from_secs(3), store.ping()).await;
    match ping {
        Ok(Ok(())) => (
            StatusCode::OK,
            Json(json!({"status": "ok", "database": store.backend()})),
        ),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database error");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    json!({"status": "unavailable", "database": store.backend(), "message": "the database does not answer"}),
                ),
            )
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({"status": "unavailable", "database": store.backend(), "message": "the database did not answer within 3 seconds"}),
            ),
        ),
    }
}
