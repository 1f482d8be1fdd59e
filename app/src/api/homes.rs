//! What each role sees on landing: the partner's structure and functions, the caisse's queue, the admin's overview.

use super::error::AppError;
use crate::domain::convention::{ConventionStatus, PartnerFunction};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConventionSummary {
    pub status: ConventionStatus,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub functions: Vec<PartnerFunction>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionAccess {
    pub function: PartnerFunction,
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
    pub functions: Vec<FunctionAccess>,
    /// The structure's latest requests, newest first.
    pub latest: Vec<super::requests::RequestRow>,
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
}

#[server(endpoint = "partner_home")]
pub async fn fetch_partner_home() -> Result<PartnerHome, AppError> {
    let user = super::guard::require(crate::domain::access::Area::Partner).await?;
    let state = super::guard::state()?;
    crate::server::homes::partner_home(&state.db, &user, crate::server::time_fr::paris_day(chrono::Utc::now())).await
}

#[server(endpoint = "caisse_home")]
pub async fn fetch_caisse_home() -> Result<CaisseHome, AppError> {
    let user = super::guard::require(crate::domain::access::Area::Caisse).await?;
    let state = super::guard::state()?;
    crate::server::homes::caisse_home(&state.db, &user, chrono::Utc::now().date_naive()).await
}

#[server(endpoint = "admin_overview")]
pub async fn fetch_admin_overview() -> Result<AdminOverview, AppError> {
    let user = super::guard::require(crate::domain::access::Area::Admin).await?;
    let state = super::guard::state()?;
    crate::server::homes::admin_overview(&state.db, &user, chrono::Utc::now().date_naive()).await
}
