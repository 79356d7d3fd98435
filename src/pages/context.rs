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
    if is_plain_form_post() {
        leptos_axum::redirect(href);
    }
}

/// Whether this request is a form posted by the browser itself (before or
/// without JavaScript): it asks for HTML, where calls from the hydrated
/// page ask for data.
fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.headers.get(axum::http::header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().map(|a| a.contains("text/html")).ok())
        .unwrap_or(false)
}

/// Sends a plain form post whose fields were refused back to the page it
/// came from, with `reply` (what was typed and each field's message) in
/// the URL for the page to open the form again with. Calls from the
/// hydrated page read the answer themselves.
pub fn reply_to_plain_form(reply: &crate::model::form::FormReply) {
    if !is_plain_form_post() {
        return;
    }
    let referer = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.headers.get(axum::http::header::REFERER).cloned())
        .and_then(|r| r.to_str().ok().map(str::to_string));
    let Some(page) = referer.and_then(|r| url::Url::parse(&r).ok()) else {
        return;
    };
    let json = serde_json::to_string(reply).unwrap_or_default();
    leptos_axum::redirect(&with_reply(page.path(), page.query().unwrap_or(""), &json));
}

/// `path?query` with `reply` set to `json`, any earlier reply and
/// Leptos's own error marks (`__err`, `__path`) dropped; the other
/// parameters are kept as they were written.
fn with_reply(path: &str, query: &str, json: &str) -> String {
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| !matches!(pair.split('=').next(), Some("reply" | "__err" | "__path")))
        .collect();
    let mut out = format!("{path}?");
    for pair in kept {
        out.push_str(pair);
        out.push('&');
    }
    out.push_str("reply=");
    out.push_str(&crate::model::url::encode_component(json));
    out
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_reply_replaces_the_last_one_and_keeps_the_rest() {
        assert_eq!(
            super::with_reply(
                "/entity/a/b",
                "edit&reply=%7B%7D&__err=x&__path=y",
                "{\"a\":1}"
            ),
            "/entity/a/b?edit&reply=%7B%22a%22%3A1%7D"
        );
        assert_eq!(
            super::with_reply("/catalog/s", "", "{}"),
            "/catalog/s?reply=%7B%7D"
        );
    }
}
