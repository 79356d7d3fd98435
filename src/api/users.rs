//! `/v1/users`: inviting people.

use super::json::ApiJson;
use super::ApiResult;
use crate::model::{Subject, UserRole};
use crate::store::Store;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct InviteBody {
    invitee: Invitee,
}

#[derive(Deserialize)]
pub struct Invitee {
    email: String,
    /// Port's role strings; `Admin` makes an admin, anything else a member.
    #[serde(default)]
    roles: Vec<String>,
}

/// `POST /v1/users/invite`: Port answers `{ok}`; the one-time link is added
/// (`invitation.link`), since Portolan sends no e-mail itself.
pub async fn invite(
    State(store): State<Store>,
    subject: Subject,
    ApiJson(body): ApiJson<InviteBody>,
) -> ApiResult {
    let role = if body.invitee.roles.iter().any(|r| r == "Admin") {
        UserRole::Admin
    } else {
        UserRole::Member
    };
    let invitation =
        crate::services::directory::invite(&store, &subject, &body.invitee.email, role).await?;
    Ok(Json(json!({"ok": true, "invitation": invitation})))
}
