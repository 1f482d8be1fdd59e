//! Webhooks over HTTP: an admin registers a receiver (the secret shown once); the events of the caisse's requests
//! reach it signed per Standard Webhooks (checked here with the receiver's own HMAC), once each even with two
//! instances delivering at once, after it was down for a while, and with both secrets during a rotation; payloads
//! carry no NIR and no name; only the caisse's admins manage its endpoints.

use crate::fixtures::{ADMIN_59, ADMIN_91, AGENT_91};
use crate::on_both_databases;
use crate::support::{Db, TestApp, app_error, main_text};
use crate::triage::{act, referral};
use app::dto::error::AppError;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::Value;
use std::sync::{Arc, Mutex};

on_both_databases!(
    events_reach_the_receiver_signed_and_once_each_across_two_instances,
    a_receiver_that_was_down_gets_its_events_later_and_a_rotation_signs_with_both_secrets,
    only_the_caisses_admins_manage_its_endpoints,
);

/// A delivery as the receiver got it.
#[derive(Clone, Debug)]
struct Received {
    id: String,
    timestamp: i64,
    signatures: Vec<String>,
    body: String,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    /// Whether one of the signatures is `secret`'s over `id.timestamp.body`.
    fn signed_with(&self, secret: &str) -> bool {
        let key = STANDARD.decode(secret.strip_prefix("whsec_").expect("whsec_ prefix")).expect("base64 secret");
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&key).expect("key");
        mac.update(format!("{}.{}.{}", self.id, self.timestamp, self.body).as_bytes());
        let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        self.signatures.contains(&expected)
    }
}

/// A receiver on a free loopback port: it keeps what it gets, and answers 503 while `down`.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    down: Arc<Mutex<bool>>,
}

impl Receiver {
    async fn start() -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let down: Arc<Mutex<bool>> = Arc::default();
        let (kept, failing) = (got.clone(), down.clone());
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let (kept, failing) = (kept.clone(), failing.clone());
                async move {
                    if *failing.lock().expect("lock") {
                        return StatusCode::SERVICE_UNAVAILABLE;
                    }
                    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    kept.lock().expect("lock").push(Received {
                        id: header("webhook-id"),
                        timestamp: header("webhook-timestamp").parse().unwrap_or_default(),
                        signatures: header("webhook-signature").split(' ').map(str::to_owned).collect(),
                        body,
                    });
                    StatusCode::NO_CONTENT
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hooks", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, got, down }
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }

    fn set_down(&self, down: bool) {
        *self.down.lock().expect("lock") = down;
    }
}

/// Registers `url` for every event as the CPAM de l'Essonne's admin, and returns the secret the page shows once.
async fn register(app: &TestApp, url: &str) -> String {
    let admin = app.signed_in(ADMIN_91).await;
    let form = [
        ("url", url),
        ("event_request_created", "oui"),
        ("event_request_status_changed", "oui"),
        ("event_request_message_added", "oui"),
        ("event_appointment_scheduled", "oui"),
    ];
    assert_eq!(admin.call("create_webhook", &form).await.status(), reqwest::StatusCode::OK);
    secret_shown(&admin.get("/admin/webhooks").await.text().await.expect("html"))
}

fn secret_shown(html: &str) -> String {
    let page = main_text(html);
    let start = page.find("whsec_").expect("the secret shown once");
    page[start..].split_whitespace().next().expect("secret").to_owned()
}

async fn deliver(app: &TestApp, now: chrono::DateTime<chrono::Utc>) -> app::server::webhooks::Round {
    let client = app::server::webhooks::client().expect("client");
    app::server::webhooks::deliver_due(&app.state, &client, now).await.expect("a delivery round")
}

