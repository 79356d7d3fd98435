//! Export (JSON Lines, GitOps YAML, Terraform HCL) and import of the JSON
//! Lines export into an empty portal: the same catalog comes back. Each test
//! on SQLite and PostgreSQL.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use portolan::services::demo;
use portolan::store::Store;
use serde_json::{json, Value};
use support::{admin_bearer, person_cookie, send};

async fn get(store: &Store, auth: (&str, &str), path: &str) -> (StatusCode, String, String) {
    let req = Request::get(path)
        .header(auth.0, auth.1)
        .body(Body::empty())
        .unwrap();
    let (status, headers, text) = send(store, req).await;
    let kind = headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, text)
}

/// Every entity as `(blueprint, identifier) → what a client wrote`.
async fn catalog(store: &Store) -> Vec<Value> {
    let mut all = Vec::new();
    for bp in store.list_blueprints().await.unwrap() {
        let mut after = String::new();
        loop {
            let page = store
                .entities_after(&bp.identifier, &after, 1000)
                .await
                .unwrap();
            let Some(last) = page.last() else { break };
            after = last.identifier.clone();
            all.extend(page.into_iter().map(|e| {
                json!([
                    e.blueprint,
                    e.identifier,
                    e.title,
                    e.icon,
                    e.team,
                    e.properties,
                    e.relations
                ])
            }));
        }
    }
    all.sort_by_key(|v| v.to_string());
    all
}

both_databases!(
    export_then_import_restores_the_same_catalog,
    |store, url| {
        demo::seed_if_empty(&store).await.unwrap();
        let bearer = admin_bearer(&store).await;
        let (status, kind, jsonl) = get(&store, ("authorization", &bearer), "/v1/export").await;
        assert_eq!(status, StatusCode::OK, "{jsonl}");
        assert_eq!(kind, "application/x-ndjson");
        let lines: Vec<Value> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(lines[0].get("blueprint").is_some());
        let entity_lines = lines.iter().filter(|l| l.get("entity").is_some()).count();
        let before = catalog(&store).await;
        assert_eq!(entity_lines, before.len());

        // An empty portal of the same kind takes the file back.
        let other_db = if url.starts_with("sqlite") {
            support::sqlite_db()
        } else {
            support::postgres_db()
                .await
                .expect("PostgreSQL for the second portal")
        };
        let other = Store::connect(&other_db.url()).await.unwrap();
        other.migrate().await.unwrap();
        let other_bearer = admin_bearer(&other).await;
        let req = Request::post("/v1/import")
            .header("authorization", &other_bearer)
            .header("content-type", "application/x-ndjson")
            .body(Body::from(jsonl.clone()))
            .unwrap();
        let (status, _, text) = send(&other, req).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let reply: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(reply["import"]["entitiesFailed"], 0, "{text}");
        assert_eq!(reply["import"]["blueprintsCreated"], 4, "{text}");
        assert_eq!(reply["import"]["teamsCreated"], 5, "{text}");
        let after = catalog(&other).await;
        assert_eq!(after.len(), before.len());
        assert!(after == before, "the imported catalog differs");
        // Importing again changes nothing and fails nothing.
        let req = Request::post("/v1/import")
            .header("authorization", &other_bearer)
            .body(Body::from(jsonl))
            .unwrap();
        let (status, _, text) = send(&other, req).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert!(catalog(&other).await == before);
        other.close().await;
        other_db.drop_database().await;
    }
);

