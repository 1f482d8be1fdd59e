//! Hostile input and simultaneous attempts, as an attacker would try them: the sign-in throttle under a burst,
//! bounded bodies and stored labels, control characters, each refusal with its own status, headers and
//! connections, errors printed through a crafted URL, and titles that name only their own request under load.

use crate::fixtures::{AGENT_59, AGENT_91, FOURMIES, PARTNER};
use crate::on_both_databases;
use crate::support::{Db, PASSWORD, TestApp, app_error, assert_sent_to_sign_in, location, main_text};
use app::dto::error::AppError;
use futures::future::join_all;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

on_both_databases!(
    fifty_simultaneous_wrong_passwords_get_at_most_five_verified,
    a_right_password_hidden_in_a_burst_after_the_lock_does_not_sign_in,
    a_megabyte_address_is_refused_with_413_before_anything_is_stored,
    a_long_typed_address_is_kept_bounded_in_the_audit_log,
    a_nul_byte_in_any_field_is_refused_in_french_not_a_500,
    a_nul_byte_in_an_address_names_nothing_and_is_not_a_500,
    refusals_answer_their_own_status_not_500,
    signed_in_pages_are_never_cached_and_account_pages_need_a_sign_in,
    a_crafted_error_link_prints_nothing_on_the_sign_in_page,
    secure_deployments_send_hsts_and_a_host_prefixed_cookie,
    the_client_address_comes_from_a_proxy_only_when_it_is_trusted,
    an_idle_connection_is_closed_by_the_server,
    concurrent_request_pages_each_carry_their_own_reference_in_the_title,
    forgotten_password_requests_are_limited_per_client_address,
);

/// The account under attack.
const ACCOUNT: &str = AGENT_91;

async fn wrong_password_burst(app: &TestApp, email: &str, password: &str, n: usize) -> Vec<Result<(), AppError>> {
    let browsers: Vec<_> = (0..n).map(|_| app.browser()).collect();
    let responses = join_all(browsers.iter().map(|b| b.sign_in_js(email, password))).await;
    let mut outcomes = vec![];
    for response in responses {
        outcomes.push(if response.status() == StatusCode::OK { Ok(()) } else { Err(app_error(response).await) });
    }
    outcomes
}

async fn fifty_simultaneous_wrong_passwords_get_at_most_five_verified(db: Db) {
    let app = TestApp::spawn(db).await;
    let outcomes = wrong_password_burst(&app, ACCOUNT, "pas-le-bon", 50).await;
    let verified = outcomes.iter().filter(|o| **o == Err(AppError::InvalidCredentials)).count();
    let throttled = outcomes.iter().filter(|o| **o == Err(AppError::TooManyAttempts)).count();
    // Reservations written before any count can leave none verified: the burst is refused whole, never let in.
    assert!(verified <= 5, "{verified} passwords were verified: {outcomes:?}");
    assert_eq!(verified + throttled, 50, "every other attempt is throttled, none fails otherwise: {outcomes:?}");
    let failed = app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'auth.sign_in_failed'").await;
    assert_eq!(failed as usize, verified, "the audit log records exactly the verified failures");
}

