//! The caisse's triage over HTTP: its own queue only, the lifecycle actions (allowed, refused, foreign caisse → 404),
//! internal notes the partner never sees, and the audited reveal of a NIR.

use crate::fixtures::{AGENT_59, AGENT_91, PARTNER, account, account_id, request};
use crate::on_both_databases;
use crate::support::{Browser, Db, TestApp, app_error, location, main_text};
use app::dto::error::AppError;
use reqwest::StatusCode;
use reqwest::multipart::Form;

on_both_databases!(
    an_agent_works_only_on_their_own_caisses_requests,
    a_request_goes_from_taken_to_answered_to_closed,
    internal_notes_never_reach_the_partner,
    revealing_a_nir_in_full_is_an_audited_action,
    assignment_and_duplicates_need_valid_targets,
    due_dates_are_shown_and_overdue_requests_flagged,
    each_side_reads_statuses_and_the_timeline_in_its_own_words,
    taking_is_offered_to_everyone_but_the_agent_who_holds_the_request,
);

/// A MAS referral sent by the CCAS d'Évry (CPAM de l'Essonne); returns its reference.
pub(crate) async fn referral(app: &TestApp, last_name: &str) -> (Browser, String) {
    let partner = app.signed_in(PARTNER).await;
    let reference = send_referral(&partner, last_name).await;
    (partner, reference)
}

/// A complete MAS referral for `last_name`, as the form posts it (JavaScript on or off alike).
pub(crate) fn referral_form(last_name: &str) -> Form {
    referral_fields(last_name).iter().fold(Form::new(), |f, (k, v)| f.text(k.to_string(), v.to_string()))
}

