//! Markup typed into any text field stays text (issue 13, defect 4). The same payload, which closes a `<textarea>`
//! and a `<title>` and opens an image and a bold tag, is stored through the forms as the pages post them, then every
//! page that shows it is read as served: the payload must never come out as markup (no `<b>INJ</b>`, no `<img src=x`,
//! no extra `</textarea>` or `</title>`), it must come out escaped, and each form field must hand back exactly what
//! was typed (escaped once, never twice). What is stored is what was typed, and saving a form as served changes nothing.

use crate::fixtures::{ADMIN_91, AGENT_91, Convention, EVRY_SIRET, PARTNER, account_id, caisse_id, structure_id};
use crate::on_both_databases;
use crate::support::{Browser, Db, TestApp, app_error, decode, input_value, location, main_text, textarea};
use crate::triage::{act, referral, send_referral, status};
use crate::triage_tools::next;
use chrono::Weekday;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

on_both_databases!(
    a_canned_reply_typed_with_markup_reads_back_as_text,
    a_structure_named_with_markup_reads_back_as_text,
    an_account_named_with_markup_reads_back_as_text,
    refused_partner_forms_come_back_with_the_markup_as_text,
    a_request_typed_with_markup_reads_back_as_text_on_both_sides,
    replies_notes_and_reasons_with_markup_read_back_as_text_in_both_threads,
    a_suspension_reason_with_markup_reads_back_as_text,
    teams_and_accueils_named_with_markup_read_back_as_text,
    markup_in_an_address_or_a_refused_sign_in_stays_text,
    what_is_typed_is_stored_exactly_and_a_form_saved_as_served_changes_nothing,
);

/// Closes a textarea and the title, then opens an image with a script and a bold tag.
const PAYLOAD: &str = "</textarea></title><img src=x onerror=alert(1)><b>INJ</b>";
/// The payload as HTML text: what the person must see, character for character.
const ESCAPED: &str = "&lt;/textarea&gt;&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;INJ&lt;/b&gt;";
/// The payload with everything else an escaper may get wrong: ampersands, entities typed as text, both quotes, a line break.
const RICH: &str = "</textarea></title><img src=x onerror=alert(1)><b>INJ</b> & &amp; &lt;b&gt; \"double\" 'simple'\nligne 2";
/// The same on one line, for the fields that hold one.
const RICH_LINE: &str = "</textarea></title><img src=x onerror=alert(1)><b>INJ</b> & &amp; &lt;b&gt; \"double\" 'simple'";

const CANNED: &str = "/caisse/reponses-types";
const STRUCTURES: &str = "/admin/structures";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00PE\x00\x00this is not a pdf";

// ---- Reading the HTML as served ----

/// The page's HTML, asserting it was served.
async fn html(browser: &Browser, path: &str) -> String {
    let response = browser.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("html")
}

/// The page's HTML whatever its status (error pages included).
async fn any_html(browser: &Browser, path: &str) -> (StatusCode, String) {
    let response = browser.get(path).await;
    let status = response.status();
    (status, response.text().await.expect("html"))
}

/// Asserts the page holds no markup produced by the payload: no bold tag, no image, no textarea or title closed
/// more often than opened, nothing escaped twice. Case-insensitive, in case a name is shown in capitals.
fn assert_inert(html: &str, page: &str) {
    let lower = html.to_lowercase();
    for injected in ["<b>inj</b>", "<img src=x"] {
        if let Some(at) = lower.find(injected) {
            panic!("{page}: the payload came out as markup ({injected}): …{}…", context(html, at));
        }
    }
    assert_eq!(lower.matches("</textarea>").count(), lower.matches("<textarea").count(), "{page}: a textarea closed by the payload");
    assert!(lower.matches("</title>").count() <= 1, "{page}: the title closed by the payload");
    assert_eq!(lower.matches("</title>").count(), lower.matches("<title").count(), "{page}: a title closed by the payload");
    if let Some(at) = html.find("&amp;lt;") {
        panic!("{page}: escaped twice, the person would read entities: …{}…", context(html, at));
    }
}

/// Asserts the page is inert and shows the payload as text.
fn assert_shown(html: &str, page: &str) {
    assert_inert(html, page);
    assert!(html.to_lowercase().contains(&ESCAPED.to_lowercase()), "{page}: the payload typed should show, as text");
}

/// How many times the payload shows as text.
fn shown_times(html: &str) -> usize {
    html.to_lowercase().matches(&ESCAPED.to_lowercase()).count()
}

fn context(html: &str, at: usize) -> String {
    let start = html.floor_char_boundary(at.saturating_sub(200));
    let end = html.ceil_char_boundary((at + 200).min(html.len()));
    html[start..end].to_owned()
}

/// The text of the first element opening with `opening` (`h1`, `h2 id="request-title"`…), tags and hydration
/// comments inside it left out, as the person reads it.
fn element_text(html: &str, opening: &str) -> Option<String> {
    let name = opening.split(' ').next()?;
    let start = html.find(&format!("<{opening}"))?;
    let content_start = start + html[start..].find('>')? + 1;
    let content = &html[content_start..content_start + html[content_start..].find(&format!("</{name}>"))?];
    let mut text = String::new();
    let mut in_tag = false;
    for c in content.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(decode(&text))
}

/// The page title, as the browser's tab shows it.
fn title(html: &str) -> String {
    element_text(html, "title").expect("a title")
}

fn full_title(page: &str) -> String {
    format!("{page} – Espace Partenaires")
}

