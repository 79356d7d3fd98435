//! Plain serde types shared by the server and the browser bundle.
//!
//! Everything here compiles for both `ssr` and `hydrate`: no database, no
//! axum, no secrets. The UI renders these types and the server stores and
//! serves them, so a field name written here is the field name on the wire
//! (Port's spelling, see `shared/spec/data-model.md`).

pub mod audit;
pub mod blueprint;
pub mod catalog_view;
pub mod credential;
pub mod dashboard;
pub mod deferred;
pub mod directory;
pub mod entity;
pub mod error;
pub mod filter_draft;
pub mod filter_input;
pub mod form;
pub mod identifier;
pub mod json_codec;
pub mod page;
pub mod permissions;
pub mod projection;
pub mod query;
pub mod relation_path;
pub mod site;
pub mod subject;
pub mod url;
pub mod user;
pub mod validate;
pub mod widget;

pub use audit::{AuditEntry, AuditFilter, AuditLogPage, AuditRow, FieldChange};
pub use blueprint::{
    Blueprint, BlueprintSchema, MirrorProperty, Ownership, PropertySchema, PropertyType,
    RelationSchema, TeamInheritance,
};
pub use catalog_view::{team_group_key, CatalogView, SavedView, ViewParams, TEAM_GROUP};
pub use credential::{CredentialInfo, CredentialsView, IssuedCredential};
pub use entity::{Entity, EntityList, EntitySort, SortOrder};
pub use error::AppError;
pub use page::{
    ActiveView, CatalogEditing, CatalogPageContext, CatalogPageData, CatalogPageHtml,
    CatalogPageView, EntityPageData, Folder, GroupCount, Page, PageType, Reference, RelatedChoice,
    Sidebar, SidebarItem, UsersAndTeams,
};
pub use permissions::{
    BlueprintPermissions, EntityAbilities, Grant, PageAudience, PagePermissions,
};
pub use subject::{SignedInUser, Subject};
pub use user::{Invitation, Team, TeamProvider, User, UserRole, UserStatus};
pub use widget::{DashboardData, Slice, ViewerChoices, WidgetData, WidgetView};

/// A JSON value as a person reads it: strings without quotes, whole
/// numbers stored as floats (`2251.0`) as `2251`, null as nothing. Table
/// cells, form inputs, filter chips and validation messages all use it.
pub fn plain_text(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            _ => n.to_string(),
        },
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// For `#[serde(default, deserialize_with = "present")]` on an
/// `Option<Option<T>>`: tells a field sent as `null` (`Some(None)`, clear
/// it) from a field left out (`None`, keep it), as PATCH needs.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}
