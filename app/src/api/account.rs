//! The signed-in person's own settings: how they want to hear about their requests by e-mail.

use super::error::AppError;
use leptos::prelude::*;

/// The person's choice (a `MailPreference` code).
#[server(endpoint = "mail_preference")]
pub async fn fetch_mail_preference() -> Result<String, AppError> {
    let user = super::guard::signed_in().await?;
    let state = super::guard::state()?;
    crate::server::auth::preferences::mail_preference(&state.db, &user).await
}

/// Saves how the person wants non-essential notices: at once, in a daily summary, or never.
#[server(endpoint = "save_mail_preference")]
pub async fn save_mail_preference(preference: String) -> Result<(), AppError> {
    let user = super::guard::signed_in().await?;
    let state = super::guard::state()?;
    let origin = super::guard::origin().await;
    crate::server::auth::preferences::save_mail_preference(&state.db, &user, &preference, &origin, chrono::Utc::now()).await?;
    super::guard::redirect_plain_post("/compte/notifications?fait=1").await;
    Ok(())
}
