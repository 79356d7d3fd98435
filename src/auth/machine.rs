//! Client credentials: client id + secret (argon2id-hashed) exchanged at
//! `POST /v1/auth/access_token` for a bearer token that lives 3 hours
//! (Port's `expiresIn: 10800`). Tokens are random 256-bit values stored as
//! SHA-256 hashes, in the database, so every instance accepts them.
//!
//! Organization credentials act as a machine with their role; personal
//! credentials act as their owner, re-read on every request, so a disabled
//! or deleted person's tokens stop working at once.

use super::limiter::LoginLimiter;
use crate::model::{AppError, SignedInUser, Subject, UserRole, UserStatus};
use crate::secret::{hash_secret, random_token, secret_matches, token_hash};
use crate::store::{Credential, Store};

/// Lifetime of an access token, in seconds.
pub const TOKEN_SECONDS: i64 = 3 * 60 * 60;

/// One message for every bad credential, so a caller learns nothing about
/// which part was wrong.
fn rejected() -> AppError {
    AppError::Unauthorized("invalid client id or client secret".into())
}

/// Makes sure admin credentials with exactly this id and secret exist
/// (`PORTOLAN_ADMIN_CLIENT_ID` / `_SECRET`), so a script can bootstrap a
/// fresh portal through the API. An existing id gets the given secret.
pub async fn ensure_admin_credentials(
    store: &Store,
    client_id: &str,
    secret: &str,
) -> Result<(), AppError> {
    if client_id.trim().is_empty() || secret.len() < 16 {
        return Err(AppError::Invalid(
            "admin client credentials need a client id and a secret of at least 16 characters"
                .into(),
        ));
    }
    if let Some(existing) = store.get_credential(client_id).await? {
        if existing.role == "Admin" && secret_matches(secret, &existing.secret_hash) {
            return Ok(());
        }
    }
    store
        .put_credential(&Credential {
            client_id: client_id.to_string(),
            secret_hash: hash_secret(secret)?,
            role: "Admin".into(),
            owner: None,
        })
        .await?;
    Ok(())
}

/// Exchanges credentials for a bearer token valid `ttl_seconds`.
pub async fn issue_token(
    store: &Store,
    client_id: &str,
    secret: &str,
    ttl_seconds: i64,
) -> Result<String, AppError> {
    let Some(credential) = store.get_credential(client_id).await? else {
        // As slow as a wrong secret, so timing does not tell which ids exist.
        crate::secret::waste_a_verification();
        return Err(rejected());
    };
    if !secret_matches(secret, &credential.secret_hash) {
        return Err(rejected());
    }
    let token = random_token();
    let expires_at = chrono::Utc::now().timestamp() + ttl_seconds;
    store
        .insert_access_token(&token_hash(&token), &credential.client_id, expires_at)
        .await?;
    Ok(token)
}

/// `POST /v1/auth/access_token`: `issue_token` for `TOKEN_SECONDS`, with
/// failures counted per address (20 in 15 minutes, `AuthState`'s
/// `token_limiter`), so secrets cannot be guessed at speed. 429 while
/// paused.
pub async fn exchange(
    store: &Store,
    limiter: &LoginLimiter,
    client_id: &str,
    secret: &str,
    address: &str,
) -> Result<String, AppError> {
    let now = chrono::Utc::now().timestamp();
    let account = format!("client:{client_id}");
    if let Err(wait) = limiter.check(&account, address, now) {
        return Err(AppError::TooManyRequests(format!(
            "too many failed token requests from this address; try again in {} minute(s)",
            (wait + 59) / 60
        )));
    }
    match issue_token(store, client_id, secret, TOKEN_SECONDS).await {
        Ok(token) => {
            limiter.record_success(&account, address);
            Ok(token)
        }
        Err(refused @ AppError::Unauthorized(_)) => {
            limiter.record_failure(&account, address, now);
            Err(refused)
        }
        Err(other) => Err(other),
    }
}

/// Who a bearer token acts for, or 401 when the token is unknown, expired,
/// its credential revoked, or its owner no longer active.
pub async fn verify_token(store: &Store, token: &str) -> Result<Subject, AppError> {
    let now = chrono::Utc::now().timestamp();
    let invalid = || {
        AppError::Unauthorized(
            "the access token is invalid or has expired; request a new one at POST /v1/auth/access_token".into(),
        )
    };
    let owner = store
        .token_owner(&token_hash(token), now)
        .await?
        .ok_or_else(invalid)?;
    match owner.owner {
        None => Ok(Subject::Machine {
            role: UserRole::parse(&owner.role).unwrap_or(UserRole::Member),
            client_id: owner.client_id,
        }),
        Some(email) => match store.get_user(&email).await? {
            Some(user) if user.status == UserStatus::Active => {
                Ok(Subject::User(SignedInUser::from(user)))
            }
            _ => Err(AppError::Unauthorized(format!(
                "the access token belongs to {email}, whose account is disabled or gone"
            ))),
        },
    }
}
