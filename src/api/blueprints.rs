//! `/v1/blueprints`: reading the data model.

use super::{ApiError, ApiResult};
use crate::model::AppError;
use crate::store::Store;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::json;

pub async fn list(State(store): State<Store>) -> ApiResult {
    let blueprints = crate::services::catalog::blueprints(&store).await?;
    Ok(Json(json!({"ok": true, "blueprints": blueprints})))
}

pub async fn get(State(store): State<Store>, Path(id): Path<String>) -> ApiResult {
    let blueprint = crate::services::catalog::blueprint(&store, &id).await?;
    Ok(Json(json!({"ok": true, "blueprint": blueprint})))
}

pub async fn entities_count(State(store): State<Store>, Path(id): Path<String>) -> ApiResult {
    crate::services::catalog::blueprint(&store, &id).await?;
    let count = store.count_entities(&id).await?;
    Ok(Json(json!({"ok": true, "count": count})))
}

/// Any `/v1` path we do not serve: Port's envelope, not an HTML page.
pub async fn unknown_route(uri: axum::http::Uri) -> ApiError {
    ApiError(AppError::NotFound(format!(
        "there is no API route {}",
        uri.path()
    )))
}
