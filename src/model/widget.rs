//! A dashboard's widgets as the browser draws them: every figure computed
//! on the server for the viewer, so the bundle carries no query code.

use super::dashboard::{LayoutRow, PageFilter};
use super::Page;
use serde::{Deserialize, Serialize};

/// A dashboard with its widgets computed for the viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardData {
    pub page: Page,
    /// The rows to draw (saved layout, then widgets it leaves out).
    pub layout: Vec<LayoutRow>,
    pub widgets: Vec<WidgetView>,
    /// The page filters with the values this viewer's figures used.
    pub filters: Vec<FilterView>,
    /// Whether the viewer may edit the dashboard (the policy's answer).
    pub may_edit: bool,
}

/// A page filter as applied for this viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilterView {
    pub filter: PageFilter,
    /// The rules in force for this viewer (the saved ones unless they
    /// changed them), as JSON text for the filter's input.
    pub rules: String,
    /// The viewer changed it for themselves.
    pub changed: bool,
    /// What is wrong with the viewer's own value (then the saved one applies).
    pub problem: Option<String>,
}

/// One widget: what every widget has, and its figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WidgetView {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub icon: Option<String>,
    /// The widget's saved configuration (Port's JSON), for the editor.
    pub config: serde_json::Value,
    pub data: WidgetData,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WidgetData {
    /// `entities-number-chart`.
    Number {
        /// `None` when nothing matched and an average or minimum has no value.
        value: Option<f64>,
        /// The figure as shown (decimals, separators).
        text: String,
        unit: Option<String>,
        /// `left`, `right` or `bottom`.
        unit_alignment: String,
        /// The colour and message of the condition that matched.
        color: Option<String>,
        message: Option<String>,
        /// The matching entities in a temporary table.
        href: Option<String>,
        empty_text: Option<String>,
    },
    /// `entities-pie-chart` and the bar chart.
    Breakdown {
        bar: bool,
        total: i64,
        slices: Vec<Slice>,
        empty_text: Option<String>,
    },
    /// `line-chart`: one value per interval and line.
    Line {
        /// Interval labels, oldest first.
        labels: Vec<String>,
        series: Vec<Series>,
        /// What the Y axis measures ("Entities", "Average of cost").
        measure: String,
    },
    /// `table-entities-explorer`.
    Table {
        columns: Vec<String>,
        rows: Vec<TableRow>,
        total: i64,
        /// The whole list as a catalog table.
        href: Option<String>,
    },
    /// `markdown`, sanitised on the server.
    Markdown {
        html: String,
    },
    /// `entity-info`.
    EntityCard {
        title: String,
        href: String,
        fields: Vec<(String, String)>,
    },
    Links {
        links: Vec<Link>,
    },
    /// `iframe-widget`: what the browser frames, and how it signs in.
    Iframe {
        src: String,
        origin: String,
        protected: Option<IframeSignIn>,
    },
    /// A type Portolan does not draw; kept as saved.
    Unsupported {
        type_name: String,
    },
    /// This widget could not be computed; the rest of the page is fine.
    Failed {
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slice {
    pub label: String,
    pub count: i64,
    pub color: Option<String>,
    /// The slice's entities in a temporary table (none for "Other").
    pub href: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub label: String,
    /// One value per label; `None` where the interval had no entity.
    pub points: Vec<Option<f64>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    pub href: String,
    pub cells: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub title: String,
    pub url: String,
    pub external: bool,
}

/// A protected iframe's OAuth 2.0 client, for the browser's PKCE flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IframeSignIn {
    pub authorization_url: String,
    pub token_url: String,
    pub client_id: String,
    pub scopes: String,
}
