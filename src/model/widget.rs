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

/// What one viewer chose on a dashboard, from its URL: their own values of
/// page filters (`filter.<identifier>`) and each table widget's sort,
/// search and page (`table.<widget>.sort|q|offset`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewerChoices {
    /// Filter identifier → query JSON.
    #[serde(default)]
    pub filters: std::collections::HashMap<String, String>,
    /// Widget id → its table's state.
    #[serde(default)]
    pub tables: std::collections::HashMap<String, TableState>,
}

/// A table widget's sort (`tier`, `-$updatedAt`), search and first row.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TableState {
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub search: String,
    #[serde(default)]
    pub offset: i64,
}

impl ViewerChoices {
    /// Reads the dashboard URL's parameters; others are ignored.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut choices = ViewerChoices::default();
        for (key, value) in pairs {
            if let Some(id) = key.strip_prefix("filter.") {
                if !value.trim().is_empty() {
                    choices.filters.insert(id.to_string(), value.to_string());
                }
            } else if let Some(rest) = key.strip_prefix("table.") {
                let Some((id, part)) = rest.rsplit_once('.') else {
                    continue;
                };
                let state = choices.tables.entry(id.to_string()).or_default();
                match part {
                    "sort" => state.sort = value.to_string(),
                    "q" => state.search = value.to_string(),
                    "offset" => state.offset = value.parse().unwrap_or(0).max(0),
                    _ => {}
                }
            }
        }
        choices
    }

    pub fn is_empty(&self) -> bool {
        self.filters.is_empty() && self.tables.is_empty()
    }
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
    /// Values a viewer picks from instead of writing a query, as
    /// `(label, rules JSON)`: for a filter over every widget, the saved
    /// value, "My teams" and each team. Empty: the filter takes a query.
    #[serde(default)]
    pub presets: Vec<(String, String)>,
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
        /// Column headings, and the keys they show (what a sort link names).
        columns: Vec<String>,
        keys: Vec<String>,
        rows: Vec<TableRow>,
        total: i64,
        /// The viewer's sort, search and first row (`TableState`).
        sort: String,
        search: String,
        offset: i64,
        page_size: i64,
        /// The whole list as a catalog table.
        href: Option<String>,
        /// What an empty table says (the widget's `emptyStateText`, or why
        /// "My Teams" matches nothing).
        #[serde(default)]
        empty_text: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dashboard_url_holds_filters_and_table_states() {
        let choices = ViewerChoices::from_query([
            ("filter.teams", "[]"),
            ("filter.empty", " "),
            ("table.my.services.sort", "-tier"),
            ("table.my.services.offset", "20"),
            ("table.x.offset", "-5"),
            ("q", "ignored"),
        ]);
        assert_eq!(choices.filters.len(), 1);
        // Widget ids may hold dots: the part after the last one is the key.
        assert_eq!(
            choices.tables["my.services"],
            TableState {
                sort: "-tier".into(),
                search: String::new(),
                offset: 20
            }
        );
        assert_eq!(choices.tables["x"].offset, 0);
    }
}
