//! `POST /v1/pages`: a new catalog page or dashboard in Port's page shape.

use super::json::ApiJson;
use super::ApiError;
use crate::model::{Page, Subject};
use crate::services::pages;
use crate::store::Store;
use axum::extract::State;
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
