//! Administration outside server functions: a convention's signed PDF (structures) and the audit log's CSV export.

mod audit_log;
mod structures;

use app::server::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;

pub(super) fn routes(uploads: DefaultBodyLimit) -> Router<AppState> {
    Router::new().merge(structures::routes(uploads)).merge(audit_log::routes())
}
