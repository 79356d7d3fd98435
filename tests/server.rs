//! The server over HTTP: health, pages rendered on the server, status codes,
//! security headers; and the binary's start-up failures and shutdown.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use portolan::store::Store;
use tower::ServiceExt;

fn app(store: Store) -> axum::Router {
    support::app(&store)
}

/// GET as the signed-in admin (pages need a session now).
async fn get(store: &Store, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let cookie = support::admin_cookie(store).await;
    support::get_page(store, path, Some(&cookie)).await
}

both_databases!(healthz_reports_the_database, |store, _url| {
    let (status, headers, body) = support::get_page(&store, "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["database"], store.backend());
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));

    // A closed pool stands in for a database that stopped answering.
    store.close().await;
    let (status, _, body) = support::get_page(&store, "/healthz", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("\"unavailable\""));
});

both_databases!(pages_render_on_the_server_with_their_data, |store, _url| {
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    let (status, _, html) = get(&store, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Welcome to Portolan"));
    assert!(
        html.contains("Engineering overview"),
        "sidebar lists the dashboard"
    );

    let (status, _, html) = get(&store, "/catalog/services?sort=-%24identifier&q=cart").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Showing 1–4 of 4"),
        "{}",
        &html[..html.len().min(3000)]
    );
    let worker = html.find("cart-worker").expect("cart-worker row");
    let api = html.find(">cart-api<").expect("cart-api row");
    assert!(worker < api, "rows sorted by identifier, descending");

    let (status, _, html) = get(&store, "/entity/service/cart-api").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Cart Api") && html.contains("Referenced by"));

    for path in [
        "/dashboard/overview",
        "/users-teams",
        "/users-teams?tab=teams",
        "/builder",
    ] {
        let (status, _, _) = get(&store, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
});

both_databases!(unknown_things_answer_404_with_a_page, |store, _url| {
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    for path in [
        "/no/such/page",
        "/entity/service/ghost",
        "/catalog/ghost",
        "/dashboard/services",
    ] {
        let (status, _, html) = get(&store, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Not found"), "{path}");
    }
    let (status, _, html) = get(&store, "/catalog/services?sort=colour").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("cannot sort by `colour`"));
});

fn binary() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_portolan"));
    cmd.env_remove("PORTOLAN_DATABASE_URL")
        .env_remove("PORTOLAN_ADDR")
        .env_remove("PORTOLAN_DEMO_DATA")
        .env_remove("PORTOLAN_ADMIN_CLIENT_ID")
        .env_remove("PORTOLAN_ADMIN_CLIENT_SECRET")
        .env("PORTOLAN_CONFIG", "/dev/null");
    cmd
}

#[test]
fn bad_database_urls_end_the_process_with_one_clear_line() {
    for (url, expected) in [
        ("ftp://example/db", "unsupported database URL"),
        (
            "postgres://postgres@127.0.0.1:1/nowhere",
            "cannot connect to PostgreSQL",
        ),
        ("sqlite:///proc/portolan-cannot-write-here/x.db", "cannot"),
    ] {
        let out = binary().args(["--database-url", url]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{url}");
        assert!(stderr.contains(expected), "{url}: {stderr}");
        assert!(!stderr.contains("panicked"), "{url}: {stderr}");
        assert_eq!(
            stderr
                .trim()
                .lines()
                .filter(|l| l.starts_with("portolan:"))
                .count(),
            1,
            "{stderr}"
        );
    }
    let out = binary()
        .args(["--addr", "not-an-address"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an address"));
}

#[test]
fn sigterm_shuts_the_server_down_gracefully() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let db = std::env::temp_dir().join(format!("portolan-sigterm-{}.db", std::process::id()));
    let mut child = binary()
        .args([
            "--addr",
            &addr.to_string(),
            "--database-url",
            &format!("sqlite://{}", db.display()),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit after SIGTERM: {exit:?}");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{}", db.display(), suffix));
    }
}

async fn call(
    store: &Store,
    method: &str,
    path: &str,
    body: Option<String>,
) -> (StatusCode, serde_json::Value) {
    // Bodies here are raw text, so malformed JSON can be sent too.
    let auth = support::admin_bearer(store).await;
    let Some(text) = body else {
        return support::api_call(store, method, path, Some(&auth), None).await;
    };
    let response = app(store.clone())
        .oneshot(
            Request::builder()
                .method(method)
                .uri(path)
                .header("content-type", "application/json")
                .header("authorization", &auth)
                .body(Body::from(text))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
        .await
        .unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

both_databases!(api_speaks_ports_envelope, |store, _url| {
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    let (status, json) = call(&store, "GET", "/v1/blueprints", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["ok"], true);
    assert_eq!(json["blueprints"].as_array().unwrap().len(), 4);

    let (status, json) = call(&store, "GET", "/v1/blueprints/service", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json["blueprint"]["schema"]["properties"]["tier"]["enumColors"]["gold"],
        "yellow"
    );

    let (status, json) = call(&store, "GET", "/v1/blueprints/ghost", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        json,
        serde_json::json!({"ok": false, "error": "not_found", "message": "there is no blueprint `ghost`"})
    );

    let (status, json) = call(
        &store,
        "GET",
        "/v1/blueprints/service/entities/cart-api",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["entity"]["team"], serde_json::json!(["checkout"]));
    let (status, json) = call(&store, "GET", "/v1/blueprints/service/entities/ghost", None).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );

    let (status, json) = call(&store, "GET", "/v1/blueprints/service/entities-count", None).await;
    assert_eq!((status, json["count"].as_i64()), (StatusCode::OK, Some(80)));
    let (_, json) = call(&store, "GET", "/v1/blueprints/cluster/entities", None).await;
    assert_eq!(json["entities"].as_array().unwrap().len(), 6);

    let body = r#"{"combinator":"and","rules":[{"property":"$blueprint","operator":"=","value":"cluster"},{"property":"provider","operator":"=","value":"aws"}]}"#;
    let (status, json) = call(&store, "POST", "/v1/entities/search", Some(body.into())).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["matchingBlueprints"], serde_json::json!(["cluster"]));
    assert_eq!(json["entities"].as_array().unwrap().len(), 2);

    let (status, json) = call(
        &store,
        "POST",
        "/v1/blueprints/service/entities/search",
        Some(r#"{"limit": 50}"#.into()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["entities"].as_array().unwrap().len(), 50);
    let next = json["next"].as_str().expect("a next cursor").to_string();
    let (_, json) = call(
        &store,
        "POST",
        "/v1/blueprints/service/entities/search",
        Some(format!(r#"{{"limit": 50, "from": "{next}"}}"#)),
    )
    .await;
    assert_eq!(json["entities"].as_array().unwrap().len(), 30);
    assert!(json.get("next").is_none());

    // Bad input: each with its status and a message that says what is wrong.
    let (status, json) = call(
        &store,
        "POST",
        "/v1/entities/search",
        Some(
            r#"{"combinator":"and","rules":[{"property":"tier","operator":"eq","value":1}]}"#
                .into(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json["ok"], false);
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("rules[0].operator: unknown operator \"eq\""),
        "{json}"
    );
    let (status, json) = call(
        &store,
        "POST",
        "/v1/entities/search",
        Some("{not json".into()),
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    let (status, _) = call(
        &store,
        "POST",
        "/v1/blueprints/service/entities/search",
        Some(r#"{"limt": 5}"#.into()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, json) = call(&store, "GET", "/v1/no/such/route", None).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let huge = format!(
        r#"{{"combinator":"and","rules":[],"pad":"{}"}}"#,
        "x".repeat(1024 * 1024 + 10)
    );
    let (status, json) = call(&store, "POST", "/v1/entities/search", Some(huge)).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")),
        "{json}"
    );
});
