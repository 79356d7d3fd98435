//! Blueprint rows. The whole blueprint document lives in `definition`; the
//! columns beside it are what listings sort and show.

use super::{with_pool, OnConflict, Store, StoreError};
use crate::model::Blueprint;
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

    /// Inserts a new blueprint; an existing identifier is a conflict.
    pub async fn insert_blueprint(
        &self,
        blueprint: &Blueprint,
        position: i64,
        actor: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        let result = with_pool!(self, pool => {
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
            .execute(pool)
            .await
            .map(|_| ())
        });
        result.on_conflict(|| {
            format!(
                "blueprint identifier `{}` is already taken",
                blueprint.identifier
            )
        })
    }

    /// Whether the catalog has no blueprint at all (a fresh database).
    pub async fn catalog_is_empty(&self) -> Result<bool, StoreError> {
        let (count,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM blueprints").fetch_one(pool).await?
        });
        Ok(count == 0)
    }
}
