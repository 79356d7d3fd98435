//! REST API v1 in Port's shapes (`shared/spec/api.md`), one file per
//! resource, plus the health check.
//!
//! Handlers parse the request, call `services`, and answer with Port's
//! envelope: `{"ok": true, …}` or `{"ok": false, "error", "message"}` with
//! the status of the `AppError`. They hold no domain rule and no SQL.

mod audit;
mod auth;
mod blueprints;
mod entities;
mod export;
mod health;
mod json;
mod openapi;
mod pages;
mod permissions;
mod sidebars;
mod teams;
mod users;

pub use crate::envelope::ApiError;

use crate::auth::AuthState;
use crate::model::query::Query;
use crate::model::{Blueprint, Entity, Page, PagePermissions};
use crate::services::entities::EntityInput;
use crate::store::Store;
use axum::extract::FromRef;
use axum::routing::{any, get, on, post, MethodFilter, MethodRouter};
use axum::{Json, Router};
use serde_json::Value;

/// What every handler answers: Port's `{"ok": true, …}` or its error envelope.
pub type ApiResult = Result<Json<Value>, ApiError>;

/// One `/v1` endpoint: how it is routed (for a router whose state is `S`)
/// and how the OpenAPI document describes it.
pub struct Endpoint<S = AuthState> {
    pub method: &'static str,
    pub path: &'static str,
    handler: MethodRouter<S>,
    pub summary: &'static str,
    /// Query parameters the handler reads (flags and filters).
    pub query: &'static [&'static str],
    /// The schema of the JSON body the handler deserialises.
    pub body: Option<openapi::SchemaFn>,
    /// The key of the reply's payload beside `ok`, and its schema.
    pub reply: Option<(&'static str, openapi::SchemaFn)>,
}

/// Declares the `/v1` endpoints once: the router, the authorization matrix
/// test (through `endpoint_list`, failing when an endpoint is missing from
/// the matrix) and `/v1/openapi.json` are all built from this list, and the
/// body types named here are the ones the handlers' `ApiJson` extractors
/// take, so the document cannot drift from the routes.
///
/// `METHOD "path" => handler, "summary" [query, params] (BodyType) -> "key": ReplyType;`
macro_rules! endpoints {
    ($($method:ident $path:literal => $handler:expr, $summary:literal
        $([$($param:literal),*])? $(($body:ty))? $(-> $key:literal : $reply:ty)?);* $(;)?) => {
        fn endpoints<S>() -> Vec<Endpoint<S>>
        where
            S: Clone + Send + Sync + 'static,
            Store: FromRef<S>,
            AuthState: FromRef<S>,
        {
            vec![$(Endpoint {
                method: stringify!($method),
                path: $path,
                handler: on(MethodFilter::$method, $handler),
                summary: $summary,
                query: &[$($($param),*)?],
                body: [$(openapi::schema_of::<$body> as openapi::SchemaFn)?].first().copied(),
                reply: [$(($key, openapi::schema_of::<$reply> as openapi::SchemaFn))?].first().copied(),
            }),*]
        }
    };
}

