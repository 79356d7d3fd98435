//! What someone chose to see on a catalog page: a filter (the shared query
//! AST), sort, search, columns, group-by and "My Teams". It lives in the URL
//! (so a link reproduces the view), in saved personal views, and in a
//! page's default view that an admin or the blueprint's moderators saved
//! for everyone.

use super::query::Query;
use super::EntitySort;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogView {
    /// The table filter the viewer built (ANDed with the page's initial
    /// filter and what they may read, never instead of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Query>,
    #[serde(default)]
    pub sort: EntitySort,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub search: String,
    /// Visible columns in order; `None` shows the blueprint's default set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<String>>,
    /// A property whose values group the rows, or [`TEAM_GROUP`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mine: bool,
}

/// The group-by key that groups rows by their owning teams. An entity's
/// group is its whole team list (`payments, platform` is one group, apart
/// from `payments`), so every entity is in exactly one group and the
/// groups' sizes add up to the table's total.
pub const TEAM_GROUP: &str = "$team";

/// The key of an entity's [`TEAM_GROUP`] group: its teams sorted by their
/// bytes and joined by `;`, which no team name may hold (see
/// `identifier::validate_team_name`), so two different lists never share a
/// key; `None` for an entity without a team. Its SQL twin, which the group
/// sizes are counted by, is `query::Dialect::push_team_group`: keep the two
/// in step.
pub fn team_group_key(teams: &[String]) -> Option<String> {
    let mut teams: Vec<&str> = teams.iter().map(String::as_str).collect();
    teams.sort_unstable();
    teams.dedup();
    (!teams.is_empty()).then(|| teams.join(";"))
}

/// The URL parameters of a view, exactly as the catalog page reads them.
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewParams {
    /// The filter as Port's query JSON.
    pub filter: String,
    pub sort: String,
    pub search: String,
    /// Comma-separated column keys.
    pub columns: String,
    pub group: String,
    pub mine: bool,
}

impl ViewParams {
    /// The parameters as a page's server functions receive them, in the
    /// order of the catalog URL's names (`filter`, `sort`, `q`, `cols`,
    /// `group`, `mine`).
    pub fn of_url(
        filter: String,
        sort: String,
        search: String,
        columns: String,
        group: String,
        mine: bool,
    ) -> Self {
        ViewParams {
            filter,
            sort,
            search,
            columns,
            group,
            mine,
        }
    }

    /// Whether no parameter was given (then a page's default view applies).
    pub fn is_empty(&self) -> bool {
        *self == ViewParams::default()
    }

    /// `(name, value)` pairs of the parameters that differ from the
    /// defaults, in a fixed order so equal views give equal links.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.mine {
            pairs.push(("mine", "1".to_string()));
        }
        for (name, value) in [
            ("filter", &self.filter),
            ("sort", &self.sort),
            ("q", &self.search),
            ("cols", &self.columns),
            ("group", &self.group),
        ] {
            if !value.is_empty() {
                pairs.push((name, value.clone()));
            }
        }
        pairs
    }
}

impl CatalogView {
    /// Reads URL parameters; a filter that is not a valid query says which
    /// rule is wrong.
    pub fn from_params(params: &ViewParams) -> Result<CatalogView, String> {
        let filter = match params.filter.trim() {
            "" => None,
            text => {
                let json: serde_json::Value = serde_json::from_str(text)
                    .map_err(|e| format!("the filter is not JSON: {e}"))?;
                let query = Query::from_json(&json).map_err(|e| format!("the filter: {e}"))?;
                (!query.rules.is_empty()).then_some(query)
            }
        };
        let columns = Some(
            params
                .columns
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>(),
        )
        .filter(|c| !c.is_empty());
        Ok(CatalogView {
            filter,
            sort: EntitySort::from_url(&params.sort),
            search: params.search.trim().to_string(),
            columns,
            group_by: Some(params.group.trim().to_string()).filter(|g| !g.is_empty()),
            mine: params.mine,
        })
    }

