//! `/v1/pages`: catalog pages and dashboards in Port's page shape: list,
//! read, create, change (dashboards) and delete. A dashboard's widgets
//! travel inside one `dashboard-widget` with its layout, as Port's do.

use super::json::ApiJson;
use super::ApiError;
use crate::model::{AppError, Page, Subject};
use crate::services::{dashboard, pages};
use crate::store::Store;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// → 201 `{ok, page}`. Takes Port's dashboard shape or a flat one.
pub async fn create(
    State(store): State<Store>,
    subject: Subject,
    ApiJson(mut body): ApiJson<Value>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    crate::model::dashboard::unwrap_dashboard_widget(&mut body);
    let page: Page =
        serde_json::from_value(body).map_err(|e| AppError::Invalid(format!("the page: {e}")))?;
    let page = dashboard::create_page(&store, &subject, page).await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"ok": true, "identifier": page.identifier, "page": dashboard::port_shape(&page)}),
        ),
    ))
}

/// → `{ok, pages}`: the pages the caller may read, in sidebar order.
pub async fn list(State(store): State<Store>, subject: Subject) -> Result<Json<Value>, ApiError> {
    let pages: Vec<Value> = pages::readable_pages(&store, &subject)
        .await?
        .iter()
        .map(dashboard::port_shape)
        .collect();
    Ok(Json(json!({"ok": true, "pages": pages})))
}

/// → `{ok, page}`; 404 for no such page, 403 for one the caller may not read.
pub async fn get(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let page = pages::shown_page(&store, &subject, &id).await?;
    Ok(Json(
        json!({"ok": true, "page": dashboard::port_shape(&page)}),
    ))
}

/// PUT → `{ok, page}`: a dashboard's title, icon, description, widgets,
/// layout and filters replaced (those left out are emptied).
pub async fn put(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let page = dashboard::update_from_json(&store, &subject, &id, body, true).await?;
    Ok(Json(
        json!({"ok": true, "page": dashboard::port_shape(&page)}),
    ))
}

/// PATCH → `{ok, page}`: only the keys given change.
pub async fn patch(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let page = dashboard::update_from_json(&store, &subject, &id, body, false).await?;
    Ok(Json(
        json!({"ok": true, "page": dashboard::port_shape(&page)}),
    ))
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
