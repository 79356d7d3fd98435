//! The search query language of `shared/spec/search.md` as a typed AST.
//!
//! `Query::from_json` parses Port's JSON and says exactly which rule is wrong
//! (`rules[1].operator: unknown operator "eq"`); `Query::to_json` writes it
//! back. The same type serves the REST search endpoints, catalog pages'
//! initial filters and the UI's filter builder. It is bounded (`MAX_RULES`,
//! `MAX_VALUES`, `MAX_DEPTH`). Checking a query against the blueprints it
//! searches happens on the server when it is compiled
//! (`query::filter::compile_filter`).

use super::{PropertySchema, PropertyType};
use serde_json::{json, Map, Value};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combinator {
    And,
    Or,
}

/// Meta properties every entity has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Meta {
    Identifier,
    Title,
    Icon,
    Blueprint,
    Team,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

impl Meta {
    pub const ALL: [Meta; 9] = [
        Meta::Identifier,
        Meta::Title,
        Meta::Icon,
        Meta::Blueprint,
        Meta::Team,
        Meta::CreatedAt,
        Meta::UpdatedAt,
        Meta::CreatedBy,
        Meta::UpdatedBy,
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Meta::Identifier => "$identifier",
            Meta::Title => "$title",
            Meta::Icon => "$icon",
            Meta::Blueprint => "$blueprint",
            Meta::Team => "$team",
            Meta::CreatedAt => "$createdAt",
            Meta::UpdatedAt => "$updatedAt",
            Meta::CreatedBy => "$createdBy",
            Meta::UpdatedBy => "$updatedBy",
        }
    }

    pub fn parse(name: &str) -> Option<Meta> {
        Meta::ALL.into_iter().find(|m| m.name() == name)
    }

    pub fn is_date(&self) -> bool {
        matches!(self, Meta::CreatedAt | Meta::UpdatedAt)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PropertyRef {
    Meta(Meta),
    /// A property key of the blueprint's schema.
    Key(String),
}

impl PropertyRef {
    pub fn name(&self) -> &str {
        match self {
            PropertyRef::Meta(m) => m.name(),
            PropertyRef::Key(k) => k,
        }
    }
}

/// Operators with Port's wire names, odd grammar included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    Contains,
    DoesNotContains,
    BeginsWith,
    DoesNotBeginsWith,
    EndsWith,
    DoesNotEndsWith,
    In,
    NotIn,
    ContainsAny,
    IsEmpty,
    IsNotEmpty,
    Between,
    NotBetween,
}

impl Operator {
    pub const ALL: [Operator; 19] = [
        Operator::Eq,
        Operator::Ne,
        Operator::Gt,
        Operator::Gte,
        Operator::Lt,
        Operator::Lte,
        Operator::Contains,
        Operator::DoesNotContains,
        Operator::BeginsWith,
        Operator::DoesNotBeginsWith,
        Operator::EndsWith,
        Operator::DoesNotEndsWith,
        Operator::In,
        Operator::NotIn,
        Operator::ContainsAny,
        Operator::IsEmpty,
        Operator::IsNotEmpty,
        Operator::Between,
        Operator::NotBetween,
    ];

    pub fn wire(&self) -> &'static str {
        match self {
            Operator::Eq => "=",
            Operator::Ne => "!=",
            Operator::Gt => ">",
            Operator::Gte => ">=",
            Operator::Lt => "<",
            Operator::Lte => "<=",
            Operator::Contains => "contains",
            Operator::DoesNotContains => "doesNotContains",
            Operator::BeginsWith => "beginsWith",
            Operator::DoesNotBeginsWith => "doesNotBeginsWith",
            Operator::EndsWith => "endsWith",
            Operator::DoesNotEndsWith => "doesNotEndsWith",
            Operator::In => "in",
            Operator::NotIn => "notIn",
            Operator::ContainsAny => "containsAny",
            Operator::IsEmpty => "isEmpty",
            Operator::IsNotEmpty => "isNotEmpty",
            Operator::Between => "between",
            Operator::NotBetween => "notBetween",
        }
    }

    pub fn parse(wire: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|o| o.wire() == wire)
    }

    /// Whether the operator takes no value.
    pub fn is_unary(&self) -> bool {
        matches!(self, Operator::IsEmpty | Operator::IsNotEmpty)
    }
}

