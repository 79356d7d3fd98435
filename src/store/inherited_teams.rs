//! Inherited ownership kept in the rows: an entity of a blueprint whose
//! `ownership` is `Inherited` stores the teams of the entity at the end of
//! its relation path, in its `teams` column and in `entity_teams`, so team
//! filters, "My Teams" and `ownedByTeam` permissions work on it through the
//! same indexes as on any entity.
//!
//! They are refreshed in the transaction of every write that can change
//! them (the child's own relation, an entity along the path, the owner's
//! teams, a deletion on the path), so no reader ever sees a child out of
//! step with its owner. The path walk here is the SQL twin of
//! `model::relation_path` (services resolve and check paths there).

use super::{bind_all, with_pool, Store, StoreError};
use crate::query::{Bind, Sql};
use crate::store::BeginWrite;
use std::collections::{BTreeMap, HashMap};

/// One inheriting blueprint as the store walks it: the relation key of
/// each hop and the blueprint each hop reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InheritanceRule {
    pub blueprint: String,
    /// `(relation key, target blueprint)` per hop, from the child.
    pub hops: Vec<(String, String)>,
}

/// Which entities a write touched: identifiers per blueprint.
pub type Touched = BTreeMap<String, Vec<String>>;

/// Identifiers per statement (each may be bound once per hop).
pub(crate) const IDS_PER_STATEMENT: usize = 500;

fn push_list<T: Clone>(sql: &mut Sql, items: &[T], bind: impl Fn(T) -> Bind) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push_bind(bind(item.clone()));
    }
}

/// The alias `push_chain` gives the entity at the end of `hops`.
fn owner_alias(from: &str, hops: &[(String, String)]) -> String {
    match hops.len() {
        0 => from.to_string(),
        n => format!("e{}", n - 1),
    }
}

/// `JOIN entity_relations r<k> … JOIN entities e<k> …` for each hop after
/// `from` (an alias of `entities`), ending at `owner_alias(from, hops)`.
fn push_chain(sql: &mut Sql, from: &str, hops: &[(String, String)], join: &str) {
    let mut at = from.to_string();
    for (k, (relation, _)) in hops.iter().enumerate() {
        let (r, e) = (format!("r{k}"), format!("e{k}"));
        sql.push(&format!(
            " {join} entity_relations {r} ON {r}.entity_id = {at}.id AND {r}.relation = "
        ))
        .push_bind(Bind::Text(relation.clone()))
        .push(&format!(
            " {join} entities {e} ON {e}.blueprint = {r}.target_blueprint AND {e}.identifier = {r}.target"
        ));
        at = e;
    }
}

impl InheritanceRule {
    /// The children whose teams `touched` may have changed: touched
    /// themselves, or reaching a touched entity along the path.
    pub(crate) fn affected_children(&self, touched: &Touched) -> Option<Sql> {
        let mut sql = Sql::default();
        sql.push("SELECT DISTINCT c.id FROM entities c");
        push_chain(&mut sql, "c", &self.hops, "LEFT JOIN");
        sql.push(" WHERE c.blueprint = ")
            .push_bind(Bind::Text(self.blueprint.clone()))
            .push(" AND (");
        let mut terms = 0;
        let mut term = |sql: &mut Sql, column: &str, ids: Option<&Vec<String>>| {
            let Some(ids) = ids.filter(|ids| !ids.is_empty()) else {
                return;
            };
            if terms > 0 {
                sql.push(" OR ");
            }
            terms += 1;
            sql.push(column).push(" IN (");
            push_list(sql, ids, Bind::Text);
            sql.push(")");
        };
        term(&mut sql, "c.identifier", touched.get(&self.blueprint));
        for (k, (_, target)) in self.hops.iter().enumerate() {
            term(&mut sql, &format!("r{k}.target"), touched.get(target));
        }
        sql.push(")");
        (terms > 0).then_some(sql)
    }

