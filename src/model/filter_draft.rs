//! The filter builder sent as a plain GET form, before (or without)
//! JavaScript: its inputs in the URL, read back into the rows it showed,
//! with "add a rule", "remove this rule" and "apply" done on the server.
//! The browser reads the same URL the same way when it hydrates the page.
//!
//! The names, all starting with `f` so they never meet a view's own
//! (`filter`, `sort`, `q`, …):
//! - `fb=1`: the builder is open (a link opens it on the current filter);
//! - `fc`: `and` / `or`;
//! - `f<n>p`, `f<n>o`, `f<n>v`: row `n`'s property, operator and value
//!   (`f<n>v` once per ticked choice);
//! - `fk`: a rule the builder cannot edit, as Port's JSON, kept as it was;
//! - the button pressed: `fadd`, `fdrop=<n>`, `fdropk=<i>` (the i-th kept
//!   rule) or `fapply`.

use super::filter_input::{input_of_rule, rule_of_input, FilterField};
use super::query::{Combinator, Operator, Query, Rule};

/// Marks a URL whose builder is open.
pub const OPEN: &str = "fb";

/// A row of the builder: property key, operator and the value's text
/// (choices separated by commas).
#[derive(Clone, Debug, PartialEq)]
pub struct DraftRow {
    pub property: String,
    pub operator: Operator,
    pub text: String,
}

/// What the builder shows, read from the URL.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterDraft {
    pub combinator: Combinator,
    pub rows: Vec<DraftRow>,
    pub kept: Vec<Rule>,
    /// What is wrong with the rows, when applying was asked.
    pub errors: Vec<String>,
    /// The query to apply: the rows were applied and all read well.
    pub applied: Option<Query>,
}

impl FilterDraft {
    /// The rows of `query` (the filter in use) as the builder edits them:
    /// rules it has no inputs for are kept as they are.
    pub fn of_query(query: Query, fields: &[FilterField]) -> FilterDraft {
        let mut rows = Vec::new();
        let mut kept = Vec::new();
        for rule in query.rules {
            let known =
                input_of_rule(&rule).filter(|(key, _, _)| fields.iter().any(|f| &f.key == key));
            match known {
                Some((property, operator, text)) => rows.push(DraftRow {
                    property,
                    operator,
                    text,
                }),
                None => kept.push(rule),
            }
        }
        FilterDraft {
            combinator: query.combinator,
            rows,
            kept,
            errors: Vec::new(),
            applied: None,
        }
    }

    /// The builder of a URL whose query is `pairs`, or `None` when it is
    /// not open. `current` is the filter in use, which a builder opened by
    /// its link starts from.
    pub fn from_query(
        pairs: &[(String, String)],
        fields: &[FilterField],
        current: Option<Query>,
    ) -> Option<FilterDraft> {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        get(OPEN)?;
        let Some(combinator) = get("fc") else {
            return Some(FilterDraft::of_query(
                current.unwrap_or_else(Query::all),
                fields,
            ));
        };
        let combinator = if combinator == "or" {
            Combinator::Or
        } else {
            Combinator::And
        };
        let dropped = get("fdrop").and_then(|n| n.parse::<usize>().ok());
        let mut rows = Vec::new();
        for n in row_numbers(pairs) {
            if Some(n) == dropped {
                continue;
            }
            let Some(field) = get(&format!("f{n}p")).and_then(|key| field_of(fields, key)) else {
                continue;
            };
            // A property changed without JavaScript keeps an operator it
            // may not offer: its first one then.
            let operator = get(&format!("f{n}o"))
                .and_then(Operator::parse)
                .filter(|op| field.operators().contains(op))
                .unwrap_or(field.operators()[0]);
            let values: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| *k == format!("f{n}v"))
                .map(|(_, v)| v.as_str())
                .collect();
            rows.push(DraftRow {
                property: field.key.clone(),
                operator,
                text: values.join(", "),
            });
        }
        let dropped_kept = get("fdropk").and_then(|i| i.parse::<usize>().ok());
        let kept: Vec<Rule> = pairs
            .iter()
            .filter(|(k, _)| k == "fk")
            .filter_map(|(_, json)| kept_rule(json))
            .enumerate()
            .filter(|(i, _)| Some(*i) != dropped_kept)
            .map(|(_, rule)| rule)
            .collect();
        if get("fadd").is_some() {
            if let Some(first) = fields.first() {
                rows.push(DraftRow {
                    property: first.key.clone(),
                    operator: first.operators()[0],
                    text: String::new(),
                });
            }
        }
        let mut draft = FilterDraft {
            combinator,
            rows,
            kept,
            errors: Vec::new(),
            applied: None,
        };
        if get("fapply").is_some() {
            draft.apply(fields);
        }
        Some(draft)
    }

    /// Reads every row into a rule; the query when all read well, else
    /// what is wrong with each.
    fn apply(&mut self, fields: &[FilterField]) {
        let mut rules = Vec::new();
        for row in &self.rows {
            let Some(field) = field_of(fields, &row.property) else {
                continue;
            };
            match rule_of_input(field, row.operator, &row.text) {
                Ok(rule) => rules.push(rule),
                Err(problem) => self.errors.push(problem),
            }
        }
        if self.errors.is_empty() {
            rules.extend(self.kept.iter().cloned());
            self.applied = Some(Query {
                combinator: self.combinator,
                rules,
            });
        }
    }
}

