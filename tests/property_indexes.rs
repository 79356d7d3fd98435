//! Property indexes, on SQLite and PostgreSQL: they follow blueprints as
//! they are created, changed and deleted, and a filtered listing read
//! through the sort index returns exactly the rows, order and total of an
//! in-memory sort of the same entities.

mod support;

use chrono::Utc;
use portolan::model::{Blueprint, Entity, EntitySort};
use portolan::query::{compile_filter, EntityListing, Scope, Viewer};
use portolan::store::NewEntity;
use serde_json::json;

fn blueprint(properties: serde_json::Value) -> Blueprint {
    serde_json::from_value(json!({
        "identifier": "job", "title": "Job",
        "schema": {"properties": properties}
    }))
    .unwrap()
}

fn job(i: usize) -> NewEntity {
    let now = Utc::now();
    NewEntity {
        entity: Entity {
            identifier: format!("job-{i:05}"),
            title: Some(format!("Job {}", (i * 7919) % 1000)),
            icon: None,
            blueprint: "job".into(),
            // Every third job is team-a's: a broad filter.
            team: vec![if i.is_multiple_of(3) {
                "team-a"
            } else {
                "team-b"
            }
            .to_string()],
            // Few distinct costs, so ties fall back to the identifier.
            properties: json!({"cost": (i * 37) % 101, "notes": "x"})
                .as_object()
                .cloned()
                .unwrap(),
            relations: Default::default(),
            created_at: now,
            created_by: None,
            updated_at: now,
            updated_by: None,
            version: 1,
        },
        links: Vec::new(),
    }
}

/// 1,500 jobs of a blueprint with an indexed `cost`, and `filter` (Port's
/// query JSON) compiled against it for an anonymous viewer.
async fn jobs_and_filter(
    store: &portolan::store::Store,
    filter: serde_json::Value,
) -> (Vec<NewEntity>, portolan::query::Sql) {
    let bp = blueprint(json!({"cost": {"type": "number"}, "notes": {"type": "string"}}));
    store
        .insert_blueprint(&bp, 0, Some("admin@x"))
        .await
        .unwrap();
    let jobs: Vec<NewEntity> = (0..1500).map(job).collect();
    store.insert_entities(&jobs).await.unwrap();
    let query = serde_json::from_value(filter).unwrap();
    let viewer = Viewer {
        email: None,
        teams: Vec::new(),
    };
    let blueprints = [bp];
    let scope = Scope {
        blueprints: &blueprints,
        single: Some("job"),
        viewer: &viewer,
        now: Utc::now(),
    };
    let restriction = compile_filter(store.dialect(), &query, &scope).expect("the filter compiles");
    (jobs, restriction)
}

/// A 50-row page of jobs sorted by `sort` (URL form), within `restriction`.
fn job_listing(sort: &str, offset: i64, restriction: portolan::query::Sql) -> EntityListing {
    EntityListing {
        blueprint: "job".into(),
        search: None,
        sort: EntitySort::from_url(sort),
        offset,
        limit: 50,
        restriction: Some(restriction),
        group_by: None,
    }
}

both_databases!(indexes_follow_blueprint_changes, |store, _url| {
    let mut bp = blueprint(json!({
        "cost": {"type": "number"},
        "tier": {"type": "string", "enum": ["gold", "silver"]},
        "readme": {"type": "string", "format": "markdown"},
        "tags": {"type": "array"}
    }));
    store
        .insert_blueprint(&bp, 0, Some("admin@x"))
        .await
        .unwrap();
    assert_eq!(
        store.indexed_property_keys("job").await.unwrap(),
        ["cost", "tier"]
    );

    let before = bp.clone();
    bp.schema.properties.shift_remove("tier");
    bp.schema.properties.insert(
        "public".into(),
        serde_json::from_value(json!({"type": "boolean"})).unwrap(),
    );
    store
        .update_blueprint(&before, &bp, "admin@x")
        .await
        .unwrap();
    assert_eq!(
        store.indexed_property_keys("job").await.unwrap(),
        ["cost", "public"]
    );

    // A restart (migrations run again) changes nothing.
    store.migrate().await.unwrap();
    assert_eq!(
        store.indexed_property_keys("job").await.unwrap(),
        ["cost", "public"]
    );

    store.delete_blueprint(&bp, "admin@x").await.unwrap();
    assert!(store.indexed_property_keys("job").await.unwrap().is_empty());
    // The same identifier can come back with its indexes.
    store
        .insert_blueprint(&bp, 0, Some("admin@x"))
        .await
        .unwrap();
    assert_eq!(
        store.indexed_property_keys("job").await.unwrap(),
        ["cost", "public"]
    );
});

