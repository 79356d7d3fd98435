//! Request bodies: JSON parsing whose failures answer in Port's envelope
//! (400 malformed, 413 too large, 415 wrong content type) instead of axum's
//! plain-text rejections.

use super::ApiError;
use crate::model::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError(match rejection {
                JsonRejection::JsonDataError(e) => {
                    AppError::Invalid(format!("invalid request body: {}", e.body_text()))
                }
                JsonRejection::JsonSyntaxError(e) => {
                    AppError::BadRequest(format!("the body is not valid JSON: {}", e.body_text()))
                }
                JsonRejection::MissingJsonContentType(_) => AppError::BadRequest(
                    "send the body as JSON with `Content-Type: application/json`".into(),
                ),
                JsonRejection::BytesRejection(e)
                    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
                {
                    AppError::PayloadTooLarge("the body is larger than 1 MiB".into())
                }
                other => AppError::BadRequest(other.body_text()),
            })),
        }
    }
}

pub use crate::model::present;
