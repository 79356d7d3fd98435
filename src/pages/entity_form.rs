//! The form that edits an entity, generated from its blueprint's schema:
//! an input per type and format, required fields marked, fields the viewer
//! may not change shown read-only (and not sent), the validator's messages
//! next to their fields, a save that can't be sent twice, and a conflict
//! (someone saved first) shown with a way to reload. A plain HTML form: it
//! posts even before the page is interactive.
// Server functions take one argument per form field (the browser posts
// them as a plain form), so some take more than clippy's seven.
#![allow(clippy::too_many_arguments)]

use crate::components::error::ErrorView;
use crate::model::deferred::Deferred;
use crate::model::form::{input_kind, text_of, FormOutcome, FormReply, InputKind};
use crate::model::url::encode_component;
use crate::model::validate::FieldError;
use crate::model::{AppError, Blueprint, CatalogEditing, EntityPageData, PropertySchema};
use leptos::prelude::*;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Saves the form of an entity page. `properties[<key>]` carries the text
/// of each field the viewer may change; `title` is absent when they may
/// not change it.
#[server(endpoint = "save_entity", output = crate::model::json_codec::Json)]
pub async fn save_entity(
    blueprint: String,
    identifier: String,
    version: i64,
    #[server(default)] title: Option<String>,
    #[server(default)] properties: BTreeMap<String, String>,
    #[server(default)] relations: BTreeMap<String, String>,
    #[server(default)] team: BTreeMap<String, String>,
    #[server(default)] teams_offered: bool,
    #[server(default)] original: String,
) -> Result<FormOutcome, AppError> {
    let original = match original.trim() {
        "" => None,
        text => Some(serde_json::from_str(text).map_err(|e| {
            AppError::BadRequest(format!(
                "the form's record of what it showed (`original`) is not readable: {e}"
            ))
        })?),
    };
    let mut posted = posted_fields(title.as_deref(), &properties, &relations, &team);
    posted.insert("version".into(), version.to_string());
    if teams_offered {
        posted.insert("teams_offered".into(), "true".into());
    }
    let form = crate::model::form::EntityForm {
        blueprint,
        identifier,
        version,
        title,
        properties,
        relations,
        // Unticking every team sends no `team[…]` at all; the marker says
        // the form offered teams, so that means "no team".
        team: teams_offered.then(|| team.into_keys().collect()),
        original,
    };
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    let outcome = crate::services::entities::save_form(&store, &subject, form).await?;
    answer_plain_form(&outcome, posted);
    Ok(outcome)
}

/// Every field of an entity form as posted, by input name (see
/// [`FormReply`](crate::model::form::FormReply)).
#[cfg(feature = "ssr")]
fn posted_fields(
    title: Option<&str>,
    properties: &BTreeMap<String, String>,
    relations: &BTreeMap<String, String>,
    team: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let named = |prefix: &str, map: &BTreeMap<String, String>| {
        map.iter()
            .map(|(key, value)| (format!("{prefix}[{key}]"), value.clone()))
            .collect::<Vec<_>>()
    };
    title
        .map(|t| ("title".to_string(), t.to_string()))
        .into_iter()
        .chain(named("properties", properties))
        .chain(named("relations", relations))
        .chain(named("team", team))
        .collect()
}

/// Where a form posted without JavaScript goes next: the saved entity's
/// page, or back to the form with what was typed and the field messages.
/// (Refusals that are errors, a conflict or a permission, go back through
/// Leptos's own `__err` and show above the form.)
#[cfg(feature = "ssr")]
fn answer_plain_form(outcome: &FormOutcome, fields: BTreeMap<String, String>) {
    match outcome {
        FormOutcome::Saved(entity) => crate::pages::context::redirect_plain_form_to(&format!(
            "/entity/{}/{}",
            encode_component(&entity.blueprint),
            encode_component(&entity.identifier)
        )),
        FormOutcome::Invalid(errors) => {
            crate::pages::context::reply_to_plain_form(&crate::model::form::FormReply {
                errors: errors.clone(),
                fields,
            })
        }
    }
}