/// `text` for a URL's path or query.
fn encoded(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// The checks above catch the payload served as markup, and read the escaped payload back as typed.
#[test]
fn the_checks_tell_markup_from_text() {
    let raw =
        format!("<html><head><title>{PAYLOAD} – Espace Partenaires</title></head><body><textarea id=\"body\">{PAYLOAD}</textarea></body></html>");
    assert!(std::panic::catch_unwind(|| assert_inert(&raw, "unescaped")).is_err(), "markup is caught");
    let bare = format!("<textarea id=\"body\">{}</textarea>", PAYLOAD.replace("<b>", "").replace("</b>", "").replace("<img src=x", "x"));
    assert!(std::panic::catch_unwind(|| assert_inert(&bare, "a textarea closed twice")).is_err(), "a second </textarea> is caught");
    let twice = format!("<textarea id=\"body\">{}</textarea>", ESCAPED.replace('&', "&amp;"));
    assert!(std::panic::catch_unwind(|| assert_inert(&twice, "escaped twice")).is_err(), "double escaping is caught");
    let served = format!(
        "<html><head><title>{ESCAPED} – Espace Partenaires</title></head><body><h1>{ESCAPED}<!></h1><input type=\"text\" id=\"name\" value=\"{ESCAPED}\"><textarea id=\"body\">{ESCAPED}</textarea></body></html>"
    );
    assert_shown(&served, "escaped");
    assert_eq!(title(&served), full_title(PAYLOAD));
    assert_eq!(element_text(&served, "h1").as_deref(), Some(PAYLOAD));
    assert_eq!(input_value(&served, "name").as_deref(), Some(PAYLOAD));
    assert_eq!(textarea(&served, "body").as_deref(), Some(PAYLOAD));
}

// ---- Data ----

/// `text` as an SQL string literal.
fn sql(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn today() -> chrono::NaiveDate {
    app::server::time_fr::paris_day(chrono::Utc::now())
}

fn multipart(fields: &[(&str, &str)]) -> Form {
    fields.iter().fold(Form::new(), |form, (k, v)| form.text(k.to_string(), v.to_string()))
}

async fn submit(partner: &Browser, slug: &str, form: Form) -> reqwest::Response {
    partner.post_multipart(&format!("/partenaire/demandes/envoyer/{slug}"), &format!("/partenaire/demandes/nouvelle/{slug}"), form).await
}

/// Sends a partner form and returns the new request's reference.
async fn create(partner: &Browser, slug: &str, fields: &[(&str, &str)]) -> String {
    let response = submit(partner, slug, multipart(fields)).await;
    let to = location(&response);
    to.strip_prefix("/partenaire/demandes/")
        .and_then(|rest| rest.strip_suffix("/envoyee"))
        .unwrap_or_else(|| panic!("{slug}: expected the confirmation page, got {to}"))
        .to_owned()
}

/// A complete assuré block; `name` is typed as both the last and first names and the address.
fn assure(name: &str) -> Vec<(&str, &str)> {
    vec![
        ("last_name", name),
        ("first_names", name),
        ("birth_date", "1984-12-03"),
        ("nir", "1 84 12 76 451 089 46"),
        ("address", name),
        ("consent", "oui"),
        ("consent_method", "oral"),
        ("confirm_duplicate", "oui"),
    ]
}

fn structure_form<'a>(name: &'a str, siret: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("name", name), ("kind", "ccas"), ("siret", siret), ("address", name), ("postal_code", "91300"), ("commune", name)]
}

// ---- Scenarios ----

async fn a_canned_reply_typed_with_markup_reads_back_as_text(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, reference) = referral(&app, "Modele").await;
    let agent = app.signed_in(AGENT_91).await;

    // Refused without JavaScript (no title): the new reply's form comes back with the text as typed.
    let refused = agent.post_form("create_canned_reply", CANNED, &[("title", ""), ("body", PAYLOAD)]).await;
    let back = location(&refused);
    assert!(back.starts_with(CANNED), "{back}");
    let page = html(&agent, &back).await;
    assert_shown(&page, "refused new canned reply");
    assert_eq!(textarea(&page, "body").as_deref(), Some(PAYLOAD), "the text typed, exactly");

    // Saved without JavaScript: its card, its edit form and its delete button.
    let posted = agent.post_form("create_canned_reply", CANNED, &[("title", PAYLOAD), ("body", PAYLOAD)]).await;
    assert_eq!(location(&posted), format!("{CANNED}?fait=ajout"));
    let id = app.text(&format!("SELECT id FROM canned_replies WHERE title = {} AND body = {}", sql(PAYLOAD), sql(PAYLOAD))).await;
    let page = html(&agent, CANNED).await;
    assert_shown(&page, CANNED);
    assert!(shown_times(&page) >= 5, "title, text, « Modifier », « Supprimer » and the edit form: {}", shown_times(&page));
    assert_eq!(input_value(&page, &format!("title-{id}")).as_deref(), Some(PAYLOAD), "the edit form's title");
    assert_eq!(textarea(&page, &format!("body-{id}")).as_deref(), Some(PAYLOAD), "the edit form's text");
    assert_eq!(textarea(&page, "body").as_deref(), Some(""), "the new reply's form stays empty");

    // A refused change comes back, in that reply's form, as typed.
    let typed = format!("Texte modifié {PAYLOAD}");
    let refused = agent.post_form("update_canned_reply", CANNED, &[("id", &id), ("title", " "), ("body", &typed)]).await;
    let page = html(&agent, &location(&refused)).await;
    assert_shown(&page, "refused canned reply change");
    assert_eq!(textarea(&page, &format!("body-{id}")).as_deref(), Some(typed.as_str()));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM canned_replies WHERE id = '{id}' AND body = {}", sql(PAYLOAD))).await, 1, "unchanged");

    // On a request: offered by its title, and pre-filling the reply.
    let request_page = format!("/caisse/demandes/{reference}");
    let page = html(&agent, &request_page).await;
    assert_shown(&page, &request_page);
    assert_eq!(textarea(&page, "body").as_deref(), Some(""), "no reply pre-filled without ?modele=");
    let filled_page = format!("{request_page}?modele={id}");
    let page = html(&agent, &filled_page).await;
    assert_shown(&page, &filled_page);
    assert_eq!(textarea(&page, "body").as_deref(), Some(PAYLOAD), "the reply pre-filled with the text, exactly");
}

