//! The parts of a catalog page rendered to HTML on the server only: the
//! table (the view's columns in its order, sortable headers, group rows
//! with each group's size, the pager), its Columns and Group by menus, the
//! filter chips and the Export menu. Everything in them that changes the
//! view is a link to the page with other URL parameters, so it works
//! before hydration and with the keyboard alone, and the browser bundle
//! needs none of this code (see [`CatalogPageView`]).

use crate::components::badge::TeamChip;
use crate::components::value::{local_time, PropertyValue};
use crate::model::catalog_view::view_href;
use crate::model::deferred::Deferred;
use crate::model::filter_input::{describe_rule, filter_fields};
use crate::model::url::encode_component;
use crate::model::{
    plain_text, team_group_key, Blueprint, CatalogEditing, CatalogPageContext, CatalogPageData,
    CatalogPageHtml, CatalogPageView, Entity, EntitySort, PropertyType, SortOrder, ViewParams,
    TEAM_GROUP,
};
use leptos::prelude::*;

/// Catalog page `page_id` showing `data`, as the browser loads it: its
/// table and menus rendered here.
pub fn page_view(page_id: &str, data: CatalogPageData) -> CatalogPageView {
    let context = &data.context;
    let menus = view! { {columns_menu(page_id, context)}{group_menu(page_id, context)} };
    let html = CatalogPageHtml {
        export: export_menu(page_id, context, data.list.total).to_html(),
        menus: menus.to_html(),
        notes: filter_notes(page_id, context).to_html(),
        table: catalog_table(page_id, &data).to_html(),
    };
    let CatalogPageContext {
        page,
        blueprint,
        view,
        active_view,
        saved_views,
        teams,
        may_create,
        assignable_teams,
        may_configure,
        pre_filtered,
        ..
    } = data.context;
    CatalogPageView {
        description: page
            .description
            .clone()
            .or_else(|| blueprint.description.clone())
            .unwrap_or_default(),
        title: page.title,
        icon: page.icon,
        blueprint_title: blueprint.title.clone(),
        params: view.to_params(),
        filter_count: view.filter_count(),
        has_default_view: page.view.is_some(),
        active_view,
        saved_views,
        may_create,
        may_configure,
        pre_filtered,
        editing: Deferred::new(&CatalogEditing {
            blueprint,
            teams,
            assignable_teams,
            filter: view.filter,
            dataset: page.dataset,
        }),
        html,
    }
}

/// Downloads of what the table shows (the same view: filter, search, My
/// Teams, a saved view, within the page's initial filter and what the
/// viewer may read), in each export format, with how many entities they
/// hold. Plain links, so they work before hydration.
fn export_menu(page_id: &str, context: &CatalogPageContext, total: i64) -> AnyView {
    let mut query = vec![("page", page_id.to_string())];
    match &context.active_view {
        crate::model::ActiveView::Personal(name) => query.push(("view", name.clone())),
        // A page's default view is what no parameters open.
        crate::model::ActiveView::PageDefault => {}
        crate::model::ActiveView::Url => query.extend(
            context
                .view
                .to_params()
                .pairs()
                .into_iter()
                // Columns and grouping do not change which entities go.
                .filter(|(name, _)| !matches!(*name, "cols" | "group")),
        ),
    }
    let query: String = query
        .iter()
        .map(|(k, v)| format!("{k}={}&", encode_component(v)))
        .collect();
    let link = |format: &str, label: &'static str| {
        let href = format!("/v1/export?{query}format={format}");
        view! { <li><a href=href download="" rel="external">{label}</a></li> }
    };
    let holds = match total {
        0 => "This view shows no entities: the files would hold none.".to_string(),
        1 => "Download the 1 entity this view shows:".to_string(),
        n => format!("Download the {n} entities this view shows:"),
    };
    view! {
        <details class="export-menu">
            <summary class="button">"Export"</summary>
            <div class="confirm-pop" role="group" aria-label="Export entities">
                <p class="muted">{holds}</p>
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

/// The active filter rules as chips, each with a link that removes it
/// (works before hydration); the initial filter as a note.
fn filter_notes(page_id: &str, data: &CatalogPageContext) -> AnyView {
    let fields = filter_fields(&data.blueprint, &data.teams);
    let params = data.view.to_params();
    let chips = data.view.filter.as_ref().map(|filter| {
        filter
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let mut rest = filter.clone();
                rest.rules.remove(i);
                let filter = if rest.rules.is_empty() { String::new() } else { rest.to_json().to_string() };
                let href = view_href(page_id, &ViewParams { filter, ..params.clone() }, 0);
                let text = describe_rule(rule, &fields);
                let label = format!("Remove filter: {text}");
                view! {
                    <li class="chip filter-chip">{text}<a href=href class="chip-remove" aria-label=label>"×"</a></li>
                }
            })
            .collect_view()
    });
    let noun = data.blueprint.title.to_lowercase();
    let initial = match &data.page.dataset {
        // Those who may change it see what it is.
        Some(dataset) => {
            let text = dataset.rules.iter().map(|r| describe_rule(r, &fields)).collect::<Vec<_>>().join(" and ");
            Some(view! { <p class="prefilter-hint"><span class="badge-label">"Initial filter"</span>{format!("For everyone who opens this page: {text}.")}</p> }.into_any())
        }
        None if data.pre_filtered => Some(
            view! { <p class="prefilter-hint"><span class="badge-label">"Pre-filtered"</span>{format!("This page shows only some {noun} entities, chosen by its admins.")}</p> }.into_any(),
        ),
        None => None,
    };
    view! {
        {initial}
        {chips.map(|c| view! { <ul class="chips filter-chips" aria-label="Active filters">{c}</ul> })}
    }
    .into_any()
}

