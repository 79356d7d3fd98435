//! Blueprint writes, entity PUT/PATCH, bulk upsert and delete, and the
//! audit log endpoint, through the REST API on both databases.

mod support;

use axum::http::StatusCode;
use portolan::store::Store;
use serde_json::{json, Value};
use support::{admin_bearer, api_call, cookie_call, member_cookie};

async fn call(
    store: &Store,
    auth: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    api_call(store, method, path, Some(auth), body).await
}

fn squad() -> Value {
    json!({
        "identifier": "squad", "title": "Squad", "icon": "Team",
        "schema": {"properties": {
            "size": {"type": "number", "title": "Size", "default": 5},
            "tier": {"type": "string", "title": "Tier", "enum": ["gold", "silver"], "enumColors": {"gold": "yellow"}},
            "wiki": {"type": "string", "format": "url"}
        }, "required": []},
        "relations": {"parent": {"title": "Parent", "target": "squad", "many": false, "required": false}},
        "includeInGlobalSearch": true
    })
}

both_databases!(blueprints_are_created_changed_and_deleted, |store, _url| {
    let admin = admin_bearer(&store).await;
    let (status, body) = call(&store, &admin, "POST", "/v1/blueprints", Some(squad())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["blueprint"]["includeInGlobalSearch"], true,
        "unknown keys echo back"
    );
    // Its catalog page exists, and the moderator role is accepted.
    let page = store
        .get_page("squads")
        .await
        .unwrap()
        .expect("a catalog page");
    assert_eq!(page.blueprint.as_deref(), Some("squad"));
    let (status, body) = call(&store, &admin, "POST", "/v1/blueprints", Some(squad())).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["message"].as_str().unwrap().contains("taken"));

    // Every problem named, by field.
    let bad = json!({"identifier": "bad=id", "title": "",
        "schema": {"properties": {"x": {"type": "string", "format": "colour"},
                                  "n": {"type": "number", "enum": ["one"]}}, "required": ["y"]},
        "relations": {"r": {"target": "nowhere"}}});
    let (status, body) = call(&store, &admin, "POST", "/v1/blueprints", Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let message = body["message"].as_str().unwrap();
    for needle in [
        "identifier",
        "title",
        "schema.properties.x.format",
        "schema.properties.n.enum",
        "schema.required",
        "relations.r.target",
    ] {
        assert!(message.contains(needle), "{needle} in {message}");
    }

    // An entity, then a schema it would not fit: refused, naming it.
    let (status, body) = call(
        &store,
        &admin,
        "POST",
        "/v1/blueprints/squad/entities",
        Some(json!({
        "identifier": "core", "title": "Core", "properties": {"tier": "gold", "size": 7}})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = call(&store, &admin, "PATCH", "/v1/blueprints/squad", Some(json!({
        "schema": {"properties": {"tier": {"type": "string", "enum": ["silver"]}, "size": {"type": "number"}}}}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("1 existing entity") && message.contains("`core`"),
        "{message}"
    );
    // A compatible PATCH replaces only the keys it names.
    let (status, body) = call(
        &store,
        &admin,
        "PATCH",
        "/v1/blueprints/squad",
        Some(json!({"title": "Squads & crews"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["blueprint"]["title"], "Squads & crews");
    assert_eq!(
        body["blueprint"]["schema"]["properties"]["tier"]["enum"],
        json!(["gold", "silver"])
    );
    let mut replaced = squad();
    replaced["title"] = json!("Squad");
    replaced["description"] = json!("Small teams");
    let (status, body) = call(
        &store,
        &admin,
        "PUT",
        "/v1/blueprints/squad",
        Some(replaced),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["blueprint"]["description"], "Small teams");

    // Deleting with entities needs the flag; then everything goes.
    let (status, body) = call(&store, &admin, "DELETE", "/v1/blueprints/squad", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("delete_entities=true"));
    let (status, body) = call(
        &store,
        &admin,
        "DELETE",
        "/v1/blueprints/squad?delete_entities=true",
        None,
    )
    .await;
    assert_eq!(
        (status, body["deletedEntities"].clone()),
        (StatusCode::OK, json!(1)),
        "{body}"
    );
    assert!(store.get_page("squads").await.unwrap().is_none());
    let (status, _) = call(&store, &admin, "GET", "/v1/blueprints/squad", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The data model is the admins': a member's write is refused.
    let member = member_cookie(&store, "member@example.com").await;
    let (status, body) =
        cookie_call(&store, "POST", "/v1/blueprints", &member, Some(squad())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
});

both_databases!(
    entities_are_replaced_patched_and_bulk_written,
    |store, _url| {
        let admin = admin_bearer(&store).await;
        call(&store, &admin, "POST", "/v1/blueprints", Some(squad())).await;
        let (status, body) = call(
            &store,
            &admin,
            "POST",
            "/v1/blueprints/squad/entities/bulk",
            Some(json!({"entities": [
                {"identifier": "core", "title": "Core", "properties": {"tier": "gold"}},
                {"identifier": "edge", "title": "Edge", "properties": {"tier": "bronze"}},
                {"identifier": "mobile", "relations": {"parent": "core"}},
                {"identifier": "web", "relations": {"parent": "nowhere"}},
                {"identifier": "core", "title": "Again"}
            ]})),
        )
        .await;
        assert_eq!(status, StatusCode::MULTI_STATUS, "{body}");
        let written: Vec<&str> = body["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["identifier"].as_str().unwrap())
            .collect();
        assert_eq!(
            written,
            vec!["core", "mobile"],
            "a relation to an entity of the same request counts"
        );
        let errors = body["errors"].as_array().unwrap();
        let codes: Vec<(u64, u64)> = errors
            .iter()
            .map(|e| {
                (
                    e["index"].as_u64().unwrap(),
                    e["statusCode"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(codes, vec![(1, 422), (3, 404), (4, 422)]);
        assert_eq!(errors[1]["error"], "not_found");
        assert!(errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("properties.tier"));

        // Upsert over what exists: created false; missing targets stubbed on request.
        let (status, body) = call(
            &store,
            &admin,
            "POST",
            "/v1/blueprints/squad/entities/bulk?upsert=true&create_missing_related_entities=true",
            Some(json!({"entities": [
                {"identifier": "core", "title": "Core team", "properties": {"tier": "silver"}},
                {"identifier": "web", "relations": {"parent": "platform"}}
            ]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["entities"][0]["created"], false);
        assert_eq!(body["entities"][1]["created"], true);
        let (status, _) = call(
            &store,
            &admin,
            "GET",
            "/v1/blueprints/squad/entities/platform",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "the stub exists");

        // PATCH changes what it names (null clears); PUT replaces.
        let (status, body) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/squad/entities/core",
            Some(json!({"icon": "Star", "properties": {"size": 9}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (
                body["entity"]["title"].clone(),
                body["entity"]["properties"]["tier"].clone()
            ),
            (json!("Core team"), json!("silver"))
        );
        assert_eq!(body["entity"]["properties"]["size"], 9);
        let (_, body) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/squad/entities/core",
            Some(json!({"icon": null})),
        )
        .await;
        assert_eq!(body["entity"]["icon"], Value::Null);
        let (status, body) = call(
            &store,
            &admin,
            "PUT",
            "/v1/blueprints/squad/entities/core",
            Some(json!({"title": "Core", "properties": {"size": 3}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["entity"]["properties"], json!({"size": 3}));
        let (status, body) = call(
            &store,
            &admin,
            "PUT",
            "/v1/blueprints/squad/entities/ghost",
            Some(json!({"title": "Ghost"})),
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
        let (status, body) = call(
            &store,
            &admin,
            "PUT",
            "/v1/blueprints/squad/entities/core",
            Some(json!({"identifier": "kernel"})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

        // Bulk delete answers what it deleted; unknown ones are skipped.
        let (status, body) = call(
            &store,
            &admin,
            "POST",
            "/v1/blueprints/squad/bulk/entities/delete",
            Some(json!({"entities": ["mobile", "web", "nope"]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["deletedEntities"], json!(["mobile", "web"]));
        let too_many: Vec<Value> = (0..1001)
            .map(|i| json!({"identifier": format!("s{i}")}))
            .collect();
        let (status, _) = call(
            &store,
            &admin,
            "POST",
            "/v1/blueprints/squad/entities/bulk",
            Some(json!({"entities": too_many})),
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    }
);

both_databases!(the_audit_log_answers_with_ports_filters, |store, _url| {
    let admin = admin_bearer(&store).await;
    call(&store, &admin, "POST", "/v1/blueprints", Some(squad())).await;
    call(
        &store,
        &admin,
        "POST",
        "/v1/blueprints/squad/entities",
        Some(json!({"identifier": "core", "title": "Core"})),
    )
    .await;
    call(
        &store,
        &admin,
        "PATCH",
        "/v1/blueprints/squad/entities/core",
        Some(json!({"title": "Core team"})),
    )
    .await;
    call(
        &store,
        &admin,
        "POST",
        "/v1/teams",
        Some(json!({"name": "crew"})),
    )
    .await;

    let (status, body) = call(
        &store,
        &admin,
        "GET",
        "/v1/audit-log?entity=core&blueprint=squad",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let audits = body["audits"].as_array().unwrap();
    let actions: Vec<&str> = audits
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["UPDATE", "CREATE"]);
    assert_eq!(audits[0]["diff"]["before"]["title"], "Core");
    assert_eq!(audits[0]["diff"]["after"]["title"], "Core team");
    assert_eq!(audits[0]["trigger"]["by"]["userId"], "client:test-admin");
    assert_eq!(
        audits[0]["context"],
        json!({"blueprint": "squad", "entity": "core"})
    );

    let (_, body) = call(
        &store,
        &admin,
        "GET",
        "/v1/audit-log?resources=team,blueprint",
        None,
    )
    .await;
    let kinds: Vec<&str> = body["audits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["resourceType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["team", "blueprint"]);
    let (_, body) = call(&store, &admin, "GET", "/v1/audit-log?limit=1", None).await;
    assert_eq!(body["audits"].as_array().unwrap().len(), 1);
    let (_, body) = call(
        &store,
        &admin,
        "GET",
        "/v1/audit-log?from=2999-01-01T00:00:00Z",
        None,
    )
    .await;
    assert_eq!(body["audits"], json!([]));
    let (status, body) = call(&store, &admin, "GET", "/v1/audit-log?limit=5000", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = call(&store, &admin, "GET", "/v1/audit-log?from=yesterday", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // A member reads one entity's history, not the whole log.
    let member = member_cookie(&store, "member@example.com").await;
    let (status, _) = cookie_call(&store, "GET", "/v1/audit-log", &member, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = cookie_call(
        &store,
        "GET",
        "/v1/audit-log?entity=core&blueprint=squad",
        &member,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
});
