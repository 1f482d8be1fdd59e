//! Accueils and teams over HTTP: an admin adds, changes and deactivates the caisse's accueils (hours typed day by
//! day), and manages its teams (one team per kind of request, no deletion while someone or something is with it);
//! another caisse's admin, caisse agents and partners are refused every action.

use crate::fixtures::{ADMIN_59, ADMIN_91, AGENT_91, NATIONAL, PARTNER, account, caisse_agent, caisse_id, request, team};
use crate::on_both_databases;
use crate::support::{Browser, Db, TestApp, app_error, input_value, location, main_text, tag_with_id};
use crate::triage::{act, referral, status};
use app::domain::due_date::is_business_day;
use app::domain::request_kind::RequestKind;
use app::domain::request_lifecycle::Status;
use app::dto::error::AppError;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use reqwest::StatusCode;

on_both_databases!(
    an_admin_adds_changes_deactivates_and_reactivates_an_accueil,
    wrong_accueil_details_are_refused_on_their_field_and_nothing_is_saved,
    a_refused_accueil_form_without_javascript_comes_back_as_typed,
    a_deactivated_accueil_takes_no_new_appointment,
    another_caisses_admin_is_refused_every_action_on_accueils_and_teams,
    a_national_admin_picks_the_caisse_of_a_new_accueil_or_team,
    only_admins_manage_accueils_and_teams,
    an_admin_adds_renames_and_rekinds_teams_one_team_per_kind,
    a_team_is_deleted_only_when_no_agent_and_no_open_request_is_with_it,
);

const ACCUEILS: &str = "/admin/accueils";
const TEAMS: &str = "/admin/equipes";

/// A complete accueil form, with `changes` over it.
fn accueil<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", "Accueil de Juvisy"),
        ("address", "12 rue Monttessuy"),
        ("postal_code", "91260"),
        ("commune", "Juvisy-sur-Orge"),
        ("phone", "36 46"),
        ("hours_mon", "8h30-12h, 13h30-16h30"),
        ("hours_tue", "08:30-12:00"),
        ("hours_wed", ""),
        ("hours_thu", "08:30 – 12:00 ; 13:30 – 16:30"),
        ("hours_fri", "08:30-12:00"),
        ("hours_sat", ""),
        ("hours_sun", ""),
    ];
    for &(name, value) in changes {
        match form.iter_mut().find(|(field, _)| *field == name) {
            Some(field) => field.1 = value,
            None => form.push((name, value)),
        }
    }
    form
}

const JUVISY_HOURS: &str = r#"{"mon":[["08:30","12:00"],["13:30","16:30"]],"tue":[["08:30","12:00"]],"thu":[["08:30","12:00"],["13:30","16:30"]],"fri":[["08:30","12:00"]]}"#;

async fn html(browser: &Browser, path: &str) -> String {
    let response = browser.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("html")
}

/// Whether the checkbox whose `id` is `id` is ticked, as served.
fn ticked(html: &str, id: &str) -> bool {
    tag_with_id(html, "input", id).is_some_and(|(_, tag)| tag.contains("checked"))
}

async fn accueil_id(app: &TestApp, name: &str) -> String {
    app.text(&format!("SELECT id FROM accueils WHERE name = '{name}'")).await
}

async fn team_id(app: &TestApp, caisse_code: &str, name: &str) -> String {
    app.text(&format!("SELECT t.id FROM teams t JOIN caisses c ON c.id = t.caisse_id WHERE c.code = '{caisse_code}' AND t.name = '{name}'")).await
}

async fn audited(app: &TestApp, action: &str) -> i64 {
    app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = '{action}'")).await
}

