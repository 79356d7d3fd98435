//! How long one authorization decision takes: the policy is pure and runs
//! in-process on data the caller already holds, so it should cost well
//! under a microsecond to a few. Run by `bench/run.sh` (or
//! `cargo run --release --features ssr --example policy_decisions`); prints
//! one JSON line per decision kind.

use portolan::authz::{entity_read_scope, may_register, may_update};
use portolan::model::{
    Blueprint, BlueprintPermissions, Entity, PropertySchema, PropertyType, SignedInUser, Subject,
    UserRole,
};
use serde_json::json;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let mut blueprint: Blueprint = serde_json::from_value(json!({
        "identifier": "service", "title": "Service", "schema": {"properties": {}}
    }))
    .expect("a blueprint");
    for i in 0..12 {
        blueprint.schema.properties.insert(
            format!("p{i}"),
            PropertySchema::new(PropertyType::String, "P"),
        );
    }
    let mut permissions = BlueprintPermissions::defaults(&blueprint);
    permissions.entities.update.owned_by_team = true;
    permissions.entities.read.roles = vec!["Admin".into()];
    permissions.entities.read.owned_by_team = true;
    permissions.entities.update_properties["p3"]
        .roles
        .push("Member".into());
    let member = Subject::User(SignedInUser {
        email: "member@example.com".into(),
        name: "Member".into(),
        role: UserRole::Member,
        teams: (0..5).map(|i| format!("team-{i}")).collect(),
        moderated_blueprints: vec!["deployment".into()],
    });
    let properties = (0..12)
        .map(|i| (format!("p{i}"), json!(format!("value {i}"))))
        .collect();
    let before = Entity {
        identifier: "cart-api".into(),
        title: Some("Cart API".into()),
        icon: None,
        blueprint: "service".into(),
        team: vec!["team-9".into()],
        properties,
        relations: Default::default(),
        created_at: chrono::Utc::now(),
        created_by: None,
        updated_at: chrono::Utc::now(),
        updated_by: None,
        version: 1,
    };
    let mut after = before.clone();
    after.properties.insert("p3".into(), json!("changed"));

    let runs = 1_000_000u32;
    let measure = |name: &str, decide: &dyn Fn() -> bool| {
        let start = Instant::now();
        let mut allowed = 0u32;
        for _ in 0..runs {
            allowed += u32::from(black_box(decide()));
        }
        let ns = start.elapsed().as_nanos() as f64 / f64::from(runs);
        println!(
            "{}",
            json!({"decision": name, "nanoseconds_per_decision": (ns * 10.0).round() / 10.0, "allowed": allowed == runs})
        );
    };
    measure("update one permitted property (member, not owner)", &|| {
        may_update(&member, &permissions, &before, &after).allowed
    });
    measure("register (member, refused with a reason)", &|| {
        !may_register(&member, &permissions, &before).allowed
    });
    measure("read scope (member, narrowed to their teams)", &|| {
        matches!(
            entity_read_scope(&member, &permissions),
            portolan::authz::ReadScope::Only(_)
        )
    });
}
