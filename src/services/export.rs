//! Export of chosen blueprints' entities as JSON Lines, GitOps YAML or
//! Terraform HCL (`port_entity` resources), produced a page at a time so a
//! 100k-entity export never sits in memory. `services::import` reads the
//! JSON Lines file back and restores the same catalog (blueprints, teams,
//! entities).
//!
//! An export holds only what the subject may read. The JSON Lines file has
//! one object per line: `{"blueprint": …}` for each blueprint, `{"team":
//! …}` for each team, then `{"entity": …}` for each entity.

use crate::model::{AppError, Blueprint, Entity, Subject};
use crate::query::Sql;
use crate::services::access;
use crate::store::Store;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Entities read per page while exporting.
const EXPORT_PAGE: i64 = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    JsonLines,
    Yaml,
    Hcl,
}

impl ExportFormat {
    pub fn parse(value: &str) -> Result<Self, AppError> {
        match value {
            "json" | "jsonl" => Ok(ExportFormat::JsonLines),
            "yaml" | "yml" => Ok(ExportFormat::Yaml),
            "hcl" | "terraform" => Ok(ExportFormat::Hcl),
            other => Err(AppError::Invalid(format!(
                "format: `{other}` is not one of json (JSON Lines), yaml (GitOps) or hcl (Terraform)"
            ))),
        }
    }

    pub fn content_type(&self) -> &'static str {
        match self {
            ExportFormat::JsonLines => "application/x-ndjson",
            ExportFormat::Yaml => "application/yaml",
            ExportFormat::Hcl => "text/plain; charset=utf-8",
        }
    }

    pub fn file_name(&self) -> &'static str {
        match self {
            ExportFormat::JsonLines => "portolan-export.jsonl",
            ExportFormat::Yaml => "portolan-entities.yml",
            ExportFormat::Hcl => "portolan-entities.tf",
        }
    }
}

/// An export under way: what is left to write.
pub struct Export {
    store: Store,
    format: ExportFormat,
    /// Text ready before the entities (blueprints and teams, or a header).
    preamble: Option<String>,
    /// Each blueprint still to page through, with the subject's read
    /// restriction on it.
    queue: Vec<(String, Option<Sql>)>,
    after: Option<String>,
}

