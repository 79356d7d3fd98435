//! `GET /v1/openapi.json`: the OpenAPI 3.0 document of the REST API, built
//! from the endpoint list in `api/mod.rs` (paths, methods, query flags)
//! and the JSON Schemas of the types the handlers deserialise and answer
//! (derived with schemars from the same structs serde reads).

use super::{endpoints, Endpoint};
use axum::Json;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// Writes a type's schema into the generator (its definitions collect the
/// named types) and answers a `$ref` to it or the schema inline.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

pub fn schema_of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// The document never changes while the server runs: built once.
pub async fn document() -> Json<Value> {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    Json(
        DOCUMENT
            .get_or_init(|| build(&endpoints::<crate::auth::AuthState>()))
            .clone(),
    )
}

/// `{name}` segments of a path, in order.
fn path_parameters(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

fn envelope(key: Option<(&str, Value)>) -> Value {
    let mut properties = Map::new();
    properties.insert("ok".into(), json!({"type": "boolean", "enum": [true]}));
    if let Some((key, schema)) = key {
        properties.insert(key.into(), schema);
    }
    json!({"type": "object", "required": ["ok"], "properties": properties})
}

fn operation(endpoint: &Endpoint, generator: &mut SchemaGenerator) -> Value {
    let mut parameters: Vec<Value> = path_parameters(endpoint.path)
        .into_iter()
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    parameters.extend(endpoint.query.iter().map(|name| {
        json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}})
    }));
    let reply = endpoint
        .reply
        .map(|(key, schema)| (key, schema(generator).to_value()));
    let mut op = json!({
        "operationId": operation_id(endpoint),
        "summary": endpoint.summary,
        "tags": [tag(endpoint.path)],
        "parameters": parameters,
        "responses": {
            "2XX": {"description": "Done: Port's envelope with `ok: true`.",
                    "content": {"application/json": {"schema": envelope(reply)}}},
            "4XX": {"description": "Refused: what is wrong, with `ok: false`.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    });
    if let Some(body) = endpoint.body {
        op["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": body(generator).to_value()}},
        });
    }
    op
}

/// `GET /blueprints/{bp}/entities/{id}` → `get_blueprints_bp_entities_id`.
fn operation_id(endpoint: &Endpoint) -> String {
    let path: Vec<&str> = endpoint
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_matches(|c| c == '{' || c == '}'))
        .collect();
    format!("{}_{}", endpoint.method.to_lowercase(), path.join("_")).replace('-', "_")
}

fn tag(path: &str) -> String {
    path.split('/').nth(1).unwrap_or("api").to_string()
}

pub fn build(endpoints: &[Endpoint]) -> Value {
    let mut generator = SchemaSettings::openapi3().into_generator();
    let mut paths = Map::new();
    for endpoint in endpoints {
        let path = format!("/v1{}", endpoint.path);
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[endpoint.method.to_lowercase()] = operation(endpoint, &mut generator);
    }
    paths.insert(
        "/v1/auth/access_token".into(),
        json!({"post": {
            "operationId": "post_auth_access_token",
            "summary": "Exchange a client id and secret for a bearer token",
            "tags": ["auth"],
            "security": [],
            "requestBody": {"required": true, "content": {"application/json": {
                "schema": schema_of::<super::auth::TokenRequest>(&mut generator).to_value()}}},
            "responses": {
                "2XX": {"description": "`{ok, accessToken, expiresIn, tokenType}`",
                        "content": {"application/json": {"schema": envelope(Some(("accessToken", json!({"type": "string"}))))}}},
                "4XX": {"description": "Unknown client or wrong secret",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        }}),
    );
    let mut schemas = generator.take_definitions(true);
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "required": ["ok", "error", "message"],
            "properties": {
                "ok": {"type": "boolean", "enum": [false]},
                "error": {"type": "string", "description": "A code: bad_request, invalid_request, unauthorized, forbidden, not_found, conflict, payload_too_large, too_many_requests, unavailable, internal_error"},
                "message": {"type": "string", "description": "What is wrong, for a person to read."}
            }
        }),
    );
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Portolan REST API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Port-compatible REST API v1 of the Portolan developer portal. Every reply carries `ok`; errors add `error` and `message`."
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "A token from POST /v1/auth/access_token"},
                "session": {"type": "apiKey", "in": "cookie", "name": "portolan_session"}
            }
        }
    })
}
