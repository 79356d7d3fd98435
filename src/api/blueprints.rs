//! `/v1/blueprints`: the data model, read and written.

use super::json::ApiJson;
use super::{ApiError, ApiResult};
use crate::model::{AppError, Blueprint, Subject};
use crate::services::blueprints;
use crate::store::Store;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// A query flag: `true`/`false`, anything else is the default.
fn flag(params: &HashMap<String, String>, name: &str, default: bool) -> bool {
    match params.get(name).map(|v| v.to_ascii_lowercase()) {
        Some(v) if v == "true" => true,
        Some(v) if v == "false" => false,
        _ => default,
    }
}

/// `POST /v1/blueprints` `?create_catalog_page` (default true) → 201.
pub async fn create(
    State(store): State<Store>,
    subject: Subject,
    Query(params): Query<HashMap<String, String>>,
    ApiJson(body): ApiJson<Blueprint>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let page = flag(&params, "create_catalog_page", true);
    let blueprint = blueprints::create(&store, &subject, body, page).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"ok": true, "blueprint": blueprint})),
    ))
}

pub async fn put(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
    ApiJson(mut body): ApiJson<Map<String, Value>>,
) -> ApiResult {
    // PUT's body may leave the identifier out: the path names it.
    body.entry("identifier")
        .or_insert_with(|| Value::String(id.clone()));
    let blueprint: Blueprint = serde_json::from_value(Value::Object(body))
        .map_err(|e| AppError::Invalid(format!("invalid blueprint: {e}")))?;
    let blueprint = blueprints::replace(&store, &subject, &id, blueprint).await?;
    Ok(Json(json!({"ok": true, "blueprint": blueprint})))
}

pub async fn patch(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> ApiResult {
    let blueprint = blueprints::patch(&store, &subject, &id, body).await?;
    Ok(Json(json!({"ok": true, "blueprint": blueprint})))
}

/// `DELETE /v1/blueprints/{id}` `?delete_entities=true` to take its
/// entities along (without it, a blueprint with entities is a 409).
pub async fn delete(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult {
    let deleted = blueprints::delete(
        &store,
        &subject,
        &id,
        flag(&params, "delete_entities", false),
    )
    .await?;
    Ok(Json(json!({"ok": true, "deletedEntities": deleted})))
}

pub async fn list(State(store): State<Store>) -> ApiResult {
    let blueprints = crate::services::blueprints::blueprints(&store).await?;
    Ok(Json(json!({"ok": true, "blueprints": blueprints})))
}

pub async fn get(State(store): State<Store>, Path(id): Path<String>) -> ApiResult {
    let blueprint = crate::services::blueprints::blueprint(&store, &id).await?;
    Ok(Json(json!({"ok": true, "blueprint": blueprint})))
}

pub async fn entities_count(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
) -> ApiResult {
    let count = crate::services::catalog::entities_count(&store, &subject, &id).await?;
    Ok(Json(json!({"ok": true, "count": count})))
}

/// Any `/v1` path we do not serve: Port's envelope, not an HTML page.
pub async fn unknown_route(uri: axum::http::Uri) -> ApiError {
    ApiError(AppError::NotFound(format!(
        "there is no API route {}",
        uri.path()
    )))
}
