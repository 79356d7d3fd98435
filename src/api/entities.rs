//! Entities: reading one or all of a blueprint's, and searching with the
//! query language (`/v1/entities/search`, `/v1/blueprints/{bp}/entities/search`).

use super::json::ApiJson;
use super::ApiResult;
use crate::model::query::Query;
use crate::model::AppError;
use crate::query::Viewer;
use crate::store::Store;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// The caller's dynamic-value context. Until sign-in exists (the Identity
/// issue) every caller is anonymous: `My Teams` and `user` match nothing.
fn viewer() -> Viewer {
    Viewer::default()
}

pub async fn get(
    State(store): State<Store>,
    Path((blueprint, identifier)): Path<(String, String)>,
) -> ApiResult {
    let page = crate::services::catalog::entity_page(&store, &blueprint, &identifier).await?;
    Ok(Json(json!({"ok": true, "entity": page.entity})))
}

pub async fn list(State(store): State<Store>, Path(blueprint): Path<String>) -> ApiResult {
    let (_, entities) = crate::services::search::search(
        &store,
        &viewer(),
        &Query::from_json(&json!({"combinator": "and", "rules": [
            {"property": "$blueprint", "operator": "=", "value": blueprint}]}))
        .map_err(|e| AppError::Internal(e.to_string()))?,
    )
    .await?;
    if entities.is_empty() {
        // Distinguish "no entities" from "no such blueprint".
        crate::services::catalog::blueprint(&store, &blueprint).await?;
    }
    Ok(Json(json!({"ok": true, "entities": entities})))
}

pub async fn search(State(store): State<Store>, ApiJson(body): ApiJson<Value>) -> ApiResult {
    let query =
        Query::from_json(&body).map_err(|e| AppError::Invalid(format!("invalid query: {e}")))?;
    let (matching, entities) = crate::services::search::search(&store, &viewer(), &query).await?;
    Ok(Json(
        json!({"ok": true, "matchingBlueprints": matching, "entities": entities}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlueprintSearch {
    #[serde(default)]
    query: Option<Value>,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    from: Option<String>,
    // Accepted for Port compatibility; projection comes with the read options.
    #[serde(default)]
    #[allow(dead_code)]
    include: Option<Value>,
    #[serde(default)]
    #[allow(dead_code)]
    exclude: Option<Value>,
}

pub async fn search_blueprint(
    State(store): State<Store>,
    Path(blueprint): Path<String>,
    ApiJson(body): ApiJson<BlueprintSearch>,
) -> ApiResult {
    let query = body
        .query
        .as_ref()
        .map(Query::from_json)
        .transpose()
        .map_err(|e| AppError::Invalid(format!("invalid query: {e}")))?;
    let (entities, next) = crate::services::search::search_blueprint(
        &store,
        &viewer(),
        &blueprint,
        query.as_ref(),
        body.limit,
        body.from.as_deref(),
    )
    .await?;
    let mut reply = json!({"ok": true, "entities": entities});
    if let Some(next) = next {
        reply["next"] = json!(next);
    }
    Ok(Json(reply))
}
