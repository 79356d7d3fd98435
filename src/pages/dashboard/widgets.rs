//! How each widget draws the figures the server computed for it. Nothing
//! here queries anything: a widget is its `WidgetView`.

use crate::components::charts::{bar_svg, color_at, line_svg, pie_svg};
use crate::components::icon::Icon;
use crate::model::url::encode_component;
use crate::model::widget::{FilterView, WidgetView};
use crate::model::WidgetData;
use leptos::prelude::*;

/// The dashboard's address and the viewer's parameters, for links that
/// change one of them (a table's sort or page) and keep the rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Here {
    pub path: String,
    pub query: Vec<(String, String)>,
}

impl Here {
    /// This address with `changes` applied (`None` removes a parameter).
    pub fn with(&self, changes: &[(&str, Option<String>)]) -> String {
        let mut pairs: Vec<(String, String)> = self
            .query
            .iter()
            .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
            .cloned()
            .collect();
        pairs.extend(
            changes
                .iter()
                .filter_map(|(k, v)| v.clone().map(|v| (k.to_string(), v))),
        );
        if pairs.is_empty() {
            return self.path.clone();
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
            .collect();
        format!("{}?{}", self.path, query.join("&"))
    }
}

/// A widget's frame (title, description) around its body.
pub fn widget_card(widget: WidgetView, controls: Option<AnyView>, here: &Here) -> impl IntoView {
    let kind = kind_class(&widget.data);
    let heading_id = format!("widget-{}-title", widget.id);
    let labelled_by = heading_id.clone();
    view! {
        <section class=format!("widget {kind}") aria-labelledby=labelled_by data-widget=widget.id.clone()>
            <header class="widget-header">
                {widget.icon.clone().map(|icon| view! { <Icon name=icon/> })}
                <div class="widget-heading">
                    <h2 class="widget-title" id=heading_id>{widget.title.clone()}</h2>
                    {widget.description.clone().map(|d| view! { <p class="widget-description">{d}</p> })}
                </div>
                {controls}
            </header>
            <div class="widget-body">{widget_body(&widget, here)}</div>
        </section>
    }
}

fn kind_class(data: &WidgetData) -> &'static str {
    match data {
        WidgetData::Number { .. } => "widget-number-card",
        WidgetData::Breakdown { bar: false, .. } => "widget-pie",
        WidgetData::Breakdown { bar: true, .. } => "widget-bar",
        WidgetData::Line { .. } => "widget-line",
        WidgetData::Table { .. } => "widget-table",
        WidgetData::Markdown { .. } => "widget-markdown",
        WidgetData::EntityCard { .. } => "widget-entity",
        WidgetData::Links { .. } => "widget-links",
        WidgetData::Iframe { .. } => "widget-iframe",
        WidgetData::Unsupported { .. } | WidgetData::Failed { .. } => "widget-invalid",
    }
}

fn empty(text: Option<String>) -> AnyView {
    view! { <p class="widget-empty muted">{text.unwrap_or_else(|| "No entities match".into())}</p> }
        .into_any()
}

