//! Expression indexes on entity properties. Entities keep their properties
//! in one JSON column, so sorting a 100k-entity table by a number read every
//! row (230 ms on SQLite); with an index on the sort expression the first
//! page is an index walk (under a millisecond). The store keeps one index
//! per scalar property of each blueprint, created and dropped as blueprints
//! change, and named through the `property_indexes` table
//! (`entities_prop_<id>`).
//!
//! SQLite's planner knows nothing of how many rows a filter leaves, so for
//! a filtered listing it starts from the filter's index (a team, say) and
//! sorts what it found, even when walking the sort index would stop after a
//! few hundred rows. `worth_walking` decides that from the count the
//! listing computes anyway; PostgreSQL's planner keeps its own statistics.

use super::{with_pool, Store, StoreError};
use crate::model::{Blueprint, EntitySort, PropertySchema, PropertyType};
use crate::query::dialect::is_plain_blueprint;
use crate::query::{Dialect, EntityListing, Sql};
use crate::store::BeginWrite;

/// Every index costs each entity write; past this many a blueprint's
/// further properties sort without one.
const MAX_PER_BLUEPRINT: usize = 12;

/// Scalar values people sort and filter by; long text (markdown, yaml),
/// arrays and objects are not worth an index.
fn worth_an_index(schema: &PropertySchema) -> bool {
    match schema.kind {
        PropertyType::Number | PropertyType::Boolean => true,
        PropertyType::String => !matches!(schema.format.as_deref(), Some("markdown" | "yaml")),
        PropertyType::Array | PropertyType::Object => false,
    }
}

/// The properties of a blueprint that get an index, in schema order.
pub fn indexed_properties(blueprint: &Blueprint) -> Vec<&str> {
    if !is_plain_blueprint(&blueprint.identifier) {
        return Vec::new();
    }
    blueprint
        .schema
        .properties
        .iter()
        .filter(|(_, schema)| worth_an_index(schema))
        .map(|(key, _)| key.as_str())
        .filter(|key| crate::model::identifier::validate_property_key(key).is_ok())
        .take(MAX_PER_BLUEPRINT)
        .collect()
}

fn index_name(id: i64) -> String {
    format!("entities_prop_{id}")
}

/// `CREATE INDEX` over exactly the expression listings sort by
/// (`Dialect::push_property`), so the planner can match the two. Partial,
/// one blueprint's rows only: writing an entity then updates the indexes of
/// its own blueprint, not those of every blueprint in the catalog.
fn create_index_sql(dialect: Dialect, id: i64, blueprint: &str, key: &str) -> String {
    let mut expression = Sql::default();
    dialect.push_property(&mut expression, key);
    let mut condition = Sql::default();
    condition.push("blueprint = ").push_blueprint(blueprint);
    debug_assert!(
        expression.binds.is_empty() && condition.binds.is_empty(),
        "indexed keys and blueprints are literal"
    );
    format!(
        "CREATE INDEX IF NOT EXISTS {} ON entities ({}, identifier) WHERE {}",
        index_name(id),
        expression.text.replace("e.properties", "properties"),
        condition.text
    )
}

