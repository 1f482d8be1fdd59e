//! Partner structures and their conventions, for admins: the searchable list, one structure's page, and every
//! change to a structure or a convention (the signed PDF is uploaded on its own route, `forms.rs`).

use crate::api::error::AppError;
use crate::domain::account_review::AccountState;
use crate::domain::convention::{ConventionAction, ConventionStatus, PartnerFunction};
use crate::domain::form_values::FormValues;
use leptos::prelude::*;
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
    pub functions: Vec<PartnerFunction>,
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

#[cfg(feature = "ssr")]
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

#[cfg(feature = "ssr")]
async fn admin() -> Result<crate::server::auth::SignedIn, AppError> {
    super::super::guard::require(crate::domain::access::Area::Admin).await
}

#[server(endpoint = "admin_structures")]
pub async fn fetch_structures(#[server(default)] search: String, #[server(default)] page: u64) -> Result<StructureList, AppError> {
    use crate::server::admin::structures;
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let returned = super::super::guard::returned_form(structures::CREATE_FLASH).await?;
    structures::list(&state.db, &user, &search, page.max(1), returned, now()).await
}

#[server(endpoint = "admin_structure")]
pub async fn fetch_structure(id: String) -> Result<StructurePage, AppError> {
    use crate::server::admin::structures;
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let guard = |form| super::super::guard::returned_form::<FormValues>(form);
    let returned = [guard(structures::PROFILE_FLASH).await?, guard(structures::CONVENTION_FLASH).await?, guard(structures::INVITATION_FLASH).await?];
    let refused = super::super::guard::returned_form(structures::DOCUMENT_FLASH).await?;
    structures::page(&state.db, &user, &id, returned, refused, now()).await
}

/// The profile fields, as posted by the creation and edit forms.
#[cfg(feature = "ssr")]
fn profile(name: &str, kind: &str, siret: &str, address: &str, postal_code: &str, commune: &str, caisse_id: &str) -> FormValues {
    FormValues::new()
        .with("name", name)
        .with("kind", kind)
        .with("siret", siret)
        .with("address", address)
        .with("postal_code", postal_code)
        .with("commune", commune)
        .with("caisse_id", caisse_id)
}

/// Creates a structure; returns its id (the page goes to it).
#[server(endpoint = "create_structure")]
pub async fn create_structure(
    name: String,
    kind: String,
    siret: String,
    address: String,
    postal_code: String,
    commune: String,
    #[server(default)] caisse_id: String,
) -> Result<String, AppError> {
    use crate::server::admin::structures;
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let origin = super::super::guard::origin().await;
    let typed = profile(&name, &kind, &siret, &address, &postal_code, &commune, &caisse_id);
    let outcome = structures::create(&state.db, &user, &typed, &origin, now()).await;
    let id = super::super::guard::keep_if_refused(outcome, structures::CREATE_FLASH, &typed).await?;
    super::super::guard::redirect_plain_post(&format!("/admin/structures/{id}?fait=creation")).await;
    Ok(id)
}

#[server(endpoint = "update_structure")]
pub async fn update_structure(
    id: String,
    name: String,
    kind: String,
    siret: String,
    address: String,
    postal_code: String,
    commune: String,
) -> Result<(), AppError> {
    use crate::server::admin::structures;
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let origin = super::super::guard::origin().await;
    let typed = profile(&name, &kind, &siret, &address, &postal_code, &commune, "");
    let outcome = structures::update(&state.db, &user, &id, &typed, &origin, now()).await;
    super::super::guard::keep_if_refused(outcome, structures::PROFILE_FLASH, &typed).await?;
    super::super::guard::redirect_plain_post(&format!("/admin/structures/{id}?fait=modification")).await;
    Ok(())
}

/// The convention form's fields: dates, then one checkbox per function (named by its code).
#[cfg(feature = "ssr")]
fn terms(starts_on: &str, ends_on: &str, ticked: [(PartnerFunction, &Option<String>); 4]) -> FormValues {
    let mut typed = FormValues::new().with("starts_on", starts_on).with("ends_on", ends_on);
    for (function, value) in ticked {
        if value.is_some() {
            typed.push("functions", function.code());
        }
    }
    typed
}

/// Adds a draft convention to a structure (or changes a draft's dates and functions, when `id` is given).
#[server(endpoint = "save_convention")]
pub async fn save_convention(
    structure_id: String,
    #[server(default)] id: String,
    #[server(default)] starts_on: String,
    #[server(default)] ends_on: String,
    #[server(default)] contact: Option<String>,
    #[server(default)] mas_referral: Option<String>,
    #[server(default)] appointment: Option<String>,
    #[server(default)] dossier_study: Option<String>,
) -> Result<(), AppError> {
    use crate::server::admin::{conventions, structures};
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let origin = super::super::guard::origin().await;
    let typed = terms(
        &starts_on,
        &ends_on,
        [
            (PartnerFunction::Contact, &contact),
            (PartnerFunction::MasReferral, &mas_referral),
            (PartnerFunction::Appointment, &appointment),
            (PartnerFunction::DossierStudy, &dossier_study),
        ],
    );
    let outcome = conventions::save_draft(&state.db, &user, &structure_id, Some(id.as_str()).filter(|id| !id.is_empty()), &typed, &origin, now()).await;
    let typed = typed.with("id", &id);
    super::super::guard::keep_if_refused(outcome, structures::CONVENTION_FLASH, &typed).await?;
    super::super::guard::redirect_plain_post(&format!("/admin/structures/{structure_id}?fait=convention#conventions")).await;
    Ok(())
}

/// Suspends, resumes, terminates or renews a convention (`action`: suspend, resume, terminate, renew).
#[server(endpoint = "act_on_convention")]
pub async fn act_on_convention(id: String, action: String, #[server(default)] reason: String) -> Result<(), AppError> {
    use crate::server::admin::conventions;
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let origin = super::super::guard::origin().await;
    let done = conventions::act(&state.db, &user, &id, &action, &reason, &origin, now()).await?;
    super::super::guard::redirect_plain_post(&format!("/admin/structures/{}?fait={}#conventions", done.structure_id, done.notice)).await;
    Ok(())
}

#[server(endpoint = "expiring_conventions")]
pub async fn fetch_expiring() -> Result<Vec<ExpiringLine>, AppError> {
    let user = admin().await?;
    let state = super::super::guard::state()?;
    crate::server::admin::conventions::expiring(&state.db, &user, now()).await
}
