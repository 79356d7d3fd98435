//! `/v1/sidebars/catalog`: the sidebar in Port's shape (its folders and
//! the pages the caller may read), and an admin's folder writes.
//! Items keep Port's `after` key, always `null` here: the sidebar lists
//! folders by title and pages in the order they were made.

use super::json::ApiJson;
use super::ApiError;
use crate::model::{Folder, Subject};
use crate::services::sidebar;
use crate::store::Store;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

fn folder_json(folder: &Folder) -> Value {
    json!({
        "identifier": folder.identifier,
        "title": folder.title,
        "parent": folder.parent,
        "after": null,
        "sidebar": "catalog",
        "sidebarType": "folder",
    })
}

/// `GET /v1/sidebars/catalog` → `{ok, sidebar: {identifier, items}}`.
pub async fn get(State(store): State<Store>, subject: Subject) -> Result<Json<Value>, ApiError> {
    let shown = sidebar::sidebar(&store, &subject).await?;
    let items: Vec<Value> = shown
        .folders
        .iter()
        .map(folder_json)
        .chain(shown.items.iter().map(|page| {
            json!({
                "identifier": page.identifier,
                "title": page.title,
                "parent": page.parent,
                "after": null,
                "sidebar": "catalog",
                "sidebarType": "page",
            })
        }))
        .collect();
    Ok(Json(
        json!({"ok": true, "sidebar": {"identifier": "catalog", "items": items}}),
    ))
}

/// A folder as Port's clients send it.
#[derive(Deserialize, schemars::JsonSchema)]
pub struct FolderBody {
    /// Defaults to the title in snake_case (`CI/CD` → `ci_cd`).
    #[serde(default)]
    identifier: Option<String>,
    title: String,
    /// The folder it sits in (folders nest up to three deep).
    #[serde(default)]
    parent: Option<String>,
    /// Accepted for Port's clients; the sidebar orders folders by title.
    #[serde(default)]
    #[allow(dead_code)]
    after: Option<String>,
}

/// `POST /v1/sidebars/catalog/folders` → 201 `{ok, folder}`; a taken
/// identifier is 409, a missing parent 404.
pub async fn create_folder(
    State(store): State<Store>,
    subject: Subject,
    ApiJson(body): ApiJson<FolderBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let folder = sidebar::create_folder(
        &store,
        &subject,
        body.identifier.as_deref(),
        &body.title,
        body.parent.as_deref(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"ok": true, "folder": folder_json(&folder)})),
    ))
}

/// What a folder's PATCH may change.
#[derive(Deserialize, schemars::JsonSchema)]
pub struct FolderChange {
    title: String,
}

/// `PATCH /v1/sidebars/catalog/folders/{id}` → `{ok, folder}`: a new title.
pub async fn patch_folder(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FolderChange>,
) -> Result<Json<Value>, ApiError> {
    let folder = sidebar::rename_folder(&store, &subject, &id, &body.title).await?;
    Ok(Json(json!({"ok": true, "folder": folder_json(&folder)})))
}

/// `DELETE /v1/sidebars/catalog/folders/{id}` → `{ok}`; a folder that
/// still holds pages or folders is 409.
pub async fn delete_folder(
    State(store): State<Store>,
    subject: Subject,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    sidebar::delete_folder(&store, &subject, &id).await?;
    Ok(Json(json!({"ok": true})))
}
