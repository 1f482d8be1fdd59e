//! Accounts, for admins: the list (flagging those unused for six months), invitations by e-mail, role and team,
//! deactivation (sessions end at once) and reactivation, and a partner agent's training date.

use crate::api::error::AppError;
use crate::domain::account_review::AccountState;
use crate::domain::form_values::FormValues;
use crate::domain::role::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The list's filters, as they appear in the address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountQuery {
    #[serde(default)]
    pub search: String,
    /// A `Role` code, or empty for all.
    #[serde(default)]
    pub role: String,
    /// An `AccountState` code, or empty for all.
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub page: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLine {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub state: AccountState,
    /// The structure of a partner agent, else the team of a caisse agent.
    pub attached_to: String,
    pub last_sign_in: Option<String>,
}

/// `/admin/comptes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    pub scope: String,
    pub rows: Vec<AccountLine>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub dormant: u64,
    /// (id, name) of the teams a caisse agent may join (the admin's caisse).
    pub teams: Vec<(String, String)>,
    /// (id, name) of the caisses a national admin chooses from; empty for a caisse's admin.
    pub caisses: Vec<(String, String)>,
    pub returned: Option<FormValues>,
}

/// `/admin/comptes/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPage {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub state: AccountState,
    pub caisse_name: String,
    /// (id, name) of the partner agent's structure.
    pub structure: Option<(String, String)>,
    pub team_id: String,
    pub teams: Vec<(String, String)>,
    pub trained_on: Option<String>,
    pub trained_on_iso: String,
    pub last_sign_in: Option<String>,
    pub created: String,
    /// Whether this is the admin's own account (which they may not deactivate nor demote).
    pub is_self: bool,
    pub returned: Option<FormValues>,
}

#[cfg(feature = "ssr")]
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

#[cfg(feature = "ssr")]
async fn admin() -> Result<crate::server::auth::SignedIn, AppError> {
    super::super::guard::require(crate::domain::access::Area::Admin).await
}

#[server(endpoint = "admin_accounts")]
pub async fn fetch_accounts(query: AccountQuery) -> Result<AccountList, AppError> {
    use crate::server::admin::accounts;
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let returned = super::super::guard::returned_form(accounts::INVITE_FLASH).await?;
    accounts::list(&state.db, &user, &query, returned, now()).await
}

#[server(endpoint = "admin_account")]
pub async fn fetch_account(id: String) -> Result<AccountPage, AppError> {
    use crate::server::admin::accounts;
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let returned = super::super::guard::returned_form(accounts::ACCOUNT_FLASH).await?;
    accounts::page(&state.db, &user, &id, returned, now()).await
}

/// Invites a person by e-mail: a partner agent of `structure_id`, or a caisse agent (with an optional team) or an
/// admin of the admin's caisse (`caisse_id` for a national admin). Returns the new account's id.
#[server(endpoint = "invite_account")]
pub async fn invite_account(
    email: String,
    first_name: String,
    last_name: String,
    role: String,
    #[server(default)] structure_id: String,
    #[server(default)] team_id: String,
    #[server(default)] caisse_id: String,
    /// The page to go back to without JavaScript (the structure's page or the accounts list).
    #[server(default)] back: String,
) -> Result<String, AppError> {
    use crate::server::admin::{accounts, structures};
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let origin = super::super::guard::origin().await;
    let typed = FormValues::new()
        .with("email", &email)
        .with("first_name", &first_name)
        .with("last_name", &last_name)
        .with("role", &role)
        .with("structure_id", &structure_id)
        .with("team_id", &team_id)
        .with("caisse_id", &caisse_id);
    let outcome = accounts::invite(&state.db, &state.settings.mail, &user, &typed, &origin, now()).await;
    let flash = if structure_id.is_empty() { accounts::INVITE_FLASH } else { structures::INVITATION_FLASH };
    let id = super::super::guard::keep_if_refused(outcome, flash, &typed).await?;
    let back = if back.starts_with("/admin/") && !back.contains("//") { back } else { "/admin/comptes".to_owned() };
    let separator = if back.contains('?') { '&' } else { '?' };
    super::super::guard::redirect_plain_post(&format!("{back}{separator}fait=invitation")).await;
    Ok(id)
}

/// Changes a caisse staff member's role (caisse agent or admin) and team.
#[server(endpoint = "update_account")]
pub async fn update_account(id: String, role: String, #[server(default)] team_id: String) -> Result<(), AppError> {
    use crate::server::admin::accounts;
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let origin = super::super::guard::origin().await;
    let typed = FormValues::new().with("role", &role).with("team_id", &team_id);
    let outcome = accounts::update(&state.db, &user, &id, &typed, &origin, now()).await;
    super::super::guard::keep_if_refused(outcome, accounts::ACCOUNT_FLASH, &typed).await?;
    super::super::guard::redirect_plain_post(&format!("/admin/comptes/{id}?fait=modification")).await;
    Ok(())
}

/// Deactivates (`active` = "false": every session ends at once) or reactivates an account.
#[server(endpoint = "set_account_active")]
pub async fn set_account_active(id: String, active: bool) -> Result<(), AppError> {
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let origin = super::super::guard::origin().await;
    crate::server::admin::accounts::set_active(&state.db, &user, &id, active, &origin, now()).await?;
    let done = if active { "reactivation" } else { "desactivation" };
    super::super::guard::redirect_plain_post(&format!("/admin/comptes/{id}?fait={done}")).await;
    Ok(())
}

/// Records the day a partner agent was trained (`trained_on` as `YYYY-MM-DD`, not in the future).
#[server(endpoint = "record_training")]
pub async fn record_training(id: String, #[server(default)] trained_on: String) -> Result<(), AppError> {
    use crate::server::admin::accounts;
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let origin = super::super::guard::origin().await;
    let typed = FormValues::new().with("trained_on", &trained_on);
    let outcome = accounts::record_training(&state.db, &user, &id, &trained_on, &origin, now()).await;
    super::super::guard::keep_if_refused(outcome, accounts::ACCOUNT_FLASH, &typed).await?;
    super::super::guard::redirect_plain_post(&format!("/admin/comptes/{id}?fait=formation")).await;
    Ok(())
}

/// Sends a new invitation to an account that has not chosen its password yet (earlier links stop working).
#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(id: String) -> Result<(), AppError> {
    let user = admin().await?;
    let state = super::super::guard::state()?;
    let origin = super::super::guard::origin().await;
    crate::server::admin::accounts::resend_invitation(&state.db, &state.settings.mail, &user, &id, &origin, now()).await?;
    super::super::guard::redirect_plain_post(&format!("/admin/comptes/{id}?fait=invitation")).await;
    Ok(())
}
