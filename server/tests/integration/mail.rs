//! E-mail against a real SMTP server (aiosmtpd): the forgotten-password link arrives and works once; with the
//! server down mail waits in the outbox and goes when it is back; two instances send each message once; and no
//! message ever carries a NIR, an assuré's name or an internal note.

use crate::fixtures::{ADMIN_91, AGENT_91, Convention, MAS_AGENT_91, NEWCOMER, PARTNER, structure};
use crate::on_both_databases;
use crate::support::{Db, PASSWORD, SmtpServer, TestApp, app_error, location, main_text};
use crate::triage::{act, referral};
use app::dto::error::AppError;
use app::server::mail::{Delivery, Transport, deliver_due};
use reqwest::StatusCode;

on_both_databases!(
    a_forgotten_password_link_arrives_and_works_once,
    mail_waits_in_the_outbox_while_the_smtp_server_is_down,
    two_instances_send_each_message_once,
    no_message_carries_a_nir_a_name_or_an_internal_note,
    each_person_chooses_when_work_notices_go_but_security_ones_always_do,
    admins_are_warned_once_of_conventions_ending_and_see_undelivered_mail,
    without_smtp_each_message_is_written_as_an_eml_file,
    a_stopping_instance_sends_what_is_due_then_stops,
    colleagues_who_follow_a_request_hear_what_the_caisse_does,
);

pub(crate) async fn app_with(db: Db, smtp: &SmtpServer) -> TestApp {
    let url = smtp.url();
    TestApp::spawn_with(db, move |settings| settings.mail.smtp_url = Some(app::server::settings::Secret::new(url))).await
}

pub(crate) async fn deliver(app: &TestApp, at: chrono::DateTime<chrono::Utc>) -> Delivery {
    let transport = Transport::from_settings(&app.state.settings.mail, &app.state.settings.data_dir).expect("transport");
    deliver_due(&app.state.db, &transport, &app.state.settings.mail.from, at).await.expect("delivery round")
}

/// Undoes quoted-printable (soft line breaks and `=XX`), enough to read what a person would read.
pub(crate) fn readable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn reset_link(message: &str) -> String {
    let text = readable(message);
    let start = text.find("/mot-de-passe/nouveau?jeton=").expect("a reset link");
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || "/-?=".contains(*c)).collect()
}

async fn a_forgotten_password_link_arrives_and_works_once(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = app_with(db, &smtp).await;
    let elsewhere = app.signed_in(PARTNER).await;

    let visitor = app.browser();
    let asked = visitor.call("ask_password_reset", &[("email", PARTNER)]).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let unknown = visitor.call("ask_password_reset", &[("email", "personne@example.org")]).await;
    assert_eq!(unknown.status(), StatusCode::OK, "the same answer whether or not the address exists");
    // Without JavaScript, the form comes back with its confirmation.
    let plain = visitor.post_form("ask_password_reset", "/mot-de-passe-oublie", &[("email", "personne@example.org")]).await;
    assert_eq!(location(&plain), "/mot-de-passe-oublie?envoye=1");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 1, "nothing is queued for an unknown address");

    assert_eq!(deliver(&app, chrono::Utc::now()).await.sent, 1);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains(&format!("To: {PARTNER}")), "{}", messages[0]);
    let link = reset_link(&messages[0]);
    let token = link.trim_start_matches("/mot-de-passe/nouveau?jeton=").to_owned();
    assert_eq!(token.len(), 64);

    let page = main_text(&visitor.get(&link).await.text().await.expect("html"));
    assert!(page.contains("Choisir un nouveau mot de passe") && page.contains("Nouveau mot de passe"), "{page}");
    let weak = app_error(visitor.call("choose_password", &[("token", &token), ("password", "court"), ("confirmation", "court")]).await).await;
    assert!(weak.message_for("password").is_some(), "{weak:?}");
    let new_password = "Nouveau-Mot-2026!";
    let chosen = visitor.call("choose_password", &[("token", &token), ("password", new_password), ("confirmation", new_password)]).await;
    assert_eq!(chosen.status(), StatusCode::OK);

    // Every session of the account ended; the old password no longer opens one, the new one does.
    assert_eq!(elsewhere.get("/partenaire/demandes").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app_error(app.browser().sign_in_js(PARTNER, PASSWORD).await).await, AppError::InvalidCredentials);
    assert_eq!(app.browser().sign_in_js(PARTNER, new_password).await.status(), StatusCode::OK);

    // The link works once.
    let again =
        app_error(visitor.call("choose_password", &[("token", &token), ("password", "Encore-Un-2026!"), ("confirmation", "Encore-Un-2026!")]).await)
            .await;
    assert!(matches!(again, AppError::Conflict(ref m) if m.contains("n'est plus valable")), "{again:?}");
    let used = main_text(&visitor.get(&link).await.text().await.expect("html"));
    assert!(used.contains("n'est plus valable"), "{used}");
    // Nobody can flood a mailbox: three links an hour, then asking again sends nothing (and says the same).
    for _ in 0..4 {
        assert_eq!(visitor.call("ask_password_reset", &[("email", PARTNER)]).await.status(), StatusCode::OK);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM password_resets").await, 3);
    // And the person is told the password changed.
    deliver(&app, chrono::Utc::now()).await;
    let told: Vec<String> = smtp
        .messages()
        .iter()
        .map(|m| readable(m))
        .filter(|m| m.contains("Le mot de passe de votre compte Espace Partenaires vient d'être modifié."))
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].contains(&format!("To: {PARTNER}")), "{}", told[0]);
}

