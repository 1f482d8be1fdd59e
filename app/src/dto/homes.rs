//! What each role sees on landing: the partner's structure and functions, the caisse's queue, the admin's overview.

use crate::domain::convention::ConventionStatus;
use crate::domain::request_kind::RequestKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConventionSummary {
    pub status: ConventionStatus,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub kinds: Vec<RequestKind>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindAccess {
    pub kind: RequestKind,
    /// `None` when the agent may use it today, else why not (in French, with whom to contact).
    pub blocked: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerHome {
    pub structure_name: String,
    pub structure_kind: String,
    pub caisse_name: String,
    pub convention: Option<ConventionSummary>,
    pub trained_on: Option<NaiveDate>,
    pub kinds: Vec<KindAccess>,
    /// The structure's latest requests, newest first.
    pub latest: Vec<super::requests::RequestRow>,
    /// The requests waiting for the structure's answer, longest waiting first (the first ones of `awaiting_total`).
    pub to_do: Vec<super::requests::ToDoRow>,
    pub awaiting_total: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaisseHome {
    pub caisse_name: String,
    pub structures: u64,
    pub conventions_in_force: u64,
    pub partner_agents: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub commune: String,
    pub convention: Option<ConventionStatus>,
    pub agents: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    /// "CPAM de l'Essonne", or every caisse for a national admin.
    pub scope: String,
    pub structures: Vec<StructureRow>,
    pub accounts: u64,
    /// What the next purge of personal data will take: national admins only.
    pub retention: Option<RetentionView>,
}

/// The retention of assuré data, as the next purge will apply it (a dry run).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionView {
    /// `RETENTION_MONTHS`.
    pub months: u32,
    /// « 02/12/2024 » : requests ended before that day are purged.
    pub cutoff: String,
    /// « 1 204 demandes » to purge at the next run.
    pub due: String,
    /// « 3 560 demandes » already purged.
    pub purged: String,
}
