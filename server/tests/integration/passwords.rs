//! Choosing a password (issue 13): weak ones are refused with their French reason on the reset, activation and
//! change forms alike; the change page asks for the current password, ends the other sessions and is throttled
//! like sign-in; any password change revokes every outstanding one-time link.

use crate::fixtures::{ADMIN_91, AGENT_91, EVRY_SIRET, GRIGNY, PARTNER};
use crate::on_both_databases;
use crate::support::{Browser, Db, PASSWORD, TestApp, app_error, location, main_text};
use app::dto::error::AppError;
use reqwest::StatusCode;

on_both_databases!(
    weak_passwords_are_refused_with_their_reason_on_the_reset_form,
    weak_passwords_are_refused_with_their_reason_on_the_activation_form,
    weak_passwords_are_refused_with_their_reason_on_the_change_form,
    changing_the_password_requires_the_right_current_one_under_the_sign_in_throttle,
    after_a_change_the_old_password_fails_the_new_one_works_and_other_sessions_end,
    a_password_change_revokes_every_outstanding_link,
    anonymous_visitors_of_the_change_page_are_sent_to_sign_in,
);

const CHANGE_PAGE: &str = "/compte/mot-de-passe";
const RESET_PAGE: &str = "/mot-de-passe/nouveau";
const INVITATION_PAGE: &str = "/compte/activer";

/// The weak passwords of the issue, and what the message next to the field says about each.
const WEAK: [(&str, &str); 3] = [
    ("Password123!", "Ce mot de passe fait partie des plus courants"),
    ("aaaaaaaaaaaaaaaa", "Ce mot de passe est trop facile à deviner : les répétitions"),
    ("Motdepasse2026", "Ce mot de passe fait partie des plus courants"),
];
const STRONG: &str = "Tigre-Lune-Voilier-Ocre";
const ANOTHER_STRONG: &str = "cheval agrafe batterie correcte";

/// The tokens of every link to `page` e-mailed to `email` so far (read from the outbox).
async fn links_sent_to(app: &TestApp, email: &str, page: &str) -> Vec<String> {
    let marker = format!("{page}?jeton=");
    app.texts(&format!("SELECT text_body FROM outbox WHERE recipient = '{email}'"))
        .await
        .into_iter()
        .filter_map(|body| {
            let start = body.find(&marker)? + marker.len();
            Some(body[start..].chars().take_while(char::is_ascii_hexdigit).collect())
        })
        .collect()
}

/// Asks "Mot de passe oublié ?" for `email` and returns the token of the link that was sent.
async fn ask_reset_link(app: &TestApp, email: &str) -> String {
    let before = links_sent_to(app, email, RESET_PAGE).await;
    assert_eq!(app.browser().call("ask_password_reset", &[("email", email)]).await.status(), StatusCode::OK);
    let token = links_sent_to(app, email, RESET_PAGE).await.into_iter().find(|t| !before.contains(t)).expect("a new reset link");
    assert_eq!(token.len(), 64);
    token
}

/// The message next to the password field after choosing `password` through a link.
async fn refusal_through_link(browser: &Browser, token: &str, password: &str) -> String {
    let error = app_error(browser.call("choose_password", &[("token", token), ("password", password), ("confirmation", password)]).await).await;
    error.message_for("password").unwrap_or_else(|| panic!("{password} should be refused on its field: {error:?}"))
}

/// Posts a refused form without JavaScript, follows the redirect back, and returns the page's HTML.
async fn refused_without_javascript(browser: &Browser, endpoint: &str, page: &str, form: &[(&str, &str)]) -> String {
    let refused = browser.post_form(endpoint, page, form).await;
    assert_eq!(refused.status(), StatusCode::FOUND);
    let back = location(&refused);
    let path = page.split('?').next().unwrap_or(page);
    assert!(back.starts_with(&format!("{path}?")), "back to the form: {back}");
    browser.get(&back).await.text().await.expect("html")
}

