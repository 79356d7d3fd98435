//! `/v1/blueprints/{id}/permissions` and `/v1/pages/{id}/permissions`:
//! Port's permission documents, read and patched.

use super::json::ApiJson;
use super::ApiResult;
use crate::model::Subject;
use crate::services::permissions;
use crate::store::Store;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

pub async fn get_blueprint(State(store): State<Store>, Path(id): Path<String>) -> ApiResult {
    let permissions = permissions::blueprint_permissions(&store, &id).await?;
    Ok(Json(json!({"ok": true, "permissions": permissions})))
}

pub async fn patch_blueprint(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let permissions =
        permissions::patch_blueprint_permissions(&store, &subject, &id, &body).await?;
    Ok(Json(json!({"ok": true, "permissions": permissions})))
}

pub async fn get_page(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
) -> ApiResult {
    let permissions = permissions::page_permissions(&store, &subject, &id).await?;
    Ok(Json(json!({"ok": true, "permissions": permissions})))
}

pub async fn patch_page(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let permissions = permissions::patch_page_permissions(&store, &subject, &id, &body).await?;
    Ok(Json(json!({"ok": true, "permissions": permissions})))
}
