//! Client credentials and their bearer tokens (hashes only).

use super::{with_pool, Store, StoreError};
use crate::model::CredentialInfo;
use crate::store::BeginWrite;
use chrono::{DateTime, Utc};

/// A credential to store: its client id, the argon2id hash of its secret,
/// the role a machine credential acts with, and the person a personal
/// credential acts as.
pub struct Credential {
    pub client_id: String,
    pub secret_hash: String,
    pub role: String,
    pub owner: Option<String>,
}

/// Who a live token acts for: a machine credential's role, or its owner.
pub struct TokenOwner {
    pub client_id: String,
    pub role: String,
    pub owner: Option<String>,
}

type InfoRow = (
    String,
    String,
    Option<String>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

fn into_info((client_id, role, owner, created_at, revoked_at): InfoRow) -> CredentialInfo {
    CredentialInfo {
        client_id,
        role,
        owner,
        created_at,
        revoked_at,
    }
}

impl Store {
    pub async fn get_credential(&self, client_id: &str) -> Result<Option<Credential>, StoreError> {
        let row: Option<(String, String, String, Option<String>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT client_id, secret_hash, role, owner FROM credentials \
                 WHERE client_id = $1 AND revoked_at IS NULL",
            )
            .bind(client_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(client_id, secret_hash, role, owner)| Credential {
            client_id,
            secret_hash,
            role,
            owner,
        }))
    }

    /// Creates the credential, or replaces its secret hash, role and owner
    /// (and un-revokes it) when the client id exists. A replaced secret
    /// ends the tokens issued for the old one.
    pub async fn put_credential(&self, credential: &Credential) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM access_tokens WHERE client_id = $1")
                .bind(&credential.client_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO credentials (client_id, secret_hash, role, owner, created_at) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (client_id) DO UPDATE SET secret_hash = excluded.secret_hash, \
                 role = excluded.role, owner = excluded.owner, revoked_at = NULL",
            )
            .bind(&credential.client_id)
            .bind(&credential.secret_hash)
            .bind(&credential.role)
            .bind(&credential.owner)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Credentials, newest first: all of them, or those owned by `owner`.
    pub async fn list_credentials(
        &self,
        owner: Option<&str>,
    ) -> Result<Vec<CredentialInfo>, StoreError> {
        let rows: Vec<InfoRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT client_id, role, owner, created_at, revoked_at FROM credentials \
                 WHERE $1 IS NULL OR owner = $1 ORDER BY created_at DESC, client_id",
            )
            .bind(owner)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(into_info).collect())
    }

    /// The live personal credential of `owner`, if any.
    pub async fn personal_credential(
        &self,
        owner: &str,
    ) -> Result<Option<CredentialInfo>, StoreError> {
        let row: Option<InfoRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT client_id, role, owner, created_at, revoked_at FROM credentials \
                 WHERE owner = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1",
            )
            .bind(owner)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(into_info))
    }

    pub async fn credential_info(
        &self,
        client_id: &str,
    ) -> Result<Option<CredentialInfo>, StoreError> {
        let row: Option<InfoRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT client_id, role, owner, created_at, revoked_at FROM credentials \
                 WHERE client_id = $1",
            )
            .bind(client_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(into_info))
    }

    /// Revokes a credential and ends its tokens at once; false when it was
    /// unknown or already revoked.
    pub async fn revoke_credential(&self, client_id: &str) -> Result<bool, StoreError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM access_tokens WHERE client_id = $1")
                .bind(client_id)
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query(
                "UPDATE credentials SET revoked_at = $2 WHERE client_id = $1 AND revoked_at IS NULL",
            )
            .bind(client_id)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            n > 0
        }))
    }

    pub async fn insert_access_token(
        &self,
        token_hash: &str,
        client_id: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            sqlx::query("INSERT INTO access_tokens (token_hash, client_id, expires_at) VALUES ($1, $2, $3)")
                .bind(token_hash)
                .bind(client_id)
                .bind(expires_at)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The credential behind a live token (not expired at `now`, credential
    /// not revoked).
    pub async fn token_owner(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<TokenOwner>, StoreError> {
        let row: Option<(String, String, Option<String>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT c.client_id, c.role, c.owner FROM access_tokens t \
                 JOIN credentials c ON c.client_id = t.client_id \
                 WHERE t.token_hash = $1 AND t.expires_at > $2 AND c.revoked_at IS NULL",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(client_id, role, owner)| TokenOwner {
            client_id,
            role,
            owner,
        }))
    }

    pub async fn delete_expired_tokens(&self, now: i64) -> Result<u64, StoreError> {
        Ok(with_pool!(self, pool => {
            sqlx::query("DELETE FROM access_tokens WHERE expires_at <= $1")
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
