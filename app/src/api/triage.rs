//! The caisse agent's triage: the queue of the caisse's requests, a request with what can be done on it, the
//! lifecycle actions, replies and internal notes, and revealing a NIR in full (audited).

use crate::dto::error::AppError;
#[allow(unused_imports)]
use crate::dto::triage::*;
use leptos::prelude::*;

#[server(endpoint = "caisse_queue")]
pub async fn fetch_queue(query: QueueQuery) -> Result<QueuePage, AppError> {
    use crate::server::{guard, triage};
    let cx = guard::context(crate::domain::access::Area::Caisse).await?;
    let kept = if query.nir { guard::session_value::<String>(triage::NIR_SEARCH).await? } else { None };
    let nir = kept.and_then(|kept| crate::domain::nir::Nir::parse(&kept).ok());
    let mut page = triage::queue(&cx, &query, nir, 25).await?;
    page.bulk_result = guard::returned_form(triage::BULK_FLASH).await?;
    page.search_return = guard::returned_form(triage::SEARCH_FLASH).await?.or(page.search_return);
    Ok(page)
}

/// The request as the agent works on it; `canned` names a canned reply to pre-fill the reply with.
#[server(endpoint = "caisse_request")]
pub async fn fetch_caisse_request(reference: String, #[server(default)] canned: Option<String>) -> Result<CaisseRequest, AppError> {
    use crate::server::{guard, triage};
    let cx = guard::context(crate::domain::access::Area::Caisse).await?;
    let mut page = triage::request(&cx, &reference, canned.as_deref()).await?;
    // A reply refused, or sent as the session ended: what was typed comes back in the box.
    if let Some(typed) = guard::returned_form::<crate::domain::form_values::FormValues>(&triage::message_flash_key(&reference)).await? {
        page.reply_draft = typed.text("body").to_owned();
    }
    if let Some(typed) = guard::returned_form::<crate::domain::form_values::FormValues>(&triage::action_flash_key(&reference)).await? {
        page.action_draft = typed.text("message").to_owned();
    }
    Ok(page)
}

/// Shows the NIR in full, once asked: the reveal is written to the audit log.
#[server(endpoint = "reveal_nir")]
pub async fn reveal_nir(reference: String) -> Result<String, AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Caisse).await?;
    crate::server::triage::reveal_nir(&cx, &reference).await
}

#[cfg(feature = "ssr")]
fn back_to(reference: &str) -> String {
    format!("/caisse/demandes/{reference}")
}

/// One lifecycle action (see `server::triage::ACTIONS` for the codes).
#[server(endpoint = "triage_action")]
// The arguments are the form's fields. `r#allow`: server_fn's macro drops a plain `allow` from the browser build's stub.
#[r#allow(clippy::too_many_arguments)]
pub async fn triage_action(
    reference: String,
    action: String,
    #[server(default)] message: String,
    #[server(default)] assignee: String,
    #[server(default)] team: String,
    #[server(default)] duplicate_of: String,
    #[server(default)] place: String,
    #[server(default)] date: String,
    #[server(default)] time: String,
) -> Result<(), AppError> {
    use crate::server::{guard, triage};
    let flash = triage::action_flash_key(&reference);
    let typed = crate::domain::form_values::FormValues::new().with("message", &message);
    let cx = guard::form_context(crate::domain::access::Area::Caisse, &flash, &typed).await?;
    let booking = crate::server::appointments::Booking { place, date, time, instructions: message.clone() };
    let input = triage::ActionInput { action, message, assignee, team, duplicate_of, booking };
    let outcome = triage::act(&cx, &reference, input).await;
    guard::keep_if_refused(outcome, &flash, &typed).await?;
    crate::server::guard::redirect_plain_post(&format!("{}?fait=1", back_to(&reference))).await;
    Ok(())
}

/// A reply to the partner, or an internal note (`internal` ticked) that partners never see.
#[server(endpoint = "caisse_message")]
pub async fn caisse_message(reference: String, body: String, #[server(default)] internal: Option<String>) -> Result<(), AppError> {
    use crate::server::{guard, triage};
    let flash = triage::message_flash_key(&reference);
    let typed = crate::domain::form_values::FormValues::new().with("body", &body);
    let cx = guard::form_context(crate::domain::access::Area::Caisse, &flash, &typed).await?;
    let internal = internal.is_some_and(|v| !v.is_empty());
    let outcome = triage::message(&cx, &reference, &body, internal).await;
    guard::keep_if_refused(outcome, &flash, &typed).await?;
    crate::server::guard::redirect_plain_post(&format!("{}?message=1#fil", back_to(&reference))).await;
    Ok(())
}
