//! Machine credentials → access token → API call, on both databases.

mod support;

use axum::http::StatusCode;
use portolan::auth::machine;
use portolan::model::AppError;
use portolan::store::Store;
use serde_json::{json, Value};

const ID: &str = "bootstrap-admin";
const SECRET: &str = "a-long-enough-test-secret";

async fn call(
    store: &Store,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    support::api_call(store, method, path, auth, body).await
}

both_databases!(
    credentials_give_tokens_that_the_api_accepts,
    |store, _url| {
        machine::ensure_admin_credentials(&store, ID, SECRET)
            .await
            .unwrap();
        // Running the bootstrap again keeps the same credentials working.
        machine::ensure_admin_credentials(&store, ID, SECRET)
            .await
            .unwrap();

        let (status, json) = call(
            &store,
            "POST",
            "/v1/auth/access_token",
            None,
            Some(json!({"clientId": ID, "clientSecret": SECRET})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(json["ok"], true);
        assert_eq!(json["tokenType"], "Bearer");
        assert_eq!(json["expiresIn"], 10800);
        let token = json["accessToken"].as_str().unwrap().to_string();
        assert_eq!(token.len(), 64);

        let (status, json) = call(
            &store,
            "GET",
            "/v1/blueprints",
            Some(&format!("Bearer {token}")),
            None,
        )
        .await;
        assert_eq!((status, json["ok"].clone()), (StatusCode::OK, json!(true)));
        // Ocean sends `<tokenType> <accessToken>`; the scheme is case-insensitive.
        let (status, _) = call(
            &store,
            "GET",
            "/v1/blueprints",
            Some(&format!("bearer {token}")),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
);

both_databases!(bad_credentials_and_tokens_get_401, |store, _url| {
    machine::ensure_admin_credentials(&store, ID, SECRET)
        .await
        .unwrap();
    for body in [
        json!({"clientId": ID, "clientSecret": "wrong-secret-wrong-secret"}),
        json!({"clientId": "nobody", "clientSecret": SECRET}),
    ] {
        let (status, json) = call(&store, "POST", "/v1/auth/access_token", None, Some(body)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // One message: it does not say which part was wrong.
        assert_eq!(
            json,
            json!({"ok": false, "error": "unauthorized", "message": "invalid client id or client secret"})
        );
    }
    let (status, _) = call(
        &store,
        "POST",
        "/v1/auth/access_token",
        None,
        Some(json!({"clientId": ID})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    for auth in ["Bearer 0000", "Basic abc", "Bearer ", "Token x y"] {
        let (status, json) = call(&store, "GET", "/v1/blueprints", Some(auth), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth}");
        assert_eq!(json["error"], "unauthorized");
    }

    // An expired token is refused, and swept by the cleanup.
    let expired = machine::issue_token(&store, ID, SECRET, -1).await.unwrap();
    let (status, json) = call(
        &store,
        "GET",
        "/v1/blueprints",
        Some(&format!("Bearer {expired}")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(json["message"].as_str().unwrap().contains("expired"));
    assert_eq!(
        store
            .delete_expired_tokens(chrono::Utc::now().timestamp())
            .await
            .unwrap(),
        1
    );

    // Changing the configured secret: the old one stops working.
    let live = machine::issue_token(&store, ID, SECRET, 60).await.unwrap();
    machine::ensure_admin_credentials(&store, ID, "a-different-long-secret")
        .await
        .unwrap();
    assert!(matches!(
        machine::issue_token(&store, ID, SECRET, 60).await,
        Err(AppError::Unauthorized(_))
    ));
    assert!(
        machine::issue_token(&store, ID, "a-different-long-secret", 60)
            .await
            .is_ok()
    );
    // Tokens issued for the old secret end with it (a changed secret is a
    // rotation, usually because the old one leaked).
    assert!(matches!(
        machine::verify_token(&store, &live).await,
        Err(AppError::Unauthorized(_))
    ));

    // Weak bootstrap secrets are refused with a reason.
    match machine::ensure_admin_credentials(&store, ID, "short").await {
        Err(AppError::Invalid(m)) => assert!(m.contains("16 characters")),
        other => panic!("{other:?}"),
    }
});
