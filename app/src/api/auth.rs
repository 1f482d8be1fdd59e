//! Signing in and out, and who is signed in.

use crate::domain::form_values::FormValues;
#[allow(unused_imports)]
use crate::dto::auth::*;
use crate::dto::error::AppError;
use leptos::prelude::*;

/// Who is signed in, for the frame and the pages' role gates: read from the request being rendered (on the
/// server; the browser renders no page, only islands).
pub fn session_user() -> Option<SessionUser> {
    #[cfg(feature = "ssr")]
    {
        crate::server::guard::signed_in_now().map(|user| crate::server::homes::session_user(&user))
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Signs in and answers where to go: the page that sent the person here (`suite`) when it is theirs, else
/// their home. Without JavaScript the browser is redirected there.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String, #[server(default)] suite: Option<String>) -> Result<String, AppError> {
    use crate::server::auth::{SIGNED_IN_AT, sign_in};
    let state = crate::server::guard::state()?;
    let origin = crate::server::guard::origin().await;
    let mut auth = crate::server::guard::auth_session().await?;
    let now = chrono::Utc::now();
    let attempt = sign_in::Attempt { email: &email, password: &password };
    let user = match sign_in::sign_in(&state.db, &state.settings.sign_in_throttle, attempt, &origin, now).await {
        Ok(user) => user,
        Err(error) => {
            if crate::server::guard::is_plain_form_post().await {
                crate::server::form_flash::keep(&auth.session, "login", &FormValues::new().with("email", &email)).await?;
            }
            return Err(error);
        }
    };
    let home = crate::domain::access::after_sign_in(suite.as_deref().filter(|s| !s.is_empty()), user.role).to_owned();
    auth.login(&user).await.map_err(|e| {
        tracing::error!(error = %e, "could not open the session");
        AppError::Unavailable
    })?;
    // A fresh id at every sign-in, whatever the session held before (session fixation).
    auth.session.cycle_id().await?;
    auth.session.insert(SIGNED_IN_AT, now.timestamp()).await?;
    tracing::info!(account.id = %user.id, "signed in");
    if crate::server::guard::is_plain_form_post().await {
        leptos_axum::redirect(&home);
    }
    Ok(home)
}

/// Ends the session server-side (the stored record is deleted, not just the cookie).
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::audit::{self, Actor, Entry};
    let state = crate::server::guard::state()?;
    let origin = crate::server::guard::origin().await;
    let mut auth = crate::server::guard::auth_session().await?;
    if let Some(user) = auth.user.clone() {
        audit::record(
            &state.db,
            Entry::new(Actor::signed_in(&user), "auth.signed_out", "account", Some(user.id.clone())).in_caisse(user.caisse_id.clone()),
            &origin,
            chrono::Utc::now(),
        )
        .await?;
    }
    auth.logout().await.map_err(|e| {
        tracing::error!(error = %e, "could not end the session");
        AppError::Unavailable
    })?;
    if crate::server::guard::is_plain_form_post().await {
        leptos_axum::redirect("/login?deconnecte=1");
    }
    Ok(())
}

/// What was typed in `form` before it came back with errors, when JavaScript was off (empty otherwise).
#[server(endpoint = "form_flash")]
pub async fn take_form_flash(form: String) -> Result<FormValues, AppError> {
    let auth = crate::server::guard::auth_session().await?;
    let origin = crate::server::guard::origin().await;
    Ok(crate::server::form_flash::take(&auth.session, &form, origin.request_id.as_deref()).await?.unwrap_or_default())
}

/// "Mot de passe oublié ?": sends a one-time link if the address has an account; the answer is the same either way.
#[server(endpoint = "ask_password_reset")]
pub async fn ask_password_reset(email: String) -> Result<(), AppError> {
    let state = crate::server::guard::state()?;
    let origin = crate::server::guard::origin().await;
    crate::server::auth::reset::request(&state.db, &state.settings.mail, &email, &origin, chrono::Utc::now()).await?;
    if crate::server::guard::is_plain_form_post().await {
        leptos_axum::redirect("/mot-de-passe-oublie?envoye=1");
    }
    Ok(())
}

/// What a link sent by e-mail is for, if it still works (so the page can say so before anything is typed).
#[server(endpoint = "reset_link_valid")]
pub async fn reset_link_valid(token: String) -> Result<Option<crate::domain::password_rule::LinkPurpose>, AppError> {
    let state = crate::server::guard::state()?;
    crate::server::auth::reset::link_purpose(&state.db, &token, chrono::Utc::now()).await
}

/// Sets the password chosen through a reset or invitation link; every session of the account ends.
#[server(endpoint = "choose_password")]
pub async fn choose_password(token: String, password: String, confirmation: String) -> Result<crate::domain::password_rule::LinkPurpose, AppError> {
    let state = crate::server::guard::state()?;
    let origin = crate::server::guard::origin().await;
    let purpose =
        crate::server::auth::reset::choose(&state.db, &state.settings.mail, &token, &password, &confirmation, &origin, chrono::Utc::now()).await?;
    if crate::server::guard::is_plain_form_post().await {
        leptos_axum::redirect(after_choosing(purpose));
    }
    Ok(purpose)
}
