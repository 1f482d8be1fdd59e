//! Personal-data retention: a request closed or withdrawn more than `RETENTION_MONTHS` ago loses its assuré's data,
//! free texts, messages and files at the purge; what the statistics count stays; national admins see the next run's
//! count beforehand; the purge is audited and runs once.

use crate::fixtures::{ADMIN_91, AGENT_91, NATIONAL, PARTNER};
use crate::on_both_databases;
use crate::requests::{PDF, create, file, form, mas};
use crate::support::{Db, TestApp, main_text};
use app::domain::retention::{PURGED_SUBJECT, cutoff};
use app::server::entities::{request, request_message};
use chrono::{Months, Utc};
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

on_both_databases!(requests_past_their_retention_are_purged_of_personal_data_and_keep_their_counts);

/// Ends the request `reference` (closed, or withdrawn) `months_ago` months ago.
async fn ended(app: &TestApp, reference: &str, status: &str, months_ago: u32) {
    let at = Utc::now().checked_sub_months(Months::new(months_ago)).expect("a date");
    request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value(status))
        .col_expr(request::Column::ClosedAt, Expr::value(at))
        .filter(request::Column::Reference.eq(reference))
        .exec(&app.state.db)
        .await
        .expect("ended");
}

async fn requests_past_their_retention_are_purged_of_personal_data_and_keep_their_counts(db: Db) {
    let app = TestApp::spawn(db).await;
    let partner = app.signed_in(PARTNER).await;
    // Four assurés (the same NIR four times: the duplicate guard is confirmed past).
    let referral = |name: &'static str| {
        let mut fields = mas(name);
        fields.push(("confirm_duplicate", "oui"));
        form(&fields)
    };
    let old = create(&partner, "mas", referral("Anquetil").part("files", file("avis.pdf", PDF))).await;
    let withdrawn = create(&partner, "mas", referral("Bobet")).await;
    let recent = create(&partner, "mas", referral("Coppi")).await;
    let open = create(&partner, "mas", referral("Darrigade")).await;
    let old_id = app.text(&format!("SELECT id FROM requests WHERE reference = '{old}'")).await;
    request_message::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        request_id: Set(old_id.clone()),
        author_id: Set(crate::fixtures::account_id(&app, AGENT_91).await),
        author_label: Set("Agent CPAM".to_owned()),
        from_caisse: Set(true),
        internal: Set(false),
        body: Set("M. Anquetil a rappelé au 06 12 34 56 78".to_owned()),
        created_at: Set(Utc::now()),
    }
    .insert(&app.state.db)
    .await
    .expect("a message");
    let key = app.text(&format!("SELECT storage_key FROM attachments WHERE request_id = '{old_id}'")).await;
    ended(&app, &old, "closed_resolved", 25).await;
    ended(&app, &withdrawn, "withdrawn", 30).await;
    ended(&app, &recent, "closed_resolved", 23).await;
    app.execute(&format!("UPDATE requests SET created_at = closed_at WHERE reference = '{old}'")).await;
    let grounds_before = app.texts("SELECT COALESCE(mas_grounds, '') FROM requests ORDER BY reference").await;
    let requests_before = app.count("SELECT COUNT(*) FROM requests").await;

    // The dry run, for national admins only.
    let national = app.signed_in(NATIONAL).await;
    let overview = main_text(&national.get("/admin").await.text().await.expect("html"));
    assert!(overview.contains("Conservation des données personnelles"), "{overview}");
    assert!(overview.contains("effacées 24 mois après la clôture"), "{overview}");
    assert!(overview.contains("Au prochain passage : 2 demandes à effacer"), "{overview}");
    assert!(overview.contains("Déjà effacées : 0 demande."), "{overview}");
    let caisse_admin = main_text(&app.signed_in(ADMIN_91).await.get("/admin").await.text().await.expect("html"));
    assert!(!caisse_admin.contains("Conservation des données"), "a caisse's admin does not see it");

    let now = Utc::now();
    let purged = app::server::retention::purge(&app.state, cutoff(now, app.state.settings.request_retention_months), now).await.expect("purge");
    assert_eq!(purged, 2, "the closed and the withdrawn requests past 24 months, and them only");

    for reference in [&old, &withdrawn] {
        let nir = app.count(&format!("SELECT COUNT(*) FROM requests WHERE reference = '{reference}' AND (beneficiary_nir IS NOT NULL OR beneficiary_last_name IS NOT NULL OR beneficiary_birth_date IS NOT NULL OR beneficiary_search IS NOT NULL)")).await;
        assert_eq!(nir, 0, "{reference}: no identity left");
        assert_eq!(app.text(&format!("SELECT subject FROM requests WHERE reference = '{reference}'")).await, PURGED_SUBJECT);
        let details = app.text(&format!("SELECT details FROM requests WHERE reference = '{reference}'")).await;
        assert!(!details.contains("Le mardi matin"), "free texts emptied: {details}");
    }
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM request_messages WHERE request_id = '{old_id}'")).await, 0, "messages gone");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM attachments WHERE request_id = '{old_id}'")).await, 0, "files gone");
    assert!(app.state.storage.get(&key).await.is_err(), "and gone from the store");
    for kept in [&recent, &open] {
        let identity = app.count(&format!("SELECT COUNT(*) FROM requests WHERE reference = '{kept}' AND beneficiary_nir IS NOT NULL")).await;
        assert_eq!(identity, 1, "{kept} is within its retention or still open: untouched");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM requests").await, requests_before, "every request still counts");
    assert_eq!(app.texts("SELECT COALESCE(mas_grounds, '') FROM requests ORDER BY reference").await, grounds_before, "and by its grounds");
    let audit = app.texts("SELECT detail FROM audit_events WHERE action = 'request.purged'").await;
    assert_eq!(audit.len(), 1, "one entry for the caisse: {audit:?}");
    assert!(audit[0].starts_with("2 demandes closes ou retirées avant le "), "{audit:?}");

    // The page still opens, without anything of the assuré.
    let agent = app.signed_in(AGENT_91).await;
    let page = agent.get(&format!("/caisse/demandes/{old}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = main_text(&page.text().await.expect("html"));
    assert!(page.contains(PURGED_SUBJECT) && !page.contains("Anquetil") && !page.contains("06 12"), "{page}");

    // Once only.
    let again = Utc::now();
    assert_eq!(app::server::retention::purge(&app.state, cutoff(again, 24), again).await.expect("purge"), 0);
    let overview = main_text(&national.get("/admin").await.text().await.expect("html"));
    assert!(overview.contains("Au prochain passage : 0 demande à effacer") && overview.contains("Déjà effacées : 2 demandes."), "{overview}");
}
