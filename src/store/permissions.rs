//! Stored permissions: a blueprint's entity permissions (its `permissions`
//! column; NULL means Port's defaults) and a page's read permissions (in
//! the page document). Each change is recorded in the audit log in its
//! transaction; so is every write the policy refused (status FAILURE).

use super::audit::{insert_change, ChangeRecord};
use super::{with_pool, Store, StoreError};
use crate::model::{BlueprintPermissions, PagePermissions};
use crate::store::BeginWrite;
use sqlx::types::Json;
use std::collections::HashMap;

/// A write the policy refused, for the audit log.
pub struct DeniedAttempt<'a> {
    pub actor: &'a str,
    pub resource_type: &'static str,
    pub action: &'static str,
    pub blueprint: Option<&'a str>,
    pub identifier: Option<&'a str>,
    /// The reason the subject was given.
    pub message: &'a str,
}

impl Store {
    /// The permissions stored for a blueprint, `None` when never set.
    pub async fn stored_blueprint_permissions(
        &self,
        blueprint: &str,
    ) -> Result<Option<BlueprintPermissions>, StoreError> {
        let row: Option<(Option<Json<BlueprintPermissions>>,)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT permissions FROM blueprints WHERE identifier = $1")
                .bind(blueprint)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.and_then(|(p,)| p).map(|Json(p)| p))
    }

    /// Every blueprint's stored permissions (blueprints never set are absent).
    pub async fn all_stored_blueprint_permissions(
        &self,
    ) -> Result<HashMap<String, BlueprintPermissions>, StoreError> {
        let rows: Vec<(String, Json<BlueprintPermissions>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT identifier, permissions FROM blueprints WHERE permissions IS NOT NULL",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(id, Json(p))| (id, p)).collect())
    }

    /// Stores a blueprint's permissions and records the change; false when
    /// there is no such blueprint.
    pub async fn set_blueprint_permissions(
        &self,
        blueprint: &str,
        before: &BlueprintPermissions,
        after: &BlueprintPermissions,
        actor: &str,
    ) -> Result<bool, StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE blueprints SET permissions = $2 WHERE identifier = $1")
                .bind(blueprint)
                .bind(Json(after))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Ok(false);
            }
            insert_change!(&mut tx, &ChangeRecord {
                actor,
                resource_type: "permissions",
                action: "UPDATE",
                blueprint,
                identifier: blueprint,
                before: serde_json::to_value(before).unwrap_or_default(),
                after: serde_json::to_value(after).unwrap_or_default(),
            });
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Stores a page's permissions (inside its document) and records the
    /// change; false when there is no such page.
    pub async fn set_page_permissions(
        &self,
        page: &str,
        before: &PagePermissions,
        after: &PagePermissions,
        actor: &str,
    ) -> Result<bool, StoreError> {
        self.update_page_document(&super::pages::PageDocumentChange {
            page,
            key: "permissions",
            resource_type: "page-permissions",
            before: serde_json::to_value(before).unwrap_or_default(),
            after: serde_json::to_value(after).unwrap_or_default(),
            actor,
        })
        .await
    }

    /// Records a refused write (status FAILURE, with the reason given).
    pub async fn record_denied(&self, attempt: &DeniedAttempt<'_>) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO audit_log (at, actor, resource_type, action, blueprint, identifier, \
                 status, diff, message) VALUES ($1, $2, $3, $4, $5, $6, 'FAILURE', $7, $8)",
            )
            .bind(super::audit::now())
            .bind(attempt.actor)
            .bind(attempt.resource_type)
            .bind(attempt.action)
            .bind(attempt.blueprint)
            .bind(attempt.identifier)
            .bind(Json(serde_json::json!({"before": null, "after": null})))
            .bind(attempt.message)
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}
