//! A file being prepared in the background: its page and the progress the page polls.

use crate::dto::error::AppError;
use crate::dto::exports::ExportView;
use leptos::prelude::*;

/// The signed-in account's own export (anyone else's reads as missing).
#[server(endpoint = "export")]
pub async fn fetch_export(id: String) -> Result<ExportView, AppError> {
    let cx = crate::server::guard::signed_in_context().await?;
    crate::server::exports::view(&cx, &id).await
}
