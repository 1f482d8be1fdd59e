//! The caisse's statistics: figures checked against a hand-counted set of requests (months, origins, grounds,
//! outcomes, backlog, delays, partners), the same numbers in the exports, each caisse's figures its own, the
//! delays the app records when the caisse answers and closes.

use crate::fixtures::{ADMIN_91, AGENT_59, AGENT_91, NATIONAL, PARTNER, caisse_id, partner, request, structure};
use crate::on_both_databases;
use crate::support::{Browser, Db, TestApp, assert_sent_to_sign_in, main_text};
use crate::triage::act;
use app::domain::due_date::{business_days_between, is_business_day};
use app::domain::request_kind::RequestKind;
use app::domain::request_lifecycle::{Resolution, Status};
use app::domain::statistics::Month;
use app::domain::structure_kind::StructureKind;
use app::server::entities::request;
use app::server::time_fr::{paris_day, start_of_day};
use chrono::{DateTime, Datelike, Duration, Months, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ActiveValue::Unchanged};

on_both_databases!(
    the_dashboard_counts_what_was_received_answered_and_closed_as_counted_by_hand,
    each_caisse_sees_its_own_figures_and_partners_none,
    the_caisse_records_its_first_answer_and_closing_delays_in_business_days,
    a_partner_sees_its_structures_figures_and_the_caisses_usual_delay_before_sending,
    the_public_page_shows_yearly_figures_with_small_counts_hidden_and_no_names,
    the_demo_history_gives_every_chart_months_of_figures_once,
    every_table_opens_as_xlsx_and_ods_with_the_numbers_of_the_csv,
    the_queue_downloads_every_request_its_filters_keep_and_never_a_nir,
    a_large_download_is_prepared_in_the_background_for_the_asker_alone,
    referrals_sent_before_the_grounds_key_are_counted_once_migrated,
    a_period_of_one_month_draws_its_figures,
);

/// « Ce mois-ci » (and any period within one month) has a single bucket: its queries were `CASE ELSE 0 END`, which no
/// database reads.
async fn a_period_of_one_month_draws_its_figures(db: Db) {
    let app = TestApp::spawn(db).await;
    let agent = app.signed_in(AGENT_91).await;
    let today = paris_day(Utc::now());
    let first = today.with_day(1).expect("the first");
    for path in [format!("{PAGE}?periode=mois"), format!("{PAGE}?periode=dates&du={first}&au={today}")] {
        let response = agent.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let text = main_text(&response.text().await.expect("html"));
        assert!(text.contains("Demandes reçues") && !text.contains("erreur inattendue"), "{path}: {text}");
    }
    let csv = agent.get(&format!("{PAGE}.csv?tableau=demandes-par-mois&periode=mois")).await;
    assert_eq!(csv.status(), StatusCode::OK);
}

const PAGE: &str = "/caisse/statistiques";

/// A request's dates and delays, set as if it had lived them.
struct Lived {
    created_at: DateTime<Utc>,
    first_answer: Option<(i32, bool)>,
    closing_days: Option<i32>,
    closed: bool,
}

async fn live(app: &TestApp, id: &str, lived: Lived) {
    let answered_at = lived.first_answer.map(|_| lived.created_at + Duration::hours(1));
    request::ActiveModel {
        id: Unchanged(id.to_owned()),
        created_at: Set(lived.created_at),
        first_answer_at: Set(answered_at),
        first_answer_days: Set(lived.first_answer.map(|(days, _)| days)),
        answered_on_time: Set(lived.first_answer.map(|(_, on_time)| on_time)),
        closing_days: Set(lived.closing_days),
        closed_at: Set(lived.closed.then(|| lived.created_at + Duration::hours(2))),
        ..Default::default()
    }
    .update(&app.state.db)
    .await
    .expect("backdate a request");
}

/// The first day of the month `back` months before this one, half past midnight in Paris.
fn month_start(back: u32) -> DateTime<Utc> {
    let first = Month::of(paris_day(Utc::now())).first_day().checked_sub_months(Months::new(back)).expect("a month");
    start_of_day(first) + Duration::minutes(30)
}

/// The rows of a `;`-separated export, its byte-order mark and quotes taken off.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| line.split(';').map(|cell| cell.trim_matches('"').replace("\"\"", "\"")).collect())
        .collect()
}

