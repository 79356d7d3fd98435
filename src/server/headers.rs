//! Security headers on every response, and no caching of what is private.

use crate::services::dashboard::{CspSources, FrameOrigins};
use crate::store::Store;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Content-Security-Policy. `'unsafe-inline'` scripts are needed by Leptos'
/// inline hydration bootstrap until we serve it with a nonce;
/// `'wasm-unsafe-eval'` lets the browser compile the WASM bundle.
/// `frame-src` lists exactly the origins saved iframe widgets frame, and
/// `connect-src` the token endpoints of protected ones (the browser posts
/// its authorization code there); with none, nothing may be framed.
/// `object-src` names the same origins: iframe-widget.js probes each
/// widget's page with an `<object>` (which, unlike an iframe, reports a
/// page that refuses to be framed) and nothing else embeds objects.
fn csp(sources: &CspSources) -> String {
    let frames = if sources.frames.is_empty() {
        "'none'".to_string()
    } else {
        sources.frames.clone()
    };
    format!(
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'{}{}; \
         frame-src {frames}; object-src {frames}; frame-ancestors 'none'; base-uri 'self'; \
         form-action 'self'",
        if sources.tokens.is_empty() { "" } else { " " },
        sources.tokens
    )
}

/// A year: browsers keep to https for that long after one https visit.
/// Without `includeSubDomains`, which would bind sibling sites the portal
/// does not own.
const HSTS: &str = "max-age=31536000";

/// What the headers depend on: whether the portal is served over https.
#[derive(Clone)]
pub struct HeaderPolicy {
    pub https: bool,
    pub store: Store,
    pub frames: FrameOrigins,
}

/// Files that are the same for everyone (the bundle, the favicon): the
/// only responses a browser or a proxy may keep.
fn is_public_file(path: &str) -> bool {
    crate::auth::subject::is_site_file(path)
}

/// Middleware: the security headers a handler did not set itself;
/// `Strict-Transport-Security` when the public URL is https; and
/// `Cache-Control: no-store` on every page, server function and API answer
/// (`no-cache` on the bundle and static files)
/// (they show what one signed-in person may see, and must not outlive the
/// session in a shared cache or the browser's back button after sign-out).
pub async fn security_headers(
    State(policy): State<HeaderPolicy>,
    req: Request,
    next: Next,
) -> Response {
    let public_file = is_public_file(req.uri().path());
    let mut response = next.run(req).await;
    // Only HTML pages frame anything or fetch tokens; other answers keep
    // the policy without a lookup.
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let sources = if html {
        policy.frames.sources(&policy.store).await
    } else {
        CspSources::default()
    };
    // Origins are checked when saved; should one still not fit a header,
    // the policy without any frames is sent, never none at all.
    let value = HeaderValue::from_str(&csp(&sources))
        .or_else(|_| HeaderValue::from_str(&csp(&CspSources::default())));
    if let Ok(value) = value {
        response
            .headers_mut()
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(value);
    }
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    if policy.https {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    // The plain paths of the bundle carry no version, so a browser keeps
    // them but asks each time whether they changed (a 304 when they did
    // not); the versioned ones set their own year (`server::assets`).
    set(
        header::CACHE_CONTROL,
        if public_file { "no-cache" } else { "no-store" },
    );
    response
}
