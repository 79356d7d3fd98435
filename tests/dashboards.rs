//! Dashboards, each test on SQLite and PostgreSQL: the figures every widget
//! type computes for its viewer (through their read permission, the
//! widget's `dataset` and the page filters), the checks of a widget's
//! configuration through the API, Port's `dashboard-widget` shape, who may
//! edit a dashboard, the `$home` dashboard and the frame origins the CSP
//! allows.
//!
//! The fixture (`fixture`), so every expected figure can be checked by hand:
//!
//! | entity | team     | tier   | cost | incidentAt | owner |
//! |--------|----------|--------|------|------------|-------|
//! | s1     | payments | gold   | 10   | now − 1 d  | ada   |
//! | s2     | payments | gold   | 20   | now − 1 d  | ada   |
//! | s3     | payments | silver | 30   | now − 3 d  | bob   |
//! | s4     | search   | silver | 40   | now − 40 d |       |
//! | s5     | search   | bronze | 50   |            |       |
//! | s6     | search   | gold   | 60   |            |       |
//! | s7     | search   | bronze |      |            |       |
//! | s8     | search   | silver | 5    |            |       |
//!
//! 8 services: gold 3, silver 3, bronze 2; payments 3, search 5. Costs
//! (7 of them) 5 10 20 30 40 50 60: sum 215, average 215/7, median 30;
//! search's 5 40 50 60: median (40+50)/2 = 45. And 19 teamless hosts over
//! 16 zones: z01 ×3, z02 ×2, z03…z16 once each.

mod support;

use axum::http::StatusCode;
use chrono::{Duration, SecondsFormat, Utc};
use portolan::model::url::encode_component;
use portolan::model::widget::Series;
use portolan::model::{DashboardData, Page, SignedInUser, Slice, Subject, UserRole, WidgetData};
use portolan::services::dashboard::{self, sources_of, CspSources};
use portolan::store::Store;
use serde_json::{json, Value};
use support::{admin_bearer, api_call, cookie_call, person_cookie};

const ADA: &str = "ada@portolan.test";
const BOB: &str = "bob@portolan.test";

/// An admin machine token, as the services see it.
fn machine_admin() -> Subject {
    Subject::Machine {
        client_id: "dashboards-test".into(),
        role: UserRole::Admin,
    }
}

/// A member in these teams (no stored user is needed to view a dashboard).
fn member(email: &str, teams: &[&str]) -> Subject {
    Subject::User(SignedInUser {
        email: email.into(),
        name: "Test Person".into(),
        role: UserRole::Member,
        teams: teams.iter().map(|t| t.to_string()).collect(),
        moderated_blueprints: vec![],
    })
}

/// One admin API call that must succeed (a bulk write's 207 does not).
async fn admin_api(store: &Store, token: &str, method: &str, path: &str, body: Value) -> Value {
    let (status, reply) = api_call(store, method, path, Some(token), Some(body)).await;
    assert!(
        status == StatusCode::OK || status == StatusCode::CREATED,
        "setup {method} {path}: {status} {reply}"
    );
    reply
}

/// Writes the fixture of the module doc through the API; answers the
/// admin's `Authorization` value. Each blueprint gets its catalog page
/// (`services`, `hosts`).
async fn fixture(store: &Store) -> String {
    let token = admin_bearer(store).await;
    for team in ["payments", "search"] {
        admin_api(store, &token, "POST", "/v1/teams", json!({"name": team})).await;
    }
    admin_api(
        store,
        &token,
        "POST",
        "/v1/blueprints",
        json!({
            "identifier": "service", "title": "Service", "schema": {"properties": {
                "tier": {"type": "string", "title": "Tier", "enum": ["gold", "silver", "bronze"],
                         "enumColors": {"gold": "yellow", "silver": "blue", "bronze": "bronze"}},
                "cost": {"type": "number", "title": "Cost"},
                "incidentAt": {"type": "string", "title": "Last incident", "format": "date-time"},
                "owner": {"type": "string", "title": "Owner"}
            }}
        }),
    )
    .await;
    admin_api(
        store,
        &token,
        "POST",
        "/v1/blueprints",
        json!({
            "identifier": "host", "title": "Host",
            "schema": {"properties": {"zone": {"type": "string", "title": "Zone"}}}
        }),
    )
    .await;
    let ago = |days: i64| {
        json!((Utc::now() - Duration::days(days)).to_rfc3339_opts(SecondsFormat::Secs, true))
    };
    let none = Value::Null;
    let services = [
        ("s1", "payments", "gold", json!(10), ago(1), json!(ADA)),
        ("s2", "payments", "gold", json!(20), ago(1), json!(ADA)),
        ("s3", "payments", "silver", json!(30), ago(3), json!(BOB)),
        ("s4", "search", "silver", json!(40), ago(40), none.clone()),
        (
            "s5",
            "search",
            "bronze",
            json!(50),
            none.clone(),
            none.clone(),
        ),
        (
            "s6",
            "search",
            "gold",
            json!(60),
            none.clone(),
            none.clone(),
        ),
        (
            "s7",
            "search",
            "bronze",
            none.clone(),
            none.clone(),
            none.clone(),
        ),
        (
            "s8",
            "search",
            "silver",
            json!(5),
            none.clone(),
            none.clone(),
        ),
    ];
    let entities: Vec<Value> = services
        .iter()
        .map(|(id, team, tier, cost, incident, owner)| {
            let mut properties = json!({"tier": tier});
            for (key, value) in [("cost", cost), ("incidentAt", incident), ("owner", owner)] {
                if !value.is_null() {
                    properties[key] = value.clone();
                }
            }
            json!({"identifier": id, "title": format!("Service {id}"), "team": [team], "properties": properties})
        })
        .collect();
    admin_api(
        store,
        &token,
        "POST",
        "/v1/blueprints/service/entities/bulk",
        json!({"entities": entities}),
    )
    .await;
    let zones: Vec<String> = ["z01", "z01", "z01", "z02", "z02"]
        .into_iter()
        .map(String::from)
        .chain((3..=16).map(|n| format!("z{n:02}")))
        .collect();
    let hosts: Vec<Value> = zones
        .iter()
        .enumerate()
        .map(|(i, zone)| json!({"identifier": format!("h{:02}", i + 1), "title": format!("Host {}", i + 1), "properties": {"zone": zone}}))
        .collect();
    admin_api(
        store,
        &token,
        "POST",
        "/v1/blueprints/host/entities/bulk",
        json!({"entities": hosts}),
    )
    .await;
    token
}

