//! A partner's requests, as multipart forms (files included, with or without JavaScript): submitting one, replying
//! on one; and downloading an attachment, for whoever may see its request.

use super::download::file_response;
use super::upload::read_form;
use super::{Refused, require, signed_in};
use app::domain::access::Area;
use app::domain::reference::Reference;
use app::domain::request_kind::RequestKind;
use app::dto::error::AppError;
use app::server::auth::AuthSession;
use app::server::guard::origin_of;
use app::server::requests::attachments::{self, FILES_FIELD};
use app::server::requests::respond::{self, ReplyOutcome};
use app::server::requests::submit::{self, Incoming, Outcome};
use app::server::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::request::Parts;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};

pub(super) fn routes(uploads: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/partenaire/demandes/envoyer/{kind}", post(submit_request).layer(uploads))
        .route("/partenaire/demandes/{reference}/reponse", post(reply_to_request).layer(uploads))
        .route("/pieces-jointes/{id}", get(download))
}

/// A new request, then its confirmation page; refused, back to its form with the reasons and what was typed.
async fn submit_request(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(segment): Path<String>,
    parts: Parts,
    multipart: Multipart,
) -> Result<Redirect, Refused> {
    let user = require(&auth, Area::Partner)?;
    let kind = RequestKind::from_path_segment(&segment).ok_or(AppError::NotFound)?;
    let (values, uploads) = read_form(multipart, FILES_FIELD, state.settings.attachments.max_bytes).await?;
    let incoming = Incoming { kind, values, uploads };
    let now = chrono::Utc::now();
    match submit::submit(&state, &auth.session, &user, incoming, &origin_of(&parts), now).await? {
        Outcome::Created { reference } => Ok(Redirect::to(&format!("/partenaire/demandes/{reference}/envoyee"))),
        Outcome::Returned => Ok(Redirect::to(&format!("/partenaire/demandes/nouvelle/{segment}"))),
    }
}

/// A partner's reply on a request, then back to its thread; refused, back to the reply form.
async fn reply_to_request(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(reference): Path<String>,
    parts: Parts,
    multipart: Multipart,
) -> Result<Redirect, Refused> {
    let user = require(&auth, Area::Partner)?;
    let (values, uploads) = read_form(multipart, FILES_FIELD, state.settings.attachments.max_bytes).await?;
    let now = chrono::Utc::now();
    let outcome = respond::reply(&state, &auth.session, &user, &reference, values, uploads, &origin_of(&parts), now).await?;
    let reference = Reference::parse(&reference).map(|r| r.to_string()).unwrap_or_default();
    Ok(Redirect::to(&match outcome {
        ReplyOutcome::Sent => format!("/partenaire/demandes/{reference}?reponse=1#fil"),
        ReplyOutcome::Returned => format!("/partenaire/demandes/{reference}#repondre"),
    }))
}

/// An attachment (`/pieces-jointes/{id}`), for the request's structure and its caisse's agents.
async fn download(State(state): State<AppState>, auth: AuthSession, Path(id): Path<String>, parts: Parts) -> Result<Response, Refused> {
    let user = signed_in(&auth)?;
    let (file, content) = attachments::download(&state, &user, &id, &origin_of(&parts), chrono::Utc::now()).await?;
    Ok(file_response(&file.file_name, &file.content_type, content))
}
