//! The admin's view of e-mails that did not go out: given up after too many attempts, or still failing.

use crate::dto::error::AppError;
#[allow(unused_imports)]
use crate::dto::outbox::*;
use leptos::prelude::*;

#[server(endpoint = "undelivered_mail")]
pub async fn fetch_undelivered_mail() -> Result<Vec<UndeliveredMail>, AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    let rows = crate::server::mail_watch::undelivered(cx.db(), &cx.user).await?;
    Ok(rows
        .into_iter()
        .map(|row| UndeliveredMail {
            state: if row.status == crate::server::mail::OutboxStatus::Failed.code() { "Abandonné" } else { "Nouvel essai prévu" }.to_owned(),
            queued_at: crate::server::time_fr::date_time(row.created_at),
            last_error: row.last_error.unwrap_or_default(),
            id: row.id,
            recipient: row.recipient,
            subject: row.subject,
            attempts: row.attempts,
        })
        .collect())
}

/// Sends an undelivered e-mail again at the worker's next round.
#[server(endpoint = "send_mail_again")]
pub async fn send_mail_again(id: String) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    crate::server::mail_watch::send_again(cx.db(), &cx.user, &id, cx.now).await?;
    if crate::server::guard::is_plain_form_post().await {
        leptos_axum::redirect("/admin/courriels?fait=1");
    }
    Ok(())
}