async fn an_admin_adds_changes_deactivates_and_reactivates_an_accueil(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let page = html(&admin, ACCUEILS).await;
    assert!(page.contains(r#"href="/admin/accueils""#) && page.contains(r#"href="/admin/equipes""#), "the header links to both pages");
    let text = main_text(&page);
    assert!(text.contains("Accueil de Massy") && text.contains("Lundi : 08h30–12h00, 13h30–16h30") && text.contains("Actif"), "{text}");
    assert!(!text.contains("Accueil de Valenciennes"), "another caisse's accueil: {text}");

    // Added with JavaScript: the hours typed loosely are stored in their one form.
    assert_eq!(admin.call("create_accueil", &accueil(&[])).await.status(), StatusCode::OK);
    let id = accueil_id(&app, "Accueil de Juvisy").await;
    let caisse_91 = caisse_id(&app, "091").await;
    let sql =
        format!("SELECT opening_hours FROM accueils WHERE id = '{id}' AND caisse_id = '{caisse_91}' AND postal_code = '91260' AND phone = '36 46'");
    assert_eq!(app.text(&sql).await, JUVISY_HOURS);
    // Without JavaScript: back to the list, with a notice.
    let posted = admin.post_form("create_accueil", ACCUEILS, &accueil(&[("name", "Accueil d'Étampes"), ("phone", "")])).await;
    assert_eq!(location(&posted), format!("{ACCUEILS}?fait=ajout"));
    let text = main_text(&html(&admin, &format!("{ACCUEILS}?fait=ajout")).await);
    assert!(
        text.contains("L'accueil a été ajouté.") && text.contains("Accueil d'Étampes") && text.contains("Jeudi : 08h30–12h00, 13h30–16h30"),
        "{text}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM accueils WHERE name = 'Accueil d''Étampes' AND phone IS NULL").await, 1, "no telephone");

    // The edit page shows each day as text that reads back the same.
    let edit = format!("{ACCUEILS}/{id}");
    let form = html(&admin, &edit).await;
    assert_eq!(input_value(&form, "hours_mon").as_deref(), Some("08:30-12:00, 13:30-16:30"));
    assert_eq!(input_value(&form, "hours_wed").as_deref(), Some(""));
    assert_eq!(input_value(&form, "postal_code").as_deref(), Some("91260"));
    let changed = admin
        .post_form(
            "update_accueil",
            &edit,
            &[vec![("id", id.as_str())], accueil(&[("name", "Accueil de Juvisy-sur-Orge"), ("hours_sat", "9h-12h")])].concat(),
        )
        .await;
    assert_eq!(location(&changed), format!("{edit}?fait=modification"));
    let text = main_text(&html(&admin, &format!("{edit}?fait=modification")).await);
    assert!(text.contains("L'accueil a été modifié.") && text.contains("Modifier « Accueil de Juvisy-sur-Orge »"), "{text}");
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM accueils WHERE id = '{id}' AND opening_hours LIKE '%\"sat\":[[\"09:00\",\"12:00\"]]%'")).await,
        1
    );

    // Deactivated with JavaScript (twice: once recorded), reactivated without.
    for _ in 0..2 {
        assert_eq!(admin.call("deactivate_accueil", &[("id", &id)]).await.status(), StatusCode::OK);
    }
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM accueils WHERE id = '{id}' AND active = false")).await, 1);
    let text = main_text(&html(&admin, ACCUEILS).await);
    assert!(text.contains("Désactivé") && text.contains("Réactiver « Accueil de Juvisy-sur-Orge »"), "{text}");
    let text = main_text(&html(&admin, &edit).await);
    assert!(text.contains("Cet accueil est désactivé"), "{text}");
    let back = admin.post_form("reactivate_accueil", ACCUEILS, &[("id", &id)]).await;
    assert_eq!(location(&back), format!("{ACCUEILS}?fait=reactivation"));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM accueils WHERE id = '{id}' AND active = true")).await, 1);

    for (action, times) in [("accueil.created", 2), ("accueil.updated", 1), ("accueil.deactivated", 1), ("accueil.reactivated", 1)] {
        assert_eq!(audited(&app, action).await, times, "{action}");
    }
    let sql = format!(
        "SELECT detail FROM audit_events WHERE action = 'accueil.updated' AND object_id = '{id}' AND caisse_id = '{caisse_91}' AND actor_label = '{ADMIN_91}'"
    );
    assert!(app.text(&sql).await.contains("Samedi : 09h00–12h00"));
}