impl Store {
    /// Makes the property indexes of `blueprint` those of `wanted`: creates
    /// the missing ones, drops those of properties it no longer has (all of
    /// them for a deleted blueprint). One transaction; on PostgreSQL a
    /// second instance doing the same waits on the registry row and skips.
    pub async fn sync_property_indexes(
        &self,
        blueprint: &str,
        wanted: &[&str],
    ) -> Result<(), StoreError> {
        let dialect = self.dialect();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let existing: Vec<(i64, String)> =
                sqlx::query_as("SELECT id, key FROM property_indexes WHERE blueprint = $1")
                    .bind(blueprint)
                    .fetch_all(&mut *tx)
                    .await?;
            for (id, key) in &existing {
                if !wanted.contains(&key.as_str()) {
                    sqlx::query(&format!("DROP INDEX IF EXISTS {}", index_name(*id)))
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM property_indexes WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            for key in wanted {
                if existing.iter().any(|(_, k)| k == key) {
                    continue;
                }
                let created: Option<(i64,)> = sqlx::query_as(
                    "INSERT INTO property_indexes (blueprint, key) VALUES ($1, $2) \
                     ON CONFLICT (blueprint, key) DO NOTHING RETURNING id",
                )
                .bind(blueprint)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some((id,)) = created {
                    sqlx::query(&create_index_sql(dialect, id, blueprint, key))
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Brings every blueprint's property indexes in line (at start-up: a
    /// database from before they existed, or a sync a crash cut short).
    pub async fn sync_all_property_indexes(&self) -> Result<(), StoreError> {
        for blueprint in self.list_blueprints().await? {
            self.sync_property_indexes(&blueprint.identifier, &indexed_properties(&blueprint))
                .await?;
        }
        Ok(())
    }

    /// After a blueprint was written or deleted: its indexes follow. A
    /// failure costs speed, not data, and the next start repairs it, so it
    /// is logged rather than failing the change that already committed.
    pub(crate) async fn follow_blueprint(&self, identifier: &str, now: Option<&Blueprint>) {
        let wanted = now.map(indexed_properties).unwrap_or_default();
        if let Err(e) = self.sync_property_indexes(identifier, &wanted).await {
            tracing::warn!(blueprint = identifier, error = %e, "property indexes not updated");
        }
    }

    /// The properties of `blueprint` that have an index, in key order.
    pub async fn indexed_property_keys(&self, blueprint: &str) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT key FROM property_indexes WHERE blueprint = $1 ORDER BY key")
                .bind(blueprint)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(k,)| k).collect())
    }

    /// The index a SQLite listing can walk in sort order, if any (never on
    /// PostgreSQL, whose planner keeps its own statistics, nor for grouped
    /// tables, which sort by the group first). Whether walking it beats
    /// sorting the matches is [`Store::worth_walking`].
    pub async fn sort_index(&self, listing: &EntityListing) -> Result<Option<String>, StoreError> {
        let Store::Sqlite(pool) = self else {
            return Ok(None);
        };
        if listing.group_by.is_some() {
            return Ok(None);
        }
        Ok(match sort_key(&listing.sort) {
            SortKey::Title => Some("entities_by_title".to_string()),
            SortKey::Updated => Some("entities_by_updated".to_string()),
            SortKey::Unindexed => None,
            SortKey::Property(key) => {
                let row: Option<(i64,)> = sqlx::query_as(
                    "SELECT id FROM property_indexes WHERE blueprint = $1 AND key = $2",
                )
                .bind(&listing.blueprint)
                .bind(key)
                .fetch_optional(pool)
                .await?;
                row.map(|(id,)| index_name(id))
            }
        })
    }

    /// Whether a listing with `matches` rows should walk its sort index
    /// rather than sort every match. Unfiltered listings too: without
    /// planner statistics (a new database, or rows written since the last
    /// ANALYZE) SQLite read a blueprint's rows through `entities_by_updated`
    /// and sorted them all in a temporary B-tree (the plan log showed it);
    /// with a full match the rule below always walks. Walking reads about
    /// `(offset + limit) × rows / matches` rows to fill the page; sorting
    /// reads `matches`: walk when `matches² > (offset + limit) × rows`.
    /// `rows` is the highest entity id, which only overestimates the
    /// blueprint's size and so errs towards sorting, whose worst case is
    /// bounded by the matches.
    pub async fn worth_walking(
        &self,
        listing: &EntityListing,
        matches: i64,
    ) -> Result<bool, StoreError> {
        if matches == 0 {
            return Ok(false);
        }
        let (rows,): (Option<i64>,) = with_pool!(self, pool => {
            sqlx::query_as("SELECT MAX(id) FROM entities").fetch_one(pool).await?
        });
        let page_end = (listing.offset + listing.limit) as f64;
        Ok((matches as f64).powi(2) > page_end * rows.unwrap_or(0) as f64)
    }
}

enum SortKey<'a> {
    Title,
    Updated,
    Property(&'a str),
    Unindexed,
}

/// Which index, if any, yields rows in the order of `sort` (mirrors the
/// ORDER BY of `query::listing`).
fn sort_key(sort: &EntitySort) -> SortKey<'_> {
    match sort.property.as_str() {
        "$updatedAt" => SortKey::Updated,
        "$identifier" | "$createdAt" => SortKey::Unindexed,
        key if !key.starts_with('$') => SortKey::Property(key),
        _ => SortKey::Title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_expressions_are_the_sort_expressions() {
        assert_eq!(
            create_index_sql(Dialect::Sqlite, 3, "service", "monthlyCost"),
            "CREATE INDEX IF NOT EXISTS entities_prop_3 ON entities \
             (json_extract(properties, '$.\"monthlyCost\"'), identifier) WHERE blueprint = 'service'"
        );
        assert_eq!(
            create_index_sql(Dialect::Postgres, 4, "service", "tier"),
            "CREATE INDEX IF NOT EXISTS entities_prop_4 ON entities \
             ((properties -> 'tier'), identifier) WHERE blueprint = 'service'"
        );
    }

    #[test]
    fn long_text_arrays_and_objects_get_no_index() {
        let blueprint: Blueprint = serde_json::from_value(serde_json::json!({
            "identifier": "service", "title": "Service",
            "schema": {"properties": {
                "tier": {"type": "string", "enum": ["gold"]},
                "readme": {"type": "string", "format": "markdown"},
                "cost": {"type": "number"},
                "tags": {"type": "array"},
                "meta": {"type": "object"},
                "public": {"type": "boolean"},
                "launched": {"type": "string", "format": "date-time"}
            }}
        }))
        .unwrap();
        let mut indexed = indexed_properties(&blueprint);
        indexed.sort();
        assert_eq!(indexed, ["cost", "launched", "public", "tier"]);
    }
}
