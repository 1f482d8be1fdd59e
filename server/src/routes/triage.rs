//! The caisse's queue outside server functions: the bulk action on ticked requests (a plain form whose boxes repeat
//! one field name), the search box (posted, so that a NIR never travels in a URL), and an appointment's calendar file.

use super::download::file_response;
use super::{Refused, require, signed_in};
use app::domain::access::Area;
use app::domain::form_values::FormValues;
use app::dto::error::AppError;
use app::dto::exports::ExportView;
use app::dto::triage::QueueQuery;
use app::server::auth::AuthSession;
use app::server::exports::Download;
use app::server::spreadsheet::Format;
use app::server::state::AppState;
use app::server::{appointments, form_flash, triage};
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

pub(super) fn routes() -> Router<AppState> {
    let downloads = Format::ALL.into_iter().fold(Router::new(), |router, format| {
        router.route(
            &format!("/caisse/file.{}", format.extension()),
            get(move |state: State<AppState>, auth: AuthSession, parts: Parts, params: Query<Vec<(String, String)>>| {
                queue_download(state, auth, parts, params, format)
            }),
        )
    });
    downloads
        .route("/caisse/file/lot", post(bulk_action))
        .route("/caisse/file/recherche", post(queue_search))
        .route("/rendez-vous/{id}", get(calendar_file))
}

/// Every request the queue's filters keep (its query string; a NIR search reads the NIR kept in the session), as a
/// file in `format`, or, when there are many, on to the page of its export prepared in the background.
async fn queue_download(
    State(state): State<AppState>,
    auth: AuthSession,
    parts: Parts,
    Query(params): Query<Vec<(String, String)>>,
    format: Format,
) -> Result<Response, Refused> {
    let user = require(&auth, Area::Caisse)?;
    let filters = QueueQuery::from_params(|name| params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()));
    let kept = if filters.nir { auth.session.get::<String>(triage::NIR_SEARCH).await.map_err(AppError::from)? } else { None };
    let nir = kept.and_then(|kept| app::domain::nir::Nir::parse(&kept).ok());
    Ok(match triage::download(&super::context(&state, user, &parts), &filters, nir, format).await? {
        Download::File { name, format, bytes } => file_response(&name, format.content_type(), bytes),
        Download::Started(id) => Redirect::to(&ExportView::href(&id)).into_response(),
    })
}

/// The queue's search box (a POST, so that a NIR never lands in a URL), then back to the queue as it was filtered.
async fn queue_search(auth: AuthSession, Form(fields): Form<Vec<(String, String)>>) -> Result<Redirect, Refused> {
    if auth.user.is_none() {
        return Ok(crate::guards::sign_in_again("/caisse/file"));
    }
    require(&auth, Area::Caisse)?;
    let field = |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    let filters = QueueQuery::from_params(field);
    Ok(Redirect::to(&triage::search(&auth.session, filters, &field("recherche").unwrap_or_default()).await?))
}

/// The queue's bulk action (ticked references, the action and its target), then back to the queue as it was
/// filtered, where the outcome is shown once.
async fn bulk_action(
    State(state): State<AppState>,
    auth: AuthSession,
    parts: Parts,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, Refused> {
    if auth.user.is_none() {
        return Ok(crate::guards::sign_in_again("/caisse/file").into_response());
    }
    let user = signed_in(&auth)?;
    let mut values = FormValues::new();
    for (name, value) in fields {
        values.push(name, value);
    }
    let input = triage::ActionInput {
        action: values.text("action").to_owned(),
        assignee: values.text("assignee").to_owned(),
        team: values.text("team").to_owned(),
        duplicate_of: values.text("duplicate_of").to_owned(),
        ..Default::default()
    };
    let result = triage::bulk(&super::context(&state, user, &parts), &values.all("ref"), input).await?;
    form_flash::keep(&auth.session, triage::BULK_FLASH, &result).await.map_err(AppError::from)?;
    let back = values.text("retour");
    let back = if back.starts_with("/caisse/file") && !back.starts_with("//") { back } else { "/caisse/file" };
    Ok(Redirect::to(back).into_response())
}

/// An appointment as a calendar file (`/rendez-vous/{id}`), for whoever may see its request.
async fn calendar_file(State(state): State<AppState>, auth: AuthSession, Path(id): Path<String>) -> Result<Response, Refused> {
    let user = signed_in(&auth)?;
    let (file_name, content) = appointments::calendar_file(&state.db, &user, &id, &state.settings.mail.from).await?;
    Ok(file_response(&file_name, "text/calendar; charset=utf-8", content))
}
