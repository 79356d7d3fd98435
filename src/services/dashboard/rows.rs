//! Which entities a widget reads: the viewer's read permission on its
//! blueprint, the widget's own filter (`dataset`) and the page's filters,
//! compiled for the viewer (so `My Teams` and `{"context": "user"}` are
//! theirs); and the link to those entities in a temporary table.

use crate::model::dashboard::PageFilter;
use crate::model::query::{Combinator, Query, Rule};
use crate::model::url::encode_component;
use crate::model::widget::FilterView;
use crate::model::{AppError, Blueprint, Page, Subject};
use crate::query::Sql;
use crate::services::access::{all_of, filter_on, read_restriction};
use crate::store::Store;
use serde_json::{json, Value};
use std::collections::HashMap;

/// What every widget of one dashboard view shares.
pub(super) struct Viewing<'a> {
    pub store: &'a Store,
    pub subject: &'a Subject,
    /// The pages the viewer may read (drill-down links go to these).
    pub pages: &'a [Page],
    pub filters: &'a Filters,
    /// The viewer's sort, search and page of each table widget.
    pub tables: &'a HashMap<String, crate::model::widget::TableState>,
}

/// The page filters in force for one viewer: each with the query it applies.
pub(super) struct Filters {
    applied: Vec<(PageFilter, Query)>,
}

impl Filters {
    /// The saved filters, with the viewer's own values where they changed
    /// an unlocked one and it is a query that fits where the filter applies
    /// (else the saved value, and the problem to show).
    pub async fn for_viewer(
        store: &Store,
        subject: &Subject,
        saved: &[PageFilter],
        choices: &HashMap<String, String>,
    ) -> Result<(Filters, Vec<FilterView>), AppError> {
        let mut applied = Vec::new();
        let mut views = Vec::new();
        // Team names, read once, only when a filter offers them.
        let teams = if saved.iter().any(|f| f.blueprint().is_none()) {
            store
                .list_teams()
                .await?
                .into_iter()
                .map(|t| t.name)
                .collect()
        } else {
            Vec::new()
        };
        for filter in saved {
            let own = match choices.get(&filter.identifier).filter(|_| !filter.locked) {
                None => None,
                Some(text) => Some(match parse_rules(text) {
                    Ok(query) => fits(store, subject, filter, &query).await?.map(|()| query),
                    Err(problem) => Err(problem),
                }),
            };
            let saved_query = Query::from_json(&filter.rules()).ok();
            let presets = match (filter.blueprint(), &saved_query) {
                (None, Some(saved)) => team_presets(saved, &teams),
                _ => Vec::new(),
            };
            let (query, changed, problem) = match own {
                Some(Ok(query)) => (Some(query), true, None),
                Some(Err(problem)) => (saved_query, false, Some(problem)),
                None => (saved_query, false, None),
            };
            views.push(FilterView {
                filter: filter.clone(),
                rules: query
                    .as_ref()
                    .map(|q| q.to_json().to_string())
                    .unwrap_or_default(),
                changed,
                problem,
                presets,
            });
            if let Some(query) = query.filter(|q| !q.rules.is_empty()) {
                applied.push((filter.clone(), query));
            }
        }
        Ok((Filters { applied }, views))
    }

    /// Whether a filter in force uses "My Teams".
    pub fn use_my_teams(&self) -> bool {
        self.applied
            .iter()
            .any(|(_, q)| names_my_teams(&q.to_json()))
    }

    /// The queries that apply to a widget over `blueprint`.
    fn on<'a>(&'a self, blueprint: &'a str) -> impl Iterator<Item = &'a Query> + 'a {
        self.applied
            .iter()
            .filter(move |(f, _)| f.blueprint().is_none_or(|bp| bp == blueprint))
            .map(|(_, q)| q)
    }
}

/// Whether a query (or a widget's dataset) names the "My Teams" value.
pub(super) fn names_my_teams(query: &Value) -> bool {
    query.to_string().contains("\"My Teams\"")
}

/// What a filter over every widget offers to pick: the saved value,
/// "My teams", and each team (as the rules JSON the filter's URL carries).
fn team_presets(saved: &Query, teams: &[String]) -> Vec<(String, String)> {
    use crate::model::query::{Meta, Operator, PropertyRef, RuleValue};
    let owned_by = |team: &str| Query {
        combinator: Combinator::And,
        rules: vec![Rule::Property {
            property: PropertyRef::Meta(Meta::Team),
            operator: Operator::ContainsAny,
            value: Some(RuleValue::List(vec![team.to_string()])),
        }],
    };
    let saved_label = if saved.rules.is_empty() {
        "All teams".to_string()
    } else {
        "As the dashboard was saved".to_string()
    };
    let mut presets = vec![
        (saved_label, saved.to_json().to_string()),
        (
            "My teams".to_string(),
            owned_by("My Teams").to_json().to_string(),
        ),
    ];
    presets.extend(
        teams
            .iter()
            .map(|team| (format!("Team {team}"), owned_by(team).to_json().to_string())),
    );
    presets
}

