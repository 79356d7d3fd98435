//! One harness for every storage and API test: the same test body runs on
//! an embedded SQLite file and on a fresh PostgreSQL database.
//!
//! PostgreSQL comes from `PORTOLAN_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); each test creates its own
//! database and drops it afterwards, even when the test fails. When no
//! PostgreSQL answers, its half of each test is skipped with a loud notice,
//! unless `PORTOLAN_REQUIRE_PG=1`, which turns that into a failure.

#![allow(dead_code)]

use portolan::store::Store;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "portolan_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    )
}

/// The admin URL of the test PostgreSQL server.
pub fn pg_admin_url() -> String {
    std::env::var("PORTOLAN_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

fn pg_required() -> bool {
    std::env::var("PORTOLAN_REQUIRE_PG").as_deref() == Ok("1")
}

/// A database made for one test; `drop_database` removes it.
pub enum TestDb {
    Sqlite { path: std::path::PathBuf },
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite { path } => format!("sqlite://{}", path.display()),
            TestDb::Postgres { admin_url, name } => {
                // Replace the database name at the end of the admin URL.
                let base = admin_url.split('?').next().unwrap_or(admin_url);
                let cut = base.rfind('/').unwrap_or(base.len());
                format!("{}/{}", &base[..cut], name)
            }
        }
    }

    pub async fn drop_database(&self) {
        match self {
            TestDb::Sqlite { path } => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{}", path.display(), suffix));
                }
            }
            TestDb::Postgres { admin_url, name } => {
                if let Ok(admin) = Store::connect(admin_url).await {
                    if let Store::Postgres(pool) = &admin {
                        let _ = sqlx::query(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .execute(pool)
                        .await;
                    }
                    admin.close().await;
                }
            }
        }
    }
}

/// A fresh, empty SQLite database file.
pub fn sqlite_db() -> TestDb {
    TestDb::Sqlite {
        path: std::env::temp_dir().join(format!("{}.db", unique_name())),
    }
}

/// A fresh PostgreSQL database, or `None` (after a loud notice) when no
/// PostgreSQL answers and it is not required.
pub async fn postgres_db() -> Option<TestDb> {
    let admin_url = pg_admin_url();
    let admin = match Store::connect(&admin_url).await {
        Ok(store) => store,
        Err(e) => {
            if pg_required() {
                panic!("PORTOLAN_REQUIRE_PG=1 but PostgreSQL does not answer: {e}");
            }
            eprintln!(
                "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
                 !!! SKIPPING the PostgreSQL half of this test: {e}\n\
                 !!! Start PostgreSQL or set PORTOLAN_TEST_PG_URL; set PORTOLAN_REQUIRE_PG=1 to fail instead.\n\
                 !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
            );
            return None;
        }
    };
    let name = unique_name();
    if let Store::Postgres(pool) = &admin {
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(pool)
            .await
            .expect("create the test database");
    }
    admin.close().await;
    Some(TestDb::Postgres { admin_url, name })
}

/// Runs `body` against a migrated store on `db`, then drops the database,
/// also when the body panics (the panic is re-raised afterwards).
pub async fn run_on<F, Fut>(db: TestDb, body: F)
where
    F: FnOnce(Store, String) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let url = db.url();
    let outcome = tokio::spawn(async move {
        let store = Store::connect(&url)
            .await
            .expect("connect to the test database");
        store.migrate().await.expect("migrate the test database");
        body(store.clone(), url).await;
        store.close().await;
    })
    .await;
    db.drop_database().await;
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("test task failed: {e}");
    }
}

/// Declares one test that runs its body on SQLite and one on PostgreSQL:
/// `both_databases!(name, |store, url| async move { … });`
#[macro_export]
macro_rules! both_databases {
    ($name:ident, |$store:ident, $url:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::support::run_on($crate::support::sqlite_db(), |$store, $url| async move {
                    let _ = &$url;
                    $body
                })
                .await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::support::postgres_db().await {
                    $crate::support::run_on(db, |$store, $url| async move {
                        let _ = &$url;
                        $body
                    })
                    .await;
                }
            }
        }
    };
}

/// The whole application over `store`, as the server builds it.
pub fn app(store: &Store) -> axum::Router {
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("portolan")
        .site_root("target/site")
        .build();
    portolan::server::router(portolan::server::AppState::new(
        leptos_options,
        store.clone(),
    ))
}

/// Sends one request; answers status, headers and the body as text.
pub async fn send(
    store: &Store,
    req: axum::http::Request<axum::body::Body>,
) -> (axum::http::StatusCode, axum::http::HeaderMap, String) {
    use tower::ServiceExt;
    let response = app(store).oneshot(req).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
        .await
        .unwrap();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

pub const ADMIN_EMAIL: &str = "admin@portolan.test";
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

/// `Authorization` value of a fresh admin machine token.
pub async fn admin_bearer(store: &Store) -> String {
    use portolan::auth::machine;
    machine::ensure_admin_credentials(store, "test-admin", "test-admin-secret-0123456789")
        .await
        .unwrap();
    let token = machine::issue_token(store, "test-admin", "test-admin-secret-0123456789", 600)
        .await
        .unwrap();
    format!("Bearer {token}")
}

/// Posts the login form; answers the status, the `Location` and the
/// session cookie (`name=value`) when one was set.
pub async fn post_login(
    store: &Store,
    email: &str,
    password: &str,
    next: &str,
) -> (
    axum::http::StatusCode,
    Option<String>,
    Option<String>,
    String,
) {
    let form = format!(
        "email={}&password={}&next={}",
        portolan::model::url::encode_component(email),
        portolan::model::url::encode_component(password),
        portolan::model::url::encode_component(next)
    );
    let req = axum::http::Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form))
        .unwrap();
    let (status, headers, body) = send(store, req).await;
    let location = headers
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    let cookie = headers
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
    (status, location, cookie, body)
}

