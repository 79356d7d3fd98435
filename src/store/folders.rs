//! Sidebar folders.

use super::{with_pool, OnConflict, Store, StoreError};
use crate::model::Folder;
use chrono::Utc;

impl Store {
    /// Every folder, by title.
    pub async fn list_folders(&self) -> Result<Vec<Folder>, StoreError> {
        let rows: Vec<(String, String, Option<String>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT identifier, title, parent FROM sidebar_folders ORDER BY title, identifier",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(identifier, title, parent)| Folder {
                identifier,
                title,
                parent,
            })
            .collect())
    }

    /// Adds a folder; a taken identifier is a conflict.
    pub async fn insert_folder(&self, folder: &Folder) -> Result<(), StoreError> {
        let now = Utc::now();
        let result = with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO sidebar_folders (identifier, title, parent, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(&folder.identifier)
            .bind(&folder.title)
            .bind(&folder.parent)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        });
        result.on_conflict(|| {
            format!(
                "there is already a folder `{}`; give this one another title",
                folder.identifier
            )
        })
    }

    /// Changes a folder's title and parent. False when there is no such folder.
    pub async fn update_folder(&self, folder: &Folder) -> Result<bool, StoreError> {
        let now = Utc::now();
        let changed = with_pool!(self, pool => {
            sqlx::query(
                "UPDATE sidebar_folders SET title = $2, parent = $3, updated_at = $4 \
                 WHERE identifier = $1",
            )
            .bind(&folder.identifier)
            .bind(&folder.title)
            .bind(&folder.parent)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(changed > 0)
    }

    /// Removes a folder (the service checked it is empty). False when there
    /// is no such folder.
    pub async fn delete_folder(&self, identifier: &str) -> Result<bool, StoreError> {
        let deleted = with_pool!(self, pool => {
            sqlx::query("DELETE FROM sidebar_folders WHERE identifier = $1")
                .bind(identifier)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted > 0)
    }
}