both_databases!(
    yaml_and_terraform_exports_hold_each_readable_entity,
    |store, _url| {
        demo::seed_if_empty(&store).await.unwrap();
        let bearer = admin_bearer(&store).await;
        let services = store.count_entities("service").await.unwrap() as usize;
        let (status, kind, yaml) = get(
            &store,
            ("authorization", &bearer),
            "/v1/export?blueprints=service&format=yaml",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(kind, "application/yaml");
        let parsed: Vec<Value> = serde_yaml::from_str(&yaml).expect("valid YAML");
        assert_eq!(parsed.len(), services);
        let cart = store
            .get_entity("service", "cart-api")
            .await
            .unwrap()
            .unwrap();
        let item = parsed
            .iter()
            .find(|i| i["identifier"] == "cart-api")
            .unwrap();
        assert_eq!(item["properties"], Value::Object(cart.properties.clone()));
        assert_eq!(item["team"], json!(cart.team));

        let (status, _, hcl) = get(
            &store,
            ("authorization", &bearer),
            "/v1/export?blueprints=service&format=hcl",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(hcl.matches("resource \"port_entity\"").count(), services);
        assert!(
            hcl.contains("resource \"port_entity\" \"service_cart-api\" {"),
            "{hcl}"
        );

        // A member of payments, where reading services is narrowed to owners,
        // exports only their team's services.
        let mut narrowed = portolan::model::BlueprintPermissions::defaults(
            &store.get_blueprint("service").await.unwrap().unwrap(),
        );
        narrowed.entities.read.roles = vec!["Admin".into()];
        narrowed.entities.read.owned_by_team = true;
        let before = narrowed.clone();
        store
            .set_blueprint_permissions("service", &before, &narrowed, "test")
            .await
            .unwrap();
        let member = person_cookie(
            &store,
            "x@export.test",
            portolan::model::UserRole::Member,
            &[],
            &["payments"],
        )
        .await;
        let (status, _, yaml) = get(
            &store,
            ("cookie", &member),
            "/v1/export?blueprints=service&format=yaml",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let parsed: Vec<Value> = serde_yaml::from_str(&yaml).unwrap();
        assert!(!parsed.is_empty());
        assert!(parsed
            .iter()
            .all(|i| i["team"].as_array().unwrap().contains(&json!("payments"))));

        // Bad requests are named.
        let (status, _, text) =
            get(&store, ("authorization", &bearer), "/v1/export?format=xml").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert!(text.contains("`xml`"));
        let (status, _, _) = get(
            &store,
            ("authorization", &bearer),
            "/v1/export?blueprints=ghost",
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Members may not import.
        let req = Request::post("/v1/import")
            .header("cookie", &member)
            .header("host", "portal.test")
            .header("origin", "http://portal.test")
            .body(Body::from("{\"team\": {\"name\": \"x\"}}\n"))
            .unwrap();
        let (status, _, _) = send(&store, req).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // A line that is not JSON says which.
        let req = Request::post("/v1/import")
            .header("authorization", &bearer)
            .body(Body::from("{\"team\": {\"name\": \"fine\"}}\nnot json\n"))
            .unwrap();
        let (status, _, text) = send(&store, req).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert!(text.contains("line 2"), "{text}");
    }
);

/// A small catalog whose values exercise every escape of every format:
/// quotes, backslashes, new lines, non-ASCII text, Terraform's `${`/`%{`
/// templates, numbers whole and not, nested objects, empty values.
async fn golden_catalog(store: &Store, bearer: &str) {
    let blueprint = json!({"identifier": "golden", "title": "Golden", "icon": "Box",
        "schema": {"properties": {
            "name": {"type": "string", "title": "Name"},
            "tier": {"type": "string", "enum": ["gold", "silver"], "enumColors": {"gold": "yellow"}},
            "cost": {"type": "number"},
            "live": {"type": "boolean"},
            "since": {"type": "string", "format": "date-time"},
            "home": {"type": "string", "format": "url"},
            "notes": {"type": "string", "format": "markdown"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "steps": {"type": "array", "items": {"type": "object"}},
            "extra": {"type": "object"}}, "required": []},
        "relations": {"parent": {"title": "Parent", "target": "golden", "required": false, "many": false},
                      "peers": {"title": "Peers", "target": "golden", "required": false, "many": true}}});
    let (status, json) = support::api_call(
        store,
        "POST",
        "/v1/blueprints",
        Some(bearer),
        Some(blueprint),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let (status, json) = support::api_call(
        store,
        "POST",
        "/v1/teams",
        Some(bearer),
        Some(json!({"name": "golden-team", "description": "Owns the golden files"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let entities = json!({"entities": [
        {"identifier": "root", "title": "Root \"quoted\" \\ back\\slash", "icon": "Star", "team": ["golden-team"],
         "properties": {"name": "Zoë – naïve café", "tier": "gold", "cost": 12.5, "live": true,
                        "since": "2026-01-02T03:04:05Z", "home": "https://example.test/a?b=c&d=e",
                        "notes": "# Heading\n\nA ${template} and %{ directive } here.\n", "tags": ["a", "b c"],
                        "extra": {"nested": {"n": 1, "list": [true, null]}}},
         "relations": {"parent": null, "peers": []}},
        {"identifier": "child-1", "title": "Child one",
         "properties": {"tier": "silver", "cost": 3, "live": false, "tags": []},
         "relations": {"parent": "root", "peers": ["child-2"]}},
        {"identifier": "child-2", "properties": {}, "relations": {"parent": "root"}},
        {"identifier": "hostile", "title": HOSTILE_TITLE, "icon": "${icon}",
         "properties": hostile_properties(), "relations": {"parent": "root", "peers": ["child-1"]}}]});
    let (status, json) = support::api_call(
        store,
        "POST",
        "/v1/blueprints/golden/entities/bulk?create_missing_related_entities=true",
        Some(bearer),
        Some(entities),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
}

/// What an outside probe stored to make a Terraform export read local
/// files: templates (`${…}`, `%{…}`) in every kind of value, at every
/// depth, object keys included, and the characters each format escapes
/// differently (controls HCL lacks escapes for, line breaks YAML folds).
const HOSTILE_TITLE: &str = "$${already escaped} ${file(\"secrets.txt\")} %{ if true }x%{ endif }";

fn hostile_properties() -> Value {
    let nasty = "${file(\"secrets.txt\")} %{ for x in [1] }${x}%{ endfor } \u{8}\u{c}\u{1}\u{7f}\u{85}\u{2028}\u{2029}\u{feff} $ % {} $${} %%{}";
    json!({
        "name": nasty,
        "notes": format!("# ${{title}}\n\n{nasty}\n"),
        "home": "https://example.test/${path}?q=%{q}",
        "tags": ["${a}", "%{b}", nasty],
        "steps": [{"run": "${file(\"/etc/passwd\")}", "${key}": ["%{ if }", {"deep": nasty}]}, {}],
        "extra": {"${key}": {"cmd": nasty, "list": ["%{x}", {"deep": "${deep}"}, 1, true, null]}, "%{k}": "v"},
    })
}

/// Times and the admin's name vary by run; everything else is fixed.
fn without_times(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    // An RFC 3339 instant: 2026-12-02T07:01:02[.123456]Z or +00:00.
    let is_time_at = |i: usize| {
        let b = &bytes[i..];
        b.len() >= 20
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
    };
    while i < bytes.len() {
        if is_time_at(i) && &bytes[i..i + 19] != b"2026-01-02T03:04:05" {
            let mut end = i + 19;
            while end < bytes.len()
                && (bytes[end].is_ascii_digit() || matches!(bytes[end], b'.' | b'Z' | b'+' | b':'))
            {
                end += 1;
            }
            out.push_str("<time>");
            i = end;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

both_databases!(exports_match_their_golden_files, |store, _url| {
    let bearer = admin_bearer(&store).await;
    golden_catalog(&store, &bearer).await;
    for (format, file) in [
        ("json", "export.jsonl"),
        ("yaml", "export.yaml"),
        ("hcl", "export.tf"),
    ] {
        let (status, _, text) = get(
            &store,
            ("authorization", &bearer),
            &format!("/v1/export?blueprints=golden&format={format}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let text = without_times(&text);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(file);
        // UPDATE_GOLDEN=1 rewrites the files after a deliberate format change.
        if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
            std::fs::write(&path, &text).unwrap();
        }
        let golden =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            text == golden,
            "{format} export differs from tests/golden/{file} (UPDATE_GOLDEN=1 rewrites it):\n{text}"
        );
    }
});

// Each export read back by a real parser of its format gives exactly the
// values stored: nothing in them is run as a template (Terraform: a
// `${file(…)}` left unescaped would fail here, as `file` is not defined)
// and no character is lost or folded.
both_databases!(exports_read_back_hostile_values_exactly, |store, _url| {
    let bearer = admin_bearer(&store).await;
    golden_catalog(&store, &bearer).await;
    let export = |format: &'static str| {
        let store = store.clone();
        let bearer = bearer.clone();
        async move {
            let (status, _, text) = get(
                &store,
                ("authorization", &bearer),
                &format!("/v1/export?blueprints=golden&format={format}"),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{text}");
            text
        }
    };
    let expected = hostile_properties();

    // JSON Lines.
    let jsonl = export("json").await;
    let entity = jsonl
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|l| l["entity"]["identifier"] == "hostile")
        .expect("the hostile entity is exported")["entity"]
        .clone();
    assert_eq!(entity["title"], HOSTILE_TITLE);
    assert_eq!(entity["icon"], "${icon}");
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&entity["properties"][key], value, "json: {key}");
    }

    // GitOps YAML.
    let yaml = export("yaml").await;
    let items: Vec<Value> = serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let entity = items.iter().find(|e| e["identifier"] == "hostile").unwrap();
    assert_eq!(entity["title"], HOSTILE_TITLE);
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&entity["properties"][key], value, "yaml: {key}");
    }

    // Terraform, evaluated as Terraform would: `jsonencode` is the only
    // function defined (as the identity, so objects compare as objects).
    let hcl = export("hcl").await;
    let mut ctx = hcl::eval::Context::new();
    ctx.declare_func(
        "jsonencode",
        hcl::eval::FuncDef::builder()
            .param(hcl::eval::ParamType::Any)
            .build(|args: hcl::eval::FuncArgs| Ok(args[0].clone())),
    );
    let evaluated: Value = hcl::eval::from_str(&hcl, &ctx).unwrap_or_else(|e| panic!("{e}\n{hcl}"));
    let entity = &evaluated["resource"]["port_entity"]["golden_hostile"];
    assert_eq!(entity["title"], HOSTILE_TITLE, "{hcl}");
    assert_eq!(entity["icon"], "${icon}");
    let props = &entity["properties"];
    for key in ["name", "notes", "home"] {
        assert_eq!(props["string_props"][key], expected[key], "hcl: {key}");
    }
    assert_eq!(
        props["object_props"]["extra"], expected["extra"],
        "hcl: extra"
    );
    assert_eq!(
        props["array_props"]["string_items"]["tags"],
        expected["tags"]
    );
    assert_eq!(
        props["array_props"]["object_items"]["steps"],
        expected["steps"]
    );
    assert_eq!(entity["relations"]["single_relations"]["parent"], "root");
    assert_eq!(
        entity["relations"]["many_relations"]["peers"],
        json!(["child-1"])
    );
});

/// The identifiers of every row catalog page `page` shows `subject` for
/// `request`, read a table page at a time as the page itself does.
async fn table_rows(
    store: &Store,
    subject: &portolan::model::Subject,
    page: &str,
    mut request: portolan::services::catalog_page::CatalogRequest,
) -> Vec<String> {
    let mut ids = Vec::new();
    loop {
        let data = portolan::services::catalog_page::catalog_page(store, subject, page, &request)
            .await
            .unwrap_or_else(|e| panic!("{page}: {e:?}"));
        let n = data.list.entities.len() as i64;
        ids.extend(data.list.entities.into_iter().map(|e| e.identifier));
        request.offset += n;
        if n == 0 || request.offset >= data.list.total {
            break;
        }
    }
    ids.sort();
    ids
}

both_databases!(a_catalog_page_exports_what_its_view_shows, |store, _url| {
    use portolan::model::{CatalogView, SavedView, SignedInUser, Subject, UserRole, ViewParams};
    use portolan::services::catalog_page::CatalogRequest;
    demo::seed_if_empty(&store).await.unwrap();
    let email = "pat@portolan.test";
    let cookie = person_cookie(&store, email, UserRole::Member, &[], &["payments"]).await;
    let pat = Subject::User(SignedInUser {
        email: email.into(),
        name: "Test Person".into(),
        role: UserRole::Member,
        teams: vec!["payments".into()],
        moderated_blueprints: vec![],
    });
    let gold =
        r#"{"combinator":"and","rules":[{"property":"tier","operator":"=","value":"gold"}]}"#;
    let saved = CatalogView {
        search: "api".into(),
        ..CatalogView::from_params(&ViewParams {
            filter: gold.into(),
            ..Default::default()
        })
        .unwrap()
    };
    store
        .save_view(
            email,
            &SavedView {
                page: "services".into(),
                name: "Gold APIs".into(),
                view: saved,
            },
        )
        .await
        .unwrap();
    let request = |filter: &str, search: &str, mine: bool, view: &str| CatalogRequest {
        params: ViewParams {
            filter: filter.into(),
            search: search.into(),
            mine,
            ..Default::default()
        },
        offset: 0,
        saved: view.into(),
    };
    let every = table_rows(&store, &pat, "services", request("", "", false, "")).await;
    // (page, its export query, the same view as the table reads it)
    let cases = [
        ("services", String::new(), request("", "", false, "")),
        (
            "services",
            format!("&filter={}", portolan::model::url::encode_component(gold)),
            request(gold, "", false, ""),
        ),
        ("services", "&q=api".into(), request("", "api", false, "")),
        ("services", "&mine=1".into(), request("", "", true, "")),
        (
            "services",
            "&view=Gold%20APIs".into(),
            request("", "", false, "Gold APIs"),
        ),
        // The page's initial filter (gold tier), which no parameter lifts.
        ("gold-services", String::new(), request("", "", false, "")),
        (
            "gold-services",
            "&q=web".into(),
            request("", "web", false, ""),
        ),
    ];
    for (page, query, request) in cases {
        let expected = table_rows(&store, &pat, page, request).await;
        let (status, kind, text) = get(
            &store,
            ("cookie", &cookie),
            &format!("/v1/export?page={page}{query}&format=json"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}{query}: {text}");
        assert_eq!(kind, "application/x-ndjson");
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let blueprints: Vec<&Value> = lines.iter().filter_map(|l| l.get("blueprint")).collect();
        assert_eq!(
            blueprints.len(),
            1,
            "{page}{query}: only the page's blueprint"
        );
        let mut exported: Vec<String> = lines
            .iter()
            .filter_map(|l| l.get("entity"))
            .map(|e| e["identifier"].as_str().unwrap().to_string())
            .collect();
        exported.sort();
        assert_eq!(exported, expected, "{page}{query}");
        if !query.is_empty() || page != "services" {
            assert!(
                exported.len() < every.len(),
                "{page}{query} narrows ({} of {})",
                exported.len(),
                every.len()
            );
        }
        assert!(!exported.is_empty(), "{page}{query}: the demo has some");
    }

    // Bad views are refused as the table refuses them, before any download.
    for (query, status, says) in [
        (
            "page=services&filter=%7Boops",
            StatusCode::UNPROCESSABLE_ENTITY,
            "not JSON",
        ),
        (
            "page=services&view=Nope",
            StatusCode::NOT_FOUND,
            "no saved view `Nope`",
        ),
        ("page=nowhere", StatusCode::NOT_FOUND, "nowhere"),
        (
            "page=services&blueprints=service",
            StatusCode::BAD_REQUEST,
            "not both",
        ),
    ] {
        let (got, _, text) = get(&store, ("cookie", &cookie), &format!("/v1/export?{query}")).await;
        assert_eq!(got, status, "{query}: {text}");
        assert!(text.contains(says), "{query}: {text}");
    }
});
