//! Accounts, for admins: the list (flagging those unused for six months), invitations by e-mail, role and team,
//! deactivation (sessions end at once) and reactivation, and a partner agent's training date.

#[cfg(feature = "ssr")]
use crate::domain::form_values::FormValues;
#[allow(unused_imports)]
use crate::dto::admin::accounts::*;
use crate::dto::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
async fn admin() -> Result<crate::server::context::RequestContext, AppError> {
    crate::server::guard::context(crate::domain::access::Area::Admin).await
}

#[server(endpoint = "admin_accounts")]
pub async fn fetch_accounts(query: AccountQuery) -> Result<AccountList, AppError> {
    use crate::server::admin::accounts;
    let cx = admin().await?;
    let returned = crate::server::guard::returned_form(accounts::INVITE_FLASH).await?;
    accounts::list(&cx, &query, returned).await
}

#[server(endpoint = "admin_account")]
pub async fn fetch_account(id: String) -> Result<AccountPage, AppError> {
    use crate::server::admin::accounts;
    let cx = admin().await?;
    let returned = crate::server::guard::returned_form(accounts::ACCOUNT_FLASH).await?;
    accounts::page(&cx, &id, returned).await
}

/// Invites a person by e-mail: a partner agent of `structure_id`, or a caisse agent (with an optional team) or an
/// admin of the admin's caisse (`caisse_id` for a national admin). Returns the new account's id.
#[server(endpoint = "invite_account")]
// The arguments are the form's fields. `r#allow`: server_fn's macro drops a plain `allow` from the browser build's stub.
#[r#allow(clippy::too_many_arguments)]
pub async fn invite_account(
    email: String,
    first_name: String,
    last_name: String,
    role: String,
    #[server(default)] structure_id: String,
    #[server(default)] team_id: String,
    #[server(default)] caisse_id: String,
    /// The page to go back to without JavaScript (the structure's page or the accounts list).
    #[server(default)]
    back: String,
) -> Result<String, AppError> {
    use crate::server::admin::{accounts, structures};
    let typed = FormValues::new()
        .with("email", &email)
        .with("first_name", &first_name)
        .with("last_name", &last_name)
        .with("role", &role)
        .with("structure_id", &structure_id)
        .with("team_id", &team_id)
        .with("caisse_id", &caisse_id);
    let flash = if structure_id.is_empty() { accounts::INVITE_FLASH } else { structures::INVITATION_FLASH };
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, flash, &typed).await?;
    let outcome = accounts::invite(&cx, &typed).await;
    let id = crate::server::guard::keep_if_refused(outcome, flash, &typed).await?;
    let back = if back.starts_with("/admin/") && !back.contains("//") { back } else { "/admin/comptes".to_owned() };
    let separator = if back.contains('?') { '&' } else { '?' };
    crate::server::guard::redirect_plain_post(&format!("{back}{separator}fait=invitation")).await;
    Ok(id)
}

/// Changes a caisse staff member's role (caisse agent or admin) and team.
#[server(endpoint = "update_account")]
pub async fn update_account(id: String, role: String, #[server(default)] team_id: String) -> Result<(), AppError> {
    use crate::server::admin::accounts;
    let typed = FormValues::new().with("role", &role).with("team_id", &team_id);
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, accounts::ACCOUNT_FLASH, &typed).await?;
    let outcome = accounts::update(&cx, &id, &typed).await;
    crate::server::guard::keep_if_refused(outcome, accounts::ACCOUNT_FLASH, &typed).await?;
    crate::server::guard::redirect_plain_post(&format!("/admin/comptes/{id}?fait=modification")).await;
    Ok(())
}

/// Deactivates (`active` = "false": every session ends at once) or reactivates an account.
#[server(endpoint = "set_account_active")]
pub async fn set_account_active(id: String, active: bool) -> Result<(), AppError> {
    let cx = admin().await?;
    crate::server::admin::accounts::set_active(&cx, &id, active).await?;
    let done = if active { "reactivation" } else { "desactivation" };
    crate::server::guard::redirect_plain_post(&format!("/admin/comptes/{id}?fait={done}")).await;
    Ok(())
}

/// Resets a person's second factor: every session ends and the person enrols again at the next sign-in.
#[server(endpoint = "reset_second_factor")]
pub async fn reset_second_factor(id: String) -> Result<(), AppError> {
    let cx = admin().await?;
    crate::server::admin::accounts::reset_second_factor(&cx, &id).await?;
    crate::server::guard::redirect_plain_post(&format!("/admin/comptes/{id}?fait=double-authentification")).await;
    Ok(())
}

/// Records the day a partner agent was trained (`trained_on` as `YYYY-MM-DD`, not in the future).
#[server(endpoint = "record_training")]
pub async fn record_training(id: String, #[server(default)] trained_on: String) -> Result<(), AppError> {
    use crate::server::admin::accounts;
    let typed = FormValues::new().with("trained_on", &trained_on);
    let cx = crate::server::guard::form_context(crate::domain::access::Area::Admin, accounts::ACCOUNT_FLASH, &typed).await?;
    let outcome = accounts::record_training(&cx, &id, &trained_on).await;
    crate::server::guard::keep_if_refused(outcome, accounts::ACCOUNT_FLASH, &typed).await?;
    crate::server::guard::redirect_plain_post(&format!("/admin/comptes/{id}?fait=formation")).await;
    Ok(())
}

/// Sends a new invitation to an account that has not chosen its password yet (earlier links stop working).
#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(id: String) -> Result<(), AppError> {
    let cx = admin().await?;
    crate::server::admin::accounts::resend_invitation(&cx, &id).await?;
    crate::server::guard::redirect_plain_post(&format!("/admin/comptes/{id}?fait=invitation")).await;
    Ok(())
}
