//! The statistics' downloads: one table of a dashboard (the caisse's, or a partner structure's), with the page's
//! filters, as a CSV file; audited.

use super::download::file_response;
use super::{Refused, context, require, signed_in};
use app::domain::access::Area;
use app::dto::statistics::StatsQuery;
use app::server::auth::AuthSession;
use app::server::context::RequestContext;
use app::server::state::AppState;
use app::server::statistics;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::get;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/caisse/statistiques.csv", get(caisse_csv)).route("/partenaire/statistiques.csv", get(partner_csv))
}

/// `tableau`: the table's code; the other parameters are the dashboard's filters. Who may see which figures is the
/// dashboard's own rule (`server::statistics`).
async fn caisse_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    parts: Parts,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let cx = context(&state, signed_in(&auth)?, &parts);
    let (query, table) = read(&params);
    let page = statistics::caisse_statistics(&cx, &query).await?;
    csv(&cx, page, &table).await
}

/// The same for a partner structure's own dashboard.
async fn partner_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    parts: Parts,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let cx = context(&state, require(&auth, Area::Partner)?, &parts);
    let (query, table) = read(&params);
    let page = statistics::partner_statistics(&cx, &query).await?;
    csv(&cx, page, &table).await
}

fn read(params: &[(String, String)]) -> (StatsQuery, String) {
    let param = |name: &str| params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    (StatsQuery::from_params(param), param("tableau").unwrap_or_default())
}

async fn csv(cx: &RequestContext, page: app::dto::statistics::Dashboard, table: &str) -> Result<Response, Refused> {
    let (file, csv) = statistics::export(cx, page, table).await?;
    Ok(file_response(&file, "text/csv; charset=utf-8", csv))
}
