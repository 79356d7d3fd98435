//! Pages (catalog pages and dashboards) and what the UI needs to draw them
//! (pages.md).

use super::{Blueprint, EntityList, Team, User, ViewParams};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageType {
    /// A catalog page: one table of a blueprint's entities.
    #[serde(rename = "blueprint-entities")]
    BlueprintEntities,
    #[serde(rename = "dashboard")]
    Dashboard,
}

impl PageType {
    pub fn as_str(&self) -> &'static str {
        match self {
            PageType::BlueprintEntities => "blueprint-entities",
            PageType::Dashboard => "dashboard",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "blueprint-entities" => Some(PageType::BlueprintEntities),
            "dashboard" => Some(PageType::Dashboard),
            _ => None,
        }
    }
}

#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub identifier: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(rename = "type")]
    pub kind: PageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blueprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Dashboard widgets in Port's JSON shape (`entities-number-chart`,
    /// `entities-pie-chart`, …).
    #[serde(default)]
    pub widgets: Vec<Value>,
    /// A dashboard's grid: rows of widget ids and widths (model::dashboard).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layout: Vec<super::dashboard::LayoutRow>,
    /// A dashboard's filters (`pageFilters`), applied to its charts and tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub page_filters: Vec<super::dashboard::PageFilter>,
    /// Who may read the page (everyone signed in unless an admin narrowed it).
    #[serde(default)]
    pub permissions: super::PagePermissions,
    /// The initial filter (Port's `dataset`): applied on the server to every
    /// read of this page; viewers cannot see or remove it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<super::query::Query>,
    /// The view an admin or a moderator of its blueprint saved as the
    /// page's default, for everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<super::CatalogView>,
    /// The sidebar folder the page shows in (Port's `parent`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A sidebar folder (Port's `/v1/sidebars/catalog/folders`): pages whose
/// `parent` names it show inside it, and folders nest up to
/// [`FOLDER_DEPTH`] deep.
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folder {
    pub identifier: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// How deep folders nest in the sidebar (Port's limit).
pub const FOLDER_DEPTH: usize = 3;

/// Port's identifier for a folder titled `title`: snake_case, `CI/CD` →
/// `ci_cd`, `Team leads' costs` → `team_leads_costs`.
pub fn folder_identifier(title: &str) -> String {
    let mut id = String::new();
    for c in title.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if (c.is_whitespace() || "/-_.&+,:".contains(c))
            && !id.is_empty()
            && !id.ends_with('_')
        {
            id.push('_');
        }
    }
    id.trim_end_matches('_').to_string()
}

/// The sidebar: the pages one may read and the folders they sit in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sidebar {
    pub items: Vec<SidebarItem>,
    /// Every folder (the sidebar shows those that hold something, and
    /// empty ones to admins, who fill them).
    pub folders: Vec<Folder>,
}

/// The home dashboard's identifier (Port's `$home`), shown at `/`.
pub const HOME_PAGE: &str = "$home";

impl Page {
    /// The portal URL of this page.
    pub fn href(&self) -> String {
        match self.kind {
            PageType::BlueprintEntities => format!("/catalog/{}", self.identifier),
            PageType::Dashboard if self.identifier == HOME_PAGE => "/".into(),
            PageType::Dashboard => format!("/dashboard/{}", self.identifier),
        }
    }
}

/// One entry of the sidebar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SidebarItem {
    pub identifier: String,
    pub title: String,
    pub icon: Option<String>,
    pub kind: PageType,
    pub href: String,
    /// Its folder's identifier, if it is in one.
    pub parent: Option<String>,
}

/// What a catalog page shows around its rows: the page, its blueprint, the
/// view, and what the viewer may do there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogPageContext {
    /// The page; its initial filter (`dataset`) only for those who may
    /// change it (others see `pre_filtered`).
    pub page: Page,
    pub blueprint: Blueprint,
    /// What the table shows: from the URL, a saved view or the page default.
    pub view: super::CatalogView,
    pub active_view: ActiveView,
    /// The names of the viewer's saved views of this page.
    pub saved_views: Vec<String>,
    /// Every team's name, for the filter builder's team choices.
    pub teams: Vec<String>,
    /// Whether the viewer may create entities here (the policy's answer,
    /// so the page offers "New" only when it can work).
    pub may_create: bool,
    /// Teams the viewer may give a new entity (all for admins, else their own).
    pub assignable_teams: Vec<String>,
    /// Whether the viewer may change the page's initial filter and default view.
    pub may_configure: bool,
    /// The page has an initial filter (applied whoever looks).
    pub pre_filtered: bool,
    /// The viewer is a person in no team ("My Teams" then matches nothing).
    #[serde(default)]
    pub in_no_team: bool,
    /// The viewer may put people in teams (then an empty My Teams links
    /// to the Teams tab).
    #[serde(default)]
    pub may_manage_teams: bool,
}

