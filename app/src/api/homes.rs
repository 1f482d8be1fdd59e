//! What each role sees on landing: the partner's structure and functions, the caisse's queue, the admin's overview.

use crate::dto::error::AppError;
#[allow(unused_imports)]
use crate::dto::homes::*;
use leptos::prelude::*;

#[server(endpoint = "partner_home")]
pub async fn fetch_partner_home() -> Result<PartnerHome, AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Partner).await?;
    crate::server::homes::partner_home(&cx).await
}

#[server(endpoint = "caisse_home")]
pub async fn fetch_caisse_home() -> Result<CaisseHome, AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Caisse).await?;
    crate::server::homes::caisse_home(&cx).await
}

#[server(endpoint = "admin_overview")]
pub async fn fetch_admin_overview() -> Result<AdminOverview, AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    crate::server::homes::admin_overview(&cx).await
}
