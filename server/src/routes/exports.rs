//! A file prepared in the background, downloaded by the account that asked for it once it is ready.

use super::download::stored_file_response;
use super::{Refused, signed_in};
use app::server::auth::AuthSession;
use app::server::exports;
use app::server::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::get;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/compte/exports/{id}/fichier", get(export_file))
}

async fn export_file(State(state): State<AppState>, auth: AuthSession, parts: Parts, Path(id): Path<String>) -> Result<Response, Refused> {
    let user = signed_in(&auth)?;
    let (name, format, file) = exports::file(&super::context(&state, user, &parts), &id).await?;
    Ok(stored_file_response(&name, format.content_type(), file))
}
