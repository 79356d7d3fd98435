//! Storage and catalog-reading tests, each run on SQLite and PostgreSQL.

mod support;

use portolan::model::{AppError, SortOrder};
use portolan::query::EntityListing;
use portolan::services::{catalog, catalog_page, demo};
use portolan::store::{Store, StoreError};

async fn seeded(store: &Store) {
    demo::seed_if_empty(store)
        .await
        .expect("seed demo data")
        .expect("database was empty");
}

/// A reader who may read everything (an admin machine token).
fn reader() -> portolan::model::Subject {
    portolan::model::Subject::Machine {
        client_id: "test".into(),
        role: portolan::model::UserRole::Admin,
    }
}

fn listing(blueprint: &str, sort: &str, search: Option<&str>, offset: i64) -> EntityListing {
    EntityListing {
        blueprint: blueprint.into(),
        search: search.map(str::to_string),
        sort: portolan::model::EntitySort::from_url(sort),
        offset,
        limit: 50,
        restriction: None,
        group_by: None,
    }
}

both_databases!(fresh_database_migrates_and_answers, |store, _url| {
    store.ping().await.unwrap();
    assert!(store.catalog_is_empty().await.unwrap());
    // Running migrations again is a no-op, as at every restart.
    store.migrate().await.unwrap();
    assert!(matches!(store.backend(), "sqlite" | "postgres"));
});

both_databases!(
    demo_data_is_seeded_once_and_never_overwritten,
    |store, _url| {
        let first = demo::seed_if_empty(&store).await.unwrap().expect("seeded");
        assert_eq!(first.blueprints, 4);
        assert!(first.entities >= 300, "{} entities", first.entities);
        assert_eq!(first.teams, 5);
        assert!(first.users >= 3);
        // Six pages and the home dashboard, which the migrations made and the demo fills.
        assert_eq!(first.pages, 7);
        assert_eq!(demo::seed_if_empty(&store).await.unwrap(), None);
        let total: i64 = {
            let mut n = 0;
            for bp in store.list_blueprints().await.unwrap() {
                n += store.count_entities(&bp.identifier).await.unwrap();
            }
            n
        };
        assert_eq!(total as usize, first.entities);
    }
);

both_databases!(
    tables_sort_by_title_and_page_without_overlap,
    |store, _url| {
        seeded(&store).await;
        let expected: Vec<String> = {
            let mut titles: Vec<String> = demo::entities(chrono::Utc::now())
                .into_iter()
                .filter(|e| e.entity.blueprint == "service")
                .map(|e| e.entity.title.unwrap())
                .collect();
            titles.sort();
            titles
        };
        let first = store
            .list_entities(&listing("service", "", None, 0))
            .await
            .unwrap();
        let second = store
            .list_entities(&listing("service", "", None, 50))
            .await
            .unwrap();
        assert_eq!(first.total, expected.len() as i64);
        assert_eq!(first.entities.len(), 50);
        let got: Vec<String> = first
            .entities
            .iter()
            .chain(second.entities.iter())
            .map(|e| e.title.clone().unwrap())
            .collect();
        assert_eq!(got, expected);
    }
);

both_databases!(
    tables_sort_by_a_number_property_descending,
    |store, _url| {
        seeded(&store).await;
        let list = store
            .list_entities(&listing("service", "-monthlyCost", None, 0))
            .await
            .unwrap();
        let costs: Vec<f64> = list
            .entities
            .iter()
            .map(|e| e.properties["monthlyCost"].as_f64().unwrap())
            .collect();
        let mut sorted = costs.clone();
        sorted.sort_by(|a, b| b.partial_cmp(a).unwrap());
        assert_eq!(costs, sorted);
        assert_eq!(list.entities.len(), 50);
    }
);

