//! The accessibility statement: read by anyone at `/accessibilite`, edited by national admins at
//! `/admin/accessibilite` (without JavaScript the form posts here and the browser goes back to the statement, or to
//! the editor with the error and what was typed).

use crate::dto::accessibility::*;
use crate::dto::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "accessibility_statement")]
pub async fn fetch_accessibility_statement() -> Result<AccessibilityStatement, AppError> {
    let state = crate::server::guard::state()?;
    let reader = crate::server::guard::auth_session().await?.user;
    crate::server::accessibility::statement(&state.db, reader.as_ref()).await
}

#[server(endpoint = "accessibility_editor")]
pub async fn fetch_statement_editor() -> Result<StatementEditor, AppError> {
    use crate::server::accessibility;
    let cx = crate::server::guard::context(crate::domain::access::Area::Admin).await?;
    let returned = crate::server::guard::returned_form(accessibility::FLASH).await?;
    accessibility::editor(&cx, returned).await
}

#[server(endpoint = "save_accessibility_statement")]
pub async fn save_accessibility_statement(text: String) -> Result<(), AppError> {
    use crate::server::{accessibility, guard};
    let typed = StatementEditor { text };
    let cx = guard::form_context(crate::domain::access::Area::Admin, accessibility::FLASH, &typed).await?;
    let outcome = accessibility::save(&cx, &typed.text).await;
    guard::keep_if_refused(outcome, accessibility::FLASH, &typed).await?;
    crate::server::guard::redirect_plain_post("/accessibilite?fait=1").await;
    Ok(())
}
