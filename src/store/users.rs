//! Users: accounts, passwords, roles and status, the first admin, and SSO
//! sign-in (which also creates SSO teams and sets the person's SSO
//! memberships). Teams themselves are in `teams.rs`; disabling or deleting
//! an account ends its sessions (`sessions.rs`) in the same transaction.

use super::audit::{insert_change, ChangeRecord};
use super::sessions::end_sessions_of;
use super::{with_pool, OnConflict, Store, StoreError};
use crate::model::{TeamProvider, User, UserRole, UserStatus};
use crate::store::BeginWrite;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::types::Json;
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct UserRow {
    email: String,
    first_name: String,
    last_name: String,
    picture: Option<String>,
    role: String,
    moderated_blueprints: Json<Vec<String>>,
    status: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    last_login_at: Option<DateTime<Utc>>,
}

impl UserRow {
    fn into_user(self, teams: Vec<String>) -> Result<User, StoreError> {
        Ok(User {
            role: UserRole::parse(&self.role).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "user `{}` has unknown role `{}`",
                    self.email, self.role
                ))
            })?,
            status: UserStatus::parse(&self.status).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "user `{}` has unknown status `{}`",
                    self.email, self.status
                ))
            })?,
            email: self.email,
            first_name: self.first_name,
            last_name: self.last_name,
            picture: self.picture,
            moderated_blueprints: self.moderated_blueprints.0,
            teams,
            created_at: self.created_at,
            updated_at: self.updated_at,
            last_login_at: self.last_login_at,
        })
    }
}

/// What a verified SSO sign-in tells about a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoProfile {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub picture: Option<String>,
    /// The groups claim: the SSO teams the person belongs to now.
    pub groups: Vec<String>,
}

/// What an admin's edit of a user changes; `None` leaves a field alone.
#[derive(Clone, Debug, Default)]
pub struct UserChange {
    pub role: Option<UserRole>,
    pub moderated_blueprints: Option<Vec<String>>,
    /// The complete new team list (teams that exist).
    pub teams: Option<Vec<String>>,
    pub status: Option<UserStatus>,
}

