//! Writing a batch of entities (one API request, up to the bulk limit) in
//! one transaction with a handful of multi-row statements: the inserts, the
//! side-table rows and the audit records each go in as few statements as
//! the databases' parameter limits allow, so a bulk request costs a few
//! round trips rather than several per entity.

use super::entities::{AuditRecord, NewEntity};
use super::inherited_teams::refresh_inherited_teams;
use super::{bind_all, with_pool, InheritanceRule, Store, StoreError, Touched};
use crate::query::{Bind, Sql};
use crate::store::BeginWrite;
use serde::Serialize;
use std::collections::HashMap;

/// One entity to write in a batch: inserted when `expected_version` is
/// `None`, else replaced only if the stored one still has that version.
pub struct EntityWrite {
    pub new: NewEntity,
    pub expected_version: Option<i64>,
    pub audit: AuditRecord,
}

/// Rows per multi-row statement: 12 parameters a row stays far below
/// SQLite's 32,766 and PostgreSQL's 65,535.
const ROWS_PER_STATEMENT: usize = 500;

fn text(value: &str) -> Bind {
    Bind::Text(value.to_string())
}

fn optional(value: &Option<String>) -> Bind {
    value.clone().map(Bind::Text).unwrap_or(Bind::Null)
}

fn json(value: &impl Serialize) -> Bind {
    Bind::Text(serde_json::to_string(value).unwrap_or_else(|_| "null".into()))
}

/// `(a, b), (c, d)`: one placeholder group per row; `around(column)` gives
/// what surrounds each column's placeholder (`Dialect::json_in` for JSON).
fn push_rows<T>(
    sql: &mut Sql,
    rows: &[T],
    around: impl Fn(usize) -> (&'static str, &'static str),
    row: impl Fn(&T) -> Vec<Bind>,
) {
    for (i, item) in rows.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" });
        for (j, value) in row(item).into_iter().enumerate() {
            if j > 0 {
                sql.push(", ");
            }
            let (before, after) = around(j);
            sql.push(before).push_bind(value).push(after);
        }
        sql.push(")");
    }
}

type Key = (String, String);

fn key(new: &NewEntity) -> Key {
    (new.entity.blueprint.clone(), new.entity.identifier.clone())
}

impl Store {
    /// Writes a batch of entities of one request in one transaction: the
    /// relation-target stubs and the new entities, the replaced ones, their
    /// side rows, and an audit record per written entity. Optimistic
    /// concurrency per entity: a create whose identifier was taken
    /// meanwhile, or a replace of an entity changed since its version, is
    /// skipped and answered as that entity's conflict (the others are
    /// written). A stub whose target appeared meanwhile is not needed.
    ///
    /// `inheritance` are the blueprints whose inherited teams this batch may
    /// change (`store::inherited_teams`); they are refreshed before commit.
    pub async fn save_entities(
        &self,
        writes: &[EntityWrite],
        stubs: &[NewEntity],
        inheritance: &[InheritanceRule],
    ) -> Result<Vec<Result<(), String>>, StoreError> {
        // Rows go in in key order, so two batches touching the same keys
        // lock them in the same order; PostgreSQL may still pick a batch as
        // a deadlock victim against another writer, and the batch is then
        // whole again to retry.
        let mut attempt = 0;
        loop {
            match self.save_entities_once(writes, stubs, inheritance).await {
                Err(StoreError::Database(sqlx::Error::Database(db)))
                    if attempt < 3 && matches!(db.code().as_deref(), Some("40P01" | "40001")) =>
                {
                    attempt += 1;
                    tracing::warn!(attempt, "entity batch rolled back by a deadlock; retrying");
                }
                other => {
                    if other.is_ok() {
                        self.note_entities_written((writes.len() + stubs.len()) as u64);
                    }
                    return other;
                }
            }
        }
    }

