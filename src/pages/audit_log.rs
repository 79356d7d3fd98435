//! The audit log: every change and refused attempt, newest first, with the
//! API's filters as a plain GET form (the filters live in the URL), an
//! "Older →" link carrying the cursor, and each row opening to the fields
//! it changed. Who may read what is `services::audit`'s (admins all of it;
//! others one entity's history, as on the entity page).
// Server functions take one argument per form field (the browser posts
// them as a plain form), so this one takes more than clippy's seven.
#![allow(clippy::too_many_arguments)]

use crate::components::badge::Badge;
use crate::components::error::{ErrorView, Loading};
use crate::components::value::local_time;
use crate::model::url::encode_component;
use crate::model::{AppError, AuditLogPage, AuditRow, FieldChange};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The URL parameters of the page, in the order the form shows them; the
/// same names as `GET /v1/audit-log`'s.
const FILTERS: [&str; 8] = [
    "resources",
    "blueprint",
    "entity",
    "user",
    "action",
    "status",
    "from",
    "to",
];

/// The kinds of resource the log records.
const RESOURCE_TYPES: [(&str, &str); 7] = [
    ("entity", "Entity"),
    ("blueprint", "Blueprint"),
    ("permissions", "Blueprint permissions"),
    ("page", "Page"),
    ("page-permissions", "Page permissions"),
    ("team", "Team"),
    ("user", "User"),
];

#[server(endpoint = "get_audit_log", output = crate::model::json_codec::Json)]
pub async fn get_audit_log(
    resources: Option<String>,
    blueprint: Option<String>,
    entity: Option<String>,
    user: Option<String>,
    action: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
) -> Result<AuditLogPage, AppError> {
    let subject = crate::pages::context::subject().await?;
    let given = [
        ("resources", resources),
        ("blueprint", blueprint),
        ("entity", entity),
        ("user", user),
        ("action", action),
        ("status", status),
        ("from", from),
        ("to", to),
        ("before", before),
    ];
    let params: Vec<(String, String)> = given
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v?)))
        .collect();
    let filter = crate::services::audit::filter_of(&params)?;
    crate::services::audit::audit_log_page(&crate::pages::context::store()?, &subject, filter).await
}

