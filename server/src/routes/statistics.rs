//! The statistics' downloads: one table of a dashboard (the caisse's, or a partner structure's), with the page's
//! filters, as CSV, XLSX or ODS; audited.

use super::download::file_response;
use super::{Refused, context, require, signed_in};
use app::domain::access::Area;
use app::dto::statistics::{Dashboard, StatsQuery};
use app::server::auth::AuthSession;
use app::server::context::RequestContext;
use app::server::spreadsheet::Format;
use app::server::state::AppState;
use app::server::statistics;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::get;

type Params = Query<Vec<(String, String)>>;

pub(super) fn routes() -> Router<AppState> {
    Format::ALL.into_iter().fold(Router::new(), |router, format| {
        let extension = format.extension();
        router
            .route(
                &format!("/caisse/statistiques.{extension}"),
                get(move |state: State<AppState>, auth: AuthSession, parts: Parts, params: Params| caisse_table(state, auth, parts, params, format)),
            )
            .route(
                &format!("/partenaire/statistiques.{extension}"),
                get(move |state: State<AppState>, auth: AuthSession, parts: Parts, params: Params| partner_table(state, auth, parts, params, format)),
            )
    })
}

/// `tableau`: the table's code; the other parameters are the dashboard's filters. Who may see which figures is the
/// dashboard's own rule (`server::statistics`).
async fn caisse_table(
    State(state): State<AppState>,
    auth: AuthSession,
    parts: Parts,
    Query(params): Params,
    format: Format,
) -> Result<Response, Refused> {
    let cx = context(&state, signed_in(&auth)?, &parts);
    let (query, table) = read(&params);
    let page = statistics::caisse_statistics(&cx, &query).await?;
    download(&cx, page, &table, format).await
}

/// The same for a partner structure's own dashboard.
async fn partner_table(
    State(state): State<AppState>,
    auth: AuthSession,
    parts: Parts,
    Query(params): Params,
    format: Format,
) -> Result<Response, Refused> {
    let cx = context(&state, require(&auth, Area::Partner)?, &parts);
    let (query, table) = read(&params);
    let page = statistics::partner_statistics(&cx, &query).await?;
    download(&cx, page, &table, format).await
}

fn read(params: &[(String, String)]) -> (StatsQuery, String) {
    let param = |name: &str| params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    (StatsQuery::from_params(param), param("tableau").unwrap_or_default())
}

async fn download(cx: &RequestContext, page: Dashboard, table: &str, format: Format) -> Result<Response, Refused> {
    let (file, bytes) = statistics::export(cx, page, table, format).await?;
    Ok(file_response(&file, format.content_type(), bytes))
}
