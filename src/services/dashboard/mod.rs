//! Dashboards: each widget's figures computed on the server for the
//! viewer from its Port-shaped configuration (the browser only draws
//! them), and the editing of a dashboard's widgets, layout and filters.
//!
//! Every widget reads through the viewer's read permission on its
//! blueprint, its own filter (`dataset`) and the page's filters, so a
//! widget never counts an entity its viewer could not open. Widgets are
//! computed concurrently and each on its own: one that fails or takes too
//! long shows its own reason and the others draw as usual.

mod charts;
mod config;
mod content;
mod line;
mod origins;
mod rows;

pub use origins::{sources_of, CspSources, FrameOrigins};

use crate::authz::{may_create_page, may_edit_dashboard, require};
use crate::model::dashboard::{
    check_dashboard, effective_layout, widget_id, LayoutRow, PageFilter, WidgetKind,
};
use crate::model::error::FieldErrors;
use crate::model::widget::WidgetView;
use crate::model::{AppError, DashboardData, Page, PageType, Subject, ViewerChoices, WidgetData};
use crate::services::access::require_or_record;
use crate::store::Store;
use rows::{Filters, Viewing};
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

/// How long one widget may take before it shows "took too long" instead.
const WIDGET_TIME_LIMIT: Duration = Duration::from_secs(8);

/// The home dashboard's identifier (Port's `$home`).
pub const HOME: &str = crate::model::page::HOME_PAGE;

/// A dashboard `subject` may read, every widget computed for them.
/// `choices` are the viewer's own values of unlocked page filters and
/// their tables' sort, search and page, from the dashboard's URL.
pub async fn dashboard(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    choices: &ViewerChoices,
) -> Result<DashboardData, AppError> {
    let page = super::pages::page_for(store, subject, page_id, PageType::Dashboard).await?;
    let pages = super::pages::readable_pages(store, subject).await?;
    let (filters, views) =
        Filters::for_viewer(store, subject, &page.page_filters, &choices.filters).await?;
    let viewing = Viewing {
        store,
        subject,
        pages: &pages,
        filters: &filters,
        tables: &choices.tables,
    };
    let widgets =
        futures_util::future::join_all(page.widgets.iter().map(|w| widget(&viewing, w))).await;
    Ok(DashboardData {
        layout: effective_layout(&page.widgets, &page.layout),
        may_edit: may_edit_dashboard(subject, &page).allowed,
        filters: views,
        widgets,
        page,
    })
}

/// One widget computed as the editor's preview, before it is saved: the
/// same checks as saving (422 naming the key), then the same figures.
pub async fn preview_widget(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    config: Value,
) -> Result<WidgetView, AppError> {
    let page = super::pages::page_for(store, subject, page_id, PageType::Dashboard).await?;
    require(subject, may_edit_dashboard(subject, &page))?;
    let problems = crate::model::dashboard::check_widget(&config);
    if !problems.is_empty() {
        return Err(FieldErrors::invalid(problems));
    }
    let problems =
        config::check_against_catalog(store, subject, std::slice::from_ref(&config)).await?;
    if !problems.is_empty() {
        return Err(FieldErrors::invalid(problems));
    }
    let pages = super::pages::readable_pages(store, subject).await?;
    let (filters, _) =
        Filters::for_viewer(store, subject, &page.page_filters, &HashMap::new()).await?;
    let viewing = Viewing {
        store,
        subject,
        pages: &pages,
        filters: &filters,
        tables: &HashMap::new(),
    };
    Ok(widget(&viewing, &config).await)
}

/// What an editor saves: the whole dashboard, as the editor shows it.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardChange {
    pub title: Option<String>,
    pub icon: Option<String>,
    pub description: Option<String>,
    pub widgets: Vec<Value>,
    pub layout: Vec<LayoutRow>,
    #[serde(default)]
    pub page_filters: Vec<PageFilter>,
}

