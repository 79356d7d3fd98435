//! Invitations: an Invited user and the hash of their one-time link.

use super::audit::{insert_change, ChangeRecord};
use super::{with_pool, Store, StoreError};
use crate::model::{UserRole, UserStatus};
use crate::store::BeginWrite;
use chrono::Utc;
use sqlx::types::Json;

/// What an invitation creates.
pub struct NewInvitation<'a> {
    pub email: &'a str,
    pub role: UserRole,
    /// The blueprints they will moderate (`<blueprint>-moderator` roles).
    pub moderated_blueprints: &'a [String],
    /// The teams they join, existing teams made in Portolan.
    pub teams: &'a [String],
    pub token_hash: &'a str,
    pub invited_by: &'a str,
    pub expires_at: i64,
}

impl Store {
    /// Creates the user as Invited with the invitation's role and teams (or
    /// gives an Invited/Staged one those) and stores a fresh link for them,
    /// in one transaction. Someone who already
    /// has an Active or Disabled account is a conflict.
    pub async fn invite(&self, invitation: &NewInvitation<'_>) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let status: Option<(String,)> = sqlx::query_as("SELECT status FROM users WHERE email = $1")
                .bind(invitation.email)
                .fetch_optional(&mut *tx)
                .await?;
            match status.as_ref().and_then(|(s,)| UserStatus::parse(s)) {
                Some(UserStatus::Active) | Some(UserStatus::Disabled) => {
                    return Err(StoreError::Conflict(format!(
                        "{} already has an account; there is nothing to invite them to",
                        invitation.email
                    )));
                }
                Some(_) => {
                    sqlx::query("UPDATE users SET role = $2, moderated_blueprints = $3, updated_at = $4 WHERE email = $1")
                        .bind(invitation.email)
                        .bind(invitation.role.as_str())
                        .bind(Json(invitation.moderated_blueprints))
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM memberships WHERE email = $1")
                        .bind(invitation.email)
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    sqlx::query(
                        "INSERT INTO users (email, role, moderated_blueprints, status, created_at, updated_at) \
                         VALUES ($1, $2, $3, 'Invited', $4, $4)",
                    )
                    .bind(invitation.email)
                    .bind(invitation.role.as_str())
                    .bind(Json(invitation.moderated_blueprints))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for team in invitation.teams {
                sqlx::query("INSERT INTO memberships (team, email) VALUES ($1, $2)")
                    .bind(team)
                    .bind(invitation.email)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_change!(&mut tx, &ChangeRecord {
                actor: invitation.invited_by,
                resource_type: "user",
                action: "CREATE",
                blueprint: "_user",
                identifier: invitation.email,
                before: serde_json::Value::Null,
                after: serde_json::json!({
                    "email": invitation.email,
                    "role": invitation.role.as_str(),
                    "moderatedBlueprints": invitation.moderated_blueprints,
                    "teams": invitation.teams,
                    "status": "Invited",
                }),
            });
            sqlx::query(
                "INSERT INTO invitations (token_hash, email, invited_by, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(invitation.token_hash)
            .bind(invitation.email)
            .bind(invitation.invited_by)
            .bind(now)
            .bind(invitation.expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The e-mail an unused, unexpired link belongs to.
    pub async fn invitation_email(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT i.email FROM invitations i JOIN users u ON u.email = i.email \
                 WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 \
                 AND u.status IN ('Invited', 'Staged')",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(e,)| e))
    }

    /// Uses the link: sets the password and name, makes the user Active and
    /// marks every link of theirs used, all at once. `None` when the link
    /// was used, expired or unknown in the meantime.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
        first_name: &str,
        last_name: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let at = Utc::now();
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // Claiming the link first makes two simultaneous uses race for
            // this one row: only one of them updates it.
            let claimed: Option<(String,)> = sqlx::query_as(
                "UPDATE invitations SET used_at = $3 \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING email",
            )
            .bind(token_hash)
            .bind(now)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((email,)) = claimed else {
                return Ok(None);
            };
            let updated = sqlx::query(
                "UPDATE users SET password_hash = $2, first_name = $3, last_name = $4, \
                 status = 'Active', updated_at = $5 WHERE email = $1 AND status IN ('Invited', 'Staged')",
            )
            .bind(&email)
            .bind(password_hash)
            .bind(first_name)
            .bind(last_name)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated != 1 {
                return Ok(None);
            }
            sqlx::query("UPDATE invitations SET used_at = $2 WHERE email = $1 AND used_at IS NULL")
                .bind(&email)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Some(email)
        }))
    }
}
