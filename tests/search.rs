//! The search query language on both databases: every operator against the
//! property types it accepts (compared with the same predicate evaluated in
//! Rust over every entity) and refused where it does not apply.

mod support;

type Predicate = Box<dyn Fn(&Entity) -> bool + Send + Sync>;

use portolan::model::query::Query;
use portolan::model::{AppError, Entity};
use portolan::model::{SignedInUser, Subject, UserRole};

/// Someone who may read every entity and has no e-mail or teams of their
/// own (an admin's machine token), so dynamic values match nothing.
fn anyone() -> Subject {
    Subject::Machine {
        client_id: "search-test".into(),
        role: UserRole::Admin,
    }
}
use portolan::services::{demo, search};
use portolan::store::Store;
use serde_json::{json, Value};

async fn all_entities(store: &Store) -> Vec<Entity> {
    let (_, all) = search::search(store, &anyone(), &Query::all())
        .await
        .unwrap();
    all
}

fn prop<'a>(e: &'a Entity, key: &str) -> Option<&'a Value> {
    e.properties.get(key).filter(|v| !v.is_null())
}

fn text<'a>(e: &'a Entity, key: &str) -> Option<&'a str> {
    prop(e, key).and_then(Value::as_str)
}

fn num(e: &Entity, key: &str) -> Option<f64> {
    prop(e, key).and_then(Value::as_f64)
}