/// The fields of that referral, for tests that call the submission service directly.
pub(crate) fn referral_fields(last_name: &str) -> [(&'static str, &str); 12] {
    [
        ("last_name", last_name),
        ("first_names", "Simone"),
        ("birth_date", "1984-12-03"),
        ("nir", "1 84 12 76 451 089 46"),
        ("consent", "oui"),
        ("consent_method", "written"),
        ("grounds", "care_renunciation"),
        ("description", "Renonce à des soins dentaires."),
        ("urgency", "normal"),
        ("reach_by", "through_partner"),
        ("reach_when", "Le matin"),
        ("confirm_duplicate", "oui"),
    ]
}

/// The same referral, sent by a partner already signed in; returns its reference.
pub(crate) async fn send_referral(partner: &Browser, last_name: &str) -> String {
    let response = partner.post_multipart("/partenaire/demandes/envoyer/mas", "/partenaire/demandes/nouvelle/mas", referral_form(last_name)).await;
    let to = location(&response);
    let reference = to.trim_start_matches("/partenaire/demandes/").trim_end_matches("/envoyee").to_owned();
    assert!(reference.starts_with("EP-"), "{to}");
    reference
}

pub(crate) async fn act(agent: &Browser, reference: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form = vec![("reference", reference)];
    form.extend_from_slice(fields);
    agent.call("triage_action", &form).await
}

pub(crate) async fn status(app: &TestApp, reference: &str) -> String {
    for status in
        ["submitted", "in_progress", "awaiting_partner", "appointment_scheduled", "closed_resolved", "closed_out_of_scope", "closed_duplicate"]
    {
        if app.count(&format!("SELECT COUNT(*) FROM requests WHERE reference = '{reference}' AND status = '{status}'")).await == 1 {
            return status.to_owned();
        }
    }
    panic!("unexpected status for {reference}");
}

async fn an_agent_works_only_on_their_own_caisses_requests(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, reference) = referral(&app, "Veil").await;
    let own = app.signed_in(AGENT_91).await;
    let queue = main_text(&own.get("/caisse/file?attribution=none").await.text().await.expect("html"));
    assert!(queue.contains(&reference) && queue.contains("CCAS d'Évry-Courcouronnes"), "{queue}");
    assert!(queue.contains("1 84 •• •• ••• ••• 46") && !queue.contains("451 089"), "masked in the queue: {queue}");

    let foreign = app.signed_in(AGENT_59).await;
    let queue = main_text(&foreign.get("/caisse/file?statut=all").await.text().await.expect("html"));
    assert!(!queue.contains(&reference), "{queue}");
    assert_eq!(foreign.get(&format!("/caisse/demandes/{reference}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app_error(foreign.call("caisse_request", &[("reference", reference.as_str())]).await).await, AppError::NotFound);
    assert_eq!(app_error(act(&foreign, &reference, &[("action", "take")]).await).await, AppError::NotFound);
    assert_eq!(app_error(foreign.call("caisse_message", &[("reference", reference.as_str()), ("body", "x")]).await).await, AppError::NotFound);
    assert_eq!(app_error(foreign.call("reveal_nir", &[("reference", reference.as_str())]).await).await, AppError::NotFound);
    let partner = app.signed_in(PARTNER).await;
    assert_eq!(app_error(act(&partner, &reference, &[("action", "take")]).await).await, AppError::Forbidden);
    assert_eq!(status(&app, &reference).await, "submitted");
}

async fn a_request_goes_from_taken_to_answered_to_closed(db: Db) {
    let app = TestApp::spawn(db).await;
    let (partner, reference) = referral(&app, "Curie").await;
    let agent = app.signed_in(AGENT_91).await;
    let page = format!("/caisse/demandes/{reference}");

    // Without JavaScript: the decision form posts and comes back with a confirmation.
    let taken = agent.post_form("triage_action", &page, &[("reference", &reference), ("action", "take")]).await;
    assert_eq!(location(&taken), format!("{page}?fait=1"));
    assert_eq!(status(&app, &reference).await, "in_progress");
    let text = main_text(&agent.get(&page).await.text().await.expect("html"));
    assert!(text.contains("Attribuée à Julien Moreau") && text.contains("Prise en charge par la caisse"), "{text}");
    assert!(text.contains("Demander des compléments à la structure") && text.contains("Clôturer : demande traitée"), "{text}");

    let empty = app_error(act(&agent, &reference, &[("action", "ask_partner"), ("message", " ")]).await).await;
    assert_eq!(empty.message_for("message").as_deref(), Some("Précisez ce que la structure doit fournir."));
    assert_eq!(
        act(&agent, &reference, &[("action", "ask_partner"), ("message", "Merci de joindre l'avis d'imposition.")]).await.status(),
        StatusCode::OK
    );
    assert_eq!(status(&app, &reference).await, "awaiting_partner");
    let seen = main_text(&partner.get(&format!("/partenaire/demandes/{reference}")).await.text().await.expect("html"));
    assert!(seen.contains("Merci de joindre l'avis d'imposition.") && seen.contains("En attente de votre réponse"), "{seen}");

    let reply = Form::new().text("message", "Le voici.");
    partner.post_multipart(&format!("/partenaire/demandes/{reference}/reponse"), "/", reply).await;
    assert_eq!(status(&app, &reference).await, "in_progress");

    let refused = app_error(act(&agent, &reference, &[("action", "close_out_of_scope")]).await).await;
    assert!(refused.message_for("message").is_some(), "a reason is required: {refused:?}");
    assert_eq!(act(&agent, &reference, &[("action", "close_resolved"), ("message", "Droits rouverts.")]).await.status(), StatusCode::OK);
    assert_eq!(status(&app, &reference).await, "closed_resolved");
    let again = app_error(act(&agent, &reference, &[("action", "take")]).await).await;
    assert_eq!(again, AppError::Conflict("Cette demande est clôturée : aucune action n'est plus possible.".to_owned()));
    let unknown = app_error(act(&agent, &reference, &[("action", "teleport")]).await).await;
    assert!(matches!(unknown, AppError::Conflict(_)), "{unknown:?}");
    let closed = main_text(&partner.get(&format!("/partenaire/demandes/{reference}")).await.text().await.expect("html"));
    assert!(closed.contains("Clôturée – traitée"), "{closed}");
    let finished = main_text(&agent.get(&format!("/caisse/demandes/{reference}")).await.text().await.expect("html"));
    assert!(!finished.contains("Traiter la demande"), "no action is offered on a closed request: {finished}");
}

async fn internal_notes_never_reach_the_partner(db: Db) {
    let app = TestApp::spawn(db).await;
    let (partner, reference) = referral(&app, "Weil").await;
    let agent = app.signed_in(AGENT_91).await;
    let note = agent.call("caisse_message", &[("reference", reference.as_str()), ("body", "NOTE-INTERNE-CONFIDENTIELLE"), ("internal", "oui")]).await;
    assert_eq!(note.status(), StatusCode::OK);
    let shared = agent.call("caisse_message", &[("reference", reference.as_str()), ("body", "Bonjour, nous étudions la situation.")]).await;
    assert_eq!(shared.status(), StatusCode::OK);

    let agent_page = main_text(&agent.get(&format!("/caisse/demandes/{reference}")).await.text().await.expect("html"));
    assert!(agent_page.contains("NOTE-INTERNE-CONFIDENTIELLE") && agent_page.contains("(note interne)"), "{agent_page}");
    let partner_html = partner.get(&format!("/partenaire/demandes/{reference}")).await.text().await.expect("html");
    assert!(partner_html.contains("Bonjour, nous étudions la situation."));
    assert!(!partner_html.contains("NOTE-INTERNE"), "not in the page, nor in its hydration data");
    let partner_json = partner.call("request_detail", &[("reference", reference.as_str())]).await.text().await.expect("json");
    assert!(!partner_json.contains("NOTE-INTERNE"), "{partner_json}");
    let history = partner.get(&format!("/partenaire/historique?q={reference}")).await.text().await.expect("html");
    assert!(!history.contains("NOTE-INTERNE"));
}

async fn revealing_a_nir_in_full_is_an_audited_action(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, reference) = referral(&app, "Sand").await;
    let agent = app.signed_in(AGENT_91).await;
    let page = format!("/caisse/demandes/{reference}");
    let masked = main_text(&agent.get(&page).await.text().await.expect("html"));
    assert!(masked.contains("1 84 •• •• ••• ••• 46") && !masked.contains("1 84 12 76 451 089 46"), "{masked}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.nir_revealed'").await, 0);
    let revealed = main_text(&agent.get(&format!("{page}?nir=complet")).await.text().await.expect("html"));
    assert!(revealed.contains("1 84 12 76 451 089 46"), "{revealed}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.nir_revealed'").await, 1);
}