both_databases!(
    filtered_listings_through_the_sort_index_are_exact,
    |store, _url| {
        let (jobs, restriction) = jobs_and_filter(
            &store,
            json!({"combinator": "and", "rules": [
                {"property": "$team", "operator": "containsAny", "value": ["team-a"]},
                {"property": "cost", "operator": ">", "value": 5}
            ]}),
        )
        .await;

        for (sort, offset) in [
            ("-cost", 0),
            ("-cost", 50),
            ("cost", 100),
            ("$title", 0),
            ("-$title", 150),
        ] {
            let listing = job_listing(sort, offset, restriction.clone());
            let mut expected: Vec<&Entity> = jobs
                .iter()
                .map(|n| &n.entity)
                .filter(|e| e.team == ["team-a"] && e.properties["cost"].as_i64().unwrap() > 5)
                .collect();
            let key = |e: &Entity| {
                if sort.ends_with("cost") {
                    format!("{:05}", e.properties["cost"].as_i64().unwrap())
                } else {
                    e.title.clone().unwrap()
                }
            };
            expected.sort_by(|a, b| (key(a), &a.identifier).cmp(&(key(b), &b.identifier)));
            if sort.starts_with('-') {
                expected.reverse();
            }
            let page = store.list_entities(&listing).await.unwrap();
            assert_eq!(page.total as usize, expected.len(), "{sort}");
            let got: Vec<&str> = page
                .entities
                .iter()
                .map(|e| e.identifier.as_str())
                .collect();
            let want: Vec<&str> = expected
                .iter()
                .skip(offset as usize)
                .take(50)
                .map(|e| e.identifier.as_str())
                .collect();
            assert_eq!(got, want, "{sort} from {offset}");
            // On SQLite a match this broad is read in sort order (the index
            // is walked); deep pages and PostgreSQL leave it to the planner.
            let index = store.sort_index(&listing).await.unwrap();
            let walked = store.worth_walking(&listing, page.total).await.unwrap();
            if store.backend() == "sqlite" && offset == 0 {
                assert!(index.is_some() && walked, "{sort} walks an index");
            }
            if store.backend() == "postgres" {
                assert!(index.is_none());
            }
        }
    }
);

both_databases!(
    a_narrow_filter_sorts_its_few_matches_and_the_pool_serves_on,
    |store, _url| {
        // About five matches: on SQLite the walk of the cost index, started
        // beside the count, is stopped and the matches are sorted instead.
        let (jobs, restriction) = jobs_and_filter(
            &store,
            json!({"combinator": "and", "rules": [
                {"property": "$team", "operator": "containsAny", "value": ["team-a"]},
                {"property": "cost", "operator": "=", "value": 7}
            ]}),
        )
        .await;
        let listing = job_listing("-cost", 0, restriction);
        let mut want: Vec<&str> = jobs
            .iter()
            .map(|n| &n.entity)
            .filter(|e| e.team == ["team-a"] && e.properties["cost"] == 7)
            .map(|e| e.identifier.as_str())
            .collect();
        want.reverse();
        assert!(!want.is_empty());
        assert!(!store
            .worth_walking(&listing, want.len() as i64)
            .await
            .unwrap());
        // Again and again: a connection left with a raised stop signal would
        // fail one of the later reads.
        for _ in 0..20 {
            let page = store.list_entities(&listing).await.unwrap();
            assert_eq!(page.total as usize, want.len());
            let got: Vec<&str> = page
                .entities
                .iter()
                .map(|e| e.identifier.as_str())
                .collect();
            assert_eq!(got, want);
            assert_eq!(store.count_entities("job").await.unwrap(), 1500);
        }
    }
);

/// The plan log of this test process (one per process: the store's is).
fn plan_log() -> &'static std::path::Path {
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let path =
            std::env::temp_dir().join(format!("portolan-plans-{}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&path);
        portolan::store::query_plans::write_plans_to(&path).expect("open the plan log");
        path
    })
}

