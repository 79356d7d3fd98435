//! Writing entities through the REST API, on both databases: create,
//! upsert (replace and merge), validation, relations, delete, audit.

mod support;

use axum::http::StatusCode;
use portolan::store::Store;
use serde_json::{json, Value};

/// The audit entries of one service entity, newest first.
async fn entity_audit(
    store: &portolan::store::Store,
    identifier: &str,
) -> Vec<portolan::model::AuditEntry> {
    let filter = portolan::model::AuditFilter {
        blueprint: Some("service".into()),
        entity: Some(identifier.into()),
        limit: 100,
        ..Default::default()
    };
    store.audit_log(&filter).await.unwrap()
}

async fn admin_token(store: &Store) -> String {
    portolan::services::demo::seed_if_empty(store)
        .await
        .unwrap();
    support::admin_bearer(store).await
}

async fn post(store: &Store, auth: &str, query: &str, body: Value) -> (StatusCode, Value) {
    support::api_call(
        store,
        "POST",
        &format!("/v1/blueprints/service/entities{query}"),
        Some(auth),
        Some(body),
    )
    .await
}

fn valid_service(id: &str) -> Value {
    json!({"identifier": id, "title": "Ledger Sync", "team": "payments",
           "properties": {"tier": "gold", "lifecycle": "production", "language": "Rust", "monthlyCost": 120},
           "relations": {"dependencies": ["ledger-api"]}})
}