both_databases!(
    search_matches_title_or_identifier_ignoring_case,
    |store, _url| {
        seeded(&store).await;
        let list = store
            .list_entities(&listing("service", "$identifier", Some("CART"), 0))
            .await
            .unwrap();
        let ids: Vec<&str> = list
            .entities
            .iter()
            .map(|e| e.identifier.as_str())
            .collect();
        assert_eq!(
            ids,
            vec!["cart-api", "cart-jobs", "cart-web", "cart-worker"]
        );
        assert_eq!(list.total, 4);
        // Wildcards in the search are literal characters.
        let none = store
            .list_entities(&listing("service", "", Some("%"), 0))
            .await
            .unwrap();
        assert_eq!(none.total, 0);
    }
);

both_databases!(entities_read_back_in_ports_shape, |store, _url| {
    seeded(&store).await;
    let cart = store
        .get_entity("service", "cart-api")
        .await
        .unwrap()
        .expect("cart-api");
    assert_eq!(cart.team, vec!["checkout".to_string()]);
    assert_eq!(cart.title.as_deref(), Some("Cart Api"));
    assert!(cart.properties["tier"].is_string());
    let json = serde_json::to_value(&cart).unwrap();
    assert!(json["team"].is_array(), "team is always an array on read");
    assert!(json["createdAt"].is_string());
    assert!(store
        .get_entity("service", "no-such")
        .await
        .unwrap()
        .is_none());

    let deployment = store
        .list_entities(&listing("deployment", "", None, 0))
        .await
        .unwrap()
        .entities
        .remove(0);
    let service = deployment.related("service").remove(0);
    let refs = store
        .entities_referencing("service", &service)
        .await
        .unwrap();
    assert!(refs
        .iter()
        .any(|r| r.identifier == deployment.identifier && r.relation == "service"));
});

both_databases!(property_breakdown_counts_every_entity, |store, _url| {
    seeded(&store).await;
    let counts = store
        .count_by_property("service", "tier", None)
        .await
        .unwrap();
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    assert_eq!(total, store.count_entities("service").await.unwrap());
    assert!(counts
        .iter()
        .all(|(v, _)| matches!(v.as_deref(), Some("gold" | "silver" | "bronze"))));
    let booleans = store
        .count_by_property("service", "hasRunbook", None)
        .await
        .unwrap();
    assert!(booleans.len() <= 2 && !booleans.is_empty());
    assert!(
        booleans
            .iter()
            .all(|(v, _)| matches!(v.as_deref(), Some("true" | "false"))),
        "booleans read the same on both databases: {booleans:?}"
    );
});

