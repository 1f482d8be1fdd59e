//! What a caisse sets up for itself, over HTTP: canned replies (its agents only, another caisse's are out of
//! reach), and the answer budgets its admin chooses, which give new requests their due date.

use crate::fixtures::{ADMIN_91, AGENT_59, AGENT_91, PARTNER};
use crate::on_both_databases;
use crate::support::{Browser, Db, TestApp, app_error, input_value, location, main_text};
use crate::triage::referral;
use app::dto::error::AppError;
use reqwest::StatusCode;

on_both_databases!(
    an_agent_adds_changes_and_deletes_the_caisses_canned_replies,
    canned_replies_need_a_title_and_a_text,
    another_caisses_canned_replies_are_out_of_reach,
    an_admin_sets_the_answer_budget_of_each_kind,
    a_wrong_budget_is_refused_and_nothing_is_saved,
    only_admins_set_the_answer_budgets,
    a_budget_set_by_the_admin_gives_new_requests_their_due_date,
);

const PAGE: &str = "/caisse/reponses-types";
const BUDGETS: &str = "/admin/delais";
const NOT_A_BUDGET: &str = "Indiquez un nombre entier de jours ouvrés, de 1 à 60.";

/// Starts from a caisse without canned replies, whatever the demo data holds.
async fn without_canned_replies(app: &TestApp, email: &str) {
    app.execute(&format!("DELETE FROM canned_replies WHERE caisse_id = (SELECT caisse_id FROM accounts WHERE email = '{email}')")).await;
}

async fn reply_id(app: &TestApp, title: &str) -> String {
    app.text(&format!("SELECT id FROM canned_replies WHERE title = '{title}'")).await
}

async fn page_html(browser: &Browser, path: &str) -> String {
    let response = browser.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("html")
}

fn budgets<'a>(contact: &'a str, mas_referral: &'a str, appointment: &'a str, dossier_study: &'a str) -> [(&'static str, &'a str); 4] {
    [("contact", contact), ("mas_referral", mas_referral), ("appointment", appointment), ("dossier_study", dossier_study)]
}