/// A widget of this type over `blueprint`, with these keys besides.
fn widget(id: &str, kind: &str, blueprint: &str, extra: Value) -> Value {
    let mut widget =
        json!({"id": id, "type": kind, "title": format!("Widget {id}"), "blueprint": blueprint});
    if let Value::Object(extra) = extra {
        for (key, value) in extra {
            widget[key.as_str()] = value;
        }
    }
    widget
}

fn markdown(id: &str, text: &str) -> Value {
    json!({"id": id, "type": "markdown", "title": "Notes", "markdown": text})
}

/// Creates a dashboard through the service, as the admin.
async fn dashboard_with(store: &Store, id: &str, widgets: Vec<Value>, filters: Value) {
    let page: Page = serde_json::from_value(json!({
        "identifier": id, "title": format!("Dashboard {id}"), "type": "dashboard",
        "widgets": widgets, "pageFilters": filters
    }))
    .unwrap();
    dashboard::create_page(store, &machine_admin(), page)
        .await
        .unwrap_or_else(|e| panic!("creating `{id}`: {e:?}"));
}

/// A dashboard computed for `viewer` with their own filter values.
async fn view(
    store: &Store,
    id: &str,
    viewer: &Subject,
    choices: &[(&str, &str)],
) -> DashboardData {
    let mut own = portolan::model::ViewerChoices::default();
    for (filter, value) in choices {
        own.filters.insert(filter.to_string(), value.to_string());
    }
    dashboard::dashboard(store, viewer, id, &own)
        .await
        .unwrap_or_else(|e| panic!("viewing `{id}`: {e:?}"))
}

fn data<'a>(view: &'a DashboardData, id: &str) -> &'a WidgetData {
    &view
        .widgets
        .iter()
        .find(|w| w.id == id)
        .unwrap_or_else(|| panic!("no widget `{id}` in {:?}", view.widgets))
        .data
}

fn figure(view: &DashboardData, id: &str) -> Option<f64> {
    match data(view, id) {
        WidgetData::Number { value, .. } => *value,
        other => panic!("`{id}` is not a number: {other:?}"),
    }
}

fn line<'a>(view: &'a DashboardData, id: &str) -> (&'a [String], &'a [Series], &'a str) {
    match data(view, id) {
        WidgetData::Line {
            labels,
            series,
            measure,
        } => (labels.as_slice(), series.as_slice(), measure.as_str()),
        other => panic!("`{id}` is not a line chart: {other:?}"),
    }
}

fn slices<'a>(view: &'a DashboardData, id: &str) -> (bool, i64, &'a [Slice]) {
    match data(view, id) {
        WidgetData::Breakdown {
            bar, total, slices, ..
        } => (*bar, *total, slices.as_slice()),
        other => panic!("`{id}` is not a breakdown: {other:?}"),
    }
}

/// The catalog page's temporary view filtered by one rule, as slices link.
fn filtered(page: &str, rule: Value) -> String {
    let filter = json!({"combinator": "and", "rules": [rule]});
    format!(
        "/catalog/{page}?filter={}",
        encode_component(&filter.to_string())
    )
}

fn rule(property: &str, operator: &str, value: Value) -> Value {
    json!({"property": property, "operator": operator, "value": value})
}

fn query(rules: Value) -> Value {
    json!({"combinator": "and", "rules": rules})
}

