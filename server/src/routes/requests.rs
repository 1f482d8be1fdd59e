//! A partner's requests, as multipart forms (files included, with or without JavaScript): submitting one, replying
//! on one; downloading an attachment, for whoever may see its request; and the structure's history as CSV.

use super::download::{file_response, stored_file_response};
use super::upload::read_form;
use super::{Refused, context, require, signed_in};
use app::domain::access::Area;
use app::domain::reference::Reference;
use app::domain::request_kind::RequestKind;
use app::dto::error::AppError;
use app::dto::requests::{FormReturn, HistoryQuery};
use app::server::auth::AuthSession;
use app::server::form_flash;
use app::server::requests::attachments::{self, FILES_FIELD};
use app::server::requests::detail::reply_flash_key;
use app::server::requests::history;
use app::server::requests::respond::{self, ReplyOutcome};
use app::server::requests::submit::{self, Incoming, Outcome};
use app::server::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};

pub(super) fn routes(uploads: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/partenaire/demandes/envoyer/{kind}", post(submit_request).layer(uploads))
        .route("/partenaire/demandes/{reference}/reponse", post(reply_to_request).layer(uploads))
        .route("/pieces-jointes/{id}", get(download))
        .route("/partenaire/historique.csv", get(history_csv))
}

/// The structure's requests the history's filters keep (its query string), as a CSV file without NIR; audited.
async fn history_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    parts: Parts,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    let user = require(&auth, Area::Partner)?;
    let filters = HistoryQuery::from_params(|name| params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()));
    let csv = history::export(&context(&state, user, &parts), &filters).await?;
    Ok(file_response("historique-demandes.csv", "text/csv; charset=utf-8", csv))
}

/// A new request, then its confirmation page; refused, back to its form with the reasons and what was typed.
async fn submit_request(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(segment): Path<String>,
    parts: Parts,
    multipart: Multipart,
) -> Result<Redirect, Refused> {
    let kind = RequestKind::from_path_segment(&segment).ok_or(AppError::NotFound)?;
    if auth.user.is_none() {
        let page = format!("/partenaire/demandes/nouvelle/{segment}");
        return keep_for_after_sign_in(&state, &auth, multipart, &submit::flash_key(kind), &page).await;
    }
    let user = require(&auth, Area::Partner)?;
    let (values, uploads) = read_form(multipart, FILES_FIELD, state.settings.attachments.max_bytes).await?;
    let incoming = Incoming { kind, values, uploads };
    match submit::submit(&context(&state, user, &parts), incoming).await? {
        Outcome::Created { reference } => Ok(Redirect::to(&format!("/partenaire/demandes/{reference}/envoyee"))),
        Outcome::Returned(returned) => {
            form_flash::keep(&auth.session, &submit::flash_key(kind), &returned).await.map_err(AppError::from)?;
            Ok(Redirect::to(&format!("/partenaire/demandes/nouvelle/{segment}")))
        }
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
    if auth.user.is_none() {
        let page = format!("/partenaire/demandes/{}", Reference::parse(&reference).map(|r| r.to_string()).ok_or(AppError::NotFound)?);
        return keep_for_after_sign_in(&state, &auth, multipart, &reply_flash_key(&reference), &page).await;
    }
    let user = require(&auth, Area::Partner)?;
    let (values, uploads) = read_form(multipart, FILES_FIELD, state.settings.attachments.max_bytes).await?;
    let outcome = respond::reply(&context(&state, user, &parts), &reference, values, uploads).await?;
    let normalised = Reference::parse(&reference).map(|r| r.to_string()).unwrap_or_default();
    Ok(Redirect::to(&match outcome {
        ReplyOutcome::Sent => format!("/partenaire/demandes/{normalised}?reponse=1#fil"),
        ReplyOutcome::Returned(returned) => {
            form_flash::keep(&auth.session, &reply_flash_key(&reference), &returned).await.map_err(AppError::from)?;
            format!("/partenaire/demandes/{normalised}#repondre")
        }
    }))
}

/// A form posted after its session ended: what was typed (not the files) waits under `form` for `page`, where the
/// person comes back once signed in again.
async fn keep_for_after_sign_in(state: &AppState, auth: &AuthSession, multipart: Multipart, form: &str, page: &str) -> Result<Redirect, Refused> {
    let (values, _files) = read_form(multipart, FILES_FIELD, state.settings.attachments.max_bytes).await?;
    let returned = FormReturn { values, problem: Some(form_flash::SESSION_ENDED.to_owned()), ..FormReturn::default() };
    form_flash::keep(&auth.session, form, &returned).await.map_err(AppError::from)?;
    Ok(crate::guards::sign_in_again(page))
}

/// An attachment (`/pieces-jointes/{id}`), for the request's structure and its caisse's agents.
async fn download(State(state): State<AppState>, auth: AuthSession, Path(id): Path<String>, parts: Parts) -> Result<Response, Refused> {
    let user = signed_in(&auth)?;
    let (file, content) = attachments::download(&context(&state, user, &parts), &id).await?;
    Ok(stored_file_response(&file.file_name, &file.content_type, content))
}
