//! Entity forms: a property's value as a form shows it (text), and the
//! text a form sends back turned into the JSON value its schema asks for.
//! The entity page's edit form (`save_entity`) and the catalog page's
//! new-entity form (`create_entity`) share these, so what a form shows is
//! exactly what it reads back.

use super::validate::FieldError;
use super::{Blueprint, Entity, PropertySchema, PropertyType};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The input a property gets in a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    Text,
    Url,
    Email,
    DateTime,
    /// Multi-line text (markdown, yaml).
    LongText,
    Number,
    /// A select of Yes / No / no value.
    Boolean,
    /// A select of the enum's values.
    Choice,
    /// One item per line.
    Lines,
    /// A JSON document.
    Json,
}

pub fn input_kind(schema: &PropertySchema) -> InputKind {
    match schema.kind {
        PropertyType::String if schema.enum_values.is_some() => InputKind::Choice,
        PropertyType::String => match schema.format.as_deref() {
            Some("url") => InputKind::Url,
            Some("email") | Some("user") => InputKind::Email,
            Some("date-time") => InputKind::DateTime,
            Some("markdown") | Some("yaml") => InputKind::LongText,
            _ => InputKind::Text,
        },
        PropertyType::Number => InputKind::Number,
        PropertyType::Boolean => InputKind::Boolean,
        PropertyType::Array if string_items(schema) => InputKind::Lines,
        PropertyType::Array | PropertyType::Object => InputKind::Json,
    }
}

/// Whether an array's items are strings (or unspecified): one per line.
fn string_items(schema: &PropertySchema) -> bool {
    match schema.extra.get("items").and_then(|i| i.get("type")) {
        None => true,
        Some(t) => t == "string",
    }
}

/// An RFC 3339 date-time in UTC to the minute: `2026-11-23<separator>09:52`.
/// Written out by hand: chrono's `format` brings its locale code, and with
/// it Unicode's case tables, into the browser bundle (10 KB gzip on every
/// page).
pub fn utc_minutes(value: &str, separator: char) -> Option<String> {
    use chrono::{Datelike, Timelike};
    let at = chrono::DateTime::parse_from_rfc3339(value)
        .ok()?
        .with_timezone(&chrono::Utc);
    Some(format!(
        "{:04}-{:02}-{:02}{separator}{:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    ))
}

/// A stored date-time as a `datetime-local` input holds it, in UTC: to the
/// second, with milliseconds when it has any (the finest the input shows).
/// Written out by hand for the reason [`utc_minutes`] gives.
pub fn utc_input_value(value: &str) -> Option<String> {
    use chrono::Timelike;
    let at = chrono::DateTime::parse_from_rfc3339(value)
        .ok()?
        .with_timezone(&chrono::Utc);
    let minutes = utc_minutes(value, 'T')?;
    let millis = at.nanosecond() / 1_000_000;
    Some(if millis == 0 {
        format!("{minutes}:{:02}", at.second())
    } else {
        format!("{minutes}:{:02}.{millis:03}", at.second())
    })
}

/// A stored value as its form input shows it.
pub fn text_of(schema: &PropertySchema, value: Option<&Value>) -> String {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return String::new();
    };
    match (input_kind(schema), value) {
        (InputKind::DateTime, Value::String(s)) => utc_input_value(s).unwrap_or_else(|| s.clone()),
        (InputKind::Lines, Value::Array(items)) => items
            .iter()
            .map(super::plain_text)
            .collect::<Vec<_>>()
            .join("\n"),
        (InputKind::Json, v) => serde_json::to_string_pretty(v).unwrap_or_default(),
        (_, v) => super::plain_text(v),
    }
}

/// A number as typed in a form or filter (`3`, `-0.5`, `.5`, `1e3`),
/// read with serde_json rather than `str::parse::<f64>`: the exact-rounding
/// tables of the latter would add 20 KB to every page's browser bundle.
/// Infinity and NaN are not numbers here (JSON has no way to store them).
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let text = text.strip_prefix('+').unwrap_or(text);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    // JSON wants a digit before the point; an HTML number input does not.
    let json = match digits.strip_prefix('.') {
        Some(fraction) => format!("{sign}0.{fraction}"),
        None => format!("{sign}{digits}"),
    };
    serde_json::from_str::<f64>(&json)
        .ok()
        .filter(|n| n.is_finite())
}

