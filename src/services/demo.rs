//! Demo data for a fresh portal: a small company's catalog of clusters,
//! environments, services and deployments, with teams, users of each role,
//! a catalog page per blueprint and an overview dashboard.
//!
//! Generated deterministically (a fixed-seed generator), so every fresh
//! database and every test sees the same catalog.

use crate::model::dashboard::{LayoutColumn, LayoutRow, PageFilter};
use crate::model::query::Query;
use crate::model::{
    AppError, Blueprint, BlueprintPermissions, BlueprintSchema, Entity, Page, PageAudience,
    PagePermissions, PageType, PropertySchema, PropertyType, RelationSchema, Team, TeamProvider,
    User, UserRole, UserStatus,
};
use crate::store::{NewEntity, RelationLink, Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub const TEAMS: [(&str, &str); 5] = [
    ("platform", "Clusters, CI/CD and the paved road"),
    ("payments", "Payment processing, billing and the ledger"),
    ("checkout", "Cart, checkout and orders"),
    ("search", "Search, catalog and recommendations"),
    ("data", "Analytics, pipelines and fraud models"),
];

/// What the seeding wrote, for the start-up log line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    pub blueprints: usize,
    pub entities: usize,
    pub teams: usize,
    pub users: usize,
    pub pages: usize,
}

/// A tiny fixed-seed generator (64-bit LCG): deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn prop(kind: PropertyType, title: &str) -> PropertySchema {
    PropertySchema::new(kind, title)
}

fn relation(title: &str, target: &str, required: bool, many: bool) -> RelationSchema {
    RelationSchema {
        title: Some(title.into()),
        description: None,
        target: target.into(),
        required,
        many,
    }
}

fn blueprint(
    identifier: &str,
    title: &str,
    icon: &str,
    description: &str,
    properties: Vec<(&str, PropertySchema)>,
    required: &[&str],
    relations: Vec<(&str, RelationSchema)>,
) -> Blueprint {
    Blueprint {
        identifier: identifier.into(),
        title: title.into(),
        icon: Some(icon.into()),
        description: Some(description.into()),
        schema: BlueprintSchema {
            properties: properties
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            required: required.iter().map(|s| s.to_string()).collect(),
        },
        relations: relations
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        ..Default::default()
    }
}

pub fn blueprints() -> Vec<Blueprint> {
    let mut all = catalog_blueprints();
    // Deployments belong to their service's teams and show its tier: the
    // demo's inherited ownership and mirror property.
    if let Some(deployment) = all.iter_mut().find(|b| b.identifier == "deployment") {
        deployment.ownership = Some(crate::model::Ownership::Inherited {
            path: "service".into(),
            title: Some("Service teams".into()),
        });
        deployment.mirror_properties.insert(
            "serviceTier".into(),
            crate::model::MirrorProperty {
                title: Some("Service tier".into()),
                path: "service.tier".into(),
            },
        );
    }
    all
}

