//! The caisse's agenda (caisse agents).

use crate::dto::agenda::{AgendaPage, AgendaQuery};
use crate::dto::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "agenda")]
pub async fn fetch_agenda(query: AgendaQuery) -> Result<AgendaPage, AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Caisse).await?;
    crate::server::agenda::agenda(&cx, &query).await
}
