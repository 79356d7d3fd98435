//! Server-side sessions for tower-sessions, in the same database as
//! everything else, so several instances on one PostgreSQL share them.

use super::{with_pool, Store};
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

fn backend(err: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

/// The session value that holds the sign-in (`{email, method, …}`).
pub const SIGN_IN_KEY: &str = "portolan.sign_in";

/// Where `load` puts the reason a session was ended from outside (see
/// `ACCOUNT_GONE`), for the sign-in check to act on and explain.
pub const ENDED_KEY: &str = "portolan.ended";

/// The reason code of sessions whose account was disabled or deleted.
pub const ACCOUNT_GONE: &str = "disabled";

/// Marks every session of `email` as ended because its account is gone,
/// inside the transaction that disables or deletes it.
macro_rules! end_sessions_of {
    ($tx:expr, $email:expr) => {{
        sqlx::query("UPDATE sessions SET ended = $2 WHERE email = $1 AND ended IS NULL")
            .bind($email)
            .bind($crate::store::sessions::ACCOUNT_GONE)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use end_sessions_of;

/// Whose session a record is: the e-mail of its sign-in, if any.
fn owner(record: &Record) -> Option<String> {
    record
        .data
        .get(SIGN_IN_KEY)
        .and_then(|sign_in| sign_in.get("email"))
        .and_then(|email| email.as_str())
        .map(str::to_string)
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
                    "INSERT INTO sessions (id, data, expires_at, email) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(record.id.to_string())
                .bind(data)
                .bind(expires)
                .bind(owner(record))
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
                "INSERT INTO sessions (id, data, expires_at, email) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, \
                 expires_at = excluded.expires_at, email = excluded.email",
            )
            .bind(record.id.to_string())
            .bind(data)
            .bind(record.expiry_date.unix_timestamp())
            .bind(owner(record))
            .execute(pool)
            .await
            .map_err(backend)?;
        });
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let row: Option<(Vec<u8>, Option<String>)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT data, ended FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(pool)
                .await
                .map_err(backend)?
        });
        row.map(|(data, ended)| {
            let mut record: Record = serde_json::from_slice(&data)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?;
            if let Some(reason) = ended {
                record.data.insert(ENDED_KEY.into(), reason.into());
            }
            Ok(record)
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
