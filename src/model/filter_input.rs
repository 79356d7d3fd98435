//! The catalog page's filter builder, without the widgets: which fields it
//! offers, which input each operator needs, and the conversion between a
//! row of inputs and a rule of the shared query AST. Kept here (pure, in
//! `model`) so the browser and the tests use the same code.

use super::query::{DatePreset, Meta, Operator, PropertyRef, Rule, RuleValue, ValueKind};
use super::{plain_text, Blueprint, PropertyType};

/// A field the builder offers to filter on.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterField {
    /// `$title`, `$team`, … or a property key.
    pub key: String,
    pub title: String,
    pub kind: ValueKind,
    /// Values to pick from (enum values, team names); empty for free input.
    pub choices: Vec<String>,
}

/// Fields whose key starts with this stand for `relatedTo` the named
/// blueprint: `relatedTo:service`.
const RELATED_TO: &str = "relatedTo:";

impl FilterField {
    /// The blueprint a `relatedTo` field points at.
    pub fn related_to(&self) -> Option<&str> {
        self.key.strip_prefix(RELATED_TO)
    }

    /// The operators this field offers: its kind's, or for `relatedTo`
    /// one ("is any of" the identifiers given).
    pub fn operators(&self) -> Vec<Operator> {
        match self.related_to() {
            Some(_) => vec![Operator::In],
            None => self.kind.operators(),
        }
    }
}

/// The input a rule's value is entered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueInput {
    /// The operator takes no value (`isEmpty`, `isNotEmpty`).
    None,
    Text,
    Number,
    Date,
    /// One of `FilterField::choices` (or true/false for booleans).
    Choice,
    /// Several of `FilterField::choices`.
    Choices,
    /// Several free values, comma-separated.
    List,
    /// A date preset of `between` (last week, last 90 days, …).
    Preset,
}

/// "My Teams" in a team filter: the viewer's teams, resolved per viewer.
pub const MY_TEAMS: &str = "My Teams";

/// Presets offered for `between`, in menu order, with their labels.
pub const PRESET_CHOICES: [(&str, &str); 10] = [
    ("today", "Today"),
    ("yesterday", "Yesterday"),
    ("lastWeek", "Last 7 days"),
    ("last2Weeks", "Last 14 days"),
    ("lastMonth", "Last 30 days"),
    ("last3Months", "Last 90 days"),
    ("last6Months", "Last 180 days"),
    ("last12Months", "Last 12 months"),
    ("nextWeek", "Next 7 days"),
    ("nextMonth", "Next 30 days"),
];

/// The fields of a blueprint's filter builder: title, identifier, owning
/// teams, creation and update times, then every schema property.
pub fn filter_fields(blueprint: &Blueprint, teams: &[String]) -> Vec<FilterField> {
    let meta = |meta: Meta, title: &str, choices: Vec<String>| FilterField {
        key: meta.name().to_string(),
        title: title.to_string(),
        kind: ValueKind::of_meta(meta),
        choices,
    };
    let mut team_choices = vec![MY_TEAMS.to_string()];
    team_choices.extend(teams.iter().cloned());
    let mut fields = vec![
        meta(Meta::Title, "Title", Vec::new()),
        meta(Meta::Identifier, "Identifier", Vec::new()),
        meta(Meta::Team, "Owning teams", team_choices),
        meta(Meta::CreatedAt, "Creation time", Vec::new()),
        meta(Meta::UpdatedAt, "Last update", Vec::new()),
    ];
    // `relatedTo` each blueprint this one's relations point at (an entity
    // related to any of the identifiers given, in either direction).
    let mut targets: Vec<&str> = blueprint
        .relations
        .values()
        .map(|r| r.target.as_str())
        .collect();
    targets.dedup();
    let mut seen = Vec::new();
    for target in targets {
        if !seen.contains(&target) {
            seen.push(target);
            fields.push(FilterField {
                key: format!("{RELATED_TO}{target}"),
                title: format!("Related to {target}"),
                kind: ValueKind::Text,
                choices: Vec::new(),
            });
        }
    }
    fields.extend(blueprint.schema.properties.iter().map(|(key, schema)| {
        let choices = match (&schema.enum_values, schema.kind) {
            (Some(values), _) => values.iter().map(plain_text).collect(),
            (None, PropertyType::Boolean) => vec!["true".into(), "false".into()],
            _ => Vec::new(),
        };
        FilterField {
            key: key.clone(),
            title: schema.title.clone().unwrap_or_else(|| key.clone()),
            kind: ValueKind::of(schema),
            choices,
        }
    }));
    fields
}

