//! Dashboards in Port's shape (pages.md §4): widgets as Port's JSON, a
//! layout of rows in a 12-column grid, page filters, and the keys each
//! widget type takes. The checks here need no database (the shape of each
//! key); `services::dashboard::config` adds those that do (the blueprint
//! and its properties exist). The editor and the API share both.

use super::validate::FieldError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A dashboard grid is 12 columns wide.
pub const GRID_COLUMNS: u32 = 12;
/// Row heights the editor offers and the server accepts, in pixels.
pub const MIN_ROW_HEIGHT: u32 = 120;
pub const MAX_ROW_HEIGHT: u32 = 1600;
/// A dashboard holds at most this many widgets (each is a query per view).
pub const MAX_WIDGETS: usize = 60;

/// One row of the grid: its height and its widgets, left to right.
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayoutRow {
    pub height: u32,
    pub columns: Vec<LayoutColumn>,
}

/// A widget's place in a row: its id and its width in grid columns.
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayoutColumn {
    pub id: String,
    pub size: u32,
}

/// A dashboard filter (`pageFilters`): a query applied to the widgets of
/// its blueprint, or to every widget when its blueprint is the meta
/// blueprint (then it may only use meta properties: `$team`, `$title`,
/// `$identifier`). Members may change it for themselves unless `locked`.
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageFilter {
    pub identifier: String,
    #[serde(default)]
    pub title: String,
    /// `{combinator, rules, blueprint}`.
    pub query: Value,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub locked: bool,
}

/// The blueprint name of a page filter that applies to every widget.
pub const META_BLUEPRINT: &str = "dashboard-filters-meta-blueprint";

impl PageFilter {
    /// The blueprint the filter is limited to; `None` for every widget.
    pub fn blueprint(&self) -> Option<&str> {
        self.query
            .get("blueprint")
            .and_then(Value::as_str)
            .filter(|bp| *bp != META_BLUEPRINT)
    }

    /// The filter's query without its `blueprint` key.
    pub fn rules(&self) -> Value {
        let mut query = self.query.clone();
        if let Value::Object(map) = &mut query {
            map.remove("blueprint");
        }
        query
    }
}

/// The widget types Portolan draws, by Port's `type` names. Other types
/// are kept as they were saved and shown as "not supported".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WidgetKind {
    Number,
    Pie,
    Bar,
    Line,
    Table,
    Markdown,
    EntityCard,
    Links,
    Iframe,
}

impl WidgetKind {
    pub const ALL: [WidgetKind; 9] = [
        WidgetKind::Number,
        WidgetKind::Pie,
        WidgetKind::Bar,
        WidgetKind::Line,
        WidgetKind::Table,
        WidgetKind::Markdown,
        WidgetKind::EntityCard,
        WidgetKind::Links,
        WidgetKind::Iframe,
    ];

    /// Port's `type`.
    pub fn type_name(self) -> &'static str {
        match self {
            WidgetKind::Number => "entities-number-chart",
            WidgetKind::Pie => "entities-pie-chart",
            // Port does not document the bar chart's type name.
            WidgetKind::Bar => "entities-bar-chart",
            WidgetKind::Line => "line-chart",
            WidgetKind::Table => "table-entities-explorer",
            WidgetKind::Markdown => "markdown",
            WidgetKind::EntityCard => "entity-info",
            // Nor the links widget's.
            WidgetKind::Links => "links",
            WidgetKind::Iframe => "iframe-widget",
        }
    }

    /// What the editor calls it.
    pub fn label(self) -> &'static str {
        match self {
            WidgetKind::Number => "Number chart",
            WidgetKind::Pie => "Pie chart",
            WidgetKind::Bar => "Bar chart",
            WidgetKind::Line => "Line chart",
            WidgetKind::Table => "Table",
            WidgetKind::Markdown => "Markdown",
            WidgetKind::EntityCard => "Entity card",
            WidgetKind::Links => "Links",
            WidgetKind::Iframe => "Iframe",
        }
    }

    pub fn of_type(name: &str) -> Option<WidgetKind> {
        WidgetKind::ALL.into_iter().find(|k| k.type_name() == name)
    }

    /// The widget's keys, in the editor's order.
    pub fn keys(self) -> &'static [KeySpec] {
        match self {
            WidgetKind::Number => NUMBER_KEYS,
            WidgetKind::Pie | WidgetKind::Bar => BREAKDOWN_KEYS,
            WidgetKind::Line => LINE_KEYS,
            WidgetKind::Table => TABLE_KEYS,
            WidgetKind::Markdown => MARKDOWN_KEYS,
            WidgetKind::EntityCard => ENTITY_CARD_KEYS,
            WidgetKind::Links => LINKS_KEYS,
            WidgetKind::Iframe => IFRAME_KEYS,
        }
    }

    /// Whether page filters narrow this widget (pages.md §4).
    pub fn takes_page_filters(self) -> bool {
        matches!(
            self,
            WidgetKind::Number
                | WidgetKind::Pie
                | WidgetKind::Bar
                | WidgetKind::Line
                | WidgetKind::Table
        )
    }
}