/// Whether a viewer's own value fits where the filter applies: the
/// blueprint it is limited to, or meta properties only for every widget.
async fn fits(
    store: &Store,
    subject: &Subject,
    filter: &PageFilter,
    query: &Query,
) -> Result<Result<(), String>, AppError> {
    match filter.blueprint() {
        Some(id) => {
            let Some(blueprint) = store.get_blueprint(id).await? else {
                return Ok(Err(format!("there is no blueprint `{id}`")));
            };
            Ok(crate::services::access::compile_on(store, subject, &blueprint, query)
                .map(|_| ())
                .map_err(|e| format!("does not fit blueprint `{id}`: {e}")))
        }
        None => Ok(match non_meta_property(&query.to_json()) {
            Some(key) => Err(format!(
                "this filter applies to every widget, so it may use meta properties only ($team, $title, $identifier…), not `{key}`"
            )),
            None => Ok(()),
        }),
    }
}

/// The first property a query names that is not a meta property (`$…`).
pub(super) fn non_meta_property(query: &Value) -> Option<String> {
    match query {
        Value::Object(map) => {
            if let Some(Value::String(p)) = map.get("property") {
                if !p.starts_with('$') {
                    return Some(p.clone());
                }
            }
            map.values().find_map(non_meta_property)
        }
        Value::Array(items) => items.iter().find_map(non_meta_property),
        _ => None,
    }
}

/// A viewer's own filter value: a query, or a bare list of rules.
fn parse_rules(text: &str) -> Result<Query, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("the filter is not JSON: {e}"))?;
    let value = match value {
        Value::Array(rules) => json!({"combinator": "and", "rules": rules}),
        other => other,
    };
    let query = Query::from_json(&value).map_err(|e| e.to_string())?;
    query.check_limits().map_err(|e| e.to_string())?;
    Ok(query)
}

/// A widget's `dataset`: a query, or (number charts) a bare rule list.
pub(super) fn dataset(config: &Value) -> Result<Option<Query>, AppError> {
    let Some(value) = config.get("dataset").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let value = match value {
        Value::Array(rules) => json!({"combinator": "and", "rules": rules}),
        other => other.clone(),
    };
    let query = Query::from_json(&value).map_err(|e| {
        AppError::Invalid(format!("its filter (`dataset`) is not a valid query: {e}"))
    })?;
    Ok((!query.rules.is_empty()).then_some(query))
}

/// The entities one widget reads, compiled, and the query (without the
/// read permission, which the catalog page applies by itself) that shows
/// them in a table.
pub(super) struct WidgetRowsFor {
    pub blueprint: Blueprint,
    pub condition: Option<Sql>,
    pub query: Option<Query>,
}

impl Viewing<'_> {
    /// The rows of a widget over the blueprint its config names.
    pub async fn rows(&self, config: &Value, filtered: bool) -> Result<WidgetRowsFor, AppError> {
        let id = config
            .get("blueprint")
            .and_then(Value::as_str)
            .ok_or_else(|| AppError::Invalid("it names no blueprint".into()))?;
        let blueprint = self.store.get_blueprint(id).await?.ok_or_else(|| {
            AppError::NotFound(format!(
                "blueprint `{id}` no longer exists; edit the widget"
            ))
        })?;
        // A viewer who may read none of the blueprint sees why, in the widget.
        let mut conditions: Vec<Sql> = read_restriction(self.store, self.subject, &blueprint)
            .await?
            .into_iter()
            .collect();
        let mut queries: Vec<Query> = dataset(config)?.into_iter().collect();
        if filtered {
            queries.extend(self.filters.on(&blueprint.identifier).cloned());
        }
        for query in &queries {
            conditions.push(filter_on(self.store, self.subject, &blueprint, query)?);
        }
        Ok(WidgetRowsFor {
            condition: all_of(conditions),
            query: all_queries(queries),
            blueprint,
        })
    }

    /// The catalog page listing `rows` and also meeting `extra` (a slice's
    /// value), as a temporary, unsaved view: `/catalog/<page>?filter=…`.
    pub fn table_href(&self, rows: &WidgetRowsFor, extra: Option<Value>) -> Option<String> {
        let page = self
            .pages
            .iter()
            .filter(|p| {
                p.kind == crate::model::PageType::BlueprintEntities
                    && p.blueprint.as_deref() == Some(rows.blueprint.identifier.as_str())
            })
            // A page with its own initial filter would hide some of them.
            .min_by_key(|p| p.dataset.is_some())?;
        let mut rules: Vec<Value> = Vec::new();
        if let Some(query) = &rows.query {
            rules.push(query.to_json());
        }
        rules.extend(extra);
        if rules.is_empty() {
            return Some(page.href());
        }
        let filter = json!({"combinator": "and", "rules": rules});
        Some(format!(
            "{}?filter={}",
            page.href(),
            encode_component(&filter.to_string())
        ))
    }
}

fn all_queries(queries: Vec<Query>) -> Option<Query> {
    match queries.len() {
        0 => None,
        1 => queries.into_iter().next(),
        _ => Some(Query {
            combinator: Combinator::And,
            rules: queries.into_iter().map(Rule::Group).collect(),
        }),
    }
}
