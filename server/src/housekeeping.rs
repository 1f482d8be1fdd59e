//! The periodic jobs each instance runs while it serves, every five minutes: purges (expired sessions, old sign-in
//! failures, abandoned uploads, exports older than a day, audit entries past their retention), the daily summaries of notices and the
//! warnings about conventions ending soon. Each job's rule lives in its service; only the schedule is here.

use app::server::state::AppState;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often the jobs run.
const EVERY: Duration = Duration::from_secs(300);

/// Starts the jobs in the background, first round at once; abort the handle to stop them.
pub fn start(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            run_once(&state).await;
        }
    })
}

/// One round: expired sessions, old sign-in failures, files of forms abandoned for a day, exports older than a day
/// (and jobs an instance left running); the daily summaries of
/// notices (those kept before 07:00, Paris time, go out once that hour has passed); the warnings to admins about
/// conventions ending within 60, then 15 days (each once); audit entries past their retention. A job that fails
/// is logged and tried again next round; the others still run.
async fn run_once(state: &AppState) {
    use tower_sessions::ExpiredDeletion;
    let db = &state.db;
    let store = app::server::auth::session_store::DbSessionStore::new(db.clone(), Default::default());
    if let Err(err) = store.delete_expired().await {
        tracing::warn!(error = %err, "could not delete expired sessions");
    }
    if let Err(err) = app::server::auth::sign_in::forget_old_failures(db, chrono::Utc::now()).await {
        tracing::warn!(error = %err, "could not purge old sign-in failures");
    }
    let day_ago = chrono::Utc::now() - chrono::Duration::days(1);
    if let Err(err) = app::server::requests::attachments::forget_abandoned(state, day_ago).await {
        tracing::warn!(error = %err, "could not delete abandoned uploads");
    }
    match app::server::exports::forget_old(state, chrono::Utc::now()).await {
        Ok(0) => {}
        Ok(files) => tracing::info!(files, "exports older than a day deleted"),
        Err(err) => tracing::warn!(error = %err, "could not delete old exports"),
    }
    if let Err(err) = app::server::mail::queue_digests(db, app::server::time_fr::last_seven_am(chrono::Utc::now())).await {
        tracing::warn!(error = %err, "could not prepare the daily summaries");
    }
    let now = chrono::Utc::now();
    let today = app::server::time_fr::paris_day(now);
    if let Err(err) = app::server::mail_watch::warn_expiring_conventions(db, &state.settings.mail, today, now).await {
        tracing::warn!(error = %err, "could not warn about conventions ending soon");
    }
    let cutoff = app::domain::audit_log::retention_cutoff(now, state.settings.audit_retention_months);
    match app::server::admin::audit_log::purge(db, cutoff).await {
        Ok(0) => {}
        Ok(rows) => tracing::info!(rows, "audit entries past their retention purged"),
        Err(err) => tracing::warn!(error = %err, "could not purge old audit entries"),
    }
}