/// Replaces a dashboard's widgets, layout and filters (and title, icon and
/// description when given), checked first; answers the saved page.
pub async fn save_dashboard(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    change: DashboardChange,
) -> Result<Page, AppError> {
    let page = super::pages::page_for(store, subject, page_id, PageType::Dashboard).await?;
    require_or_record(
        store,
        subject,
        may_edit_dashboard(subject, &page),
        "page",
        "UPDATE",
        None,
        Some(&page.identifier),
    )
    .await?;
    let mut problems = check_dashboard(&change.widgets, &change.layout);
    if problems.is_empty() {
        problems.extend(config::check_against_catalog(store, subject, &change.widgets).await?);
        problems.extend(config::check_filters(store, subject, &change.page_filters).await?);
    }
    if let Some(title) = &change.title {
        if title.trim().is_empty() {
            problems.push(crate::model::validate::FieldError {
                field: "title".into(),
                message: "give the dashboard a title".into(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(FieldErrors::invalid(problems));
    }
    let before = serde_json::to_value(&page).unwrap_or_default();
    let saved = Page {
        title: change
            .title
            .map(|t| t.trim().to_string())
            .unwrap_or(page.title.clone()),
        icon: change
            .icon
            .or(page.icon.clone())
            .filter(|i| !i.trim().is_empty()),
        description: change
            .description
            .or(page.description.clone())
            .filter(|d| !d.trim().is_empty()),
        widgets: change.widgets,
        layout: change.layout,
        page_filters: change.page_filters,
        ..page
    };
    store
        .replace_page(&saved, before, &subject.audit_name())
        .await?;
    Ok(saved)
}

/// Checks a dashboard's widgets, layout and filters before it is created
/// through the API (the same checks as saving).
pub async fn check_new_dashboard(
    store: &Store,
    subject: &Subject,
    page: &Page,
) -> Result<(), AppError> {
    let mut problems = check_dashboard(&page.widgets, &page.layout);
    if problems.is_empty() {
        problems.extend(config::check_against_catalog(store, subject, &page.widgets).await?);
        problems.extend(config::check_filters(store, subject, &page.page_filters).await?);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(FieldErrors::invalid(problems))
    }
}

/// What the sidebar's "New dashboard" form asks.
pub struct NewDashboard<'a> {
    pub title: &'a str,
    pub icon: &'a str,
    pub description: &'a str,
    /// A folder's title (made if there is none); empty: no folder.
    pub folder: &'a str,
}

/// A new, empty dashboard from the sidebar; answers its URL.
pub async fn create_dashboard(
    store: &Store,
    subject: &Subject,
    new: NewDashboard<'_>,
) -> Result<String, AppError> {
    let NewDashboard {
        title,
        icon,
        description,
        folder,
    } = new;
    let identifier = super::pages::slug(title);
    let page = Page {
        identifier: identifier.clone(),
        title: title.trim().to_string(),
        icon: Some(icon.trim().to_string()).filter(|i| !i.is_empty()),
        kind: PageType::Dashboard,
        blueprint: None,
        description: Some(description.trim().to_string()).filter(|d| !d.is_empty()),
        widgets: vec![],
        layout: vec![],
        page_filters: vec![],
        permissions: Default::default(),
        dataset: None,
        view: None,
        parent: None,
    };
    // The policy first: a member learns they may not, not that the title is empty.
    require(subject, may_create_page(subject, &page, None))?;
    if identifier.is_empty() {
        return Err(FieldErrors::invalid(vec![
            crate::model::validate::FieldError {
                field: "title".into(),
                message: "give the dashboard a title with letters or digits".into(),
            },
        ]));
    }
    // Checked before a new folder is made for it, which would stay empty.
    if store.get_page(&identifier).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "there is already a page `{identifier}`; give the dashboard another title"
        )));
    }
    let parent = match folder.trim() {
        "" => None,
        folder => Some(super::sidebar::folder_titled(store, subject, folder).await?),
    };
    let page = super::pages::create_page(store, subject, Page { parent, ..page }).await?;
    Ok(page.href())
}

/// One widget, computed; never an error (a failure is the widget's own).
async fn widget(viewing: &Viewing<'_>, config: &Value) -> WidgetView {
    let text = |key: &str| {
        config
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
    };
    let type_name = text("type").unwrap_or_default();
    let data = match WidgetKind::of_type(&type_name) {
        None => WidgetData::Unsupported { type_name },
        Some(kind) => {
            let computed = tokio::time::timeout(WIDGET_TIME_LIMIT, figures(viewing, kind, config));
            match computed.await {
                Ok(Ok(data)) => data,
                Ok(Err(error)) => WidgetData::Failed {
                    reason: error.message().to_string(),
                },
                Err(_) => WidgetData::Failed {
                    reason: format!(
                        "it took longer than {} seconds; narrow its filter",
                        WIDGET_TIME_LIMIT.as_secs()
                    ),
                },
            }
        }
    };
    WidgetView {
        id: widget_id(config).unwrap_or_default().to_string(),
        title: text("title").unwrap_or_else(|| "Untitled widget".into()),
        description: text("description"),
        icon: text("icon"),
        config: config.clone(),
        data,
    }
}

