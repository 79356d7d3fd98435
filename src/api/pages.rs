//! `/v1/pages`: catalog pages and dashboards in Port's page shape: list,
//! read, create and delete.

use super::json::ApiJson;
use super::ApiError;
use crate::model::{Page, Subject};
use crate::services::pages;
use crate::store::Store;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// → 201 `{ok, page}`.
pub async fn create(
    State(store): State<Store>,
    subject: Subject,
    ApiJson(body): ApiJson<Page>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let page = pages::create_page(&store, &subject, body).await?;
    Ok((StatusCode::CREATED, Json(json!({"ok": true, "page": page}))))
}

/// → `{ok, pages}`: the pages the caller may read, in sidebar order.
pub async fn list(State(store): State<Store>, subject: Subject) -> Result<Json<Value>, ApiError> {
    let pages = pages::readable_pages(&store, &subject).await?;
    Ok(Json(json!({"ok": true, "pages": pages})))
}

/// → `{ok, page}`; 404 for no such page, 403 for one the caller may not read.
pub async fn get(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let page = pages::shown_page(&store, &subject, &id).await?;
    Ok(Json(json!({"ok": true, "page": page})))
}

/// → `{ok}`.
pub async fn delete(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    pages::delete_page(&store, &subject, &id).await?;
    Ok(Json(json!({"ok": true})))
}
