//! Who is asking: sessions, local and SSO sign-in, machine credentials, and
//! the `Subject` every handler receives.
//!
//! This module authenticates; it must not decide what a subject may do
//! (that is `authz`). Sessions live server-side in the `Store`, so several
//! instances on one PostgreSQL share them.

pub mod client_address;
pub mod limiter;
pub mod machine;
pub mod oidc;
pub mod password;
pub mod same_origin;
pub mod session;
pub mod subject;

use crate::store::Store;
use limiter::LoginLimiter;
use session::SessionLimits;
use std::sync::Arc;
use tower_sessions::{cookie::SameSite, SessionManagerLayer};

/// What the authentication middleware and routes need.
#[derive(Clone)]
pub struct AuthState {
    pub store: Store,
    pub limits: SessionLimits,
    pub limiter: Arc<LoginLimiter>,
    /// Failed token exchanges (`POST /v1/auth/access_token`), counted per
    /// client id and per address like sign-ins.
    pub token_limiter: Arc<LoginLimiter>,
    /// Reverse proxies whose `X-Forwarded-For` names the client
    /// (`PORTOLAN_TRUSTED_PROXIES`); empty: the connection's peer is.
    pub trusted_proxies: Vec<client_address::Network>,
    /// The identity provider, when single sign-on is configured.
    pub oidc: Option<Arc<oidc::Oidc>>,
    /// `PORTOLAN_PUBLIC_URL`'s origin, accepted as a request's `Origin`
    /// besides the request's own host (for portals behind a proxy); its
    /// scheme is the scheme of the portal's own pages.
    pub public_origin: Option<url::Origin>,
}

impl AuthState {
    pub fn new(store: Store, limits: SessionLimits) -> Self {
        AuthState {
            store,
            limits,
            limiter: Arc::new(LoginLimiter::default()),
            // Per address only: client ids are not secret (they show in
            // `createdBy`), so counting per id would let anyone lock an
            // integration out; its secret is 256 random bits anyway.
            token_limiter: Arc::new(LoginLimiter::new(15 * 60, usize::MAX, 20)),
            trusted_proxies: Vec::new(),
            oidc: None,
            public_origin: None,
        }
    }

    /// The client address of a request, for the rate limits.
    pub fn client_address(
        &self,
        extensions: &axum::http::Extensions,
        headers: &axum::http::HeaderMap,
    ) -> String {
        client_address::client_address(extensions, headers, &self.trusted_proxies)
    }

    /// The identity provider's name as people know it, for messages about
    /// what it manages (SSO teams).
    pub fn idp_name(&self) -> String {
        match &self.oidc {
            Some(oidc) => oidc.settings.display_name.clone(),
            None => "the identity provider".into(),
        }
    }
}

/// Handlers that take the store find it in the sign-in state too, so the
/// API can be served (and its routes listed) with `AuthState` alone.
impl axum::extract::FromRef<AuthState> for Store {
    fn from_ref(state: &AuthState) -> Store {
        state.store.clone()
    }
}

/// The session layer: an HttpOnly, SameSite=Lax cookie holding only a
/// random id, Secure when the portal is served over https. Expiry is set
/// per session at sign-in (see `session`), so anonymous visits store nothing.
pub fn session_layer(store: Store, secure: bool) -> SessionManagerLayer<Store> {
    SessionManagerLayer::new(store)
        .with_name("portolan_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
}

/// Deletes expired sessions and access tokens every `period`, on whichever instance runs it
/// (the delete is idempotent, so several instances may run it at once).
pub fn spawn_expired_session_cleanup(store: Store, period: std::time::Duration) {
    use tower_sessions::session_store::ExpiredDeletion;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            if let Err(e) = store
                .delete_expired_tokens(chrono::Utc::now().timestamp())
                .await
            {
                tracing::warn!(error = %e, "could not delete expired access tokens");
            }
        }
    });
}
