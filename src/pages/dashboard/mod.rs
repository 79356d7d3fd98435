//! Dashboards (`/dashboard/<id>`) and the home dashboard (`/`): widgets in
//! a 12-column grid of rows, each computed on the server for the viewer;
//! editors switch to the editor (`editor.rs`) in place.

mod editor;
mod widgets;

use crate::components::error::{ErrorView, Loading};
use crate::components::icon::Icon;
use crate::model::widget::WidgetView;
use crate::model::{AppError, DashboardData, ViewerChoices};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::HashMap;
use widgets::{filter_bar, widget_card, Here};

/// A dashboard with its widgets computed for the viewer. `choices` is the
/// JSON of the viewer's `ViewerChoices` (page filters, tables' states).
#[server(endpoint = "get_dashboard", output = crate::model::json_codec::Json)]
pub async fn get_dashboard(page: String, choices: String) -> Result<DashboardData, AppError> {
    let subject = crate::pages::context::subject().await?;
    let choices: ViewerChoices = if choices.trim().is_empty() {
        ViewerChoices::default()
    } else {
        serde_json::from_str(&choices).map_err(|e| AppError::BadRequest(format!("choices: {e}")))?
    };
    crate::services::dashboard::dashboard(
        &crate::pages::context::store()?,
        &subject,
        &page,
        &choices,
    )
    .await
}

/// One widget computed from an unsaved configuration (the editor's preview).
#[server(endpoint = "preview_widget", output = crate::model::json_codec::Json)]
pub async fn preview_widget(page: String, config: String) -> Result<WidgetView, AppError> {
    let subject = crate::pages::context::subject().await?;
    let config: serde_json::Value = serde_json::from_str(&config)
        .map_err(|e| AppError::Invalid(format!("the widget is not JSON: {e}")))?;
    crate::services::dashboard::preview_widget(
        &crate::pages::context::store()?,
        &subject,
        &page,
        config,
    )
    .await
}

/// Saves the editor's dashboard: `change` is the JSON of
/// `services::dashboard::DashboardChange`.
#[server(endpoint = "save_dashboard", output = crate::model::json_codec::Json)]
pub async fn save_dashboard(page: String, change: String) -> Result<(), AppError> {
    let subject = crate::pages::context::subject().await?;
    let change: crate::services::dashboard::DashboardChange = serde_json::from_str(&change)
        .map_err(|e| AppError::Invalid(format!("the dashboard: {e}")))?;
    crate::services::dashboard::save_dashboard(
        &crate::pages::context::store()?,
        &subject,
        &page,
        change,
    )
    .await
    .map(|_| ())
}

/// A new, empty dashboard (from the sidebar); answers its URL.
#[server(endpoint = "create_dashboard", output = crate::model::json_codec::Json)]
pub async fn create_dashboard(
    title: String,
    icon: String,
    description: String,
    #[server(default)] folder: String,
) -> Result<String, AppError> {
    let subject = crate::pages::context::subject().await?;
    let href = crate::services::dashboard::create_dashboard(
        &crate::pages::context::store()?,
        &subject,
        crate::services::dashboard::NewDashboard {
            title: &title,
            icon: &icon,
            description: &description,
            folder: &folder,
        },
    )
    .await?;
    crate::pages::context::redirect_plain_form_to(&href);
    Ok(href)
}

/// The URL's parameters, in order.
fn query_pairs() -> Memo<Vec<(String, String)>> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .read()
            .clone()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    })
}

/// The viewer's choices in the URL, as `get_dashboard` takes them.
fn choices_of(pairs: &[(String, String)]) -> String {
    let choices = ViewerChoices::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if choices.is_empty() {
        String::new()
    } else {
        serde_json::to_string(&choices).unwrap_or_default()
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let page = Memo::new(move |_| params.read().get("page").unwrap_or_default());
    view! { <Dashboard page=page/> }
}

/// `/`: the home dashboard, edited like any other.
#[component]
pub fn HomePage() -> impl IntoView {
    let page = Memo::new(|_| crate::model::page::HOME_PAGE.to_string());
    view! { <Dashboard page=page/> }
}

#[component]
fn Dashboard(page: Memo<String>) -> impl IntoView {
    let pairs = query_pairs();
    // Bumped after a save, so the dashboard reloads as saved.
    let saved = RwSignal::new(0u32);
    let data = Resource::new(
        move || (page.get(), choices_of(&pairs.get()), saved.get()),
        |(page, choices, _)| get_dashboard(page, choices),
    );
    let editing = RwSignal::new(false);
    view! {
        <Transition fallback=|| view! { <Loading label="Loading the dashboard…"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) if editing.get() => {
                        view! { <editor::Editor data editing saved/> }.into_any()
                    }
                    Ok(data) => read_only(data, editing, pairs.get_untracked()).into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn read_only(
    data: DashboardData,
    editing: RwSignal<bool>,
    query: Vec<(String, String)>,
) -> impl IntoView {
    let DashboardData {
        page,
        layout,
        widgets,
        filters,
        may_edit,
    } = data;
    let icon = page.icon.clone().unwrap_or_else(|| page.title.clone());
    let mut by_id: HashMap<String, WidgetView> =
        widgets.into_iter().map(|w| (w.id.clone(), w)).collect();
    let empty = by_id.is_empty();
    let href = page.href();
    let here = Here {
        path: href.clone(),
        query,
    };
    view! {
        <Title text=page.title.clone()/>
        <div class="page-header">
            <Icon name=icon large=true/>
            <div class="page-header-text">
                <h1>{page.title.clone()}</h1>
                <p class="subtitle">{page.description.clone().unwrap_or_default()}</p>
            </div>
            {may_edit.then(|| view! {
                <div class="page-actions">
                    <button type="button" class="button" on:click=move |_| editing.set(true)>"Edit dashboard"</button>
                </div>
            })}
        </div>
        {filter_bar(filters, href)}
        {if empty {
            view! {
                <div class="empty-state">
                    <h3>"This dashboard has no widgets yet"</h3>
                    {may_edit.then_some(view! { <p>"Edit it to add number, pie, bar and line charts, tables, markdown, links and framed pages."</p> })}
                </div>
            }.into_any()
        } else {
            view! {
                <div class="dashboard-grid">
                    {layout.into_iter().map(|row| view! {
                        <div class="dashboard-row" style=format!("--row-height: {}px", row.height)>
                            {row.columns.into_iter().filter_map(|cell| {
                                let widget = by_id.remove(&cell.id)?;
                                Some(view! {
                                    <div class="dashboard-cell" style=format!("--span: {}", cell.size)>
                                        {widget_card(widget, None, &here)}
                                    </div>
                                })
                            }).collect_view()}
                        </div>
                    }).collect_view()}
                </div>
            }.into_any()
        }}
    }
}
