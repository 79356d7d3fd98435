//! Local sign-in with e-mail and password (argon2id), and the first admin.

use super::limiter::LoginLimiter;
use crate::model::user::normalize_email;
use crate::model::{AppError, User, UserStatus};
use crate::secret::strength::password_problem;
use crate::secret::{generated_password, hash_secret, secret_matches, waste_a_verification};
use crate::store::Store;

/// The one answer to any wrong e-mail or password: it does not say which.
pub const WRONG_CREDENTIALS: &str = "Wrong e-mail or password.";

/// Checks a sign-in attempt. Errors: 429 while rate-limited, 401 for any
/// wrong e-mail or password (one message), 403 for a disabled account
/// (told only to someone who knew its password).
pub async fn sign_in(
    store: &Store,
    limiter: &LoginLimiter,
    email: &str,
    password: &str,
    address: &str,
) -> Result<User, AppError> {
    let email = normalize_email(email);
    let now = super::session::now();
    if let Err(wait) = limiter.check(&email, address, now) {
        return Err(AppError::TooManyRequests(format!(
            "Too many failed sign-in attempts. Try again in {} minute(s).",
            (wait + 59) / 60
        )));
    }
    let found = store.user_with_password(&email).await?;
    let user = match found {
        Some((user, Some(hash))) if secret_matches(password, &hash) => user,
        Some((_, Some(_))) => {
            limiter.record_failure(&email, address, now);
            return Err(AppError::Unauthorized(WRONG_CREDENTIALS.into()));
        }
        _ => {
            waste_a_verification();
            limiter.record_failure(&email, address, now);
            return Err(AppError::Unauthorized(WRONG_CREDENTIALS.into()));
        }
    };
    if user.status != UserStatus::Active {
        return Err(AppError::Forbidden(
            "This account is disabled. Ask an administrator of the portal to enable it.".into(),
        ));
    }
    limiter.record_success(&email, address);
    store.record_login(&email).await?;
    Ok(user)
}

/// What the first start did about the admin account.
#[derive(Debug, PartialEq, Eq)]
pub enum AdminBootstrap {
    /// An admin who can sign in already exists; nothing changed.
    Exists,
    /// The configured password was set for this admin.
    Configured(String),
    /// No password was configured: this one was generated (shown once).
    Generated { email: String, password: String },
}

/// Makes sure an admin can sign in. With `password` given (from
/// `PORTOLAN_ADMIN_PASSWORD`) that admin gets it on every start, which is
/// also how a lost admin password is reset; without it, an admin with a
/// generated password is created only when no admin can sign in.
pub async fn bootstrap_admin(
    store: &Store,
    email: &str,
    password: Option<&str>,
) -> Result<AdminBootstrap, AppError> {
    let email = normalize_email(email);
    if !email.contains('@') {
        return Err(AppError::Invalid(format!(
            "PORTOLAN_ADMIN_EMAIL must be an e-mail address, not `{email}`"
        )));
    }
    if let Some(password) = password {
        let current = store.user_with_password(&email).await?;
        let unchanged = matches!(&current, Some((u, Some(hash)))
            if u.role == crate::model::UserRole::Admin
                && u.status == UserStatus::Active
                && secret_matches(password, hash));
        // Judged when it is set, not at every start: a portal whose admin
        // password predates the strength check still starts.
        if !unchanged {
            if let Some(problem) = password_problem(password, &[&email]) {
                return Err(AppError::Invalid(format!(
                    "PORTOLAN_ADMIN_PASSWORD: {problem}"
                )));
            }
            store.put_admin(&email, &hash_secret(password)?).await?;
        }
        return Ok(AdminBootstrap::Configured(email));
    }
    if store.admin_with_password_exists().await? {
        return Ok(AdminBootstrap::Exists);
    }
    let password = generated_password();
    store.put_admin(&email, &hash_secret(&password)?).await?;
    Ok(AdminBootstrap::Generated { email, password })
}
