//! The caisse's working tools over HTTP: routing to teams, the queue's orders and pages, appointments (opening
//! hours, one per slot, the calendar file), canned replies in the reply form, and bulk actions.

use crate::fixtures::{self, AGENT_59, AGENT_91, GRIGNY, MAS_AGENT_91, PARTNER, canned_reply, request};
use crate::on_both_databases;
use crate::support::{Db, TestApp, app_error, location, main_text, textarea};
use crate::triage::{act, referral, status};
use app::domain::due_date::is_business_day;
use app::domain::request_kind::RequestKind;
use app::dto::triage::QueueQuery;
use app::server::auth::SignedIn;
use app::server::entities::account;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

on_both_databases!(
    new_requests_go_to_the_team_that_handles_their_kind,
    the_queue_pages_through_every_order_both_ways,
    appointments_are_booked_in_opening_hours_once_per_slot,
    the_partner_downloads_the_appointment_as_a_calendar_file,
    a_canned_reply_fills_the_reply_form,
    bulk_actions_change_each_ticked_request_and_say_which_refused,
    the_queue_searches_by_reference_name_or_nir_never_putting_a_nir_in_a_url,
    the_agenda_shows_each_places_slots_booked_or_free,
);

async fn id_of(app: &TestApp, sql: &str) -> String {
    app.text(sql).await
}

async fn team_id(app: &TestApp, caisse_code: &str, name: &str) -> String {
    id_of(app, &format!("SELECT t.id FROM teams t JOIN caisses c ON c.id = t.caisse_id WHERE c.code = '{caisse_code}' AND t.name = '{name}'")).await
}

async fn team_of(app: &TestApp, reference: &str) -> String {
    id_of(app, &format!("SELECT t.name FROM requests r JOIN teams t ON t.id = r.team_id WHERE r.reference = '{reference}'")).await
}

async fn new_requests_go_to_the_team_that_handles_their_kind(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, reference) = referral(&app, "Veil").await;
    assert_eq!(team_of(&app, &reference).await, "Mission Accompagnement Santé");

    // "My team" follows the agent's team.
    let mas = app.signed_in(MAS_AGENT_91).await;
    let mine = main_text(&mas.get("/caisse/file?equipe=mine").await.text().await.expect("html"));
    assert!(mine.contains(&reference), "{mine}");
    let desk = app.signed_in(AGENT_91).await;
    let theirs = main_text(&desk.get("/caisse/file?equipe=mine").await.text().await.expect("html"));
    assert!(!theirs.contains(&reference), "{theirs}");

    // Handing it to another team moves it there and frees it from any one agent.
    let droits = team_id(&app, "091", "Droits (PUMa, C2S, AME)").await;
    assert_eq!(act(&mas, &reference, &[("action", "take")]).await.status(), StatusCode::OK);
    assert_eq!(act(&mas, &reference, &[("action", "assign_team"), ("team", &droits)]).await.status(), StatusCode::OK);
    assert_eq!(team_of(&app, &reference).await, "Droits (PUMa, C2S, AME)");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM requests WHERE reference = '{reference}' AND assignee_id IS NULL")).await, 1);
    let page = main_text(&mas.get(&format!("/caisse/demandes/{reference}")).await.text().await.expect("html"));
    assert!(page.contains("Confiée à l'équipe Droits (PUMa, C2S, AME)"), "{page}");

    // Another caisse's team is not a choice; another caisse's agent cannot touch the request at all.
    let foreign_team = team_id(&app, "059", "Accueil").await;
    let refused = app_error(act(&mas, &reference, &[("action", "assign_team"), ("team", &foreign_team)]).await).await;
    assert_eq!(refused.message_for("team").as_deref(), Some("Choisissez une équipe de la caisse."));
    let foreign = app.signed_in(AGENT_59).await;
    assert_eq!(
        app_error(act(&foreign, &reference, &[("action", "assign_team"), ("team", &foreign_team)]).await).await,
        app::dto::error::AppError::NotFound
    );
    assert_eq!(team_of(&app, &reference).await, "Droits (PUMa, C2S, AME)");
}

