//! The accessibility statement: public, linked from every page's footer, its text edited by national admins only
//! (with or without JavaScript), audited, and shown as text, never as HTML.

use crate::fixtures::{ADMIN_91, NATIONAL, PARTNER};
use crate::on_both_databases;
use crate::support::{Db, TestApp, app_error, location, main_text, textarea};
use app::dto::error::AppError;
use reqwest::StatusCode;

on_both_databases!(
    the_statement_is_public_and_linked_from_every_footer,
    a_national_admin_edits_the_statement_and_nobody_else_can,
    a_refused_statement_comes_back_as_typed_without_javascript,
);

const EDITOR: &str = "/admin/accessibilite";

async fn the_statement_is_public_and_linked_from_every_footer(db: Db) {
    let app = TestApp::spawn(db).await;
    let anonymous = app.browser();
    let page = anonymous.get("/accessibilite").await;
    assert_eq!(page.status(), StatusCode::OK, "no sign-in needed");
    let html = page.text().await.expect("html");
    let text = main_text(&html);
    assert!(text.contains("Déclaration d'accessibilité") && text.contains("État de conformité") && text.contains("Défenseur des droits"), "{text}");
    assert!(html.contains("<h2>Voies de recours</h2>"), "headings are headings");
    assert!(!text.contains("Modifier la déclaration"));
    let partner = app.signed_in(PARTNER).await;
    for (browser, path) in
        [(&anonymous, "/login"), (&anonymous, "/accessibilite"), (&partner, "/partenaire/demandes"), (&partner, "/partenaire/historique")]
    {
        let html = browser.get(path).await.text().await.expect("html");
        let footer = &html[html.find("<footer").expect("a footer")..];
        assert!(footer.contains(r#"<a href="/accessibilite">Accessibilité : partiellement conforme</a>"#), "{path}: {footer}");
    }
}

async fn a_national_admin_edits_the_statement_and_nobody_else_can(db: Db) {
    let app = TestApp::spawn(db).await;
    let text = "Texte propre à la caisse nationale.\n\n## État de conformité\nPartiellement conforme.\n- <script>alert(1)</script>\n- second point";

    for outsider in [ADMIN_91, PARTNER] {
        let browser = app.signed_in(outsider).await;
        let refused = browser.call("save_accessibility_statement", &[("text", text)]).await;
        assert_eq!(app_error(refused).await, AppError::Forbidden, "{outsider}");
        assert_eq!(browser.get(EDITOR).await.status(), StatusCode::FORBIDDEN, "{outsider}");
        assert!(!main_text(&browser.get("/accessibilite").await.text().await.expect("html")).contains("Modifier la déclaration"));
    }

    let national = app.signed_in(NATIONAL).await;
    let statement = national.get("/accessibilite").await.text().await.expect("html");
    assert!(statement.contains(r#"<a href="/admin/accessibilite">Modifier la déclaration</a>"#));
    let editor = national.get(EDITOR).await.text().await.expect("html");
    assert!(textarea(&editor, "text").is_some_and(|typed| typed.contains("## Voies de recours")), "the default text, to edit");
    assert_eq!(national.call("save_accessibility_statement", &[("text", text)]).await.status(), StatusCode::OK);

    let page = app.browser().get("/accessibilite").await.text().await.expect("html");
    let shown = main_text(&page);
    assert!(shown.contains("Texte propre à la caisse nationale.") && shown.contains("second point") && shown.contains("Mise à jour le"), "{shown}");
    assert!(!shown.contains("Défenseur des droits"), "the new text replaced the default");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script>alert(1)"), "text, never HTML");
    let audit = app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'accessibility.updated' AND caisse_id IS NULL").await;
    assert_eq!(audit, 1);
}

async fn a_refused_statement_comes_back_as_typed_without_javascript(db: Db) {
    let app = TestApp::spawn(db).await;
    let national = app.signed_in(NATIONAL).await;
    let typed = "Un texte sans intertitre, gardé tel quel.";
    let back = location(&national.post_form("save_accessibility_statement", EDITOR, &[("text", typed)]).await);
    assert!(back.starts_with(EDITOR) && back.contains("__err"), "{back}");
    let page = national.get(&back).await.text().await.expect("html");
    assert!(main_text(&page).contains("Gardez au moins un intertitre"), "{}", main_text(&page));
    assert_eq!(textarea(&page, "text").as_deref(), Some(typed));
    assert_eq!(app.count("SELECT COUNT(*) FROM site_texts").await, 0, "nothing kept");

    let saved = national.post_form("save_accessibility_statement", EDITOR, &[("text", "## Titre\nCorrigé.")]).await;
    assert_eq!(location(&saved), "/accessibilite?fait=1");
    let text = main_text(&national.get("/accessibilite?fait=1").await.text().await.expect("html"));
    assert!(text.contains("La déclaration a été enregistrée.") && text.contains("Corrigé."), "{text}");
}
