//! Partner structures and their conventions, for admins: the searchable list, one structure's page, and every
//! change to a structure or a convention (the signed PDF is uploaded on its own route, in the server crate's
//! `routes/admin/structures.rs`).

#[cfg(feature = "ssr")]
use crate::domain::form_values::FormValues;
#[cfg(feature = "ssr")]
use crate::domain::request_kind::RequestKind;
#[allow(unused_imports)]
use crate::dto::admin::structures::*;
use crate::dto::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn admin() -> Result<crate::server::context::RequestContext, AppError> {
    crate::server::guard::context(crate::domain::access::Area::Admin).await
}

#[server(endpoint = "admin_structures")]
pub async fn fetch_structures(#[server(default)] search: String, #[server(default)] page: u64) -> Result<StructureList, AppError> {
    use crate::server::admin::structures;
    let cx = admin().await?;
    let returned = crate::server::guard::returned_form(structures::CREATE_FLASH).await?;
    structures::list(&cx, &search, page.max(1), returned).await
}

#[server(endpoint = "admin_structure")]
pub async fn fetch_structure(id: String) -> Result<StructurePage, AppError> {
    use crate::server::admin::structures;
    let cx = admin().await?;
    let guard = |form| crate::server::guard::returned_form::<FormValues>(form);
    let returned = [guard(structures::PROFILE_FLASH).await?, guard(structures::CONVENTION_FLASH).await?, guard(structures::INVITATION_FLASH).await?];
    let refused = crate::server::guard::returned_form(structures::DOCUMENT_FLASH).await?;
    structures::page(&cx, &id, returned, refused).await
}

/// The profile fields, as posted by the creation and edit forms.
#[cfg(feature = "ssr")]
fn profile(name: &str, kind: &str, siret: &str, address: &str, postal_code: &str, commune: &str, caisse_id: &str) -> FormValues {
    FormValues::new()
        .with("name", name)
        .with("kind", kind)
        .with("siret", siret)
        .with("address", address)
        .with("postal_code", postal_code)
        .with("commune", commune)
        .with("caisse_id", caisse_id)
}

/// Creates a structure; returns its id (the page goes to it).
#[server(endpoint = "create_structure")]
pub async fn create_structure(
    name: String,
    kind: String,
    siret: String,
    address: String,
    postal_code: String,
    commune: String,
    #[server(default)] caisse_id: String,
) -> Result<String, AppError> {
    use crate::server::admin::structures;
    let typed = profile(&name, &kind, &siret, &address, &postal_code, &commune, &caisse_id);
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, structures::CREATE_FLASH, &typed).await?;
    let outcome = structures::create(&cx, &typed).await;
    let id = crate::server::guard::keep_if_refused(outcome, structures::CREATE_FLASH, &typed).await?;
    crate::server::guard::redirect_plain_post(&format!("/admin/structures/{id}?fait=creation")).await;
    Ok(id)
}

#[server(endpoint = "update_structure")]
pub async fn update_structure(
    id: String,
    name: String,
    kind: String,
    siret: String,
    address: String,
    postal_code: String,
    commune: String,
) -> Result<(), AppError> {
    use crate::server::admin::structures;
    let typed = profile(&name, &kind, &siret, &address, &postal_code, &commune, "");
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, structures::PROFILE_FLASH, &typed).await?;
    let outcome = structures::update(&cx, &id, &typed).await;
    crate::server::guard::keep_if_refused(outcome, structures::PROFILE_FLASH, &typed).await?;
    crate::server::guard::redirect_plain_post(&format!("/admin/structures/{id}?fait=modification")).await;
    Ok(())
}

/// The convention form's fields: dates, then one checkbox per function (named by its code).
#[cfg(feature = "ssr")]
fn terms(starts_on: &str, ends_on: &str, ticked: [(RequestKind, &Option<String>); 4]) -> FormValues {
    let mut typed = FormValues::new().with("starts_on", starts_on).with("ends_on", ends_on);
    for (kind, value) in ticked {
        if value.is_some() {
            typed.push("kinds", kind.code());
        }
    }
    typed
}

/// Adds a draft convention to a structure (or changes a draft's dates and functions, when `id` is given).
#[server(endpoint = "save_convention")]
// The arguments are the form's fields. `r#allow`: server_fn's macro drops a plain `allow` from the browser build's stub.
#[r#allow(clippy::too_many_arguments)]
pub async fn save_convention(
    structure_id: String,
    #[server(default)] id: String,
    #[server(default)] starts_on: String,
    #[server(default)] ends_on: String,
    #[server(default)] contact: Option<String>,
    #[server(default)] mas_referral: Option<String>,
    #[server(default)] appointment: Option<String>,
    #[server(default)] dossier_study: Option<String>,
) -> Result<(), AppError> {
    use crate::server::admin::{conventions, structures};
    let typed = terms(
        &starts_on,
        &ends_on,
        [
            (RequestKind::Contact, &contact),
            (RequestKind::MasReferral, &mas_referral),
            (RequestKind::Appointment, &appointment),
            (RequestKind::DossierStudy, &dossier_study),
        ],
    );
    let kept = typed.clone().with("id", &id);
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, structures::CONVENTION_FLASH, &kept).await?;
    let outcome = conventions::save_draft(&cx, &structure_id, Some(id.as_str()).filter(|id| !id.is_empty()), &typed).await;
    let typed = typed.with("id", &id);
    crate::server::guard::keep_if_refused(outcome, structures::CONVENTION_FLASH, &typed).await?;
    crate::server::guard::redirect_plain_post(&format!("/admin/structures/{structure_id}?fait=convention#conventions")).await;
    Ok(())
}

/// Suspends, resumes, terminates or renews a convention (`action`: suspend, resume, terminate, renew).
#[server(endpoint = "act_on_convention")]
pub async fn act_on_convention(id: String, action: String, #[server(default)] reason: String) -> Result<(), AppError> {
    use crate::server::admin::conventions;
    let cx = admin().await?;
    let done = conventions::act(&cx, &id, &action, &reason).await?;
    crate::server::guard::redirect_plain_post(&format!("/admin/structures/{}?fait={}#conventions", done.structure_id, done.notice)).await;
    Ok(())
}

#[server(endpoint = "expiring_conventions")]
pub async fn fetch_expiring() -> Result<Vec<ExpiringLine>, AppError> {
    let cx = admin().await?;
    crate::server::admin::conventions::expiring(&cx).await
}