async fn weak_passwords_are_refused_with_their_reason_on_the_reset_form(db: Db) {
    let app = TestApp::spawn(db).await;
    let token = ask_reset_link(&app, PARTNER).await;
    let visitor = app.browser();
    for (weak, reason) in WEAK {
        let message = refusal_through_link(&visitor, &token, weak).await;
        assert!(message.starts_with(reason), "{weak}: {message}");
    }
    let own = refusal_through_link(&visitor, &token, "Partenaire.CCAS-Evry-2026").await;
    assert!(own.contains("reprend votre adresse e-mail"), "{own}");

    // Without JavaScript the form comes back with the summary and the message, never the password typed.
    let page = format!("{RESET_PAGE}?jeton={token}");
    let form = [("token", token.as_str()), ("password", "Motdepasse2026"), ("confirmation", "Motdepasse2026")];
    let html = refused_without_javascript(&visitor, "choose_password", &page, &form).await;
    let text = main_text(&html);
    assert!(text.contains("Le formulaire contient des erreurs") && text.contains("fait partie des plus courants"), "{text}");
    assert!(!html.contains("Motdepasse2026"), "the password typed is never sent back");

    // Refusals do not use the link up: a strong password is then accepted, and it is the one that signs in.
    let chosen = visitor.call("choose_password", &[("token", &token), ("password", STRONG), ("confirmation", STRONG)]).await;
    assert_eq!(chosen.status(), StatusCode::OK);
    assert_eq!(app.browser().sign_in_js(PARTNER, STRONG).await.status(), StatusCode::OK);
    assert_eq!(app_error(app.browser().sign_in_js(PARTNER, PASSWORD).await).await, AppError::InvalidCredentials);
}

async fn weak_passwords_are_refused_with_their_reason_on_the_activation_form(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let invitee = "gwendoline.kerjean@example.org";
    let structure = app.text(&format!("SELECT id FROM partner_structures WHERE siret = '{EVRY_SIRET}'")).await;
    let back = format!("/admin/structures/{structure}");
    let form = [
        ("email", invitee),
        ("first_name", "Gwendoline"),
        ("last_name", "Kerjean"),
        ("role", "partner_agent"),
        ("structure_id", &structure),
        ("back", &back),
    ];
    assert_eq!(admin.call("invite_account", &form).await.status(), StatusCode::OK);
    let token = links_sent_to(&app, invitee, INVITATION_PAGE).await.pop().expect("an invitation link");

    let visitor = app.browser();
    for (weak, reason) in WEAK {
        let message = refusal_through_link(&visitor, &token, weak).await;
        assert!(message.starts_with(reason), "{weak}: {message}");
    }
    let name = refusal_through_link(&visitor, &token, "Gwendoline1985!").await;
    assert!(name.contains("reprend votre prénom ou votre nom"), "{name}");
    let address = refusal_through_link(&visitor, &token, "Gwendoline-Kerjean-7").await;
    assert!(address.contains("reprend votre adresse e-mail"), "{address}");
    let page = format!("{INVITATION_PAGE}?jeton={token}");
    let form = [("token", token.as_str()), ("password", "aaaaaaaaaaaaaaaa"), ("confirmation", "aaaaaaaaaaaaaaaa")];
    let text = main_text(&refused_without_javascript(&visitor, "choose_password", &page, &form).await);
    assert!(text.contains("Activer votre compte") && text.contains("trop facile à deviner"), "{text}");

    let chosen = visitor.post_form("choose_password", &page, &[("token", &token), ("password", STRONG), ("confirmation", STRONG)]).await;
    assert_eq!(location(&chosen), "/login?active=1");
    assert_eq!(app.browser().sign_in_js(invitee, STRONG).await.status(), StatusCode::OK);
}

async fn weak_passwords_are_refused_with_their_reason_on_the_change_form(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    for (weak, reason) in WEAK {
        let error = app_error(partner.call("change_password", &[("current", PASSWORD), ("password", weak), ("confirmation", weak)]).await).await;
        assert!(error.message_for("password").is_some_and(|m| m.starts_with(reason)), "{weak}: {error:?}");
        assert_eq!(error.message_for("current"), None, "the current password was right");
    }
    let own = app_error(
        partner
            .call(
                "change_password",
                &[("current", PASSWORD), ("password", "Partenaire.CCAS-Evry-2026"), ("confirmation", "Partenaire.CCAS-Evry-2026")],
            )
            .await,
    )
    .await;
    assert!(own.message_for("password").is_some_and(|m| m.contains("reprend votre adresse e-mail")), "{own:?}");
    let same = app_error(partner.call("change_password", &[("current", PASSWORD), ("password", PASSWORD), ("confirmation", PASSWORD)]).await).await;
    assert_eq!(same.message_for("password").as_deref(), Some("Choisissez un mot de passe différent de l'actuel."));
    let mismatch =
        app_error(partner.call("change_password", &[("current", PASSWORD), ("password", STRONG), ("confirmation", ANOTHER_STRONG)]).await).await;
    assert_eq!(mismatch.message_for("confirmation").as_deref(), Some("Les deux saisies ne sont pas identiques."));

    // Without JavaScript: back to the page with the summary and each message, the passwords typed never sent back.
    let form = [("current", PASSWORD), ("password", "aaaaaaaaaaaaaaaa"), ("confirmation", "aaaaaaaaaaaaaaaa")];
    let html = refused_without_javascript(&partner, "change_password", CHANGE_PAGE, &form).await;
    let text = main_text(&html);
    assert!(text.contains("Le formulaire contient des erreurs") && text.contains("trop facile à deviner : les répétitions"), "{text}");
    assert!(!html.contains("aaaaaaaaaaaaaaaa") && !html.contains(PASSWORD), "no password in the page");

    // Nothing changed so far; a strong password is accepted.
    assert_eq!(app.browser().sign_in_js(PARTNER, PASSWORD).await.status(), StatusCode::OK);
    let changed = partner.call("change_password", &[("current", PASSWORD), ("password", STRONG), ("confirmation", STRONG)]).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(app.browser().sign_in_js(PARTNER, STRONG).await.status(), StatusCode::OK);
}