/// The kind of value a property holds, which decides its operators (the
/// compiler refuses others; the filter builder offers only these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    Date,
    Number,
    Boolean,
    Array,
    Object,
    Team,
}

impl ValueKind {
    pub fn of(schema: &PropertySchema) -> ValueKind {
        match schema.kind {
            PropertyType::String if schema.format.as_deref() == Some("date-time") => {
                ValueKind::Date
            }
            PropertyType::String => ValueKind::Text,
            PropertyType::Number => ValueKind::Number,
            PropertyType::Boolean => ValueKind::Boolean,
            PropertyType::Array => ValueKind::Array,
            PropertyType::Object => ValueKind::Object,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            ValueKind::Text => "string",
            ValueKind::Date => "date-time",
            ValueKind::Number => "number",
            ValueKind::Boolean => "boolean",
            ValueKind::Array => "array",
            ValueKind::Object => "object",
            ValueKind::Team => "team",
        }
    }

    pub fn allows(&self, op: Operator) -> bool {
        use Operator::*;
        match self {
            ValueKind::Text => matches!(
                op,
                Eq | Ne
                    | Contains
                    | DoesNotContains
                    | BeginsWith
                    | DoesNotBeginsWith
                    | EndsWith
                    | DoesNotEndsWith
                    | In
                    | NotIn
                    | IsEmpty
                    | IsNotEmpty
            ),
            ValueKind::Date => matches!(
                op,
                Eq | Ne | Gt | Gte | Lt | Lte | Between | NotBetween | IsEmpty | IsNotEmpty
            ),
            ValueKind::Number => matches!(op, Eq | Ne | Gt | Gte | Lt | Lte | IsEmpty | IsNotEmpty),
            ValueKind::Boolean => matches!(op, Eq | Ne | IsEmpty | IsNotEmpty),
            ValueKind::Array => matches!(
                op,
                Contains | DoesNotContains | ContainsAny | IsEmpty | IsNotEmpty
            ),
            ValueKind::Object => matches!(op, IsEmpty | IsNotEmpty),
            ValueKind::Team => matches!(
                op,
                Eq | Ne | In | NotIn | ContainsAny | IsEmpty | IsNotEmpty
            ),
        }
    }

    /// The operators a filter on this kind may use, in menu order.
    pub fn operators(&self) -> Vec<Operator> {
        Operator::ALL
            .into_iter()
            .filter(|o| self.allows(*o))
            .collect()
    }

    /// The operators' wire names, for messages.
    pub fn operator_list(&self) -> String {
        self.operators()
            .iter()
            .map(|o| o.wire())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The kind of a meta property.
    pub fn of_meta(meta: Meta) -> ValueKind {
        match meta {
            Meta::Team => ValueKind::Team,
            m if m.is_date() => ValueKind::Date,
            _ => ValueKind::Text,
        }
    }
}

/// Date presets of `between` (search.md §2); all are accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePreset {
    Today,
    Tomorrow,
    Yesterday,
    /// Past `n` days up to now (`lastDay` = 1, `lastWeek` = 7, …).
    Last(u32),
    /// From now up to `n` days ahead.
    Next(u32),
}

const PRESETS: [(&str, DatePreset); 19] = [
    ("today", DatePreset::Today),
    ("tomorrow", DatePreset::Tomorrow),
    ("yesterday", DatePreset::Yesterday),
    ("lastDay", DatePreset::Last(1)),
    ("lastWeek", DatePreset::Last(7)),
    ("last2Weeks", DatePreset::Last(14)),
    ("lastMonth", DatePreset::Last(30)),
    ("last3Months", DatePreset::Last(90)),
    ("last6Months", DatePreset::Last(180)),
    ("last12Months", DatePreset::Last(365)),
    ("last2Years", DatePreset::Last(730)),
    ("last3Years", DatePreset::Last(1095)),
    ("nextDay", DatePreset::Next(1)),
    ("nextWeek", DatePreset::Next(7)),
    ("next2Weeks", DatePreset::Next(14)),
    ("nextMonth", DatePreset::Next(30)),
    ("next3Months", DatePreset::Next(90)),
    ("next6Months", DatePreset::Next(180)),
    ("next12Months", DatePreset::Next(365)),
];

