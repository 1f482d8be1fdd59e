//! What a caisse sets up for its own work: canned replies (caisse agents, `/caisse/reponses-types`) and the
//! answer budget per kind of request (admins, `/admin/delais`). Without JavaScript each form posts here and the
//! browser is sent back to its page, with a notice, or with the error and what was typed.

use crate::dto::error::AppError;
#[allow(unused_imports)]
use crate::dto::setup::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const CANNED_PAGE: &str = "/caisse/reponses-types";

#[cfg(feature = "ssr")]
const DUE_DATES_PAGE: &str = "/admin/delais";

#[server(endpoint = "canned_replies")]
pub async fn fetch_canned_replies() -> Result<CannedRepliesPage, AppError> {
    use crate::server::setup;
    let cx = crate::server::guard::context(crate::domain::access::Area::Caisse).await?;
    let returned = crate::server::guard::returned_form(setup::CANNED_FLASH).await?;
    setup::canned_replies(&cx, returned).await
}

#[cfg(feature = "ssr")]
async fn back_to_canned(done: &str) {
    if crate::server::guard::is_plain_form_post().await {
        leptos_axum::redirect(&format!("{CANNED_PAGE}?fait={done}"));
    }
}

#[server(endpoint = "create_canned_reply")]
pub async fn create_canned_reply(title: String, body: String) -> Result<(), AppError> {
    use crate::server::{guard, setup};
    let typed = CannedReplyLine { id: String::new(), title, body };
    let cx = guard::form_context(crate::domain::access::Area::Caisse, setup::CANNED_FLASH, &typed).await?;
    let outcome = setup::create_canned_reply(&cx, &typed.title, &typed.body).await;
    guard::keep_if_refused(outcome, setup::CANNED_FLASH, &typed).await?;
    back_to_canned("ajout").await;
    Ok(())
}

#[server(endpoint = "update_canned_reply")]
pub async fn update_canned_reply(id: String, title: String, body: String) -> Result<(), AppError> {
    use crate::server::{guard, setup};
    let typed = CannedReplyLine { id, title, body };
    let cx = guard::form_context(crate::domain::access::Area::Caisse, setup::CANNED_FLASH, &typed).await?;
    let outcome = setup::update_canned_reply(&cx, &typed.id, &typed.title, &typed.body).await;
    guard::keep_if_refused(outcome, setup::CANNED_FLASH, &typed).await?;
    back_to_canned("modification").await;
    Ok(())
}

#[server(endpoint = "delete_canned_reply")]
pub async fn delete_canned_reply(id: String) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Caisse).await?;
    crate::server::setup::delete_canned_reply(&cx, &id).await?;
    back_to_canned("suppression").await;
    Ok(())
}

#[server(endpoint = "due_dates")]
pub async fn fetch_due_dates() -> Result<DueDatesPage, AppError> {
    use crate::server::setup;
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    let returned = crate::server::guard::returned_form(setup::DUE_DATES_FLASH).await?;
    setup::budgets(&cx, returned).await
}

/// The budgets, one field per kind of request (named by its `RequestKind` code); all saved or none.
#[server(endpoint = "save_due_dates")]
pub async fn save_due_dates(
    #[server(default)] contact: String,
    #[server(default)] mas_referral: String,
    #[server(default)] appointment: String,
    #[server(default)] dossier_study: String,
) -> Result<(), AppError> {
    use crate::domain::form_values::FormValues;
    use crate::domain::request_kind::RequestKind;
    let typed = FormValues::new()
        .with(RequestKind::Contact.code(), &contact)
        .with(RequestKind::MasReferral.code(), &mas_referral)
        .with(RequestKind::Appointment.code(), &appointment)
        .with(RequestKind::DossierStudy.code(), &dossier_study);
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, crate::server::setup::DUE_DATES_FLASH, &typed).await?;
    let outcome = crate::server::setup::save_budgets(&cx, &typed).await;
    crate::server::guard::keep_if_refused(outcome, crate::server::setup::DUE_DATES_FLASH, &typed).await?;
    if crate::server::guard::is_plain_form_post().await {
        leptos_axum::redirect(&format!("{DUE_DATES_PAGE}?fait=1"));
    }
    Ok(())
}