fn catalog_blueprints() -> Vec<Blueprint> {
    use PropertyType::*;
    vec![
        blueprint(
            "cluster",
            "Cluster",
            "Cluster",
            "Kubernetes clusters the company runs",
            vec![
                (
                    "provider",
                    prop(String, "Cloud provider").with_enum(&[
                        ("aws", "orange"),
                        ("gcp", "blue"),
                        ("azure", "turquoise"),
                    ]),
                ),
                ("region", prop(String, "Region")),
                ("kubernetesVersion", prop(String, "Kubernetes version")),
                ("nodeCount", prop(Number, "Nodes")),
                ("console", prop(String, "Console").with_format("url")),
            ],
            &["provider", "region"],
            vec![],
        ),
        blueprint(
            "environment",
            "Environment",
            "Environment",
            "Where services run: production, staging, development",
            vec![
                (
                    "type",
                    prop(String, "Type").with_enum(&[
                        ("production", "red"),
                        ("staging", "orange"),
                        ("development", "green"),
                    ]),
                ),
                ("region", prop(String, "Region")),
                ("onCall", prop(String, "On call").with_format("email")),
                ("locked", prop(Boolean, "Deploys locked")),
            ],
            &["type"],
            vec![("cluster", relation("Cluster", "cluster", false, false))],
        ),
        blueprint(
            "service",
            "Service",
            "Microservice",
            "Microservices and the teams that own them",
            vec![
                (
                    "tier",
                    prop(String, "Tier").with_enum(&[
                        ("gold", "yellow"),
                        ("silver", "lightGray"),
                        ("bronze", "bronze"),
                    ]),
                ),
                (
                    "language",
                    prop(String, "Language").with_enum(&[
                        ("Go", "turquoise"),
                        ("Rust", "orange"),
                        ("Python", "blue"),
                        ("TypeScript", "purple"),
                        ("Java", "red"),
                        ("Kotlin", "pink"),
                    ]),
                ),
                (
                    "lifecycle",
                    prop(String, "Lifecycle").with_enum(&[
                        ("production", "green"),
                        ("experimental", "blue"),
                        ("deprecated", "darkGray"),
                    ]),
                ),
                ("repository", prop(String, "Repository").with_format("url")),
                ("onCall", prop(String, "On call").with_format("email")),
                ("monthlyCost", prop(Number, "Monthly cost (USD)")),
                ("hasRunbook", prop(Boolean, "Has runbook")),
                (
                    "lastIncident",
                    prop(String, "Last incident").with_format("date-time"),
                ),
                ("tags", prop(Array, "Tags")),
                ("readme", prop(String, "README").with_format("markdown")),
            ],
            &["tier", "lifecycle"],
            vec![(
                "dependencies",
                relation("Depends on", "service", false, true),
            )],
        ),
        blueprint(
            "deployment",
            "Deployment",
            "Deployment",
            "A version of a service running in an environment",
            vec![
                ("version", prop(String, "Version")),
                (
                    "status",
                    prop(String, "Status").with_enum(&[
                        ("success", "green"),
                        ("failed", "red"),
                        ("in-progress", "blue"),
                        ("rolled-back", "orange"),
                    ]),
                ),
                (
                    "deployedAt",
                    prop(String, "Deployed at").with_format("date-time"),
                ),
                ("durationSeconds", prop(Number, "Duration (s)")),
                ("commit", prop(String, "Commit").with_format("url")),
            ],
            &["version", "status"],
            vec![
                ("service", relation("Service", "service", true, false)),
                (
                    "environment",
                    relation("Environment", "environment", true, false),
                ),
            ],
        ),
    ]
}

struct Builder {
    rng: Rng,
    now: DateTime<Utc>,
    out: Vec<NewEntity>,
}

impl Builder {
    fn entity(
        &mut self,
        blueprint: &str,
        identifier: String,
        title: String,
        team: Vec<String>,
        properties: Value,
        relations: Vec<(&str, &str, Vec<String>)>,
    ) {
        let age_minutes = self.rng.below(60 * 24 * 120) as i64;
        let created_at = self.now - Duration::minutes(age_minutes);
        let updated_at =
            created_at + Duration::minutes(self.rng.below(age_minutes.max(1) as usize) as i64);
        let mut relation_values = Map::new();
        let mut links = Vec::new();
        for (key, target_blueprint, targets) in relations {
            for target in &targets {
                links.push(RelationLink {
                    relation: key.to_string(),
                    target_blueprint: target_blueprint.to_string(),
                    target: target.clone(),
                });
            }
            relation_values.insert(key.to_string(), json!(targets));
        }
        self.out.push(NewEntity {
            entity: Entity {
                identifier,
                title: Some(title),
                icon: None,
                blueprint: blueprint.to_string(),
                team,
                properties: properties.as_object().cloned().unwrap_or_default(),
                relations: relation_values,
                created_at,
                created_by: Some("demo-data".into()),
                updated_at,
                updated_by: Some("demo-data".into()),
                version: 1,
            },
            links,
        });
    }
}

/// Single relations hold a string, many relations an array (Port's shape).
fn single(mut entities: Vec<NewEntity>) -> Vec<NewEntity> {
    for new in &mut entities {
        for (_, value) in new.entity.relations.iter_mut() {
            if let Value::Array(items) = value {
                if new.entity.blueprint != "service" && items.len() == 1 {
                    *value = items[0].clone();
                }
            }
        }
    }
    entities
}

