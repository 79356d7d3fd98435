//! Import of a JSON Lines export (`services::export`): missing blueprints
//! and teams are created, entities are upserted in batches through the
//! same write path as the API (validation, policy, audit). Lines are fed
//! one at a time, so the file is never held whole. Admins only: an import
//! changes the data model.

use crate::authz::may_change_data_model;
use crate::model::{AppError, Blueprint, Subject};
use crate::services::access::require_or_record;
use crate::services::entities::{write_entities, EntityInput, WriteOptions, BULK_LIMIT};
use crate::store::Store;
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{json, Value};

/// Errors reported by name; the rest are counted.
const ERRORS_SHOWN: usize = 50;

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub blueprints_created: usize,
    pub teams_created: usize,
    pub entities_written: usize,
    pub entities_failed: usize,
    /// The first problems: `{line, identifier?, message}`.
    pub errors: Vec<Value>,
}

pub struct Importer<'a> {
    store: &'a Store,
    subject: &'a Subject,
    line: usize,
    /// Blueprints read but not created yet: created together when the
    /// first non-blueprint line comes, so relations between them resolve.
    blueprints: Vec<Blueprint>,
    /// Entities waiting to be written, by blueprint, with their line.
    pending: IndexMap<String, Vec<(usize, EntityInput)>>,
    report: ImportReport,
}

impl<'a> Importer<'a> {
    pub async fn start(store: &'a Store, subject: &'a Subject) -> Result<Self, AppError> {
        require_or_record(
            store,
            subject,
            may_change_data_model(subject),
            "import",
            "CREATE",
            None,
            None,
        )
        .await?;
        Ok(Importer {
            store,
            subject,
            line: 0,
            blueprints: Vec::new(),
            pending: IndexMap::new(),
            report: ImportReport::default(),
        })
    }

    fn problem(&mut self, line: usize, identifier: Option<&str>, message: String) {
        if self.report.errors.len() < ERRORS_SHOWN {
            self.report
                .errors
                .push(json!({"line": line, "identifier": identifier, "message": message}));
        }
    }

    /// Reads one line of the file.
    pub async fn line(&mut self, text: &str) -> Result<(), AppError> {
        self.line += 1;
        let text = text.trim();
        if text.is_empty() {
            return Ok(());
        }
        let value: Value = serde_json::from_str(text).map_err(|e| {
            AppError::Invalid(format!(
                "line {}: not JSON ({e}); an import takes the JSON Lines file of GET /v1/export",
                self.line
            ))
        })?;
        if let Some(bp) = value
            .get("blueprint")
            .filter(|_| value.as_object().is_some_and(|o| o.len() == 1))
        {
            let blueprint: Blueprint = serde_json::from_value(bp.clone()).map_err(|e| {
                AppError::Invalid(format!("line {}: not a blueprint: {e}", self.line))
            })?;
            self.blueprints.push(blueprint);
            return Ok(());
        }
        self.create_blueprints().await?;
        if let Some(team) = value.get("team") {
            return self.team(team).await;
        }
        let Some(entity) = value.get("entity") else {
            return Err(AppError::Invalid(format!(
                "line {}: expected {{\"blueprint\": …}}, {{\"team\": …}} or {{\"entity\": …}}",
                self.line
            )));
        };
        let input: EntityInput = serde_json::from_value(entity.clone())
            .map_err(|e| AppError::Invalid(format!("line {}: not an entity: {e}", self.line)))?;
        let Some(blueprint) = input.blueprint.clone() else {
            let id = input.identifier.clone();
            self.report.entities_failed += 1;
            self.problem(
                self.line,
                id.as_deref(),
                "the entity names no blueprint".into(),
            );
            return Ok(());
        };
        let batch = self.pending.entry(blueprint.clone()).or_default();
        batch.push((self.line, input));
        if batch.len() >= BULK_LIMIT {
            self.flush(&blueprint).await?;
        }
        Ok(())
    }

    /// Creates the blueprints read so far that do not exist: first without
    /// relations (and the mirrors and inherited ownership that walk them),
    /// then with them (a relation may point at a blueprint created in the
    /// same import).
    async fn create_blueprints(&mut self) -> Result<(), AppError> {
        let blueprints = std::mem::take(&mut self.blueprints);
        let mut created = Vec::new();
        for bp in blueprints {
            if self.store.get_blueprint(&bp.identifier).await?.is_some() {
                continue;
            }
            let mut bare = bp.clone();
            bare.relations.clear();
            bare.mirror_properties.clear();
            bare.ownership = None;
            bare.team_inheritance = None;
            crate::services::blueprints::create(self.store, self.subject, bare, true).await?;
            self.report.blueprints_created += 1;
            created.push(bp);
        }
        let walks_relations = |b: &Blueprint| {
            !b.relations.is_empty()
                || !b.mirror_properties.is_empty()
                || b.ownership.is_some()
                || b.team_inheritance.is_some()
        };
        for bp in created.into_iter().filter(walks_relations) {
            let id = bp.identifier.clone();
            crate::services::blueprints::replace(self.store, self.subject, &id, bp).await?;
        }
        Ok(())
    }

    async fn team(&mut self, team: &Value) -> Result<(), AppError> {
        let name = team.get("name").and_then(Value::as_str).ok_or_else(|| {
            AppError::Invalid(format!("line {}: a team needs a `name`", self.line))
        })?;
        if crate::services::directory::get_team(self.store, name)
            .await
            .is_ok()
        {
            return Ok(());
        }
        let input = crate::services::directory::TeamInput {
            name: None,
            description: Some(
                team.get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            ),
            users: None,
        };
        crate::services::directory::create_team(self.store, self.subject, name, input).await?;
        self.report.teams_created += 1;
        Ok(())
    }

    /// Writes a blueprint's waiting entities (upserted; relation targets
    /// not yet imported are stubbed and filled when their line comes).
    async fn flush(&mut self, blueprint: &str) -> Result<(), AppError> {
        let Some(batch) = self.pending.shift_remove(blueprint) else {
            return Ok(());
        };
        let (lines, inputs): (Vec<usize>, Vec<EntityInput>) = batch.into_iter().unzip();
        let ids: Vec<Option<String>> = inputs.iter().map(|i| i.identifier.clone()).collect();
        let options = WriteOptions {
            upsert: true,
            create_missing_related_entities: true,
            ..WriteOptions::default()
        };
        let outcomes = write_entities(self.store, self.subject, blueprint, inputs, options).await;
        let outcomes = match outcomes {
            Ok(outcomes) => outcomes,
            Err(e) => {
                self.report.entities_failed += lines.len();
                let first = lines.first().copied().unwrap_or(self.line);
                self.problem(
                    first,
                    None,
                    format!("blueprint `{blueprint}`: {}", e.message()),
                );
                return Ok(());
            }
        };
        for ((line, id), outcome) in lines.into_iter().zip(ids).zip(outcomes) {
            match outcome {
                Ok(_) => self.report.entities_written += 1,
                Err(e) => {
                    self.report.entities_failed += 1;
                    self.problem(line, id.as_deref(), e.message().to_string());
                }
            }
        }
        Ok(())
    }

    /// Writes what is still waiting and answers what happened.
    pub async fn finish(mut self) -> Result<ImportReport, AppError> {
        self.create_blueprints().await?;
        let blueprints: Vec<String> = self.pending.keys().cloned().collect();
        for bp in blueprints {
            self.flush(&bp).await?;
        }
        Ok(self.report)
    }
}