async fn assignment_and_duplicates_need_valid_targets(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, first) = referral(&app, "Arendt").await;
    let (_, second) = referral(&app, "Beauvoir").await;
    let agent = app.signed_in(AGENT_91).await;
    let other_caisse_agent = account_id(&app, AGENT_59).await;
    let refused = app_error(act(&agent, &first, &[("action", "assign"), ("assignee", &other_caisse_agent)]).await).await;
    assert_eq!(refused.message_for("assignee").as_deref(), Some("Choisissez un agent de la caisse."));
    assert_eq!(status(&app, &first).await, "submitted");

    let itself = app_error(act(&agent, &second, &[("action", "close_duplicate"), ("duplicate_of", &second)]).await).await;
    assert!(itself.message_for("duplicate_of").is_some(), "{itself:?}");
    assert_eq!(act(&agent, &second, &[("action", "close_duplicate"), ("duplicate_of", &first.to_lowercase())]).await.status(), StatusCode::OK);
    assert_eq!(status(&app, &second).await, "closed_duplicate");
    let text = main_text(&agent.get(&format!("/caisse/demandes/{second}")).await.text().await.expect("html"));
    assert!(text.contains(&format!("Doublon de {first}")), "{text}");
}

async fn due_dates_are_shown_and_overdue_requests_flagged(db: Db) {
    use app::domain::due_date::{DueDatePolicy, add_business_days};
    use app::domain::request_kind::RequestKind;
    let app = TestApp::spawn(db).await;
    let (partner, on_time) = referral(&app, "Germain").await;
    let today = app::server::time_fr::paris_day(chrono::Utc::now());
    let due = add_business_days(today, DueDatePolicy::default().days_for(RequestKind::MasReferral));
    let expected = format!("Réponse attendue au plus tard le {}", due.format("%d/%m/%Y"));
    let seen = main_text(&partner.get(&format!("/partenaire/demandes/{on_time}")).await.text().await.expect("html"));
    assert!(seen.contains(&expected), "the partner sees when to expect an answer: {seen}");

    // Another referral of the structure, due ten days ago and still not taken.
    let author = account(&app, PARTNER).await;
    let late =
        request(&author).kind(RequestKind::MasReferral).about("Lovelace").due_on(today - chrono::Duration::days(10)).create(&app).await.reference;
    let agent = app.signed_in(AGENT_91).await;
    let overdue = main_text(&agent.get("/caisse/file?retard=oui").await.text().await.expect("html"));
    assert!(overdue.contains(&late) && overdue.contains("En retard"), "{overdue}");
    assert!(!overdue.contains(&on_time), "{overdue}");
    let all = main_text(&agent.get("/caisse/file").await.text().await.expect("html"));
    assert!(all.contains(&on_time) && all.contains("Dans les délais"), "{all}");
}

