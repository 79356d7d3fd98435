//! The classes of hole an outside probe found, kept found: writes that
//! answered entities the writer may not read, moderators making pages for
//! everyone, members reading the organization's audit rows, queries so
//! large the database failed with a 500, bare errors outside Port's
//! envelope, unlimited token guessing, sessions that outlived a disabled
//! account, open redirects after sign-in, weak passwords, and private
//! answers that caches could keep. Each test on SQLite and PostgreSQL.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use portolan::model::UserRole;
use portolan::store::Store;
use serde_json::{json, Value};
use support::{admin_bearer, api_call, cookie_call, person_cookie, post_login, send};

async fn ok(store: &Store, bearer: &str, method: &str, path: &str, body: Value) {
    let (status, reply) = api_call(store, method, path, Some(bearer), Some(body)).await;
    assert!(
        status.is_success(),
        "setup {method} {path}: {status} {reply}"
    );
}

/// `deployment`: read by admins and the owning team only; every member
/// may update its `version` (a field-level grant, which grants no read).
async fn deployments(store: &Store, bearer: &str) {
    for team in ["payments", "search"] {
        ok(store, bearer, "POST", "/v1/teams", json!({"name": team})).await;
    }
    ok(
        store,
        bearer,
        "POST",
        "/v1/blueprints",
        json!({
        "identifier": "deployment", "title": "Deployment",
        "schema": {"properties": {"version": {"type": "string"}, "secret": {"type": "string"}}}}),
    )
    .await;
    ok(
        store,
        bearer,
        "PATCH",
        "/v1/blueprints/deployment/permissions",
        json!({"entities": {
        "read": {"roles": ["Admin"], "ownedByTeam": true},
        "updateProperties": {"version": {"roles": ["Admin", "Member"]}}}}),
    )
    .await;
    ok(
        store,
        bearer,
        "POST",
        "/v1/blueprints/deployment/entities",
        json!({
        "identifier": "pay-prod", "title": "Payments prod", "team": ["payments"],
        "properties": {"version": "1.0", "secret": "only-for-payments"}}),
    )
    .await;
}

