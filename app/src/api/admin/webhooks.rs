//! The caisse's webhooks (`/admin/webhooks`), as its admins manage them: endpoints (secret shown once), rotating a
//! secret, disabling an endpoint, sending a delivery again. Without JavaScript each form posts here and the browser
//! goes back to the page.

#[allow(unused_imports)]
use crate::dto::admin::webhooks::*;
use crate::dto::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const PAGE: &str = "/admin/webhooks";

/// Keeps a secret just made for its one showing, then sends the browser back (without JavaScript).
#[cfg(feature = "ssr")]
async fn show_once(cx: &crate::server::context::RequestContext, created: &CreatedSecret, done: &str) -> Result<(), AppError> {
    use crate::server::{guard, webhooks};
    let sealed = webhooks::seal_shown(cx, created)?;
    crate::server::form_flash::keep(&guard::auth_session().await?.session, webhooks::SECRET_KEY, &sealed).await?;
    guard::redirect_plain_post(&format!("{PAGE}?fait={done}")).await;
    Ok(())
}

/// The endpoints, the creation form's choices, what a refused form typed, and a secret just made (once).
#[server(endpoint = "admin_webhooks")]
pub async fn fetch_webhooks() -> Result<(WebhookList, Option<crate::domain::form_values::FormValues>, Option<CreatedSecret>), AppError> {
    use crate::server::{guard, webhooks};
    let cx = guard::context(crate::domain::access::Area::Admin).await?;
    let list = webhooks::list(&cx).await?;
    let returned = guard::returned_form(webhooks::CREATE_FLASH).await?;
    let secret = guard::returned_form::<String>(webhooks::SECRET_KEY).await?.map(|sealed| webhooks::open_shown(&cx, &sealed)).transpose()?;
    Ok((list, returned, secret))
}

#[server(endpoint = "create_webhook")]
pub async fn create_webhook(
    #[server(default)] caisse: String,
    #[server(default)] url: String,
    #[server(default)] event_request_created: String,
    #[server(default)] event_request_status_changed: String,
    #[server(default)] event_request_message_added: String,
    #[server(default)] event_appointment_scheduled: String,
) -> Result<(), AppError> {
    use crate::domain::webhooks::Event;
    use crate::server::{guard, webhooks};
    let mut typed = crate::domain::form_values::FormValues::new().with("caisse", &caisse).with("url", &url);
    let ticked = [
        (Event::RequestCreated, event_request_created),
        (Event::RequestStatusChanged, event_request_status_changed),
        (Event::RequestMessageAdded, event_request_message_added),
        (Event::AppointmentScheduled, event_appointment_scheduled),
    ];
    for (event, value) in ticked {
        if !value.trim().is_empty() {
            typed.push("events", event.code());
        }
    }
    let cx = guard::form_context(crate::domain::access::Area::Admin, webhooks::CREATE_FLASH, &typed).await?;
    let outcome = webhooks::create(&cx, &typed).await;
    let created = guard::keep_if_refused(outcome, webhooks::CREATE_FLASH, &typed).await?;
    show_once(&cx, &created, "creation").await
}

#[server(endpoint = "rotate_webhook_secret")]
pub async fn rotate_webhook_secret(id: String) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    let created = crate::server::webhooks::rotate(&cx, &id).await?;
    show_once(&cx, &created, "secret").await
}

#[server(endpoint = "disable_webhook")]
pub async fn disable_webhook(id: String) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    crate::server::webhooks::disable(&cx, &id).await?;
    crate::server::guard::redirect_plain_post(&format!("{PAGE}?fait=desactivation")).await;
    Ok(())
}

#[server(endpoint = "send_webhook_again")]
pub async fn send_webhook_again(id: String) -> Result<(), AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    crate::server::webhooks::send_again(&cx, &id).await?;
    crate::server::guard::redirect_plain_post(&format!("{PAGE}?fait=renvoi")).await;
    Ok(())
}
