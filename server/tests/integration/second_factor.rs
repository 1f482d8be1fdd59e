//! The second factor of sign-in: the password alone reaches nothing; codes are refused when wrong, old or replayed,
//! and throttled; enrolment, recovery codes, an admin's reset (of their own caisse's accounts only), the security
//! page's sessions, changing one's own factor, and the idle time-out's extension.

use crate::fixtures::{ADMIN_59, ADMIN_91, AGENT_91, PARTNER, account_id};
use crate::on_both_databases;
use crate::support::{Browser, Db, PASSWORD, TestApp, app_error, assert_sent_to_sign_in, code_of, demo_code, location, main_text};
use app::dto::auth::{Enrolment, FreshCodes};
use app::dto::error::AppError;
use app::dto::security::SecurityOverview;
use reqwest::StatusCode;

on_both_databases!(
    the_password_alone_reaches_no_page_function_or_file,
    wrong_old_and_replayed_codes_are_refused,
    the_code_step_is_throttled_like_the_password,
    the_second_step_does_not_wait_forever,
    an_admin_resets_a_lost_factor_and_the_person_enrols_again_with_recovery_codes,
    another_caisses_admin_cannot_reset_a_factor,
    the_security_page_ends_a_session_or_all_the_others,
    changing_ones_own_factor_asks_for_the_password_and_a_code_again,
    staying_signed_in_extends_the_session_with_javascript_or_without,
    without_the_second_factor_a_demo_signs_in_with_the_password,
    a_form_typed_as_the_session_ended_comes_back_after_signing_in_again,
);

/// A browser past the password step of `email`, answered where the second step is.
async fn past_the_password(app: &TestApp, email: &str) -> (Browser, String) {
    let browser = app.browser();
    let response = browser.password_step_js(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "the password of {email}");
    let next: String = response.json().await.expect("where to go");
    (browser, next)
}

/// A code that is not the one of now (nor of the steps either side).
fn wrong_code() -> String {
    let now = chrono::Utc::now().timestamp() as u64;
    let secret = app::server::auth::second_factor::decoded_key(app::server::settings::DEFAULT_DEMO_TOTP_SECRET).expect("key");
    let near: Vec<String> = [now - 30, now, now + 30].iter().map(|t| app::server::auth::second_factor::code_at(&secret, *t).expect("code")).collect();
    (0..).map(|n: u32| format!("{:06}", (123_456 + n * 7919) % 1_000_000)).find(|c| !near.contains(c)).expect("a wrong code")
}

