//! The partner's requests: the submission forms' context, the history, a request's detail and withdrawal.
//! (Submissions and replies carry files, so they post to plain axum routes: see `server/src/routes`.)

use crate::dto::error::AppError;
use crate::domain::request_kind::RequestKind;
use leptos::prelude::*;
#[allow(unused_imports)]
use crate::dto::requests::*;

#[server(endpoint = "submission_page")]
pub async fn fetch_submission_page(kind: RequestKind) -> Result<SubmissionPage, AppError> {
    let user = crate::server::guard::require(crate::domain::access::Area::Partner).await?;
    let state = crate::server::guard::state()?;
    let session = crate::server::guard::auth_session().await?.session;
    let origin = crate::server::guard::origin().await;
    crate::server::requests::submit::page(&state, &session, &user, kind, &origin, chrono::Utc::now()).await
}

#[server(endpoint = "history")]
pub async fn fetch_history(query: HistoryQuery) -> Result<HistoryPage, AppError> {
    let user = crate::server::guard::require(crate::domain::access::Area::Partner).await?;
    let state = crate::server::guard::state()?;
    crate::server::requests::history::page(&state.db, &user, &query, 20).await
}

#[server(endpoint = "request_detail")]
pub async fn fetch_request_detail(reference: String) -> Result<RequestDetail, AppError> {
    let user = crate::server::guard::require(crate::domain::access::Area::Partner).await?;
    let state = crate::server::guard::state()?;
    let origin = crate::server::guard::origin().await;
    let session = crate::server::guard::auth_session().await?.session;
    crate::server::requests::detail::for_partner(&state, &session, &user, &reference, &origin, chrono::Utc::now()).await
}

/// Starts or stops following a request of one's structure (its e-mails then reach the follower too). Without
/// JavaScript the browser returns to the request.
#[server(endpoint = "follow_request")]
pub async fn follow_request(reference: String, follow: bool) -> Result<(), AppError> {
    let user = crate::server::guard::require(crate::domain::access::Area::Partner).await?;
    let state = crate::server::guard::state()?;
    let origin = crate::server::guard::origin().await;
    crate::server::requests::followers::set(&state.db, &user, &reference, follow, &origin, chrono::Utc::now()).await?;
    let done = if follow { "suivie" } else { "plus-suivie" };
    crate::server::guard::redirect_plain_post(&format!("/partenaire/demandes/{reference}?fait={done}")).await;
    Ok(())
}

/// Takes back a request the caisse has not started on. Without JavaScript the browser returns to the request.
#[server(endpoint = "withdraw_request")]
pub async fn withdraw_request(reference: String, #[server(default)] reason: String) -> Result<(), AppError> {
    let user = crate::server::guard::require(crate::domain::access::Area::Partner).await?;
    let state = crate::server::guard::state()?;
    let origin = crate::server::guard::origin().await;
    crate::server::requests::respond::withdraw(&state.db, &user, &reference, &reason, &origin, chrono::Utc::now()).await?;
    crate::server::guard::redirect_plain_post(&format!("/partenaire/demandes/{reference}?retiree=1")).await;
    Ok(())
}
