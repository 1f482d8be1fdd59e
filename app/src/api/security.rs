//! The person's own security page (`/compte/securite`): open sessions, ending them, the second factor, and keeping
//! a session alive when its idle limit comes near.

use crate::dto::error::AppError;
#[allow(unused_imports)]
use crate::dto::security::*;
use leptos::prelude::*;

/// The id of the session making the request, to tell it apart from the others.
#[cfg(feature = "ssr")]
async fn this_session() -> Result<Option<String>, AppError> {
    Ok(crate::server::guard::auth_session().await?.session.id().map(|id| id.to_string()))
}

/// The person's open sessions and the state of their second factor.
#[server(endpoint = "security_overview")]
pub async fn fetch_security_overview() -> Result<SecurityOverview, AppError> {
    let cx = crate::server::guard::signed_in_context().await?;
    crate::server::auth::security::overview(&cx, this_session().await?.as_deref()).await
}

/// « Mettre fin à cette session »: that browser is signed out at its next request.
#[server(endpoint = "end_session")]
pub async fn end_session(session: String) -> Result<(), AppError> {
    let cx = crate::server::guard::signed_in_context().await?;
    crate::server::auth::security::end_session(&cx, this_session().await?.as_deref(), &session).await?;
    crate::server::guard::redirect_plain_post("/compte/securite?fait=session").await;
    Ok(())
}

/// « Mettre fin à toutes les autres »: every session of the person but this one.
#[server(endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    let cx = crate::server::guard::signed_in_context().await?;
    let ended = crate::server::auth::security::end_other_sessions(&cx, this_session().await?.as_deref()).await?;
    crate::server::guard::redirect_plain_post("/compte/securite?fait=autres").await;
    Ok(ended)
}

/// Changes the second factor, with the password and a current code again: `change` = `codes` (new recovery codes,
/// shown once on the page answered) or `telephone` (the factor removed to enrol another phone at the next sign-in;
/// every session ends, this one too).
#[server(endpoint = "change_second_factor")]
pub async fn change_second_factor(#[server(default)] change: String, password: String, code: String) -> Result<String, AppError> {
    use crate::server::auth::security;
    let cx = crate::server::guard::signed_in_context().await?;
    let next = match change.as_str() {
        "codes" => {
            let session = crate::server::guard::auth_session().await?.session;
            security::renew_recovery_codes(&cx, &session, &password, &code).await?;
            crate::server::auth::second_step::FRESH_CODES_PAGE
        }
        "telephone" => {
            security::remove_second_factor(&cx, &password, &code).await?;
            "/login?reinitialise=1"
        }
        _ => return Err(AppError::field("change", "Choisissez ce que vous voulez faire.")),
    };
    crate::server::guard::redirect_plain_post(next).await;
    Ok(next.to_owned())
}

/// « Rester connecté »: the session layer slid the idle deadline as this request came in; answers how long the
/// session now lasts. Without JavaScript, back to the page the button was on.
#[server(endpoint = "keep_session")]
pub async fn keep_session() -> Result<KeptSession, AppError> {
    let state = crate::server::guard::state()?;
    let auth = crate::server::guard::auth_session().await?;
    auth.user.as_ref().ok_or(AppError::Unauthenticated)?;
    let deadline = crate::server::auth::idle_deadline(&auth.session, &state.settings.session).await?;
    if crate::server::guard::is_plain_form_post().await {
        leptos_axum::redirect(&crate::server::guard::referer_path().await.unwrap_or_else(|| "/".to_owned()));
    }
    Ok(KeptSession { remaining_seconds: (deadline - chrono::Utc::now()).num_seconds().max(0), until: crate::server::time_fr::clock(deadline) })
}