async fn events_reach_the_receiver_signed_and_once_each_across_two_instances(db: Db) {
    let a = TestApp::spawn(db).await;
    let b = a.another_instance().await;
    let receiver = Receiver::start().await;
    let secret = register(&a, &receiver.url).await;
    // The page shows it once.
    let admin = a.signed_in(ADMIN_91).await;
    assert!(!main_text(&admin.get("/admin/webhooks").await.text().await.expect("html")).contains(&secret));

    let (_, reference) = referral(&a, "Curie").await;
    let agent = a.signed_in(AGENT_91).await;
    assert_eq!(act(&agent, &reference, &[("action", "take")]).await.status(), reqwest::StatusCode::OK);
    agent.call("caisse_message", &[("reference", reference.as_str()), ("body", "Texte-de-la-reponse")]).await;
    let queued = a.count("SELECT COUNT(*) FROM webhook_deliveries").await;
    assert_eq!(queued, 3, "created, status changed, message added");

    // Both instances deliver at the same moment: each event reaches the receiver once.
    let now = chrono::Utc::now();
    let (one, two) = tokio::join!(deliver(&a, now), deliver(&b, now));
    assert_eq!(one.delivered + two.delivered, 3, "{one:?} {two:?}");
    assert_eq!((deliver(&a, now).await.delivered, deliver(&b, now).await.delivered), (0, 0));
    let got = receiver.got();
    assert_eq!(got.len(), 3, "{got:?}");
    let mut ids: Vec<&str> = got.iter().map(|r| r.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    let types: Vec<String> = got.iter().map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned()).collect();
    for expected in ["request.created", "request.status_changed", "request.message_added"] {
        assert!(types.iter().any(|t| t == expected), "{types:?}");
    }
    for delivery in &got {
        assert!(delivery.signed_with(&secret), "signed with the secret shown: {delivery:?}");
        assert!(!delivery.signed_with("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), "and only with it");
        assert!((delivery.timestamp - now.timestamp()).abs() < 300, "a current timestamp");
        assert_eq!(delivery.json()["data"]["reference"], reference.as_str(), "{}", delivery.body);
        for personal in ["Curie", "Simone", "451 089", "184127645108946", "Texte-de-la-reponse"] {
            assert!(!delivery.body.contains(personal), "no personal data or text in {}", delivery.body);
        }
    }
    let changed = got.iter().map(Received::json).find(|j| j["type"] == "request.status_changed").expect("status changed");
    assert_eq!((changed["data"]["previous_status"].as_str(), changed["data"]["status"].as_str()), (Some("submitted"), Some("in_progress")));
    let log = main_text(&admin.get("/admin/webhooks").await.text().await.expect("html"));
    assert!(log.contains("Remis") && log.contains("HTTP 204") && log.contains(&got[0].id), "{log}");
}

async fn a_receiver_that_was_down_gets_its_events_later_and_a_rotation_signs_with_both_secrets(db: Db) {
    let app = TestApp::spawn(db).await;
    let receiver = Receiver::start().await;
    let first = register(&app, &receiver.url).await;
    receiver.set_down(true);
    let (_, reference) = referral(&app, "Veil").await;
    let now = chrono::Utc::now();
    let round = deliver(&app, now).await;
    assert_eq!(round.retrying, 1, "{round:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending' AND last_status = 503 AND attempts = 1").await, 1);
    assert_eq!(deliver(&app, now + chrono::Duration::seconds(30)).await.delivered, 0, "not before its next try");

    // Back up: the next round after the wait delivers it, with its id unchanged.
    receiver.set_down(false);
    assert_eq!(deliver(&app, now + chrono::Duration::minutes(3)).await.delivered, 1);
    let got = receiver.got();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].json()["data"]["reference"], reference.as_str());
    assert!(got[0].signed_with(&first));

    // Down for good: failed after its last try, then sent again by the admin, with the same id.
    receiver.set_down(true);
    let agent = app.signed_in(AGENT_91).await;
    act(&agent, &reference, &[("action", "take")]).await;
    let mut at = now + chrono::Duration::minutes(5);
    for _ in 0..app::domain::webhooks::MAX_ATTEMPTS {
        deliver(&app, at).await;
        at += chrono::Duration::hours(11);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'failed'").await, 1);
    let failed = app.text("SELECT id FROM webhook_deliveries WHERE status = 'failed'").await;
    let admin = app.signed_in(ADMIN_91).await;
    assert!(main_text(&admin.get("/admin/webhooks").await.text().await.expect("html")).contains("Échec définitif"));
    receiver.set_down(false);
    assert_eq!(admin.call("send_webhook_again", &[("id", failed.as_str())]).await.status(), reqwest::StatusCode::OK);
    assert_eq!(deliver(&app, chrono::Utc::now() + chrono::Duration::seconds(1)).await.delivered, 1);
    assert_eq!(receiver.got().last().map(|r| r.id.clone()), Some(failed));

    // A rotation: the new secret is shown once, and for a day each delivery carries both signatures.
    let endpoint = app.text("SELECT id FROM webhook_endpoints").await;
    assert_eq!(admin.call("rotate_webhook_secret", &[("id", endpoint.as_str())]).await.status(), reqwest::StatusCode::OK);
    let second = secret_shown(&admin.get("/admin/webhooks").await.text().await.expect("html"));
    assert_ne!(first, second);
    agent.call("caisse_message", &[("reference", reference.as_str()), ("body", "Encore")]).await;
    let later = chrono::Utc::now() + chrono::Duration::seconds(1);
    assert_eq!(deliver(&app, later).await.delivered, 1);
    let last = receiver.got().last().cloned().expect("a delivery");
    assert!(last.signed_with(&second) && last.signed_with(&first), "{last:?}");
    agent.call("caisse_message", &[("reference", reference.as_str()), ("body", "Et encore")]).await;
    assert_eq!(deliver(&app, later + chrono::Duration::hours(25)).await.delivered, 1);
    let last = receiver.got().last().cloned().expect("a delivery");
    assert!(last.signed_with(&second) && !last.signed_with(&first), "the old secret stops after a day: {last:?}");

    // A month later the housekeeping forgets the settled deliveries, never one still to send.
    receiver.set_down(true);
    agent.call("caisse_message", &[("reference", reference.as_str()), ("body", "En attente")]).await;
    let settled = app.count("SELECT COUNT(*) FROM webhook_deliveries WHERE status <> 'pending'").await;
    let forgotten = app::server::webhooks::forget_settled(&app.state.db, chrono::Utc::now() + chrono::Duration::days(31)).await.expect("purge");
    assert_eq!(forgotten as i64, settled);
    assert_eq!(app.count("SELECT COUNT(*) FROM webhook_deliveries").await, 1, "the pending one stays");
}

