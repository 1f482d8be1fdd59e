//! Appointments that move: the caisse moves or cancels one (reason required, the slot freed, the partner told with
//! the calendar file that updates or removes it); the partner asks another date or calls it off; nobody else can.

use crate::fixtures::{AGENT_59, AGENT_91, GRIGNY};
use crate::mail::{app_with, deliver, readable};
use crate::on_both_databases;
use crate::support::{Browser, Db, SmtpServer, TestApp, app_error, location, main_text};
use crate::triage::{act, referral, status};
use crate::triage_tools::next;
use app::dto::error::AppError;
use app::server::entities::appointment;
use chrono::Weekday;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

on_both_databases!(
    the_caisse_moves_or_cancels_an_appointment_with_a_reason_and_the_partners_calendar_follows,
    the_partner_asks_another_date_or_calls_the_appointment_off,
    only_the_requests_own_sides_change_its_appointment,
);

async fn massy(app: &TestApp) -> String {
    app.text("SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await
}

async fn appointment_of(app: &TestApp, reference: &str) -> appointment::Model {
    let id = app.text(&format!("SELECT a.id FROM appointments a JOIN requests r ON r.id = a.request_id WHERE r.reference = '{reference}'")).await;
    appointment::Entity::find_by_id(id).one(&app.state.db).await.expect("read").expect("one appointment")
}

/// A request of the partner with an appointment at Massy on `day` at `time`, booked by `agent`.
async fn booked(app: &TestApp, agent: &Browser, name: &str, day: &str, time: &str) -> (Browser, String) {
    let (partner, reference) = referral(app, name).await;
    assert_eq!(act(agent, &reference, &[("action", "take")]).await.status(), StatusCode::OK);
    let place = massy(app).await;
    let response = act(agent, &reference, &[("action", "schedule"), ("place", &place), ("date", day), ("time", time)]).await;
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap_or_default());
    (partner, reference)
}