/// Creates an entity from a catalog page's form: `team[<name>]` for each
/// team ticked.
#[server(endpoint = "create_entity", output = crate::model::json_codec::Json)]
pub async fn create_entity(
    blueprint: String,
    identifier: String,
    #[server(default)] title: Option<String>,
    #[server(default)] team: BTreeMap<String, String>,
    #[server(default)] properties: BTreeMap<String, String>,
    #[server(default)] relations: BTreeMap<String, String>,
) -> Result<FormOutcome, AppError> {
    let mut posted = posted_fields(title.as_deref(), &properties, &relations, &team);
    posted.insert("identifier".into(), identifier.clone());
    let form = crate::model::form::EntityForm {
        blueprint,
        identifier,
        version: 0,
        title,
        properties,
        relations,
        team: Some(team.into_keys().collect()),
        original: None,
    };
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    let outcome = crate::services::entities::create_form(&store, &subject, form).await?;
    answer_plain_form(&outcome, posted);
    Ok(outcome)
}

/// Entities of `blueprint` a relation picker offers for `text` (in title
/// or identifier), among those the viewer may read; at most 20.
#[server(endpoint = "find_related", output = crate::model::json_codec::Json)]
pub async fn find_related(
    blueprint: String,
    text: String,
) -> Result<Vec<crate::model::RelatedChoice>, AppError> {
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    crate::services::catalog::related_choices(&store, &subject, &blueprint, &text).await
}

/// Deletes an entity; answers where to go next (its catalog page, or home).
#[server(endpoint = "delete_entity", output = crate::model::json_codec::Json)]
pub async fn delete_entity(blueprint: String, identifier: String) -> Result<String, AppError> {
    let (store, subject) = (
        crate::pages::context::store()?,
        crate::pages::context::subject().await?,
    );
    crate::services::entities::delete_entity(&store, &subject, &blueprint, &identifier).await?;
    let catalog = crate::services::pages::catalog_href(&store, &subject, &blueprint).await?;
    let href = catalog.unwrap_or_else(|| "/".into());
    // Confirmed before hydration, the deleted entity's page would be next.
    crate::pages::context::redirect_plain_form_to(&href);
    Ok(href)
}

/// Loads the code of the form the URL opens (`?edit`, `?new`), for the
/// browser to do before it hydrates the page. A lazy form whose chunk
/// arrived while the page was hydrating left the page unhydrated (or
/// hydrated twice over); loaded first, the form resolves at once.
#[cfg(feature = "hydrate")]
pub async fn preload_for_url(search: &str) {
    let names: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .map(|pair| pair.split('=').next().unwrap_or_default())
        .collect();
    if names.contains(&"edit") {
        __preload_entity_form().await;
    }
    if names.contains(&"new") {
        __preload_new_entity_form().await;
    }
}

/// Once `action` saves an entity, opens that entity's page.
pub fn open_saved_entity<A>(action: ServerAction<A>)
where
    A: leptos::server_fn::ServerFn<Output = FormOutcome, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(FormOutcome::Saved(entity))) = action.value().get() {
            let to = format!(
                "/entity/{}/{}",
                encode_component(&entity.blueprint),
                encode_component(&entity.identifier)
            );
            navigate(&to, Default::default());
        }
    });
}

/// Submit (disabled, with `busy` as its label, while the action runs) and
/// Cancel. Before hydration the form posts natively, and the server sends
/// it back with what was typed and the field messages if it refuses
/// (`FormReply`).
fn form_actions<A>(
    action: ServerAction<A>,
    idle: &'static str,
    busy: &'static str,
    cancel: String,
) -> AnyView
where
    A: leptos::server_fn::ServerFn<Output = FormOutcome, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    // Read without panicking once disposed (see `field_errors`): the
    // server's `dry_resolve` may call these after the form's owner is gone.
    let pending = action.pending();
    let saving = move || pending.try_get().unwrap_or(false);
    view! {
        <div class="form-actions">
            <button type="submit" class="button primary" disabled=saving>
                {move || if saving() { busy } else { idle }}
            </button>
            <a class="button" href=cancel>"Cancel"</a>
        </div>
    }
    .into_any()
}

/// The field messages of the last answer to a form.
///
/// A reference-counted signal, not an arena one: the forms are built inside
/// a `Suspend`, whose owner is disposed when it re-runs, and a field's
/// closure may still be read after that (the server's `dry_resolve` did).
/// The action itself may be gone by then too (the page that made it was
/// left while the server still rendered): it reads as no answer, where
/// `action.value()` panicked ("already disposed", seen in the e2e logs).
fn field_errors<A>(action: ServerAction<A>, reply: Option<&FormReply>) -> ArcSignal<Vec<FieldError>>
where
    A: leptos::server_fn::ServerFn<Output = FormOutcome, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let answer = action.value();
    // Until the form is sent again from this page, the messages of the
    // plain post that brought it back.
    let replied = reply.map(|r| r.errors.clone()).unwrap_or_default();
    ArcSignal::derive(move || match answer.try_get().flatten() {
        Some(Ok(FormOutcome::Invalid(errors))) => errors,
        Some(_) => Vec::new(),
        None => replied.clone(),
    })
}

