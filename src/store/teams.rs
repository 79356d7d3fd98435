//! Teams and their memberships. Team writes other than the demo seed and
//! SSO sign-in record an audit row (`_team`) in their own transaction.

use super::audit::{insert_change, ChangeRecord};
use super::{bind_all, with_pool, OnConflict, Store, StoreError};
use crate::model::{Team, TeamProvider};
use crate::store::BeginWrite;
use chrono::{DateTime, SubsecRound, Utc};
use std::collections::BTreeMap;

type TeamRow = (String, Option<String>, String, DateTime<Utc>, DateTime<Utc>);

const TEAM_COLUMNS: &str = "name, description, provider, created_at, updated_at";

fn into_team(row: TeamRow, users: Vec<String>) -> Result<Team, StoreError> {
    let (name, description, provider, created_at, updated_at) = row;
    Ok(Team {
        provider: TeamProvider::parse(&provider).ok_or_else(|| {
            StoreError::Corrupt(format!("team `{name}` has unknown provider `{provider}`"))
        })?,
        users,
        name,
        description,
        created_at,
        updated_at,
    })
}

/// What an edit changes; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct TeamChange {
    pub description: Option<Option<String>>,
    /// A new name, carried to everything that names the team (see
    /// `team_rename`).
    pub name: Option<String>,
    /// The complete new member list (e-mails that exist).
    pub users: Option<Vec<String>>,
}