async fn mail_waits_in_the_outbox_while_the_smtp_server_is_down(db: Db) {
    let mut smtp = SmtpServer::start().await;
    let app = app_with(db, &smtp).await;
    smtp.stop();
    assert_eq!(app.browser().call("ask_password_reset", &[("email", PARTNER)]).await.status(), StatusCode::OK);
    let now = chrono::Utc::now();
    let round = deliver(&app, now).await;
    assert_eq!(round, Delivery { sent: 0, retrying: 1, failed: 0 });
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND attempts = 1 AND last_error IS NOT NULL").await, 1);
    // Not due again before its backoff has passed.
    assert_eq!(deliver(&app, now + chrono::Duration::seconds(10)).await, Delivery::default());

    smtp.restart().await;
    let round = deliver(&app, now + chrono::Duration::minutes(2)).await;
    assert_eq!(round.sent, 1, "{:?}", app.texts("SELECT last_error FROM outbox").await);
    assert_eq!(smtp.messages().len(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await, 1);
}

async fn two_instances_send_each_message_once(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = app_with(db, &smtp).await;
    let other = app.another_instance().await;
    let accounts = app.texts("SELECT email FROM accounts WHERE active = true ORDER BY email").await;
    for email in &accounts {
        assert_eq!(app.browser().call("ask_password_reset", &[("email", email)]).await.status(), StatusCode::OK);
    }
    let queued = app.count("SELECT COUNT(*) FROM outbox").await;
    assert_eq!(queued, accounts.len() as i64);
    let now = chrono::Utc::now();
    let (a, b) = tokio::join!(deliver(&app, now), deliver(&other, now));
    let (c, d) = tokio::join!(deliver(&app, now), deliver(&other, now));
    assert_eq!(i64::from(a.sent + b.sent + c.sent + d.sent), queued, "{a:?} {b:?} {c:?} {d:?}");
    let messages = smtp.messages();
    assert_eq!(messages.len() as i64, queued, "each message once");
    let mut ids: Vec<String> =
        messages.iter().filter_map(|m| m.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).map(str::to_owned)).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len() as i64, queued);
}

