//! The state every handler and server function reaches through context: no globals.

use super::settings::Settings;
use super::storage::Storage;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// What every request shares, behind one `Arc`: a request clones the state several times (each middleware with
/// state, Leptos's context), and one shared count costs far less than one per part, on every core at once.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
pub struct Shared {
    pub db: DatabaseConnection,
    pub settings: Settings,
    pub storage: Storage,
    pub leptos_options: LeptosOptions,
    /// The open backlog's counts per caisse, kept a few seconds (`triage::BacklogCounts`).
    pub backlog: super::triage::BacklogCounts,
    /// Each caisse's public figures, read once a day (`statistics::PublicFigures`).
    pub public_figures: super::statistics::PublicFigures,
    /// Each API token's calls in the current minute, in this instance (`api_tokens::ApiCallCounts`).
    pub api_calls: super::api_tokens::ApiCallCounts,
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
