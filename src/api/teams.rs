//! `/v1/teams`: reading teams, and an admin's writes (teams synced from
//! SSO keep the identity provider's members).

use super::json::{present, ApiJson};
use super::ApiResult;
use crate::auth::AuthState;
use crate::model::{Subject, Team, User};
use crate::services::directory::{self, TeamInput};
use crate::store::Store;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Port's team object, with each member's profile.
fn team_json(team: &Team, people: &[User]) -> Value {
    let users: Vec<Value> = team
        .users
        .iter()
        .map(|email| match people.iter().find(|u| &u.email == email) {
            Some(u) => json!({
                "email": u.email, "firstName": u.first_name, "lastName": u.last_name,
                "picture": u.picture, "status": u.status.as_str(),
            }),
            None => json!({"email": email}),
        })
        .collect();
    json!({
        "id": team.name,
        "name": team.name,
        "description": team.description,
        "provider": team.provider.as_str(),
        "users": users,
        "createdAt": team.created_at,
        "updatedAt": team.updated_at,
    })
}

/// One team in Port's envelope, with its members' profiles.
async fn one(store: &Store, team: &Team) -> ApiResult {
    let people = directory::list_users(store).await?;
    Ok(Json(json!({"ok": true, "team": team_json(team, &people)})))
}

pub async fn list(State(store): State<Store>, State(auth): State<AuthState>) -> ApiResult {
    let all = directory::users_and_teams(&store, &auth.idp_name()).await?;
    let teams: Vec<Value> = all.teams.iter().map(|t| team_json(t, &all.users)).collect();
    Ok(Json(json!({"ok": true, "teams": teams})))
}

pub async fn get(State(store): State<Store>, Path(name): Path<String>) -> ApiResult {
    one(&store, &directory::get_team(&store, &name).await?).await
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct CreateBody {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    users: Option<Vec<String>>,
}

/// `POST /v1/teams` → 201 `{ok, team}`; a taken name is 409.
pub async fn create(
    State(store): State<Store>,
    subject: Subject,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<impl IntoResponse, super::ApiError> {
    let input = TeamInput {
        name: None,
        description: Some(body.description),
        users: body.users,
    };
    let team = directory::create_team(&store, &subject, &body.name, input).await?;
    Ok((StatusCode::CREATED, one(&store, &team).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct WriteBody {
    /// A new name renames the team, and everything that names it follows
    /// (entities' teams, permission grants, `$team` filters).
    #[serde(default)]
    name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "Option<String>")]
    description: Option<Option<String>>,
    #[serde(default)]
    users: Option<Vec<String>>,
}

/// `PUT /v1/teams/{name}`: replaces the description and the members
/// (left out means none).
pub async fn put(
    State(store): State<Store>,
    State(auth): State<AuthState>,
    subject: Subject,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<WriteBody>,
) -> ApiResult {
    let input = TeamInput {
        name: body.name,
        description: Some(body.description.flatten()),
        users: Some(body.users.unwrap_or_default()),
    };
    let team = directory::change_team(&store, &subject, &name, input, &auth.idp_name()).await?;
    one(&store, &team).await
}

/// `PATCH /v1/teams/{name}`: changes only what the body names.
pub async fn patch(
    State(store): State<Store>,
    State(auth): State<AuthState>,
    subject: Subject,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<WriteBody>,
) -> ApiResult {
    let input = TeamInput {
        name: body.name,
        description: body.description,
        users: body.users,
    };
    let team = directory::change_team(&store, &subject, &name, input, &auth.idp_name()).await?;
    one(&store, &team).await
}

pub async fn delete(
    State(store): State<Store>,
    State(auth): State<AuthState>,
    subject: Subject,
    Path(name): Path<String>,
) -> ApiResult {
    directory::delete_team(&store, &subject, &name, &auth.idp_name()).await?;
    Ok(Json(json!({"ok": true})))
}
