//! The caisse's accueils (`/admin/accueils`) and teams (`/admin/equipes`), as its admins set them up. Without
//! JavaScript each form posts here and the browser goes back to its page, with a notice, or with the error and
//! what was typed.

#[allow(unused_imports)]
use crate::dto::admin::places::*;
use crate::dto::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const ACCUEILS_PAGE: &str = "/admin/accueils";

#[cfg(feature = "ssr")]
const TEAMS_PAGE: &str = "/admin/equipes";

/// Without JavaScript: back to `page` with the notice `done`.
#[cfg(feature = "ssr")]
async fn back_to(page: &str, done: &str) {
    if crate::server::guard::is_plain_form_post().await {
        leptos_axum::redirect(&format!("{page}?fait={done}"));
    }
}

#[server(endpoint = "admin_accueils")]
pub async fn fetch_accueils() -> Result<AccueilsPage, AppError> {
    use crate::server::admin::places;
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    let returned = crate::server::guard::returned_form(places::NEW_ACCUEIL_FLASH).await?;
    places::accueils(&cx, returned).await
}

#[server(endpoint = "admin_accueil")]
pub async fn fetch_accueil(id: String) -> Result<AccueilEditPage, AppError> {
    use crate::server::admin::places;
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    let returned = crate::server::guard::returned_form(places::EDIT_ACCUEIL_FLASH).await?;
    places::accueil(&cx, &id, returned).await
}

#[server(endpoint = "create_accueil")]
// The arguments are the form's fields. `r#allow`: server_fn's macro drops a plain `allow` from the browser build's stub.
#[r#allow(clippy::too_many_arguments)]
pub async fn create_accueil(
    #[server(default)] caisse: String,
    #[server(default)] name: String,
    #[server(default)] address: String,
    #[server(default)] postal_code: String,
    #[server(default)] commune: String,
    #[server(default)] phone: String,
    #[server(default)] hours_mon: String,
    #[server(default)] hours_tue: String,
    #[server(default)] hours_wed: String,
    #[server(default)] hours_thu: String,
    #[server(default)] hours_fri: String,
    #[server(default)] hours_sat: String,
    #[server(default)] hours_sun: String,
) -> Result<(), AppError> {
    use crate::server::admin::places;
    let hours = vec![hours_mon, hours_tue, hours_wed, hours_thu, hours_fri, hours_sat, hours_sun];
    let typed = AccueilForm { id: String::new(), caisse, name, address, postal_code, commune, phone, hours };
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, places::NEW_ACCUEIL_FLASH, &typed).await?;
    let outcome = places::create_accueil(&cx, &typed).await;
    crate::server::guard::keep_if_refused(outcome, places::NEW_ACCUEIL_FLASH, &typed).await?;
    back_to(ACCUEILS_PAGE, "ajout").await;
    Ok(())
}

#[server(endpoint = "update_accueil")]
// The arguments are the form's fields. `r#allow`: server_fn's macro drops a plain `allow` from the browser build's stub.
#[r#allow(clippy::too_many_arguments)]
pub async fn update_accueil(
    id: String,
    #[server(default)] name: String,
    #[server(default)] address: String,
    #[server(default)] postal_code: String,
    #[server(default)] commune: String,
    #[server(default)] phone: String,
    #[server(default)] hours_mon: String,
    #[server(default)] hours_tue: String,
    #[server(default)] hours_wed: String,
    #[server(default)] hours_thu: String,
    #[server(default)] hours_fri: String,
    #[server(default)] hours_sat: String,
    #[server(default)] hours_sun: String,
) -> Result<(), AppError> {
    use crate::server::admin::places;
    let hours = vec![hours_mon, hours_tue, hours_wed, hours_thu, hours_fri, hours_sat, hours_sun];
    let typed = AccueilForm { id: id.clone(), caisse: String::new(), name, address, postal_code, commune, phone, hours };
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, places::EDIT_ACCUEIL_FLASH, &typed).await?;
    let outcome = places::update_accueil(&cx, &typed).await;
    crate::server::guard::keep_if_refused(outcome, places::EDIT_ACCUEIL_FLASH, &typed).await?;
    back_to(&format!("{ACCUEILS_PAGE}/{id}"), "modification").await;
    Ok(())
}

