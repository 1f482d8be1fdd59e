//! The statistics' downloads: one table of the caisse dashboard, with the page's filters, as a CSV file; audited.

use super::download::file_response;
use super::{Refused, context, signed_in};
use app::dto::statistics::StatsQuery;
use app::server::auth::AuthSession;
use app::server::state::AppState;
use app::server::statistics;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::get;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/caisse/statistiques.csv", get(statistics_csv))
}

/// `tableau`: the table's code; the other parameters are the dashboard's filters. Who may see which figures is the
/// dashboard's own rule (`server::statistics`).
async fn statistics_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    parts: Parts,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let user = signed_in(&auth)?;
    let param = |name: &str| params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    let query = StatsQuery::from_params(param);
    let table = param("tableau").unwrap_or_default();
    let (file, csv) = statistics::export(&context(&state, user, &parts), &query, &table).await?;
    Ok(file_response(&file, "text/csv; charset=utf-8", csv))
}
