//! `POST /v1/auth/access_token` and the bearer-token check on every `/v1`
//! call.

use super::json::ApiJson;
use super::{ApiError, ApiResult};
use crate::auth::machine;
use crate::model::AppError;
use crate::store::Store;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest {
    client_id: String,
    client_secret: String,
}

pub async fn access_token(
    State(store): State<Store>,
    ApiJson(body): ApiJson<TokenRequest>,
) -> ApiResult {
    let token = machine::issue_token(
        &store,
        &body.client_id,
        &body.client_secret,
        machine::TOKEN_SECONDS,
    )
    .await?;
    Ok(Json(json!({
        "ok": true,
        "accessToken": token,
        "expiresIn": machine::TOKEN_SECONDS,
        "tokenType": "Bearer",
    })))
}

/// A request that carries `Authorization` must carry a valid bearer token;
/// the machine it names is put in the request's extensions for handlers.
/// Requests without one go on as anonymous (reads are open until sign-in).
pub async fn check_bearer(State(store): State<Store>, mut req: Request, next: Next) -> Response {
    if let Some(value) = req.headers().get(AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim().to_string());
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return ApiError(AppError::Unauthorized(
                "send the token as `Authorization: Bearer <accessToken>`".into(),
            ))
            .into_response();
        };
        match machine::verify_token(&store, &token).await {
            Ok(machine) => {
                req.extensions_mut().insert(machine);
            }
            Err(e) => return ApiError(e).into_response(),
        }
    }
    next.run(req).await
}