/// How the value of `operator` on `field` is entered.
pub fn value_input(field: &FilterField, operator: Operator) -> ValueInput {
    use Operator::*;
    if operator.is_unary() {
        return ValueInput::None;
    }
    if field.related_to().is_some() {
        return ValueInput::List;
    }
    let pick = !field.choices.is_empty();
    match (field.kind, operator) {
        (ValueKind::Date, Between | NotBetween) => ValueInput::Preset,
        (ValueKind::Date, _) => ValueInput::Date,
        (ValueKind::Number, _) => ValueInput::Number,
        (ValueKind::Boolean, _) => ValueInput::Choice,
        (_, In | NotIn | ContainsAny) if pick => ValueInput::Choices,
        (_, In | NotIn | ContainsAny) => ValueInput::List,
        (_, Eq | Ne) if pick => ValueInput::Choice,
        _ => ValueInput::Text,
    }
}

/// Splits "a, b,c" into its values.
fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// The rule a row of the builder stands for, or what is wrong with its value.
pub fn rule_of_input(field: &FilterField, operator: Operator, text: &str) -> Result<Rule, String> {
    let text = text.trim();
    if let Some(target) = field.related_to() {
        let identifiers = list(text);
        if identifiers.is_empty() {
            return Err(format!("{}: enter one or more identifiers", field.title));
        }
        return Ok(Rule::RelatedTo {
            blueprint: target.to_string(),
            identifiers,
            direction: None,
        });
    }
    let property = match Meta::parse(&field.key) {
        Some(meta) => PropertyRef::Meta(meta),
        None => PropertyRef::Key(field.key.clone()),
    };
    let input = value_input(field, operator);
    if input != ValueInput::None && text.is_empty() {
        return Err(format!("{}: enter a value", field.title));
    }
    let value = match input {
        ValueInput::None => None,
        ValueInput::Number => Some(RuleValue::Number(
            super::form::parse_number(text)
                .ok_or_else(|| format!("{}: “{text}” is not a number", field.title))?,
        )),
        ValueInput::Choice if field.kind == ValueKind::Boolean => {
            Some(RuleValue::Bool(text == "true"))
        }
        ValueInput::Preset => Some(RuleValue::Preset(
            DatePreset::parse(text)
                .ok_or_else(|| format!("{}: unknown period “{text}”", field.title))?,
        )),
        ValueInput::Date => {
            if super::query::normalize_datetime(text).is_none() {
                return Err(format!("{}: “{text}” is not a date", field.title));
            }
            Some(RuleValue::Text(text.to_string()))
        }
        ValueInput::Choices | ValueInput::List => Some(RuleValue::List(list(text))),
        ValueInput::Choice | ValueInput::Text => Some(RuleValue::Text(text.to_string())),
    };
    Ok(Rule::Property {
        property,
        operator,
        value,
    })
}

/// A rule as the builder's row shows it: property key, operator and the
/// value's text. `None` for rules the builder cannot edit (nested groups,
/// `relatedTo`, explicit date ranges, dynamic values); those stay as they
/// are and show as text.
pub fn input_of_rule(rule: &Rule) -> Option<(String, Operator, String)> {
    let (property, operator, value) = match rule {
        Rule::Property {
            property,
            operator,
            value,
        } => (property, operator, value),
        Rule::RelatedTo {
            blueprint,
            identifiers,
            direction: None,
        } => {
            return Some((
                format!("{RELATED_TO}{blueprint}"),
                Operator::In,
                identifiers.join(", "),
            ))
        }
        _ => return None,
    };
    let text = match value {
        None => String::new(),
        Some(RuleValue::Text(s)) => s.clone(),
        Some(RuleValue::Number(n)) => plain_text(&serde_json::json!(n)),
        Some(RuleValue::Bool(b)) => b.to_string(),
        Some(RuleValue::List(items)) => items.join(", "),
        Some(RuleValue::Preset(p)) => p.name().to_string(),
        Some(_) => return None,
    };
    Some((property.name().to_string(), *operator, text))
}