/// `/audit-log` with `params` (empty ones left out) and `before`.
fn audit_href(params: &[(&'static str, String)], before: Option<i64>) -> String {
    let mut pairs: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    if let Some(before) = before {
        pairs.push(format!("before={before}"));
    }
    if pairs.is_empty() {
        "/audit-log".into()
    } else {
        format!("/audit-log?{}", pairs.join("&"))
    }
}

fn value_cell(value: Option<String>) -> AnyView {
    match value {
        Some(v) => view! { <span class="diff-value">{v}</span> }.into_any(),
        None => view! { <span class="empty-value">"not set"</span> }.into_any(),
    }
}

fn changes_view(changes: Vec<FieldChange>) -> AnyView {
    if changes.is_empty() {
        return view! { <p class="muted">"No field changed."</p> }.into_any();
    }
    view! {
        <table class="diff-table">
            <thead><tr>
                <th scope="col">"Field"</th><th scope="col">"Before"</th><th scope="col">"After"</th>
            </tr></thead>
            <tbody>
                {changes.into_iter().map(|c| view! {
                    <tr>
                        <th scope="row"><code>{c.field}</code></th>
                        <td class="diff-before">{value_cell(c.before)}</td>
                        <td class="diff-after">{value_cell(c.after)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn resource_label(kind: &str) -> String {
    RESOURCE_TYPES
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, label)| label.to_string())
        .unwrap_or_else(|| kind.to_string())
}

fn action_badge(action: &str) -> AnyView {
    let (label, color) = match action {
        "CREATE" => ("Created", "green"),
        "DELETE" => ("Deleted", "red"),
        "UPDATE" => ("Updated", "blue"),
        other => (other, "lightGray"),
    };
    view! { <Badge label=label color=Some(color.to_string())/> }.into_any()
}

fn audit_row(row: AuditRow) -> AnyView {
    let AuditRow {
        entry,
        href,
        changes,
    } = row;
    let resource = match (&entry.blueprint, &entry.identifier) {
        (Some(bp), Some(id)) if entry.resource_type == "entity" => format!("{bp} / {id}"),
        (_, Some(id)) => id.clone(),
        (Some(bp), None) => bp.clone(),
        (None, None) => "—".into(),
    };
    let resource = match href {
        Some(href) => view! { <a href=href>{resource}</a> }.into_any(),
        None => view! { <span>{resource}</span> }.into_any(),
    };
    let status = if entry.status == "FAILURE" {
        let message = entry.message.clone().unwrap_or_default();
        view! {
            <Badge label="Refused" color=Some("red".to_string())/>
            <span class="audit-message">{message}</span>
        }
        .into_any()
    } else {
        view! { <Badge label="Success" color=Some("green".to_string())/> }.into_any()
    };
    let count = changes.len();
    let summary = match count {
        0 => "Details".to_string(),
        1 => "1 field".to_string(),
        n => format!("{n} fields"),
    };
    view! {
        <tr data-audit-id=entry.id>
            <td>{local_time(entry.at.to_rfc3339())}</td>
            <td>{entry.actor.clone()}</td>
            <td>{action_badge(&entry.action)}</td>
            <td class="wrap">
                <span class="audit-kind">{resource_label(&entry.resource_type)}</span>
                {resource}
            </td>
            <td class="wrap">{status}</td>
            <td class="wrap audit-diff">
                <details>
                    <summary>{summary}</summary>
                    {changes_view(changes)}
                </details>
            </td>
        </tr>
    }
    .into_any()
}

fn select(
    name: &'static str,
    label: &'static str,
    current: String,
    options: Vec<(&'static str, String)>,
) -> AnyView {
    let id = format!("audit-{name}");
    view! {
        <div class="audit-field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="" selected=current.is_empty()>"Any"</option>
                {options.into_iter().map(|(value, text)| {
                    let selected = current.eq_ignore_ascii_case(value);
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}

fn text_field(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    current: String,
    placeholder: &'static str,
) -> AnyView {
    let id = format!("audit-{name}");
    view! {
        <div class="audit-field">
            <label for=id.clone()>{label}</label>
            <input id=id type=kind name=name value=current placeholder=placeholder/>
        </div>
    }
    .into_any()
}

/// The filters as a plain GET form: it works before hydration and without
/// JavaScript, and the filters stay in the URL.
fn filter_form(params: &[(&'static str, String)]) -> AnyView {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let kinds = RESOURCE_TYPES
        .iter()
        .map(|(k, l)| (*k, l.to_string()))
        .collect();
    let actions = vec![
        ("CREATE", "Create".to_string()),
        ("UPDATE", "Update".to_string()),
        ("DELETE", "Delete".to_string()),
    ];
    let statuses = vec![
        ("SUCCESS", "Success".to_string()),
        ("FAILURE", "Refused".to_string()),
    ];
    // A date field takes the date part of whatever the URL says.
    let day = |name: &str| get(name).chars().take(10).collect::<String>();
    view! {
        <form class="panel audit-filters" method="get" action="/audit-log" role="search" aria-label="Filter the audit log">
            {select("resources", "Resource type", get("resources"), kinds)}
            {text_field("blueprint", "Blueprint", "text", get("blueprint"), "e.g. service")}
            {text_field("entity", "Identifier", "text", get("entity"), "e.g. cart-api")}
            {text_field("user", "User", "text", get("user"), "e-mail or client:<id>")}
            {select("action", "Action", get("action"), actions)}
            {select("status", "Status", get("status"), statuses)}
            {text_field("from", "From (UTC)", "date", day("from"), "")}
            {text_field("to", "To (UTC)", "date", day("to"), "")}
            <div class="audit-field audit-buttons">
                <button type="submit" class="button primary">"Filter"</button>
                <a class="button" href="/audit-log">"Clear"</a>
            </div>
        </form>
    }
    .into_any()
}

fn log_view(page: AuditLogPage, params: Vec<(&'static str, String)>, paged: bool) -> AnyView {
    let newest = paged.then(|| {
        let href = audit_href(&params, None);
        view! { <a class="button" href=href>"← Newest"</a> }
    });
    let older = page.older.map(|cursor| {
        let href = audit_href(&params, Some(cursor));
        view! { <a class="button" rel="next" href=href>"Older →"</a> }
    });
    if page.rows.is_empty() {
        return view! {
            <div class="empty-state">
                <h3>"No entries"</h3>
                <p>"Nothing in the audit log matches these filters."</p>
            </div>
            <nav class="pager" aria-label="Audit log pages">{newest}</nav>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="entity-table audit-table">
                <caption class="visually-hidden">"Audit log entries, newest first"</caption>
                <thead><tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"User"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Resource"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Changes"</th>
                </tr></thead>
                <tbody>{page.rows.into_iter().map(audit_row).collect_view()}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Audit log pages">{newest}{older}</nav>
    }
    .into_any()
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let query = query.read();
        let params: Vec<(&'static str, String)> = FILTERS
            .iter()
            .map(|name| (*name, query.get(name).unwrap_or_default()))
            .collect();
        (params, query.get("before"))
    };
    let data = Resource::new(params, |(params, before)| {
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        get_audit_log(
            get("resources"),
            get("blueprint"),
            get("entity"),
            get("user"),
            get("action"),
            get("status"),
            get("from"),
            get("to"),
            before,
        )
    });
    view! {
        <Title text="Audit log"/>
        <div class="page-header">
            <div class="page-header-text">
                <h1>"Audit log"</h1>
                <p class="subtitle">"Every change and refused attempt, newest first. Open a row to see what it changed."</p>
            </div>
        </div>
        <Suspense fallback=|| view! { <Loading label="Loading the audit log…"/> }>
            {move || {
                let (params, before) = params();
                Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! {
                            {filter_form(&params)}
                            {log_view(page, params, before.is_some())}
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters_and_carry_the_cursor() {
        let params = vec![
            ("resources", "entity".to_string()),
            ("blueprint", String::new()),
            ("entity", "cart api".to_string()),
        ];
        assert_eq!(
            audit_href(&params, Some(42)),
            "/audit-log?resources=entity&entity=cart%20api&before=42"
        );
        assert_eq!(audit_href(&[], None), "/audit-log");
    }
}
