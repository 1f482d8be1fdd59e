//! The state every handler and server function reaches through context: no globals.

use super::settings::Settings;
use super::storage::Storage;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub storage: Storage,
    pub leptos_options: LeptosOptions,
    /// The open backlog's counts per caisse, kept a few seconds (`triage::BacklogCounts`).
    pub backlog: Arc<super::triage::BacklogCounts>,
    /// Each caisse's public figures, read once a day (`statistics::PublicFigures`).
    pub public_figures: Arc<super::statistics::PublicFigures>,
    /// Each API token's calls in the current minute, in this instance (`api_tokens::ApiCallCounts`).
    pub api_calls: Arc<super::api_tokens::ApiCallCounts>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