impl Store {
    /// Applies an SSO sign-in in one transaction: creates the user (as an
    /// Active Member) or refreshes their profile and activates an invited
    /// one; creates missing SSO teams; and sets the user's SSO-team
    /// memberships to exactly `groups`. Groups named like a team created in
    /// Portolan are left alone and returned, so the caller can log them.
    pub async fn sso_sign_in(
        &self,
        profile: &SsoProfile,
        create: bool,
    ) -> Result<Vec<String>, StoreError> {
        let now = Utc::now();
        let mut skipped = Vec::new();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // Same parameters either way: $1 e-mail, $2/$3 names, $4 picture, $5 now.
            let upsert = if create {
                "INSERT INTO users (email, first_name, last_name, picture, role, status, \
                 created_at, updated_at, last_login_at) \
                 VALUES ($1, $2, $3, $4, 'Member', 'Active', $5, $5, $5)"
            } else {
                "UPDATE users SET \
                 first_name = CASE WHEN $2 = '' THEN first_name ELSE $2 END, \
                 last_name = CASE WHEN $3 = '' THEN last_name ELSE $3 END, \
                 picture = COALESCE($4, picture), status = 'Active', \
                 updated_at = $5, last_login_at = $5 WHERE email = $1"
            };
            sqlx::query(upsert)
                .bind(&profile.email)
                .bind(&profile.first_name)
                .bind(&profile.last_name)
                .bind(&profile.picture)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let mut joined = Vec::new();
            for group in &profile.groups {
                let provider: Option<(String,)> =
                    sqlx::query_as("SELECT provider FROM teams WHERE name = $1")
                        .bind(group)
                        .fetch_optional(&mut *tx)
                        .await?;
                match provider {
                    Some((p,)) if p != TeamProvider::Sso.as_str() => skipped.push(group.clone()),
                    Some(_) => joined.push(group),
                    None => {
                        sqlx::query(
                            "INSERT INTO teams (name, description, provider, created_at, updated_at) \
                             VALUES ($1, NULL, 'SSO', $2, $2) ON CONFLICT (name) DO NOTHING",
                        )
                        .bind(group)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                        joined.push(group);
                    }
                }
            }
            sqlx::query(
                "DELETE FROM memberships WHERE email = $1 \
                 AND team IN (SELECT name FROM teams WHERE provider = 'SSO')",
            )
            .bind(&profile.email)
            .execute(&mut *tx)
            .await?;
            for team in joined {
                sqlx::query(
                    "INSERT INTO memberships (team, email) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(team)
                .bind(&profile.email)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(skipped)
    }

    /// All memberships as (team, email), ordered by team then e-mail.
    pub(super) async fn memberships(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as("SELECT team, email FROM memberships ORDER BY team, email")
                .fetch_all(pool)
                .await?
        }))
    }

    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT email, first_name, last_name, picture, role, moderated_blueprints, status, \
                 created_at, updated_at, last_login_at FROM users ORDER BY first_name, last_name, email",
            )
            .fetch_all(pool)
            .await?
        });
        let mut teams_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (team, email) in self.memberships().await? {
            teams_of.entry(email).or_default().push(team);
        }
        rows.into_iter()
            .map(|row| {
                let teams = teams_of.remove(&row.email).unwrap_or_default();
                row.into_user(teams)
            })
            .collect()
    }

    /// One user with their teams, or `None` (two indexed reads: this runs
    /// on every signed-in request).
    pub async fn get_user(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT email, first_name, last_name, picture, role, moderated_blueprints, status, \
                 created_at, updated_at, last_login_at FROM users WHERE email = $1",
            )
            .bind(email)
            .fetch_optional(pool)
            .await?
        });
        let Some(row) = row else {
            return Ok(None);
        };
        let teams: Vec<(String,)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT team FROM memberships WHERE email = $1 ORDER BY team")
                .bind(email)
                .fetch_all(pool)
                .await?
        });
        Ok(Some(
            row.into_user(teams.into_iter().map(|(t,)| t).collect())?,
        ))
    }

    /// One user with their password hash (for sign-in only).
    pub async fn user_with_password(
        &self,
        email: &str,
    ) -> Result<Option<(User, Option<String>)>, StoreError> {
        let Some(user) = self.get_user(email).await? else {
            return Ok(None);
        };
        let (hash,): (Option<String>,) = with_pool!(self, pool => {
            sqlx::query_as("SELECT password_hash FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(pool)
                .await?
        });
        Ok(Some((user, hash)))
    }

    /// Sets a user's password hash and makes them Active (invitation
    /// accepted, or an admin bootstrapped).
    pub async fn set_password(&self, email: &str, hash: &str) -> Result<bool, StoreError> {
        let now = Utc::now();
        let changed = with_pool!(self, pool => {
            sqlx::query(
                "UPDATE users SET password_hash = $2, status = 'Active', updated_at = $3 WHERE email = $1",
            )
            .bind(email)
            .bind(hash)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(changed == 1)
    }

    /// Makes `email` an Active admin with this password hash, creating the
    /// user when missing (the first-start bootstrap).
    pub async fn put_admin(&self, email: &str, hash: &str) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO users (email, first_name, last_name, role, status, password_hash, created_at, updated_at) \
                 VALUES ($1, 'Portal', 'Admin', 'Admin', 'Active', $2, $3, $3) \
                 ON CONFLICT (email) DO UPDATE SET role = 'Admin', status = 'Active', \
                 password_hash = excluded.password_hash, updated_at = excluded.updated_at",
            )
            .bind(email)
            .bind(hash)
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Whether some Active admin can sign in with a password.
    pub async fn admin_with_password_exists(&self) -> Result<bool, StoreError> {
        let (n,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT COUNT(*) FROM users WHERE role = 'Admin' AND status = 'Active' \
                 AND password_hash IS NOT NULL",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(n > 0)
    }

    /// Enables or disables a user; a disabled user's sessions stop counting
    /// at their next request (the subject is re-read on every request).
    pub async fn set_user_status(
        &self,
        email: &str,
        status: UserStatus,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        let changed = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query("UPDATE users SET status = $2, updated_at = $3 WHERE email = $1")
                .bind(email)
                .bind(status.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if status == UserStatus::Disabled {
                end_sessions_of!(tx, email);
            }
            tx.commit().await?;
            changed
        });
        Ok(changed == 1)
    }

    pub async fn record_login(&self, email: &str) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, pool => {
            sqlx::query("UPDATE users SET last_login_at = $2 WHERE email = $1")
                .bind(email)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(pool).await?
        });
        Ok(n)
    }

    /// Which of `emails` are users (one query).
    pub async fn existing_users(&self, emails: &[String]) -> Result<Vec<String>, StoreError> {
        self.existing_keys("users", "email", emails).await
    }

    /// Applies `change` to the user `before` (as the caller read it) and
    /// records it in the same transaction; answers the user after it.
    pub async fn change_user(
        &self,
        before: &User,
        change: &UserChange,
        actor: &str,
    ) -> Result<User, StoreError> {
        let mut after = before.clone();
        if let Some(role) = change.role {
            after.role = role;
        }
        if let Some(moderated) = &change.moderated_blueprints {
            after.moderated_blueprints = moderated.clone();
        }
        if let Some(status) = change.status {
            after.status = status;
        }
        if let Some(teams) = &change.teams {
            let mut teams = teams.clone();
            teams.sort();
            teams.dedup();
            after.teams = teams;
        }
        after.updated_at = Utc::now().trunc_subsecs(6);
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE users SET role = $2, moderated_blueprints = $3, status = $4, updated_at = $5 \
                 WHERE email = $1",
            )
            .bind(&after.email)
            .bind(after.role.as_str())
            .bind(Json(&after.moderated_blueprints))
            .bind(after.status.as_str())
            .bind(after.updated_at)
            .execute(&mut *tx)
            .await?;
            // A disabled account's sessions end now: enabled again, it
            // signs in again rather than finding its old sessions alive.
            if after.status == UserStatus::Disabled {
                end_sessions_of!(tx, &after.email);
            }
            if change.teams.is_some() {
                sqlx::query("DELETE FROM memberships WHERE email = $1")
                    .bind(&after.email)
                    .execute(&mut *tx)
                    .await?;
                for team in &after.teams {
                    sqlx::query("INSERT INTO memberships (team, email) VALUES ($1, $2)")
                        .bind(team)
                        .bind(&after.email)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            insert_change!(&mut tx, &ChangeRecord {
                actor,
                resource_type: "user",
                action: "UPDATE",
                blueprint: "_user",
                identifier: &after.email,
                before: serde_json::to_value(before).unwrap_or_default(),
                after: serde_json::to_value(&after).unwrap_or_default(),
            });
            tx.commit().await?;
        });
        Ok(after)
    }

    /// Deletes a user (memberships, credentials and invitations go with
    /// them, their sessions end) and records it.
    pub async fn delete_user(&self, user: &User, actor: &str) -> Result<bool, StoreError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE credentials SET revoked_at = $2 WHERE owner = $1 AND revoked_at IS NULL")
                .bind(&user.email)
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
            end_sessions_of!(tx, &user.email);
            let n = sqlx::query("DELETE FROM users WHERE email = $1")
                .bind(&user.email)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                insert_change!(&mut tx, &ChangeRecord {
                    actor,
                    resource_type: "user",
                    action: "DELETE",
                    blueprint: "_user",
                    identifier: &user.email,
                    before: serde_json::to_value(user).unwrap_or_default(),
                    after: serde_json::Value::Null,
                });
            }
            tx.commit().await?;
            n > 0
        }))
    }

    /// How many Active admins there are (an edit must not remove the last).
    pub async fn count_active_admins(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'Admin' AND status = 'Active'")
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }

    /// Inserts a user (without team memberships; teams carry those).
    pub async fn insert_user(&self, user: &User) -> Result<(), StoreError> {
        let result = with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO users (email, first_name, last_name, picture, role, moderated_blueprints, \
                 status, created_at, updated_at, last_login_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&user.email)
            .bind(&user.first_name)
            .bind(&user.last_name)
            .bind(&user.picture)
            .bind(user.role.as_str())
            .bind(Json(&user.moderated_blueprints))
            .bind(user.status.as_str())
            .bind(user.created_at)
            .bind(user.updated_at)
            .bind(user.last_login_at)
            .execute(pool)
            .await
            .map(|_| ())
        });
        result.on_conflict(|| format!("a user with e-mail `{}` already exists", user.email))
    }
}