async fn figures(
    viewing: &Viewing<'_>,
    kind: WidgetKind,
    config: &Value,
) -> Result<WidgetData, AppError> {
    match kind {
        WidgetKind::Number => charts::number(viewing, config).await,
        WidgetKind::Pie => charts::breakdown(viewing, config, false).await,
        WidgetKind::Bar => charts::breakdown(viewing, config, true).await,
        WidgetKind::Line => line::line(viewing, config).await,
        WidgetKind::Table => content::table(viewing, config).await,
        WidgetKind::Markdown => content::markdown(viewing, config).await,
        WidgetKind::EntityCard => content::entity_card(viewing, config).await,
        WidgetKind::Links => Ok(content::links(config)),
        WidgetKind::Iframe => content::iframe(viewing.subject, config),
    }
}

/// `PUT` (`replace`) or `PATCH` of a dashboard through the API, in Port's
/// page shape (widgets flat or inside one `dashboard-widget`): the keys
/// given replace the saved ones; `PUT` empties those it leaves out.
pub async fn update_from_json(
    store: &Store,
    subject: &Subject,
    page_id: &str,
    mut body: Value,
    replace: bool,
) -> Result<Page, AppError> {
    let page = super::pages::page_for(store, subject, page_id, PageType::Dashboard).await?;
    crate::model::dashboard::unwrap_dashboard_widget(&mut body);
    let Value::Object(mut keys) = body else {
        return Err(AppError::Invalid("the body must be a page object".into()));
    };
    let mut take = |key: &str| keys.remove(key).filter(|v| !v.is_null());
    let text = |value: Option<Value>| value.and_then(|v| v.as_str().map(str::to_string));
    let widgets: Option<Vec<Value>> = typed("widgets", take("widgets"))?;
    let layout: Option<Vec<LayoutRow>> = typed("layout", take("layout"))?;
    let filters: Option<Vec<PageFilter>> = typed("pageFilters", take("pageFilters"))?;
    // PUT clears what it leaves out (an empty icon or description is none).
    let cleared = || replace.then(String::new);
    let change = DashboardChange {
        title: text(take("title")),
        icon: text(take("icon")).or_else(cleared),
        description: text(take("description")).or_else(cleared),
        widgets: widgets.unwrap_or_else(|| {
            if replace {
                vec![]
            } else {
                page.widgets.clone()
            }
        }),
        layout: layout.unwrap_or_else(|| if replace { vec![] } else { page.layout.clone() }),
        page_filters: filters.unwrap_or_else(|| {
            if replace {
                vec![]
            } else {
                page.page_filters.clone()
            }
        }),
    };
    save_dashboard(store, subject, page_id, change).await
}

/// A key of an API body as its type, or 422 naming it.
fn typed<T: serde::de::DeserializeOwned>(
    key: &str,
    value: Option<Value>,
) -> Result<Option<T>, AppError> {
    value
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| AppError::Invalid(format!("{key}: {e}")))
}

/// Creates a page through the API: a dashboard's widgets, layout and
/// filters are checked like the editor's (after the policy's yes).
pub async fn create_page(store: &Store, subject: &Subject, page: Page) -> Result<Page, AppError> {
    if page.kind == PageType::Dashboard {
        require(subject, may_create_page(subject, &page, None))?;
        check_new_dashboard(store, subject, &page).await?;
    }
    super::pages::create_page(store, subject, page).await
}

/// A page as Port's API shows it: a dashboard's widgets inside one
/// `dashboard-widget` with the layout.
pub fn port_shape(page: &Page) -> Value {
    let mut json = serde_json::to_value(page).unwrap_or_default();
    if page.kind == PageType::Dashboard {
        crate::model::dashboard::wrap_dashboard_widget(&mut json, &page.identifier);
    }
    json
}