async fn the_queue_pages_through_every_order_both_ways(db: Db) {
    let app = TestApp::spawn(db).await;
    // Four more referrals, due dates spread so that the due-date order differs from the creation order.
    let author = fixtures::account(&app, PARTNER).await;
    for name in ["Alpha", "Bravo", "Charlie", "Delta"] {
        let referral = request(&author).kind(RequestKind::MasReferral).about(name);
        let referral =
            if ["Alpha", "Charlie"].contains(&name) { referral.due_on(NaiveDate::from_ymd_opt(2031, 1, 15).expect("a date")) } else { referral };
        referral.create(&app).await;
    }
    let model = account::Entity::find().filter(account::Column::Email.eq(AGENT_91)).one(&app.state.db).await.expect("db").expect("agent");
    let agent = SignedIn::from_model(model);
    let cx = app::server::context::RequestContext::new(app.state.clone(), agent.clone(), Default::default(), chrono::Utc::now());
    for sort in ["", "anciennes", "echeance"] {
        let query = QueueQuery { status: Some("all".to_owned()), sort: Some(sort.to_owned()), ..Default::default() };
        let mut forwards = vec![];
        let mut pages = vec![];
        let mut page = app::server::triage::queue(&cx, &query, None, 4).await.expect("first page");
        loop {
            pages.push(page.rows.iter().map(|r| r.reference.clone()).collect::<Vec<_>>());
            forwards.extend(page.rows.iter().map(|r| r.reference.clone()));
            let Some(next) = page.next.clone() else { break };
            page = app::server::triage::queue(&cx, &QueueQuery { after: Some(next), ..query.clone() }, None, 4).await.expect("next page");
        }
        assert!(pages.len() > 2, "{sort}: several pages of 4");
        // The same rows, walking back from the last page.
        let mut backwards = vec![];
        while let Some(previous) = page.previous.clone() {
            page = app::server::triage::queue(&cx, &QueueQuery { before: Some(previous), ..query.clone() }, None, 4).await.expect("previous page");
            backwards.push(page.rows.iter().map(|r| r.reference.clone()).collect::<Vec<_>>());
        }
        backwards.reverse();
        assert_eq!(backwards, pages[..pages.len() - 1], "{sort}: back through the same pages");

        let order = match sort {
            "anciennes" => "id ASC",
            "echeance" => "due_on ASC, id ASC",
            _ => "id DESC",
        };
        let due_only = if sort == "echeance" { "AND due_on IS NOT NULL" } else { "" };
        let expected = app
            .texts(&format!(
                "SELECT reference FROM requests WHERE caisse_id = '{}' {due_only} ORDER BY {order}",
                agent.caisse_id.clone().expect("caisse")
            ))
            .await;
        assert_eq!(forwards, expected, "{sort}");
    }
    // The two far-off due dates come last when sorting by due date.
    let agent = app.signed_in(AGENT_91).await;
    let text = main_text(&agent.get("/caisse/file?statut=all&tri=echeance").await.text().await.expect("html"));
    assert!(text.contains("l'échéance la plus proche d'abord"), "{text}");
}

/// The next `weekday` at least two days from now that is a business day.
pub(crate) fn next(weekday: Weekday) -> NaiveDate {
    let mut day = app::server::time_fr::paris_day(chrono::Utc::now()) + Duration::days(2);
    while day.weekday() != weekday || !is_business_day(day) {
        day += Duration::days(1);
    }
    day
}

