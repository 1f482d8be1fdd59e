//! The signed-in person's own settings: how they want to hear about their requests by e-mail, and their password.

use crate::dto::error::AppError;
use leptos::prelude::*;
#[allow(unused_imports)]


/// The person's choice (a `MailPreference` code).
#[server(endpoint = "mail_preference")]
pub async fn fetch_mail_preference() -> Result<String, AppError> {
    let user = crate::server::guard::signed_in().await?;
    let state = crate::server::guard::state()?;
    crate::server::auth::preferences::mail_preference(&state.db, &user).await
}

/// Saves how the person wants non-essential notices: at once, in a daily summary, or never.
#[server(endpoint = "save_mail_preference")]
pub async fn save_mail_preference(preference: String) -> Result<(), AppError> {
    let user = crate::server::guard::signed_in().await?;
    let state = crate::server::guard::state()?;
    let origin = crate::server::guard::origin().await;
    crate::server::auth::preferences::save_mail_preference(&state.db, &user, &preference, &origin, chrono::Utc::now()).await?;
    crate::server::guard::redirect_plain_post("/compte/notifications?fait=1").await;
    Ok(())
}

/// Changes the signed-in person's password (the current one asked again); their other sessions end, this one goes
/// on under a new id. Without JavaScript the browser comes back to the page with its notice.
#[server(endpoint = "change_password")]
pub async fn change_password(current: String, password: String, confirmation: String) -> Result<(), AppError> {
    use crate::server::auth::password_change::{Change, change};
    let mut auth = crate::server::guard::auth_session().await?;
    let user = auth.user.clone().ok_or(AppError::Unauthenticated)?;
    let state = crate::server::guard::state()?;
    let origin = crate::server::guard::origin().await;
    let this_session = auth.session.id().map(|id| id.to_string());
    let form = Change { current: &current, password: &password, confirmation: &confirmation };
    let changed = change(&state.db, &state.settings.mail, &state.settings.sign_in_throttle, &user, this_session.as_deref(), form, &origin, chrono::Utc::now()).await?;
    // Stamped with the new password, or this session would end like the others; and under a fresh id.
    auth.login(&changed).await.map_err(|e| {
        tracing::error!(error = %e, "could not renew the session after a password change");
        AppError::Unavailable
    })?;
    auth.session.cycle_id().await?;
    crate::server::guard::redirect_plain_post("/compte/mot-de-passe?fait=1").await;
    Ok(())
}
