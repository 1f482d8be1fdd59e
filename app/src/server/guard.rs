//! What every server function needs first: the app state, the signed-in account, and the request's origin.

use crate::domain::access::{Area, may_enter};
use crate::dto::error::AppError;
use crate::server::audit::Origin;
use crate::server::auth::{AuthSession, SignedIn};
use crate::server::context::RequestContext;
use crate::server::state::AppState;
use leptos::prelude::use_context;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

pub async fn auth_session() -> Result<AuthSession, AppError> {
    Ok(leptos_axum::extract::<AuthSession>().await?)
}

/// The signed-in account of the page being rendered, read from the request without waiting: the session layer
/// loaded it before any page code runs.
pub fn signed_in_now() -> Option<SignedIn> {
    use_context::<http::request::Parts>()?.extensions.get::<AuthSession>()?.user.clone()
}

/// The signed-in account, or `Unauthenticated`.
pub async fn signed_in() -> Result<SignedIn, AppError> {
    auth_session().await?.user.ok_or(AppError::Unauthenticated)
}

/// The signed-in account if it may work in `area`; the server's own check, whatever the menu shows.
pub async fn require(area: Area) -> Result<SignedIn, AppError> {
    let user = signed_in().await?;
    if may_enter(user.role, area) { Ok(user) } else { Err(AppError::Forbidden) }
}

/// Everything a service needs for a person who may work in `area`: refused here, by the server, whatever the menu shows.
pub async fn context(area: Area) -> Result<RequestContext, AppError> {
    let user = require(area).await?;
    Ok(RequestContext::new(state()?, user, origin().await, chrono::Utc::now()))
}

/// The same for a form's server function. When the session ended while the form was being typed (JavaScript off),
/// what was typed is kept under `form` for its page: the boundary sends the browser to sign in, then back there.
pub async fn form_context(area: Area, form: &str, typed: &impl serde::Serialize) -> Result<RequestContext, AppError> {
    let cx = context(area).await;
    if let Err(AppError::Unauthenticated) = &cx
        && is_plain_form_post().await
    {
        crate::server::form_flash::keep(&auth_session().await?.session, form, typed).await?;
    }
    cx
}

/// Everything a service needs for whoever is signed in, whatever their role (their own settings).
pub async fn signed_in_context() -> Result<RequestContext, AppError> {
    let user = signed_in().await?;
    Ok(RequestContext::new(state()?, user, origin().await, chrono::Utc::now()))
}

/// The client address and request id of the current request, for the audit log and throttling.
pub async fn origin() -> Origin {
    let parts = leptos_axum::extract::<http::request::Parts>().await.ok();
    parts.map(|p| origin_of(&p)).unwrap_or_default()
}

pub fn origin_of(parts: &http::request::Parts) -> Origin {
    let ip = parts
        .extensions
        .get::<crate::server::audit::ClientAddress>()
        .map(|client| client.0)
        .or_else(|| parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0.ip()))
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    Origin { ip, request_id }
}

/// The request's `User-Agent` (for the browser family the security page shows), empty when absent.
pub async fn user_agent() -> String {
    leptos_axum::extract::<http::request::Parts>()
        .await
        .ok()
        .and_then(|parts| parts.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_default()
}

/// The path (and query) of the page a form was posted from, when it is one of this site's.
pub async fn referer_path() -> Option<String> {
    let parts = leptos_axum::extract::<http::request::Parts>().await.ok()?;
    let referer = parts.headers.get(http::header::REFERER)?.to_str().ok()?.parse::<http::Uri>().ok()?;
    let host = parts.headers.get(http::header::HOST).and_then(|v| v.to_str().ok());
    if referer.authority().map(|a| a.as_str()) != host {
        return None;
    }
    let path = referer.path_and_query()?.as_str();
    (path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/api/")).then(|| path.to_owned())
}

/// Whether the browser posted a plain HTML form (JavaScript off): then we answer with a redirect, not data.
pub async fn is_plain_form_post() -> bool {
    leptos_axum::extract::<http::request::Parts>()
        .await
        .is_ok_and(|parts| parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| accept.contains("text/html")))
}

/// Without JavaScript, a form refused for its contents keeps what was typed (under `form`) for the page it returns to.
pub async fn keep_if_refused<T>(outcome: Result<T, AppError>, form: &str, typed: &impl serde::Serialize) -> Result<T, AppError> {
    if let Err(AppError::Validation(_)) = &outcome
        && is_plain_form_post().await
    {
        let session = auth_session().await?.session;
        crate::server::form_flash::keep(&session, form, typed).await?;
    }
    outcome
}

/// What a refused form kept for this page (JavaScript off), once.
pub async fn returned_form<T: serde::Serialize + serde::de::DeserializeOwned>(form: &str) -> Result<Option<T>, AppError> {
    let session = auth_session().await?.session;
    let origin = origin().await;
    Ok(crate::server::form_flash::take(&session, form, origin.request_id.as_deref()).await?)
}

/// A value kept in the signed-in person's session (server-side: never in a URL), if any.
pub async fn session_value<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, AppError> {
    Ok(auth_session().await?.session.get::<T>(key).await?)
}

/// After a plain form post (JavaScript off), sends the browser to `path`; with JavaScript the page moves itself.
pub async fn redirect_plain_post(path: &str) {
    if is_plain_form_post().await {
        leptos_axum::redirect(path);
    }
}
