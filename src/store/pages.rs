//! Catalog pages and dashboards.

use super::{with_pool, OnConflict, Store, StoreError};
use crate::model::{Page, PagePermissions, PageType};
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
    /// Absent: everyone signed in may read the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    permissions: Option<PagePermissions>,
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
        permissions: doc.permissions.unwrap_or_default(),
    })
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
        let doc = PageDocument {
            description: page.description.clone(),
            widgets: page.widgets.clone(),
            permissions: Some(page.permissions.clone()),
        };
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
        result.on_conflict(|| format!("page identifier `{}` is already taken", page.identifier))
    }
}
