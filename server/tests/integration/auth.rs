//! Signing in and out: sessions, generic errors, throttling, deactivation, time-outs, shared sessions.

use crate::fixtures::{ADMIN_91, AGENT_59, AGENT_91, GRIGNY, PARTNER, deactivate};
use crate::on_both_databases;
use crate::support::{Db, PASSWORD, TestApp, app_error, assert_sent_to_sign_in, location, main_text};
use app::dto::error::AppError;
use reqwest::StatusCode;

on_both_databases!(
    signing_in_opens_a_session_that_the_next_request_sees,
    signing_in_without_javascript_redirects_to_the_role_home,
    a_wrong_password_and_an_unknown_address_get_the_same_generic_message,
    a_failed_sign_in_without_javascript_comes_back_to_the_form_with_the_message,
    an_empty_form_names_each_missing_field,
    a_failed_sign_in_without_javascript_keeps_the_typed_address_once_and_never_the_password,
    repeated_failures_lock_the_account_even_for_the_right_password,
    repeated_failures_from_one_address_lock_it_out_for_every_account,
    each_sign_in_gets_a_fresh_session_id,
    signing_out_ends_the_session_on_the_server,
    a_deactivated_account_cannot_sign_in_and_its_open_sessions_end,
    a_session_past_its_absolute_limit_is_over,
    an_idle_session_expires,
    signing_in_returns_to_the_page_that_asked_for_it_when_it_is_ones_own,
    a_session_opened_on_one_instance_is_recognised_by_another,
    sign_ins_and_failures_are_written_to_the_audit_log,
);

async fn signing_in_opens_a_session_that_the_next_request_sees(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    let response = browser.sign_in_js(PARTNER, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let home: String = response.json().await.expect("home path");
    assert_eq!(home, "/partenaire/demandes");
    let cookie = response_cookie_flags(&app, GRIGNY).await;
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "cookie flags: {cookie}");

    let page = browser.get("/partenaire/demandes").await;
    assert_eq!(page.status(), StatusCode::OK);
    let text = main_text(&page.text().await.expect("html"));
    assert!(text.contains("Mes demandes"), "{text}");
    assert!(text.contains("CCAS d'Évry-Courcouronnes"), "{text}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE data LIKE '%argon2%' OR data LIKE '%36,97,114,103,111,110%'").await,
        0,
        "the session keeps a digest of the password hash, never the hash itself"
    );
}

/// The Set-Cookie header answered to a successful sign-in.
async fn response_cookie_flags(app: &TestApp, email: &str) -> String {
    let response = app.browser().sign_in_js(email, PASSWORD).await;
    response.headers().get("set-cookie").expect("a session cookie").to_str().expect("ascii").to_owned()
}

