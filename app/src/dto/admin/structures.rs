//! Partner structures and their conventions, for admins: the searchable list, one structure's page, and every
//! change to a structure or a convention (the signed PDF is uploaded on its own route, in the server crate's
//! `routes/admin/structures.rs`).

use crate::domain::account_review::AccountState;
use crate::domain::convention::{ConventionAction, ConventionStatus};
use crate::domain::form_values::FormValues;
use crate::domain::request_kind::RequestKind;
use serde::{Deserialize, Serialize};

/// One structure in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureLine {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub commune: String,
    pub siret: String,
    /// The governing convention's status today, if the structure has one.
    pub convention: Option<ConventionStatus>,
    pub agents: u64,
}

/// `/admin/structures`: the structures of the admin's caisse (every caisse for a national admin), searched and paged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureList {
    pub scope: String,
    pub search: String,
    pub rows: Vec<StructureLine>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// (code, label) of every kind of structure, for the creation form.
    pub kinds: Vec<(String, String)>,
    /// (id, name) of the caisses a national admin chooses from; empty for a caisse's admin.
    pub caisses: Vec<(String, String)>,
    /// The creation form as typed, when it came back with errors (JavaScript off).
    pub returned: Option<FormValues>,
}

/// One convention of a structure, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConventionLine {
    pub id: String,
    /// The status as it stands today (a signed convention is active from its start date…).
    pub status: ConventionStatus,
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// The dates as `YYYY-MM-DD`, for the draft's form.
    pub starts_on_iso: String,
    pub ends_on_iso: String,
    pub kinds: Vec<RequestKind>,
    pub reason: Option<String>,
    /// The signed PDF's file name, when one was uploaded.
    pub document: Option<String>,
    /// Whether it follows an earlier convention (a renewal).
    pub renews: bool,
    /// Whether a later convention already follows it.
    pub renewed: bool,
    pub actions: Vec<ConventionAction>,
}

/// A partner agent of the structure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentLine {
    pub id: String,
    pub name: String,
    pub email: String,
    pub state: AccountState,
    pub trained_on: Option<String>,
}

/// `/admin/structures/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructurePage {
    pub id: String,
    pub caisse_name: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub siret: String,
    pub address: String,
    pub postal_code: String,
    pub commune: String,
    /// Newest first.
    pub conventions: Vec<ConventionLine>,
    pub agents: Vec<AgentLine>,
    /// (status label, count) of the structure's requests, in lifecycle order, and their total.
    pub requests: Vec<(String, u64)>,
    pub total_requests: u64,
    pub kinds: Vec<(String, String)>,
    /// Forms that came back with errors (JavaScript off), as typed: the profile, the new convention, the invitation.
    pub returned_profile: Option<FormValues>,
    pub returned_convention: Option<FormValues>,
    pub returned_invitation: Option<FormValues>,
    /// Why the last signed document sent was refused (JavaScript off or on: the upload is a plain form).
    pub document_refused: Option<(String, String)>,
}

/// Expiring conventions: `/admin/conventions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiringLine {
    pub structure_id: String,
    pub structure: String,
    pub ends_on: String,
    pub days_left: i64,
    pub renewed: bool,
}
