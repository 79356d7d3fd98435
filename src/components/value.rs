//! A property value rendered by its schema: enum colours, links, dates,
//! booleans, arrays.

use crate::components::badge::Badge;
use crate::model::{PropertySchema, PropertyType};
use leptos::either::EitherOf7;
use leptos::prelude::*;
use serde_json::Value;

/// Formats an RFC 3339 date-time as `2026-11-23 09:52 UTC`.
pub fn format_datetime(value: &str) -> String {
    crate::model::form::utc_minutes(value, ' ')
        .map(|minutes| format!("{minutes} UTC"))
        .unwrap_or_else(|| value.to_string())
}

/// A moment as `<time>`: its text is UTC as the server writes it, and
/// `public/local-time.js` rewrites it into the viewer's own time zone
/// (keeping the UTC text as its title), before and after hydration.
pub fn local_time(iso: String) -> impl IntoView {
    let text = format_datetime(&iso);
    view! { <time datetime=iso>{text}</time> }
}

use crate::model::plain_text as plain;

/// Only http(s) and mailto links become anchors; anything else is text, so a
/// `javascript:` value can never be clicked.
fn safe_href(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| url.trim().to_string())
}

#[component]
pub fn PropertyValue(schema: Option<PropertySchema>, value: Option<Value>) -> impl IntoView {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return EitherOf7::A(view! { <span class="empty-value">"—"</span> });
    };
    let format = schema.as_ref().and_then(|s| s.format.clone());
    let kind = schema.as_ref().map(|s| s.kind);
    if let (Some(schema), Value::String(s)) = (&schema, &value) {
        if schema.enum_values.is_some() {
            return EitherOf7::B(
                view! { <Badge label=s.clone() color=schema.color_of(s).map(str::to_string)/> },
            );
        }
    }
    match (kind, format.as_deref(), &value) {
        (_, Some("url"), Value::String(s)) => match safe_href(s) {
            Some(href) => EitherOf7::C(
                view! {
                    <a href=href target="_blank" rel="noopener noreferrer">{s.clone()}</a>
                }
                .into_any(),
            ),
            None => EitherOf7::C(view! { <span>{s.clone()}</span> }.into_any()),
        },
        (_, Some("email"), Value::String(s)) => {
            let href = format!("mailto:{s}");
            EitherOf7::D(view! { <a href=href>{s.clone()}</a> })
        }
        (_, Some("date-time"), Value::String(s)) => EitherOf7::E(local_time(s.clone())),
        (Some(PropertyType::Boolean), _, Value::Bool(b)) => {
            let (label, color) = if *b {
                ("Yes", "green")
            } else {
                ("No", "lightGray")
            };
            EitherOf7::B(view! { <Badge label=label color=Some(color.to_string())/> })
        }
        (_, _, Value::Array(items)) => EitherOf7::F(view! {
            <span class="chips">
                {items.iter().map(|item| view! { <span class="chip">{plain(item)}</span> }).collect_view()}
            </span>
        }),
        (_, _, other) => EitherOf7::G(view! { <span>{plain(other)}</span> }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_clickable() {
        assert!(safe_href("https://example.com").is_some());
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("JAVASCRIPT:alert(1)").is_none());
    }

    #[test]
    fn whole_numbers_lose_their_trailing_zero() {
        assert_eq!(plain(&serde_json::json!(2251.0)), "2251");
        assert_eq!(plain(&serde_json::json!(2.5)), "2.5");
        assert_eq!(plain(&serde_json::json!(7)), "7");
    }

    #[test]
    fn dates_are_shown_in_utc() {
        assert_eq!(
            format_datetime("2026-11-23T10:52:00+01:00"),
            "2026-11-23 09:52 UTC"
        );
        assert_eq!(format_datetime("not a date"), "not a date");
    }
}