fn tags(e: &Entity) -> Vec<String> {
    prop(e, "tags")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn ids(store: &Store, viewer: &Subject, query: Value) -> Vec<String> {
    let q = Query::from_json(&query).unwrap();
    let (_, found) = search::search(store, viewer, &q)
        .await
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    found
        .into_iter()
        .map(|e| format!("{}/{}", e.blueprint, e.identifier))
        .collect()
}

fn expected(all: &[Entity], pred: impl Fn(&Entity) -> bool) -> Vec<String> {
    all.iter()
        .filter(|e| pred(e))
        .map(|e| format!("{}/{}", e.blueprint, e.identifier))
        .collect()
}

fn rule(property: &str, operator: &str, value: Value) -> Value {
    json!({"combinator": "and", "rules": [
        {"property": "$blueprint", "operator": "=", "value": "service"},
        {"property": property, "operator": operator, "value": value}]})
}

fn unary(property: &str, operator: &str) -> Value {
    json!({"combinator": "and", "rules": [
        {"property": "$blueprint", "operator": "=", "value": "service"},
        {"property": property, "operator": operator}]})
}

both_databases!(every_operator_matches_what_it_says, |store, _url| {
    demo::seed_if_empty(&store).await.unwrap();
    let all = all_entities(&store).await;
    assert!(all.len() >= 300);
    let services: Vec<Entity> = all
        .iter()
        .filter(|e| e.blueprint == "service")
        .cloned()
        .collect();
    let anon = anyone();
    let mid = {
        let mut dates: Vec<&str> = services
            .iter()
            .filter_map(|e| text(e, "lastIncident"))
            .collect();
        dates.sort();
        dates[dates.len() / 2].to_string()
    };
    let cases: Vec<(Value, Predicate)> = vec![
        (
            rule("tier", "=", json!("gold")),
            Box::new(|e| text(e, "tier") == Some("gold")),
        ),
        (
            rule("tier", "!=", json!("gold")),
            Box::new(|e| text(e, "tier") != Some("gold")),
        ),
        (
            rule("language", "in", json!(["Go", "Rust"])),
            Box::new(|e| matches!(text(e, "language"), Some("Go" | "Rust"))),
        ),
        (
            rule("language", "notIn", json!(["Go", "Rust"])),
            Box::new(|e| !matches!(text(e, "language"), Some("Go" | "Rust"))),
        ),
        (rule("language", "in", json!([])), Box::new(|_| false)),
        (
            rule("$identifier", "beginsWith", json!("cart")),
            Box::new(|e| e.identifier.starts_with("cart")),
        ),
        (
            rule("$identifier", "doesNotBeginsWith", json!("cart")),
            Box::new(|e| !e.identifier.starts_with("cart")),
        ),
        (
            rule("$identifier", "endsWith", json!("-api")),
            Box::new(|e| e.identifier.ends_with("-api")),
        ),
        (
            rule("$identifier", "doesNotEndsWith", json!("-api")),
            Box::new(|e| !e.identifier.ends_with("-api")),
        ),
        (
            rule("$title", "contains", json!("Api")),
            Box::new(|e| e.title.as_deref().unwrap_or("").contains("Api")),
        ),
        (
            rule("$title", "contains", json!("api")),
            Box::new(|e| e.title.as_deref().unwrap_or("").contains("api")),
        ),
        (
            rule("$identifier", "doesNotContains", json!("a")),
            Box::new(|e| !e.identifier.contains('a')),
        ),
        (
            rule("repository", "contains", json!("/payments/")),
            Box::new(|e| text(e, "repository").unwrap_or("").contains("/payments/")),
        ),
        (
            rule("monthlyCost", ">", json!(5000)),
            Box::new(|e| num(e, "monthlyCost").is_some_and(|n| n > 5000.0)),
        ),
        (
            rule("monthlyCost", ">=", json!(5000)),
            Box::new(|e| num(e, "monthlyCost").is_some_and(|n| n >= 5000.0)),
        ),
        (
            rule("monthlyCost", "<", json!(1000)),
            Box::new(|e| num(e, "monthlyCost").is_some_and(|n| n < 1000.0)),
        ),
        (
            rule("monthlyCost", "<=", json!(1000.5)),
            Box::new(|e| num(e, "monthlyCost").is_some_and(|n| n <= 1000.5)),
        ),
        (
            rule("monthlyCost", "!=", json!(2251)),
            Box::new(|e| num(e, "monthlyCost") != Some(2251.0)),
        ),
        (
            rule("hasRunbook", "=", json!(true)),
            Box::new(|e| prop(e, "hasRunbook") == Some(&json!(true))),
        ),
        (
            rule("hasRunbook", "=", json!(false)),
            Box::new(|e| prop(e, "hasRunbook") == Some(&json!(false))),
        ),
        (
            rule("hasRunbook", "!=", json!(true)),
            Box::new(|e| prop(e, "hasRunbook") != Some(&json!(true))),
        ),
        (
            rule("tags", "contains", json!("pci")),
            Box::new(|e| tags(e).contains(&"pci".to_string())),
        ),
        (
            rule("tags", "doesNotContains", json!("pci")),
            Box::new(|e| !tags(e).contains(&"pci".to_string())),
        ),
        (
            rule("tags", "containsAny", json!(["pci", "ml"])),
            Box::new(|e| tags(e).iter().any(|t| t == "pci" || t == "ml")),
        ),
        (
            rule("lastIncident", ">", json!(mid.clone())),
            Box::new({
                let mid = mid.clone();
                move |e| text(e, "lastIncident").is_some_and(|d| d > mid.as_str())
            }),
        ),
        (
            rule("lastIncident", "<=", json!(mid.clone())),
            Box::new({
                let mid = mid.clone();
                move |e| text(e, "lastIncident").is_some_and(|d| d <= mid.as_str())
            }),
        ),
        (
            rule(
                "lastIncident",
                "between",
                json!({"from": "2000-01-01", "to": mid.clone()}),
            ),
            Box::new({
                let mid = mid.clone();
                move |e| text(e, "lastIncident").is_some_and(|d| d <= mid.as_str())
            }),
        ),
        (
            rule(
                "lastIncident",
                "notBetween",
                json!({"from": "2000-01-01", "to": mid.clone()}),
            ),
            Box::new({
                let mid = mid.clone();
                move |e| text(e, "lastIncident").is_none_or(|d| d > mid.as_str())
            }),
        ),
        (
            rule("lastIncident", "between", json!({"preset": "last12Months"})),
            Box::new(|_| true),
        ),
        (
            rule("lastIncident", "between", json!({"preset": "nextWeek"})),
            Box::new(|_| false),
        ),
        (
            rule("$team", "containsAny", json!(["payments", "data"])),
            Box::new(|e| e.team.iter().any(|t| t == "payments" || t == "data")),
        ),
        (
            rule("$team", "=", json!("checkout")),
            Box::new(|e| e.team.contains(&"checkout".to_string())),
        ),
        (
            rule("$team", "notIn", json!(["checkout"])),
            Box::new(|e| !e.team.contains(&"checkout".to_string())),
        ),
        (
            rule("$team", "in", json!(["My Teams"])),
            Box::new(|_| false),
        ),
        (
            rule(
                "$team",
                "containsAny",
                json!({"context": "userTeams", "property": "$identifier"}),
            ),
            Box::new(|_| false),
        ),
        (
            rule(
                "onCall",
                "=",
                json!({"context": "user", "property": "$identifier"}),
            ),
            Box::new(|_| false),
        ),
        (unary("$team", "isEmpty"), Box::new(|e| e.team.is_empty())),
        (
            unary("$team", "isNotEmpty"),
            Box::new(|e| !e.team.is_empty()),
        ),
        (
            unary("readme", "isEmpty"),
            Box::new(|e| text(e, "readme").is_none_or(str::is_empty)),
        ),
        (
            unary("readme", "isNotEmpty"),
            Box::new(|e| text(e, "readme").is_some_and(|s| !s.is_empty())),
        ),
        (
            unary("tags", "isNotEmpty"),
            Box::new(|e| !tags(e).is_empty()),
        ),
        (unary("$createdAt", "isNotEmpty"), Box::new(|_| true)),
        (
            rule("$createdAt", "between", json!({"preset": "last12Months"})),
            Box::new(|_| true),
        ),
        (
            rule("$updatedAt", ">", json!("2999-01-01T00:00:00Z")),
            Box::new(|_| false),
        ),
        (
            rule("tier", "=", Value::Null),
            Box::new(|e| text(e, "tier").is_none()),
        ),
        (
            json!({"combinator": "and", "rules": [
            {"property": "$blueprint", "operator": "=", "value": "service"},
            {"combinator": "or", "rules": [
                {"property": "tier", "operator": "=", "value": "gold"},
                {"combinator": "and", "rules": [
                    {"property": "language", "operator": "=", "value": "Rust"},
                    {"property": "hasRunbook", "operator": "=", "value": true}]}]}]}),
            Box::new(|e| {
                text(e, "tier") == Some("gold")
                    || (text(e, "language") == Some("Rust")
                        && prop(e, "hasRunbook") == Some(&json!(true)))
            }),
        ),
        (
            json!({"combinator": "and", "rules": [
            {"property": "$blueprint", "operator": "=", "value": "service"},
            {"combinator": "or", "rules": []}]}),
            Box::new(|_| true),
        ),
    ];
    for (query, pred) in &cases {
        let found = ids(&store, &anon, query.clone()).await;
        let want = expected(&services, pred);
        assert_eq!(found, want, "query {query}");
    }
    // Every demo query above matched something or nothing on purpose; make
    // sure the interesting ones are not vacuous.
    assert!(!ids(&store, &anon, rule("tags", "contains", json!("pci")))
        .await
        .is_empty());

    // A viewer with teams: "My Teams" is theirs.
    let payments = Subject::User(SignedInUser {
        email: "priya@portolan.dev".into(),
        name: "Priya".into(),
        role: UserRole::Member,
        teams: vec!["payments".into()],
        moderated_blueprints: vec![],
    });
    assert_eq!(
        ids(&store, &payments, rule("$team", "in", json!(["My Teams"]))).await,
        expected(&services, |e| e.team.contains(&"payments".to_string()))
    );
    assert_eq!(
        ids(
            &store,
            &payments,
            rule(
                "onCall",
                "=",
                json!({"context": "user", "property": "$identifier"})
            )
        )
        .await,
        Vec::<String>::new()
    );
});

both_databases!(related_to_follows_relations_both_ways, |store, _url| {
    demo::seed_if_empty(&store).await.unwrap();
    let all = all_entities(&store).await;
    let anon = anyone();
    // Downstream of service cart-api: what points at it (its deployments).
    let found = ids(&store, &anon, json!({"combinator": "and", "rules": [
        {"operator": "relatedTo", "blueprint": "service", "value": "cart-api", "direction": "downstream"}]})).await;
    let want = expected(&all, |e| {
        e.relations.values().any(|v| {
            v == "cart-api" || v.as_array().is_some_and(|a| a.contains(&json!("cart-api")))
        }) && e.blueprint != "environment"
            && e.blueprint != "cluster"
    });
    assert_eq!(found, want);
    assert!(!found.is_empty());
    // Upstream of an environment: the cluster it runs on.
    let env = all.iter().find(|e| e.blueprint == "environment").unwrap();
    let cluster = env.relations["cluster"].as_str().unwrap().to_string();
    let found = ids(&store, &anon, json!({"combinator": "and", "rules": [
        {"operator": "relatedTo", "blueprint": "environment", "value": [env.identifier.clone()], "direction": "upstream"}]})).await;
    assert_eq!(found, vec![format!("cluster/{cluster}")]);
    // No direction: both.
    let both = ids(
        &store,
        &anon,
        json!({"combinator": "and", "rules": [
        {"operator": "relatedTo", "blueprint": "environment", "value": env.identifier.clone()}]}),
    )
    .await;
    assert!(both.contains(&format!("cluster/{cluster}")));
    assert!(both.iter().any(|id| id.starts_with("deployment/")));
});

both_databases!(operators_refused_where_they_do_not_apply, |store, _url| {
    demo::seed_if_empty(&store).await.unwrap();
    let anon = anyone();
    for (query, needle) in [
        (
            rule("tier", ">", json!(3)),
            "operator \">\" does not apply to `tier` (string property)",
        ),
        (
            rule("monthlyCost", "contains", json!("1")),
            "operator \"contains\" does not apply to `monthlyCost`",
        ),
        (
            rule("hasRunbook", "in", json!(["true"])),
            "does not apply to `hasRunbook`",
        ),
        (
            rule("tags", "=", json!("pci")),
            "does not apply to `tags` (array property)",
        ),
        (
            rule("lastIncident", "contains", json!("2026")),
            "does not apply to `lastIncident` (date-time property)",
        ),
        (
            rule("$team", "beginsWith", json!("pay")),
            "does not apply to `$team`",
        ),
        (rule("hasRunbook", "=", json!("yes")), "needs true or false"),
        (rule("monthlyCost", ">", json!("lots")), "needs a number"),
        (
            rule("lastIncident", ">", json!("last tuesday")),
            "needs an ISO 8601 date-time",
        ),
        (
            rule("colour", "=", json!("red")),
            "no blueprint in this search has a property `colour`",
        ),
    ] {
        let q = Query::from_json(&query).unwrap();
        match search::search(&store, &anon, &q).await {
            Err(AppError::Invalid(m)) => {
                assert!(m.contains(needle), "{query}: {m}");
                assert!(m.contains("rules[1]"), "names the rule: {m}");
            }
            other => panic!("{query}: expected 422, got {other:?}"),
        }
    }
});

both_databases!(blueprint_search_pages_with_cursors, |store, _url| {
    demo::seed_if_empty(&store).await.unwrap();
    let anon = anyone();
    let mut seen = Vec::new();
    let mut from: Option<String> = None;
    loop {
        let (page, next) =
            search::search_blueprint(&store, &anon, "service", None, Some(30), from.as_deref())
                .await
                .unwrap();
        assert!(page.len() <= 30);
        seen.extend(page.into_iter().map(|e| e.identifier));
        match next {
            Some(n) => from = Some(n),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "pages are in order with no repeats");
    assert_eq!(
        seen.len() as i64,
        store.count_entities("service").await.unwrap()
    );

    let gold = Query::from_json(&json!({"combinator": "and", "rules": [{"property": "tier", "operator": "=", "value": "gold"}]})).unwrap();
    let (page, _) = search::search_blueprint(&store, &anon, "service", Some(&gold), None, None)
        .await
        .unwrap();
    assert!(page.iter().all(|e| e.properties["tier"] == "gold"));

    assert!(matches!(
        search::search_blueprint(&store, &anon, "ghost", None, None, None).await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(
        search::search_blueprint(&store, &anon, "service", None, Some(0), None).await,
        Err(AppError::Invalid(_))
    ));
    assert!(matches!(
        search::search_blueprint(&store, &anon, "service", None, Some(1001), None).await,
        Err(AppError::Invalid(_))
    ));
    assert!(matches!(
        search::search_blueprint(&store, &anon, "service", None, None, Some("not-a-cursor")).await,
        Err(AppError::BadRequest(_))
    ));
    let unknown = Query::from_json(&json!({"combinator": "and", "rules": [{"property": "status", "operator": "=", "value": "x"}]})).unwrap();
    match search::search_blueprint(&store, &anon, "service", Some(&unknown), None, None).await {
        Err(AppError::Invalid(m)) => assert!(
            m.contains("blueprint `service` has no property `status`"),
            "{m}"
        ),
        other => panic!("{other:?}"),
    }
});

// `include` / `exclude` on every entity read: query parameters (repeated
// or comma-joined) and the blueprint search's body; a name that is no
// field of an entity is a 422, never ignored.
both_databases!(include_and_exclude_project_every_read, |store, _url| {
    demo::seed_if_empty(&store).await.unwrap();
    let bearer = support::admin_bearer(&store).await;
    let call = |method: &'static str, path: String, body: Option<Value>| {
        let store = store.clone();
        let bearer = bearer.clone();
        async move { support::api_call(&store, method, &path, Some(&bearer), body).await }
    };
    let all = json!({"combinator": "and", "rules": [
        {"property": "$blueprint", "operator": "=", "value": "service"}]});
    // Ocean's way: repeated parameters on the search.
    let (status, reply) = call(
        "POST",
        "/v1/entities/search?include=identifier&include=blueprint".into(),
        Some(all.clone()),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    let entities = reply["entities"].as_array().unwrap();
    assert!(!entities.is_empty());
    for e in entities {
        let keys: Vec<&String> = e.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["blueprint", "identifier"], "{e}");
    }
    // Comma-joined, one property, and an exclusion.
    let (_, reply) = call(
        "GET",
        "/v1/blueprints/service/entities?include=identifier,properties.tier&exclude=properties.tier".into(),
        None,
    )
    .await;
    for e in reply["entities"].as_array().unwrap() {
        assert_eq!(e.as_object().unwrap().len(), 2, "{e}");
        assert_eq!(e["properties"], json!({}), "{e}");
    }
    let id = reply["entities"][0]["identifier"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, reply) = call(
        "GET",
        format!("/v1/blueprints/service/entities/{id}?exclude=properties,relations"),
        None,
    )
    .await;
    assert!(
        reply["entity"].get("properties").is_none() && reply["entity"]["identifier"] == id.as_str()
    );
    // The blueprint search takes them in its body; paging still works.
    let (status, reply) = call(
        "POST",
        "/v1/blueprints/service/entities/search".into(),
        Some(json!({"limit": 2, "include": ["title"]})),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    assert!(reply["next"].is_string(), "{reply}");
    for e in reply["entities"].as_array().unwrap() {
        assert_eq!(e.as_object().unwrap().keys().collect::<Vec<_>>(), ["title"]);
    }
    // Unknown names are refused.
    let (status, reply) = call(
        "POST",
        "/v1/entities/search?include=owner".into(),
        Some(all),
    )
    .await;
    assert_eq!(status, 422, "{reply}");
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .contains("`owner` is not a field"),
        "{reply}"
    );
    let (status, _) = call(
        "POST",
        "/v1/blueprints/service/entities/search".into(),
        Some(json!({"exclude": ["relations.x", "nope"]})),
    )
    .await;
    assert_eq!(status, 422);
});