async fn a_structure_named_with_markup_reads_back_as_text(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;

    // Refused (a wrong SIRET) without JavaScript: the form comes back as typed.
    let refused = admin.post_form("create_structure", STRUCTURES, &structure_form(PAYLOAD, "217 703 776 00014")).await;
    let page = html(&admin, &location(&refused)).await;
    assert_shown(&page, "refused new structure");
    for field in ["name", "address", "commune"] {
        assert_eq!(input_value(&page, field).as_deref(), Some(PAYLOAD), "{field}");
    }

    // Saved: its page (title, heading, profile form), the list, a search for it, the overview, the audit log.
    let posted = admin.post_form("create_structure", STRUCTURES, &structure_form(PAYLOAD, "217 703 776 00013")).await;
    let to = location(&posted);
    let id = structure_id(&app, "21770377600013").await;
    assert_eq!(to, format!("{STRUCTURES}/{id}?fait=creation"));
    let page = html(&admin, &to).await;
    assert_shown(&page, &to);
    assert_eq!(title(&page), full_title(PAYLOAD), "the tab shows the name as typed");
    assert_eq!(element_text(&page, "h1").as_deref(), Some(PAYLOAD));
    for field in ["name", "address", "commune"] {
        assert_eq!(input_value(&page, field).as_deref(), Some(PAYLOAD), "the profile form's {field}");
    }
    for path in [STRUCTURES.to_owned(), format!("{STRUCTURES}?recherche={}", encoded(PAYLOAD)), "/admin".to_owned(), "/admin/journal".to_owned()] {
        let page = html(&admin, &path).await;
        assert_shown(&page, &path);
    }
    let page = html(&admin, &format!("{STRUCTURES}?recherche={}", encoded(PAYLOAD))).await;
    assert_eq!(input_value(&page, "recherche").as_deref(), Some(PAYLOAD), "the search box keeps what was typed");
    assert!(page.contains(&format!("/admin/structures/{id}")), "the search finds the structure");

    // An agent invited there: the e-mail names the structure, escaped in its HTML part.
    let back = format!("{STRUCTURES}/{id}");
    let invite = [
        ("email", "agent.inj@example.org"),
        ("first_name", "Léa"),
        ("last_name", "Roux"),
        ("role", "partner_agent"),
        ("structure_id", &id),
        ("back", &back),
    ];
    assert_eq!(location(&admin.post_form("invite_account", &back, &invite).await), format!("{back}?fait=invitation"));
    let mail = app.text("SELECT html_body FROM outbox WHERE recipient = 'agent.inj@example.org'").await;
    assert_shown(&mail, "the invitation e-mail");
    let subject = app.text("SELECT subject FROM outbox WHERE recipient = 'agent.inj@example.org'").await;
    assert!(subject.ends_with(PAYLOAD), "the plain subject keeps the name as typed: {subject}");

    // A convention signed and ending soon lists it.
    let ending_soon = Convention::signed().starting(today()).ending(today() + chrono::Duration::days(20));
    ending_soon.create_for(&app, &id, &caisse_id(&app, "091").await).await;
    let page = html(&admin, "/admin/conventions").await;
    assert_shown(&page, "/admin/conventions");
    let page = html(&admin, &back).await;
    assert_shown(&page, &back);
}

/// The invitation form of the CCAS d'Évry's page, names typed as the payload.
fn invitation<'a>(email: &'a str, structure: &'a str, back: &'a str) -> [(&'a str, &'a str); 6] {
    [("email", email), ("first_name", PAYLOAD), ("last_name", PAYLOAD), ("role", "partner_agent"), ("structure_id", structure), ("back", back)]
}