async fn export(browser: &Browser, table: &str, filters: &str) -> Vec<Vec<String>> {
    let response = browser.get(&format!("{PAGE}.csv?tableau={table}&{filters}")).await;
    assert_eq!(response.status(), StatusCode::OK, "{table}");
    let disposition = response.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(disposition.starts_with("attachment") && disposition.contains(".csv"), "{disposition}");
    csv_rows(&response.text().await.expect("csv"))
}

fn row<'a>(rows: &'a [Vec<String>], name: &str) -> &'a [String] {
    rows.iter().find(|r| r.first().is_some_and(|c| c == name)).unwrap_or_else(|| panic!("no row « {name} » in {rows:?}"))
}

/// Six requests of a new CPTS of the Essonne (a kind of structure no demo structure has), a second CPTS without any
/// request, a trained and an untrained partner agent: the filter `structure=cpts` sees only them.
async fn hand_counted(app: &TestApp) {
    let ending = app::domain::statistics::ENDING_WITHIN_DAYS / 2;
    let cpts = structure("CPTS du Val d'Orge")
        .kind(StructureKind::Cpts)
        .convention(crate::fixtures::Convention::active().ending(paris_day(Utc::now()) + Duration::days(ending)))
        .create(app)
        .await;
    structure("CPTS Nord Essonne").kind(StructureKind::Cpts).without_convention().create(app).await;
    let author = partner(&cpts).create(app).await;
    partner(&cpts).untrained().create(app).await;
    let made = |kind: RequestKind, status: Status| request(&author).kind(kind).status(status);
    let r1 = made(RequestKind::Contact, Status::Closed(Resolution::Resolved)).create(app).await;
    live(app, &r1.id, Lived { created_at: month_start(0), first_answer: Some((1, true)), closing_days: Some(3), closed: true }).await;
    let r2 = made(RequestKind::Contact, Status::Closed(Resolution::RejectedOutOfScope)).create(app).await;
    live(app, &r2.id, Lived { created_at: month_start(1), first_answer: Some((4, false)), closing_days: Some(6), closed: true }).await;
    let yesterday = paris_day(Utc::now()) - Duration::days(1);
    let r3 = made(RequestKind::MasReferral, Status::InProgress).due_on(yesterday).create(app).await;
    live(app, &r3.id, Lived { created_at: month_start(2), first_answer: None, closing_days: None, closed: false }).await;
    let r4 = made(RequestKind::DossierStudy, Status::Submitted).create(app).await;
    live(app, &r4.id, Lived { created_at: Utc::now() - Duration::minutes(1), first_answer: None, closing_days: None, closed: false }).await;
    let r5 = made(RequestKind::Contact, Status::Withdrawn).create(app).await;
    live(app, &r5.id, Lived { created_at: month_start(1), first_answer: None, closing_days: None, closed: true }).await;
    let r6 = made(RequestKind::MasReferral, Status::AwaitingPartner).create(app).await;
    live(app, &r6.id, Lived { created_at: month_start(2), first_answer: Some((2, true)), closing_days: None, closed: false }).await;
}