async fn signing_in_without_javascript_redirects_to_the_role_home(db: Db) {
    let app = TestApp::spawn(db).await;
    for (email, home) in [(PARTNER, "/partenaire/demandes"), (AGENT_91, "/caisse/file"), (ADMIN_91, "/admin")] {
        let browser = app.browser();
        let response = browser.sign_in_form(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{email}");
        assert_eq!(location(&response), home, "{email}");
        let page = browser.get(home).await;
        assert_eq!(page.status(), StatusCode::OK, "{email} at {home}");
        let root = browser.get("/").await;
        assert_eq!(location(&root), home, "/ sends {email} home");
    }
}

async fn a_wrong_password_and_an_unknown_address_get_the_same_generic_message(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    let wrong_password = browser.sign_in_js(AGENT_91, "pas-le-bon").await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    let wrong_password = app_error(wrong_password).await;
    let unknown = app_error(browser.sign_in_js("personne@example.org", "pas-le-bon").await).await;
    let malformed = app_error(browser.sign_in_js("pas-une-adresse", "pas-le-bon").await).await;
    assert_eq!(wrong_password, AppError::InvalidCredentials);
    assert_eq!(unknown, wrong_password);
    assert_eq!(malformed, wrong_password);
    assert_eq!(wrong_password.to_string(), "Adresse e-mail ou mot de passe incorrect.");
    assert_sent_to_sign_in(&browser.get("/caisse/file").await, "/caisse/file");
}

async fn a_failed_sign_in_without_javascript_comes_back_to_the_form_with_the_message(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    let response = browser.sign_in_form(AGENT_91, "pas-le-bon").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let back = location(&response);
    assert!(back.starts_with("/login?"), "{back}");
    assert!(!back.contains("agent.cpam91"), "the address typed must not travel in the URL: {back}");
    let page = browser.get(&back).await;
    let text = main_text(&page.text().await.expect("html"));
    assert!(text.contains("Adresse e-mail ou mot de passe incorrect."), "{text}");
}

async fn an_empty_form_names_each_missing_field(db: Db) {
    let app = TestApp::spawn(db).await;
    let error = app_error(app.browser().sign_in_js("  ", "").await).await;
    assert_eq!(error.message_for("email").as_deref(), Some("Saisissez votre adresse e-mail."));
    assert_eq!(error.message_for("password").as_deref(), Some("Saisissez votre mot de passe."));
}

async fn repeated_failures_lock_the_account_even_for_the_right_password(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    for _ in 0..5 {
        assert_eq!(app_error(browser.sign_in_js(AGENT_91, "devine").await).await, AppError::InvalidCredentials);
    }
    let locked = app_error(browser.sign_in_js(AGENT_91, PASSWORD).await).await;
    assert_eq!(locked, AppError::TooManyAttempts);
    assert!(locked.to_string().starts_with("Trop de tentatives"));
    // Another account from the same address is not affected by this account's lock.
    let other = app.browser().sign_in_js(AGENT_59, PASSWORD).await;
    assert_eq!(other.status(), StatusCode::OK);
}

async fn repeated_failures_from_one_address_lock_it_out_for_every_account(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    for i in 0..20 {
        let email = format!("inconnu{i}@example.org");
        assert_eq!(app_error(browser.sign_in_js(&email, "devine").await).await, AppError::InvalidCredentials);
    }
    let locked = app_error(browser.sign_in_js(AGENT_59, PASSWORD).await).await;
    assert_eq!(locked, AppError::TooManyAttempts);
}

async fn each_sign_in_gets_a_fresh_session_id(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.signed_in(AGENT_91).await;
    let first = browser.session_cookie().expect("a session cookie");
    assert_eq!(browser.sign_in_js(AGENT_91, PASSWORD).await.status(), StatusCode::OK);
    let second = browser.session_cookie().expect("a session cookie");
    assert_ne!(first, second, "the session id must change at sign-in");
    // The old id is gone from the store: replaying it gets nowhere.
    let thief = app.browser_with(jar_with(&app, &first));
    assert_sent_to_sign_in(&thief.get("/caisse/file").await, "/caisse/file");
}

fn jar_with(app: &TestApp, session: &str) -> std::sync::Arc<reqwest::cookie::Jar> {
    let jar = reqwest::cookie::Jar::default();
    jar.add_cookie_str(&format!("ep_session={session}; Path=/"), &app.base.parse().expect("url"));
    std::sync::Arc::new(jar)
}

async fn signing_out_ends_the_session_on_the_server(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.signed_in(AGENT_91).await;
    let cookie = browser.session_cookie().expect("a session cookie");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
    let response = browser.post_form("logout", "/caisse/file", &[]).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/login?deconnecte=1");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0, "the stored session is deleted");
    let replay = app.browser_with(jar_with(&app, &cookie));
    let page = replay.get("/caisse/file").await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&page), "/login?suite=/caisse/file");
}

async fn a_deactivated_account_cannot_sign_in_and_its_open_sessions_end(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.signed_in(GRIGNY).await;
    assert_eq!(browser.get("/partenaire/demandes").await.status(), StatusCode::OK);
    deactivate(&app, GRIGNY).await;

    // The open session ends at its next request.
    assert_sent_to_sign_in(&browser.get("/partenaire/demandes").await, "/partenaire/demandes");
    let error = app_error(app.browser().sign_in_js(GRIGNY, PASSWORD).await).await;
    assert_eq!(error, AppError::InvalidCredentials, "same generic message: no hint that the account exists");
}

