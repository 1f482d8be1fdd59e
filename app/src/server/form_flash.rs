//! What a person typed in a form posted without JavaScript, kept in their server-side session for the one
//! page that shows the form again with its errors: nothing typed is lost, and nothing travels in the URL.
//! Callers choose the fields to keep; secrets (passwords) are never among them.

use std::collections::HashMap;
use tower_sessions::Session;

fn key(form: &str) -> String {
    format!("form_flash.{form}")
}

/// Keeps the given fields of `form` until the next time the form is shown.
pub async fn keep(session: &Session, form: &str, fields: &[(&str, &str)]) -> Result<(), tower_sessions::session::Error> {
    let values: HashMap<&str, &str> = fields.iter().copied().collect();
    session.insert(&key(form), values).await
}

/// Takes what was kept for `form` (once: a reload shows an empty form again).
pub async fn take(session: &Session, form: &str) -> Result<HashMap<String, String>, tower_sessions::session::Error> {
    Ok(session.remove::<HashMap<String, String>>(&key(form)).await?.unwrap_or_default())
}
