//! Users, teams and personal credentials through the REST API, and the
//! same-origin check on browser mutations; each test on SQLite and
//! PostgreSQL.

mod support;

use axum::http::StatusCode;
use portolan::services::demo;
use portolan::store::SsoProfile;
use serde_json::json;
use support::{
    admin_bearer, admin_cookie, api_call, cookie_call, member_cookie, send, ADMIN_EMAIL,
};

both_databases!(teams_are_created_read_edited_and_deleted, |store, _url| {
    let admin = admin_bearer(&store).await;
    let auth = Some(admin.as_str());
    admin_cookie(&store).await; // the admin user, to be a member
    let (status, body) = api_call(
        &store,
        "POST",
        "/v1/teams",
        auth,
        Some(json!({"name": "release-crew", "description": "Ships it", "users": [ADMIN_EMAIL]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["ok"], true);
    assert_eq!(body["team"]["provider"], "Port");
    assert_eq!(body["team"]["users"][0]["email"], ADMIN_EMAIL);
    assert_eq!(body["team"]["users"][0]["firstName"], "Portal");

    let (status, body) = api_call(
        &store,
        "POST",
        "/v1/teams",
        auth,
        Some(json!({"name": "release-crew"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("taken"),
        "{body}"
    );
    let (status, body) = api_call(
        &store,
        "POST",
        "/v1/teams",
        auth,
        Some(json!({"name": "a/b"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["message"].as_str().unwrap().contains("`/`"), "{body}");
    let (status, body) = api_call(
        &store,
        "POST",
        "/v1/teams",
        auth,
        Some(json!({"name": "ghosts", "users": ["nobody@example.com"]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("nobody@example.com"),
        "{body}"
    );

    // PATCH changes what it names; PUT replaces (members left out: none).
    let (status, body) = api_call(
        &store,
        "PATCH",
        "/v1/teams/release-crew",
        auth,
        Some(json!({"description": "Ships it weekly"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["team"]["description"], "Ships it weekly");
    assert_eq!(body["team"]["users"].as_array().unwrap().len(), 1);
    let (status, body) = api_call(
        &store,
        "PUT",
        "/v1/teams/release-crew",
        auth,
        Some(json!({"name": "release-crew", "description": null})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["team"]["users"], json!([]));
    assert_eq!(body["team"]["description"], serde_json::Value::Null);
    let (status, body) = api_call(&store, "GET", "/v1/teams", auth, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["teams"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["name"] == "release-crew"));

    let (status, body) = api_call(&store, "DELETE", "/v1/teams/release-crew", auth, None).await;
    assert_eq!(
        (status, body["ok"].clone()),
        (StatusCode::OK, json!(true)),
        "{body}"
    );
    let (status, body) = api_call(&store, "GET", "/v1/teams/release-crew", auth, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
});

both_databases!(teams_that_own_entities_are_not_deleted, |store, _url| {
    demo::seed_if_empty(&store).await.unwrap();
    let admin = admin_bearer(&store).await;
    let (status, body) = api_call(&store, "DELETE", "/v1/teams/payments", Some(&admin), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("owns") && message.contains("entities"),
        "{message}"
    );
    let (status, _) = api_call(&store, "GET", "/v1/teams/payments", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
});

both_databases!(
    sso_teams_keep_the_identity_providers_members,
    |store, _url| {
        let admin = admin_bearer(&store).await;
        let auth = Some(admin.as_str());
        let profile = SsoProfile {
            email: "sso.person@example.com".into(),
            first_name: "Sso".into(),
            last_name: "Person".into(),
            picture: None,
            groups: vec!["idp-platform".into()],
        };
        store.sso_sign_in(&profile, true).await.unwrap();
        let (status, body) = api_call(&store, "GET", "/v1/teams/idp-platform", auth, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["team"]["provider"], "SSO");

        // Members: refused, naming the identity provider; the description is ours.
        let (status, body) = api_call(
            &store,
            "PATCH",
            "/v1/teams/idp-platform",
            auth,
            Some(json!({"users": []})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains("synced from the identity provider"),
            "{message}"
        );
        let (status, _) = api_call(
            &store,
            "PATCH",
            "/v1/teams/idp-platform",
            auth,
            Some(json!({"description": "Platform engineers", "users": ["sso.person@example.com"]})),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "writing the same members back is no change"
        );
        let (status, body) = api_call(&store, "DELETE", "/v1/teams/idp-platform", auth, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        // Nor through the user: leaving the SSO team is refused.
        let (status, body) = api_call(
            &store,
            "PATCH",
            "/v1/users/sso.person@example.com",
            auth,
            Some(json!({"teams": []})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (_, body) = api_call(&store, "GET", "/v1/teams/idp-platform", auth, None).await;
        assert_eq!(body["team"]["users"][0]["email"], "sso.person@example.com");
    }
);

both_databases!(users_are_read_and_edited_by_admins_only, |store, _url| {
    demo::seed_if_empty(&store).await.unwrap();
    let admin_session = admin_cookie(&store).await;
    let member = member_cookie(&store, "member@example.com").await;

    let (status, body) = cookie_call(&store, "GET", "/v1/users", &member, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let admin = body["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == ADMIN_EMAIL)
        .unwrap()
        .clone();
    assert_eq!(admin["roles"], json!([{"name": "Admin"}]));
    assert_eq!(admin["status"], "Active");
    let (status, body) =
        cookie_call(&store, "GET", "/v1/users/nobody@example.com", &member, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );

    // A member may not edit anyone.
    let (status, body) = cookie_call(
        &store,
        "PATCH",
        "/v1/users/member@example.com",
        &member,
        Some(json!({"roles": ["Admin"]})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // An admin: roles in Port's strings, teams, bad values named.
    let (status, body) = cookie_call(
        &store,
        "PATCH",
        "/v1/users/member@example.com",
        &admin_session,
        Some(json!({"roles": ["Member", "service-moderator"], "teams": ["payments"]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["user"]["roles"],
        json!([{"name": "Member"}, {"name": "service-moderator"}])
    );
    assert_eq!(body["user"]["teams"], json!(["payments"]));
    for (patch, needle) in [
        (json!({"roles": []}), "at least one role"),
        (json!({"roles": ["Owner"]}), "`Owner`"),
        (json!({"roles": ["ghost-moderator"]}), "`ghost`"),
        (json!({"teams": ["no-such-team"]}), "`no-such-team`"),
        (json!({"status": "Invited"}), "`Invited`"),
    ] {
        let (status, body) = cookie_call(
            &store,
            "PATCH",
            "/v1/users/member@example.com",
            &admin_session,
            Some(patch),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["message"].as_str().unwrap().contains(needle), "{body}");
    }

    // The last admin stays an admin, and nobody disables themselves.
    let (status, body) = cookie_call(
        &store,
        "PATCH",
        "/v1/users/admin@portolan.dev",
        &admin_session,
        Some(json!({"roles": ["Member"]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "another admin remained: {body}");
    let path = format!("/v1/users/{ADMIN_EMAIL}");
    let (status, body) = cookie_call(
        &store,
        "PATCH",
        &path,
        &admin_session,
        Some(json!({"roles": ["Member"]})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("only active admin"),
        "{body}"
    );
    let (status, _) = cookie_call(
        &store,
        "PATCH",
        &path,
        &admin_session,
        Some(json!({"status": "Disabled"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Disabling someone ends their session at their next request.
    let (status, body) = cookie_call(
        &store,
        "PATCH",
        "/v1/users/member@example.com",
        &admin_session,
        Some(json!({"status": "Disabled"})),
    )
    .await;
    assert_eq!(
        (status, body["user"]["status"].as_str()),
        (StatusCode::OK, Some("Disabled")),
        "{body}"
    );
    let (status, _) = cookie_call(&store, "GET", "/v1/users", &member, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, body) = cookie_call(
        &store,
        "DELETE",
        "/v1/users/member@example.com",
        &admin_session,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = cookie_call(
        &store,
        "GET",
        "/v1/users/member@example.com",
        &admin_session,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
});

both_databases!(personal_credentials_act_as_their_owner, |store, _url| {
    demo::seed_if_empty(&store).await.unwrap();
    let admin_session = admin_cookie(&store).await;
    let member = member_cookie(&store, "dev@example.com").await;

    // Someone else's: refused. One's own: made, secret shown once.
    let (status, _) = cookie_call(
        &store,
        "POST",
        &format!("/v1/rotate-credentials/{ADMIN_EMAIL}"),
        &member,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = cookie_call(
        &store,
        "POST",
        "/v1/rotate-credentials/dev@example.com",
        &member,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let client_id = body["credentials"]["clientId"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = body["credentials"]["clientSecret"]
        .as_str()
        .unwrap()
        .to_string();

    let token = |secret: String| {
        let store = store.clone();
        let client_id = client_id.clone();
        async move {
            api_call(
                &store,
                "POST",
                "/v1/auth/access_token",
                None,
                Some(json!({"clientId": client_id, "clientSecret": secret})),
            )
            .await
        }
    };
    let (status, body) = token(secret.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let bearer = format!("Bearer {}", body["accessToken"].as_str().unwrap());
    // It reads as the member, and writes as the member (refused: members
    // do not write the catalog).
    let (status, _) = api_call(&store, "GET", "/v1/users", Some(&bearer), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = api_call(
        &store,
        "POST",
        "/v1/teams",
        Some(&bearer),
        Some(json!({"name": "by-token"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // An admin rotates it: same client id, the old secret and token die.
    let (status, body) = cookie_call(
        &store,
        "POST",
        "/v1/rotate-credentials/dev@example.com",
        &admin_session,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["credentials"]["clientId"], client_id.as_str());
    let new_secret = body["credentials"]["clientSecret"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new_secret, secret);
    let (status, _) = api_call(&store, "GET", "/v1/users", Some(&bearer), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = token(secret).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Disabling the owner stops their tokens at once.
    let (_, body) = token(new_secret).await;
    let bearer = format!("Bearer {}", body["accessToken"].as_str().unwrap());
    cookie_call(
        &store,
        "PATCH",
        "/v1/users/dev@example.com",
        &admin_session,
        Some(json!({"status": "Disabled"})),
    )
    .await;
    let (status, body) = api_call(&store, "GET", "/v1/users", Some(&bearer), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        body["message"].as_str().unwrap().contains("disabled"),
        "{body}"
    );
});

both_databases!(cross_site_browser_writes_are_refused, |store, _url| {
    let cookie = admin_cookie(&store).await;
    let post = |origin: Option<&'static str>, path: &'static str| {
        let mut req = axum::http::Request::post(path)
            .header("cookie", &cookie)
            .header("host", "portal.test")
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            req = req.header("origin", origin);
        }
        req.body(axum::body::Body::from("name=forged")).unwrap()
    };
    let (status, _, body) = send(
        &store,
        post(Some("https://evil.example"), "/api/create_team"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("https://evil.example"), "{body}");
    let (status, _, body) = send(&store, post(Some("https://evil.example"), "/logout")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // From the portal itself it goes through (and signs out).
    let (status, _, _) = send(&store, post(Some("http://portal.test"), "/logout")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
});
