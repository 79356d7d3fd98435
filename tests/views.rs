//! Catalog page views through their server functions, on SQLite and
//! PostgreSQL: the table filter (the shared query AST in the URL), group-by,
//! saved personal views, the page's default view, and initial filters that
//! no URL or direct call can lift.

mod support;

use axum::http::StatusCode;
use portolan::model::UserRole;
use portolan::store::Store;
use serde_json::{json, Value};
use support::{admin_cookie, person_cookie};

/// Calls a server function with a form body; answers status and JSON.
async fn call(
    store: &Store,
    cookie: &str,
    function: &str,
    form: &[(&str, String)],
) -> (StatusCode, Value) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    support::server_fn_call(store, cookie, function, &form).await
}

/// The catalog page `page` with these extra parameters.
async fn catalog(
    store: &Store,
    cookie: &str,
    page: &str,
    extra: &[(&str, String)],
) -> (StatusCode, Value) {
    let mut form = vec![
        ("page", page.to_string()),
        ("sort", String::new()),
        ("search", String::new()),
        ("offset", "0".to_string()),
    ];
    for (k, v) in extra {
        form.retain(|(name, _)| name != k);
        form.push((k, v.clone()));
    }
    call(store, cookie, "get_catalog_page", &form).await
}

fn identifiers(page: &Value) -> Vec<String> {
    page["list"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["identifier"].as_str().unwrap().to_string())
        .collect()
}

fn rule(property: &str, operator: &str, value: Value) -> String {
    json!({"combinator": "and", "rules": [{"property": property, "operator": operator, "value": value}]}).to_string()
}

/// How many demo services have this tier, counted through the store.
async fn services_with_tier(store: &Store, tier: &str) -> i64 {
    let mut count = 0;
    let mut after = String::new();
    loop {
        let page = store.entities_after("service", &after, 1000).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.identifier.clone();
        count += page
            .iter()
            .filter(|e| e.properties["tier"] == json!(tier))
            .count() as i64;
    }
    count
}

