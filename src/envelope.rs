//! Port's error envelope, `{"ok": false, "error": "<code>", "message"}`,
//! for every failing API call and for the sign-in checks in front of the
//! API (`auth`), which answer in the same shape. Below both `api` and
//! `auth`, so neither imports the other for it.

use crate::model::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An `AppError` answered as `{"ok": false, "error": "<code>", "message": "…"}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError(e.into())
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = serde_json::json!({
            "ok": false,
            "error": self.0.code(),
            "message": self.0.message(),
        });
        // Which fields were refused, each with its own message.
        if let AppError::Fields(problems) = &self.0 {
            body["errors"] = serde_json::json!(problems.fields);
        }
        (status, Json(body)).into_response()
    }
}

/// Middleware: an error answered outside a handler (a method the route
/// does not take, a path that does not decode) comes from axum as bare
/// text; under `/v1` it is rewritten into Port's envelope, its status and
/// headers (`Allow` on a 405) kept, so clients read every error alike.
pub async fn envelope_bare_errors(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            let allowed = parts
                .headers
                .get(axum::http::header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            (
                "method_not_allowed",
                format!("{method} is not allowed on {path}; this route takes {allowed}"),
            )
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", text),
        other => {
            let code = match other.as_u16() {
                400 => "bad_request",
                401 => "unauthorized",
                403 => "forbidden",
                404 => "not_found",
                408 => "request_timeout",
                409 => "conflict",
                413 => "payload_too_large",
                422 => "invalid_request",
                429 => "too_many_requests",
                503 => "unavailable",
                _ => "internal_error",
            };
            let message = if text.is_empty() {
                other.canonical_reason().unwrap_or("error").to_string()
            } else {
                text
            };
            (code, message)
        }
    };
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    let body = serde_json::json!({"ok": false, "error": code, "message": message});
    (parts, Json(body)).into_response()
}
