//! Administration over HTTP: structures, conventions and the gate they put on submissions, invitations,
//! accounts; and every admin action refused to another caisse's admin and to non-admins.

use crate::fixtures::{
    ADMIN_59, ADMIN_91, AGENT_91, Convention, EVRY_SIRET, FOURMIES, GRIGNY, NATIONAL, NEWCOMER, PARTNER, account_id, structure, structure_id,
};
use crate::mail::{app_with, deliver, readable};
use crate::on_both_databases;
use crate::support::{Browser, Db, PASSWORD, SmtpServer, TestApp, app_error, location, main_text};
use crate::triage::referral;
use app::dto::error::AppError;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

on_both_databases!(
    an_admin_adds_a_structure_and_finds_it,
    a_wrong_or_taken_siret_is_refused_next_to_the_field,
    another_caisses_admin_touches_nothing_of_this_caisse,
    non_admins_are_refused_every_admin_action,
    a_convention_is_drafted_signed_with_its_pdf_and_in_force_from_its_start,
    a_suspended_convention_stops_submissions_but_keeps_the_history,
    a_convention_ending_soon_is_listed_and_renewed_by_a_following_draft,
    an_invited_agent_chooses_a_password_and_signs_in,
    deactivating_an_account_ends_its_sessions_at_once,
    roles_teams_and_training_are_set_by_the_admin,
    accounts_unused_for_six_months_are_flagged,
    the_navigation_marks_the_page_being_seen,
);

const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn page(browser: &Browser, path: &str) -> (StatusCode, String) {
    let response = browser.get(path).await;
    let status = response.status();
    (status, main_text(&response.text().await.expect("html")))
}

async fn convention_of(app: &TestApp, siret: &str) -> String {
    app.text(&format!("SELECT c.id FROM conventions c JOIN partner_structures s ON s.id = c.structure_id WHERE s.siret = '{siret}' ORDER BY c.starts_on DESC LIMIT 1")).await
}

const NEW_STRUCTURE: [(&str, &str); 6] = [
    ("name", "CCAS de Massy"),
    ("kind", "ccas"),
    ("siret", "217 703 776 00013"),
    ("address", "1 avenue du Général de Gaulle"),
    ("postal_code", "91300"),
    ("commune", "Massy"),
];

fn today() -> chrono::NaiveDate {
    app::server::time_fr::paris_day(chrono::Utc::now())
}

async fn an_admin_adds_a_structure_and_finds_it(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    // Without JavaScript: a plain form, then the new structure's page.
    let posted = admin.post_form("create_structure", "/admin/structures", &NEW_STRUCTURE).await;
    let id = structure_id(&app, "21770377600013").await;
    assert_eq!(location(&posted), format!("/admin/structures/{id}?fait=creation"));
    let (status, text) = page(&admin, &format!("/admin/structures/{id}?fait=creation")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("La structure a été ajoutée") && text.contains("CCAS de Massy") && text.contains("217 703 776 00013"), "{text}");
    assert!(text.contains("Aucune convention"), "{text}");
    assert_eq!(
        app.text(&format!("SELECT caisse_id FROM partner_structures WHERE id = '{id}'")).await,
        app.text(&format!("SELECT caisse_id FROM accounts WHERE email = '{ADMIN_91}'")).await
    );
    // Search by name (any case), by commune, by SIRET digits; another caisse's structures never show.
    for search in ["massy", "MASSY", "21770377"] {
        let (_, text) = page(&admin, &format!("/admin/structures?recherche={search}")).await;
        assert!(text.contains("CCAS de Massy") && text.contains("1 structure pour"), "{search}: {text}");
    }
    // Accents, case and hyphens folded, as everywhere else: « Évry », « évry » and « Evry » find the CCAS.
    let (_, accented) = page(&admin, "/admin/structures?recherche=%C3%89vry").await;
    assert!(accented.contains("CCAS d'Évry-Courcouronnes") && !accented.contains("Mission locale de Grigny"), "{accented}");
    let listed = |text: &str| text.split_once("Structures partenaires, par nom").map(|(_, table)| table.to_owned()).expect("the table");
    for search in ["%C3%A9vry", "Evry", "EVRY", "evry-courcouronnes"] {
        let (_, text) = page(&admin, &format!("/admin/structures?recherche={search}")).await;
        assert_eq!(listed(&text), listed(&accented), "{search} finds what « Évry » finds");
    }
    let (_, all) = page(&admin, "/admin/structures").await;
    assert!(all.contains("Mission locale de Grigny") && !all.contains("Fourmies"), "{all}");
    // The edit keeps the SIRET rule and is audited.
    let mut edit: Vec<(&str, &str)> = NEW_STRUCTURE.to_vec();
    edit[0] = ("name", "CCAS de Massy (Essonne)");
    edit.push(("id", &id));
    assert_eq!(admin.call("update_structure", &edit).await.status(), StatusCode::OK);
    assert_eq!(app.text(&format!("SELECT name FROM partner_structures WHERE id = '{id}'")).await, "CCAS de Massy (Essonne)");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('structure.created', 'structure.updated')").await, 2);
}

