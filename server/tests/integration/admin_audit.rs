//! The audit log over HTTP: an admin reads their caisse's entries (never another caisse's), finds them by actor,
//! object or period, pages through them, and exports them as CSV — an export that is itself logged; old entries
//! go once past the retention period.

use crate::fixtures::{ADMIN_59, ADMIN_91, AGENT_59, AGENT_91, NATIONAL, PARTNER, caisse_id};
use crate::on_both_databases;
use crate::support::{Browser, Db, TestApp, app_error, assert_sent_to_sign_in, main_text};
use app::dto::admin::audit_log::AuditPage;
use app::dto::error::AppError;
use app::server::entities::audit_event;
use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

on_both_databases!(
    an_admin_finds_the_sign_ins_of_an_actor,
    an_admin_finds_an_objects_history_by_its_id_or_reference,
    an_admin_finds_the_entries_of_a_period_in_paris_days,
    another_caisses_entries_never_show_to_a_caisse_admin,
    only_admins_read_or_export_the_log,
    the_csv_export_opens_in_french_excel_and_defuses_formulas,
    the_export_is_itself_logged,
    entries_past_the_retention_period_are_purged_and_the_rest_kept,
    the_pages_show_every_entry_once_in_both_directions,
);

const PAGE: &str = "/admin/journal";
const CSV: &str = "/admin/journal.csv";

/// An entry written as the application writes them, `at` a given time (its id a UUID v7 of that time).
async fn entry_at(app: &TestApp, at: DateTime<Utc>, actor: &str, action: &str, caisse: Option<&str>, detail: Option<&str>) -> String {
    let caisse_id = match caisse {
        Some(code) => Some(caisse_id(app, code).await),
        None => None,
    };
    let secs = u64::try_from(at.timestamp()).expect("after 1970");
    let id = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, secs, at.timestamp_subsec_nanos())).to_string();
    audit_event::ActiveModel {
        id: Set(id.clone()),
        occurred_at: Set(at),
        actor_id: Set(None),
        actor_label: Set(actor.to_owned()),
        caisse_id: Set(caisse_id),
        action: Set(action.to_owned()),
        object_type: Set("account".to_owned()),
        object_id: Set(Some(format!("objet-{id}"))),
        request_id: Set(Some("req-test".to_owned())),
        ip: Set(Some("192.0.2.7".to_owned())),
        detail: Set(detail.map(str::to_owned)),
    }
    .insert(&app.state.db)
    .await
    .expect("audit entry");
    id
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("date").with_timezone(&Utc)
}

/// The log's data as the hydrated page loads it, for the given URL parameters' equivalents.
async fn search(browser: &Browser, filters: &[(&str, &str)]) -> AuditPage {
    let form: Vec<(String, &str)> = filters.iter().map(|(name, value)| (format!("query[{name}]"), *value)).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(name, value)| (name.as_str(), *value)).collect();
    let response = browser.call("audit_log", &form).await;
    assert_eq!(response.status(), StatusCode::OK, "audit_log {filters:?}");
    serde_json::from_str(&response.text().await.expect("body")).expect("an AuditPage")
}

async fn page_text(browser: &Browser, path: &str) -> String {
    let response = browser.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    main_text(&response.text().await.expect("html"))
}