/// The plans logged so far for statements of this backend containing `needle`.
fn plans_of(backend: &str, needle: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(plan_log())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|p| p["backend"] == backend && p["sql"].as_str().unwrap().contains(needle))
        .map(|p| serde_json::from_value(p["plan"].clone()).unwrap())
        .collect()
}

both_databases!(query_plans_are_logged_once_per_statement, |store, _url| {
    plan_log();
    let bp = blueprint(json!({"cost": {"type": "number"}, "notes": {"type": "string"}}));
    store
        .insert_blueprint(&bp, 0, Some("admin@x"))
        .await
        .unwrap();
    store
        .insert_entities(&(0..300).map(job).collect::<Vec<_>>())
        .await
        .unwrap();
    let listing = EntityListing {
        blueprint: "job".into(),
        search: None,
        sort: EntitySort::from_url("-cost"),
        offset: 0,
        limit: 50,
        restriction: None,
        group_by: None,
    };
    // Twice, with different bind values: one statement, one plan.
    store.list_entities(&listing).await.unwrap();
    store
        .list_entities(&EntityListing {
            offset: 50,
            ..listing.clone()
        })
        .await
        .unwrap();
    assert!(store
        .get_entity("job", "job-00007")
        .await
        .unwrap()
        .is_some());

    let backend = store.backend();
    let sorted = plans_of(backend, "ORDER BY");
    assert_eq!(sorted.len(), 1, "one plan for the listing: {sorted:?}");
    let lookups = plans_of(backend, "AND e.identifier = $2");
    assert_eq!(lookups.len(), 1, "{lookups:?}");
    if backend == "sqlite" {
        // The sort reads the cost index; the lookup, the unique key.
        assert!(
            sorted[0]
                .iter()
                .any(|step| step.contains("USING INDEX entities_prop_")),
            "{sorted:?}"
        );
        assert!(
            lookups[0].iter().any(|step| step.contains("USING INDEX")),
            "{lookups:?}"
        );
    } else {
        // PostgreSQL's first line is the plan's root, with its cost estimate.
        assert!(sorted[0][0].contains("cost="), "{sorted:?}");
        assert!(lookups[0][0].contains("cost="), "{lookups:?}");
    }
});

// The table's search box on both databases: a term anywhere in the title
// or the identifier, ignoring case, with LIKE's wildcards taken literally;
// SQLite answers terms of three characters or more from its FTS5 trigram
// table, PostgreSQL from trigram indexes on lower(column). Totals and rows
// match a scan of the same entities in memory.
both_databases!(text_search_matches_title_or_identifier, |store, _url| {
    let bp = blueprint(json!({"cost": {"type": "number"}}));
    store
        .insert_blueprint(&bp, 0, Some("admin@x"))
        .await
        .unwrap();
    let mut jobs: Vec<NewEntity> = (0..300).map(job).collect();
    jobs[7].entity.title = Some("Nightly 50% ROLLUP".into());
    jobs[8].entity.title = Some("Nightly 500 rollup".into());
    jobs[9].entity.title = None;
    store.insert_entities(&jobs).await.unwrap();
    for term in [
        "job 1",
        "JOB-0012",
        "rollup",
        "50%",
        "b-",
        "_",
        "no such text",
    ] {
        let listing = EntityListing {
            blueprint: "job".into(),
            search: Some(term.into()),
            sort: EntitySort::from_url("$identifier"),
            offset: 0,
            limit: 500,
            restriction: None,
            group_by: None,
        };
        let needle = term.to_lowercase();
        let want: Vec<&str> = jobs
            .iter()
            .map(|n| &n.entity)
            .filter(|e| {
                e.identifier.to_lowercase().contains(&needle)
                    || e.title
                        .as_deref()
                        .is_some_and(|t| t.to_lowercase().contains(&needle))
            })
            .map(|e| e.identifier.as_str())
            .collect();
        let page = store.list_entities(&listing).await.unwrap();
        let got: Vec<&str> = page
            .entities
            .iter()
            .map(|e| e.identifier.as_str())
            .collect();
        assert_eq!(got, want, "search {term:?}");
        assert_eq!(page.total as usize, want.len(), "total of {term:?}");
    }
});
