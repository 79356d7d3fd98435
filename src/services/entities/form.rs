//! The entity forms (the entity page's edit form, the catalog page's
//! new-entity form) as thin adapters over the one write path: a form's
//! text is read by the blueprint's schema, then `write::write_one` does
//! the rest, and what it refuses about particular fields goes back next to
//! those fields.

use super::write::write_one;
use super::{require_signed_in, EntityInput, WriteOptions};
use crate::model::form::{EntityForm, FormOutcome};
use crate::model::validate::FieldError;
use crate::model::{AppError, Blueprint, Entity, Subject};
use crate::services::blueprints;
use crate::store::Store;
use serde_json::{Map, Value};

/// What a form sets: its properties and its relations, as JSON.
type FormValues = (Map<String, Value>, Map<String, Value>);

/// The properties and relations a form sets, each read by its schema, or
/// every field that could not be read.
fn read_form(form: &EntityForm, blueprint: &Blueprint) -> Result<FormValues, Vec<FieldError>> {
    let mut errors = Vec::new();
    let values = form.values(blueprint).unwrap_or_else(|e| {
        errors.extend(e);
        Map::new()
    });
    let relations = form.relation_values(blueprint).unwrap_or_else(|e| {
        errors.extend(e);
        Map::new()
    });
    if errors.is_empty() {
        Ok((values, relations))
    } else {
        Err(errors)
    }
}

/// The form's title: blank clears it.
fn title_of(form: &EntityForm) -> Option<Option<String>> {
    form.title
        .as_ref()
        .map(|t| Some(t.trim().to_string()).filter(|t| !t.is_empty()))
}

/// Which fields a form has inputs for: the new-entity form every
/// property and relation of the blueprint and the identifier; the edit
/// form those it was sent with (it leaves out what one may not change).
enum Inputs<'a> {
    New(&'a Blueprint),
    Edit(&'a EntityForm),
}

impl Inputs<'_> {
    fn has(&self, field: &str) -> bool {
        let (property, relation) = (
            field.strip_prefix("properties."),
            field.strip_prefix("relations."),
        );
        match self {
            Inputs::New(blueprint) => {
                field == "identifier"
                    || property.is_some_and(|k| blueprint.schema.properties.contains_key(k))
                    || relation.is_some_and(|k| blueprint.relations.contains_key(k))
            }
            Inputs::Edit(form) => {
                property.is_some_and(|k| form.properties.contains_key(k))
                    || relation.is_some_and(|k| form.relations.contains_key(k))
            }
        }
    }
}

/// What the write answered, as the form shows it: the entity, or the
/// fields to fix next to their inputs. A problem with a field the form has
/// no input for (teams, a relation it does not show) stays an error, which
/// the form's alert shows whole, so nothing refused goes unsaid.
fn outcome(
    inputs: Inputs,
    written: Result<(Entity, bool), AppError>,
) -> Result<FormOutcome, AppError> {
    let shown = |field: &str| inputs.has(field);
    match written {
        Ok((entity, _)) => Ok(FormOutcome::Saved(Box::new(entity))),
        Err(AppError::Fields(problems)) if problems.fields.iter().all(|f| shown(&f.field)) => {
            Ok(FormOutcome::Invalid(problems.fields))
        }
        Err(other) => Err(other),
    }
}

/// Saves an entity form: the fields it names merged into the stored
/// entity, at the version the form was opened at (a later change is a
/// conflict, nothing overwritten).
pub async fn save_form(
    store: &Store,
    actor: &Subject,
    form: EntityForm,
) -> Result<FormOutcome, AppError> {
    require_signed_in(actor)?;
    let blueprint = blueprints::blueprint(store, &form.blueprint).await?;
    // Messages go next to every input the form showed; only what changed
    // is written.
    let shown = form.clone();
    let form = form.changes_only();
    let (values, relations) = match read_form(&form, &blueprint) {
        Ok(read) => read,
        Err(errors) => return Ok(FormOutcome::Invalid(errors)),
    };
    let input = EntityInput {
        identifier: Some(form.identifier.clone()),
        title: title_of(&form),
        team: form.team.clone().map(Value::from),
        properties: Some(values),
        relations: (!relations.is_empty()).then_some(relations),
        ..EntityInput::default()
    };
    let options = WriteOptions {
        upsert: true,
        merge: true,
        must_exist: true,
        expected_version: Some(form.version),
        ..WriteOptions::default()
    };
    let written = write_one(store, actor, &blueprint, input, options).await;
    outcome(Inputs::Edit(&shown), written)
}

/// Creates an entity from the catalog page's form: blank fields are left
/// out, teams chosen among existing ones, and every problem (a taken
/// identifier, a missing related entity, a value that does not fit) goes
/// back next to its field.
pub async fn create_form(
    store: &Store,
    actor: &Subject,
    form: EntityForm,
) -> Result<FormOutcome, AppError> {
    require_signed_in(actor)?;
    let blueprint = blueprints::blueprint(store, &form.blueprint).await?;
    let (mut values, mut relations) = match read_form(&form, &blueprint) {
        Ok(read) => read,
        Err(errors) => return Ok(FormOutcome::Invalid(errors)),
    };
    values.retain(|_, v| !v.is_null());
    relations.retain(|_, v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()));
    let input = EntityInput {
        identifier: Some(form.identifier.trim().to_string()),
        title: title_of(&form),
        team: Some(Value::from(form.team.clone().unwrap_or_default())),
        properties: Some(values),
        relations: (!relations.is_empty()).then_some(relations),
        ..EntityInput::default()
    };
    let written = write_one(store, actor, &blueprint, input, WriteOptions::default()).await;
    outcome(Inputs::New(&blueprint), written)
}