async fn an_agent_adds_changes_and_deletes_the_caisses_canned_replies(db: Db) {
    let app = TestApp::spawn(db).await;
    without_canned_replies(&app, AGENT_91).await;
    let agent = app.signed_in(AGENT_91).await;
    let html = page_html(&agent, PAGE).await;
    assert!(html.contains(r#"href="/caisse/reponses-types""#), "the header links to the page");
    let text = main_text(&html);
    assert!(text.contains("Réponses types") && text.contains("Aucune réponse type pour l'instant."), "{text}");

    // With JavaScript, then without: both end up in the list, sorted by title.
    let added = agent.call("create_canned_reply", &[("title", "Pièces à fournir"), ("body", "Merci de joindre l'avis d'imposition.")]).await;
    assert_eq!(added.status(), StatusCode::OK);
    let posted =
        agent.post_form("create_canned_reply", PAGE, &[("title", "Accusé de réception"), ("body", "Nous avons bien reçu votre demande.")]).await;
    assert_eq!(location(&posted), format!("{PAGE}?fait=ajout"));
    let text = main_text(&page_html(&agent, &format!("{PAGE}?fait=ajout")).await);
    assert!(text.contains("La réponse type a été ajoutée."), "{text}");
    assert!(!text.contains("Aucune réponse type"), "{text}");
    let (first, second) = (text.find("Accusé de réception").expect("listed"), text.find("Pièces à fournir").expect("listed"));
    assert!(first < second, "sorted by title: {text}");
    assert!(text.contains("Merci de joindre l'avis d'imposition.") && text.contains("Supprimer « Pièces à fournir »"), "{text}");
    assert!(text.contains("Modifier « Accusé de réception »"), "{text}");

    // The edit form is pre-filled; a change shows on the page.
    let id = reply_id(&app, "Pièces à fournir").await;
    let html = page_html(&agent, PAGE).await;
    assert!(html.contains(&format!(r#"id="title-{id}""#)), "a form per reply");
    let changed = agent
        .post_form(
            "update_canned_reply",
            PAGE,
            &[("id", &id), ("title", "Pièces justificatives"), ("body", "Merci de joindre le dernier avis d'imposition.")],
        )
        .await;
    assert_eq!(location(&changed), format!("{PAGE}?fait=modification"));
    let text = main_text(&page_html(&agent, &format!("{PAGE}?fait=modification")).await);
    assert!(text.contains("La réponse type a été modifiée.") && text.contains("Pièces justificatives"), "{text}");
    assert!(text.contains("Merci de joindre le dernier avis d'imposition.") && !text.contains("Pièces à fournir"), "{text}");

    // Deleted with JavaScript, then without.
    assert_eq!(agent.call("delete_canned_reply", &[("id", &id)]).await.status(), StatusCode::OK);
    let other = reply_id(&app, "Accusé de réception").await;
    let deleted = agent.post_form("delete_canned_reply", PAGE, &[("id", &other)]).await;
    assert_eq!(location(&deleted), format!("{PAGE}?fait=suppression"));
    let text = main_text(&page_html(&agent, &format!("{PAGE}?fait=suppression")).await);
    assert!(text.contains("La réponse type a été supprimée.") && text.contains("Aucune réponse type pour l'instant."), "{text}");
    assert_eq!(app_error(agent.call("delete_canned_reply", &[("id", &other)]).await).await, AppError::NotFound);

    for action in ["canned_reply.created", "canned_reply.updated", "canned_reply.deleted"] {
        let count = app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = '{action}' AND object_type = 'canned_reply'")).await;
        assert_eq!(count, if action == "canned_reply.updated" { 1 } else { 2 }, "{action}");
    }
}

async fn canned_replies_need_a_title_and_a_text(db: Db) {
    let app = TestApp::spawn(db).await;
    without_canned_replies(&app, AGENT_91).await;
    let agent = app.signed_in(AGENT_91).await;
    let refused = app_error(agent.call("create_canned_reply", &[("title", "  "), ("body", "")]).await).await;
    assert_eq!(refused.message_for("title").as_deref(), Some("Saisissez un titre."));
    assert_eq!(refused.message_for("body").as_deref(), Some("Saisissez le texte de la réponse."));
    let long = "T".repeat(121);
    let too_long = app_error(agent.call("create_canned_reply", &[("title", &long), ("body", "Texte")]).await).await;
    assert!(too_long.message_for("title").is_some_and(|m| m.contains("120")), "{too_long:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM canned_replies").await, 0);

    // Without JavaScript the form comes back with the message and what was typed.
    let back = agent.post_form("create_canned_reply", PAGE, &[("title", ""), ("body", "Texte tapé à garder")]).await;
    let back = location(&back);
    assert!(back.starts_with(PAGE) && back.contains("__err"), "{back}");
    let html = page_html(&agent, &back).await;
    assert!(main_text(&html).contains("Saisissez un titre."), "{html}");
    assert!(html.contains("Texte tapé à garder"), "the text typed is kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM canned_replies").await, 0);

    // Changing a reply: the message sits next to that reply only, and the reply is unchanged.
    for title in ["Premier modèle", "Second modèle"] {
        assert_eq!(agent.call("create_canned_reply", &[("title", title), ("body", "Texte d'origine")]).await.status(), StatusCode::OK);
    }
    let id = reply_id(&app, "Second modèle").await;
    let refused = app_error(agent.call("update_canned_reply", &[("id", &id), ("title", "Second modèle"), ("body", " ")]).await).await;
    assert_eq!(refused.message_for("body").as_deref(), Some("Saisissez le texte de la réponse."));
    let back = agent.post_form("update_canned_reply", PAGE, &[("id", &id), ("title", "Titre tapé"), ("body", "")]).await;
    let html = page_html(&agent, &location(&back)).await;
    let text = main_text(&html);
    assert_eq!(text.matches("Saisissez le texte de la réponse.").count(), 2, "in the summary and by the field, once: {text}");
    assert!(html.contains(&format!(r#"id="body-{id}-error""#)), "next to the reply's own field");
    assert_eq!(input_value(&html, "title").as_deref(), Some(""), "the new reply's form stays empty");
    assert!(html.contains(r#"value="Titre tapé""#), "what was typed is kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM canned_replies WHERE body = 'Texte d''origine'").await, 2);
}

async fn another_caisses_canned_replies_are_out_of_reach(db: Db) {
    let app = TestApp::spawn(db).await;
    let own = app.signed_in(AGENT_91).await;
    let created = own.call("create_canned_reply", &[("title", "Modèle Essonne"), ("body", "Réservé à la CPAM 91.")]).await;
    assert_eq!(created.status(), StatusCode::OK);
    let id = reply_id(&app, "Modèle Essonne").await;

    let foreign = app.signed_in(AGENT_59).await;
    let html = page_html(&foreign, PAGE).await;
    assert!(!html.contains("Modèle Essonne") && !html.contains(&id), "not in the page nor its data");
    let json = foreign.call("canned_replies", &[]).await.text().await.expect("json");
    assert!(!json.contains("Modèle Essonne"), "{json}");
    let update = [("id", id.as_str()), ("title", "Piraté"), ("body", "Piraté")];
    assert_eq!(app_error(foreign.call("update_canned_reply", &update).await).await, AppError::NotFound);
    assert_eq!(app_error(foreign.call("update_canned_reply", &[("id", id.as_str()), ("title", ""), ("body", "")]).await).await, AppError::NotFound);
    assert_eq!(app_error(foreign.call("delete_canned_reply", &[("id", &id)]).await).await, AppError::NotFound);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM canned_replies WHERE id = '{id}' AND title = 'Modèle Essonne'")).await, 1);

    let partner = app.signed_in(PARTNER).await;
    assert_eq!(partner.get(PAGE).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app_error(partner.call("canned_replies", &[]).await).await, AppError::Forbidden);
    assert_eq!(app_error(partner.call("create_canned_reply", &[("title", "x"), ("body", "y")]).await).await, AppError::Forbidden);
    assert_eq!(app_error(partner.call("delete_canned_reply", &[("id", &id)]).await).await, AppError::Forbidden);
    let admin = app.signed_in(ADMIN_91).await;
    assert_eq!(app_error(admin.call("update_canned_reply", &update).await).await, AppError::Forbidden);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'canned_reply.%'").await, 1, "only the creation");
}

async fn an_admin_sets_the_answer_budget_of_each_kind(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let html = page_html(&admin, BUDGETS).await;
    assert!(html.contains(r#"href="/admin/delais""#), "the header links to the page");
    let text = main_text(&html);
    assert!(text.contains("Délais de traitement") && text.contains("Saisine MAS") && text.contains("jours ouvrés"), "{text}");
    for (kind, days) in budgets("2", "5", "5", "10") {
        assert_eq!(input_value(&html, kind).as_deref(), Some(days), "{kind} shows its default");
    }

    assert_eq!(admin.call("save_due_dates", &budgets("2", "20", "5", "10")).await.status(), StatusCode::OK);
    let html = page_html(&admin, BUDGETS).await;
    assert_eq!(input_value(&html, "mas_referral").as_deref(), Some("20"));
    assert_eq!(app.count("SELECT COUNT(*) FROM due_date_settings WHERE kind = 'mas_referral' AND business_days = 20").await, 1);

    // Without JavaScript, saved again over the same rows.
    let posted = admin.post_form("save_due_dates", BUDGETS, &budgets("3", "20", "5", " 12 ")).await;
    assert_eq!(location(&posted), format!("{BUDGETS}?fait=1"));
    let html = page_html(&admin, &format!("{BUDGETS}?fait=1")).await;
    assert!(main_text(&html).contains("Les délais ont été enregistrés."));
    assert_eq!(input_value(&html, "contact").as_deref(), Some("3"));
    assert_eq!(input_value(&html, "dossier_study").as_deref(), Some("12"));
    assert_eq!(app.count("SELECT COUNT(*) FROM due_date_settings").await, 4, "one row per kind, updated in place");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'due_dates.updated'").await, 2);
}

async fn a_wrong_budget_is_refused_and_nothing_is_saved(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let refused = app_error(admin.call("save_due_dates", &budgets("abc", "0", "5", "10")).await).await;
    assert_eq!(refused.message_for("contact").as_deref(), Some(NOT_A_BUDGET));
    assert_eq!(refused.message_for("mas_referral").as_deref(), Some(NOT_A_BUDGET));
    assert_eq!(refused.message_for("appointment"), None);
    let refused = app_error(admin.call("save_due_dates", &budgets("2", "61", "5", "10")).await).await;
    assert_eq!(refused.message_for("mas_referral").as_deref(), Some(NOT_A_BUDGET));
    assert_eq!(app.count("SELECT COUNT(*) FROM due_date_settings").await, 0);

    // Without JavaScript the form comes back with the messages and the values typed.
    let back = admin.post_form("save_due_dates", BUDGETS, &budgets("4", "abc", "5", "10")).await;
    let back = location(&back);
    assert!(back.starts_with(BUDGETS) && back.contains("__err"), "{back}");
    let html = page_html(&admin, &back).await;
    assert!(main_text(&html).contains(NOT_A_BUDGET), "{html}");
    assert_eq!(input_value(&html, "mas_referral").as_deref(), Some("abc"));
    assert_eq!(input_value(&html, "contact").as_deref(), Some("4"));
    assert_eq!(app.count("SELECT COUNT(*) FROM due_date_settings").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'due_dates.updated'").await, 0);
}

async fn only_admins_set_the_answer_budgets(db: Db) {
    let app = TestApp::spawn(db).await;
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(app_error(agent.call("save_due_dates", &budgets("2", "20", "5", "10")).await).await, AppError::Forbidden);
    assert_eq!(app_error(agent.call("due_dates", &[]).await).await, AppError::Forbidden);
    assert_eq!(agent.get(BUDGETS).await.status(), StatusCode::FORBIDDEN);
    let partner = app.signed_in(PARTNER).await;
    assert_eq!(app_error(partner.call("save_due_dates", &budgets("2", "20", "5", "10")).await).await, AppError::Forbidden);
    assert_eq!(app.count("SELECT COUNT(*) FROM due_date_settings").await, 0);
}

async fn a_budget_set_by_the_admin_gives_new_requests_their_due_date(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    assert_eq!(admin.call("save_due_dates", &budgets("2", "20", "5", "10")).await.status(), StatusCode::OK);
    let (_, reference) = referral(&app, "Veil").await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris).date_naive();
    let due = app::domain::due_date::add_business_days(today, 20);
    let sql = format!("SELECT COUNT(*) FROM requests WHERE reference = '{reference}' AND due_on = '{}'", due.format("%Y-%m-%d"));
    assert_eq!(app.count(&sql).await, 1, "due on {due}");
}
