//! Users, teams and memberships.

use super::{with_pool, OnConflict, Store, StoreError};
use crate::model::{Team, TeamProvider, User, UserRole, UserStatus};
use chrono::{DateTime, Utc};
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
            let mut tx = pool.begin().await?;
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
                             VALUES ($1, $2, 'SSO', $3, $3) ON CONFLICT (name) DO NOTHING",
                        )
                        .bind(group)
                        .bind("Synced from the identity provider")
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
    async fn memberships(&self) -> Result<Vec<(String, String)>, StoreError> {
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
                 created_at, last_login_at FROM users ORDER BY first_name, last_name, email",
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
                 created_at, last_login_at FROM users WHERE email = $1",
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
            sqlx::query("UPDATE users SET status = $2, updated_at = $3 WHERE email = $1")
                .bind(email)
                .bind(status.as_str())
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
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

    pub async fn list_teams(&self) -> Result<Vec<Team>, StoreError> {
        let rows: Vec<(String, Option<String>, String, DateTime<Utc>)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT name, description, provider, created_at FROM teams ORDER BY name")
                .fetch_all(pool)
                .await?
        });
        let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (team, email) in self.memberships().await? {
            members.entry(team).or_default().push(email);
        }
        rows.into_iter()
            .map(|(name, description, provider, created_at)| {
                Ok(Team {
                    provider: TeamProvider::parse(&provider).ok_or_else(|| {
                        StoreError::Corrupt(format!(
                            "team `{name}` has unknown provider `{provider}`"
                        ))
                    })?,
                    users: members.remove(&name).unwrap_or_default(),
                    name,
                    description,
                    created_at,
                })
            })
            .collect()
    }

    /// Which of `names` are teams (one query, for checks on every write).
    pub async fn existing_teams(&self, names: &[String]) -> Result<Vec<String>, StoreError> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = crate::query::Sql::default();
        sql.push("SELECT name FROM teams WHERE name IN (");
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push_bind(crate::query::Bind::Text(name.clone()));
        }
        sql.push(")");
        let rows: Vec<(String,)> = with_pool!(self, pool => {
            super::bind_all!(sqlx::query_as::<_, (String,)>(&sql.text), &sql.binds)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(n,)| n).collect())
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(pool).await?
        });
        Ok(n)
    }

    pub async fn count_teams(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM teams").fetch_one(pool).await?
        });
        Ok(n)
    }

    /// Inserts a team with its members; all or nothing.
    pub async fn insert_team(&self, team: &Team) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO teams (name, description, provider, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(&team.name)
            .bind(&team.description)
            .bind(team.provider.as_str())
            .bind(team.created_at)
            .execute(&mut *tx)
            .await
            .on_conflict(|| format!("team name `{}` is already taken", team.name))?;
            for email in &team.users {
                sqlx::query("INSERT INTO memberships (team, email) VALUES ($1, $2)")
                    .bind(&team.name)
                    .bind(email)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Inserts a user (without team memberships; teams carry those).
    pub async fn insert_user(&self, user: &User) -> Result<(), StoreError> {
        let result = with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO users (email, first_name, last_name, picture, role, moderated_blueprints, \
                 status, created_at, updated_at, last_login_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
            )
            .bind(&user.email)
            .bind(&user.first_name)
            .bind(&user.last_name)
            .bind(&user.picture)
            .bind(user.role.as_str())
            .bind(Json(&user.moderated_blueprints))
            .bind(user.status.as_str())
            .bind(user.created_at)
            .bind(user.last_login_at)
            .execute(pool)
            .await
            .map(|_| ())
        });
        result.on_conflict(|| format!("a user with e-mail `{}` already exists", user.email))
    }
}