/// The query of an applied builder as the catalog URL carries it
/// (`filter=`): empty when no rule is left.
pub fn filter_text(query: &Query) -> String {
    if query.rules.is_empty() {
        String::new()
    } else {
        query.to_json().to_string()
    }
}

fn field_of<'a>(fields: &'a [FilterField], key: &str) -> Option<&'a FilterField> {
    fields.iter().find(|f| f.key == key)
}

/// The row numbers of the URL's `f<n>p` names, in order.
fn row_numbers(pairs: &[(String, String)]) -> Vec<usize> {
    let mut numbers: Vec<usize> = pairs
        .iter()
        .filter_map(|(k, _)| k.strip_prefix('f')?.strip_suffix('p')?.parse().ok())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// A kept rule from its JSON; one that does not read is dropped.
fn kept_rule(json: &str) -> Option<Rule> {
    let rule: serde_json::Value = serde_json::from_str(json).ok()?;
    let query =
        Query::from_json(&serde_json::json!({"combinator": "and", "rules": [rule]})).ok()?;
    query.rules.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::query::ValueKind;

    fn fields() -> Vec<FilterField> {
        vec![
            FilterField {
                key: "$title".into(),
                title: "Title".into(),
                kind: ValueKind::Text,
                choices: Vec::new(),
            },
            FilterField {
                key: "tier".into(),
                title: "Tier".into(),
                kind: ValueKind::Text,
                choices: vec!["gold".into(), "silver".into(), "bronze".into()],
            },
            FilterField {
                key: "replicas".into(),
                title: "Replicas".into(),
                kind: ValueKind::Number,
                choices: Vec::new(),
            },
        ]
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_url_without_the_mark_has_no_builder() {
        assert_eq!(
            FilterDraft::from_query(&pairs(&[("q", "x")]), &fields(), None),
            None
        );
    }

    #[test]
    fn the_open_link_starts_from_the_filter_in_use() {
        let current = Query::from_json(&serde_json::json!({"combinator": "or", "rules": [
            {"property": "tier", "operator": "in", "value": ["gold", "silver"]},
            {"combinator": "and", "rules": []}
        ]}))
        .unwrap();
        let draft =
            FilterDraft::from_query(&pairs(&[("fb", "1")]), &fields(), Some(current)).unwrap();
        assert_eq!(draft.combinator, Combinator::Or);
        assert_eq!(draft.rows.len(), 1);
        assert_eq!(draft.rows[0].text, "gold, silver");
        assert_eq!(draft.kept.len(), 1, "the nested group is kept as it is");
    }

    #[test]
    fn add_drop_and_apply_work_from_the_url() {
        let base = [
            ("fb", "1"),
            ("fc", "and"),
            ("f0p", "tier"),
            ("f0o", "in"),
            ("f0v", "gold"),
            ("f0v", "bronze"),
            ("f3p", "replicas"),
            ("f3o", ">"),
            ("f3v", "2"),
        ];
        let mut added = base.to_vec();
        added.push(("fadd", "1"));
        let draft = FilterDraft::from_query(&pairs(&added), &fields(), None).unwrap();
        assert_eq!(draft.rows.len(), 3);
        assert_eq!(draft.rows[2].property, "$title");
        assert_eq!(draft.applied, None);

        let mut dropped = base.to_vec();
        dropped.push(("fdrop", "3"));
        let draft = FilterDraft::from_query(&pairs(&dropped), &fields(), None).unwrap();
        assert_eq!(draft.rows.len(), 1);
        assert_eq!(draft.rows[0].text, "gold, bronze");

        let mut applied = base.to_vec();
        applied.push(("fapply", "1"));
        let draft = FilterDraft::from_query(&pairs(&applied), &fields(), None).unwrap();
        let query = draft.applied.expect("both rows read");
        assert_eq!(
            query.to_json(),
            serde_json::json!({"combinator": "and", "rules": [
                {"property": "tier", "operator": "in", "value": ["gold", "bronze"]},
                {"property": "replicas", "operator": ">", "value": 2.0}
            ]})
        );
    }

    #[test]
    fn a_value_that_does_not_read_is_said_and_nothing_is_applied() {
        let draft = FilterDraft::from_query(
            &pairs(&[
                ("fb", "1"),
                ("fc", "and"),
                ("f0p", "replicas"),
                ("f0o", ">"),
                ("f0v", "many"),
                ("fapply", "1"),
            ]),
            &fields(),
            None,
        )
        .unwrap();
        assert_eq!(draft.applied, None);
        assert_eq!(draft.errors.len(), 1, "{:?}", draft.errors);
        assert_eq!(draft.rows[0].text, "many", "what was typed stays");
    }

    #[test]
    fn an_operator_the_new_property_does_not_offer_becomes_its_first() {
        let draft = FilterDraft::from_query(
            &pairs(&[
                ("fb", "1"),
                ("fc", "and"),
                ("f0p", "replicas"),
                ("f0o", "contains"),
            ]),
            &fields(),
            None,
        )
        .unwrap();
        assert_eq!(draft.rows[0].operator, fields()[2].operators()[0]);
    }
}
