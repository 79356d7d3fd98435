//! Catalog pages and dashboards.

use super::audit::{insert_change, ChangeRecord};
use super::{with_pool, OnConflict, Store, StoreError};
use crate::model::dashboard::{LayoutRow, PageFilter};
use crate::model::query::Query;
use crate::model::{CatalogView, Page, PagePermissions, PageType};
use crate::store::BeginWrite;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::types::Json;

/// The part of a page kept as a JSON document.
#[derive(Default, Serialize, Deserialize)]
struct PageDocument {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    widgets: Vec<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    layout: Vec<LayoutRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    page_filters: Vec<PageFilter>,
    /// Absent: everyone signed in may read the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    permissions: Option<PagePermissions>,
    /// The initial filter (Port's `dataset`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dataset: Option<Query>,
    /// The default view an admin saved for everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    view: Option<CatalogView>,
    /// The sidebar folder it shows in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
}

impl PageDocument {
    fn of(page: &Page) -> PageDocument {
        PageDocument {
            description: page.description.clone(),
            widgets: page.widgets.clone(),
            layout: page.layout.clone(),
            page_filters: page.page_filters.clone(),
            permissions: Some(page.permissions.clone()),
            dataset: page.dataset.clone(),
            view: page.view.clone(),
            parent: page.parent.clone(),
        }
    }
}

type PageRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Json<PageDocument>,
);

fn page_from_row(row: PageRow) -> Result<Page, StoreError> {
    let (identifier, kind, title, icon, blueprint, Json(doc)) = row;
    let kind = PageType::parse(&kind).ok_or_else(|| {
        StoreError::Corrupt(format!("page `{identifier}` has unknown type `{kind}`"))
    })?;
    Ok(Page {
        identifier,
        title,
        icon,
        kind,
        blueprint,
        description: doc.description,
        widgets: doc.widgets,
        layout: doc.layout,
        page_filters: doc.page_filters,
        permissions: doc.permissions.unwrap_or_default(),
        dataset: doc.dataset,
        view: doc.view,
        parent: doc.parent,
    })
}

/// Bumped whenever this process writes a page, so what is derived from the
/// pages (the frame-src policy) is derived again. Other instances on the
/// same database are not told: their caches expire instead.
static PAGES_WRITTEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn pages_written() {
    PAGES_WRITTEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

impl Store {
    /// How many page writes this process has made (see `PAGES_WRITTEN`).
    pub fn pages_generation(&self) -> u64 {
        PAGES_WRITTEN.load(std::sync::atomic::Ordering::Relaxed)
    }
}

const PAGE_COLUMNS: &str = "identifier, kind, title, icon, blueprint, definition";

impl Store {
    /// Every page in sidebar order.
    pub async fn list_pages(&self) -> Result<Vec<Page>, StoreError> {
        let sql = format!("SELECT {PAGE_COLUMNS} FROM pages ORDER BY position, title");
        let rows: Vec<PageRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await?
        });
        rows.into_iter().map(page_from_row).collect()
    }

    pub async fn get_page(&self, identifier: &str) -> Result<Option<Page>, StoreError> {
        let sql = format!("SELECT {PAGE_COLUMNS} FROM pages WHERE identifier = $1");
        let row: Option<PageRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(identifier).fetch_optional(pool).await?
        });
        row.map(page_from_row).transpose()
    }

    pub async fn insert_page(&self, page: &Page, position: i64) -> Result<(), StoreError> {
        let doc = PageDocument::of(page);
        let now = Utc::now();
        let result = with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO pages (identifier, kind, title, icon, blueprint, position, definition, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&page.identifier)
            .bind(page.kind.as_str())
            .bind(&page.title)
            .bind(&page.icon)
            .bind(&page.blueprint)
            .bind(position)
            .bind(Json(&doc))
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        });
        pages_written();
        result.on_conflict(|| format!("page identifier `{}` is already taken", page.identifier))
    }

    /// Adds a page at the end of the sidebar and records it, in one
    /// transaction; a taken identifier is a conflict.
    pub async fn create_page(&self, page: &Page, actor: &str) -> Result<(), StoreError> {
        let doc = PageDocument::of(page);
        let after = serde_json::to_value(page).unwrap_or_default();
        let now = Utc::now();
        let result = with_pool!(self, pool => {
            async {
                let mut tx = pool.begin_write().await?;
                sqlx::query(
                    "INSERT INTO pages (identifier, kind, title, icon, blueprint, position, definition, \
                     created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(position), 0) + 1 FROM pages), $6, $7, $7)",
                )
                .bind(&page.identifier)
                .bind(page.kind.as_str())
                .bind(&page.title)
                .bind(&page.icon)
                .bind(&page.blueprint)
                .bind(Json(&doc))
                .bind(now)
                .execute(&mut *tx)
                .await?;
                insert_change!(&mut tx, &ChangeRecord {
                    actor,
                    resource_type: "page",
                    action: "CREATE",
                    blueprint: "_page",
                    identifier: &page.identifier,
                    before: Value::Null,
                    after: after.clone(),
                });
                tx.commit().await?;
            pages_written();
                Ok::<(), sqlx::Error>(())
            }
            .await
        });
        pages_written();
        result.on_conflict(|| format!("page identifier `{}` is already taken", page.identifier))
    }

    /// Replaces one key of a page's document (`permissions`, `dataset`,
    /// `view`; `null` removes it) and records the change, in one
    /// transaction. False when there is no such page.
    pub async fn update_page_document(
        &self,
        change: &PageDocumentChange<'_>,
    ) -> Result<bool, StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let row: Option<(Json<Value>,)> =
                sqlx::query_as("SELECT definition FROM pages WHERE identifier = $1")
                    .bind(change.page)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((Json(mut doc),)) = row else {
                return Ok(false);
            };
            match (&mut doc, &change.after) {
                (Value::Object(map), Value::Null) => {
                    map.remove(change.key);
                }
                (Value::Object(map), after) => {
                    map.insert(change.key.to_string(), after.clone());
                }
                _ => {
                    return Err(StoreError::Corrupt(format!(
                        "page `{}` has a definition that is not an object",
                        change.page
                    )))
                }
            }
            sqlx::query("UPDATE pages SET definition = $2, updated_at = $3 WHERE identifier = $1")
                .bind(change.page)
                .bind(Json(&doc))
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
            insert_change!(&mut tx, &ChangeRecord {
                actor: change.actor,
                resource_type: change.resource_type,
                action: "UPDATE",
                blueprint: "_page",
                identifier: change.page,
                before: change.before.clone(),
                after: change.after.clone(),
            });
            tx.commit().await?;
            pages_written();
        });
        Ok(true)
    }
}

