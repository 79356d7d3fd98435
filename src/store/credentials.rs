//! Machine credentials and their bearer tokens (hashes only).

use super::{with_pool, Store, StoreError};
use chrono::Utc;

/// A stored credential: its client id, the argon2id hash of its secret, and
/// the role it acts with.
pub struct Credential {
    pub client_id: String,
    pub secret_hash: String,
    pub role: String,
}

impl Store {
    pub async fn get_credential(&self, client_id: &str) -> Result<Option<Credential>, StoreError> {
        let row: Option<(String, String, String)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT client_id, secret_hash, role FROM credentials \
                 WHERE client_id = $1 AND revoked_at IS NULL",
            )
            .bind(client_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(client_id, secret_hash, role)| Credential {
            client_id,
            secret_hash,
            role,
        }))
    }

    /// Creates the credential, or replaces its secret hash and role (and
    /// un-revokes it) when the client id exists.
    pub async fn put_credential(&self, credential: &Credential) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO credentials (client_id, secret_hash, role, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (client_id) DO UPDATE SET secret_hash = excluded.secret_hash, \
                 role = excluded.role, revoked_at = NULL",
            )
            .bind(&credential.client_id)
            .bind(&credential.secret_hash)
            .bind(&credential.role)
            .bind(Utc::now())
            .execute(pool)
            .await?;
        });
        Ok(())
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
    /// not revoked), as (client id, role).
    pub async fn token_owner(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(String, String)>, StoreError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT c.client_id, c.role FROM access_tokens t \
                 JOIN credentials c ON c.client_id = t.client_id \
                 WHERE t.token_hash = $1 AND t.expires_at > $2 AND c.revoked_at IS NULL",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
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
