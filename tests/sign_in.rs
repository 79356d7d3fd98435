//! Signing in and out with a password, the login page, the sign-in gate on
//! pages, server functions and the API, session limits, disabled accounts,
//! the admin bootstrap, and SSO team sync in the store; on both databases.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use portolan::auth::password::{bootstrap_admin, AdminBootstrap};
use portolan::model::{TeamProvider, UserStatus};
use portolan::store::{SsoProfile, Store};
use support::{admin_cookie, age_session, get_page, post_login, ADMIN_EMAIL, ADMIN_PASSWORD};

const DAY: i64 = 86400;

both_databases!(the_portal_needs_a_sign_in, |store, _url| {
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    // Pages send the browser to the login page, and back afterwards.
    let (status, headers, _) = get_page(&store, "/catalog/services?q=cart", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers["location"],
        "/login?next=%2Fcatalog%2Fservices%3Fq%3Dcart"
    );
    // Server functions and the API answer 401 with a reason.
    let req = Request::post("/api/get_sidebar")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = support::send(&store, req).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("sign in"), "{body}");
    let (status, json) = support::api_call(&store, "GET", "/v1/blueprints", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(json["ok"], false);
    assert_eq!(json["error"], "unauthorized");

    // The login page is a plain form that works without scripts.
    let (status, _, html) = get_page(&store, "/login?next=%2Fbuilder", None).await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        r#"<form class="login-form" method="post" action="/login">"#,
        r#"name="email""#,
        r#"name="password""#,
        r#"name="next" value="/builder""#,
    ] {
        assert!(html.contains(needle), "{needle} in {html}");
    }
    // Static files and health stay public.
    let (status, _, _) = get_page(&store, "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
});

