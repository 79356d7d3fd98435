//! The dashboard editor: add, edit, remove, move and resize widgets in the
//! 12-column grid, set the rows' heights, the title and the page filters,
//! then save. Every widget form previews its widget as the server computes
//! it (the same checks as saving, so a wrong key shows at once, beside its
//! input), and nothing changes for anyone until Save.

use super::widgets::{widget_body, widget_card, Here};
use super::{preview_widget, save_dashboard};
use crate::model::dashboard::{
    widget_field, KeyInput, KeySpec, LayoutColumn, LayoutRow, WidgetKind, COMMON_KEYS,
    GRID_COLUMNS, MAX_ROW_HEIGHT, MIN_ROW_HEIGHT,
};
use crate::model::widget::WidgetView;
use crate::model::{AppError, Blueprint, DashboardData};
use leptos::prelude::*;
use serde_json::{Map, Value};

/// Row heights change in steps of this many pixels.
const HEIGHT_STEP: u32 = 40;

/// The widget being edited: a copy of its configuration, and the id it had
/// (none for a new one).
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    original: Option<String>,
    config: Map<String, Value>,
}

#[component]
pub fn Editor(data: DashboardData, editing: RwSignal<bool>, saved: RwSignal<u32>) -> impl IntoView {
    let page_id = data.page.identifier.clone();
    let title = RwSignal::new(data.page.title.clone());
    let icon = RwSignal::new(data.page.icon.clone().unwrap_or_default());
    let description = RwSignal::new(data.page.description.clone().unwrap_or_default());
    let widgets = RwSignal::new(data.widgets.clone());
    let layout = RwSignal::new(data.layout.clone());
    let filters = RwSignal::new(
        serde_json::to_string_pretty(&data.page.page_filters).unwrap_or_else(|_| "[]".into()),
    );
    let draft: RwSignal<Option<Draft>> = RwSignal::new(None);
    let blueprints = Resource::new(|| (), |_| crate::pages::builder::get_blueprints());

    let save = Action::new(move |change: &String| {
        let (page, change) = (page_id.clone(), change.clone());
        async move { save_dashboard(page, change).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            editing.set(false);
            saved.update(|n| *n += 1);
        }
    });
    let problem = RwSignal::new(None::<String>);
    let on_save = move |_| {
        let page_filters: Value = match serde_json::from_str(&filters.get_untracked()) {
            Ok(v) => v,
            Err(e) => {
                problem.set(Some(format!("Page filters: not JSON ({e})")));
                return;
            }
        };
        problem.set(None);
        let change = serde_json::json!({
            "title": title.get_untracked(),
            "icon": icon.get_untracked(),
            "description": description.get_untracked(),
            "widgets": widgets.get_untracked().iter().map(|w| w.config.clone()).collect::<Vec<_>>(),
            "layout": layout.get_untracked(),
            "pageFilters": page_filters,
        });
        save.dispatch(change.to_string());
    };
    let preview_page = data.page.identifier.clone();
    let here = Here {
        path: data.page.href(),
        query: vec![],
    };

    view! {
        <div class="page-header editor-header">
            <div class="page-header-text">
                <p class="eyebrow">"Editing dashboard"</p>
                <div class="editor-titles">
                    <label>"Title" <input type="text" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) required/></label>
                    <label>"Icon" <input type="text" prop:value=move || icon.get() on:input=move |ev| icon.set(event_target_value(&ev)) placeholder="e.g. Dashboard"/></label>
                    <label class="grow">"Description" <input type="text" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/></label>
                </div>
            </div>
            <div class="page-actions">
                <button type="button" class="button" on:click=move |_| draft.set(Some(Draft { original: None, config: new_widget(WidgetKind::Number, &ids(&widgets.get_untracked())) }))>"Add widget"</button>
                <button type="button" class="button subtle" on:click=move |_| editing.set(false)>"Cancel"</button>
                <button type="button" class="button primary" on:click=on_save disabled=move || save.pending().get()>"Save dashboard"</button>
            </div>
        </div>
        {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
        {move || match save.value().get() {
            Some(Err(error)) => Some(view! { <div class="form-error" role="alert">{save_problems(&error)}</div> }),
            _ => None,
        }}
        {move || draft.get().map(|d| view! {
            <WidgetForm draft=d page=preview_page.clone() blueprints=blueprints taken=ids(&widgets.get_untracked())
                on_close=Callback::new(move |_| draft.set(None))
                on_apply=Callback::new(move |(original, view): (Option<String>, WidgetView)| {
                    apply(widgets, layout, original, view);
                    draft.set(None);
                })/>
        })}
        <div class="dashboard-grid editing">
            {move || {
                let all = widgets.get();
                layout.get().into_iter().enumerate().map(|(r, row)| {
                    let used: u32 = row.columns.iter().map(|c| c.size).sum();
                    view! {
                        <div class="dashboard-row" style=format!("--row-height: {}px", row.height)>
                            <div class="row-controls" role="group" aria-label=format!("Row {}", r + 1)>
                                <span class="muted">{format!("Row {} · {} px · {used}/{GRID_COLUMNS} columns", r + 1, row.height)}</span>
                                <button type="button" class="icon-button" title="Lower" aria-label="Make the row lower" on:click=move |_| layout.update(|l| resize_row(l, r, false))>"−"</button>
                                <button type="button" class="icon-button" title="Taller" aria-label="Make the row taller" on:click=move |_| layout.update(|l| resize_row(l, r, true))>"+"</button>
                                <button type="button" class="icon-button" title="Move row up" aria-label="Move the row up" on:click=move |_| layout.update(|l| swap_rows(l, r, true))>"↑"</button>
                                <button type="button" class="icon-button" title="Move row down" aria-label="Move the row down" on:click=move |_| layout.update(|l| swap_rows(l, r, false))>"↓"</button>
                            </div>
                            {row.columns.into_iter().enumerate().filter_map(|(c, cell)| {
                                let widget = all.iter().find(|w| w.id == cell.id)?.clone();
                                let id = widget.id.clone();
                                let config = widget.config.clone();
                                let controls = view! {
                                    <div class="widget-controls" role="group" aria-label=format!("Arrange {}", widget.title)>
                                        <button type="button" class="icon-button" title="Move left" aria-label="Move left" on:click=move |_| layout.update(|l| move_cell(l, r, c, Move::Left))>"←"</button>
                                        <button type="button" class="icon-button" title="Move right" aria-label="Move right" on:click=move |_| layout.update(|l| move_cell(l, r, c, Move::Right))>"→"</button>
                                        <button type="button" class="icon-button" title="Move up a row" aria-label="Move up a row" on:click=move |_| layout.update(|l| move_cell(l, r, c, Move::Up))>"↑"</button>
                                        <button type="button" class="icon-button" title="Move down a row" aria-label="Move down a row" on:click=move |_| layout.update(|l| move_cell(l, r, c, Move::Down))>"↓"</button>
                                        <button type="button" class="icon-button" title="Narrower" aria-label="Make narrower" on:click=move |_| layout.update(|l| resize_cell(l, r, c, false))>"⇤"</button>
                                        <button type="button" class="icon-button" title="Wider" aria-label="Make wider" on:click=move |_| layout.update(|l| resize_cell(l, r, c, true))>"⇥"</button>
                                        <button type="button" class="button subtle small" on:click=move |_| draft.set(Some(Draft { original: Some(id.clone()), config: config.as_object().cloned().unwrap_or_default() }))>"Edit"</button>
                                        <button type="button" class="button subtle small danger" on:click={
                                            let id = widget.id.clone();
                                            move |_| remove(widgets, layout, &id)
                                        }>"Remove"</button>
                                    </div>
                                };
                                Some(view! {
                                    <div class="dashboard-cell" style=format!("--span: {}", cell.size)>
                                        <span class="cell-size">{format!("{}/{GRID_COLUMNS}", cell.size)}</span>
                                        {widget_card(widget, Some(controls.into_any()), &here)}
                                    </div>
                                })
                            }).collect_view()}
                        </div>
                    }
                }).collect_view()
            }}
        </div>
        <details class="panel page-filters-editor">
            <summary>"Page filters"</summary>
            <p class="muted">"A JSON list: " <code>{r#"[{"identifier": "teams", "title": "Owning teams", "query": {"combinator": "and", "rules": [], "blueprint": "dashboard-filters-meta-blueprint"}, "locked": false}]"#}</code>
            ". A filter with the meta blueprint applies to every chart and table and may use $team, $title and $identifier; one naming a blueprint applies to that blueprint's widgets. Viewers may change unlocked filters for themselves."</p>
            <textarea rows="8" class="code" prop:value=move || filters.get() on:change=move |ev| filters.set(event_target_value(&ev))></textarea>
        </details>
    }
}

/// A save's refusal: each field's problem on its own line.
fn save_problems(error: &AppError) -> impl IntoView {
    match error {
        AppError::Fields(fields) => view! {
            <p>"The dashboard was not saved:"</p>
            <ul>{fields.fields.iter().map(|f| view! { <li><code>{f.field.clone()}</code> ": " {f.message.clone()}</li> }).collect_view()}</ul>
        }
        .into_any(),
        other => view! { <p>"The dashboard was not saved: " {other.to_string()}</p> }.into_any(),
    }
}

/// A new widget of `kind` with an id no other widget has.
fn new_widget(kind: WidgetKind, taken: &[String]) -> Map<String, Value> {
    let base = kind.type_name().trim_start_matches("entities-").to_string();
    let id = (1..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or(base);
    let mut config = Map::new();
    config.insert("id".into(), Value::String(id));
    config.insert("type".into(), Value::String(kind.type_name().into()));
    config.insert("title".into(), Value::String(kind.label().into()));
    config
}

fn ids(widgets: &[WidgetView]) -> Vec<String> {
    widgets.iter().map(|w| w.id.clone()).collect()
}

/// Puts an applied widget in place (or at the end of the grid if new).
fn apply(
    widgets: RwSignal<Vec<WidgetView>>,
    layout: RwSignal<Vec<LayoutRow>>,
    original: Option<String>,
    view: WidgetView,
) {
    let id = view.id.clone();
    widgets.update(|all| {
        match original
            .as_ref()
            .and_then(|o| all.iter().position(|w| &w.id == o))
        {
            Some(i) => all[i] = view,
            None => all.push(view),
        }
    });
    layout.update(|rows| {
        if let Some(original) = &original {
            for cell in rows.iter_mut().flat_map(|r| r.columns.iter_mut()) {
                if &cell.id == original {
                    cell.id = id.clone();
                    return;
                }
            }
        }
        let size = GRID_COLUMNS / 2;
        match rows.last_mut() {
            Some(row) if row.columns.iter().map(|c| c.size).sum::<u32>() + size <= GRID_COLUMNS => {
                row.columns.push(LayoutColumn { id, size })
            }
            _ => rows.push(LayoutRow {
                height: 360,
                columns: vec![LayoutColumn { id, size }],
            }),
        }
    });
}

fn remove(widgets: RwSignal<Vec<WidgetView>>, layout: RwSignal<Vec<LayoutRow>>, id: &str) {
    widgets.update(|all| all.retain(|w| w.id != id));
    layout.update(|rows| {
        for row in rows.iter_mut() {
            row.columns.retain(|c| c.id != id);
        }
        rows.retain(|r| !r.columns.is_empty());
    });
}

#[derive(Clone, Copy)]
enum Move {
    Left,
    Right,
    Up,
    Down,
}

/// Moves a cell within its row, or into the row above or below (a new row
/// when there is none or it is full); empty rows disappear.
fn move_cell(rows: &mut Vec<LayoutRow>, r: usize, c: usize, to: Move) {
    let Some(row) = rows.get_mut(r) else { return };
    if c >= row.columns.len() {
        return;
    }
    match to {
        Move::Left if c > 0 => row.columns.swap(c, c - 1),
        Move::Right if c + 1 < row.columns.len() => row.columns.swap(c, c + 1),
        Move::Up | Move::Down => {
            let cell = row.columns.remove(c);
            let target = match to {
                Move::Up => r.checked_sub(1),
                _ => Some(r + 1).filter(|t| *t < rows.len()),
            };
            let fits = |row: &LayoutRow| {
                row.columns.iter().map(|c| c.size).sum::<u32>() + cell.size <= GRID_COLUMNS
            };
            match target {
                Some(t) if fits(&rows[t]) => rows[t].columns.push(cell),
                // A full neighbour: a row of its own beyond it.
                Some(t) => {
                    let at = if matches!(to, Move::Up) { t } else { t + 1 };
                    rows.insert(
                        at,
                        LayoutRow {
                            height: 360,
                            columns: vec![cell],
                        },
                    );
                }
                None => {
                    let at = if matches!(to, Move::Up) { r } else { r + 1 };
                    rows.insert(
                        at,
                        LayoutRow {
                            height: 360,
                            columns: vec![cell],
                        },
                    );
                }
            }
            rows.retain(|r| !r.columns.is_empty());
        }
        _ => {}
    }
}

/// One column narrower, or wider while the row has room.
fn resize_cell(rows: &mut [LayoutRow], r: usize, c: usize, wider: bool) {
    let Some(row) = rows.get_mut(r) else { return };
    let used: u32 = row.columns.iter().map(|c| c.size).sum();
    let Some(cell) = row.columns.get_mut(c) else {
        return;
    };
    if wider && used < GRID_COLUMNS {
        cell.size += 1;
    } else if !wider && cell.size > 1 {
        cell.size -= 1;
    }
}

fn resize_row(rows: &mut [LayoutRow], r: usize, taller: bool) {
    if let Some(row) = rows.get_mut(r) {
        row.height = if taller {
            (row.height + HEIGHT_STEP).min(MAX_ROW_HEIGHT)
        } else {
            row.height.saturating_sub(HEIGHT_STEP).max(MIN_ROW_HEIGHT)
        };
    }
}

fn swap_rows(rows: &mut [LayoutRow], r: usize, up: bool) {
    let other = if up { r.checked_sub(1) } else { Some(r + 1) };
    if let Some(other) = other.filter(|o| *o < rows.len()) {
        rows.swap(r, other);
    }
}

fn kind_of(config: &Map<String, Value>) -> Option<WidgetKind> {
    config
        .get("type")
        .and_then(Value::as_str)
        .and_then(WidgetKind::of_type)
}

/// The keys the form asks for now (those whose condition holds).
fn asked(config: &Map<String, Value>) -> Vec<&'static KeySpec> {
    let kind_keys = kind_of(config).map(WidgetKind::keys).unwrap_or(&[]);
    COMMON_KEYS
        .iter()
        .chain(kind_keys)
        .filter(|spec| spec.applies(config))
        .collect()
}

/// A key's value as the form shows it.
fn shown(value: Option<&Value>, input: KeyInput) -> String {
    match (value, input) {
        (None | Some(Value::Null), _) => String::new(),
        (Some(Value::String(s)), _) => s.clone(),
        (Some(v), KeyInput::Query | KeyInput::List) => {
            serde_json::to_string_pretty(v).unwrap_or_default()
        }
        (Some(v), _) => v.to_string(),
    }
}

/// What the form stores for a key's text: JSON for queries and lists (the
/// text itself when it is not JSON, so the server says what is wrong),
/// numbers as numbers, nothing for an empty field.
fn parsed(text: String, input: KeyInput) -> Option<Value> {
    if text.trim().is_empty() {
        return None;
    }
    Some(match input {
        KeyInput::Query | KeyInput::List => {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
        KeyInput::Integer { .. } => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or(Value::String(text)),
        _ => Value::String(text),
    })
}

#[component]
fn WidgetForm(
    draft: Draft,
    page: String,
    blueprints: Resource<Result<Vec<Blueprint>, AppError>>,
    /// The ids of the dashboard's widgets (a new one gets another).
    taken: Vec<String>,
    on_close: Callback<()>,
    on_apply: Callback<(Option<String>, WidgetView)>,
) -> impl IntoView {
    let original = draft.original.clone();
    let config = RwSignal::new(draft.config);
    let preview = Action::new(move |config: &String| {
        let (page, config) = (page.clone(), config.clone());
        async move { preview_widget(page, config).await }
    });
    // Live preview: every change is computed by the server.
    Effect::new(move |_| {
        preview.dispatch(Value::Object(config.get()).to_string());
    });
    let id = move || {
        config.with(|c| {
            c.get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        })
    };
    let error_of = move |key: &'static str| {
        let field = widget_field(&id(), key);
        match preview.value().get() {
            Some(Err(AppError::Fields(f))) => f
                .fields
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    };
    // The form's inputs are drawn again only when the set of keys changes,
    // so typing never loses the focus.
    let keys =
        Memo::new(move |_| config.with(|c| asked(c).iter().map(|k| k.key).collect::<Vec<_>>()));
    let set = move |key: &'static str, value: Option<Value>| {
        config.update(|c| match value {
            Some(v) => {
                c.insert(key.to_string(), v);
            }
            None => {
                c.remove(key);
            }
        })
    };
    let blueprint_props = move || {
        let chosen = config.with(|c| {
            c.get("blueprint")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        let mut keys = vec!["$createdAt".to_string(), "$updatedAt".to_string()];
        if let (Some(Ok(all)), Some(chosen)) = (blueprints.get(), chosen) {
            if let Some(bp) = all.iter().find(|b| b.identifier == chosen) {
                keys.extend(bp.schema.properties.keys().cloned());
            }
        }
        keys
    };
    let new = original.is_none();
    let heading = if new { "Add a widget" } else { "Edit widget" };
    view! {
        <section class="panel widget-form" aria-label=heading>
            <div class="widget-form-fields">
                <h2>{heading}</h2>
                {new.then(|| view! {
                    <label class="field">"Type"
                        <select on:change=move |ev| {
                            let kind = WidgetKind::of_type(&event_target_value(&ev)).unwrap_or(WidgetKind::Number);
                            let mut fresh = new_widget(kind, &taken);
                            // A title already typed stays.
                            let typed = config.with_untracked(|c| c.get("title").cloned())
                                .filter(|t| !WidgetKind::ALL.iter().any(|k| t.as_str() == Some(k.label())));
                            if let Some(title) = typed {
                                fresh.insert("title".into(), title);
                            }
                            config.set(fresh);
                        }>
                            {WidgetKind::ALL.iter().map(|k| view! { <option value=k.type_name()>{k.label()}</option> }).collect_view()}
                        </select>
                    </label>
                })}
                <datalist id="widget-properties">
                    {move || blueprint_props().into_iter().map(|k| view! { <option value=k.clone()></option> }).collect_view()}
                </datalist>
                {move || {
                    keys.get();
                    let specs = config.with_untracked(asked);
                    specs.into_iter().map(|spec| {
                        let key = spec.key;
                        let input_id = format!("widget-key-{key}");
                        let value = config.with_untracked(|c| shown(c.get(key), spec.input));
                        let input = spec.input;
                        let on_change = move |ev: leptos::ev::Event| set(key, parsed(event_target_value(&ev), input));
                        let control = match spec.input {
                            KeyInput::LongText | KeyInput::Query | KeyInput::List => view! {
                                <textarea id=input_id.clone() rows=if matches!(input, KeyInput::LongText) { 6 } else { 4 } class="code" on:change=on_change>{value}</textarea>
                            }.into_any(),
                            KeyInput::Choice(choices) => view! {
                                <select id=input_id.clone() on:change=on_change>
                                    <option value="" selected=value.is_empty()>"(default)"</option>
                                    {choices.iter().map(|c| view! { <option value=*c selected=value == *c>{*c}</option> }).collect_view()}
                                </select>
                            }.into_any(),
                            KeyInput::Blueprint => view! {
                                <select id=input_id.clone() on:change=on_change>
                                    <option value="" selected=value.is_empty()>"(choose)"</option>
                                    {move || blueprints.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|b| {
                                        let selected = b.identifier == value;
                                        view! { <option value=b.identifier.clone() selected=selected>{b.title.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            }.into_any(),
                            KeyInput::Integer { min, max } => view! {
                                <input id=input_id.clone() type="number" min=min max=max value=value on:change=on_change/>
                            }.into_any(),
                            KeyInput::Property => view! {
                                <input id=input_id.clone() type="text" list="widget-properties" value=value on:change=on_change/>
                            }.into_any(),
                            KeyInput::Url => view! {
                                <input id=input_id.clone() type="url" value=value on:change=on_change placeholder="https://…"/>
                            }.into_any(),
                            KeyInput::Text | KeyInput::Entity => view! {
                                <input id=input_id.clone() type="text" value=value on:change=on_change/>
                            }.into_any(),
                        };
                        view! {
                            <div class="field">
                                <label for=input_id>{spec.label}{spec.required.then_some(" *")}</label>
                                {control}
                                {(!spec.help.is_empty()).then(|| view! { <p class="help muted">{spec.help}</p> })}
                                {move || error_of(key).map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                            </div>
                        }
                    }).collect_view()
                }}
                <div class="row">
                    // Only the preview of the latest change may be applied.
                    <button type="button" class="button primary" disabled=move || preview.pending().get() || !matches!(preview.value().get(), Some(Ok(_)))
                        on:click=move |_| {
                            if let Some(Ok(view)) = preview.value().get_untracked() {
                                on_apply.run((original.clone(), view));
                            }
                        }>{if new { "Add to dashboard" } else { "Apply" }}</button>
                    <button type="button" class="button subtle" on:click=move |_| on_close.run(())>"Cancel"</button>
                </div>
            </div>
            <div class="widget-preview" aria-live="polite">
                <h3 class="muted">"Preview"</h3>
                {move || match preview.value().get() {
                    None => view! { <p class="muted">"Computing…"</p> }.into_any(),
                    Some(Ok(view)) => view! {
                        {matches!(view.data, crate::model::WidgetData::Iframe { .. }).then(|| view! {
                            <p class="help muted">"A page from a new address shows once the dashboard is saved: the portal's Content-Security-Policy lists the addresses of saved widgets only."</p>
                        })}
                        <div class="widget preview-card">
                            <h2 class="widget-title">{view.title.clone()}</h2>
                            <div class="widget-body">{widget_body(&view, &Here::default())}</div>
                        </div>
                    }.into_any(),
                    Some(Err(AppError::Fields(f))) => view! {
                        <p class="field-error" role="alert">{format!("{} problem(s): fix the fields marked.", f.fields.len())}</p>
                        <ul class="muted">{f.fields.iter().map(|e| view! { <li><code>{e.field.clone()}</code> ": " {e.message.clone()}</li> }).collect_view()}</ul>
                    }.into_any(),
                    Some(Err(error)) => view! { <p class="field-error" role="alert">{error.to_string()}</p> }.into_any(),
                }}
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[(&str, u32)]) -> LayoutRow {
        LayoutRow {
            height: 400,
            columns: cells
                .iter()
                .map(|(id, size)| LayoutColumn {
                    id: id.to_string(),
                    size: *size,
                })
                .collect(),
        }
    }

    fn ids(rows: &[LayoutRow]) -> Vec<Vec<&str>> {
        rows.iter()
            .map(|r| r.columns.iter().map(|c| c.id.as_str()).collect())
            .collect()
    }

    #[test]
    fn cells_move_between_rows_and_empty_rows_go() {
        let mut rows = vec![row(&[("a", 6), ("b", 6)]), row(&[("c", 4)])];
        move_cell(&mut rows, 0, 1, Move::Down);
        assert_eq!(ids(&rows), [vec!["a"], vec!["c", "b"]]);
        move_cell(&mut rows, 0, 0, Move::Down);
        // The row below is full: a new row takes it, the empty one goes.
        assert_eq!(ids(&rows), [vec!["c", "b"], vec!["a"]]);
        move_cell(&mut rows, 0, 0, Move::Right);
        assert_eq!(ids(&rows), [vec!["b", "c"], vec!["a"]]);
    }

    #[test]
    fn cells_grow_only_into_free_columns() {
        let mut rows = vec![row(&[("a", 6), ("b", 5)])];
        resize_cell(&mut rows, 0, 0, true);
        resize_cell(&mut rows, 0, 0, true);
        assert_eq!(rows[0].columns[0].size, 7);
        resize_row(&mut rows, 0, false);
        assert_eq!(rows[0].height, 360);
    }
}