/// Checks the request (known, readable blueprints) and prepares the export.
/// No blueprint named: every blueprint the subject may read something of.
pub async fn export(
    store: &Store,
    subject: &Subject,
    blueprints: &[String],
    format: ExportFormat,
) -> Result<Export, AppError> {
    let all = store.list_blueprints().await?;
    let chosen: Vec<Blueprint> = if blueprints.is_empty() {
        all
    } else {
        let mut chosen = Vec::new();
        for id in blueprints {
            let bp = all
                .iter()
                .find(|b| b.identifier == *id)
                .ok_or_else(|| AppError::NotFound(format!("there is no blueprint `{id}`")))?;
            chosen.push(bp.clone());
        }
        chosen
    };
    let mut queue = Vec::new();
    let mut readable = Vec::new();
    for bp in chosen {
        match access::read_restriction(store, subject, &bp).await {
            Ok(restriction) => {
                queue.push((bp.identifier.clone(), restriction));
                readable.push(bp);
            }
            // Asked for by name: say so; otherwise leave it out.
            Err(e) if blueprints.is_empty() && matches!(e, AppError::Forbidden(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let preamble = preamble(store, &readable, format).await?;
    queue.reverse();
    Ok(Export {
        store: store.clone(),
        format,
        preamble: Some(preamble),
        queue,
        after: None,
    })
}

/// What a file says before its entities: for JSON Lines its blueprints
/// and every team (what an import needs first), else a header line.
async fn preamble(
    store: &Store,
    readable: &[Blueprint],
    format: ExportFormat,
) -> Result<String, AppError> {
    Ok(match format {
        ExportFormat::JsonLines => {
            let mut text = String::new();
            for bp in readable {
                text.push_str(&json!({ "blueprint": bp }).to_string());
                text.push('\n');
            }
            for team in store.list_teams().await? {
                let line = json!({"team": {"name": team.name, "description": team.description}});
                text.push_str(&line.to_string());
                text.push('\n');
            }
            text
        }
        ExportFormat::Yaml => {
            "# Portolan catalog export: entities in Port's GitOps shape.\n".to_string()
        }
        ExportFormat::Hcl => {
            "# Portolan catalog export: one port_entity resource per entity.\n".to_string()
        }
    })
}

/// An export of what catalog page `page_id` shows `subject` with `request`
/// (its Export menu): the table's own listing, so the file holds the rows
/// the table counts (read permission, initial filter, the view's filter,
/// search and My Teams), in identifier order.
pub async fn export_view(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    request: &crate::services::catalog_page::CatalogRequest,
    format: ExportFormat,
) -> Result<Export, AppError> {
    let resolved =
        crate::services::catalog_page::resolve_view(store, subject, page_id, request).await?;
    let mut conditions: Vec<Sql> = resolved.listing.restriction.into_iter().collect();
    if let Some(term) = resolved.listing.search.as_deref() {
        conditions.push(store.text_search_condition(term.trim()));
    }
    let preamble = preamble(store, std::slice::from_ref(&resolved.blueprint), format).await?;
    Ok(Export {
        store: store.clone(),
        format,
        preamble: Some(preamble),
        queue: vec![(resolved.blueprint.identifier, access::all_of(conditions))],
        after: None,
    })
}

impl Export {
    /// The next piece of the file, or `None` when it is complete.
    pub async fn next_chunk(&mut self) -> Result<Option<String>, AppError> {
        if let Some(preamble) = self.preamble.take() {
            return Ok(Some(preamble));
        }
        loop {
            let Some((blueprint, restriction)) = self.queue.last() else {
                return Ok(None);
            };
            let condition = restriction.clone().unwrap_or_else(|| Sql {
                text: "1=1".into(),
                binds: Vec::new(),
            });
            let page = self
                .store
                .search_entities(
                    condition,
                    Some(blueprint),
                    self.after.as_deref(),
                    EXPORT_PAGE,
                )
                .await?;
            if page.len() < EXPORT_PAGE as usize {
                self.queue.pop();
                self.after = None;
            } else {
                self.after = page.last().map(|e| e.identifier.clone());
            }
            if page.is_empty() {
                continue;
            }
            let mut text = String::new();
            for entity in &page {
                match self.format {
                    ExportFormat::JsonLines => {
                        text.push_str(&json!({ "entity": portable(entity) }).to_string());
                        text.push('\n');
                    }
                    ExportFormat::Yaml => text.push_str(&yaml_item(entity)),
                    ExportFormat::Hcl => text.push_str(&hcl_resource(entity)),
                }
            }
            return Ok(Some(text));
        }
    }
}

/// An entity as Port's clients write it: no timestamps or version.
fn portable(entity: &Entity) -> Value {
    let mut out = json!({
        "identifier": entity.identifier,
        "title": entity.title,
        "blueprint": entity.blueprint,
        "team": entity.team,
        "properties": entity.properties,
        "relations": entity.relations,
    });
    if let Some(icon) = &entity.icon {
        out["icon"] = Value::from(icon.as_str());
    }
    out
}

/// One entity as a YAML list item. Values are written in YAML's flow
/// style, which is JSON's syntax, so every string is quoted and escaped
/// exactly and any YAML parser reads them back as they were.
fn yaml_item(entity: &Entity) -> String {
    let fields = [
        ("identifier", Value::from(entity.identifier.as_str())),
        ("title", json!(entity.title)),
        ("icon", json!(entity.icon)),
        ("blueprint", Value::from(entity.blueprint.as_str())),
        ("team", json!(entity.team)),
        ("properties", Value::Object(entity.properties.clone())),
        ("relations", Value::Object(entity.relations.clone())),
    ];
    let mut text = String::new();
    for (key, value) in fields.iter().filter(|(_, v)| !v.is_null()) {
        let lead = if text.is_empty() { "- " } else { "  " };
        text.push_str(&format!("{lead}{key}: {}\n", yaml_flow(value)));
    }
    text
}

/// A JSON value as YAML flow text. JSON already escapes quotes,
/// backslashes and C0 controls; YAML also reads NEL, LS and PS (U+0085,
/// U+2028, U+2029) as line breaks, which would fold them into spaces, and
/// refuses DEL, C1 controls and BOMs raw, so those are escaped too (they
/// can only occur inside strings: JSON's syntax around them is ASCII).
fn yaml_flow(value: &Value) -> String {
    let json = value.to_string();
    let awkward = |c: char| {
        matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
    };
    if !json.contains(awkward) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if awkward(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A Terraform string literal. Every string Terraform reads is a template,
/// so `${` and `%{` are doubled (`$${`, `%%{`) or an entity's value would
/// run as code for whoever applies the export (`${file("secrets.txt")}`).
/// Escapes are HCL's own: `\b` and `\f`, which JSON has and HCL lacks,
/// are written as `\uXXXX` like every other control character.
fn hcl_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            // Controls, and the invisible line breaks and BOM that editors
            // and reviewers would not see in the file.
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Any JSON value as an HCL expression, every string in it (object keys
/// too, at any depth) written by `hcl_string`.
fn hcl_value(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => hcl_string(s),
        Value::Array(items) => hcl_list(items),
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{} = {}", hcl_string(k), hcl_value(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// A Terraform resource name: letters, digits, `_` and `-`, not starting
/// with a digit.
fn hcl_name(entity: &Entity) -> String {
    let raw = format!("{}_{}", entity.blueprint, entity.identifier);
    let mut name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

fn hcl_map(entries: &[(String, String)], indent: &str) -> String {
    let mut text = String::from("{\n");
    for (key, value) in entries {
        text.push_str(&format!("{indent}  {} = {value}\n", hcl_string(key)));
    }
    text.push_str(indent);
    text.push('}');
    text
}

fn hcl_list(items: &[Value]) -> String {
    let parts: Vec<String> = items.iter().map(hcl_value).collect();
    format!("[{}]", parts.join(", "))
}

/// One `port_entity` resource in the Terraform provider's shape:
/// `properties = { string_props, number_props, boolean_props,
/// object_props, array_props = { string_items, … } }` and `relations = {
/// single_relations, many_relations }`.
fn hcl_resource(entity: &Entity) -> String {
    // Group → (property, HCL value), in the entity's property order.
    let mut groups: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut put = |group: &str, key: &str, value: String| {
        groups
            .entry(group.to_string())
            .or_default()
            .push((key.to_string(), value));
    };
    for (key, value) in &entity.properties {
        match value {
            Value::Null => {}
            Value::String(s) => put("string_props", key, hcl_string(s)),
            Value::Number(n) => put("number_props", key, n.to_string()),
            Value::Bool(b) => put("boolean_props", key, b.to_string()),
            Value::Object(_) => put(
                "object_props",
                key,
                format!("jsonencode({})", hcl_value(value)),
            ),
            Value::Array(items) => {
                let group = match items.first() {
                    Some(Value::Number(_)) => "number_items",
                    Some(Value::Bool(_)) => "boolean_items",
                    Some(Value::Object(_)) => "object_items",
                    _ => "string_items",
                };
                let list = if group == "object_items" {
                    let parts: Vec<String> = items
                        .iter()
                        .map(|i| format!("jsonencode({})", hcl_value(i)))
                        .collect();
                    format!("[{}]", parts.join(", "))
                } else {
                    hcl_list(items)
                };
                put(&format!("array/{group}"), key, list)
            }
        }
    }
    let entries = |name: &str| groups.get(name).cloned().unwrap_or_default();
    let mut properties: Vec<(String, String)> = Vec::new();
    for group in [
        "string_props",
        "number_props",
        "boolean_props",
        "object_props",
    ] {
        let list = entries(group);
        if !list.is_empty() {
            properties.push((group.to_string(), hcl_map(&list, "    ")));
        }
    }
    let mut arrays: Vec<(String, String)> = Vec::new();
    for group in [
        "string_items",
        "number_items",
        "boolean_items",
        "object_items",
    ] {
        let list = entries(&format!("array/{group}"));
        if !list.is_empty() {
            arrays.push((group.to_string(), hcl_map(&list, "      ")));
        }
    }
    let mut text = format!(
        "resource \"port_entity\" \"{}\" {{\n  identifier = {}\n  blueprint  = {}\n",
        hcl_name(entity),
        hcl_string(&entity.identifier),
        hcl_string(&entity.blueprint)
    );
    if let Some(title) = &entity.title {
        text.push_str(&format!("  title      = {}\n", hcl_string(title)));
    }
    if let Some(icon) = &entity.icon {
        text.push_str(&format!("  icon       = {}\n", hcl_string(icon)));
    }
    if !entity.team.is_empty() {
        let teams: Vec<Value> = entity
            .team
            .iter()
            .map(|t| Value::from(t.as_str()))
            .collect();
        text.push_str(&format!("  teams      = {}\n", hcl_list(&teams)));
    }
    if !properties.is_empty() || !arrays.is_empty() {
        text.push_str("  properties = {\n");
        for (group, map) in properties {
            text.push_str(&format!("    {group} = {map}\n"));
        }
        if !arrays.is_empty() {
            text.push_str("    array_props = {\n");
            for (group, map) in arrays {
                text.push_str(&format!("      {group} = {map}\n"));
            }
            text.push_str("    }\n");
        }
        text.push_str("  }\n");
    }
    let (mut single, mut many) = (Vec::new(), Vec::new());
    for (key, value) in &entity.relations {
        match value {
            Value::String(s) => single.push((key.clone(), hcl_string(s))),
            Value::Array(items) => many.push((key.clone(), hcl_list(items))),
            _ => {}
        }
    }
    if !single.is_empty() || !many.is_empty() {
        text.push_str("  relations = {\n");
        if !single.is_empty() {
            text.push_str(&format!(
                "    single_relations = {}\n",
                hcl_map(&single, "    ")
            ));
        }
        if !many.is_empty() {
            text.push_str(&format!(
                "    many_relations = {}\n",
                hcl_map(&many, "    ")
            ));
        }
        text.push_str("  }\n");
    }
    text.push_str("}\n\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity() -> Entity {
        serde_json::from_value(json!({
            "identifier": "cart-api", "title": "Cart \"API\" ${x}", "blueprint": "service",
            "team": ["payments"],
            "properties": {"tier": "gold", "cost": 12.5, "up": true, "tags": ["a", "b"],
                           "meta": {"k": 1}, "none": null},
            "relations": {"dependencies": ["search-api"], "owner": "alice"},
            "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn terraform_resources_use_the_providers_shape_and_escape_templates() {
        let hcl = hcl_resource(&entity());
        assert!(
            hcl.starts_with("resource \"port_entity\" \"service_cart-api\" {"),
            "{hcl}"
        );
        assert!(
            hcl.contains("title      = \"Cart \\\"API\\\" $${x}\""),
            "{hcl}"
        );
        assert!(
            hcl.contains("string_props = {\n      \"tier\" = \"gold\""),
            "{hcl}"
        );
        assert!(hcl.contains("\"cost\" = 12.5"), "{hcl}");
        assert!(hcl.contains("\"meta\" = jsonencode({\"k\" = 1})"), "{hcl}");
        assert!(
            hcl.contains("string_items = {\n        \"tags\" = [\"a\", \"b\"]"),
            "{hcl}"
        );
        assert!(
            hcl.contains("many_relations = {\n      \"dependencies\" = [\"search-api\"]"),
            "{hcl}"
        );
        assert!(
            hcl.contains("single_relations = {\n      \"owner\" = \"alice\""),
            "{hcl}"
        );
        assert!(!hcl.contains("none"), "{hcl}");
    }

    #[test]
    fn yaml_items_quote_every_value() {
        let yaml = yaml_item(&entity());
        assert!(yaml.starts_with("- identifier: \"cart-api\"\n"), "{yaml}");
        assert!(yaml.contains("\n  team: [\"payments\"]\n"), "{yaml}");
    }
}
