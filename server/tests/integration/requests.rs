//! The partner's five functions over HTTP: each journey's happy path and refusals, files, gating, the duplicate
//! guard, history, withdrawal, replies, and every foreign id answered 404.

use crate::fixtures::{self, AGENT_59, AGENT_91, Convention, FOURMIES, GRIGNY, NEWCOMER, PARTNER, SUSPENDED, account, request, structure};
use crate::on_both_databases;
use crate::support::{Browser, Db, TestApp, app_error, input_value, location, main_text, textarea};
use crate::triage::act;
use app::domain::request_kind::RequestKind;
use app::domain::request_lifecycle::Status;
use app::dto::error::AppError;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

on_both_databases!(
    a_contact_message_is_sent_and_confirmed_with_its_reference,
    every_journey_creates_its_kind_of_request,
    a_refused_form_comes_back_with_each_message_and_everything_typed,
    files_are_judged_on_their_content_size_and_number,
    attachments_download_only_for_those_who_may_see_the_request,
    gating_blocks_new_requests_but_not_the_history,
    the_duplicate_guard_warns_then_lets_the_agent_confirm,
    another_structures_and_another_caisses_requests_are_not_found,
    a_request_can_be_withdrawn_only_until_the_caisse_takes_it,
    answering_the_caisses_question_sends_the_request_back,
    the_history_filters_searches_and_pages_within_the_structure,
    the_history_downloads_as_csv_within_the_structure_without_nir,
    the_partner_home_lists_first_what_awaits_the_structures_answer,
);

pub(crate) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00PE\x00\x00this is not a pdf";

pub(crate) fn file(name: &str, content: &[u8]) -> Part {
    Part::bytes(content.to_vec()).file_name(name.to_owned()).mime_str("application/pdf").expect("mime")
}

pub(crate) fn form(fields: &[(&str, &str)]) -> Form {
    fields.iter().fold(Form::new(), |form, (k, v)| form.text(k.to_string(), v.to_string()))
}

/// A complete assuré block (valid NIR: 1 84 12 76 451 089 46).
fn assure(last_name: &str) -> Vec<(&str, &str)> {
    vec![
        ("last_name", last_name),
        ("first_names", "Marcel"),
        ("birth_date", "1984-12-03"),
        ("nir", "1 84 12 76 451 089 46"),
        ("consent", "oui"),
        ("consent_method", "oral"),
    ]
}

pub(crate) fn mas(last_name: &str) -> Vec<(&str, &str)> {
    let mut fields = assure(last_name);
    fields.extend([
        ("grounds", "access_to_rights"),
        ("grounds", "digital"),
        ("description", "Ne parvient pas à renouveler ses droits."),
        ("urgency", "normal"),
        ("reach_by", "through_partner"),
        ("reach_when", "Le mardi matin"),
    ]);
    fields
}

async fn submit(browser: &Browser, slug: &str, form: Form) -> reqwest::Response {
    browser.post_multipart(&format!("/partenaire/demandes/envoyer/{slug}"), &format!("/partenaire/demandes/nouvelle/{slug}"), form).await
}

/// Submits and returns the new request's reference, asserting the confirmation redirect.
pub(crate) async fn create(browser: &Browser, slug: &str, form: Form) -> String {
    let response = submit(browser, slug, form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    let reference = to
        .strip_prefix("/partenaire/demandes/")
        .and_then(|rest| rest.strip_suffix("/envoyee"))
        .unwrap_or_else(|| panic!("expected the confirmation page, got {to}"))
        .to_owned();
    assert!(app::domain::reference::Reference::parse(&reference).is_some(), "{reference}");
    reference
}

async fn contact(browser: &Browser, subject: &str) -> String {
    create(browser, "contact", form(&[("subject", subject), ("message", "Bonjour, pouvez-vous nous rappeler ?")])).await
}

async fn page_text(browser: &Browser, path: &str) -> (StatusCode, String) {
    let response = browser.get(path).await;
    let status = response.status();
    (status, main_text(&response.text().await.expect("html")))
}

async fn status_of(app: &TestApp, reference: &str) -> String {
    app.text(&format!("SELECT status FROM requests WHERE reference = '{reference}'")).await
}

async fn a_contact_message_is_sent_and_confirmed_with_its_reference(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let reference = contact(&partner, "Rappel du dossier de M. Zébulon").await;

    let (status, confirmation) = page_text(&partner, &format!("/partenaire/demandes/{reference}/envoyee")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirmation.contains("Votre demande a été envoyée"), "{confirmation}");
    assert!(confirmation.contains(&reference) && confirmation.contains("Statut : Envoyée"), "{confirmation}");

    let (_, detail) = page_text(&partner, &format!("/partenaire/demandes/{reference}")).await;
    assert!(detail.contains("Rappel du dossier de M. Zébulon") && detail.contains("Demande envoyée à la caisse"), "{detail}");
    let (_, home) = page_text(&partner, "/partenaire/demandes").await;
    assert!(home.contains(&reference), "the home lists the latest requests: {home}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.submitted'").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.viewed'").await,
        2,
        "reads are audited: the confirmation and the detail"
    );
}

