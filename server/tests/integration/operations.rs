//! Operational endpoints and error pages.

use crate::on_both_databases;
use crate::support::{Db, TestApp, main_text};
use reqwest::StatusCode;

on_both_databases!(
    probes_answer_and_every_response_carries_a_request_id,
    unknown_pages_answer_a_french_404,
    every_migration_goes_down_and_back_up,
    pages_allow_only_the_scripts_carrying_their_own_nonce,
    pages_are_html_and_only_islands_carry_data_for_the_browser,
    metrics_count_answers_per_route_template_on_their_own_address,
);

async fn probes_answer_and_every_response_carries_a_request_id(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    for path in ["/healthz", "/readyz"] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(response.headers().contains_key("x-request-id"), "{path}");
    }
    let login = browser.get("/login").await;
    assert!(login.headers().contains_key("x-request-id"));
    assert_eq!(login.headers()["x-content-type-options"], "nosniff");
}

async fn unknown_pages_answer_a_french_404(db: Db) {
    let app = TestApp::spawn(db).await;
    let response = app.browser().get("/nulle-part").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(main_text(&response.text().await.expect("html")).contains("Page introuvable"));
}

async fn every_migration_goes_down_and_back_up(db: Db) {
    use migrations::{Migrator, MigratorTrait};
    let app = TestApp::spawn(db).await;
    Migrator::down(&app.state.db, None).await.expect("down");
    assert!(Migrator::get_applied_migrations(&app.state.db).await.expect("status").is_empty());
    Migrator::up(&app.state.db, None).await.expect("up again");
    server::seed::demo(&app.state.db, "x", &app.state.settings.mfa, chrono::Utc::now()).await.expect("the schema is whole again");
    assert_eq!(app.count("SELECT COUNT(*) FROM accounts").await, server::seed::DEMO_ACCOUNTS.len() as i64);
}

async fn pages_allow_only_the_scripts_carrying_their_own_nonce(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    let nonce_of = |policy: &str| -> String {
        let start = policy.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
        policy[start..].split('\'').next().expect("nonce").to_owned()
    };
    let first = browser.get("/login").await;
    let policy = first.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let nonce = nonce_of(&policy);
    let html = first.text().await.expect("html");
    let scripts = html.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(html.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "every script with content carries the page's nonce");
    let second = browser.get("/login").await;
    assert_ne!(nonce_of(second.headers()["content-security-policy"].to_str().expect("ascii")), nonce, "a fresh nonce per response");
    let probe = browser.get("/healthz").await;
    assert!(!probe.headers()["content-security-policy"].to_str().expect("ascii").contains("nonce"));
}

/// Pages are server-rendered HTML: the data of a page is never also serialized into it for a browser-side app, and
/// only the parts that need the browser are islands (the submission form's NIR check, checklist and send button).
async fn pages_are_html_and_only_islands_carry_data_for_the_browser(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(crate::fixtures::PARTNER).await;
    let home = partner.get("/partenaire/demandes").await.text().await.expect("html");
    assert!(home.contains("Mes demandes") || home.contains("demandes"), "the home page rendered: {home:.300}");
    assert!(!home.contains("<leptos-island"), "the partner home has no island");
    assert!(!home.contains("__RESOLVED_RESOURCES["), "no resource is serialized into the page");
    let form = partner.get("/partenaire/demandes/nouvelle/etude-dossier").await.text().await.expect("html");
    for island in ["NirField", "DossierDocuments", "SendButton"] {
        assert!(form.contains(&format!("data-component=\"{island}_")), "the form's {island} is an island");
    }
    assert!(!form.contains("__RESOLVED_RESOURCES["), "no resource is serialized into the page");
    assert_eq!(form.matches("<leptos-island").count(), 3, "nothing else of the form goes to the browser");
}

