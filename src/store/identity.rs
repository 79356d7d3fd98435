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

impl Store {
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