async fn every_journey_creates_its_kind_of_request(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let accueil_id =
        app.text("SELECT a.id FROM accueils a JOIN caisses c ON c.id = a.caisse_id WHERE c.code = '091' AND a.name = 'Accueil de Massy'").await;

    let referral = create(&partner, "mas", form(&mas("Anquetil"))).await;
    let mut appointment = assure("Bobet");
    let channel = format!("accueil:{accueil_id}");
    appointment.extend([
        ("not_autonomous", "oui"),
        ("no_ameli_account", "oui"),
        ("reason", "Constituer un dossier de pension d'invalidité"),
        ("channel", channel.as_str()),
        ("availability", "Le jeudi après-midi"),
        ("interpreter", "oui"),
        ("interpreter_language", "Tamoul"),
    ]);
    let appointment = create(&partner, "rendez-vous", form(&appointment)).await;
    let mut study = assure("Coppi");
    study.retain(|(k, _)| *k != "nir");
    study.extend([("dossier_type", "ame_renewal"), ("documents", "Justificatif d'identité")]);
    let study = create(&partner, "etude-dossier", form(&study).part("files", file("identite.pdf", PDF))).await;

    let (_, text) = page_text(&partner, &format!("/partenaire/demandes/{referral}")).await;
    assert!(text.contains("Difficultés d'accès aux droits ; Difficultés avec le numérique"), "{text}");
    assert!(text.contains("1 84 •• •• ••• ••• 46") && !text.contains("451 089"), "the NIR is shown masked: {text}");
    let (_, text) = page_text(&partner, &format!("/partenaire/demandes/{appointment}")).await;
    assert!(text.contains("À l'accueil : Accueil de Massy") && text.contains("interprète (Tamoul)"), "{text}");
    let (_, text) = page_text(&partner, &format!("/partenaire/demandes/{study}")).await;
    assert!(text.contains("Renouvellement de l'Aide médicale de l'État") && text.contains("identite.pdf"), "{text}");
    assert!(text.contains("NIR Non renseigné"), "AME applicants may have no NIR: {text}");
    assert_eq!(app.count("SELECT COUNT(*) FROM requests WHERE beneficiary_nir = '184127645108946'").await, 2, "stored normalised, without spaces");
}