async fn a_right_password_hidden_in_a_burst_after_the_lock_does_not_sign_in(db: Db) {
    let app = TestApp::spawn(db).await;
    for _ in 0..5 {
        assert_eq!(app_error(app.browser().sign_in_js(ACCOUNT, "pas-le-bon").await).await, AppError::InvalidCredentials);
    }
    let wrong: Vec<_> = (0..20).map(|_| app.browser()).collect();
    let right = app.browser();
    let (burst, right_answer) =
        tokio::join!(join_all(wrong.iter().map(|b| b.sign_in_js(ACCOUNT, "encore-faux"))), right.sign_in_js(ACCOUNT, PASSWORD));
    assert!(burst.iter().all(|r| r.status() == StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(right_answer.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app_error(right_answer).await, AppError::TooManyAttempts);
    assert_sent_to_sign_in(&right.get("/caisse/file").await, "/caisse/file");
}

async fn a_megabyte_address_is_refused_with_413_before_anything_is_stored(db: Db) {
    let app = TestApp::spawn(db).await;
    let before = app.count("SELECT COUNT(*) FROM audit_events").await;
    let huge = "a".repeat(1024 * 1024);
    let browser = app.browser();
    let response = browser.sign_in_js(&huge, "x").await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app_error(response).await, AppError::TooLarge);
    // Without JavaScript: back to the form, which says why.
    let plain = browser.sign_in_form(&huge, "x").await;
    assert!(plain.status().is_redirection(), "{}", plain.status());
    let page = main_text(&browser.get(&location(&plain)).await.text().await.expect("html"));
    assert!(page.contains("trop volumineux"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, before, "nothing stored");
    assert_eq!(app.count("SELECT COUNT(*) FROM sign_in_failures").await, 0);
}

async fn a_long_typed_address_is_kept_bounded_in_the_audit_log(db: Db) {
    let app = TestApp::spawn(db).await;
    let long = format!("{}@example.org", "x".repeat(5_000));
    assert_eq!(app_error(app.browser().sign_in_js(&long, "x").await).await, AppError::InvalidCredentials);
    let longest = app.count("SELECT CAST(MAX(LENGTH(actor_label)) AS BIGINT) FROM audit_events WHERE action = 'auth.sign_in_failed'").await;
    assert_eq!(longest, 254, "the typed address is cut at 254 characters");
    let stored = app.count("SELECT CAST(MAX(LENGTH(email)) AS BIGINT) FROM sign_in_failures").await;
    assert!(stored <= 254, "{stored}");
}

async fn a_nul_byte_in_any_field_is_refused_in_french_not_a_500(db: Db) {
    let app = TestApp::spawn(db).await;
    let anonymous = app.browser();
    let response = anonymous.sign_in_js("agent\0@example.org", "x").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = app_error(response).await;
    assert!(error.message_for("email").is_some_and(|m| m.contains("caractère invisible")), "{error:?}");
    // Without JavaScript the form comes back with the message next to the field.
    let back = anonymous.post_form("login", "/login", &[("email", "agent\0@example.org"), ("password", "x")]).await;
    assert!(back.status().is_redirection(), "{}", back.status());
    let page = anonymous.get(&location(&back)).await.text().await.expect("html");
    assert!(main_text(&page).contains("caractère invisible non autorisé"), "{}", main_text(&page));
    // Signed in, in a free-text field of a server function.
    let agent = app.signed_in(ACCOUNT).await;
    let reference =
        app.text("SELECT reference FROM requests r JOIN caisses c ON c.id = r.caisse_id WHERE c.code = '091' ORDER BY reference LIMIT 1").await;
    let before = app.count("SELECT COUNT(*) FROM request_messages").await;
    let response = agent.call("caisse_message", &[("reference", reference.as_str()), ("body", "bonjour\0"), ("internal", "oui")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app_error(response).await.message_for("body").is_some());
    assert_eq!(app.count("SELECT COUNT(*) FROM request_messages").await, before, "nothing stored");
}

async fn refusals_answer_their_own_status_not_500(db: Db) {
    let app = TestApp::spawn(db).await;
    let anonymous = app.browser();
    assert_eq!(anonymous.call("partner_home", &[]).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.sign_in_js(ACCOUNT, "pas-le-bon").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.sign_in_js("", "").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let partner = app.signed_in(PARTNER).await;
    assert_eq!(partner.call("caisse_home", &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(partner.call("request_detail", &[("reference", "EP-2026-999999")]).await.status(), StatusCode::NOT_FOUND);
    let foreign =
        app.text("SELECT reference FROM requests r JOIN caisses c ON c.id = r.caisse_id WHERE c.code = '059' ORDER BY reference LIMIT 1").await;
    assert_eq!(partner.call("request_detail", &[("reference", foreign.as_str())]).await.status(), StatusCode::NOT_FOUND);
    // A missing argument is the caller's mistake.
    assert_eq!(partner.call("request_detail", &[]).await.status(), StatusCode::BAD_REQUEST);
    // An upload cut short, or far too big, is refused, not a fault.
    let own = app.text("SELECT r.reference FROM requests r JOIN accounts a ON a.id = r.author_id WHERE a.email = 'partenaire.ccas-evry@example.org' ORDER BY r.reference LIMIT 1").await;
    let truncated = partner
        .client
        .post(partner.url(&format!("/partenaire/demandes/{own}/reponse")))
        .header("Origin", &partner.base)
        .header("Content-Type", "multipart/form-data; boundary=XYZ")
        .body("--XYZ\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nbonjour")
        .send()
        .await
        .expect("post");
    assert_eq!(truncated.status(), StatusCode::BAD_REQUEST);
    assert_eq!(truncated.text().await.expect("text"), "La communication avec le serveur a échoué. Vérifiez votre connexion et réessayez.");
    let field = "x".repeat(100_001);
    let oversized =
        partner.post_multipart(&format!("/partenaire/demandes/{own}/reponse"), "/", reqwest::multipart::Form::new().text("message", field)).await;
    assert_eq!(oversized.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(oversized.text().await.expect("text").contains("trop volumineux"));
}

async fn signed_in_pages_are_never_cached_and_account_pages_need_a_sign_in(db: Db) {
    let app = TestApp::spawn(db).await;
    let anonymous = app.browser();
    let notifications = anonymous.get("/compte/notifications").await;
    assert_eq!(notifications.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&notifications), "/login?suite=/compte/notifications");
    let agent = app.signed_in(ACCOUNT).await;
    for path in ["/caisse/file", "/compte/notifications"] {
        let page = agent.get(path).await;
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        assert_eq!(page.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{path}");
    }
    assert!(agent.get("/caisse/file").await.headers().get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
}

async fn a_crafted_error_link_prints_nothing_on_the_sign_in_page(db: Db) {
    use leptos::server_fn::error::ServerFnUrlError;
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    let crafted = ServerFnUrlError::new("/api/login", AppError::Conflict("Votre compte est bloqué : appelez le 08 99 00 00 00".into()))
        .to_url(&browser.url("/login"))
        .expect("url");
    let response = browser.client.get(crafted.as_str()).header("Accept", "text/html").send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the crafted error is dropped");
    assert_eq!(location(&response), "/login");
    let page = browser.get(&format!("/login?{}", crafted.query().unwrap_or_default())).await;
    let html = page.text().await.unwrap_or_default();
    assert!(!html.contains("08 99 00 00 00"), "a crafted text is never printed");
    // An error the server itself sent back is shown.
    let back = browser.sign_in_form(ACCOUNT, "pas-le-bon").await;
    let shown = main_text(&browser.get(&location(&back)).await.text().await.expect("html"));
    assert!(shown.contains("Adresse e-mail ou mot de passe incorrect."), "{shown}");
}

async fn secure_deployments_send_hsts_and_a_host_prefixed_cookie(db: Db) {
    let app = TestApp::spawn_with(db, |settings| settings.secure_cookies = true).await;
    let response = app.browser().sign_in_js(ACCOUNT, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("__Host-ep_session="), "{cookie}");
    assert!(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");
    let hsts = response.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(hsts.starts_with("max-age="), "{hsts}");
}

async fn the_client_address_comes_from_a_proxy_only_when_it_is_trusted(db: Db) {
    // Not trusted: a forged header changes nothing, the peer's address is throttled and audited.
    let app = TestApp::spawn(db).await;
    for n in 0..3 {
        let response = app
            .browser()
            .client
            .post(app.browser().url("/api/login"))
            .header("Origin", &app.base)
            .header("X-Forwarded-For", format!("198.51.100.{n}"))
            .form(&[("email", "x@example.org"), ("password", "x")])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.texts("SELECT DISTINCT ip FROM sign_in_failures").await, vec!["127.0.0.1".to_owned()]);

    // Trusted: each client behind the proxy is itself, so one person's failures do not lock out the others.
    let app = TestApp::spawn_with(db, |settings| settings.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")]).await;
    let browser = app.browser();
    let response = browser
        .client
        .post(browser.url("/api/login"))
        .header("Origin", &app.base)
        .header("X-Forwarded-For", "203.0.113.7")
        .form(&[("email", "x@example.org"), ("password", "x")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.texts("SELECT DISTINCT ip FROM sign_in_failures").await, vec!["203.0.113.7".to_owned()]);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE ip = '203.0.113.7'").await, 1);
}

async fn an_idle_connection_is_closed_by_the_server(db: Db) {
    let app = TestApp::spawn(db).await;
    let address = app.base.trim_start_matches("http://").to_owned();
    // Half a request line, then nothing: the server must not keep it open for ever.
    let mut stream = tokio::net::TcpStream::connect(&address).await.expect("connect");
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.expect("write");
    let mut buffer = [0u8; 1024];
    let closed = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the server closed the idle connection");
}

async fn concurrent_request_pages_each_carry_their_own_reference_in_the_title(db: Db) {
    let app = TestApp::spawn(db).await;
    let mut viewers = vec![];
    for (email, area, code) in
        [(AGENT_91, "caisse", "091"), (AGENT_59, "caisse", "059"), (PARTNER, "partenaire", "091"), (FOURMIES, "partenaire", "059")]
    {
        let sql = if area == "caisse" {
            format!("SELECT r.reference FROM requests r JOIN caisses c ON c.id = r.caisse_id WHERE c.code = '{code}' ORDER BY r.reference")
        } else {
            format!(
                "SELECT r.reference FROM requests r JOIN accounts a ON a.structure_id = r.structure_id WHERE a.email = '{email}' ORDER BY r.reference"
            )
        };
        let references = app.texts(&sql).await;
        assert!(!references.is_empty(), "{email} has requests to open");
        viewers.push((app.signed_in(email).await, area, references));
    }
    let rounds = 6;
    let mut opened = 0;
    for round in 0..rounds {
        let mut pages = vec![];
        for (browser, area, references) in &viewers {
            for reference in references.iter().skip(round).step_by(rounds).take(5) {
                pages.push(async move {
                    let response = browser.get(&format!("/{area}/demandes/{reference}")).await;
                    (reference.clone(), response.status(), response.text().await.unwrap_or_default())
                });
            }
        }
        for (reference, status, html) in join_all(pages).await {
            opened += 1;
            assert_eq!(status, StatusCode::OK, "{reference}");
            let title = html.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default();
            assert_eq!(title, format!("Demande {reference} – Espace Partenaires"), "the page of {reference}");
        }
    }
    assert!(opened >= 20, "{opened} pages opened");
}

async fn forgotten_password_requests_are_limited_per_client_address(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    for n in 0..20 {
        let response = browser.call("ask_password_reset", &[("email", &format!("personne{n}@example.org"))]).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    // The twenty-first from the same address gets the same answer, and nothing is sent, even for a real account.
    let response = browser.call("ask_password_reset", &[("email", ACCOUNT)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let links =
        app.count(&format!("SELECT COUNT(*) FROM password_resets p JOIN accounts a ON a.id = p.account_id WHERE a.email = '{ACCOUNT}'")).await;
    assert_eq!(links, 0, "no link once the address is over its hourly limit");
}

/// `%00` (or another control character) in a path or a query: no page or file is named so, whoever asks; answered
/// 404 before any database reads it (PostgreSQL refuses NUL in text: it was a 500 there).
async fn a_nul_byte_in_an_address_names_nothing_and_is_not_a_500(db: Db) {
    let app = TestApp::spawn(db).await;
    let agent = app.signed_in(AGENT_91).await;
    let partner = app.signed_in(PARTNER).await;
    for (browser, path) in [
        (&agent, "/caisse/demandes/EP-2026-%00"),
        (&agent, "/caisse/file?q=%00"),
        (&agent, "/caisse/file?statut=%01"),
        (&agent, "/compte/exports/%00%27%20OR%201=1/fichier"),
        (&agent, "/pieces-jointes/%00"),
        (&partner, "/partenaire/demandes/%00"),
        (&partner, "/partenaire/historique?q=a%00b"),
        (&partner, "/partenaire/demandes/%FF%FE"),
    ] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.text().await.expect("text"), "L'élément demandé est introuvable.", "{path}");
    }
    // A name with accents or spaces, percent-encoded, is still a name.
    assert_eq!(partner.get("/partenaire/historique?q=%C3%A9l%C3%A9onore%20b").await.status(), StatusCode::OK);
}
