//! API credentials as people see them: never the secret, except once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A stored client credential. `owner` is the person it acts as (personal
/// credentials); organization machine credentials have none and act with
/// `role`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialInfo {
    pub client_id: String,
    pub role: String,
    pub owner: Option<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A freshly made or rotated credential: the only time the secret is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedCredential {
    pub client_id: String,
    pub client_secret: String,
}

/// The API credentials page: the viewer's own credential, and for admins
/// every credential of the organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialsView {
    pub email: String,
    pub is_admin: bool,
    pub mine: Option<CredentialInfo>,
    /// All credentials (admins only; empty for others).
    pub all: Vec<CredentialInfo>,
}