both_databases!(
    writes_answer_only_what_the_writer_may_read,
    |store, _url| {
        let bearer = admin_bearer(&store).await;
        deployments(&store, &bearer).await;
        let outsider =
            person_cookie(&store, "out@sec.test", UserRole::Member, &[], &["search"]).await;
        let owner =
            person_cookie(&store, "own@sec.test", UserRole::Member, &[], &["payments"]).await;
        let path = "/v1/blueprints/deployment/entities/pay-prod";

        let (status, _) = cookie_call(&store, "GET", path, &outsider, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The probe's PATCH, PUT and DELETE: answered as for a missing entity.
        let (status, missing) = cookie_call(
            &store,
            "PATCH",
            "/v1/blueprints/deployment/entities/no-such",
            &outsider,
            Some(json!({"properties": {}})),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        for method in ["PATCH", "PUT"] {
            let (status, reply) = cookie_call(
                &store,
                method,
                path,
                &outsider,
                Some(json!({"properties": {"version": "2.0"}})),
            )
            .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method}: {reply}");
            assert_eq!(
                reply["message"]
                    .as_str()
                    .unwrap()
                    .replace("pay-prod", "no-such"),
                missing["message"],
                "{method}"
            );
            assert!(!reply.to_string().contains("only-for-payments"), "{reply}");
        }
        let (status, reply) = cookie_call(&store, "DELETE", path, &outsider, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{reply}");
        // Upserts, merged or not, and creates: the identifier is taken, nothing more.
        for query in [
            "?upsert=true&merge=true",
            "?upsert=true",
            "",
            "?upsert=true&validation_only=true",
        ] {
            let (status, reply) = cookie_call(
                &store,
                "POST",
                &format!("/v1/blueprints/deployment/entities{query}"),
                &outsider,
                Some(json!({"identifier": "pay-prod", "properties": {}})),
            )
            .await;
            assert_eq!(status, StatusCode::CONFLICT, "{query}: {reply}");
            assert!(reply.get("entity").is_none(), "{reply}");
            assert!(!reply.to_string().contains("only-for-payments"), "{reply}");
        }
        let (status, reply) = cookie_call(
            &store,
            "POST",
            "/v1/blueprints/deployment/entities/bulk?upsert=true&merge=true",
            &outsider,
            Some(json!({"entities": [{"identifier": "pay-prod", "properties": {"version": "3"}}]})),
        )
        .await;
        assert_eq!(status, StatusCode::MULTI_STATUS, "{reply}");
        assert_eq!(reply["errors"][0]["statusCode"], 409);

        // Nothing was written.
        let stored = store
            .get_entity("deployment", "pay-prod")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.properties["version"], "1.0");
        assert_eq!(stored.version, 1);
        // A member of the owning team reads it, and its grant lets them write.
        let (status, reply) = cookie_call(
            &store,
            "PATCH",
            path,
            &owner,
            Some(json!({"properties": {"version": "2.0"}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert_eq!(reply["entity"]["properties"]["version"], "2.0");
    }
);

both_databases!(page_creation_and_audience_are_for_admins, |store, _url| {
    let bearer = admin_bearer(&store).await;
    ok(
        &store,
        &bearer,
        "POST",
        "/v1/blueprints",
        json!({
        "identifier": "cluster", "title": "Cluster", "schema": {"properties": {}}}),
    )
    .await;
    let moderator = person_cookie(
        &store,
        "mod@sec.test",
        UserRole::Moderator,
        &["cluster"],
        &[],
    )
    .await;
    let create = |body: Value| {
        let store = store.clone();
        let moderator = moderator.clone();
        async move { cookie_call(&store, "POST", "/v1/pages", &moderator, Some(body)).await }
    };
    // A dashboard that names the moderator's blueprint: refused.
    let (status, reply) = create(json!({"identifier": "mod-dash", "title": "Mine",
        "type": "dashboard", "blueprint": "cluster"}))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{reply}");
    assert!(
        reply["message"].as_str().unwrap().contains("dashboard"),
        "{reply}"
    );
    // A catalog page with an audience of its own: refused.
    let (status, reply) = create(json!({"identifier": "mod-page", "title": "Mine",
        "type": "blueprint-entities", "blueprint": "cluster",
        "permissions": {"read": {"roles": [], "users": ["mod@sec.test"], "teams": []}}}))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{reply}");
    assert!(
        reply["message"].as_str().unwrap().contains("who sees"),
        "{reply}"
    );
    // The same page for everyone: theirs to make.
    let (status, reply) = create(json!({"identifier": "mod-page", "title": "Mine",
        "type": "blueprint-entities", "blueprint": "cluster"}))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert!(store.get_page("mod-dash").await.unwrap().is_none());
    // Admins make both.
    let (status, reply) = api_call(&store, "POST", "/v1/pages", Some(&bearer),
        Some(json!({"identifier": "admin-dash", "title": "Ops", "type": "dashboard", "blueprint": "cluster"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    // A page's initial filter is shown to those who may change it only.
    let (status, reply) = api_call(&store, "POST", "/v1/pages", Some(&bearer), Some(json!({
        "identifier": "big-clusters", "title": "Big", "type": "blueprint-entities", "blueprint": "cluster",
        "dataset": {"combinator": "and", "rules": [{"property": "$title", "operator": "contains", "value": "secret-word"}]}}))).await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let member = person_cookie(&store, "member@sec.test", UserRole::Member, &[], &[]).await;
    for path in ["/v1/pages/big-clusters", "/v1/pages"] {
        let (status, reply) = cookie_call(&store, "GET", path, &member, None).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert!(
            !reply.to_string().contains("secret-word"),
            "{path}: {reply}"
        );
        let (_, reply) = cookie_call(&store, "GET", path, &moderator, None).await;
        assert!(reply.to_string().contains("secret-word"), "{path}: {reply}");
    }
    // And a moderator cannot delete an admin's dashboard over their blueprint.
    let (status, reply) =
        cookie_call(&store, "DELETE", "/v1/pages/admin-dash", &moderator, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{reply}");
});

both_databases!(
    members_read_entity_history_and_their_own_refusals_only,
    |store, _url| {
        let bearer = admin_bearer(&store).await;
        ok(
            &store,
            &bearer,
            "POST",
            "/v1/blueprints",
            json!({
        "identifier": "service", "title": "Service",
        "schema": {"properties": {"tier": {"type": "string"}}}}),
        )
        .await;
        ok(
            &store,
            &bearer,
            "PATCH",
            "/v1/blueprints/service/permissions",
            json!({"entities": {"update": {"roles": ["Admin"]}}}),
        )
        .await;
        // An entity named like its blueprint, so the probe's filter matches both.
        ok(
            &store,
            &bearer,
            "POST",
            "/v1/blueprints/service/entities",
            json!({"identifier": "service", "properties": {"tier": "gold"}}),
        )
        .await;
        let alice = person_cookie(&store, "alice@sec.test", UserRole::Member, &[], &[]).await;
        let bob = person_cookie(&store, "bob@sec.test", UserRole::Member, &[], &[]).await;
        for who in [&alice, &bob] {
            let (status, _) = cookie_call(
                &store,
                "PATCH",
                "/v1/blueprints/service/entities/service",
                who,
                Some(json!({"properties": {"tier": "silver"}})),
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let read = |query: &'static str| {
            let store = store.clone();
            let alice = alice.clone();
            async move {
                let (status, reply) = cookie_call(
                    &store,
                    "GET",
                    &format!("/v1/audit-log?{query}"),
                    &alice,
                    None,
                )
                .await;
                assert_eq!(status, StatusCode::OK, "{query}: {reply}");
                reply["audits"].as_array().unwrap().clone()
            }
        };
        let rows = read("blueprint=service&entity=service").await;
        assert!(!rows.is_empty());
        for row in &rows {
            assert_eq!(row["resourceType"], "entity", "{row}");
            if row["status"] == "FAILURE" {
                assert_eq!(row["trigger"]["by"]["userId"], "alice@sec.test", "{row}");
            }
        }
        assert!(
            rows.iter().any(|r| r["status"] == "FAILURE"),
            "alice sees her own refusal"
        );
        let failures = read("blueprint=service&entity=service&status=FAILURE").await;
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(read("blueprint=service&entity=service&resources=blueprint")
            .await
            .is_empty());
        assert!(
            read("blueprint=service&entity=service&resources=permissions")
                .await
                .is_empty()
        );
        // An admin sees every row: the blueprint's, the permissions', both refusals.
        let (_, reply) = api_call(
            &store,
            "GET",
            "/v1/audit-log?blueprint=service&status=FAILURE",
            Some(&bearer),
            None,
        )
        .await;
        assert_eq!(reply["audits"].as_array().unwrap().len(), 2, "{reply}");
        let (_, reply) = api_call(
            &store,
            "GET",
            "/v1/audit-log?resources=permissions",
            Some(&bearer),
            None,
        )
        .await;
        assert!(!reply["audits"].as_array().unwrap().is_empty());
    }
);

fn rules(count: usize) -> Vec<Value> {
    (0..count)
        .map(|i| json!({"property": "$identifier", "operator": "!=", "value": format!("x-{i}")}))
        .collect()
}

fn values(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("id-{i}")).collect()
}

both_databases!(huge_queries_are_refused_naming_the_limit, |store, _url| {
    use portolan::model::query::{MAX_RULES, MAX_VALUES};
    let bearer = admin_bearer(&store).await;
    ok(&store, &bearer, "POST", "/v1/blueprints", json!({
        "identifier": "svc", "title": "Svc", "schema": {"properties": {"tier": {"type": "string"}}}})).await;
    ok(
        &store,
        &bearer,
        "POST",
        "/v1/blueprints/svc/entities",
        json!({"identifier": "id-7", "properties": {"tier": "gold"}}),
    )
    .await;
    let search = |query: Value| {
        let store = store.clone();
        let bearer = bearer.clone();
        async move {
            let body = json!({"query": query, "limit": 10});
            api_call(
                &store,
                "POST",
                "/v1/blueprints/svc/entities/search",
                Some(&bearer),
                Some(body),
            )
            .await
        }
    };
    // The probe's queries: 422s that name the limit, not 500s.
    for (what, query) in [
        (
            "5,000 AND rules",
            json!({"combinator": "and", "rules": rules(5000)}),
        ),
        (
            "12,000 OR rules",
            json!({"combinator": "or", "rules": rules(12000)}),
        ),
        (
            "70,000 values",
            json!({"combinator": "and", "rules": [
            {"property": "$identifier", "operator": "in", "value": values(70_000)}]}),
        ),
    ] {
        let (status, reply) = search(query).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {reply}");
        let message = reply["message"].as_str().unwrap();
        assert!(
            message.contains(&MAX_RULES.to_string()) || message.contains(&MAX_VALUES.to_string()),
            "{what}: {message}"
        );
    }
    // At the limits the database answers, on both dialects.
    let (status, reply) = search(json!({"combinator": "and", "rules": rules(MAX_RULES)})).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["entities"].as_array().unwrap().len(), 1);
    let mut any = rules(MAX_RULES - 1);
    any.push(json!({"property": "tier", "operator": "=", "value": "gold"}));
    let (status, reply) = search(json!({"combinator": "or", "rules": any})).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let (status, reply) = search(json!({"combinator": "and", "rules": [
        {"property": "$identifier", "operator": "in", "value": values(MAX_VALUES)}]}))
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["entities"].as_array().unwrap().len(), 1);
    // Nested as deep as allowed, 60 rules at each level.
    let mut nested = json!({"combinator": "and", "rules": rules(60)});
    for level in 0..15 {
        let combinator = if level % 2 == 0 { "or" } else { "and" };
        let mut level_rules = rules(59);
        level_rules.insert(0, nested);
        nested = json!({"combinator": combinator, "rules": level_rules});
    }
    let (status, reply) = search(nested.clone()).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    // The same limits hold for every search route.
    let (status, reply) = api_call(
        &store,
        "POST",
        "/v1/entities/search",
        Some(&bearer),
        Some(json!({"combinator": "and", "rules": rules(MAX_RULES + 1)})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    assert!(
        reply["message"].as_str().unwrap().contains("rules[1000]"),
        "{reply}"
    );
});

both_databases!(every_v1_error_is_in_ports_envelope, |store, _url| {
    let bearer = admin_bearer(&store).await;
    for (method, path) in [
        ("PATCH", "/v1/entities/search"),
        ("GET", "/v1/auth/access_token"),
        ("DELETE", "/v1/blueprints"),
    ] {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", &bearer)
            .body(Body::empty())
            .unwrap();
        let (status, headers, text) = send(&store, req).await;
        assert_eq!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {text}"
        );
        let reply: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(reply["ok"], false);
        assert_eq!(reply["error"], "method_not_allowed");
        assert!(
            reply["message"].as_str().unwrap().contains(method),
            "{reply}"
        );
        assert!(headers.contains_key("allow"), "{headers:?}");
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
    }
    let (status, reply) = api_call(&store, "GET", "/v1/no-such-route", Some(&bearer), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(reply["error"], "not_found");
});

both_databases!(token_guessing_is_rate_limited, |store, _url| {
    portolan::auth::machine::ensure_admin_credentials(&store, "ci-bot", "ci-bot-secret-0123456789")
        .await
        .unwrap();
    // One application, as one server process: one limiter.
    let app = support::app(&store);
    let exchange = |client_id: &'static str, secret: &'static str| {
        let app = app.clone();
        async move {
            use tower::ServiceExt;
            let req = Request::post("/v1/auth/access_token")
                .header("content-type", "application/json")
                .body(Body::from(
                    json!({"clientId": client_id, "clientSecret": secret}).to_string(),
                ))
                .unwrap();
            let response = app.oneshot(req).await.unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        }
    };
    let (status, reply) = exchange("ci-bot", "ci-bot-secret-0123456789").await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    // Guesses are counted per address (client ids are not secret, so a
    // count per id would let anyone lock an integration out).
    for i in 0..20 {
        let id: &'static str = if i % 2 == 0 { "ci-bot" } else { "other-id" };
        let (status, _) = exchange(id, "a-guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    // From this address, even the right secret waits now.
    let (status, reply) = exchange("ci-bot", "ci-bot-secret-0123456789").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{reply}");
    assert_eq!(reply["ok"], false);
    assert!(
        reply["message"].as_str().unwrap().contains("try again in"),
        "{reply}"
    );
});

both_databases!(
    a_disabled_account_signs_in_again_once_enabled,
    |store, _url| {
        let bearer = admin_bearer(&store).await;
        let member = person_cookie(&store, "m@sec.test", UserRole::Member, &[], &[]).await;
        let (status, _) = cookie_call(&store, "GET", "/v1/users", &member, None).await;
        assert_eq!(status, StatusCode::OK);
        // Disabled and enabled again before the member's next request.
        for status in ["Disabled", "Active"] {
            ok(
                &store,
                &bearer,
                "PATCH",
                "/v1/users/m@sec.test",
                json!({"status": status}),
            )
            .await;
        }
        let (status, reply) = cookie_call(&store, "GET", "/v1/users", &member, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{reply}");
        assert!(
            reply["message"].as_str().unwrap().contains("disabled"),
            "{reply}"
        );
        // A new sign-in works.
        let (status, _, cookie, _) =
            post_login(&store, "m@sec.test", support::MEMBER_PASSWORD, "/").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, _) = cookie_call(&store, "GET", "/v1/users", &cookie.unwrap(), None).await;
        assert_eq!(status, StatusCode::OK);
        // Deleted and invited again: the old session does not come back either.
        let second = person_cookie(&store, "d@sec.test", UserRole::Member, &[], &[]).await;
        let (status, _) = api_call(
            &store,
            "DELETE",
            "/v1/users/d@sec.test",
            Some(&bearer),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = cookie_call(&store, "GET", "/v1/users", &second, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
);

both_databases!(sign_in_redirects_stay_on_the_portal, |store, _url| {
    support::admin_cookie(&store).await;
    for (next, expected) in [
        ("/\t/evil.example/phish", "/"),
        ("/\n/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        (" /evil", "/"),
        ("/catalog/services?q=a", "/catalog/services?q=a"),
    ] {
        let (status, location, _, body) =
            post_login(&store, support::ADMIN_EMAIL, support::ADMIN_PASSWORD, next).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(location.as_deref(), Some(expected), "next = {next:?}");
    }
    // The login page's own form and SSO link carry only a safe `next`.
    let (_, _, html) = support::get_page(&store, "/login?next=%2F%09%2Fevil.example", None).await;
    assert!(!html.contains("evil.example"), "{html}");
});

both_databases!(weak_passwords_are_refused_when_set, |store, _url| {
    let bearer = admin_bearer(&store).await;
    let (status, reply) = api_call(
        &store,
        "POST",
        "/v1/users/invite",
        Some(&bearer),
        Some(json!({"invitee": {"email": "weak@sec.test"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let link = reply["invitation"]["link"].as_str().unwrap().to_string();
    for password in ["          ", "weak@sec.test", "1234567890", "password123"] {
        let encoded = portolan::model::url::encode_component(password);
        let form = format!("first_name=Weak&last_name=Person&password={encoded}&confirm={encoded}");
        let req = Request::post(link.as_str())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let (status, _, html) = send(&store, req).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{password:?}");
        assert!(html.contains("too easy to guess"), "{password:?}: {html}");
    }
    let user = store.get_user("weak@sec.test").await.unwrap().unwrap();
    assert_eq!(user.status, portolan::model::UserStatus::Invited);
});

both_databases!(private_answers_are_never_cached, |store, _url| {
    let cookie = support::admin_cookie(&store).await;
    for (path, cookie) in [
        ("/", Some(&cookie)),
        ("/v1/users", Some(&cookie)),
        ("/login", None),
    ] {
        let (status, headers, _) =
            support::get_page(&store, path, cookie.map(String::as_str)).await;
        assert!(status.is_success(), "{path}: {status}");
        assert_eq!(headers["cache-control"], "no-store", "{path}");
        assert!(
            !headers.contains_key("strict-transport-security"),
            "{path}: plain http"
        );
    }
    // The same for everyone: kept, and revalidated (the names carry no hash).
    for path in ["/favicon.ico", "/pkg/portolan.js"] {
        let (_, headers, _) = support::get_page(&store, path, None).await;
        assert_eq!(
            headers.get("cache-control").map(|v| v.to_str().unwrap()),
            Some("no-cache"),
            "{path}"
        );
    }
    // Behind https, browsers are told to stay on https.
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("portolan")
        .site_root("target/site")
        .build();
    let mut state = portolan::server::AppState::new(leptos_options, store.clone());
    state.secure_cookies = true;
    let app = portolan::server::router(state);
    use tower::ServiceExt;
    let response = app
        .oneshot(Request::get("/login").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
});

// Query limits hold where queries come in (a page's initial filter too),
// and a page stored with a larger one (before the limits, or joined from
// two queries) still loads for everyone.
both_databases!(
    oversized_initial_filters_are_refused_but_stored_ones_load,
    |store, _url| {
        let bearer = admin_bearer(&store).await;
        ok(
            &store,
            &bearer,
            "POST",
            "/v1/blueprints",
            json!({
        "identifier": "svc", "title": "Svc", "schema": {"properties": {}}}),
        )
        .await;
        let huge = json!({"combinator": "or", "rules": rules(1500)});
        let (status, reply) = api_call(
            &store,
            "POST",
            "/v1/pages",
            Some(&bearer),
            Some(json!({
        "identifier": "huge", "title": "Huge", "type": "blueprint-entities", "blueprint": "svc",
        "dataset": huge.clone()})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert!(
            reply["message"]
                .as_str()
                .unwrap()
                .starts_with("dataset: rules[1000]"),
            "{reply}"
        );
        // Stored as an older version would have: every reader still gets pages.
        let mut page: portolan::model::Page = serde_json::from_value(json!({
        "identifier": "old-huge", "title": "Old", "type": "blueprint-entities", "blueprint": "svc"}))
    .unwrap();
        page.dataset = Some(serde_json::from_value(huge).unwrap());
        store.create_page(&page, "test").await.unwrap();
        let member = person_cookie(&store, "reader@sec.test", UserRole::Member, &[], &[]).await;
        let (status, reply) = cookie_call(&store, "GET", "/v1/pages", &member, None).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (status, _, _) = support::get_page(&store, "/", Some(&member)).await;
        assert_eq!(status, StatusCode::OK);
    }
);