async fn an_account_named_with_markup_reads_back_as_text(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let evry = structure_id(&app, EVRY_SIRET).await;
    let back = format!("{STRUCTURES}/{evry}");
    let email = "inj@example.org";

    // Refused (not an e-mail address) without JavaScript: the form comes back as typed.
    let refused = admin.post_form("invite_account", &back, &invitation("pas-une-adresse", &evry, &back)).await;
    let page = html(&admin, &location(&refused)).await;
    assert_shown(&page, "refused invitation");
    assert_eq!(input_value(&page, "first_name").as_deref(), Some(PAYLOAD));
    assert_eq!(input_value(&page, "last_name").as_deref(), Some(PAYLOAD));

    // Invited: the account's page (title, heading), the lists, the structure's agents.
    let invited = admin.post_form("invite_account", &back, &invitation(email, &evry, &back)).await;
    assert_eq!(location(&invited), format!("{back}?fait=invitation"));
    let id = account_id(&app, email).await;
    let name = format!("{PAYLOAD} {PAYLOAD}");
    let account_page = format!("/admin/comptes/{id}");
    let page = html(&admin, &account_page).await;
    assert_shown(&page, &account_page);
    assert_eq!(title(&page), full_title(&name), "the tab shows the name as typed");
    assert_eq!(element_text(&page, "h1").as_deref(), Some(name.as_str()));
    for path in ["/admin/comptes".to_owned(), format!("/admin/comptes?recherche={}", encoded(PAYLOAD)), back.clone()] {
        let page = html(&admin, &path).await;
        assert_shown(&page, &path);
    }

    // The person activates the account and works: the name shows in the header and on every request.
    let text = app.text(&format!("SELECT text_body FROM outbox WHERE recipient = '{email}'")).await;
    let start = text.find("/compte/activer?jeton=").expect("an invitation link") + "/compte/activer?jeton=".len();
    let token: String = text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || "-_".contains(*c)).collect();
    let password = "Bienvenue-Injection-2026";
    let visitor = app.browser();
    let chosen = visitor.call("choose_password", &[("token", &token), ("password", password), ("confirmation", password)]).await;
    assert_eq!(chosen.status(), StatusCode::OK);
    assert_eq!(admin.call("record_training", &[("id", &id), ("trained_on", &today().to_string())]).await.status(), StatusCode::OK);
    let person = app.browser();
    assert_eq!(person.sign_in_js(email, password).await.status(), StatusCode::OK);
    let page = html(&person, "/partenaire/demandes").await;
    assert_shown(&page, "the header of the person's own pages");
    let reference = send_referral(&person, "Auteur").await;

    // A colleague's request the person follows: its author sees who else follows it.
    let colleague = app.signed_in(PARTNER).await;
    let followed = send_referral(&colleague, "Suivi").await;
    let follow = person.call("follow_request", &[("reference", followed.as_str()), ("follow", "true")]).await;
    assert_eq!(follow.status(), StatusCode::OK);

    let agent = app.signed_in(AGENT_91).await;
    for (browser, path) in [
        (&colleague, format!("/partenaire/demandes/{reference}")),
        (&colleague, format!("/partenaire/demandes/{followed}")),
        (&colleague, "/partenaire/historique".to_owned()),
        (&person, format!("/partenaire/demandes/{reference}")),
        (&agent, format!("/caisse/demandes/{reference}")),
    ] {
        let page = html(browser, &path).await;
        assert_shown(&page, &path);
    }
    // The queue names the structure, not the author; the audit log names the address invited.
    for (browser, path) in [(&agent, "/caisse/file?statut=all"), (&admin, "/admin/journal")] {
        let page = html(browser, path).await;
        assert_inert(&page, path);
    }
}

