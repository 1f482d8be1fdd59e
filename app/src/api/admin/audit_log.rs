//! The audit log as admins read it (`/admin/journal`): their caisse's entries (every caisse's for a national
//! admin), newest first, filtered through the URL and paged by keyset. The CSV export is a plain route
//! (`/admin/journal.csv`, in the server crate) taking the same filters.

#[allow(unused_imports)]
use crate::dto::admin::audit_log::*;
use crate::dto::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "audit_log")]
pub async fn fetch_audit_log(#[server(default)] query: AuditQuery) -> Result<AuditPage, AppError> {
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    use crate::server::admin::audit_log::{Cursor, Filter, PER_PAGE, search};
    let filter = Filter::parse(&query)?;
    let mut page = search(&cx, &filter, Cursor::of(&query), PER_PAGE).await?;
    page.retention_months = cx.state.settings.audit_retention_months;
    Ok(page)
}
