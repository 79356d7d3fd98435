//! Users and teams: reading them for the users & teams page, and inviting
//! people (an Invited account and a one-time link to set a password).

use crate::auth::secret::{hash_secret, random_token, token_hash};
use crate::authz::{may_manage_users, require};
use crate::model::{AppError, Invitation, Subject, UserRole, UsersAndTeams};
use crate::store::{NewInvitation, Store};

/// An invitation link works this long (spec: 7 days).
pub const INVITATION_SECONDS: i64 = 7 * 24 * 3600;

pub async fn users_and_teams(store: &Store) -> Result<UsersAndTeams, AppError> {
    Ok(UsersAndTeams {
        users: store.list_users().await?,
        teams: store.list_teams().await?,
    })
}

/// Invites `email` with `role`; answers the one-time link, which is shown
/// to the inviting admin only (it is stored as a hash).
pub async fn invite(
    store: &Store,
    subject: &Subject,
    email: &str,
    role: UserRole,
) -> Result<Invitation, AppError> {
    require(subject, may_manage_users(subject))?;
    let email = crate::auth::password::normalize_email(email);
    if !crate::model::validate::looks_like_email(&email) {
        return Err(AppError::Invalid(format!(
            "email: `{email}` is not an e-mail address"
        )));
    }
    let token = random_token();
    let expires_at = chrono::Utc::now().timestamp() + INVITATION_SECONDS;
    store
        .invite(&NewInvitation {
            email: &email,
            role,
            token_hash: &token_hash(&token),
            invited_by: &subject.audit_name(),
            expires_at,
        })
        .await?;
    Ok(Invitation {
        email,
        link: format!("/invite/{token}"),
        expires_at: chrono::DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
    })
}

/// The e-mail an invitation link is for, or 404 when it cannot be used.
pub async fn invitation_email(store: &Store, token: &str) -> Result<String, AppError> {
    store
        .invitation_email(&token_hash(token), chrono::Utc::now().timestamp())
        .await?
        .ok_or_else(unusable)
}

fn unusable() -> AppError {
    AppError::NotFound(
        "This invitation link is not valid: it was already used, has expired (links last 7 days), or never existed. Ask an admin for a new one."
            .into(),
    )
}

/// Uses an invitation: checks the new password, stores it and activates
/// the account. Answers the e-mail, to sign the person in.
pub async fn accept_invitation(
    store: &Store,
    token: &str,
    first_name: &str,
    last_name: &str,
    password: &str,
    confirm: &str,
) -> Result<String, AppError> {
    use crate::auth::password::MIN_PASSWORD;
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::Invalid(format!(
            "The password needs at least {MIN_PASSWORD} characters."
        )));
    }
    if password != confirm {
        return Err(AppError::Invalid("The two passwords differ.".into()));
    }
    store
        .accept_invitation(
            &token_hash(token),
            &hash_secret(password)?,
            first_name.trim(),
            last_name.trim(),
            chrono::Utc::now().timestamp(),
        )
        .await?
        .ok_or_else(unusable)
}
