//! Property-based search tests (spec/search.md): random entities and random
//! nested queries, run on SQLite and PostgreSQL, must return exactly the rows
//! an in-memory evaluator of the same `Query` AST picks.
//!
//! The evaluator below is written from the spec, not from the SQL compiler:
//! negative operators match absent values, `isEmpty` covers absent, null,
//! `""`, `[]` and `{}`, `"My Teams"` and `userTeams` are the viewer's teams,
//! `relatedTo` without a direction looks both ways. Each run draws a fresh
//! seed (proptest prints it and the smallest failing query); set
//! `PROPTEST_RNG_SEED` to replay one and `PROPTEST_CASES` for more cases.

mod support;

use chrono::{DateTime, Duration, Utc};
use portolan::model::query::{
    Combinator, ContextKind, DatePreset, Direction, Meta, Operator, PropertyRef, Query, Rule,
    RuleValue, ValueKind,
};
use portolan::model::{Entity, SignedInUser, Subject, Team, TeamProvider, UserRole};
use portolan::query::filter::preset_range;
use portolan::services::search;
use portolan::store::Store;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};
use support::{admin_bearer, api_call};

const TEAMS: [&str; 3] = ["alpha", "beta", "gamma"];
const GROUPS: [&str; 4] = ["g0", "g1", "g2", "g3"];
const NAMES: [&str; 7] = ["alpha", "Alpha", "alp", "beta", "", "pha", "a-b"];
const NEEDLES: [&str; 7] = ["", "a", "al", "ha", "A", "-", "zz"];
const TIERS: [&str; 3] = ["gold", "silver", "bronze"];
const NUMBERS: [f64; 6] = [-1.0, 0.0, 1.5, 2.0, 10.0, 100.0];
const TAGS: [&str; 4] = ["x", "y", "z", "xy"];
const PRESETS: [&str; 8] = [
    "today",
    "yesterday",
    "tomorrow",
    "lastWeek",
    "lastMonth",
    "nextWeek",
    "last3Months",
    "next2Weeks",
];
const VIEWER_TEAMS: [&str; 1] = ["alpha"];
const VIEWER_EMAIL: &str = "prop@portolan.dev";

/// The properties of the `svc` blueprint, with the kind that decides their
/// operators.
const SVC_PROPERTIES: [(&str, ValueKind); 7] = [
    ("name", ValueKind::Text),
    ("tier", ValueKind::Text),
    ("score", ValueKind::Number),
    ("active", ValueKind::Boolean),
    ("since", ValueKind::Date),
    ("tags", ValueKind::Array),
    ("config", ValueKind::Object),
];