async fn each_side_reads_statuses_and_the_timeline_in_its_own_words(db: Db) {
    use app::domain::request_lifecycle::Status;
    let app = TestApp::spawn(db).await;
    let author = account(&app, PARTNER).await;
    let waiting = request(&author).status(Status::AwaitingPartner).create(&app).await;
    let scheduled = request(&author).status(Status::AppointmentScheduled).create(&app).await;
    let partner = app.signed_in(PARTNER).await;
    let agent = app.signed_in(AGENT_91).await;
    async fn read(browser: &Browser, path: String) -> String {
        let response = browser.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        main_text(&response.text().await.expect("html"))
    }

    for text in [read(&partner, format!("/partenaire/demandes/{}", waiting.reference)).await, read(&partner, "/partenaire/historique".into()).await] {
        assert!(text.contains("En attente de votre réponse"), "{text}");
        assert!(!text.contains("En attente du partenaire"), "{text}");
    }
    for text in [read(&agent, format!("/caisse/demandes/{}", waiting.reference)).await, read(&agent, "/caisse/file".into()).await] {
        assert!(text.contains("En attente du partenaire"), "{text}");
        assert!(!text.contains("En attente de votre réponse"), "{text}");
    }

    // The timeline names the booking as such on both sides (its code is `schedule`).
    for text in [
        read(&partner, format!("/partenaire/demandes/{}", scheduled.reference)).await,
        read(&agent, format!("/caisse/demandes/{}", scheduled.reference)).await,
    ] {
        assert!(text.contains("Rendez-vous programmé par la caisse"), "{text}");
        assert!(!text.contains("Statut : Rendez-vous programmé"), "{text}");
    }
}

async fn taking_is_offered_to_everyone_but_the_agent_who_holds_the_request(db: Db) {
    use app::domain::request_lifecycle::Status;
    let app = TestApp::spawn(db).await;
    let author = account(&app, PARTNER).await;
    let holder = account(&app, AGENT_91).await;
    let held = request(&author).status(Status::InProgress).assigned_to(&holder).create(&app).await;
    let take = r#"value="take""#;
    let page = |email: &'static str| {
        let app = &app;
        let path = format!("/caisse/demandes/{}", held.reference);
        async move { app.signed_in(email).await.get(&path).await.text().await.expect("html") }
    };
    let mine = page(AGENT_91).await;
    assert!(!mine.contains(take), "the holder is not offered « Prendre en charge »");
    assert!(mine.contains(r#"value="ask_partner""#), "the holder still has the other actions");
    let colleague = page(crate::fixtures::MAS_AGENT_91).await;
    assert!(colleague.contains(take), "a colleague may take it over");
}