async fn the_password_alone_reaches_no_page_function_or_file(db: Db) {
    let app = TestApp::spawn(db).await;
    // A file of the structure's, and an appointment's calendar file, for the account to try.
    let partner = app.signed_in(PARTNER).await;
    let form = crate::requests::form(&[("subject", "Pièce"), ("message", "Ci-joint")])
        .part("files", crate::requests::file("piece.pdf", crate::requests::PDF));
    crate::requests::create(&partner, "contact", form).await;
    let attachment = app.text("SELECT id FROM attachments LIMIT 1").await;
    let appointment = app.text("SELECT id FROM appointments LIMIT 1").await;
    assert_eq!(partner.get(&format!("/pieces-jointes/{attachment}")).await.status(), StatusCode::OK, "the file is the structure's");
    let (browser, next) = past_the_password(&app, PARTNER).await;
    assert_eq!(next, "/login/code");
    for path in ["/partenaire/demandes", "/compte/securite", "/compte/notifications", "/partenaire/historique.csv"] {
        assert_sent_to_sign_in(&browser.get(path).await, path);
    }
    for path in [format!("/pieces-jointes/{attachment}"), format!("/rendez-vous/{appointment}")] {
        let status = browser.get(&path).await.status();
        assert!(status == StatusCode::SEE_OTHER || status == StatusCode::UNAUTHORIZED || status == StatusCode::NOT_FOUND, "{path}: {status}");
        assert_ne!(status, StatusCode::OK, "{path}");
    }
    for endpoint in ["partner_home", "security_overview", "keep_session", "fresh_recovery_codes"] {
        assert_eq!(browser.call(endpoint, &[]).await.status(), StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions WHERE account_id IS NOT NULL").await, 1, "only the other browser's session is the account's");
    // The code then opens it, and the page asked for before is reached.
    browser.forget_last_code(PARTNER).await;
    let done = browser.call("confirm_code", &[("code", &demo_code())]).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(done.json::<String>().await.expect("home"), "/partenaire/demandes");
    assert_eq!(browser.get("/partenaire/demandes").await.status(), StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'auth.signed_in' AND detail = 'totp'").await, 2);
    // No code step without a password step first.
    let stranger = app.browser();
    assert_eq!(app_error(stranger.call("confirm_code", &[("code", &demo_code())]).await).await, AppError::Unauthenticated);
}

async fn wrong_old_and_replayed_codes_are_refused(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, _) = past_the_password(&app, AGENT_91).await;
    let secret = app::server::auth::second_factor::decoded_key(app::server::settings::DEFAULT_DEMO_TOTP_SECRET).expect("key");
    let now = chrono::Utc::now().timestamp() as u64;
    let old = app::server::auth::second_factor::code_at(&secret, now - 90).expect("code");
    // Three refusals here, two below: the fifth failure is still checked (the throttle allows five in 15 minutes).
    for (code, what) in [(wrong_code(), "wrong"), (old, "old"), ("abcdef".to_owned(), "letters")] {
        let refused = app_error(browser.call("confirm_code", &[("code", &code)]).await).await;
        assert!(refused.message_for("code").is_some_and(|m| m.starts_with("Code incorrect")), "{what}: {refused:?}");
    }
    browser.forget_last_code(AGENT_91).await;
    let code = demo_code();
    assert_eq!(browser.call("confirm_code", &[("code", &code)]).await.status(), StatusCode::OK);
    // The same code again, from another browser that has the password: refused, as is the step before it.
    let (thief, _) = past_the_password(&app, AGENT_91).await;
    let replayed = app_error(thief.call("confirm_code", &[("code", &code)]).await).await;
    assert!(replayed.message_for("code").is_some(), "a replayed code: {replayed:?}");
    let earlier = app::server::auth::second_factor::code_at(&secret, chrono::Utc::now().timestamp() as u64 - 30).expect("code");
    if earlier != code {
        assert!(app_error(thief.call("confirm_code", &[("code", &earlier)]).await).await.message_for("code").is_some(), "an earlier step");
    }
    assert_sent_to_sign_in(&thief.get("/caisse/file").await, "/caisse/file");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'auth.code_refused'").await, 4 + i64::from(earlier != code));
}

async fn the_code_step_is_throttled_like_the_password(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, _) = past_the_password(&app, PARTNER).await;
    let wrong = wrong_code();
    for _ in 0..5 {
        assert!(app_error(browser.call("confirm_code", &[("code", &wrong)]).await).await.message_for("code").is_some());
    }
    browser.forget_last_code(PARTNER).await;
    let locked = browser.call("confirm_code", &[("code", &demo_code())]).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS, "even the right code waits");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'auth.code_throttled'").await, 1);
    // The failures count with the password's: the password step is locked too.
    assert_eq!(app_error(app.browser().password_step_js(PARTNER, PASSWORD).await).await, AppError::TooManyAttempts);
    // A recovery code is throttled the same way.
    assert_eq!(browser.call("use_recovery_code", &[("recovery_code", "ABCDE-FGHJK")]).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn the_second_step_does_not_wait_forever(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, _) = past_the_password(&app, PARTNER).await;
    // The password was accepted eleven minutes ago.
    let at = chrono::Utc::now().timestamp() - 11 * 60;
    let data = app.text("SELECT data FROM sessions WHERE account_id IS NULL AND data LIKE '%second_step%'").await;
    let mut value: serde_json::Value = serde_json::from_str(&data).expect("json");
    value["second_step"]["at"] = at.into();
    app.execute(&format!("UPDATE sessions SET data = '{}' WHERE data LIKE '%second_step%'", value.to_string().replace('\'', "''"))).await;
    browser.forget_last_code(PARTNER).await;
    assert_eq!(app_error(browser.call("confirm_code", &[("code", &demo_code())]).await).await, AppError::Unauthenticated);
    // Without JavaScript: back to the password, which says why.
    let plain = browser.post_form("confirm_code", "/login/code", &[("code", &demo_code())]).await;
    assert!(location(&plain).starts_with("/login?etape=expiree"), "{}", location(&plain));
    let page = main_text(&browser.get("/login?etape=expiree").await.text().await.expect("html"));
    assert!(page.contains("saisissez à nouveau votre mot de passe"), "{page}");
}

async fn an_admin_resets_a_lost_factor_and_the_person_enrols_again_with_recovery_codes(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let admin = app.signed_in(ADMIN_91).await;
    let id = account_id(&app, PARTNER).await;
    let page = main_text(&admin.get(&format!("/admin/comptes/{id}")).await.text().await.expect("html"));
    assert!(page.contains("Réinitialiser la double authentification"), "{page}");
    // Without JavaScript, as the button posts.
    let reset = admin.post_form("reset_second_factor", &format!("/admin/comptes/{id}"), &[("id", &id)]).await;
    assert_eq!(location(&reset), format!("/admin/comptes/{id}?fait=double-authentification"));
    assert_sent_to_sign_in(&partner.get("/partenaire/demandes").await, "/partenaire/demandes");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'auth.second_factor_reset' AND object_id = '{id}'")).await, 1);
    let told = app.count(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{PARTNER}' AND subject LIKE '%réinitialisée%'")).await;
    assert_eq!(told, 1, "the person is told by e-mail");

    // The next sign-in enrols: the QR code and the key, then a code from the app.
    let (browser, next) = past_the_password(&app, PARTNER).await;
    assert_eq!(next, "/login/enrolement");
    let html = browser.get("/login/enrolement").await.text().await.expect("html");
    assert!(html.contains("<svg") && html.contains("QR code"), "the QR code is drawn on the server");
    let sheet: Enrolment = browser.call("enrolment_sheet", &[]).await.json().await.expect("sheet");
    assert_eq!(sheet.key.split(' ').count(), 8, "20 bytes of secret as 32 characters in groups of four: {}", sheet.key);
    assert!(html.contains(&sheet.key));
    assert!(app.count("SELECT COUNT(*) FROM second_factors").await > 0);
    assert!(app.count(&format!("SELECT COUNT(*) FROM second_factors WHERE account_id = '{id}'")).await == 0, "not enrolled before the code");
    assert!(app_error(browser.call("confirm_code", &[("code", &demo_code())]).await).await.message_for("code").is_some(), "the old phone's code");
    let done = browser.call("confirm_code", &[("code", &code_of(&sheet.key))]).await;
    assert_eq!(done.json::<String>().await.expect("next"), "/compte/codes-de-secours");
    let secret = app.text(&format!("SELECT secret FROM second_factors WHERE account_id = '{id}'")).await;
    assert!(!secret.contains(&sheet.key.replace(' ', "")), "the secret is sealed at rest");
    // The recovery codes, shown once.
    let fresh: Option<FreshCodes> = browser.call("fresh_recovery_codes", &[]).await.json().await.expect("codes");
    let fresh = fresh.expect("shown once");
    assert_eq!((fresh.codes.len(), fresh.next.as_str()), (10, "/partenaire/demandes"));
    let again = main_text(&browser.get("/compte/codes-de-secours").await.text().await.expect("html"));
    assert!(again.contains("déjà été affichés"), "{again}");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM recovery_codes WHERE account_id = '{id}' AND code_hash LIKE '$argon2id$%'")).await, 10);

    // A lost phone: a recovery code signs in once, says how many are left, and tells the person by e-mail.
    let (lost, _) = past_the_password(&app, PARTNER).await;
    let used = lost.post_form("use_recovery_code", "/login/secours", &[("recovery_code", &fresh.codes[3].to_lowercase())]).await;
    assert_eq!(location(&used), "/compte/securite?codes-restants=9");
    let page = main_text(&lost.get("/compte/securite?codes-restants=9").await.text().await.expect("html"));
    assert!(page.contains("Il vous en reste 9") && page.contains("Codes de secours restants : 9"), "{page}");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{PARTNER}' AND subject LIKE '%code de secours%'")).await, 1);
    let (again, _) = past_the_password(&app, PARTNER).await;
    let reused = app_error(again.call("use_recovery_code", &[("recovery_code", &fresh.codes[3])]).await).await;
    assert!(reused.message_for("recovery_code").is_some(), "a used recovery code: {reused:?}");
}

async fn another_caisses_admin_cannot_reset_a_factor(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin_59 = app.signed_in(ADMIN_59).await;
    let id = account_id(&app, PARTNER).await;
    let refused = admin_59.call("reset_second_factor", &[("id", &id)]).await;
    assert!(refused.status() == StatusCode::FORBIDDEN || refused.status() == StatusCode::NOT_FOUND, "{}", refused.status());
    let partner = app.signed_in(PARTNER).await;
    assert!(app_error(partner.call("reset_second_factor", &[("id", &id)]).await).await == AppError::Forbidden);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM second_factors WHERE account_id = '{id}'")).await, 1, "still enrolled");
    assert_eq!(partner.get("/partenaire/demandes").await.status(), StatusCode::OK, "and still signed in");
}

async fn the_security_page_ends_a_session_or_all_the_others(db: Db) {
    let app = TestApp::spawn(db).await;
    let here = app.signed_in(PARTNER).await;
    let phone = app.signed_in(PARTNER).await;
    let tablet = app.signed_in(PARTNER).await;
    let other_person = app.signed_in(AGENT_91).await;
    let overview: SecurityOverview = here.call("security_overview", &[]).await.json().await.expect("overview");
    assert_eq!(overview.sessions.len(), 3);
    assert!(overview.sessions[0].current && overview.sessions.iter().filter(|s| s.current).count() == 1);
    assert!(overview.enrolled_since.is_some());
    assert!(overview.sessions.iter().all(|s| s.address == "127.0.0.x"), "{overview:?}");
    let html = here.get("/compte/securite").await.text().await.expect("html");
    let text = main_text(&html);
    assert!(text.contains("Cette session") && text.contains("Mettre fin à toutes les autres"), "{text}");
    for line in &overview.sessions {
        assert!(!html.contains(&app.text("SELECT id FROM sessions LIMIT 1").await) || line.current, "no session id in the page");
    }
    // Another person's session is not the person's to end.
    let foreign: SecurityOverview = other_person.call("security_overview", &[]).await.json().await.expect("overview");
    assert_eq!(app_error(here.call("end_session", &[("session", &foreign.sessions[0].handle)]).await).await, AppError::NotFound);
    assert!(matches!(app_error(here.call("end_session", &[("session", &overview.sessions[0].handle)]).await).await, AppError::Conflict(_)));
    // One, then all the others: each browser is signed out at its next request.
    let phone_handle = &overview.sessions[1].handle;
    let ended = here.post_form("end_session", "/compte/securite", &[("session", phone_handle)]).await;
    assert_eq!(location(&ended), "/compte/securite?fait=session");
    let still: Vec<bool> = join(&[&phone, &tablet]).await;
    assert_eq!(still.iter().filter(|ok| **ok).count(), 1, "one of the two other browsers was signed out");
    assert_eq!(here.call("end_other_sessions", &[]).await.json::<u64>().await.expect("count"), 1);
    assert_eq!(join(&[&phone, &tablet]).await, vec![false, false]);
    assert_eq!(here.get("/partenaire/demandes").await.status(), StatusCode::OK, "this one goes on");
    assert_eq!(other_person.get("/caisse/file").await.status(), StatusCode::OK, "and another person's too");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'auth.session_ended'").await, 2);
}

/// Whether each browser is still signed in.
async fn join(browsers: &[&Browser]) -> Vec<bool> {
    let mut signed_in = vec![];
    for browser in browsers {
        signed_in.push(browser.get("/partenaire/demandes").await.status() == StatusCode::OK);
    }
    signed_in
}

async fn changing_ones_own_factor_asks_for_the_password_and_a_code_again(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let elsewhere = app.signed_in(PARTNER).await;
    partner.forget_last_code(PARTNER).await;
    let wrong_password =
        app_error(partner.call("change_second_factor", &[("change", "codes"), ("password", "pas-le-bon"), ("code", &demo_code())]).await).await;
    assert_eq!(wrong_password.message_for("password").as_deref(), Some("Le mot de passe est incorrect."));
    let wrong = app_error(partner.call("change_second_factor", &[("change", "codes"), ("password", PASSWORD), ("code", &wrong_code())]).await).await;
    assert!(wrong.message_for("code").is_some(), "{wrong:?}");
    let empty = app_error(partner.call("change_second_factor", &[("change", "codes"), ("password", ""), ("code", "")]).await).await;
    assert!(empty.message_for("password").is_some() && empty.message_for("code").is_some());
    partner.forget_last_code(PARTNER).await;
    let renewed = partner.call("change_second_factor", &[("change", "codes"), ("password", PASSWORD), ("code", &demo_code())]).await;
    assert_eq!(renewed.json::<String>().await.expect("next"), "/compte/codes-de-secours");
    let fresh: Option<FreshCodes> = partner.call("fresh_recovery_codes", &[]).await.json().await.expect("codes");
    assert_eq!(fresh.expect("shown").next, "/compte/securite");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE subject LIKE '%codes de secours ont été renouvelés%'").await, 1);
    // Another phone: the factor goes, every session ends (this one too), the next sign-in enrols.
    partner.forget_last_code(PARTNER).await;
    let removed = partner
        .post_form("change_second_factor", "/compte/securite", &[("change", "telephone"), ("password", PASSWORD), ("code", &demo_code())])
        .await;
    assert_eq!(location(&removed), "/login?reinitialise=1");
    assert_sent_to_sign_in(&partner.get("/partenaire/demandes").await, "/partenaire/demandes");
    assert_sent_to_sign_in(&elsewhere.get("/partenaire/demandes").await, "/partenaire/demandes");
    assert_eq!(past_the_password(&app, PARTNER).await.1, "/login/enrolement");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('auth.recovery_codes_renewed', 'auth.second_factor_replaced')").await,
        2
    );
}

async fn staying_signed_in_extends_the_session_with_javascript_or_without(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let page = partner.get("/partenaire/demandes").await.text().await.expect("html");
    assert!(page.contains("Session active jusqu'à") && page.contains("Prolonger la session"), "the deadline and its button on every page");
    assert!(page.contains(r#"role="alertdialog""#) && page.contains("Rester connecté"), "the warning, hidden until two minutes before");
    assert!(page.contains("document.querySelector(\"[data-session-remaining]\")"), "the warning's script, unescaped");
    // As if the last request were twenty-five minutes ago: five minutes left.
    set_back(&app).await;
    let kept: app::dto::security::KeptSession = partner.call("keep_session", &[]).await.json().await.expect("the new deadline");
    assert!((29 * 60..=30 * 60).contains(&kept.remaining_seconds), "a fresh half hour: {kept:?}");
    assert!(kept.until.len() == 5 && kept.until.as_bytes()[2] == b':', "HH:MM: {kept:?}");
    assert!(expires(&app).await > chrono::Utc::now() + chrono::Duration::minutes(28), "the stored deadline moved too");
    // Without JavaScript: the button posts, and the browser comes back to the page it was on.
    set_back(&app).await;
    let plain = partner.post_form("keep_session", "/partenaire/demandes?etat=ouvertes", &[]).await;
    assert_eq!(location(&plain), "/partenaire/demandes?etat=ouvertes");
    assert!(expires(&app).await > chrono::Utc::now() + chrono::Duration::minutes(28));
    // Signed out, nothing to extend.
    assert_eq!(app.browser().call("keep_session", &[]).await.status(), StatusCode::UNAUTHORIZED);
}

async fn without_the_second_factor_a_demo_signs_in_with_the_password(db: Db) {
    let app = TestApp::spawn_with(db, |settings| settings.mfa.required = false).await;
    let browser = app.browser();
    let response = browser.password_step_js(PARTNER, PASSWORD).await;
    assert_eq!(response.json::<String>().await.expect("home"), "/partenaire/demandes");
    assert_eq!(browser.get("/partenaire/demandes").await.status(), StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'auth.signed_in' AND detail = 'password'").await, 1);
}

/// Moves the signed-in sessions' last activity 25 minutes back: 5 minutes left.
async fn set_back(app: &TestApp) {
    use app::server::entities::session;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let minute_now = chrono::Utc::now().timestamp() / 60;
    for row in session::Entity::find().filter(session::Column::AccountId.is_not_null()).all(&app.state.db).await.expect("sessions") {
        let mut data: serde_json::Value = serde_json::from_str(&row.data).expect("json");
        data["seen_at_minute"] = (minute_now - 25).into();
        let update = session::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(row.id),
            data: sea_orm::ActiveValue::Set(data.to_string()),
            expires_at: sea_orm::ActiveValue::Set(chrono::Utc::now() + chrono::Duration::minutes(5)),
            ..Default::default()
        };
        session::Entity::update(update).exec(&app.state.db).await.expect("set back");
    }
}

/// The latest deadline of the signed-in sessions.
async fn expires(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    use app::server::entities::session;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let rows = session::Entity::find().filter(session::Column::AccountId.is_not_null()).all(&app.state.db).await.expect("sessions");
    rows.into_iter().map(|row| row.expires_at).max().expect("a session")
}

/// Signs `browser` in again from the sign-in page a refused form sent it to, through both steps, without JavaScript;
/// answers where it lands.
async fn sign_in_again(browser: &Browser, email: &str, sent_to: &str) -> String {
    let suite = sent_to.split("suite=").nth(1).and_then(|rest| rest.split('&').next()).expect("a suite").replace("%2F", "/");
    let page = main_text(&browser.get(sent_to).await.text().await.expect("html"));
    assert!(page.contains("Votre session a expiré") && page.contains("sauf les fichiers joints"), "{page}");
    let password = browser.post_form("login", sent_to, &[("email", email), ("password", PASSWORD), ("suite", &suite)]).await;
    assert_eq!(location(&password), "/login/code");
    location(&browser.code_step_form(email).await)
}

async fn a_form_typed_as_the_session_ended_comes_back_after_signing_in_again(db: Db) {
    let app = TestApp::spawn(db).await;
    // A caisse agent's canned reply, sent once the session had ended (JavaScript off).
    let agent = app.signed_in(AGENT_91).await;
    app.execute("DELETE FROM sessions").await;
    let typed = [("title", "Pieces pour la CSS"), ("body", "Merci de joindre le dernier avis d imposition du foyer.")];
    let posted = agent.post_form("create_canned_reply", "/caisse/reponses-types", &typed).await;
    let sent_to = location(&posted);
    assert_eq!(sent_to, "/login?suite=/caisse/reponses-types&expiree=1");
    assert_eq!(sign_in_again(&agent, AGENT_91, &sent_to).await, "/caisse/reponses-types");
    let html = agent.get("/caisse/reponses-types").await.text().await.expect("html");
    assert!(
        html.contains("Pieces pour la CSS") && html.contains("Merci de joindre le dernier avis d imposition du foyer."),
        "what was typed is back"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM canned_replies WHERE title = 'Pieces pour la CSS'").await, 0, "nothing saved without a session");

    // A reply to a partner, and an action's message: back in their boxes on the request's page.
    let reference =
        app.text("SELECT r.reference FROM requests r JOIN caisses c ON c.id = r.caisse_id WHERE c.code = '091' AND r.status = 'in_progress' ORDER BY r.reference LIMIT 1").await;
    let page = format!("/caisse/demandes/{reference}");
    app.execute("DELETE FROM sessions").await;
    let posted = agent.post_form("caisse_message", &page, &[("reference", &reference), ("body", "Bonjour, nous avons bien recu le dossier.")]).await;
    assert_eq!(location(&posted), format!("/login?suite={page}&expiree=1"));
    assert_eq!(sign_in_again(&agent, AGENT_91, &location(&posted)).await, page);
    let html = agent.get(&page).await.text().await.expect("html");
    assert!(html.contains("Bonjour, nous avons bien recu le dossier."), "the reply is back in its box");
    app.execute("DELETE FROM sessions").await;
    let posted = agent
        .post_form(
            "triage_action",
            &page,
            &[("reference", &reference), ("action", "ask_more"), ("message", "Merci de joindre le justificatif de domicile.")],
        )
        .await;
    assert_eq!(sign_in_again(&agent, AGENT_91, &location(&posted)).await, page);
    let html = agent.get(&page).await.text().await.expect("html");
    assert!(html.contains("Merci de joindre le justificatif de domicile."), "the action's message is back in its box");

    // A partner's request with a file: the text comes back, the file is to be joined again.
    let partner = app.signed_in(PARTNER).await;
    app.execute("DELETE FROM sessions").await;
    let form = crate::requests::form(&[("subject", "Question sur la CSS de Mme B"), ("message", "Texte tape avant la fin de la session.")])
        .part("files", crate::requests::file("piece.pdf", crate::requests::PDF));
    let posted = partner.post_multipart("/partenaire/demandes/envoyer/contact", "/partenaire/demandes/nouvelle/contact", form).await;
    let sent_to = location(&posted);
    assert_eq!(sent_to, "/login?suite=/partenaire/demandes/nouvelle/contact&expiree=1");
    assert_eq!(sign_in_again(&partner, PARTNER, &sent_to).await, "/partenaire/demandes/nouvelle/contact");
    let html = partner.get("/partenaire/demandes/nouvelle/contact").await.text().await.expect("html");
    assert!(html.contains("Question sur la CSS de Mme B") && html.contains("Texte tape avant la fin de la session."), "the text is back");
    assert!(html.contains(app::server::form_flash::SESSION_ENDED), "and the files are asked again");
    assert_eq!(app.count("SELECT COUNT(*) FROM requests WHERE subject = 'Question sur la CSS de Mme B'").await, 0);
}