async fn wrong_accueil_details_are_refused_on_their_field_and_nothing_is_saved(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let before = app.count("SELECT COUNT(*) FROM accueils").await;
    let refused =
        app_error(admin.call("create_accueil", &accueil(&[("hours_tue", "8h30"), ("hours_fri", "14:00-12:00"), ("postal_code", "9126")])).await)
            .await;
    assert_eq!(
        refused.message_for("hours_tue").as_deref(),
        Some("Mardi : « 8h30 » n'est pas une plage horaire ; écrivez l'ouverture et la fermeture séparées d'un tiret, par exemple 08:30-12:00.")
    );
    assert_eq!(refused.message_for("hours_fri").as_deref(), Some("Vendredi : la plage 14h00–12h00 doit finir après son début."));
    assert!(refused.message_for("postal_code").is_some_and(|m| m.contains("5 chiffres")));
    assert_eq!(refused.message_for("hours_mon"), None);
    let closed =
        app_error(admin.call("create_accueil", &accueil(&[("hours_mon", ""), ("hours_tue", ""), ("hours_thu", ""), ("hours_fri", "")])).await).await;
    assert!(closed.message_for("hours_mon").is_some_and(|m| m.contains("au moins un jour")), "{closed:?}");
    let nameless = app_error(admin.call("create_accueil", &accueil(&[("name", " "), ("commune", "")])).await).await;
    assert!(nameless.message_for("name").is_some() && nameless.message_for("commune").is_some(), "{nameless:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM accueils").await, before);

    let massy = accueil_id(&app, "Accueil de Massy").await;
    let stored = app.text(&format!("SELECT opening_hours FROM accueils WHERE id = '{massy}'")).await;
    let form = [vec![("id", massy.as_str())], accueil(&[("name", "Massy"), ("hours_wed", "13:30-16:30, 14:00-15:00")])].concat();
    let refused = app_error(admin.call("update_accueil", &form).await).await;
    assert_eq!(refused.message_for("hours_wed").as_deref(), Some("Mercredi : les plages 13h30–16h30 et 14h00–15h00 se chevauchent."));
    assert_eq!(app.text(&format!("SELECT opening_hours FROM accueils WHERE id = '{massy}'")).await, stored);
    assert_eq!(app.count("SELECT COUNT(*) FROM accueils WHERE name = 'Accueil de Massy'").await, 1, "unchanged");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'accueil.%'").await, 0);
    assert_eq!(app_error(admin.call("update_accueil", &[vec![("id", "inconnu")], accueil(&[])].concat()).await).await, AppError::NotFound);
}