/// How the editor asks for a key, and what the server accepts for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyInput {
    Text,
    /// Several lines of text (markdown).
    LongText,
    /// An http(s) URL.
    Url,
    /// A whole number within the bounds.
    Integer {
        min: i64,
        max: i64,
    },
    /// One of these values.
    Choice(&'static [&'static str]),
    /// A blueprint's identifier.
    Blueprint,
    /// A property of the widget's blueprint (`property#key` or `key`).
    Property,
    /// An entity identifier of the widget's blueprint.
    Entity,
    /// A search query (`{combinator, rules}`) on the widget's blueprint.
    Query,
    /// A JSON array (conditions, links, columns, scopes).
    List,
}

/// One key of a widget type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    pub key: &'static str,
    pub label: &'static str,
    pub input: KeyInput,
    pub required: bool,
    /// Only asked when another key has one of these values.
    pub when: Option<(&'static str, &'static [&'static str])>,
    pub help: &'static str,
}

const fn key(key: &'static str, label: &'static str, input: KeyInput) -> KeySpec {
    KeySpec {
        key,
        label,
        input,
        required: false,
        when: None,
        help: "",
    }
}

impl KeySpec {
    const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    const fn when(mut self, key: &'static str, values: &'static [&'static str]) -> Self {
        self.when = Some((key, values));
        self
    }
    const fn help(mut self, help: &'static str) -> Self {
        self.help = help;
        self
    }

    /// Whether the key applies to `config` (its `when` condition holds).
    pub fn applies(&self, config: &Map<String, Value>) -> bool {
        match self.when {
            None => true,
            Some((other, values)) => {
                let value = config.get(other).and_then(Value::as_str).unwrap_or("");
                values.contains(&value)
            }
        }
    }
}

pub const UNITS: &[&str] = &["none", "%", "$", "£", "€", "custom"];
pub const NUMBER_FUNCS: &[&str] = &["count", "sum", "average", "min", "max", "median"];
pub const AVERAGE_OF: &[&str] = &["total", "hour", "day", "week", "month"];
pub const INTERVALS: &[&str] = &["hour", "day", "week", "month", "quarter"];
pub const LINE_FUNCS: &[&str] = &["count", "sum", "average", "min", "max", "median", "last"];
/// Number formatting: as computed, rounded, or 1–5 decimals.
pub const FORMATTING: &[&str] = &["none", "round", "1", "2", "3", "4", "5"];

const DATASET_HELP: &str = "Which entities count, as a search query; may use {\"context\": \"user\"} and \"My Teams\" so each viewer sees their own.";

const NUMBER_KEYS: &[KeySpec] = &[
    key("blueprint", "Blueprint", KeyInput::Blueprint).required(),
    key("chartType", "Calculate", KeyInput::Choice(&["countEntities", "aggregateByProperty"]))
        .help("countEntities counts entities; aggregateByProperty sums, averages… a number property"),
    key("property", "Number property", KeyInput::Property).required().when("chartType", &["aggregateByProperty"]),
    key("func", "Function", KeyInput::Choice(NUMBER_FUNCS)),
    key("averageOf", "Average per", KeyInput::Choice(AVERAGE_OF)).when("func", &["average"]),
    key("measureTimeBy", "Measure time by", KeyInput::Property).when("func", &["average"])
        .help("$createdAt (the default), $updatedAt or a date-time property"),
    key("dataset", "Filter", KeyInput::Query).help(DATASET_HELP),
    key("unit", "Unit", KeyInput::Choice(UNITS)),
    key("unitCustom", "Custom unit", KeyInput::Text).when("unit", &["custom"]),
    key("unitAlignment", "Unit position", KeyInput::Choice(&["left", "right", "bottom"])),
    key("formatting", "Decimals", KeyInput::Choice(FORMATTING)),
    key("conditions", "Conditions", KeyInput::List)
        .help("[{\"operator\": \">\", \"value\": 10, \"color\": \"red\", \"message\": \"Too many\"}]: the matching condition closest to the figure colours it"),
    key("emptyStateText", "Text when empty", KeyInput::Text),
];

const BREAKDOWN_KEYS: &[KeySpec] = &[
    key("blueprint", "Blueprint", KeyInput::Blueprint).required(),
    key("property", "Break down by", KeyInput::Property).required(),
    key("dataset", "Filter", KeyInput::Query).help(DATASET_HELP),
    key("emptyStateText", "Text when empty", KeyInput::Text),
];

const LINE_KEYS: &[KeySpec] = &[
    key("blueprint", "Blueprint", KeyInput::Blueprint).required(),
    key("lineChartType", "Draw", KeyInput::Choice(&["countEntities", "aggregatePropertiesValues"]))
        .help("countEntities: how many entities per interval; aggregatePropertiesValues: a number property's aggregate per interval"),
    key("property", "Number property", KeyInput::Property).required().when("lineChartType", &["aggregatePropertiesValues"]),
    key("func", "Function", KeyInput::Choice(LINE_FUNCS)).when("lineChartType", &["aggregatePropertiesValues"]),
    key("measureTimeBy", "Time axis", KeyInput::Property)
        .help("$createdAt (the default), $updatedAt or a date-time property"),
    key("timeInterval", "Interval", KeyInput::Choice(INTERVALS)),
    key("timeRange", "Days shown", KeyInput::Integer { min: 1, max: 365 }),
    key("breakdownProperty", "One line per", KeyInput::Property)
        .help("a property whose values each get a line (at most 10)"),
    key("dataset", "Filter", KeyInput::Query).help(DATASET_HELP),
];

const TABLE_KEYS: &[KeySpec] = &[
    key("blueprint", "Blueprint", KeyInput::Blueprint).required(),
    key("dataset", "Filter", KeyInput::Query).help(DATASET_HELP),
    key("emptyStateText", "Text when empty", KeyInput::Text),
    key("columns", "Columns", KeyInput::List)
        .help("property keys, e.g. [\"$title\", \"tier\", \"$updatedAt\"]"),
    key(
        "pageSize",
        "Rows per page",
        KeyInput::Integer { min: 1, max: 100 },
    ),
];

const MARKDOWN_KEYS: &[KeySpec] = &[
    key("markdown", "Markdown", KeyInput::LongText)
        .help("markdown with HTML (tables, images, video, inline styles; iframes of origins your iframe widgets use); or leave empty and name an entity's markdown property below"),
    key("blueprint", "Blueprint", KeyInput::Blueprint),
    key("entity", "Entity", KeyInput::Entity),
    key("property", "Markdown property", KeyInput::Property),
];

const ENTITY_CARD_KEYS: &[KeySpec] = &[
    key("blueprint", "Blueprint", KeyInput::Blueprint).required(),
    key("entity", "Entity", KeyInput::Entity).required(),
];

const LINKS_KEYS: &[KeySpec] = &[key("links", "Links", KeyInput::List)
    .required()
    .help("[{\"title\": \"Runbook\", \"url\": \"https://…\"}]; paths such as /catalog/services stay in the portal")];

const IFRAME_KEYS: &[KeySpec] = &[
    key("url", "URL", KeyInput::Url).required()
        .help("http(s) only; {{ .user.email }} is filled in per viewer"),
    key("urlType", "Access", KeyInput::Choice(&["public", "protected"]))
        .help("protected: the browser signs in with OAuth 2.0 (authorization code + PKCE) and hands the page its token in #access_token="),
    key("authorizationUrl", "Authorization URL", KeyInput::Url).required().when("urlType", &["protected"]),
    key("tokenUrl", "Token URL", KeyInput::Url).required().when("urlType", &["protected"]),
    key("clientId", "Client ID", KeyInput::Text).required().when("urlType", &["protected"]),
    key("scopes", "Scopes", KeyInput::List).when("urlType", &["protected"]).help("[\"openid\", \"email\"]"),
];

/// The keys every widget has.
pub const COMMON_KEYS: &[KeySpec] = &[
    key("title", "Title", KeyInput::Text).required(),
    key("description", "Description", KeyInput::Text),
    key("icon", "Icon", KeyInput::Text),
];

/// Port writes properties as `property#<key>`; the bare key works too.
pub fn property_key(value: &str) -> &str {
    value.strip_prefix("property#").unwrap_or(value)
}

/// A widget's id (`id`), or `None` when it has none.
pub fn widget_id(widget: &Value) -> Option<&str> {
    widget.get("id").and_then(Value::as_str)
}

/// The field name a widget key's problem is reported under: names the
/// widget and the key, e.g. `widgets[services-count].unit`.
pub fn widget_field(id: &str, key: &str) -> String {
    format!("widgets[{id}].{key}")
}

/// Checks one widget's keys (shape only: the blueprint and its properties
/// are the service's to check). A widget of a type Portolan does not draw
/// is only checked for an id: it is kept as saved.
pub fn check_widget(widget: &Value) -> Vec<FieldError> {
    let mut problems = Vec::new();
    let Some(config) = widget.as_object() else {
        return vec![FieldError {
            field: "widgets".into(),
            message: "each widget is a JSON object".into(),
        }];
    };
    let id = match widget_id(widget) {
        Some(id) if !id.trim().is_empty() && id.len() <= 100 => id,
        _ => {
            return vec![FieldError {
                field: "widgets[].id".into(),
                message:
                    "each widget needs an `id` (1 to 100 characters) that the layout refers to"
                        .into(),
            }]
        }
    };
    let mut problem = |key: &str, message: String| {
        problems.push(FieldError {
            field: widget_field(id, key),
            message,
        })
    };
    let Some(type_name) = config.get("type").and_then(Value::as_str) else {
        problem(
            "type",
            "say which widget this is (e.g. `entities-number-chart`)".into(),
        );
        return problems;
    };
    let Some(kind) = WidgetKind::of_type(type_name) else {
        return problems;
    };
    for spec in COMMON_KEYS.iter().chain(kind.keys()) {
        let value = config.get(spec.key).filter(|v| !v.is_null());
        if !spec.applies(config) {
            continue;
        }
        let Some(value) = value else {
            if spec.required {
                problem(
                    spec.key,
                    format!(
                        "give the {} widget its {}",
                        kind.label().to_lowercase(),
                        spec.label.to_lowercase()
                    ),
                );
            }
            continue;
        };
        if let Err(message) = check_key(spec, value) {
            problem(spec.key, message);
        }
    }
    if kind == WidgetKind::Markdown
        && config.get("markdown").and_then(Value::as_str).is_none()
        && ["blueprint", "entity", "property"]
            .iter()
            .any(|k| config.get(*k).and_then(Value::as_str).is_none())
    {
        problem(
            "markdown",
            "write the markdown, or name a blueprint, an entity and its markdown property".into(),
        );
    }
    problems
}

/// One key's value against its spec.
fn check_key(spec: &KeySpec, value: &Value) -> Result<(), String> {
    let text = || value.as_str().ok_or_else(|| "must be text".to_string());
    match spec.input {
        KeyInput::Text
        | KeyInput::LongText
        | KeyInput::Blueprint
        | KeyInput::Property
        | KeyInput::Entity => {
            let text = text()?;
            if spec.required && text.trim().is_empty() {
                return Err(format!("{} must not be empty", spec.label.to_lowercase()));
            }
            if text.len() > 100_000 {
                return Err("is longer than 100,000 characters".into());
            }
            Ok(())
        }
        KeyInput::Url => check_url(text()?),
        KeyInput::Integer { min, max } => {
            let n = value
                .as_i64()
                .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
                .ok_or_else(|| format!("must be a whole number from {min} to {max}"))?;
            if (min..=max).contains(&n) {
                Ok(())
            } else {
                Err(format!("must be from {min} to {max}, not {n}"))
            }
        }
        KeyInput::Choice(choices) => {
            let text = text()?;
            if choices.contains(&text) {
                Ok(())
            } else {
                Err(format!(
                    "must be one of {}, not `{text}`",
                    choices.join(", ")
                ))
            }
        }
        KeyInput::Query => match value {
            Value::Object(_) => super::query::Query::from_json(value)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            // Port's number chart takes a bare rule array.
            Value::Array(rules) => super::query::Query::from_json(
                &serde_json::json!({"combinator": "and", "rules": rules}),
            )
            .map(|_| ())
            .map_err(|e| e.to_string()),
            _ => Err("must be a query: {\"combinator\": \"and\", \"rules\": [...]}".into()),
        },
        KeyInput::List => match spec.key {
            "links" => check_links(value),
            "conditions" => check_conditions(value),
            _ => match value {
                Value::Array(items) if items.iter().all(Value::is_string) => Ok(()),
                Value::String(_) if spec.key == "scopes" => Ok(()),
                _ => Err("must be a list of text, e.g. [\"a\", \"b\"]".into()),
            },
        },
    }
}

/// Only web pages may be framed or linked: a `javascript:` or `data:` URL
/// would run in the viewer's browser.
pub fn check_url(url: &str) -> Result<(), String> {
    // Port's `{{ .user.email }}` templates are filled in per viewer (each
    // value percent-encoded); check the address around them.
    let untemplated = without_templates(url);
    let trimmed = untemplated.trim();
    let scheme_ok = ["http://", "https://"]
        .iter()
        .any(|s| trimmed.len() > s.len() && trimmed[..s.len()].eq_ignore_ascii_case(s));
    if !scheme_ok {
        return Err(format!(
            "only http:// and https:// addresses are allowed, not `{}`",
            trimmed.chars().take(40).collect::<String>()
        ));
    }
    if trimmed.chars().any(|c| c.is_control() || c == ' ') {
        return Err("must not contain spaces or control characters".into());
    }
    Ok(())
}

/// `url` with each `{{ … }}` template replaced by `x`.
fn without_templates(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push('x');
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// A widget key's text, if it has some (blank counts as unset).
pub fn config_text<'a>(config: &'a Value, key: &str) -> Option<&'a str> {
    config
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// The scheme, host and port of an http(s) URL (`https://grafana.example`),
/// for the Content-Security-Policy.
pub fn url_origin(url: &str) -> Option<String> {
    check_url(url).ok()?;
    let (scheme, rest) = url.trim().split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    // Credentials in a URL are never part of its origin.
    let host = authority.rsplit('@').next()?;
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
    {
        return None;
    }
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    ))
}

