//! `/v1/blueprints/{bp}/entities…` and `/v1/entities/search`: reading,
//! searching (with `include`/`exclude` projections), creating, replacing,
//! patching and deleting entities, one at a time or in bulk.

use super::json::ApiJson;
use super::ApiResult;
use crate::model::projection::Projection;
use crate::model::query::Query;
use crate::model::{AppError, Entity, Subject};
use crate::services::entities::{self, EntityInput, WriteOptions};
use crate::store::Store;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// `include` / `exclude` query parameters (repeated or comma-joined).
fn projection_of(uri: &Uri) -> Result<Projection, AppError> {
    let (mut include, mut exclude) = (Vec::new(), Vec::new());
    for (key, value) in url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()) {
        match key.as_ref() {
            "include" | "include[]" => include.push(value.into_owned()),
            "exclude" | "exclude[]" => exclude.push(value.into_owned()),
            _ => {}
        }
    }
    Projection::parse(&include, &exclude)
}

/// Entities as the answer carries them, projected.
fn projected(projection: &Projection, entities: Vec<Entity>) -> Vec<Value> {
    entities
        .into_iter()
        .map(|e| projection.apply(json!(e)))
        .collect()
}

/// Mirror values among the properties, unless the client asked to leave
/// calculated values out (`exclude_calculated_properties=true`).
async fn with_mirrors(
    store: &Store,
    params: &std::collections::HashMap<String, String>,
    entities: &mut [crate::model::Entity],
) -> Result<(), AppError> {
    if flag(params, "exclude_calculated_properties") {
        return Ok(());
    }
    crate::services::mirrors::fill(store, entities).await
}

pub async fn get(
    State(store): State<Store>,
    subject: Subject,
    Path((blueprint, identifier)): Path<(String, String)>,
    axum::extract::Query(params): Params,
    uri: Uri,
) -> ApiResult {
    let projection = projection_of(&uri)?;
    let entity =
        crate::services::catalog::readable_entity(&store, &subject, &blueprint, &identifier)
            .await?;
    let mut entities = [entity];
    with_mirrors(&store, &params, &mut entities).await?;
    let [entity] = entities;
    Ok(Json(
        json!({"ok": true, "entity": projection.apply(json!(entity))}),
    ))
}

pub async fn list(
    State(store): State<Store>,
    subject: Subject,
    Path(blueprint): Path<String>,
    axum::extract::Query(params): Params,
    uri: Uri,
) -> ApiResult {
    let projection = projection_of(&uri)?;
    let (_, mut entities) = crate::services::search::search(
        &store,
        &subject,
        &Query::from_json(&json!({"combinator": "and", "rules": [
            {"property": "$blueprint", "operator": "=", "value": blueprint}]}))
        .map_err(|e| AppError::Internal(e.to_string()))?,
    )
    .await?;
    if entities.is_empty() {
        // Distinguish "no entities" from "no such blueprint".
        crate::services::blueprints::blueprint(&store, &blueprint).await?;
    }
    with_mirrors(&store, &params, &mut entities).await?;
    Ok(Json(
        json!({"ok": true, "entities": projected(&projection, entities)}),
    ))
}

pub async fn search(
    State(store): State<Store>,
    subject: Subject,
    axum::extract::Query(params): Params,
    uri: Uri,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult {
    let projection = projection_of(&uri)?;
    let query =
        Query::from_json(&body).map_err(|e| AppError::Invalid(format!("invalid query: {e}")))?;
    let (matching, mut entities) =
        crate::services::search::search(&store, &subject, &query).await?;
    with_mirrors(&store, &params, &mut entities).await?;
    Ok(Json(json!({
        "ok": true,
        "matchingBlueprints": matching,
        "entities": projected(&projection, entities),
    })))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlueprintSearch {
    #[serde(default)]
    query: Option<Value>,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    from: Option<String>,
    /// Fields to keep (`identifier`, `properties.tier`, …): an array, one
    /// comma-joined string, or null.
    #[serde(default, deserialize_with = "names")]
    #[schemars(with = "Option<Vec<String>>")]
    include: Vec<String>,
    /// Fields to drop, the same way.
    #[serde(default, deserialize_with = "names")]
    #[schemars(with = "Option<Vec<String>>")]
    exclude: Vec<String>,
}

/// A list of field names as clients send it: null, one string or an array.
fn names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Names {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<Names>::deserialize(d)? {
        None => Vec::new(),
        Some(Names::One(one)) => vec![one],
        Some(Names::Many(many)) => many,
    })
}

pub async fn search_blueprint(
    State(store): State<Store>,
    subject: Subject,
    Path(blueprint): Path<String>,
    axum::extract::Query(params): Params,
    ApiJson(body): ApiJson<BlueprintSearch>,
) -> ApiResult {
    let projection = Projection::parse(&body.include, &body.exclude)?;
    let query = body
        .query
        .as_ref()
        .map(Query::from_json)
        .transpose()
        .map_err(|e| AppError::Invalid(format!("invalid query: {e}")))?;
    let (mut entities, next) = crate::services::search::search_blueprint(
        &store,
        &subject,
        &blueprint,
        query.as_ref(),
        body.limit,
        body.from.as_deref(),
    )
    .await?;
    with_mirrors(&store, &params, &mut entities).await?;
    let mut reply = json!({"ok": true, "entities": projected(&projection, entities)});
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

fn write_options(params: &std::collections::HashMap<String, String>) -> WriteOptions {
    WriteOptions {
        upsert: flag(params, "upsert"),
        merge: flag(params, "merge"),
        validation_only: flag(params, "validation_only"),
        create_missing_related_entities: flag(params, "create_missing_related_entities"),
        ..WriteOptions::default()
    }
}

type Params = axum::extract::Query<std::collections::HashMap<String, String>>;

pub async fn create(
    State(store): State<Store>,
    Path(blueprint): Path<String>,
    axum::extract::Query(params): Params,
    subject: Subject,
    ApiJson(body): ApiJson<EntityInput>,
) -> Result<(StatusCode, Json<Value>), super::ApiError> {
    let (entity, created) =
        entities::write_entity(&store, &subject, &blueprint, body, write_options(&params)).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({"ok": true, "entity": entity}))))
}