impl Store {
    /// Rewrites a page (title, icon and its whole document) and records the
    /// change, in one transaction. False when there is no such page.
    pub async fn replace_page(
        &self,
        page: &Page,
        before: Value,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let doc = PageDocument::of(page);
        let after = serde_json::to_value(page).unwrap_or_default();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query(
                "UPDATE pages SET title = $2, icon = $3, definition = $4, updated_at = $5 \
                 WHERE identifier = $1",
            )
            .bind(&page.identifier)
            .bind(&page.title)
            .bind(&page.icon)
            .bind(Json(&doc))
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            insert_change!(&mut tx, &ChangeRecord {
                actor,
                resource_type: "page",
                action: "UPDATE",
                blueprint: "_page",
                identifier: &page.identifier,
                before: before.clone(),
                after: after.clone(),
            });
            tx.commit().await?;
            pages_written();
        });
        Ok(true)
    }
}

impl Store {
    /// Deletes a page (its people's saved views go with it, by the foreign
    /// key) and records it, in one transaction. False when there is no
    /// such page.
    pub async fn delete_page(&self, page: &Page, actor: &str) -> Result<bool, StoreError> {
        let before = serde_json::to_value(page).unwrap_or_default();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let deleted = sqlx::query("DELETE FROM pages WHERE identifier = $1")
                .bind(&page.identifier)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if deleted == 0 {
                return Ok(false);
            }
            insert_change!(&mut tx, &ChangeRecord {
                actor,
                resource_type: "page",
                action: "DELETE",
                blueprint: "_page",
                identifier: &page.identifier,
                before: before.clone(),
                after: Value::Null,
            });
            tx.commit().await?;
            pages_written();
        });
        Ok(true)
    }
}

/// A change of one key of a page's document, with its audit record.
pub struct PageDocumentChange<'a> {
    pub page: &'a str,
    pub key: &'a str,
    /// The audit log's `resourceType` (`page-permissions`, `page-filter`…).
    pub resource_type: &'static str,
    pub before: Value,
    pub after: Value,
    pub actor: &'a str,
}
