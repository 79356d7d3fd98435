//! The filter builder: rows of property · operator · value that become the
//! shared query AST. Each property offers only the operators its type
//! allows, and each value is entered with the input that fits (a number,
//! a date, a period, an enum or team choice). Rules it cannot edit (nested
//! groups, `relatedTo`, dynamic values) are kept as they are and can be
//! removed. Interactive after hydration; the active filters render as
//! chips with plain remove links before that.

use crate::components::error::ErrorView;
use crate::model::deferred::Deferred;
use crate::model::filter_draft::{filter_text, FilterDraft, OPEN};
use crate::model::filter_input::{
    describe_rule, filter_fields, operator_label, rule_of_input, value_input, FilterField,
    ValueInput, PRESET_CHOICES,
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

/// Where a builder is sent as a plain GET form (before or without
/// JavaScript; see `model::filter_draft`): the page's URL and the view's
/// other parameters, kept in hidden inputs.
#[derive(Clone, Debug, Default)]
pub struct GetForm {
    pub action: String,
    pub hidden: Vec<(String, String)>,
}

/// The builder, starting from `draft` (the builder posted back in the URL)
/// or else the filter in use; `apply_label` names its button ("Apply
/// filters", "Save initial filter"). With `get_form` it also works as a
/// plain form. Its code is its own part of the browser bundle (`#[lazy]`),
/// loaded when a menu first opens it, or before hydration when the URL
/// opens it.
#[lazy]
pub async fn filter_builder(
    editing: Deferred<CatalogEditing>,
    built: BuiltFilter,
    apply_label: &'static str,
    on_apply: OnApply,
    draft: Option<FilterDraft>,
    get_form: Option<GetForm>,
) -> AnyView {
    let editing = match editing.decode() {
        Ok(editing) => editing,
        Err(error) => return view! { <ErrorView error/> }.into_any(),
    };
    let fields = Arc::new(filter_fields(&editing.blueprint, &editing.teams));
    let draft = draft.unwrap_or_else(|| {
        let current = match built {
            BuiltFilter::Table => editing.filter,
            BuiltFilter::Initial => editing.dataset,
        };
        FilterDraft::of_query(current.unwrap_or_else(Query::all), &fields)
    });
    let combinator = RwSignal::new(draft.combinator);
    let editable: Vec<Row> = draft
        .rows
        .iter()
        .enumerate()
        .map(|(key, row)| Row::new(key, &row.property, row.operator, &row.text))
        .collect();
    let next_key = StoredValue::new(editable.len());
    let rows = RwSignal::new(editable);
    let kept = RwSignal::new(draft.kept);
    let errors = RwSignal::new(draft.errors);

    // The buttons are submit buttons, so they work in a plain form; once
    // the page is interactive they act here instead.
    let add = {
        let fields = fields.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let first = &fields[0];
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            let op = first.operators()[0];
            rows.update(|r| r.push(Row::new(key, &first.key, op, "")));
        }
    };
    let apply = {
        let fields = fields.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
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
            on_apply(filter_text(&Query {
                combinator: combinator.get_untracked(),
                rules,
            }));
        }
    };
    let row_fields = fields.clone();
    let kept_fields = fields.clone();
    let form = get_form.unwrap_or_default();
    let plain = !form.action.is_empty();
    let hidden = form
        .hidden
        .into_iter()
        .chain(plain.then(|| (OPEN.to_string(), "1".to_string())))
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view();
    let action = plain.then_some(form.action);
    view! {
        <form class="filter-builder" method="get" action=action role="group" aria-label="Filters" on:submit=apply>
            {hidden}
            <label class="filter-combinator">
                "Show entities matching "
                <select name="fc" on:change=move |ev| combinator.set(if event_target_value(&ev) == "or" { Combinator::Or } else { Combinator::And })>
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
                    let json = rule.to_json().to_string();
                    view! {
                        <li class="filter-row kept">
                            <input type="hidden" name="fk" value=json/>
                            <span class="muted">{text}</span>
                            <button type="submit" name="fdropk" value=i.to_string() class="icon-button" aria-label="Remove this rule"
                                on:click=move |ev| { ev.prevent_default(); kept.update(|k| { k.remove(i); }); }>"×"</button>
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
                <button type="submit" name="fadd" value="1" class="button" on:click=add>"+ Add rule"</button>
                // Without JavaScript a changed property shows its own
                // operators and values once the form comes back.
                <button type="submit" name="fedit" value="1" class="button plain-only">"Update rules"</button>
                <button type="submit" name="fapply" value="1" class="button primary">{apply_label}</button>
            </div>
        </form>
    }
    .into_any()
}

/// Loads the builder's code before the page hydrates when the URL opens
/// it (a builder sent as a plain form; see `entity_form::preload_for_url`).
#[cfg(feature = "hydrate")]
pub async fn preload_for_url(search: &str) {
    let open = search
        .trim_start_matches('?')
        .split('&')
        .any(|pair| pair.split('=').next() == Some(OPEN));
    if open {
        __preload_filter_builder().await;
    }
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
        value_view(&f, value_input(&f, op), row.value, format!("f{}v", row.key))
    };
    let (property_name, operator_name) = (format!("f{}p", row.key), format!("f{}o", row.key));
    view! {
        <li class="filter-row">
            <select name=property_name aria-label="Property" on:change=on_property>{properties}</select>
            <select name=operator_name aria-label="Operator" on:change=move |ev| { row.operator.set(event_target_value(&ev)); }>{operators}</select>
            <span class="filter-value">{value}</span>
            <button type="submit" name="fdrop" value=row.key.to_string() class="icon-button" aria-label="Remove this rule"
                on:click=move |ev| { ev.prevent_default(); rows.update(|r| r.retain(|x| x.key != row.key)); }>"×"</button>
        </li>
    }
    .into_any()
}

/// The input for a rule's value, bound to `value` and named `name`. The
/// text is also written as the attribute, so the server's page shows it.
fn value_view(
    field: &FilterField,
    input: ValueInput,
    value: RwSignal<String>,
    name: String,
) -> AnyView {
    let on_input = move |ev| value.set(event_target_value(&ev));
    let shown = value.get_untracked();
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
            <input type="number" step="any" name=name aria-label="Value" value=shown prop:value=move || value.get() on:input=on_input/>
        }
        .into_any(),
        ValueInput::Date => view! {
            <input type="date" name=name aria-label="Value" value=shown prop:value=move || value.get() on:input=on_input/>
        }
        .into_any(),
        ValueInput::Text | ValueInput::List => {
            let hint = if input == ValueInput::List { "values, separated by commas" } else { "value" };
            view! {
                <input type="text" name=name aria-label="Value" placeholder=hint value=shown prop:value=move || value.get() on:input=on_input/>
            }
            .into_any()
        }
        ValueInput::Preset => {
            let choices = PRESET_CHOICES
                .iter()
                .map(|(wire, label)| (wire.to_string(), label.to_string()))
                .collect();
            view! {
                <select name=name aria-label="Period" on:change=on_input>
                    <option value="">"Choose a period…"</option>
                    {choice_options(choices)}
                </select>
            }
            .into_any()
        }
        ValueInput::Choice => {
            let choices = field.choices.iter().map(|c| (c.clone(), c.clone())).collect();
            view! {
                <select name=name aria-label="Value" on:change=on_input>
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
                    let ticked = split(&shown).contains(&c);
                    let name = name.clone();
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
                            <input type="checkbox" name=name value=choice.clone() checked=ticked prop:checked=checked on:change=toggle/>
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
