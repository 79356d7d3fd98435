//! The checks of a widget's configuration that need the catalog: its
//! blueprint exists, the properties it names are there and of the right
//! type, and its filter fits the blueprint. Each problem names the widget
//! and the key (`widgets[<id>].<key>`), for the API's 422 and the editor.

use super::rows::dataset;
use crate::model::blueprint::PropertyType;
use crate::model::dashboard::property_key;
use crate::model::dashboard::{widget_field, widget_id, PageFilter, WidgetKind};
use crate::model::query::Query;
use crate::model::validate::FieldError;
use crate::model::{AppError, Blueprint, Subject};
use crate::services::access::compile_on;
use crate::store::Store;
use serde_json::Value;

pub(super) async fn check_against_catalog(
    store: &Store,
    subject: &Subject,
    widgets: &[Value],
) -> Result<Vec<FieldError>, AppError> {
    let mut problems = Vec::new();
    for widget in widgets {
        let (Some(id), Some(kind)) = (
            widget_id(widget),
            widget
                .get("type")
                .and_then(Value::as_str)
                .and_then(WidgetKind::of_type),
        ) else {
            continue;
        };
        let Some(blueprint_id) = widget.get("blueprint").and_then(Value::as_str) else {
            continue;
        };
        let mut problem = |key: &str, message: String| {
            problems.push(FieldError {
                field: widget_field(id, key),
                message,
            })
        };
        let Some(blueprint) = store.get_blueprint(blueprint_id).await? else {
            problem(
                "blueprint",
                format!("there is no blueprint `{blueprint_id}`"),
            );
            continue;
        };
        for (key, wanted) in property_keys(kind, widget) {
            let Some(name) = widget
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            else {
                continue;
            };
            if let Err(message) = check_property(&blueprint, property_key(name), wanted) {
                problem(key, message);
            }
        }
        match dataset(widget) {
            Err(e) => problem("dataset", e.message().to_string()),
            Ok(Some(query)) => {
                if let Err(e) = query.check_limits() {
                    problem("dataset", e.to_string());
                } else if let Err(e) = compile_on(store, subject, &blueprint, &query) {
                    problem(
                        "dataset",
                        format!("does not fit blueprint `{blueprint_id}`: {e}"),
                    );
                }
            }
            Ok(None) => {}
        }
    }
    Ok(problems)
}

/// What a property key must name.
#[derive(Clone, Copy, PartialEq)]
enum Wanted {
    Any,
    Number,
    Time,
}

fn property_keys(kind: WidgetKind, widget: &Value) -> Vec<(&'static str, Wanted)> {
    let aggregate = |key: &str, value: &str| widget.get(key).and_then(Value::as_str) == Some(value);
    match kind {
        WidgetKind::Pie | WidgetKind::Bar => vec![("property", Wanted::Any)],
        WidgetKind::Number => {
            let mut keys = vec![("measureTimeBy", Wanted::Time)];
            if aggregate("chartType", "aggregateByProperty") {
                keys.push(("property", Wanted::Number));
            }
            keys
        }
        WidgetKind::Line => {
            let mut keys = vec![
                ("measureTimeBy", Wanted::Time),
                ("breakdownProperty", Wanted::Any),
            ];
            if aggregate("lineChartType", "aggregatePropertiesValues") {
                keys.push(("property", Wanted::Number));
            }
            keys
        }
        WidgetKind::Markdown => vec![("property", Wanted::Any)],
        _ => vec![],
    }
}

fn check_property(blueprint: &Blueprint, key: &str, wanted: Wanted) -> Result<(), String> {
    if wanted == Wanted::Time && matches!(key, "$createdAt" | "$updatedAt") {
        return Ok(());
    }
    let Some(schema) = blueprint.schema.properties.get(key) else {
        return Err(format!(
            "blueprint `{}` has no property `{key}`",
            blueprint.identifier
        ));
    };
    match wanted {
        Wanted::Number if schema.kind != PropertyType::Number => {
            Err(format!("`{key}` is not a number property"))
        }
        Wanted::Time if schema.format.as_deref() != Some("date-time") => Err(format!(
            "`{key}` is not a date-time property; use $createdAt, $updatedAt or a date-time property"
        )),
        _ => Ok(()),
    }
}

/// Page filters: valid queries; one limited to a blueprint fits it, one for
/// every widget uses meta properties only (every blueprint has those).
pub(super) async fn check_filters(
    store: &Store,
    subject: &Subject,
    filters: &[PageFilter],
) -> Result<Vec<FieldError>, AppError> {
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, filter) in filters.iter().enumerate() {
        let field = format!("pageFilters[{i}]");
        let mut problem = |message: String| {
            problems.push(FieldError {
                field: field.clone(),
                message,
            })
        };
        if filter.identifier.trim().is_empty() || !seen.insert(filter.identifier.as_str()) {
            problem("each filter needs its own `identifier`".into());
            continue;
        }
        let query = match Query::from_json(&filter.rules()) {
            Ok(query) => query,
            Err(e) => {
                problem(format!("the query: {e}"));
                continue;
            }
        };
        match filter.blueprint() {
            Some(id) => match store.get_blueprint(id).await? {
                None => problem(format!("there is no blueprint `{id}`")),
                Some(blueprint) => {
                    if let Err(e) = compile_on(store, subject, &blueprint, &query) {
                        problem(format!("does not fit blueprint `{id}`: {e}"));
                    }
                }
            },
            None => {
                if let Some(key) = super::rows::non_meta_property(&filter.rules()) {
                    problem(format!(
                        "a filter of every widget may use meta properties only ($team, $title, $identifier…), not `{key}`; limit it to one blueprint instead"
                    ));
                }
            }
        }
    }
    Ok(problems)
}