/// Stops new appointments at an accueil (those already booked stay).
#[server(endpoint = "deactivate_accueil")]
pub async fn deactivate_accueil(id: String) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    crate::server::admin::places::set_accueil_active(&cx, &id, false).await?;
    back_to(ACCUEILS_PAGE, "desactivation").await;
    Ok(())
}

#[server(endpoint = "reactivate_accueil")]
pub async fn reactivate_accueil(id: String) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    crate::server::admin::places::set_accueil_active(&cx, &id, true).await?;
    back_to(ACCUEILS_PAGE, "reactivation").await;
    Ok(())
}

#[server(endpoint = "admin_teams")]
pub async fn fetch_teams() -> Result<TeamsPage, AppError> {
    use crate::server::admin::places;
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    let returned = crate::server::guard::returned_form(places::NEW_TEAM_FLASH).await?;
    places::teams(&cx, returned).await
}

#[server(endpoint = "admin_team")]
pub async fn fetch_team(id: String) -> Result<TeamEditPage, AppError> {
    use crate::server::admin::places;
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    let returned = crate::server::guard::returned_form(places::EDIT_TEAM_FLASH).await?;
    places::team(&cx, &id, returned).await
}

/// The ticked kinds: one checkbox per kind, each named `kind_{code}` (a server function cannot read a field
/// name repeated by a checkbox group).
#[cfg(feature = "ssr")]
fn ticked(boxes: [(crate::domain::request_kind::RequestKind, &str); 4]) -> Vec<String> {
    boxes.into_iter().filter(|(_, value)| !value.trim().is_empty()).map(|(kind, _)| kind.code().to_owned()).collect()
}

#[server(endpoint = "create_team")]
pub async fn create_team(
    #[server(default)] caisse: String,
    #[server(default)] name: String,
    #[server(default)] kind_contact: String,
    #[server(default)] kind_mas_referral: String,
    #[server(default)] kind_appointment: String,
    #[server(default)] kind_dossier_study: String,
) -> Result<(), AppError> {
    use crate::domain::request_kind::RequestKind as K;
    use crate::server::admin::places;
    let kinds = ticked([
        (K::Contact, &kind_contact),
        (K::MasReferral, &kind_mas_referral),
        (K::Appointment, &kind_appointment),
        (K::DossierStudy, &kind_dossier_study),
    ]);
    let typed = TeamForm { id: String::new(), caisse, name, kinds };
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, places::NEW_TEAM_FLASH, &typed).await?;
    let outcome = places::create_team(&cx, &typed).await;
    crate::server::guard::keep_if_refused(outcome, places::NEW_TEAM_FLASH, &typed).await?;
    back_to(TEAMS_PAGE, "ajout").await;
    Ok(())
}

#[server(endpoint = "update_team")]
pub async fn update_team(
    id: String,
    #[server(default)] name: String,
    #[server(default)] kind_contact: String,
    #[server(default)] kind_mas_referral: String,
    #[server(default)] kind_appointment: String,
    #[server(default)] kind_dossier_study: String,
) -> Result<(), AppError> {
    use crate::domain::request_kind::RequestKind as K;
    use crate::server::admin::places;
    let kinds = ticked([
        (K::Contact, &kind_contact),
        (K::MasReferral, &kind_mas_referral),
        (K::Appointment, &kind_appointment),
        (K::DossierStudy, &kind_dossier_study),
    ]);
    let typed = TeamForm { id: id.clone(), caisse: String::new(), name, kinds };
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, places::EDIT_TEAM_FLASH, &typed).await?;
    let outcome = places::update_team(&cx, &typed).await;
    crate::server::guard::keep_if_refused(outcome, places::EDIT_TEAM_FLASH, &typed).await?;
    back_to(&format!("{TEAMS_PAGE}/{id}"), "modification").await;
    Ok(())
}

/// Deletes a team nobody belongs to and no open request is with.
#[server(endpoint = "delete_team")]
pub async fn delete_team(id: String) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    crate::server::admin::places::delete_team(&cx, &id).await?;
    back_to(TEAMS_PAGE, "suppression").await;
    Ok(())
}