fn svc_blueprint() -> Value {
    json!({
        "identifier": "svc", "title": "Service",
        "schema": {"properties": {
            "name": {"type": "string"},
            "tier": {"type": "string", "enum": TIERS},
            "score": {"type": "number"},
            "active": {"type": "boolean"},
            "since": {"type": "string", "format": "date-time"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "config": {"type": "object"}
        }, "required": []},
        "relations": {"group": {"title": "Group", "target": "grp", "many": false, "required": false}}
    })
}

/// Date-times around now, off the hour by 17m13s, so no preset's boundary
/// (midnight, or now ± whole days) falls on one while the test runs.
fn date_pool(now: DateTime<Utc>) -> Vec<String> {
    let anchor = now.date_naive().and_hms_opt(0, 17, 13).unwrap().and_utc();
    [
        -24 * 100,
        -24 * 20,
        -24 * 6,
        -30,
        -3,
        5,
        20,
        24 * 5,
        24 * 40,
    ]
    .iter()
    .map(|hours| iso(anchor + Duration::hours(*hours)))
    .chain(["2020-02-29T12:00:00Z".to_string()])
    .collect()
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn pick<T: Clone + std::fmt::Debug + 'static>(pool: &[T]) -> impl Strategy<Value = T> {
    proptest::sample::select(pool.to_vec())
}

fn subset(pool: &[&'static str], max: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::sample::subsequence(pool.to_vec(), 0..=max.min(pool.len()))
        .prop_map(|items| items.into_iter().map(str::to_string).collect())
}

/// One `svc` entity as the bulk endpoint takes it; every property may be
/// absent.
fn svc_entity(index: usize, dates: Vec<String>) -> impl Strategy<Value = Value> {
    (
        (
            proptest::option::of(pick(&NAMES)),
            proptest::option::of(pick(&["Payments", "payments api", "Search"])),
            proptest::option::of(pick(&["Service", "Cloud"])),
            subset(&TEAMS, 2),
        ),
        (
            proptest::option::of(pick(&NAMES)),
            proptest::option::of(pick(&TIERS)),
            proptest::option::of(pick(&NUMBERS)),
            proptest::option::of(any::<bool>()),
            proptest::option::of(pick(&dates)),
            proptest::option::of(subset(&TAGS, 3)),
            proptest::option::of(pick(&[json!({}), json!({"a": 1})])),
            proptest::option::of(pick(&GROUPS)),
        ),
    )
        .prop_map(
            move |(
                (title, alt_title, icon, team),
                (name, tier, score, active, since, tags, config, group),
            )| {
                let mut properties = Map::new();
                let mut put = |key: &str, value: Option<Value>| {
                    if let Some(v) = value {
                        properties.insert(key.to_string(), v);
                    }
                };
                put("name", name.map(Value::from));
                put("tier", tier.map(Value::from));
                put("score", score.map(Value::from));
                put("active", active.map(Value::from));
                put("since", since.map(Value::from));
                put("tags", tags.map(Value::from));
                put("config", config);
                let mut entity = json!({
                    "identifier": format!("s{index}"),
                    "team": team,
                    "properties": properties,
                    "relations": {"group": group},
                });
                if let Some(t) = title.or(alt_title) {
                    entity["title"] = json!(t);
                }
                if let Some(i) = icon {
                    entity["icon"] = json!(i);
                }
                entity
            },
        )
}

fn catalog(now: DateTime<Utc>) -> impl Strategy<Value = Vec<Value>> {
    let dates = date_pool(now);
    (20usize..70).prop_flat_map(move |count| {
        (0..count)
            .map(|i| svc_entity(i, dates.clone()).boxed())
            .collect::<Vec<_>>()
    })
}

/// A value for `operator` on a property of `kind`: always one the query
/// language accepts, so every generated query must run.
fn value_for(kind: ValueKind, operator: Operator, dates: &[String]) -> BoxedStrategy<RuleValue> {
    use Operator::*;
    let text = |pool: &[&'static str]| pick(pool).prop_map(|s| RuleValue::Text(s.to_string()));
    let list = |pool: &[&'static str]| subset(pool, 3).prop_map(RuleValue::List);
    match (kind, operator) {
        (_, IsEmpty | IsNotEmpty) => unreachable!("unary operators take no value"),
        (ValueKind::Team, Eq | Ne) => prop_oneof![
            text(&TEAMS),
            Just(RuleValue::Null),
            Just(RuleValue::Context {
                kind: ContextKind::UserTeams,
                property: "$team".into()
            }),
        ]
        .boxed(),
        (ValueKind::Team, _) => prop_oneof![
            subset(&["alpha", "beta", "gamma", "My Teams"], 3).prop_map(RuleValue::List),
            Just(RuleValue::Context {
                kind: ContextKind::UserTeams,
                property: "$team".into()
            }),
        ]
        .boxed(),
        (ValueKind::Text, Eq | Ne) => prop_oneof![
            4 => text(&NAMES),
            1 => text(&TIERS),
            1 => text(&["svc", "grp", "s1", "g2", "Payments"]),
            1 => Just(RuleValue::Null),
            1 => Just(RuleValue::Context { kind: ContextKind::User, property: "$identifier".into() }),
        ]
        .boxed(),
        (ValueKind::Text, In | NotIn) => prop_oneof![
            list(&NAMES),
            list(&TIERS),
            list(&["svc", "grp", "s1", "s2", "g0", "Search"]),
        ]
        .boxed(),
        (ValueKind::Text, _) => text(&NEEDLES).boxed(),
        (ValueKind::Number, _) => prop_oneof![
            5 => pick(&NUMBERS).prop_map(RuleValue::Number),
            1 => Just(RuleValue::Number(5.0)),
            1 => Just(RuleValue::Null),
        ]
        .boxed(),
        (ValueKind::Boolean, _) => prop_oneof![
            any::<bool>().prop_map(RuleValue::Bool),
            Just(RuleValue::Null),
        ]
        .boxed(),
        (ValueKind::Date, Between | NotBetween) => prop_oneof![
            pick(&PRESETS).prop_map(|p| RuleValue::Preset(DatePreset::parse(p).unwrap())),
            (pick(dates), pick(dates)).prop_map(|(a, b)| {
                let (from, to) = if a <= b { (a, b) } else { (b, a) };
                RuleValue::Range { from, to }
            }),
        ]
        .boxed(),
        (ValueKind::Date, _) => prop_oneof![
            4 => pick(dates).prop_map(RuleValue::Text),
            1 => Just(RuleValue::Null),
        ]
        .boxed(),
        (ValueKind::Array, ContainsAny) => list(&["x", "y", "z", "w", "xy"]).boxed(),
        (ValueKind::Array, _) => text(&["x", "y", "z", "w"]).boxed(),
        (ValueKind::Object, _) => unreachable!("objects take only unary operators"),
    }
}

/// `=` and `!=` with `null` apply only to values that can be absent.
fn null_allowed(property: &PropertyRef) -> bool {
    !matches!(
        property,
        PropertyRef::Meta(Meta::Identifier | Meta::Blueprint | Meta::CreatedAt | Meta::UpdatedAt)
    )
}

fn property_rule(dates: Vec<String>) -> impl Strategy<Value = Rule> {
    let mut properties: Vec<(PropertyRef, ValueKind)> = SVC_PROPERTIES
        .iter()
        .map(|(k, kind)| (PropertyRef::Key(k.to_string()), *kind))
        .collect();
    // Who wrote an entity is the test's admin for all of them: left out.
    for meta in Meta::ALL
        .into_iter()
        .filter(|m| !matches!(m, Meta::CreatedBy | Meta::UpdatedBy))
    {
        properties.push((PropertyRef::Meta(meta), ValueKind::of_meta(meta)));
    }
    pick(&properties)
        .prop_flat_map(|(property, kind)| (Just(property), Just(kind), pick(&kind.operators())))
        .prop_flat_map(move |(property, kind, operator)| {
            let value = if operator.is_unary() {
                Just(None).boxed()
            } else {
                // `null` means "absent" and goes with `=` and `!=` only.
                let allow_null =
                    null_allowed(&property) && matches!(operator, Operator::Eq | Operator::Ne);
                value_for(kind, operator, &dates)
                    .prop_filter("null where no value is ever absent", move |v| {
                        allow_null || *v != RuleValue::Null
                    })
                    .prop_map(Some)
                    .boxed()
            };
            (Just(property), Just(operator), value)
        })
        .prop_map(|(property, operator, value)| Rule::Property {
            property,
            operator,
            value,
        })
}

fn related_rule() -> impl Strategy<Value = Rule> {
    (
        prop_oneof![
            (Just("grp"), subset(&GROUPS, 2)),
            (Just("svc"), subset(&["s0", "s1", "s2", "s3", "s4"], 3)),
        ],
        proptest::option::of(prop_oneof![
            Just(Direction::Upstream),
            Just(Direction::Downstream)
        ]),
    )
        .prop_map(|((blueprint, identifiers), direction)| Rule::RelatedTo {
            blueprint: blueprint.to_string(),
            identifiers,
            direction,
        })
}

fn query(dates: Vec<String>) -> impl Strategy<Value = Query> {
    let leaf = prop_oneof![6 => property_rule(dates), 1 => related_rule()];
    let rule = leaf.prop_recursive(3, 24, 4, |inner| {
        (
            prop_oneof![Just(Combinator::And), Just(Combinator::Or)],
            proptest::collection::vec(inner, 0..3),
        )
            .prop_map(|(combinator, rules)| Rule::Group(Query { combinator, rules }))
    });
    (
        prop_oneof![Just(Combinator::And), Just(Combinator::Or)],
        proptest::collection::vec(rule, 1..3),
    )
        .prop_map(|(combinator, rules)| Query { combinator, rules })
}

// ----- the in-memory evaluator -----

struct World<'a> {
    entities: &'a [Entity],
    now: DateTime<Utc>,
}

fn property_kind(property: &PropertyRef) -> ValueKind {
    match property {
        PropertyRef::Meta(meta) => ValueKind::of_meta(*meta),
        PropertyRef::Key(key) => {
            SVC_PROPERTIES
                .iter()
                .find(|(k, _)| k == key)
                .expect("a generated key")
                .1
        }
    }
}

/// `"My Teams"` and dynamic values replaced by the viewer's.
fn resolve(value: &RuleValue) -> RuleValue {
    let teams = || VIEWER_TEAMS.iter().map(|t| t.to_string()).collect();
    match value {
        RuleValue::Context {
            kind: ContextKind::UserTeams,
            ..
        } => RuleValue::List(teams()),
        RuleValue::Context {
            kind: ContextKind::User,
            ..
        } => RuleValue::Text(VIEWER_EMAIL.into()),
        RuleValue::List(items) => RuleValue::List(
            items
                .iter()
                .flat_map(|item| {
                    if item == "My Teams" {
                        teams()
                    } else {
                        vec![item.clone()]
                    }
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn is_negative(op: Operator) -> bool {
    use Operator::*;
    matches!(
        op,
        Ne | DoesNotContains | DoesNotBeginsWith | DoesNotEndsWith | NotIn | NotBetween
    )
}

/// A scalar comparison; `Ord` over text (ISO dates compare as text) or
/// numbers. An absent value satisfies only the negative operators.
fn compare<T: PartialOrd + PartialEq>(
    actual: Option<T>,
    op: Operator,
    operand: Option<T>,
    range: Option<(T, T)>,
) -> bool {
    use Operator::*;
    let Some(actual) = actual else {
        return is_negative(op);
    };
    let operand_is = |f: &dyn Fn(&T) -> bool| operand.as_ref().is_some_and(f);
    match op {
        Eq => operand_is(&|o| actual == *o),
        Ne => !operand_is(&|o| actual == *o),
        Gt => operand_is(&|o| actual > *o),
        Gte => operand_is(&|o| actual >= *o),
        Lt => operand_is(&|o| actual < *o),
        Lte => operand_is(&|o| actual <= *o),
        Between | NotBetween => {
            let inside = range
                .as_ref()
                .is_some_and(|(from, to)| actual >= *from && actual <= *to);
            inside != (op == NotBetween)
        }
        other => unreachable!("{other:?} is not a scalar comparison"),
    }
}

fn text_matches(actual: Option<&str>, op: Operator, value: &RuleValue, now: DateTime<Utc>) -> bool {
    use Operator::*;
    let value = resolve(value);
    if value == RuleValue::Null {
        return (op == Eq) == actual.is_none();
    }
    let needle = match &value {
        RuleValue::Text(s) => s.as_str(),
        _ => "",
    };
    let positive = match (op, &value) {
        (In | NotIn, RuleValue::List(items)) => {
            let found = actual.is_some_and(|a| items.iter().any(|i| i == a));
            return if op == In { found } else { !found };
        }
        (Contains | DoesNotContains, _) => actual.map(|a| a.contains(needle)),
        (BeginsWith | DoesNotBeginsWith, _) => actual.map(|a| a.starts_with(needle)),
        (EndsWith | DoesNotEndsWith, _) => actual.map(|a| a.ends_with(needle)),
        (Between | NotBetween, RuleValue::Range { from, to }) => {
            return compare(actual, op, None, Some((from.as_str(), to.as_str())))
        }
        (Between | NotBetween, RuleValue::Preset(p)) => {
            let (from, to) = preset_range(*p, now);
            let (from, to) = (iso(from), iso(to));
            return compare(actual, op, None, Some((from.as_str(), to.as_str())));
        }
        _ => return compare(actual, op, Some(needle), None),
    };
    match positive {
        None => is_negative(op),
        Some(hit) => hit != is_negative(op),
    }
}

fn time_matches(
    actual: DateTime<Utc>,
    op: Operator,
    value: &RuleValue,
    now: DateTime<Utc>,
) -> bool {
    let parse = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    match value {
        RuleValue::Text(s) => compare(Some(actual), op, Some(parse(s)), None),
        RuleValue::Range { from, to } => {
            compare(Some(actual), op, None, Some((parse(from), parse(to))))
        }
        RuleValue::Preset(p) => {
            // Bounds go through ISO text at whole seconds, as on the wire.
            let (from, to) = preset_range(*p, now);
            let range = (parse(&iso(from)), parse(&iso(to)));
            compare(Some(actual), op, None, Some(range))
        }
        other => unreachable!("{other:?} is not a date value"),
    }
}

fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(_) => false,
    }
}

fn key_matches(
    e: &Entity,
    key: &str,
    kind: ValueKind,
    op: Operator,
    value: &RuleValue,
    now: DateTime<Utc>,
) -> bool {
    use Operator::*;
    let raw = e.properties.get(key).filter(|v| !v.is_null());
    match kind {
        ValueKind::Text | ValueKind::Date => {
            text_matches(raw.and_then(Value::as_str), op, value, now)
        }
        ValueKind::Number => match value {
            RuleValue::Null => (op == Eq) == raw.is_none(),
            RuleValue::Number(n) => compare(raw.and_then(Value::as_f64), op, Some(*n), None),
            other => unreachable!("{other:?} for a number"),
        },
        ValueKind::Boolean => match value {
            RuleValue::Null => (op == Eq) == raw.is_none(),
            RuleValue::Bool(b) => {
                let hit = raw.and_then(Value::as_bool) == Some(*b);
                if op == Eq {
                    hit
                } else {
                    !hit
                }
            }
            other => unreachable!("{other:?} for a boolean"),
        },
        ValueKind::Array => {
            let elements: Vec<&str> = raw
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let wanted: Vec<String> = match resolve(value) {
                RuleValue::Text(s) => vec![s],
                RuleValue::List(items) => items,
                other => unreachable!("{other:?} for an array"),
            };
            let hit = elements.iter().any(|el| wanted.iter().any(|w| w == el));
            if op == DoesNotContains {
                !hit
            } else {
                hit
            }
        }
        ValueKind::Object | ValueKind::Team => unreachable!("no such key"),
    }
}

fn team_matches(e: &Entity, op: Operator, value: &RuleValue) -> bool {
    use Operator::*;
    let wanted: Vec<String> = match resolve(value) {
        RuleValue::Null => return (op == Eq) == e.team.is_empty(),
        RuleValue::Text(s) => vec![s],
        RuleValue::List(items) => items,
        other => unreachable!("{other:?} for $team"),
    };
    let hit = e.team.iter().any(|t| wanted.contains(t));
    if matches!(op, Ne | NotIn) {
        !hit
    } else {
        hit
    }
}

fn targets(e: &Entity) -> Vec<(String, String)> {
    // The only relation in this catalog: svc.group → grp.
    e.related("group")
        .into_iter()
        .map(|id| ("grp".to_string(), id))
        .collect()
}

fn related_matches(
    e: &Entity,
    world: &World,
    blueprint: &str,
    identifiers: &[String],
    direction: Option<Direction>,
) -> bool {
    let listed = |bp: &str, id: &str| bp == blueprint && identifiers.iter().any(|i| i == id);
    // Downstream: e points at a listed entity.
    let downstream = targets(e).iter().any(|(bp, id)| listed(bp, id));
    // Upstream: a listed entity points at e.
    let upstream = world.entities.iter().any(|s| {
        listed(&s.blueprint, &s.identifier)
            && targets(s)
                .iter()
                .any(|(bp, id)| *bp == e.blueprint && *id == e.identifier)
    });
    match direction {
        Some(Direction::Downstream) => downstream,
        Some(Direction::Upstream) => upstream,
        None => downstream || upstream,
    }
}

fn rule_matches(rule: &Rule, e: &Entity, world: &World) -> bool {
    match rule {
        Rule::Group(q) => query_matches(q, e, world),
        Rule::RelatedTo {
            blueprint,
            identifiers,
            direction,
        } => related_matches(e, world, blueprint, identifiers, *direction),
        Rule::Property {
            property,
            operator,
            value,
        } => {
            let op = *operator;
            let kind = property_kind(property);
            if op == Operator::IsEmpty || op == Operator::IsNotEmpty {
                let empty = match property {
                    PropertyRef::Meta(Meta::Team) => e.team.is_empty(),
                    PropertyRef::Meta(Meta::Title) => e.title.as_deref().unwrap_or("").is_empty(),
                    PropertyRef::Meta(Meta::Icon) => e.icon.as_deref().unwrap_or("").is_empty(),
                    PropertyRef::Meta(_) => false,
                    PropertyRef::Key(k) => is_empty(e.properties.get(k)),
                };
                return empty == (op == Operator::IsEmpty);
            }
            let value = value.as_ref().expect("a binary operator has a value");
            let now = world.now;
            match property {
                PropertyRef::Meta(Meta::Team) => team_matches(e, op, value),
                PropertyRef::Meta(Meta::CreatedAt) => time_matches(e.created_at, op, value, now),
                PropertyRef::Meta(Meta::UpdatedAt) => time_matches(e.updated_at, op, value, now),
                PropertyRef::Meta(meta) => {
                    let actual = match meta {
                        Meta::Identifier => Some(e.identifier.as_str()),
                        Meta::Blueprint => Some(e.blueprint.as_str()),
                        Meta::Title => e.title.as_deref(),
                        Meta::Icon => e.icon.as_deref(),
                        other => unreachable!("{other:?} is not generated"),
                    };
                    text_matches(actual, op, value, now)
                }
                PropertyRef::Key(key) => key_matches(e, key, kind, op, value, now),
            }
        }
    }
}

fn query_matches(q: &Query, e: &Entity, world: &World) -> bool {
    match q.combinator {
        Combinator::And => q.rules.iter().all(|r| rule_matches(r, e, world)),
        Combinator::Or => q.rules.is_empty() || q.rules.iter().any(|r| rule_matches(r, e, world)),
    }
}

fn expected(q: &Query, entities: &[Entity], now: DateTime<Utc>) -> Vec<String> {
    let world = World { entities, now };
    let mut ids: Vec<String> = entities
        .iter()
        .filter(|e| query_matches(q, e, &world))
        .map(key)
        .collect();
    ids.sort();
    ids
}

fn key(e: &Entity) -> String {
    format!("{}/{}", e.blueprint, e.identifier)
}

// ----- the test -----

fn rand_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1)
}

fn viewer() -> Subject {
    Subject::User(SignedInUser {
        email: VIEWER_EMAIL.into(),
        name: "Prop".into(),
        role: UserRole::Admin,
        teams: VIEWER_TEAMS.iter().map(|t| t.to_string()).collect(),
        moderated_blueprints: vec![],
    })
}

async fn store_catalog(store: &Store, entities: Vec<Value>) -> Vec<Entity> {
    let now = Utc::now();
    for name in TEAMS {
        let team = Team {
            name: name.into(),
            description: None,
            provider: TeamProvider::Native,
            users: vec![],
            created_at: now,
            updated_at: now,
        };
        store.create_team(&team, Some("test")).await.unwrap();
    }
    let admin = admin_bearer(store).await;
    let grp = json!({"identifier": "grp", "title": "Group", "schema": {"properties": {}, "required": []}});
    for blueprint in [grp, svc_blueprint()] {
        let (status, body) = api_call(
            store,
            "POST",
            "/v1/blueprints",
            Some(&admin),
            Some(blueprint),
        )
        .await;
        assert!(status.is_success(), "{body}");
    }
    let groups: Vec<Value> = GROUPS
        .iter()
        .map(|g| json!({"identifier": g, "title": g}))
        .collect();
    for (blueprint, batch) in [("grp", groups), ("svc", entities)] {
        let path = format!("/v1/blueprints/{blueprint}/entities/bulk");
        let (status, body) = api_call(
            store,
            "POST",
            &path,
            Some(&admin),
            Some(json!({"entities": batch})),
        )
        .await;
        assert_eq!(status.as_u16(), 200, "{body}");
    }
    let (_, all) = search::search(store, &viewer(), &Query::all())
        .await
        .unwrap();
    all
}

fn differences(expected: &[String], actual: &[String], entities: &[Entity]) -> String {
    let mut lines = Vec::new();
    for e in entities {
        let k = key(e);
        let (want, got) = (expected.contains(&k), actual.contains(&k));
        if want != got {
            lines.push(format!(
                "  {k}: evaluator {want}, database {got}: {}",
                serde_json::to_string(e).unwrap()
            ));
        }
    }
    lines.join("\n")
}

both_databases!(
    random_queries_return_what_the_evaluator_picks,
    |store, _url| {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(256);
        // One seed for the catalog and the queries, printed on failure.
        let seed: u64 = std::env::var("PROPTEST_RNG_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(rand_seed);
        let config = move || Config {
            cases,
            failure_persistence: None,
            rng_seed: RngSeed::Fixed(seed),
            ..Config::default()
        };
        let dates = date_pool(Utc::now());
        let entities = catalog(Utc::now())
            .new_tree(&mut TestRunner::new(config()))
            .unwrap()
            .current();
        let stored = store_catalog(&store, entities).await;
        assert!(stored.len() >= 24, "the catalog was stored");
        let viewer = viewer();
        let handle = tokio::runtime::Handle::current();
        let mut runner = TestRunner::new(config());
        // How many queries picked some rows but not all: the test must not
        // pass by only generating queries that match everything or nothing.
        let proper_subsets = std::sync::atomic::AtomicU32::new(0);
        let outcome = tokio::task::block_in_place(|| {
            runner.run(&query(dates), |q| {
                // The wire form parses back to the same AST.
                let reparsed = Query::from_json(&q.to_json()).map_err(|e| {
                    TestCaseError::fail(format!("{} does not parse: {e}", q.to_json()))
                })?;
                prop_assert_eq!(&reparsed, &q);
                let before = Utc::now();
                let found = handle.block_on(search::search(&store, &viewer, &q));
                let after = Utc::now();
                let (_, found) = found
                    .map_err(|e| TestCaseError::fail(format!("{} failed: {e}", q.to_json())))?;
                let mut actual: Vec<String> = found.iter().map(key).collect();
                actual.sort();
                if !actual.is_empty() && actual.len() < stored.len() {
                    proper_subsets.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                // The database took `now` between these two instants.
                let (early, late) = (expected(&q, &stored, before), expected(&q, &stored, after));
                if actual != early && actual != late {
                    return Err(TestCaseError::fail(format!(
                        "query {}\n{}",
                        q.to_json(),
                        differences(&early, &actual, &stored)
                    )));
                }
                Ok(())
            })
        });
        if let Err(e) = outcome {
            panic!("{e}\n(replay with PROPTEST_RNG_SEED={seed})");
        }
        let proper = proper_subsets.into_inner();
        assert!(
            proper * 5 >= cases,
            "only {proper} of {cases} queries selected a proper subset (seed {seed})"
        );
    }
);
