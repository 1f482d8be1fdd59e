//! The due date the partner and the caisse see, worked out from the request's timeline: the caisse's clock stops
//! while it waits for the partner, whoever holds the request meanwhile and however the wait ends. Each step runs the
//! real service at a chosen moment (the clock moves through the events' timestamps), then both pages are read.

use crate::on_both_databases;
use crate::support::{Db, TestApp, main_text};
use app::domain::form_values::FormValues;
use app::domain::request_kind::RequestKind;
use app::server::appointments::Booking;
use app::server::auth::SignedIn;
use app::server::context::RequestContext;
use app::server::entities::account;
use app::server::requests::respond::{self, ReplyOutcome};
use app::server::requests::submit::{self, Incoming, Outcome};
use app::server::triage::{self, ActionInput};
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

on_both_databases!(
    asked_then_handed_to_a_colleague_then_answered_counts_the_whole_wait,
    asked_then_an_appointment_booked_counts_the_wait_until_the_booking,
    asked_twice_counts_both_waits,
);

const PARTNER: &str = "partenaire.ccas-evry@example.org";
const AGENT: &str = "agent.cpam91@example.org";
const COLLEAGUE: &str = "agent.mas91@example.org";

/// 10:00 in Paris (09:00 UTC in winter) on that day of March 2026. Monday 2 March is the first day.
fn march(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).single().expect("a valid instant")
}

/// A person of the demo data as the services see them, acting at `now`.
async fn as_of(app: &TestApp, email: &str, now: DateTime<Utc>) -> RequestContext {
    let model = account::Entity::find().filter(account::Column::Email.eq(email)).one(&app.state.db).await.expect("db").expect("demo account");
    RequestContext::new(app.state.clone(), SignedIn::from_model(model), Default::default(), now)
}

/// A MAS referral (5 business days) sent by the CCAS d'Évry on Monday 2 March, taken by the agent the same day.
async fn referral_taken_on_monday(app: &TestApp, last_name: &str) -> String {
    let values = crate::triage::referral_fields(last_name).iter().fold(FormValues::new(), |form, (name, value)| form.with(name, value));
    let incoming = Incoming { kind: RequestKind::MasReferral, values, uploads: vec![] };
    let reference = match submit::submit(&as_of(app, PARTNER, march(2)).await, incoming).await.expect("submitted") {
        Outcome::Created { reference } => reference,
        Outcome::Returned(returned) => panic!("the referral was refused: {:?}", returned.issues),
    };
    caisse_acts(app, &reference, 2, "take", "").await;
    reference
}

async fn caisse_acts(app: &TestApp, reference: &str, day: u32, action: &str, message: &str) {
    let input = ActionInput { action: action.to_owned(), message: message.to_owned(), ..Default::default() };
    triage::act(&as_of(app, AGENT, march(day)).await, reference, input).await.unwrap_or_else(|e| panic!("{action} on {day} March: {e:?}"));
}

async fn partner_answers(app: &TestApp, reference: &str, day: u32) {
    let values = FormValues::new().with("message", "Voici les justificatifs demandés.");
    let outcome = respond::reply(&as_of(app, PARTNER, march(day)).await, reference, values, vec![]).await.expect("reply");
    assert!(matches!(outcome, ReplyOutcome::Sent), "the answer is accepted");
}

/// What each side reads: the partner's "answer expected by" line and the caisse's due date, for `reference`.
async fn assert_due_on(app: &TestApp, reference: &str, expected: &str) {
    let stored = app.text(&format!("SELECT CAST(due_on AS TEXT) FROM requests WHERE reference = '{reference}'")).await;
    assert!(stored.starts_with(&format!("2026-03-{}", &expected[..2])), "stored due date {stored}, expected {expected}");
    let partner = app.signed_in(PARTNER).await;
    let seen = main_text(&partner.get(&format!("/partenaire/demandes/{reference}")).await.text().await.expect("html"));
    assert!(seen.contains(&format!("Réponse attendue au plus tard le {expected}")), "the partner sees {expected}: {seen}");
    let agent = app.signed_in(AGENT).await;
    let seen = main_text(&agent.get(&format!("/caisse/demandes/{reference}")).await.text().await.expect("html"));
    assert!(seen.contains(&format!("Échéance {expected} –")), "the caisse sees {expected}: {seen}");
}

/// While the caisse waits for the partner, neither side is shown a due date: the clock is stopped.
async fn assert_no_due_date_while_waiting(app: &TestApp, reference: &str) {
    let partner = app.signed_in(PARTNER).await;
    let seen = main_text(&partner.get(&format!("/partenaire/demandes/{reference}")).await.text().await.expect("html"));
    assert!(seen.contains("En attente de votre réponse") && !seen.contains("Réponse attendue"), "{seen}");
}

async fn asked_then_handed_to_a_colleague_then_answered_counts_the_whole_wait(db: Db) {
    let app = TestApp::spawn(db).await;
    let reference = referral_taken_on_monday(&app, "Lamarr").await;
    assert_due_on(&app, &reference, "09/03/2026").await; // Monday + 5 business days, nothing paused yet.
    caisse_acts(&app, &reference, 3, "ask_partner", "Merci de joindre l'avis d'imposition.").await;
    assert_no_due_date_while_waiting(&app, &reference).await;
    // Wednesday: handed to a colleague while the partner is still asked; the wait goes on.
    let colleague = app.text(&format!("SELECT id FROM accounts WHERE email = '{COLLEAGUE}'")).await;
    let input = ActionInput { action: "assign".to_owned(), assignee: colleague, ..Default::default() };
    triage::act(&as_of(&app, AGENT, march(4)).await, &reference, input).await.expect("assigned");
    assert_no_due_date_while_waiting(&app, &reference).await;
    partner_answers(&app, &reference, 6).await;
    // Asked Tuesday, answered Friday: 3 business days (Tuesday, Wednesday, Thursday) added to the 5.
    assert_due_on(&app, &reference, "12/03/2026").await;
}

async fn asked_then_an_appointment_booked_counts_the_wait_until_the_booking(db: Db) {
    let app = TestApp::spawn(db).await;
    let reference = referral_taken_on_monday(&app, "Noether").await;
    caisse_acts(&app, &reference, 3, "ask_partner", "Pouvez-vous préciser les disponibilités ?").await;
    // Thursday: the caisse books an appointment without waiting any longer for the partner.
    let massy = app.text("SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await;
    let booking = Booking { place: massy, date: "2026-03-10".to_owned(), time: "14:30".to_owned(), instructions: String::new() };
    let input = ActionInput { action: "schedule".to_owned(), booking, ..Default::default() };
    triage::act(&as_of(&app, AGENT, march(5)).await, &reference, input).await.expect("booked");
    // Asked Tuesday, booked Thursday: 2 business days added to the 5.
    assert_due_on(&app, &reference, "11/03/2026").await;
}

async fn asked_twice_counts_both_waits(db: Db) {
    let app = TestApp::spawn(db).await;
    let reference = referral_taken_on_monday(&app, "Meitner").await;
    caisse_acts(&app, &reference, 3, "ask_partner", "Merci de joindre l'attestation de droits.").await;
    partner_answers(&app, &reference, 4).await;
    assert_due_on(&app, &reference, "10/03/2026").await; // Tuesday to Wednesday: 1 day.
    caisse_acts(&app, &reference, 5, "ask_partner", "Il manque la page 2.").await;
    partner_answers(&app, &reference, 9).await;
    // And Thursday to Monday over the weekend: 2 more (Thursday, Friday).
    assert_due_on(&app, &reference, "12/03/2026").await;
}