async fn refused_partner_forms_come_back_with_the_markup_as_text(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let before = app.count("SELECT COUNT(*) FROM requests").await;
    let massy = app.text("SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await;
    let channel = format!("accueil:{massy}");

    // Each form refused for another reason than the payload, with the payload in each free-text field: its slug, its
    // fields, the textarea and the inputs that must give the payload back, and the message that says why.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, Vec<&'a str>, &'a str);
    let cases: Vec<Case<'_>> = vec![
        // A file that is not a PDF.
        (
            "contact",
            vec![("subject", PAYLOAD), ("message", PAYLOAD)],
            "message",
            vec!["subject"],
            "« facture.pdf » n'est pas un PDF, un JPEG ou un PNG",
        ),
        // No ground ticked, no consent.
        (
            "mas",
            vec![
                ("last_name", PAYLOAD),
                ("first_names", PAYLOAD),
                ("address", PAYLOAD),
                ("birth_date", "1984-12-03"),
                ("other_ground", PAYLOAD),
                ("description", PAYLOAD),
                ("urgency", "normal"),
                ("reach_by", "through_partner"),
                ("reach_when", PAYLOAD),
            ],
            "description",
            vec!["last_name", "first_names", "address", "other_ground", "reach_when"],
            "Cochez au moins un motif de difficulté.",
        ),
        // Not declared without an ameli account.
        (
            "rendez-vous",
            vec![
                ("last_name", PAYLOAD),
                ("first_names", PAYLOAD),
                ("birth_date", "1984-12-03"),
                ("consent", "oui"),
                ("consent_method", "oral"),
                ("not_autonomous", "oui"),
                ("reason", PAYLOAD),
                ("channel", channel.as_str()),
                ("availability", PAYLOAD),
                ("interpreter", "oui"),
                ("interpreter_language", PAYLOAD),
            ],
            "reason",
            vec!["last_name", "availability", "interpreter_language"],
            "Le rendez-vous est réservé aux assurés sans compte ameli : confirmez-le.",
        ),
        // No birth date.
        (
            "etude-dossier",
            vec![
                ("last_name", PAYLOAD),
                ("first_names", PAYLOAD),
                ("consent", "oui"),
                ("consent_method", "oral"),
                ("dossier_type", "other"),
                ("other_type", PAYLOAD),
                ("message", PAYLOAD),
            ],
            "message",
            vec!["last_name", "other_type"],
            "Saisissez la date de naissance de l'assuré.",
        ),
    ];
    for (slug, fields, area, inputs, why) in cases {
        let mut form = multipart(&fields);
        if slug == "contact" {
            form = form.part("files", Part::bytes(EXE.to_vec()).file_name("facture.pdf").mime_str("application/pdf").expect("mime"));
        }
        let response = submit(&partner, slug, form).await;
        let back = format!("/partenaire/demandes/nouvelle/{slug}");
        assert_eq!(location(&response), back, "{slug}: refused, back to the form");
        let page = html(&partner, &back).await;
        assert_shown(&page, &back);
        let text = main_text(&page);
        assert!(text.contains("Le formulaire contient des erreurs") && text.contains(why), "{slug}: refused with its message: {text}");
        assert_eq!(textarea(&page, area).as_deref(), Some(PAYLOAD), "{slug}: the {area} typed, exactly");
        for input in inputs {
            assert_eq!(input_value(&page, input).as_deref(), Some(PAYLOAD), "{slug}: the {input} typed, exactly");
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM requests").await, before, "nothing was sent");
}

async fn a_request_typed_with_markup_reads_back_as_text_on_both_sides(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    let massy = app.text("SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await;
    let channel = format!("accueil:{massy}");

    let contact = create(&partner, "contact", &[("subject", PAYLOAD), ("message", PAYLOAD)]).await;
    let mut mas = assure(PAYLOAD);
    mas.extend([
        ("grounds", "other"),
        ("other_ground", PAYLOAD),
        ("description", PAYLOAD),
        ("urgency", "normal"),
        ("reach_by", "through_partner"),
        ("reach_when", PAYLOAD),
    ]);
    let mas = create(&partner, "mas", &mas).await;
    let mut appointment = assure(PAYLOAD);
    appointment.extend([
        ("not_autonomous", "oui"),
        ("no_ameli_account", "oui"),
        ("reason", PAYLOAD),
        ("channel", channel.as_str()),
        ("availability", PAYLOAD),
        ("interpreter", "oui"),
        ("interpreter_language", PAYLOAD),
    ]);
    let appointment = create(&partner, "rendez-vous", &appointment).await;
    let mut study = assure(PAYLOAD);
    study.extend([("dossier_type", "other"), ("other_type", PAYLOAD), ("message", PAYLOAD)]);
    let study = create(&partner, "etude-dossier", &study).await;

    let agent = app.signed_in(AGENT_91).await;
    for reference in [&contact, &mas, &appointment, &study] {
        for (browser, path) in [
            (&partner, format!("/partenaire/demandes/{reference}")),
            (&partner, format!("/partenaire/demandes/{reference}/envoyee")),
            (&agent, format!("/caisse/demandes/{reference}")),
        ] {
            let page = html(browser, &path).await;
            if path.ends_with("/envoyee") {
                assert_inert(&page, &path);
            } else {
                assert_shown(&page, &path);
            }
        }
    }
    // Each free-text answer shows, one by one, on both sides.
    let (partner_mas, agent_mas) =
        (html(&partner, &format!("/partenaire/demandes/{mas}")).await, html(&agent, &format!("/caisse/demandes/{mas}")).await);
    for page in [&partner_mas, &agent_mas] {
        assert!(shown_times(page) >= 4, "description, other ground, when to reach, name, address: {}", shown_times(page));
    }
    let agent_appointment = html(&agent, &format!("/caisse/demandes/{appointment}")).await;
    assert!(shown_times(&agent_appointment) >= 4, "reason, availability, language, name, address: {}", shown_times(&agent_appointment));
    for (browser, path) in [
        (&partner, "/partenaire/demandes"),
        (&partner, "/partenaire/historique"),
        (&agent, "/caisse/file?statut=all"),
        (&agent, "/caisse/file?attribution=none"),
    ] {
        let page = html(browser, path).await;
        assert_shown(&page, path);
    }
    let search = format!("/partenaire/historique?q={}", encoded(PAYLOAD));
    let page = html(&partner, &search).await;
    assert_shown(&page, &search);
}

async fn replies_notes_and_reasons_with_markup_read_back_as_text_in_both_threads(db: Db) {
    let app = TestApp::spawn(db).await;
    let (partner, reference) = referral(&app, "Fil").await;
    let agent = app.signed_in(AGENT_91).await;
    let caisse_page = format!("/caisse/demandes/{reference}");
    let partner_page = format!("/partenaire/demandes/{reference}");

    assert_eq!(act(&agent, &reference, &[("action", "take")]).await.status(), StatusCode::OK);
    // The caisse asks for more, without JavaScript.
    let asked = agent.post_form("triage_action", &caisse_page, &[("reference", &reference), ("action", "ask_partner"), ("message", PAYLOAD)]).await;
    assert_eq!(location(&asked), format!("{caisse_page}?fait=1"));
    assert_eq!(status(&app, &reference).await, "awaiting_partner");

    // The partner's answer refused (a file that is not a PDF): the message comes back as typed.
    let refused = multipart(&[("message", PAYLOAD)]).part("files", Part::bytes(EXE.to_vec()).file_name("facture.pdf"));
    let response = partner.post_multipart(&format!("{partner_page}/reponse"), &partner_page, refused).await;
    assert_eq!(location(&response), format!("{partner_page}#repondre"));
    let page = html(&partner, &partner_page).await;
    assert_shown(&page, "refused partner reply");
    assert_eq!(textarea(&page, "message").as_deref(), Some(PAYLOAD), "the message typed, exactly");
    // Then sent.
    let sent = partner.post_multipart(&format!("{partner_page}/reponse"), &partner_page, multipart(&[("message", PAYLOAD)])).await;
    assert_eq!(location(&sent), format!("{partner_page}?reponse=1#fil"));

    // A reply (without JavaScript) and an internal note (with it).
    let replied = agent.post_form("caisse_message", &caisse_page, &[("reference", &reference), ("body", PAYLOAD)]).await;
    assert!(location(&replied).starts_with(&caisse_page), "{}", location(&replied));
    let note = agent.call("caisse_message", &[("reference", reference.as_str()), ("body", PAYLOAD), ("internal", "oui")]).await;
    assert_eq!(note.status(), StatusCode::OK);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM request_messages WHERE body = {}", sql(PAYLOAD))).await, 4, "question, answer, reply, note");

    // An appointment with instructions, missed; then the request closed with a reason.
    let massy = app.text("SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await;
    let monday = next(Weekday::Mon).to_string();
    let booked =
        act(&agent, &reference, &[("action", "schedule"), ("place", &massy), ("date", &monday), ("time", "09:00"), ("message", PAYLOAD)]).await;
    assert_eq!(booked.status(), StatusCode::OK);
    let partner_html = html(&partner, &partner_page).await;
    assert_shown(&partner_html, "the partner's page with the appointment");
    let before_closing = shown_times(&partner_html);
    assert_eq!(act(&agent, &reference, &[("action", "appointment_missed")]).await.status(), StatusCode::OK);
    assert_eq!(act(&agent, &reference, &[("action", "close_out_of_scope"), ("message", PAYLOAD)]).await.status(), StatusCode::OK);

    let agent_html = html(&agent, &caisse_page).await;
    assert_shown(&agent_html, &caisse_page);
    let partner_html = html(&partner, &partner_page).await;
    assert_shown(&partner_html, &partner_page);
    let (on_caisse_side, on_partner_side) = (shown_times(&agent_html), shown_times(&partner_html));
    assert!(on_partner_side >= 5, "question, answer, reply, instructions, reason: {on_partner_side}");
    assert!(on_partner_side >= before_closing, "{on_partner_side} < {before_closing}");
    assert!(on_caisse_side > on_partner_side, "the internal note shows on the caisse's side only: {on_caisse_side} vs {on_partner_side}");

    // A request withdrawn with a reason.
    let withdrawn = send_referral(&partner, "Retrait").await;
    let page = format!("/partenaire/demandes/{withdrawn}");
    let response = partner.post_form("withdraw_request", &page, &[("reference", withdrawn.as_str()), ("reason", PAYLOAD), ("confirm", "oui")]).await;
    assert_eq!(location(&response), format!("{page}?retiree=1"));
    let partner_html = html(&partner, &format!("{page}?retiree=1")).await;
    assert_shown(&partner_html, &page);
    let agent_html = html(&agent, &format!("/caisse/demandes/{withdrawn}")).await;
    assert_shown(&agent_html, "the caisse's page of the withdrawn request");

    // The e-mails about it hold the text escaped, never as markup.
    for mail in app.texts("SELECT html_body FROM outbox").await {
        assert_inert(&mail, "an e-mail");
    }
}

async fn a_suspension_reason_with_markup_reads_back_as_text(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    let evry = structure_id(&app, EVRY_SIRET).await;
    let convention = app.text(&format!("SELECT id FROM conventions WHERE structure_id = '{evry}' ORDER BY starts_on DESC LIMIT 1")).await;
    let page = format!("{STRUCTURES}/{evry}");
    let suspended = admin.post_form("act_on_convention", &page, &[("id", &convention), ("action", "suspend"), ("reason", PAYLOAD)]).await;
    assert!(location(&suspended).contains("fait=suspension"), "{}", location(&suspended));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM conventions WHERE id = '{convention}' AND suspension_reason = {}", sql(PAYLOAD))).await, 1);

    let structure_html = html(&admin, &page).await;
    assert_shown(&structure_html, &page);
    let journal = html(&admin, "/admin/journal").await;
    assert_inert(&journal, "/admin/journal");
    let partner = app.signed_in(PARTNER).await;
    for path in ["/partenaire/demandes", "/partenaire/demandes/nouvelle/contact", "/partenaire/historique"] {
        let html = html(&partner, path).await;
        assert_inert(&html, path);
    }
    // Terminated with a reason too.
    assert_eq!(admin.call("act_on_convention", &[("id", &convention), ("action", "terminate"), ("reason", PAYLOAD)]).await.status(), StatusCode::OK);
    let structure_html = html(&admin, &page).await;
    assert_shown(&structure_html, "the structure's page after termination");
}

async fn teams_and_accueils_named_with_markup_read_back_as_text(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;

    // A team: refused (too long) it comes back as typed; saved, it shows wherever teams are listed or chosen.
    let too_long = format!("{PAYLOAD}{PAYLOAD}");
    let refused = admin.post_form("create_team", "/admin/equipes", &[("name", &too_long)]).await;
    let page = html(&admin, &location(&refused)).await;
    assert_shown(&page, "refused new team");
    assert_eq!(input_value(&page, "name").as_deref(), Some(too_long.as_str()));
    let added = admin.post_form("create_team", "/admin/equipes", &[("name", PAYLOAD)]).await;
    assert_eq!(location(&added), "/admin/equipes?fait=ajout");
    let team = app.text(&format!("SELECT id FROM teams WHERE name = {}", sql(PAYLOAD))).await;
    let team_page = format!("/admin/equipes/{team}");
    let page = html(&admin, &team_page).await;
    assert_shown(&page, &team_page);
    assert_eq!(input_value(&page, "name").as_deref(), Some(PAYLOAD));
    let agent_account = format!("/admin/comptes/{}", account_id(&app, AGENT_91).await);
    for path in ["/admin/equipes", agent_account.as_str()] {
        let page = html(&admin, path).await;
        assert_shown(&page, path);
    }

    // An accueil: refused (a wrong telephone, which the message repeats) it comes back as typed; saved, it is
    // offered to partners and agents and shown with the appointments made there.
    let accueil = |phone: &'static str| {
        vec![
            ("name", PAYLOAD),
            ("address", PAYLOAD),
            ("postal_code", "91260"),
            ("commune", PAYLOAD),
            ("phone", phone),
            ("hours_mon", "08:30-12:00"),
            ("hours_tue", "08:30-12:00"),
            ("hours_wed", "08:30-12:00"),
            ("hours_thu", "08:30-12:00"),
            ("hours_fri", "08:30-12:00"),
        ]
    };
    let refused = admin.post_form("create_accueil", "/admin/accueils", &accueil(PAYLOAD)).await;
    let page = html(&admin, &location(&refused)).await;
    assert_shown(&page, "refused new accueil");
    for field in ["name", "address", "commune", "phone"] {
        assert_eq!(input_value(&page, field).as_deref(), Some(PAYLOAD), "{field}");
    }
    let added = admin.post_form("create_accueil", "/admin/accueils", &accueil("36 46")).await;
    assert_eq!(location(&added), "/admin/accueils?fait=ajout");
    let place = app.text(&format!("SELECT id FROM accueils WHERE name = {}", sql(PAYLOAD))).await;
    let place_page = format!("/admin/accueils/{place}");
    let page = html(&admin, &place_page).await;
    assert_shown(&page, &place_page);
    for field in ["name", "address", "commune"] {
        assert_eq!(input_value(&page, field).as_deref(), Some(PAYLOAD), "{field}");
    }
    let page = html(&admin, "/admin/accueils").await;
    assert_shown(&page, "/admin/accueils");
    let (partner, reference) = referral(&app, "Accueil").await;
    let page = html(&partner, "/partenaire/demandes/nouvelle/rendez-vous").await;
    assert_shown(&page, "the appointment form's accueils");

    // On a request: the team chosen, the accueil booked.
    let agent = app.signed_in(AGENT_91).await;
    let caisse_page = format!("/caisse/demandes/{reference}");
    let page = html(&agent, &caisse_page).await;
    assert_shown(&page, "the request's team and place choices");
    assert_eq!(act(&agent, &reference, &[("action", "assign_team"), ("team", &team)]).await.status(), StatusCode::OK);
    assert_eq!(act(&agent, &reference, &[("action", "take")]).await.status(), StatusCode::OK);
    let monday = next(Weekday::Mon).to_string();
    let booked = act(&agent, &reference, &[("action", "schedule"), ("place", &place), ("date", &monday), ("time", "09:00")]).await;
    assert_eq!(booked.status(), StatusCode::OK, "{:?}", app_error(booked).await);
    for (browser, path) in
        [(&agent, caisse_page.clone()), (&agent, "/caisse/file?statut=all".to_owned()), (&partner, format!("/partenaire/demandes/{reference}"))]
    {
        let page = html(browser, &path).await;
        assert_shown(&page, &path);
    }
}

async fn markup_in_an_address_or_a_refused_sign_in_stays_text(db: Db) {
    let app = TestApp::spawn(db).await;
    let payload = encoded(PAYLOAD);
    let agent = app.signed_in(AGENT_91).await;
    let partner = app.signed_in(PARTNER).await;
    let admin = app.signed_in(ADMIN_91).await;
    let visitor = app.browser();

    // Pages whose title or fields repeat a part of the address.
    for (browser, path, expected, shown) in [
        (&agent, format!("/caisse/demandes/{payload}"), StatusCode::NOT_FOUND, false),
        (&agent, format!("/caisse/file?q={payload}&statut={payload}"), StatusCode::OK, false),
        (&partner, format!("/partenaire/demandes/{payload}"), StatusCode::NOT_FOUND, false),
        (&partner, format!("/partenaire/historique?q={payload}"), StatusCode::OK, true),
        (&partner, format!("/partenaire/demandes/nouvelle/{payload}"), StatusCode::NOT_FOUND, false),
        (&admin, format!("{STRUCTURES}?recherche={payload}"), StatusCode::OK, true),
        (&admin, format!("{STRUCTURES}/{payload}"), StatusCode::NOT_FOUND, false),
        (&admin, format!("/admin/comptes?recherche={payload}&role={payload}&etat={payload}"), StatusCode::OK, true),
        (&admin, format!("/admin/comptes/{payload}"), StatusCode::NOT_FOUND, false),
        (&admin, format!("/admin/journal?acteur={payload}&objet={payload}&action={payload}&type={payload}&du={payload}"), StatusCode::OK, false),
        (&admin, format!("/admin/equipes/{payload}"), StatusCode::NOT_FOUND, false),
        (&admin, format!("/admin/accueils/{payload}"), StatusCode::NOT_FOUND, false),
        (&visitor, format!("/compte/activer?jeton={payload}"), StatusCode::OK, false),
        (&visitor, format!("/mot-de-passe/nouveau?jeton={payload}"), StatusCode::OK, false),
        (&visitor, format!("/{payload}"), StatusCode::NOT_FOUND, false),
    ] {
        let (status, page) = any_html(browser, &path).await;
        assert_eq!(status, expected, "{path}: an unknown id is not found, a filter or a token is read as text");
        if shown {
            assert_shown(&page, &path);
        } else {
            assert_inert(&page, &path);
        }
    }
    // A reference typed in a request page's address (a path segment: no slash, so no closing tag, but an image and a
    // bold tag) is not echoed as markup.
    let opening_only = "<img src=x onerror=alert(1)><b>INJ";
    for (browser, path) in
        [(&agent, format!("/caisse/demandes/{}", encoded(opening_only))), (&partner, format!("/partenaire/demandes/{}", encoded(opening_only)))]
    {
        let (status, page) = any_html(browser, &path).await;
        assert_inert(&page, &path);
        assert!(!page.to_lowercase().contains("<b>inj"), "{path}: the bold tag came out as markup");
        // An unknown reference is a page not found, whose title replaces the request's.
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(title(&page), full_title("Page introuvable"), "{path}");
    }

    // A refused sign-in without JavaScript keeps the address typed.
    let refused = visitor.sign_in_form(PAYLOAD, "mauvais").await;
    let back = location(&refused);
    let page = html(&visitor, &back).await;
    assert_shown(&page, "refused sign-in");
    assert_eq!(input_value(&page, "email").as_deref(), Some(PAYLOAD));
}

/// Every string in a server function's JSON answer.
fn all_strings(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items.iter().flat_map(all_strings).collect(),
        serde_json::Value::Object(fields) => fields.values().flat_map(all_strings).collect(),
        _ => vec![],
    }
}

async fn what_is_typed_is_stored_exactly_and_a_form_saved_as_served_changes_nothing(db: Db) {
    let app = TestApp::spawn(db).await;

    // A canned reply: stored as typed, handed back as typed by its server function, and saving its edit form as
    // the page serves it (twice) leaves it as it was.
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(agent.call("create_canned_reply", &[("title", RICH_LINE), ("body", RICH)]).await.status(), StatusCode::OK);
    let id = app.text(&format!("SELECT id FROM canned_replies WHERE title = {}", sql(RICH_LINE))).await;
    assert_eq!(app.text(&format!("SELECT body FROM canned_replies WHERE id = '{id}'")).await, RICH);
    let json: serde_json::Value = serde_json::from_str(&agent.call("canned_replies", &[]).await.text().await.expect("json")).expect("json");
    let strings = all_strings(&json);
    assert!(strings.iter().any(|s| s == RICH_LINE) && strings.iter().any(|s| s == RICH), "the data is never escaped: {json}");
    for round in 0..2 {
        let page = html(&agent, CANNED).await;
        let title = input_value(&page, &format!("title-{id}")).expect("the title field");
        let body = textarea(&page, &format!("body-{id}")).expect("the text field");
        assert_eq!((title.as_str(), body.as_str()), (RICH_LINE, RICH), "round {round}: served as typed");
        let saved = agent.post_form("update_canned_reply", CANNED, &[("id", &id), ("title", &title), ("body", &body)]).await;
        assert_eq!(location(&saved), format!("{CANNED}?fait=modification"));
        assert_eq!(app.text(&format!("SELECT title FROM canned_replies WHERE id = '{id}'")).await, RICH_LINE, "round {round}");
        assert_eq!(app.text(&format!("SELECT body FROM canned_replies WHERE id = '{id}'")).await, RICH, "round {round}");
    }
    let (_, reference) = referral(&app, "Stockage").await;
    let page = html(&agent, &format!("/caisse/demandes/{reference}?modele={id}")).await;
    assert_eq!(textarea(&page, "body").as_deref(), Some(RICH), "pre-filled as typed");

    // A structure: the same with its profile form.
    let admin = app.signed_in(ADMIN_91).await;
    let posted = admin.post_form("create_structure", STRUCTURES, &structure_form(RICH_LINE, "217 703 776 00013")).await;
    let to = location(&posted);
    let structure = structure_id(&app, "21770377600013").await;
    let stored = |column: &str| format!("SELECT {column} FROM partner_structures WHERE id = '{structure}'");
    for column in ["name", "address", "commune"] {
        assert_eq!(app.text(&stored(column)).await, RICH_LINE, "{column}");
    }
    for round in 0..2 {
        let page = html(&admin, &to).await;
        let served: Vec<(&str, String)> = ["name", "siret", "address", "postal_code", "commune"]
            .into_iter()
            .map(|field| (field, input_value(&page, field).unwrap_or_else(|| panic!("the {field} field"))))
            .collect();
        for (field, value) in &served {
            if ["name", "address", "commune"].contains(field) {
                assert_eq!(value, RICH_LINE, "round {round}: {field} served as typed");
            }
        }
        let mut again: Vec<(&str, &str)> = served.iter().map(|(field, value)| (*field, value.as_str())).collect();
        again.extend([("kind", "ccas"), ("id", structure.as_str())]);
        assert_eq!(admin.call("update_structure", &again).await.status(), StatusCode::OK, "round {round}");
        for column in ["name", "address", "commune"] {
            assert_eq!(app.text(&stored(column)).await, RICH_LINE, "round {round}: {column} unchanged");
        }
    }

    // An account's names.
    let evry = structure_id(&app, EVRY_SIRET).await;
    let invite = [("email", "rt@example.org"), ("first_name", PAYLOAD), ("last_name", RICH_LINE), ("role", "partner_agent"), ("structure_id", &evry)];
    assert_eq!(admin.call("invite_account", &invite).await.status(), StatusCode::OK);
    let name_of = |column: &str| format!("SELECT {column} FROM accounts WHERE email = 'rt@example.org'");
    assert_eq!(app.text(&name_of("first_name")).await, PAYLOAD);
    assert_eq!(app.text(&name_of("last_name")).await, RICH_LINE);
    let page = html(&admin, &format!("/admin/comptes/{}", account_id(&app, "rt@example.org").await)).await;
    assert_eq!(title(&page), full_title(&format!("{PAYLOAD} {RICH_LINE}")), "the tab shows the names as typed");

    // A request, a message, a reason.
    let partner = app.signed_in(PARTNER).await;
    let contact = create(&partner, "contact", &[("subject", RICH_LINE), ("message", RICH)]).await;
    let of_request = |column: &str| format!("SELECT {column} FROM requests WHERE reference = '{contact}'");
    assert_eq!(app.text(&of_request("subject")).await, RICH_LINE);
    assert_eq!(app.text(&of_request("body")).await, RICH);
    assert_eq!(agent.call("caisse_message", &[("reference", contact.as_str()), ("body", RICH)]).await.status(), StatusCode::OK);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM request_messages WHERE body = {}", sql(RICH))).await, 1);
    let withdrawn = send_referral(&partner, "Retrait").await;
    assert_eq!(
        partner.call("withdraw_request", &[("reference", withdrawn.as_str()), ("reason", RICH_LINE), ("confirm", "oui")]).await.status(),
        StatusCode::OK
    );
    let reason = format!(
        "SELECT COUNT(*) FROM request_events e JOIN requests r ON r.id = e.request_id WHERE r.reference = '{withdrawn}' AND e.note = {}",
        sql(RICH_LINE)
    );
    assert_eq!(app.count(&reason).await, 1, "the reason kept as typed");
    let detail = partner.call("request_detail", &[("reference", contact.as_str())]).await.text().await.expect("json");
    let strings = all_strings(&serde_json::from_str(&detail).expect("json"));
    assert!(
        strings.iter().any(|s| s == RICH_LINE) && strings.iter().filter(|s| *s == RICH).count() >= 2,
        "subject, body and message as typed: {detail}"
    );
    let page = html(&partner, &format!("/partenaire/demandes/{contact}")).await;
    assert_eq!(element_text(&page, "h2 id=\"request-title\"").as_deref(), Some(RICH_LINE), "the subject as typed");
}