async fn appointments_are_booked_in_opening_hours_once_per_slot(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, first) = referral(&app, "Premier").await;
    let (_, second) = referral(&app, "Second").await;
    let agent = app.signed_in(AGENT_91).await;
    let massy = id_of(&app, "SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await;
    let monday = next(Weekday::Mon).to_string();
    let mut saturday = next(Weekday::Fri) + Duration::days(1);
    if saturday.weekday() != Weekday::Sat {
        saturday = next(Weekday::Mon) + Duration::days(5);
    }
    let schedule = |reference: String, place: String, date: String, time: &'static str| {
        let agent = &agent;
        async move {
            act(
                agent,
                &reference,
                &[("action", "schedule"), ("place", &place), ("date", &date), ("time", time), ("message", "Venir avec la carte Vitale.")],
            )
            .await
        }
    };

    for reference in [&first, &second] {
        assert_eq!(act(&agent, reference, &[("action", "take")]).await.status(), StatusCode::OK);
    }
    let closed = app_error(schedule(first.clone(), massy.clone(), saturday.to_string(), "09:00").await).await;
    assert_eq!(closed.message_for("date").as_deref(), Some("L'accueil est fermé le samedi."));
    let lunch = app_error(schedule(first.clone(), massy.clone(), monday.clone(), "12:00").await).await;
    assert!(lunch.message_for("time").is_some_and(|m| m.contains("en dehors des horaires")), "{lunch:?}");
    let past = app_error(schedule(first.clone(), massy.clone(), "2020-01-06".to_owned(), "09:00").await).await;
    assert_eq!(past.message_for("time").as_deref(), Some("Choisissez une date et une heure à venir."));
    let elsewhere =
        id_of(&app, "SELECT a.id FROM accueils a JOIN caisses c ON c.id = a.caisse_id WHERE c.code = '059' AND a.name = 'Accueil de Fourmies'").await;
    let foreign = app_error(schedule(first.clone(), elsewhere, monday.clone(), "09:00").await).await;
    assert!(foreign.message_for("place").is_some(), "another caisse's accueil is refused: {foreign:?}");
    // Instructions too long are said next to the field that carries them.
    let long = "x".repeat(1001);
    let fields = [("action", "schedule"), ("place", massy.as_str()), ("date", monday.as_str()), ("time", "09:00"), ("message", long.as_str())];
    let wordy = app_error(act(&agent, &first, &fields).await).await;
    assert!(wordy.message_for("message").is_some(), "{wordy:?}");
    assert_eq!(status(&app, &first).await, "in_progress", "nothing booked by a refused form");

    assert_eq!(schedule(first.clone(), massy.clone(), monday.clone(), "09:00").await.status(), StatusCode::OK);
    assert_eq!(status(&app, &first).await, "appointment_scheduled");
    let taken = app_error(schedule(second.clone(), massy.clone(), monday.clone(), "09:00").await).await;
    assert_eq!(taken, app::dto::error::AppError::Conflict(app::domain::appointment::SLOT_TAKEN.to_owned()));
    assert_eq!(status(&app, &second).await, "in_progress");
    // The same time by telephone is another place.
    assert_eq!(schedule(second.clone(), "telephone".to_owned(), monday.clone(), "09:00").await.status(), StatusCode::OK);

    let page = main_text(&agent.get(&format!("/caisse/demandes/{first}")).await.text().await.expect("html"));
    assert!(page.contains("Accueil de Massy") && page.contains("09:00") && page.contains("Confirmé"), "{page}");

    // What became of each appointment.
    assert_eq!(act(&agent, &first, &[("action", "appointment_held")]).await.status(), StatusCode::OK);
    assert_eq!(status(&app, &first).await, "closed_resolved");
    assert_eq!(act(&agent, &second, &[("action", "appointment_missed")]).await.status(), StatusCode::OK);
    assert_eq!(status(&app, &second).await, "in_progress");
    assert_eq!(app.count("SELECT COUNT(*) FROM appointments WHERE status = 'held'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM appointments WHERE status = 'missed'").await, 1);
    let again = app_error(act(&agent, &second, &[("action", "appointment_held")]).await).await;
    assert!(matches!(again, app::dto::error::AppError::Conflict(_)), "no appointment stands any more: {again:?}");
}

