//! The caisse's API tokens (`/admin/api`), as its admins manage them: the list, creating one (shown once), revoking
//! one. Without JavaScript each form posts here and the browser goes back to the page.

#[allow(unused_imports)]
use crate::dto::admin::api_tokens::*;
use crate::dto::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const PAGE: &str = "/admin/api";

/// The tokens, the creation form's choices, what a refused form typed, and the token just created (once).
#[server(endpoint = "admin_api_tokens")]
pub async fn fetch_api_tokens() -> Result<(ApiTokenList, Option<crate::domain::form_values::FormValues>, Option<CreatedToken>), AppError> {
    use crate::server::{api_tokens, guard};
    let cx = guard::context(crate::domain::access::Area::Admin).await?;
    let list = api_tokens::list(&cx).await?;
    let returned = guard::returned_form(api_tokens::CREATE_FLASH).await?;
    let created = guard::returned_form::<String>(api_tokens::CREATED_KEY).await?.map(|sealed| api_tokens::open_created(&cx, &sealed)).transpose()?;
    Ok((list, returned, created))
}

#[server(endpoint = "create_api_token")]
// The arguments are the form's fields (one checkbox per scope: a server function cannot read a repeated name).
#[r#allow(clippy::too_many_arguments)]
pub async fn create_api_token(
    #[server(default)] caisse: String,
    #[server(default)] name: String,
    #[server(default)] days: String,
    #[server(default)] allowed_addresses: String,
    #[server(default)] scope_requests_read: String,
    #[server(default)] scope_requests_write: String,
    #[server(default)] scope_notes_read: String,
    #[server(default)] scope_appointments_read: String,
    #[server(default)] scope_structures_read: String,
) -> Result<(), AppError> {
    use crate::domain::api_tokens::Scope;
    use crate::server::{api_tokens, guard};
    let mut typed = crate::domain::form_values::FormValues::new()
        .with("caisse", &caisse)
        .with("name", &name)
        .with("days", &days)
        .with("allowed_addresses", &allowed_addresses);
    let ticked = [
        (Scope::RequestsRead, scope_requests_read),
        (Scope::RequestsWrite, scope_requests_write),
        (Scope::NotesRead, scope_notes_read),
        (Scope::AppointmentsRead, scope_appointments_read),
        (Scope::StructuresRead, scope_structures_read),
    ];
    for (scope, value) in ticked {
        if !value.trim().is_empty() {
            typed.push("scopes", scope.code());
        }
    }
    let cx = guard::form_context(crate::domain::access::Area::Admin, api_tokens::CREATE_FLASH, &typed).await?;
    let outcome = api_tokens::create_for(&cx, &typed).await;
    let created = guard::keep_if_refused(outcome, api_tokens::CREATE_FLASH, &typed).await?;
    // Shown once by the page the browser goes to, from the session: never in a URL.
    let sealed = api_tokens::seal_created(&cx, &created)?;
    crate::server::form_flash::keep(&guard::auth_session().await?.session, api_tokens::CREATED_KEY, &sealed).await?;
    guard::redirect_plain_post(&format!("{PAGE}?fait=creation")).await;
    Ok(())
}

#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: String) -> Result<(), AppError> {
    use crate::server::{api_tokens, guard};
    let cx = guard::context(crate::domain::access::Area::Admin).await?;
    api_tokens::revoke(&cx, &id).await?;
    guard::redirect_plain_post(&format!("{PAGE}?fait=revocation")).await;
    Ok(())
}
