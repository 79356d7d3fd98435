//! API credentials: each person's own (personal, acting as them) and the
//! organization's machine credentials (admins only, acting with a role).
//! Secrets are shown once, when made or rotated.

use crate::authz::may_manage_credentials_of;
use crate::model::{
    AppError, CredentialInfo, CredentialsView, IssuedCredential, Subject, UserRole,
};
use crate::secret::{hash_secret, random_token};
use crate::services::access::require_or_record;
use crate::store::{Credential, Store};

/// The credentials `subject` may see: all for an admin, else their own.
pub async fn list(store: &Store, subject: &Subject) -> Result<Vec<CredentialInfo>, AppError> {
    if may_manage_credentials_of(subject, None).allowed {
        return Ok(store.list_credentials(None).await?);
    }
    match subject {
        Subject::User(user) => Ok(store.list_credentials(Some(&user.email)).await?),
        _ => Err(AppError::Forbidden(
            "only people and admins have credentials to list".into(),
        )),
    }
}

/// Makes or rotates `email`'s personal credential (Port's
/// `POST /v1/rotate-credentials/{email}`): the client id stays, the secret
/// is new, and tokens issued for the old secret stop working.
pub async fn rotate_personal(
    store: &Store,
    subject: &Subject,
    email: &str,
) -> Result<IssuedCredential, AppError> {
    let email = crate::model::user::normalize_email(email);
    let decision = may_manage_credentials_of(subject, Some(&email));
    require_or_record(
        store,
        subject,
        decision,
        "credential",
        "UPDATE",
        None,
        Some(&email),
    )
    .await?;
    let user = crate::services::directory::get_user(store, &email).await?;
    let existing = store.personal_credential(&user.email).await?;
    issue_credential(
        store,
        existing.map(|c| c.client_id),
        UserRole::Member,
        Some(user.email),
    )
    .await
}

/// Makes a new machine credential of the organization acting with `role`.
pub async fn create_machine(
    store: &Store,
    subject: &Subject,
    role: UserRole,
) -> Result<IssuedCredential, AppError> {
    let decision = may_manage_credentials_of(subject, None);
    require_or_record(store, subject, decision, "credential", "CREATE", None, None).await?;
    if role == UserRole::Moderator {
        return Err(AppError::Invalid(
            "role: machine credentials act as `Admin` or `Member`".into(),
        ));
    }
    issue_credential(store, None, role, None).await
}

/// Revokes a credential; its tokens stop working at once. Revoking a
/// revoked credential changes nothing.
pub async fn revoke(store: &Store, subject: &Subject, client_id: &str) -> Result<(), AppError> {
    let info = store
        .credential_info(client_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("credential `{client_id}` not found")))?;
    let decision = may_manage_credentials_of(subject, info.owner.as_deref());
    require_or_record(
        store,
        subject,
        decision,
        "credential",
        "DELETE",
        None,
        Some(client_id),
    )
    .await?;
    store.revoke_credential(client_id).await?;
    Ok(())
}

/// What the API credentials page shows `subject` (a signed-in person).
pub async fn view(store: &Store, subject: &Subject) -> Result<CredentialsView, AppError> {
    crate::authz::require(
        subject,
        crate::authz::may_hold_personal_credentials(subject),
    )?;
    let Subject::User(user) = subject else {
        return Err(AppError::Internal("a person was expected".into()));
    };
    let is_admin = may_manage_credentials_of(subject, None).allowed;
    Ok(CredentialsView {
        email: user.email.clone(),
        is_admin,
        mine: store.personal_credential(&user.email).await?,
        all: if is_admin {
            store.list_credentials(None).await?
        } else {
            Vec::new()
        },
    })
}

/// Makes a new client id and secret, stores the secret's hash, and
/// answers both (the only time the secret is seen). `client_id` keeps an
/// existing id (a rotation); its old secret and tokens stop working.
pub async fn issue_credential(
    store: &Store,
    client_id: Option<String>,
    role: UserRole,
    owner: Option<String>,
) -> Result<IssuedCredential, AppError> {
    // 128 bits for the id (not secret), 256 for the secret.
    let client_id = client_id.unwrap_or_else(|| random_token()[..32].to_string());
    let client_secret = random_token();
    store
        .put_credential(&Credential {
            client_id: client_id.clone(),
            secret_hash: hash_secret(&client_secret)?,
            role: role.as_str().into(),
            owner,
        })
        .await?;
    Ok(IssuedCredential {
        client_id,
        client_secret,
    })
}
