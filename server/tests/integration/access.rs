//! Who may open what: role homes, 403 for other roles, sign-in first for anonymous visitors,
//! server functions refusing the wrong role, and cross-site requests refused.

use crate::fixtures::{ADMIN_91, AGENT_59, AGENT_91, GRIGNY, NEWCOMER, PARTNER, SUSPENDED};
use crate::on_both_databases;
use crate::support::{Db, TestApp, app_error, location, main_text};
use app::dto::error::AppError;
use reqwest::StatusCode;

on_both_databases!(
    anonymous_visitors_are_sent_to_sign_in,
    another_roles_page_answers_a_french_403,
    server_functions_refuse_the_wrong_role_and_anonymous_callers,
    each_home_shows_only_the_signed_in_persons_own_caisse_or_structure,
    gating_is_visible_on_the_partner_home,
    a_cross_site_post_carrying_the_victims_cookie_is_refused,
    a_deep_link_opens_with_its_filters_after_signing_in,
);

async fn anonymous_visitors_are_sent_to_sign_in(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    for path in ["/partenaire/demandes", "/caisse/file", "/admin", "/admin/structures"] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), format!("/login?suite={path}"));
    }
    assert_eq!(location(&browser.get("/").await), "/login");
    let login = browser.get("/login").await;
    assert_eq!(login.status(), StatusCode::OK);
    let html = login.text().await.expect("html");
    assert!(html.contains(r#"<html lang="fr""#), "French document");
    assert!(html.contains(r#"<label for="email">Adresse e-mail</label>"#));
}

async fn a_deep_link_opens_with_its_filters_after_signing_in(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = app.browser();
    let wanted = "/caisse/file?statut=open&tri=echeance";
    let response = browser.get(wanted).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?suite=/caisse/file%3Fstatut%3Dopen%26tri%3Decheance");
    // The sign-in form carries `suite` as the page received it, decoded.
    let signed_in = browser
        .post_form(
            "login",
            "/login?suite=/caisse/file%3Fstatut%3Dopen%26tri%3Decheance",
            &[("email", AGENT_91), ("password", crate::support::PASSWORD), ("suite", wanted)],
        )
        .await;
    assert_eq!(location(&signed_in), "/login/code", "the code first");
    let signed_in = browser.code_step_form(AGENT_91).await;
    assert!(signed_in.status().is_redirection(), "{}", signed_in.status());
    assert_eq!(location(&signed_in), wanted);
    let queue = browser.get(wanted).await;
    assert_eq!(queue.status(), StatusCode::OK);
}

async fn another_roles_page_answers_a_french_403(db: Db) {
    let app = TestApp::spawn(db).await;
    for (email, forbidden) in
        [(PARTNER, ["/caisse/file", "/admin"]), (AGENT_91, ["/partenaire/demandes", "/admin"]), (ADMIN_91, ["/partenaire/demandes", "/caisse/file"])]
    {
        let browser = app.signed_in(email).await;
        for path in forbidden {
            let response = browser.get(path).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{email} on {path}");
            let text = main_text(&response.text().await.expect("html"));
            assert!(text.contains("Accès refusé"), "{email} on {path}: {text}");
        }
    }
}

async fn server_functions_refuse_the_wrong_role_and_anonymous_callers(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    assert_eq!(app_error(partner.call("admin_overview", &[]).await).await, AppError::Forbidden);
    assert_eq!(app_error(partner.call("caisse_home", &[]).await).await, AppError::Forbidden);
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(app_error(agent.call("partner_home", &[]).await).await, AppError::Forbidden);
    let anonymous = app.browser();
    for endpoint in ["partner_home", "caisse_home", "admin_overview"] {
        assert_eq!(app_error(anonymous.call(endpoint, &[]).await).await, AppError::Unauthenticated, "{endpoint}");
    }
}

async fn each_home_shows_only_the_signed_in_persons_own_caisse_or_structure(db: Db) {
    let app = TestApp::spawn(db).await;
    let essonne_admin = app.signed_in(ADMIN_91).await;
    let overview: serde_json::Value = essonne_admin.call("admin_overview", &[]).await.json().await.expect("json");
    let names: Vec<&str> = overview["structures"].as_array().expect("rows").iter().filter_map(|s| s["name"].as_str()).collect();
    assert!(names.contains(&"CCAS d'Évry-Courcouronnes"));
    assert!(!names.iter().any(|n| n.contains("Fourmies") || n.contains("Valenciennes")), "no Hainaut structure: {names:?}");

    let hainaut_agent = app.signed_in(AGENT_59).await;
    let home: serde_json::Value = hainaut_agent.call("caisse_home", &[]).await.json().await.expect("json");
    assert_eq!(home["caisse_name"], "CPAM du Hainaut");
    assert_eq!(home["structures"], 3);

    let grigny = app.signed_in(GRIGNY).await;
    let home: serde_json::Value = grigny.call("partner_home", &[]).await.json().await.expect("json");
    assert_eq!(home["structure_name"], "Mission locale de Grigny");
    assert_eq!(home["caisse_name"], "CPAM de l'Essonne");
}

async fn gating_is_visible_on_the_partner_home(db: Db) {
    let app = TestApp::spawn(db).await;
    let blocked = |home: &serde_json::Value| -> Vec<String> {
        home["kinds"].as_array().expect("kinds").iter().filter_map(|f| f["blocked"].as_str().map(str::to_owned)).collect()
    };
    let trained: serde_json::Value = app.signed_in(PARTNER).await.call("partner_home", &[]).await.json().await.expect("json");
    assert!(blocked(&trained).is_empty(), "{trained}");
    let untrained: serde_json::Value = app.signed_in(NEWCOMER).await.call("partner_home", &[]).await.json().await.expect("json");
    assert_eq!(blocked(&untrained).len(), 4);
    assert!(blocked(&untrained)[0].contains("formation"));
    let suspended = app.signed_in(SUSPENDED).await;
    let page = suspended.get("/partenaire/demandes").await;
    assert_eq!(page.status(), StatusCode::OK, "the history stays readable");
    assert!(main_text(&page.text().await.expect("html")).contains("convention de votre structure est suspendue"));
}

async fn a_cross_site_post_carrying_the_victims_cookie_is_refused(db: Db) {
    let app = TestApp::spawn(db).await;
    let victim = app.signed_in(ADMIN_91).await;
    for headers in [vec![("Origin", "https://attaquant.example"), ("Sec-Fetch-Site", "cross-site")], vec![("Origin", "https://attaquant.example")]] {
        let mut request = victim.client.post(victim.url("/api/logout")).header("Accept", "text/html");
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("post");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
        let html = response.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
        assert!(html, "a page the lured browser shows");
        let page = response.text().await.expect("body");
        assert!(page.contains("lang=\"fr\"") && page.contains("<h1>Requête refusée</h1>") && page.contains("rien n'a été enregistré"), "{page}");
    }
    assert_eq!(victim.get("/admin").await.status(), StatusCode::OK, "the victim is still signed in");
}