async fn csv(browser: &Browser, query: &str) -> (reqwest::header::HeaderMap, String) {
    let response = browser.get(&format!("{CSV}{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "{CSV}{query}");
    let headers = response.headers().clone();
    (headers, response.text().await.expect("csv"))
}

async fn an_admin_finds_the_sign_ins_of_an_actor(db: Db) {
    let app = TestApp::spawn(db).await;
    app.signed_in(AGENT_91).await;
    app.signed_in(PARTNER).await;
    let admin = app.signed_in(ADMIN_91).await;

    let response = admin.get(PAGE).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains(r#"href="/admin/journal""#), "the header links to the page");
    let text = main_text(&html);
    assert!(text.contains("Journal d'audit") && text.contains("conservées 12 mois"), "{text}");
    assert!(text.contains(AGENT_91) && text.contains(PARTNER) && text.contains("Connexion"), "{text}");

    // Part of the address, any case.
    let text = page_text(&admin, "/admin/journal?acteur=AGENT.cpam91").await;
    assert!(text.contains(AGENT_91) && text.contains("Connexion"), "{text}");
    assert!(!text.contains(PARTNER) && !text.contains(ADMIN_91), "{text}");
    let page = search(&admin, &[("actor", "Agent.CPAM91"), ("action", "auth.signed_in")]).await;
    assert_eq!(page.rows.len(), 1, "{page:?}");
    assert_eq!((page.rows[0].actor.as_str(), page.rows[0].action_label.as_str()), (AGENT_91, "Connexion"));
    assert!(page.rows[0].object_id.is_some() && page.rows[0].request_id.is_some());

    // A `_` or `%` typed is a character, not a wildcard.
    assert!(search(&admin, &[("actor", "agent_cpam91")]).await.rows.is_empty());
    assert!(search(&admin, &[("actor", "%")]).await.rows.is_empty());
    let text = page_text(&admin, "/admin/journal?acteur=personne%40nulle-part.fr").await;
    assert!(text.contains("Aucune entrée ne correspond."), "{text}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'audit.exported'").await, 0, "reading is not logged");
}

async fn an_admin_finds_an_objects_history_by_its_id_or_reference(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, reference) = crate::triage::referral(&app, "Veil").await;
    let id = app.text(&format!("SELECT id FROM requests WHERE reference = '{reference}'")).await;
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(agent.call("reveal_nir", &[("reference", reference.as_str())]).await.status(), StatusCode::OK);
    let admin = app.signed_in(ADMIN_91).await;

    let page = search(&admin, &[("object", &id)]).await;
    let actions: Vec<&str> = page.rows.iter().map(|r| r.action.as_str()).collect();
    assert!(actions.contains(&"request.submitted") && actions.contains(&"request.nir_revealed"), "{actions:?}");
    assert!(page.rows.iter().all(|r| r.object_id.as_deref() == Some(id.as_str()) && r.object_type_label == "Demande"), "{page:?}");
    assert_eq!(search(&admin, &[("object", &reference.to_lowercase())]).await.rows, page.rows, "the reference finds the same history");

    let text = page_text(&admin, &format!("/admin/journal?objet={reference}")).await;
    assert!(text.contains("Demande envoyée") && text.contains("NIR affiché en entier") && text.contains(&id), "{text}");
    // Each entry names its object as people know it (a request by its reference), its id below.
    assert!(page.rows.iter().all(|r| r.object_name.as_deref() == Some(reference.as_str())), "{page:?}");
    assert!(text.contains(&format!("Demande {reference} {id}")), "{text}");
    let (_, file) = csv(&admin, &format!("?objet={reference}")).await;
    assert!(file.contains(&format!("\"{reference} ({id})\"")), "{file}");
    // Accounts by name and e-mail, structures by name.
    let accounts = search(&admin, &[("object_type", "account")]).await;
    assert!(accounts.rows.iter().any(|r| r.object_name.as_deref().is_some_and(|name| name.ends_with(&format!("({AGENT_91})")))), "{accounts:?}");

    // By type: only requests; by type and action family.
    let requests = search(&admin, &[("object_type", "request")]).await;
    assert!(!requests.rows.is_empty() && requests.rows.iter().all(|r| r.object_type == "request"), "{requests:?}");
    let revealed = search(&admin, &[("object_type", "request"), ("action", "request.nir")]).await;
    assert_eq!(revealed.rows.len(), 1);
    assert_eq!(revealed.rows[0].actor, AGENT_91);
}

async fn an_admin_finds_the_entries_of_a_period_in_paris_days(db: Db) {
    let app = TestApp::spawn(db).await;
    let actor = "periode@example.org";
    let tenth = entry_at(&app, at("2026-01-10T12:00:00Z"), actor, "auth.signed_in", Some("091"), None).await;
    // 23:30 UTC on the 14th is 00:30 on the 15th in Paris.
    let late = entry_at(&app, at("2026-01-14T23:30:00Z"), actor, "auth.signed_in", Some("091"), None).await;
    let twentieth = entry_at(&app, at("2026-01-20T08:00:00Z"), actor, "auth.signed_in", Some("091"), None).await;
    let admin = app.signed_in(ADMIN_91).await;
    let ids = |page: AuditPage| page.rows.into_iter().map(|r| r.id).collect::<Vec<_>>();

    assert_eq!(ids(search(&admin, &[("actor", actor), ("from", "2026-01-10"), ("to", "2026-01-14")]).await), std::slice::from_ref(&tenth));
    assert_eq!(ids(search(&admin, &[("actor", actor), ("from", "15/01/2026"), ("to", "15/01/2026")]).await), std::slice::from_ref(&late));
    assert_eq!(ids(search(&admin, &[("actor", actor), ("from", "2026-01-11")]).await), [twentieth.clone(), late.clone()]);
    assert_eq!(ids(search(&admin, &[("actor", actor), ("to", "2026-01-19")]).await), [late.clone(), tenth.clone()]);
    let text = page_text(&admin, &format!("/admin/journal?acteur={actor}&du=2026-01-20&au=2026-01-20")).await;
    assert!(text.contains("20/01/2026 à 09:00"), "Paris time: {text}");
    assert!(!text.contains("10/01/2026"), "{text}");

    // A wrong date is refused on its field, on the page, through the server function and for the CSV.
    let refused = app_error(admin.call("audit_log", &[("query[from]", "hier")]).await).await;
    assert!(refused.message_for("du").is_some_and(|m| m.contains("JJ/MM/AAAA")), "{refused:?}");
    let refused = app_error(admin.call("audit_log", &[("query[from]", "2026-01-20"), ("query[to]", "2026-01-10")]).await).await;
    assert!(refused.message_for("au").is_some_and(|m| m.contains("précède")), "{refused:?}");
    let response = admin.get("/admin/journal?du=31%2F02%2F2026").await;
    let html = response.text().await.expect("html");
    let text = main_text(&html);
    assert!(text.contains("« 31/02/2026 » n'est pas une date") && text.contains("Filtrer"), "the form stays, with the message: {text}");
    assert!(html.contains(r##"href="#du""##) && html.contains(r#"value="31/02/2026""#), "linked to the field, as typed");
    let response = admin.get("/admin/journal.csv?du=hier").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a wrong filter is refused as every invalid form is");
    assert!(response.text().await.expect("text").contains("n'est pas une date"));
}

async fn another_caisses_entries_never_show_to_a_caisse_admin(db: Db) {
    let app = TestApp::spawn(db).await;
    app.signed_in(AGENT_59).await;
    app.signed_in(AGENT_91).await;
    let agent_59 = app.text(&format!("SELECT id FROM accounts WHERE email = '{AGENT_59}'")).await;
    let admin = app.signed_in(ADMIN_91).await;

    let everything = search(&admin, &[]).await;
    assert!(everything.rows.iter().any(|r| r.actor == AGENT_91));
    assert!(everything.rows.iter().all(|r| r.actor != AGENT_59 && r.caisse.is_none()), "{everything:?}");
    assert!(search(&admin, &[("actor", "cpam59")]).await.rows.is_empty());
    assert!(search(&admin, &[("object", &agent_59)]).await.rows.is_empty());
    let text = page_text(&admin, "/admin/journal?acteur=cpam59").await;
    assert!(text.contains("Aucune entrée ne correspond."), "{text}");
    let (_, file) = csv(&admin, "").await;
    assert!(file.contains(AGENT_91) && !file.contains(AGENT_59), "{file}");

    // The Hainaut's admin reads the Hainaut's entries only.
    let hainaut = app.signed_in(ADMIN_59).await;
    let theirs = search(&hainaut, &[]).await;
    assert!(theirs.rows.iter().any(|r| r.actor == AGENT_59), "{theirs:?}");
    assert!(theirs.rows.iter().all(|r| r.actor != AGENT_91 && r.actor != ADMIN_91), "{theirs:?}");
    assert_eq!(theirs.scope, "CPAM du Hainaut");

    // A national admin reads every caisse's, with the caisse named.
    let national = app.signed_in(NATIONAL).await;
    let all = search(&national, &[]).await;
    assert!(all.all_caisses && all.scope == "toutes les caisses");
    let caisse_of = |email: &str| all.rows.iter().find(|r| r.actor == email).and_then(|r| r.caisse.clone());
    assert_eq!(caisse_of(AGENT_59).as_deref(), Some("CPAM du Hainaut"));
    assert_eq!(caisse_of(AGENT_91).as_deref(), Some("CPAM de l'Essonne"));
    let text = page_text(&national, PAGE).await;
    assert!(text.contains("Caisse") && text.contains("CPAM du Hainaut") && text.contains(AGENT_91), "{text}");
}

async fn only_admins_read_or_export_the_log(db: Db) {
    let app = TestApp::spawn(db).await;
    for email in [PARTNER, AGENT_91] {
        let someone = app.signed_in(email).await;
        assert_eq!(someone.get(PAGE).await.status(), StatusCode::FORBIDDEN, "{email}");
        assert_eq!(app_error(someone.call("audit_log", &[]).await).await, AppError::Forbidden, "{email}");
        let response = someone.get(CSV).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{email}");
        assert!(!response.text().await.expect("body").contains(email), "no entry leaks in the refusal");
    }
    let anonymous = app.browser();
    assert_sent_to_sign_in(&anonymous.get(CSV).await, CSV);
    assert_sent_to_sign_in(&anonymous.get(PAGE).await, PAGE);
    assert_eq!(app_error(anonymous.call("audit_log", &[]).await).await, AppError::Unauthenticated);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'audit.exported'").await, 0);
}

async fn the_csv_export_opens_in_french_excel_and_defuses_formulas(db: Db) {
    let app = TestApp::spawn(db).await;
    entry_at(
        &app,
        at("2026-02-03T09:04:05Z"),
        "=HYPERLINK(\"http://pirate.example\";\"clic\")",
        "auth.sign_in_failed",
        Some("091"),
        Some("motif ; \"guillemets\"\nligne 2"),
    )
    .await;
    entry_at(&app, at("2026-02-03T09:05:00Z"), "@SOMME(A1)", "auth.sign_in_failed", Some("091"), Some("+33 1 23 45 67 89")).await;
    entry_at(&app, at("2026-02-03T09:06:00Z"), "-2+3", "auth.sign_in_failed", Some("091"), Some("-")).await;
    let admin = app.signed_in(ADMIN_91).await;

    let (headers, file) = csv(&admin, "?action=auth.sign_in_failed&du=2026-02-03&au=2026-02-03").await;
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(headers["content-disposition"], "attachment; filename=\"journal-audit.csv\"; filename*=UTF-8''journal-audit.csv");
    assert_eq!(headers["cache-control"], "private, no-store");
    assert!(file.starts_with('\u{feff}'), "a byte-order mark for Excel");
    let lines: Vec<&str> = file.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines[0],
        r#""Date et heure (Paris)";"Acteur";"Action";"Code de l'action";"Type d'objet";"Objet";"Adresse IP";"Identifiant de requête";"Détail";"Caisse""#
    );
    assert_eq!(lines.len(), 5, "header, three entries, and the end: {file}");
    assert!(lines[1].starts_with(r#""03/02/2026 10:06:00";"'-2+3";"Échec de connexion";"auth.sign_in_failed";"Compte";"objet-"#), "{}", lines[1]);
    assert!(lines[1].ends_with(r#"";"192.0.2.7";"req-test";"'-";"CPAM de l'Essonne""#), "{}", lines[1]);
    assert!(lines[2].contains(r#";"'@SOMME(A1)";"#) && lines[2].contains(r#";"'+33 1 23 45 67 89";"#), "{}", lines[2]);
    assert!(file.contains("\"'=HYPERLINK(\"\"http://pirate.example\"\";\"\"clic\"\")\""), "{file}");
    assert!(file.contains("\"motif ; \"\"guillemets\"\"\nligne 2\""), "quoted, line break kept inside: {file}");
    assert_eq!(lines[4], "");

    // The page offers the file with the same filters.
    let html = admin.get("/admin/journal?action=auth.sign_in_failed&du=2026-02-03").await.text().await.expect("html");
    assert!(html.contains(r#"href="/admin/journal.csv?action=auth.sign_in_failed&amp;du=2026-02-03""#), "{html}");
    assert!(main_text(&html).contains("Télécharger en CSV"));
}

async fn the_export_is_itself_logged(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in(ADMIN_91).await;
    csv(&admin, "?acteur=agent").await;
    let caisse_91 = caisse_id(&app, "091").await;
    let sql = format!(
        "SELECT detail FROM audit_events WHERE action = 'audit.exported' AND actor_label = '{ADMIN_91}' AND caisse_id = '{caisse_91}' AND ip IS NOT NULL AND request_id IS NOT NULL"
    );
    let detail = app.text(&sql).await;
    assert!(detail.contains("acteur=agent") && detail.contains("entrées"), "{detail}");
    let page = search(&admin, &[("action", "audit.")]).await;
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].action_label, "Journal d'audit exporté (CSV)");
    // The export's own entry comes after the file was built: the next export lists it.
    let (_, file) = csv(&admin, "?action=audit.").await;
    assert!(file.contains("\"audit.exported\""), "{file}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'audit.exported'").await, 2);
}

async fn entries_past_the_retention_period_are_purged_and_the_rest_kept(db: Db) {
    let app = TestApp::spawn_with(db, |settings| settings.audit_retention_months = 6).await;
    let now = Utc::now();
    let actor = "retention@example.org";
    let old = entry_at(&app, now - Duration::days(200), actor, "auth.signed_in", Some("091"), None).await;
    let older = entry_at(&app, now - Duration::days(800), actor, "auth.signed_in", None, None).await;
    let recent = entry_at(&app, now - Duration::days(170), actor, "auth.signed_in", Some("091"), None).await;
    let today = entry_at(&app, now, actor, "auth.signed_in", Some("091"), None).await;
    let before = app.count("SELECT COUNT(*) FROM audit_events").await;

    let cutoff = app::domain::retention::cutoff(now, app.state.settings.audit_retention_months);
    let purged = app::server::admin::audit_log::purge(&app.state.db, cutoff).await.expect("purge");
    assert_eq!(purged, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, before - 2);
    let left = app.texts(&format!("SELECT id FROM audit_events WHERE actor_label = '{actor}' ORDER BY id")).await;
    assert_eq!(left, [recent, today]);
    assert!(!left.contains(&old) && !left.contains(&older));
    assert_eq!(app::server::admin::audit_log::purge(&app.state.db, cutoff).await.expect("purge"), 0, "nothing twice");

    let admin = app.signed_in(ADMIN_91).await;
    let text = page_text(&admin, PAGE).await;
    assert!(text.contains("Les entrées sont conservées 6 mois"), "{text}");
}

async fn the_pages_show_every_entry_once_in_both_directions(db: Db) {
    let app = TestApp::spawn(db).await;
    let actor = "pages@example.org";
    let start = at("2026-03-01T08:00:00Z");
    let mut written = vec![];
    for i in 0..120 {
        written.push(entry_at(&app, start + Duration::seconds(i), actor, "auth.signed_in", Some("091"), None).await);
    }
    written.reverse();
    let admin = app.signed_in(ADMIN_91).await;

    // Older and older, to the end.
    let mut seen = vec![];
    let mut pages = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let mut filters = vec![("actor", actor)];
        if let Some(after) = &cursor {
            filters.push(("after", after));
        }
        let page = search(&admin, &filters).await;
        seen.extend(page.rows.iter().map(|r| r.id.clone()));
        pages.push(page.clone());
        match page.older {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages.iter().map(|p| p.rows.len()).collect::<Vec<_>>(), [50, 50, 20]);
    assert_eq!(seen, written, "every entry once, newest first");
    assert!(pages[0].newer.is_none() && pages[1].newer.is_some());

    // Back up, newer and newer: the same pages.
    let back = search(&admin, &[("actor", actor), ("before", pages[2].newer.as_deref().expect("a way back"))]).await;
    assert_eq!(back.rows, pages[1].rows);
    let top = search(&admin, &[("actor", actor), ("before", back.newer.as_deref().expect("a way back"))]).await;
    assert_eq!(top.rows, pages[0].rows);
    assert!(top.newer.is_none(), "the newest page has nothing newer");

    // The page's links carry the filters and the cursor.
    let html = admin.get(&format!("/admin/journal?acteur={actor}")).await.text().await.expect("html");
    let next = format!(r#"href="/admin/journal?acteur=pages%40example.org&amp;apres={}""#, pages[0].older.as_deref().expect("older"));
    assert!(html.contains(&next) && html.contains("Entrées plus anciennes"), "{html}");
    assert!(!html.contains("Entrées plus récentes"));
}
