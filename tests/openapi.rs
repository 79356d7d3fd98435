//! `GET /v1/openapi.json`: every routed endpoint is described, every
//! `$ref` resolves, and the request schemas are the handlers' own types.

mod support;

use axum::http::StatusCode;
use serde_json::Value;
use support::api_call;

/// Every `$ref` anywhere below `value`.
fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                found.push(r.clone());
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

/// The schema a `$ref` points at (or the schema itself when inline).
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
        None => schema,
    }
}

both_databases!(
    the_openapi_document_describes_every_endpoint,
    |store, _url| {
        // Public, like Port's: no token needed.
        let (status, doc) = api_call(&store, "GET", "/v1/openapi.json", None, None).await;
        assert_eq!(status, StatusCode::OK, "{doc}");
        assert_eq!(doc["openapi"], "3.0.3");

        for (method, path) in portolan::api::endpoint_list() {
            let op = &doc["paths"][&path][method.to_lowercase()];
            assert!(
                op.is_object(),
                "{method} {path} is missing from the document"
            );
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()));
            for name in path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            {
                assert!(
                    op["parameters"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|p| p["name"] == name && p["in"] == "path" && p["required"] == true),
                    "{method} {path} does not declare its path parameter {name}"
                );
            }
            assert_eq!(
                resolve(
                    &doc,
                    &op["responses"]["4XX"]["content"]["application/json"]["schema"]
                )["required"],
                serde_json::json!(["ok", "error", "message"])
            );
        }

        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(found.len() > 20, "schemas are shared by reference");
        for r in &found {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("{r} is not a component reference"));
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "{r} does not resolve"
            );
        }

        // The request bodies are the types the handlers read.
        let body = |path: &str, method: &str| {
            resolve(
                &doc,
                &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"],
            )
            .clone()
        };
        let blueprint = body("/v1/blueprints", "post");
        assert!(
            blueprint["properties"]["identifier"].is_object(),
            "{blueprint}"
        );
        assert!(
            blueprint["properties"]["mirrorProperties"].is_object(),
            "{blueprint}"
        );
        assert!(blueprint["required"]
            .as_array()
            .unwrap()
            .contains(&Value::from("schema")));
        let entity = body("/v1/blueprints/{bp}/entities", "post");
        for key in ["identifier", "title", "team", "properties", "relations"] {
            assert!(entity["properties"][key].is_object(), "{key}: {entity}");
        }
        let search = body("/v1/entities/search", "post");
        assert_eq!(
            search["required"],
            serde_json::json!(["combinator", "rules"])
        );
        let create = &doc["paths"]["/v1/blueprints/{bp}/entities"]["post"];
        assert!(create["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "upsert" && p["in"] == "query"));
        // What an entity read answers.
        let reply = &doc["paths"]["/v1/blueprints/{bp}/entities/{id}"]["get"]["responses"]["2XX"]
            ["content"]["application/json"]["schema"];
        let entity = resolve(&doc, &reply["properties"]["entity"]);
        assert!(entity["properties"]["createdAt"].is_object(), "{entity}");
    }
);
