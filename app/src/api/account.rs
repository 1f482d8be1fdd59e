//! The signed-in person's own settings: how they want to hear about their requests by e-mail, and their password.

use crate::dto::error::AppError;
use leptos::prelude::*;

/// The person's choice (a `MailPreference` code).
#[server(endpoint = "mail_preference")]
pub async fn fetch_mail_preference() -> Result<String, AppError> {
    let cx = crate::server::guard::signed_in_context().await?;
    crate::server::auth::preferences::mail_preference(&cx).await
}

/// Saves how the person wants non-essential notices: at once, in a daily summary, or never.
#[server(endpoint = "save_mail_preference")]
pub async fn save_mail_preference(preference: String) -> Result<(), AppError> {
    let cx = crate::server::guard::signed_in_context().await?;
    crate::server::auth::preferences::save_mail_preference(&cx, &preference).await?;
    crate::server::guard::redirect_plain_post("/compte/notifications?fait=1").await;
    Ok(())
}

/// Changes the signed-in person's password (the current one asked again); their other sessions end, this one goes
/// on under a new id. Without JavaScript the browser comes back to the page with its notice.
#[server(endpoint = "change_password")]
pub async fn change_password(current: String, password: String, confirmation: String) -> Result<(), AppError> {
    use crate::server::auth::password_change::{Change, change};
    let cx = crate::server::guard::signed_in_context().await?;
    let mut auth = crate::server::guard::auth_session().await?;
    let this_session = auth.session.id().map(|id| id.to_string());
    let form = Change { current: &current, password: &password, confirmation: &confirmation };
    let changed = change(&cx, this_session.as_deref(), form).await?;
    // Stamped with the new password, or this session would end like the others; and under a fresh id.
    auth.login(&changed).await.map_err(|e| {
        tracing::error!(error = %e, "could not renew the session after a password change");
        AppError::Unavailable
    })?;
    auth.session.cycle_id().await?;
    crate::server::guard::redirect_plain_post("/compte/mot-de-passe?fait=1").await;
    Ok(())
}
