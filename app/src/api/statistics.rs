//! The statistics: the caisse dashboard (caisse agents and admins; a national admin for one caisse or all).

use crate::dto::error::AppError;
use crate::dto::statistics::{CaisseStatistics, StatsQuery};
use leptos::prelude::*;

#[server(endpoint = "caisse_statistics")]
pub async fn fetch_caisse_statistics(query: StatsQuery) -> Result<CaisseStatistics, AppError> {
    let cx = crate::server::guard::signed_in_context().await?;
    crate::server::statistics::caisse_statistics(&cx, &query).await
}
