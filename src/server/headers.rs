//! Security headers on every response.

use axum::http::{header, HeaderName, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

/// Content-Security-Policy. `'unsafe-inline'` scripts are needed by Leptos'
/// inline hydration bootstrap until we serve it with a nonce;
/// `'wasm-unsafe-eval'` lets the browser compile the WASM bundle.
const CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; \
    frame-src https: http:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

pub struct SecurityHeaders;

type Layers = tower::layer::util::Stack<
    SetResponseHeaderLayer<HeaderValue>,
    tower::layer::util::Stack<
        SetResponseHeaderLayer<HeaderValue>,
        tower::layer::util::Stack<
            SetResponseHeaderLayer<HeaderValue>,
            tower::layer::util::Stack<
                SetResponseHeaderLayer<HeaderValue>,
                tower::layer::util::Identity,
            >,
        >,
    >,
>;

impl SecurityHeaders {
    pub fn layer() -> Layers {
        let set = |name: HeaderName, value: &'static str| {
            SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
        };
        tower::ServiceBuilder::new()
            .layer(set(header::CONTENT_SECURITY_POLICY, CSP))
            .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(set(header::REFERRER_POLICY, "same-origin"))
            .layer(set(header::X_FRAME_OPTIONS, "DENY"))
            .into_inner()
    }
}
