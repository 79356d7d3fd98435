//! Checking entities (properties and relations) against their blueprint,
//! and blueprints as an admin writes them.
//!
//! One validator for every path that writes an entity (REST, server
//! functions, forms, import): it returns one message per bad field, keyed
//! by the field, so a form can show each next to its input.

use super::{Blueprint, PropertySchema, PropertyType};
use serde_json::{Map, Value};

/// One problem with one field (`properties.tier`, `relations.squad`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// All problems as one message: `field: problem; field: problem`.
pub fn joined(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn number_keyword(schema: &PropertySchema, key: &str) -> Option<f64> {
    schema.extra.get(key).and_then(Value::as_f64)
}

/// `a@b.c` without spaces: the e-mail check of forms, users and properties.
pub fn looks_like_email(s: &str) -> bool {
    s.split_once('@')
        .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
        && !s.contains(char::is_whitespace)
}

fn check_format(format: &str, s: &str) -> Option<String> {
    match format {
        "url" => {
            let lower = s.to_ascii_lowercase();
            let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
                && s.len() > 8
                && !s.contains(char::is_whitespace);
            (!ok).then(|| format!("must be an http(s) URL, not \"{s}\""))
        }
        "email" | "idn-email" | "user" => {
            (!looks_like_email(s)).then(|| format!("must be an e-mail address, not \"{s}\""))
        }
        "date-time" | "timer" => chrono::DateTime::parse_from_rfc3339(s).is_err().then(|| {
            format!("must be an ISO 8601 date-time such as 2026-01-31T09:30:00Z, not \"{s}\"")
        }),
        "ipv4" => s
            .parse::<std::net::Ipv4Addr>()
            .is_err()
            .then(|| format!("must be an IPv4 address, not \"{s}\"")),
        "ipv6" => s
            .parse::<std::net::Ipv6Addr>()
            .is_err()
            .then(|| format!("must be an IPv6 address, not \"{s}\"")),
        _ => None,
    }
}

/// Why `value` does not fit `schema`, if it does not.
pub fn check_property(schema: &PropertySchema, value: &Value) -> Option<String> {
    if value.is_null() {
        return None;
    }
    let expected = match schema.kind {
        PropertyType::String => value.is_string(),
        PropertyType::Number => value.is_number(),
        PropertyType::Boolean => value.is_boolean(),
        PropertyType::Object => value.is_object(),
        PropertyType::Array => value.is_array(),
    };
    if !expected {
        let want = match schema.kind {
            PropertyType::String => "a string",
            PropertyType::Number => "a number",
            PropertyType::Boolean => "true or false",
            PropertyType::Object => "an object",
            PropertyType::Array => "an array",
        };
        return Some(format!("must be {want}, not {}", type_name(value)));
    }
    if let Some(allowed) = &schema.enum_values {
        if !allowed.contains(value) {
            let list = allowed
                .iter()
                .map(super::plain_text)
                .collect::<Vec<_>>()
                .join(", ");
            return Some(format!("must be one of {list}"));
        }
    }
    match value {
        Value::String(s) => {
            if let Some(problem) = schema.format.as_deref().and_then(|f| check_format(f, s)) {
                return Some(problem);
            }
            let len = s.chars().count() as f64;
            if let Some(min) = number_keyword(schema, "minLength").filter(|m| len < *m) {
                return Some(format!("must be at least {min} characters"));
            }
            if let Some(max) = number_keyword(schema, "maxLength").filter(|m| len > *m) {
                return Some(format!("must be at most {max} characters"));
            }
        }
        Value::Number(n) => {
            let n = n.as_f64().unwrap_or_default();
            if let Some(min) = number_keyword(schema, "minimum").filter(|m| n < *m) {
                return Some(format!("must be at least {min}"));
            }
            if let Some(max) = number_keyword(schema, "maximum").filter(|m| n > *m) {
                return Some(format!("must be at most {max}"));
            }
        }
        Value::Array(items) => {
            let len = items.len() as f64;
            if let Some(min) = number_keyword(schema, "minItems").filter(|m| len < *m) {
                return Some(format!("must have at least {min} items"));
            }
            if let Some(max) = number_keyword(schema, "maxItems").filter(|m| len > *m) {
                return Some(format!("must have at most {max} items"));
            }
            if let Some(item_schema) = schema
                .extra
                .get("items")
                .and_then(|i| serde_json::from_value::<PropertySchema>(i.clone()).ok())
            {
                for (i, item) in items.iter().enumerate() {
                    if let Some(problem) = check_property(&item_schema, item) {
                        return Some(format!("item {i} {problem}"));
                    }
                }
            }
        }
        _ => {}
    }
    None
}

/// Checks properties and relations; every problem found, in field order.
pub fn validate_entity(
    blueprint: &Blueprint,
    properties: &Map<String, Value>,
    relations: &Map<String, Value>,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    for (key, value) in properties {
        let field = format!("properties.{key}");
        match blueprint.schema.properties.get(key) {
            None => errors.push(FieldError {
                field,
                message: format!(
                    "blueprint `{}` has no property `{key}`",
                    blueprint.identifier
                ),
            }),
            Some(schema) => {
                if let Some(message) = check_property(schema, value) {
                    errors.push(FieldError { field, message });
                }
            }
        }
    }
    for key in &blueprint.schema.required {
        if properties.get(key).is_none_or(Value::is_null) {
            errors.push(FieldError {
                field: format!("properties.{key}"),
                message: format!("`{}` is required", blueprint.property_title(key)),
            });
        }
    }
    for (key, value) in relations {
        let field = format!("relations.{key}");
        let Some(relation) = blueprint.relations.get(key) else {
            errors.push(FieldError {
                field,
                message: format!(
                    "blueprint `{}` has no relation `{key}`",
                    blueprint.identifier
                ),
            });
            continue;
        };
        let ok = match (relation.many, value) {
            (_, Value::Null) => true,
            (false, Value::String(_)) => true,
            (true, Value::Array(items)) => items.iter().all(Value::is_string),
            _ => false,
        };
        if !ok {
            errors.push(FieldError {
                field,
                message: if relation.many {
                    format!("must be an array of `{}` identifiers", relation.target)
                } else {
                    format!(
                        "must be one `{}` identifier (a string) or null",
                        relation.target
                    )
                },
            });
        }
    }
    for (key, relation) in &blueprint.relations {
        let empty = match relations.get(key) {
            None | Some(Value::Null) => true,
            Some(Value::Array(items)) => items.is_empty(),
            _ => false,
        };
        if relation.required && empty {
            errors.push(FieldError {
                field: format!("relations.{key}"),
                message: format!(
                    "relation `{}` is required",
                    relation.title.as_deref().unwrap_or(key)
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Port's enum colours (data-model.md §2).
pub const ENUM_COLORS: [&str; 11] = [
    "blue",
    "turquoise",
    "orange",
    "purple",
    "pink",
    "yellow",
    "green",
    "red",
    "darkGray",
    "lightGray",
    "bronze",
];

/// String formats Portolan knows (data-model.md §2).
pub const STRING_FORMATS: [&str; 13] = [
    "url",
    "email",
    "idn-email",
    "date-time",
    "timer",
    "user",
    "team",
    "markdown",
    "yaml",
    "proto",
    "ipv4",
    "ipv6",
    "blueprints",
];

/// Checks a blueprint as an admin writes it: identifier, title,
/// description, property keys, types, formats, enums and defaults, required
/// keys, and relation targets (`blueprints` are the identifiers that exist;
/// a relation may also target the blueprint itself). Every problem, keyed by
/// field.
/// `others` are the other stored blueprints (relation targets, mirror and
/// ownership paths are checked against them).
pub fn validate_blueprint(
    blueprint: &Blueprint,
    others: &[Blueprint],
) -> Result<(), Vec<FieldError>> {
    use super::identifier::{validate_blueprint_identifier, validate_property_key};
    use super::relation_path::{resolve_hops, resolve_ownership_path, MirrorPath};
    let mut errors = Vec::new();
    let mut fail = |field: String, message: String| errors.push(FieldError { field, message });
    if let Err(m) = validate_blueprint_identifier(&blueprint.identifier) {
        fail("identifier".into(), m);
    }
    let title_len = blueprint.title.trim().chars().count();
    if title_len == 0 || title_len > 100 {
        fail("title".into(), "must be 1 to 100 characters".into());
    }
    if blueprint
        .description
        .as_deref()
        .is_some_and(|d| d.chars().count() > 200)
    {
        fail(
            "description".into(),
            "must be at most 200 characters".into(),
        );
    }
    for (key, property) in &blueprint.schema.properties {
        let field = format!("schema.properties.{key}");
        if let Err(m) = validate_property_key(key) {
            fail(field.clone(), m);
        }
        if let Some(format) = &property.format {
            if property.kind != PropertyType::String && property.kind != PropertyType::Array {
                fail(
                    format!("{field}.format"),
                    format!("format `{format}` applies to strings only"),
                );
            } else if property.kind == PropertyType::String
                && !STRING_FORMATS.contains(&format.as_str())
            {
                fail(
                    format!("{field}.format"),
                    format!(
                        "unknown format `{format}`; use one of {}",
                        STRING_FORMATS.join(", ")
                    ),
                );
            }
        }
        let plain = PropertySchema {
            enum_values: None,
            default: None,
            ..property.clone()
        };
        for value in property.enum_values.iter().flatten() {
            if let Some(problem) = check_property(&plain, value) {
                fail(format!("{field}.enum"), format!("{value} {problem}"));
            }
        }
        for (value, color) in &property.enum_colors {
            if !ENUM_COLORS.contains(&color.as_str()) {
                fail(
                    format!("{field}.enumColors.{value}"),
                    format!(
                        "unknown colour `{color}`; use one of {}",
                        ENUM_COLORS.join(", ")
                    ),
                );
            }
        }
        if let Some(problem) = property
            .default
            .as_ref()
            .and_then(|d| check_property(property, d))
        {
            fail(format!("{field}.default"), format!("the default {problem}"));
        }
    }
    for key in &blueprint.schema.required {
        if !blueprint.schema.properties.contains_key(key) {
            fail(
                "schema.required".into(),
                format!("`{key}` is not a property of this blueprint"),
            );
        }
    }
    for (key, relation) in &blueprint.relations {
        let field = format!("relations.{key}");
        if let Err(m) = validate_property_key(key) {
            fail(field.clone(), m);
        }
        if blueprint.schema.properties.contains_key(key) {
            fail(field.clone(), format!("`{key}` is already a property"));
        }
        if relation.target != blueprint.identifier
            && !others.iter().any(|b| b.identifier == relation.target)
        {
            fail(
                format!("{field}.target"),
                format!(
                    "there is no blueprint `{}`; create it first",
                    relation.target
                ),
            );
        }
    }
    // Other blueprints of the path are the stored ones, this one as sent.
    let others: Vec<Blueprint> = others
        .iter()
        .filter(|b| b.identifier != blueprint.identifier)
        .cloned()
        .collect();
    for (key, mirror) in &blueprint.mirror_properties {
        let field = format!("mirrorProperties.{key}");
        if let Err(m) = validate_property_key(key) {
            fail(field.clone(), m);
        }
        if blueprint.schema.properties.contains_key(key) || blueprint.relations.contains_key(key) {
            fail(
                field.clone(),
                format!("`{key}` is already a property or a relation"),
            );
        }
        if let Err(m) = MirrorPath::resolve(&mirror.path, blueprint, &others) {
            fail(format!("{field}.path"), m);
        }
    }
    if let Some(path) = blueprint.inherited_team_path() {
        if let Err(m) = resolve_ownership_path(path, blueprint, &others) {
            fail("ownership.path".into(), m);
        }
        // Inheritance goes one level: nobody may inherit from an inheritor.
        for other in &others {
            let Some(other_path) = other.inherited_team_path() else {
                continue;
            };
            let mut with_this = others.clone();
            with_this.push(blueprint.clone());
            let segments: Vec<&str> = other_path.split('.').collect();
            let ends_here = resolve_hops(other, &segments, &with_this)
                .ok()
                .and_then(|hops| hops.last().map(|h| h.target == blueprint.identifier))
                .unwrap_or(false);
            if ends_here {
                fail(
                    "ownership".into(),
                    format!(
                        "blueprint `{}` inherits its teams from this one, which must then own its teams directly",
                        other.identifier
                    ),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlueprintSchema, RelationSchema};
    use serde_json::json;

    #[test]
    fn blueprints_are_checked_field_by_field() {
        let mut bp = service();
        let squad = Blueprint {
            identifier: "squad".into(),
            title: "Squad".into(),
            ..Default::default()
        };
        assert_eq!(validate_blueprint(&bp, &[squad]), Ok(()));
        bp.title = String::new();
        bp.schema.required.push("ghost".into());
        let mut tier = bp.schema.properties["tier"].clone();
        tier.enum_colors.insert("gold".into(), "chartreuse".into());
        tier.default = Some(serde_json::json!("platinum"));
        bp.schema.properties.insert("tier".into(), tier);
        let errors = validate_blueprint(&bp, &[]).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "title",
                "schema.properties.tier.enumColors.gold",
                "schema.properties.tier.default",
                "schema.required",
                "relations.squad.target"
            ],
            "{errors:?}"
        );
    }

    fn service() -> Blueprint {
        let mut tier = PropertySchema::new(PropertyType::String, "Tier")
            .with_enum(&[("gold", "yellow"), ("silver", "lightGray")]);
        tier.extra.insert("minLength".into(), json!(1));
        let mut cost = PropertySchema::new(PropertyType::Number, "Cost");
        cost.extra.insert("minimum".into(), json!(0));
        let mut tags = PropertySchema::new(PropertyType::Array, "Tags");
        tags.extra.insert("items".into(), json!({"type": "string"}));
        tags.extra.insert("maxItems".into(), json!(2));
        Blueprint {
            identifier: "service".into(),
            title: "Service".into(),
            icon: None,
            description: None,
            schema: BlueprintSchema {
                properties: [
                    ("tier".to_string(), tier),
                    ("cost".to_string(), cost),
                    (
                        "repo".to_string(),
                        PropertySchema::new(PropertyType::String, "Repo").with_format("url"),
                    ),
                    (
                        "owner".to_string(),
                        PropertySchema::new(PropertyType::String, "Owner").with_format("email"),
                    ),
                    (
                        "since".to_string(),
                        PropertySchema::new(PropertyType::String, "Since").with_format("date-time"),
                    ),
                    ("tags".to_string(), tags),
                ]
                .into(),
                required: vec!["tier".into()],
            },
            relations: [
                (
                    "squad".to_string(),
                    RelationSchema {
                        title: None,
                        description: None,
                        target: "squad".into(),
                        required: true,
                        many: false,
                    },
                ),
                (
                    "deps".to_string(),
                    RelationSchema {
                        title: None,
                        description: None,
                        target: "service".into(),
                        required: false,
                        many: true,
                    },
                ),
            ]
            .into(),
            ..Default::default()
        }
    }

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_valid_entity_passes() {
        let ok = validate_entity(
            &service(),
            &obj(
                json!({"tier": "gold", "cost": 3, "repo": "https://git/x", "owner": "a@b.io", "since": "2026-01-01T00:00:00Z", "tags": ["a"]}),
            ),
            &obj(json!({"squad": "s1", "deps": ["a", "b"]})),
        );
        assert_eq!(ok, Ok(()));
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let errors = validate_entity(
            &service(),
            &obj(json!({"tier": "platinum", "cost": -1, "repo": "javascript:alert(1)", "owner": "nobody", "since": "yesterday", "tags": ["a", 2], "colour": "red"})),
            &obj(json!({"squad": ["s1"], "deps": "x", "ghost": "y"})),
        )
        .unwrap_err();
        let by_field = |f: &str| {
            errors
                .iter()
                .find(|e| e.field == f)
                .map(|e| e.message.clone())
                .unwrap_or_default()
        };
        assert_eq!(by_field("properties.tier"), "must be one of gold, silver");
        assert_eq!(by_field("properties.cost"), "must be at least 0");
        assert!(by_field("properties.repo").contains("http(s) URL"));
        assert!(by_field("properties.owner").contains("e-mail"));
        assert!(by_field("properties.since").contains("ISO 8601"));
        assert_eq!(
            by_field("properties.tags"),
            "item 1 must be a string, not a number"
        );
        assert!(by_field("properties.colour").contains("has no property `colour`"));
        assert!(by_field("relations.squad").contains("one `squad` identifier"));
        assert!(by_field("relations.deps").contains("array of `service`"));
        assert!(by_field("relations.ghost").contains("no relation `ghost`"));
    }

    #[test]
    fn required_fields_must_be_present() {
        let errors = validate_entity(&service(), &Map::new(), &Map::new()).unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError {
                    field: "properties.tier".into(),
                    message: "`Tier` is required".into()
                },
                FieldError {
                    field: "relations.squad".into(),
                    message: "relation `squad` is required".into()
                },
            ]
        );
    }
}