/// A table column: a meta property, a schema property or a relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub key: String,
    pub title: String,
}

/// Every column the table can show, in the blueprint's order.
pub fn available_columns(blueprint: &Blueprint) -> Vec<Column> {
    let col = |key: &str, title: &str| Column {
        key: key.to_string(),
        title: title.to_string(),
    };
    let mut cols = vec![
        col("$title", "Title"),
        col("$identifier", "Identifier"),
        col("$team", blueprint.teams_title()),
    ];
    cols.extend(
        blueprint
            .schema
            .properties
            .iter()
            .map(|(key, p)| col(key, p.title.as_deref().unwrap_or(key))),
    );
    cols.extend(blueprint.relations.iter().map(|(key, r)| {
        col(
            &format!("relation:{key}"),
            r.title.as_deref().unwrap_or(key),
        )
    }));
    cols.extend(
        blueprint
            .mirror_properties
            .iter()
            .map(|(key, m)| col(&format!("mirror:{key}"), m.title.as_deref().unwrap_or(key))),
    );
    cols.push(col("$updatedAt", "Last update"));
    cols.push(col("$createdAt", "Creation time"));
    cols
}

/// The columns shown when the view does not choose: all but long text
/// (markdown, yaml), objects and the creation time, which belong on the
/// entity page.
fn default_keys(blueprint: &Blueprint) -> Vec<String> {
    available_columns(blueprint)
        .into_iter()
        .filter(|c| match blueprint.schema.properties.get(&c.key) {
            Some(p) => {
                !matches!(p.format.as_deref(), Some("markdown") | Some("yaml"))
                    && p.kind != PropertyType::Object
            }
            None => c.key != "$createdAt",
        })
        .map(|c| c.key)
        .collect()
}

/// The visible columns' keys, in order (unknown keys of an old saved view
/// are dropped).
pub fn visible_keys(context: &CatalogPageContext) -> Vec<String> {
    let available = available_columns(&context.blueprint);
    match &context.view.columns {
        Some(keys) => keys
            .iter()
            .filter(|k| available.iter().any(|c| &c.key == *k))
            .cloned()
            .collect(),
        None => default_keys(&context.blueprint),
    }
}