both_databases!(entities_are_created_upserted_and_merged, |store, _url| {
    let auth = admin_token(&store).await;
    let (status, json) = post(&store, &auth, "", valid_service("ledger-sync")).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    assert_eq!(json["entity"]["team"], json!(["payments"]));
    assert_eq!(json["entity"]["version"], 1);
    assert_eq!(json["entity"]["createdBy"], "client:test-admin");

    // Creating it again without upsert: 409 whose text says "taken".
    let (status, json) = post(&store, &auth, "", valid_service("ledger-sync")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        json["message"].as_str().unwrap().contains("taken"),
        "{json}"
    );

    // Merge changes only the given keys.
    let (status, json) = post(
        &store,
        &auth,
        "?upsert=true&merge=true",
        json!({"identifier": "ledger-sync", "properties": {"tier": "silver"}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["entity"]["properties"]["tier"], "silver");
    assert_eq!(json["entity"]["properties"]["language"], "Rust");
    assert_eq!(json["entity"]["team"], json!(["payments"]));
    assert_eq!(json["entity"]["version"], 2);

    // Upsert without merge replaces: omitted properties are cleared.
    let (status, json) = post(&store, &auth, "?upsert=true", json!({"identifier": "ledger-sync", "properties": {"tier": "bronze", "lifecycle": "deprecated"}})).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert!(json["entity"]["properties"].get("language").is_none());
    assert_eq!(json["entity"]["team"], json!([]));

    // The change is searchable right away, and audited in order.
    let (_, found) = support::api_call(
        &store,
        "POST",
        "/v1/entities/search",
        Some(&auth),
        Some(json!({"combinator": "and", "rules": [
        {"property": "$identifier", "operator": "=", "value": "ledger-sync"},
        {"property": "tier", "operator": "=", "value": "bronze"}]})),
    )
    .await;
    assert_eq!(found["entities"].as_array().unwrap().len(), 1);
    let audit = entity_audit(&store, "ledger-sync").await;
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["UPDATE", "UPDATE", "CREATE"]);
    assert_eq!(audit[0].diff["before"]["properties"]["tier"], "silver");
    assert_eq!(audit[0].diff["after"]["properties"]["tier"], "bronze");

    // validation_only answers as if stored and stores nothing.
    let (status, _) = post(
        &store,
        &auth,
        "?validation_only=true",
        valid_service("dry-run"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(store
        .get_entity("service", "dry-run")
        .await
        .unwrap()
        .is_none());

    let (status, _) = support::api_call(
        &store,
        "DELETE",
        "/v1/blueprints/service/entities/ledger-sync",
        Some(&auth),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, json) = support::api_call(
        &store,
        "DELETE",
        "/v1/blueprints/service/entities/ledger-sync",
        Some(&auth),
        None,
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    assert_eq!(
        entity_audit(&store, "ledger-sync").await[0].action,
        "DELETE"
    );
});

both_databases!(bad_writes_are_refused_and_change_nothing, |store, _url| {
    let auth = admin_token(&store).await;
    let before = store.count_entities("service").await.unwrap();

    let mut bad = valid_service("bad-one");
    bad["properties"]["tier"] = json!("platinum");
    bad["properties"]["monthlyCost"] = json!("lots");
    let (status, json) = post(&store, &auth, "", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = json["message"].as_str().unwrap();
    assert!(
        message.contains("properties.tier: must be one of gold, silver, bronze"),
        "{message}"
    );
    assert!(
        message.contains("properties.monthlyCost: must be a number, not a string"),
        "{message}"
    );

    let mut missing = valid_service("lonely");
    missing["relations"] = json!({"dependencies": ["ghost-service"]});
    let (status, json) = post(&store, &auth, "", missing.clone()).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found")),
        "{json}"
    );
    assert!(json["message"].as_str().unwrap().contains("ghost-service"));

    let mut unknown_team = valid_service("teamless");
    unknown_team["team"] = json!(["no-such-team"]);
    let (status, json) = post(&store, &auth, "", unknown_team).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json["message"]
        .as_str()
        .unwrap()
        .contains("no team `no-such-team`"));

    let (status, _) = post(&store, &auth, "", json!({"identifier": "has space", "properties": {"tier": "gold", "lifecycle": "production"}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // No token: 401 that says how to get one.
    let (status, json) = support::api_call(
        &store,
        "POST",
        "/v1/blueprints/service/entities",
        None,
        Some(valid_service("anon")),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(json["message"]
        .as_str()
        .unwrap()
        .contains("/v1/auth/access_token"));
    let (status, _) = support::api_call(
        &store,
        "DELETE",
        "/v1/blueprints/service/entities/cart-api",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    assert_eq!(
        store.count_entities("service").await.unwrap(),
        before,
        "nothing was written"
    );

    // With create_missing_related_entities the missing target becomes a stub.
    let (status, json) = post(
        &store,
        &auth,
        "?create_missing_related_entities=true",
        missing,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let stub = store
        .get_entity("service", "ghost-service")
        .await
        .unwrap()
        .expect("stub");
    assert!(stub.properties.is_empty() && stub.title.is_none());
    let (status, _) = support::api_call(
        &store,
        "POST",
        "/v1/blueprints/ghost/entities",
        Some(&auth),
        Some(valid_service("x")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
});

// Two people saving the same version of one entity at the same moment
// (as the edit form does: it sends the version it opened): exactly one
// save wins, the other is a 409 and overwrites nothing, whichever of them
// reaches the database first. Many rounds, so the writes really overlap
// (both read the stored version before either commits) as well as run
// one after the other.
both_databases!(
    concurrent_saves_of_one_version_have_one_winner,
    |store, _url| {
        use portolan::services::entities::{write_entity, EntityInput, WriteOptions};
        let _ = admin_token(&store).await;
        let actor = portolan::model::Subject::Machine {
            client_id: "concurrency-test".into(),
            role: portolan::model::UserRole::Admin,
        };
        let save = |version: i64, cost: i64| {
            let store = store.clone();
            let actor = actor.clone();
            async move {
                let input = EntityInput {
                    identifier: Some("cart-api".into()),
                    properties: Some(
                        json!({"monthlyCost": cost})
                            .as_object()
                            .cloned()
                            .unwrap_or_default(),
                    ),
                    ..Default::default()
                };
                let options = WriteOptions {
                    upsert: true,
                    merge: true,
                    expected_version: Some(version),
                    ..Default::default()
                };
                write_entity(&store, &actor, "service", input, options).await
            }
        };
        for round in 0..20_i64 {
            let before = store
                .get_entity("service", "cart-api")
                .await
                .unwrap()
                .unwrap();
            let recorded = entity_audit(&store, "cart-api").await.len();
            let (a, b) = tokio::join!(
                tokio::spawn(save(before.version, 10_000 + round)),
                tokio::spawn(save(before.version, 20_000 + round))
            );
            let (a, b) = (a.unwrap(), b.unwrap());
            let winner = match (&a, &b) {
                (Ok(_), Err(portolan::model::AppError::Conflict(m)))
                | (Err(portolan::model::AppError::Conflict(m)), Ok(_)) => {
                    assert!(m.contains("reload"), "round {round}: {m}");
                    if a.is_ok() {
                        10_000 + round
                    } else {
                        20_000 + round
                    }
                }
                other => panic!("round {round}: expected one save and one conflict, got {other:?}"),
            };
            let after = store
                .get_entity("service", "cart-api")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(after.version, before.version + 1, "round {round}");
            assert_eq!(
                after.properties["monthlyCost"],
                json!(winner),
                "round {round}"
            );
            // The loser's value is nowhere, and only the winner is in the history.
            let history = entity_audit(&store, "cart-api").await;
            assert_eq!(
                history[0].diff["after"]["properties"]["monthlyCost"],
                json!(winner),
                "round {round}"
            );
            assert_eq!(
                history.len(),
                recorded + 1,
                "round {round}: one audit record, the winner's"
            );
        }
        // The REST API answers the loser of such a race with Port's 409.
        let stale = store
            .get_entity("service", "cart-api")
            .await
            .unwrap()
            .unwrap();
        save(stale.version, 1).await.unwrap();
        let (status, json) = support::api_call(
            &store,
            "POST",
            "/v1/blueprints/service/entities?upsert=true&merge=true",
            Some(&support::admin_bearer(&store).await),
            Some(json!({"identifier": "cart-api", "properties": {"monthlyCost": 2}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(json["entity"]["version"], stale.version + 2);
    }
);

/// A blueprint's total as the catalog shows it (the count kept by
/// triggers) and as counting its rows gives it (a restriction that every
/// row meets takes the counting path).
async fn totals(store: &Store, blueprint: &str) -> (i64, i64) {
    let mut every_row = portolan::query::Sql::default();
    every_row.push("1 = 1");
    (
        store.count_entities(blueprint).await.unwrap(),
        store
            .count_entities_where(blueprint, Some(&every_row))
            .await
            .unwrap(),
    )
}

// The per-blueprint count behind unfiltered catalog pages follows every
// kind of write: single and bulk creates, stubs, upserts (no change),
// deletes one at a time and in bulk, and a blueprint deleted with its
// entities and created again.
both_databases!(entity_counts_follow_every_write, |store, _url| {
    let auth = admin_token(&store).await;
    let (kept, counted) = totals(&store, "service").await;
    assert!(counted > 0, "the demo has services");
    assert_eq!(kept, counted, "after the demo seed");

    let (status, json) = post(&store, &auth, "", valid_service("count-one")).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let bulk: Vec<Value> = (0..30)
        .map(|i| {
            let mut service = valid_service(&format!("count-bulk-{i}"));
            service["relations"] = json!({});
            service
        })
        .collect();
    let (status, json) = support::api_call(
        &store,
        "POST",
        "/v1/blueprints/service/entities/bulk?upsert=true",
        Some(&auth),
        Some(json!({ "entities": bulk })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    // A relation to a missing service makes a stub: two new entities.
    let mut with_stub = valid_service("count-two");
    with_stub["relations"] = json!({"dependencies": ["count-stub"]});
    let (status, json) = post(
        &store,
        &auth,
        "?create_missing_related_entities=true",
        with_stub,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    // Replacing an entity that exists adds nothing.
    let (status, json) = post(&store, &auth, "?upsert=true", valid_service("count-one")).await;
    assert!(status.is_success(), "{status} {json}");
    let (kept, now) = totals(&store, "service").await;
    assert_eq!(now, counted + 33);
    assert_eq!(kept, now, "after creates, a stub and an upsert");

    let (status, json) = support::api_call(
        &store,
        "DELETE",
        "/v1/blueprints/service/entities/count-one",
        Some(&auth),
        None,
    )
    .await;
    assert!(status.is_success(), "{status} {json}");
    let (status, json) = support::api_call(
        &store,
        "POST",
        "/v1/blueprints/service/bulk/entities/delete",
        Some(&auth),
        Some(json!({"entities": ["count-bulk-0", "count-bulk-1", "count-bulk-2"]})),
    )
    .await;
    assert!(status.is_success(), "{status} {json}");
    let (kept, now) = totals(&store, "service").await;
    assert_eq!(now, counted + 29);
    assert_eq!(kept, now, "after deletes");

    // A blueprint deleted with its entities, then made again, starts at 0.
    let job = json!({"identifier": "countjob", "title": "Count job", "schema": {"properties": {}}});
    for round in 0..2 {
        let (status, json) = support::api_call(
            &store,
            "POST",
            "/v1/blueprints",
            Some(&auth),
            Some(job.clone()),
        )
        .await;
        assert!(status.is_success(), "round {round}: {status} {json}");
        assert_eq!(
            totals(&store, "countjob").await,
            (0, 0),
            "round {round}: new blueprint"
        );
        let jobs: Vec<Value> = (0..5)
            .map(|i| json!({"identifier": format!("job-{i}")}))
            .collect();
        let (status, json) = support::api_call(
            &store,
            "POST",
            "/v1/blueprints/countjob/entities/bulk",
            Some(&auth),
            Some(json!({ "entities": jobs })),
        )
        .await;
        assert!(status.is_success(), "round {round}: {status} {json}");
        assert_eq!(
            totals(&store, "countjob").await,
            (5, 5),
            "round {round}: five jobs"
        );
        let (status, json) = support::api_call(
            &store,
            "DELETE",
            "/v1/blueprints/countjob?delete_entities=true",
            Some(&auth),
            None,
        )
        .await;
        assert!(status.is_success(), "round {round}: {status} {json}");
        assert_eq!(
            totals(&store, "countjob").await,
            (0, 0),
            "round {round}: deleted"
        );
    }
    // Another blueprint's count never moved.
    assert_eq!(
        totals(&store, "service").await,
        (counted + 29, counted + 29)
    );
});
