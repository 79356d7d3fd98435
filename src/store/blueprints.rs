//! Blueprint rows. The whole blueprint document lives in `definition`; the
//! columns beside it are what listings sort and show.

use super::audit::{insert_change, ChangeRecord};
use super::entities::EntityRow;
use super::{with_pool, OnConflict, Store, StoreError};
use crate::model::{Blueprint, Entity};
use crate::store::BeginWrite;
use chrono::Utc;
use sqlx::types::Json;

impl Store {
    /// All blueprints, in the order an admin arranged them.
    pub async fn list_blueprints(&self) -> Result<Vec<Blueprint>, StoreError> {
        let rows: Vec<(Json<Blueprint>,)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT definition FROM blueprints ORDER BY position, identifier")
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(Json(bp),)| bp).collect())
    }

    pub async fn get_blueprint(&self, identifier: &str) -> Result<Option<Blueprint>, StoreError> {
        let row: Option<(Json<Blueprint>,)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT definition FROM blueprints WHERE identifier = $1")
                .bind(identifier)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(Json(bp),)| bp))
    }

    /// Which of `identifiers` are blueprints (one query).
    pub async fn existing_blueprints(
        &self,
        identifiers: &[String],
    ) -> Result<Vec<String>, StoreError> {
        self.existing_keys("blueprints", "identifier", identifiers)
            .await
    }

    /// Inserts a new blueprint; an existing identifier is a conflict. With
    /// an `actor` (not the demo seed), the creation is recorded in the same
    /// transaction.
    pub async fn insert_blueprint(
        &self,
        blueprint: &Blueprint,
        position: i64,
        actor: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO blueprints (identifier, title, icon, description, definition, position, \
                 created_at, created_by, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)",
            )
            .bind(&blueprint.identifier)
            .bind(&blueprint.title)
            .bind(&blueprint.icon)
            .bind(&blueprint.description)
            .bind(Json(blueprint))
            .bind(position)
            .bind(now)
            .bind(actor)
            .execute(&mut *tx)
            .await
            .on_conflict(|| {
                format!("blueprint identifier `{}` is already taken", blueprint.identifier)
            })?;
            if let Some(actor) = actor {
                insert_change!(&mut tx, &ChangeRecord {
                    actor,
                    resource_type: "blueprint",
                    action: "CREATE",
                    blueprint: &blueprint.identifier,
                    identifier: &blueprint.identifier,
                    before: serde_json::Value::Null,
                    after: serde_json::to_value(blueprint).unwrap_or_default(),
                });
            }
            tx.commit().await?;
        });
        self.follow_blueprint(&blueprint.identifier, Some(blueprint))
            .await;
        Ok(())
    }

    /// Whether the catalog has no blueprint at all (a fresh database).
    pub async fn catalog_is_empty(&self) -> Result<bool, StoreError> {
        let (count,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM blueprints").fetch_one(pool).await?
        });
        Ok(count == 0)
    }

    /// Replaces a blueprint's document and records the change; false when
    /// there is no such blueprint.
    pub async fn update_blueprint(
        &self,
        before: &Blueprint,
        after: &Blueprint,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        let updated = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE blueprints SET title = $2, icon = $3, description = $4, definition = $5, \
                 updated_at = $6, updated_by = $7 WHERE identifier = $1",
            )
            .bind(&after.identifier)
            .bind(&after.title)
            .bind(&after.icon)
            .bind(&after.description)
            .bind(Json(after))
            .bind(now)
            .bind(actor)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n > 0 {
                insert_change!(&mut tx, &ChangeRecord {
                    actor,
                    resource_type: "blueprint",
                    action: "UPDATE",
                    blueprint: &after.identifier,
                    identifier: &after.identifier,
                    before: serde_json::to_value(before).unwrap_or_default(),
                    after: serde_json::to_value(after).unwrap_or_default(),
                });
            }
            tx.commit().await?;
            n > 0
        });
        if updated {
            self.follow_blueprint(&after.identifier, Some(after)).await;
        }
        Ok(updated)
    }

    /// Deletes a blueprint with its entities (their side rows) and pages,
    /// in one transaction, and records it. Answers how many entities went.
    pub async fn delete_blueprint(
        &self,
        blueprint: &Blueprint,
        actor: &str,
    ) -> Result<u64, StoreError> {
        let deleted = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let entities = sqlx::query("DELETE FROM entities WHERE blueprint = $1")
                .bind(&blueprint.identifier)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM pages WHERE blueprint = $1")
                .bind(&blueprint.identifier)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM blueprints WHERE identifier = $1")
                .bind(&blueprint.identifier)
                .execute(&mut *tx)
                .await?;
            insert_change!(&mut tx, &ChangeRecord {
                actor,
                resource_type: "blueprint",
                action: "DELETE",
                blueprint: &blueprint.identifier,
                identifier: &blueprint.identifier,
                before: serde_json::to_value(blueprint).unwrap_or_default(),
                after: serde_json::json!({"deletedEntities": entities}),
            });
            tx.commit().await?;
            entities
        });
        self.follow_blueprint(&blueprint.identifier, None).await;
        Ok(deleted)
    }

    /// Up to `limit` entities of `blueprint` after `after` in identifier
    /// order: a walk over a whole blueprint that never holds it in memory.
    pub async fn entities_after(
        &self,
        blueprint: &str,
        after: &str,
        limit: i64,
    ) -> Result<Vec<Entity>, StoreError> {
        let sql = format!(
            "SELECT {} FROM entities e WHERE e.blueprint = $1 AND e.identifier > $2 \
             ORDER BY e.identifier LIMIT $3",
            self.dialect().entity_columns()
        );
        let rows: Vec<EntityRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(blueprint).bind(after).bind(limit).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Entity::from).collect())
    }
}