both_databases!(taken_identifiers_are_conflicts, |store, _url| {
    seeded(&store).await;
    let bp = demo::blueprints().remove(0);
    match store.insert_blueprint(&bp, 9, None).await {
        Err(StoreError::Conflict(m)) => assert!(m.contains("already taken"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let err: AppError = store
        .insert_blueprint(&bp, 9, None)
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.status(), 409);
});

both_databases!(users_and_teams_list_their_memberships, |store, _url| {
    seeded(&store).await;
    let users = store.list_users().await.unwrap();
    let admin = users
        .iter()
        .find(|u| u.email == "admin@portolan.dev")
        .unwrap();
    assert_eq!(admin.role, portolan::model::UserRole::Admin);
    assert_eq!(admin.teams, vec!["platform".to_string()]);
    let teams = store.list_teams().await.unwrap();
    assert_eq!(teams.len(), 5);
    let platform = teams.iter().find(|t| t.name == "platform").unwrap();
    assert!(platform.users.contains(&"mo@portolan.dev".to_string()));
});

both_databases!(catalog_page_errors_say_what_is_wrong, |store, _url| {
    seeded(&store).await;
    let ok = catalog_page::catalog_page(
        &store,
        &reader(),
        "services",
        &catalog_page::CatalogRequest::simple("-tier", "", 0, false),
    )
    .await
    .unwrap();
    assert_eq!(ok.context.view.sort.order, SortOrder::Desc);
    assert_eq!(ok.list.entities.len(), 50);
    match catalog_page::catalog_page(
        &store,
        &reader(),
        "nope",
        &catalog_page::CatalogRequest::simple("", "", 0, false),
    )
    .await
    {
        Err(AppError::NotFound(m)) => assert!(m.contains("nope")),
        other => panic!("{other:?}"),
    }
    match catalog_page::catalog_page(
        &store,
        &reader(),
        "services",
        &catalog_page::CatalogRequest::simple("colour", "", 0, false),
    )
    .await
    {
        Err(AppError::Invalid(m)) => assert!(m.contains("`colour`"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        catalog_page::catalog_page(
            &store,
            &reader(),
            "services",
            &catalog_page::CatalogRequest::simple("", "", -5, false)
        )
        .await,
        Err(AppError::BadRequest(_))
    ));
    // A dashboard is not a catalog page.
    assert!(matches!(
        catalog_page::catalog_page(
            &store,
            &reader(),
            "overview",
            &catalog_page::CatalogRequest::simple("", "", 0, false)
        )
        .await,
        Err(AppError::NotFound(_))
    ));
    match catalog::entity_page(&store, &reader(), "service", "ghost").await {
        Err(AppError::NotFound(m)) => assert!(m.contains("ghost")),
        other => panic!("{other:?}"),
    }
});

both_databases!(markdown_properties_reach_the_page_as_html, |store, _url| {
    seeded(&store).await;
    let page = catalog::entity_page(&store, &reader(), "service", "billing-jobs")
        .await
        .unwrap();
    let (key, html) = &page.markdown_html[0];
    assert_eq!(key, "readme");
    assert!(html.starts_with("<h3>Billing Jobs</h3>"), "{html}");
    assert!(html.contains("<strong>payments</strong>"), "{html}");
});

both_databases!(dashboard_widgets_are_computed, |store, _url| {
    seeded(&store).await;
    let dash = portolan::services::dashboard::dashboard(
        &store,
        &reader(),
        "overview",
        &Default::default(),
    )
    .await
    .unwrap();
    let services = store.count_entities("service").await.unwrap() as f64;
    assert!(dash.widgets.iter().any(|w| w.title == "Services"
        && matches!(w.data, portolan::model::WidgetData::Number { value, .. } if value == Some(services))));
    assert!(dash.widgets.iter().any(|w| matches!(
        &w.data, portolan::model::WidgetData::Breakdown { slices, .. } if slices.iter().map(|s| s.count).sum::<i64>() as f64 == services
    )));
    // Every demo widget draws: none failed, none unsupported.
    for page in ["overview", portolan::services::dashboard::HOME] {
        let dash =
            portolan::services::dashboard::dashboard(&store, &reader(), page, &Default::default())
                .await
                .unwrap();
        for w in &dash.widgets {
            assert!(
                !matches!(
                    w.data,
                    portolan::model::WidgetData::Failed { .. }
                        | portolan::model::WidgetData::Unsupported { .. }
                ),
                "{page}/{}: {:?}",
                w.id,
                w.data
            );
        }
    }
});

both_databases!(sessions_round_trip_and_expire, |store, _url| {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::session_store::{ExpiredDeletion, SessionStore};
    let mut record = Record {
        id: Id::default(),
        data: [("user".to_string(), serde_json::json!("admin@portolan.dev"))].into(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut record).await.unwrap();
    let loaded = store.load(&record.id).await.unwrap().expect("session");
    assert_eq!(loaded.data["user"], "admin@portolan.dev");
    record.data.insert("n".into(), serde_json::json!(2));
    store.save(&record).await.unwrap();
    assert_eq!(store.load(&record.id).await.unwrap().unwrap().data["n"], 2);
    store.delete(&record.id).await.unwrap();
    assert!(store.load(&record.id).await.unwrap().is_none());

    let mut expired = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() - time::Duration::seconds(1),
    };
    store.create(&mut expired).await.unwrap();
    assert!(
        store.load(&expired.id).await.unwrap().is_none(),
        "expired sessions don't load"
    );
    store.delete_expired().await.unwrap();
});

// The catalog's text search, through the full-text index on SQLite and
// the trigram indexes on PostgreSQL, finds exactly what a substring test
// of title and identifier finds (ignoring ASCII case): long and short
// terms, terms with quotes, wildcards and spaces, and after renames and
// deletions (the index follows the rows).
both_databases!(
    text_search_finds_a_term_anywhere_in_title_or_identifier,
    |store, _url| {
        seeded(&store).await;
        let admin = reader();
        let odd = [
            ("quote-svc", "A \"quoted\" name"),
            ("pct-svc", "Costs 50% less"),
            ("under_svc", "Under_score"),
        ];
        for (id, title) in odd {
            portolan::services::entities::write_entity(
                &store,
                &admin,
                "service",
                portolan::services::entities::EntityInput {
                    identifier: Some(id.into()),
                    title: Some(Some(title.into())),
                    properties: Some(
                        serde_json::json!({"tier": "bronze", "lifecycle": "production"})
                            .as_object()
                            .cloned()
                            .unwrap(),
                    ),
                    ..Default::default()
                },
                Default::default(),
            )
            .await
            .unwrap();
        }
        let all = {
            let mut all = Vec::new();
            let mut offset = 0;
            loop {
                let page = store
                    .list_entities(&listing("service", "$identifier", None, offset))
                    .await
                    .unwrap();
                offset += page.entities.len() as i64;
                all.extend(page.entities);
                if offset >= page.total {
                    break;
                }
            }
            all
        };
        text_search_matches(&store, &all).await;
        // Renamed and deleted entities leave the index with their rows.
        let (status, json) = support::api_call(
            &store,
            "PATCH",
            "/v1/blueprints/service/entities/quote-svc",
            Some(&support::admin_bearer(&store).await),
            Some(serde_json::json!({"title": "Renamed cart thing"})),
        )
        .await;
        assert_eq!(status, axum::http::StatusCode::OK, "{json}");
        portolan::services::entities::delete_entity(&store, &admin, "service", "pct-svc")
            .await
            .unwrap();
        let all: Vec<portolan::model::Entity> = all
            .into_iter()
            .filter(|e| e.identifier != "pct-svc")
            .map(|mut e| {
                if e.identifier == "quote-svc" {
                    e.title = Some("Renamed cart thing".into());
                }
                e
            })
            .collect();
        text_search_matches(&store, &all).await;
    }
);

/// Every term's search answers exactly the entities whose identifier or
/// title contains it, ignoring ASCII case, in order, with the right total.
async fn text_search_matches(store: &Store, all: &[portolan::model::Entity]) {
    for term in [
        "cart",
        "CART",
        "ar",
        "t",
        "Api",
        "pi ",
        "\"quoted\"",
        "50%",
        "_s",
        "r_s",
        "zzz-nothing",
        "Costs 50",
    ] {
        let t = term.trim().to_ascii_lowercase();
        let want: Vec<String> = all
            .iter()
            .filter(|e| {
                e.identifier.to_ascii_lowercase().contains(&t)
                    || e.title
                        .as_deref()
                        .unwrap_or("")
                        .to_ascii_lowercase()
                        .contains(&t)
            })
            .map(|e| e.identifier.clone())
            .collect();
        let mut got = Vec::new();
        let mut offset = 0;
        loop {
            let page = store
                .list_entities(&listing("service", "$identifier", Some(term), offset))
                .await
                .unwrap();
            assert_eq!(page.total, want.len() as i64, "count of {term:?}");
            offset += page.entities.len() as i64;
            got.extend(page.entities.into_iter().map(|e| e.identifier));
            if offset >= page.total {
                break;
            }
        }
        assert_eq!(got, want, "term {term:?}");
    }
}
