//! A catalog page: a blueprint's entities in a table, with search, sort and
//! paging carried in the URL so a link reproduces the view.

use super::entity_form::{new_entity_form, open_saved_entity, CreateEntity};
use super::urlencode;
use crate::components::badge::TeamChip;
use crate::components::error::{ErrorView, Loading};
use crate::components::icon::Icon;
use crate::components::value::{format_datetime, PropertyValue};
use crate::model::{AppError, Blueprint, CatalogPageData, Entity, EntitySort, SortOrder};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(endpoint = "get_catalog_page")]
pub async fn get_catalog_page(
    page: String,
    sort: String,
    search: String,
    offset: i64,
    #[server(default)] mine: bool,
) -> Result<CatalogPageData, AppError> {
    let subject = crate::server::subject().await?;
    crate::services::catalog::catalog_page(
        &crate::server::store()?,
        &subject,
        &page,
        &sort,
        &search,
        offset,
        mine,
    )
    .await
}

/// A table column: a meta property or a schema property.
#[derive(Clone)]
struct Column {
    key: String,
    title: String,
}

fn columns(blueprint: &Blueprint) -> Vec<Column> {
    let mut cols = vec![
        Column {
            key: "$title".into(),
            title: "Title".into(),
        },
        Column {
            key: "$identifier".into(),
            title: "Identifier".into(),
        },
        Column {
            key: "$team".into(),
            title: "Owning teams".into(),
        },
    ];
    // Long text (markdown, yaml) and objects belong on the entity page.
    cols.extend(
        blueprint
            .schema
            .properties
            .iter()
            .filter(|(_, p)| {
                !matches!(p.format.as_deref(), Some("markdown") | Some("yaml"))
                    && p.kind != crate::model::PropertyType::Object
            })
            .map(|(key, p)| Column {
                key: key.clone(),
                title: p.title.clone().unwrap_or_else(|| key.clone()),
            }),
    );
    cols.extend(blueprint.relations.iter().map(|(key, r)| Column {
        key: format!("relation:{key}"),
        title: r.title.clone().unwrap_or_else(|| key.clone()),
    }));
    cols.push(Column {
        key: "$updatedAt".into(),
        title: "Last update".into(),
    });
    cols
}

/// The URL of this page with a changed query.
fn page_href(page: &str, sort: &EntitySort, search: &str, offset: i64, mine: bool) -> String {
    let mut params = Vec::new();
    if mine {
        params.push("mine=1".to_string());
    }
    if *sort != EntitySort::default() {
        params.push(format!("sort={}", urlencode(&sort.to_url())));
    }
    if !search.is_empty() {
        params.push(format!("q={}", urlencode(search)));
    }
    if offset > 0 {
        params.push(format!("offset={offset}"));
    }
    if params.is_empty() {
        format!("/catalog/{page}")
    } else {
        format!("/catalog/{page}?{}", params.join("&"))
    }
}

fn cell(blueprint: &Blueprint, entity: &Entity, column: &Column) -> AnyView {
    match column.key.as_str() {
        "$title" => {
            let href = format!("/entity/{}/{}", urlencode(&entity.blueprint), urlencode(&entity.identifier));
            view! { <a class="entity-link" href=href>{entity.display_title().to_string()}</a> }.into_any()
        }
        "$identifier" => view! { <code>{entity.identifier.clone()}</code> }.into_any(),
        "$team" => view! {
            <span class="chips">{entity.team.iter().map(|t| view! { <TeamChip name=t.clone()/> }).collect_view()}</span>
        }
        .into_any(),
        "$updatedAt" => {
            let iso = entity.updated_at.to_rfc3339();
            view! { <time datetime=iso.clone()>{format_datetime(&iso)}</time> }.into_any()
        }
        key => match key.strip_prefix("relation:") {
            Some(relation) => {
                let target = blueprint.relations.get(relation).map(|r| r.target.clone()).unwrap_or_default();
                view! {
                    <span class="chips">
                        {entity.related(relation).into_iter().map(|id| {
                            let href = format!("/entity/{}/{}", urlencode(&target), urlencode(&id));
                            view! { <a class="chip chip-link" href=href>{id}</a> }
                        }).collect_view()}
                    </span>
                }
                .into_any()
            }
            None => view! {
                <PropertyValue
                    schema=blueprint.schema.properties.get(key).cloned()
                    value=entity.properties.get(key).cloned()
                />
            }
            .into_any(),
        },
    }
}

