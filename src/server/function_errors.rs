//! Server functions answer every error with 500: `server_fn` fixes that
//! status for error responses. This middleware gives such a response the
//! status its `AppError` stands for (read back from the serialized error),
//! so a refused server function call is a 403 and a missing page a 404 for
//! browsers, proxies, logs and tests alike, as on the REST API.

use crate::model::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Largest error body read back (errors are a code and a sentence).
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn restore_error_status(request: Request, next: Next) -> Response {
    let is_server_function = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_function || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
