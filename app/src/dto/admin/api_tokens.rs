//! The admin's page of API tokens: the caisse's tokens with their state and last use, the creation form's
//! choices, and a token just created (shown once).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenLine {
    pub id: String,
    pub name: String,
    pub caisse: String,
    /// The scopes by their French names.
    pub scopes: Vec<String>,
    /// The token's first characters and an ellipsis: enough to recognise it, never enough to use it.
    pub shown_prefix: String,
    pub allowed_addresses: String,
    pub created_on: String,
    pub expires_on: String,
    pub last_used: Option<String>,
    /// « Actif », « Expiré » or « Révoqué le … ».
    pub state: String,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenList {
    pub tokens: Vec<ApiTokenLine>,
    /// (code, label) of every scope, for the creation form.
    pub scopes: Vec<(String, String)>,
    /// (id, name) of the caisses a national admin chooses from; empty for a caisse's admin.
    pub caisses: Vec<(String, String)>,
    pub max_days: i64,
}

/// A token just created: the only time it is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub name: String,
    pub token: String,
    pub expires_on: String,
}