    pub fn to_params(&self) -> ViewParams {
        ViewParams {
            filter: self
                .filter
                .as_ref()
                .filter(|q| !q.rules.is_empty())
                .map(|q| q.to_json().to_string())
                .unwrap_or_default(),
            sort: if self.sort == EntitySort::default() {
                String::new()
            } else {
                self.sort.to_url()
            },
            search: self.search.clone(),
            columns: self
                .columns
                .as_ref()
                .map(|c| c.join(","))
                .unwrap_or_default(),
            group: self.group_by.clone().unwrap_or_default(),
            mine: self.mine,
        }
    }

    /// The number of rules in the table filter (for the "Filters (2)" label).
    pub fn filter_count(&self) -> usize {
        self.filter.as_ref().map_or(0, |q| q.rules.len())
    }
}

/// A view someone saved on a catalog page, for themselves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    pub page: String,
    /// Unique per page and person; the `view` URL parameter names it.
    pub name: String,
    pub view: CatalogView,
}

/// The URL of a catalog page showing `params` from row `offset`.
pub fn view_href(page: &str, params: &ViewParams, offset: i64) -> String {
    let mut pairs: Vec<String> = params
        .pairs()
        .into_iter()
        .map(|(name, value)| format!("{name}={}", super::url::encode_component(&value)))
        .collect();
    if offset > 0 {
        pairs.push(format!("offset={offset}"));
    }
    if pairs.is_empty() {
        format!("/catalog/{page}")
    } else {
        format!("/catalog/{page}?{}", pairs.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SortOrder;

    #[test]
    fn a_team_group_is_the_whole_sorted_team_list() {
        let key = |teams: &[&str]| {
            team_group_key(&teams.iter().map(|t| t.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(
            key(&["platform", "payments"]),
            Some("payments;platform".into())
        );
        assert_eq!(
            key(&["payments", "platform"]),
            key(&["platform", "payments"])
        );
        assert_eq!(key(&["payments"]), Some("payments".into()));
        assert_eq!(key(&[]), None);
        // A comma may be in a team name; `;` may not, so lists stay apart.
        assert_ne!(key(&["a, b"]), key(&["a", "b"]));
    }

    #[test]
    fn a_view_round_trips_through_url_parameters() {
        let filter = Query::from_json(&serde_json::json!({
            "combinator": "and",
            "rules": [{"property": "tier", "operator": "=", "value": "gold"}]
        }))
        .unwrap();
        let view = CatalogView {
            filter: Some(filter),
            sort: EntitySort {
                property: "version".into(),
                order: SortOrder::Desc,
            },
            search: "cart".into(),
            columns: Some(vec!["$title".into(), "tier".into()]),
            group_by: Some("tier".into()),
            mine: true,
        };
        let params = view.to_params();
        assert_eq!(params.columns, "$title,tier");
        assert_eq!(params.sort, "-version");
        assert_eq!(CatalogView::from_params(&params).unwrap(), view);
        let names: Vec<_> = params.pairs().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["mine", "filter", "sort", "q", "cols", "group"]);
    }

    #[test]
    fn the_default_view_has_no_parameters() {
        let params = CatalogView::default().to_params();
        assert!(params.is_empty());
        assert!(params.pairs().is_empty());
    }

    #[test]
    fn a_bad_filter_names_the_rule() {
        let params = ViewParams {
            filter:
                r#"{"combinator":"and","rules":[{"property":"tier","operator":"eq","value":"x"}]}"#
                    .into(),
            ..ViewParams::default()
        };
        let message = CatalogView::from_params(&params).unwrap_err();
        assert!(message.contains("rules[0].operator"), "{message}");
        let params = ViewParams {
            filter: "{not json".into(),
            ..ViewParams::default()
        };
        assert!(CatalogView::from_params(&params)
            .unwrap_err()
            .starts_with("the filter is not JSON"));
    }
}
