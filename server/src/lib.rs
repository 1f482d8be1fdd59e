//! The axum application: state, middleware stack and routes, the housekeeping jobs and the seeders. `main.rs` adds
//! the command line around it, and the integration tests boot exactly this router.

pub mod assets;
pub mod boundary;
pub mod guards;
pub mod housekeeping;
pub mod metrics;
pub mod router;
pub mod routes;
pub mod seed;
pub mod serve;
pub mod telemetry;
pub mod v1;

use app::server::db;
use app::server::settings::Settings;
use app::server::state::AppState;
use app::server::storage::Storage;
use leptos::config::LeptosOptions;

/// Connects to the database, migrates it (unless `MIGRATE_AT_START=false`: then it only warns of what is pending),
/// and returns the state the router runs on.
pub async fn prepare(settings: Settings, leptos_options: LeptosOptions) -> Result<AppState, sea_orm::DbErr> {
    let db = db::connect(settings.database_url.expose()).await?;
    if settings.migrate_at_start {
        db::migrate(&db).await?;
    } else {
        match db::pending_migrations(&db).await? {
            0 => {}
            pending => tracing::warn!(pending, "migrations are pending and MIGRATE_AT_START=false: run `server migrate`"),
        }
    }
    let storage = Storage::open(&settings).map_err(|e| sea_orm::DbErr::Custom(format!("cannot open the file storage: {e}")))?;
    Ok(AppState::new(app::server::state::Shared {
        db,
        settings,
        storage,
        leptos_options,
        backlog: Default::default(),
        public_figures: Default::default(),
        api_calls: Default::default(),
    }))
}

/// Loads the demo data, and sixteen months of settled requests for the statistics; returns how many rows were added
/// (0 when already there).
pub async fn seed_demo(state: &AppState, password: &str) -> Result<u64, sea_orm::DbErr> {
    let now = chrono::Utc::now();
    Ok(seed::demo(&state.db, password, &state.settings.mfa, now).await? + seed::demo_history(&state.db, now).await?)
}
