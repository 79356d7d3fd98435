//! Line charts: per hour, day, week, month or quarter over at most a year,
//! how many entities fall in each interval (by their creation, last update
//! or a date-time property), or a number property's aggregate over them,
//! in up to 10 lines broken down by a property.
//!
//! What history this can draw: each entity counts once, at its time on the
//! chosen axis. An entity's earlier values are not replayed (the figure is
//! over the entities as they are now), so "services created per week" and
//! "average cost of the deployments of each day" draw, "how many services
//! existed each day" only as far as none was deleted.

use super::rows::Viewing;
use crate::model::dashboard::config_text as text;
use crate::model::dashboard::property_key;
use crate::model::widget::Series;
use crate::model::{AppError, WidgetData};
use crate::query::aggregate::{TimeKey, TimePoints, WidgetRows};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use serde_json::Value;
use std::collections::HashMap;

/// Most entities one chart reads (the newest first would need an index per
/// axis; past this the chart says it is partial).
const MAX_POINTS: i64 = 200_000;
/// Most lines drawn; the rest of a breakdown is left out (Port: 10).
const MAX_LINES: usize = 10;
/// Most intervals on the axis (an hourly chart over a year is 8,760).
const MAX_INTERVALS: usize = 800;

pub(super) async fn line(viewing: &Viewing<'_>, config: &Value) -> Result<WidgetData, AppError> {
    let rows = viewing.rows(config, true).await?;
    let interval = text(config, "timeInterval").unwrap_or("day");
    let days = config
        .get("timeRange")
        .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
        .unwrap_or(30)
        .clamp(1, 365);
    let now = Utc::now();
    let starts = interval_starts(interval, now - Duration::days(days), now);
    if starts.len() > MAX_INTERVALS {
        return Err(AppError::Invalid(format!(
            "{} {interval}s are too many to draw; choose a longer interval or fewer days",
            starts.len()
        )));
    }
    let aggregate = text(config, "lineChartType") == Some("aggregatePropertiesValues");
    let value_key = aggregate.then(|| property_key(text(config, "property").unwrap_or_default()));
    let group_key = text(config, "breakdownProperty").map(property_key);
    let time = TimeKey::parse(text(config, "measureTimeBy").unwrap_or("$createdAt"));
    let points = viewing
        .store
        .time_points(
            &WidgetRows {
                blueprint: &rows.blueprint.identifier,
                condition: rows.condition.as_ref(),
            },
            &TimePoints {
                time: &time,
                value: value_key,
                group: group_key,
                since: starts.first().copied(),
                limit: MAX_POINTS,
            },
        )
        .await?;
    let func = if aggregate {
        text(config, "func").unwrap_or("average")
    } else {
        "count"
    };
    // Per line, per interval: the values that fell there, with their times.
    let mut buckets: HashMap<String, Vec<Interval>> = HashMap::new();
    let mut sizes: HashMap<String, usize> = HashMap::new();
    for (at, value, group) in points {
        let Some(at) = at.as_deref().and_then(parse_time) else {
            continue;
        };
        let Some(index) = bucket_of(&starts, at, now) else {
            continue;
        };
        let value = match (aggregate, value) {
            (true, Some(v)) => v,
            (true, None) => continue,
            (false, _) => 1.0,
        };
        let line = match group_key {
            Some(_) => group.unwrap_or_else(|| "No value".into()),
            None => measure(func, value_key),
        };
        *sizes.entry(line.clone()).or_default() += 1;
        buckets
            .entry(line)
            .or_insert_with(|| vec![Vec::new(); starts.len()])[index]
            .push((at, value));
    }
    let mut lines: Vec<(String, usize)> = sizes.into_iter().collect();
    lines.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let series = lines
        .into_iter()
        .take(MAX_LINES)
        .map(|(label, _)| {
            let points = buckets[&label]
                .iter()
                .map(|values| combine(func, values))
                .collect();
            Series { label, points }
        })
        .collect::<Vec<_>>();
    let series = if series.is_empty() {
        vec![Series {
            label: measure(func, value_key),
            points: vec![if aggregate { None } else { Some(0.0) }; starts.len()],
        }]
    } else {
        series
    };
    Ok(WidgetData::Line {
        labels: starts.iter().map(|s| label(interval, *s)).collect(),
        series,
        measure: measure(func, value_key),
    })
}

/// The values that fell in one interval, with their times.
type Interval = Vec<(DateTime<Utc>, f64)>;

fn measure(func: &str, key: Option<&str>) -> String {
    match (func, key) {
        ("count", _) | (_, None) => "Entities".into(),
        (func, Some(key)) => {
            let mut name = func.to_string();
            if let Some(first) = name.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            format!("{name} of {key}")
        }
    }
}

/// One interval's figure: how many, or the aggregate of their values.
fn combine(func: &str, values: &[(DateTime<Utc>, f64)]) -> Option<f64> {
    if func == "count" {
        return Some(values.len() as f64);
    }
    if values.is_empty() {
        return None;
    }
    let numbers = values.iter().map(|(_, v)| *v);
    Some(match func {
        "sum" => numbers.sum(),
        "min" => numbers.fold(f64::INFINITY, f64::min),
        "max" => numbers.fold(f64::NEG_INFINITY, f64::max),
        "last" => values.iter().max_by_key(|(t, _)| *t).map(|(_, v)| *v)?,
        "median" => {
            let mut sorted: Vec<f64> = numbers.collect();
            sorted.sort_by(f64::total_cmp);
            let mid = sorted.len() / 2;
            if sorted.len() % 2 == 1 {
                sorted[mid]
            } else {
                (sorted[mid - 1] + sorted[mid]) / 2.0
            }
        }
        _ => numbers.sum::<f64>() / values.len() as f64,
    })
}

