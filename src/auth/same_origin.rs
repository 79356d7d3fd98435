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

/// The origin of a URL as the browser compares it: scheme, host and port
/// (the scheme's default port filled in), or `None` when it is not one.
pub fn origin_of(url: &str) -> Option<url::Origin> {
    let origin = url::Url::parse(url).ok()?.origin();
    origin.is_tuple().then_some(origin)
}

/// Why a request is refused, or `None` when it may go on.
///
/// The portal's own origin is the scheme it is served with (`https` when
/// `PORTOLAN_PUBLIC_URL` is, `http` otherwise) with the request's `Host`,
/// or the public URL's origin itself. Scheme, host and port must all
/// match: `https://portal` is another origin than `http://portal`, and a
/// page there must not act with this portal's cookie.
pub fn cross_site_reason(
    method: &Method,
    headers: &axum::http::HeaderMap,
    authority: Option<&str>,
    public_origin: Option<&url::Origin>,
) -> Option<String> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    if headers.contains_key(header::AUTHORIZATION) {
        return None;
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        // The browser compares scheme, host and port itself, and a page
        // cannot forge this header: believed, even behind a proxy that
        // rewrites `Host`. `none`: typed into the address bar or a bookmark.
        if site == "same-origin" || site == "none" {
            return None;
        }
        return Some(format!(
            "the browser says this request came from a {site} page"
        ));
    }
    let origin = text("origin")?;
    if origin == "null" {
        return Some(
            "the request came from a page with no origin (a sandboxed frame or file)".into(),
        );
    }
    let Some(claimed) = origin_of(origin) else {
        return Some(format!("the request's Origin `{origin}` is not an origin"));
    };
    let scheme = match public_origin {
        Some(url::Origin::Tuple(scheme, _, _)) => scheme.as_str(),
        _ => "http",
    };
    // HTTP/2 has no `Host` header: the authority is the URI's.
    let host = text("host").or(authority);
    let own = host.and_then(|host| origin_of(&format!("{scheme}://{host}")));
    if Some(&claimed) == own.as_ref() || Some(&claimed) == public_origin {
        return None;
    }
    Some(format!("the request came from {origin}, another origin"))
}

/// Middleware: refuses cross-site browser mutations with 403 and says why
/// (JSON for the API and server functions, text for forms).
pub async fn require_same_origin(
    State(state): State<AuthState>,
    req: Request,
    next: Next,
) -> Response {
    let Some(reason) = cross_site_reason(
        req.method(),
        req.headers(),
        req.uri().authority().map(|a| a.as_str()),
        state.public_origin.as_ref(),
    ) else {
        return next.run(req).await;
    };
    tracing::warn!(path = %req.uri().path(), %reason, "cross-site request refused");
    let error = crate::model::AppError::Forbidden(format!(
        "Cross-site request refused: {reason}. Changes are only accepted from the portal's own pages."
    ));
    crate::envelope::ApiError(error).into_response()
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
        assert_eq!(cross_site_reason(&Method::GET, &cross, None, None), None);
        assert_eq!(
            cross_site_reason(
                &Method::POST,
                &headers(&[("host", "portal:3000")]),
                None,
                None
            ),
            None
        );
        let bearer = headers(&[
            ("origin", "https://evil.example"),
            ("authorization", "Bearer x"),
        ]);
        assert_eq!(cross_site_reason(&Method::POST, &bearer, None, None), None);
    }

    #[test]
    fn same_origin_posts_pass_and_cross_site_posts_do_not() {
        let own = headers(&[("origin", "http://portal:3000"), ("host", "portal:3000")]);
        assert_eq!(cross_site_reason(&Method::POST, &own, None, None), None);
        let fetch = headers(&[("sec-fetch-site", "same-origin"), ("host", "portal:3000")]);
        assert_eq!(cross_site_reason(&Method::DELETE, &fetch, None, None), None);
        let public = headers(&[
            ("origin", "https://portal.example"),
            ("host", "10.0.0.5:3000"),
        ]);
        let configured = origin_of("https://portal.example/");
        assert_eq!(
            cross_site_reason(&Method::POST, &public, None, configured.as_ref()),
            None
        );

        let evil = headers(&[("origin", "https://evil.example"), ("host", "portal:3000")]);
        let reason = cross_site_reason(&Method::POST, &evil, None, None).unwrap();
        assert!(reason.contains("https://evil.example"), "{reason}");
        let sibling = headers(&[("sec-fetch-site", "same-site"), ("host", "portal:3000")]);
        assert!(cross_site_reason(&Method::POST, &sibling, None, None)
            .unwrap()
            .contains("same-site"));
        let sandboxed = headers(&[("origin", "null"), ("host", "portal:3000")]);
        assert!(cross_site_reason(&Method::PUT, &sandboxed, None, None).is_some());
    }

    #[test]
    fn scheme_host_and_port_must_all_match() {
        let post = |origin: &'static str, host: &'static str, public: Option<&str>| {
            let public = public.and_then(origin_of);
            cross_site_reason(
                &Method::POST,
                &headers(&[("origin", origin), ("host", host)]),
                None,
                public.as_ref(),
            )
        };
        // The probe's finding: https:// against a portal served over http.
        assert!(post("https://127.0.0.1:3000", "127.0.0.1:3000", None).is_some());
        assert!(post(
            "https://127.0.0.1:3000",
            "127.0.0.1:3000",
            Some("http://127.0.0.1:3000")
        )
        .is_some());
        assert!(post("http://127.0.0.1:3001", "127.0.0.1:3000", None).is_some());
        assert!(post("http://127.0.0.2:3000", "127.0.0.1:3000", None).is_some());
        assert!(post("http://127.0.0.1", "127.0.0.1:3000", None).is_some());
        assert!(post("not an origin", "127.0.0.1:3000", None).is_some());
        // Default ports are the same origin written two ways.
        assert_eq!(post("http://portal:80", "portal", None), None);
        assert_eq!(post("http://portal", "portal:80", None), None);
        // Behind a TLS proxy the portal's own pages are https.
        let public = Some("https://portal.example");
        assert_eq!(
            post("https://portal.example", "portal.example", public),
            None
        );
        assert!(post("http://portal.example", "portal.example", public).is_some());
        assert!(post("https://portal.example:8443", "portal.example", public).is_some());
        // A browser that says cross-site is refused whatever Origin says.
        let forged = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://portal"),
            ("host", "portal"),
        ]);
        assert!(cross_site_reason(&Method::POST, &forged, None, None).is_some());
        // A browser that says same-origin is believed behind a proxy that
        // rewrote `Host`; over HTTP/2 the URI's authority stands for `Host`.
        let rewritten = headers(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://portal.example"),
            ("host", "10.0.0.5:3000"),
        ]);
        assert_eq!(
            cross_site_reason(&Method::POST, &rewritten, None, None),
            None
        );
        let h2 = headers(&[("origin", "http://portal:3000")]);
        assert_eq!(
            cross_site_reason(&Method::POST, &h2, Some("portal:3000"), None),
            None
        );
        assert!(cross_site_reason(&Method::POST, &h2, Some("other:3000"), None).is_some());
    }
}