async fn a_wrong_or_taken_siret_is_refused_next_to_the_field(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let before = app.count("SELECT COUNT(*) FROM partner_structures").await;
    let mut wrong = NEW_STRUCTURE.to_vec();
    wrong[2] = ("siret", "217 703 776 00014");
    wrong[4] = ("postal_code", "913");
    let error = app_error(admin.call("create_structure", &wrong).await).await;
    assert!(error.message_for("siret").is_some_and(|m| m.contains("n'est pas valide")), "{error:?}");
    assert!(error.message_for("postal_code").is_some(), "{error:?}");
    let mut taken = NEW_STRUCTURE.to_vec();
    taken[2] = ("siret", EVRY_SIRET);
    let error = app_error(admin.call("create_structure", &taken).await).await;
    assert!(error.message_for("siret").is_some_and(|m| m.contains("déjà")), "{error:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM partner_structures").await, before, "nothing saved");
    // Without JavaScript the form comes back as it was typed, with the message next to the field.
    let posted = admin.post_form("create_structure", "/admin/structures", &wrong).await;
    let back = location(&posted);
    assert!(back.starts_with("/admin/structures"), "{back}");
    let html = admin.get(&back).await.text().await.expect("html");
    assert!(html.contains("217 703 776 00014") && html.contains("CCAS de Massy"), "what was typed comes back");
    assert!(main_text(&html).contains("n'est pas valide"), "{}", main_text(&html));
}

async fn another_caisses_admin_touches_nothing_of_this_caisse(db: Db) {
    let app = TestApp::spawn(db).await;
    let outsider = app.signed_in(ADMIN_59).await;
    let structure = structure_id(&app, EVRY_SIRET).await;
    let convention = convention_of(&app, EVRY_SIRET).await;
    let partner = account_id(&app, PARTNER).await;
    let (status, text) = page(&outsider, &format!("/admin/structures/{structure}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(text.contains("Accès refusé") && text.contains("Cette page est réservée à un autre profil que le vôtre."), "{text}");
    assert_eq!(page(&outsider, &format!("/admin/comptes/{partner}")).await.0, StatusCode::FORBIDDEN);
    let mut edit: Vec<(&str, &str)> = NEW_STRUCTURE.to_vec();
    edit.push(("id", &structure));
    let agent = account_id(&app, AGENT_91).await;
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("admin_structure", vec![("id", &structure)]),
        ("update_structure", edit),
        ("save_convention", vec![("structure_id", &structure), ("starts_on", "2027-01-01"), ("contact", "oui")]),
        ("act_on_convention", vec![("id", &convention), ("action", "suspend"), ("reason", "Essai")]),
        (
            "invite_account",
            vec![("email", "x@example.org"), ("first_name", "X"), ("last_name", "Y"), ("role", "partner_agent"), ("structure_id", &structure)],
        ),
        ("admin_account", vec![("id", &partner)]),
        ("set_account_active", vec![("id", &partner), ("active", "false")]),
        ("record_training", vec![("id", &partner), ("trained_on", "2026-01-05")]),
        ("update_account", vec![("id", &agent), ("role", "admin")]),
    ];
    for (endpoint, form) in &calls {
        assert_eq!(app_error(outsider.call(endpoint, form).await).await, AppError::Forbidden, "{endpoint}");
    }
    let form = Form::new().text("structure_id", structure.clone()).part("document", Part::bytes(PDF.to_vec()).file_name("c.pdf"));
    let signed = outsider.post_multipart(&format!("/admin/conventions/{convention}/signature"), "/admin", form).await;
    assert_eq!(signed.status(), StatusCode::FORBIDDEN);
    assert_eq!(outsider.get(&format!("/admin/conventions/{convention}/document")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM conventions WHERE status = 'suspended' AND suspension_reason = 'Essai'").await, 0);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM accounts WHERE id = '{partner}' AND active = TRUE")).await, 1);
    // The national admin sees every caisse's structures.
    let national = app.signed_in(NATIONAL).await;
    assert_eq!(page(&national, &format!("/admin/structures/{structure}")).await.0, StatusCode::OK);
    let (_, all) = page(&national, "/admin/structures").await;
    assert!(all.contains("Fourmies") && all.contains("Grigny"), "{all}");
}

