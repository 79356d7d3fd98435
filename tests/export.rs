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
