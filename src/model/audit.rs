//! Audit log entries: who changed what, when, and how.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// An e-mail, `client:<id>`, or `demo-data`.
    pub actor: String,
    /// `entity`, `blueprint`, `permissions`, `page`, `team`, `user` or `credential`.
    pub resource_type: String,
    /// `CREATE`, `UPDATE` or `DELETE`.
    pub action: String,
    pub blueprint: Option<String>,
    pub identifier: Option<String>,
    /// `SUCCESS`, or `FAILURE` for a write the policy refused.
    pub status: String,
    /// `{before, after}`.
    pub diff: Value,
    /// Why a refused write was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Which entries to read; every given filter must hold. Newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub blueprint: Option<String>,
    pub actor: Option<String>,
    pub resource_types: Vec<String>,
    pub action: Option<String>,
    pub status: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: i64,
    /// Only entries older than this one (its `id`): the cursor of the next
    /// page. Ids grow with every row and the log is read by `id`, so an id
    /// alone is a stable cursor (no `(at, id)` pair needed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<i64>,
    /// Refused attempts (status FAILURE) only when made by this actor: set
    /// by the policy for readers who are not admins, never by a request.
    #[serde(skip)]
    pub failures_only_by: Option<String>,
}

/// One field whose value an entry changed, as text a person reads.
/// `None` is "not set" (a field added, removed, or the whole resource
/// created or deleted).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// `title`, `team`, `properties.tier`, `relations.system`, or for
    /// other resources the key path (`schema.properties.tier.enum`).
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One row of the audit log page: the entry (without its raw diff), where
/// its resource lives now (if it still does), and what it changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub entry: AuditEntry,
    pub href: Option<String>,
    pub changes: Vec<FieldChange>,
}

/// One page of the audit log, newest first; `older` is the cursor of the
/// next page when there is one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditLogPage {
    pub rows: Vec<AuditRow>,
    pub older: Option<i64>,
}

/// Bookkeeping that every write changes: not news.
const BOOKKEEPING: [&str; 5] = [
    "createdAt",
    "createdBy",
    "updatedAt",
    "updatedBy",
    "version",
];
/// An entity's blueprint never changes; its creation shows it anyway.
const ENTITY_BOOKKEEPING: [&str; 6] = [
    "createdAt",
    "createdBy",
    "updatedAt",
    "updatedBy",
    "version",
    "blueprint",
];

/// How deep nested objects are opened into `a.b.c` paths before a value is
/// shown whole.
const MAX_DEPTH: usize = 4;

impl AuditEntry {
    /// The fields this entry changed, each before and after, in key order:
    /// for an entity its title, icon, team, each property and relation;
    /// for anything else the changed keys, nested objects opened into
    /// paths. A field whose value did not change is left out.
    pub fn changes(&self) -> Vec<FieldChange> {
        let mut changes = Vec::new();
        let (before, after) = (&self.diff["before"], &self.diff["after"]);
        let skip: &[&str] = if self.resource_type == "entity" {
            &ENTITY_BOOKKEEPING
        } else {
            &BOOKKEEPING
        };
        diff_into(&mut changes, "", before, after, skip, 0);
        changes
    }
}

fn diff_into(
    out: &mut Vec<FieldChange>,
    path: &str,
    before: &Value,
    after: &Value,
    skip: &[&str],
    depth: usize,
) {
    if before == after {
        return;
    }
    let as_object = |v: &Value| match v {
        Value::Object(map) => Some(map.clone()),
        Value::Null => Some(serde_json::Map::new()),
        _ => None,
    };
    if depth < MAX_DEPTH && (before.is_object() || after.is_object()) {
        if let (Some(b), Some(a)) = (as_object(before), as_object(after)) {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                if depth == 0 && skip.contains(&key.as_str()) {
                    continue;
                }
                let inner = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                let null = Value::Null;
                diff_into(
                    out,
                    &inner,
                    b.get(key).unwrap_or(&null),
                    a.get(key).unwrap_or(&null),
                    skip,
                    depth + 1,
                );
            }
            return;
        }
    }
    let shown = |v: &Value| (!v.is_null()).then(|| readable(v));
    let (before, after) = (shown(before), shown(after));
    if before != after {
        out.push(FieldChange {
            field: if path.is_empty() {
                "value".into()
            } else {
                path.to_string()
            },
            before,
            after,
        });
    }
}

/// A value as a person writes it: text without quotes, lists joined by
/// commas, anything nested as compact JSON.
fn readable(value: &Value) -> String {
    match value {
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            if items.is_empty() {
                "(none)".into()
            } else {
                items.iter().map(readable).collect::<Vec<_>>().join(", ")
            }
        }
        _ => super::plain_text(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(resource_type: &str, before: Value, after: Value) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: Utc::now(),
            actor: "a@b.c".into(),
            resource_type: resource_type.into(),
            action: "UPDATE".into(),
            blueprint: Some("service".into()),
            identifier: Some("cart".into()),
            status: "SUCCESS".into(),
            diff: json!({"before": before, "after": after}),
            message: None,
        }
    }

    fn change(field: &str, before: Option<&str>, after: Option<&str>) -> FieldChange {
        FieldChange {
            field: field.into(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    #[test]
    fn an_entity_update_lists_only_the_changed_fields() {
        let before = json!({"identifier": "cart", "title": "Cart", "team": ["payments"],
            "properties": {"tier": "gold", "url": "https://x"}, "relations": {"system": "shop"},
            "updatedAt": "2026-01-01T00:00:00Z", "version": 1});
        let after = json!({"identifier": "cart", "title": "Cart API", "team": ["payments", "search"],
            "properties": {"tier": "silver", "url": "https://x", "lang": "Rust"}, "relations": {"system": "shop"},
            "updatedAt": "2026-01-02T00:00:00Z", "version": 2});
        assert_eq!(
            entry("entity", before, after).changes(),
            vec![
                change("properties.lang", None, Some("Rust")),
                change("properties.tier", Some("gold"), Some("silver")),
                change("team", Some("payments"), Some("payments, search")),
                change("title", Some("Cart"), Some("Cart API")),
            ]
        );
    }

    #[test]
    fn a_created_entity_shows_what_it_was_created_with() {
        let after = json!({"identifier": "cart", "title": "Cart", "team": [], "properties": {}, "version": 1});
        assert_eq!(
            entry("entity", Value::Null, after).changes(),
            vec![
                change("identifier", None, Some("cart")),
                change("team", None, Some("(none)")),
                change("title", None, Some("Cart")),
            ]
        );
    }

    #[test]
    fn a_blueprint_change_opens_nested_keys_into_paths() {
        let before = json!({"title": "Service", "schema": {"properties": {"tier": {"type": "string", "enum": ["gold"]}}}});
        let after = json!({"title": "Service", "schema": {"properties": {"tier": {"type": "string", "enum": ["gold", "silver"]}}}});
        assert_eq!(
            entry("blueprint", before, after).changes(),
            vec![change(
                "schema.properties.tier.enum",
                Some("gold"),
                Some("gold, silver")
            )]
        );
    }
}
