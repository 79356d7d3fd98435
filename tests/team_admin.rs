//! The admin screens' people paths (issue 27 item 4), through the API and
//! the users & teams page's server functions; each test on SQLite and
//! PostgreSQL: renaming a team carries the name everywhere, invitations
//! carry roles and teams read as user edits read them, one-member changes
//! do not overwrite each other, and a user's edit form saves moderator
//! roles and teams.

mod support;

use axum::http::StatusCode;
use portolan::services::demo;
use serde_json::json;
use support::{admin_bearer, admin_cookie, api_call, server_fn_call, ADMIN_EMAIL};

/// How many services `$team` matches for `team`, as the admin reads them.
async fn services_of(store: &portolan::store::Store, auth: &str, team: &str) -> usize {
    let (status, body) = api_call(
        store,
        "POST",
        "/v1/blueprints/service/entities/search",
        Some(auth),
        Some(json!({
            "query": {"combinator": "and", "rules": [{"property": "$team", "operator": "containsAny", "value": [team]}]},
            "limit": 1000
        })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["entities"].as_array().unwrap().len()
}

both_databases!(
    a_renamed_team_keeps_what_it_owned_and_was_granted,
    |store, _url| {
        demo::seed_if_empty(&store).await.unwrap();
        let admin = admin_bearer(&store).await;
        let auth = Some(admin.as_str());
        let owned = services_of(&store, &admin, "payments").await;
        assert!(owned > 0);
        let (status, before) = api_call(&store, "GET", "/v1/teams/payments", auth, None).await;
        assert_eq!(status, StatusCode::OK, "{before}");
        // A grant and a read policy that name the team, and a page only it reads.
        let (status, body) = api_call(
        &store,
        "PATCH",
        "/v1/blueprints/service/permissions",
        auth,
        Some(json!({"entities": {
            "update": {"roles": ["Admin"], "users": [], "teams": ["payments"]},
            "read": {"roles": ["Admin"], "users": [], "teams": [], "policy":
                {"combinator": "and", "rules": [{"property": "$team", "operator": "containsAny", "value": ["payments"]}]}}
        }})),
    )
    .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = api_call(
            &store,
            "PATCH",
            "/v1/pages/services/permissions",
            auth,
            Some(json!({"read": {"roles": ["Admin"], "users": [], "teams": ["payments"]}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // A taken name changes nothing.
        let (status, body) = api_call(
            &store,
            "PATCH",
            "/v1/teams/payments",
            auth,
            Some(json!({"name": "platform"})),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("`platform` is already taken"),
            "{body}"
        );
        assert_eq!(services_of(&store, &admin, "payments").await, owned);

        let (status, body) = api_call(
            &store,
            "PATCH",
            "/v1/teams/payments",
            auth,
            Some(json!({"name": "billing", "description": "Bills and refunds"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["team"]["name"], "billing");
        assert_eq!(body["team"]["description"], "Bills and refunds");
        assert_eq!(
            body["team"]["users"].as_array().unwrap().len(),
            before["team"]["users"].as_array().unwrap().len(),
            "the members follow"
        );
        let (status, _) = api_call(&store, "GET", "/v1/teams/payments", auth, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(services_of(&store, &admin, "billing").await, owned);
        assert_eq!(services_of(&store, &admin, "payments").await, 0);

        let (_, body) = api_call(
            &store,
            "GET",
            "/v1/blueprints/service/permissions",
            auth,
            None,
        )
        .await;
        let permissions = &body["permissions"]["entities"];
        assert_eq!(permissions["update"]["teams"], json!(["billing"]), "{body}");
        assert_eq!(
            permissions["read"]["policy"]["rules"][0]["value"],
            json!(["billing"]),
            "{body}"
        );
        let (_, body) = api_call(&store, "GET", "/v1/pages/services/permissions", auth, None).await;
        assert_eq!(
            body["permissions"]["read"]["teams"],
            json!(["billing"]),
            "{body}"
        );

        // An entity's own team list names the new team.
        let (_, body) = api_call(
        &store,
        "POST",
        "/v1/blueprints/service/entities/search",
        auth,
        Some(json!({"query": {"combinator": "and", "rules": [{"property": "$team", "operator": "containsAny", "value": ["billing"]}]}, "limit": 1})),
    )
    .await;
        assert_eq!(body["entities"][0]["team"], json!(["billing"]), "{body}");

        // One audit row says it, with the old and the new name.
        let (_, body) = api_call(
            &store,
            "GET",
            "/v1/audit-log?resources=team&entity=billing",
            auth,
            None,
        )
        .await;
        let row = &body["audits"][0];
        assert_eq!(row["action"], "UPDATE", "{body}");
        assert_eq!(row["diff"]["before"]["name"], "payments", "{body}");
        assert_eq!(row["diff"]["after"]["name"], "billing", "{body}");
    }
);

both_databases!(
    invitations_carry_roles_and_teams_read_as_edits_read_them,
    |store, _url| {
        demo::seed_if_empty(&store).await.unwrap();
        let admin = admin_bearer(&store).await;
        let auth = Some(admin.as_str());
        let (status, body) = api_call(
        &store,
        "POST",
        "/v1/users/invite",
        auth,
        Some(json!({"invitee": {"email": "Lin@Example.com", "roles": ["Member", "service-moderator"], "teams": ["payments"]}})),
    )
    .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["ok"], true);
        let (status, user) = api_call(&store, "GET", "/v1/users/lin@example.com", auth, None).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        let roles: Vec<&str> = user["user"]["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(roles, ["Member", "service-moderator"], "{user}");
        assert_eq!(user["user"]["teams"], json!(["payments"]), "{user}");
        assert_eq!(user["user"]["status"], "Invited", "{user}");

        // The same wrong role is refused with the same words by both.
        let wrong = json!(["Member", "nothing-moderator"]);
        let (status, invited) = api_call(
            &store,
            "POST",
            "/v1/users/invite",
            auth,
            Some(json!({"invitee": {"email": "kim@example.com", "roles": wrong}})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{invited}");
        let (status, patched) = api_call(
            &store,
            "PATCH",
            "/v1/users/lin@example.com",
            auth,
            Some(json!({"roles": wrong})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{patched}");
        assert_eq!(invited["message"], patched["message"]);
        assert!(
            invited["message"]
                .as_str()
                .unwrap()
                .contains("`nothing-moderator`"),
            "{invited}"
        );
        let (status, body) = api_call(
            &store,
            "POST",
            "/v1/users/invite",
            auth,
            Some(json!({"invitee": {"email": "kim@example.com", "teams": ["no-such-team"]}})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("no-such-team"),
            "{body}"
        );
        let (status, _) = api_call(&store, "GET", "/v1/users/kim@example.com", auth, None).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "a refused invitation leaves nobody behind"
        );

        // Each invitation is in the audit log.
        let (_, body) = api_call(
            &store,
            "GET",
            "/v1/audit-log?resources=user&entity=lin@example.com",
            auth,
            None,
        )
        .await;
        assert!(
            body["audits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["action"] == "CREATE"),
            "{body}"
        );
    }
);

both_databases!(members_added_at_once_are_all_kept, |store, _url| {
    demo::seed_if_empty(&store).await.unwrap();
    let cookie = admin_cookie(&store).await;
    let admin = admin_bearer(&store).await;
    api_call(
        &store,
        "POST",
        "/v1/teams",
        Some(&admin),
        Some(json!({"name": "crowd"})),
    )
    .await;
    let (_, users) = api_call(&store, "GET", "/v1/users", Some(&admin), None).await;
    let emails: Vec<String> = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_string())
        .take(4)
        .collect();
    assert_eq!(emails.len(), 4);
    let adds = emails.iter().map(|email| {
        let (store, cookie) = (store.clone(), cookie.clone());
        let email = email.clone();
        tokio::spawn(async move {
            server_fn_call(
                &store,
                &cookie,
                "set_team_member",
                &[("team", "crowd"), ("email", &email), ("member", "true")],
            )
            .await
        })
    });
    for add in adds.collect::<Vec<_>>() {
        let (status, body) = add.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, team) = api_call(&store, "GET", "/v1/teams/crowd", Some(&admin), None).await;
    assert_eq!(team["team"]["users"].as_array().unwrap().len(), 4, "{team}");
    let (status, body) = server_fn_call(
        &store,
        &cookie,
        "set_team_member",
        &[
            ("team", "crowd"),
            ("email", &emails[0]),
            ("member", "false"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["users"].as_array().unwrap().len(), 3, "{body}");
    let (status, body) = server_fn_call(
        &store,
        &cookie,
        "set_team_member",
        &[
            ("team", "crowd"),
            ("email", "nobody@example.com"),
            ("member", "true"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = server_fn_call(
        &store,
        &cookie,
        "set_team_member",
        &[("team", "gone"), ("email", ADMIN_EMAIL), ("member", "true")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
});

both_databases!(
    the_users_tab_saves_moderator_roles_and_teams,
    |store, _url| {
        demo::seed_if_empty(&store).await.unwrap();
        let cookie = admin_cookie(&store).await;
        let admin = admin_bearer(&store).await;
        api_call(
            &store,
            "POST",
            "/v1/users/invite",
            Some(&admin),
            Some(json!({"invitee": {"email": "ravi@example.com"}})),
        )
        .await;
        let (status, body) = server_fn_call(
            &store,
            &cookie,
            "edit_user",
            &[
                ("email", "ravi@example.com"),
                ("role", "Member"),
                ("moderates[service]", "on"),
                ("teams[payments]", "on"),
                ("teams[platform]", "on"),
                ("teams_offered", "true"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["moderatedBlueprints"], json!(["service"]), "{body}");
        assert_eq!(body["teams"], json!(["payments", "platform"]), "{body}");
        // Unticking everything: a plain member of no team.
        let (status, body) = server_fn_call(
            &store,
            &cookie,
            "edit_user",
            &[
                ("email", "ravi@example.com"),
                ("role", "Member"),
                ("teams_offered", "true"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["moderatedBlueprints"], json!([]), "{body}");
        assert_eq!(body["teams"], json!([]), "{body}");
        // The page's data counts what each team owns, linked to its catalog.
        let (status, body) = server_fn_call(&store, &cookie, "get_users_and_teams", &[]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let owned = body["owned"].as_array().unwrap();
        let payments = owned
            .iter()
            .find(|o| o["team"] == "payments" && o["title"] == "Services")
            .unwrap_or_else(|| panic!("{owned:?}"));
        assert!(payments["count"].as_i64().unwrap() > 0);
        assert!(
            payments["href"]
                .as_str()
                .unwrap()
                .starts_with("/catalog/services?filter="),
            "{payments}"
        );
        // A member may not use it.
        let member = support::member_cookie(&store, "plain@example.com").await;
        let (status, body) = server_fn_call(
            &store,
            &member,
            "edit_user",
            &[("email", "ravi@example.com"), ("role", "Admin")],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
);