/// A session cookie of the bootstrapped admin.
pub async fn admin_cookie(store: &Store) -> String {
    portolan::auth::password::bootstrap_admin(store, ADMIN_EMAIL, Some(ADMIN_PASSWORD))
        .await
        .unwrap();
    let (status, _, cookie, body) = post_login(store, ADMIN_EMAIL, ADMIN_PASSWORD, "/").await;
    assert_eq!(status, axum::http::StatusCode::SEE_OTHER, "{body}");
    cookie.expect("a session cookie")
}

/// GET `path` with a session cookie (or none).
pub async fn get_page(
    store: &Store,
    path: &str,
    cookie: Option<&str>,
) -> (axum::http::StatusCode, axum::http::HeaderMap, String) {
    let mut req = axum::http::Request::get(path);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    send(store, req.body(axum::body::Body::empty()).unwrap()).await
}

/// One request to the whole application (pages, API, static files), as a
/// client would send it; answers the status and the JSON body.
pub async fn api_call(
    store: &Store,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<serde_json::Value>,
) -> (axum::http::StatusCode, serde_json::Value) {
    let mut req = axum::http::Request::builder().method(method).uri(path);
    if let Some(auth) = auth {
        req = req.header("authorization", auth);
    }
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let body = body
        .map(|b| axum::body::Body::from(b.to_string()))
        .unwrap_or_else(axum::body::Body::empty);
    let (status, _, text) = send(store, req.body(body).unwrap()).await;
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"));
    (status, json)
}

/// Makes an Active member with a password, signed in: answers their
/// session cookie.
pub async fn member_cookie(store: &Store, email: &str) -> String {
    person_cookie(store, email, portolan::model::UserRole::Member, &[], &[]).await
}

/// Makes an Active person with a password, this role, the blueprints they
/// moderate and their teams (which must exist), signed in: answers their
/// session cookie.
pub async fn person_cookie(
    store: &Store,
    email: &str,
    role: portolan::model::UserRole,
    moderates: &[&str],
    teams: &[&str],
) -> String {
    let now = chrono::Utc::now();
    let user = portolan::model::User {
        email: email.into(),
        first_name: "Test".into(),
        last_name: "Person".into(),
        picture: None,
        role,
        moderated_blueprints: moderates.iter().map(|s| s.to_string()).collect(),
        status: portolan::model::UserStatus::Active,
        teams: vec![],
        created_at: now,
        updated_at: now,
        last_login_at: None,
    };
    store.insert_user(&user).await.unwrap();
    if !teams.is_empty() {
        let change = portolan::store::UserChange {
            teams: Some(teams.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        };
        store.change_user(&user, &change, "test").await.unwrap();
    }
    let hash = portolan::secret::hash_secret(MEMBER_PASSWORD).unwrap();
    store.set_password(email, &hash).await.unwrap();
    let (status, _, cookie, body) = post_login(store, email, MEMBER_PASSWORD, "/").await;
    assert_eq!(status, axum::http::StatusCode::SEE_OTHER, "{body}");
    cookie.expect("a session cookie")
}

/// Moves a session's sign-in and last activity into the past (seconds).
pub async fn age_session(store: &Store, cookie: &str, since_sign_in: i64, since_seen: i64) {
    use portolan::auth::session::{SignIn, SIGN_IN_KEY};
    use std::str::FromStr;
    use tower_sessions::session::Id;
    use tower_sessions::SessionStore;
    let id = Id::from_str(cookie.split_once('=').unwrap().1).unwrap();
    let mut record = store.load(&id).await.unwrap().expect("a stored session");
    let mut sign_in: SignIn = serde_json::from_value(record.data[SIGN_IN_KEY].clone()).unwrap();
    let now = chrono::Utc::now().timestamp();
    sign_in.signed_in_at = now - since_sign_in;
    sign_in.last_seen = now - since_seen;
    record
        .data
        .insert(SIGN_IN_KEY.into(), serde_json::to_value(&sign_in).unwrap());
    store.save(&record).await.unwrap();
}

pub const MEMBER_PASSWORD: &str = "member-password-for-tests";

/// Like `api_call`, with a session cookie instead of a token, as the
/// browser sends it (with the portal's own `Origin`).
pub async fn cookie_call(
    store: &Store,
    method: &str,
    path: &str,
    cookie: &str,
    body: Option<serde_json::Value>,
) -> (axum::http::StatusCode, serde_json::Value) {
    let mut req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("cookie", cookie)
        .header("host", "portal.test")
        .header("origin", "http://portal.test");
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let body = body
        .map(|b| axum::body::Body::from(b.to_string()))
        .unwrap_or_else(axum::body::Body::empty);
    let (status, _, text) = send(store, req.body(body).unwrap()).await;
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"));
    (status, json)
}

/// Calls a server function as the browser's form post does (each value
/// URL-encoded); answers the status and the JSON body (or the text).
pub async fn server_fn_call(
    store: &Store,
    cookie: &str,
    function: &str,
    form: &[(&str, &str)],
) -> (axum::http::StatusCode, serde_json::Value) {
    let body = form
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                portolan::model::url::encode_component(k),
                portolan::model::url::encode_component(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let req = axum::http::Request::post(format!("/api/{function}"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(body))
        .unwrap();
    let (status, _, text) = send(store, req).await;
    let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
    (status, json)
}
