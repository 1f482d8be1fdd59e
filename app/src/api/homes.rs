//! What each role sees on landing: the partner's structure and functions, the caisse's queue, the admin's overview.

use crate::dto::error::AppError;
use leptos::prelude::*;
#[allow(unused_imports)]
use crate::dto::homes::*;

#[server(endpoint = "partner_home")]
pub async fn fetch_partner_home() -> Result<PartnerHome, AppError> {
    let user = crate::server::guard::require(crate::domain::access::Area::Partner).await?;
    let state = crate::server::guard::state()?;
    crate::server::homes::partner_home(&state.db, &user, crate::server::time_fr::paris_day(chrono::Utc::now())).await
}

#[server(endpoint = "caisse_home")]
pub async fn fetch_caisse_home() -> Result<CaisseHome, AppError> {
    let user = crate::server::guard::require(crate::domain::access::Area::Caisse).await?;
    let state = crate::server::guard::state()?;
    crate::server::homes::caisse_home(&state.db, &user, chrono::Utc::now().date_naive()).await
}

#[server(endpoint = "admin_overview")]
pub async fn fetch_admin_overview() -> Result<AdminOverview, AppError> {
    let user = crate::server::guard::require(crate::domain::access::Area::Admin).await?;
    let state = crate::server::guard::state()?;
    crate::server::homes::admin_overview(&state.db, &user, chrono::Utc::now().date_naive()).await
}