/// The message for one field, from the last answer to the form.
fn field_error(errors: &ArcSignal<Vec<FieldError>>, field: String) -> impl Fn() -> Option<String> {
    let errors = errors.clone();
    move || {
        errors
            .get()
            .into_iter()
            .find(|e| e.field == field)
            .map(|e| e.message)
    }
}

/// The alert above a form: a conflict with the way to reload, a refusal,
/// or a pointer to the field messages.
fn form_alert<A>(
    action: ServerAction<A>,
    reload_href: Option<String>,
    reply: Option<&FormReply>,
) -> impl Fn() -> Option<AnyView>
where
    A: leptos::server_fn::ServerFn<Output = FormOutcome, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    // Read as in `field_errors`: a disposed action is no answer.
    let answer = action.value();
    let replied = reply.is_some_and(|r| !r.errors.is_empty());
    move || {
        match answer.try_get().flatten() {
        None if replied => Some(
            view! { <div class="form-alert" role="alert"><p>"Some fields need fixing; see the messages next to them."</p></div> }
                .into_any(),
        ),
        Some(Err(AppError::Conflict(message))) => Some(
            view! {
                <div class="form-alert" role="alert">
                    <p><strong>"Someone else saved this entity first."</strong> " " {message}</p>
                    // A full page load: the latest version, your edit discarded.
                    {reload_href.clone().map(|href| view! {
                        <a class="button" href=href rel="external">"Reload the latest version"</a>
                    })}
                </div>
            }
            .into_any(),
        ),
        Some(Err(error)) => Some(
            view! { <div class="form-alert" role="alert"><p>{error.message().to_string()}</p></div> }
                .into_any(),
        ),
        Some(Ok(FormOutcome::Invalid(_))) => Some(
            view! { <div class="form-alert" role="alert"><p>"Some fields need fixing; see the messages next to them."</p></div> }
                .into_any(),
        ),
        _ => None,
    }
    }
}