fn check_links(value: &Value) -> Result<(), String> {
    let Value::Array(links) = value else {
        return Err("must be a list: [{\"title\": \"Runbook\", \"url\": \"https://…\"}]".into());
    };
    for (i, link) in links.iter().enumerate() {
        let title = link.get("title").and_then(Value::as_str).unwrap_or("");
        let url = link.get("url").and_then(Value::as_str).unwrap_or("");
        if title.trim().is_empty() {
            return Err(format!("link {} needs a title", i + 1));
        }
        if !url.starts_with('/') || url.starts_with("//") {
            check_url(url).map_err(|e| format!("link {} (`{title}`): {e}", i + 1))?;
        }
    }
    Ok(())
}

/// Condition operators of the number chart.
pub const CONDITION_OPERATORS: &[&str] = &["=", "!=", ">", ">=", "<", "<="];

fn check_conditions(value: &Value) -> Result<(), String> {
    let Value::Array(conditions) = value else {
        return Err(
            "must be a list: [{\"operator\": \">\", \"value\": 10, \"color\": \"red\"}]".into(),
        );
    };
    for (i, condition) in conditions.iter().enumerate() {
        let operator = condition
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !CONDITION_OPERATORS.contains(&operator) {
            return Err(format!(
                "condition {}: `operator` must be one of {}",
                i + 1,
                CONDITION_OPERATORS.join(" ")
            ));
        }
        if condition.get("value").and_then(Value::as_f64).is_none() {
            return Err(format!("condition {}: `value` must be a number", i + 1));
        }
    }
    Ok(())
}

