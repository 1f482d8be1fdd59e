//! What a person typed in a form that came back with errors, kept in their server-side session for the one
//! page that shows the form again: nothing typed is lost, and nothing travels in the URL.
//! Callers choose what to keep; secrets (passwords) are never among it.

use serde::{Serialize, de::DeserializeOwned};
use tower_sessions::Session;

fn key(form: &str) -> String {
    format!("form_flash.{form}")
}

/// Keeps `value` for `form` until the next time the form is shown.
pub async fn keep<T: Serialize>(session: &Session, form: &str, value: &T) -> Result<(), tower_sessions::session::Error> {
    session.insert(&key(form), value).await
}

/// Takes what was kept for `form` (once: a reload shows an empty form again).
pub async fn take<T: DeserializeOwned>(session: &Session, form: &str) -> Result<Option<T>, tower_sessions::session::Error> {
    session.remove::<T>(&key(form)).await
}