both_databases!(
    number_charts_count_aggregate_format_and_colour,
    |store, _url| {
        fixture(&store).await;
        let aggregate = |func: &str| json!({"chartType": "aggregateByProperty", "property": "property#cost", "func": func});
        // (widget, its keys, value, text): see the module doc.
        let cases: Vec<(&str, Value, f64, &str)> = vec![
            ("all", json!({}), 8.0, "8"),
            (
                "gold",
                json!({"dataset": query(json!([rule("tier", "=", json!("gold"))]))}),
                3.0,
                "3",
            ),
            ("with-cost", aggregate("count"), 7.0, "7"),
            ("min", aggregate("min"), 5.0, "5"),
            ("max", aggregate("max"), 60.0, "60"),
            // Odd count: 5 10 20 [30] 40 50 60.
            ("median-odd", aggregate("median"), 30.0, "30"),
            // Even count (search, as a bare rule list as Port writes it): 5 [40 50] 60.
            (
                "median-even",
                {
                    let mut keys = aggregate("median");
                    keys["dataset"] = json!([rule("$team", "containsAny", json!(["search"]))]);
                    keys
                },
                45.0,
                "45",
            ),
        ];
        let mut widgets: Vec<Value> = cases
            .iter()
            .map(|(id, keys, _, _)| widget(id, "entities-number-chart", "service", keys.clone()))
            .collect();
        widgets.push(widget("dollars", "entities-number-chart", "service", json!({
        "chartType": "aggregateByProperty", "property": "cost", "func": "sum", "unit": "$", "formatting": "2"})));
        widgets.push(widget(
            "latency",
            "entities-number-chart",
            "service",
            json!({
        "chartType": "aggregateByProperty", "property": "cost", "func": "average",
        "unit": "custom", "unitCustom": "ms", "formatting": "1"}),
        ));
        // 8 meets `> 5` (3 away) and `> 7` (1 away); `>= 8.5` is closer but not met.
        widgets.push(widget(
            "busy",
            "entities-number-chart",
            "service",
            json!({"conditions": [
        {"operator": ">", "value": 5, "color": "orange", "message": "Busy"},
        {"operator": ">", "value": 7, "color": "red", "message": "Too many"},
        {"operator": ">=", "value": 8.5, "color": "purple", "message": "Never"},
        {"operator": "<", "value": 3, "color": "green", "message": "Quiet"}]}),
        ));
        widgets.push(widget("empty", "entities-number-chart", "service", json!({
        "chartType": "aggregateByProperty", "property": "cost", "func": "min",
        "dataset": [rule("owner", "=", json!("nobody@portolan.test"))], "emptyStateText": "No services yet"})));
        dashboard_with(&store, "numbers", widgets, json!([])).await;

        let view = view(&store, "numbers", &machine_admin(), &[]).await;
        for (id, _, value, text) in &cases {
            match data(&view, id) {
                WidgetData::Number {
                    value: got,
                    text: shown,
                    ..
                } => {
                    assert_eq!(*got, Some(*value), "{id}");
                    assert_eq!(shown, text, "{id}");
                }
                other => panic!("{id}: {other:?}"),
            }
        }
        let number =
            |value: f64, text: &str, unit: Option<&str>, alignment: &str| WidgetData::Number {
                value: Some(value),
                text: text.into(),
                unit: unit.map(str::to_string),
                unit_alignment: alignment.into(),
                color: None,
                message: None,
                href: Some("/catalog/services".into()),
                empty_text: None,
            };
        assert_eq!(data(&view, "all"), &number(8.0, "8", None, "right"));
        // Currency units go on the left unless told otherwise; "2" keeps two decimals.
        assert_eq!(
            data(&view, "dollars"),
            &number(215.0, "215.00", Some("$"), "left")
        );
        match data(&view, "latency") {
            WidgetData::Number {
                value,
                text,
                unit,
                unit_alignment,
                ..
            } => {
                assert!((value.unwrap() - 215.0 / 7.0).abs() < 1e-9, "{value:?}");
                assert_eq!(text, "30.7");
                assert_eq!(unit.as_deref(), Some("ms"));
                assert_eq!(unit_alignment, "right");
            }
            other => panic!("latency: {other:?}"),
        }
        match data(&view, "busy") {
            WidgetData::Number {
                value,
                color,
                message,
                ..
            } => {
                assert_eq!(*value, Some(8.0));
                assert_eq!(
                    (color.as_deref(), message.as_deref()),
                    (Some("red"), Some("Too many"))
                );
            }
            other => panic!("busy: {other:?}"),
        }
        match data(&view, "empty") {
            WidgetData::Number {
                value,
                text,
                empty_text,
                ..
            } => {
                assert_eq!(*value, None);
                assert_eq!(text, "–");
                assert_eq!(empty_text.as_deref(), Some("No services yet"));
            }
            other => panic!("empty: {other:?}"),
        }
    }
);

