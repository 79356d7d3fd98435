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
    // Every portal's home dashboard starts with a welcome.
    let (status, _, html) = get(&store, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Welcome to Portolan"), "{html}");
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    // The demo's home: charts drawn on the server, as SVG.
    let (status, _, html) = get(&store, "/").await;
    assert_eq!(status, StatusCode::OK);
    for drawn in [
        "Deployments per week, by status",
        "Monthly cost of services",
        "<svg class=\"chart chart-pie\"",
        "<svg class=\"chart chart-bar\"",
        "<svg class=\"chart chart-line-chart\"",
    ] {
        assert!(html.contains(drawn), "{drawn}");
    }
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

/// A free loopback port for a server this test starts.
fn free_addr() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// The release of a started binary: killed when the test ends, however it
/// ends, so no server outlives its test.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(addr: std::net::SocketAddr, url: &str) -> Running {
    let child = binary()
        .args([
            "--addr",
            &addr.to_string(),
            "--database-url",
            url,
            "--admin-client-id",
            "crash-admin",
            "--admin-client-secret",
            "crash-admin-secret-0123456789",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while http(addr, "GET", "/healthz", None, None)
        .map(|(s, _)| s)
        .ok()
        != Some(200)
    {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Running(child)
}

/// One HTTP/1.1 request over a fresh connection (`Connection: close`), as
/// an outside client sends it: answers the status and the body, or the I/O
/// error of a server that went away mid-request.
fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<&serde_json::Value>,
) -> std::io::Result<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(60)))?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(auth) = auth {
        request.push_str(&format!("Authorization: {auth}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no HTTP answer: {text:?}")))?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    Ok((status, body.to_string()))
}

/// One bulk request of the crash test: 50 services, each with a team and a
/// relation, so a write touches every table an entity lives in.
fn crash_batch(writer: usize, batch: usize) -> (Vec<String>, serde_json::Value) {
    let ids: Vec<String> = (0..50)
        .map(|i| format!("crash-{writer}-{batch}-{i}"))
        .collect();
    let entities: Vec<serde_json::Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            serde_json::json!({"identifier": id, "title": format!("Crash {id}"),
                "team": if i % 2 == 0 { "payments" } else { "platform" },
                "properties": {"tier": "silver", "lifecycle": "production", "monthlyCost": i},
                "relations": {"dependencies": ["cart-api"]}})
        })
        .collect();
    (ids, serde_json::json!({"entities": entities}))
}