async fn non_admins_are_refused_every_admin_action(db: Db) {
    let app = TestApp::spawn(db).await;
    let structure = structure_id(&app, EVRY_SIRET).await;
    for email in [PARTNER, AGENT_91] {
        let browser = app.signed_in(email).await;
        for path in ["/admin/structures", &format!("/admin/structures/{structure}"), "/admin/comptes", "/admin/conventions"] {
            assert_eq!(browser.get(path).await.status(), StatusCode::FORBIDDEN, "{email} {path}");
        }
        for (endpoint, form) in [("admin_structures", vec![]), ("create_structure", NEW_STRUCTURE.to_vec()), ("expiring_conventions", vec![])] {
            assert_eq!(app_error(browser.call(endpoint, &form).await).await, AppError::Forbidden, "{email} {endpoint}");
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM partner_structures WHERE siret = '21770377600013'").await, 0);
}

async fn sign(admin: &Browser, convention: &str, structure: &str, name: &str, content: &[u8]) -> reqwest::Response {
    let form = Form::new().text("structure_id", structure.to_owned()).part("document", Part::bytes(content.to_vec()).file_name(name.to_owned()));
    admin.post_multipart(&format!("/admin/conventions/{convention}/signature"), &format!("/admin/structures/{structure}"), form).await
}

async fn a_convention_is_drafted_signed_with_its_pdf_and_in_force_from_its_start(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    admin.post_form("create_structure", "/admin/structures", &NEW_STRUCTURE).await;
    let structure = structure_id(&app, "21770377600013").await;
    let start = today().to_string();
    let end = (today() + chrono::Duration::days(365)).to_string();
    // Wrong dates and no function: every problem named.
    let error = app_error(admin.call("save_convention", &[("structure_id", &structure), ("starts_on", &end), ("ends_on", &start)]).await).await;
    assert!(error.message_for("ends_on").is_some() && error.message_for("kinds").is_some(), "{error:?}");
    let saved = admin
        .call(
            "save_convention",
            &[("structure_id", &structure), ("starts_on", &start), ("ends_on", &end), ("contact", "oui"), ("appointment", "oui")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let convention = convention_of(&app, "21770377600013").await;
    assert_eq!(app.text(&format!("SELECT status FROM conventions WHERE id = '{convention}'")).await, "draft");
    assert_eq!(app.text(&format!("SELECT kinds FROM conventions WHERE id = '{convention}'")).await, "contact,appointment");
    let (_, text) = page(&admin, &format!("/admin/structures/{structure}")).await;
    assert!(text.contains("Brouillon") && text.contains("Enregistrer la convention signée"), "{text}");
    // Not a PDF: refused, said next to the upload field, nothing changed.
    let refused = sign(&admin, &convention, &structure, "photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").await;
    assert_eq!(location(&refused), format!("/admin/structures/{structure}#convention-{convention}"));
    let (_, text) = page(&admin, &format!("/admin/structures/{structure}")).await;
    assert!(text.contains("« photo.png » n'est pas un PDF"), "{text}");
    assert_eq!(app.text(&format!("SELECT status FROM conventions WHERE id = '{convention}'")).await, "draft");
    // The PDF: signed, in force today (it starts today), and the document reads back.
    let signed = sign(&admin, &convention, &structure, "convention signée.pdf", PDF).await;
    assert_eq!(location(&signed), format!("/admin/structures/{structure}?fait=signature#convention-{convention}"));
    assert_eq!(app.text(&format!("SELECT status FROM conventions WHERE id = '{convention}'")).await, "signed");
    let (_, text) = page(&admin, &format!("/admin/structures/{structure}?fait=signature")).await;
    assert!(text.contains("La convention signée a été enregistrée") && text.contains("Active") && text.contains("convention signée.pdf"), "{text}");
    let document = admin.get(&format!("/admin/conventions/{convention}/document")).await;
    assert_eq!(document.status(), StatusCode::OK);
    assert_eq!(document.bytes().await.expect("pdf").as_ref(), PDF);
    // Signed once: a second upload is refused.
    let again = sign(&admin, &convention, &structure, "autre.pdf", PDF).await;
    assert!(location(&again).ends_with(&format!("#convention-{convention}")));
    let (_, text) = page(&admin, &format!("/admin/structures/{structure}")).await;
    assert!(text.contains("ne peut pas être signée"), "{text}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'convention.signed'").await, 1);
}

async fn a_suspended_convention_stops_submissions_but_keeps_the_history(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, before) = referral(&app, "Avant").await;
    let admin = app.signed_in(ADMIN_91).await;
    let convention = convention_of(&app, EVRY_SIRET).await;
    let no_reason = app_error(admin.call("act_on_convention", &[("id", &convention), ("action", "suspend"), ("reason", " ")]).await).await;
    assert!(no_reason.message_for("reason").is_some(), "{no_reason:?}");
    let suspended =
        admin.post_form("act_on_convention", "/admin", &[("id", &convention), ("action", "suspend"), ("reason", "Agents non formés")]).await;
    assert!(location(&suspended).contains("fait=suspension"), "{}", location(&suspended));
    let partner = app.signed_in(PARTNER).await;
    let (_, text) = page(&partner, "/partenaire/demandes/nouvelle/contact").await;
    assert!(text.contains("convention de votre structure est suspendue"), "{text}");
    let count = app.count("SELECT COUNT(*) FROM requests").await;
    let form = Form::new().text("subject", "Question").text("message", "Bonjour");
    partner.post_multipart("/partenaire/demandes/envoyer/contact", "/partenaire/demandes/nouvelle/contact", form).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM requests").await, count, "nothing is sent while suspended");
    let (status, history) = page(&partner, "/partenaire/historique").await;
    assert_eq!(status, StatusCode::OK);
    assert!(history.contains(&before), "the history stays readable: {history}");
    // Terminated conventions cannot be suspended; a suspension is lifted, and submissions come back.
    assert_eq!(admin.call("act_on_convention", &[("id", &convention), ("action", "resume")]).await.status(), StatusCode::OK);
    referral(&app, "Après").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('convention.suspended', 'convention.resumed')").await, 2);
}

async fn a_convention_ending_soon_is_listed_and_renewed_by_a_following_draft(db: Db) {
    let app = TestApp::spawn(db).await;
    let end = today() + chrono::Duration::days(30);
    let massy = structure("CCAS de Massy").convention(Convention::active().ending(end)).create(&app).await;
    let convention = massy.convention_id.expect("its convention");
    let admin = app.signed_in(ADMIN_91).await;
    // The page is one click away from every admin page: a link of the header's navigation.
    let overview = admin.get("/admin").await.text().await.expect("html");
    let nav = &overview[overview.find(r#"aria-label="Navigation principale""#).expect("the navigation")..];
    assert!(nav[..nav.find("</nav>").expect("its end")].contains(r#"href="/admin/conventions""#), "{nav}");
    let (_, text) = page(&admin, "/admin/conventions").await;
    assert!(
        text.contains(&format!("CCAS de Massy {} 30 À préparer", end.format("%d/%m/%Y"))),
        "its end, the days left, the renewal to prepare: {text}"
    );
    let (_, other) = page(&app.signed_in(ADMIN_59).await, "/admin/conventions").await;
    assert!(!other.contains("Massy"), "{other}");
    assert_eq!(admin.call("act_on_convention", &[("id", &convention), ("action", "renew")]).await.status(), StatusCode::OK);
    let next = app.text(&format!("SELECT id FROM conventions WHERE previous_convention_id = '{convention}'")).await;
    assert_eq!(app.text(&format!("SELECT status FROM conventions WHERE id = '{next}'")).await, "draft");
    assert_eq!(
        app.text(&format!("SELECT CAST(starts_on AS TEXT) FROM conventions WHERE id = '{next}'")).await.get(..10),
        Some((end + chrono::Duration::days(1)).to_string().as_str())
    );
    let twice = app_error(admin.call("act_on_convention", &[("id", &convention), ("action", "renew")]).await).await;
    assert!(matches!(twice, AppError::Conflict(ref m) if m.contains("déjà été renouvelée")), "{twice:?}");
    let (_, text) = page(&admin, "/admin/conventions").await;
    assert!(text.contains("Préparé"), "{text}");

    // A convention without an end date goes on: no renewal is offered, and asking for one is refused in French.
    let open_ended = structure("CCAS de Palaiseau").convention(Convention::active().open_ended()).create(&app).await;
    let convention = open_ended.convention_id.expect("its convention");
    let html = admin.get(&format!("/admin/structures/{}", open_ended.id)).await.text().await.expect("html");
    assert!(html.contains("Suspendre la convention") && !html.contains("Préparer le renouvellement"), "{html}");
    let refused = app_error(admin.call("act_on_convention", &[("id", &convention), ("action", "renew")]).await).await;
    assert!(matches!(refused, AppError::Conflict(ref m) if m.contains("pas de date de fin")), "{refused:?}");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM conventions WHERE previous_convention_id = '{convention}'")).await, 0);
}

fn invitation_link(message: &str) -> String {
    let text = readable(message);
    let start = text.find("/compte/activer?jeton=").expect("an invitation link");
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || "/-?=".contains(*c)).collect()
}

async fn an_invited_agent_chooses_a_password_and_signs_in(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = app_with(db, &smtp).await;
    let admin = app.signed_in(ADMIN_91).await;
    let structure = structure_id(&app, EVRY_SIRET).await;
    let back = format!("/admin/structures/{structure}");
    let form = [
        ("email", "lea.roux@example.org"),
        ("first_name", "Léa"),
        ("last_name", "Roux"),
        ("role", "partner_agent"),
        ("structure_id", &structure),
        ("back", &back),
    ];
    let posted = admin.post_form("invite_account", &back, &form).await;
    assert_eq!(location(&posted), format!("{back}?fait=invitation"));
    let taken = app_error(admin.call("invite_account", &form).await).await;
    assert!(taken.message_for("email").is_some_and(|m| m.contains("existe déjà")), "{taken:?}");
    let (_, text) = page(&admin, &back).await;
    assert!(text.contains("Léa Roux") && text.contains("Invitation envoyée"), "{text}");
    // The invitee cannot sign in before choosing a password, not even with the one they will choose.
    let password = "Bienvenue-Lea-2026";
    assert_eq!(app_error(app.browser().sign_in_js("lea.roux@example.org", password).await).await, AppError::InvalidCredentials);
    assert_eq!(deliver(&app, chrono::Utc::now()).await.sent, 1);
    let message = smtp.messages().into_iter().find(|m| m.contains("To: lea.roux@example.org")).expect("the invitation");
    assert!(readable(&message).contains("CCAS d'Évry-Courcouronnes") && readable(&message).contains("72 heures"), "{message}");
    let link = invitation_link(&message);
    let token = link.trim_start_matches("/compte/activer?jeton=").to_owned();
    let visitor = app.browser();
    let (_, text) = page(&visitor, &link).await;
    assert!(text.contains("Activer votre compte"), "{text}");
    let weak = app_error(visitor.call("choose_password", &[("token", &token), ("password", "lea"), ("confirmation", "lea")]).await).await;
    assert!(weak.message_for("password").is_some(), "{weak:?}");
    let chosen = visitor.post_form("choose_password", &link, &[("token", &token), ("password", password), ("confirmation", password)]).await;
    assert_eq!(location(&chosen), "/login?active=1");
    let (_, text) = page(&visitor, "/login?active=1").await;
    assert!(text.contains("Votre compte est activé"), "{text}");
    let signed_in = app.browser();
    assert_eq!(signed_in.sign_in_js("lea.roux@example.org", password).await.status(), StatusCode::OK);
    assert_eq!(signed_in.get("/partenaire/demandes").await.status(), StatusCode::OK, "signed in on the next request");
    // Used up; and an expired invitation says whom to ask.
    let (_, text) = page(&visitor, &link).await;
    assert!(text.contains("demandez à l'administrateur de votre caisse"), "{text}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('account.invited', 'account.activated')").await, 2);
    // The audit log names the invitation and the person in French, never by code.
    let (_, journal) = page(&admin, "/admin/journal").await;
    let (_, entries) = journal.split_once("Entrées du journal").expect("the entries' table");
    assert!(entries.contains("Compte créé et invitation envoyée account.invited"), "the French name, then the code: {entries}");
    assert!(entries.contains("Léa Roux (Agent partenaire)") && !entries.contains("partner_agent"), "{entries}");
}

async fn deactivating_an_account_ends_its_sessions_at_once(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let partner = app.signed_in(PARTNER).await;
    let id = account_id(&app, PARTNER).await;
    let deactivated = admin.post_form("set_account_active", &format!("/admin/comptes/{id}"), &[("id", &id), ("active", "false")]).await;
    assert_eq!(location(&deactivated), format!("/admin/comptes/{id}?fait=desactivation"));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM sessions WHERE account_id = '{id}'")).await, 0, "its sessions are gone");
    assert_eq!(partner.get("/partenaire/demandes").await.status(), StatusCode::SEE_OTHER, "sent to sign in");
    assert_eq!(app_error(app.browser().sign_in_js(PARTNER, PASSWORD).await).await, AppError::InvalidCredentials, "the generic refusal");
    let (_, text) = page(&admin, &format!("/admin/comptes/{id}?fait=desactivation")).await;
    assert!(text.contains("Désactivé") && text.contains("Réactiver le compte"), "{text}");
    assert_eq!(admin.call("set_account_active", &[("id", &id), ("active", "true")]).await.status(), StatusCode::OK);
    assert_eq!(app.browser().sign_in_js(PARTNER, PASSWORD).await.status(), StatusCode::OK);
    let own = account_id(&app, ADMIN_91).await;
    let refused = app_error(admin.call("set_account_active", &[("id", &own), ("active", "false")]).await).await;
    assert!(matches!(refused, AppError::Conflict(_)), "{refused:?}");
}

async fn roles_teams_and_training_are_set_by_the_admin(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let agent = account_id(&app, AGENT_91).await;
    let mas = app.text("SELECT t.id FROM teams t JOIN accounts a ON a.caisse_id = t.caisse_id WHERE a.email = 'agent.cpam91@example.org' AND t.name = 'Mission Accompagnement Santé'").await;
    assert_eq!(admin.call("update_account", &[("id", &agent), ("role", "caisse_agent"), ("team_id", &mas)]).await.status(), StatusCode::OK);
    assert_eq!(app.text(&format!("SELECT team_id FROM accounts WHERE id = '{agent}'")).await, mas);
    let foreign_team = app.text("SELECT t.id FROM teams t JOIN caisses c ON c.id = t.caisse_id WHERE c.code = '059' LIMIT 1").await;
    let error = app_error(admin.call("update_account", &[("id", &agent), ("role", "caisse_agent"), ("team_id", &foreign_team)]).await).await;
    assert!(error.message_for("team_id").is_some(), "{error:?}");
    // Promoted, the agent works in the admin area at their next request.
    let browser = app.signed_in(AGENT_91).await;
    assert_eq!(admin.call("update_account", &[("id", &agent), ("role", "admin")]).await.status(), StatusCode::OK);
    assert_eq!(browser.get("/admin").await.status(), StatusCode::OK);
    let own = account_id(&app, ADMIN_91).await;
    assert!(app_error(admin.call("update_account", &[("id", &own), ("role", "caisse_agent")]).await).await.message_for("role").is_some());
    // Training: not in the future; once recorded, the agent may submit.
    let newcomer = account_id(&app, NEWCOMER).await;
    let future = (today() + chrono::Duration::days(1)).to_string();
    assert!(app_error(admin.call("record_training", &[("id", &newcomer), ("trained_on", &future)]).await).await.message_for("trained_on").is_some());
    let partner = app.signed_in(NEWCOMER).await;
    let (_, text) = page(&partner, "/partenaire/demandes/nouvelle/contact").await;
    assert!(text.contains("formation"), "{text}");
    assert_eq!(admin.call("record_training", &[("id", &newcomer), ("trained_on", &today().to_string())]).await.status(), StatusCode::OK);
    let (_, text) = page(&partner, "/partenaire/demandes/nouvelle/contact").await;
    assert!(!text.contains("Envoi impossible"), "{text}");
}

async fn accounts_unused_for_six_months_are_flagged(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let long_ago = chrono::Utc::now() - chrono::Duration::days(200);
    {
        use app::server::entities::account;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        account::Entity::update_many()
            .col_expr(account::Column::LastSignInAt, Expr::value(long_ago))
            .filter(account::Column::Email.eq(GRIGNY))
            .exec(&app.state.db)
            .await
            .expect("backdate the last sign-in");
    }
    let (_, text) = page(&admin, "/admin/comptes").await;
    assert!(text.contains("1 compte actif n'a pas servi depuis 6 mois"), "one dormant account, said in the singular: {text}");
    let (_, dormant) = page(&admin, "/admin/comptes?etat=dormant").await;
    assert!(dormant.contains(GRIGNY) && !dormant.contains(PARTNER), "{dormant}");
    assert!(dormant.contains("Inutilisé depuis 6 mois"), "{dormant}");
    let (_, caisse59) = page(&admin, "/admin/comptes").await;
    assert!(!caisse59.contains(FOURMIES), "another caisse's accounts never show");
}

/// The addresses of the links a page marks as the page being seen (`aria-current="page"`).
fn current_links(html: &str) -> Vec<String> {
    html.split("<a ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            tag.contains(r#"aria-current="page""#).then(|| tag.split(r#"href=""#).nth(1)?.split('"').next().map(str::to_owned)).flatten()
        })
        .collect()
}

async fn the_navigation_marks_the_page_being_seen(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let evry = structure_id(&app, EVRY_SIRET).await;
    for (path, current) in [
        // « Administration » is current on its own page only, not on every admin page below it.
        ("/admin", "/admin"),
        ("/admin/structures", "/admin/structures"),
        (&format!("/admin/structures/{evry}"), "/admin/structures"),
        ("/compte/securite", "/compte/securite"),
    ] {
        let html = admin.get(path).await.text().await.expect("html");
        assert_eq!(current_links(&html), [current], "on {path}");
    }
    let partner = app.signed_in(PARTNER).await;
    let html = partner.get("/partenaire/historique").await.text().await.expect("html");
    assert_eq!(current_links(&html), ["/partenaire/historique"]);
}