fn cell(blueprint: &Blueprint, entity: &Entity, column: &Column) -> AnyView {
    match column.key.as_str() {
        "$title" => {
            let href = format!("/entity/{}/{}", encode_component(&entity.blueprint), encode_component(&entity.identifier));
            view! { <a class="entity-link" href=href>{entity.display_title().to_string()}</a> }.into_any()
        }
        "$identifier" => view! { <code>{entity.identifier.clone()}</code> }.into_any(),
        "$team" => view! {
            <span class="chips">{entity.team.iter().map(|t| view! { <TeamChip name=t.clone()/> }).collect_view()}</span>
        }
        .into_any(),
        "$updatedAt" | "$createdAt" => {
            let at = if column.key == "$updatedAt" { entity.updated_at } else { entity.created_at };
            local_time(at.to_rfc3339()).into_any()
        }
        key if key.starts_with("mirror:") => {
            let mirrored = entity.properties.get(&key["mirror:".len()..]).cloned();
            view! { <PropertyValue schema=None value=mirrored/> }.into_any()
        }
        key => match key.strip_prefix("relation:") {
            Some(relation) => {
                let target = blueprint.relations.get(relation).map(|r| r.target.clone()).unwrap_or_default();
                view! {
                    <span class="chips">
                        {entity.related(relation).into_iter().map(|id| {
                            let href = format!("/entity/{}/{}", encode_component(&target), encode_component(&id));
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

fn sort_header(page: &str, params: &ViewParams, sort: &EntitySort, column: &Column) -> AnyView {
    // Relations, teams and mirrors are not columns the store can sort by.
    if column.key == "$team"
        || column.key.starts_with("relation:")
        || column.key.starts_with("mirror:")
    {
        return view! { <th scope="col">{column.title.clone()}</th> }.into_any();
    }
    let active = sort.property == column.key;
    let ascending = sort.order == SortOrder::Asc;
    let next = EntitySort {
        property: column.key.clone(),
        order: if active && ascending {
            SortOrder::Desc
        } else {
            SortOrder::Asc
        },
    };
    let (aria, arrow) = match (active, ascending) {
        (false, _) => ("none", ""),
        (true, true) => ("ascending", "▲"),
        (true, false) => ("descending", "▼"),
    };
    let href = view_href(
        page,
        &ViewParams {
            sort: next.to_url(),
            ..params.clone()
        },
        0,
    );
    view! {
        <th scope="col" aria-sort=aria>
            <a class="sort-link" href=href>{column.title.clone()}<span class="sort-arrow" aria-hidden="true">{arrow}</span></a>
        </th>
    }
    .into_any()
}

/// The title of a group-by key: the owning teams' column title, or the
/// property's.
fn group_key_title<'a>(blueprint: &'a Blueprint, key: &'a str) -> &'a str {
    if key == TEAM_GROUP {
        blueprint.teams_title()
    } else {
        blueprint.property_title(key)
    }
}

/// The key of an entity's group (its size is found under it): the text of
/// its value of the grouping property, or of its team list.
fn group_of(entity: &Entity, key: &str) -> Option<String> {
    if key == TEAM_GROUP {
        return team_group_key(&entity.team);
    }
    entity
        .properties
        .get(key)
        .filter(|v| !v.is_null())
        .map(plain_text)
}

/// What a group row says its group is.
fn group_label(entity: &Entity, key: &str, group: &Option<String>) -> String {
    match group {
        None if key == TEAM_GROUP => "No team".into(),
        None => "No value".into(),
        Some(_) if key == TEAM_GROUP => {
            let mut teams = entity.team.clone();
            teams.sort_unstable();
            teams.dedup();
            teams.join(", ")
        }
        Some(value) => value.clone(),
    }
}

/// The size of a group; the store's text of a number (`3.0`) and the
/// page's (`3`) are compared as numbers.
fn group_size(data: &CatalogPageData, value: &Option<String>) -> Option<i64> {
    data.groups
        .iter()
        .find(|g| match (&g.value, value) {
            (Some(a), Some(b)) => {
                a == b || matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
            }
            (None, None) => true,
            _ => false,
        })
        .map(|g| g.count)
}

/// What a group row's button does when clicked: collapse or expand the
/// rows of its group (`<tbody>`). Collapsed rows are moved into the
/// group's `<template>`, out of the document, rather than hidden, so the
/// arrow keys (which walk the table's title links, see `catalog.rs`) and
/// screen readers skip them without knowing about groups.
///
/// An inline handler rather than a Rust one: the table is server HTML put
/// in the page as it is (see the module's note), so this works from the
/// first paint, before the bundle has loaded, and costs it nothing. The
/// CSP allows inline scripts (`server::headers`); should it ever stop,
/// the groups simply stay expanded.
const TOGGLE_GROUP: &str = "var g=this.closest('tbody'),t=g.querySelector('template'),\
open=this.getAttribute('aria-expanded')==='true';\
if(open){t.content.append(...g.querySelectorAll(':scope>tr:not(.group-row)'))}else{g.append(t.content)}\
this.setAttribute('aria-expanded',String(!open))";

/// A group's header row: a button that collapses and expands it, saying
/// what the group holds and its whole size (over every page).
fn group_header(span: &str, title: &str, label: String, size: Option<i64>) -> AnyView {
    let size = size
        .map(|n| format!("{n} {}", if n == 1 { "entity" } else { "entities" }))
        .unwrap_or_default();
    view! {
        <tr class="group-row">
            <th colspan=span.to_string() scope="rowgroup">
                <button type="button" class="group-toggle" aria-expanded="true" onclick=TOGGLE_GROUP>
                    <span class="group-chevron" aria-hidden="true"></span>
                    <span class="muted">{format!("{title}: ")}</span>{label}" "
                    <span class="group-size">{size}</span>
                </button>
            </th>
        </tr>
    }
    .into_any()
}

/// The table's body: one `<tbody>`, or one per group (consecutive rows of
/// the same group: the store sorts by the group first) under its header.
fn table_bodies(data: &CatalogPageData, cols: &[Column], empty: AnyView) -> AnyView {
    let span = cols.len().to_string();
    if data.list.entities.is_empty() {
        return view! { <tbody><tr><td class="empty-row" colspan=span>{empty}</td></tr></tbody> }
            .into_any();
    }
    let blueprint = &data.context.blueprint;
    let row = |entity: &Entity| {
        view! {
            <tr>{cols.iter().map(|c| view! { <td>{cell(blueprint, entity, c)}</td> }).collect_view()}</tr>
        }
        .into_any()
    };
    let Some(key) = data.context.view.group_by.as_deref() else {
        let rows = data.list.entities.iter().map(row).collect_view();
        return view! { <tbody>{rows}</tbody> }.into_any();
    };
    let title = group_key_title(blueprint, key);
    let mut groups: Vec<(Option<String>, Vec<&Entity>)> = Vec::new();
    for entity in &data.list.entities {
        let group = group_of(entity, key);
        match groups.last_mut() {
            Some((last, members)) if *last == group => members.push(entity),
            _ => groups.push((group, vec![entity])),
        }
    }
    groups
        .into_iter()
        .map(|(group, members)| {
            let header = group_header(
                &span,
                title,
                group_label(members[0], key, &group),
                group_size(data, &group),
            );
            let rows = members.into_iter().map(row).collect_view();
            view! { <tbody class="group">{header}<template></template>{rows}</tbody> }
        })
        .collect_view()
        .into_any()
}

/// The count, the table and the pager.
fn catalog_table(page_id: &str, data: &CatalogPageData) -> AnyView {
    let context = &data.context;
    let params = context.view.to_params();
    let available = available_columns(&context.blueprint);
    let cols: Vec<Column> = visible_keys(context)
        .iter()
        .filter_map(|k| available.iter().find(|c| &c.key == k).cloned())
        .collect();
    let list = &data.list;
    let first = if list.total == 0 { 0 } else { list.offset + 1 };
    let last = (list.offset + list.entities.len() as i64).min(list.total);
    let prev =
        (list.offset > 0).then(|| view_href(page_id, &params, (list.offset - list.limit).max(0)));
    let next = (last < list.total).then(|| view_href(page_id, &params, list.offset + list.limit));
    let noun = context.blueprint.title.to_lowercase();
    let empty = match (context.view.search.is_empty(), context.view.filter_count()) {
        _ if context.view.mine && context.in_no_team => {
            let teams_tab = context.may_manage_teams.then(|| {
                view! { " " <a href="/users-teams?tab=teams">"Put yourself in a team"</a> }
            });
            view! { "You are not in any team, so My Teams shows nothing." {teams_tab} }.into_any()
        }
        (true, 0) => format!("No {noun} entities here yet.").into_any(),
        (true, _) => format!("No {noun} matches these filters.").into_any(),
        (false, _) => format!("No {noun} matches “{}”.", context.view.search).into_any(),
    };
    let count = if list.total == 0 {
        "No results".to_string()
    } else {
        format!("Showing {first}–{last} of {}", list.total)
    };
    let header = cols
        .iter()
        .map(|c| sort_header(page_id, &params, &context.view.sort, c))
        .collect_view();
    let bodies = table_bodies(data, &cols, empty);
    view! {
        <p class="result-count" aria-live="polite">{count}</p>
        <div class="table-wrap">
            <table class="entity-table" aria-describedby="table-keys">
                <thead><tr>{header}</tr></thead>
                {bodies}
            </table>
        </div>
        <p id="table-keys" class="visually-hidden">"In the table, the arrow keys move between entities; Enter opens one."</p>
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
    .into_any()
}

/// The Columns menu: each column shown or hidden, moved up or down, by
/// links; the summary says how many are hidden.
fn columns_menu(page_id: &str, data: &CatalogPageContext) -> AnyView {
    let params = data.view.to_params();
    let visible = visible_keys(data);
    let available = available_columns(&data.blueprint);
    let hidden = available.len() - visible.len();
    let with = |keys: Vec<String>| {
        view_href(
            page_id,
            &ViewParams {
                columns: keys.join(","),
                ..params.clone()
            },
            0,
        )
    };
    let shown = visible
        .iter()
        .enumerate()
        .filter_map(|(i, key)| {
            let column = available.iter().find(|c| &c.key == key)?.clone();
            let without: Vec<String> = visible.iter().filter(|k| *k != key).cloned().collect();
            let hide = (visible.len() > 1).then(|| with(without));
            let swap = |j: usize| {
                let mut keys = visible.clone();
                keys.swap(i, j);
                with(keys)
            };
            let up = (i > 0).then(|| swap(i - 1));
            let down = (i + 1 < visible.len()).then(|| swap(i + 1));
            let (earlier, later) = (
                format!("Move {} earlier", column.title),
                format!("Move {} later", column.title),
            );
            Some(view! {
                <li class="column-row">
                    <span class="column-name">{column.title}</span>
                    {up.map(|h| view! { <a class="icon-button" href=h aria-label=earlier>"↑"</a> })}
                    {down.map(|h| view! { <a class="icon-button" href=h aria-label=later>"↓"</a> })}
                    {hide.map(|h| view! { <a class="link-button" href=h>"Hide"</a> })}
                </li>
            })
        })
        .collect_view();
    let hidden_rows = available
        .iter()
        .filter(|c| !visible.contains(&c.key))
        .map(|c| {
            let mut keys = visible.clone();
            keys.push(c.key.clone());
            view! {
                <li class="column-row hidden-column">
                    <span class="column-name">{c.title.clone()}</span>
                    <a class="link-button" href=with(keys)>"Show"</a>
                </li>
            }
        })
        .collect_view();
    let label = if hidden == 0 {
        "Columns".to_string()
    } else {
        format!("Columns · {hidden} hidden")
    };
    // Highlighted only when the viewer chose columns; the label always
    // says how many are hidden.
    let customised = data.view.columns.is_some();
    let reset = customised.then(|| {
        let href = view_href(
            page_id,
            &ViewParams {
                columns: String::new(),
                ..params.clone()
            },
            0,
        );
        view! { <a class="link-button" href=href>"Reset columns"</a> }
    });
    view! {
        <details class="menu columns-menu">
            <summary class="button" class:has-hidden=customised>{label}</summary>
            <div class="confirm-pop" role="group" aria-label="Columns">
                <p class="muted">"Shown, in order:"</p>
                <ul class="column-list">{shown}</ul>
                {(hidden > 0).then(|| view! { <p class="muted">"Hidden:"</p> })}
                <ul class="column-list">{hidden_rows}</ul>
                {reset}
            </div>
        </details>
    }
    .into_any()
}

/// The Group by menu: the owning teams, and string, number and boolean
/// properties.
fn group_menu(page_id: &str, data: &CatalogPageContext) -> AnyView {
    let params = data.view.to_params();
    let current = data.view.group_by.clone();
    let link = |key: Option<&str>, title: String| {
        let href = view_href(
            page_id,
            &ViewParams {
                group: key.unwrap_or_default().to_string(),
                ..params.clone()
            },
            0,
        );
        let on = current.as_deref() == key;
        view! { <li><a href=href aria-current=if on { "true" } else { "false" } class:on=on>{title}</a></li> }
    };
    let options = data
        .blueprint
        .schema
        .properties
        .iter()
        .filter(|(_, p)| {
            matches!(
                p.kind,
                PropertyType::String | PropertyType::Number | PropertyType::Boolean
            )
        })
        .filter(|(_, p)| !matches!(p.format.as_deref(), Some("markdown") | Some("yaml")))
        .map(|(key, p)| link(Some(key), p.title.clone().unwrap_or_else(|| key.clone())))
        .collect_view();
    let teams = link(Some(TEAM_GROUP), data.blueprint.teams_title().to_string());
    let label = match &current {
        Some(key) => format!("Grouped by {}", group_key_title(&data.blueprint, key)),
        None => "Group by".to_string(),
    };
    view! {
        <details class="menu group-menu">
            <summary class="button" class:on=current.is_some()>{label}</summary>
            <div class="confirm-pop" role="group" aria-label="Group by">
                <ul class="link-list">
                    {link(None, "No grouping".into())}
                    {teams}
                    {options}
                </ul>
            </div>
        </details>
    }
    .into_any()
}
