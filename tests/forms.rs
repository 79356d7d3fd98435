//! The entity forms' relation pickers and team choices, through their
//! server functions, on SQLite and PostgreSQL.

mod support;

use axum::http::StatusCode;
use portolan::store::Store;
use serde_json::{json, Value};
use support::admin_cookie;

async fn call(
    store: &Store,
    cookie: &str,
    function: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    support::server_fn_call(store, cookie, function, form).await
}

both_databases!(the_edit_form_changes_relations_and_teams, |store, _url| {
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    let admin = admin_cookie(&store).await;
    let services = store.entities_after("service", "", 3).await.unwrap();
    let (a, b, c) = (&services[0], &services[1], &services[2]);
    let relations = format!("{}\n{}\n", b.identifier, c.identifier);
    let version = a.version.to_string();
    let (status, body) = call(
        &store,
        &admin,
        "save_entity",
        &[
            ("blueprint", "service"),
            ("identifier", &a.identifier),
            ("version", &version),
            ("relations[dependencies]", &relations),
            ("teams_offered", "true"),
            ("team[platform]", "on"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("Saved").is_some(), "{body}");
    let saved = store
        .get_entity("service", &a.identifier)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        saved.relations["dependencies"],
        json!([b.identifier, c.identifier])
    );
    assert_eq!(saved.team, ["platform"]);
    // Properties the form did not send are kept.
    assert_eq!(saved.properties["tier"], a.properties["tier"]);

    // A related identifier that names nothing is a message at the picker;
    // nothing is saved.
    let version = saved.version.to_string();
    let (status, body) = call(
        &store,
        &admin,
        "save_entity",
        &[
            ("blueprint", "service"),
            ("identifier", &a.identifier),
            ("version", &version),
            ("relations[dependencies]", "ghost-service"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["Invalid"][0]["field"], "relations.dependencies",
        "{body}"
    );
    assert!(
        body["Invalid"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`ghost-service`"),
        "{body}"
    );
    assert_eq!(
        store
            .get_entity("service", &a.identifier)
            .await
            .unwrap()
            .unwrap()
            .version,
        saved.version
    );

    // Unticking every team (the form offered them) leaves none.
    let (status, body) = call(
        &store,
        &admin,
        "save_entity",
        &[
            ("blueprint", "service"),
            ("identifier", &a.identifier),
            ("version", &version),
            ("teams_offered", "true"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(store
        .get_entity("service", &a.identifier)
        .await
        .unwrap()
        .unwrap()
        .team
        .is_empty());

    // The picker offers readable entities matching the text.
    let (status, body) = call(
        &store,
        &admin,
        "find_related",
        &[("blueprint", "service"), ("text", &b.identifier)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.as_array()
            .unwrap()
            .iter()
            .any(|c| c["identifier"] == b.identifier.as_str()),
        "{body}"
    );
    let (status, _) = call(
        &store,
        &admin,
        "find_related",
        &[("blueprint", "nope"), ("text", "")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
});

both_databases!(the_create_form_sets_required_relations, |store, _url| {
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    let admin = admin_cookie(&store).await;
    let service = store
        .entities_after("service", "", 1)
        .await
        .unwrap()
        .remove(0);
    let environment = store
        .entities_after("environment", "", 1)
        .await
        .unwrap()
        .remove(0);
    let base = [
        ("blueprint", "deployment"),
        ("identifier", "form-deploy-1"),
        ("properties[version]", "1.2.3"),
        ("properties[status]", "success"),
    ];
    let (status, body) = call(&store, &admin, "create_entity", &base).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fields: Vec<&str> = body["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"relations.service"), "{body}");
    assert!(fields.contains(&"relations.environment"), "{body}");
    let mut form = base.to_vec();
    form.push(("relations[service]", &service.identifier));
    form.push(("relations[environment]", &environment.identifier));
    let (status, body) = call(&store, &admin, "create_entity", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["Saved"]["relations"]["service"],
        service.identifier.as_str(),
        "{body}"
    );
    // Two identifiers for a single relation say so at the field.
    let two = format!("{}\n{}", service.identifier, service.identifier);
    form[1] = ("identifier", "form-deploy-2");
    form.retain(|(k, _)| *k != "relations[service]");
    form.push(("relations[service]", &two));
    let (_, body) = call(&store, &admin, "create_entity", &form).await;
    assert_eq!(body["Invalid"][0]["field"], "relations.service", "{body}");
    assert!(
        body["Invalid"][0]["message"]
            .as_str()
            .unwrap()
            .contains("choose one"),
        "{body}"
    );
});