pub fn entities(now: DateTime<Utc>) -> Vec<NewEntity> {
    let mut b = Builder {
        rng: Rng(0x0005_eed0_f904_701a),
        now,
        out: Vec::new(),
    };
    let team = |name: &str| vec![name.to_string()];

    let regions = ["eu-west-1", "us-east-1", "ap-southeast-2"];
    let providers = ["aws", "gcp", "azure"];
    let mut clusters = Vec::new();
    for (i, region) in regions.iter().enumerate() {
        for stage in ["prod", "nonprod"] {
            let id = format!("{}-{stage}-{}", providers[i], region);
            let props = json!({
                "provider": providers[i], "region": region,
                "kubernetesVersion": format!("1.{}", 28 + b.rng.below(4)),
                "nodeCount": 3 + b.rng.below(40),
                "console": format!("https://console.example.com/clusters/{id}"),
            });
            b.entity(
                "cluster",
                id.clone(),
                format!("{} {stage} ({region})", providers[i].to_uppercase()),
                team("platform"),
                props,
                vec![],
            );
            clusters.push(id);
        }
    }

    let mut environments = Vec::new();
    for (i, region) in regions.iter().enumerate() {
        for (kind, cluster_stage) in [
            ("production", "prod"),
            ("staging", "nonprod"),
            ("development", "nonprod"),
            ("preview", "nonprod"),
        ] {
            let env_type = if kind == "preview" {
                "development"
            } else {
                kind
            };
            let id = format!("{kind}-{region}");
            let cluster = format!("{}-{cluster_stage}-{region}", providers[i]);
            let props = json!({
                "type": env_type, "region": region,
                "onCall": format!("oncall-{kind}@example.com"),
                "locked": kind == "production" && i == 2,
            });
            b.entity(
                "environment",
                id.clone(),
                format!("{} {region}", capitalise(kind)),
                team("platform"),
                props,
                vec![("cluster", "cluster", vec![cluster])],
            );
            environments.push(id);
        }
    }

    let domains = [
        ("cart", "checkout"),
        ("checkout", "checkout"),
        ("orders", "checkout"),
        ("shipping", "checkout"),
        ("payments", "payments"),
        ("billing", "payments"),
        ("ledger", "payments"),
        ("pricing", "payments"),
        ("search", "search"),
        ("catalog", "search"),
        ("recommendations", "search"),
        ("reviews", "search"),
        ("analytics", "data"),
        ("fraud", "data"),
        ("events", "data"),
        ("reporting", "data"),
        ("gateway", "platform"),
        ("auth", "platform"),
        ("notifications", "platform"),
        ("media", "platform"),
    ];
    let kinds = ["api", "worker", "web", "jobs"];
    let languages = ["Go", "Rust", "Python", "TypeScript", "Java", "Kotlin"];
    let tiers = ["gold", "silver", "silver", "bronze"];
    let lifecycles = [
        "production",
        "production",
        "production",
        "experimental",
        "deprecated",
    ];
    let tag_pool = [
        "pci", "public", "internal", "grpc", "rest", "kafka", "postgres", "redis", "ml",
    ];
    let mut services: Vec<String> = Vec::new();
    for kind in kinds {
        for (domain, owner) in domains {
            let id = format!("{domain}-{kind}");
            let mut tags = vec![b.rng.pick(&tag_pool).to_string()];
            let second = b.rng.pick(&tag_pool).to_string();
            if !tags.contains(&second) {
                tags.push(second);
            }
            let incident = now - Duration::hours(b.rng.below(24 * 200) as i64);
            let lang = *b.rng.pick(&languages);
            let props = json!({
                "tier": b.rng.pick(&tiers), "language": lang,
                "lifecycle": b.rng.pick(&lifecycles),
                "repository": format!("https://git.example.com/{owner}/{id}"),
                "onCall": format!("{owner}-oncall@example.com"),
                "monthlyCost": (b.rng.below(9000) + 150) as f64,
                "hasRunbook": b.rng.below(3) != 0,
                "lastIncident": incident.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "tags": tags,
                "readme": format!("# {}\n\nOwned by the **{owner}** team. Written in {lang}.\n\n- Runbook: https://wiki.example.com/runbooks/{id}\n- Dashboards: https://grafana.example.com/d/{id}", title_of(&id)),
            });
            let mut deps = Vec::new();
            for _ in 0..b.rng.below(3) {
                if services.is_empty() {
                    break;
                }
                let dep: String = b.rng.pick(&services).clone();
                if !deps.contains(&dep) {
                    deps.push(dep);
                }
            }
            b.entity(
                "service",
                id.clone(),
                title_of(&id),
                team(owner),
                props,
                vec![("dependencies", "service", deps)],
            );
            services.push(id);
        }
    }

    let statuses = [
        "success",
        "success",
        "success",
        "success",
        "failed",
        "in-progress",
        "rolled-back",
    ];
    for n in 0..220 {
        let service = b.rng.pick(&services).clone();
        let environment = b.rng.pick(&environments).clone();
        let owner = domains
            .iter()
            .find(|(d, _)| service.starts_with(&format!("{d}-")))
            .map(|(_, o)| *o)
            .unwrap_or("platform");
        let version = format!(
            "{}.{}.{}",
            1 + b.rng.below(3),
            b.rng.below(20),
            b.rng.below(10)
        );
        let at = now - Duration::minutes(b.rng.below(60 * 24 * 60) as i64);
        let props = json!({
            "version": version, "status": b.rng.pick(&statuses),
            "deployedAt": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "durationSeconds": 30 + b.rng.below(900),
            "commit": format!("https://git.example.com/{owner}/{service}/commit/{:012x}", b.rng.next()),
        });
        let id = format!("{service}-{environment}-{n:03}");
        b.entity(
            "deployment",
            id,
            format!("{} {version} → {environment}", title_of(&service)),
            team(owner),
            props,
            vec![
                ("service", "service", vec![service]),
                ("environment", "environment", vec![environment]),
            ],
        );
    }
    single(b.out)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn title_of(identifier: &str) -> String {
    identifier
        .split('-')
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn users(now: DateTime<Utc>) -> Vec<(User, Vec<&'static str>)> {
    let user = |email: &str,
                first: &str,
                last: &str,
                role: UserRole,
                moderated: &[&str],
                status: UserStatus| User {
        email: email.into(),
        first_name: first.into(),
        last_name: last.into(),
        picture: None,
        role,
        moderated_blueprints: moderated.iter().map(|s| s.to_string()).collect(),
        status,
        teams: vec![],
        created_at: now,
        updated_at: now,
        last_login_at: None,
    };
    vec![
        (
            user(
                "admin@portolan.dev",
                "Ada",
                "Admin",
                UserRole::Admin,
                &[],
                UserStatus::Active,
            ),
            vec!["platform"],
        ),
        (
            user(
                "mo@portolan.dev",
                "Mo",
                "Reyes",
                UserRole::Moderator,
                &["service", "deployment"],
                UserStatus::Active,
            ),
            vec!["platform", "checkout"],
        ),
        (
            user(
                "priya@portolan.dev",
                "Priya",
                "Natarajan",
                UserRole::Member,
                &[],
                UserStatus::Active,
            ),
            vec!["payments"],
        ),
        (
            user(
                "jonas@portolan.dev",
                "Jonas",
                "Berg",
                UserRole::Member,
                &[],
                UserStatus::Active,
            ),
            vec!["checkout"],
        ),
        (
            user(
                "lena@portolan.dev",
                "Lena",
                "Fischer",
                UserRole::Member,
                &[],
                UserStatus::Active,
            ),
            vec!["search", "data"],
        ),
        (
            user(
                "sam@portolan.dev",
                "Sam",
                "Okafor",
                UserRole::Member,
                &[],
                UserStatus::Invited,
            ),
            vec!["data"],
        ),
        (
            user(
                "kim@portolan.dev",
                "Kim",
                "Larsen",
                UserRole::Member,
                &[],
                UserStatus::Disabled,
            ),
            vec!["search"],
        ),
    ]
}

/// The demo's sidebar folders (the overview sits in one).
pub fn folders() -> Vec<crate::model::Folder> {
    vec![crate::model::Folder {
        identifier: "insights".into(),
        title: "Insights".into(),
        parent: None,
    }]
}

pub fn pages() -> Vec<Page> {
    let catalog = |id: &str, title: &str, icon: &str, bp: &str| Page {
        identifier: id.into(),
        title: title.into(),
        icon: Some(icon.into()),
        kind: PageType::BlueprintEntities,
        blueprint: Some(bp.into()),
        description: None,
        widgets: vec![],
        layout: vec![],
        page_filters: vec![],
        permissions: Default::default(),
        dataset: None,
        view: None,
        parent: None,
    };
    vec![
        Page {
            identifier: crate::services::dashboard::HOME.into(),
            title: "Home".into(),
            icon: Some("Home".into()),
            kind: PageType::Dashboard,
            blueprint: None,
            description: Some("What your teams own and run, at a glance".into()),
            widgets: home_widgets(),
            layout: layout(&[
                (
                    170,
                    &[
                        ("services", 3),
                        ("failed-deployments", 3),
                        ("deploy-duration", 3),
                        ("monthly-cost", 3),
                    ],
                ),
                (380, &[("deployments-per-week", 8), ("services-by-tier", 4)]),
                (420, &[("my-services", 7), ("deployments-by-status", 5)]),
                (260, &[("handbook", 8), ("links", 4)]),
            ]),
            page_filters: vec![],
            permissions: PagePermissions::default(),
            dataset: None,
            view: None,
            parent: None,
        },
        Page {
            identifier: "overview".into(),
            title: "Engineering overview".into(),
            icon: Some("Dashboard".into()),
            kind: PageType::Dashboard,
            blueprint: None,
            description: Some("What the company runs, at a glance".into()),
            widgets: vec![
                json!({"id": "services-count", "type": "entities-number-chart", "title": "Services", "blueprint": "service", "chartType": "countEntities", "func": "count", "unit": "none"}),
                json!({"id": "deployments-count", "type": "entities-number-chart", "title": "Deployments", "blueprint": "deployment", "chartType": "countEntities", "func": "count", "unit": "none"}),
                json!({"id": "environments-count", "type": "entities-number-chart", "title": "Environments", "blueprint": "environment", "chartType": "countEntities", "func": "count", "unit": "none"}),
                json!({"id": "clusters-count", "type": "entities-number-chart", "title": "Clusters", "blueprint": "cluster", "chartType": "countEntities", "func": "count", "unit": "none"}),
                json!({"id": "services-by-tier", "type": "entities-pie-chart", "title": "Services by tier", "blueprint": "service", "property": "property#tier"}),
                json!({"id": "services-by-language", "type": "entities-pie-chart", "title": "Services by language", "blueprint": "service", "property": "property#language"}),
                json!({"id": "deployments-by-status", "type": "entities-pie-chart", "title": "Deployments by status", "blueprint": "deployment", "property": "property#status"}),
                json!({"id": "services-by-lifecycle", "type": "entities-bar-chart", "title": "Services by lifecycle", "blueprint": "service", "property": "property#lifecycle"}),
            ],
            layout: layout(&[
                (
                    170,
                    &[
                        ("services-count", 3),
                        ("deployments-count", 3),
                        ("environments-count", 3),
                        ("clusters-count", 3),
                    ],
                ),
                (360, &[("services-by-tier", 6), ("services-by-language", 6)]),
                (
                    360,
                    &[("deployments-by-status", 6), ("services-by-lifecycle", 6)],
                ),
            ]),
            // Each viewer may narrow the overview to some teams for themselves.
            page_filters: vec![PageFilter {
                identifier: "teams".into(),
                title: "Owning teams".into(),
                query: json!({"combinator": "and", "rules": [], "blueprint": crate::model::dashboard::META_BLUEPRINT}),
                locked: false,
            }],
            permissions: PagePermissions::default(),
            dataset: None,
            view: None,
            parent: Some("insights".into()),
        },
        catalog("services", "Services", "Microservice", "service"),
        // A second page over services, pre-filtered on the server: its
        // viewers see only gold-tier services and cannot remove the filter.
        Page {
            description: Some("Services whose outage stops the business".into()),
            dataset: Some(
                Query::from_json(&json!({
                    "combinator": "and",
                    "rules": [{"property": "tier", "operator": "=", "value": "gold"}]
                }))
                .expect("the demo's initial filter is a valid query"),
            ),
            ..catalog("gold-services", "Gold services", "GoldServices", "service")
        },
        catalog("deployments", "Deployments", "Deployment", "deployment"),
        catalog("environments", "Environments", "Environment", "environment"),
        // Infrastructure is the platform team's: only they (and admins)
        // see this page.
        Page {
            permissions: PagePermissions {
                read: PageAudience {
                    roles: vec!["Admin".into()],
                    users: vec![],
                    teams: vec!["platform".into()],
                },
                update: None,
            },
            ..catalog("clusters", "Clusters", "Cluster", "cluster")
        },
    ]
}

/// Rows of `(height, [(widget id, width)])`.
fn layout(rows: &[(u32, &[(&str, u32)])]) -> Vec<LayoutRow> {
    rows.iter()
        .map(|(height, columns)| LayoutRow {
            height: *height,
            columns: columns
                .iter()
                .map(|(id, size)| LayoutColumn {
                    id: id.to_string(),
                    size: *size,
                })
                .collect(),
        })
        .collect()
}

/// The demo's home dashboard: a widget of most kinds over the demo catalog.
fn home_widgets() -> Vec<Value> {
    vec![
        json!({"id": "services", "type": "entities-number-chart", "title": "Services", "icon": "Microservice",
            "blueprint": "service", "chartType": "countEntities", "func": "count", "unit": "none"}),
        json!({"id": "failed-deployments", "type": "entities-number-chart", "title": "Failed deployments",
            "description": "Red past 20: time to look at the pipeline", "blueprint": "deployment",
            "chartType": "countEntities", "func": "count", "unit": "none",
            "dataset": [{"property": "status", "operator": "=", "value": "failed"}],
            "conditions": [{"operator": ">", "value": 20, "color": "red", "message": "More than 20 failed"},
                           {"operator": "<=", "value": 20, "color": "green", "message": "Within budget"}]}),
        json!({"id": "deploy-duration", "type": "entities-number-chart", "title": "Average deployment",
            "blueprint": "deployment", "chartType": "aggregateByProperty", "property": "property#durationSeconds",
            "func": "average", "averageOf": "total", "unit": "custom", "unitCustom": "s", "formatting": "1"}),
        json!({"id": "monthly-cost", "type": "entities-number-chart", "title": "Monthly cost of services",
            "blueprint": "service", "chartType": "aggregateByProperty", "property": "property#monthlyCost",
            "func": "sum", "averageOf": "total", "unit": "$", "formatting": "round"}),
        json!({"id": "deployments-per-week", "type": "line-chart", "title": "Deployments per week, by status",
            "blueprint": "deployment", "lineChartType": "countEntities", "measureTimeBy": "deployedAt",
            "timeInterval": "week", "timeRange": 63, "breakdownProperty": "status"}),
        json!({"id": "services-by-tier", "type": "entities-pie-chart", "title": "Services by tier",
            "blueprint": "service", "property": "property#tier"}),
        json!({"id": "my-services", "type": "table-entities-explorer", "title": "My teams' services",
            "description": "Services owned by your teams", "blueprint": "service",
            "dataset": {"combinator": "and", "rules": [{"property": "$team", "operator": "containsAny", "value": ["My Teams"]}]},
            "columns": ["$title", "tier", "lifecycle", "$updatedAt"], "pageSize": 8}),
        json!({"id": "deployments-by-status", "type": "entities-bar-chart", "title": "Deployments by status",
            "blueprint": "deployment", "property": "property#status"}),
        json!({"id": "handbook", "type": "markdown", "title": "How we ship",
            "markdown": "1. Every service has an **owner team** and an on-call address.\n2. Gold-tier services deploy behind a canary.\n3. A failed deployment is rolled back first and understood second.\n\nSee the [gold services](/catalog/gold-services) and the [engineering overview](/dashboard/overview)."}),
        json!({"id": "links", "type": "links", "title": "Links", "links": [
            {"title": "Services catalog", "url": "/catalog/services"},
            {"title": "Deployments", "url": "/catalog/deployments"},
            {"title": "Engineering overview", "url": "/dashboard/overview"},
            {"title": "Users & teams", "url": "/users-teams"}]}),
    ]
}

/// The demo's blueprint permissions: members may edit the services their
/// teams own (Port's defaults elsewhere).
pub fn permissions() -> Vec<(String, BlueprintPermissions)> {
    blueprints()
        .into_iter()
        .filter(|bp| bp.identifier == "service")
        .map(|bp| {
            let mut p = BlueprintPermissions::defaults(&bp);
            p.entities.update.owned_by_team = true;
            (bp.identifier, p)
        })
        .collect()
}

/// Seeds the demo catalog when the database has no blueprint yet. Returns
/// `None` when there was something already (data is never overwritten).
pub async fn seed_if_empty(store: &Store) -> Result<Option<Seeded>, AppError> {
    if !store.catalog_is_empty().await? {
        return Ok(None);
    }
    let now = Utc::now();
    let mut seeded = Seeded::default();
    for (position, bp) in blueprints().iter().enumerate() {
        match store
            .insert_blueprint(bp, position as i64, Some("demo-data"))
            .await
        {
            Ok(()) => seeded.blueprints += 1,
            // Another instance on the same PostgreSQL got there first.
            Err(StoreError::Conflict(_)) if position == 0 => return Ok(None),
            Err(e) => return Err(e.into()),
        }
    }
    let entities = entities(now);
    seeded.entities = entities.len();
    store.insert_entities(&entities).await?;

    let users = users(now);
    for (user, _) in &users {
        store.insert_user(user).await?;
    }
    seeded.users = users.len();
    let mut members: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (user, teams) in &users {
        for team in teams {
            members.entry(team).or_default().push(user.email.clone());
        }
    }
    for (name, description) in TEAMS {
        store
            .insert_team(&Team {
                name: name.into(),
                description: Some(description.into()),
                provider: TeamProvider::Native,
                users: members.remove(name).unwrap_or_default(),
                created_at: now,
                updated_at: now,
            })
            .await?;
        seeded.teams += 1;
    }
    for folder in folders() {
        store.insert_folder(&folder).await?;
    }
    for (position, page) in pages().iter().enumerate() {
        // Every database has a home dashboard from its migrations: the
        // demo's replaces it.
        if page.identifier == crate::services::dashboard::HOME {
            store.replace_page(page, Value::Null, "demo-data").await?;
        } else {
            store.insert_page(page, position as i64).await?;
        }
        seeded.pages += 1;
    }
    for (blueprint, after) in permissions() {
        let bp = blueprints().into_iter().find(|b| b.identifier == blueprint);
        if let Some(bp) = bp {
            let before = BlueprintPermissions::defaults(&bp);
            store
                .set_blueprint_permissions(&blueprint, &before, &after, "demo-data")
                .await?;
        }
    }
    Ok(Some(seeded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_catalog_is_deterministic_and_consistent() {
        let now = Utc::now();
        let a = entities(now);
        let b = entities(now);
        assert!(a.len() >= 300, "{} entities", a.len());
        assert_eq!(
            a.iter().map(|e| &e.entity.identifier).collect::<Vec<_>>(),
            b.iter().map(|e| &e.entity.identifier).collect::<Vec<_>>()
        );
        // Every relation target exists, and is created before it is pointed at.
        let mut seen = std::collections::HashSet::new();
        for new in &a {
            for link in &new.links {
                assert!(
                    seen.contains(&(link.target_blueprint.clone(), link.target.clone())),
                    "{} points at missing {}/{}",
                    new.entity.identifier,
                    link.target_blueprint,
                    link.target
                );
            }
            assert!(seen.insert((new.entity.blueprint.clone(), new.entity.identifier.clone())));
        }
        let teams: std::collections::HashSet<_> =
            a.iter().flat_map(|e| e.entity.team.clone()).collect();
        assert_eq!(teams.len(), TEAMS.len());
    }

    #[test]
    fn demo_users_cover_every_role() {
        let users = users(Utc::now());
        for role in [UserRole::Admin, UserRole::Moderator, UserRole::Member] {
            assert!(users.iter().any(|(u, _)| u.role == role), "{role:?}");
        }
    }
}
