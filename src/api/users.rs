//! `/v1/users`: reading people, an admin's edits, invitations, and personal
//! credentials (`/v1/rotate-credentials/{email}`).

use super::json::ApiJson;
use super::ApiResult;
use crate::auth::AuthState;
use crate::model::{Subject, User};
use crate::services::{credentials, directory};
use crate::store::Store;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Port's user object (spec/data-model.md §4), status in the entity form.
pub fn user_json(user: &User) -> Value {
    json!({
        "id": user.email,
        "email": user.email,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "picture": user.picture,
        "status": user.status.as_str(),
        "type": "Standard",
        "teams": user.teams,
        "teamsIdentifiers": user.teams,
        "roles": user.role_names().into_iter().map(|name| json!({"name": name})).collect::<Vec<_>>(),
        "createdAt": user.created_at,
        "updatedAt": user.updated_at,
        "lastLoginAt": user.last_login_at,
    })
}

pub async fn list(State(store): State<Store>) -> ApiResult {
    let users = directory::list_users(&store).await?;
    let users: Vec<Value> = users.iter().map(user_json).collect();
    Ok(Json(json!({"ok": true, "users": users})))
}

pub async fn get(State(store): State<Store>, Path(email): Path<String>) -> ApiResult {
    let user = directory::get_user(&store, &email).await?;
    Ok(Json(json!({"ok": true, "user": user_json(&user)})))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    #[serde(default)]
    roles: Option<Vec<String>>,
    #[serde(default)]
    teams: Option<Vec<String>>,
    /// `Active` or `Disabled` (Portolan's addition: Port's UI disables
    /// people; its API has no field for it).
    #[serde(default)]
    status: Option<String>,
}

pub async fn patch(
    State(store): State<Store>,
    State(auth): State<AuthState>,
    subject: Subject,
    Path(email): Path<String>,
    ApiJson(body): ApiJson<PatchBody>,
) -> ApiResult {
    let edit = directory::UserEdit {
        roles: body.roles,
        teams: body.teams,
        status: body.status,
    };
    let user = directory::change_user(&store, &subject, &email, edit, &auth.idp_name()).await?;
    Ok(Json(json!({"ok": true, "user": user_json(&user)})))
}

pub async fn delete(
    State(store): State<Store>,
    subject: Subject,
    Path(email): Path<String>,
) -> ApiResult {
    directory::delete_user(&store, &subject, &email).await?;
    Ok(Json(json!({"ok": true})))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct InviteBody {
    invitee: Invitee,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct Invitee {
    email: String,
    /// Port's role strings (`Admin`, `Member`, `<blueprint>-moderator`),
    /// read as `PATCH /v1/users/{email}` reads them; none means `Member`.
    #[serde(default)]
    roles: Vec<String>,
    /// Teams made in Portolan that they join.
    #[serde(default)]
    teams: Vec<String>,
}

/// `POST /v1/users/invite`: Port answers `{ok}`; the one-time link is added
/// (`invitation.link`), since Portolan sends no e-mail itself.
pub async fn invite(
    State(store): State<Store>,
    State(auth): State<AuthState>,
    subject: Subject,
    ApiJson(body): ApiJson<InviteBody>,
) -> ApiResult {
    let Invitee {
        email,
        roles,
        teams,
    } = body.invitee;
    let invitation =
        directory::invite(&store, &subject, &email, &roles, &teams, &auth.idp_name()).await?;
    Ok(Json(json!({"ok": true, "invitation": invitation})))
}

/// `POST /v1/rotate-credentials/{email}`: makes or rotates the person's
/// own credentials (themselves or an admin); the secret is shown once.
pub async fn rotate_credentials(
    State(store): State<Store>,
    subject: Subject,
    Path(email): Path<String>,
) -> ApiResult {
    let issued = credentials::rotate_personal(&store, &subject, &email).await?;
    Ok(Json(json!({"ok": true, "credentials": issued})))
}