fn property_input(
    key: &str,
    schema: &PropertySchema,
    text: String,
    editable: bool,
    errors: &ArcSignal<Vec<FieldError>>,
) -> AnyView {
    let id = format!("field-{key}");
    let name = format!("properties[{key}]");
    let error_id = format!("{id}-error");
    let error = field_error(errors, format!("properties.{key}"));
    let invalid = {
        let error = field_error(errors, format!("properties.{key}"));
        move || error().is_some().then_some("true")
    };
    let kind = input_kind(schema);
    let disabled = !editable;
    let input = match kind {
        InputKind::Choice | InputKind::Boolean => {
            let options: Vec<(String, String)> = match kind {
                InputKind::Boolean => vec![
                    ("true".into(), "Yes".into()),
                    ("false".into(), "No".into()),
                ],
                _ => schema
                    .enum_values
                    .iter()
                    .flatten()
                    .filter_map(|v| v.as_str())
                    .map(|v| (v.to_string(), v.to_string()))
                    .collect(),
            };
            view! {
                <select id=id.clone() name=name disabled=disabled aria-invalid=invalid aria-describedby=error_id.clone()>
                    <option value="" selected=text.is_empty()>"—"</option>
                    {options.into_iter().map(|(value, label)| {
                        let selected = value == text;
                        view! { <option value=value selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        InputKind::LongText | InputKind::Lines | InputKind::Json => view! {
            <textarea id=id.clone() name=name rows="5" disabled=disabled aria-invalid=invalid aria-describedby=error_id.clone()>{text}</textarea>
        }
        .into_any(),
        _ => {
            let input_type = match kind {
                InputKind::Url => "url",
                InputKind::Email => "email",
                InputKind::DateTime => "datetime-local",
                InputKind::Number => "number",
                _ => "text",
            };
            view! {
                <input id=id.clone() type=input_type name=name value=text step="any"
                    disabled=disabled aria-invalid=invalid aria-describedby=error_id.clone()/>
            }
            .into_any()
        }
    };
    let hint = match kind {
        _ if disabled => Some("You may not change this field."),
        InputKind::DateTime => Some("In UTC."),
        InputKind::Lines => Some("One item per line."),
        InputKind::Json => Some("JSON."),
        _ => None,
    };
    view! {
        {input}
        {hint.map(|h| view! { <p class="field-hint">{h}</p> })}
        <p class="field-error" id=error_id role="alert">{error}</p>
    }
    .into_any()
}

/// One row of a form: the label (marked when required) and its input.
fn labelled_field(
    input_id: String,
    label: String,
    required: bool,
    editable: bool,
    input: AnyView,
) -> AnyView {
    view! {
        <div class="form-field" class:read-only=!editable>
            <label for=input_id>
                {label}
                {required.then(|| view! { <span class="required" title="Required">" *"</span> })}
            </label>
            <div>{input}</div>
        </div>
    }
    .into_any()
}

/// A labelled input for each property of the blueprint, filled from
/// `values`; those `editable` refuses are read-only.
fn property_fields(
    blueprint: &Blueprint,
    values: &Map<String, Value>,
    editable: impl Fn(&str) -> bool,
    errors: &ArcSignal<Vec<FieldError>>,
    reply: Option<&FormReply>,
) -> AnyView {
    blueprint
        .schema
        .properties
        .iter()
        .map(|(key, schema)| {
            let editable = editable(key);
            let required = blueprint.schema.required.contains(key);
            let label = schema.title.clone().unwrap_or_else(|| key.clone());
            let shown = text_of(schema, values.get(key));
            let text = FormReply::text_or(reply, &format!("properties[{key}]"), shown);
            labelled_field(
                format!("field-{key}"),
                label,
                required,
                editable,
                property_input(key, schema, text, editable, errors),
            )
        })
        .collect_view()
        .into_any()
}

/// The identifiers a relation holds, one per line.
fn related_text(value: Option<&Value>) -> String {
    value
        .map(crate::model::entity::related_ids)
        .unwrap_or_default()
        .join("\n")
}

/// Suggestions of a relation picker: the target's readable entities whose
/// title or identifier contains what was typed (asked from the browser
/// only, once the page is interactive). Read before that, the browser-only
/// resource would hold the server's rendering of the whole page back: on
/// the server it never loads, and a page waits for what it reads.
fn suggestions(list_id: String, target: String, typed: RwSignal<String>) -> AnyView {
    let choices = LocalResource::new(move || {
        let (target, text) = (target.clone(), typed.get());
        async move { find_related(target, text).await.unwrap_or_default() }
    });
    let hydrated = crate::components::hydration::use_hydrated();
    view! {
        <datalist id=list_id>
            {move || hydrated.get().then(|| choices.try_get()).flatten().flatten().map(|list| list.into_iter().map(|c| {
                let label = c.title.clone().unwrap_or_else(|| c.identifier.clone());
                view! { <option value=c.identifier>{label}</option> }
            }).collect_view())}
        </datalist>
    }
    .into_any()
}

/// A relation's picker: one input with suggestions for a single relation;
/// for a many relation, the identifiers one per line and a search to add.
fn relation_input(
    key: &str,
    relation: &crate::model::RelationSchema,
    text: String,
    editable: bool,
    errors: &ArcSignal<Vec<FieldError>>,
) -> AnyView {
    let id = format!("field-rel-{key}");
    let name = format!("relations[{key}]");
    let list_id = format!("{id}-choices");
    let error_id = format!("{id}-error");
    let error = field_error(errors, format!("relations.{key}"));
    let invalid = {
        let error = field_error(errors, format!("relations.{key}"));
        move || error().is_some().then_some("true")
    };
    let typed = RwSignal::new(String::new());
    let picker = editable.then(|| suggestions(list_id.clone(), relation.target.clone(), typed));
    let input = if !relation.many {
        view! {
            <input id=id type="text" name=name value=text list=list_id autocomplete="off" disabled=!editable
                aria-invalid=invalid aria-describedby=error_id.clone()
                on:input=move |ev| typed.set(event_target_value(&ev))/>
        }
        .into_any()
    } else {
        let lines = RwSignal::new(text.clone());
        let add = move || {
            let id = typed.get_untracked().trim().to_string();
            if !id.is_empty() {
                lines.update(|l| {
                    if !l.lines().any(|x| x.trim() == id) {
                        if !l.trim().is_empty() {
                            l.push('\n');
                        }
                        l.push_str(&id);
                    }
                });
                typed.set(String::new());
            }
        };
        let add_label = format!("Add to {}", relation.title.as_deref().unwrap_or(key));
        view! {
            <textarea id=id name=name rows="3" disabled=!editable aria-invalid=invalid aria-describedby=error_id.clone()
                prop:value=move || lines.get() on:input=move |ev| lines.set(event_target_value(&ev))>{text}</textarea>
            {editable.then(|| view! {
                <div class="relation-add">
                    <input type="text" list=list_id aria-label=add_label autocomplete="off" placeholder="Search to add…"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add(); }/>
                    <button type="button" class="button" on:click=move |_| add()>"Add"</button>
                </div>
            })}
        }
        .into_any()
    };
    let hint = if !editable {
        "You may not change this relation.".to_string()
    } else if relation.many {
        format!("`{}` identifiers, one per line.", relation.target)
    } else {
        format!("A `{}` identifier; type to search.", relation.target)
    };
    view! {
        {input}
        {picker}
        <p class="field-hint">{hint}</p>
        <p class="field-error" id=error_id role="alert">{error}</p>
    }
    .into_any()
}

/// A labelled picker for each relation of the blueprint, filled from
/// `values`; those `editable` refuses are read-only.
fn relation_fields(
    blueprint: &Blueprint,
    values: &Map<String, Value>,
    editable: impl Fn(&str) -> bool,
    errors: &ArcSignal<Vec<FieldError>>,
    reply: Option<&FormReply>,
) -> AnyView {
    blueprint
        .relations
        .iter()
        .map(|(key, relation)| {
            let editable = editable(key);
            let label = relation.title.clone().unwrap_or_else(|| key.clone());
            let shown = related_text(values.get(key));
            let text = FormReply::text_or(reply, &format!("relations[{key}]"), shown);
            labelled_field(
                format!("field-rel-{key}"),
                label,
                relation.required,
                editable,
                relation_input(key, relation, text, editable, errors),
            )
        })
        .collect_view()
        .into_any()
}

/// Team checkboxes (`team[<name>]`), those in `chosen` ticked (or, posted
/// back, those ticked then).
fn team_field(choices: &[String], chosen: &[String], reply: Option<&FormReply>) -> AnyView {
    let boxes = choices
        .iter()
        .map(|team| {
            let id = format!("team-{team}");
            let name = format!("team[{team}]");
            let checked = FormReply::ticked_or(reply, &name, chosen.contains(team));
            view! {
                <label class="team-choice">
                    <input id=id type="checkbox" name=name value="on" checked=checked/>
                    {team.clone()}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="form-field team-field">
            <legend>"Teams"</legend>
            <div class="team-choices">{boxes}</div>
        </fieldset>
    }
    .into_any()
}

/// The edit form of an entity page. Its code is its own part of the
/// browser bundle (`#[lazy]`): only a page with `?edit` loads it (before
/// hydrating, see [`preload_for_url`]).
#[lazy]
pub async fn entity_form(
    data: EntityPageData,
    save: ServerAction<SaveEntity>,
    reply: Option<FormReply>,
) -> AnyView {
    let (entity, blueprint, abilities) = (&data.entity, &data.blueprint, &data.abilities);
    let reply = reply.as_ref();
    let errors = field_errors(save, reply);
    let page_href = format!(
        "/entity/{}/{}",
        encode_component(&entity.blueprint),
        encode_component(&entity.identifier)
    );
    let reload_href = format!("{page_href}?edit");
    let fields = property_fields(
        blueprint,
        &entity.properties,
        |key| abilities.update_all || abilities.properties.iter().any(|k| k == key),
        &errors,
        reply,
    );
    let relations = relation_fields(
        blueprint,
        &entity.relations,
        |key| abilities.update_all || abilities.relations.iter().any(|k| k == key),
        &errors,
        reply,
    );
    // Teams change only with the `update` grant; the marker tells the
    // server the form offered them (none ticked = no team).
    let teams = (!data.team_choices.is_empty()).then(|| {
        view! {
            <input type="hidden" name="teams_offered" value="true"/>
            {team_field(&data.team_choices, &entity.team, reply)}
        }
    });
    let title = entity.title.clone().unwrap_or_default();
    let title_editable = abilities.update_all;
    // What each field shows, sent back with the form: the server writes
    // only the fields that differ from it (model::form::changes_only).
    let original = crate::model::form::FormOriginal {
        title: Some(title.clone()),
        properties: blueprint
            .schema
            .properties
            .iter()
            .map(|(key, schema)| (key.clone(), text_of(schema, entity.properties.get(key))))
            .collect(),
        relations: blueprint
            .relations
            .keys()
            .map(|key| (key.clone(), related_text(entity.relations.get(key))))
            .collect(),
        team: Some(entity.team.clone()),
    };
    let original = serde_json::to_string(&original).unwrap_or_default();
    let problem = form_alert(save, Some(reload_href), reply);
    let title = FormReply::text_or(reply, "title", title);
    let heading = format!("Edit {}", entity.display_title());
    // Posted back, the form keeps the version it was opened at: saving
    // it still refuses to overwrite a change made since.
    let (blueprint_id, identifier, version) = (
        entity.blueprint.clone(),
        entity.identifier.clone(),
        FormReply::text_or(reply, "version", entity.version.to_string()),
    );
    view! {
        <section class="panel" aria-labelledby="edit-heading">
            <h2 id="edit-heading">{heading}</h2>
            {problem}
            <ActionForm action=save attr:class="entity-form" attr:novalidate=true>
                <input type="hidden" name="blueprint" value=blueprint_id/>
                <input type="hidden" name="identifier" value=identifier/>
                <input type="hidden" name="version" value=version/>
                <input type="hidden" name="original" value=original/>
                <div class="form-field" class:read-only=!title_editable>
                    <label for="field-title">"Title"</label>
                    <div>
                        <input id="field-title" type="text" name="title" value=title disabled=!title_editable/>
                        {(!title_editable).then(|| view! { <p class="field-hint">"You may not change this field."</p> })}
                    </div>
                </div>
                {teams}
                {fields}
                {relations}
                {form_actions(save, "Save", "Saving…", page_href)}
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The form that creates an entity on a catalog page: identifier, title,
/// the teams the viewer may assign, and every property. Its own part of the
/// browser bundle, loaded only with `?new`.
#[lazy]
pub async fn new_entity_form(
    editing: Deferred<CatalogEditing>,
    page_id: String,
    create: ServerAction<CreateEntity>,
    reply: Option<FormReply>,
) -> AnyView {
    let data = match editing.decode() {
        Ok(editing) => editing,
        Err(error) => return view! { <ErrorView error/> }.into_any(),
    };
    let blueprint = &data.blueprint;
    let reply = reply.as_ref();
    let errors = field_errors(create, reply);
    let fields = property_fields(blueprint, &Map::new(), |_| true, &errors, reply);
    let identifier_error = field_error(&errors, "identifier".into());
    let identifier_invalid = {
        let error = field_error(&errors, "identifier".into());
        move || error().is_some().then_some("true")
    };
    let teams = team_field(&data.assignable_teams, &[], reply);
    let relations = relation_fields(blueprint, &Map::new(), |_| true, &errors, reply);
    let (identifier, title) = (
        FormReply::text_or(reply, "identifier", String::new()),
        FormReply::text_or(reply, "title", String::new()),
    );
    let cancel = format!("/catalog/{}", encode_component(&page_id));
    let heading = format!("New {}", blueprint.title.to_ascii_lowercase());
    let blueprint_id = blueprint.identifier.clone();
    let problem = form_alert(create, None, reply);
    view! {
        <section class="panel" aria-labelledby="new-heading">
            <h2 id="new-heading">{heading}</h2>
            {problem}
            <ActionForm action=create attr:class="entity-form" attr:novalidate=true>
                <input type="hidden" name="blueprint" value=blueprint_id/>
                <div class="form-field">
                    <label for="field-identifier">"Identifier" <span class="required" title="Required">" *"</span></label>
                    <div>
                        <input id="field-identifier" type="text" name="identifier" value=identifier aria-invalid=identifier_invalid aria-describedby="field-identifier-error"/>
                        <p class="field-hint">"Unique in this blueprint; letters, digits and @ _ . + : / = -"</p>
                        <p class="field-error" id="field-identifier-error" role="alert">{identifier_error}</p>
                    </div>
                </div>
                <div class="form-field">
                    <label for="field-title">"Title"</label>
                    <div><input id="field-title" type="text" name="title" value=title/></div>
                </div>
                {teams}
                {fields}
                {relations}
                {form_actions(create, "Create", "Creating…", cancel)}
            </ActionForm>
        </section>
    }
    .into_any()
}
