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
        let bp = blueprint(json!({"cost": {"type": "number"}, "notes": {"type": "string"}}));
        store
            .insert_blueprint(&bp, 0, Some("admin@x"))
            .await
            .unwrap();
        let jobs: Vec<NewEntity> = (0..1500).map(job).collect();
        store.insert_entities(&jobs).await.unwrap();

        let query = serde_json::from_value(json!({"combinator": "and", "rules": [
            {"property": "$team", "operator": "containsAny", "value": ["team-a"]},
            {"property": "cost", "operator": ">", "value": 5}
        ]}))
        .unwrap();
        let viewer = Viewer {
            email: None,
            teams: Vec::new(),
        };
        let blueprints = [bp.clone()];
        let scope = Scope {
            blueprints: &blueprints,
            single: Some("job"),
            viewer: &viewer,
            now: Utc::now(),
        };
        let restriction =
            compile_filter(store.dialect(), &query, &scope).expect("the filter compiles");

        for (sort, offset) in [
            ("-cost", 0),
            ("-cost", 50),
            ("cost", 100),
            ("$title", 0),
            ("-$title", 150),
        ] {
            let listing = EntityListing {
                blueprint: "job".into(),
                search: None,
                sort: EntitySort::from_url(sort),
                offset,
                limit: 50,
                restriction: Some(restriction.clone()),
                group_by: None,
            };
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
            let walked = store.walk_sort_index(&listing, page.total).await.unwrap();
            if store.backend() == "sqlite" && offset == 0 {
                assert!(walked.is_some(), "{sort} walks an index");
            }
            if store.backend() == "postgres" {
                assert!(walked.is_none());
            }
        }
    }
);
