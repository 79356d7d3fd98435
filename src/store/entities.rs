//! Entity rows, with their `entity_teams` and `entity_relations` side tables
//! kept in step in the same transaction.

use super::interruptible::{fetch_all_until, StopSignal};
use super::{bind_all, with_pool, Store, StoreError};
use crate::model::{Entity, EntityList, Reference};
use crate::query::listing::compile_group_counts;
use crate::query::{compile_listing, Bind, CompiledListing, EntityListing, Sql};
use crate::store::BeginWrite;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use sqlx::types::Json;

#[derive(sqlx::FromRow)]
pub(super) struct EntityRow {
    identifier: String,
    title: Option<String>,
    icon: Option<String>,
    blueprint: String,
    teams: Json<Vec<String>>,
    properties: Json<Map<String, Value>>,
    relations: Json<Map<String, Value>>,
    created_at: DateTime<Utc>,
    created_by: Option<String>,
    updated_at: DateTime<Utc>,
    updated_by: Option<String>,
    version: i64,
}

impl From<EntityRow> for Entity {
    fn from(row: EntityRow) -> Self {
        Entity {
            identifier: row.identifier,
            title: row.title,
            icon: row.icon,
            blueprint: row.blueprint,
            team: row.teams.0,
            properties: row.properties.0,
            relations: row.relations.0,
            created_at: row.created_at,
            created_by: row.created_by,
            updated_at: row.updated_at,
            updated_by: row.updated_by,
            version: row.version,
        }
    }
}

/// A relation value of an entity, resolved to its target blueprint, as the
/// `entity_relations` side table stores it.
#[derive(Clone, Debug)]
pub struct RelationLink {
    pub relation: String,
    pub target_blueprint: String,
    pub target: String,
}

/// An entity to insert, with its relation links already resolved.
pub struct NewEntity {
    pub entity: Entity,
    pub links: Vec<RelationLink>,
}

/// Inserts one entity row inside transaction `$tx`: `Some(id)`, or `None`
/// when the identifier is taken (so a lost race does not abort the
/// transaction, as a failed statement would on PostgreSQL).
macro_rules! insert_entity_row {
    ($tx:expr, $dialect:expr, $entity:expr) => {{
        let e: &Entity = $entity;
        let (before, after) = $dialect.json_in(true);
        let sql = format!(
            "INSERT INTO entities (blueprint, identifier, title, icon, teams, properties, \
             relations, created_at, created_by, updated_at, updated_by, version) \
             VALUES ($1, $2, $3, $4, $5, {before}$6{after}, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (blueprint, identifier) DO NOTHING RETURNING id"
        );
        let row: Option<(i64,)> = sqlx::query_as(&sql)
            .bind(&e.blueprint)
            .bind(&e.identifier)
            .bind(&e.title)
            .bind(&e.icon)
            .bind(Json(&e.team))
            .bind(Json(&e.properties))
            .bind(Json(&e.relations))
            .bind(e.created_at)
            .bind(&e.created_by)
            .bind(e.updated_at)
            .bind(&e.updated_by)
            .bind(e.version)
            .fetch_optional(&mut **$tx)
            .await?;
        row.map(|(id,)| id)
    }};
}

/// Inserts one entity with its team and relation rows inside transaction
/// `$tx`; a taken identifier becomes a 409 naming it.
macro_rules! insert_entity_rows {
    ($tx:expr, $dialect:expr, $new:expr) => {{
        let new: &NewEntity = $new;
        let e = &new.entity;
        let Some(id) = insert_entity_row!($tx, $dialect, e) else {
            return Err(StoreError::Conflict(format!(
                "entity identifier `{}` is already taken in blueprint `{}`",
                e.identifier, e.blueprint
            )));
        };
        insert_side_rows!($tx, id, new);
        id
    }};
}

