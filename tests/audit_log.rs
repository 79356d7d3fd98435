//! The audit log page's reads, on SQLite and PostgreSQL: cursor paging
//! (every row once, newest first, through the page's server function and
//! the REST API's `before`), the filters narrowing it, each row's changed
//! fields and link, and the policy keeping the whole log to admins.

mod support;

use axum::http::StatusCode;
use portolan::store::Store;
use serde_json::{json, Value};
use support::{admin_cookie, member_cookie};

/// Demo data, an admin token for writes and an admin session for reads.
async fn seeded(store: &Store) -> (String, String) {
    portolan::services::demo::seed_if_empty(store)
        .await
        .unwrap();
    (
        support::admin_bearer(store).await,
        admin_cookie(store).await,
    )
}

/// The audit log page's server function with these filters.
async fn audit_page(store: &Store, cookie: &str, filters: &[(&str, &str)]) -> (StatusCode, Value) {
    support::server_fn_call(store, cookie, "get_audit_log", filters).await
}

fn ids(page: &Value) -> Vec<i64> {
    page["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("no rows: {page}"))
        .iter()
        .map(|r| r["entry"]["id"].as_i64().unwrap())
        .collect()
}

async fn write(store: &Store, auth: &str, method: &str, path: &str, body: Value) -> Value {
    let (status, reply) = support::api_call(store, method, path, Some(auth), Some(body)).await;
    assert!(status.is_success(), "{method} {path}: {status} {reply}");
    reply
}

async fn create_services(store: &Store, auth: &str, count: usize) {
    let entities: Vec<Value> = (0..count)
        .map(|i| json!({"identifier": format!("paged-{i:03}"), "title": format!("Paged {i}"), "team": ["payments"],
            "properties": {"tier": "silver", "lifecycle": "production"}}))
        .collect();
    write(
        store,
        auth,
        "POST",
        "/v1/blueprints/service/entities/bulk",
        json!({"entities": entities}),
    )
    .await;
}

both_databases!(cursor_paging_returns_every_row_once, |store, _url| {
    let (auth, cookie) = seeded(&store).await;
    create_services(&store, &auth, 120).await;
    let every: Vec<i64> = store
        .audit_log(&portolan::model::AuditFilter {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert!(every.len() > 120, "{} rows", every.len());

    let mut seen = Vec::new();
    let mut before: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut filters = vec![];
        if let Some(cursor) = &before {
            filters.push(("before", cursor.as_str()));
        }
        let (status, page) = audit_page(&store, &cookie, &filters).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let page_ids = ids(&page);
        assert!(page_ids.len() <= 50, "a page holds at most 50 rows");
        seen.extend(page_ids);
        pages += 1;
        match page["older"].as_i64() {
            Some(cursor) => before = Some(cursor.to_string()),
            None => break,
        }
    }
    assert!(pages >= 3, "{pages} pages");
    assert_eq!(seen, every, "every row once, newest first");

    // The REST API takes the same cursor.
    let cursor = every[9];
    let (status, reply) = support::api_call(
        &store,
        "GET",
        &format!("/v1/audit-log?limit=5&before={cursor}"),
        Some(&auth),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let api_ids: Vec<i64> = reply["audits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["identifier"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(api_ids, every[10..15].to_vec());
    let (status, reply) = support::api_call(
        &store,
        "GET",
        "/v1/audit-log?before=latest",
        Some(&auth),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
});

both_databases!(
    filters_narrow_the_log_and_rows_show_what_changed,
    |store, _url| {
        let (auth, cookie) = seeded(&store).await;
        create_services(&store, &auth, 2).await;
        write(
            &store,
            &auth,
            "PATCH",
            "/v1/blueprints/service/entities/paged-000",
            json!({"title": "Renamed", "properties": {"tier": "gold"}}),
        )
        .await;
        write(
            &store,
            &auth,
            "PATCH",
            "/v1/teams/payments",
            json!({"description": "Moves the money"}),
        )
        .await;
        write(
            &store,
            &auth,
            "DELETE",
            "/v1/blueprints/service/entities/paged-001",
            Value::Null,
        )
        .await;

        // One entity's history, newest first, linked while it exists.
        let (status, page) = audit_page(
            &store,
            &cookie,
            &[("entity", "paged-000"), ("blueprint", "service")],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let rows = page["rows"].as_array().unwrap();
        let actions: Vec<&str> = rows
            .iter()
            .map(|r| r["entry"]["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["UPDATE", "CREATE"]);
        assert_eq!(rows[0]["href"], "/entity/service/paged-000");
        assert_eq!(
            rows[0]["changes"],
            json!([
                {"field": "properties.tier", "before": "silver", "after": "gold"},
                {"field": "title", "before": "Paged 0", "after": "Renamed"},
            ])
        );
        assert!(
            rows[0]["entry"]["diff"].is_null(),
            "the raw diff stays home"
        );

        // A deleted entity's rows have no link.
        let (_, page) = audit_page(&store, &cookie, &[("entity", "paged-001")]).await;
        let rows = page["rows"].as_array().unwrap();
        assert_eq!(rows[0]["entry"]["action"], "DELETE");
        assert!(rows.iter().all(|r| r["href"].is_null()), "{page}");

        // Resource type, action, user and status narrow.
        let (_, page) = audit_page(
            &store,
            &cookie,
            &[("resources", "team"), ("action", "update")],
        )
        .await;
        let rows = page["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{page}");
        assert_eq!(rows[0]["entry"]["identifier"], "payments");
        assert_eq!(
            rows[0]["changes"],
            json!([{"field": "description", "before": rows[0]["changes"][0]["before"], "after": "Moves the money"}])
        );
        let (_, page) = audit_page(&store, &cookie, &[("user", "client:test-admin")]).await;
        assert_eq!(
            ids(&page).len(),
            5,
            "two creations, two updates, a deletion: {page}"
        );
        let (_, page) = audit_page(&store, &cookie, &[("user", "nobody@portolan.test")]).await;
        assert!(ids(&page).is_empty());
        let (_, page) = audit_page(&store, &cookie, &[("status", "FAILURE")]).await;
        assert!(ids(&page).is_empty(), "{page}");

        // Blueprints link to the builder.
        let (_, page) = audit_page(&store, &cookie, &[("resources", "blueprint")]).await;
        let rows = page["rows"].as_array().unwrap();
        assert!(!rows.is_empty());
        assert!(
            rows.iter()
                .all(|r| r["href"].as_str().unwrap().starts_with("/builder#")),
            "{page}"
        );

        // The time range, as the page's date fields send it.
        let today = chrono::Utc::now().date_naive().to_string();
        let (_, page) = audit_page(
            &store,
            &cookie,
            &[
                ("user", "client:test-admin"),
                ("from", &today),
                ("to", &today),
            ],
        )
        .await;
        assert_eq!(ids(&page).len(), 5, "{page}");
        let (_, page) = audit_page(&store, &cookie, &[("to", "2000-01-01")]).await;
        assert!(ids(&page).is_empty(), "{page}");
        let (status, page) = audit_page(&store, &cookie, &[("from", "yesterday")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    }
);

both_databases!(only_admins_read_the_whole_log_on_the_page, |store, _url| {
    let (_auth, cookie) = seeded(&store).await;
    let member = member_cookie(&store, "member@portolan.test").await;

    let (status, reply) = audit_page(&store, &member, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{reply}");
    let (status, _, html) = support::get_page(&store, "/audit-log", Some(&member)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        html.contains("You don&#x27;t have access") || html.contains("You don't have access"),
        "{html}"
    );
    assert!(
        !html.contains("href=\"/audit-log\""),
        "no sidebar link for members"
    );

    // One readable entity's history stays theirs, as on the entity page.
    let (status, reply) = audit_page(
        &store,
        &member,
        &[("entity", "cart"), ("blueprint", "service")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");

    // Admins get the page, its filter form and the sidebar link.
    let (status, _, html) =
        support::get_page(&store, "/audit-log?resources=blueprint", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("<form method=\"get\" action=\"/audit-log\""),
        "a plain GET form: {html}"
    );
    assert!(html.contains("href=\"/audit-log\""), "the sidebar link");
    assert!(html.contains("<details>"), "rows expand: {html}");
});
