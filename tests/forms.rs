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

both_databases!(
    saving_a_form_changes_only_the_fields_touched,
    |store, _url| {
        use portolan::model::form::{input_kind, text_of, FormOriginal, InputKind};
        let bearer = support::admin_bearer(&store).await;
        let admin = admin_cookie(&store).await;
        let (status, body) = support::api_call(
            &store,
            "POST",
            "/v1/teams",
            Some(&bearer),
            Some(json!({"name": "payments"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let blueprint = json!({"identifier": "kit", "title": "Kit", "schema": {"properties": {
            "plain": {"type": "string"},
            "site": {"type": "string", "format": "url"},
            "mail": {"type": "string", "format": "email"},
            "owner": {"type": "string", "format": "user"},
            "seen": {"type": "string", "format": "date-time"},
            "readme": {"type": "string", "format": "markdown"},
            "config": {"type": "string", "format": "yaml"},
            "tier": {"type": "string", "enum": ["gold", "silver"]},
            "count": {"type": "number"},
            "ratio": {"type": "number"},
            "on": {"type": "boolean"},
            "tags": {"type": "array"},
            "sizes": {"type": "array", "items": {"type": "number"}},
            "extra": {"type": "object"}
        }}, "relations": {"twin": {"target": "kit", "many": false}, "peers": {"target": "kit", "many": true}}});
        let (status, body) = support::api_call(
            &store,
            "POST",
            "/v1/blueprints",
            Some(&bearer),
            Some(blueprint),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        for id in ["b", "c"] {
            let (status, body) = support::api_call(
                &store,
                "POST",
                "/v1/blueprints/kit/entities",
                Some(&bearer),
                Some(json!({"identifier": id})),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        // Values an input cannot hold exactly: microseconds, a zone, 3774.0,
        // spaces a text input trims, CRLF-sensitive text.
        let entity = json!({"identifier": "a", "title": "Billing API", "team": ["payments"], "properties": {
            "plain": "  spaced  ", "site": "https://x.example.com/a?b=c", "mail": "ops@example.com",
            "owner": "ada@example.com", "seen": "2026-11-23T21:16:17.123456+01:00",
            "readme": "# Billing\n\n  indented\n\ttab\n", "config": "a: 1\nb:\n  - 2\n",
            "tier": "gold", "count": 3774, "ratio": 3774.0, "on": false, "tags": ["pci", " spaced "],
            "sizes": [1, 2.5], "extra": {"k": [1, {"x": null}], "z": "é"}
        }, "relations": {"twin": "b", "peers": ["b", "c"]}});
        let (status, body) = support::api_call(
            &store,
            "POST",
            "/v1/blueprints/kit/entities",
            Some(&bearer),
            Some(entity),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let before = store.get_entity("kit", "a").await.unwrap().unwrap();
        let bp = store.get_blueprint("kit").await.unwrap().unwrap();

        // What the browser sends: every field as shown (textareas with
        // CRLF line breaks), the record of what was shown, a new title.
        let crlf = |text: String| text.replace('\n', "\r\n");
        let mut fields: Vec<(String, String)> = vec![
            ("blueprint".into(), "kit".into()),
            ("identifier".into(), "a".into()),
            ("version".into(), before.version.to_string()),
            ("title".into(), "Billing API v2".into()),
            ("teams_offered".into(), "true".into()),
            ("team[payments]".into(), "on".into()),
        ];
        let mut shown = FormOriginal {
            title: before.title.clone(),
            team: Some(before.team.clone()),
            ..FormOriginal::default()
        };
        for (key, schema) in &bp.schema.properties {
            let text = text_of(schema, before.properties.get(key));
            let sent = match input_kind(schema) {
                InputKind::LongText | InputKind::Lines | InputKind::Json => crlf(text.clone()),
                _ => text.clone(),
            };
            fields.push((format!("properties[{key}]"), sent));
            shown.properties.insert(key.clone(), text);
        }
        for key in bp.relations.keys() {
            let text = portolan::model::entity::related_ids(&before.relations[key]).join("\n");
            fields.push((format!("relations[{key}]"), crlf(text.clone())));
            shown.relations.insert(key.clone(), text);
        }
        fields.push(("original".into(), serde_json::to_string(&shown).unwrap()));
        let form: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (status, body) = call(&store, &admin, "save_entity", &form).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.get("Saved").is_some(), "{body}");
        let after = store.get_entity("kit", "a").await.unwrap().unwrap();
        assert_eq!(after.title.as_deref(), Some("Billing API v2"));
        assert_eq!(
            serde_json::to_string(&after.properties).unwrap(),
            serde_json::to_string(&before.properties).unwrap(),
            "every property byte for byte"
        );
        assert_eq!(after.relations, before.relations);
        assert_eq!(after.team, before.team);

        // Changing one date-time to the second writes that second, and only it.
        let version = after.version.to_string();
        let mut changed = shown.clone();
        changed.title = after.title.clone();
        let original = serde_json::to_string(&changed).unwrap();
        let (status, body) = call(
            &store,
            &admin,
            "save_entity",
            &[
                ("blueprint", "kit"),
                ("identifier", "a"),
                ("version", &version),
                ("title", "Billing API v2"),
                ("properties[seen]", "2026-11-23T20:16:59"),
                ("properties[plain]", &shown.properties["plain"]),
                ("original", &original),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let last = store.get_entity("kit", "a").await.unwrap().unwrap();
        assert_eq!(last.properties["seen"], json!("2026-11-23T20:16:59Z"));
        let mut expected = before.properties.clone();
        expected.insert("seen".into(), json!("2026-11-23T20:16:59Z"));
        assert_eq!(last.properties, expected);

        // A forged record of what was shown is a clear 400, nothing saved.
        let version = last.version.to_string();
        let (status, body) = call(
            &store,
            &admin,
            "save_entity",
            &[
                ("blueprint", "kit"),
                ("identifier", "a"),
                ("version", &version),
                ("properties[tier]", "silver"),
                ("original", "{oops"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.to_string().contains("original"), "{body}");
        assert_eq!(
            store
                .get_entity("kit", "a")
                .await
                .unwrap()
                .unwrap()
                .properties["tier"],
            json!("gold")
        );
    }
);