/// Everything a catalog page shows, as data, in one round trip
/// (`get_catalog_page`, for scripts and tests; the page itself loads a
/// [`CatalogPageView`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogPageData {
    #[serde(flatten)]
    pub context: CatalogPageContext,
    pub list: EntityList,
    /// With a group-by: each group's size in the whole filtered set.
    pub groups: Vec<GroupCount>,
}

/// A catalog page as the browser loads it (`get_catalog_view`): the data
/// its interactive parts work with, and the parts that only show things
/// and link elsewhere (the table, its menus, the filter chips) rendered to
/// HTML on the server. Every change of view is a new URL whose HTML the
/// server renders, so the browser bundle carries no code to decode rows or
/// draw cells: that code was most of the page's download.
///
/// Its fields are plain text and flags: what the page's eager code reads.
/// The blueprint and the filters, which only the filter builders and the
/// new-entity form read, come [`Deferred`](super::deferred::Deferred).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogPageView {
    pub title: String,
    pub icon: Option<String>,
    /// The page's description, or its blueprint's.
    pub description: String,
    /// The blueprint's title, for "New <title>".
    pub blueprint_title: String,
    /// The view as the URL parameters that reproduce it.
    pub params: ViewParams,
    /// How many rules the view's own filter has.
    pub filter_count: usize,
    pub active_view: ActiveView,
    /// The names of the viewer's saved views of this page.
    pub saved_views: Vec<String>,
    /// The page has a default view an admin saved.
    pub has_default_view: bool,
    pub may_create: bool,
    pub may_configure: bool,
    pub pre_filtered: bool,
    pub editing: super::deferred::Deferred<CatalogEditing>,
    pub html: CatalogPageHtml,
}

/// What a catalog page's filter builders and new-entity form work with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogEditing {
    pub blueprint: Blueprint,
    /// Every team's name, for the builder's team choices.
    pub teams: Vec<String>,
    /// Teams the viewer may give a new entity.
    pub assignable_teams: Vec<String>,
    /// The view's own filter.
    pub filter: Option<super::query::Query>,
    /// The page's initial filter, for those who may change it.
    pub dataset: Option<super::query::Query>,
}

/// The server-rendered parts of a catalog page (escaped by the renderer
/// like any other view).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogPageHtml {
    /// The Export menu of the header.
    pub export: String,
    /// The Columns and Group by menus of the toolbar.
    pub menus: String,
    /// The initial-filter note and the active filters as removable chips.
    pub notes: String,
    /// The result count, the table and the pager.
    pub table: String,
}

/// Where the view a catalog page shows comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActiveView {
    /// The URL's parameters (or nothing: the blueprint's defaults).
    Url,
    /// The viewer's saved view of this name.
    Personal(String),
    /// The default view an admin saved for the page.
    PageDefault,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCount {
    /// The value's text; `None` for entities without one.
    pub value: Option<String>,
    pub count: i64,
}

/// The users & teams page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsersAndTeams {
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    /// The SSO provider's name, for teams synced from it.
    pub identity_provider: String,
    /// What each team owns, per catalog page the reader may see (the
    /// teams tab; empty where not asked for).
    #[serde(default)]
    pub owned: Vec<super::directory::TeamEntities>,
    /// `(identifier, title)` of every blueprint, for moderator roles (the
    /// users tab; empty where not asked for).
    #[serde(default)]
    pub blueprints: Vec<(String, String)>,
}

/// An entity page: the entity, its blueprint, and the entities it relates to
/// and that relate to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityPageData {
    pub entity: super::Entity,
    pub blueprint: Blueprint,
    /// The catalog page of the entity's blueprint, when there is one.
    pub catalog_href: Option<String>,
    /// Entities whose relations point at this one.
    pub referenced_by: Vec<Reference>,
    /// What the viewer may do with this entity.
    pub abilities: super::EntityAbilities,
    /// The entity's latest changes, newest first.
    pub history: Vec<super::AuditEntry>,
    /// Teams the edit form offers: those the viewer may assign and those
    /// the entity has.
    pub team_choices: Vec<String>,
    /// The entity's markdown properties as sanitised HTML, by key, in
    /// schema order (rendered on the server: the bundle has no parser).
    pub markdown_html: Vec<(String, String)>,
}

/// An entity a relation picker offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedChoice {
    pub identifier: String,
    pub title: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub blueprint: String,
    pub blueprint_title: String,
    pub relation: String,
    pub identifier: String,
    pub title: Option<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn folder_identifiers_are_snake_case() {
        assert_eq!(super::folder_identifier("CI/CD"), "ci_cd");
        assert_eq!(
            super::folder_identifier("  Team leads' costs "),
            "team_leads_costs"
        );
        assert_eq!(super::folder_identifier("???"), "");
    }
}