/// Operator labels people read ("is", "is not", "contains"…).
pub fn operator_label(operator: Operator) -> &'static str {
    use Operator::*;
    match operator {
        Eq => "is",
        Ne => "is not",
        Gt => "is greater than",
        Gte => "is at least",
        Lt => "is less than",
        Lte => "is at most",
        Contains => "contains",
        DoesNotContains => "does not contain",
        BeginsWith => "begins with",
        DoesNotBeginsWith => "does not begin with",
        EndsWith => "ends with",
        DoesNotEndsWith => "does not end with",
        In => "is any of",
        NotIn => "is none of",
        ContainsAny => "has any of",
        IsEmpty => "is empty",
        IsNotEmpty => "is not empty",
        Between => "is within",
        NotBetween => "is not within",
    }
}

/// A rule in words, for filter chips and the page's pre-filter hint:
/// "Tier is gold", "Owning teams has any of My Teams".
pub fn describe_rule(rule: &Rule, fields: &[FilterField]) -> String {
    match rule {
        Rule::Group(query) => format!("a group of {} rules", query.rules.len()),
        Rule::RelatedTo {
            blueprint,
            identifiers,
            ..
        } => format!("related to {blueprint} {}", identifiers.join(", ")),
        Rule::Property {
            property,
            operator,
            value,
        } => {
            let title = fields
                .iter()
                .find(|f| f.key == property.name())
                .map(|f| f.title.clone())
                .unwrap_or_else(|| property.name().to_string());
            let value = match value {
                None => String::new(),
                Some(RuleValue::Preset(p)) => PRESET_CHOICES
                    .iter()
                    .find(|(name, _)| *name == p.name())
                    .map(|(_, label)| label.to_ascii_lowercase())
                    .unwrap_or_else(|| p.name().to_string()),
                Some(RuleValue::Context { .. }) => "the viewer's own".to_string(),
                Some(RuleValue::Range { from, to }) => format!("{from} – {to}"),
                Some(other) => match input_of_rule(rule) {
                    Some((_, _, text)) => text,
                    None => plain_text(&other.to_json()),
                },
            };
            format!("{title} {} {value}", operator_label(*operator))
                .trim_end()
                .to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlueprintSchema, PropertySchema};
    use serde_json::json;

    fn blueprint() -> Blueprint {
        let mut schema = BlueprintSchema::default();
        let mut tier = PropertySchema::new(PropertyType::String, "Tier");
        tier.enum_values = Some(vec![json!("gold"), json!("silver")]);
        schema.properties.insert("tier".into(), tier);
        schema.properties.insert(
            "replicas".into(),
            PropertySchema::new(PropertyType::Number, "Replicas"),
        );
        schema.properties.insert(
            "deployedAt".into(),
            PropertySchema::new(PropertyType::String, "Deployed").with_format("date-time"),
        );
        schema.properties.insert(
            "public".into(),
            PropertySchema::new(PropertyType::Boolean, "Public"),
        );
        Blueprint {
            identifier: "service".into(),
            title: "Service".into(),
            icon: None,
            description: None,
            schema,
            relations: Default::default(),
            ..Default::default()
        }
    }

    fn field(key: &str) -> FilterField {
        filter_fields(&blueprint(), &["platform".into()])
            .into_iter()
            .find(|f| f.key == key)
            .unwrap()
    }

    #[test]
    fn every_offered_operator_is_one_the_compiler_accepts() {
        for f in filter_fields(&blueprint(), &[]) {
            assert!(!f.kind.operators().is_empty(), "{}", f.key);
            for op in f.kind.operators() {
                assert!(f.kind.allows(op));
            }
        }
        assert!(!field("replicas").kind.allows(Operator::Contains));
        assert!(field("tier").kind.allows(Operator::BeginsWith));
    }

    #[test]
    fn inputs_fit_the_type_and_operator() {
        assert_eq!(
            value_input(&field("tier"), Operator::Eq),
            ValueInput::Choice
        );
        assert_eq!(
            value_input(&field("tier"), Operator::In),
            ValueInput::Choices
        );
        assert_eq!(
            value_input(&field("tier"), Operator::Contains),
            ValueInput::Text
        );
        assert_eq!(
            value_input(&field("replicas"), Operator::Gt),
            ValueInput::Number
        );
        assert_eq!(
            value_input(&field("deployedAt"), Operator::Gt),
            ValueInput::Date
        );
        assert_eq!(
            value_input(&field("$createdAt"), Operator::Between),
            ValueInput::Preset
        );
        assert_eq!(
            value_input(&field("$team"), Operator::ContainsAny),
            ValueInput::Choices
        );
        assert_eq!(
            value_input(&field("public"), Operator::Eq),
            ValueInput::Choice
        );
        assert_eq!(
            value_input(&field("$title"), Operator::IsEmpty),
            ValueInput::None
        );
        assert_eq!(field("$team").choices, [MY_TEAMS, "platform"]);
    }

    #[test]
    fn rows_become_rules_and_back() {
        let cases = [
            (
                "tier",
                Operator::In,
                "gold, silver",
                json!(["gold", "silver"]),
            ),
            ("replicas", Operator::Gte, "3", json!(3.0)),
            ("public", Operator::Eq, "false", json!(false)),
            (
                "$createdAt",
                Operator::Between,
                "last3Months",
                json!({"preset": "last3Months"}),
            ),
            (
                "$team",
                Operator::ContainsAny,
                "My Teams",
                json!(["My Teams"]),
            ),
            (
                "deployedAt",
                Operator::Lt,
                "2026-01-31",
                json!("2026-01-31"),
            ),
        ];
        for (key, op, text, wire) in cases {
            let rule = rule_of_input(&field(key), op, text).unwrap();
            assert_eq!(rule.to_json()["value"], wire, "{key}");
            let (back_key, back_op, back_text) = input_of_rule(&rule).unwrap();
            assert_eq!((back_key.as_str(), back_op), (key, op));
            assert_eq!(
                rule_of_input(&field(key), op, &back_text).unwrap(),
                rule,
                "{key} round trip"
            );
        }
        let rule = rule_of_input(&field("$title"), Operator::IsNotEmpty, "").unwrap();
        assert_eq!(
            rule.to_json(),
            json!({"property": "$title", "operator": "isNotEmpty"})
        );
    }

    #[test]
    fn related_to_rows_become_related_to_rules() {
        let mut bp = blueprint();
        bp.relations.insert(
            "dependencies".into(),
            crate::model::RelationSchema {
                title: None,
                description: None,
                target: "service".into(),
                required: false,
                many: true,
            },
        );
        let fields = filter_fields(&bp, &[]);
        let related = fields
            .iter()
            .find(|f| f.key == "relatedTo:service")
            .unwrap();
        assert_eq!(related.operators(), [Operator::In]);
        assert_eq!(value_input(related, Operator::In), ValueInput::List);
        let rule = rule_of_input(related, Operator::In, "cart, billing").unwrap();
        assert_eq!(
            rule.to_json(),
            json!({"operator": "relatedTo", "blueprint": "service", "value": ["cart", "billing"]})
        );
        let (key, op, text) = input_of_rule(&rule).unwrap();
        assert_eq!(
            (key.as_str(), op, text.as_str()),
            ("relatedTo:service", Operator::In, "cart, billing")
        );
        assert!(rule_of_input(related, Operator::In, " ").is_err());
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        assert_eq!(
            rule_of_input(&field("replicas"), Operator::Gt, "many").unwrap_err(),
            "Replicas: “many” is not a number"
        );
        assert_eq!(
            rule_of_input(&field("tier"), Operator::Eq, " ").unwrap_err(),
            "Tier: enter a value"
        );
        assert!(rule_of_input(&field("deployedAt"), Operator::Gt, "soon")
            .unwrap_err()
            .contains("is not a date"));
    }

    #[test]
    fn rules_read_as_words() {
        let fields = filter_fields(&blueprint(), &[]);
        let rule = rule_of_input(&field("$createdAt"), Operator::Between, "last3Months").unwrap();
        assert_eq!(
            describe_rule(&rule, &fields),
            "Creation time is within last 90 days"
        );
        let rule = rule_of_input(&field("tier"), Operator::Eq, "gold").unwrap();
        assert_eq!(describe_rule(&rule, &fields), "Tier is gold");
    }
}