async fn the_dashboard_counts_what_was_received_answered_and_closed_as_counted_by_hand(db: Db) {
    let app = TestApp::spawn(db).await;
    hand_counted(&app).await;
    let agent = app.signed_in(AGENT_91).await;
    let only = "structure=cpts";

    let response = agent.get(&format!("{PAGE}?{only}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    let text = main_text(&html).replace('\u{a0}', " ");
    for headline in [
        "6 demandes reçues sur la période",
        "66,7 % des premières réponses dans le délai",
        "3 demandes en cours aujourd'hui",
        "1 en retard aujourd'hui",
    ] {
        assert!(text.contains(headline), "« {headline} » in {text}");
    }
    assert!(html.contains(r#"role="img""#) && html.contains("<desc") && html.contains("<details"), "charts with their text and tables");

    let months = export(&agent, "demandes-par-mois", only).await;
    assert_eq!(months[0], ["Mois", "Message à la caisse", "Saisine MAS", "Rendez-vous", "Étude de dossier", "Total"]);
    assert_eq!(months.iter().filter(|r| r.len() > 1).count(), 13, "a header and twelve months");
    let label = |back: u32| Month::of(paris_day(month_start(back))).short_label();
    assert_eq!(row(&months, &label(2))[1..], ["0", "2", "0", "0", "2"]);
    assert_eq!(row(&months, &label(1))[1..], ["2", "0", "0", "0", "2"]);
    assert_eq!(row(&months, &label(0))[1..], ["1", "0", "0", "1", "2"]);

    assert_eq!(row(&export(&agent, "demandes-par-origine", only).await, "CPTS")[1..], ["6"]);
    assert_eq!(row(&export(&agent, "motifs-mas", only).await, "Difficultés d'accès aux droits")[1..], ["2"]);
    let outcomes = export(&agent, "issues", only).await;
    for (name, count) in [("Résolues", "1"), ("Hors du champ de la caisse", "1"), ("Doublons", "0"), ("Retirées par la structure", "1")] {
        assert_eq!(row(&outcomes, name)[1..], [count], "{name}");
    }
    let backlog = export(&agent, "en-cours", only).await;
    assert_eq!(row(&backlog, "Moins de 3 jours")[1..], ["1"]);
    assert_eq!(row(&backlog, "Plus de 30 jours")[1..], ["2"]);
    assert_eq!(row(&backlog, "8 à 15 jours")[1..], ["0"]);

    // The first answers month by month: R2 (4 days) a month back, R6 (2 days) two months back, R1 (1 day) this month.
    let per_month = export(&agent, "delai-par-mois", only).await;
    assert_eq!(per_month[0], ["Mois", "Médiane", "9 sur 10 en"]);
    assert_eq!(row(&per_month, &label(2))[1..], ["2", "2"]);
    assert_eq!(row(&per_month, &label(1))[1..], ["4", "4"]);
    assert_eq!(row(&per_month, &label(0))[1..], ["1", "1"]);

    // Delays: contact answered in 1 (on time) and 4 days (late), closed in 3 and 6; the MAS referral answered in 2.
    let delays = export(&agent, "delais", only).await;
    assert_eq!(row(&delays, "Message à la caisse")[1..], ["2 jours", "2", "50,0\u{a0}%", "1 jour", "4 jours", "2", "3 jours", "6 jours"]);
    assert_eq!(row(&delays, "Saisine MAS")[1..], ["5 jours", "1", "100,0\u{a0}%", "2 jours", "2 jours", "0", "–", "–"]);
    assert_eq!(row(&delays, "Tous types")[1..], ["–", "3", "66,7\u{a0}%", "2 jours", "4 jours", "2", "3 jours", "6 jours"]);

    let partners = export(&agent, "partenaires", only).await;
    for (name, count) in [
        ("Conventions en vigueur", "1"),
        ("Dont se terminant dans les 60 jours", "1"),
        ("Structures partenaires", "2"),
        ("Dont sans demande depuis 6 mois (dormantes)", "1"),
        ("Agents partenaires formés", "1"),
        ("Agents partenaires pas encore formés", "1"),
    ] {
        assert_eq!(row(&partners, name)[1..], [count], "{name}");
    }

    // Narrowed to a kind: the other kinds' requests are left out everywhere.
    let contact = export(&agent, "demandes-par-mois", &format!("{only}&type=contact")).await;
    assert_eq!(contact[0], ["Mois", "Message à la caisse"]);
    assert_eq!(contact[1..].iter().filter(|r| r.len() > 1).map(|r| r[1].parse::<u64>().expect("a count")).sum::<u64>(), 3);

    // A calendar year without any of them: nothing, said once.
    let text = main_text(&agent.get(&format!("{PAGE}?{only}&periode=annee&annee=2023")).await.text().await.expect("html"));
    assert!(text.contains("0 demandes reçues sur la période") && text.contains("Aucune donnée pour la période"), "{text}");

    // A filter that cannot be read is said next to the figures, which are shown without it.
    let text = main_text(&agent.get(&format!("{PAGE}?{only}&periode=dates&du=31/03/2026&au=01/03/2026")).await.text().await.expect("html"));
    assert!(text.contains("La date de fin précède la date de début") && text.contains("6 demandes reçues"), "{text}");

    // Each export is audited, with the table's name.
    let audited = app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'statistics.exported'").await;
    assert_eq!(audited, 9, "one entry per download");
    let named = app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'statistics.exported' AND detail LIKE 'Délais de traitement%'").await;
    assert_eq!(named, 1, "the entry names the table");
}

async fn each_caisse_sees_its_own_figures_and_partners_none(db: Db) {
    let app = TestApp::spawn(db).await;
    hand_counted(&app).await;
    let only = "structure=cpts";
    let total = |rows: Vec<Vec<String>>| {
        rows[1..].iter().filter(|r| r.len() > 1).map(|r| r.last().expect("a total").parse::<u64>().expect("a count")).sum::<u64>()
    };

    // Another caisse's agent: none of them, even when naming the caisse in the address.
    let other = app.signed_in(AGENT_59).await;
    let essonne = caisse_id(&app, "091").await;
    assert_eq!(total(export(&other, "demandes-par-mois", &format!("{only}&caisse={essonne}")).await), 0);
    let text = main_text(&other.get(&format!("{PAGE}?{only}&caisse={essonne}")).await.text().await.expect("html"));
    assert!(text.contains("CPAM du Hainaut") && !text.contains("Essonne"), "{text}");

    // The caisse's admin sees its figures; a national admin too when choosing it, and among every caisse's.
    let admin = app.signed_in(ADMIN_91).await;
    assert_eq!(total(export(&admin, "demandes-par-mois", only).await), 6);
    let national = app.signed_in(NATIONAL).await;
    assert_eq!(total(export(&national, "demandes-par-mois", &format!("{only}&caisse={essonne}")).await), 6);
    assert_eq!(total(export(&national, "demandes-par-mois", only).await), 6);
    let text = main_text(&national.get(&format!("{PAGE}?{only}")).await.text().await.expect("html"));
    assert!(text.contains("Toutes les caisses"), "{text}");

    // Partners: no page, no export; strangers are sent to sign in.
    let partner = app.signed_in(PARTNER).await;
    assert_eq!(partner.get(PAGE).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(partner.get(&format!("{PAGE}.csv?tableau=delais")).await.status(), StatusCode::FORBIDDEN);
    let refused = crate::support::app_error(partner.call("caisse_statistics", &[("query[period]", "")]).await).await;
    assert_eq!(refused, app::dto::error::AppError::Forbidden, "the server function too");
    let stranger = app.browser();
    assert_sent_to_sign_in(&stranger.get(PAGE).await, PAGE);
    let csv = format!("{PAGE}.csv");
    assert_sent_to_sign_in(&stranger.get(&csv).await, &csv);
    // An unknown table is a 404.
    assert_eq!(app.signed_in(AGENT_91).await.get(&format!("{PAGE}.csv?tableau=inconnu")).await.status(), StatusCode::NOT_FOUND);
}

async fn the_caisse_records_its_first_answer_and_closing_delays_in_business_days(db: Db) {
    let app = TestApp::spawn(db).await;
    let cpts = structure("CPTS de l'Orge").kind(StructureKind::Cpts).convention(crate::fixtures::Convention::active()).create(&app).await;
    let author = partner(&cpts).create(&app).await;
    let sent = request(&author).create(&app).await;
    // Sent fourteen days ago (a Saturday or Sunday counts from the next business day).
    let created_at = Utc::now() - Duration::days(14);
    request::ActiveModel { id: Unchanged(sent.id.clone()), created_at: Set(created_at), ..Default::default() }
        .update(&app.state.db)
        .await
        .expect("backdate");
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(act(&agent, &sent.reference, &[("action", "take")]).await.status(), StatusCode::OK);
    let untouched = app.count(&format!("SELECT COUNT(*) FROM requests WHERE id = '{}' AND first_answer_at IS NULL", sent.id)).await;
    assert_eq!(untouched, 1, "taking a request answers nobody");
    assert_eq!(
        act(&agent, &sent.reference, &[("action", "close_resolved"), ("message", "Réponse apportée par téléphone.")]).await.status(),
        StatusCode::OK
    );

    let mut received = paris_day(created_at);
    while !is_business_day(received) {
        received += Duration::days(1);
    }
    let expected = i64::from(business_days_between(received, paris_day(Utc::now())));
    let days = |column: &str| format!("SELECT CAST({column} AS BIGINT) FROM requests WHERE id = '{}'", sent.id);
    assert_eq!(app.count(&days("first_answer_days")).await, expected, "closing answered the partner first");
    assert_eq!(app.count(&days("closing_days")).await, expected);
    // Taking it set its due date from the day it was sent: two business days later, long gone.
    let late = app.count(&format!("SELECT COUNT(*) FROM requests WHERE id = '{}' AND answered_on_time = FALSE", sent.id)).await;
    assert_eq!(late, 1, "answered after its due date");
}

async fn a_partner_sees_its_structures_figures_and_the_caisses_usual_delay_before_sending(db: Db) {
    let app = TestApp::spawn(db).await;
    hand_counted(&app).await;
    let author = app.text("SELECT a.email FROM accounts a JOIN partner_structures s ON s.id = a.structure_id WHERE s.name = 'CPTS du Val d''Orge' AND a.trained_on IS NOT NULL").await;
    let partner = app.signed_in(&author).await;
    let page = "/partenaire/statistiques";

    let text = main_text(&partner.get(page).await.text().await.expect("html"));
    assert!(text.contains("CPTS du Val d'Orge") && text.contains("6 demandes envoyées sur la période"), "{text}");
    assert!(text.contains("3 demandes clôturées sur la période"), "{text}");
    assert!(!text.contains("Type de structure") && !text.contains("Équipe"), "no caisse filter here: {text}");
    let total = |rows: Vec<Vec<String>>| {
        rows[1..].iter().filter(|r| r.len() > 1).map(|r| r.last().expect("a total").parse::<u64>().expect("a count")).sum::<u64>()
    };
    let download = |table: &str| format!("{page}.csv?tableau={table}");
    let months = partner.get(&download("demandes-par-mois")).await;
    assert_eq!(months.status(), StatusCode::OK);
    assert_eq!(total(csv_rows(&months.text().await.expect("csv"))), 6);

    // The caisse's usual delay over the last 90 days, every structure's requests counted: 1 and 4 days for messages
    // (the fixture's), 2 for the MAS referral, and the demo's own answers.
    let usual = csv_rows(&partner.get(&download("delai-habituel")).await.text().await.expect("csv"));
    assert_eq!(usual[0], ["Type de demande", "Premières réponses", "Médiane", "9 sur 10 en"]);
    assert_eq!(usual.iter().filter(|r| r.len() > 1).count(), 5, "a row per kind");

    // Another structure's partner sees its own, not these.
    let other = app.signed_in(PARTNER).await;
    let text = main_text(&other.get(page).await.text().await.expect("html"));
    assert!(!text.contains("CPTS du Val d'Orge"), "{text}");
    // A caisse agent has the caisse's, not this one.
    assert_eq!(app.signed_in(AGENT_91).await.get(page).await.status(), StatusCode::FORBIDDEN);

    // Before sending: the form says how long the caisse usually takes for that kind.
    let agent = app.signed_in(AGENT_91).await;
    let sent = request(&crate::fixtures::account(&app, PARTNER).await).create(&app).await;
    assert_eq!(act(&agent, &sent.reference, &[("action", "take")]).await.status(), StatusCode::OK);
    assert_eq!(act(&agent, &sent.reference, &[("action", "close_resolved"), ("message", "Fait.")]).await.status(), StatusCode::OK);
    let form = main_text(&partner.get("/partenaire/demandes/nouvelle/contact").await.text().await.expect("html"));
    assert!(form.contains("Délai habituel de réponse :") && form.contains("ouvrés"), "{form}");
}

/// The numbers of a page's tables, as written in their cells.
fn number_cells(html: &str) -> Vec<String> {
    html.split(r#"<td class="number">"#).skip(1).map(|rest| rest.split("</td>").next().unwrap_or_default().replace("&lt;", "<")).collect()
}

async fn the_public_page_shows_yearly_figures_with_small_counts_hidden_and_no_names(db: Db) {
    let app = TestApp::spawn(db).await;
    hand_counted(&app).await;
    let anyone = app.browser();
    let response = anyone.get("/statistiques/091").await;
    assert_eq!(response.status(), StatusCode::OK, "no sign-in");
    let html = response.text().await.expect("html");
    let text = main_text(&html);
    assert!(text.contains("CPAM de l'Essonne") && text.contains("Demandes reçues par année et par type"), "{text}");
    assert!(text.contains("Conventions de partenariat en vigueur"), "{text}");
    // Every count is 10 or more, or « < 10 »; this year's six MAS referrals and messages of the fixture among them.
    let cells = number_cells(&html);
    assert!(!cells.is_empty());
    for cell in &cells {
        let hidden = cell.replace('\u{a0}', " ") == "< 10";
        let large = cell.replace('\u{202f}', "").parse::<u64>().is_ok_and(|n| n >= 10);
        let share = cell.ends_with('%') || cell == "moins de 10 réponses" || cell == "–";
        assert!(hidden || large || share, "« {cell} » in {cells:?}");
    }
    assert!(cells.iter().any(|c| c.replace('\u{a0}', " ") == "< 10"), "some counts are small here: {cells:?}");
    // Nothing names a structure, an agent or an assuré.
    for name in ["CPTS du Val d'Orge", "CCAS", "@example.org", "Durand"] {
        assert!(!text.contains(name), "{name} in {text}");
    }
    assert_eq!(anyone.get("/statistiques/999").await.status(), StatusCode::NOT_FOUND);
}

async fn the_demo_history_gives_every_chart_months_of_figures_once(db: Db) {
    let app = TestApp::spawn(db).await;
    let added = server::seed::demo_history(&app.state.db, Utc::now()).await.expect("history");
    assert!(added > 300, "{added} requests");
    assert_eq!(server::seed::demo_history(&app.state.db, Utc::now()).await.expect("again"), 0, "added once");
    let agent = app.signed_in(AGENT_91).await;
    let months = export(&agent, "demandes-par-mois", "").await;
    let busy = months[1..].iter().filter(|r| r.len() > 1 && r.last().is_some_and(|total| total != "0")).count();
    assert!(busy >= 11, "requests in {busy} of the last 12 months: {months:?}");
    let grounds = export(&agent, "motifs-mas", "").await;
    assert!(grounds[1..].iter().filter(|r| r.len() > 1 && r[1] != "0").count() >= 4, "{grounds:?}");
    let held = export(&agent, "rendez-vous", "").await;
    assert!(held[1..].iter().all(|r| r.len() < 2 || r[1] != "0"), "held and missed appointments: {held:?}");
    let delays = export(&agent, "delais", "").await;
    let all = row(&delays, "Tous types");
    assert!(all[2].parse::<u64>().is_ok_and(|n| n > 100) && all[3].ends_with('%'), "{all:?}");
    // The demo structures people sign in for keep their own requests only.
    let partner = app.signed_in(PARTNER).await;
    assert!(!main_text(&partner.get("/partenaire/historique").await.text().await.expect("html")).contains("historique de démonstration"));
}

/// The cells of a spreadsheet's one sheet, as text (numbers written as whole numbers).
fn spreadsheet_rows(bytes: Vec<u8>, ods: bool) -> Vec<Vec<String>> {
    use calamine::{Data, Reader};
    let cursor = std::io::Cursor::new(bytes);
    let range = if ods {
        calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(cursor).expect("an ODS file").worksheet_range("Statistiques").expect("its sheet")
    } else {
        calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(cursor).expect("an XLSX file").worksheet_range("Statistiques").expect("its sheet")
    };
    range
        .rows()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Data::Float(n) => format!("{n}"),
                    Data::Int(n) => n.to_string(),
                    Data::String(text) => text.clone(),
                    Data::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect();
            // A shorter line (the note) is padded by the reader: trimmed back.
            let used = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |last| last + 1);
            cells[..used].to_vec()
        })
        .collect()
}

async fn every_table_opens_as_xlsx_and_ods_with_the_numbers_of_the_csv(db: Db) {
    let app = TestApp::spawn(db).await;
    hand_counted(&app).await;
    let agent = app.signed_in(AGENT_91).await;
    for table in ["demandes-par-mois", "delais", "partenaires", "en-cours"] {
        let csv = export(&agent, table, "structure=cpts").await;
        for (extension, ods, content_type) in [
            ("xlsx", false, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("ods", true, "application/vnd.oasis.opendocument.spreadsheet"),
        ] {
            let response = agent.get(&format!("{PAGE}.{extension}?tableau={table}&structure=cpts")).await;
            assert_eq!(response.status(), StatusCode::OK, "{table}.{extension}");
            assert_eq!(response.headers().get("content-type").and_then(|v| v.to_str().ok()), Some(content_type));
            let read = spreadsheet_rows(response.bytes().await.expect("bytes").to_vec(), ods);
            assert_eq!(read, csv, "{table}.{extension} reads as the CSV does");
        }
    }
    // A partner's table too, and nobody else's.
    let partner = app.signed_in(PARTNER).await;
    assert_eq!(partner.get("/partenaire/statistiques.ods?tableau=demandes-par-mois").await.status(), StatusCode::OK);
    assert_eq!(partner.get(&format!("{PAGE}.xlsx?tableau=delais")).await.status(), StatusCode::FORBIDDEN);
    let audited = app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'statistics.exported' AND detail LIKE '%(ODS)%'").await;
    assert_eq!(audited, 5, "each download audited with its format");
}

async fn the_queue_downloads_every_request_its_filters_keep_and_never_a_nir(db: Db) {
    let app = TestApp::spawn(db).await;
    hand_counted(&app).await;
    let cpts = app.text("SELECT id FROM partner_structures WHERE name = 'CPTS du Val d''Orge'").await;
    let author = crate::fixtures::account(
        &app,
        &app.text(&format!("SELECT email FROM accounts WHERE structure_id = '{cpts}' AND trained_on IS NOT NULL")).await,
    )
    .await;
    request(&author).kind(RequestKind::MasReferral).about("Lévêque").nir("184127645108946").create(&app).await;
    let agent = app.signed_in(AGENT_91).await;

    let response = agent.get(&format!("/caisse/file.csv?statut=all&structure={cpts}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("csv");
    assert!(!text.contains("184127645108946") && !text.contains("1 84 12"), "never a NIR: {text}");
    let rows = csv_rows(&text);
    assert_eq!(rows[0], ["Référence", "Type", "Objet", "Structure", "Assuré", "Statut", "Équipe", "Agent", "Reçue le", "Échéance"]);
    let requests: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r.len() > 1).collect();
    assert_eq!(requests.len(), 7, "the six of the fixture and the new one, whatever their status");
    assert!(requests.iter().all(|r| r[3] == "CPTS du Val d'Orge"), "{requests:?}");
    assert!(requests.iter().any(|r| r[4] == "LÉVÊQUE Marcel"), "the assuré by name: {requests:?}");
    // The queue's own filters: open ones only by default, and one kind.
    let open = csv_rows(&agent.get(&format!("/caisse/file.csv?structure={cpts}&type=mas_referral")).await.text().await.expect("csv"));
    assert_eq!(open[1..].iter().filter(|r| r.len() > 1).count(), 3, "the three open MAS referrals: {open:?}");
    // The same rows as a spreadsheet.
    let xlsx = agent.get(&format!("/caisse/file.xlsx?statut=all&structure={cpts}")).await.bytes().await.expect("xlsx").to_vec();
    assert_eq!(spreadsheet_rows(xlsx, false), rows);

    // Another caisse's agent finds none of them; partners have no queue.
    let other =
        csv_rows(&app.signed_in(AGENT_59).await.get(&format!("/caisse/file.csv?statut=all&structure={cpts}")).await.text().await.expect("csv"));
    assert_eq!(other[1..].iter().filter(|r| r.len() > 1).count(), 0, "{other:?}");
    assert_eq!(app.signed_in(PARTNER).await.get("/caisse/file.csv").await.status(), StatusCode::FORBIDDEN);
    let audited = app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.exported' AND detail LIKE '7 demandes (CSV)%'").await;
    assert_eq!(audited, 1, "each download audited with its count and format");
}

async fn a_large_download_is_prepared_in_the_background_for_the_asker_alone(db: Db) {
    // Background from four rows, so that the fixture's six are « large ».
    let app = TestApp::spawn_with(db, |settings| settings.export_background_rows = 3).await;
    hand_counted(&app).await;
    let cpts = app.text("SELECT id FROM partner_structures WHERE name = 'CPTS du Val d''Orge'").await;
    let agent = app.signed_in(AGENT_91).await;

    // Three rows: answered at once, as before.
    let small = agent.get(&format!("/caisse/file.csv?structure={cpts}&type=mas_referral")).await;
    assert_eq!(small.status(), StatusCode::OK);
    assert!(small.headers().get("content-disposition").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("attachment")));

    // Six: on to the export's page, which shows its progress, then the file.
    let started = agent.get(&format!("/caisse/file.xlsx?statut=all&structure={cpts}")).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let page = crate::support::location(&started);
    assert!(page.starts_with("/compte/exports/"), "{page}");
    let mut text = String::new();
    for _ in 0..100 {
        text = main_text(&agent.get(&page).await.text().await.expect("page"));
        if !text.contains("Préparation en cours") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(text.contains("File des demandes au format XLSX"), "{text}");
    assert!(text.contains("Le fichier est prêt : 6 lignes."), "{text}");
    let file = agent.get(&format!("{page}/fichier")).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert!(file.headers().get("content-disposition").and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("file-des-demandes.xlsx")));
    let rows = spreadsheet_rows(file.bytes().await.expect("xlsx").to_vec(), false);
    assert_eq!(rows[0][0], "Référence");
    let requests: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r.len() > 1).collect();
    assert_eq!(requests.len(), 6, "{rows:?}");
    assert!(requests.iter().all(|r| r[3] == "CPTS du Val d'Orge"), "{requests:?}");
    let audited = app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.exported' AND detail LIKE '6 demandes (XLSX)%'").await;
    assert_eq!(audited, 1, "the background export audited once, with its count");

    // Nobody else reads it: a colleague, another caisse's agent, a partner — as if it did not exist.
    for other in [ADMIN_91, AGENT_59, PARTNER] {
        let browser = app.signed_in(other).await;
        assert_eq!(browser.get(&page).await.status(), StatusCode::NOT_FOUND, "{other}");
        assert_eq!(browser.get(&format!("{page}/fichier")).await.status(), StatusCode::NOT_FOUND, "{other}");
    }
    assert_sent_to_sign_in(&app.browser().get(&page).await, &page);
    // An id that is none: the same 404, never a 500.
    let long = "9".repeat(600);
    for wrong in ["/compte/exports/pas-un-identifiant", "/compte/exports/%00%27%20OR%201=1/fichier", &format!("/compte/exports/{long}")] {
        assert_eq!(agent.get(wrong).await.status(), StatusCode::NOT_FOUND, "{wrong}");
    }

    // A day later the housekeeping has deleted it, file and all.
    let deleted = app::server::exports::forget_old(&app.state, Utc::now() + Duration::days(2)).await.expect("housekeeping");
    assert_eq!(deleted, 1);
    assert_eq!(agent.get(&page).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(agent.get(&format!("{page}/fichier")).await.status(), StatusCode::NOT_FOUND);
}

/// The migration that gave referrals their grounds key reads it back from the answers of those already there.
async fn referrals_sent_before_the_grounds_key_are_counted_once_migrated(db: Db) {
    use migrations::{Migrator, MigratorTrait};
    let app = TestApp::spawn(db).await;
    hand_counted(&app).await;
    let agent = app.signed_in(AGENT_91).await;
    let before = export(&agent, "motifs-mas", "structure=cpts").await;
    assert_eq!(row(&before, "Difficultés d'accès aux droits")[1..], ["2"], "{before:?}");
    let referrals = app.count("SELECT COUNT(*) FROM requests WHERE kind = 'mas_referral'").await;
    assert!(referrals >= 2);
    // As before the migration: no key column, the grounds only in the answers' JSON.
    let all = Migrator::migrations();
    let position = all.iter().position(|m| m.name() == "m20261205_000013_statistics_covering").expect("the grounds key's migration");
    Migrator::down(&app.state.db, Some((all.len() - position) as u32)).await.expect("down to before it");
    use sea_orm::ConnectionTrait;
    assert!(app.state.db.execute_unprepared("SELECT mas_grounds FROM requests").await.is_err(), "no key column");
    Migrator::up(&app.state.db, None).await.expect("up again");
    assert_eq!(app.count("SELECT COUNT(*) FROM requests WHERE kind = 'mas_referral' AND mas_grounds LIKE '|%|'").await, referrals);
    assert_eq!(app.count("SELECT COUNT(*) FROM requests WHERE kind <> 'mas_referral' AND mas_grounds IS NOT NULL").await, 0);
    assert_eq!(export(&agent, "motifs-mas", "structure=cpts").await, before, "the same counts, read from the key");
}
