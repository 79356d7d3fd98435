//! `POST /v1/auth/access_token`, and the sign-in check on every other `/v1` call.

use super::json::ApiJson;
use super::{ApiError, ApiResult};
use crate::auth::machine;
use crate::auth::AuthState;
use crate::model::Subject;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest {
    client_id: String,
    client_secret: String,
}

pub async fn access_token(
    State(auth): State<AuthState>,
    extensions: axum::http::Extensions,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<TokenRequest>,
) -> ApiResult {
    let address = auth.client_address(&extensions, &headers);
    let token = machine::exchange(
        &auth.store,
        &auth.token_limiter,
        &body.client_id,
        &body.client_secret,
        &address,
    )
    .await?;
    Ok(Json(json!({
        "ok": true,
        "accessToken": token,
        "expiresIn": machine::TOKEN_SECONDS,
        "tokenType": "Bearer",
    })))
}

/// Every `/v1` route but the token exchange needs a subject: a bearer
/// token or a signed-in session (resolved by `auth::subject::resolve`).
pub async fn require_subject(req: Request, next: Next) -> Response {
    let signed_in = req
        .extensions()
        .get::<Subject>()
        .is_some_and(Subject::is_signed_in);
    if !signed_in {
        return ApiError(crate::auth::subject::sign_in_required(&req)).into_response();
    }
    next.run(req).await
}