async fn a_refused_accueil_form_without_javascript_comes_back_as_typed(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let back = admin.post_form("create_accueil", ACCUEILS, &accueil(&[("hours_thu", "matin"), ("name", "Accueil d'Arpajon")])).await;
    let back = location(&back);
    assert!(back.starts_with(ACCUEILS) && back.contains("__err"), "{back}");
    let page = html(&admin, &back).await;
    let text = main_text(&page);
    assert!(text.contains("Jeudi : « matin » n'est pas une plage horaire"), "{text}");
    assert!(page.contains(r##"href="#hours_thu""##), "the summary links to the day's field");
    assert_eq!(input_value(&page, "hours_thu").as_deref(), Some("matin"));
    assert!(page.contains("Arpajon"), "the name typed is kept");
    assert_eq!(input_value(&page, "hours_mon").as_deref(), Some("8h30-12h, 13h30-16h30"), "as typed, not as it would be stored");
    assert_eq!(app.count("SELECT COUNT(*) FROM accueils WHERE name LIKE '%Arpajon'").await, 0);
    // Shown once: a reload gives an empty form.
    let again = html(&admin, ACCUEILS).await;
    assert_eq!(input_value(&again, "hours_thu").as_deref(), Some(""));

    // The same on an accueil's own page.
    let massy = accueil_id(&app, "Accueil de Massy").await;
    let edit = format!("{ACCUEILS}/{massy}");
    let form = [vec![("id", massy.as_str())], accueil(&[("name", "Massy (nouveau nom)"), ("postal_code", "913OO")])].concat();
    let back = location(&admin.post_form("update_accueil", &edit, &form).await);
    assert!(back.starts_with(&edit) && back.contains("__err"), "{back}");
    let page = html(&admin, &back).await;
    assert!(main_text(&page).contains("Le code postal « 913OO » doit compter 5 chiffres"), "{}", main_text(&page));
    assert_eq!(input_value(&page, "postal_code").as_deref(), Some("913OO"));
    assert!(page.contains("Massy (nouveau nom)"));
    assert_eq!(app.count("SELECT COUNT(*) FROM accueils WHERE name = 'Accueil de Massy' AND postal_code = '91300'").await, 1);
}

/// The next `weekday` at least two days from now that is a business day.
fn next(weekday: Weekday) -> NaiveDate {
    let mut day = app::server::time_fr::paris_day(chrono::Utc::now()) + Duration::days(2);
    while day.weekday() != weekday || !is_business_day(day) {
        day += Duration::days(1);
    }
    day
}

async fn a_deactivated_accueil_takes_no_new_appointment(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, reference) = referral(&app, "Rendez-vous").await;
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(act(&agent, &reference, &[("action", "take")]).await.status(), StatusCode::OK);
    let admin = app.signed_in(ADMIN_91).await;
    let massy = accueil_id(&app, "Accueil de Massy").await;
    assert_eq!(admin.call("deactivate_accueil", &[("id", &massy)]).await.status(), StatusCode::OK);

    let page = html(&agent, &format!("/caisse/demandes/{reference}")).await;
    assert!(!page.contains(&massy) && page.contains("Accueil de Corbeil-Essonnes"), "no longer offered");
    let monday = next(Weekday::Mon).to_string();
    let booking = [("action", "schedule"), ("place", massy.as_str()), ("date", monday.as_str()), ("time", "09:00")];
    let refused = app_error(act(&agent, &reference, &booking).await).await;
    assert!(refused.message_for("place").is_some(), "{refused:?}");
    assert_eq!(status(&app, &reference).await, "in_progress");
    let booked = format!("SELECT COUNT(*) FROM appointments WHERE request_id = (SELECT id FROM requests WHERE reference = '{reference}')");
    assert_eq!(app.count(&booked).await, 0);

    assert_eq!(admin.call("reactivate_accueil", &[("id", &massy)]).await.status(), StatusCode::OK);
    assert_eq!(act(&agent, &reference, &booking).await.status(), StatusCode::OK);
    assert_eq!(status(&app, &reference).await, "appointment_scheduled");
    assert_eq!(app.count(&booked).await, 1);
}

async fn another_caisses_admin_is_refused_every_action_on_accueils_and_teams(db: Db) {
    let app = TestApp::spawn(db).await;
    let massy = accueil_id(&app, "Accueil de Massy").await;
    let team = team_id(&app, "091", "Mission Accompagnement Santé").await;
    let caisse_91 = caisse_id(&app, "091").await;
    let stored = app.text(&format!("SELECT opening_hours FROM accueils WHERE id = '{massy}'")).await;
    let foreign = app.signed_in(ADMIN_59).await;

    let page = main_text(&html(&foreign, ACCUEILS).await);
    assert!(
        page.contains("Désactiver « Accueil de Valenciennes »")
            && !page.contains("Désactiver « Accueil de Massy »")
            && !page.contains("Noyer Lambert"),
        "{page}"
    );
    let page = html(&foreign, TEAMS).await;
    assert!(!page.contains(&team) && page.contains("Supprimer « Mission Accompagnement Santé »"), "the Hainaut's own teams only");
    assert_eq!(foreign.get(&format!("{ACCUEILS}/{massy}")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(foreign.get(&format!("{TEAMS}/{team}")).await.status(), StatusCode::FORBIDDEN);

    let (massy_id, team_ref, caisse_ref) = (massy.as_str(), team.as_str(), caisse_91.as_str());
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("admin_accueil", vec![("id", massy_id)]),
        ("update_accueil", [vec![("id", massy_id)], accueil(&[])].concat()),
        ("update_accueil", [vec![("id", massy_id)], accueil(&[("hours_mon", "n'importe quoi")])].concat()),
        ("deactivate_accueil", vec![("id", massy_id)]),
        ("reactivate_accueil", vec![("id", massy_id)]),
        ("create_accueil", [vec![("caisse", caisse_ref)], accueil(&[])].concat()),
        ("admin_team", vec![("id", team_ref)]),
        ("update_team", vec![("id", team_ref), ("name", "Piratée"), ("kind_contact", "oui")]),
        ("update_team", vec![("id", team_ref), ("name", "")]),
        ("delete_team", vec![("id", team_ref)]),
        ("create_team", vec![("caisse", caisse_ref), ("name", "Intruse")]),
    ];
    for (endpoint, form) in &calls {
        assert_eq!(app_error(foreign.call(endpoint, form).await).await, AppError::Forbidden, "{endpoint} {form:?}");
    }
    // Without JavaScript too.
    let refused = foreign.post_form("deactivate_accueil", ACCUEILS, &[("id", massy_id)]).await;
    assert!(!location(&refused).contains("fait="), "{}", location(&refused));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM accueils WHERE id = '{massy}' AND active = true AND name = 'Accueil de Massy'")).await, 1);
    assert_eq!(app.text(&format!("SELECT opening_hours FROM accueils WHERE id = '{massy}'")).await, stored);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM teams WHERE id = '{team}' AND name = 'Mission Accompagnement Santé'")).await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM teams WHERE name = 'Intruse'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM accueils WHERE name = 'Accueil de Juvisy'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'accueil.%' OR action LIKE 'team.%'").await, 0);

    // Their own caisse's are theirs to change.
    let valenciennes = accueil_id(&app, "Accueil de Valenciennes").await;
    assert_eq!(foreign.call("deactivate_accueil", &[("id", &valenciennes)]).await.status(), StatusCode::OK);
    assert_eq!(foreign.call("create_team", &[("name", "Accueil du Hainaut")]).await.status(), StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM teams t JOIN caisses c ON c.id = t.caisse_id WHERE c.code = '059' AND t.name = 'Accueil du Hainaut'").await,
        1
    );
}