/// The `entity_teams` and `entity_relations` rows of entity `$id`.
macro_rules! insert_side_rows {
    ($tx:expr, $id:expr, $new:expr) => {{
        for team in &$new.entity.team {
            sqlx::query("INSERT INTO entity_teams (entity_id, team) VALUES ($1, $2)")
                .bind($id)
                .bind(team)
                .execute(&mut **$tx)
                .await?;
        }
        for link in &$new.links {
            sqlx::query(
                "INSERT INTO entity_relations (entity_id, relation, target_blueprint, target) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind($id)
            .bind(&link.relation)
            .bind(&link.target_blueprint)
            .bind(&link.target)
            .execute(&mut **$tx)
            .await?;
        }
    }};
}

/// One audit record, written in the transaction of the change it records.
pub struct AuditRecord {
    pub actor: String,
    pub action: &'static str,
    pub blueprint: String,
    pub identifier: String,
    pub before: Option<Entity>,
    pub after: Option<Entity>,
}

macro_rules! insert_audit {
    ($tx:expr, $audit:expr) => {{
        let audit: &AuditRecord = $audit;
        $crate::store::audit::insert_audit_row!(
            $tx,
            &audit.actor,
            "entity",
            audit.action,
            &audit.blueprint,
            &audit.identifier,
            &audit.before,
            &audit.after
        );
    }};
}

impl Store {
    /// One page of a blueprint's entities and the total that matches.
    pub async fn list_entities(&self, listing: &EntityListing) -> Result<EntityList, StoreError> {
        let compiled = compile_listing(self.dialect(), listing, None);
        self.log_plan(&compiled.count).await;
        let index = self.sort_index(listing).await?;
        let (total, rows) = match (self, index) {
            (Store::Sqlite(pool), Some(index)) if compiled.counts_rows() => {
                self.count_while_walking(pool, listing, &compiled, &index)
                    .await?
            }
            (_, Some(index)) => {
                // A whole blueprint, whose count is stored: cheap to read
                // first, and it decides how to read the page.
                let total = self.fetch_count(&compiled.count).await?;
                let rows = if self.worth_walking(listing, total).await? {
                    compile_listing(self.dialect(), listing, Some(&index)).rows
                } else {
                    compiled.rows
                };
                (total, self.fetch_rows(&rows).await?)
            }
            (_, None) => {
                // Nothing to decide (PostgreSQL plans each read itself; a
                // grouped or unindexed sort has no index to walk): the count
                // and the rows at once, each on a connection of its own.
                tokio::try_join!(
                    self.fetch_count(&compiled.count),
                    self.fetch_rows(&compiled.rows)
                )?
            }
        };
        Ok(EntityList {
            entities: rows.into_iter().map(Entity::from).collect(),
            total,
            offset: listing.offset,
            limit: listing.limit,
        })
    }

    /// A filtered SQLite listing: its count (which reads every match) and,
    /// on a second connection at the same time, the walk of its sort index,
    /// which is usually the right way to read the page once the count is
    /// known. When the count says sorting the matches is cheaper, the walk
    /// is interrupted and the sorting query runs instead. The two cores
    /// then share a filtered page's two reads: 100k entities, a team's 5,000
    /// entities narrowed by tier and sorted by a number, read count then
    /// walk one after the other.
    async fn count_while_walking(
        &self,
        pool: &sqlx::SqlitePool,
        listing: &EntityListing,
        compiled: &CompiledListing,
        index: &str,
    ) -> Result<(i64, Vec<EntityRow>), StoreError> {
        let walk = compile_listing(self.dialect(), listing, Some(index)).rows;
        let stop_walking = StopSignal::default();
        let count = async {
            let total = self.fetch_count(&compiled.count).await?;
            let walk = self.worth_walking(listing, total).await?;
            if !walk {
                stop_walking.raise();
            }
            Ok::<_, StoreError>((total, walk))
        };
        let walked = async {
            let query = bind_all!(sqlx::query_as::<_, EntityRow>(&walk.text), &walk.binds);
            fetch_all_until(pool, query, &stop_walking).await
        };
        let (counted, walked) = tokio::join!(count, walked);
        let (total, walk_was_right) = counted?;
        if walk_was_right {
            self.log_plan(&walk).await;
            Ok((total, walked?))
        } else {
            Ok((total, self.fetch_rows(&compiled.rows).await?))
        }
    }

    async fn fetch_count(&self, count: &Sql) -> Result<i64, StoreError> {
        let (total,): (i64,) = with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, (i64,)>(&count.text), &count.binds)
                .fetch_one(pool)
                .await?
        });
        Ok(total)
    }

    async fn fetch_rows(&self, rows: &Sql) -> Result<Vec<EntityRow>, StoreError> {
        self.log_plan(rows).await;
        Ok(with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, EntityRow>(&rows.text), &rows.binds)
                .fetch_all(pool)
                .await?
        }))
    }

    pub async fn get_entity(
        &self,
        blueprint: &str,
        identifier: &str,
    ) -> Result<Option<Entity>, StoreError> {
        let mut sql = Sql::default();
        sql.push("SELECT ")
            .push(self.dialect().entity_columns())
            .push(" FROM entities e WHERE e.blueprint = ")
            .push_bind(Bind::Text(blueprint.to_string()))
            .push(" AND e.identifier = ")
            .push_bind(Bind::Text(identifier.to_string()));
        self.log_plan(&sql).await;
        let row: Option<EntityRow> = with_pool!(self, pool => {
            bind_all!(sqlx::query_as(&sql.text), &sql.binds).fetch_optional(pool).await?
        });
        Ok(row.map(Entity::from))
    }

    /// How many of a blueprint's entities also meet `restriction` (what
    /// the viewer may read).
    pub async fn count_entities_where(
        &self,
        blueprint: &str,
        restriction: Option<&Sql>,
    ) -> Result<i64, StoreError> {
        let Some(restriction) = restriction else {
            return self.count_entities(blueprint).await;
        };
        let mut sql = Sql::default();
        sql.push("SELECT COUNT(*) FROM entities e WHERE e.blueprint = ")
            .push_bind(Bind::Text(blueprint.to_string()))
            .push(" AND (")
            .push_sql(restriction)
            .push(")");
        self.log_plan(&sql).await;
        let (count,): (i64,) = with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, (i64,)>(&sql.text), &sql.binds)
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }

    pub async fn count_entities(&self, blueprint: &str) -> Result<i64, StoreError> {
        let sql = crate::query::compile_blueprint_count(blueprint);
        self.log_plan(&sql).await;
        let (count,): (i64,) = with_pool!(self, pool => {
            bind_all!(sqlx::query_as(&sql.text), &sql.binds)
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }

    /// How many entities of a blueprint have each value of a property
    /// (missing values count under `None`), most frequent first.
    pub async fn count_by_property(
        &self,
        blueprint: &str,
        key: &str,
        restriction: Option<&Sql>,
    ) -> Result<Vec<(Option<String>, i64)>, StoreError> {
        self.group_counts(
            &EntityListing {
                blueprint: blueprint.to_string(),
                search: None,
                sort: Default::default(),
                offset: 0,
                limit: 0,
                restriction: restriction.cloned(),
                group_by: None,
            },
            key,
        )
        .await
    }

    /// How many rows of a listing hold each value of `key` (text form of
    /// the JSON value, so numbers and booleans group too), largest first.
    pub async fn group_counts(
        &self,
        listing: &EntityListing,
        key: &str,
    ) -> Result<Vec<(Option<String>, i64)>, StoreError> {
        let sql = compile_group_counts(self.dialect(), listing, key);
        let rows: Vec<(Option<String>, i64)> = with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, (Option<String>, i64)>(&sql.text), &sql.binds)
                .fetch_all(pool)
                .await?
        });
        Ok(rows)
    }

    /// Entities whose relations point at this one.
    pub async fn entities_referencing(
        &self,
        blueprint: &str,
        identifier: &str,
    ) -> Result<Vec<Reference>, StoreError> {
        let rows: Vec<(String, String, String, String, Option<String>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT e.blueprint, b.title, r.relation, e.identifier, e.title \
                 FROM entity_relations r \
                 JOIN entities e ON e.id = r.entity_id \
                 JOIN blueprints b ON b.identifier = e.blueprint \
                 WHERE r.target_blueprint = $1 AND r.target = $2 \
                 ORDER BY b.position, e.blueprint, e.title, e.identifier \
                 LIMIT 500",
            )
            .bind(blueprint)
            .bind(identifier)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(blueprint, blueprint_title, relation, identifier, title)| Reference {
                    blueprint,
                    blueprint_title,
                    relation,
                    identifier,
                    title,
                },
            )
            .collect())
    }

    /// Inserts entities of one blueprint in one transaction: all or none.
    pub async fn insert_entities(&self, entities: &[NewEntity]) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for new in entities {
                insert_entity_rows!(&mut tx, self.dialect(), new);
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

impl Store {
    /// The stored entities of `blueprint` among `identifiers` (one query).
    pub async fn get_entities(
        &self,
        blueprint: &str,
        identifiers: &[String],
    ) -> Result<Vec<Entity>, StoreError> {
        if identifiers.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT {} FROM entities e WHERE e.blueprint = ",
            self.dialect().entity_columns()
        ))
        .push_bind(Bind::Text(blueprint.to_string()))
        .push(" AND e.identifier IN (");
        for (i, id) in identifiers.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push_bind(Bind::Text(id.clone()));
        }
        sql.push(")");
        let rows: Vec<EntityRow> = with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, EntityRow>(&sql.text), &sql.binds).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Entity::from).collect())
    }

    /// Deletes an entity with its audit record; false when it did not exist.
    /// Entities inheriting their teams through it (`inheritance`) own
    /// nothing afterwards, in the same transaction.
    pub async fn delete_entity(
        &self,
        audit: &AuditRecord,
        inheritance: &[super::InheritanceRule],
    ) -> Result<bool, StoreError> {
        use super::inherited_teams::refresh_inherited_teams;
        let deleted = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("DELETE FROM entities WHERE blueprint = $1 AND identifier = $2")
                .bind(&audit.blueprint)
                .bind(&audit.identifier)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                insert_audit!(&mut tx, audit);
                let touched: super::Touched =
                    [(audit.blueprint.clone(), vec![audit.identifier.clone()])].into();
                refresh_inherited_teams!(tx, inheritance, &touched);
            }
            tx.commit().await?;
            n > 0
        });
        Ok(deleted)
    }

    /// Which of these `(blueprint, identifier)` pairs name a stored
    /// entity: one query per 5,000 pairs whatever the blueprints (well
    /// under SQLite's 32,766 bound values), each blueprint's identifiers
    /// looked up through the primary key.
    pub async fn existing_entities(
        &self,
        pairs: &[(String, String)],
    ) -> Result<std::collections::HashSet<(String, String)>, StoreError> {
        let mut found = std::collections::HashSet::new();
        for chunk in pairs.chunks(5000) {
            let mut by_blueprint: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
            for (blueprint, identifier) in chunk {
                by_blueprint.entry(blueprint).or_default().push(identifier);
            }
            let mut sql = Sql::default();
            sql.push("SELECT blueprint, identifier FROM entities WHERE ");
            for (i, (blueprint, identifiers)) in by_blueprint.into_iter().enumerate() {
                if i > 0 {
                    sql.push(" OR ");
                }
                sql.push("(blueprint = ")
                    .push_bind(Bind::Text(blueprint.to_string()))
                    .push(" AND identifier IN (");
                for (j, id) in identifiers.into_iter().enumerate() {
                    if j > 0 {
                        sql.push(", ");
                    }
                    sql.push_bind(Bind::Text(id.to_string()));
                }
                sql.push("))");
            }
            let rows: Vec<(String, String)> = with_pool!(self, pool => {
                bind_all!(sqlx::query_as::<_, (String, String)>(&sql.text), &sql.binds)
                    .fetch_all(pool)
                    .await?
            });
            found.extend(rows);
        }
        Ok(found)
    }
}
