//! Number charts (a count or a number property's aggregate, with units,
//! decimals and conditions) and breakdowns (pie and bar charts).

use super::rows::Viewing;
use crate::model::blueprint::PropertyType;
use crate::model::dashboard::config_text as text;
use crate::model::dashboard::property_key;
use crate::model::widget::Slice;
use crate::model::{AppError, WidgetData};
use crate::query::aggregate::{TimeKey, WidgetRows};
use chrono::Utc;
use serde_json::{json, Value};

/// Slices a pie shows before folding the rest into "Other" (Port: 14), and
/// bars a bar chart shows (Port: 9).
const MAX_SLICES: usize = 14;
const MAX_BARS: usize = 9;

pub(super) async fn number(viewing: &Viewing<'_>, config: &Value) -> Result<WidgetData, AppError> {
    let rows = viewing.rows(config, true).await?;
    let widget_rows = WidgetRows {
        blueprint: &rows.blueprint.identifier,
        condition: rows.condition.as_ref(),
    };
    let func = text(config, "func").unwrap_or("count");
    let per = text(config, "averageOf").unwrap_or("total");
    let time = TimeKey::parse(text(config, "measureTimeBy").unwrap_or("$createdAt"));
    let value = match text(config, "chartType").unwrap_or("countEntities") {
        "aggregateByProperty" => {
            let key = property_key(text(config, "property").unwrap_or_default());
            let stats = viewing.store.number_stats(&widget_rows, key).await?;
            match func {
                "count" => Some(stats.count as f64),
                "sum" => Some(stats.sum.unwrap_or(0.0)),
                "min" => stats.min,
                "max" => stats.max,
                "median" => viewing.store.median(&widget_rows, key, stats.count).await?,
                // An average per hour/day/… is the sum spread over the periods.
                _ if per != "total" => periods(viewing, &widget_rows, &time, per)
                    .await?
                    .map(|periods| stats.sum.unwrap_or(0.0) / periods),
                _ => stats.average,
            }
        }
        _ => {
            let count = viewing
                .store
                .count_entities_where(widget_rows.blueprint, widget_rows.condition)
                .await? as f64;
            if func == "average" && per != "total" {
                periods(viewing, &widget_rows, &time, per)
                    .await?
                    .map(|periods| count / periods)
            } else {
                Some(count)
            }
        }
    };
    let unit_kind = text(config, "unit").unwrap_or("none");
    let unit = match unit_kind {
        "none" => None,
        "custom" => text(config, "unitCustom").map(str::to_string),
        other => Some(other.to_string()),
    };
    let (color, message) = value
        .and_then(|v| closest_condition(v, config.get("conditions")))
        .map(|c| {
            (
                c.get("color").and_then(Value::as_str).map(str::to_string),
                c.get("message").and_then(Value::as_str).map(str::to_string),
            )
        })
        .unwrap_or_default();
    Ok(WidgetData::Number {
        text: value
            .map(|v| format_number(v, text(config, "formatting").unwrap_or("none")))
            .unwrap_or_else(|| "–".into()),
        value,
        unit_alignment: text(config, "unitAlignment")
            // Currencies go before the figure, other units after it.
            .unwrap_or(if matches!(unit_kind, "$" | "£" | "€") {
                "left"
            } else {
                "right"
            })
            .to_string(),
        unit,
        color,
        message,
        href: viewing.table_href(&rows, None),
        empty_text: text(config, "emptyStateText").map(str::to_string),
    })
}

/// How many hours, days, weeks or months lie between the earliest matching
/// entity's time and now (at least one); `None` when nothing matched.
async fn periods(
    viewing: &Viewing<'_>,
    rows: &WidgetRows<'_>,
    time: &TimeKey,
    per: &str,
) -> Result<Option<f64>, AppError> {
    let earliest = viewing.store.earliest_time(rows, time).await?;
    let Some(earliest) = earliest.as_deref().and_then(super::line::parse_time) else {
        return Ok(None);
    };
    let seconds = (Utc::now() - earliest).num_seconds().max(0) as f64;
    let period = match per {
        "hour" => 3600.0,
        "day" => 86_400.0,
        "week" => 7.0 * 86_400.0,
        _ => 30.44 * 86_400.0,
    };
    Ok(Some((seconds / period).max(1.0)))
}

