//! Audit log entries: who changed what, when, and how.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// An e-mail, `client:<id>`, or `demo-data`.
    pub actor: String,
    /// `entity`, `blueprint`, `permissions`, `page`, `team`, `user` or `credential`.
    pub resource_type: String,
    /// `CREATE`, `UPDATE` or `DELETE`.
    pub action: String,
    pub blueprint: Option<String>,
    pub identifier: Option<String>,
    /// `SUCCESS`, or `FAILURE` for a write the policy refused.
    pub status: String,
    /// `{before, after}`.
    pub diff: Value,
    /// Why a refused write was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Which entries to read; every given filter must hold. Newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub blueprint: Option<String>,
    pub actor: Option<String>,
    pub resource_types: Vec<String>,
    pub action: Option<String>,
    pub status: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: i64,
    /// Refused attempts (status FAILURE) only when made by this actor: set
    /// by the policy for readers who are not admins, never by a request.
    #[serde(skip)]
    pub failures_only_by: Option<String>,
}