/// PUT (`merge = false`: the body replaces the entity) and PATCH (`merge`:
/// only what the body names changes) of an entity that exists.
async fn update(
    store: &Store,
    subject: &Subject,
    (blueprint, identifier): (String, String),
    params: &std::collections::HashMap<String, String>,
    mut body: EntityInput,
    merge: bool,
) -> ApiResult {
    match &body.identifier {
        Some(other) if *other != identifier => {
            return Err(AppError::Invalid(format!(
                "identifier: renaming `{identifier}` to `{other}` is not supported; create `{other}` and delete `{identifier}`"
            ))
            .into())
        }
        _ => body.identifier = Some(identifier.clone()),
    }
    let options = WriteOptions {
        merge,
        ..write_options(params)
    };
    let entity =
        entities::update_entity(store, subject, &blueprint, &identifier, body, options).await?;
    Ok(Json(json!({"ok": true, "entity": entity})))
}

pub async fn put(
    State(store): State<Store>,
    Path(path): Path<(String, String)>,
    axum::extract::Query(params): Params,
    subject: Subject,
    ApiJson(body): ApiJson<EntityInput>,
) -> ApiResult {
    update(&store, &subject, path, &params, body, false).await
}

pub async fn patch(
    State(store): State<Store>,
    Path(path): Path<(String, String)>,
    axum::extract::Query(params): Params,
    subject: Subject,
    ApiJson(body): ApiJson<EntityInput>,
) -> ApiResult {
    update(&store, &subject, path, &params, body, true).await
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct BulkBody {
    entities: Vec<EntityInput>,
}

/// `POST …/entities/bulk`: each entity checked and answered on its own;
/// 207 when any failed (Port's reply shape, api.md §4).
pub async fn bulk(
    State(store): State<Store>,
    Path(blueprint): Path<String>,
    axum::extract::Query(params): Params,
    subject: Subject,
    ApiJson(body): ApiJson<BulkBody>,
) -> Result<(StatusCode, Json<Value>), super::ApiError> {
    let count = body.entities.len();
    if count == 0 || count > entities::BULK_LIMIT {
        let message = format!(
            "entities: send 1 to {} entities per request, not {count}",
            entities::BULK_LIMIT
        );
        return Err(if count == 0 {
            AppError::Invalid(message)
        } else {
            AppError::PayloadTooLarge(message)
        }
        .into());
    }
    let identifiers: Vec<Option<String>> =
        body.entities.iter().map(|e| e.identifier.clone()).collect();
    let outcomes = entities::write_entities(
        &store,
        &subject,
        &blueprint,
        body.entities,
        write_options(&params),
    )
    .await?;
    let (mut written, mut errors) = (Vec::new(), Vec::new());
    for (index, (outcome, identifier)) in outcomes.into_iter().zip(identifiers).enumerate() {
        match outcome {
            Ok((entity, created)) => written.push(json!({
                "identifier": entity.identifier, "index": index, "created": created,
            })),
            Err(e) => errors.push(json!({
                "identifier": identifier.unwrap_or_else(|| "unknown".into()),
                "index": index,
                "statusCode": e.status(),
                "error": e.code(),
                "message": e.message(),
            })),
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::MULTI_STATUS
    };
    Ok((
        status,
        Json(json!({"ok": errors.is_empty(), "entities": written, "errors": errors})),
    ))
}

pub async fn delete(
    State(store): State<Store>,
    Path((blueprint, identifier)): Path<(String, String)>,
    subject: Subject,
) -> ApiResult {
    entities::delete_entity(&store, &subject, &blueprint, &identifier).await?;
    Ok(Json(json!({"ok": true})))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct BulkDeleteBody {
    entities: Vec<String>,
}

/// `POST /v1/blueprints/{bp}/bulk/entities/delete`: up to 100 identifiers;
/// answers those deleted (missing ones are skipped, as Port's partial ok).
pub async fn bulk_delete(
    State(store): State<Store>,
    Path(blueprint): Path<String>,
    subject: Subject,
    ApiJson(body): ApiJson<BulkDeleteBody>,
) -> ApiResult {
    if body.entities.is_empty() || body.entities.len() > 100 {
        return Err(AppError::Invalid(format!(
            "entities: send 1 to 100 identifiers, not {}",
            body.entities.len()
        ))
        .into());
    }
    let mut deleted = Vec::new();
    for identifier in body.entities {
        match entities::delete_entity(&store, &subject, &blueprint, &identifier).await {
            Ok(()) => deleted.push(identifier),
            Err(AppError::NotFound(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Json(json!({"ok": true, "deletedEntities": deleted})))
}