async fn the_partner_downloads_the_appointment_as_a_calendar_file(db: Db) {
    let app = TestApp::spawn(db).await;
    let (partner, reference) = referral(&app, "Calendrier").await;
    let agent = app.signed_in(AGENT_91).await;
    let massy = id_of(&app, "SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await;
    let tuesday = next(Weekday::Tue);
    assert_eq!(act(&agent, &reference, &[("action", "take")]).await.status(), StatusCode::OK);
    let booked = act(&agent, &reference, &[("action", "schedule"), ("place", &massy), ("date", &tuesday.to_string()), ("time", "14:30")]).await;
    assert_eq!(booked.status(), StatusCode::OK);

    let detail = partner.get(&format!("/partenaire/demandes/{reference}")).await.text().await.expect("html");
    let text = main_text(&detail);
    assert!(text.contains("Rendez-vous") && text.contains("Accueil de Massy") && text.contains("14:30"), "{text}");
    let id = id_of(&app, &format!("SELECT a.id FROM appointments a JOIN requests r ON r.id = a.request_id WHERE r.reference = '{reference}'")).await;
    assert!(detail.contains(&format!("/rendez-vous/{id}")), "the page links the calendar file");

    let response = partner.get(&format!("/rendez-vous/{id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/calendar"));
    assert!(response.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment"));
    let ics = response.text().await.expect("ics").replace("\r\n ", "");
    let start = tuesday
        .and_hms_opt(14, 30, 0)
        .expect("time")
        .and_local_timezone(chrono_tz::Europe::Paris)
        .single()
        .expect("Paris")
        .with_timezone(&chrono::Utc);
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains(&format!("DTSTART:{}", start.format("%Y%m%dT%H%M%SZ"))), "{ics}");
    assert!(ics.contains(&reference) && ics.contains("Massy"), "{ics}");
    assert!(!ics.to_uppercase().contains("CALENDRIER") && !ics.contains("Simone") && !ics.contains("841276"), "no assuré in the file: {ics}");

    // Nobody else gets it.
    let other_structure = app.signed_in(GRIGNY).await;
    assert_eq!(other_structure.get(&format!("/rendez-vous/{id}")).await.status(), StatusCode::NOT_FOUND);
    let other_caisse = app.signed_in(AGENT_59).await;
    assert_eq!(other_caisse.get(&format!("/rendez-vous/{id}")).await.status(), StatusCode::NOT_FOUND);
    // Refused, a browser reads a page: the French 404 page for those who may not see it, and signing in first
    // (then back to the file) when signed out.
    let refused = other_caisse.get(&format!("/rendez-vous/{id}")).await.text().await.expect("html");
    assert!(refused.contains("<h1>Page introuvable</h1>") && refused.contains(r#"<html lang="fr""#), "{refused}");
    let anonymous = app.browser().get(&format!("/rendez-vous/{id}")).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&anonymous), format!("/login?suite=/rendez-vous/{id}"));
}

async fn a_canned_reply_fills_the_reply_form(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, reference) = referral(&app, "Modele").await;
    let own = canned_reply(&app, "091", "Pièces PUMa", "Merci de nous transmettre un justificatif d'identité et de résidence.").await;
    let hainaut = canned_reply(&app, "059", "Hainaut", "Réponse réservée au Hainaut.").await;
    let agent = app.signed_in(AGENT_91).await;
    let page = agent.get(&format!("/caisse/demandes/{reference}")).await.text().await.expect("html");
    assert!(page.contains("Pièces PUMa") && !page.contains("Hainaut"), "only the caisse's own replies are offered");
    let filled = agent.get(&format!("/caisse/demandes/{reference}?modele={own}")).await.text().await.expect("html");
    assert_eq!(
        textarea(&filled, "body").as_deref(),
        Some("Merci de nous transmettre un justificatif d'identité et de résidence."),
        "the reply is pre-filled"
    );
    let foreign = agent.get(&format!("/caisse/demandes/{reference}?modele={hainaut}")).await.text().await.expect("html");
    assert!(!foreign.contains("Réponse réservée au Hainaut"), "another caisse's reply never fills the form");
    assert_eq!(textarea(&foreign, "body").as_deref(), Some(""), "the reply form stays empty");
}