endpoints! {
    GET "/blueprints" => blueprints::list, "List every blueprint" -> "blueprints": Vec<Blueprint>;
    POST "/blueprints" => blueprints::create, "Create a blueprint (and its catalog page and moderator role)" ["create_catalog_page"] (Blueprint) -> "blueprint": Blueprint;
    GET "/blueprints/{id}" => blueprints::get, "Read one blueprint" -> "blueprint": Blueprint;
    PUT "/blueprints/{id}" => blueprints::put, "Replace a blueprint; existing entities must still validate" (Blueprint) -> "blueprint": Blueprint;
    PATCH "/blueprints/{id}" => blueprints::patch, "Change some of a blueprint's keys" (Value) -> "blueprint": Blueprint;
    DELETE "/blueprints/{id}" => blueprints::delete, "Delete a blueprint (with its entities only when delete_entities=true)" ["delete_entities"] -> "deletedEntities": i64;
    GET "/blueprints/{id}/entities-count" => blueprints::entities_count, "Count a blueprint's entities the caller may read" -> "count": i64;
    GET "/blueprints/{id}/permissions" => permissions::get_blueprint, "Read who may do what with a blueprint's entities" -> "permissions": Value;
    PATCH "/blueprints/{id}/permissions" => permissions::patch_blueprint, "Change a blueprint's permissions" (Value) -> "permissions": Value;
    GET "/blueprints/{bp}/entities" => entities::list, "List a blueprint's entities" ["exclude_calculated_properties", "include", "exclude"] -> "entities": Vec<Entity>;
    POST "/blueprints/{bp}/entities" => entities::create, "Create an entity (or upsert, or merge into one)" ["upsert", "merge", "validation_only", "create_missing_related_entities"] (EntityInput) -> "entity": Entity;
    POST "/blueprints/{bp}/entities/search" => entities::search_blueprint, "Search a blueprint's entities, a page at a time" ["exclude_calculated_properties"] (entities::BlueprintSearch) -> "entities": Vec<Entity>;
    POST "/blueprints/{bp}/entities/bulk" => entities::bulk, "Create or upsert up to 1000 entities, each answered on its own" ["upsert", "merge", "validation_only", "create_missing_related_entities"] (entities::BulkBody) -> "entities": Value;
    POST "/blueprints/{bp}/bulk/entities/delete" => entities::bulk_delete, "Delete up to 100 entities by identifier" (entities::BulkDeleteBody) -> "deletedEntities": Vec<String>;
    GET "/blueprints/{bp}/entities/{id}" => entities::get, "Read one entity" ["exclude_calculated_properties", "include", "exclude"] -> "entity": Entity;
    PUT "/blueprints/{bp}/entities/{id}" => entities::put, "Replace an entity" ["create_missing_related_entities"] (EntityInput) -> "entity": Entity;
    PATCH "/blueprints/{bp}/entities/{id}" => entities::patch, "Change some of an entity's fields" ["create_missing_related_entities"] (EntityInput) -> "entity": Entity;
    DELETE "/blueprints/{bp}/entities/{id}" => entities::delete, "Delete an entity";
    POST "/entities/search" => entities::search, "Search every blueprint with the query language" ["exclude_calculated_properties", "include", "exclude"] (Query) -> "entities": Vec<Entity>;
    GET "/export" => export::export, "Export entities as JSON lines, GitOps YAML or Terraform HCL (streamed): whole blueprints, or what a catalog page's view shows" ["blueprints", "format", "page", "filter", "sort", "q", "mine", "view"];
    POST "/import" => export::import, "Import a JSON export" (Value) -> "import": Value;
    GET "/pages" => pages::list, "List pages" -> "pages": Vec<Page>;
    POST "/pages" => pages::create, "Create a page (a dashboard's widgets flat or inside one dashboard-widget)" (Page) -> "page": Page;
    GET "/pages/{id}" => pages::get, "Read one page" -> "page": Page;
    PUT "/pages/{id}" => pages::put, "Replace a dashboard's widgets, layout and filters" (Value) -> "page": Page;
    PATCH "/pages/{id}" => pages::patch, "Change some of a dashboard's keys" (Value) -> "page": Page;
    DELETE "/pages/{id}" => pages::delete, "Delete a page and its saved views";
    GET "/pages/{id}/permissions" => permissions::get_page, "Read who may see a page" -> "permissions": PagePermissions;
    PATCH "/pages/{id}/permissions" => permissions::patch_page, "Change who may see a page" (Value) -> "permissions": PagePermissions;
    GET "/sidebars/catalog" => sidebars::get, "Read the sidebar: folders and the pages the caller may read" -> "sidebar": Value;
    POST "/sidebars/catalog/folders" => sidebars::create_folder, "Create a sidebar folder" (sidebars::FolderBody) -> "folder": Value;
    PATCH "/sidebars/catalog/folders/{id}" => sidebars::patch_folder, "Rename a sidebar folder" (sidebars::FolderChange) -> "folder": Value;
    DELETE "/sidebars/catalog/folders/{id}" => sidebars::delete_folder, "Delete an empty sidebar folder";
    GET "/audit-log" => audit::list, "Read the audit log, newest first" ["entity", "blueprint", "user", "action", "status", "resources", "from", "to", "limit", "before"] -> "audits": Vec<Value>;
    GET "/users" => users::list, "List users" -> "users": Vec<Value>;
    POST "/users/invite" => users::invite, "Invite someone by e-mail" (users::InviteBody) -> "invitation": Value;
    GET "/users/{email}" => users::get, "Read one user" -> "user": Value;
    PATCH "/users/{email}" => users::patch, "Change a user's role, teams or status" (users::PatchBody) -> "user": Value;
    DELETE "/users/{email}" => users::delete, "Delete a user";
    POST "/rotate-credentials/{email}" => users::rotate_credentials, "Issue a user new API credentials" -> "credentials": Value;
    GET "/teams" => teams::list, "List teams" -> "teams": Vec<Value>;
    POST "/teams" => teams::create, "Create a team" (teams::CreateBody) -> "team": Value;
    GET "/teams/{name}" => teams::get, "Read one team with its members" -> "team": Value;
    PUT "/teams/{name}" => teams::put, "Replace a team's description and members" (teams::WriteBody) -> "team": Value;
    PATCH "/teams/{name}" => teams::patch, "Change a team's description or members" (teams::WriteBody) -> "team": Value;
    DELETE "/teams/{name}" => teams::delete, "Delete a team";
}

/// Every `/v1` endpoint as `(method, full path)`, e.g. `("GET", "/v1/users")`.
pub fn endpoint_list() -> Vec<(&'static str, String)> {
    endpoints::<AuthState>()
        .into_iter()
        .map(|e| (e.method, format!("/v1{}", e.path)))
        .collect()
}

/// The API over any application state that holds the store and the
/// sign-in settings (the server's `AppState`; `AuthState` itself).
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Store: FromRef<S>,
    AuthState: FromRef<S>,
{
    let v1 = endpoints::<S>()
        .into_iter()
        .fold(Router::new(), |router, e| router.route(e.path, e.handler))
        .fallback(any(blueprints::unknown_route))
        .layer(axum::middleware::from_fn(auth::require_subject));
    Router::new()
        .route("/healthz", get(health::healthz))
        // Outside the bearer check: this is where tokens come from.
        .route("/v1/auth/access_token", post(auth::access_token))
        // Public like Port's: it describes the API and holds no data.
        .route("/v1/openapi.json", get(openapi::document))
        .nest("/v1", v1)
        .layer(axum::middleware::from_fn(
            crate::envelope::envelope_bare_errors,
        ))
}
