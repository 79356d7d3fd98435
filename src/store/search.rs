//! Running compiled search conditions.

use super::{bind_all, with_pool, Store, StoreError};
use crate::model::Entity;
use crate::query::{Bind, Sql};

impl Store {
    /// "Title or identifier contains `term`", any case: what the catalog's
    /// search box means, as a condition to combine with others.
    pub fn text_search_condition(&self, term: &str) -> Sql {
        let mut sql = Sql::default();
        self.dialect().push_text_search(&mut sql, term);
        sql
    }

    /// Entities matching `condition` (a compiled filter), optionally of one
    /// blueprint, in (blueprint, identifier) order, after the keyset
    /// position `after` (an identifier, with `blueprint`), at most `limit`.
    pub async fn search_entities(
        &self,
        condition: Sql,
        blueprint: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Entity>, StoreError> {
        let mut sql = Sql {
            text: format!(
                "SELECT {} FROM entities e WHERE {}",
                self.dialect().entity_columns(),
                condition.text
            ),
            binds: condition.binds,
        };
        if let Some(bp) = blueprint {
            sql.push(" AND e.blueprint = ")
                .push_bind(Bind::Text(bp.to_string()));
            if let Some(after) = after {
                sql.push(" AND e.identifier > ")
                    .push_bind(Bind::Text(after.to_string()));
            }
        }
        sql.push(" ORDER BY e.blueprint, e.identifier LIMIT ")
            .push_bind(Bind::Int(limit));
        self.log_plan(&sql).await;
        let rows: Vec<super::entities::EntityRow> = with_pool!(self, pool => {
            bind_all!(sqlx::query_as::<_, super::entities::EntityRow>(&sql.text), &sql.binds)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(Entity::from).collect())
    }
}
