//! Several instances on one database: started together on an empty one, each migration is applied once and both
//! serve; each periodic job runs on one instance per slot; a session started on one is good on the other.

use crate::fixtures::AGENT_91;
use crate::on_both_databases;
use crate::support::{Db, TestApp, empty_database, leptos_options, settings};
use chrono::{Duration, Utc};
use migrations::{Migrator, MigratorTrait};
use reqwest::StatusCode;

on_both_databases!(
    instances_started_together_on_an_empty_database_apply_each_migration_once,
    each_periodic_job_runs_on_one_instance_per_slot,
    a_session_started_on_one_instance_is_good_on_the_other,
    an_instance_is_not_ready_while_its_schema_lacks_a_migration,
    an_instance_whose_database_is_unreachable_is_not_ready,
);

async fn instances_started_together_on_an_empty_database_apply_each_migration_once(db: Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = empty_database(db, dir.path()).await;
    let (a, b, c) = tokio::join!(
        server::prepare(settings(&url, dir.path()), leptos_options(dir.path())),
        server::prepare(settings(&url, dir.path()), leptos_options(dir.path())),
        server::prepare(settings(&url, dir.path()), leptos_options(dir.path())),
    );
    let (a, _b, _c) = (a.expect("first instance ready"), b.expect("second instance ready"), c.expect("third instance ready"));
    let applied = Migrator::get_applied_migrations(&a.db).await.expect("applied");
    assert_eq!(applied.len(), Migrator::migrations().len(), "each migration applied, once");
    assert!(Migrator::get_pending_migrations(&a.db).await.expect("pending").is_empty());
    // And the schema is whole: the demo data goes in.
    server::seed::demo(&a.db, "x", &a.settings.mfa, Utc::now()).await.expect("seeded");
}

async fn each_periodic_job_runs_on_one_instance_per_slot(db: Db) {
    let a = TestApp::spawn(db).await;
    let b = a.another_instance().await;
    // Ten seconds into the current slot, so that a second later is still within it.
    let now = chrono::DateTime::from_timestamp(Utc::now().timestamp().div_euclid(300) * 300 + 10, 0).expect("an instant");
    let (on_a, on_b) = tokio::join!(server::housekeeping::run_once(&a.state, now), server::housekeeping::run_once(&b.state, now));
    let mut all: Vec<&str> = on_a.iter().chain(on_b.iter()).map(|job| job.name()).collect();
    all.sort_unstable();
    let mut expected: Vec<&str> = server::housekeeping::Job::ALL.iter().map(|job| job.name()).collect();
    expected.sort_unstable();
    assert_eq!(all, expected, "every job ran, and none twice: {on_a:?} on A, {on_b:?} on B");
    // Later in the same slot nothing runs again; the next slot runs them all again, once.
    assert!(server::housekeeping::run_once(&a.state, now + Duration::seconds(1)).await.is_empty());
    let next = now + Duration::minutes(5);
    assert_eq!(server::housekeeping::run_once(&b.state, next).await.len(), expected.len());
    assert!(server::housekeeping::run_once(&a.state, next).await.is_empty());
}

async fn a_session_started_on_one_instance_is_good_on_the_other(db: Db) {
    let a = TestApp::spawn(db).await;
    let b = a.another_instance().await;
    let on_a = a.signed_in(AGENT_91).await;
    let on_b = b.browser_with(on_a.jar.clone());
    let queue = on_b.get("/caisse/file").await;
    assert_eq!(queue.status(), StatusCode::OK);
    assert!(crate::support::main_text(&queue.text().await.expect("html")).contains("File des demandes"));
}

/// Started with `MIGRATE_AT_START=false` before the release step migrated: alive, but not ready until it has.
async fn an_instance_is_not_ready_while_its_schema_lacks_a_migration(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    assert_eq!(browser.get("/readyz").await.status(), StatusCode::OK);
    Migrator::down(&app.state.db, Some(1)).await.expect("one migration undone");
    let behind = app.another_instance_with(|s| s.migrate_at_start = false).await;
    let probe = behind.browser().get("/readyz").await;
    assert_eq!(probe.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(probe.text().await.expect("text"), "migrations pending");
    assert_eq!(behind.browser().get("/healthz").await.status(), StatusCode::OK, "alive all the same");
    app::server::db::migrate(&app.state.db).await.expect("the release step");
    assert_eq!(behind.browser().get("/readyz").await.status(), StatusCode::OK);
}

/// The database gone (here: its connections closed under the instance): alive, but not ready.
async fn an_instance_whose_database_is_unreachable_is_not_ready(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    assert_eq!(browser.get("/readyz").await.status(), StatusCode::OK);
    app.state.db.clone().close().await.expect("closed");
    let probe = browser.get("/readyz").await;
    assert_eq!(probe.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(probe.text().await.expect("text"), "database unavailable");
    assert_eq!(browser.get("/healthz").await.status(), StatusCode::OK, "alive all the same");
}