pub fn widget_body(widget: &WidgetView, here: &Here) -> AnyView {
    match widget.data.clone() {
        WidgetData::Number {
            text,
            unit,
            unit_alignment,
            color,
            message,
            href,
            empty_text,
            value,
        } => {
            if value.is_none() && empty_text.is_some() {
                return empty(empty_text);
            }
            let unit = unit.unwrap_or_default();
            // The figure shrinks to fit its card (style/main.css): a cost in
            // the millions is as readable as a count.
            let chars = format!("--chars: {}", text.chars().count() + unit.chars().count());
            let figure = match unit_alignment.as_str() {
                "left" => view! { <span class="unit unit-left">{unit}</span><span class="figure">{text}</span> }.into_any(),
                "bottom" => view! { <span class="figure">{text}</span><span class="unit unit-bottom">{unit}</span> }.into_any(),
                _ => view! { <span class="figure">{text}</span><span class="unit">{unit}</span> }.into_any(),
            };
            let number = view! {
                <p class="widget-number" style=chars data-color=color.clone()>{figure}</p>
                {message.map(|m| view! { <p class="widget-message" data-color=color>{m}</p> })}
            };
            match href {
                Some(href) => view! { <a class="widget-link" href=href title="Show these entities">{number}</a> }.into_any(),
                None => number.into_any(),
            }
        }
        WidgetData::Breakdown {
            bar,
            total,
            slices,
            empty_text,
        } => {
            if total == 0 {
                return empty(empty_text);
            }
            let svg = if bar {
                bar_svg(&slices, total, &widget.title)
            } else {
                pie_svg(&slices, total, &widget.title)
            };
            let legend = (!bar).then(|| {
                view! {
                    <ul class="legend">
                        {slices.iter().enumerate().map(|(i, s)| {
                            let color = color_at(s.color.as_deref(), i);
                            let share = s.count as f64 * 100.0 / total as f64;
                            let label = view! {
                                <span class="swatch" data-color=color></span>
                                <span class="legend-label">{s.label.clone()}</span>
                                <span class="legend-count">{s.count}<span class="muted">{format!(" · {share:.0}%")}</span></span>
                            };
                            match s.href.clone() {
                                Some(href) => view! { <li><a href=href>{label}</a></li> }.into_any(),
                                None => view! { <li>{label}</li> }.into_any(),
                            }
                        }).collect_view()}
                    </ul>
                }
            });
            view! {
                <div class="breakdown" class:breakdown-bar=bar>
                    <div class="chart-box" inner_html=svg></div>
                    {legend}
                </div>
            }
            .into_any()
        }
        WidgetData::Line {
            labels,
            series,
            measure,
        } => {
            let svg = line_svg(&labels, &series, &measure);
            let legend = (series.len() > 1).then(|| {
                view! {
                    <ul class="legend legend-inline">
                        {series.iter().enumerate().map(|(i, s)| view! {
                            <li><span class="swatch" data-color=color_at(None, i)></span>{s.label.clone()}</li>
                        }).collect_view()}
                    </ul>
                }
            });
            view! { <div class="chart-box chart-box-line" inner_html=svg></div>{legend} }.into_any()
        }
        WidgetData::Table {
            columns,
            keys,
            rows,
            total,
            href,
            sort,
            search,
            offset,
            page_size,
            empty_text,
        } => table(&widget.id, here, TableParts { empty_text, columns, keys, rows, total, href, sort, search, offset, page_size }),
        WidgetData::Markdown { html } => {
            view! { <div class="markdown" inner_html=html></div> }.into_any()
        }
        WidgetData::EntityCard {
            title,
            href,
            fields,
        } => view! {
            <p class="entity-card-title"><a href=href>{title}</a></p>
            <dl class="entity-card-fields">
                {fields.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
        }
        .into_any(),
        WidgetData::Links { links } => view! {
            <ul class="widget-links-list">
                {links.into_iter().map(|link| if link.external {
                    view! { <li><a href=link.url target="_blank" rel="noopener noreferrer">{link.title}" ↗"</a></li> }.into_any()
                } else {
                    view! { <li><a href=link.url>{link.title}</a></li> }.into_any()
                }).collect_view()}
            </ul>
        }
        .into_any(),
        WidgetData::Iframe {
            src,
            origin,
            protected,
        } => {
            // public/iframe-widget.js signs protected widgets in (PKCE) and
            // explains pages that refuse to be framed, in the status element,
            // which the server leaves empty: hydration must find what it sent.
            // The "needs JavaScript" note hides once that script runs (it
            // marks <html>); a <noscript> would not do: a browser with
            // scripts parses its content as text, which hydration cannot walk.
            let (url_type, frame_src) = match &protected {
                Some(_) => ("protected", None),
                None => ("public", Some(src.clone())),
            };
            let sign_in = protected.clone();
            view! {
                <div class="iframe-widget" data-widget=widget.id.clone() data-url-type=url_type
                    data-src=src.clone() data-origin=origin.clone()
                    data-authorization-url=sign_in.as_ref().map(|s| s.authorization_url.clone())
                    data-token-url=sign_in.as_ref().map(|s| s.token_url.clone())
                    data-client-id=sign_in.as_ref().map(|s| s.client_id.clone())
                    data-scopes=sign_in.as_ref().map(|s| s.scopes.clone())>
                    <iframe title=widget.title.clone() src=frame_src
                        sandbox="allow-scripts allow-same-origin allow-forms allow-popups"
                        referrerpolicy="strict-origin-when-cross-origin"></iframe>
                    {protected.is_some().then(|| view! {
                        <p class="iframe-needs-js muted">{format!("This widget signs you in to {origin} in your browser, which needs JavaScript.")}</p>
                    })}
                    <div class="iframe-widget-status" role="status" hidden></div>
                </div>
            }
            .into_any()
        }
        WidgetData::Unsupported { type_name } => view! {
            <p class="muted">"Widgets of type " <code>{type_name}</code> " are not supported yet; it is kept as saved."</p>
        }
        .into_any(),
        WidgetData::Failed { reason } => view! {
            <p class="widget-error" role="alert">"This widget can't be shown: " {reason}</p>
        }
        .into_any(),
    }
}

struct TableParts {
    empty_text: Option<String>,
    columns: Vec<String>,
    keys: Vec<String>,
    rows: Vec<crate::model::widget::TableRow>,
    total: i64,
    href: Option<String>,
    sort: String,
    search: String,
    offset: i64,
    page_size: i64,
}

/// A table widget: headings that sort, a search box and pages, each a link
/// or a GET form (the state is in the URL: it works before hydration and
/// without JavaScript).
fn table(id: &str, here: &Here, t: TableParts) -> AnyView {
    let param = |part: &str| format!("table.{id}.{part}");
    let (sort_param, q_param, offset_param) = (param("sort"), param("q"), param("offset"));
    let hidden: Vec<(String, String)> = here
        .query
        .iter()
        .filter(|(k, _)| *k != q_param && *k != offset_param)
        .cloned()
        .collect();
    let headings = t
        .columns
        .iter()
        .zip(&t.keys)
        .map(|(label, key)| {
            let (current, descending) = match t.sort.strip_prefix('-') {
                Some(k) => (k == key, true),
                None => (t.sort == *key, false),
            };
            let next = if current && !descending {
                format!("-{key}")
            } else {
                key.clone()
            };
            let href = here.with(&[
                (sort_param.as_str(), Some(next)),
                (offset_param.as_str(), None),
            ]);
            let arrow = current.then_some(if descending { " ↓" } else { " ↑" });
            let order = match (current, descending) {
                (true, true) => "descending",
                (true, false) => "ascending",
                _ => "none",
            };
            view! { <th scope="col" aria-sort=order><a href=href>{label.clone()}{arrow}</a></th> }
        })
        .collect_view();
    let shown = t.rows.len() as i64;
    let previous = (t.offset > 0).then(|| {
        let to = (t.offset - t.page_size).max(0);
        here.with(&[(offset_param.as_str(), (to > 0).then(|| to.to_string()))])
    });
    let next = (t.offset + shown < t.total).then(|| {
        here.with(&[(
            offset_param.as_str(),
            Some((t.offset + t.page_size).to_string()),
        )])
    });
    let body = if t.rows.is_empty() {
        view! { <p class="widget-empty muted">{if !t.search.is_empty() { "No entity matches this search".to_string() } else { t.empty_text.clone().unwrap_or_else(|| "No entities match".into()) }}</p> }.into_any()
    } else {
        view! {
            <div class="widget-table-scroll">
                <table class="entity-table compact">
                    <thead><tr>{headings}</tr></thead>
                    <tbody>
                        {t.rows.into_iter().map(|row| {
                            let href = row.href.clone();
                            view! {
                                <tr>{row.cells.into_iter().enumerate().map(|(i, cell)| if i == 0 {
                                    view! { <td><a href=href.clone()>{cell}</a></td> }.into_any()
                                } else {
                                    view! { <td>{cell}</td> }.into_any()
                                }).collect_view()}</tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <form class="table-search" method="get" action=here.path.clone() role="search">
            {hidden.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            <input type="search" name=q_param value=t.search.clone() placeholder="Search this table" aria-label="Search this table"/>
        </form>
        {body}
        <p class="widget-footer muted">
            {if shown == 0 { format!("0 of {}", t.total) } else { format!("{}–{} of {}", t.offset + 1, t.offset + shown, t.total) }}
            {previous.map(|href| view! { " · " <a href=href rel="prev">"Previous"</a> })}
            {next.map(|href| view! { " · " <a href=href rel="next">"Next"</a> })}
            {t.href.map(|href| view! { " · " <a href=href>"Open as a table"</a> })}
        </p>
    }
    .into_any()
}

/// The page filters: each viewer may set an unlocked one for themselves
/// (a plain GET form: the values live in the URL, so they work without
/// JavaScript and can be shared).
pub fn filter_bar(filters: Vec<FilterView>, action: String) -> impl IntoView {
    (!filters.is_empty()).then(|| {
        let reset = action.clone();
        let others: Vec<(String, String)> = filters
            .iter()
            .filter(|f| f.changed)
            .map(|f| (format!("filter.{}", f.filter.identifier), f.rules.clone()))
            .collect();
        let changed = filters.iter().any(|f| f.changed);
        view! {
            <form class="dashboard-filters" method="get" action=action.clone()>
                {filters.into_iter().map(|f| {
                    let name = format!("filter.{}", f.filter.identifier);
                    let id = format!("page-filter-{}", f.filter.identifier);
                    let title = if f.filter.title.is_empty() { f.filter.identifier.clone() } else { f.filter.title.clone() };
                    let my_teams = serde_json::json!([{"property": "$team", "operator": "containsAny", "value": ["My Teams"]}]).to_string();
                    view! {
                        <div class="page-filter">
                            <label for=id.clone()>{title}{f.filter.locked.then_some(" (locked)")}</label>
                            <div class="row">
                                {if f.presets.is_empty() {
                                    view! {
                                        <input id=id type="text" name=name.clone() value=f.rules.clone() disabled=f.filter.locked
                                            placeholder="[{\"property\": \"$team\", \"operator\": \"containsAny\", \"value\": [\"My Teams\"]}]"/>
                                    }.into_any()
                                } else {
                                    // A value someone wrote into the URL stays pickable.
                                    let custom = (!f.presets.iter().any(|(_, rules)| *rules == f.rules))
                                        .then(|| ("Custom filter".to_string(), f.rules.clone()));
                                    let current = f.rules.clone();
                                    view! {
                                        <select id=id name=name.clone() disabled=f.filter.locked>
                                            {f.presets.iter().cloned().chain(custom).map(|(label, rules)| {
                                                let selected = rules == current;
                                                view! { <option value=rules selected=selected>{label}</option> }
                                            }).collect_view()}
                                        </select>
                                    }.into_any()
                                }}
                                {(!f.filter.locked && f.presets.is_empty()).then(|| {
                                    // The other filters keep the values the viewer gave them.
                                    let mut pairs = vec![(name.clone(), my_teams.clone())];
                                    pairs.extend(others.iter().filter(|(n, _)| *n != name).cloned());
                                    let query = pairs.iter().map(|(n, v)| format!("{}={}", encode_component(n), encode_component(v))).collect::<Vec<_>>().join("&");
                                    let href = format!("{action}?{query}");
                                    view! { <a class="button subtle" href=href>"My teams"</a> }
                                })}
                            </div>
                            {f.problem.map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
                        </div>
                    }
                }).collect_view()}
                <button type="submit" class="button">"Apply"</button>
                {changed.then(|| view! { <a class="button subtle" href=reset>"Reset"</a> })}
            </form>
        }
    })
}