both_databases!(
    the_table_filter_narrows_and_bad_filters_name_the_rule,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let member = person_cookie(&store, "f@views.test", UserRole::Member, &[], &[]).await;
        let gold = services_with_tier(&store, "gold").await;
        assert!(gold > 0);
        let (status, page) = catalog(
            &store,
            &member,
            "services",
            &[("filter", rule("tier", "=", json!("gold")))],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["list"]["total"], gold);
        assert_eq!(page["view"]["filter"]["rules"][0]["value"], "gold");
        // `in` with a list, and a number comparison, both from the builder's shapes.
        let (_, both) = catalog(
            &store,
            &member,
            "services",
            &[("filter", rule("tier", "in", json!(["gold", "bronze"])))],
        )
        .await;
        assert_eq!(
            both["list"]["total"],
            gold + services_with_tier(&store, "bronze").await
        );
        let (status, _) = catalog(
            &store,
            &member,
            "services",
            &[("filter", rule("monthlyCost", ">", json!(1000)))],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        // `relatedTo`, as the builder writes it: the services one depends on.
        let with_deps = store
            .entities_after("service", "", 1000)
            .await
            .unwrap()
            .into_iter()
            .find(|e| {
                e.relations
                    .get("dependencies")
                    .and_then(Value::as_array)
                    .is_some_and(|d| !d.is_empty())
            })
            .expect("a demo service with dependencies");
        let related = json!({"combinator": "and", "rules": [
            {"operator": "relatedTo", "blueprint": "service", "value": [with_deps.identifier]}
        ]})
        .to_string();
        let (status, body) = catalog(&store, &member, "services", &[("filter", related)]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let found = identifiers(&body);
        for dep in with_deps.relations["dependencies"].as_array().unwrap() {
            assert!(
                found.contains(&dep.as_str().unwrap().to_string()),
                "{dep} in {found:?}"
            );
        }
        // Wrong operator for the type, unknown property, not JSON: 422 saying what.
        let (status, body) = catalog(
            &store,
            &member,
            "services",
            &[("filter", rule("monthlyCost", "contains", json!("1")))],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains("rules[0].operator"), "{body}");
        let (status, body) = catalog(
            &store,
            &member,
            "services",
            &[("filter", rule("colour", "=", json!("red")))],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.to_string().contains("colour"), "{body}");
        let (status, body) =
            catalog(&store, &member, "services", &[("filter", "{oops".into())]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.to_string().contains("not JSON"), "{body}");
    }
);

both_databases!(
    grouping_sorts_by_the_group_and_counts_each,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let member = person_cookie(&store, "g@views.test", UserRole::Member, &[], &[]).await;
        let (status, page) = catalog(
            &store,
            &member,
            "services",
            &[("group", "tier".into()), ("cols", "$title,tier".into())],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let groups = page["groups"].as_array().unwrap();
        let sum: i64 = groups.iter().map(|g| g["count"].as_i64().unwrap()).sum();
        assert_eq!(sum, page["list"]["total"].as_i64().unwrap());
        let gold = groups.iter().find(|g| g["value"] == "gold").unwrap();
        assert_eq!(gold["count"], services_with_tier(&store, "gold").await);
        // Rows come group by group: the tiers never go back to an earlier one.
        let tiers: Vec<String> = page["list"]["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["properties"]["tier"].as_str().unwrap().to_string())
            .collect();
        let mut seen: Vec<String> = Vec::new();
        for t in &tiers {
            if seen.last() != Some(t) {
                assert!(!seen.contains(t), "group {t} came back: {tiers:?}");
                seen.push(t.clone());
            }
        }
        assert_eq!(page["view"]["columns"], json!(["$title", "tier"]));
        let (status, body) =
            catalog(&store, &member, "services", &[("group", "tags".into())]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.to_string().contains("cannot group by `tags`"),
            "{body}"
        );
    }
);

/// The teams of a `$team` group's key, as the page labels it.
fn team_label(key: &Value) -> String {
    match key.as_str() {
        Some(key) => key.split(';').collect::<Vec<_>>().join(", "),
        None => "No team".into(),
    }
}

both_databases!(
    grouping_by_team_groups_whole_team_lists_and_counts_over_every_page,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        // Services of two teams (written in either order), of none, and of
        // one, so the table runs over several pages.
        let teams = [
            json!(["platform", "payments"]),
            json!(["payments", "platform"]),
            json!([]),
            json!(["checkout"]),
            json!(["payments"]),
        ];
        let extra: Vec<Value> = (0..60)
            .map(|i| {
                json!({"identifier": format!("grouped-{i:02}"), "title": format!("Grouped {i:02}"),
                    "team": teams[i % teams.len()],
                    "properties": {"tier": "bronze", "lifecycle": "production"}})
            })
            .collect();
        let bearer = support::admin_bearer(&store).await;
        let (status, body) = support::api_call(
            &store,
            "POST",
            "/v1/blueprints/service/entities/bulk",
            Some(&bearer),
            Some(json!({"entities": extra})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let member = person_cookie(&store, "t@views.test", UserRole::Member, &[], &[]).await;

        // Every page of the grouped table, and the groups each one reports.
        let mut rows: Vec<Value> = Vec::new();
        let mut reported: Vec<Value> = Vec::new();
        let mut pages = 0;
        loop {
            let (status, page) = catalog(
                &store,
                &member,
                "services",
                &[
                    ("group", "$team".into()),
                    ("offset", rows.len().to_string()),
                ],
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{page}");
            reported.push(page["groups"].clone());
            let entities = page["list"]["entities"].as_array().unwrap().clone();
            pages += 1;
            if entities.is_empty() {
                break;
            }
            rows.extend(entities);
            if rows.len() as i64 >= page["list"]["total"].as_i64().unwrap() {
                break;
            }
        }
        assert!(pages >= 2, "the table should need several pages");
        // Each page reports the sizes of the whole groups, not its own rows.
        assert!(reported.windows(2).all(|w| w[0] == w[1]), "{reported:?}");
        let groups = reported[0].as_array().unwrap();

        // An entity's group is its whole team list, sorted: counted by hand
        // over every row, it matches what the store counted.
        let key_of = |e: &Value| {
            let mut teams: Vec<String> = e["team"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            teams.sort();
            if teams.is_empty() {
                Value::Null
            } else {
                Value::from(teams.join(";"))
            }
        };
        let keys: Vec<Value> = rows.iter().map(key_of).collect();
        let mut counted: std::collections::BTreeMap<String, i64> = Default::default();
        for key in &keys {
            *counted.entry(key.to_string()).or_default() += 1;
        }
        assert_eq!(groups.len(), counted.len(), "{groups:?} vs {counted:?}");
        for g in groups {
            assert_eq!(
                Some(&g["count"].as_i64().unwrap()),
                counted.get(&g["value"].to_string()),
                "group {}",
                g["value"]
            );
        }
        let two_teams = groups
            .iter()
            .find(|g| g["value"] == "payments;platform")
            .expect("one group for both orders of the same two teams");
        assert_eq!(two_teams["count"], 24);
        assert!(groups.iter().any(|g| g["value"].is_null()));

        // Rows come group by group across the pages, in the groups' order,
        // entities without a team last.
        let mut seen: Vec<Value> = Vec::new();
        for key in &keys {
            if seen.last() != Some(key) {
                assert!(!seen.contains(key), "group {key} came back: {keys:?}");
                seen.push(key.clone());
            }
        }
        assert_eq!(seen.last(), Some(&Value::Null), "{seen:?}");
        let named: Vec<&Value> = seen.iter().filter(|k| !k.is_null()).collect();
        let mut sorted = named.clone();
        sorted.sort_by_key(|k| k.as_str().unwrap().to_string());
        assert_eq!(named, sorted);

        // The page's HTML: a collapsible header per group with its whole
        // size, and the Group by menu offers the owning teams.
        let last_offset = (rows.len() - 1) / 50 * 50;
        let view = |offset: usize| {
            let store = store.clone();
            let member = member.clone();
            async move {
                let (status, view) = call(
                    &store,
                    &member,
                    "get_catalog_view",
                    &[
                        ("page", "services".to_string()),
                        ("params[sort]", String::new()),
                        ("params[search]", String::new()),
                        ("params[group]", "$team".into()),
                        ("offset", offset.to_string()),
                    ],
                )
                .await;
                assert_eq!(status, StatusCode::OK, "{view}");
                view
            }
        };
        let first = view(0).await;
        let table = first["html"]["table"].as_str().unwrap();
        let first_key = &keys[0];
        let first_size = groups.iter().find(|g| &g["value"] == first_key).unwrap()["count"]
            .as_i64()
            .unwrap();
        assert!(
            table.contains(&format!("{}<", team_label(first_key))),
            "{table}"
        );
        assert!(table.contains(&format!("{first_size} entities")), "{table}");
        assert!(table.contains("aria-expanded=\"true\""), "{table}");
        assert!(table.contains("<tbody class=\"group\">"), "{table}");
        let menus = first["html"]["menus"].as_str().unwrap();
        let group_menu = &menus[menus.find("group-menu").expect("a Group by menu")..];
        assert!(
            group_menu.contains("href=\"/catalog/services?group=$team\" aria-current=\"true\""),
            "{group_menu}"
        );
        assert!(
            group_menu.contains("Grouped by Owning teams"),
            "{group_menu}"
        );
        let last = view(last_offset).await;
        let table = last["html"]["table"].as_str().unwrap();
        let no_team = groups.iter().find(|g| g["value"].is_null()).unwrap()["count"]
            .as_i64()
            .unwrap();
        assert!(table.contains("No team"), "{table}");
        assert!(table.contains(&format!("{no_team} entities")), "{table}");

        // The same holds for a property: a later page reports the whole
        // groups, which add up to the total.
        let tiers = |offset: usize| {
            let store = store.clone();
            let member = member.clone();
            async move {
                let (status, page) = catalog(
                    &store,
                    &member,
                    "services",
                    &[("group", "tier".into()), ("offset", offset.to_string())],
                )
                .await;
                assert_eq!(status, StatusCode::OK, "{page}");
                page
            }
        };
        let (first, later) = (tiers(0).await, tiers(last_offset).await);
        assert_eq!(first["groups"], later["groups"]);
        let sum: i64 = later["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["count"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, later["list"]["total"].as_i64().unwrap());
        let bronze = later["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["value"] == "bronze")
            .unwrap();
        assert_eq!(bronze["count"], services_with_tier(&store, "bronze").await);
    }
);

both_databases!(
    saved_views_are_personal_and_reopen_the_same_rows,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let ann = person_cookie(&store, "ann@views.test", UserRole::Member, &[], &[]).await;
        let bob = person_cookie(&store, "bob@views.test", UserRole::Member, &[], &[]).await;
        let view = [
            ("filter", rule("tier", "=", json!("silver"))),
            ("sort", "-monthlyCost".to_string()),
            ("cols", "$title,monthlyCost".to_string()),
        ];
        let (_, direct) = catalog(&store, &ann, "services", &view).await;
        let mut form = vec![
            ("page", "services".to_string()),
            ("name", "Costly silver".to_string()),
        ];
        form.extend(view.iter().map(|(k, v)| (*k, v.clone())));
        let (status, href) = call(&store, &ann, "save_view", &form).await;
        assert_eq!(status, StatusCode::OK, "{href}");
        assert_eq!(href, "/catalog/services?view=Costly%20silver");
        // Opening the view gives the same rows, and the page lists it as active.
        let (status, saved) = catalog(
            &store,
            &ann,
            "services",
            &[("view", "Costly silver".into())],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(identifiers(&saved), identifiers(&direct));
        assert_eq!(saved["active_view"], json!({"Personal": "Costly silver"}));
        assert_eq!(saved["saved_views"], json!(["Costly silver"]));
        // Bob has no such view and does not see Ann's.
        let (status, body) = catalog(
            &store,
            &bob,
            "services",
            &[("view", "Costly silver".into())],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (_, bobs) = catalog(&store, &bob, "services", &[]).await;
        assert_eq!(bobs["saved_views"], json!([]));
        // Saving under the same name replaces; a bad view is refused, naming why.
        form[1].1 = "Costly silver".into();
        let (status, _) = call(&store, &ann, "save_view", &form).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = call(
            &store,
            &ann,
            "save_view",
            &[("page", "services".into()), ("name", " ".into())],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = call(
            &store,
            &ann,
            "save_view",
            &[
                ("page", "services".into()),
                ("name", "Broken".into()),
                ("filter", rule("colour", "=", json!("x"))),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        // Deleting: once, then 404.
        let del = [
            ("page", "services".to_string()),
            ("name", "Costly silver".to_string()),
        ];
        assert_eq!(
            call(&store, &ann, "delete_view", &del).await.0,
            StatusCode::OK
        );
        assert_eq!(
            call(&store, &ann, "delete_view", &del).await.0,
            StatusCode::NOT_FOUND
        );
    }
);

both_databases!(
    a_pages_default_view_applies_to_everyone_without_parameters,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let admin = admin_cookie(&store).await;
        let member = person_cookie(&store, "d@views.test", UserRole::Member, &[], &[]).await;
        let default = [
            ("page", "services".to_string()),
            ("group", "tier".to_string()),
            ("sort", "-monthlyCost".to_string()),
        ];
        // Members may not set it (and the refusal is recorded); admins may.
        let (status, body) = call(&store, &member, "save_default_view", &default).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = call(&store, &admin, "save_default_view", &default).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, page) = catalog(&store, &member, "services", &[]).await;
        assert_eq!(page["active_view"], "PageDefault");
        assert_eq!(page["view"]["groupBy"], "tier");
        // Any parameter means the URL's view instead.
        let (_, page) = catalog(&store, &member, "services", &[("sort", "$title".into())]).await;
        assert_eq!(page["active_view"], "Url");
        assert!(page["view"].get("groupBy").is_none(), "{}", page["view"]);
        // Saving no parameters goes back to the blueprint's defaults.
        let (status, _) = call(
            &store,
            &admin,
            "save_default_view",
            &[("page", "services".into())],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (_, page) = catalog(&store, &member, "services", &[]).await;
        assert_eq!(page["active_view"], "Url");
    }
);

both_databases!(initial_filters_cannot_be_lifted, |store, _url| {
    portolan::services::demo::seed_if_empty(&store)
        .await
        .unwrap();
    let member = person_cookie(&store, "i@views.test", UserRole::Member, &[], &[]).await;
    let gold = services_with_tier(&store, "gold").await;
    // The demo's "Gold services" page: only gold, whatever the URL says.
    let (status, page) = catalog(&store, &member, "gold-services", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["list"]["total"], gold);
    assert_eq!(page["pre_filtered"], true);
    assert!(
        page["page"].get("dataset").is_none(),
        "members do not see it: {}",
        page["page"]
    );
    assert_eq!(page["may_configure"], false);
    let (_, silver) = catalog(
        &store,
        &member,
        "gold-services",
        &[("filter", rule("tier", "=", json!("silver")))],
    )
    .await;
    assert_eq!(
        silver["list"]["total"], 0,
        "a URL filter only narrows further"
    );
    let any = json!({"combinator": "or", "rules": [
        {"property": "tier", "operator": "=", "value": "silver"},
        {"property": "tier", "operator": "isNotEmpty"}
    ]})
    .to_string();
    let (_, or) = catalog(&store, &member, "gold-services", &[("filter", any)]).await;
    assert_eq!(or["list"]["total"], gold, "an `or` cannot escape it either");
    // A silver service is not reachable through the page's search either.
    let (_, all) = catalog(
        &store,
        &member,
        "gold-services",
        &[("search", "".into()), ("sort", "-monthlyCost".into())],
    )
    .await;
    assert!(all["list"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["properties"]["tier"] == "gold"));
    // The function the page itself loads renders the same rows to HTML,
    // and its context hides the filter from members too.
    let (status, view) = call(
        &store,
        &member,
        "get_catalog_view",
        &[
            ("page", "gold-services".to_string()),
            ("params[sort]", "-monthlyCost".into()),
            ("params[search]", String::new()),
            ("offset", "0".into()),
            (
                "params[filter]",
                json!({"combinator": "and", "rules": [{"property": "tier", "operator": "isNotEmpty"}]})
                    .to_string(),
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let editing: Value = serde_json::from_str(view["editing"].as_str().unwrap()).unwrap();
    assert_eq!(editing["dataset"], Value::Null, "{editing}");
    assert_eq!(view["pre_filtered"], true);
    let table = view["html"]["table"].as_str().unwrap();
    assert!(table.contains(&format!(" of {gold}</p>")), "{table}");
    // (A text may be followed by an empty comment, the renderer's marker.)
    assert!(table.contains("\">gold<"), "{table}");
    assert!(
        !table.contains("\">silver<") && !table.contains("\">bronze<"),
        "{table}"
    );
    assert!(view["html"]["notes"]
        .as_str()
        .unwrap()
        .contains("This page shows only some"));

    // Members may not change it; the blueprint's moderator may, and an
    // admin sees it. A filter that does not fit is 422 naming the rule.
    let set = |filter: String| vec![("page", "gold-services".to_string()), ("filter", filter)];
    let (status, body) = call(&store, &member, "set_page_filter", &set(String::new())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.to_string().contains("personal view"), "{body}");
    let moderator = person_cookie(
        &store,
        "mod@views.test",
        UserRole::Member,
        &["service"],
        &[],
    )
    .await;
    let (status, body) = call(
        &store,
        &moderator,
        "set_page_filter",
        &set(rule("tier", "=", json!("silver"))),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = catalog(&store, &member, "gold-services", &[]).await;
    assert_eq!(
        page["list"]["total"],
        services_with_tier(&store, "silver").await
    );
    let (status, body) = call(
        &store,
        &moderator,
        "set_page_filter",
        &set(rule("tier", "startsWith", json!("g"))),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let admin = admin_cookie(&store).await;
    let (_, page) = catalog(&store, &admin, "gold-services", &[]).await;
    assert_eq!(page["page"]["dataset"]["rules"][0]["value"], "silver");
    assert_eq!(page["may_configure"], true);
    // Dynamic values stay dynamic: "My Teams" resolves per viewer.
    let (status, _) = call(
        &store,
        &admin,
        "set_page_filter",
        &set(rule("$team", "containsAny", json!(["My Teams"]))),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, none) = catalog(&store, &member, "gold-services", &[]).await;
    assert_eq!(none["list"]["total"], 0, "someone in no team owns nothing");
    // Each change is in the audit log, and so is the refusal.
    let (status, audit) = support::api_call(
        &store,
        "GET",
        "/v1/audit-log?limit=50",
        Some(&support::admin_bearer(&store).await),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let entries = audit["audits"].as_array().unwrap();
    let filters: Vec<&Value> = entries
        .iter()
        .filter(|e| e["resourceType"] == "page-filter")
        .collect();
    assert!(
        filters.iter().any(|e| e["status"] == "FAILURE"),
        "{filters:?}"
    );
    assert!(
        filters.iter().filter(|e| e["status"] == "SUCCESS").count() >= 2,
        "{filters:?}"
    );
});

both_databases!(
    pages_are_created_over_a_blueprint_with_their_own_filter,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let bearer = support::admin_bearer(&store).await;
        let page = json!({
            "identifier": "bronze-services", "title": "Bronze services", "type": "blueprint-entities",
            "blueprint": "service",
            "dataset": {"combinator": "and", "rules": [{"property": "tier", "operator": "=", "value": "bronze"}]}
        });
        let (status, body) = support::api_call(
            &store,
            "POST",
            "/v1/pages",
            Some(&bearer),
            Some(page.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["ok"], true);
        let (status, body) =
            support::api_call(&store, "POST", "/v1/pages", Some(&bearer), Some(page)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let (status, body) = support::api_call(&store, "POST", "/v1/pages", Some(&bearer), Some(json!({
        "identifier": "broken", "title": "Broken", "type": "blueprint-entities", "blueprint": "service",
        "dataset": {"combinator": "and", "rules": [{"property": "colour", "operator": "=", "value": "red"}]}
    }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("colour"),
            "{body}"
        );
        let (status, body) = support::api_call(
            &store,
            "POST",
            "/v1/pages",
            Some(&bearer),
            Some(json!({
                "identifier": "no-blueprint", "title": "No blueprint", "type": "blueprint-entities"
            })),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

        // Its viewers see only bronze services; it is in the sidebar.
        let member = person_cookie(&store, "p@views.test", UserRole::Member, &[], &[]).await;
        let (_, listed) = catalog(&store, &member, "bronze-services", &[]).await;
        assert_eq!(
            listed["list"]["total"],
            services_with_tier(&store, "bronze").await
        );
        let (status, sidebar) = call(&store, &member, "get_sidebar", &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(sidebar.to_string().contains("bronze-services"), "{sidebar}");

        // "Make a new page from this view": members may not; a moderator may,
        // and the new page keeps the source page's initial filter too.
        let form = |title: &str| {
            vec![
                ("page", "gold-services".to_string()),
                ("title", title.to_string()),
                ("filter", rule("lifecycle", "=", json!("production"))),
            ]
        };
        let (status, _) = call(&store, &member, "create_page_from_view", &form("Mine")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let moderator =
            person_cookie(&store, "pm@views.test", UserRole::Member, &["service"], &[]).await;
        let (status, href) = call(
            &store,
            &moderator,
            "create_page_from_view",
            &form("Gold in production"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{href}");
        assert_eq!(href, "/catalog/gold-in-production");
        let (_, made) = catalog(&store, &member, "gold-in-production", &[]).await;
        assert!(
            made["list"]["entities"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| {
                    e["properties"]["tier"] == "gold"
                        && e["properties"]["lifecycle"] == "production"
                }),
            "{made}"
        );
        assert!(made["list"]["total"].as_i64().unwrap() > 0);
    }
);

both_databases!(
    pages_are_listed_read_and_deleted_with_their_saved_views,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        let bearer = support::admin_bearer(&store).await;
        let page = json!({
            "identifier": "bronze-services", "title": "Bronze services", "type": "blueprint-entities",
            "blueprint": "service"
        });
        let (status, body) =
            support::api_call(&store, "POST", "/v1/pages", Some(&bearer), Some(page)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) =
            support::api_call(&store, "GET", "/v1/pages", Some(&bearer), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["ok"], true);
        let ids: Vec<&str> = body["pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["identifier"].as_str().unwrap())
            .collect();
        assert!(
            ids.contains(&"bronze-services") && ids.contains(&"services"),
            "{body}"
        );
        let (status, body) = support::api_call(
            &store,
            "GET",
            "/v1/pages/bronze-services",
            Some(&bearer),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["page"]["title"], "Bronze services");
        assert_eq!(body["page"]["blueprint"], "service");

        // A member saves a view on it, may not delete it; the admin does.
        let member = person_cookie(&store, "p@pages.test", UserRole::Member, &[], &[]).await;
        let (status, _) = call(
            &store,
            &member,
            "save_view",
            &[("page", "bronze-services".into()), ("name", "Mine".into())],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) =
            support::cookie_call(&store, "DELETE", "/v1/pages/bronze-services", &member, None)
                .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = support::api_call(
            &store,
            "DELETE",
            "/v1/pages/bronze-services",
            Some(&bearer),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"ok": true}));

        // Gone, with the saved view; the services stay; the deletion is audited.
        for method in ["GET", "DELETE"] {
            let (status, body) = support::api_call(
                &store,
                method,
                "/v1/pages/bronze-services",
                Some(&bearer),
                None,
            )
            .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method}: {body}");
            assert_eq!(body["error"], "not_found");
        }
        let (status, _) = catalog(&store, &member, "bronze-services", &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            store
                .saved_views("bronze-services", "p@pages.test")
                .await
                .unwrap()
                .len(),
            0
        );
        assert!(services_with_tier(&store, "gold").await > 0);
        let (status, body) = support::api_call(
            &store,
            "GET",
            "/v1/audit-log?resources=page",
            Some(&bearer),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let actions: Vec<&str> = body["audits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["action"].as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&"DELETE") && actions.contains(&"CREATE"),
            "{body}"
        );
    }
);

both_databases!(
    my_teams_tells_someone_in_no_team_why_it_is_empty,
    |store, _url| {
        portolan::services::demo::seed_if_empty(&store)
            .await
            .unwrap();
        // The first admin is in no team; a member in no team gets no link.
        let admin = support::admin_cookie(&store).await;
        let (status, _, html) =
            support::get_page(&store, "/catalog/services?mine=1", Some(&admin)).await;
        assert_eq!(status, axum::http::StatusCode::OK);
        assert!(
            html.contains("You are not in any team, so My Teams shows nothing."),
            "{html}"
        );
        assert!(html.contains("href=\"/users-teams?tab=teams\""), "{html}");
        let member = support::member_cookie(&store, "lone@portolan.test").await;
        let (_, _, html) =
            support::get_page(&store, "/catalog/services?mine=1", Some(&member)).await;
        assert!(html.contains("You are not in any team"), "{html}");
        assert!(!html.contains("Put yourself in a team"), "{html}");
        let (_, _, html) = support::get_page(&store, "/catalog/services", Some(&member)).await;
        assert!(!html.contains("You are not in any team"));
    }
);