async fn bulk_actions_change_each_ticked_request_and_say_which_refused(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, first) = referral(&app, "Lot-un").await;
    let (_, second) = referral(&app, "Lot-deux").await;
    let foreign =
        id_of(&app, "SELECT r.reference FROM requests r JOIN caisses c ON c.id = r.caisse_id WHERE c.code = '059' AND r.status = 'submitted'").await;
    let closed =
        id_of(&app, "SELECT r.reference FROM requests r JOIN caisses c ON c.id = r.caisse_id WHERE c.code = '091' AND r.status = 'closed_resolved'")
            .await;
    let colleague = id_of(&app, &format!("SELECT id FROM accounts WHERE email = '{MAS_AGENT_91}'")).await;
    let agent = app.signed_in(AGENT_91).await;
    let back = "/caisse/file?statut=all&tri=anciennes";
    let post = |fields: Vec<(&'static str, String)>| {
        let agent = &agent;
        async move {
            agent
                .client
                .post(agent.url("/caisse/file/lot"))
                .header("Origin", &agent.base)
                .header("Accept", "text/html")
                .form(&fields)
                .send()
                .await
                .expect("bulk post")
        }
    };

    let response = post(vec![
        ("retour", back.to_owned()),
        ("action", "assign".to_owned()),
        ("assignee", colleague.clone()),
        ("ref", first.clone()),
        ("ref", second.clone()),
        ("ref", foreign.clone()),
        ("ref", closed.clone()),
    ])
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), back);
    for reference in [&first, &second] {
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM requests WHERE reference = '{reference}' AND assignee_id = '{colleague}'")).await, 1);
    }
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM requests WHERE reference = '{foreign}' AND assignee_id IS NULL")).await, 1);
    let queue = main_text(&agent.get(back).await.text().await.expect("html"));
    assert!(queue.contains("2 demandes ont été modifiées."), "{queue}");
    assert!(queue.contains(&format!("{foreign} : Cette demande n'est pas dans la file de la caisse.")), "{queue}");
    assert!(queue.contains(&format!("{closed} : Cette demande est clôturée")), "{queue}");
    let shown_once = main_text(&agent.get(back).await.text().await.expect("html"));
    assert!(!shown_once.contains("demandes ont été modifiées"), "the outcome shows once");

    // Closing as a duplicate of another request of the caisse.
    let response = post(vec![("action", "close_duplicate".to_owned()), ("duplicate_of", first.clone()), ("ref", second.clone())]).await;
    assert_eq!(location(&response), "/caisse/file");
    assert_eq!(status(&app, &second).await, "closed_duplicate");
    let nothing = post(vec![("action", "assign".to_owned()), ("assignee", colleague.clone())]).await;
    assert_eq!(nothing.status(), StatusCode::SEE_OTHER);
    let queue = main_text(&agent.get("/caisse/file").await.text().await.expect("html"));
    assert!(queue.contains("Cochez au moins une demande"), "{queue}");

    // A redirect elsewhere is not followed; a partner cannot use it.
    let outside = post(vec![
        ("retour", "https://ailleurs.example/".to_owned()),
        ("action", "assign".to_owned()),
        ("ref", first.clone()),
        ("assignee", colleague.clone()),
    ])
    .await;
    assert_eq!(location(&outside), "/caisse/file");
    let partner = app.signed_in(PARTNER).await;
    let refused = partner
        .client
        .post(partner.url("/caisse/file/lot"))
        .header("Origin", &partner.base)
        .form(&[("action", "assign"), ("ref", first.as_str()), ("assignee", colleague.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(refused.text().await.expect("text"), "Vous n'avez pas accès à cette page ou à cette action.");
}

/// Posts the queue's search box as a browser does, with the filters it carries; returns where it sends the agent.
async fn search(agent: &crate::support::Browser, fields: &[(&str, &str)]) -> String {
    let response = agent
        .client
        .post(agent.url("/caisse/file/recherche"))
        .header("Origin", &agent.base)
        .header("Accept", "text/html")
        .form(fields)
        .send()
        .await
        .expect("search post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

async fn the_queue_searches_by_reference_name_or_nir_never_putting_a_nir_in_a_url(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = fixtures::account(&app, PARTNER).await;
    let leveque = request(&partner).about("Bartali-Lévêque").nir("184127645108946").create(&app).await.reference;
    let other = request(&partner).about("Durand").nir("269054958815780").create(&app).await.reference;
    let grigny = fixtures::account(&app, GRIGNY).await;
    let same_person_elsewhere = request(&grigny).about("Lévêque").nir("184127645108946").create(&app).await.reference;
    let hainaut = fixtures::account(&app, crate::fixtures::FOURMIES).await;
    let other_caisse = request(&hainaut).about("Lévêque").nir("184127645108946").create(&app).await.reference;
    let agent = app.signed_in(AGENT_91).await;
    let queue = |path: String| {
        let agent = &agent;
        async move { main_text(&agent.get(&path).await.text().await.expect("html")) }
    };

    // By name, accents and case folded, the filters kept; by reference.
    let to = search(&agent, &[("recherche", "leveque"), ("type", "contact")]).await;
    assert_eq!(to, "/caisse/file?type=contact&q=leveque");
    let found = queue(to).await;
    assert!(found.contains(&leveque) && found.contains(&same_person_elsewhere) && !found.contains(&other), "{found}");
    assert!(!found.contains(&other_caisse), "the caisse's own requests only: {found}");
    let found = queue(search(&agent, &[("recherche", &other.to_lowercase())]).await).await;
    assert!(found.contains(&other) && !found.contains(&leveque), "{found}");

    // By NIR, with or without spaces: the URL only says nir=1, the NIR stays in the session; the search is audited.
    let to = search(&agent, &[("recherche", "1 84 12 76 451 089 46")]).await;
    assert_eq!(to, "/caisse/file?nir=1");
    let html = agent.get(&to).await.text().await.expect("html");
    let found = main_text(&html);
    assert!(found.contains(&leveque) && found.contains(&same_person_elsewhere), "{found}");
    assert!(!found.contains(&other) && !found.contains(&other_caisse), "{found}");
    assert!(found.contains("Recherche par NIR : 1 84 •• •• ••• ••• 46"), "{found}");
    assert!(!html.contains("184127645108946") && !html.contains("451 089"), "the NIR is shown masked only");
    assert_eq!(search(&agent, &[("recherche", "184127645108946")]).await, "/caisse/file?nir=1");
    let audited = app.texts("SELECT detail FROM audit_events WHERE action = 'request.nir_searched'").await;
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert!(audited[0].contains("2 demandes") && !audited[0].contains("451"), "{audited:?}");
    let other_agent = app.signed_in(MAS_AGENT_91).await;
    let theirs = main_text(&other_agent.get("/caisse/file?nir=1").await.text().await.expect("html"));
    assert!(theirs.contains(&other), "another agent's session holds no NIR search: {theirs}");

    // A mistyped NIR comes back to the box with why; a NIR typed into the URL is refused.
    let to = search(&agent, &[("recherche", "1 84 12 76 451 089 47"), ("statut", "all")]).await;
    assert_eq!(to, "/caisse/file?statut=all");
    let html = agent.get(&to).await.text().await.expect("html");
    assert!(html.contains(r#"aria-describedby="recherche-hint recherche-error""#), "{html}");
    assert!(main_text(&html).contains("Clé invalide"), "{}", main_text(&html));
    let typed_in_url = agent.get("/caisse/file?q=184127645108946").await;
    let text = main_text(&typed_in_url.text().await.expect("html"));
    assert!(text.contains("Pour chercher par NIR, utilisez le champ de recherche"), "said next to the box: {text}");
    assert!(text.contains(&other) && text.contains(&leveque), "the search is not applied: {text}");

    // Clearing the search forgets the NIR; a partner cannot search the queue.
    assert_eq!(search(&agent, &[("recherche", "")]).await, "/caisse/file");
    let all = queue("/caisse/file?nir=1".to_owned()).await;
    assert!(all.contains(&other) && all.contains(&leveque), "{all}");
    let partner_browser = app.signed_in(PARTNER).await;
    let refused = partner_browser
        .client
        .post(partner_browser.url("/caisse/file/recherche"))
        .header("Origin", &partner_browser.base)
        .form(&[("recherche", "Durand")])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

async fn page(browser: &crate::support::Browser, path: String) -> String {
    main_text(&browser.get(&path).await.text().await.expect("html"))
}

async fn the_agenda_shows_each_places_slots_booked_or_free(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, at_desk) = referral(&app, "Guichet").await;
    let (_, by_phone) = referral(&app, "Appel").await;
    let agent = app.signed_in(AGENT_91).await;
    let colleague = app.signed_in(MAS_AGENT_91).await;
    let massy = id_of(&app, "SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await;
    let monday = next(Weekday::Mon);
    for reference in [&at_desk, &by_phone] {
        assert_eq!(act(&agent, reference, &[("action", "take")]).await.status(), StatusCode::OK);
    }
    let book = |reference: &str, place: &str, time: &str| {
        let fields = [("action", "schedule"), ("place", place), ("date", &monday.to_string()), ("time", time), ("message", "")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()));
        let (agent, reference) = (&agent, reference.to_owned());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            act(agent, &reference, &fields).await
        }
    };
    assert_eq!(book(&at_desk, &massy, "10:00").await.status(), StatusCode::OK);
    assert_eq!(book(&by_phone, "telephone", "14:00").await.status(), StatusCode::OK);

    // The accueil's day: its slots, the booked one naming the request.
    let day = page(&agent, format!("/caisse/agenda?lieu={massy}&jour={monday}")).await;
    assert!(day.contains(&format!("Accueil de Massy – lundi {}", monday.format("%d/%m/%Y"))), "{day}");
    assert!(day.contains(&format!("10:00 {at_desk} · Saisine MAS")), "{day}");
    assert!(day.contains("09:30 Libre") && day.contains("10:30 Libre"), "free slots around it: {day}");
    let grid = day.split("Mes prochains rendez-vous").next().unwrap_or_default();
    assert!(!grid.contains(&by_phone), "the telephone's appointment is not at the accueil: {grid}");
    // The week, Monday to Sunday, from any of its days.
    let week = page(&agent, format!("/caisse/agenda?lieu={massy}&jour={}&vue=semaine", monday + Duration::days(2))).await;
    assert!(week.contains(&at_desk) && week.contains("samedi") && week.contains("fermé"), "{week}");
    // The telephone line is the calling agent's own.
    let phone = page(&agent, format!("/caisse/agenda?lieu=telephone&jour={monday}")).await;
    let phone_grid = phone.split("Mes prochains rendez-vous").next().unwrap_or_default();
    assert!(phone_grid.contains(&format!("14:00 {by_phone}")) && !phone_grid.contains(&at_desk), "{phone}");
    let theirs = page(&colleague, format!("/caisse/agenda?lieu=telephone&jour={monday}")).await;
    assert!(!theirs.contains(&by_phone), "neither in their grid nor among their own appointments: {theirs}");
    // The agent's own coming appointments, wherever they are.
    assert!(day.contains(&format!("10:00 – Accueil de Massy – {at_desk}")) && day.contains(&format!("14:00 – Par téléphone – {by_phone}")), "{day}");

    // Another caisse's accueil, a wrong day: said in French; a partner: refused.
    let hainaut = app.signed_in(AGENT_59).await;
    let foreign = page(&hainaut, format!("/caisse/agenda?lieu={massy}&jour={monday}")).await;
    assert!(foreign.contains("Ce lieu n'est pas un accueil de votre caisse") && !foreign.contains(&at_desk), "{foreign}");
    assert!(foreign.contains("Accueil de Fourmies –"), "their own accueil instead: {foreign}");
    let wrong = page(&agent, format!("/caisse/agenda?lieu={massy}&jour=lundi")).await;
    assert!(wrong.contains("« lundi » n'est pas une date : l'agenda montre aujourd'hui."), "next to the field: {wrong}");
    let partner = app.signed_in(PARTNER).await;
    assert_eq!(partner.get("/caisse/agenda").await.status(), StatusCode::FORBIDDEN);
}