/// Checks a dashboard's widgets and layout together: unique ids, every
/// layout cell naming a widget, rows of at most 12 columns.
pub fn check_dashboard(widgets: &[Value], layout: &[LayoutRow]) -> Vec<FieldError> {
    let mut problems: Vec<FieldError> = Vec::new();
    if widgets.len() > MAX_WIDGETS {
        problems.push(FieldError {
            field: "widgets".into(),
            message: format!("a dashboard holds at most {MAX_WIDGETS} widgets"),
        });
    }
    let mut seen = std::collections::HashSet::new();
    for widget in widgets {
        problems.extend(check_widget(widget));
        if let Some(id) = widget_id(widget) {
            if !seen.insert(id) {
                problems.push(FieldError {
                    field: widget_field(id, "id"),
                    message: "two widgets have this id".into(),
                });
            }
        }
    }
    let mut placed = std::collections::HashSet::new();
    for (i, row) in layout.iter().enumerate() {
        let field = format!("layout[{i}]");
        if !(MIN_ROW_HEIGHT..=MAX_ROW_HEIGHT).contains(&row.height) {
            problems.push(FieldError {
                field: format!("{field}.height"),
                message: format!("must be from {MIN_ROW_HEIGHT} to {MAX_ROW_HEIGHT} pixels"),
            });
        }
        let width: u32 = row.columns.iter().map(|c| c.size).sum();
        if width > GRID_COLUMNS || row.columns.iter().any(|c| c.size == 0) {
            problems.push(FieldError {
                field: format!("{field}.columns"),
                message: format!(
                    "widths are 1 to {GRID_COLUMNS} and add up to at most {GRID_COLUMNS}"
                ),
            });
        }
        for column in &row.columns {
            if !seen.contains(column.id.as_str()) {
                problems.push(FieldError {
                    field: format!("{field}.columns"),
                    message: format!("there is no widget `{}`", column.id),
                });
            } else if !placed.insert(column.id.as_str()) {
                problems.push(FieldError {
                    field: format!("{field}.columns"),
                    message: format!("widget `{}` is placed twice", column.id),
                });
            }
        }
    }
    problems
}

