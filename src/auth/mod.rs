//! Who is asking: sessions, local and SSO login, machine credentials.
//!
//! This module owns the session layer (tower-sessions over the `Store`, so
//! sessions are shared by every instance on one PostgreSQL) and, as the
//! Identity issue lands, password login, OIDC and the `Subject` extractor.
//! It must not decide what a subject may do; that is `authz`.

pub mod machine;

use crate::store::Store;
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

/// Idle timeout: a session not used for this long ends (spec: 3 days).
pub const SESSION_IDLE: time::Duration = time::Duration::days(3);

/// The session layer: HttpOnly, SameSite=Lax cookies, Secure when the portal
/// is served over https, sliding idle expiry stored server-side.
pub fn session_layer(store: Store, secure: bool) -> SessionManagerLayer<Store> {
    SessionManagerLayer::new(store)
        .with_name("portolan_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(SESSION_IDLE))
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
