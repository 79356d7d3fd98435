//! An entity page: its properties rendered by type, its relations, the
//! entities that point at it and its history; with `?edit` the form that
//! edits it, and deleting it after a confirmation. Edit and delete show
//! only when the policy allows them (the server decides again).

use super::entity_form::{entity_form, open_saved_entity, DeleteEntity, SaveEntity};
use crate::components::badge::TeamChip;
use crate::components::error::{ErrorView, Loading};
use crate::components::icon::Icon;
use crate::components::value::{local_time, PropertyValue};
use crate::model::form::FormReply;
use crate::model::url::encode_component;
use crate::model::{AppError, AuditEntry, EntityPageData};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

#[server(endpoint = "get_entity_page", output = crate::model::json_codec::Json)]
pub async fn get_entity_page(
    blueprint: String,
    identifier: String,
) -> Result<EntityPageData, AppError> {
    let subject = crate::pages::context::subject().await?;
    crate::services::catalog::entity_page(
        &crate::pages::context::store()?,
        &subject,
        &blueprint,
        &identifier,
    )
    .await
}

/// What changed in one audit entry: the fields whose values differ.
fn changed_fields(entry: &AuditEntry) -> String {
    let (before, after) = (&entry.diff["before"], &entry.diff["after"]);
    if before.is_null() || after.is_null() {
        return String::new();
    }
    let mut changed: Vec<String> = ["title", "icon", "team"]
        .into_iter()
        .filter(|k| before[*k] != after[*k])
        .map(str::to_string)
        .collect();
    for group in ["properties", "relations"] {
        let keys = |v: &serde_json::Value| -> Vec<String> {
            v[group]
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        let mut all = keys(before);
        all.extend(keys(after));
        all.sort();
        all.dedup();
        changed.extend(
            all.into_iter()
                .filter(|k| before[group][k.as_str()] != after[group][k.as_str()]),
        );
    }
    changed.join(", ")
}

fn history_view(history: Vec<AuditEntry>, blueprint: &str, identifier: &str) -> AnyView {
    let all_history = format!(
        "/audit-log?entity={}&blueprint={}",
        encode_component(identifier),
        encode_component(blueprint)
    );
    view! {
        <section class="panel" aria-labelledby="history-heading">
            <div class="panel-heading">
                <h2 id="history-heading">"History"</h2>
                <a href=all_history>"All history"</a>
            </div>
            {if history.is_empty() {
                view! { <p class="muted">"No recorded changes yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="entity-table compact history-table">
                            <thead><tr>
                                <th scope="col">"When"</th><th scope="col">"Who"</th>
                                <th scope="col">"Change"</th><th scope="col">"Fields"</th>
                            </tr></thead>
                            <tbody>
                                {history.into_iter().map(|entry| {
                                    let fields = changed_fields(&entry);
                                    view! {
                                        <tr>
                                            <td>{local_time(entry.at.to_rfc3339())}</td>
                                            <td>{entry.actor.clone()}</td>
                                            <td>{entry.action.to_ascii_lowercase()}</td>
                                            <td class="wrap">{fields}</td>
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
    .into_any()
}

/// Edit and delete, as far as the viewer may.
fn entity_actions(data: &EntityPageData, delete: ServerAction<DeleteEntity>) -> AnyView {
    let entity = &data.entity;
    let edit_href = format!(
        "/entity/{}/{}?edit",
        encode_component(&entity.blueprint),
        encode_component(&entity.identifier)
    );
    let edit = data
        .abilities
        .may_edit_something()
        .then(|| view! { <a class="button primary" href=edit_href>"Edit"</a> });
    let (blueprint, identifier, title) = (
        entity.blueprint.clone(),
        entity.identifier.clone(),
        entity.display_title().to_string(),
    );
    let remove = data.abilities.delete.then(move || {
        view! {
            // A disclosure, so the confirmation works without JavaScript too.
            <details class="confirm-delete">
                <summary class="button danger">"Delete…"</summary>
                <div class="confirm-pop" role="group" aria-label="Confirm deletion">
                    <p>"Delete " <strong>{title}</strong> "? This cannot be undone."</p>
                    <ActionForm action=delete>
                        <input type="hidden" name="blueprint" value=blueprint/>
                        <input type="hidden" name="identifier" value=identifier/>
                        <button type="submit" class="button danger" disabled=move || delete.pending().get()>
                            {move || if delete.pending().get() { "Deleting…" } else { "Delete for good" }}
                        </button>
                    </ActionForm>
                    {move || match delete.value().get() {
                        Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.message().to_string()}</p> }),
                        _ => None,
                    }}
                </div>
            </details>
        }
    });
    view! { <div class="page-actions">{edit}{remove}</div> }.into_any()
}

/// The page; `form` is the edit form, when the page is in edit mode.
fn entity_view(
    data: EntityPageData,
    form: Option<AnyView>,
    delete: ServerAction<DeleteEntity>,
) -> impl IntoView {
    let actions = entity_actions(&data, delete);
    let editing = form.is_some();
    let EntityPageData {
        entity,
        blueprint,
        catalog_href,
        referenced_by,
        abilities: _,
        history,
        team_choices: _,
        markdown_html,
    } = data;
    let title = entity.display_title().to_string();
    let icon = entity
        .icon
        .clone()
        .or(blueprint.icon.clone())
        .unwrap_or_else(|| blueprint.title.clone());
    let markdown: Vec<(String, String)> = markdown_html
        .into_iter()
        .map(|(key, html)| (blueprint.property_title(&key).to_string(), html))
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
        .collect_view()
        .into_any();
    let mirrors = blueprint
        .mirror_properties
        .iter()
        .map(|(key, mirror)| {
            let label = mirror.title.clone().unwrap_or_else(|| key.clone());
            let value = entity.properties.get(key).cloned();
            let hint = format!("Mirrored from {}", mirror.path);
            view! {
                <div class="field">
                    <dt>{label} " " <span class="muted mirror-hint" title=hint.clone() aria-label=hint>"↪"</span></dt>
                    <dd><PropertyValue schema=None value=value/></dd>
                </div>
            }
        })
        .collect_view()
        .into_any();
    let inherited = blueprint.inherited_team_path().map(|path| {
        view! { <span class="muted">"teams inherited through " <code>{path.to_string()}</code></span> }
    });
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
        .collect_view()
        .into_any();
    let created = local_time(entity.created_at.to_rfc3339());
    let updated = local_time(entity.updated_at.to_rfc3339());
    let catalog_href = catalog_href.unwrap_or_else(|| format!("/builder#{}", blueprint.identifier));
    let header = view! {
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
                    {inherited}
                </p>
            </div>
            {(!editing).then_some(actions)}
        </div>
    }
    .into_any();
    let grid = view! {
        <div class="entity-grid">
            {match form {
                Some(form) => form,
                None => view! {
                    <section class="panel">
                        <h2>"Properties"</h2>
                        <dl class="fields">{properties}{mirrors}</dl>
                    </section>
                }.into_any(),
            }}
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
    }
    .into_any();
    view! {
        {header}
        {grid}
        {markdown.into_iter().map(|(label, html)| view! {
            <section class="panel">
                <h2>{label}</h2>
                // Sanitised on the server (services::markdown).
                <div class="markdown" inner_html=html></div>
            </section>
        }).collect_view().into_any()}
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
        {history_view(history, &entity.blueprint, &entity.identifier)}
    }
}

#[component]
pub fn EntityPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let save = ServerAction::<SaveEntity>::new();
    let delete = ServerAction::<DeleteEntity>::new();
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("blueprint").unwrap_or_default(),
                p.get("identifier").unwrap_or_default(),
                save.version().get(),
            )
        },
        |(blueprint, identifier, _)| get_entity_page(blueprint, identifier),
    );
    // A saved form leaves edit mode; a deleted entity leaves for its catalog.
    open_saved_entity(save);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(to)) = delete.value().get() {
            navigate(&to, Default::default());
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let (editing, reply) = {
                    let query = query.read();
                    (query.get("edit").is_some(), FormReply::from_query(query.get_str("reply")))
                };
                match data.await {
                    Ok(data) => {
                        let form = if editing && data.abilities.may_edit_something() {
                            Some(entity_form(data.clone(), save, reply).await)
                        } else {
                            None
                        };
                        entity_view(data, form, delete).into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
