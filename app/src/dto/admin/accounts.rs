//! Accounts, for admins: the list (flagging those unused for six months), invitations by e-mail, role and team,
//! deactivation (sessions end at once) and reactivation, and a partner agent's training date.

use crate::domain::account_review::AccountState;
use crate::domain::form_values::FormValues;
use crate::domain::role::Role;
use serde::{Deserialize, Serialize};

/// The list's filters, as they appear in the address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountQuery {
    #[serde(default)]
    pub search: String,
    /// A `Role` code, or empty for all.
    #[serde(default)]
    pub role: String,
    /// An `AccountState` code, or empty for all.
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub page: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLine {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub state: AccountState,
    /// The structure of a partner agent, else the team of a caisse agent.
    pub attached_to: String,
    pub last_sign_in: Option<String>,
}

/// `/admin/comptes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    pub scope: String,
    pub rows: Vec<AccountLine>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub dormant: u64,
    /// (id, name) of the teams a caisse agent may join (the admin's caisse).
    pub teams: Vec<(String, String)>,
    /// (id, name) of the caisses a national admin chooses from; empty for a caisse's admin.
    pub caisses: Vec<(String, String)>,
    pub returned: Option<FormValues>,
}

/// `/admin/comptes/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPage {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub state: AccountState,
    pub caisse_name: String,
    /// (id, name) of the partner agent's structure.
    pub structure: Option<(String, String)>,
    pub team_id: String,
    pub teams: Vec<(String, String)>,
    pub trained_on: Option<String>,
    pub trained_on_iso: String,
    pub last_sign_in: Option<String>,
    pub created: String,
    /// Whether this is the admin's own account (which they may not deactivate nor demote).
    pub is_self: bool,
    /// Whether the person enrolled their second factor (an admin may reset it).
    pub second_factor: bool,
    pub returned: Option<FormValues>,
}
