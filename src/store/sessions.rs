//! Server-side sessions for tower-sessions, in the same database as
//! everything else, so several instances on one PostgreSQL share them.

use super::{with_pool, Store};
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

fn backend(err: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id that collides with a live session gets a new id rather
        // than overwriting someone else's session.
        loop {
            let data = serde_json::to_vec(&record)
                .map_err(|e| session_store::Error::Encode(e.to_string()))?;
            let expires = record.expiry_date.unix_timestamp();
            let inserted = with_pool!(self, pool => {
                sqlx::query(
                    "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(record.id.to_string())
                .bind(data)
                .bind(expires)
                .execute(pool)
                .await
                .map_err(backend)?
                .rows_affected()
            });
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data =
            serde_json::to_vec(&record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
            )
            .bind(record.id.to_string())
            .bind(data)
            .bind(record.expiry_date.unix_timestamp())
            .execute(pool)
            .await
            .map_err(backend)?;
        });
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let row: Option<(Vec<u8>,)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(pool)
                .await
                .map_err(backend)?
        });
        row.map(|(data,)| {
            serde_json::from_slice(&data).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        with_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(id.to_string())
                .execute(pool)
                .await
                .map_err(backend)?;
        });
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for Store {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        with_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(pool)
                .await
                .map_err(backend)?;
        });
        Ok(())
    }
}
