//! Who is asking: sessions, local and SSO sign-in, machine credentials, and
//! the `Subject` every handler receives.
//!
//! This module authenticates; it must not decide what a subject may do
//! (that is `authz`). Sessions live server-side in the `Store`, so several
//! instances on one PostgreSQL share them.

pub mod limiter;
pub mod machine;
pub mod oidc;
pub mod password;
pub mod routes;
pub mod same_origin;
pub mod secret;
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
    /// The identity provider, when single sign-on is configured.
    pub oidc: Option<Arc<oidc::Oidc>>,
    /// `PORTOLAN_PUBLIC_URL`'s origin, accepted as a request's `Origin`
    /// besides the request's own host (for portals behind a proxy).
    pub public_origin: Option<String>,
}

impl AuthState {
    pub fn new(store: Store, limits: SessionLimits) -> Self {
        AuthState {
            store,
            limits,
            limiter: Arc::new(LoginLimiter::default()),
            oidc: None,
            public_origin: None,
        }
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
