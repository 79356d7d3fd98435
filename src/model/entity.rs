//! Entities: the instances of a blueprint (data-model.md §3).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An entity as read. `team` is always an array on read: Terraform
/// unmarshals it as `[]string`.
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entity {
    pub identifier: String,
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    pub blueprint: String,
    #[serde(default)]
    pub team: Vec<String>,
    #[serde(default)]
    pub properties: Map<String, Value>,
    #[serde(default)]
    pub relations: Map<String, Value>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub created_by: Option<String>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub updated_by: Option<String>,
    /// Optimistic-concurrency version, bumped on every write.
    #[serde(default)]
    pub version: i64,
}

impl Entity {
    /// The title, or the identifier when the entity has none.
    pub fn display_title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.identifier)
    }

    /// Identifiers a relation points at, whether it is single or many.
    pub fn related(&self, relation: &str) -> Vec<String> {
        self.relations
            .get(relation)
            .map(related_ids)
            .unwrap_or_default()
            .into_iter()
            .map(str::to_string)
            .collect()
    }
}

/// The identifiers a relation's value holds: one for a single relation (a
/// string), several for a many relation (an array), none for null.
pub fn related_ids(value: &Value) -> Vec<&str> {
    match value {
        Value::String(id) => vec![id.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

/// Sort of an entity table: a meta property (`$title`, `$identifier`,
/// `$updatedAt`, `$createdAt`) or a property key of the blueprint.
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntitySort {
    pub property: String,
    pub order: SortOrder,
}

impl Default for EntitySort {
    fn default() -> Self {
        EntitySort {
            property: "$title".into(),
            order: SortOrder::Asc,
        }
    }
}

impl EntitySort {
    /// Parses the URL form `title`, `-title`, `$updatedAt`, `-tier`.
    pub fn from_url(value: &str) -> Self {
        let (order, property) = match value.strip_prefix('-') {
            Some(rest) => (SortOrder::Desc, rest),
            None => (SortOrder::Asc, value),
        };
        if property.is_empty() {
            return EntitySort::default();
        }
        EntitySort {
            property: property.to_string(),
            order,
        }
    }

    pub fn to_url(&self) -> String {
        match self.order {
            SortOrder::Asc => self.property.clone(),
            SortOrder::Desc => format!("-{}", self.property),
        }
    }
}

/// One page of a table of entities, with the total that matches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityList {
    pub entities: Vec<Entity>,
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_round_trips_through_the_url() {
        let s = EntitySort::from_url("-tier");
        assert_eq!(s.order, SortOrder::Desc);
        assert_eq!(s.property, "tier");
        assert_eq!(s.to_url(), "-tier");
        assert_eq!(EntitySort::from_url(""), EntitySort::default());
    }
}
