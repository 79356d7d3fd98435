//! A dashboard: number and breakdown widgets computed on the server.

use crate::components::error::{ErrorView, Loading};
use crate::components::icon::Icon;
use crate::model::{AppError, DashboardData, WidgetData};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server(endpoint = "get_dashboard", output = crate::model::json_codec::Json)]
pub async fn get_dashboard(page: String) -> Result<DashboardData, AppError> {
    let subject = crate::pages::context::subject().await?;
    crate::services::dashboard::dashboard(&crate::pages::context::store()?, &subject, &page).await
}

fn widget_view(widget: WidgetData) -> AnyView {
    match widget {
        WidgetData::Number {
            title,
            value,
            unit,
            href,
        } => {
            let figure = if value.fract() == 0.0 {
                format!("{value:.0}")
            } else {
                format!("{value:.2}")
            };
            let body = view! {
                <h2 class="widget-title">{title}</h2>
                <p class="widget-number">{figure}<span class="unit">{unit.unwrap_or_default()}</span></p>
            };
            match href {
                Some(href) => view! { <article class="widget widget-number-card"><a class="widget-link" href=href>{body}</a></article> }.into_any(),
                None => view! { <article class="widget widget-number-card">{body}</article> }.into_any(),
            }
        }
        WidgetData::Breakdown { title, slices } => {
            let total: i64 = slices.iter().map(|s| s.count).sum::<i64>().max(1);
            view! {
                <article class="widget widget-wide">
                    <h2 class="widget-title">{title}</h2>
                    <ul class="bars">
                        {slices.into_iter().map(|s| {
                            let percent = s.count as f64 * 100.0 / total as f64;
                            let style = format!("width: {percent:.1}%");
                            let color = s.color.unwrap_or_else(|| "blue".into());
                            view! {
                                <li class="bar-row">
                                    <span class="bar-label">{s.label}</span>
                                    <span class="bar-track"><span class="bar-fill" data-color=color style=style></span></span>
                                    <span class="bar-count">{s.count}<span class="muted">{format!(" · {percent:.0}%")}</span></span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </article>
            }
            .into_any()
        }
        WidgetData::Invalid { title, reason } => view! {
            <article class="widget widget-invalid" role="note">
                <h2 class="widget-title">{title}</h2>
                <p class="muted">"This widget can't be shown: " {reason}</p>
            </article>
        }
        .into_any(),
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("page").unwrap_or_default(),
        get_dashboard,
    );
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(DashboardData { page, widgets }) => {
                        let icon = page.icon.clone().unwrap_or_else(|| page.title.clone());
                        view! {
                            <Title text=page.title.clone()/>
                            <div class="page-header">
                                <Icon name=icon large=true/>
                                <div>
                                    <h1>{page.title.clone()}</h1>
                                    <p class="subtitle">{page.description.clone().unwrap_or_default()}</p>
                                </div>
                            </div>
                            {if widgets.is_empty() {
                                view! { <div class="empty-state"><h3>"This dashboard has no widgets yet"</h3></div> }.into_any()
                            } else {
                                view! { <div class="widget-grid">{widgets.into_iter().map(widget_view).collect_view()}</div> }.into_any()
                            }}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
