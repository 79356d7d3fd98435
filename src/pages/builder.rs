//! The builder: the data model, blueprint by blueprint, with each
//! property's type and each relation's target.

use crate::components::badge::Badge;
use crate::components::error::{ErrorView, Loading};
use crate::components::icon::Icon;
use crate::model::{AppError, Blueprint, PropertyType};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(endpoint = "get_blueprints", output = crate::model::json_codec::Json)]
pub async fn get_blueprints() -> Result<Vec<Blueprint>, AppError> {
    crate::services::blueprints::blueprints(&crate::pages::context::store()?).await
}

fn type_label(kind: PropertyType, format: Option<&str>) -> String {
    let base = match kind {
        PropertyType::String => "string",
        PropertyType::Number => "number",
        PropertyType::Boolean => "boolean",
        PropertyType::Object => "object",
        PropertyType::Array => "array",
    };
    match format {
        Some(f) => format!("{base} · {f}"),
        None => base.to_string(),
    }
}

fn blueprint_card(bp: Blueprint) -> impl IntoView {
    let icon = bp.icon.clone().unwrap_or_else(|| bp.title.clone());
    let required = bp.schema.required.clone();
    view! {
        <section class="panel blueprint" id=bp.identifier.clone()>
            <header class="blueprint-header">
                <Icon name=icon large=true/>
                <div>
                    <h2>{bp.title.clone()}</h2>
                    <p class="muted"><code>{bp.identifier.clone()}</code> " · " {bp.description.clone().unwrap_or_default()}</p>
                </div>
            </header>
            <table class="entity-table compact">
                <caption class="visually-hidden">{format!("Properties of {}", bp.title)}</caption>
                <thead><tr><th scope="col">"Property"</th><th scope="col">"Key"</th><th scope="col">"Type"</th><th scope="col">"Values"</th></tr></thead>
                <tbody>
                    {bp.schema.properties.iter().map(|(key, p)| {
                        let is_required = required.contains(key);
                        let values = p.enum_values.clone().unwrap_or_default();
                        view! {
                            <tr>
                                <td>{p.title.clone().unwrap_or_else(|| key.clone())}{is_required.then(|| view! { <span class="required" title="Required">" *"</span> })}</td>
                                <td><code>{key.clone()}</code></td>
                                <td>{type_label(p.kind, p.format.as_deref())}</td>
                                <td><span class="chips">{values.iter().filter_map(|v| v.as_str()).map(|v| view! {
                                    <Badge label=v.to_string() color=p.color_of(v).map(str::to_string)/>
                                }).collect_view()}</span></td>
                            </tr>
                        }
                    }).collect_view()}
                    {bp.relations.iter().map(|(key, r)| {
                        let target = format!("#{}", r.target);
                        let kind = if r.many { "relation · many" } else { "relation · single" };
                        view! {
                            <tr>
                                <td>{r.title.clone().unwrap_or_else(|| key.clone())}{r.required.then(|| view! { <span class="required" title="Required">" *"</span> })}</td>
                                <td><code>{key.clone()}</code></td>
                                <td>{kind}</td>
                                <td>"→ " <a href=target>{r.target.clone()}</a></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
pub fn BuilderPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_blueprints());
    view! {
        <Title text="Builder"/>
        <div class="page-header">
            <div>
                <h1>"Builder"</h1>
                <p class="subtitle">"The data model: blueprints, their properties and relations. Fields marked * are required."</p>
            </div>
        </div>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(blueprints) if blueprints.is_empty() => view! {
                        <div class="empty-state"><h3>"No blueprints yet"</h3></div>
                    }.into_any(),
                    Ok(blueprints) => blueprints.into_iter().map(blueprint_card).collect_view().into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
