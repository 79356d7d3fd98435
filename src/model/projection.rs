//! Port's `include` / `exclude` on entity reads: which fields of each
//! entity an answer carries. A field is a top-level key of the entity's
//! JSON (`identifier`, `title`, `properties`, …) or one property or
//! relation (`properties.tier`, `relations.squad`). `include` keeps only
//! the fields it names; `exclude` then drops the ones it names. A name
//! that is not a field of an entity is refused, never ignored.

use super::AppError;
use serde_json::{Map, Value};

/// The top-level fields of an entity as the API writes it.
const FIELDS: [&str; 12] = [
    "identifier",
    "title",
    "icon",
    "blueprint",
    "team",
    "properties",
    "relations",
    "createdAt",
    "createdBy",
    "updatedAt",
    "updatedBy",
    "version",
];

/// One field: a top-level key, or a key inside `properties`/`relations`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Field {
    top: String,
    inner: Option<String>,
}

impl Field {
    fn parse(list: &str, name: &str) -> Result<Field, AppError> {
        let (top, inner) = match name.split_once('.') {
            Some((top, inner)) => (top, Some(inner)),
            None => (name, None),
        };
        let nests = matches!(top, "properties" | "relations");
        if !FIELDS.contains(&top) || (inner.is_some() && !nests) || inner == Some("") {
            return Err(AppError::Invalid(format!(
                "{list}: `{name}` is not a field of an entity; name one of {}, or `properties.<key>` / `relations.<key>`",
                FIELDS.join(", ")
            )));
        }
        Ok(Field {
            top: top.to_string(),
            inner: inner.map(str::to_string),
        })
    }
}

/// A parsed `include` / `exclude` pair.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Projection {
    include: Option<Vec<Field>>,
    exclude: Vec<Field>,
}

impl Projection {
    /// From the names given (each may also be a comma-joined list, as
    /// query parameters are written); an empty `include` keeps everything.
    pub fn parse(include: &[String], exclude: &[String]) -> Result<Projection, AppError> {
        let fields = |list: &str, names: &[String]| -> Result<Vec<Field>, AppError> {
            names
                .iter()
                .flat_map(|n| n.split(','))
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| Field::parse(list, n))
                .collect()
        };
        let include = fields("include", include)?;
        Ok(Projection {
            include: (!include.is_empty()).then_some(include),
            exclude: fields("exclude", exclude)?,
        })
    }

    /// Whether it changes anything.
    pub fn is_identity(&self) -> bool {
        self.include.is_none() && self.exclude.is_empty()
    }

    /// Applies the projection to one entity's JSON.
    pub fn apply(&self, entity: Value) -> Value {
        let Value::Object(mut all) = entity else {
            return entity;
        };
        if let Some(include) = &self.include {
            let mut kept = Map::new();
            for field in include {
                let Some(value) = all.get(&field.top) else {
                    continue;
                };
                match (&field.inner, value) {
                    (None, value) => {
                        kept.insert(field.top.clone(), value.clone());
                    }
                    (Some(inner), Value::Object(nested)) => {
                        let slot = kept
                            .entry(field.top.clone())
                            .or_insert_with(|| Value::Object(Map::new()));
                        if let (Value::Object(slot), Some(v)) = (slot, nested.get(inner)) {
                            slot.insert(inner.clone(), v.clone());
                        }
                    }
                    _ => {}
                }
            }
            all = kept;
        }
        for field in &self.exclude {
            match &field.inner {
                None => {
                    all.remove(&field.top);
                }
                Some(inner) => {
                    if let Some(Value::Object(nested)) = all.get_mut(&field.top) {
                        nested.remove(inner);
                    }
                }
            }
        }
        Value::Object(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entity() -> Value {
        json!({"identifier": "a", "title": "A", "blueprint": "service", "team": ["x"],
               "properties": {"tier": "gold", "cost": 3}, "relations": {"squad": "s"},
               "createdAt": "2026-01-01T00:00:00Z"})
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn include_keeps_and_exclude_drops_fields_at_either_level() {
        let p =
            Projection::parse(&strings(&["identifier,blueprint", "properties.tier"]), &[]).unwrap();
        assert_eq!(
            p.apply(entity()),
            json!({"identifier": "a", "blueprint": "service", "properties": {"tier": "gold"}})
        );
        let p =
            Projection::parse(&[], &strings(&["properties.cost", "team", "relations"])).unwrap();
        assert_eq!(
            p.apply(entity()),
            json!({"identifier": "a", "title": "A", "blueprint": "service",
                   "properties": {"tier": "gold"}, "createdAt": "2026-01-01T00:00:00Z"})
        );
        let p =
            Projection::parse(&strings(&["properties"]), &strings(&["properties.cost"])).unwrap();
        assert_eq!(p.apply(entity()), json!({"properties": {"tier": "gold"}}));
        assert!(Projection::parse(&[], &[]).unwrap().is_identity());
    }

    #[test]
    fn names_that_are_no_field_are_refused() {
        for bad in ["owner", "title.x", "properties.", "Identifier"] {
            let e = Projection::parse(&strings(&[bad]), &[]).unwrap_err();
            assert!(e.message().contains("is not a field"), "{bad}: {e}");
        }
        assert!(Projection::parse(&[], &strings(&["propertiez"]))
            .unwrap_err()
            .message()
            .starts_with("exclude"));
    }
}
