//! The admin's view of e-mails that did not go out: given up after too many attempts, or still failing.

use crate::dto::error::AppError;
#[allow(unused_imports)]
use crate::dto::outbox::*;
use leptos::prelude::*;

#[server(endpoint = "undelivered_mail")]
pub async fn fetch_undelivered_mail() -> Result<Vec<UndeliveredMail>, AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    crate::server::mail_watch::undelivered_mail(cx.db(), &cx.user).await
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