async fn a_session_past_its_absolute_limit_is_over(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.session.absolute = chrono::Duration::zero()).await;
    let browser = app.signed_in(AGENT_91).await;
    let page = browser.get("/caisse/file").await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER, "however recent the activity, the absolute limit ends it");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
}

async fn a_session_opened_on_one_instance_is_recognised_by_another(db: Db) {
    let first = TestApp::spawn(db).await;
    let second = first.another_instance().await;
    let browser = first.signed_in(AGENT_59).await;
    let on_second = second.browser_with(jar_with(&second, &browser.session_cookie().expect("cookie")));
    let page = on_second.get("/caisse/file").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(main_text(&page.text().await.expect("html")).contains("CPAM du Hainaut"));
    // Signing out on the second instance ends it on the first too.
    on_second.post_form("logout", "/caisse/file", &[]).await;
    assert_sent_to_sign_in(&browser.get("/caisse/file").await, "/caisse/file");
}

async fn sign_ins_and_failures_are_written_to_the_audit_log(db: Db) {
    let app = TestApp::spawn(db).await;
    app.signed_in(ADMIN_91).await;
    app.browser().sign_in_js(ADMIN_91, "faux").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'auth.signed_in' AND actor_label = 'admin.cpam91@example.org' AND ip = '127.0.0.1' AND request_id IS NOT NULL").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'auth.sign_in_failed' AND detail = 'wrong_password'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE detail LIKE '%faux%'").await, 0, "passwords never reach the log");
}

async fn an_idle_session_expires(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.session.idle = chrono::Duration::seconds(1)).await;
    let browser = app.signed_in(AGENT_91).await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let page = browser.get("/caisse/file").await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER, "an idle session is over");
}

async fn signing_in_returns_to_the_page_that_asked_for_it_when_it_is_ones_own(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    let asked = browser.get("/caisse/file").await;
    assert_eq!(location(&asked), "/login?suite=/caisse/file");
    let form = [("email", AGENT_91), ("password", PASSWORD), ("suite", "/caisse/file")];
    let response = browser.post_form("login", "/login?suite=/caisse/file", &form).await;
    assert_eq!(location(&response), "/login/code", "the code first");
    assert_eq!(location(&browser.code_step_form(AGENT_91).await), "/caisse/file");

    let partner = app.browser();
    let form = [("email", PARTNER), ("password", PASSWORD), ("suite", "/admin")];
    partner.post_form("login", "/login?suite=/admin", &form).await;
    assert_eq!(location(&partner.code_step_form(PARTNER).await), "/partenaire/demandes", "never sent to another role's page");
    let form = [("email", PARTNER), ("password", PASSWORD), ("suite", "//attaquant.example/")];
    let stranger = app.browser();
    stranger.post_form("login", "/login", &form).await;
    assert_eq!(location(&stranger.code_step_form(PARTNER).await), "/partenaire/demandes", "never sent to another site");
}

async fn a_failed_sign_in_without_javascript_keeps_the_typed_address_once_and_never_the_password(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    let response = browser.sign_in_form(AGENT_91, "secret-faux-123").await;
    let back = location(&response);
    assert!(!back.contains("agent.cpam91") && !back.contains("secret-faux"), "{back}");
    let html = browser.get(&back).await.text().await.expect("html");
    assert!(html.contains(r#"value="agent.cpam91@example.org""#), "the address typed is refilled");
    assert!(!html.contains("secret-faux-123"), "the password is never sent back");
    let again = browser.get("/login").await.text().await.expect("html");
    assert!(!again.contains(AGENT_91), "kept for one showing only");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions WHERE data LIKE '%secret-faux%'").await, 0);
}