    async fn save_entities_once(
        &self,
        writes: &[EntityWrite],
        stubs: &[NewEntity],
        inheritance: &[InheritanceRule],
    ) -> Result<Vec<Result<(), String>>, StoreError> {
        let dialect = self.dialect();
        // teams, properties and relations are the JSON columns.
        let around = |column: usize| match column {
            4 | 6 => dialect.json_in(false),
            5 => dialect.json_in(true),
            _ => ("", ""),
        };
        let (props_before, props_after) = dialect.json_in(true);
        let mut inserts: Vec<&NewEntity> = stubs
            .iter()
            .chain(
                writes
                    .iter()
                    .filter(|w| w.expected_version.is_none())
                    .map(|w| &w.new),
            )
            .collect();
        inserts.sort_by_key(|n| key(n));
        let mut updates: Vec<&EntityWrite> = writes
            .iter()
            .filter(|w| w.expected_version.is_some())
            .collect();
        updates.sort_by_key(|w| key(&w.new));

        let mut written: HashMap<Key, i64> = HashMap::new();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for chunk in inserts.chunks(ROWS_PER_STATEMENT) {
                let mut sql = Sql::default();
                sql.push(
                    "INSERT INTO entities (blueprint, identifier, title, icon, teams, properties, \
                     relations, created_at, created_by, updated_at, updated_by, version) VALUES ",
                );
                push_rows(&mut sql, chunk, around, |n| {
                    let e = &n.entity;
                    vec![
                        text(&e.blueprint), text(&e.identifier), optional(&e.title), optional(&e.icon),
                        json(&e.team), json(&e.properties), json(&e.relations), Bind::Time(e.created_at),
                        optional(&e.created_by), Bind::Time(e.updated_at), optional(&e.updated_by),
                        Bind::Int(e.version),
                    ]
                });
                sql.push(" ON CONFLICT (blueprint, identifier) DO NOTHING RETURNING id, blueprint, identifier");
                let rows: Vec<(i64, String, String)> =
                    bind_all!(sqlx::query_as::<_, (i64, String, String)>(&sql.text), &sql.binds)
                        .fetch_all(&mut *tx)
                        .await?;
                written.extend(rows.into_iter().map(|(id, bp, ident)| ((bp, ident), id)));
            }
            let mut replaced = Vec::new();
            for write in &updates {
                let e = &write.new.entity;
                let update = format!(
                    "UPDATE entities SET title = $1, icon = $2, teams = $3, \
                     properties = {props_before}$4{props_after}, relations = $5, updated_at = $6, \
                     updated_by = $7, version = version + 1 \
                     WHERE blueprint = $8 AND identifier = $9 AND version = $10 RETURNING id"
                );
                let row: Option<(i64,)> = sqlx::query_as(&update)
                .bind(&e.title)
                .bind(&e.icon)
                .bind(sqlx::types::Json(&e.team))
                .bind(sqlx::types::Json(&e.properties))
                .bind(sqlx::types::Json(&e.relations))
                .bind(e.updated_at)
                .bind(&e.updated_by)
                .bind(&e.blueprint)
                .bind(&e.identifier)
                .bind(write.expected_version)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some((id,)) = row {
                    written.insert(key(&write.new), id);
                    replaced.push(id);
                }
            }
            for chunk in replaced.chunks(ROWS_PER_STATEMENT) {
                for table in ["entity_teams", "entity_relations"] {
                    let mut sql = Sql::default();
                    sql.push(&format!("DELETE FROM {table} WHERE entity_id IN ("));
                    for (i, id) in chunk.iter().enumerate() {
                        if i > 0 {
                            sql.push(", ");
                        }
                        sql.push_bind(Bind::Int(*id));
                    }
                    sql.push(")");
                    bind_all!(sqlx::query(&sql.text), &sql.binds).execute(&mut *tx).await?;
                }
            }

            // Side rows and audit records of what was written.
            let done: Vec<(i64, &NewEntity)> = stubs
                .iter()
                .chain(writes.iter().map(|w| &w.new))
                .filter_map(|n| written.get(&key(n)).map(|id| (*id, n)))
                .collect();
            let teams: Vec<(i64, &String)> =
                done.iter().flat_map(|(id, n)| n.entity.team.iter().map(move |t| (*id, t))).collect();
            for chunk in teams.chunks(ROWS_PER_STATEMENT) {
                let mut sql = Sql::default();
                sql.push("INSERT INTO entity_teams (entity_id, team) VALUES ");
                push_rows(&mut sql, chunk, |_| ("", ""), |(id, team)| vec![Bind::Int(*id), text(team)]);
                sql.push(" ON CONFLICT DO NOTHING");
                bind_all!(sqlx::query(&sql.text), &sql.binds).execute(&mut *tx).await?;
            }
            let links: Vec<(i64, &super::RelationLink)> =
                done.iter().flat_map(|(id, n)| n.links.iter().map(move |l| (*id, l))).collect();
            for chunk in links.chunks(ROWS_PER_STATEMENT) {
                let mut sql = Sql::default();
                sql.push("INSERT INTO entity_relations (entity_id, relation, target_blueprint, target) VALUES ");
                push_rows(&mut sql, chunk, |_| ("", ""), |(id, l)| {
                    vec![Bind::Int(*id), text(&l.relation), text(&l.target_blueprint), text(&l.target)]
                });
                sql.push(" ON CONFLICT DO NOTHING");
                bind_all!(sqlx::query(&sql.text), &sql.binds).execute(&mut *tx).await?;
            }
            if !inheritance.is_empty() {
                let mut touched = Touched::new();
                for (blueprint, identifier) in written.keys() {
                    touched.entry(blueprint.clone()).or_default().push(identifier.clone());
                }
                refresh_inherited_teams!(tx, inheritance, &touched);
            }
            let audits: Vec<&AuditRecord> = writes
                .iter()
                .filter(|w| written.contains_key(&key(&w.new)))
                .map(|w| &w.audit)
                .collect();
            let now = super::audit::now();
            for chunk in audits.chunks(ROWS_PER_STATEMENT) {
                let mut sql = Sql::default();
                sql.push(
                    "INSERT INTO audit_log (at, actor, resource_type, action, blueprint, identifier, status, diff) VALUES ",
                );
                push_rows(&mut sql, chunk, |c| if c == 7 { dialect.json_in(false) } else { ("", "") }, |a| {
                    vec![
                        Bind::Time(now), text(&a.actor), text("entity"), text(a.action), text(&a.blueprint),
                        text(&a.identifier), text("SUCCESS"),
                        json(&serde_json::json!({"before": a.before, "after": a.after})),
                    ]
                });
                bind_all!(sqlx::query(&sql.text), &sql.binds).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(writes
            .iter()
            .map(|w| {
                if written.contains_key(&key(&w.new)) {
                    return Ok(());
                }
                let e = &w.new.entity;
                Err(match w.expected_version {
                    None => format!(
                        "entity identifier `{}` is already taken in blueprint `{}`",
                        e.identifier, e.blueprint
                    ),
                    Some(version) => format!(
                        "entity `{}` was changed by someone else since version {version}; reload it and try again",
                        e.identifier
                    ),
                })
            })
            .collect())
    }
}
