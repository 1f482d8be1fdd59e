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
        let policy = use_context::<crate::server::state::AppState>().map(|state| state.settings.session).unwrap_or_default();
        crate::server::guard::signed_in_now().map(|user| crate::server::homes::session_user(&user, &policy, chrono::Utc::now()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The password step: answers where to go next — the code (or, for an account without its second factor yet, the
/// enrolment), or when the second factor is off (a demo) the page that sent the person here (`suite`) when it is
/// theirs, else their home. Without JavaScript the browser is redirected there.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String, #[server(default)] suite: Option<String>) -> Result<String, AppError> {
    use crate::server::auth::{second_step, sign_in};
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
    let suite = suite.filter(|s| !s.is_empty());
    let next = if state.settings.mfa.required {
        second_step::begin(&state, &auth.session, &user, suite, now).await?.to_owned()
    } else {
        let user_agent = crate::server::guard::user_agent().await;
        second_step::open(&state, &mut auth, &user, "password", &user_agent, &origin, now).await?;
        crate::domain::access::after_sign_in(suite.as_deref(), user.role).to_owned()
    };
    crate::server::guard::redirect_plain_post(&next).await;
    Ok(next)
}

/// The second step: the code the person's app shows (`code`), which also confirms an enrolment; answers where to
/// go (their page, or the recovery codes to note after an enrolment).
#[server(endpoint = "confirm_code")]
pub async fn confirm_code(code: String) -> Result<String, AppError> {
    second_step(crate::server::auth::second_step::Proof::Code(&code)).await
}

/// The second step with a recovery code instead of the app's code (a lost or forgotten phone).
#[server(endpoint = "use_recovery_code")]
pub async fn use_recovery_code(recovery_code: String) -> Result<String, AppError> {
    second_step(crate::server::auth::second_step::Proof::RecoveryCode(&recovery_code)).await
}

#[cfg(feature = "ssr")]
async fn second_step(proof: crate::server::auth::second_step::Proof<'_>) -> Result<String, AppError> {
    let state = crate::server::guard::state()?;
    let origin = crate::server::guard::origin().await;
    let mut auth = crate::server::guard::auth_session().await?;
    let user_agent = crate::server::guard::user_agent().await;
    let outcome = crate::server::auth::second_step::complete(&state, &mut auth, proof, &user_agent, &origin, chrono::Utc::now()).await;
    // Without JavaScript the step's page says why; a session past its minutes starts again from the password.
    if let Err(AppError::Unauthenticated) = &outcome {
        crate::server::guard::redirect_plain_post("/login?etape=expiree").await;
    }
    let next = outcome?;
    crate::server::guard::redirect_plain_post(&next).await;
    Ok(next)
}

/// What the enrolment page shows to the account waiting for its second step.
#[server(endpoint = "enrolment_sheet")]
pub async fn enrolment_sheet() -> Result<Enrolment, AppError> {
    let state = crate::server::guard::state()?;
    let auth = crate::server::guard::auth_session().await?;
    let sheet = crate::server::auth::second_step::sheet(&state, &auth.session, chrono::Utc::now()).await?;
    Ok(Enrolment { qr_svg: sheet.qr_svg, key: sheet.key, email: sheet.email })
}

/// The recovery codes given at enrolment, once (read again, the page has none), and where to go next.
#[server(endpoint = "fresh_recovery_codes")]
pub async fn fresh_recovery_codes() -> Result<Option<FreshCodes>, AppError> {
    let state = crate::server::guard::state()?;
    let auth = crate::server::guard::auth_session().await?;
    let user = auth.user.clone().ok_or(AppError::Unauthenticated)?;
    let taken = crate::server::auth::second_step::take_fresh_codes(&state, &auth.session, &user).await?;
    Ok(taken.map(|(codes, next)| FreshCodes { codes, next }))
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