both_databases!(
    pie_and_bar_charts_fold_the_rest_into_other,
    |store, _url| {
        fixture(&store).await;
        dashboard_with(
            &store,
            "pies",
            vec![
                widget(
                    "tiers",
                    "entities-pie-chart",
                    "service",
                    json!({"property": "property#tier"}),
                ),
                widget(
                    "zones",
                    "entities-pie-chart",
                    "host",
                    json!({"property": "zone"}),
                ),
                widget(
                    "zone-bars",
                    "entities-bar-chart",
                    "host",
                    json!({"property": "zone"}),
                ),
            ],
            json!([]),
        )
        .await;
        let view = view(&store, "pies", &machine_admin(), &[]).await;

        // Largest first, ties by value; colours from the enum; each slice opens
        // the catalog page filtered to it.
        let tier = |label: &str, count: i64, color: &str| Slice {
            label: label.into(),
            count,
            color: Some(color.into()),
            href: Some(filtered("services", rule("tier", "=", json!(label)))),
        };
        assert_eq!(
            data(&view, "tiers"),
            &WidgetData::Breakdown {
                bar: false,
                total: 8,
                slices: vec![
                    tier("gold", 3, "yellow"),
                    tier("silver", 3, "blue"),
                    tier("bronze", 2, "bronze")
                ],
                empty_text: None,
            }
        );

        // 16 zones: 14 slices (z01 3, z02 2, z03…z14 one each), Other = z15 + z16.
        let (bar, total, pie) = slices(&view, "zones");
        assert!(!bar);
        assert_eq!(total, 19);
        let mut labels: Vec<String> = (1..=14).map(|n| format!("z{n:02}")).collect();
        labels.push("Other".into());
        assert_eq!(
            pie.iter().map(|s| s.label.clone()).collect::<Vec<_>>(),
            labels
        );
        let counts: Vec<i64> = pie.iter().map(|s| s.count).collect();
        assert_eq!(counts, [3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
        assert_eq!(
            pie[0].href,
            Some(filtered("hosts", rule("zone", "=", json!("z01"))))
        );
        assert!(pie[..14].iter().all(|s| s.color.is_none()), "{pie:?}");
        assert_eq!(
            pie[14],
            Slice {
                label: "Other".into(),
                count: 2,
                color: Some("lightGray".into()),
                href: None
            }
        );

        // Bars: 9 (z01…z09), Other = z10…z16 = 7.
        let (bar, total, bars) = slices(&view, "zone-bars");
        assert!(bar);
        assert_eq!(total, 19);
        assert_eq!(bars.len(), 10);
        assert_eq!(bars[8].label, "z09");
        assert_eq!((bars[9].label.as_str(), bars[9].count), ("Other", 7));
    }
);

both_databases!(
    line_charts_count_and_aggregate_per_interval,
    |store, _url| {
        fixture(&store).await;
        let axis = json!({"measureTimeBy": "incidentAt", "timeInterval": "day", "timeRange": 7});
        let with = |extra: Value| {
            let mut keys = axis.clone();
            for (k, v) in extra.as_object().unwrap() {
                keys[k.as_str()] = v.clone();
            }
            keys
        };
        dashboard_with(
            &store,
            "lines",
            vec![
                widget("incidents", "line-chart", "service", axis.clone()),
                widget(
                    "avg-cost",
                    "line-chart",
                    "service",
                    with(json!({
            "lineChartType": "aggregatePropertiesValues", "property": "cost", "func": "average"})),
                ),
                widget(
                    "by-tier",
                    "line-chart",
                    "service",
                    with(json!({"breakdownProperty": "tier"})),
                ),
            ],
            json!([]),
        )
        .await;
        let view = view(&store, "lines", &machine_admin(), &[]).await;

        // Seven days back through today: 8 days. s1 and s2 fall on yesterday
        // (n − 2), s3 three days ago (n − 4); s4 (40 days ago) is off the chart
        // and s5…s8 have no incident.
        let (labels, series, measure) = line(&view, "incidents");
        let n = labels.len();
        assert_eq!(n, 8, "{labels:?}");
        let points = |fill: Option<f64>, at: &[(usize, f64)]| {
            let mut points = vec![fill; n];
            for (back, value) in at {
                points[n - back] = Some(*value);
            }
            points
        };
        assert_eq!(measure, "Entities");
        assert_eq!(
            series.to_vec(),
            vec![Series {
                label: "Entities".into(),
                points: points(Some(0.0), &[(2, 2.0), (4, 1.0)])
            }]
        );

        // Average cost per day: (10 + 20) / 2 yesterday, 30 three days ago, none elsewhere.
        let (_, series, measure) = line(&view, "avg-cost");
        assert_eq!(measure, "Average of cost");
        assert_eq!(
            series.to_vec(),
            vec![Series {
                label: "Average of cost".into(),
                points: points(None, &[(2, 15.0), (4, 30.0)])
            }]
        );

        // One line per tier, the fuller first: gold (s1, s2), silver (s3).
        let (_, series, _) = line(&view, "by-tier");
        assert_eq!(
            series.to_vec(),
            vec![
                Series {
                    label: "gold".into(),
                    points: points(Some(0.0), &[(2, 2.0)])
                },
                Series {
                    label: "silver".into(),
                    points: points(Some(0.0), &[(4, 1.0)])
                },
            ]
        );
    }
);

both_databases!(
    table_widgets_show_rows_columns_and_the_total,
    |store, _url| {
        fixture(&store).await;
        dashboard_with(
            &store,
            "tables",
            vec![
                widget(
                    "silver",
                    "table-entities-explorer",
                    "service",
                    json!({
            "dataset": query(json!([rule("tier", "=", json!("silver"))])),
            "columns": ["$title", "tier", "property#cost"], "pageSize": 2}),
                ),
                widget("hosts", "table-entities-explorer", "host", json!({})),
            ],
            json!([]),
        )
        .await;
        let view = view(&store, "tables", &machine_admin(), &[]).await;
        match data(&view, "silver") {
            WidgetData::Table {
                columns,
                rows,
                total,
                href,
                ..
            } => {
                assert_eq!(*columns, ["Title", "Tier", "Cost"]);
                // s3, s4 and s8 are silver; the newest two first (written in
                // order, or at one instant and then by identifier, descending).
                assert_eq!(*total, 3);
                let hrefs: Vec<&str> = rows.iter().map(|r| r.href.as_str()).collect();
                assert_eq!(hrefs, ["/entity/service/s8", "/entity/service/s4"]);
                assert_eq!(
                    rows[0].cells[..2],
                    ["Service s8".to_string(), "silver".to_string()]
                );
                assert!(
                    href.as_deref()
                        .is_some_and(|h| h.starts_with("/catalog/services?filter=")),
                    "{href:?}"
                );
            }
            other => panic!("silver: {other:?}"),
        }
        match data(&view, "hosts") {
            WidgetData::Table {
                columns,
                rows,
                total,
                href,
                ..
            } => {
                assert_eq!(*columns, ["Title", "Last update", "Created"]);
                assert_eq!((*total, rows.len()), (19, 10));
                assert_eq!(href.as_deref(), Some("/catalog/hosts"));
            }
            other => panic!("hosts: {other:?}"),
        }
        // "My Teams" for someone in no team: the table says why it is empty.
        dashboard_with(
            &store,
            "mine",
            vec![widget(
                "mine",
                "table-entities-explorer",
                "service",
                json!({"dataset": query(json!([rule("$team", "containsAny", json!(["My Teams"]))]))}),
            )],
            json!([]),
        )
        .await;
        let empty_text_for = |viewer: Subject| {
            let store = store.clone();
            async move {
                match data(&crate::view(&store, "mine", &viewer, &[]).await, "mine") {
                    WidgetData::Table {
                        total, empty_text, ..
                    } => (*total, empty_text.clone()),
                    other => panic!("mine: {other:?}"),
                }
            }
        };
        let (total, says) = empty_text_for(member("nobody@portolan.test", &[])).await;
        assert_eq!(total, 0);
        assert!(
            says.as_deref()
                .is_some_and(|s| s.contains("not in any team")),
            "{says:?}"
        );
        assert_eq!(empty_text_for(member(ADA, &["payments"])).await, (3, None));
        // Each viewer sorts, searches and pages a table for themselves.
        let table = |sort: &str, search: &str, offset: i64| {
            let mut own = portolan::model::ViewerChoices::default();
            own.tables.insert(
                "silver".into(),
                portolan::model::widget::TableState {
                    sort: sort.into(),
                    search: search.into(),
                    offset,
                },
            );
            own
        };
        let rows_of = |view: &DashboardData| match data(view, "silver") {
            WidgetData::Table { rows, total, .. } => (
                rows.iter()
                    .map(|r| r.href.rsplit('/').next().unwrap().to_string())
                    .collect::<Vec<_>>(),
                *total,
            ),
            other => panic!("silver: {other:?}"),
        };
        for (sort, search, offset, expected, total) in [
            ("$identifier", "", 0, vec!["s3", "s4"], 3),
            ("$identifier", "", 2, vec!["s8"], 3),
            ("-$identifier", "", 0, vec!["s8", "s4"], 3),
            ("", "s4", 0, vec!["s4"], 1),
        ] {
            let view = dashboard::dashboard(
                &store,
                &machine_admin(),
                "tables",
                &table(sort, search, offset),
            )
            .await
            .unwrap();
            assert_eq!(
                rows_of(&view),
                (expected.iter().map(|s| s.to_string()).collect(), total),
                "{sort} {search} {offset}"
            );
        }
        let view =
            dashboard::dashboard(&store, &machine_admin(), "tables", &table("colour", "", 0))
                .await
                .unwrap();
        assert!(
            matches!(data(&view, "silver"), WidgetData::Failed { reason } if reason.contains("colour")),
            "{:?}",
            data(&view, "silver")
        );
    }
);

both_databases!(
    dynamic_values_give_each_viewer_their_own_figures,
    |store, _url| {
        fixture(&store).await;
        dashboard_with(&store, "mine", vec![
        widget("my-teams", "entities-number-chart", "service", json!({
            "dataset": [rule("$team", "containsAny", json!(["My Teams"]))]})),
        widget("my-services", "entities-number-chart", "service", json!({
            "dataset": query(json!([rule("owner", "=", json!({"context": "user", "property": "$identifier"}))]))})),
    ], json!([])).await;
        // (viewer, their teams' services, the services they own)
        for (viewer, teams, owned) in [
            (member(ADA, &["payments"]), 3.0, 2.0),
            (member(BOB, &["search"]), 5.0, 1.0),
            (member("carol@portolan.test", &[]), 0.0, 0.0),
        ] {
            let view = view(&store, "mine", &viewer, &[]).await;
            assert_eq!(figure(&view, "my-teams"), Some(teams), "{viewer:?}");
            assert_eq!(figure(&view, "my-services"), Some(owned), "{viewer:?}");
        }
    }
);

both_databases!(
    read_permissions_narrow_widgets_and_fail_only_the_unreadable,
    |store, _url| {
        let token = fixture(&store).await;
        admin_api(
            &store,
            &token,
            "PATCH",
            "/v1/blueprints/service/permissions",
            json!({"entities": {"read": {"roles": ["Admin"], "ownedByTeam": true}}}),
        )
        .await;
        dashboard_with(
            &store,
            "guarded",
            vec![
                widget("services", "entities-number-chart", "service", json!({})),
                widget(
                    "tiers",
                    "entities-pie-chart",
                    "service",
                    json!({"property": "tier"}),
                ),
                widget("hosts", "entities-number-chart", "host", json!({})),
                markdown("note", "**hi**"),
            ],
            json!([]),
        )
        .await;

        // (viewer, services they count, their tier slices)
        for (viewer, services, tiers) in [
            (
                machine_admin(),
                8.0,
                vec![("gold", 3), ("silver", 3), ("bronze", 2)],
            ),
            (
                member(ADA, &["payments"]),
                3.0,
                vec![("gold", 2), ("silver", 1)],
            ),
            // Ties by value: bronze before silver.
            (
                member(BOB, &["search"]),
                5.0,
                vec![("bronze", 2), ("silver", 2), ("gold", 1)],
            ),
        ] {
            let view = view(&store, "guarded", &viewer, &[]).await;
            assert_eq!(figure(&view, "services"), Some(services), "{viewer:?}");
            let (_, total, pie) = slices(&view, "tiers");
            assert_eq!(total as f64, services);
            let got: Vec<(&str, i64)> = pie.iter().map(|s| (s.label.as_str(), s.count)).collect();
            assert_eq!(got, tiers, "{viewer:?}");
            assert_eq!(figure(&view, "hosts"), Some(19.0));
        }

        // Someone in no team reads no service: those widgets say why, the rest draw.
        let view = view(&store, "guarded", &member("loner@portolan.test", &[]), &[]).await;
        for id in ["services", "tiers"] {
            match data(&view, id) {
                WidgetData::Failed { reason } => assert!(
                    reason.contains("you may not read entities of blueprint `service`"),
                    "{id}: {reason}"
                ),
                other => panic!("{id}: {other:?}"),
            }
        }
        assert_eq!(figure(&view, "hosts"), Some(19.0));
        assert!(
            matches!(data(&view, "note"), WidgetData::Markdown { html } if html.contains("<strong>hi</strong>"))
        );
    }
);

both_databases!(
    page_filters_narrow_every_chart_and_viewers_change_unlocked_ones,
    |store, _url| {
        fixture(&store).await;
        let filters = json!([
            {"identifier": "team", "title": "Team", "query": {"combinator": "and",
                "rules": [rule("$team", "containsAny", json!(["payments"]))],
                "blueprint": "dashboard-filters-meta-blueprint"}},
            {"identifier": "tier", "title": "Tier", "locked": true, "query": {"combinator": "and",
                "rules": [rule("tier", "=", json!("gold"))], "blueprint": "service"}},
        ]);
        dashboard_with(
            &store,
            "filtered",
            vec![
                widget("services", "entities-number-chart", "service", json!({})),
                widget(
                    "tiers",
                    "entities-pie-chart",
                    "service",
                    json!({"property": "tier"}),
                ),
                widget("table", "table-entities-explorer", "service", json!({})),
                widget("hosts", "entities-number-chart", "host", json!({})),
                markdown("note", "Filters do not touch me"),
            ],
            filters,
        )
        .await;

        let team = |name: &str| json!([rule("$team", "containsAny", json!([name]))]).to_string();
        let silver = json!([rule("tier", "=", json!("silver"))]).to_string();
        // (the viewer's own values, services, hosts, team filter changed, its problem)
        type Case<'a> = (Vec<(&'a str, String)>, f64, f64, bool, bool);
        let cases: Vec<Case> = vec![
            // Saved: payments ∧ gold = s1, s2; the team filter applies to hosts too
            // (none has a team), the tier filter only to services.
            (vec![], 2.0, 0.0, false, false),
            // Their own team: search ∧ gold = s6.
            (vec![("team", team("search"))], 1.0, 0.0, true, false),
            // The tier filter is locked: their value is ignored.
            (vec![("tier", silver)], 2.0, 0.0, false, false),
            // Clearing the team filter: gold = s1, s2, s6; every host.
            (vec![("team", "[]".to_string())], 3.0, 19.0, true, false),
            // Not JSON: the saved value applies, and they are told why.
            (vec![("team", "{oops".to_string())], 2.0, 0.0, false, true),
        ];
        for (choices, services, hosts, changed, problem) in cases {
            let pairs: Vec<(&str, &str)> = choices.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let view = view(&store, "filtered", &machine_admin(), &pairs).await;
            assert_eq!(figure(&view, "services"), Some(services), "{pairs:?}");
            assert_eq!(figure(&view, "hosts"), Some(hosts), "{pairs:?}");
            let (_, total, _) = slices(&view, "tiers");
            assert_eq!(total as f64, services, "{pairs:?}");
            assert!(
                matches!(data(&view, "table"), WidgetData::Table { total, .. } if *total as f64 == services)
            );
            assert!(matches!(data(&view, "note"), WidgetData::Markdown { .. }));
            assert_eq!(view.filters[0].filter.identifier, "team");
            assert_eq!(view.filters[0].changed, changed, "{pairs:?}");
            assert_eq!(
                view.filters[0].problem.is_some(),
                problem,
                "{pairs:?}: {:?}",
                view.filters[0]
            );
            assert!(
                !view.filters[1].changed && view.filters[1].problem.is_none(),
                "{pairs:?}"
            );
        }

        // A filter over every widget offers the teams to pick from; the
        // pick is the value it then shows as chosen.
        let saved = view(&store, "filtered", &machine_admin(), &[]).await;
        let labels: Vec<&str> = saved.filters[0]
            .presets
            .iter()
            .map(|(label, _)| label.as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "As the dashboard was saved",
                "My teams",
                "Team payments",
                "Team search"
            ]
        );
        assert_eq!(saved.filters[0].presets[0].1, saved.filters[0].rules);
        assert!(
            saved.filters[1].presets.is_empty(),
            "a blueprint's filter takes a query"
        );
        let search = saved.filters[0].presets[3].1.clone();
        let picked = view(&store, "filtered", &machine_admin(), &[("team", &search)]).await;
        assert_eq!(figure(&picked, "services"), Some(1.0));
        assert_eq!(picked.filters[0].rules, search);
        let mine = saved.filters[0].presets[1].1.clone();
        let ada = view(
            &store,
            "filtered",
            &member(ADA, &["payments"]),
            &[("team", &mine)],
        )
        .await;
        assert_eq!(figure(&ada, "services"), Some(2.0), "payments ∧ gold");
    }
);

