//! Blueprints: the admin-defined types of the catalog (data-model.md §2).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Blueprint {
    pub identifier: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub schema: BlueprintSchema,
    /// In the order the blueprint declares them, which is the order pages
    /// show them in.
    #[serde(default)]
    pub relations: IndexMap<String, RelationSchema>,
    /// Values read through relations, shown among the properties on read
    /// and never stored (data-model.md §2.2).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub mirror_properties: IndexMap<String, MirrorProperty>,
    /// Where an entity's teams come from (data-model.md §2.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<Ownership>,
    /// The older spelling of inherited ownership, still sent by Terraform's
    /// model and ocean's bootstrap: kept and echoed as sent, and read as
    /// `ownership: {type: Inherited, path}` when `ownership` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_inheritance: Option<TeamInheritance>,
    /// Keys we do not model yet (calculation, aggregation…): Port's
    /// clients send them and expect them echoed back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MirrorProperty {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Relations then a property or meta property: `squad.$title`.
    pub path: String,
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Ownership {
    /// The entity's own `team` list.
    Direct {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
    /// The teams of the entity at the end of `path` (single relations),
    /// kept in step when that entity's teams change; read-only here.
    Inherited {
        path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamInheritance {
    pub path: String,
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BlueprintSchema {
    /// In declared order (tables and forms show them so).
    #[serde(default)]
    pub properties: IndexMap<String, PropertySchema>,
    #[serde(default)]
    pub required: Vec<String>,
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PropertyType {
    String,
    Number,
    Boolean,
    Object,
    Array,
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertySchema {
    #[serde(rename = "type")]
    pub kind: PropertyType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enum_colors: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Validation keywords and anything else of JSON Schema we keep verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PropertySchema {
    pub fn new(kind: PropertyType, title: &str) -> Self {
        PropertySchema {
            kind,
            title: Some(title.to_string()),
            description: None,
            icon: None,
            format: None,
            enum_values: None,
            enum_colors: BTreeMap::new(),
            default: None,
            extra: Map::new(),
        }
    }

    pub fn with_format(mut self, format: &str) -> Self {
        self.format = Some(format.to_string());
        self
    }

    /// An enum of strings, each with its colour (Port's colour names).
    pub fn with_enum(mut self, values: &[(&str, &str)]) -> Self {
        self.enum_values = Some(values.iter().map(|(v, _)| Value::from(*v)).collect());
        self.enum_colors = values
            .iter()
            .map(|(v, c)| (v.to_string(), c.to_string()))
            .collect();
        self
    }

    /// The colour of an enum value, if the schema gives one.
    pub fn color_of(&self, value: &str) -> Option<&str> {
        self.enum_colors.get(value).map(String::as_str)
    }
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationSchema {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub target: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub many: bool,
}

impl Blueprint {
    /// The relation path its entities inherit their teams through, if
    /// they do (`ownership` first, then the legacy `teamInheritance`).
    pub fn inherited_team_path(&self) -> Option<&str> {
        match (&self.ownership, &self.team_inheritance) {
            (Some(Ownership::Inherited { path, .. }), _) => Some(path),
            (Some(Ownership::Direct { .. }), _) => None,
            (None, Some(legacy)) => Some(&legacy.path),
            (None, None) => None,
        }
    }

    /// The title of the owning-teams column (Port's default, or the
    /// ownership's own).
    pub fn teams_title(&self) -> &str {
        match &self.ownership {
            Some(
                Ownership::Direct { title: Some(t) } | Ownership::Inherited { title: Some(t), .. },
            ) => t,
            _ => "Owning teams",
        }
    }

    /// The title a column or label shows for a property key.
    pub fn property_title<'a>(&'a self, key: &'a str) -> &'a str {
        self.schema
            .properties
            .get(key)
            .and_then(|p| p.title.as_deref())
            .unwrap_or(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blueprint_round_trips_port_json_with_unknown_keys() {
        let json = serde_json::json!({
            "identifier": "service", "title": "Service", "icon": "Microservice",
            "schema": {"properties": {"tier": {"type": "string", "title": "Tier",
                "enum": ["gold", "silver"], "enumColors": {"gold": "yellow"}, "minLength": 1}},
                "required": ["tier"]},
            "relations": {"squad": {"title": "Squad", "target": "squad", "required": false, "many": false}},
            "mirrorProperties": {"squadName": {"title": "Squad name", "path": "squad.$title"}},
            "ownership": {"type": "Inherited", "path": "squad", "title": "Squad teams"},
            "includeInGlobalSearch": true
        });
        let bp: Blueprint = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(bp.schema.properties["tier"].kind, PropertyType::String);
        assert_eq!(
            bp.schema.properties["tier"].color_of("gold"),
            Some("yellow")
        );
        assert_eq!(bp.extra["includeInGlobalSearch"], true);
        assert_eq!(bp.mirror_properties["squadName"].path, "squad.$title");
        assert_eq!(bp.inherited_team_path(), Some("squad"));
        assert_eq!(bp.teams_title(), "Squad teams");
        assert_eq!(serde_json::to_value(&bp).unwrap(), json);
    }
}
