//! The browser's side of single sign-on: `/auth/oidc/start` remembers the
//! flow (state, nonce, PKCE verifier, where to go next) in the anonymous
//! session and sends the browser to the provider; `/auth/oidc/callback`
//! checks the answer, provisions the user, re-syncs their SSO teams from
//! the groups claim and signs them in. Every failure lands on the login
//! page with the reason in words and the right status.

use super::{page, safe_next, LoginNotice};
use crate::auth::oidc::{check_id_token, client, Oidc};
use crate::auth::{session, AuthState};
use crate::model::url::encode_component;
use crate::model::{AppError, UserStatus};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    AuthorizationCode, CsrfToken, Nonce, PkceCodeChallenge, PkceCodeVerifier, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// The flow in progress, kept in the session between start and callback.
const PENDING_KEY: &str = "portolan.oidc";

/// How long a started sign-in may take at the provider.
const PENDING_SECONDS: i64 = 15 * 60;

#[derive(Serialize, Deserialize)]
struct Pending {
    state: String,
    nonce: String,
    pkce_verifier: String,
    next: String,
    started_at: i64,
}

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AuthState: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/auth/oidc/start", get(start))
        .route("/auth/oidc/callback", get(callback))
}

fn failure(state: &AuthState, error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::UNAUTHORIZED);
    let notice = LoginNotice {
        error: Some(error.message().to_string()),
        next: "/".into(),
        ..Default::default()
    };
    page(state, status, notice)
}

fn configured(state: &AuthState) -> Result<Arc<Oidc>, AppError> {
    state.oidc.clone().ok_or_else(|| {
        AppError::NotFound("Single sign-on is not configured on this portal.".into())
    })
}

async fn start(
    State(state): State<AuthState>,
    session: tower_sessions::Session,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let oidc = match configured(&state) {
        Ok(o) => o,
        Err(e) => return failure(&state, e),
    };
    let metadata = match oidc.metadata().await {
        Ok(m) => m,
        Err(e) => return failure(&state, e),
    };
    let (url, pending) = {
        let client = match client(&oidc, metadata) {
            Ok(c) => c,
            Err(e) => return failure(&state, e),
        };
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in &oidc.settings.scopes {
            if scope != "openid" {
                request = request.add_scope(Scope::new(scope.clone()));
            }
        }
        let (url, csrf, nonce) = request.set_pkce_challenge(challenge).url();
        let pending = Pending {
            state: csrf.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            next: safe_next(params.get("next").map(String::as_str)),
            started_at: session::now(),
        };
        (url, pending)
    };
    session.set_expiry(Some(tower_sessions::Expiry::OnInactivity(
        time::Duration::seconds(PENDING_SECONDS),
    )));
    if let Err(e) = session.insert(PENDING_KEY, pending).await {
        return failure(
            &state,
            AppError::Unavailable(format!("could not start the sign-in: {e}")),
        );
    }
    Redirect::to(url.as_str()).into_response()
}

async fn callback(
    State(state): State<AuthState>,
    session: tower_sessions::Session,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    // The flow is single-use: whatever happens next, it is gone.
    let pending: Option<Pending> = session.remove(PENDING_KEY).await.ok().flatten();
    if let Some(error) = params.get("error") {
        let description = params.get("error_description").unwrap_or(error);
        return Redirect::to(&format!(
            "/login?error={}&error_description={}",
            encode_component(error),
            encode_component(description)
        ))
        .into_response();
    }
    match finish(&state, &session, pending, &params).await {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(e) => {
            tracing::info!(error = %e, "SSO sign-in refused");
            failure(&state, e)
        }
    }
}

async fn finish(
    state: &AuthState,
    session: &tower_sessions::Session,
    pending: Option<Pending>,
    params: &HashMap<String, String>,
) -> Result<String, AppError> {
    let oidc = configured(state)?;
    let pending = pending
        .filter(|p| session::now() - p.started_at < PENDING_SECONDS)
        .ok_or_else(|| {
            AppError::BadRequest(
                "This sign-in was not started here, has expired, or was already used. Start again."
                    .into(),
            )
        })?;
    let returned_state = params.get("state").map(String::as_str).unwrap_or("");
    if returned_state != pending.state {
        return Err(AppError::BadRequest(
            "The identity provider's answer does not belong to the sign-in started here (state mismatch). Start again."
                .into(),
        ));
    }
    let code = params
        .get("code")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            AppError::BadRequest("The identity provider's answer has no authorization code.".into())
        })?;
    let metadata = oidc.metadata().await?;
    let client = client(&oidc, metadata)?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.clone()))
        .map_err(|e| AppError::Internal(format!("the provider has no token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(oidc.http())
        .await
        .map_err(|e| {
            let detail = match &e {
                openidconnect::RequestTokenError::ServerResponse(r) => format!(
                    "{}{}",
                    r.error(),
                    r.error_description()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                ),
                other => other.to_string(),
            };
            AppError::Unauthorized(format!(
                "The identity provider did not accept the authorization code ({detail}). Start again."
            ))
        })?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| AppError::Unauthorized("The identity provider sent no ID token.".into()))?;
    let profile = check_id_token(
        id_token,
        &client.id_token_verifier(),
        &Nonce::new(pending.nonce.clone()),
        &oidc.settings.groups_claim,
    )?;
    let user = match state.store.get_user(&profile.email).await? {
        Some(u) if u.status == UserStatus::Disabled => {
            return Err(AppError::Forbidden(format!(
                "The account {} is disabled. Ask an administrator of the portal.",
                u.email
            )))
        }
        Some(u) => Some(u),
        None if oidc.settings.auto_provision => None,
        None => {
            return Err(AppError::Forbidden(format!(
                "There is no Portolan account for {}. Ask an administrator of the portal to invite you.",
                profile.email
            )))
        }
    };
    tracing::info!(email = %profile.email, groups = ?profile.groups, created = user.is_none(), "SSO sign-in");
    let skipped = state.store.sso_sign_in(&profile, user.is_none()).await?;
    for team in skipped {
        tracing::warn!(%team, email = %profile.email, "SSO group matches a team created in Portolan; membership left alone");
    }
    session::begin(session, &state.limits, &profile.email, "sso")
        .await
        .map_err(|e| AppError::Unavailable(format!("could not start your session: {e}")))?;
    Ok(pending.next)
}