/// The value a form's text stands for; empty text clears the property.
pub fn value_of(schema: &PropertySchema, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    match input_kind(schema) {
        // Whole numbers stay integers, so an untouched field reads back
        // equal to what is stored.
        InputKind::Number if trimmed.parse::<i64>().is_ok() => {
            Ok(Value::from(trimmed.parse::<i64>().unwrap_or_default()))
        }
        InputKind::Number => parse_number(trimmed)
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("`{trimmed}` is not a number")),
        InputKind::Boolean => match trimmed {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            other => Err(format!("must be Yes or No, not `{other}`")),
        },
        // `datetime-local` sends no zone, and seconds and milliseconds only
        // when there are some: the form shows and reads UTC, as the page
        // says next to the field. What it was given it keeps, to the
        // nanosecond (AutoSi writes as many digits as there are).
        InputKind::DateTime => ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
            .iter()
            .find_map(|format| chrono::NaiveDateTime::parse_from_str(trimmed, format).ok())
            .map(|d| d.and_utc())
            .or_else(|| {
                chrono::DateTime::parse_from_rfc3339(trimmed)
                    .ok()
                    .map(|d| d.with_timezone(&chrono::Utc))
            })
            .map(|d| Value::String(d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)))
            .ok_or_else(|| format!("`{trimmed}` is not a date and time")),
        InputKind::Lines => Ok(Value::Array(
            trimmed
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_string()))
                .collect(),
        )),
        InputKind::Json => {
            serde_json::from_str(trimmed).map_err(|e| format!("is not valid JSON: {e}"))
        }
        // Long text keeps its own line breaks and indentation; a browser
        // sends a textarea's line breaks as CRLF, which were LF.
        InputKind::LongText => Ok(Value::String(text.replace("\r\n", "\n"))),
        _ => Ok(Value::String(trimmed.to_string())),
    }
}

/// What an entity form sends: the version it was loaded at, the title,
/// and the text of each property the viewer may edit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EntityForm {
    pub blueprint: String,
    pub identifier: String,
    pub version: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    /// The related identifiers of each relation the viewer may change, one
    /// per line (one at most for a single relation).
    #[serde(default)]
    pub relations: BTreeMap<String, String>,
    /// The teams ticked, when the form offered teams at all.
    #[serde(default)]
    pub team: Option<Vec<String>>,
    /// What the edit form showed when it opened: a field still as shown
    /// is not written (see [`EntityForm::changes_only`]).
    #[serde(default)]
    pub original: Option<FormOriginal>,
}

/// The text of each field as the edit form showed it (it travels with the
/// form as one hidden JSON field, `original`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormOriginal {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    #[serde(default)]
    pub relations: BTreeMap<String, String>,
    #[serde(default)]
    pub team: Option<Vec<String>>,
}

/// Text as a form sends it, compared as shown: a browser sends a
/// textarea's line breaks as CRLF.
fn same_text(sent: &str, shown: &str) -> bool {
    sent.replace("\r\n", "\n") == shown.replace("\r\n", "\n")
}

impl EntityForm {
    /// The form without the fields left as the form showed them, so a save
    /// writes only what the person changed: a value its input cannot hold
    /// exactly (a date-time's microseconds, a number's spelling) stays as
    /// stored, and the history names only the fields they touched.
    pub fn changes_only(mut self) -> EntityForm {
        let Some(shown) = self.original.take() else {
            return self;
        };
        self.properties.retain(|key, sent| {
            shown
                .properties
                .get(key)
                .is_none_or(|was| !same_text(sent, was))
        });
        self.relations.retain(|key, sent| {
            shown
                .relations
                .get(key)
                .is_none_or(|was| !same_text(sent, was))
        });
        if let (Some(sent), Some(was)) = (&self.title, &shown.title) {
            if same_text(sent.trim(), was.trim()) {
                self.title = None;
            }
        }
        if let (Some(sent), Some(was)) = (&self.team, &shown.team) {
            let sorted = |teams: &[String]| {
                let mut teams = teams.to_vec();
                teams.sort();
                teams
            };
            if sorted(sent) == sorted(was) {
                self.team = None;
            }
        }
        self
    }
}

