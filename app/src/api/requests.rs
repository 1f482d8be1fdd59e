//! The partner's requests: the submission forms' context, the history, a request's detail, withdrawal and appointment changes.
//! (Submissions and replies carry files, so they post to plain axum routes: see `server/src/routes`.)

use crate::domain::request_kind::RequestKind;
use crate::dto::error::AppError;
#[allow(unused_imports)]
use crate::dto::requests::*;
use leptos::prelude::*;

#[server(endpoint = "submission_page")]
pub async fn fetch_submission_page(kind: RequestKind) -> Result<SubmissionPage, AppError> {
    use crate::server::requests::submit;
    let cx = crate::server::guard::context(crate::domain::access::Area::Partner).await?;
    let returned = crate::server::guard::returned_form(&submit::flash_key(kind)).await?;
    submit::page(&cx, kind, returned).await
}

#[server(endpoint = "history")]
pub async fn fetch_history(query: HistoryQuery) -> Result<HistoryPage, AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Partner).await?;
    crate::server::requests::history::page(&cx, &query, 20).await
}

#[server(endpoint = "request_detail")]
pub async fn fetch_request_detail(reference: String) -> Result<RequestDetail, AppError> {
    use crate::server::requests::detail;
    let cx = crate::server::guard::context(crate::domain::access::Area::Partner).await?;
    let returned = crate::server::guard::returned_form(&detail::reply_flash_key(&reference)).await?;
    detail::for_partner(&cx, &reference, returned).await
}

/// Starts or stops following a request of one's structure (its e-mails then reach the follower too). Without
/// JavaScript the browser returns to the request.
#[server(endpoint = "follow_request")]
pub async fn follow_request(reference: String, follow: bool) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Partner).await?;
    crate::server::requests::followers::set(&cx, &reference, follow).await?;
    let done = if follow { "suivie" } else { "plus-suivie" };
    crate::server::guard::redirect_plain_post(&format!("/partenaire/demandes/{reference}?fait={done}")).await;
    Ok(())
}

/// Takes back a request the caisse has not started on, once the box confirming it is ticked (`confirm=oui`).
/// Without JavaScript the browser returns to the request.
#[server(endpoint = "withdraw_request")]
pub async fn withdraw_request(reference: String, #[server(default)] reason: String, #[server(default)] confirm: String) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Partner).await?;
    crate::server::requests::respond::withdraw(&cx, &reference, &reason, confirm == "oui").await?;
    crate::server::guard::redirect_plain_post(&format!("/partenaire/demandes/{reference}?retiree=1")).await;
    Ok(())
}

/// Asks the caisse for another date for the request's appointment (`wish=autre-date`) or calls it off
/// (`wish=annulation`), with a reason. Without JavaScript the browser returns to the request.
#[server(endpoint = "change_appointment")]
pub async fn change_appointment(reference: String, #[server(default)] wish: String, #[server(default)] reason: String) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Partner).await?;
    crate::server::requests::respond::change_appointment(&cx, &reference, &wish, &reason).await?;
    crate::server::guard::redirect_plain_post(&format!("/partenaire/demandes/{reference}?fait={wish}")).await;
    Ok(())
}
