//! The domain rules, one module per area: `blueprints`, `entities` (the one
//! write path), `catalog` and `catalog_page` (reading), `pages` (pages and
//! the sidebar), `views`, `dashboard`, `directory` (users, teams,
//! invitations), `credentials`, `permissions`, `audit`, `export` and
//! `import`, with `access` applying the policy's read decisions to queries.
//!
//! Server functions and REST handlers call these functions and nothing below
//! them. A read loads what it needs from the store and shapes it for the
//! caller; a write validates input against the blueprint schema, asks `authz`,
//! and writes the change with its audit record in one transaction. Errors are
//! `AppError`s whose messages say what was wrong.

pub mod access;
pub mod audit;
pub mod blueprints;
pub mod catalog;
pub mod catalog_page;
pub mod credentials;
pub mod dashboard;
pub mod demo;
pub mod directory;
pub mod entities;
pub mod export;
pub mod import;
pub mod markdown;
pub mod mirrors;
pub mod ownership;
pub mod pages;
pub mod permissions;
pub mod search;
pub mod sidebar;
pub mod views;
