//! Port's error envelope for every failing API call.

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
        let body = serde_json::json!({
            "ok": false,
            "error": self.0.code(),
            "message": self.0.message(),
        });
        (status, Json(body)).into_response()
    }
}
