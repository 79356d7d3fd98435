//! Dashboards: each widget's figures are computed on the server from its
//! Port-shaped configuration, so the browser only draws them.

use crate::model::{AppError, DashboardData, PageType, Slice, Subject, WidgetData};
use crate::services::access;
use crate::store::Store;
use serde_json::Value;

/// Slices a breakdown shows before folding the rest into "Other" (Port: 14).
const MAX_SLICES: usize = 14;

/// A dashboard `subject` may read, each figure counting only the entities
/// they may read.
pub async fn dashboard(
    store: &Store,
    subject: &Subject,
    page_id: &str,
) -> Result<DashboardData, AppError> {
    let page = super::pages::page_for(store, subject, page_id, PageType::Dashboard).await?;
    let pages = super::pages::readable_pages(store, subject).await?;
    let mut widgets = Vec::with_capacity(page.widgets.len());
    for config in &page.widgets {
        widgets.push(widget(store, subject, config, &pages).await?);
    }
    Ok(DashboardData { page, widgets })
}

async fn widget(
    store: &Store,
    subject: &Subject,
    config: &Value,
    pages: &[crate::model::Page],
) -> Result<WidgetData, AppError> {
    let text = |key: &str| config.get(key).and_then(Value::as_str).map(str::to_string);
    let title = text("title").unwrap_or_else(|| "Untitled widget".into());
    let Some(blueprint_id) = text("blueprint") else {
        return Ok(WidgetData::Invalid {
            title,
            reason: "the widget names no blueprint".into(),
        });
    };
    let Some(blueprint) = store.get_blueprint(&blueprint_id).await? else {
        return Ok(WidgetData::Invalid {
            title,
            reason: format!("blueprint `{blueprint_id}` no longer exists"),
        });
    };
    let restriction = match access::read_restriction(store, subject, &blueprint).await {
        Ok(restriction) => restriction,
        Err(AppError::Forbidden(reason)) => return Ok(WidgetData::Invalid { title, reason }),
        Err(e) => return Err(e),
    };
    match text("type").as_deref() {
        Some("entities-number-chart") => Ok(WidgetData::Number {
            title,
            value: store
                .count_entities_where(&blueprint_id, restriction.as_ref())
                .await? as f64,
            unit: text("unitCustom")
                .or_else(|| text("unit"))
                .filter(|u| u != "none"),
            href: super::pages::catalog_page_in(pages, &blueprint_id),
        }),
        Some("entities-pie-chart") => {
            let Some(property) = text("property") else {
                return Ok(WidgetData::Invalid {
                    title,
                    reason: "the chart names no property".into(),
                });
            };
            // Port writes `property#<key>`; accept the bare key too.
            let key = property.strip_prefix("property#").unwrap_or(&property);
            let Some(schema) = blueprint.schema.properties.get(key) else {
                return Ok(WidgetData::Invalid {
                    title,
                    reason: format!("blueprint `{blueprint_id}` has no property `{key}`"),
                });
            };
            let counts = store
                .count_by_property(&blueprint_id, key, restriction.as_ref())
                .await?;
            let mut slices: Vec<Slice> = counts
                .iter()
                .take(MAX_SLICES)
                .map(|(value, count)| Slice {
                    color: value
                        .as_deref()
                        .and_then(|v| schema.color_of(v))
                        .map(str::to_string),
                    label: value.clone().unwrap_or_else(|| "No value".into()),
                    count: *count,
                })
                .collect();
            let rest: i64 = counts.iter().skip(MAX_SLICES).map(|(_, c)| c).sum();
            if rest > 0 {
                slices.push(Slice {
                    label: "Other".into(),
                    count: rest,
                    color: Some("lightGray".into()),
                });
            }
            Ok(WidgetData::Breakdown { title, slices })
        }
        other => Ok(WidgetData::Invalid {
            title,
            reason: format!(
                "widget type `{}` is not supported yet",
                other.unwrap_or("(none)")
            ),
        }),
    }
}
