//! One module per page of the portal. Each page declares the typed server
//! functions it calls (their bodies run on the server and call `services`),
//! and renders with `components`. Every page reads fully before hydration:
//! links and GET forms carry the state in the URL.

pub mod audit_log;
pub mod builder;
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod catalog_table;
#[cfg(feature = "ssr")]
pub mod context;
pub mod credentials;
pub mod dashboard;
pub mod entity;
pub mod entity_form;
pub mod filter_builder;
pub mod layout;
pub mod not_found;
pub mod users_teams;
