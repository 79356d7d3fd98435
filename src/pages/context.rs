//! What a server function needs of the request it serves: the store, the
//! acting subject, the sign-in settings, and how to answer a plain form
//! post. Server-only; the server provides these as context to every
//! server function and page it renders (`server::router`).

use crate::model::AppError;
use crate::store::Store;

/// The acting subject of the current request, for server functions.
pub async fn subject() -> Result<crate::model::Subject, AppError> {
    leptos_axum::extract::<crate::model::Subject>()
        .await
        .map_err(|e| AppError::Internal(format!("could not read the request: {e}")))
}

/// Sends a plain form post (one sent before the page hydrated, which asks
/// for HTML) to `href` once its server function succeeded; without this it
/// would land back on the page it came from. Calls from the hydrated page
/// ask for data and navigate themselves.
pub fn redirect_plain_form_to(href: &str) {
    let accepts_html = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.headers.get(axum::http::header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().map(|a| a.contains("text/html")).ok())
        .unwrap_or(false);
    if accepts_html {
        leptos_axum::redirect(href);
    }
}

/// The authentication settings, for server functions (the identity
/// provider's name in messages).
pub fn auth() -> Result<crate::auth::AuthState, AppError> {
    leptos::prelude::use_context::<crate::auth::AuthState>().ok_or_else(|| {
        AppError::Internal("the sign-in settings are not available to this request".into())
    })
}

/// The store of the current request, for server functions.
pub fn store() -> Result<Store, AppError> {
    leptos::prelude::use_context::<Store>()
        .ok_or_else(|| AppError::Internal("the database is not available to this request".into()))
}
