//! Same-origin protection for browser mutations (CSRF).
//!
//! A browser sends the session cookie with a form posted from any site
//! (SameSite=Lax stops most of it, not all: sibling subdomains count as the
//! same site). So every state-changing request that a browser could send
//! with the cookie must come from the portal's own pages: when the browser
//! says where the request comes from (`Sec-Fetch-Site`, `Origin`), it must
//! be this origin. Requests with neither header are not from a browser
//! page (curl, scripts) and carry no ambient authority worth forging;
//! bearer-token calls carry no cookie authority at all.

use super::AuthState;
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Why a request is refused, or `None` when it may go on.
pub fn cross_site_reason(
    method: &Method,
    headers: &axum::http::HeaderMap,
    public_origin: Option<&str>,
) -> Option<String> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    if headers.contains_key(header::AUTHORIZATION) {
        return None;
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        // `none`: typed into the address bar or a bookmark, not a page.
        if site == "same-origin" || site == "none" {
            return None;
        }
        if text("origin").is_none() {
            return Some(format!(
                "the browser says this request came from a {site} page"
            ));
        }
    }
    let origin = text("origin")?;
    if origin == "null" {
        return Some(
            "the request came from a page with no origin (a sandboxed frame or file)".into(),
        );
    }
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    let own_host = text("host");
    if Some(origin_host) == own_host || public_origin == Some(origin) {
        return None;
    }
    Some(format!("the request came from {origin}, another site"))
}

/// Middleware: refuses cross-site browser mutations with 403 and says why
/// (JSON for the API and server functions, text for forms).
pub async fn require_same_origin(
    State(state): State<AuthState>,
    req: Request,
    next: Next,
) -> Response {
    let Some(reason) =
        cross_site_reason(req.method(), req.headers(), state.public_origin.as_deref())
    else {
        return next.run(req).await;
    };
    tracing::warn!(path = %req.uri().path(), %reason, "cross-site request refused");
    let error = crate::model::AppError::Forbidden(format!(
        "Cross-site request refused: {reason}. Changes are only accepted from the portal's own pages."
    ));
    crate::api::ApiError(error).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn reads_and_non_browser_clients_pass() {
        let cross = headers(&[("origin", "https://evil.example"), ("host", "portal:3000")]);
        assert_eq!(cross_site_reason(&Method::GET, &cross, None), None);
        assert_eq!(
            cross_site_reason(&Method::POST, &headers(&[("host", "portal:3000")]), None),
            None
        );
        let bearer = headers(&[
            ("origin", "https://evil.example"),
            ("authorization", "Bearer x"),
        ]);
        assert_eq!(cross_site_reason(&Method::POST, &bearer, None), None);
    }

    #[test]
    fn same_origin_posts_pass_and_cross_site_posts_do_not() {
        let own = headers(&[("origin", "http://portal:3000"), ("host", "portal:3000")]);
        assert_eq!(cross_site_reason(&Method::POST, &own, None), None);
        let fetch = headers(&[("sec-fetch-site", "same-origin"), ("host", "portal:3000")]);
        assert_eq!(cross_site_reason(&Method::DELETE, &fetch, None), None);
        let public = headers(&[
            ("origin", "https://portal.example"),
            ("host", "10.0.0.5:3000"),
        ]);
        assert_eq!(
            cross_site_reason(&Method::POST, &public, Some("https://portal.example")),
            None
        );

        let evil = headers(&[("origin", "https://evil.example"), ("host", "portal:3000")]);
        let reason = cross_site_reason(&Method::POST, &evil, None).unwrap();
        assert!(reason.contains("https://evil.example"), "{reason}");
        let sibling = headers(&[("sec-fetch-site", "same-site"), ("host", "portal:3000")]);
        assert!(cross_site_reason(&Method::POST, &sibling, None)
            .unwrap()
            .contains("same-site"));
        let sandboxed = headers(&[("origin", "null"), ("host", "portal:3000")]);
        assert!(cross_site_reason(&Method::PUT, &sandboxed, None).is_some());
    }
}