async fn changing_the_password_requires_the_right_current_one_under_the_sign_in_throttle(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let with_current = |current: &'static str| [("current", current), ("password", STRONG), ("confirmation", STRONG)];
    let wrong = app_error(partner.call("change_password", &with_current("pas-le-bon")).await).await;
    assert_eq!(wrong.message_for("current").as_deref(), Some("Le mot de passe actuel est incorrect."));
    assert_eq!(wrong.message_for("password"), None, "the new one was fine");
    let missing = app_error(partner.call("change_password", &with_current("")).await).await;
    assert_eq!(missing.message_for("current").as_deref(), Some("Saisissez votre mot de passe actuel."));
    // Nothing changed.
    assert_eq!(app.browser().sign_in_js(PARTNER, PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(app_error(app.browser().sign_in_js(PARTNER, STRONG).await).await, AppError::InvalidCredentials);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'password.change_refused' AND detail = 'wrong_password'").await, 1);

    // Wrong current passwords count with failed sign-ins: 1 + 1 so far, 3 more reach the limit of 5 …
    for _ in 0..3 {
        let wrong = app_error(partner.call("change_password", &with_current("devine-encore")).await).await;
        assert!(wrong.message_for("current").is_some(), "{wrong:?}");
    }
    // … after which not even the right one is tried, here or at sign-in.
    assert_eq!(app_error(partner.call("change_password", &with_current(PASSWORD)).await).await, AppError::TooManyAttempts);
    assert_eq!(app_error(app.browser().sign_in_js(PARTNER, PASSWORD).await).await, AppError::TooManyAttempts);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'password.changed'").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE detail LIKE '%devine%' OR detail LIKE '%Tigre%'").await,
        0,
        "passwords never reach the log"
    );
}

async fn after_a_change_the_old_password_fails_the_new_one_works_and_other_sessions_end(db: Db) {
    let app = TestApp::spawn(db).await;
    let here = app.signed_in(PARTNER).await;
    let elsewhere = app.signed_in(PARTNER).await;
    let colleague = app.signed_in(GRIGNY).await;
    let before = here.session_cookie().expect("a session cookie");

    let changed = here.post_form("change_password", CHANGE_PAGE, &[("current", PASSWORD), ("password", STRONG), ("confirmation", STRONG)]).await;
    assert_eq!(changed.status(), StatusCode::FOUND);
    assert_eq!(location(&changed), "/compte/mot-de-passe?fait=1");

    // This session goes on, under a new id; the person's other session is over; a colleague's is untouched.
    let page = here.get("/compte/mot-de-passe?fait=1").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(main_text(&page.text().await.expect("html")).contains("Votre mot de passe a été changé"));
    assert_eq!(here.get("/partenaire/demandes").await.status(), StatusCode::OK);
    assert_ne!(here.session_cookie().as_deref(), Some(before.as_str()), "a fresh session id");
    let replay = app.browser_with(jar_with(&app, &before));
    assert_eq!(replay.get("/partenaire/demandes").await.status(), StatusCode::SEE_OTHER, "the old id is gone");
    assert_eq!(elsewhere.get("/partenaire/demandes").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(colleague.get("/partenaire/demandes").await.status(), StatusCode::OK);

    // The old password fails, the new one works.
    assert_eq!(app_error(app.browser().sign_in_js(PARTNER, PASSWORD).await).await, AppError::InvalidCredentials);
    assert_eq!(app.browser().sign_in_js(PARTNER, STRONG).await.status(), StatusCode::OK);

    // Announced by e-mail through the outbox, and audited.
    let notices =
        app.texts(&format!("SELECT text_body FROM outbox WHERE recipient = '{PARTNER}' AND subject LIKE '%mot de passe a été modifié%'")).await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("Si vous n'êtes pas à l'origine de ce changement"), "{}", notices[0]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'password.changed' AND actor_label = '{PARTNER}' AND detail = 'other_sessions_ended=1'"
        ))
        .await,
        1
    );
}

