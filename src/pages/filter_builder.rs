//! The filter builder: rows of property · operator · value that become the
//! shared query AST. Each property offers only the operators its type
//! allows, and each value is entered with the input that fits (a number,
//! a date, a period, an enum or team choice). Rules it cannot edit (nested
//! groups, `relatedTo`, dynamic values) are kept as they are and can be
//! removed. Interactive after hydration; the active filters render as
//! chips with plain remove links before that.

use crate::components::error::ErrorView;
use crate::model::deferred::Deferred;
use crate::model::filter_input::{
    describe_rule, filter_fields, input_of_rule, operator_label, rule_of_input, value_input,
    FilterField, ValueInput, PRESET_CHOICES,
};
use crate::model::query::{Combinator, Operator, Query, Rule};
use crate::model::CatalogEditing;
use leptos::prelude::*;
use std::sync::Arc;

/// What happens to the built query, given as Port's query JSON (empty: no
/// rule left).
pub type OnApply = Arc<dyn Fn(String) + Send + Sync>;

/// Which of a catalog page's filters a builder edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltFilter {
    /// The view's own filter (in the URL).
    Table,
    /// The page's initial filter (admins and moderators).
    Initial,
}

#[derive(Clone, Copy)]
struct Row {
    key: usize,
    property: RwSignal<String>,
    operator: RwSignal<String>,
    value: RwSignal<String>,
}

impl Row {
    fn new(key: usize, property: &str, operator: Operator, value: &str) -> Row {
        Row {
            key,
            property: RwSignal::new(property.to_string()),
            operator: RwSignal::new(operator.wire().to_string()),
            value: RwSignal::new(value.to_string()),
        }
    }
}

fn field_of(fields: &[FilterField], key: &str) -> Option<FilterField> {
    fields.iter().find(|f| f.key == key).cloned()
}