async fn a_national_admin_picks_the_caisse_of_a_new_accueil_or_team(db: Db) {
    let app = TestApp::spawn(db).await;
    let national = app.signed_in(NATIONAL).await;
    let text = main_text(&html(&national, ACCUEILS).await);
    assert!(text.contains("Accueil de Massy") && text.contains("Accueil de Valenciennes") && text.contains("CPAM du Hainaut"), "{text}");
    let refused = app_error(national.call("create_accueil", &accueil(&[])).await).await;
    assert_eq!(refused.message_for("caisse").as_deref(), Some("Choisissez la caisse."));
    let caisse_59 = caisse_id(&app, "059").await;
    assert_eq!(
        national.call("create_accueil", &[vec![("caisse", caisse_59.as_str())], accueil(&[("name", "Accueil de Denain")])].concat()).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM accueils WHERE name = 'Accueil de Denain' AND caisse_id = '{caisse_59}'")).await, 1);
    let refused = app_error(national.call("create_team", &[("name", "Renfort")]).await).await;
    assert_eq!(refused.message_for("caisse").as_deref(), Some("Choisissez la caisse."));
    // Kinds are shared out within the chosen caisse: the Hainaut's own MAS team already receives referrals.
    let refused =
        app_error(national.call("create_team", &[("caisse", caisse_59.as_str()), ("name", "Renfort"), ("kind_mas_referral", "oui")]).await).await;
    assert!(refused.message_for("kinds").is_some_and(|m| m.contains("Mission Accompagnement Santé")), "{refused:?}");
    assert_eq!(national.call("create_team", &[("caisse", caisse_59.as_str()), ("name", "Renfort")]).await.status(), StatusCode::OK);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM teams WHERE name = 'Renfort' AND caisse_id = '{caisse_59}'")).await, 1);
    let sql = format!("SELECT COUNT(*) FROM audit_events WHERE action = 'team.created' AND caisse_id = '{caisse_59}' AND actor_label = '{NATIONAL}'");
    assert_eq!(app.count(&sql).await, 1);
}

async fn only_admins_manage_accueils_and_teams(db: Db) {
    let app = TestApp::spawn(db).await;
    let massy = accueil_id(&app, "Accueil de Massy").await;
    let team = team_id(&app, "091", "Accueil").await;
    for email in [AGENT_91, PARTNER] {
        let someone = app.signed_in(email).await;
        for path in [ACCUEILS.to_owned(), TEAMS.to_owned(), format!("{ACCUEILS}/{massy}"), format!("{TEAMS}/{team}")] {
            assert_eq!(someone.get(&path).await.status(), StatusCode::FORBIDDEN, "{email} {path}");
        }
        for (endpoint, form) in [
            ("admin_accueils", vec![]),
            ("admin_accueil", vec![("id", massy.as_str())]),
            ("create_accueil", accueil(&[])),
            ("update_accueil", [vec![("id", massy.as_str())], accueil(&[])].concat()),
            ("deactivate_accueil", vec![("id", massy.as_str())]),
            ("reactivate_accueil", vec![("id", massy.as_str())]),
            ("admin_teams", vec![]),
            ("admin_team", vec![("id", team.as_str())]),
            ("create_team", vec![("name", "Intruse")]),
            ("update_team", vec![("id", team.as_str()), ("name", "Intruse")]),
            ("delete_team", vec![("id", team.as_str())]),
        ] {
            assert_eq!(app_error(someone.call(endpoint, &form).await).await, AppError::Forbidden, "{email} {endpoint}");
        }
    }
    let anonymous = app.browser();
    assert_eq!(app_error(anonymous.call("deactivate_accueil", &[("id", &massy)]).await).await, AppError::Unauthenticated);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'accueil.%' OR action LIKE 'team.%'").await, 0);
}

async fn an_admin_adds_renames_and_rekinds_teams_one_team_per_kind(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let page = html(&admin, TEAMS).await;
    let text = main_text(&page);
    assert!(
        text.contains("Mission Accompagnement Santé") && text.contains("Saisine MAS") && text.contains("Message à la caisse, Rendez-vous"),
        "{text}"
    );
    assert!(text.contains("Supprimer « Accueil »"), "{text}");

    // A kind another team receives is refused, as is a name already taken; nothing is saved.
    let refused = app_error(admin.call("create_team", &[("name", "Urgences"), ("kind_mas_referral", "oui")]).await).await;
    assert!(
        refused.message_for("kinds").is_some_and(|m| m.contains("« Saisine MAS » va déjà à l'équipe « Mission Accompagnement Santé »")),
        "{refused:?}"
    );
    let refused = app_error(admin.call("create_team", &[("name", " accueil ")]).await).await;
    assert!(refused.message_for("name").is_some_and(|m| m.contains("déjà une équipe « Accueil »")), "{refused:?}");
    let refused = app_error(admin.call("create_team", &[("name", "")]).await).await;
    assert_eq!(refused.message_for("name").as_deref(), Some("Saisissez le nom de l'équipe."));
    assert_eq!(app.count("SELECT COUNT(*) FROM teams").await, 6, "three per demo caisse");

    // Added without a kind (it only gets what agents hand it), without JavaScript.
    let posted = admin.post_form("create_team", TEAMS, &[("name", "Renfort")]).await;
    assert_eq!(location(&posted), format!("{TEAMS}?fait=ajout"));
    let text = main_text(&html(&admin, &format!("{TEAMS}?fait=ajout")).await);
    assert!(text.contains("L'équipe a été ajoutée.") && text.contains("Renfort") && text.contains("Aucun (attribution manuelle)"), "{text}");
    let renfort = team_id(&app, "091", "Renfort").await;
    let mas = team_id(&app, "091", "Mission Accompagnement Santé").await;

    // MAS referrals move from one team to the other: first taken away, then given.
    let refused = app_error(admin.call("update_team", &[("id", &renfort), ("name", "Renfort MAS"), ("kind_mas_referral", "oui")]).await).await;
    assert!(refused.message_for("kinds").is_some(), "{refused:?}");
    assert_eq!(admin.call("update_team", &[("id", &mas), ("name", "MAS (ancienne)")]).await.status(), StatusCode::OK);
    let text = main_text(&html(&admin, TEAMS).await);
    assert!(text.contains("Aucune équipe ne reçoit : Saisine MAS."), "{text}");
    let edit = format!("{TEAMS}/{renfort}");
    let changed = admin.post_form("update_team", &edit, &[("id", &renfort), ("name", "Renfort MAS"), ("kind_mas_referral", "oui")]).await;
    assert_eq!(location(&changed), format!("{edit}?fait=modification"));
    let page = html(&admin, &format!("{edit}?fait=modification")).await;
    assert!(main_text(&page).contains("L'équipe a été modifiée.") && ticked(&page, "kinds-mas_referral") && !ticked(&page, "kinds"), "{page}");
    assert_eq!(app.text(&format!("SELECT kinds FROM teams WHERE id = '{renfort}'")).await, "mas_referral");
    // Routing follows.
    let (_, reference) = referral(&app, "Routage").await;
    assert_eq!(app.text(&format!("SELECT team_id FROM requests WHERE reference = '{reference}'")).await, renfort);

    // Without JavaScript a refused change comes back as typed, the boxes as ticked.
    let back = location(
        &admin
            .post_form("update_team", &edit, &[("id", &renfort), ("name", "Renfort tapé"), ("kind_contact", "oui"), ("kind_mas_referral", "oui")])
            .await,
    );
    assert!(back.starts_with(&edit) && back.contains("__err"), "{back}");
    let page = html(&admin, &back).await;
    assert!(main_text(&page).contains("« Message à la caisse » va déjà à l'équipe « Accueil »"), "{}", main_text(&page));
    assert_eq!(input_value(&page, "name").as_deref(), Some("Renfort tapé"));
    assert!(ticked(&page, "kinds") && ticked(&page, "kinds-mas_referral") && !ticked(&page, "kinds-dossier_study"));
    assert_eq!(app.text(&format!("SELECT name FROM teams WHERE id = '{renfort}'")).await, "Renfort MAS");

    assert_eq!(audited(&app, "team.created").await, 1);
    assert_eq!(audited(&app, "team.updated").await, 2);
    let detail = app.text(&format!("SELECT detail FROM audit_events WHERE action = 'team.created' AND object_id = '{renfort}'")).await;
    assert_eq!(detail, "Renfort : aucun type de demande");
}

async fn a_team_is_deleted_only_when_no_agent_and_no_open_request_is_with_it(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    // A team with one agent in it and one open request handed to it.
    let renfort = team(&app, "091", "Renfort", &[]).await;
    let member = caisse_agent("091").team("Renfort").create(&app).await;
    let partner = account(&app, PARTNER).await;
    let handed = request(&partner).kind(RequestKind::MasReferral).status(Status::InProgress).team(&renfort).create(&app).await;

    let refused = app_error(admin.call("delete_team", &[("id", &renfort)]).await).await;
    assert_eq!(
        refused,
        AppError::Conflict(
            "L'équipe « Renfort » ne peut pas être supprimée : 1 agent y est rattaché (rattachez-les à une autre équipe) ; 1 demande en cours lui est confiée (confiez-les à une autre équipe ou clôturez-les).".to_owned()
        )
    );
    // The admin moves the agent to another team.
    let droits = team_id(&app, "091", "Droits (PUMa, C2S, AME)").await;
    let moved = admin.call("update_account", &[("id", &member.id), ("role", "caisse_agent"), ("team_id", &droits)]).await;
    assert_eq!(moved.status(), StatusCode::OK);
    // Without JavaScript the refusal shows on the list.
    let back = location(&admin.post_form("delete_team", TEAMS, &[("id", &renfort)]).await);
    assert!(back.starts_with(TEAMS) && back.contains("__err"), "{back}");
    let text = main_text(&html(&admin, &back).await);
    assert!(text.contains("1 demande en cours lui est confiée") && !text.contains("agent y est rattaché"), "{text}");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM teams WHERE id = '{renfort}'")).await, 1);

    // The caisse closes the request: the team goes.
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(act(&agent, &handed.reference, &[("action", "close_resolved"), ("message", "Traitée.")]).await.status(), StatusCode::OK);
    let deleted = admin.post_form("delete_team", TEAMS, &[("id", &renfort)]).await;
    assert_eq!(location(&deleted), format!("{TEAMS}?fait=suppression"));
    let text = main_text(&html(&admin, &format!("{TEAMS}?fait=suppression")).await);
    assert!(text.contains("L'équipe a été supprimée.") && !text.contains("Renfort"), "{text}");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM teams WHERE id = '{renfort}'")).await, 0);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM requests WHERE id = '{}' AND team_id IS NULL", handed.id)).await,
        1,
        "the closed request keeps no team"
    );
    assert_eq!(audited(&app, "team.deleted").await, 1);
    assert_eq!(app_error(admin.call("delete_team", &[("id", &renfort)]).await).await, AppError::NotFound);

    // The accueil team still has its agent.
    let accueil = team_id(&app, "091", "Accueil").await;
    let refused = app_error(admin.call("delete_team", &[("id", &accueil)]).await).await;
    assert!(
        matches!(&refused, AppError::Conflict(m) if m.contains("« Accueil » ne peut pas être supprimée : 1 agent y est rattaché")),
        "{refused:?}"
    );
}