    /// Sets `ids`' teams to their owner's: the `teams` column, then the
    /// `entity_teams` rows. A child whose path is broken owns nothing.
    pub(crate) fn refresh(&self, ids: &[i64]) -> Vec<Sql> {
        let owner = owner_alias("x", &self.hops);
        let mut column = Sql::default();
        column.push(&format!(
            "UPDATE entities SET teams = COALESCE((SELECT {owner}.teams FROM entities x"
        ));
        push_chain(&mut column, "x", &self.hops, "JOIN");
        column.push(" WHERE x.id = entities.id), '[]') WHERE id IN (");
        push_list(&mut column, ids, Bind::Int);
        column.push(")");

        let mut clear = Sql::default();
        clear.push("DELETE FROM entity_teams WHERE entity_id IN (");
        push_list(&mut clear, ids, Bind::Int);
        clear.push(")");

        let owner = owner_alias("c", &self.hops);
        let mut rows = Sql::default();
        rows.push("INSERT INTO entity_teams (entity_id, team) SELECT c.id, t.team FROM entities c");
        push_chain(&mut rows, "c", &self.hops, "JOIN");
        rows.push(&format!(
            " JOIN entity_teams t ON t.entity_id = {owner}.id WHERE c.id IN ("
        ));
        push_list(&mut rows, ids, Bind::Int);
        rows.push(") ON CONFLICT DO NOTHING");
        vec![column, clear, rows]
    }
}

/// Refreshes, inside the transaction `$tx`, the teams of every child of
/// `$rules` that `$touched` may have changed.
macro_rules! refresh_inherited_teams {
    ($tx:expr, $rules:expr, $touched:expr) => {
        for rule in $rules {
            let Some(select) = rule.affected_children($touched) else {
                continue;
            };
            let ids: Vec<(i64,)> =
                bind_all!(sqlx::query_as::<_, (i64,)>(&select.text), &select.binds)
                    .fetch_all(&mut *$tx)
                    .await?;
            let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();
            for chunk in ids.chunks($crate::store::inherited_teams::IDS_PER_STATEMENT) {
                for statement in rule.refresh(chunk) {
                    bind_all!(sqlx::query(&statement.text), &statement.binds)
                        .execute(&mut *$tx)
                        .await?;
                }
            }
        }
    };
}
pub(crate) use refresh_inherited_teams;

impl Store {
    /// The teams of the entity each path reaches, by the identifier of its
    /// first hop's entity (of `first_target`): what a child about to be
    /// written inherits. Missing entities along the path own nothing.
    pub async fn teams_along(
        &self,
        first_target: &str,
        rest: &[(String, String)],
        identifiers: &[String],
    ) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let mut found = HashMap::new();
        for chunk in identifiers.chunks(IDS_PER_STATEMENT) {
            let mut sql = Sql::default();
            sql.push(&format!(
                "SELECT s.identifier, {}.teams FROM entities s",
                owner_alias("s", rest)
            ));
            push_chain(&mut sql, "s", rest, "JOIN");
            sql.push(" WHERE s.blueprint = ")
                .push_bind(Bind::Text(first_target.to_string()))
                .push(" AND s.identifier IN (");
            push_list(&mut sql, chunk, Bind::Text);
            sql.push(")");
            let rows: Vec<(String, sqlx::types::Json<Vec<String>>)> = with_pool!(self, pool => {
                bind_all!(sqlx::query_as::<_, (String, sqlx::types::Json<Vec<String>>)>(&sql.text), &sql.binds)
                    .fetch_all(pool)
                    .await?
            });
            found.extend(rows.into_iter().map(|(id, teams)| (id, teams.0)));
        }
        Ok(found)
    }

    /// Refreshes every child of `rule` (after its blueprint's ownership
    /// changed), in one transaction.
    pub async fn refresh_all_inherited_teams(
        &self,
        rule: &InheritanceRule,
    ) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM entities WHERE blueprint = $1")
                .bind(&rule.blueprint)
                .fetch_all(&mut *tx)
                .await?;
            let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();
            for chunk in ids.chunks(IDS_PER_STATEMENT) {
                for statement in rule.refresh(chunk) {
                    bind_all!(sqlx::query(&statement.text), &statement.binds)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