/// The builder, starting from `current`; `apply_label` names its button
/// ("Apply filters", "Save initial filter"). Its code is its own part of
/// the browser bundle (`#[lazy]`), loaded when a menu first opens it.
#[lazy]
pub async fn filter_builder(
    editing: Deferred<CatalogEditing>,
    built: BuiltFilter,
    apply_label: &'static str,
    on_apply: OnApply,
) -> AnyView {
    let editing = match editing.decode() {
        Ok(editing) => editing,
        Err(error) => return view! { <ErrorView error/> }.into_any(),
    };
    let fields = Arc::new(filter_fields(&editing.blueprint, &editing.teams));
    let current = match built {
        BuiltFilter::Table => editing.filter,
        BuiltFilter::Initial => editing.dataset,
    };
    let current = current.unwrap_or_else(Query::all);
    let combinator = RwSignal::new(current.combinator);
    let mut editable = Vec::new();
    let mut kept = Vec::new();
    for rule in current.rules {
        match input_of_rule(&rule).filter(|(key, _, _)| field_of(&fields, key).is_some()) {
            Some((key, op, text)) => editable.push(Row::new(editable.len(), &key, op, &text)),
            None => kept.push(rule),
        }
    }
    let next_key = StoredValue::new(editable.len());
    let rows = RwSignal::new(editable);
    let kept = RwSignal::new(kept);
    let errors = RwSignal::new(Vec::<String>::new());

    let add = {
        let fields = fields.clone();
        move |_| {
            let first = &fields[0];
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            let op = first.operators()[0];
            rows.update(|r| r.push(Row::new(key, &first.key, op, "")));
        }
    };
    let apply = {
        let fields = fields.clone();
        move |_| {
            let mut problems = Vec::new();
            let mut rules: Vec<Rule> = Vec::new();
            for row in rows.get_untracked() {
                let Some(field) = field_of(&fields, &row.property.get_untracked()) else {
                    continue;
                };
                let op =
                    Operator::parse(&row.operator.get_untracked()).unwrap_or(field.operators()[0]);
                match rule_of_input(&field, op, &row.value.get_untracked()) {
                    Ok(rule) => rules.push(rule),
                    Err(problem) => problems.push(problem),
                }
            }
            if !problems.is_empty() {
                errors.set(problems);
                return;
            }
            errors.set(Vec::new());
            rules.extend(kept.get_untracked());
            let query = Query {
                combinator: combinator.get_untracked(),
                rules,
            };
            on_apply(if query.rules.is_empty() {
                String::new()
            } else {
                query.to_json().to_string()
            });
        }
    };
    let row_fields = fields.clone();
    let kept_fields = fields.clone();
    view! {
        <div class="filter-builder" role="group" aria-label="Filters">
            <label class="filter-combinator">
                "Show entities matching "
                <select on:change=move |ev| combinator.set(if event_target_value(&ev) == "or" { Combinator::Or } else { Combinator::And })>
                    <option value="and" selected=move || combinator.get() == Combinator::And>"all"</option>
                    <option value="or" selected=move || combinator.get() == Combinator::Or>"any"</option>
                </select>
                " of these rules:"
            </label>
            <ul class="filter-rows">
                <For each=move || rows.get() key=|row| row.key let:row>
                    {row_view(row_fields.clone(), row, rows)}
                </For>
                {move || kept.get().into_iter().enumerate().map(|(i, rule)| {
                    let text = describe_rule(&rule, &kept_fields);
                    view! {
                        <li class="filter-row kept">
                            <span class="muted">{text}</span>
                            <button type="button" class="icon-button" aria-label="Remove this rule"
                                on:click=move |_| kept.update(|k| { k.remove(i); })>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || {
                let list = errors.get();
                (!list.is_empty()).then(|| view! {
                    <div class="form-alert" role="alert">
                        <ul>{list.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            <div class="form-actions">
                <button type="button" class="button" on:click=add>"+ Add rule"</button>
                <button type="button" class="button primary" on:click=apply>{apply_label}</button>
            </div>
        </div>
    }
    .into_any()
}

fn row_view(fields: Arc<Vec<FilterField>>, row: Row, rows: RwSignal<Vec<Row>>) -> AnyView {
    let field = {
        let fields = fields.clone();
        move || field_of(&fields, &row.property.get())
    };
    let properties = {
        let fields = fields.clone();
        fields
            .iter()
            .map(|f| {
                let key = f.key.clone();
                let selected = move || row.property.get() == key;
                view! { <option value=f.key.clone() selected=selected>{f.title.clone()}</option> }
            })
            .collect_view()
    };
    let on_property = {
        let fields = fields.clone();
        move |ev| {
            let key = event_target_value(&ev);
            if let Some(f) = field_of(&fields, &key) {
                row.operator.set(f.operators()[0].wire().to_string());
            }
            row.property.set(key);
            row.value.set(String::new());
        }
    };
    let operators = {
        let field = field.clone();
        move || {
            field().map(|f| {
                f.operators()
                    .into_iter()
                    .map(|op| {
                        let wire = op.wire();
                        let selected = move || row.operator.get() == wire;
                        view! { <option value=wire selected=selected>{operator_label(op)}</option> }
                    })
                    .collect_view()
            })
        }
    };
    let value = move || {
        let Some(f) = field() else {
            return ().into_any();
        };
        let op = Operator::parse(&row.operator.get()).unwrap_or(f.operators()[0]);
        value_view(&f, value_input(&f, op), row.value)
    };
    view! {
        <li class="filter-row">
            <select aria-label="Property" on:change=on_property>{properties}</select>
            <select aria-label="Operator" on:change=move |ev| { row.operator.set(event_target_value(&ev)); }>{operators}</select>
            <span class="filter-value">{value}</span>
            <button type="button" class="icon-button" aria-label="Remove this rule"
                on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>"×"</button>
        </li>
    }
    .into_any()
}

/// The input for a rule's value, bound to `value`.
fn value_view(field: &FilterField, input: ValueInput, value: RwSignal<String>) -> AnyView {
    let on_input = move |ev| value.set(event_target_value(&ev));
    let choice_options = |choices: Vec<(String, String)>| {
        choices
            .into_iter()
            .map(|(wire, label)| {
                let w = wire.clone();
                view! { <option value=wire selected=move || value.get() == w>{label}</option> }
            })
            .collect_view()
    };
    match input {
        ValueInput::None => ().into_any(),
        ValueInput::Number => view! {
            <input type="number" step="any" aria-label="Value" prop:value=move || value.get() on:input=on_input/>
        }
        .into_any(),
        ValueInput::Date => view! {
            <input type="date" aria-label="Value" prop:value=move || value.get() on:input=on_input/>
        }
        .into_any(),
        ValueInput::Text | ValueInput::List => {
            let hint = if input == ValueInput::List { "values, separated by commas" } else { "value" };
            view! {
                <input type="text" aria-label="Value" placeholder=hint prop:value=move || value.get() on:input=on_input/>
            }
            .into_any()
        }
        ValueInput::Preset => {
            let choices = PRESET_CHOICES
                .iter()
                .map(|(wire, label)| (wire.to_string(), label.to_string()))
                .collect();
            view! {
                <select aria-label="Period" on:change=on_input>
                    <option value="">"Choose a period…"</option>
                    {choice_options(choices)}
                </select>
            }
            .into_any()
        }
        ValueInput::Choice => {
            let choices = field.choices.iter().map(|c| (c.clone(), c.clone())).collect();
            view! {
                <select aria-label="Value" on:change=on_input>
                    <option value="">"Choose…"</option>
                    {choice_options(choices)}
                </select>
            }
            .into_any()
        }
        ValueInput::Choices => {
            // Checkboxes (not a multi-select): easy to use with a keyboard
            // and to read at a glance.
            let boxes = field
                .choices
                .iter()
                .map(|choice| {
                    let c = choice.clone();
                    let checked = {
                        let c = c.clone();
                        move || split(&value.get()).contains(&c)
                    };
                    let toggle = move |_| {
                        value.update(|v| {
                            let mut items = split(v);
                            match items.iter().position(|i| *i == c) {
                                Some(at) => {
                                    items.remove(at);
                                }
                                None => items.push(c.clone()),
                            }
                            *v = items.join(", ");
                        })
                    };
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=checked on:change=toggle/>
                            {choice.clone()}
                        </label>
                    }
                })
                .collect_view();
            view! { <span class="choices" role="group" aria-label="Values">{boxes}</span> }.into_any()
        }
    }
}

fn split(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
