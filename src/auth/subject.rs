//! The one place that turns a request into its `Subject`: a bearer token
//! (machines) or the session cookie (people), with the session limits and
//! the account's current status checked on every request.
//!
//! `resolve` runs once per request as a middleware and leaves the answer
//! in the request's extensions; handlers and server functions take it with
//! the `Subject` extractor. Nothing else reads the session.

use super::session::{self, Ended};
use super::AuthState;
use crate::model::{AppError, SignedInUser, Subject, UserStatus};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// Left in the extensions when a session existed but has just ended, so
/// the answer can say why ("you were away for 3 days") instead of a bare 401.
#[derive(Clone, Copy, Debug)]
pub struct SessionEnded(pub Ended);

impl<S: Send + Sync> FromRequestParts<S> for Subject {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Subject>()
            .cloned()
            .unwrap_or_default())
    }
}

/// The bearer token of an `Authorization` header: `Ok(None)` without the
/// header, an error when the header is there but not a bearer token.
fn bearer(req: &Request) -> Result<Option<String>, AppError> {
    let Some(value) = req.headers().get(AUTHORIZATION) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string())
        .filter(|t| !t.is_empty())
        .map(Some)
        .ok_or_else(|| {
            AppError::Unauthorized("send the token as `Authorization: Bearer <accessToken>`".into())
        })
}

/// The person signed in to `session` (anonymous without a sign-in), or
/// why their session no longer counts (then it is deleted).
async fn session_subject(
    state: &AuthState,
    session: &Session,
) -> Result<Result<Subject, Ended>, AppError> {
    let Some(sign_in) = session::sign_in_of(session).await else {
        return Ok(Ok(Subject::Anonymous));
    };
    // Left in place, marked, until it expires: deleted, a request still
    // in flight with it could write it back unmarked.
    if let Some(ended) = session::ended_from_outside(session).await {
        return Ok(Err(ended));
    }
    let now = session::now();
    if let Err(ended) = state.limits.check(&sign_in, now) {
        session::end(session).await;
        return Ok(Err(ended));
    }
    let user = state.store.get_user(&sign_in.email).await?;
    let Some(user) = user.filter(|u| u.status == UserStatus::Active) else {
        session::end(session).await;
        return Ok(Err(Ended::AccountGone));
    };
    session::touch(session, &state.limits, &sign_in, now).await;
    Ok(Ok(Subject::User(SignedInUser::from(user))))
}

/// The 401 for a session that has just ended, in words.
pub fn ended_error(ended: Ended) -> AppError {
    AppError::Unauthorized(ended.message().into())
}

/// Middleware: resolves the subject of every request. A bad bearer token
/// is refused here (401 in Port's envelope); an ended session makes the
/// request anonymous, with `SessionEnded` saying why.
pub async fn resolve(
    State(state): State<AuthState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    // Static files and the health check are the same for everyone: no
    // session lookups for them.
    let path = req.uri().path();
    if is_site_file(path) || path == "/healthz" {
        return next.run(req).await;
    }
    let subject = match bearer(&req) {
        Err(e) => return crate::envelope::ApiError(e).into_response(),
        Ok(Some(token)) => match super::machine::verify_token(&state.store, &token).await {
            Ok(subject) => subject,
            Err(e) => return crate::envelope::ApiError(e).into_response(),
        },
        Ok(None) => match session_subject(&state, &session).await {
            Ok(Ok(subject)) => subject,
            Ok(Err(ended)) => {
                req.extensions_mut().insert(SessionEnded(ended));
                Subject::Anonymous
            }
            Err(e) => return crate::envelope::ApiError(e).into_response(),
        },
    };
    req.extensions_mut().insert(subject);
    next.run(req).await
}

/// The 401 an anonymous request gets: why its session ended, if it did.
pub fn sign_in_required(req: &Request) -> AppError {
    match req.extensions().get::<SessionEnded>() {
        Some(SessionEnded(ended)) => ended_error(*ended),
        None => AppError::Unauthorized(
            "sign in first, or send `Authorization: Bearer <accessToken>` (POST /v1/auth/access_token)"
                .into(),
        ),
    }
}

/// The files of `public/`, served at the site's root.
pub const STATIC_FILES: [&str; 4] = [
    "/favicon.ico",
    "/local-time.js",
    "/iframe-widget.js",
    "/widget-oauth-callback.html",
];

/// The bundle and the static files: the same for everyone.
pub fn is_site_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path.starts_with("/v/") || STATIC_FILES.contains(&path)
}

/// Paths anyone may open: sign-in itself, static files, the health check.
pub fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/logout"
        || path == "/healthz"
        || is_site_file(path)
        || path.starts_with("/auth/")
        || path.starts_with("/invite/")
}

/// Middleware for pages and server functions: anonymous visitors of a page
/// are sent to the login page (and back afterwards); anonymous server
/// function calls get 401 with the reason.
pub async fn require_sign_in(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let signed_in = req
        .extensions()
        .get::<Subject>()
        .is_some_and(Subject::is_signed_in);
    if signed_in || is_public(&path) {
        return next.run(req).await;
    }
    if path.starts_with("/api/") {
        let error = sign_in_required(&req);
        let body = serde_json::to_string(&error).unwrap_or_default();
        return (
            axum::http::StatusCode::UNAUTHORIZED,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    let next_path = req
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let mut location = format!(
        "/login?next={}",
        crate::model::url::encode_component(&next_path)
    );
    if let Some(SessionEnded(ended)) = req.extensions().get::<SessionEnded>() {
        location.push_str(&format!("&ended={}", ended.code()));
    }
    axum::response::Redirect::to(&location).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sign_in_and_static_paths_are_public() {
        for p in [
            "/login",
            "/auth/oidc/callback",
            "/pkg/portolan.wasm",
            "/local-time.js",
            "/healthz",
        ] {
            assert!(is_public(p), "{p}");
        }
        for p in [
            "/",
            "/catalog/services",
            "/api/get_sidebar",
            "/loginx",
            "/v1/blueprints",
        ] {
            assert!(!is_public(p), "{p}");
        }
    }
}
