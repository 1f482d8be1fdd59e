//! Files in the store the settings name: a bucket of an S3-compatible server on PostgreSQL, the folder under
//! `DATA_DIR` on SQLite. A file sent through one instance downloads through another; a key is never written twice;
//! a file nothing references is swept once a day old, and only then.

use crate::fixtures::{AGENT_91, PARTNER};
use crate::on_both_databases;
use crate::requests::{PDF, create, file, form};
use crate::support::{Db, TestApp};
use app::server::file_sweep;
use app::server::storage::Storage;
use chrono::{Duration, Utc};
use futures::TryStreamExt;
use reqwest::StatusCode;

on_both_databases!(
    a_file_sent_through_one_instance_downloads_through_another,
    a_stored_file_is_never_overwritten,
    files_nothing_references_are_swept_once_a_day_old,
);

/// The whole content of the file under `key`, or `None` when the store has no such file.
async fn stored(app: &TestApp, key: &str) -> Option<Vec<u8>> {
    match app.state.storage.get(key).await {
        Ok(file) => Some(
            file.content
                .try_fold(Vec::new(), |mut all, piece| async move {
                    all.extend_from_slice(&piece);
                    Ok(all)
                })
                .await
                .expect("read"),
        ),
        Err(_) => None,
    }
}

/// Sends a contact request with `content` attached through `app`; returns the request's reference.
async fn send_with_file(app: &TestApp, content: &[u8]) -> String {
    let partner = app.signed_in(PARTNER).await;
    create(&partner, "contact", form(&[("subject", "Pièce"), ("message", "Ci-joint")]).part("files", file("justificatif.pdf", content))).await
}

async fn a_file_sent_through_one_instance_downloads_through_another(db: Db) {
    let a = TestApp::spawn(db).await;
    let b = a.another_instance().await;
    let content = [PDF, "contenu propre à ce test".as_bytes()].concat();
    let reference = send_with_file(&a, &content).await;
    let key =
        a.text(&format!("SELECT a.storage_key FROM attachments a JOIN requests r ON r.id = a.request_id WHERE r.reference = '{reference}'")).await;
    assert_eq!(stored(&b, &key).await.as_deref(), Some(content.as_slice()), "instance B reads what A wrote");

    let agent = b.signed_in(AGENT_91).await;
    let html = agent.get(&format!("/caisse/demandes/{reference}")).await.text().await.expect("html");
    let start = html.find("/pieces-jointes/").expect("a download link on B's page");
    let path = html[start..].split('"').next().expect("path").to_owned();
    let response = agent.get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-length"], content.len().to_string().as_str());
    assert_eq!(response.bytes().await.expect("body").as_ref(), content.as_slice(), "downloaded through B as sent through A");
}

async fn a_stored_file_is_never_overwritten(db: Db) {
    let app = TestApp::spawn(db).await;
    let key = Storage::new_key();
    app.state.storage.put(&key, "le premier".into()).await.expect("a new key is written");
    let again = app.state.storage.put(&key, "le second".into()).await;
    assert!(again.is_err(), "a key already written is refused");
    assert_eq!(stored(&app, &key).await.as_deref(), Some("le premier".as_bytes()), "the first file stays whole");
}

async fn files_nothing_references_are_swept_once_a_day_old(db: Db) {
    let app = TestApp::spawn(db).await;
    let reference = send_with_file(&app, PDF).await;
    let kept =
        app.text(&format!("SELECT a.storage_key FROM attachments a JOIN requests r ON r.id = a.request_id WHERE r.reference = '{reference}'")).await;
    // What a stop between a file's writing and its row's leaves: files no row names.
    let orphans = [Storage::new_key(), format!("{}/0190f1d2-dead-7000-8000-000000000000", app::server::storage::EXPORTS)];
    for key in &orphans {
        app.state.storage.put(key, "orphelin".into()).await.expect("written");
    }
    let now = Utc::now();
    let check = file_sweep::check(&app.state).await.expect("check");
    assert_eq!((check.unreferenced, check.missing), (2, 0), "{check:?}");
    app.state.storage.delete(&kept).await.expect("deleted behind the app's back");
    assert_eq!(file_sweep::check(&app.state).await.expect("check").missing, 1, "a row naming a missing file is counted");
    app.state.storage.put(&kept, PDF.into()).await.expect("put back");
    // The housekeeping's sweep takes files written more than a day before its run.
    let run = |at: chrono::DateTime<Utc>| file_sweep::sweep(&app.state, at - file_sweep::UNREFERENCED_FOR);
    assert_eq!(run(now).await.expect("sweep"), 0, "nothing is swept before it is a day old");
    assert!(stored(&app, &orphans[0]).await.is_some());

    let tomorrow = now + file_sweep::UNREFERENCED_FOR + Duration::minutes(1);
    assert_eq!(run(tomorrow).await.expect("sweep"), orphans.len(), "the two orphans, and them only");
    for key in &orphans {
        assert!(stored(&app, key).await.is_none(), "{key} swept");
    }
    assert_eq!(stored(&app, &kept).await.as_deref(), Some(PDF), "a request's file stays");
    assert_eq!(file_sweep::check(&app.state).await.expect("check"), file_sweep::FileCheck { stored: 1, unreferenced: 0, missing: 0 });
    let agent = app.signed_in(AGENT_91).await;
    let html = agent.get(&format!("/caisse/demandes/{reference}")).await.text().await.expect("html");
    assert!(html.contains("/pieces-jointes/"), "and is still offered");
}