impl DatePreset {
    pub fn parse(name: &str) -> Option<DatePreset> {
        PRESETS.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }

    pub fn name(&self) -> &'static str {
        PRESETS
            .iter()
            .find(|(_, p)| p == self)
            .map(|(n, _)| *n)
            .unwrap_or("today")
    }
}

/// Who a dynamic value refers to: the caller, or the caller's teams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContextKind {
    User,
    UserTeams,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RuleValue {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    /// A list of strings (`in`, `notIn`, `containsAny`); may hold the literal
    /// `"My Teams"`, which stands for the caller's teams.
    List(Vec<String>),
    /// `between` with explicit ISO bounds.
    Range {
        from: String,
        to: String,
    },
    Preset(DatePreset),
    /// `{"context": "user"|"userTeams", "property": …}`, resolved per caller.
    Context {
        kind: ContextKind,
        property: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Upstream,
    Downstream,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    Group(Query),
    Property {
        property: PropertyRef,
        operator: Operator,
        value: Option<RuleValue>,
    },
    RelatedTo {
        blueprint: String,
        identifiers: Vec<String>,
        direction: Option<Direction>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub combinator: Combinator,
    pub rules: Vec<Rule>,
}

/// A malformed query: where (a JSON path like `rules[2].value`) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

fn err(path: &str, message: impl Into<String>) -> QueryError {
    QueryError {
        path: path.to_string(),
        message: message.into(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Rules nest at most this deep, so a hostile query can't exhaust the stack.
pub const MAX_DEPTH: usize = 16;

/// A query holds at most this many rules, groups included, at any depth.
/// Port's UI and clients stay far below it; a query past it is a mistake
/// or an attack, and a database given one spends seconds before it fails.
pub const MAX_RULES: usize = 1000;

/// A query's lists (`in`, `notIn`, `containsAny`, `relatedTo`
/// identifiers) hold at most this many values together. A page's initial
/// filter, a view's filter and a read policy may all be combined into one
/// statement, and three full queries still fit SQLite's 32,766 bound
/// values.
pub const MAX_VALUES: usize = 5000;

/// Rules and values counted so far, for `within_limits`.
#[derive(Default)]
struct Size {
    rules: usize,
    values: usize,
}

/// Checks `MAX_RULES` and `MAX_VALUES`, naming the rule that passes one.
fn within_limits(query: &Query, path: &str, size: &mut Size) -> Result<(), QueryError> {
    for (i, rule) in query.rules.iter().enumerate() {
        let rule_path = format!("{}[{i}]", join(path, "rules"));
        size.rules += 1;
        if size.rules > MAX_RULES {
            return Err(err(
                &rule_path,
                format!(
                    "a query may hold at most {MAX_RULES} rules (groups included, at any depth); this is rule {}. Use one `in` rule with a list instead of many `=` rules",
                    size.rules
                ),
            ));
        }
        let values = match rule {
            Rule::Group(group) => {
                within_limits(group, &rule_path, size)?;
                0
            }
            Rule::Property {
                value: Some(RuleValue::List(items)),
                ..
            } => items.len(),
            Rule::RelatedTo { identifiers, .. } => identifiers.len(),
            Rule::Property { .. } => 0,
        };
        size.values += values;
        if size.values > MAX_VALUES {
            return Err(err(
                &join(&rule_path, "value"),
                format!(
                    "a query's lists may hold at most {MAX_VALUES} values together; this one brings them to {}. Split the search into several",
                    size.values
                ),
            ));
        }
    }
    Ok(())
}

impl Query {
    /// Matches every entity.
    pub fn all() -> Query {
        Query {
            combinator: Combinator::And,
            rules: Vec::new(),
        }
    }

    pub fn from_json(value: &Value) -> Result<Query, QueryError> {
        let query = parse_group(value, "", 0)?;
        query.check_limits()?;
        Ok(query)
    }

    /// `MAX_RULES` and `MAX_VALUES`, naming the rule that passes one.
    pub fn check_limits(&self) -> Result<(), QueryError> {
        within_limits(self, "", &mut Size::default())
    }

    pub fn to_json(&self) -> Value {
        json!({
            "combinator": match self.combinator { Combinator::And => "and", Combinator::Or => "or" },
            "rules": self.rules.iter().map(Rule::to_json).collect::<Vec<_>>(),
        })
    }
}

fn parse_group(value: &Value, path: &str, depth: usize) -> Result<Query, QueryError> {
    if depth > MAX_DEPTH {
        return Err(err(
            path,
            format!("rules nest deeper than {MAX_DEPTH} levels"),
        ));
    }
    let obj = value.as_object().ok_or_else(|| {
        err(
            path,
            "a query must be an object with `combinator` and `rules`",
        )
    })?;
    let combinator = match obj.get("combinator") {
        Some(Value::String(s)) if s == "and" => Combinator::And,
        Some(Value::String(s)) if s == "or" => Combinator::Or,
        Some(other) => {
            return Err(err(
                &join(path, "combinator"),
                format!("must be \"and\" or \"or\", not {other}"),
            ))
        }
        None => return Err(err(path, "`combinator` is required (\"and\" or \"or\")")),
    };
    let rules = match obj.get("rules") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| parse_rule(item, &format!("{}[{i}]", join(path, "rules")), depth))
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(err(&join(path, "rules"), "must be an array of rules")),
        None => {
            return Err(err(
                path,
                "`rules` is required (an array, empty to match all)",
            ))
        }
    };
    Ok(Query { combinator, rules })
}

fn string_list(value: &Value, path: &str) -> Result<Vec<String>, QueryError> {
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(err(
                    &format!("{path}[{i}]"),
                    format!("must be a string, not {other}"),
                )),
            })
            .collect(),
        other => Err(err(
            path,
            format!("must be an array of strings, not {other}"),
        )),
    }
}

