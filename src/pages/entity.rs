//! An entity page: its properties rendered by type, its relations, and the
//! entities that point at it.

use crate::components::badge::TeamChip;
use crate::components::error::{ErrorView, Loading};
use crate::components::icon::Icon;
use crate::components::value::{format_datetime, PropertyValue};
use crate::model::{AppError, EntityPageData};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server(endpoint = "get_entity_page")]
pub async fn get_entity_page(
    blueprint: String,
    identifier: String,
) -> Result<EntityPageData, AppError> {
    let subject = crate::server::subject().await?;
    crate::services::catalog::entity_page(
        &crate::server::store()?,
        &subject,
        &blueprint,
        &identifier,
    )
    .await
}

fn entity_view(data: EntityPageData) -> impl IntoView {
    let EntityPageData {
        entity,
        blueprint,
        catalog_href,
        referenced_by,
        abilities: _,
    } = data;
    let title = entity.display_title().to_string();
    let icon = entity
        .icon
        .clone()
        .or(blueprint.icon.clone())
        .unwrap_or_else(|| blueprint.title.clone());
    let markdown: Vec<(String, String)> = blueprint
        .schema
        .properties
        .iter()
        .filter(|(_, p)| p.format.as_deref() == Some("markdown"))
        .filter_map(|(k, _)| {
            entity
                .properties
                .get(k)
                .and_then(|v| v.as_str())
                .map(|text| (blueprint.property_title(k).to_string(), text.to_string()))
        })
        .collect();
    let properties = blueprint
        .schema
        .properties
        .iter()
        .filter(|(_, p)| p.format.as_deref() != Some("markdown"))
        .map(|(key, schema)| {
            let label = schema.title.clone().unwrap_or_else(|| key.clone());
            let value = entity.properties.get(key).cloned();
            view! {
                <div class="field">
                    <dt>{label}</dt>
                    <dd><PropertyValue schema=Some(schema.clone()) value=value/></dd>
                </div>
            }
        })
        .collect_view();
    let relations = blueprint
        .relations
        .iter()
        .map(|(key, rel)| {
            let targets = entity.related(key);
            let target_bp = rel.target.clone();
            let label = rel.title.clone().unwrap_or_else(|| key.clone());
            view! {
                <div class="field">
                    <dt>{label}</dt>
                    <dd>
                        {if targets.is_empty() {
                            view! { <span class="empty-value">"—"</span> }.into_any()
                        } else {
                            view! {
                                <span class="chips">
                                    {targets.into_iter().map(|id| {
                                        let href = format!("/entity/{target_bp}/{id}");
                                        view! { <a class="chip chip-link" href=href>{id}</a> }
                                    }).collect_view()}
                                </span>
                            }.into_any()
                        }}
                    </dd>
                </div>
            }
        })
        .collect_view();
    let created = format_datetime(&entity.created_at.to_rfc3339());
    let updated = format_datetime(&entity.updated_at.to_rfc3339());
    let catalog_href = catalog_href.unwrap_or_else(|| format!("/builder#{}", blueprint.identifier));
    view! {
        <Title text=title.clone()/>
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=catalog_href>{blueprint.title.clone()}</a>
            <span aria-hidden="true">" / "</span>
            <span aria-current="page">{entity.identifier.clone()}</span>
        </nav>
        <div class="page-header">
            <Icon name=icon large=true/>
            <div>
                <h1>{title}</h1>
                <p class="subtitle">
                    <code>{entity.identifier.clone()}</code>
                    <span class="chips">{entity.team.iter().map(|t| view! { <TeamChip name=t.clone()/> }).collect_view()}</span>
                </p>
            </div>
        </div>
        <div class="entity-grid">
            <section class="panel">
                <h2>"Properties"</h2>
                <dl class="fields">{properties}</dl>
            </section>
            <section class="panel">
                <h2>"Relations"</h2>
                {if blueprint.relations.is_empty() {
                    view! { <p class="muted">"This blueprint has no relations."</p> }.into_any()
                } else {
                    view! { <dl class="fields">{relations}</dl> }.into_any()
                }}
                <h2>"Details"</h2>
                <dl class="fields">
                    <div class="field"><dt>"Created"</dt><dd>{created} " by " {entity.created_by.clone().unwrap_or_else(|| "unknown".into())}</dd></div>
                    <div class="field"><dt>"Last update"</dt><dd>{updated} " by " {entity.updated_by.clone().unwrap_or_else(|| "unknown".into())}</dd></div>
                    <div class="field"><dt>"Version"</dt><dd>{entity.version}</dd></div>
                </dl>
            </section>
        </div>
        {markdown.into_iter().map(|(label, text)| view! {
            <section class="panel">
                <h2>{label}</h2>
                // Shown as plain text until markdown is rendered and sanitised.
                <pre class="markdown-source">{text}</pre>
            </section>
        }).collect_view()}
        <section class="panel">
            <h2>"Referenced by"</h2>
            {if referenced_by.is_empty() {
                view! { <p class="muted">"No other entity points at this one."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="entity-table">
                            <thead><tr><th scope="col">"Entity"</th><th scope="col">"Blueprint"</th><th scope="col">"Relation"</th></tr></thead>
                            <tbody>
                                {referenced_by.into_iter().map(|r| {
                                    let href = format!("/entity/{}/{}", r.blueprint, r.identifier);
                                    view! {
                                        <tr>
                                            <td><a class="entity-link" href=href>{r.title.clone().unwrap_or(r.identifier.clone())}</a></td>
                                            <td>{r.blueprint_title}</td>
                                            <td><code>{r.relation}</code></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn EntityPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("blueprint").unwrap_or_default(),
                p.get("identifier").unwrap_or_default(),
            )
        },
        |(blueprint, identifier)| get_entity_page(blueprint, identifier),
    );
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => entity_view(data).into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