/// The start of each interval from the one holding `from` to the one
/// holding `to`.
pub(super) fn interval_starts(
    interval: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let mut starts = Vec::new();
    let mut at = truncate(interval, from);
    while at <= to && starts.len() <= MAX_INTERVALS {
        starts.push(at);
        at = next(interval, at);
    }
    starts
}

fn truncate(interval: &str, at: DateTime<Utc>) -> DateTime<Utc> {
    let day = at.date_naive();
    let midnight =
        |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
    match interval {
        "hour" => at
            .with_minute(0)
            .and_then(|t| t.with_second(0))
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(at),
        "week" => midnight(day - Duration::days(day.weekday().num_days_from_monday() as i64)),
        "month" => midnight(day.with_day(1).unwrap_or(day)),
        "quarter" => midnight(
            NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1).unwrap_or(day),
        ),
        _ => midnight(day),
    }
}

fn next(interval: &str, at: DateTime<Utc>) -> DateTime<Utc> {
    let months = |n: u32| {
        at.date_naive()
            .checked_add_months(chrono::Months::new(n))
            .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default()))
            .unwrap_or(at + Duration::days(31))
    };
    match interval {
        "hour" => at + Duration::hours(1),
        "week" => at + Duration::weeks(1),
        "month" => months(1),
        "quarter" => months(3),
        _ => at + Duration::days(1),
    }
}

/// The interval holding `at`, if it lies on the chart.
fn bucket_of(starts: &[DateTime<Utc>], at: DateTime<Utc>, now: DateTime<Utc>) -> Option<usize> {
    if starts.first().is_none_or(|first| at < *first) || at > now {
        return None;
    }
    Some(starts.partition_point(|s| *s <= at) - 1)
}

fn label(interval: &str, start: DateTime<Utc>) -> String {
    match interval {
        "hour" => start.format("%b %-d %H:00").to_string(),
        "month" => start.format("%b %Y").to_string(),
        "quarter" => format!("Q{} {}", start.month0() / 3 + 1, start.year()),
        "week" => format!("Week of {}", start.format("%b %-d")),
        _ => start.format("%b %-d").to_string(),
    }
}

/// A time as either database stores it, or a date-time property's value
/// (RFC 3339, or a bare date).
pub(super) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%#z"] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Utc.from_utc_datetime(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        parse_time(text).unwrap()
    }

    #[test]
    fn intervals_start_on_calendar_boundaries() {
        let starts = interval_starts(
            "week",
            at("2026-12-02T10:00:00Z"),
            at("2026-12-16T09:00:00Z"),
        );
        assert_eq!(
            starts,
            vec![at("2026-11-30"), at("2026-12-07"), at("2026-12-14")]
        );
        let quarters = interval_starts("quarter", at("2026-02-10"), at("2026-12-07"));
        assert_eq!(
            quarters
                .iter()
                .map(|s| label("quarter", *s))
                .collect::<Vec<_>>(),
            ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
        );
        let months = interval_starts("month", at("2026-01-31"), at("2026-03-01"));
        assert_eq!(
            months,
            vec![at("2026-01-01"), at("2026-02-01"), at("2026-03-01")]
        );
    }

    #[test]
    fn points_fall_in_their_interval() {
        let starts = interval_starts("day", at("2026-12-01"), at("2026-12-03T12:00:00Z"));
        let now = at("2026-12-03T12:00:00Z");
        assert_eq!(bucket_of(&starts, at("2026-12-02T23:59:59Z"), now), Some(1));
        assert_eq!(bucket_of(&starts, at("2026-11-30T23:59:59Z"), now), None);
        assert_eq!(bucket_of(&starts, at("2026-12-03T13:00:00Z"), now), None);
    }

    #[test]
    fn both_databases_times_parse() {
        assert_eq!(
            at("2026-12-07 06:40:00.123456+00:00"),
            at("2026-12-07T06:40:00.123456Z")
        );
        assert_eq!(at("2026-12-07T06:40:00Z"), at("2026-12-07T06:40:00+00:00"));
    }

    #[test]
    fn intervals_combine_their_values() {
        let v = |pairs: &[(&str, f64)]| pairs.iter().map(|(t, v)| (at(t), *v)).collect::<Vec<_>>();
        let values = v(&[
            ("2026-12-01T01:00:00Z", 4.0),
            ("2026-12-01T03:00:00Z", 1.0),
            ("2026-12-01T02:00:00Z", 10.0),
        ]);
        assert_eq!(combine("average", &values), Some(5.0));
        assert_eq!(combine("median", &values), Some(4.0));
        assert_eq!(combine("last", &values), Some(1.0));
        assert_eq!(combine("max", &values), Some(10.0));
        assert_eq!(combine("count", &[]), Some(0.0));
        assert_eq!(combine("sum", &[]), None);
    }
}