impl EntityForm {
    /// The properties the form sets, as JSON values, or one message per
    /// field that could not be read.
    pub fn values(&self, blueprint: &Blueprint) -> Result<Map<String, Value>, Vec<FieldError>> {
        let mut values = Map::new();
        let mut errors = Vec::new();
        for (key, text) in &self.properties {
            let field = format!("properties.{key}");
            match blueprint.schema.properties.get(key) {
                None => errors.push(FieldError {
                    field,
                    message: format!(
                        "blueprint `{}` has no property `{key}`",
                        blueprint.identifier
                    ),
                }),
                Some(schema) => match value_of(schema, text) {
                    Ok(v) => {
                        values.insert(key.clone(), v);
                    }
                    Err(message) => errors.push(FieldError { field, message }),
                },
            }
        }
        if errors.is_empty() {
            Ok(values)
        } else {
            Err(errors)
        }
    }
}

impl EntityForm {
    /// The relations the form sets (a many relation as an array, a single
    /// one as a string or null), or one message per field that is wrong.
    pub fn relation_values(
        &self,
        blueprint: &Blueprint,
    ) -> Result<Map<String, Value>, Vec<FieldError>> {
        let mut values = Map::new();
        let mut errors = Vec::new();
        for (key, text) in &self.relations {
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
            let items: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            let value = match (relation.many, items.as_slice()) {
                (true, _) => Value::from(items),
                (false, []) => Value::Null,
                (false, [one]) => Value::String(one.clone()),
                (false, _) => {
                    errors.push(FieldError {
                        field,
                        message: format!("choose one `{}`, not {}", relation.target, items.len()),
                    });
                    continue;
                }
            };
            values.insert(key.clone(), value);
        }
        if errors.is_empty() {
            Ok(values)
        } else {
            Err(errors)
        }
    }
}

/// What a form posted without JavaScript gets back when some fields are
/// refused: the server sends the browser back to the form's page with this
/// in its URL (`?reply=`), and the page opens the form again showing what
/// was typed and each field's message. Nothing is stored on the server, so
/// any instance can render it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormReply {
    /// Each field's message.
    pub errors: Vec<FieldError>,
    /// Each field as posted, by its input name (`title`,
    /// `properties[tier]`, `team[payments]` = `on` when ticked); the
    /// `original` record is left out (the page writes it again).
    pub fields: BTreeMap<String, String>,
}

impl FormReply {
    /// The reply in a page's URL (`reply=`), if any and readable; an
    /// unreadable one (edited by hand) is ignored and the form shows the
    /// entity as stored.
    pub fn from_query(text: Option<&str>) -> Option<FormReply> {
        serde_json::from_str(text?).ok()
    }

    /// The posted text of the input named `name`, or `shown` when the form
    /// was not posted back (or the input was disabled, so not sent).
    pub fn text_or(reply: Option<&FormReply>, name: &str, shown: String) -> String {
        reply
            .and_then(|r| r.fields.get(name).cloned())
            .unwrap_or(shown)
    }

    /// Whether the checkbox `name` is ticked: as posted, or `shown`.
    pub fn ticked_or(reply: Option<&FormReply>, name: &str, shown: bool) -> bool {
        match reply {
            Some(r) => r.fields.contains_key(name),
            None => shown,
        }
    }
}

