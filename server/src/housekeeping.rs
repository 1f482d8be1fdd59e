//! The periodic jobs while the app serves, every five minutes: purges (expired sessions, old sign-in failures,
//! abandoned uploads, exports older than a day, audit entries past their retention), the daily summaries of notices
//! and the warnings about conventions ending soon. Every instance ticks; each job runs on the one instance that
//! claims it for the slot (`app::server::jobs`). Each job's rule lives in its service; only the schedule is here.

use app::server::state::AppState;
use chrono::{DateTime, Utc};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often the jobs run.
const EVERY: Duration = Duration::from_secs(300);

/// The jobs, by the name they are claimed under.
pub const JOBS: [&str; 8] = ["sessions", "sign_in_failures", "uploads", "exports", "digests", "conventions", "audit", "claims"];

/// Starts the jobs in the background, first round at once; abort the handle to stop them.
pub fn start(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            run_once(&state, Utc::now()).await;
        }
    })
}

/// One round at `now`: each job this instance claims for the slot runs (the others ran, or will, elsewhere); returns
/// their names. A job that fails is logged and tried again next slot; the others still run.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> Vec<&'static str> {
    let slot = app::server::jobs::tick(now, EVERY);
    let mut ran = vec![];
    for job in JOBS {
        match app::server::jobs::claim(&state.db, job, slot, now).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(err) => {
                tracing::warn!(job, error = %err, "could not claim a periodic job");
                continue;
            }
        }
        ran.push(job);
        if let Err(error) = run(state, job, now).await {
            tracing::warn!(job, %error, "a periodic job failed");
        }
    }
    ran
}

/// One job: expired sessions; old sign-in failures; files of forms abandoned for a day; exports older than a day
/// (and jobs an instance left running); the daily summaries of notices (those kept before 07:00, Paris time, go out
/// once that hour has passed); the warnings to admins about conventions ending within 60, then 15 days (each once);
/// audit entries past their retention; the claims of past slots.
async fn run(state: &AppState, job: &str, now: DateTime<Utc>) -> Result<(), String> {
    use tower_sessions::ExpiredDeletion;
    let db = &state.db;
    let text = |err: &dyn std::fmt::Display| err.to_string();
    match job {
        "sessions" => {
            app::server::auth::session_store::DbSessionStore::new(db.clone(), Default::default()).delete_expired().await.map_err(|e| text(&e))
        }
        "sign_in_failures" => app::server::auth::sign_in::forget_old_failures(db, now).await.map(drop).map_err(|e| text(&e)),
        "uploads" => {
            app::server::requests::attachments::forget_abandoned(state, now - chrono::Duration::days(1)).await.map(drop).map_err(|e| text(&e))
        }
        "exports" => app::server::exports::forget_old(state, now)
            .await
            .map(|files| {
                if files > 0 {
                    tracing::info!(files, "exports older than a day deleted")
                }
            })
            .map_err(|e| text(&e)),
        "digests" => app::server::mail::queue_digests(db, app::server::time_fr::last_seven_am(now)).await.map(drop).map_err(|e| text(&e)),
        "conventions" => {
            let today = app::server::time_fr::paris_day(now);
            app::server::mail_watch::warn_expiring_conventions(db, &state.settings.mail, today, now).await.map(drop).map_err(|e| text(&e))
        }
        "audit" => {
            let cutoff = app::domain::audit_log::retention_cutoff(now, state.settings.audit_retention_months);
            app::server::admin::audit_log::purge(db, cutoff)
                .await
                .map(|rows| {
                    if rows > 0 {
                        tracing::info!(rows, "audit entries past their retention purged")
                    }
                })
                .map_err(|e| text(&e))
        }
        "claims" => app::server::jobs::forget_claims(db, now - chrono::Duration::days(1)).await.map(drop).map_err(|e| text(&e)),
        other => Err(format!("no job is called {other}")),
    }
}