async fn no_message_carries_a_nir_a_name_or_an_internal_note(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = app_with(db, &smtp).await;
    let (partner, reference) = referral(&app, "Confidentiel").await;
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(act(&agent, &reference, &[("action", "take")]).await.status(), StatusCode::OK);
    assert_eq!(
        act(&agent, &reference, &[("action", "ask_partner"), ("message", "Merci de joindre l'avis d'imposition.")]).await.status(),
        StatusCode::OK
    );
    let note = agent.call("caisse_message", &[("reference", &reference), ("body", "Note interne : dossier sensible."), ("internal", "oui")]).await;
    assert_eq!(note.status(), StatusCode::OK);
    let reply = reqwest::multipart::Form::new().text("message", "Voici l'avis.");
    partner.post_multipart(&format!("/partenaire/demandes/{reference}/reponse"), "/", reply).await;
    let massy = app.text("SELECT id FROM accueils WHERE name = 'Accueil de Massy'").await;
    let mut day = app::server::time_fr::paris_day(chrono::Utc::now()) + chrono::Duration::days(3);
    while !app::domain::due_date::is_business_day(day) {
        day += chrono::Duration::days(1);
    }
    let booked = act(&agent, &reference, &[("action", "schedule"), ("place", &massy), ("date", &day.to_string()), ("time", "10:00")]).await;
    assert_eq!(booked.status(), StatusCode::OK);
    assert_eq!(act(&agent, &reference, &[("action", "appointment_held")]).await.status(), StatusCode::OK);

    deliver(&app, chrono::Utc::now()).await;
    let messages: Vec<String> = smtp.messages().iter().map(|m| readable(m)).collect();
    let subjects: Vec<&str> = messages.iter().filter_map(|m| m.lines().find(|l| l.starts_with("Subject:"))).collect();
    // The caisse heard of the new request and of the answer; the partner of its receipt, the question, the
    // appointment, the closing.
    let to = |email: &str| messages.iter().filter(|m| m.contains(&format!("To: {email}"))).count();
    assert_eq!((to(MAS_AGENT_91), to(AGENT_91), to(PARTNER)), (1, 1, 4), "{subjects:?}");
    assert_eq!(messages.len(), 6, "{subjects:?}");
    let due_on = app.text(&format!("SELECT CAST(due_on AS TEXT) FROM requests WHERE reference = '{reference}'")).await;
    let due = chrono::NaiveDate::parse_from_str(due_on.get(..10).unwrap_or_default(), "%Y-%m-%d").expect("a due date");
    let receipt = messages
        .iter()
        .find(|m| m.contains(&format!("Votre demande {reference} (Saisine MAS) a bien été transmise à la caisse.")))
        .expect("a receipt");
    assert!(receipt.contains(&format!("To: {PARTNER}")), "{receipt}");
    assert!(receipt.contains(&format!("au plus tard le {}", due.format("%d/%m/%Y"))), "the date the caisse answers by: {receipt}");
    assert!(messages.iter().all(|m| m.contains(&reference)), "{subjects:?}");
    assert!(messages.iter().any(|m| m.contains("text/calendar") && m.contains("BEGIN:VEVENT")), "the appointment comes with its ICS");
    for message in &messages {
        for secret in [
            "184127645108946",
            "1 84 12 76 451 089 46",
            "CONFIDENTIEL",
            "Confidentiel",
            "Simone",
            "dossier sensible",
            "avis d'imposition",
            "Voici l'avis",
        ] {
            assert!(!message.contains(secret), "{secret} leaked into: {message}");
        }
    }
}