fn parse_rule(value: &Value, path: &str, depth: usize) -> Result<Rule, QueryError> {
    let obj = value
        .as_object()
        .ok_or_else(|| err(path, "a rule must be an object"))?;
    if obj.contains_key("combinator") {
        return parse_group(value, path, depth + 1).map(Rule::Group);
    }
    let operator_text = match obj.get("operator") {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err(err(
                &join(path, "operator"),
                format!("must be a string, not {other}"),
            ))
        }
        None => return Err(err(path, "`operator` is required")),
    };
    if operator_text == "relatedTo" {
        return parse_related_to(obj, path);
    }
    if matches!(operator_text, "matchAny" | "isExpired" | "isNotExpired")
        || obj.contains_key("relation")
        || obj.contains_key("scorecard")
        || obj.contains_key("propertySchema")
    {
        return Err(err(
            path,
            format!("this kind of rule (`{operator_text}`) is not supported by Portolan yet"),
        ));
    }
    let operator = Operator::parse(operator_text).ok_or_else(|| {
        err(
            &join(path, "operator"),
            format!(
                "unknown operator \"{operator_text}\"; use one of {}",
                Operator::ALL
                    .iter()
                    .map(|o| o.wire())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    let property = match obj.get("property") {
        Some(Value::String(name)) if name.starts_with('$') => {
            PropertyRef::Meta(Meta::parse(name).ok_or_else(|| {
                err(
                    &join(path, "property"),
                    format!(
                        "unknown meta property \"{name}\"; use one of {}",
                        Meta::ALL
                            .iter()
                            .map(|m| m.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?)
        }
        Some(Value::String(name)) if !name.is_empty() => PropertyRef::Key(name.clone()),
        Some(other) => {
            return Err(err(
                &join(path, "property"),
                format!("must be a property name, not {other}"),
            ))
        }
        None => return Err(err(path, "`property` is required")),
    };
    let value_path = join(path, "value");
    let value = match (operator.is_unary(), obj.get("value")) {
        (true, _) => None,
        (false, None) => {
            return Err(err(
                path,
                format!("operator \"{}\" needs a `value`", operator.wire()),
            ))
        }
        (false, Some(v)) => Some(parse_value(operator, v, &value_path)?),
    };
    Ok(Rule::Property {
        property,
        operator,
        value,
    })
}

fn parse_context(obj: &Map<String, Value>, path: &str) -> Result<RuleValue, QueryError> {
    let kind = match obj.get("context").and_then(Value::as_str) {
        Some("user") => ContextKind::User,
        Some("userTeams") => ContextKind::UserTeams,
        _ => {
            return Err(err(
                &join(path, "context"),
                "must be \"user\" or \"userTeams\"",
            ))
        }
    };
    let property = obj
        .get("property")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            err(
                &join(path, "property"),
                "a dynamic value needs a `property`",
            )
        })?
        .to_string();
    Ok(RuleValue::Context { kind, property })
}

fn parse_value(operator: Operator, value: &Value, path: &str) -> Result<RuleValue, QueryError> {
    if let Some(obj) = value.as_object() {
        if obj.contains_key("context") {
            return parse_context(obj, path);
        }
    }
    match operator {
        Operator::In | Operator::NotIn | Operator::ContainsAny => {
            Ok(RuleValue::List(string_list(value, path)?))
        }
        Operator::Between | Operator::NotBetween => {
            let obj = value
                .as_object()
                .ok_or_else(|| err(path, "must be {\"from\": …, \"to\": …} or {\"preset\": …}"))?;
            if let Some(preset) = obj.get("preset") {
                let name = preset.as_str().unwrap_or_default();
                return DatePreset::parse(name)
                    .map(RuleValue::Preset)
                    .ok_or_else(|| {
                        err(
                            &join(path, "preset"),
                            format!(
                                "unknown preset {preset}; use one of {}",
                                PRESETS
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    });
            }
            let bound = |key: &str| -> Result<String, QueryError> {
                let text = obj
                    .get(key)
                    .and_then(Value::as_str)
                    .ok_or_else(|| err(&join(path, key), "must be an ISO 8601 date-time"))?;
                normalize_datetime(text).ok_or_else(|| {
                    err(
                        &join(path, key),
                        format!("\"{text}\" is not an ISO 8601 date-time from year 0000 to 9999"),
                    )
                })
            };
            Ok(RuleValue::Range {
                from: bound("from")?,
                to: bound("to")?,
            })
        }
        _ => match value {
            Value::Null => Ok(RuleValue::Null),
            Value::Bool(b) => Ok(RuleValue::Bool(*b)),
            Value::Number(n) => n
                .as_f64()
                .map(RuleValue::Number)
                .ok_or_else(|| err(path, "number out of range")),
            Value::String(s) => Ok(RuleValue::Text(s.clone())),
            other => Err(err(
                path,
                format!(
                    "operator \"{}\" takes a single value, not {other}",
                    operator.wire()
                ),
            )),
        },
    }
}

fn parse_related_to(obj: &Map<String, Value>, path: &str) -> Result<Rule, QueryError> {
    let blueprint = obj
        .get("blueprint")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            err(
                &join(path, "blueprint"),
                "relatedTo needs the `blueprint` of its value",
            )
        })?
        .to_string();
    let identifiers = match obj.get("value") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(v @ Value::Array(_)) => string_list(v, &join(path, "value"))?,
        _ => {
            return Err(err(
                &join(path, "value"),
                "relatedTo needs an entity identifier or an array of them",
            ))
        }
    };
    let direction = match obj.get("direction").and_then(Value::as_str) {
        None => None,
        Some("upstream") => Some(Direction::Upstream),
        Some("downstream") => Some(Direction::Downstream),
        Some(other) => {
            return Err(err(
                &join(path, "direction"),
                format!("must be \"upstream\" or \"downstream\", not \"{other}\""),
            ))
        }
    };
    if obj.contains_key("required") {
        return Err(err(
            &join(path, "required"),
            "relatedTo with `required` is not supported by Portolan yet",
        ));
    }
    Ok(Rule::RelatedTo {
        blueprint,
        identifiers,
        direction,
    })
}

/// An ISO 8601 date-time (or a date) in the one form the store compares:
/// UTC, `YYYY-MM-DDTHH:MM:SSZ`. Only years 0000 to 9999 in UTC: the store
/// compares these strings as text, which orders them only with four-digit
/// years, and chrono writes other years (`-2027`, `+10000`) in a form
/// RFC 3339 cannot read back (the fuzz target found a `between` bound of
/// `-2027-02-01` that was accepted but not read back from the wire).
pub fn normalize_datetime(text: &str) -> Option<String> {
    use chrono::Datelike;
    let utc = match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(d) => d.with_timezone(&chrono::Utc),
        Err(_) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()?
            .and_hms_opt(0, 0, 0)?
            .and_utc(),
    };
    (0..=9999)
        .contains(&utc.year())
        .then(|| utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

impl Rule {
    pub fn to_json(&self) -> Value {
        match self {
            Rule::Group(q) => q.to_json(),
            Rule::Property {
                property,
                operator,
                value,
            } => {
                let mut obj = Map::new();
                obj.insert("property".into(), json!(property.name()));
                obj.insert("operator".into(), json!(operator.wire()));
                if let Some(v) = value {
                    obj.insert("value".into(), v.to_json());
                }
                Value::Object(obj)
            }
            Rule::RelatedTo {
                blueprint,
                identifiers,
                direction,
            } => {
                let mut obj = Map::new();
                obj.insert("operator".into(), json!("relatedTo"));
                obj.insert("blueprint".into(), json!(blueprint));
                obj.insert("value".into(), json!(identifiers));
                if let Some(d) = direction {
                    obj.insert(
                        "direction".into(),
                        json!(match d {
                            Direction::Upstream => "upstream",
                            Direction::Downstream => "downstream",
                        }),
                    );
                }
                Value::Object(obj)
            }
        }
    }
}

impl RuleValue {
    pub fn to_json(&self) -> Value {
        match self {
            RuleValue::Null => Value::Null,
            RuleValue::Bool(b) => json!(b),
            RuleValue::Number(n) => json!(n),
            RuleValue::Text(s) => json!(s),
            RuleValue::List(items) => json!(items),
            RuleValue::Range { from, to } => json!({"from": from, "to": to}),
            RuleValue::Preset(p) => json!({"preset": p.name()}),
            RuleValue::Context { kind, property } => json!({
                "context": match kind { ContextKind::User => "user", ContextKind::UserTeams => "userTeams" },
                "property": property,
            }),
        }
    }
}

impl serde::Serialize for Query {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

/// Reading a query back (a stored page's initial filter, a saved view) is
/// not bounded by `MAX_RULES` / `MAX_VALUES`: a page stored before the
/// limits, or joined from two queries, must still load. Every way in from
/// outside (`from_json`, `create_page`) checks the limits.
impl<'de> serde::Deserialize<'de> for Query {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        parse_group(&value, "", 0).map_err(serde::de::Error::custom)
    }
}

/// The query's JSON Schema for the OpenAPI document: its grammar is
/// recursive and checked by `Query::from_json`, so the schema states the
/// outline and points at the spec rather than repeating every rule.
#[cfg(feature = "ssr")]
impl schemars::JsonSchema for Query {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Query".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A search query (spec/search.md): rules joined by a combinator; a rule is {property, operator, value}, {operator: \"relatedTo\", blueprint, value, direction} or a nested query.",
            "type": "object",
            "required": ["combinator", "rules"],
            "properties": {
                "combinator": {"type": "string", "enum": ["and", "or"]},
                "rules": {"type": "array", "items": {"type": "object"}}
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example_round_trips() {
        let json = json!({"combinator": "and", "rules": [
            {"property": "$blueprint", "operator": "=", "value": "service"},
            {"combinator": "or", "rules": [
                {"property": "tier", "operator": "in", "value": ["gold", "silver"]},
                {"property": "$team", "operator": "containsAny", "value": {"context": "userTeams", "property": "$identifier"}}]}]});
        let q = Query::from_json(&json).unwrap();
        assert_eq!(q.rules.len(), 2);
        assert_eq!(q.to_json(), json);
    }

    #[test]
    fn errors_name_the_rule_that_is_wrong() {
        let bad = |v: Value| Query::from_json(&v).unwrap_err().to_string();
        assert_eq!(
            bad(json!({"rules": []})),
            "`combinator` is required (\"and\" or \"or\")"
        );
        let e = bad(
            json!({"combinator": "and", "rules": [{"property": "a", "operator": "=", "value": 1}, {"property": "b", "operator": "eq", "value": 1}]}),
        );
        assert!(
            e.starts_with("rules[1].operator: unknown operator \"eq\""),
            "{e}"
        );
        let e = bad(
            json!({"combinator": "and", "rules": [{"combinator": "or", "rules": [{"property": "a", "operator": "in", "value": "x"}]}]}),
        );
        assert!(
            e.starts_with("rules[0].rules[0].value: must be an array"),
            "{e}"
        );
        let e = bad(
            json!({"combinator": "and", "rules": [{"property": "$nope", "operator": "=", "value": 1}]}),
        );
        assert!(e.contains("unknown meta property \"$nope\""), "{e}");
        let e = bad(
            json!({"combinator": "and", "rules": [{"property": "d", "operator": "between", "value": {"preset": "lastCentury"}}]}),
        );
        assert!(e.contains("unknown preset"), "{e}");
        let e = bad(
            json!({"combinator": "and", "rules": [{"property": "d", "operator": "between", "value": {"from": "yesterday", "to": "2026-01-01"}}]}),
        );
        assert!(e.contains("\"yesterday\" is not an ISO 8601"), "{e}");
        // Years a four-digit text comparison can't order, nor RFC 3339 read
        // back, are refused: a negative date, and a date-time whose UTC
        // form falls before year 0000 or after 9999.
        for bound in [
            "-2027-02-01",
            "0000-01-01T00:00:00+01:00",
            "9999-12-31T23:00:00-05:00",
        ] {
            let e = bad(
                json!({"combinator": "and", "rules": [{"property": "d", "operator": "between", "value": {"from": "2026-01-01", "to": bound}}]}),
            );
            assert!(e.contains("from year 0000 to 9999"), "{bound}: {e}");
        }
        assert_eq!(
            normalize_datetime("0000-01-01T01:00:00+01:00").as_deref(),
            Some("0000-01-01T00:00:00Z")
        );
        let e = bad(json!({"combinator": "and", "rules": [{"property": "a", "operator": "="}]}));
        assert!(e.contains("needs a `value`"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let mut v = json!({"combinator": "and", "rules": []});
        for _ in 0..100 {
            v = json!({"combinator": "and", "rules": [v]});
        }
        assert!(Query::from_json(&v).unwrap_err().message.contains("deeper"));
    }

    #[test]
    fn presets_and_dates_normalize() {
        assert_eq!(DatePreset::parse("last3Months"), Some(DatePreset::Last(90)));
        assert_eq!(DatePreset::parse("nextWeek"), Some(DatePreset::Next(7)));
        assert_eq!(
            normalize_datetime("2026-01-02T03:04:05+02:00").as_deref(),
            Some("2026-01-02T01:04:05Z")
        );
        assert_eq!(
            normalize_datetime("2026-01-02").as_deref(),
            Some("2026-01-02T00:00:00Z")
        );
    }

    #[test]
    fn odd_wire_names_are_kept() {
        for name in ["doesNotContains", "doesNotBeginsWith", "doesNotEndsWith"] {
            assert_eq!(Operator::parse(name).unwrap().wire(), name);
        }
    }
}
