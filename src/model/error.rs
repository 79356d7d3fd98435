//! The error that crosses from the server to the browser.
//!
//! Services and server functions return `AppError`; the REST layer wraps it in
//! Port's `{"ok": false, "error", "message"}` envelope. Each variant carries a
//! message meant for a person and maps to one HTTP status.

use super::validate::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", content = "message", rename_all = "snake_case")]
pub enum AppError {
    /// Malformed request (400).
    #[error("{0}")]
    BadRequest(String),
    /// No valid session or token (401).
    #[error("{0}")]
    Unauthorized(String),
    /// Known subject, not allowed (403).
    #[error("{0}")]
    Forbidden(String),
    /// The thing asked for does not exist (404); Port's clients read `not_found`.
    #[error("{0}")]
    NotFound(String),
    /// Someone else changed it first, or it already exists (409).
    #[error("{0}")]
    Conflict(String),
    /// The body is larger than the limit (413).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Too many attempts; try again later (429).
    #[error("{0}")]
    TooManyRequests(String),
    /// Well-formed but breaks a schema rule (422).
    #[error("{0}")]
    Invalid(String),
    /// A write refused for what particular fields hold: values that break
    /// the schema (422), related entities that do not exist (404), an
    /// identifier already taken (409). One message for an API client, and
    /// each field's own for a form to show next to its input.
    #[error("{}", .0.message)]
    Fields(FieldErrors),
    /// The database or another dependency does not answer (503).
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an unexpected failure (500); details are in the server log.
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::PayloadTooLarge(_) => 413,
            AppError::Invalid(_) => 422,
            AppError::Fields(f) => f.status,
            AppError::TooManyRequests(_) => 429,
            AppError::Unavailable(_) => 503,
            AppError::Internal(_) => 500,
        }
    }

    /// The machine-readable code of Port's error envelope.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::Invalid(_) => "invalid_request",
            AppError::Fields(f) => match f.status {
                404 => "not_found",
                409 => "conflict",
                _ => "invalid_request",
            },
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal_error",
        }
    }

    pub fn message(&self) -> &str {
        match self {
            AppError::BadRequest(m)
            | AppError::Unauthorized(m)
            | AppError::Forbidden(m)
            | AppError::NotFound(m)
            | AppError::Conflict(m)
            | AppError::PayloadTooLarge(m)
            | AppError::Invalid(m)
            | AppError::TooManyRequests(m)
            | AppError::Unavailable(m)
            | AppError::Internal(m) => m,
            AppError::Fields(f) => &f.message,
        }
    }
}

/// What `AppError::Fields` carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors {
    /// 422, 404 or 409.
    pub status: u16,
    /// All of it in one sentence, for an API client.
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl FieldErrors {
    /// Invalid values (422), the message joining every field's.
    pub fn invalid(fields: Vec<FieldError>) -> AppError {
        AppError::Fields(FieldErrors {
            status: 422,
            message: super::validate::joined(&fields),
            fields,
        })
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = super::json_codec::JsonText;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(m) | E::Response(m) => {
                AppError::Unavailable(format!("the portal could not be reached: {m}"))
            }
            E::Args(m) | E::MissingArg(m) | E::Deserialization(m) => AppError::BadRequest(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialize_with_port_codes() {
        let e = AppError::NotFound("no blueprint `x`".into());
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["error"], "not_found");
        assert_eq!(json["message"], "no blueprint `x`");
        assert_eq!(e.status(), 404);
        let back: AppError = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }
}
