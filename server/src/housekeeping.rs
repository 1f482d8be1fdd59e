//! The periodic jobs while the app serves, every five minutes: purges (expired sessions, old sign-in failures,
//! abandoned uploads, exports older than a day, audit entries past their retention, files nothing references, the
//! personal data of requests past their retention), the daily summaries of notices and the warnings about
//! conventions ending soon. Every instance ticks; each job runs on the one instance that
//! claims it for the slot (`app::server::jobs`). Each job's rule lives in its service; only the schedule is here.

use app::server::auth::session_store::DbSessionStore;
use app::server::state::AppState;
use chrono::{DateTime, Utc};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often the jobs run.
const EVERY: Duration = Duration::from_secs(300);

/// The jobs, each claimed under its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    Sessions,
    SignInFailures,
    Uploads,
    Exports,
    Digests,
    Conventions,
    Audit,
    Claims,
    Files,
    Retention,
    Webhooks,
}

impl Job {
    pub const ALL: [Job; 11] = [
        Job::Sessions,
        Job::SignInFailures,
        Job::Uploads,
        Job::Exports,
        Job::Digests,
        Job::Conventions,
        Job::Audit,
        Job::Claims,
        Job::Files,
        Job::Retention,
        Job::Webhooks,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Job::Sessions => "sessions",
            Job::SignInFailures => "sign_in_failures",
            Job::Uploads => "uploads",
            Job::Exports => "exports",
            Job::Digests => "digests",
            Job::Conventions => "conventions",
            Job::Audit => "audit",
            Job::Claims => "claims",
            Job::Files => "files",
            Job::Retention => "retention",
            Job::Webhooks => "webhooks",
        }
    }
}

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
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> Vec<Job> {
    let slot = app::server::jobs::tick(now, EVERY);
    let mut ran = vec![];
    for job in Job::ALL {
        let name = job.name();
        match app::server::jobs::claim(&state.db, name, slot, now).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(err) => {
                tracing::warn!(job = name, error = %err, "could not claim a periodic job");
                continue;
            }
        }
        ran.push(job);
        if let Err(error) = run(state, job, now).await {
            tracing::warn!(job = name, %error, "a periodic job failed");
        }
    }
    ran
}

/// One job: expired sessions; old sign-in failures; files of forms abandoned for a day; exports older than a day
/// (and jobs an instance left running); the daily summaries of notices (those kept before 07:00, Paris time, go out
/// once that hour has passed); the warnings to admins about conventions ending within 60, then 15 days (each once);
/// audit entries past their retention; the claims of past slots; stored files nothing has referenced for a day; the
/// assuré data of requests ended more than `RETENTION_MONTHS` ago; webhook deliveries settled 30 days ago.
async fn run(state: &AppState, job: Job, now: DateTime<Utc>) -> Result<(), String> {
    use tower_sessions::ExpiredDeletion;
    let db = &state.db;
    match job {
        Job::Sessions => DbSessionStore::new(db.clone(), Default::default()).delete_expired().await.map_err(|e| e.to_string()),
        Job::SignInFailures => app::server::auth::sign_in::forget_old_failures(db, now).await.map(drop).map_err(|e| e.to_string()),
        Job::Uploads => {
            app::server::requests::attachments::forget_abandoned(state, now - chrono::Duration::days(1)).await.map(drop).map_err(|e| e.to_string())
        }
        Job::Exports => counted(app::server::exports::forget_old(state, now).await.map(|n| n as u64), "exports older than a day deleted"),
        Job::Digests => app::server::mail::queue_digests(db, app::server::time_fr::last_seven_am(now)).await.map(drop).map_err(|e| e.to_string()),
        Job::Conventions => {
            let today = app::server::time_fr::paris_day(now);
            app::server::mail_watch::warn_expiring_conventions(db, &state.settings.mail, today, now).await.map(drop).map_err(|e| e.to_string())
        }
        Job::Audit => {
            let cutoff = app::domain::retention::cutoff(now, state.settings.audit_retention_months);
            counted(app::server::admin::audit_log::purge(db, cutoff).await, "audit entries past their retention purged")
        }
        Job::Claims => app::server::jobs::forget_claims(db, now - chrono::Duration::days(1)).await.map(drop).map_err(|e| e.to_string()),
        Job::Webhooks => counted(
            app::server::webhooks::forget_settled(db, now - app::server::webhooks::KEPT_FOR).await,
            "webhook deliveries settled 30 days ago deleted",
        ),
        Job::Files => counted(
            app::server::file_sweep::sweep(state, now - app::server::file_sweep::UNREFERENCED_FOR).await.map(|n| n as u64),
            "stored files nothing referenced for a day swept",
        ),
        Job::Retention => {
            let cutoff = app::domain::retention::cutoff(now, state.settings.request_retention_months);
            counted(app::server::retention::purge(state, cutoff, now).await, "requests past their retention purged of personal data")
        }
    }
}

/// A job's outcome for the log: how many things it removed, said when any, or its error as text.
fn counted<E: std::fmt::Display>(outcome: Result<u64, E>, what: &'static str) -> Result<(), String> {
    match outcome {
        Ok(0) => Ok(()),
        Ok(count) => {
            tracing::info!(count, "{what}");
            Ok(())
        }
        Err(error) => Err(error.to_string()),
    }
}