both_databases!(
    a_killed_server_loses_no_acknowledged_entity_and_leaves_none_half_written,
    |store, url| {
        use portolan::model::query::Query;
        use std::sync::{Arc, Mutex};
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let demo_services = store.count_entities("service").await.unwrap();
        let addr = free_addr();
        let mut server = start_server(addr, &url);
        let (status, token) = http(
            addr,
            "POST",
            "/v1/auth/access_token",
            None,
            Some(&serde_json::json!({"clientId": "crash-admin", "clientSecret": "crash-admin-secret-0123456789"})),
        )
        .unwrap();
        assert_eq!(status, 200, "{token}");
        let token: serde_json::Value = serde_json::from_str(&token).unwrap();
        let auth = format!("Bearer {}", token["accessToken"].as_str().unwrap());

        // Two writers post bulk requests back to back; each remembers what it
        // sent and what the server acknowledged (a 200).
        let sent = Arc::new(Mutex::new(Vec::<Vec<String>>::new()));
        let acknowledged = Arc::new(Mutex::new(Vec::<Vec<String>>::new()));
        let writers: Vec<_> = (0..2)
            .map(|writer| {
                let (sent, acknowledged, auth) = (sent.clone(), acknowledged.clone(), auth.clone());
                std::thread::spawn(move || {
                    for batch in 0.. {
                        let (ids, body) = crash_batch(writer, batch);
                        sent.lock().unwrap().push(ids.clone());
                        match http(
                            addr,
                            "POST",
                            "/v1/blueprints/service/entities/bulk",
                            Some(&auth),
                            Some(&body),
                        ) {
                            Ok((200, _)) => acknowledged.lock().unwrap().push(ids),
                            Ok((status, text)) => panic!("bulk write answered {status}: {text}"),
                            Err(_) => return, // the server is gone
                        }
                    }
                })
            })
            .collect();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while acknowledged.lock().unwrap().len() < 6 {
            assert!(
                std::time::Instant::now() < deadline,
                "the writers made no progress"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        // SIGKILL: no shutdown, no flush, mid-request for at least one writer.
        server.0.kill().unwrap();
        server.0.wait().unwrap();
        for w in writers {
            w.join().unwrap();
        }
        let sent = sent.lock().unwrap().clone();
        let acknowledged = acknowledged.lock().unwrap().clone();
        assert!(sent.len() > acknowledged.len(), "a request was in flight");

        // Every acknowledged entity is there, whole; every batch is all or
        // nothing (a batch is one transaction).
        let mut stored_ids = Vec::new();
        for ids in &sent {
            let stored = store.get_entities("service", ids).await.unwrap();
            let was_acknowledged = acknowledged.contains(ids);
            assert!(
                stored.len() == ids.len() || (stored.is_empty() && !was_acknowledged),
                "batch {}: {} of {} stored (acknowledged: {was_acknowledged})",
                ids[0],
                stored.len(),
                ids.len()
            );
            for e in &stored {
                let i: usize = e.identifier.rsplit('-').next().unwrap().parse().unwrap();
                assert_eq!(
                    e.title.as_deref(),
                    Some(format!("Crash {}", e.identifier).as_str())
                );
                assert_eq!(e.properties["monthlyCost"], serde_json::json!(i));
                assert_eq!(e.team.len(), 1);
                assert_eq!(e.related("dependencies"), vec!["cart-api".to_string()]);
                let history = store
                    .audit_log(&portolan::model::AuditFilter {
                        blueprint: Some("service".into()),
                        entity: Some(e.identifier.clone()),
                        limit: 10,
                        ..Default::default()
                    })
                    .await
                    .unwrap();
                assert_eq!(history.len(), 1, "{}: its audit record", e.identifier);
                stored_ids.push(e.identifier.clone());
            }
        }
        // The side tables agree with the rows: team and relation filters
        // find exactly the stored entities.
        let admin = portolan::model::Subject::Machine {
            client_id: "crash-test".into(),
            role: portolan::model::UserRole::Admin,
        };
        for filter in [
            serde_json::json!({"property": "$team", "operator": "in", "value": ["payments", "platform"]}),
            serde_json::json!({"operator": "relatedTo", "blueprint": "service", "value": "cart-api", "direction": "downstream"}),
        ] {
            let query = Query::from_json(&serde_json::json!({"combinator": "and", "rules": [
                {"property": "$identifier", "operator": "beginsWith", "value": "crash-"}, filter]}))
            .unwrap();
            let (_, found) = portolan::services::search::search(&store, &admin, &query)
                .await
                .unwrap();
            let mut found: Vec<String> = found.into_iter().map(|e| e.identifier).collect();
            found.sort();
            let mut want = stored_ids.clone();
            want.sort();
            assert_eq!(found, want);
        }

        // The database opens again and the restarted server serves it all.
        let addr = free_addr();
        let _server = start_server(addr, &url);
        let (status, count) = http(
            addr,
            "GET",
            "/v1/blueprints/service/entities-count",
            Some(&auth),
            None,
        )
        .unwrap();
        // Tokens live in the database, so the writers' token still works.
        assert_eq!(status, 200, "{count}");
        let count: serde_json::Value = serde_json::from_str(&count).unwrap();
        assert_eq!(
            count["count"],
            serde_json::json!(demo_services + stored_ids.len() as i64)
        );
    }
);

/// One request as a browser sends it with `Accept-Encoding`; answers the
/// headers and the body bytes as they travel.
async fn raw(
    store: &Store,
    path: &str,
    cookie: &str,
    accept: Option<&str>,
) -> (axum::http::HeaderMap, Vec<u8>) {
    let mut req = Request::get(path).header("cookie", cookie);
    if let Some(accept) = accept {
        req = req.header("accept-encoding", accept);
    }
    let response = support::app(store)
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
        .await
        .unwrap();
    (headers, bytes.to_vec())
}

both_databases!(
    pages_and_api_answers_are_compressed_as_the_browser_asks,
    |store, _url| {
        use std::io::Read;
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let cookie = support::admin_cookie(&store).await;
        // A streamed download too (compressed as it streams).
        for path in [
            "/catalog/services",
            "/v1/blueprints",
            "/v1/export?page=services",
        ] {
            let (headers, plain) = raw(&store, path, &cookie, None).await;
            assert!(headers.get("content-encoding").is_none(), "{path}");
            let plain = String::from_utf8(plain).unwrap();

            let (headers, gz) = raw(&store, path, &cookie, Some("gzip")).await;
            assert_eq!(headers["content-encoding"], "gzip", "{path}");
            let mut text = String::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_string(&mut text)
                .unwrap();

            let (headers, br) = raw(&store, path, &cookie, Some("gzip, deflate, br, zstd")).await;
            assert_eq!(headers["content-encoding"], "br", "{path}: brotli first");
            assert!(
                br.len() * 3 < plain.len(),
                "{path}: {} of {} bytes",
                br.len(),
                plain.len()
            );
            let mut decoded = String::new();
            brotli::Decompressor::new(&br[..], 4096)
                .read_to_string(&mut decoded)
                .unwrap();
            // A page holds per-request values (nonces, times); its shape and
            // size are what must match.
            if path.starts_with("/v1/") {
                assert_eq!(text, plain, "{path}");
                assert_eq!(decoded, plain, "{path}");
            } else {
                for page in [&text, &decoded] {
                    assert!(
                        page.contains("<title>") && page.contains("Services"),
                        "{path}"
                    );
                }
            }
            // Pages and answers for one person are never kept by a cache.
            assert_eq!(headers["cache-control"], "no-store", "{path}");
            assert!(headers["vary"]
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding"));
        }
    }
);

/// A site folder as cargo-leptos writes it, with a compressed copy of the
/// wasm as the server writes at start.
fn fake_site() -> std::path::PathBuf {
    use std::io::Write;
    let root = std::env::temp_dir().join(format!("portolan-site-{}", std::process::id()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let wasm = b"\0asm fake bundle ".repeat(4096);
    std::fs::write(pkg.join("portolan.wasm"), &wasm).unwrap();
    std::fs::write(pkg.join("portolan.js"), "export default function () {}").unwrap();
    std::fs::write(pkg.join("portolan.css"), "body { margin: 0 }").unwrap();
    let mut br = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 9, 22);
        writer.write_all(&wasm).unwrap();
    }
    std::fs::write(pkg.join("portolan.wasm.br"), br).unwrap();
    root
}

both_databases!(
    the_bundle_is_served_versioned_for_a_year_and_revalidated_at_its_plain_path,
    |store, _url| {
        let site = fake_site();
        let options = leptos::config::LeptosOptions::builder()
            .output_name("portolan")
            .site_root(site.to_string_lossy().to_string())
            .build();
        let app = portolan::server::router(portolan::server::AppState::new(options, store.clone()));
        let cookie = support::admin_cookie(&store).await;
        let send = |req: Request<Body>| {
            let app = app.clone();
            async move {
                let response = app.oneshot(req).await.unwrap();
                let (status, headers) = (response.status(), response.headers().clone());
                let body = axum::body::to_bytes(response.into_body(), 64 << 20)
                    .await
                    .unwrap();
                (status, headers, body)
            }
        };
        // The page links the stylesheet under the site's version.
        let (status, _, page) = send(
            Request::get("/users-teams")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let page = String::from_utf8(page.to_vec()).unwrap();
        let at = page
            .find("/pkg/portolan.css")
            .expect("the stylesheet is linked");
        let start = page[..at].rfind("href=\"").unwrap() + 6;
        let css = &page[start..at + "/pkg/portolan.css".len()];
        assert!(css.starts_with("/v/") && css.len() > 20, "{css}");

        // Versioned: kept a year, the same file, no session needed.
        let (status, headers, body) = send(Request::get(css).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(&body[..], b"body { margin: 0 }");

        // The wasm goes as the compressed copy beside it, when taken.
        let wasm = css.replace("portolan.css", "portolan.wasm");
        let (status, headers, body) = send(
            Request::get(&wasm)
                .header("accept-encoding", "gzip, br")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-encoding"], "br");
        assert_eq!(
            body.len() as u64,
            std::fs::metadata(site.join("pkg/portolan.wasm.br"))
                .unwrap()
                .len()
        );

        // The plain path: revalidated, and 304 when unchanged.
        let (status, headers, _) = send(
            Request::get("/pkg/portolan.js")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["cache-control"], "no-cache");
        let modified = headers["last-modified"].to_str().unwrap().to_string();
        let (status, _, body) = send(
            Request::get("/pkg/portolan.js")
                .header("if-modified-since", &modified)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_MODIFIED);
        assert!(body.is_empty());

        // Another version of the site is another path.
        std::fs::write(site.join("pkg/portolan.css"), "body { margin: 1px }").unwrap();
        let options = leptos::config::LeptosOptions::builder()
            .output_name("portolan")
            .site_root(site.to_string_lossy().to_string())
            .build();
        let again =
            portolan::server::router(portolan::server::AppState::new(options, store.clone()));
        let response = again
            .oneshot(Request::get(css).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "the old version is gone"
        );
        std::fs::remove_dir_all(&site).unwrap();
    }
);