async fn only_the_caisses_admins_manage_its_endpoints(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let refused = app_error(admin.call("create_webhook", &[("url", "http://crm.example.org/hooks")]).await).await;
    assert!(refused.message_for("url").is_some_and(|m| m.contains("https://")), "{refused:?}");
    assert_eq!(refused.message_for("events").as_deref(), Some("Choisissez au moins un événement."));
    let receiver = Receiver::start().await;
    register(&app, &receiver.url).await;
    let endpoint = app.text("SELECT id FROM webhook_endpoints").await;

    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(
        app_error(agent.call("create_webhook", &[("url", receiver.url.as_str()), ("event_request_created", "oui")]).await).await,
        AppError::Forbidden
    );
    let other = app.signed_in(ADMIN_59).await;
    assert_eq!(app_error(other.call("disable_webhook", &[("id", endpoint.as_str())]).await).await, AppError::NotFound);
    assert_eq!(app_error(other.call("rotate_webhook_secret", &[("id", endpoint.as_str())]).await).await, AppError::NotFound);
    assert!(!main_text(&other.get("/admin/webhooks").await.text().await.expect("html")).contains(&receiver.url));

    // Disabled: the next events are not queued for it.
    assert_eq!(admin.call("disable_webhook", &[("id", endpoint.as_str())]).await.status(), reqwest::StatusCode::OK);
    referral(&app, "Veil").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM webhook_deliveries").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('webhook.created', 'webhook.disabled')").await, 2);
}