fn jar_with(app: &TestApp, session: &str) -> std::sync::Arc<reqwest::cookie::Jar> {
    let jar = reqwest::cookie::Jar::default();
    jar.add_cookie_str(&format!("ep_session={session}; Path=/"), &app.base.parse().expect("url"));
    std::sync::Arc::new(jar)
}

async fn a_password_change_revokes_every_outstanding_link(db: Db) {
    let app = TestApp::spawn(db).await;
    let first = ask_reset_link(&app, PARTNER).await;
    let second = ask_reset_link(&app, PARTNER).await;
    assert_ne!(first, second);
    let visitor = app.browser();
    let chosen = visitor.call("choose_password", &[("token", &second), ("password", STRONG), ("confirmation", STRONG)]).await;
    assert_eq!(chosen.status(), StatusCode::OK);

    // The older link, never used, no longer works.
    let refused =
        app_error(visitor.call("choose_password", &[("token", &first), ("password", ANOTHER_STRONG), ("confirmation", ANOTHER_STRONG)]).await).await;
    assert!(matches!(refused, AppError::Conflict(ref m) if m.contains("n'est plus valable")), "{refused:?}");
    let page = main_text(&visitor.get(&format!("{RESET_PAGE}?jeton={first}")).await.text().await.expect("html"));
    assert!(page.contains("n'est plus valable"), "{page}");
    assert_eq!(app.browser().sign_in_js(PARTNER, STRONG).await.status(), StatusCode::OK, "the password set with the second link stays");

    // A change on the change page revokes outstanding links too.
    let third = ask_reset_link(&app, PARTNER).await;
    let partner = app.browser();
    assert_eq!(partner.sign_in_js(PARTNER, STRONG).await.status(), StatusCode::OK);
    let changed = partner.call("change_password", &[("current", STRONG), ("password", ANOTHER_STRONG), ("confirmation", ANOTHER_STRONG)]).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let refused = app_error(visitor.call("choose_password", &[("token", &third), ("password", STRONG), ("confirmation", STRONG)]).await).await;
    assert!(matches!(refused, AppError::Conflict(_)), "{refused:?}");
    let account = app.text(&format!("SELECT id FROM accounts WHERE email = '{PARTNER}'")).await;
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM password_resets WHERE account_id = '{account}' AND used_at IS NULL")).await, 0);
    assert_eq!(app.browser().sign_in_js(PARTNER, ANOTHER_STRONG).await.status(), StatusCode::OK);
}

async fn anonymous_visitors_of_the_change_page_are_sent_to_sign_in(db: Db) {
    let app = TestApp::spawn(db).await;
    let visitor = app.browser();
    let page = visitor.get(CHANGE_PAGE).await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&page), "/login?suite=/compte/mot-de-passe");
    let call = app_error(visitor.call("change_password", &[("current", PASSWORD), ("password", STRONG), ("confirmation", STRONG)]).await).await;
    assert_eq!(call, AppError::Unauthenticated);
    let password =
        visitor.post_form("login", "/login?suite=/compte/mot-de-passe", &[("email", PARTNER), ("password", PASSWORD), ("suite", CHANGE_PAGE)]).await;
    assert_eq!(location(&password), "/login/code");
    assert_eq!(location(&visitor.code_step_form(PARTNER).await), CHANGE_PAGE, "back to the page that asked for it");

    // Every role has the page, linked from the frame's account box and from the notifications page.
    for email in [PARTNER, AGENT_91, ADMIN_91] {
        let browser = app.signed_in(email).await;
        let html = browser.get(CHANGE_PAGE).await.text().await.expect("html");
        let text = main_text(&html);
        assert!(
            text.contains("Mot de passe actuel") && text.contains("Nouveau mot de passe") && text.contains("Confirmez le nouveau mot de passe"),
            "{email}: {text}"
        );
        assert!(html.contains(r#"href="/compte/securite""#), "{email}: the account's security, linked from the frame");
        let security = browser.get("/compte/securite").await.text().await.expect("html");
        assert!(security.contains(r#"href="/compte/mot-de-passe""#), "{email}: the change page, linked from the security page");
        let notifications = browser.get("/compte/notifications").await.text().await.expect("html");
        assert!(main_text(&notifications).contains("Changer de mot de passe"), "{email}");
    }
}