/// The layout to draw: the saved rows (cells naming no widget dropped),
/// then every widget the layout leaves out, in rows of three (saved before
/// there was a layout, or through an API that sends none).
pub fn effective_layout(widgets: &[Value], layout: &[LayoutRow]) -> Vec<LayoutRow> {
    let ids: Vec<&str> = widgets.iter().filter_map(widget_id).collect();
    let mut placed = std::collections::HashSet::new();
    let mut rows: Vec<LayoutRow> = layout
        .iter()
        .map(|row| LayoutRow {
            height: row.height.clamp(MIN_ROW_HEIGHT, MAX_ROW_HEIGHT),
            columns: row
                .columns
                .iter()
                .filter(|c| ids.contains(&c.id.as_str()) && placed.insert(c.id.clone()))
                .cloned()
                .collect(),
        })
        .filter(|row| !row.columns.is_empty())
        .collect();
    let rest: Vec<&str> = ids.into_iter().filter(|id| !placed.contains(*id)).collect();
    for chunk in rest.chunks(3) {
        rows.push(LayoutRow {
            height: 400,
            columns: chunk
                .iter()
                .map(|id| LayoutColumn {
                    id: id.to_string(),
                    size: GRID_COLUMNS / 3,
                })
                .collect(),
        });
    }
    rows
}

