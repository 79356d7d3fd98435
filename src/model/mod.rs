//! Plain serde types shared by the server and the browser bundle.
//!
//! Everything here compiles for both `ssr` and `hydrate`: no database, no
//! axum, no secrets. The UI renders these types and the server stores and
//! serves them, so a field name written here is the field name on the wire
//! (Port's spelling, see `shared/spec/data-model.md`).

pub mod audit;
pub mod blueprint;
pub mod credential;
pub mod entity;
pub mod error;
pub mod form;
pub mod identifier;
pub mod page;
pub mod permissions;
pub mod query;
pub mod subject;
pub mod user;
pub mod validate;

pub use audit::{AuditEntry, AuditFilter};
pub use blueprint::{Blueprint, BlueprintSchema, PropertySchema, PropertyType, RelationSchema};
pub use credential::{CredentialInfo, CredentialsView, IssuedCredential};
pub use entity::{Entity, EntityList, EntitySort, SortOrder};
pub use error::AppError;
pub use page::{
    BlueprintSummary, CatalogPageData, DashboardData, EntityPageData, HomeData, Page, PageType,
    Reference, SidebarItem, Slice, UsersAndTeams, WidgetData,
};
pub use permissions::{
    BlueprintPermissions, EntityAbilities, Grant, PageAudience, PagePermissions,
};
pub use subject::{SignedInUser, Subject};
pub use user::{Invitation, Team, TeamProvider, User, UserRole, UserStatus};

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