fn sort_header(page: &str, data: &CatalogPageData, column: &Column) -> AnyView {
    if column.key == "$team" || column.key.starts_with("relation:") {
        return view! { <th scope="col">{column.title.clone()}</th> }.into_any();
    }
    let active = data.sort.property == column.key;
    let next = EntitySort {
        property: column.key.clone(),
        order: if active && data.sort.order == SortOrder::Asc {
            SortOrder::Desc
        } else {
            SortOrder::Asc
        },
    };
    let aria = if active {
        if data.sort.order == SortOrder::Asc {
            "ascending"
        } else {
            "descending"
        }
    } else {
        "none"
    };
    let arrow = if active {
        if data.sort.order == SortOrder::Asc {
            "▲"
        } else {
            "▼"
        }
    } else {
        ""
    };
    let href = page_href(page, &next, &data.search, 0, data.mine);
    view! {
        <th scope="col" aria-sort=aria>
            <a class="sort-link" href=href>{column.title.clone()}<span class="sort-arrow" aria-hidden="true">{arrow}</span></a>
        </th>
    }
    .into_any()
}

fn catalog_table(page_id: String, data: CatalogPageData) -> impl IntoView {
    let cols = columns(&data.blueprint);
    let list = &data.list;
    let first = if list.total == 0 { 0 } else { list.offset + 1 };
    let last = (list.offset + list.entities.len() as i64).min(list.total);
    let prev = (list.offset > 0).then(|| {
        page_href(
            &page_id,
            &data.sort,
            &data.search,
            (list.offset - list.limit).max(0),
            data.mine,
        )
    });
    let next = (last < list.total).then(|| {
        page_href(
            &page_id,
            &data.sort,
            &data.search,
            list.offset + list.limit,
            data.mine,
        )
    });
    let noun = data.blueprint.title.to_lowercase();
    let empty = if data.search.is_empty() {
        format!("No {noun} entities yet.")
    } else {
        format!("No {noun} matches “{}”.", data.search)
    };
    view! {
        <p class="result-count" aria-live="polite">
            {if list.total == 0 { "No results".to_string() } else { format!("Showing {first}–{last} of {}", list.total) }}
        </p>
        <div class="table-wrap">
            <table class="entity-table">
                <thead>
                    <tr>{cols.iter().map(|c| sort_header(&page_id, &data, c)).collect_view()}</tr>
                </thead>
                <tbody>
                    {if list.entities.is_empty() {
                        let span = cols.len().to_string();
                        view! { <tr><td class="empty-row" colspan=span>{empty}</td></tr> }.into_any()
                    } else {
                        list.entities.iter().map(|e| view! {
                            <tr>{cols.iter().map(|c| view! { <td>{cell(&data.blueprint, e, c)}</td> }).collect_view()}</tr>
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Pages">
            {match prev {
                Some(href) => view! { <a class="button" rel="prev" href=href>"← Previous"</a> }.into_any(),
                None => view! { <span class="button disabled" aria-disabled="true">"← Previous"</span> }.into_any(),
            }}
            {match next {
                Some(href) => view! { <a class="button" rel="next" href=href>"Next →"</a> }.into_any(),
                None => view! { <span class="button disabled" aria-disabled="true">"Next →"</span> }.into_any(),
            }}
        </nav>
    }
}

/// The search box and the table of a catalog page.
fn catalog_body(page: String, data: CatalogPageData) -> AnyView {
    let sort_value = (data.sort != EntitySort::default()).then(|| data.sort.to_url());
    let search_value = data.search.clone();
    let action = format!("/catalog/{page}");
    let mine = data.mine;
    let toggle_href = page_href(&page, &data.sort, &data.search, 0, !mine);
    view! {
        <Form method="GET" action=action attr:class="toolbar" attr:role="search">
            <label class="visually-hidden" for="catalog-search">"Search"</label>
            <input id="catalog-search" type="search" name="q" placeholder="Search by title or identifier" value=search_value/>
            {sort_value.map(|s| view! { <input type="hidden" name="sort" value=s/> })}
            {mine.then(|| view! { <input type="hidden" name="mine" value="1"/> })}
            <button type="submit" class="button primary">"Search"</button>
            // A link, so the filter is in the URL and works without JavaScript.
            <a class="button toggle" class:on=mine href=toggle_href aria-pressed=if mine { "true" } else { "false" } role="button">
                "My teams"
            </a>
        </Form>
        {catalog_table(page, data)}
    }
    .into_any()
}

/// Downloads of this blueprint's entities (those the viewer may read), in
/// each export format. Plain links, so they work before hydration.
fn export_menu(blueprint: &str) -> AnyView {
    let link = |format: &str, label: &'static str| {
        let href = format!(
            "/v1/export?blueprints={}&format={format}",
            urlencode(blueprint)
        );
        view! { <li><a href=href download="" rel="external">{label}</a></li> }
    };
    view! {
        <details class="export-menu">
            <summary class="button">"Export"</summary>
            <div class="confirm-pop" role="group" aria-label="Export entities">
                <p class="muted">"Download every entity you can see here:"</p>
                <ul class="link-list">
                    {link("json", "JSON Lines (re-importable)")}
                    {link("yaml", "GitOps YAML")}
                    {link("hcl", "Terraform (port_entity)")}
                </ul>
            </div>
        </details>
    }
    .into_any()
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page_id = move || params.read().get("page").unwrap_or_default();
    let sort = move || query.read().get("sort").unwrap_or_default();
    let search = move || query.read().get("q").unwrap_or_default();
    let offset = move || {
        query
            .read()
            .get("offset")
            .and_then(|o| o.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let mine = move || query.read().get("mine").is_some_and(|v| v == "1");
    let create = ServerAction::<CreateEntity>::new();
    let data = Resource::new(
        move || {
            (
                page_id(),
                sort(),
                search(),
                offset(),
                mine(),
                create.version().get(),
            )
        },
        |(page, sort, search, offset, mine, _)| get_catalog_page(page, sort, search, offset, mine),
    );
    // A created entity opens on its own page.
    open_saved_entity(create);
    view! {
        <Transition fallback=|| view! { <Loading label="Loading entities…"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        let title = data.page.title.clone();
                        let icon = data.page.icon.clone().unwrap_or_else(|| title.clone());
                        let description = data.blueprint.description.clone().unwrap_or_default();
                        let export = export_menu(&data.blueprint.identifier);
                        let creating = data.may_create && query.read().get("new").is_some();
                        let new_link = (data.may_create && !creating).then(|| {
                            let href = format!("/catalog/{}?new", urlencode(&page_id()));
                            let label = format!("New {}", data.blueprint.title.to_lowercase());
                            view! { <a class="button primary" href=href>{label}</a> }
                        });
                        let body = if creating {
                            new_entity_form(&data, create)
                        } else {
                            catalog_body(page_id(), data)
                        };
                        view! {
                            <Title text=title.clone()/>
                            <div class="page-header">
                                <Icon name=icon large=true/>
                                <div>
                                    <h1>{title}</h1>
                                    <p class="subtitle">{description}</p>
                                </div>
                                <div class="page-actions">{new_link}{export}</div>
                            </div>
                            {body}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_carry_sort_search_and_offset() {
        let sort = EntitySort::from_url("-tier");
        assert_eq!(
            page_href("services", &sort, "a b&c", 50, false),
            "/catalog/services?sort=-tier&q=a%20b%26c&offset=50"
        );
        assert_eq!(
            page_href("services", &EntitySort::default(), "", 0, true),
            "/catalog/services?mine=1"
        );
        assert_eq!(
            page_href("services", &EntitySort::default(), "", 0, false),
            "/catalog/services"
        );
    }
}
