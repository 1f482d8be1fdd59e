//! The audit log as a CSV file (`/admin/journal.csv`, the page's filters in the query string), for admins only;
//! the export is itself recorded in the log.

use super::super::{Refused, signed_in};
use app::dto::admin::audit_log::AuditQuery;
use app::server::admin::{self, audit_log};
use app::server::auth::AuthSession;
use app::server::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::get;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/admin/journal.csv", get(audit_log_csv))
}

/// The entries the filters keep, for French Excel; a wrong filter is refused like the page's (422, in French).
async fn audit_log_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    parts: Parts,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let user = signed_in(&auth)?;
    admin::admin(&user)?;
    let query = AuditQuery::from_params(|name| params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()));
    let filter = audit_log::Filter::parse(&query)?;
    let csv = audit_log::export(&super::super::context(&state, user, &parts), &filter).await?;
    Ok(super::super::download::file_response("journal-audit.csv", "text/csv; charset=utf-8", csv))
}
