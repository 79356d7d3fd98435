//! Personal saved views of catalog pages.

use super::{with_pool, Store, StoreError};
use crate::model::{CatalogView, SavedView};
use chrono::Utc;
use sqlx::types::Json;

impl Store {
    /// `owner`'s views of `page`, by name.
    pub async fn saved_views(&self, page: &str, owner: &str) -> Result<Vec<SavedView>, StoreError> {
        let rows: Vec<(String, Json<CatalogView>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT name, definition FROM saved_views WHERE page = $1 AND owner = $2 ORDER BY name",
            )
            .bind(page)
            .bind(owner)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(name, Json(view))| SavedView {
                page: page.to_string(),
                name,
                view,
            })
            .collect())
    }

    /// Saves `owner`'s view under its name, replacing one of the same name.
    pub async fn save_view(&self, owner: &str, view: &SavedView) -> Result<(), StoreError> {
        let now = Utc::now();
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO saved_views (page, owner, name, definition, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) \
                 ON CONFLICT (page, owner, name) DO UPDATE SET definition = excluded.definition, \
                 updated_at = excluded.updated_at",
            )
            .bind(&view.page)
            .bind(owner)
            .bind(&view.name)
            .bind(Json(&view.view))
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Deletes `owner`'s view; false when they had none of that name.
    pub async fn delete_view(
        &self,
        page: &str,
        owner: &str,
        name: &str,
    ) -> Result<bool, StoreError> {
        let deleted = with_pool!(self, pool => {
            sqlx::query("DELETE FROM saved_views WHERE page = $1 AND owner = $2 AND name = $3")
                .bind(page)
                .bind(owner)
                .bind(name)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted > 0)
    }
}