/// The answer to a form: the entity as saved, or what to fix next to
/// which field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FormOutcome {
    Saved(Box<Entity>),
    Invalid(Vec<FieldError>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(v: Value) -> PropertySchema {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn numbers_read_as_a_number_input_sends_them() {
        assert_eq!(parse_number("3"), Some(3.0));
        assert_eq!(parse_number(" -0.25 "), Some(-0.25));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_number("-.5"), Some(-0.5));
        assert_eq!(parse_number("+2"), Some(2.0));
        assert_eq!(parse_number("1e3"), Some(1000.0));
        assert_eq!(parse_number("0.1"), Some(0.1));
        for bad in ["", "abc", "1e999", "NaN", "inf", "1,5", "--1", "2 3"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_type_round_trips_through_its_input() {
        let cases = [
            (json!({"type": "string"}), json!("cart")),
            (json!({"type": "number"}), json!(2.5)),
            (json!({"type": "number"}), json!(12)),
            (json!({"type": "boolean"}), json!(true)),
            (
                json!({"type": "string", "format": "date-time"}),
                json!("2026-11-23T09:30:00Z"),
            ),
            (
                json!({"type": "string", "format": "date-time"}),
                json!("2026-11-23T20:16:17Z"),
            ),
            (
                json!({"type": "string", "format": "date-time"}),
                json!("2026-11-23T20:16:17.250Z"),
            ),
            (json!({"type": "array"}), json!(["pci", "tier-1"])),
            (json!({"type": "object"}), json!({"a": 1})),
            (
                json!({"type": "string", "format": "markdown"}),
                json!("# Title\n\n  indented"),
            ),
        ];
        for (s, value) in cases {
            let s = schema(s);
            let text = text_of(&s, Some(&value));
            assert_eq!(value_of(&s, &text).unwrap(), value, "{text}");
        }
    }

    #[test]
    fn date_times_keep_their_seconds_and_textareas_their_line_breaks() {
        let at = schema(json!({"type": "string", "format": "date-time"}));
        assert_eq!(
            text_of(&at, Some(&json!("2026-11-23T20:16:17Z"))),
            "2026-11-23T20:16:17"
        );
        assert_eq!(
            text_of(&at, Some(&json!("2026-11-23T21:16:17.5+01:00"))),
            "2026-11-23T20:16:17.500"
        );
        // What a datetime-local input sends, with and without seconds.
        assert_eq!(
            value_of(&at, "2026-11-23T20:16").unwrap(),
            json!("2026-11-23T20:16:00Z")
        );
        assert_eq!(
            value_of(&at, "2026-11-23T20:16:17.123").unwrap(),
            json!("2026-11-23T20:16:17.123Z")
        );
        let markdown = schema(json!({"type": "string", "format": "markdown"}));
        assert_eq!(value_of(&markdown, "a\r\nb").unwrap(), json!("a\nb"));
    }

    #[test]
    fn only_what_changed_is_sent_on() {
        let shown = FormOriginal {
            title: Some("Billing API".into()),
            properties: [
                (
                    "lastIncident".to_string(),
                    "2026-11-23T20:16:17".to_string(),
                ),
                ("readme".to_string(), "a\nb".to_string()),
                ("tier".to_string(), "gold".to_string()),
            ]
            .into(),
            relations: [("system".to_string(), "payments".to_string())].into(),
            team: Some(vec!["payments".into(), "billing".into()]),
        };
        let form = EntityForm {
            title: Some("Billing API v2".into()),
            properties: [
                (
                    "lastIncident".to_string(),
                    "2026-11-23T20:16:17".to_string(),
                ),
                ("readme".to_string(), "a\r\nb".to_string()),
                ("tier".to_string(), "silver".to_string()),
            ]
            .into(),
            relations: [("system".to_string(), "payments".to_string())].into(),
            team: Some(vec!["billing".into(), "payments".into()]),
            original: Some(shown),
            ..EntityForm::default()
        }
        .changes_only();
        assert_eq!(form.title.as_deref(), Some("Billing API v2"));
        assert_eq!(form.properties.keys().collect::<Vec<_>>(), ["tier"]);
        assert!(form.relations.is_empty());
        assert_eq!(form.team, None);
    }

    #[test]
    fn unreadable_text_is_named_and_empty_text_clears() {
        let number = schema(json!({"type": "number"}));
        assert!(value_of(&number, "twelve")
            .unwrap_err()
            .contains("not a number"));
        assert_eq!(value_of(&number, "  ").unwrap(), Value::Null);
        let object = schema(json!({"type": "object"}));
        assert!(value_of(&object, "{oops")
            .unwrap_err()
            .contains("not valid JSON"));
    }
}