/// The condition the figure meets whose value is closest to it.
fn closest_condition(value: f64, conditions: Option<&Value>) -> Option<&Value> {
    conditions?
        .as_array()?
        .iter()
        .filter(|c| {
            let Some(limit) = c.get("value").and_then(Value::as_f64) else {
                return false;
            };
            match c.get("operator").and_then(Value::as_str).unwrap_or("") {
                "=" => value == limit,
                "!=" => value != limit,
                ">" => value > limit,
                ">=" => value >= limit,
                "<" => value < limit,
                "<=" => value <= limit,
                _ => false,
            }
        })
        .min_by(|a, b| {
            let distance = |c: &Value| (c["value"].as_f64().unwrap_or(f64::MAX) - value).abs();
            distance(a).total_cmp(&distance(b))
        })
}

/// A figure with thousands separators: `none` keeps up to two decimals,
/// `round` none, `1`–`5` exactly that many.
pub(super) fn format_number(value: f64, formatting: &str) -> String {
    let decimals = match formatting {
        "round" => 0,
        n @ ("1" | "2" | "3" | "4" | "5") => n.parse().unwrap_or(2),
        _ => {
            if value.fract() == 0.0 {
                0
            } else {
                2
            }
        }
    };
    let fixed = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let fraction = if formatting == "none" {
        fraction.trim_end_matches('0')
    } else {
        fraction
    };
    let sign = if value < 0.0 && fixed.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

pub(super) async fn breakdown(
    viewing: &Viewing<'_>,
    config: &Value,
    bar: bool,
) -> Result<WidgetData, AppError> {
    let rows = viewing.rows(config, true).await?;
    let key = property_key(text(config, "property").unwrap_or_default()).to_string();
    let schema = rows
        .blueprint
        .schema
        .properties
        .get(&key)
        .cloned()
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "blueprint `{}` has no property `{key}`; edit the widget",
                rows.blueprint.identifier
            ))
        })?;
    let counts = viewing
        .store
        .count_by_property(&rows.blueprint.identifier, &key, rows.condition.as_ref())
        .await?;
    let shown = if bar { MAX_BARS } else { MAX_SLICES };
    let total: i64 = counts.iter().map(|(_, c)| c).sum();
    let mut slices: Vec<Slice> = counts
        .iter()
        .take(shown)
        .map(|(value, count)| Slice {
            color: value
                .as_deref()
                .and_then(|v| schema.color_of(v))
                .map(str::to_string),
            label: value.clone().unwrap_or_else(|| "No value".into()),
            count: *count,
            href: slice_rule(&key, schema.kind, value.as_deref())
                .and_then(|rule| viewing.table_href(&rows, Some(rule))),
        })
        .collect();
    let rest: i64 = counts.iter().skip(shown).map(|(_, c)| c).sum();
    if rest > 0 {
        slices.push(Slice {
            label: "Other".into(),
            count: rest,
            color: Some("lightGray".into()),
            href: None,
        });
    }
    Ok(WidgetData::Breakdown {
        bar,
        total,
        slices,
        empty_text: text(config, "emptyStateText").map(str::to_string),
    })
}

/// The rule matching one slice's entities, in the value's own type (the
/// counts come back as text); none for arrays and objects, whose text form
/// no rule matches.
fn slice_rule(key: &str, kind: PropertyType, value: Option<&str>) -> Option<Value> {
    let Some(value) = value else {
        return Some(json!({"property": key, "operator": "isEmpty"}));
    };
    let value = match kind {
        PropertyType::String => json!(value),
        PropertyType::Number => json!(value.parse::<f64>().ok()?),
        PropertyType::Boolean => json!(value.parse::<bool>().ok()?),
        PropertyType::Array | PropertyType::Object => return None,
    };
    Some(json!({"property": key, "operator": "=", "value": value}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_get_separators_and_the_decimals_asked_for() {
        assert_eq!(format_number(1234567.0, "none"), "1,234,567");
        assert_eq!(format_number(1234.5, "none"), "1,234.5");
        assert_eq!(format_number(2.0 / 3.0, "none"), "0.67");
        assert_eq!(format_number(2.0 / 3.0, "round"), "1");
        assert_eq!(format_number(2.0 / 3.0, "3"), "0.667");
        assert_eq!(format_number(-1234.26, "1"), "-1,234.3");
        assert_eq!(format_number(-0.001, "2"), "0.00");
    }

    #[test]
    fn the_closest_matching_condition_colours_the_figure() {
        let conditions = json!([
            {"operator": ">", "value": 10, "color": "orange"},
            {"operator": ">", "value": 50, "color": "red"},
            {"operator": "<=", "value": 10, "color": "green"}
        ]);
        let color = |v: f64| closest_condition(v, Some(&conditions)).map(|c| c["color"].clone());
        assert_eq!(color(60.0), Some(json!("red")));
        assert_eq!(color(20.0), Some(json!("orange")));
        assert_eq!(color(3.0), Some(json!("green")));
    }
}
