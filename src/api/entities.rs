//! Entities: reading one or all of a blueprint's, and searching with the
//! query language (`/v1/entities/search`, `/v1/blueprints/{bp}/entities/search`).

use super::json::ApiJson;
use super::ApiResult;
use crate::model::query::Query;
use crate::model::AppError;
use crate::model::Subject;
use crate::query::Viewer;
use crate::store::Store;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub async fn get(
    State(store): State<Store>,
    Path((blueprint, identifier)): Path<(String, String)>,
) -> ApiResult {
    let page = crate::services::catalog::entity_page(&store, &blueprint, &identifier).await?;
    Ok(Json(json!({"ok": true, "entity": page.entity})))
}

pub async fn list(
    State(store): State<Store>,
    subject: Subject,
    Path(blueprint): Path<String>,
) -> ApiResult {
    let (_, entities) = crate::services::search::search(
        &store,
        &Viewer::of(&subject),
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

pub async fn search(
    State(store): State<Store>,
    subject: Subject,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let query =
        Query::from_json(&body).map_err(|e| AppError::Invalid(format!("invalid query: {e}")))?;
    let (matching, entities) =
        crate::services::search::search(&store, &Viewer::of(&subject), &query).await?;
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
    subject: Subject,
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
        &Viewer::of(&subject),
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

/// Port's boolean query parameters: `true`/`false`; anything unparsable
/// (Terraform can send pointer garbage) counts as the default, false.
fn flag(params: &std::collections::HashMap<String, String>, name: &str) -> bool {
    params
        .get(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

pub async fn create(
    State(store): State<Store>,
    Path(blueprint): Path<String>,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
    subject: Subject,
    ApiJson(body): ApiJson<crate::services::entities::EntityInput>,
) -> Result<(axum::http::StatusCode, Json<Value>), super::ApiError> {
    let options = crate::services::entities::WriteOptions {
        upsert: flag(&params, "upsert"),
        merge: flag(&params, "merge"),
        validation_only: flag(&params, "validation_only"),
        create_missing_related_entities: flag(&params, "create_missing_related_entities"),
    };
    let (entity, created) =
        crate::services::entities::write_entity(&store, &subject, &blueprint, body, options)
            .await?;
    let status = if created {
        axum::http::StatusCode::CREATED
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, Json(json!({"ok": true, "entity": entity}))))
}

pub async fn delete(
    State(store): State<Store>,
    Path((blueprint, identifier)): Path<(String, String)>,
    subject: Subject,
) -> ApiResult {
    crate::services::entities::delete_entity(&store, &subject, &blueprint, &identifier).await?;
    Ok(Json(json!({"ok": true})))
}