async fn a_refused_form_comes_back_with_each_message_and_everything_typed(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let mut fields = mas("Poulidor");
    fields.retain(|(k, _)| !matches!(*k, "nir" | "grounds" | "consent"));
    fields.push(("nir", "1 84 12 76 451 089 47"));
    let response = submit(&partner, "mas", form(&fields)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let back = location(&response);
    assert_eq!(back, "/partenaire/demandes/nouvelle/mas", "back to the form, nothing personal in the URL");

    let html = partner.get(&back).await.text().await.expect("html");
    let text = main_text(&html);
    assert!(text.contains("Le formulaire contient des erreurs"), "{text}");
    assert!(text.contains("Clé invalide"), "{text}");
    assert!(text.contains("Cochez au moins un motif de difficulté."), "{text}");
    assert!(text.contains("L'accord de l'assuré est obligatoire"), "{text}");
    assert!(html.contains(r#"value="Poulidor""#), "the name typed is kept");
    assert!(html.contains(r#"value="1 84 12 76 451 089 47""#), "the NIR typed is kept to be corrected");
    assert!(html.contains("Ne parvient pas à renouveler ses droits."), "the description is kept");
    assert!(html.contains(r##"href="#grounds""##) && html.contains(r#"id="grounds""#), "the summary links to the field");
    assert_eq!(app.count("SELECT COUNT(*) FROM requests WHERE beneficiary_last_name = 'Poulidor'").await, 0);

    let again = main_text(&partner.get(&back).await.text().await.expect("html"));
    assert!(!again.contains("Clé invalide"), "the returned form is shown once");
}

async fn files_are_judged_on_their_content_size_and_number(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.attachments.max_bytes = 1024;
        s.attachments.max_files = 2;
    })
    .await;
    let partner = app.signed_in(PARTNER).await;
    let fields = [("subject", "Pièces"), ("message", "Voici les pièces")];
    let attempt = form(&fields)
        .part("files", file("facture.pdf", EXE))
        .part("files", file("gros.pdf", &[PDF, &[b' '; 2048]].concat()))
        .part("files", file("bon.pdf", PDF))
        .part("files", Part::bytes(PNG.to_vec()).file_name("photo.png"))
        .part("files", file("troisieme.pdf", PDF));
    let response = submit(&partner, "contact", attempt).await;
    assert_eq!(location(&response), "/partenaire/demandes/nouvelle/contact");
    let html = partner.get("/partenaire/demandes/nouvelle/contact").await.text().await.expect("html");
    let text = main_text(&html);
    assert!(text.contains("« facture.pdf » n'est pas un PDF, un JPEG ou un PNG"), "disguised file: {text}");
    assert!(text.contains("« gros.pdf » dépasse la taille maximale de 1 Mo"), "{text}");
    assert!(text.contains("2 fichiers au maximum par envoi : « troisieme.pdf » n'a pas été joint"), "{text}");
    assert!(text.contains("bon.pdf") && text.contains("photo.png"), "accepted files are kept while correcting: {text}");
    assert_eq!(input_value(&html, "subject").as_deref(), Some("Pièces"), "the rest of the form survives");
    assert_eq!(textarea(&html, "message").as_deref(), Some("Voici les pièces"), "the rest of the form survives");

    // Sending again with the kept files joins them to the request.
    let kept: Vec<String> = html
        .match_indices(r#"name="kept_files" value=""#)
        .map(|(i, m)| html[i + m.len()..].split('"').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    let second = kept.iter().fold(form(&fields), |f, id| f.text("kept_files", id.clone()));
    let reference = create(&partner, "contact", second).await;
    let joined =
        app.count(&format!("SELECT COUNT(*) FROM attachments a JOIN requests r ON r.id = a.request_id WHERE r.reference = '{reference}'")).await;
    assert_eq!(joined, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments WHERE request_id IS NULL").await, 0);
}

async fn attachments_download_only_for_those_who_may_see_the_request(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let reference = create(&partner, "contact", form(&[("subject", "PJ"), ("message", "m")]).part("files", file("avis d'impôt 2025.pdf", PDF))).await;
    let html = partner.get(&format!("/partenaire/demandes/{reference}")).await.text().await.expect("html");
    let start = html.find("/pieces-jointes/").expect("a download link");
    let path = html[start..].split('"').next().expect("path").to_owned();

    let response = partner.get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''avis%20d%27imp%C3%B4t%202025.pdf"), "{disposition}");
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(response.bytes().await.expect("body").as_ref(), PDF);

    let colleague = app.signed_in(NEWCOMER).await;
    assert_eq!(colleague.get(&path).await.status(), StatusCode::OK, "colleagues of the same structure");
    let caisse = app.signed_in(AGENT_91).await;
    assert_eq!(caisse.get(&path).await.status(), StatusCode::OK, "agents of the request's caisse");
    // Both sides list the file (name, size, the same link); a request without one says so on both sides.
    let caisse_html = caisse.get(&format!("/caisse/demandes/{reference}")).await.text().await.expect("html");
    assert!(caisse_html.contains(&format!(r#"href="{path}" download"#)), "the caisse's page links the file");
    assert!(main_text(&caisse_html).contains(" ko)"), "with its size: {}", main_text(&caisse_html));
    let bare = create(&partner, "contact", form(&[("subject", "Sans PJ"), ("message", "m")])).await;
    for (who, page) in [(&partner, format!("/partenaire/demandes/{bare}")), (&caisse, format!("/caisse/demandes/{bare}"))] {
        let text = main_text(&who.get(&page).await.text().await.expect("html"));
        assert!(text.contains("Pièces jointes Aucune pièce jointe."), "{page}: {text}");
    }
    for outsider in [GRIGNY, FOURMIES, AGENT_59] {
        let browser = app.signed_in(outsider).await;
        assert_eq!(browser.get(&path).await.status(), StatusCode::NOT_FOUND, "{outsider}");
    }
    let anonymous = app.browser().get(&path).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER, "signed out: sign in first");
    assert_eq!(location(&anonymous), format!("/login?suite={path}"));
    let missing = partner.get("/pieces-jointes/00000000-0000-0000-0000-000000000000").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let missing = missing.text().await.expect("html");
    assert!(
        missing.contains("<h1>Page introuvable</h1>") && missing.contains(r#"<a href="/partenaire/demandes""#),
        "the French 404 page, signed-in header included: {missing}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'attachment.downloaded'").await, 3);
}

async fn gating_blocks_new_requests_but_not_the_history(db: Db) {
    let app = TestApp::spawn(db).await;
    for (email, why) in
        [(SUSPENDED, "convention de votre structure est suspendue"), (NEWCOMER, "formation à l'Espace Partenaires n'est pas encore enregistrée")]
    {
        let partner = app.signed_in(email).await;
        let (status, text) = page_text(&partner, "/partenaire/demandes/nouvelle/contact").await;
        assert_eq!(status, StatusCode::OK);
        assert!(text.contains("Envoi impossible pour le moment") && text.contains(why), "{email}: {text}");
        let before = app.count("SELECT COUNT(*) FROM requests").await;
        let response = submit(&partner, "contact", form(&[("subject", "S"), ("message", "M")])).await;
        assert_eq!(location(&response), "/partenaire/demandes/nouvelle/contact", "{email}");
        assert_eq!(app.count("SELECT COUNT(*) FROM requests").await, before, "{email}: nothing created");
        let (status, _) = page_text(&partner, "/partenaire/historique").await;
        assert_eq!(status, StatusCode::OK, "{email}: the history stays readable");
    }
    // A convention that does not open a function closes that function only.
    let contact_only = structure("Mission locale de Juvisy").convention(Convention::active().kinds(&[RequestKind::Contact])).create(&app).await;
    let juvisy = app.signed_in(&fixtures::partner(&contact_only).create(&app).await.email).await;
    let (_, text) = page_text(&juvisy, "/partenaire/demandes/nouvelle/mas").await;
    assert!(text.contains("n'ouvre pas la fonction « Signaler une situation de difficulté"), "{text}");
    contact(&juvisy, "Toujours possible").await;
}

async fn the_duplicate_guard_warns_then_lets_the_agent_confirm(db: Db) {
    let app = TestApp::spawn(db).await;
    let massy = structure("CCAS de Massy").create(&app).await;
    let partner = app.signed_in(&fixtures::partner(&massy).create(&app).await.email).await;
    let first = create(&partner, "mas", form(&mas("Hinault"))).await;

    // Same person (same NIR) again, from a colleague of the same structure.
    let colleague = app.signed_in(&fixtures::partner(&massy).create(&app).await.email).await;
    let response = submit(&colleague, "mas", form(&mas("HINAULT"))).await;
    assert_eq!(location(&response), "/partenaire/demandes/nouvelle/mas");
    let html = colleague.get("/partenaire/demandes/nouvelle/mas").await.text().await.expect("html");
    let text = main_text(&html);
    assert!(text.contains("Une demande est peut-être déjà en cours") && text.contains(&first), "{text}");
    assert!(html.contains(&format!(r#"href="/partenaire/demandes/{first}""#)), "links to the open request");

    // Same names and birth date without the NIR are the same person too; the agent may still confirm.
    let mut without_nir = mas("Hinault");
    without_nir.retain(|(k, _)| *k != "nir");
    let response = submit(&colleague, "mas", form(&without_nir)).await;
    assert_eq!(location(&response), "/partenaire/demandes/nouvelle/mas");
    without_nir.push(("confirm_duplicate", "oui"));
    let second = create(&colleague, "mas", form(&without_nir)).await;
    assert_ne!(first, second);
    // Another kind of request for the same person is not a duplicate.
    let mut study = assure("Hinault");
    study.push(("dossier_type", "c2s"));
    create(&partner, "etude-dossier", form(&study)).await;
}

async fn another_structures_and_another_caisses_requests_are_not_found(db: Db) {
    let app = TestApp::spawn(db).await;
    let owner = app.signed_in(PARTNER).await;
    let reference = contact(&owner, "Confidentiel").await;
    for outsider in [GRIGNY, FOURMIES] {
        let browser = app.signed_in(outsider).await;
        let (status, text) = page_text(&browser, &format!("/partenaire/demandes/{reference}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{outsider}");
        assert!(!text.contains("Confidentiel"), "{outsider}");
        assert_eq!(app_error(browser.call("request_detail", &[("reference", reference.as_str())]).await).await, AppError::NotFound);
        assert_eq!(
            app_error(browser.call("withdraw_request", &[("reference", reference.as_str()), ("reason", ""), ("confirm", "oui")]).await).await,
            AppError::NotFound
        );
        assert_eq!(
            app_error(browser.call("follow_request", &[("reference", reference.as_str()), ("follow", "true")]).await).await,
            AppError::NotFound
        );
        let reply = browser.post_multipart(&format!("/partenaire/demandes/{reference}/reponse"), "/", form(&[("message", "intrusion")])).await;
        assert_eq!(reply.status(), StatusCode::NOT_FOUND, "{outsider}");
        let (_, history) = page_text(&browser, &format!("/partenaire/historique?q={reference}")).await;
        assert!(history.contains("Aucune demande ne correspond"), "{outsider}: {history}");
    }
    assert_eq!(status_of(&app, &reference).await, "submitted", "nothing changed");
    assert_eq!(app.count("SELECT COUNT(*) FROM request_messages WHERE body = 'intrusion'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM request_followers").await, 0, "nobody outside follows it");
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(agent.get(&format!("/partenaire/demandes/{reference}")).await.status(), StatusCode::FORBIDDEN);
}

async fn a_request_can_be_withdrawn_only_until_the_caisse_takes_it(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let early = contact(&partner, "Envoyée par erreur").await;
    let page = format!("/partenaire/demandes/{early}");
    // The withdrawal must be confirmed: without the box ticked, nothing changes and the box says why.
    let unconfirmed = app_error(partner.call("withdraw_request", &[("reference", early.as_str()), ("reason", "")]).await).await;
    assert_eq!(unconfirmed.message_for("confirm").as_deref(), Some("Cochez la case pour confirmer le retrait de la demande."), "{unconfirmed:?}");
    assert_eq!(status_of(&app, &early).await, "submitted");
    assert!(partner.get(&page).await.text().await.expect("html").contains(r#"name="confirm" value="oui" required"#), "a required box");
    // Without JavaScript: the form posts, the browser comes back to the request.
    let response =
        partner.post_form("withdraw_request", &page, &[("reference", early.as_str()), ("reason", "Doublon de notre côté"), ("confirm", "oui")]).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), format!("{page}?retiree=1"));
    assert_eq!(status_of(&app, &early).await, "withdrawn");
    let (_, text) = page_text(&partner, &format!("{page}?retiree=1")).await;
    assert!(text.contains("La demande a été retirée") && text.contains("Doublon de notre côté"), "{text}");
    // The caisse is told, as the page says: its team that handles messages, by e-mail.
    let told = app.texts(&format!("SELECT recipient FROM outbox WHERE subject = 'Demande {early} retirée par la structure'")).await;
    assert!(!told.is_empty() && told.iter().all(|to| to.ends_with("@example.org") && !to.starts_with("partenaire")), "{told:?}");
    let again = app_error(partner.call("withdraw_request", &[("reference", early.as_str()), ("reason", ""), ("confirm", "oui")]).await).await;
    assert_eq!(again, AppError::Conflict("Cette demande est retirée : aucune action n'est plus possible.".to_owned()));

    let author = account(&app, PARTNER).await;
    let taken = request(&author).subject("Déjà prise en charge").status(Status::InProgress).create(&app).await.reference;
    let refused = app_error(partner.call("withdraw_request", &[("reference", taken.as_str()), ("reason", ""), ("confirm", "oui")]).await).await;
    assert!(matches!(&refused, AppError::Conflict(m) if m.contains("ne peut plus être retirée")), "{refused:?}");
    assert_eq!(status_of(&app, &taken).await, "in_progress");
    let (_, text) = page_text(&partner, &format!("/partenaire/demandes/{taken}")).await;
    assert!(!text.contains("Retirer la demande"), "no withdraw button once taken");
}

async fn answering_the_caisses_question_sends_the_request_back(db: Db) {
    let app = TestApp::spawn(db).await;
    let author = account(&app, PARTNER).await;
    let reference = request(&author).subject("Question").status(Status::AwaitingPartner).create(&app).await.reference;
    let partner = app.signed_in(PARTNER).await;
    let page = format!("/partenaire/demandes/{reference}");
    let (_, text) = page_text(&partner, &page).await;
    assert!(text.contains("Répondre à la demande de la caisse"), "{text}");

    let empty = partner.post_multipart(&format!("{page}/reponse"), &page, form(&[("message", " ")])).await;
    assert_eq!(location(&empty), format!("{page}#repondre"));
    let (_, text) = page_text(&partner, &page).await;
    assert!(text.contains("Saisissez votre message."), "{text}");
    assert_eq!(status_of(&app, &reference).await, "awaiting_partner");

    let reply = form(&[("message", "Voici l'attestation demandée.")]).part("files", file("attestation.pdf", PDF));
    let sent = partner.post_multipart(&format!("{page}/reponse"), &page, reply).await;
    assert_eq!(location(&sent), format!("{page}?reponse=1#fil"));
    assert_eq!(status_of(&app, &reference).await, "in_progress");
    let (_, text) = page_text(&partner, &format!("{page}?reponse=1")).await;
    assert!(text.contains("Voici l'attestation demandée.") && text.contains("attestation.pdf"), "{text}");
    assert!(text.contains("la demande revient à la caisse"), "the timeline shows the answer: {text}");

    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(act(&agent, &reference, &[("action", "close_resolved"), ("message", "Réponse apportée.")]).await.status(), StatusCode::OK);
    let late = partner.post_multipart(&format!("{page}/reponse"), &page, form(&[("message", "Encore une chose")])).await;
    assert_eq!(location(&late), format!("{page}#repondre"));
    assert_eq!(app.count("SELECT COUNT(*) FROM request_messages WHERE body = 'Encore une chose'").await, 0);
}

async fn the_history_filters_searches_and_pages_within_the_structure(db: Db) {
    let app = TestApp::spawn(db).await;
    let massy = structure("CCAS de Massy").create(&app).await;
    let partner = app.signed_in(&fixtures::partner(&massy).create(&app).await.email).await;
    let colleague = app.signed_in(&fixtures::partner(&massy).create(&app).await.email).await;
    let mut mine = vec![];
    for i in 0..22 {
        mine.push(contact(&partner, &format!("Contact numéro {i}")).await);
    }
    let referral = create(&colleague, "mas", form(&mas("Bartali-Lévêque"))).await;
    let grigny = app.signed_in(GRIGNY).await;
    let foreign = contact(&grigny, "Chez Grigny").await;

    let (_, first) = page_text(&partner, "/partenaire/historique").await;
    assert!(first.contains(&referral) && first.contains(&mine[21]), "newest first: {first}");
    assert!(!first.contains(&mine[0]) && !first.contains(&foreign), "20 per page, own structure only");
    let html = partner.get("/partenaire/historique").await.text().await.expect("html");
    let start = html.find("/partenaire/historique?apres=").expect("a next-page link");
    let next = html[start..].split('"').next().expect("href").replace("&amp;", "&");
    let (_, second) = page_text(&partner, &next).await;
    assert!(second.contains(&mine[0]) && second.contains(&mine[1]) && !second.contains(&mine[21]), "{second}");
    assert!(second.contains("Demandes plus récentes"), "a way back: {second}");

    let (_, by_name) = page_text(&partner, "/partenaire/historique?q=leveque").await;
    assert!(by_name.contains(&referral) && !by_name.contains(&mine[21]), "accent-insensitive name search: {by_name}");
    let (_, by_reference) = page_text(&partner, &format!("/partenaire/historique?q={}", mine[3].to_lowercase())).await;
    assert!(by_reference.contains(&mine[3]) && !by_reference.contains(&mine[4]), "{by_reference}");
    let (_, by_kind) = page_text(&partner, "/partenaire/historique?type=mas_referral").await;
    assert!(by_kind.contains(&referral) && !by_kind.contains(&mine[21]), "{by_kind}");
    let (_, only_mine) = page_text(&colleague, "/partenaire/historique?auteur=moi").await;
    assert!(only_mine.contains(&referral) && !only_mine.contains(&mine[21]), "{only_mine}");
    let (_, future) = page_text(&partner, "/partenaire/historique?du=2099-01-01").await;
    assert!(future.contains("Aucune demande ne correspond"), "{future}");
    let (_, nonsense) = page_text(&partner, "/partenaire/historique?statut=teleporte&du=hier").await;
    assert!(nonsense.contains("Le statut choisi n'existe pas") && nonsense.contains("La date de début « hier » n'est pas une date"), "{nonsense}");

    // A period that ends before it starts is named under its « au » field and not applied (the list is not empty).
    let inverted = partner.get("/partenaire/historique?du=2026-03-10&au=2026-03-01").await.text().await.expect("html");
    assert!(inverted.contains(r#"<span id="au-error" class="field-error">"#), "the error sits with its field: {inverted}");
    assert!(inverted.contains(r#"aria-invalid="true" aria-describedby="au-error""#), "{inverted}");
    let (_, inverted) = page_text(&partner, "/partenaire/historique?du=2026-03-10&au=2026-03-01").await;
    assert!(inverted.contains("La date de fin précède la date de début"), "{inverted}");
    assert!(inverted.contains(&mine[21]) && !inverted.contains("Aucune demande ne correspond"), "{inverted}");
    // Filters set: a way to clear them, whatever the list shows; none without filters.
    let clear = r#"<a href="/partenaire/historique" class="button button--secondary">Effacer les filtres</a>"#;
    assert!(partner.get("/partenaire/historique?type=mas_referral").await.text().await.expect("html").contains(clear));
    assert!(!partner.get("/partenaire/historique").await.text().await.expect("html").contains(clear));
}

async fn the_history_downloads_as_csv_within_the_structure_without_nir(db: Db) {
    let app = TestApp::spawn(db).await;
    let massy = structure("CCAS de Massy").create(&app).await;
    let partner = app.signed_in(&fixtures::partner(&massy).create(&app).await.email).await;
    let formula = contact(&partner, "=HYPERLINK(\"http://x\")").await;
    let referral = create(&partner, "mas", form(&mas("Bartali-Lévêque"))).await;
    let grigny = app.signed_in(GRIGNY).await;
    let foreign = contact(&grigny, "Chez Grigny").await;

    let response = partner.get("/partenaire/historique.csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().expect("ascii").contains("historique-demandes.csv"));
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    let file = response.text().await.expect("csv");
    assert!(file.starts_with("\u{feff}\"Référence\";\"Type\";\"Objet\";\"Assuré\";\"Statut\";\"Envoyée le\";\"Par\"\r\n"), "{file}");
    assert!(file.contains(&referral) && file.contains(&formula) && !file.contains(&foreign), "the structure's own requests: {file}");
    assert!(file.contains("\"BARTALI-LÉVÊQUE Marcel\""), "the assuré by name: {file}");
    assert!(!file.contains("NIR") && !file.contains("451") && !file.contains("•"), "never a NIR, not even masked: {file}");
    assert!(file.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "a formula is defused: {file}");
    assert_eq!(file.lines().count(), 3, "a header and two rows: {file}");

    // The page's filters apply to the file, and the page offers the file with them.
    let only_referrals = partner.get("/partenaire/historique.csv?type=mas_referral&q=leveque").await.text().await.expect("csv");
    assert!(only_referrals.contains(&referral) && !only_referrals.contains(&formula), "{only_referrals}");
    let html = partner.get("/partenaire/historique?type=mas_referral").await.text().await.expect("html");
    assert!(html.contains(r#"href="/partenaire/historique.csv?type=mas_referral""#), "{html}");
    let nonsense = partner.get("/partenaire/historique.csv?statut=teleporte").await.text().await.expect("csv");
    assert!(
        nonsense.contains(&referral) && nonsense.contains("Le statut choisi n'existe pas"),
        "an unreadable filter is said, not applied: {nonsense}"
    );

    // Each export is audited with its filters, never the searched name.
    let details = app.text("SELECT detail FROM audit_events WHERE action = 'request.exported' AND detail LIKE '%mas_referral%'").await;
    assert!(details.starts_with("1 demande ;") && details.contains("avec une recherche") && !details.contains("leveque"), "{details}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.exported'").await, 3);

    // Nobody else: a caisse agent is refused, a signed-out visitor goes to sign in.
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(agent.get("/partenaire/historique.csv").await.status(), StatusCode::FORBIDDEN);
    let anonymous = app.browser().get("/partenaire/historique.csv").await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&anonymous), "/login?suite=/partenaire/historique.csv");
}

/// The header's navigation, as text.
fn nav_text(html: &str) -> String {
    let label = html.find(r#"aria-label="Navigation principale""#).expect("the main navigation");
    let start = label + html[label..].find('>').expect("its tag's end") + 1;
    let end = start + html[start..].find("</nav>").expect("its end");
    main_text(&format!("<main>{}</main>", &html[start..end])).split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn the_partner_home_lists_first_what_awaits_the_structures_answer(db: Db) {
    let app = TestApp::spawn(db).await;
    let massy = structure("CCAS de Massy").create(&app).await;
    let author = fixtures::partner(&massy).create(&app).await;
    let colleague = fixtures::partner(&massy).create(&app).await;
    let waiting = request(&author)
        .subject("Justificatif")
        .status(Status::AwaitingPartner)
        .question("Merci de joindre l'avis d'imposition.")
        .create(&app)
        .await
        .reference;
    let in_hand = request(&author).subject("En cours").status(Status::InProgress).create(&app).await.reference;
    let grigny = account(&app, GRIGNY).await;
    let foreign = request(&grigny).status(Status::AwaitingPartner).question("Question pour Grigny").create(&app).await.reference;
    let partner = app.signed_in(&author.email).await;

    let html = partner.get("/partenaire/demandes").await.text().await.expect("html");
    let text = main_text(&html);
    let to_do = text.find("À traiter : 1 demande attend votre réponse").unwrap_or_else(|| panic!("a to-do: {text}"));
    let functions = text.find("Que souhaitez-vous faire").expect("the functions");
    assert!(to_do < functions, "first on the page: {text}");
    let section = &text[to_do..functions];
    assert!(section.contains(&waiting) && section.contains("Merci de joindre l'avis d'imposition."), "with the caisse's question: {section}");
    assert!(!section.contains(&in_hand) && !section.contains(&foreign) && !text.contains("Question pour Grigny"), "{section}");
    assert!(html.contains(&format!(r#"href="/partenaire/demandes/{waiting}#repondre""#)), "a way to answer");
    // The count sits next to « Mes demandes » on every page of the structure's agents.
    for browser in [&partner, &app.signed_in(&colleague.email).await] {
        let history = browser.get("/partenaire/historique").await.text().await.expect("html");
        assert!(nav_text(&history).contains("Mes demandes 1 à traiter"), "{}", nav_text(&history));
    }
    let elsewhere = main_text(&app.signed_in(GRIGNY).await.get("/partenaire/demandes").await.text().await.expect("html"));
    assert!(elsewhere.contains(&foreign) && !elsewhere.contains(&waiting), "their own: {elsewhere}");

    // Answered, nothing is left to do.
    let page = format!("/partenaire/demandes/{waiting}");
    partner.post_multipart(&format!("{page}/reponse"), &page, form(&[("message", "Voici l'avis.")])).await;
    let html = partner.get("/partenaire/demandes").await.text().await.expect("html");
    assert!(main_text(&html).contains("Aucune demande n'attend votre réponse."), "{}", main_text(&html));
    assert!(!html.contains("nav-count") && nav_text(&html).contains("Mes demandes"), "{}", nav_text(&html));
}