/// Port keeps a dashboard's widgets inside one `dashboard-widget`
/// (`widgets: [{type: "dashboard-widget", layout, widgets}]`); Portolan
/// keeps them flat beside `layout`. This takes Port's shape apart (a page
/// already flat is left alone).
pub fn unwrap_dashboard_widget(page: &mut Value) {
    let Some(map) = page.as_object_mut() else {
        return;
    };
    let Some(Value::Array(widgets)) = map.get("widgets") else {
        return;
    };
    let [outer] = widgets.as_slice() else {
        return;
    };
    if outer.get("type").and_then(Value::as_str) != Some("dashboard-widget") {
        return;
    }
    let outer = outer.clone();
    map.insert(
        "widgets".into(),
        outer
            .get("widgets")
            .cloned()
            .unwrap_or(Value::Array(vec![])),
    );
    if let Some(layout) = outer.get("layout") {
        map.insert("layout".into(), layout.clone());
    }
}

/// A dashboard page's JSON in Port's shape: its widgets and layout inside
/// one `dashboard-widget`.
pub fn wrap_dashboard_widget(page: &mut Value, page_id: &str) {
    let Some(map) = page.as_object_mut() else {
        return;
    };
    let widgets = map.remove("widgets").unwrap_or(Value::Array(vec![]));
    let layout = map.remove("layout").unwrap_or(Value::Array(vec![]));
    map.insert(
        "widgets".into(),
        serde_json::json!([{
            "id": format!("{page_id}-dashboard"),
            "type": "dashboard-widget",
            "layout": layout,
            "widgets": widgets,
        }]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_web_addresses_can_be_framed() {
        let iframe =
            |url: &str| json!({"id": "w1", "type": "iframe-widget", "title": "T", "url": url});
        assert!(check_widget(&iframe("https://grafana.example/d/1")).is_empty());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,<b>",
            " JAVASCRIPT:x",
            "//evil",
            "ftp://x",
        ] {
            let problems = check_widget(&iframe(bad));
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
            assert_eq!(problems[0].field, "widgets[w1].url");
        }
        assert_eq!(
            url_origin("https://User@Grafana.example:8443/x?y#z").as_deref(),
            Some("https://grafana.example:8443")
        );
        assert_eq!(url_origin("javascript:alert(1)"), None);
        // Templates are filled per viewer; the address around them is checked.
        assert!(check_url("https://g.example/d?u={{ .user.email }}").is_ok());
        assert!(check_url("{{ .user.email }}:alert(1)").is_err());
    }

    #[test]
    fn protected_iframes_need_their_sign_in_keys() {
        let problems = check_widget(&json!({"id": "p", "type": "iframe-widget", "title": "T",
            "url": "https://x.example", "urlType": "protected", "tokenUrl": "data:x"}));
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "widgets[p].authorizationUrl",
                "widgets[p].tokenUrl",
                "widgets[p].clientId"
            ]
        );
    }

    #[test]
    fn unknown_widget_types_are_kept_unchecked() {
        assert!(
            check_widget(&json!({"id": "a", "type": "action-card-widget", "actions": 3}))
                .is_empty()
        );
        assert_eq!(
            check_widget(&json!({"type": "markdown"}))[0].field,
            "widgets[].id"
        );
    }

    #[test]
    fn number_charts_check_units_conditions_and_aggregates() {
        let problems = check_widget(
            &json!({"id": "n", "type": "entities-number-chart", "title": "N",
            "blueprint": "service", "chartType": "aggregateByProperty", "unit": "yen",
            "conditions": [{"operator": "~", "value": 1}]}),
        );
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "widgets[n].property",
                "widgets[n].unit",
                "widgets[n].conditions"
            ]
        );
    }

    #[test]
    fn layouts_name_existing_widgets_in_rows_of_twelve() {
        let widgets = [
            json!({"id": "a", "type": "markdown", "title": "A", "markdown": "x"}),
            json!({"id": "b", "type": "markdown", "title": "B", "markdown": "y"}),
        ];
        let row = |cols: &[(&str, u32)]| LayoutRow {
            height: 400,
            columns: cols
                .iter()
                .map(|(id, size)| LayoutColumn {
                    id: id.to_string(),
                    size: *size,
                })
                .collect(),
        };
        assert!(check_dashboard(&widgets, &[row(&[("a", 6), ("b", 6)])]).is_empty());
        assert_eq!(
            check_dashboard(&widgets, &[row(&[("a", 8), ("b", 6)])]).len(),
            1
        );
        assert_eq!(
            check_dashboard(&widgets, &[row(&[("zz", 6)])])[0].message,
            "there is no widget `zz`"
        );
        // Widgets the layout leaves out are drawn after it, three a row.
        let drawn = effective_layout(&widgets, &[row(&[("b", 12)])]);
        assert_eq!(drawn.len(), 2);
        assert_eq!(drawn[1].columns[0].id, "a");
    }

    #[test]
    fn port_dashboard_widget_shape_round_trips() {
        let mut port = json!({"identifier": "d", "widgets": [{"id": "x", "type": "dashboard-widget",
            "layout": [{"height": 400, "columns": [{"id": "a", "size": 12}]}],
            "widgets": [{"id": "a", "type": "markdown"}]}]});
        unwrap_dashboard_widget(&mut port);
        assert_eq!(port["widgets"][0]["id"], "a");
        assert_eq!(port["layout"][0]["columns"][0]["size"], 12);
        wrap_dashboard_widget(&mut port, "d");
        assert_eq!(port["widgets"][0]["type"], "dashboard-widget");
        assert_eq!(port["widgets"][0]["widgets"][0]["id"], "a");
        assert!(port.get("layout").is_none());
    }
}
