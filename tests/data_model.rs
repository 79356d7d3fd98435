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

async fn get(store: &Store, auth: &str, path: &str) -> (StatusCode, Value) {
    call(store, auth, "GET", path, None).await
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
    let (status, _) = get(&store, &admin, "/v1/blueprints/squad").await;
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
        let (status, _) = get(&store, &admin, "/v1/blueprints/squad/entities/platform").await;
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

    let (status, body) = get(&store, &admin, "/v1/audit-log?entity=core&blueprint=squad").await;
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

    let (_, body) = get(&store, &admin, "/v1/audit-log?resources=team,blueprint").await;
    let kinds: Vec<&str> = body["audits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["resourceType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["team", "blueprint"]);
    let (_, body) = get(&store, &admin, "/v1/audit-log?limit=1").await;
    assert_eq!(body["audits"].as_array().unwrap().len(), 1);
    let (_, body) = get(&store, &admin, "/v1/audit-log?from=2999-01-01T00:00:00Z").await;
    assert_eq!(body["audits"], json!([]));
    let (status, body) = get(&store, &admin, "/v1/audit-log?limit=5000").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = get(&store, &admin, "/v1/audit-log?from=yesterday").await;
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

/// Identifiers of a search, sorted.
async fn found(store: &Store, auth: &str, query: Value) -> Vec<String> {
    let (status, json) = call(store, auth, "POST", "/v1/entities/search", Some(query)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let mut ids: Vec<String> = json["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["identifier"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn releases_of_team(team: &str) -> Value {
    json!({"combinator": "and", "rules": [
        {"property": "$blueprint", "operator": "=", "value": "release"},
        {"property": "$team", "operator": "=", "value": team}]})
}

/// squad ← app (owns its teams, mirrors its squad) ← release (inherits the
/// app's teams, mirrors through two hops and through a many relation).
async fn release_catalog(store: &Store, admin: &str) {
    for team in ["alpha", "beta"] {
        let (status, json) = call(
            store,
            admin,
            "POST",
            "/v1/teams",
            Some(json!({"name": team})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
    }
    for blueprint in [
        json!({"identifier": "crew", "title": "Crew",
               "schema": {"properties": {"name": {"type": "string"}}}}),
        json!({"identifier": "app", "title": "App", "ownership": {"type": "Direct"},
               "schema": {"properties": {"tier": {"type": "string"}}},
               "relations": {"crew": {"target": "crew", "required": false, "many": false}},
               "mirrorProperties": {"crewName": {"title": "Crew name", "path": "crew.name"}}}),
        json!({"identifier": "release", "title": "Release",
               "ownership": {"type": "Inherited", "path": "app", "title": "App teams"},
               "schema": {"properties": {"version": {"type": "string"}}},
               "relations": {"app": {"target": "app", "required": false, "many": false},
                             "apps": {"target": "app", "required": false, "many": true}},
               "mirrorProperties": {"appCrew": {"title": "App crew", "path": "app.crew.$title"},
                                    "appIds": {"path": "apps.$identifier"}}}),
    ] {
        let (status, json) = call(store, admin, "POST", "/v1/blueprints", Some(blueprint)).await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
    }
    for (blueprint, entity) in [
        (
            "crew",
            json!({"identifier": "c1", "title": "Crew One", "properties": {"name": "one"}}),
        ),
        (
            "app",
            json!({"identifier": "a1", "team": "alpha", "relations": {"crew": "c1"}}),
        ),
        ("app", json!({"identifier": "a2", "team": ["beta"]})),
        (
            "release",
            json!({"identifier": "r1", "properties": {"version": "1.0"},
                           "relations": {"app": "a1", "apps": ["a1", "a2"]}}),
        ),
    ] {
        let (status, json) = call(
            store,
            admin,
            "POST",
            &format!("/v1/blueprints/{blueprint}/entities"),
            Some(entity),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
    }
}

both_databases!(
    mirror_properties_show_values_read_through_relations,
    |store, _url| {
        let admin = admin_bearer(&store).await;
        release_catalog(&store, &admin).await;
        let (_, json) = get(&store, &admin, "/v1/blueprints/release/entities/r1").await;
        let properties = &json["entity"]["properties"];
        assert_eq!(properties["version"], "1.0");
        assert_eq!(properties["appCrew"], "Crew One");
        assert_eq!(properties["appIds"], json!(["a1", "a2"]));
        let (_, json) = get(&store, &admin, "/v1/blueprints/app/entities/a2").await;
        assert_eq!(
            json["entity"]["properties"]["crewName"],
            Value::Null,
            "no crew: null"
        );

        // Computed on every read: a change of the crew shows at once.
        let (status, _) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/crew/entities/c1",
            Some(json!({"title": "Crew Uno"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (_, json) = call(&store, &admin, "POST", "/v1/entities/search",
            Some(json!({"combinator": "and", "rules": [{"property": "$blueprint", "operator": "=", "value": "release"}]}))).await;
        assert_eq!(json["entities"][0]["properties"]["appCrew"], "Crew Uno");
        // Terraform's flag leaves them out.
        let (_, json) = get(
            &store,
            &admin,
            "/v1/blueprints/release/entities/r1?exclude_calculated_properties=true",
        )
        .await;
        assert!(
            json["entity"]["properties"].get("appCrew").is_none(),
            "{json}"
        );
        // A client writing back what it read does not store them.
        let (status, json) = call(&store, &admin, "PUT", "/v1/blueprints/release/entities/r1",
            Some(json!({"properties": {"version": "1.1", "appCrew": "stale"}, "relations": {"app": "a1"}}))).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        let stored = store.get_entity("release", "r1").await.unwrap().unwrap();
        assert!(stored.properties.get("appCrew").is_none());

        // The catalog table offers them as columns.
        let cookie = support::admin_cookie(&store).await;
        let (status, _, html) = support::get_page(
            &store,
            "/catalog/releases?cols=%24title,mirror:appCrew",
            Some(&cookie),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("App crew") && html.contains("Crew Uno"),
            "{html}"
        );

        // Paths that lead nowhere are named.
        let (status, json) = call(&store, &admin, "PATCH", "/v1/blueprints/release",
            Some(json!({"mirrorProperties": {"bad": {"path": "app.colour"}, "version": {"path": "app.$title"}}}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let message = json["message"].as_str().unwrap();
        assert!(
            message.contains("mirrorProperties.bad.path: blueprint `app` has no property `colour`"),
            "{message}"
        );
        assert!(
            message.contains("mirrorProperties.version: `version` is already a property"),
            "{message}"
        );
    }
);

both_databases!(
    inherited_teams_follow_the_owner_through_every_change,
    |store, _url| {
        let admin = admin_bearer(&store).await;
        release_catalog(&store, &admin).await;
        let (_, json) = get(&store, &admin, "/v1/blueprints/release/entities/r1").await;
        assert_eq!(json["entity"]["team"], json!(["alpha"]));
        assert_eq!(
            found(&store, &admin, releases_of_team("alpha")).await,
            vec!["r1"]
        );

        // The owner's teams change: the release's follow, rows and index alike.
        let (status, _) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/app/entities/a1",
            Some(json!({"team": ["beta"]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let stored = store.get_entity("release", "r1").await.unwrap().unwrap();
        assert_eq!(stored.team, vec!["beta".to_string()]);
        assert_eq!(
            found(&store, &admin, releases_of_team("beta")).await,
            vec!["r1"]
        );
        assert!(found(&store, &admin, releases_of_team("alpha"))
            .await
            .is_empty());
        // Bulk writes of owners refresh their children too.
        let (status, json) = call(&store, &admin, "POST", "/v1/blueprints/app/entities/bulk?upsert=true&merge=true",
            Some(json!({"entities": [{"identifier": "a1", "team": ["alpha", "beta"]}, {"identifier": "a2", "team": ["alpha"]}]}))).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        let stored = store.get_entity("release", "r1").await.unwrap().unwrap();
        assert_eq!(stored.team, vec!["alpha".to_string(), "beta".to_string()]);

        // The release's own relation moves: it takes the new owner's teams.
        let (status, json) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/release/entities/r1",
            Some(json!({"relations": {"app": "a2"}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            json["entity"]["team"],
            json!(["alpha"]),
            "the reply shows them"
        );
        assert_eq!(
            found(&store, &admin, releases_of_team("beta")).await,
            Vec::<String>::new()
        );

        // Teams of an inheriting entity are not written directly…
        let (status, json) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/release/entities/r1",
            Some(json!({"team": ["beta"]})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .contains("inherited through `app`"),
            "{json}"
        );
        // …but writing back the ones it has is fine.
        let (status, json) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/release/entities/r1",
            Some(json!({"team": ["alpha"], "properties": {"version": "2.0"}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");

        // The owner is deleted: the release owns nothing.
        let (status, _) = call(
            &store,
            &admin,
            "DELETE",
            "/v1/blueprints/app/entities/a2",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let stored = store.get_entity("release", "r1").await.unwrap().unwrap();
        assert!(stored.team.is_empty(), "{:?}", stored.team);
        assert!(found(&store, &admin, releases_of_team("alpha"))
            .await
            .is_empty());

        // A member of alpha sees "My Teams" releases through inheritance.
        let (status, json) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/release/entities/r1",
            Some(json!({"relations": {"app": "a1", "apps": ["a1"]}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        let member = support::person_cookie(
            &store,
            "dev@alpha.test",
            portolan::model::UserRole::Member,
            &[],
            &["alpha"],
        )
        .await;
        let (status, json) = cookie_call(
            &store,
            "POST",
            "/v1/entities/search",
            &member,
            Some(json!({"combinator": "and", "rules": [
                {"property": "$blueprint", "operator": "=", "value": "release"},
                {"property": "$team", "operator": "containsAny", "value": ["My Teams"]}]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(json["entities"].as_array().unwrap().len(), 1);

        // Paths are checked: single relations, to a blueprint owning directly.
        let (status, json) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/release",
            Some(json!({"ownership": {"type": "Inherited", "path": "apps"}})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            json["message"].as_str().unwrap().contains("many relation"),
            "{json}"
        );
        let (status, json) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/app",
            Some(json!({"ownership": {"type": "Inherited", "path": "crew"}})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .contains("`release` inherits its teams from this one"),
            "{json}"
        );

        // Switching a blueprint to inheritance recomputes its entities; the
        // legacy `teamInheritance` spelling is read the same way.
        let (status, json) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/release",
            Some(json!({"ownership": {"type": "Direct"}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        let (status, _) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/release/entities/r1",
            Some(json!({"team": ["beta"]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "owning directly now");
        let (status, json) = call(
            &store,
            &admin,
            "PATCH",
            "/v1/blueprints/release",
            Some(json!({"ownership": null, "teamInheritance": {"path": "app"}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(json["blueprint"]["teamInheritance"], json!({"path": "app"}));
        let stored = store.get_entity("release", "r1").await.unwrap().unwrap();
        assert_eq!(
            stored.team,
            vec!["alpha".to_string(), "beta".to_string()],
            "a1's teams again"
        );
    }
);