both_databases!(passwords_sign_in_and_out, |store, _url| {
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    bootstrap_admin(&store, ADMIN_EMAIL, Some(ADMIN_PASSWORD))
        .await
        .unwrap();

    // Wrong password and unknown account: the same 401 and message.
    let (status, _, cookie, html) = post_login(&store, ADMIN_EMAIL, "not-the-password", "/").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(cookie.is_none());
    assert!(html.contains("Wrong e-mail or password."));
    assert!(
        html.contains(&format!(r#"value="{ADMIN_EMAIL}""#)),
        "e-mail kept"
    );
    let (status, _, _, html2) =
        post_login(&store, "nobody@example.com", "whatever-else", "/").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html2.contains("Wrong e-mail or password."));

    // The right one: a session cookie and a redirect to where they wanted to go.
    let (status, location, cookie, _) = post_login(
        &store,
        "Admin@Portolan.Test",
        ADMIN_PASSWORD,
        "/catalog/services",
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/catalog/services"));
    let cookie = cookie.unwrap();
    let (status, _, html) = get_page(&store, "/catalog/services", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Showing 1–50 of 80"));
    // The same session works for the API too (the UI's own calls).
    let req = Request::get("/v1/blueprints")
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let (status, _, _) = support::send(&store, req).await;
    assert_eq!(status, StatusCode::OK);
    // And the user menu knows who is signed in.
    let req = Request::post("/api/get_subject")
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = support::send(&store, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains(ADMIN_EMAIL) && body.contains("Admin"),
        "{body}"
    );
    // Another site is never where sign-in leads.
    let (_, location, _, _) =
        post_login(&store, ADMIN_EMAIL, ADMIN_PASSWORD, "//evil.example/").await;
    assert_eq!(location.as_deref(), Some("/"));

    // Signing out deletes the session: the old cookie no longer opens pages.
    let req = Request::post("/logout")
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = support::send(&store, req).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/login?signed_out=1");
    let (status, _, _) = get_page(&store, "/catalog/services", Some(&cookie)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
});

both_databases!(guessing_is_rate_limited_per_account, |store, _url| {
    bootstrap_admin(&store, ADMIN_EMAIL, Some(ADMIN_PASSWORD))
        .await
        .unwrap();
    // One application (one limiter), as one server process would have.
    let app = support::app(&store);
    let attempt = |password: &'static str| {
        let app = app.clone();
        async move {
            use tower::ServiceExt;
            let form = format!("email={ADMIN_EMAIL}&password={password}&next=/");
            let req = Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .unwrap();
            app.oneshot(req).await.unwrap().status()
        }
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong-password").await, StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now.
    assert_eq!(attempt(ADMIN_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
});

both_databases!(sessions_end_when_idle_too_old_or_disabled, |store, _url| {
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    let cookie = admin_cookie(&store).await;

    // Used 2 days 23:59 ago (signed in 5 days ago): still signed in.
    age_session(&store, &cookie, 5 * DAY, 3 * DAY - 60).await;
    let (status, _, _) = get_page(&store, "/", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);

    // Three days without activity: sent to the login page, told why.
    age_session(&store, &cookie, 3 * DAY, 3 * DAY).await;
    let (status, headers, _) = get_page(&store, "/builder", Some(&cookie)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/login?next=%2Fbuilder&ended=idle");
    let (_, _, html) = get_page(&store, "/login?next=%2Fbuilder&ended=idle", None).await;
    assert!(html.contains("period without activity"));
    // …and the session is gone for good, not only refused once.
    let (status, _, _) = get_page(&store, "/", Some(&cookie)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Seven days after sign-in, however active: server functions get 401.
    let cookie = admin_cookie(&store).await;
    age_session(&store, &cookie, 7 * DAY, 10).await;
    let req = Request::post("/api/get_sidebar")
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = support::send(&store, req).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("maximum length"), "{body}");

    // A disabled account loses its session at its next request.
    let cookie = admin_cookie(&store).await;
    assert!(store
        .set_user_status(ADMIN_EMAIL, UserStatus::Disabled)
        .await
        .unwrap());
    let req = Request::get("/v1/blueprints")
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = support::send(&store, req).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("disabled"), "{body}");
    // And cannot sign in again: told so only with the right password.
    let (status, _, _, html) = post_login(&store, ADMIN_EMAIL, ADMIN_PASSWORD, "/").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("disabled"));
});

both_databases!(the_first_start_makes_an_admin, |store, _url| {
    // No password configured: one is generated, once.
    let AdminBootstrap::Generated { email, password } =
        bootstrap_admin(&store, "root@example.com", None)
            .await
            .unwrap()
    else {
        panic!("expected a generated password")
    };
    assert_eq!(email, "root@example.com");
    let (status, _, _, _) = post_login(&store, &email, &password, "/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        bootstrap_admin(&store, "root@example.com", None)
            .await
            .unwrap(),
        AdminBootstrap::Exists
    );
    // A configured password replaces it (the reset path).
    bootstrap_admin(&store, "root@example.com", Some("a-new-admin-password"))
        .await
        .unwrap();
    let (status, _, _, _) = post_login(&store, &email, &password, "/").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _, _) = post_login(&store, &email, "a-new-admin-password", "/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let err = bootstrap_admin(&store, "root@example.com", Some("short"))
        .await
        .unwrap_err();
    assert!(err.message().contains("at least 10"));
});

both_databases!(sso_sign_in_syncs_teams_from_groups, |store, _url| {
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    let native = store.list_teams().await.unwrap()[0].name.clone();
    let mut profile = SsoProfile {
        email: "sam@example.com".into(),
        first_name: "Sam".into(),
        last_name: "Sso".into(),
        picture: None,
        groups: vec!["sso-platform".into(), "sso-payments".into(), native.clone()],
    };
    let skipped = store.sso_sign_in(&profile, true).await.unwrap();
    assert_eq!(
        skipped,
        vec![native.clone()],
        "a Portolan team is not taken over"
    );
    let user = store.get_user("sam@example.com").await.unwrap().unwrap();
    assert_eq!(user.status, UserStatus::Active);
    assert_eq!(user.teams, vec!["sso-payments", "sso-platform"]);
    let teams = store.list_teams().await.unwrap();
    let platform = teams.iter().find(|t| t.name == "sso-platform").unwrap();
    assert_eq!(platform.provider, TeamProvider::Sso);

    // The next sign-in replaces the SSO memberships; Portolan teams stay.
    store
        .insert_team(&portolan::model::Team {
            name: "hand-made".into(),
            description: None,
            provider: TeamProvider::Native,
            users: vec!["sam@example.com".into()],
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    profile.groups = vec!["sso-platform".into(), "sso-security".into()];
    profile.first_name = String::new();
    store.sso_sign_in(&profile, false).await.unwrap();
    let user = store.get_user("sam@example.com").await.unwrap().unwrap();
    assert_eq!(
        user.teams,
        vec!["hand-made", "sso-platform", "sso-security"]
    );
    assert_eq!(
        user.first_name, "Sam",
        "an empty claim keeps the stored name"
    );
    assert!(user.last_login_at.is_some());
});

/// Posts a form to `path` with an optional cookie; answers status, headers, body.
async fn post_form(
    store: &Store,
    path: &str,
    form: &str,
    cookie: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    support::send(store, req.body(Body::from(form.to_string())).unwrap()).await
}

both_databases!(
    invitations_are_one_time_links_to_set_a_password,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let body = serde_json::json!({"invitee": {"email": "New.Person@Example.com", "roles": ["Member"]}});
        let (status, json) =
            support::api_call(&store, "POST", "/v1/users/invite", None, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{json}");

        let admin = support::admin_bearer(&store).await;
        let (status, json) = support::api_call(
            &store,
            "POST",
            "/v1/users/invite",
            Some(&admin),
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(json["ok"], true);
        assert_eq!(json["invitation"]["email"], "new.person@example.com");
        let link = json["invitation"]["link"].as_str().unwrap().to_string();
        assert!(link.starts_with("/invite/") && link.len() > 60, "{link}");
        let invited = store
            .get_user("new.person@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(invited.status, UserStatus::Invited);
        // An invited user cannot sign in yet.
        let (status, _, _, _) =
            post_login(&store, "new.person@example.com", "anything-at-all", "/").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // The link shows a form for that e-mail; bad passwords keep the form.
        let (status, _, html) = get_page(&store, &link, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("new.person@example.com") && html.contains(r#"name="password""#));
        let (status, _, html) = post_form(
            &store,
            &link,
            "first_name=New&last_name=Person&password=short&confirm=short",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("at least 10 characters") && html.contains(r#"value="New""#));
        let (status, _, html) = post_form(
            &store,
            &link,
            "first_name=New&last_name=Person&password=long-enough-1&confirm=long-enough-2",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("differ"));

        // A good one activates the account and signs the person in.
        let (status, headers, _) = post_form(
            &store,
            &link,
            "first_name=New&last_name=Person&password=long-enough-1&confirm=long-enough-1",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let cookie = headers["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let (status, _, _) = get_page(&store, "/", Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK);
        let user = store
            .get_user("new.person@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (user.status, user.full_name().as_str()),
            (UserStatus::Active, "New Person")
        );

        // The link worked once.
        let (status, _, html) = get_page(&store, &link, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("already used"));
        // An account that exists is not invited again; a member may not invite.
        let (status, json) =
            support::api_call(&store, "POST", "/v1/users/invite", Some(&admin), Some(body)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{json}");
        let req = Request::post("/v1/users/invite")
            .header("cookie", &cookie)
            .header("content-type", "application/json")
            .body(Body::from(r#"{"invitee": {"email": "x@example.com"}}"#))
            .unwrap();
        let (status, _, body) = support::send(&store, req).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(body.contains("only an admin"));
    }
);
