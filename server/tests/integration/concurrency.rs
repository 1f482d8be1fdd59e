//! Writes arriving at the same moment, over real HTTP: several agents racing for one appointment slot, and
//! writes of every kind at once. None may fail with a 500 ("database is locked" on SQLite); the loser of a race
//! reads why, in French.

use crate::fixtures::{AGENT_91, PARTNER};
use crate::on_both_databases;
use crate::support::{Browser, Db, TestApp, main_text};
use crate::triage::{act, referral_form, send_referral, status};
use crate::triage_tools::next;
use app::dto::error::AppError;
use app::server::appointments::{Booking, book};
use app::server::auth::SignedIn;
use app::server::db::write_transaction;
use app::server::entities::{account, request};
use chrono::Weekday;
use reqwest::StatusCode;
use reqwest::multipart::Form;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::sync::Arc;

on_both_databases!(
    eight_agents_booking_one_slot_at_once_get_one_appointment_and_seven_french_refusals,
    a_booking_waiting_for_a_colleagues_commit_reads_the_same_conflict,
    writes_of_every_kind_at_once_all_succeed,
);

const SLOT_TAKEN: &str = "Ce créneau vient d'être pris. Choisissez-en un autre.";
const NAMES: [&str; 8] = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"];

async fn eight_agents_booking_one_slot_at_once_get_one_appointment_and_seven_french_refusals(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let mut references = vec![];
    for name in NAMES {
        references.push(send_referral(&partner, name).await);
    }
    let massy = app.text("SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await;
    let monday = next(Weekday::Mon).to_string();
    // One session per request, each agent's request taken beforehand.
    let mut agents = vec![];
    for reference in &references {
        let agent = app.signed_in(AGENT_91).await;
        assert_eq!(act(&agent, reference, &[("action", "take")]).await.status(), StatusCode::OK);
        agents.push(agent);
    }

    // All eight ask for Massy, Monday 10:00, at once, as the hydrated page does.
    let mut race = tokio::task::JoinSet::new();
    for (agent, reference) in agents.into_iter().zip(references.clone()) {
        let (massy, monday) = (massy.clone(), monday.clone());
        race.spawn(async move {
            let form = [("action", "schedule"), ("place", massy.as_str()), ("date", monday.as_str()), ("time", "10:00")];
            let response = act(&agent, &reference, &form).await;
            let ok = response.status() == StatusCode::OK;
            let body = response.text().await.expect("body");
            (reference, ok, body)
        });
    }
    let outcomes = race.join_all().await;
    let winners: Vec<&String> = outcomes.iter().filter(|(_, ok, _)| *ok).map(|(reference, _, _)| reference).collect();
    assert_eq!(winners.len(), 1, "exactly one booking goes through: {outcomes:#?}");
    for (reference, _, body) in outcomes.iter().filter(|(_, ok, _)| !*ok) {
        let error: AppError = serde_json::from_str(body).unwrap_or_else(|e| panic!("{reference}: not an AppError ({e}): {body}"));
        assert_eq!(error, AppError::Conflict(SLOT_TAKEN.to_owned()), "{reference}: the loser reads why, never a 500: {outcomes:#?}");
        assert_eq!(status(&app, reference).await, "in_progress", "{reference}: nothing changed for a loser");
    }
    let slot = format!("accueil:{massy}|{monday}T10:00");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM appointments WHERE slot_key = '{slot}'")).await, 1, "one appointment holds the slot");
    let raced = references.iter().map(|r| format!("'{r}'")).collect::<Vec<_>>().join(", ");
    let booked_for =
        app.texts(&format!("SELECT r.reference FROM appointments a JOIN requests r ON r.id = a.request_id WHERE r.reference IN ({raced})")).await;
    assert_eq!(booked_for, [winners[0].clone()], "the winner's request, and no other, has an appointment");
    assert_eq!(status(&app, winners[0]).await, "appointment_scheduled");

    // Without JavaScript, a loser's page comes back with the message next to the time it chose.
    let loser = references.iter().find(|r| *r != winners[0]).expect("a loser");
    let page = format!("/caisse/demandes/{loser}");
    let agent = app.signed_in(AGENT_91).await;
    let posted = agent
        .post_form("triage_action", &page, &[("reference", loser), ("action", "schedule"), ("place", &massy), ("date", &monday), ("time", "10:00")])
        .await;
    let back = crate::support::location(&posted);
    assert!(back.starts_with(&page) && back.contains("__err"), "{back}");
    let html = agent.get(&back).await.text().await.expect("html");
    let field = html.find(r#"id="time-error""#).map(|at| main_text(&html[at..].chars().take(400).collect::<String>()));
    assert!(
        field.as_deref().is_some_and(|f| f.contains("Ce créneau vient d") && f.contains("être pris. Choisissez-en un autre.")),
        "next to the time: {field:?}"
    );
    assert!(html.contains(r##"href="#time""##), "the summary links to the time field");
}

/// The race made deterministic: a colleague books the slot while the first booking is not committed yet. On SQLite
/// the colleague waits at `BEGIN IMMEDIATE`, then finds the slot taken; on PostgreSQL its check sees nothing, its
/// insert waits on the unique slot key, then violates it. Either way: the same conflict, and one appointment.
async fn a_booking_waiting_for_a_colleagues_commit_reads_the_same_conflict(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let (first, second) = (send_referral(&partner, "Alpha").await, send_referral(&partner, "Bravo").await);
    let request_of = |reference: String| {
        let db = app.state.db.clone();
        async move { request::Entity::find().filter(request::Column::Reference.eq(reference)).one(&db).await.expect("db").expect("request") }
    };
    let (first, second) = (request_of(first).await, request_of(second).await);
    let agent = account::Entity::find().filter(account::Column::Email.eq(AGENT_91)).one(&app.state.db).await.expect("db").expect("agent");
    let agent = SignedIn::from_model(agent);
    let booking = Booking {
        place: app.text("SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await,
        date: next(Weekday::Tue).to_string(),
        time: "11:00".to_owned(),
        instructions: String::new(),
    };
    let now = chrono::Utc::now();

    let held = write_transaction(&app.state.db).await.expect("begin");
    book(&held, &agent, &first, &booking, now).await.expect("the first booking");
    let colleague = {
        let (db, agent, booking) = (app.state.db.clone(), agent.clone(), booking.clone());
        tokio::spawn(async move {
            let txn = write_transaction(&db).await?;
            book(&txn, &agent, &second, &booking, now).await?;
            txn.commit().await?;
            Ok::<_, AppError>(())
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!colleague.is_finished(), "the colleague waits for the first booking to commit or roll back");
    held.commit().await.expect("commit");
    let refused = colleague.await.expect("task");
    assert_eq!(refused, Err(AppError::Conflict(SLOT_TAKEN.to_owned())));
    let slot = format!("accueil:{}|{}T11:00", booking.place, booking.date);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM appointments WHERE slot_key = '{slot}'")).await, 1);
}

async fn writes_of_every_kind_at_once_all_succeed(db: Db) {
    let app = TestApp::spawn(db).await;
    let first = app.signed_in(PARTNER).await;
    let mut references = vec![];
    for name in &NAMES[..5] {
        references.push(send_referral(&first, name).await);
    }
    let requests_before = app.count("SELECT COUNT(*) FROM requests").await;
    let mut partners = vec![];
    let mut agents = vec![];
    for _ in &references {
        partners.push(Arc::new(app.signed_in(PARTNER).await));
        agents.push(Arc::new(app.signed_in(AGENT_91).await));
    }

    // Twenty writes at once: five new requests, five partner replies, five requests taken, five internal notes.
    let mut writes = tokio::task::JoinSet::new();
    for (i, reference) in references.iter().enumerate() {
        let (partner, agent, reference) = (partners[i].clone(), agents[i].clone(), reference.clone());
        let name = format!("Nouveau{}", NAMES[i]);
        let to = |what: String, ok: fn(StatusCode) -> bool, browser: Arc<Browser>, call: Call| async move {
            let response = call.send(&browser).await;
            let status = response.status();
            (what, ok(status), status, response.text().await.unwrap_or_default())
        };
        writes.spawn(to(format!("submission {name}"), |s| s == StatusCode::SEE_OTHER, partner.clone(), Call::Submit(name)));
        writes.spawn(to(format!("reply on {reference}"), |s| s == StatusCode::SEE_OTHER, partner, Call::Reply(reference.clone())));
        writes.spawn(to(format!("take {reference}"), |s| s == StatusCode::OK, agent.clone(), Call::Take(reference.clone())));
        writes.spawn(to(format!("note on {reference}"), |s| s == StatusCode::OK, agent, Call::Note(reference)));
    }
    let outcomes = writes.join_all().await;
    let failed: Vec<_> = outcomes.iter().filter(|(_, ok, _, _)| !*ok).collect();
    assert!(failed.is_empty(), "every write succeeds: {failed:#?}");

    assert_eq!(app.count("SELECT COUNT(*) FROM requests").await, requests_before + 5);
    for reference in &references {
        assert_eq!(status(&app, reference).await, "in_progress");
        let messages = app
            .count(&format!("SELECT COUNT(*) FROM request_messages m JOIN requests r ON r.id = m.request_id WHERE r.reference = '{reference}'"))
            .await;
        assert_eq!(messages, 2, "{reference}: the partner's reply and the agent's note");
    }
}

/// One of the writes sent at once.
enum Call {
    Submit(String),
    Reply(String),
    Take(String),
    Note(String),
}

impl Call {
    async fn send(self, browser: &Browser) -> reqwest::Response {
        match self {
            Call::Submit(name) => {
                browser.post_multipart("/partenaire/demandes/envoyer/mas", "/partenaire/demandes/nouvelle/mas", referral_form(&name)).await
            }
            Call::Reply(reference) => {
                let page = format!("/partenaire/demandes/{reference}");
                let form = Form::new().text("message", "Voici les précisions demandées.");
                browser.post_multipart(&format!("{page}/reponse"), &page, form).await
            }
            Call::Take(reference) => act(browser, &reference, &[("action", "take")]).await,
            Call::Note(reference) => {
                browser.call("caisse_message", &[("reference", reference.as_str()), ("body", "Dossier vu."), ("internal", "oui")]).await
            }
        }
    }
}