/// A setting the server cannot read stops it before it touches anything, in one line naming the variable (and
/// the value, unless it may hold a password), with status 2.
#[test]
fn a_setting_the_server_cannot_read_stops_it_with_status_2_naming_the_variable() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let table = [
        ("SECURE_COOKIES", "ture", "SECURE_COOKIES=\"ture\""),
        ("ATTACHMENT_MAX_MB", "0", "ATTACHMENT_MAX_MB=\"0\""),
        ("DATABASE_URL", "mysql://ep:s3cr3t-pw@db/ep", "DATABASE_URL cannot be used"),
    ];
    for (variable, value, said) in table {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("migrate")
            .env("DATA_DIR", data_dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("SMTP_URL")
            .env(variable, value)
            .output()
            .expect("the server binary runs");
        assert_eq!(output.status.code(), Some(2), "{variable}={value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(said) && stderr.lines().count() == 1, "{stderr}");
        assert!(!stderr.contains("s3cr3t"), "a password is never repeated: {stderr}");
    }
    assert_eq!(std::fs::read_dir(data_dir.path()).expect("readable").count(), 0, "no database was created");
}

/// SQLite plans a cached statement once: built with the planner stability guarantee (`.cargo/config.toml`), it does
/// not plan again each time a parameter is bound, which it otherwise did on every run of any query with a
/// `LIMIT ?` (every list page and every `.one()`); and without memory statistics, whose one process-wide mutex every
/// allocation of every connection took.
#[tokio::test]
async fn sqlite_plans_a_cached_statement_once_and_keeps_no_memory_statistics() {
    crate::support::within_limit(async {
        let app = TestApp::spawn(Db::Sqlite).await;
        let options = app.texts("PRAGMA compile_options").await;
        assert!(options.iter().any(|option| option == "ENABLE_QPSG"), "{options:?}");
        assert!(options.iter().any(|option| option == "DEFAULT_MEMSTATUS=0"), "{options:?}");
    })
    .await
}

/// PostgreSQL plans a prepared statement once, for any values bound to it, as SQLite does: the app's connections ask
/// for generic plans instead of planning each run again.
#[tokio::test]
async fn postgresql_plans_a_prepared_statement_once() {
    crate::support::within_limit(async {
        let app = TestApp::spawn(Db::Postgres).await;
        assert_eq!(app.texts("SHOW plan_cache_mode").await, ["force_generic_plan"]);
    })
    .await
}

/// `/metrics` is not on the public address; on its own it counts answers per route template (never a reference),
/// the outbox and the pool.
async fn metrics_count_answers_per_route_template_on_their_own_address(db: Db) {
    let app = TestApp::spawn(db).await;
    assert_eq!(app.browser().get("/metrics").await.status(), StatusCode::NOT_FOUND, "never on the public address");
    let agent = app.signed_in(crate::fixtures::AGENT_91).await;
    // One of the agent's caisse's requests (the demo's order of references follows the time of day it was seeded).
    let reference =
        app.text("SELECT r.reference FROM requests r JOIN caisses c ON c.id = r.caisse_id WHERE c.code = '091' ORDER BY r.reference LIMIT 1").await;
    assert_eq!(agent.get(&format!("/caisse/demandes/{reference}")).await.status(), StatusCode::OK);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(server::serve::serve(listener, server::metrics::router(app.state.clone()), std::future::pending()));
    let response = reqwest::get(format!("http://{address}/metrics")).await.expect("metrics");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("text");
    let page = "http_requests_total{method=\"GET\",route=\"/caisse/demandes/{reference}\",status=\"2xx\"}";
    let line = text.lines().find(|l| l.starts_with(page)).unwrap_or_else(|| panic!("no line for the request page in {text}"));
    assert!(line.split(' ').next_back().and_then(|n| n.parse::<u64>().ok()).is_some_and(|n| n >= 1), "{line}");
    assert!(text.contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/caisse/demandes/{reference}\",status=\"2xx\",le=\"+Inf\"}"));
    assert!(!text.contains(&reference), "no real address in a label");
    assert!(text.contains("outbox_messages{state=\"pending\"}"), "{text}");
    assert!(text.contains("db_pool_connections{state=\"open\"}"), "{text}");
}