async fn each_person_chooses_when_work_notices_go_but_security_ones_always_do(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = app_with(db, &smtp).await;
    let mas_agent = app.signed_in(MAS_AGENT_91).await;
    let wrong = app_error(mas_agent.call("save_mail_preference", &[("preference", "hourly")]).await).await;
    assert!(wrong.message_for("preference").is_some(), "{wrong:?}");
    assert_eq!(mas_agent.call("save_mail_preference", &[("preference", "daily_digest")]).await.status(), StatusCode::OK);
    let page = main_text(&mas_agent.get("/compte/notifications").await.text().await.expect("html"));
    assert!(page.contains("Un récapitulatif par jour"), "{page}");
    let partner = app.signed_in(PARTNER).await;
    let plain = partner.post_form("save_mail_preference", "/compte/notifications", &[("preference", "never")]).await;
    assert_eq!(location(&plain), "/compte/notifications?fait=1");

    // A MAS referral goes to the MAS team: its agent hears of it in tomorrow's summary, not at once.
    let (_, reference) = referral(&app, "Recapitulatif").await;
    assert_eq!(deliver(&app, chrono::Utc::now()).await.sent, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'digest' AND recipient = 'agent.mas91@example.org'").await, 1);
    assert_eq!(app::server::mail::queue_digests(&app.state.db, chrono::Utc::now()).await.expect("digests"), 1);
    assert_eq!(deliver(&app, chrono::Utc::now()).await.sent, 1);
    let summary = readable(&smtp.messages()[0]);
    assert!(summary.contains("To: agent.mas91@example.org") && summary.contains("1 nouveauté") && summary.contains(&reference), "{summary}");
    assert_eq!(app::server::mail::queue_digests(&app.state.db, chrono::Utc::now()).await.expect("digests"), 0, "told once");

    // The partner chose never: no work notice, but a password reset still goes.
    assert_eq!(act(&mas_agent, &reference, &[("action", "take")]).await.status(), StatusCode::OK);
    assert_eq!(act(&mas_agent, &reference, &[("action", "ask_partner"), ("message", "Un justificatif, merci.")]).await.status(), StatusCode::OK);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{PARTNER}'")).await, 0);
    assert_eq!(app.browser().call("ask_password_reset", &[("email", PARTNER)]).await.status(), StatusCode::OK);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{PARTNER}' AND status = 'pending'")).await, 1);
}

async fn admins_are_warned_once_of_conventions_ending_and_see_undelivered_mail(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = app_with(db, &smtp).await;
    let now = chrono::Utc::now();
    let today = app::server::time_fr::paris_day(now);
    let in_40_days = today + chrono::Duration::days(40);
    structure("Mission locale de Juvisy").convention(Convention::active().ending(in_40_days)).create(&app).await;
    let warn = |day: chrono::NaiveDate| {
        let app = &app;
        async move { app::server::mail_watch::warn_expiring_conventions(&app.state.db, &app.state.settings.mail, day, now).await.expect("warnings") }
    };
    assert_eq!(warn(today).await, 1, "the CPAM 91 admin, 60-day warning");
    assert_eq!(warn(today).await, 0, "once");
    assert_eq!(warn(in_40_days - chrono::Duration::days(10)).await, 1, "then the 15-day warning");
    assert_eq!(warn(in_40_days - chrono::Duration::days(5)).await, 0);
    deliver(&app, now).await;
    let warnings: Vec<String> = smtp.messages().iter().map(|m| readable(m)).collect();
    assert_eq!(warnings.len(), 2);
    assert!(warnings.iter().all(|m| m.contains(&format!("To: {ADMIN_91}")) && m.contains("Mission locale de Juvisy")), "{warnings:?}");

    // A message the SMTP server keeps refusing ends up failed, and its caisse's admin sees it and can send it again.
    app.execute("UPDATE outbox SET status = 'failed', attempts = 8, last_error = '550 mailbox unavailable' WHERE id = (SELECT MIN(id) FROM outbox)")
        .await;
    let admin = app.signed_in(ADMIN_91).await;
    let page = main_text(&admin.get("/admin/courriels").await.text().await.expect("html"));
    assert!(page.contains("550 mailbox unavailable") && page.contains("Abandonné"), "{page}");
    let id = app.text("SELECT id FROM outbox WHERE status = 'failed'").await;
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(app_error(agent.call("send_mail_again", &[("id", &id)]).await).await, AppError::Forbidden);
    assert_eq!(admin.call("send_mail_again", &[("id", &id)]).await.status(), StatusCode::OK);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM outbox WHERE id = '{id}' AND status = 'pending' AND attempts = 0")).await, 1);
    assert_eq!(app_error(admin.call("send_mail_again", &[("id", &id)]).await).await, AppError::NotFound, "only undelivered mail");
}

async fn without_smtp_each_message_is_written_as_an_eml_file(db: Db) {
    let app = TestApp::spawn(db).await;
    assert!(app.state.settings.mail.smtp_url.is_none());
    assert_eq!(app.browser().call("ask_password_reset", &[("email", PARTNER)]).await.status(), StatusCode::OK);
    assert_eq!(deliver(&app, chrono::Utc::now()).await.sent, 1);
    let folder = app.state.settings.data_dir.join("mail");
    let files: Vec<_> = std::fs::read_dir(&folder).expect("the mail folder").flatten().collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].path().extension().is_some_and(|e| e == "eml"));
    let message = readable(&std::fs::read_to_string(files[0].path()).expect("eml"));
    assert!(message.contains(&format!("To: {PARTNER}")) && message.contains("/mot-de-passe/nouveau?jeton="), "{message}");
}

/// The shutdown: the worker sends what is due, then ends (well within the bound the server gives it), and sends
/// nothing more.
async fn a_stopping_instance_sends_what_is_due_then_stops(db: Db) {
    let app = TestApp::spawn(db).await;
    assert_eq!(app.browser().call("ask_password_reset", &[("email", PARTNER)]).await.status(), StatusCode::OK);
    let transport = Transport::from_settings(&app.state.settings.mail, &app.state.settings.data_dir).expect("transport");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let every = std::time::Duration::from_secs(3600);
    let worker = tokio::spawn(app::server::mail::run_worker(app.state.db.clone(), transport, app.state.settings.mail.from.clone(), every, stopped));
    stop.send(true).expect("the worker listens");
    tokio::time::timeout(std::time::Duration::from_secs(10), worker).await.expect("the worker ends within the bound").expect("cleanly");
    let sent = "SELECT COUNT(*) FROM outbox WHERE status = 'sent'";
    assert_eq!(app.count(sent).await, 1, "what was due at the stop went out");
    assert_eq!(std::fs::read_dir(app.state.settings.data_dir.join("mail")).expect("the mail folder").count(), 1);
    assert_eq!(app.browser().call("ask_password_reset", &[("email", PARTNER)]).await.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.count(sent).await, 1, "nothing more once stopped");
}

