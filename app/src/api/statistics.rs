//! The statistics: the caisse dashboard (caisse agents and admins; a national admin for one caisse or all) and a
//! partner structure's own (its agents).

use crate::dto::error::AppError;
use crate::dto::statistics::{Dashboard, PublicStatistics, StatsQuery};
use leptos::prelude::*;

#[server(endpoint = "caisse_statistics")]
pub async fn fetch_caisse_statistics(query: StatsQuery) -> Result<Dashboard, AppError> {
    let cx = crate::server::guard::signed_in_context().await?;
    crate::server::statistics::caisse_statistics(&cx, &query).await
}

#[server(endpoint = "partner_statistics")]
pub async fn fetch_partner_statistics(query: StatsQuery) -> Result<Dashboard, AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Partner).await?;
    crate::server::statistics::partner_statistics(&cx, &query).await
}

/// Anyone, signed in or not: the figures a caisse publishes.
#[server(endpoint = "public_statistics")]
pub async fn fetch_public_statistics(code: String) -> Result<PublicStatistics, AppError> {
    let state = crate::server::guard::state()?;
    let today = crate::server::time_fr::paris_day(chrono::Utc::now());
    state.public_figures.of(&state.db, &code, today).await
}
