//! A structure's conventions: the signed PDF sent by an admin (a plain multipart form, with or without JavaScript)
//! and read back by the admins who manage its caisse.

use super::super::download::stored_file_response;
use super::super::upload::read_form;
use super::super::{Refused, require, signed_in};
use app::domain::access::Area;
use app::dto::error::AppError;
use app::server::admin::{conventions, structures};
use app::server::auth::AuthSession;
use app::server::form_flash;
use app::server::requests::attachments::Upload;
use app::server::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::request::Parts;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};

pub(super) fn routes(uploads: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/admin/conventions/{id}/signature", post(sign_convention).layer(uploads))
        .route("/admin/conventions/{id}/document", get(convention_document))
}

/// A convention's signed PDF, then back to the structure's page: with a notice, or with the reason next to the
/// convention's upload field.
async fn sign_convention(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    parts: Parts,
    multipart: Multipart,
) -> Result<Redirect, Refused> {
    let user = require(&auth, Area::Admin)?;
    let max = u64::try_from(conventions::DOCUMENT_MAX_BYTES).unwrap_or(u64::MAX);
    let (values, uploads) = read_form(multipart, "document", max).await?;
    let upload = uploads.into_iter().next().unwrap_or(Upload { name: String::new(), content: Default::default(), truncated: false });
    match conventions::sign(&super::super::context(&state, user, &parts), &id, &upload.name, upload.content, upload.truncated).await {
        Ok(structure_id) => Ok(Redirect::to(&format!("/admin/structures/{structure_id}?fait=signature#convention-{id}"))),
        Err(error @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let message = error.message_for("document").unwrap_or_else(|| error.to_string());
            form_flash::keep(&auth.session, structures::DOCUMENT_FLASH, &(id.clone(), message)).await.map_err(AppError::from)?;
            let structure_id: String = values.text("structure_id").chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            Ok(Redirect::to(&format!("/admin/structures/{structure_id}#convention-{id}")))
        }
        Err(error) => Err(error.into()),
    }
}

/// A convention's signed PDF, for the admins who manage its caisse.
async fn convention_document(State(state): State<AppState>, auth: AuthSession, Path(id): Path<String>, parts: Parts) -> Result<Response, Refused> {
    let user = signed_in(&auth)?;
    let (file_name, content) = conventions::document(&super::super::context(&state, user, &parts), &id).await?;
    Ok(stored_file_response(&file_name, "application/pdf", content))
}