both_databases!(
    the_api_refuses_bad_widgets_naming_the_widget_and_key,
    |store, _url| {
        let token = fixture(&store).await;
        let number = |extra: Value| widget("w1", "entities-number-chart", "service", extra);
        // (widget, layout, the field named, what its message says)
        let cases: Vec<(Value, Value, &str, &str)> = vec![
            (
                json!({"id": "w1", "type": "iframe-widget", "title": "Grafana", "url": "javascript:alert(1)"}),
                json!([]),
                "widgets[w1].url",
                "only http:// and https://",
            ),
            (
                widget("w1", "entities-number-chart", "nope", json!({})),
                json!([]),
                "widgets[w1].blueprint",
                "there is no blueprint `nope`",
            ),
            (
                widget(
                    "w1",
                    "entities-pie-chart",
                    "service",
                    json!({"property": "colour"}),
                ),
                json!([]),
                "widgets[w1].property",
                "has no property `colour`",
            ),
            (
                number(
                    json!({"chartType": "aggregateByProperty", "property": "property#tier", "func": "sum"}),
                ),
                json!([]),
                "widgets[w1].property",
                "`tier` is not a number property",
            ),
            (
                number(json!({"dataset": query(json!([rule("colour", "=", json!("red"))]))})),
                json!([]),
                "widgets[w1].dataset",
                "colour",
            ),
            (
                markdown("w1", "hi"),
                json!([{"height": 400, "columns": [{"id": "ghost", "size": 6}]}]),
                "layout[0].columns",
                "there is no widget `ghost`",
            ),
        ];
        for (config, layout, field, says) in cases {
            let page = json!({"identifier": "bad", "title": "Bad", "type": "dashboard", "widgets": [config], "layout": layout});
            let (status, reply) =
                api_call(&store, "POST", "/v1/pages", Some(&token), Some(page)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {reply}");
            let named = reply["errors"].as_array().is_some_and(|errors| {
                errors.iter().any(|e| {
                    e["field"] == field && e["message"].as_str().unwrap_or("").contains(says)
                })
            });
            assert!(named, "{field} / {says}: {reply}");
            let (status, _) = api_call(&store, "GET", "/v1/pages/bad", Some(&token), None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{field}: nothing is saved");
        }

        // A type Portolan does not draw is kept as sent and shown as unsupported.
        let cards = json!({"identifier": "cards", "title": "Cards", "type": "dashboard", "widgets": [
        {"id": "deploy", "type": "action-card-widget", "actions": ["deploy-service"]},
        markdown("notes", "**hi**")]});
        let (status, reply) =
            api_call(&store, "POST", "/v1/pages", Some(&token), Some(cards)).await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");
        let (_, reply) = api_call(&store, "GET", "/v1/pages/cards", Some(&token), None).await;
        assert_eq!(
            reply["page"]["widgets"][0]["widgets"][0]["actions"],
            json!(["deploy-service"]),
            "{reply}"
        );
        let view = view(&store, "cards", &machine_admin(), &[]).await;
        assert_eq!(
            data(&view, "deploy"),
            &WidgetData::Unsupported {
                type_name: "action-card-widget".into()
            }
        );
        assert!(
            matches!(data(&view, "notes"), WidgetData::Markdown { html } if html.contains("<strong>hi</strong>"))
        );
    }
);

both_databases!(
    dashboards_round_trip_in_ports_dashboard_widget_shape,
    |store, _url| {
        let token = fixture(&store).await;
        let widgets = Value::Array(vec![
            widget(
                "count",
                "entities-number-chart",
                "service",
                json!({"unit": "none"}),
            ),
            markdown("notes", "Read me"),
        ]);
        let layout = json!([{"height": 400, "columns": [{"id": "count", "size": 4}, {"id": "notes", "size": 8}]}]);
        // Port wraps a dashboard's widgets and layout in one `dashboard-widget`.
        let shaped = |widgets: &Value, layout: &Value| json!([{"id": "ops-dashboard", "type": "dashboard-widget", "layout": layout, "widgets": widgets}]);
        let port = json!({"identifier": "ops", "title": "Ops", "type": "dashboard", "widgets": [
        {"id": "whatever", "type": "dashboard-widget", "layout": layout, "widgets": widgets}]});
        let (status, reply) = api_call(&store, "POST", "/v1/pages", Some(&token), Some(port)).await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");
        assert_eq!(reply["identifier"], "ops");
        let (status, reply) = api_call(&store, "GET", "/v1/pages/ops", Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert_eq!(
            reply["page"]["widgets"],
            shaped(&widgets, &layout),
            "{reply}"
        );
        assert!(reply["page"].get("layout").is_none(), "{reply}");

        // PATCH changes only what it names.
        let (status, reply) = api_call(
            &store,
            "PATCH",
            "/v1/pages/ops",
            Some(&token),
            Some(json!({"title": "Operations"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert_eq!(reply["page"]["title"], "Operations");
        assert_eq!(reply["page"]["widgets"], shaped(&widgets, &layout));

        // … also in Port's shape.
        let notes = Value::Array(vec![markdown("notes", "Read me")]);
        let one_row = json!([{"height": 200, "columns": [{"id": "notes", "size": 12}]}]);
        let (status, reply) = api_call(
            &store,
            "PATCH",
            "/v1/pages/ops",
            Some(&token),
            Some(json!({
        "widgets": [{"type": "dashboard-widget", "layout": one_row, "widgets": notes}]})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (_, reply) = api_call(&store, "GET", "/v1/pages/ops", Some(&token), None).await;
        assert_eq!(
            reply["page"]["widgets"],
            shaped(&notes, &one_row),
            "{reply}"
        );
        assert_eq!(reply["page"]["title"], "Operations");

        // PUT replaces: widgets and layout left out are emptied.
        let (status, reply) = api_call(
            &store,
            "PUT",
            "/v1/pages/ops",
            Some(&token),
            Some(json!({"title": "Emptied"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (_, reply) = api_call(&store, "GET", "/v1/pages/ops", Some(&token), None).await;
        assert_eq!(reply["page"]["title"], "Emptied");
        assert_eq!(
            reply["page"]["widgets"],
            shaped(&json!([]), &json!([])),
            "{reply}"
        );
    }
);

both_databases!(
    page_editors_change_a_dashboard_and_home_stays,
    |store, _url| {
        let token = fixture(&store).await;
        // Every database has the home dashboard, in Port's shape.
        let (status, reply) =
            api_call(&store, "GET", "/v1/pages/%24home", Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert_eq!(reply["page"]["identifier"], dashboard::HOME);
        assert_eq!(reply["page"]["type"], "dashboard");
        assert_eq!(
            reply["page"]["widgets"][0]["type"], "dashboard-widget",
            "{reply}"
        );
        assert_eq!(
            reply["page"]["widgets"][0]["widgets"][0]["id"], "welcome",
            "{reply}"
        );
        let (status, reply) =
            api_call(&store, "DELETE", "/v1/pages/%24home", Some(&token), None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{reply}");

        admin_api(
            &store,
            &token,
            "POST",
            "/v1/pages",
            json!({"identifier": "board", "title": "Board", "type": "dashboard"}),
        )
        .await;
        let editor = person_cookie(
            &store,
            "editor@portolan.test",
            UserRole::Member,
            &[],
            &["payments"],
        )
        .await;
        let outsider = person_cookie(
            &store,
            "outsider@portolan.test",
            UserRole::Member,
            &[],
            &["search"],
        )
        .await;
        let change = json!({"title": "Payments board", "widgets": [markdown("n", "Ours")],
        "layout": [{"height": 300, "columns": [{"id": "n", "size": 12}]}]});
        let (status, reply) = cookie_call(
            &store,
            "PUT",
            "/v1/pages/board",
            &editor,
            Some(change.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{reply}");
        let editing = |teams: &[&str]| member("someone@portolan.test", teams);
        assert!(
            !view(&store, "board", &editing(&["payments"]), &[])
                .await
                .may_edit
        );
        assert!(view(&store, "board", &machine_admin(), &[]).await.may_edit);

        // An admin names the payments team as the page's editors.
        let reply = admin_api(
            &store,
            &token,
            "PATCH",
            "/v1/pages/board/permissions",
            json!({"update": {"teams": ["payments"]}}),
        )
        .await;
        assert_eq!(
            reply["permissions"]["update"]["teams"],
            json!(["payments"]),
            "{reply}"
        );
        assert!(
            view(&store, "board", &editing(&["payments"]), &[])
                .await
                .may_edit
        );
        assert!(
            !view(&store, "board", &editing(&["search"]), &[])
                .await
                .may_edit
        );
        let (status, reply) = cookie_call(
            &store,
            "PUT",
            "/v1/pages/board",
            &editor,
            Some(change.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert_eq!(reply["page"]["title"], "Payments board");
        assert_eq!(
            reply["page"]["widgets"][0]["widgets"][0]["id"], "n",
            "{reply}"
        );
        let (status, _) =
            cookie_call(&store, "PUT", "/v1/pages/board", &outsider, Some(change)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // Editing is not deleting.
        let (status, _) = cookie_call(&store, "DELETE", "/v1/pages/board", &editor, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

both_databases!(
    the_csp_frames_exactly_the_saved_iframe_origins,
    |store, _url| {
        let frames: Page = serde_json::from_value(json!({"identifier": "frames", "title": "Frames", "type": "dashboard", "widgets": [
        {"id": "grafana", "type": "iframe-widget", "title": "G", "url": "https://Grafana.example/d/1?orgId=2"},
        {"id": "again", "type": "iframe-widget", "title": "G", "url": "https://grafana.example/d/2"},
        {"id": "metrics", "type": "iframe-widget", "title": "M", "url": "https://metrics.example:8443/p",
         "urlType": "protected", "authorizationUrl": "https://login.example/authorize",
         "tokenUrl": "https://auth.example/token", "clientId": "portal"},
        {"id": "script", "type": "iframe-widget", "title": "S", "url": "javascript:alert(1)"},
        {"type": "iframe-widget", "title": "No id", "url": "https://no-id.example"},
        {"id": "links", "type": "links", "title": "L", "links": [{"title": "Docs", "url": "https://docs.example"}]}
    ]}))
    .unwrap();
        assert_eq!(
            sources_of(&[frames]),
            CspSources {
                frames: "https://grafana.example https://metrics.example:8443".into(),
                tokens: "https://auth.example".into(),
            }
        );
        assert_eq!(sources_of(&[]), CspSources::default());

        // Over HTTP: an HTML page frames nothing until a dashboard frames something.
        let before = page_csp(&store).await;
        assert!(before.contains("frame-src 'none'"), "{before}");
        let token = admin_bearer(&store).await;
        admin_api(&store, &token, "POST", "/v1/pages", json!({"identifier": "grafana", "title": "Grafana", "type": "dashboard", "widgets": [
        {"id": "g", "type": "iframe-widget", "title": "Grafana", "url": "https://grafana.example/d/1"},
        {"id": "m", "type": "iframe-widget", "title": "Metrics", "url": "https://metrics.example:8443/p",
         "urlType": "protected", "authorizationUrl": "https://login.example/authorize",
         "tokenUrl": "https://auth.example/token", "clientId": "portal", "scopes": ["openid"]}]})).await;
        let after = page_csp(&store).await;
        assert!(
            after.contains("frame-src https://grafana.example https://metrics.example:8443;"),
            "{after}"
        );
        assert!(
            after.contains("object-src https://grafana.example https://metrics.example:8443;"),
            "{after}"
        );
        assert!(
            after.contains("connect-src 'self' https://auth.example;"),
            "{after}"
        );
        assert!(after.contains("frame-ancestors 'none'"), "{after}");
    }
);

/// The Content-Security-Policy of an HTML page (the sign-in page).
async fn page_csp(store: &Store) -> String {
    let (_, headers, _) = support::get_page(store, "/login", None).await;
    headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string()
}

// Port's own spellings: templates with spaces inside the braces, and
// properties written `property#<key>`.

// Port's `{{ .user.email }}` in an iframe URL is filled in per viewer,
// percent-encoded.
both_databases!(iframe_urls_fill_in_the_viewer, |store, _url| {
    let token = admin_bearer(&store).await;
    let page = json!({"identifier": "personal", "title": "Personal", "type": "dashboard", "widgets": [
        {"id": "g", "type": "iframe-widget", "title": "Grafana", "url": "https://grafana.example/d/1?user={{ .user.email }}"}]});
    let (status, reply) = api_call(&store, "POST", "/v1/pages", Some(&token), Some(page)).await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let view = view(&store, "personal", &member(ADA, &[]), &[]).await;
    assert_eq!(
        data(&view, "g"),
        &WidgetData::Iframe {
            src: "https://grafana.example/d/1?user=ada%40portolan.test".into(),
            origin: "https://grafana.example".into(),
            protected: None,
        }
    );
});

// `measureTimeBy: "property#incidentAt"` names the property `incidentAt`.
both_databases!(the_time_axis_takes_ports_property_prefix, |store, _url| {
    fixture(&store).await;
    dashboard_with(
        &store,
        "axes",
        vec![
            widget(
                "bare",
                "line-chart",
                "service",
                json!({"measureTimeBy": "incidentAt", "timeRange": 7}),
            ),
            widget(
                "port",
                "line-chart",
                "service",
                json!({"measureTimeBy": "property#incidentAt", "timeRange": 7}),
            ),
        ],
        json!([]),
    )
    .await;
    let view = view(&store, "axes", &machine_admin(), &[]).await;
    let total = |id: &str| -> f64 {
        line(&view, id)
            .1
            .iter()
            .flat_map(|s| s.points.iter().flatten())
            .sum()
    };
    assert_eq!(total("bare"), 3.0);
    assert_eq!(total("port"), 3.0);
});

both_databases!(
    markdown_widgets_keep_safe_html_and_frame_only_allowed_origins,
    |store, _url| {
        fixture(&store).await;
        let text = "Costs <b>live</b>:\n\n\
            <iframe src=\"https://grafana.example.com/d/costs\" onload=\"alert(1)\"></iframe>\n\n\
            <iframe src=\"https://elsewhere.example.net/x\"></iframe>\n\n\
            <img src=\"https://cdn.example.com/logo.png\" onerror=\"alert(2)\">\n\n<script>alert(3)</script>";
        dashboard_with(
            &store,
            "framed",
            vec![
                json!({"id": "grafana", "type": "iframe-widget", "title": "Grafana",
                       "url": "https://grafana.example.com/d/overview", "urlType": "public"}),
                markdown("notes", text),
            ],
            json!([]),
        )
        .await;
        let view = view(&store, "framed", &member(ADA, &["payments"]), &[]).await;
        let WidgetData::Markdown { html } = data(&view, "notes") else {
            panic!("not markdown: {:?}", data(&view, "notes"));
        };
        assert!(html.contains("<b>live</b>"), "{html}");
        assert!(
            html.contains(r#"src="https://grafana.example.com/d/costs""#),
            "{html}"
        );
        assert!(html.contains("sandbox="), "{html}");
        assert!(!html.contains("elsewhere.example.net/x"), "{html}");
        assert!(
            html.contains("Not shown: an iframe of https://elsewhere.example.net"),
            "{html}"
        );
        assert!(
            html.contains(r#"src="https://cdn.example.com/logo.png""#),
            "{html}"
        );
        assert!(!html.contains("alert"), "{html}");
        assert!(!html.contains("<script"), "{html}");

        // An entity's markdown property stays text-only HTML.
        let quoted = portolan::services::markdown::to_safe_html("<b>x</b>");
        assert!(quoted.contains("&lt;b&gt;"), "{quoted}");
    }
);