async fn calendar(browser: &Browser, id: &str) -> String {
    let response = browser.get(&format!("/rendez-vous/{id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.expect("ics").replace("\r\n ", "")
}

async fn the_caisse_moves_or_cancels_an_appointment_with_a_reason_and_the_partners_calendar_follows(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = app_with(db, &smtp).await;
    let agent = app.signed_in(AGENT_91).await;
    let (monday, tuesday) = (next(Weekday::Mon).to_string(), next(Weekday::Tue).to_string());
    let (partner, first) = booked(&app, &agent, "Deplace", &monday, "09:00").await;
    let (_, second) = booked(&app, &agent, "Annule", &monday, "10:00").await;
    let place = massy(&app).await;
    let before = appointment_of(&app, &first).await;
    let page = main_text(&agent.get(&format!("/caisse/demandes/{first}")).await.text().await.expect("html"));
    assert!(page.contains("Déplacer le rendez-vous") && page.contains("Annuler le rendez-vous"), "{page}");

    // A move needs a reason, another slot than its own, and a free one; a refused move changes nothing.
    let move_to = |reference: String, date: String, time: &'static str, reason: &'static str| {
        let (agent, place) = (&agent, place.clone());
        async move { act(agent, &reference, &[("action", "reschedule"), ("place", &place), ("date", &date), ("time", time), ("message", reason)]).await }
    };
    let no_reason = app_error(move_to(first.clone(), tuesday.clone(), "14:30", "").await).await;
    assert_eq!(no_reason.message_for("message").as_deref(), Some("Indiquez pourquoi le rendez-vous est déplacé."));
    let same = app_error(move_to(first.clone(), monday.clone(), "09:00", "Erreur").await).await;
    assert!(same.message_for("time").is_some_and(|m| m.contains("déjà l'heure du rendez-vous")), "{same:?}");
    let taken = app_error(move_to(first.clone(), monday.clone(), "10:00", "Erreur").await).await;
    assert_eq!(taken, AppError::Conflict(app::domain::appointment::SLOT_TAKEN.to_owned()));
    assert_eq!(appointment_of(&app, &first).await, before, "a refused move changes nothing");

    // Moved: the same appointment (same calendar UID), one version up, at the new time; its old slot is free again.
    assert_eq!(move_to(first.clone(), tuesday.clone(), "14:30", "Accueil fermé pour travaux").await.status(), StatusCode::OK);
    assert_eq!(status(&app, &first).await, "appointment_scheduled");
    let after = appointment_of(&app, &first).await;
    assert_eq!((after.id.clone(), after.sequence, after.status), (before.id.clone(), 1, before.status));
    assert_ne!(after.starts_at, before.starts_at);
    assert_eq!(move_to(second.clone(), monday.clone(), "09:00", "Créneau libéré plus tôt").await.status(), StatusCode::OK, "the freed slot");
    let ics = calendar(&partner, &after.id).await;
    assert!(ics.contains("METHOD:PUBLISH") && ics.contains("SEQUENCE:1") && ics.contains(&format!("UID:{}@espace-partenaires", after.id)), "{ics}");
    assert!(ics.contains(&format!("DTSTART:{}", after.starts_at.format("%Y%m%dT%H%M%SZ"))), "{ics}");
    // iTIP's PUBLISH and CANCEL both require an organizer: the caisse, at the address the app's mail comes from.
    let organizer = |ics: &str| {
        let unfolded = ics.replace("\r\n ", "");
        unfolded.lines().find(|line| line.starts_with("ORGANIZER")).map(str::to_owned).unwrap_or_default()
    };
    assert!(
        organizer(&ics).starts_with("ORGANIZER;CN=") && organizer(&ics).ends_with(":mailto:ne-pas-repondre@espace-partenaires.localhost"),
        "{ics}"
    );
    let text = main_text(&partner.get(&format!("/partenaire/demandes/{first}")).await.text().await.expect("html"));
    assert!(text.contains("Déplacé par la caisse : Accueil fermé pour travaux") && text.contains("14:30"), "{text}");
    assert!(text.contains("Rendez-vous déplacé par la caisse"), "the timeline says it: {text}");

    // Cancelled: a reason again; the slot is freed, the request back in the caisse's hands, the file cancels.
    let cancel = |reason: &'static str| {
        let (agent, second) = (&agent, &second);
        async move { act(agent, second, &[("action", "cancel_appointment"), ("message", reason)]).await }
    };
    let no_reason = app_error(cancel("").await).await;
    assert_eq!(no_reason.message_for("message").as_deref(), Some("Indiquez pourquoi le rendez-vous est annulé."));
    assert_eq!(cancel("Agent absent").await.status(), StatusCode::OK);
    assert_eq!(status(&app, &second).await, "in_progress");
    let cancelled = appointment_of(&app, &second).await;
    assert_eq!((cancelled.status, cancelled.slot_key.clone(), cancelled.sequence), (app::domain::appointment::AppointmentStatus::Cancelled, None, 2));
    let ics = calendar(&partner, &cancelled.id).await;
    assert!(ics.contains("METHOD:CANCEL") && ics.contains("STATUS:CANCELLED") && ics.contains("SEQUENCE:2"), "{ics}");
    assert!(organizer(&ics).ends_with(":mailto:ne-pas-repondre@espace-partenaires.localhost"), "{ics}");
    let again = app_error(cancel("Encore").await).await;
    assert!(matches!(again, AppError::Conflict(_)), "nothing left to cancel: {again:?}");
    // Its slot takes another booking.
    let (_, third) = referral(&app, "Suivant").await;
    assert_eq!(act(&agent, &third, &[("action", "take")]).await.status(), StatusCode::OK);
    let rebooked = act(&agent, &third, &[("action", "schedule"), ("place", &place), ("date", &monday), ("time", "10:00")]).await;
    assert_eq!(rebooked.status(), StatusCode::OK);

    // The partner was told each time, with the file that updates or removes the event; never the reason.
    deliver(&app, chrono::Utc::now()).await;
    let messages: Vec<String> = smtp.messages().iter().map(|m| readable(m)).collect();
    // (Subjects are encoded on the wire: the outbox says which e-mail is which, the wire what it carries.)
    let subjects = app.texts("SELECT subject FROM outbox ORDER BY subject").await;
    assert!(subjects.contains(&format!("Rendez-vous déplacé – demande {first}")), "{subjects:?}");
    assert!(subjects.contains(&format!("Rendez-vous annulé – demande {second}")), "{subjects:?}");
    let about = |reference: &str, words: &str| messages.iter().filter(|m| m.contains(reference) && m.contains(words)).cloned().collect::<Vec<_>>();
    let moved = about(&first, "Nouvelle date");
    assert_eq!(moved.len(), 1);
    assert!(moved[0].contains("method=PUBLISH") && moved[0].contains("SEQUENCE:1") && moved[0].contains("BEGIN:VEVENT"), "{}", moved[0]);
    let called_off = about(&second, "retire le rendez-vous de votre agenda");
    assert_eq!(called_off.len(), 1);
    assert!(called_off[0].contains("METHOD:CANCEL") && called_off[0].contains("STATUS:CANCELLED"), "{}", called_off[0]);
    // The part's header says it too (read raw: undoing quoted-printable would take its "=CA" for a byte).
    assert!(smtp.messages().iter().any(|raw| raw.contains(&second) && raw.contains("text/calendar; charset=utf-8; method=CANCEL")));
    for message in moved.iter().chain(&called_off) {
        assert!(!message.contains("travaux") && !message.contains("Agent absent"), "the reason stays on the request: {message}");
    }
}

async fn the_partner_asks_another_date_or_calls_the_appointment_off(db: Db) {
    let app = TestApp::spawn(db).await;
    let agent = app.signed_in(AGENT_91).await;
    let monday = next(Weekday::Mon).to_string();
    let (partner, reference) = booked(&app, &agent, "Autredate", &monday, "11:00").await;
    let page = format!("/partenaire/demandes/{reference}");
    let text = main_text(&partner.get(&page).await.text().await.expect("html"));
    assert!(text.contains("Le rendez-vous ne convient pas ?"), "{text}");

    // A reason is required, and a wish the form offers.
    let ask = |wish: &'static str, reason: &'static str| {
        let (partner, reference) = (&partner, &reference);
        async move { partner.call("change_appointment", &[("reference", reference.as_str()), ("wish", wish), ("reason", reason)]).await }
    };
    let no_reason = app_error(ask("autre-date", " ").await).await;
    assert!(no_reason.message_for("reason").is_some_and(|m| m.contains("disponibilités")), "{no_reason:?}");
    assert!(app_error(ask("deplacer", "x").await).await.message_for("wish").is_some());

    // Another date, without JavaScript: back to the request with its confirmation; the appointment stands.
    let response = partner
        .post_form(
            "change_appointment",
            &page,
            &[("reference", &reference), ("wish", "autre-date"), ("reason", "L'assuré travaille le lundi ; libre le jeudi.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), format!("{page}?fait=autre-date"));
    let text = main_text(&partner.get(&format!("{page}?fait=autre-date")).await.text().await.expect("html"));
    assert!(text.contains("Votre demande d'une autre date a été transmise à la caisse"), "{text}");
    assert_eq!(status(&app, &reference).await, "appointment_scheduled");
    assert_eq!(appointment_of(&app, &reference).await.status, app::domain::appointment::AppointmentStatus::Confirmed);
    // The caisse reads it on the appointment and in the timeline, and its team is told by e-mail.
    let caisse_page = main_text(&agent.get(&format!("/caisse/demandes/{reference}")).await.text().await.expect("html"));
    assert!(caisse_page.contains("Autre date demandée par la structure : L'assuré travaille le lundi ; libre le jeudi."), "{caisse_page}");
    assert!(caisse_page.contains("La structure demande une autre date de rendez-vous"), "{caisse_page}");
    let told = app.texts(&format!("SELECT recipient FROM outbox WHERE subject = 'Autre date de rendez-vous demandée – demande {reference}'")).await;
    assert_eq!(told, vec![AGENT_91.to_owned()], "the agent who holds the request");

    // Called off: the slot is freed and the request is back with the caisse, which is told.
    assert_eq!(ask("annulation", "Hospitalisation de l'assuré").await.status(), StatusCode::OK);
    assert_eq!(status(&app, &reference).await, "in_progress");
    let called_off = appointment_of(&app, &reference).await;
    assert_eq!((called_off.status, called_off.slot_key, called_off.sequence), (app::domain::appointment::AppointmentStatus::Cancelled, None, 1));
    let told = app.count(&format!("SELECT COUNT(*) FROM outbox WHERE subject = 'Rendez-vous annulé par la structure – demande {reference}'")).await;
    assert_eq!(told, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('request.another_date_asked', 'request.appointment_declined')").await,
        2
    );
    let text = main_text(&partner.get(&page).await.text().await.expect("html"));
    assert!(!text.contains("Le rendez-vous ne convient pas ?") && text.contains("Retirer de mon agenda"), "{text}");
    let again = app_error(ask("annulation", "Encore").await).await;
    assert!(matches!(&again, AppError::Conflict(m) if m.contains("pas possible")), "{again:?}");
}

async fn only_the_requests_own_sides_change_its_appointment(db: Db) {
    let app = TestApp::spawn(db).await;
    let agent = app.signed_in(AGENT_91).await;
    let tuesday = next(Weekday::Tue).to_string();
    let (partner, reference) = booked(&app, &agent, "Gardee", &tuesday, "09:30").await;
    let before = appointment_of(&app, &reference).await;

    // Another structure and another caisse do not see the request at all.
    let outsider = app.signed_in(GRIGNY).await;
    let refused = outsider.call("change_appointment", &[("reference", &reference), ("wish", "annulation"), ("reason", "intrusion")]).await;
    assert_eq!(app_error(refused).await, AppError::NotFound);
    let elsewhere = app.signed_in(AGENT_59).await;
    assert_eq!(app_error(act(&elsewhere, &reference, &[("action", "cancel_appointment"), ("message", "intrusion")]).await).await, AppError::NotFound);
    // Each side keeps to its own actions.
    let as_caisse = app_error(agent.call("change_appointment", &[("reference", &reference), ("wish", "annulation"), ("reason", "x")]).await).await;
    assert_eq!(as_caisse, AppError::Forbidden);
    let as_partner = app_error(act(&partner, &reference, &[("action", "cancel_appointment"), ("message", "x")]).await).await;
    assert_eq!(as_partner, AppError::Forbidden);
    assert_eq!(appointment_of(&app, &reference).await, before);

    // Once its time has come, the partner no longer changes it: its outcome is the caisse's to record.
    appointment::Entity::update_many()
        .col_expr(appointment::Column::StartsAt, Expr::value(chrono::Utc::now() - chrono::Duration::hours(1)))
        .filter(appointment::Column::Id.eq(&before.id))
        .exec(&app.state.db)
        .await
        .expect("move it to the past");
    let text = main_text(&partner.get(&format!("/partenaire/demandes/{reference}")).await.text().await.expect("html"));
    assert!(!text.contains("Le rendez-vous ne convient pas ?"), "{text}");
    let past =
        app_error(partner.call("change_appointment", &[("reference", &reference), ("wish", "annulation"), ("reason", "Trop tard")]).await).await;
    assert_eq!(past, AppError::Conflict("Ce rendez-vous a déjà eu lieu : la caisse en indiquera l'issue.".to_owned()));
    assert_eq!(status(&app, &reference).await, "appointment_scheduled");
}
