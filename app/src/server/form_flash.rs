//! What a person typed in a form that came back with errors, kept in their server-side session for the one
//! page that shows the form again: nothing typed is lost, and nothing travels in the URL.
//! Callers choose what to keep; secrets (passwords) are never among it.
//!
//! The page that shows it may read it more than once while it renders (nested suspense), so a kept form is
//! bound to the first request that reads it, and forgotten at the next one: a reload shows an empty form.

use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// Said above a form brought back after its session ended while it was being typed (files are not kept).
pub const SESSION_ENDED: &str = "Votre session avait expiré : vérifiez ce que vous aviez saisi, puis joignez à nouveau vos fichiers.";
use tower_sessions::Session;

#[derive(Serialize, Deserialize)]
struct Kept<T> {
    value: T,
    /// The request id of the page that first showed it.
    shown_in: Option<String>,
}

fn key(form: &str) -> String {
    format!("form_flash.{form}")
}

/// Keeps `value` for `form` until a page shows it.
pub async fn keep<T: Serialize>(session: &Session, form: &str, value: &T) -> Result<(), tower_sessions::session::Error> {
    session.insert(&key(form), Kept { value, shown_in: None }).await
}

/// What was kept for `form`, for the page rendering in request `request_id` (and only for that request).
pub async fn take<T: Serialize + DeserializeOwned>(
    session: &Session,
    form: &str,
    request_id: Option<&str>,
) -> Result<Option<T>, tower_sessions::session::Error> {
    let key = key(form);
    let Some(kept) = session.get::<Kept<T>>(&key).await? else {
        return Ok(None);
    };
    match (&kept.shown_in, request_id) {
        (None, Some(request_id)) => {
            session.insert(&key, Kept { value: &kept.value, shown_in: Some(request_id.to_owned()) }).await?;
            Ok(Some(kept.value))
        }
        (Some(shown_in), Some(request_id)) if shown_in == request_id => Ok(Some(kept.value)),
        (None, None) => {
            session.remove_value(&key).await?;
            Ok(Some(kept.value))
        }
        _ => {
            session.remove_value(&key).await?;
            Ok(None)
        }
    }
}