async fn colleagues_who_follow_a_request_hear_what_the_caisse_does(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = app_with(db, &smtp).await;
    let (author, reference) = referral(&app, "Vasseur").await;
    let page = format!("/partenaire/demandes/{reference}");
    let colleague = app.signed_in(NEWCOMER).await;
    let before = main_text(&colleague.get(&page).await.text().await.expect("html"));
    assert!(before.contains("Suivre cette demande"), "{before}");
    let mine = "/partenaire/historique?auteur=moi";
    assert!(!main_text(&colleague.get(mine).await.text().await.expect("html")).contains(&reference), "not theirs yet");

    // Without JavaScript: the form posts and the browser comes back to the request, now followed.
    let followed = colleague.post_form("follow_request", &page, &[("reference", &reference), ("follow", "true")]).await;
    assert_eq!(location(&followed), format!("{page}?fait=suivie"));
    let after = main_text(&colleague.get(&format!("{page}?fait=suivie")).await.text().await.expect("html"));
    assert!(after.contains("Vous suivez cette demande") && after.contains("Ne plus suivre cette demande"), "{after}");
    assert_eq!(colleague.call("follow_request", &[("reference", &reference), ("follow", "true")]).await.status(), StatusCode::OK, "twice is once");
    assert_eq!(app.count("SELECT COUNT(*) FROM request_followers").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.followed'").await, 1);
    let followed_ones = main_text(&colleague.get(mine).await.text().await.expect("html"));
    assert!(followed_ones.contains(&reference), "'mes demandes' includes the ones they follow: {followed_ones}");
    let author_page = main_text(&author.get(&page).await.text().await.expect("html"));
    assert!(author_page.contains("Suivie aussi par : Thomas Petit."), "{author_page}");
    let own = app_error(author.call("follow_request", &[("reference", &reference), ("follow", "false")]).await).await;
    assert!(matches!(own, AppError::Conflict(_)), "the author always hears: {own:?}");
    let agent = app.signed_in(AGENT_91).await;
    assert_eq!(app_error(agent.call("follow_request", &[("reference", &reference), ("follow", "true")]).await).await, AppError::Forbidden);

    // The caisse's question reaches the author and the colleague, with the reference and nothing about the assuré.
    assert_eq!(act(&agent, &reference, &[("action", "take")]).await.status(), StatusCode::OK);
    assert_eq!(act(&agent, &reference, &[("action", "ask_partner"), ("message", "Merci de joindre l'attestation.")]).await.status(), StatusCode::OK);
    deliver(&app, chrono::Utc::now()).await;
    let to_partners: Vec<String> = smtp
        .messages()
        .iter()
        .map(|m| readable(m))
        .filter(|m| m.contains(&format!("To: {PARTNER}")) || m.contains(&format!("To: {NEWCOMER}")))
        .collect();
    assert_eq!(to_partners.len(), 3, "the author's receipt, then the question to both: {to_partners:?}");
    assert!(to_partners.iter().any(|m| m.contains(&format!("To: {NEWCOMER}"))), "{to_partners:?}");
    for message in &to_partners {
        assert!(message.contains(&reference), "{message}");
        for secret in ["184127645108946", "1 84 12 76 451 089 46", "Vasseur", "VASSEUR", "Simone", "attestation"] {
            assert!(!message.contains(secret), "{secret} leaked into: {message}");
        }
    }

    // Once they stop following, only the author hears of the caisse's next message.
    assert_eq!(colleague.call("follow_request", &[("reference", &reference), ("follow", "false")]).await.status(), StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM request_followers").await, 0);
    let reply = agent.call("caisse_message", &[("reference", &reference), ("body", "Bien reçu.")]).await;
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{NEWCOMER}'")).await, 1);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{PARTNER}'")).await, 3, "receipt, question, message");
}