impl Store {
    pub async fn list_teams(&self) -> Result<Vec<Team>, StoreError> {
        let rows: Vec<TeamRow> = with_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {TEAM_COLUMNS} FROM teams ORDER BY name"))
                .fetch_all(pool)
                .await?
        });
        let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (team, email) in self.memberships().await? {
            members.entry(team).or_default().push(email);
        }
        rows.into_iter()
            .map(|row| {
                let users = members.remove(&row.0).unwrap_or_default();
                into_team(row, users)
            })
            .collect()
    }

    pub async fn get_team(&self, name: &str) -> Result<Option<Team>, StoreError> {
        let row: Option<TeamRow> = with_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {TEAM_COLUMNS} FROM teams WHERE name = $1"))
                .bind(name)
                .fetch_optional(pool)
                .await?
        });
        let Some(row) = row else {
            return Ok(None);
        };
        let users: Vec<(String,)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT email FROM memberships WHERE team = $1 ORDER BY email")
                .bind(name)
                .fetch_all(pool)
                .await?
        });
        into_team(row, users.into_iter().map(|(e,)| e).collect()).map(Some)
    }

    /// Which of `names` are teams (one query, for checks on every write).
    pub async fn existing_teams(&self, names: &[String]) -> Result<Vec<String>, StoreError> {
        self.existing_keys("teams", "name", names).await
    }

    /// Which of `keys` are in `table.column` (both trusted identifiers).
    pub(super) async fn existing_keys(
        &self,
        table: &'static str,
        column: &'static str,
        keys: &[String],
    ) -> Result<Vec<String>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = crate::query::Sql::default();
        sql.push(&format!("SELECT {column} FROM {table} WHERE {column} IN ("));
        for (i, key) in keys.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push_bind(crate::query::Bind::Text(key.clone()));
        }
        sql.push(")");
        let rows: Vec<(String,)> = with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, (String,)>(&sql.text), &sql.binds)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(k,)| k).collect())
    }

    pub async fn count_teams(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM teams").fetch_one(pool).await?
        });
        Ok(n)
    }

    /// How many entities list `team` among their teams.
    pub async fn count_team_entities(&self, team: &str) -> Result<i64, StoreError> {
        let (n,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM entity_teams WHERE team = $1")
                .bind(team)
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }

    /// Inserts a team with its members, unrecorded (demo seed, tests).
    pub async fn insert_team(&self, team: &Team) -> Result<(), StoreError> {
        self.create_team(team, None).await
    }

    /// Inserts a team with its members, all or nothing; with an `actor`,
    /// the creation is recorded in the same transaction.
    pub async fn create_team(&self, team: &Team, actor: Option<&str>) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO teams (name, description, provider, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&team.name)
            .bind(&team.description)
            .bind(team.provider.as_str())
            .bind(team.created_at)
            .bind(team.updated_at)
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
            if let Some(actor) = actor {
                insert_change!(&mut tx, &ChangeRecord {
                    actor,
                    resource_type: "team",
                    action: "CREATE",
                    blueprint: "_team",
                    identifier: &team.name,
                    before: serde_json::Value::Null,
                    after: serde_json::to_value(team).unwrap_or_default(),
                });
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Applies `change` to the team `before` (as the caller read it) and
    /// records it; answers the team after the change.
    pub async fn change_team(
        &self,
        before: &Team,
        change: &TeamChange,
        actor: &str,
    ) -> Result<Team, StoreError> {
        let mut after = before.clone();
        if let Some(description) = &change.description {
            after.description = description.clone();
        }
        let renamed = change.name.as_ref().filter(|n| **n != before.name);
        if let Some(name) = renamed {
            after.name = name.clone();
        }
        if let Some(users) = &change.users {
            let mut users = users.clone();
            users.sort();
            users.dedup();
            after.users = users;
        }
        after.updated_at = Utc::now().trunc_subsecs(6);
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if renamed.is_some() {
                super::team_rename::rename_team!(tx, &before.name, &after.name);
            }
            sqlx::query("UPDATE teams SET description = $2, updated_at = $3 WHERE name = $1")
                .bind(&after.name)
                .bind(&after.description)
                .bind(after.updated_at)
                .execute(&mut *tx)
                .await?;
            if change.users.is_some() {
                sqlx::query("DELETE FROM memberships WHERE team = $1")
                    .bind(&after.name)
                    .execute(&mut *tx)
                    .await?;
                for email in &after.users {
                    sqlx::query("INSERT INTO memberships (team, email) VALUES ($1, $2)")
                        .bind(&after.name)
                        .bind(email)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            insert_change!(&mut tx, &ChangeRecord {
                actor,
                resource_type: "team",
                action: "UPDATE",
                blueprint: "_team",
                identifier: &after.name,
                before: serde_json::to_value(before).unwrap_or_default(),
                after: serde_json::to_value(&after).unwrap_or_default(),
            });
            tx.commit().await?;
        });
        Ok(after)
    }

    /// Adds (`member`) or removes one member of `team`, leaving the other
    /// members as they are now rather than as the caller once read them (two
    /// admins editing at once both land), and records the change. Answers
    /// the team after it, or `None` when there is no such team.
    pub async fn set_membership(
        &self,
        team: &str,
        email: &str,
        member: bool,
        actor: &str,
    ) -> Result<Option<Team>, StoreError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let row: Option<TeamRow> = sqlx::query_as(&format!("SELECT {TEAM_COLUMNS} FROM teams WHERE name = $1"))
                .bind(team)
                .fetch_optional(&mut *tx)
                .await?;
            match row {
                None => None,
                Some(row) => {
                    let changed = if member {
                        sqlx::query("INSERT INTO memberships (team, email) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    } else {
                        sqlx::query("DELETE FROM memberships WHERE team = $1 AND email = $2")
                    }
                    .bind(team)
                    .bind(email)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        > 0;
                    let users: Vec<(String,)> = sqlx::query_as("SELECT email FROM memberships WHERE team = $1 ORDER BY email")
                        .bind(team)
                        .fetch_all(&mut *tx)
                        .await?;
                    let mut after = into_team(row, users.into_iter().map(|(e,)| e).collect())?;
                    if changed {
                        let mut before = after.clone();
                        before.users.retain(|u| u != email);
                        if !member {
                            before.users.push(email.to_string());
                            before.users.sort();
                        }
                        after.updated_at = Utc::now().trunc_subsecs(6);
                        sqlx::query("UPDATE teams SET updated_at = $2 WHERE name = $1")
                            .bind(team)
                            .bind(after.updated_at)
                            .execute(&mut *tx)
                            .await?;
                        insert_change!(&mut tx, &ChangeRecord {
                            actor,
                            resource_type: "team",
                            action: "UPDATE",
                            blueprint: "_team",
                            identifier: team,
                            before: serde_json::to_value(&before).unwrap_or_default(),
                            after: serde_json::to_value(&after).unwrap_or_default(),
                        });
                    }
                    tx.commit().await?;
                    Some(after)
                }
            }
        }))
    }

    /// How many entities each team owns, per blueprint: `(team, blueprint,
    /// count)`, the effective (also inherited) teams `$team` filters use.
    pub async fn team_entity_counts(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT t.team, e.blueprint, COUNT(*) FROM entity_teams t \
                 JOIN entities e ON e.id = t.entity_id GROUP BY t.team, e.blueprint \
                 ORDER BY t.team, e.blueprint",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Deletes a team (its memberships go with it) and records it.
    pub async fn delete_team(&self, team: &Team, actor: &str) -> Result<bool, StoreError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("DELETE FROM teams WHERE name = $1")
                .bind(&team.name)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                insert_change!(&mut tx, &ChangeRecord {
                    actor,
                    resource_type: "team",
                    action: "DELETE",
                    blueprint: "_team",
                    identifier: &team.name,
                    before: serde_json::to_value(team).unwrap_or_default(),
                    after: serde_json::Value::Null,
                });
            }
            tx.commit().await?;
            n > 0
        }))
    }
}
