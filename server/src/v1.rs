//! `/api/v1`: the JSON API of a caisse's back-office tools. Each call carries a token (`Authorization: Bearer
//! ep_live_…`) checked once, in [`authenticate`], which also writes the call to the audit log; handlers only read
//! their arguments and call one operation of `app::server::v1`. The OpenAPI 3.1 document is generated from the
//! handlers and their types (`/api/v1/openapi.json`) and shown as a page (`/api/v1/docs`). Every refusal is an
//! RFC 9457 problem document with a French `detail`.

mod docs;
mod problem;

use app::server::api_tokens::{self, ApiCaller};
use app::server::audit::{self, ClientAddress, Entry};
use app::server::state::AppState;
use app::server::v1::{self as operations, ApiCall};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use problem::{CommonRefusals, Problem};
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Espace Partenaires : API des caisses",
        version = "1",
        description = "Les demandes d'une caisse, ses rendez-vous et ses structures partenaires, pour ses outils de gestion. \
            Chaque appel porte un jeton créé par un administrateur de la caisse (`Authorization: Bearer ep_live_…`) ; \
            chaque opération demande un droit du jeton. Toute erreur est un document `application/problem+json` (RFC 9457) \
            dont `detail` explique, en français, ce qui a été refusé."
    ),
    tags(
        (name = "demandes", description = "Les demandes de la caisse : liste, détail, pièces jointes, actions et messages"),
        (name = "rendez-vous", description = "Les rendez-vous de la caisse"),
        (name = "structures", description = "Les structures partenaires et leurs conventions")
    )
)]
struct ApiDoc;

/// The API's routes, the document and its page. The token check and the audit cover the operations only.
pub fn router(state: AppState, stylesheet: &str) -> Router {
    let (operations, document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_requests))
        .routes(routes!(read_request))
        .routes(routes!(download_attachment))
        .routes(routes!(act))
        .routes(routes!(add_message))
        .routes(routes!(list_appointments))
        .routes(routes!(list_structures))
        .routes(routes!(list_assignees))
        .split_for_parts();
    let mut document = document;
    // After the routes: the refusals go to every operation they brought.
    utoipa::Modify::modify(&CommonRefusals, &mut document);
    let document = Arc::new(document);
    let operations = operations
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn_with_state(state.clone(), crate::guards::client_address));
    let page = Arc::new(docs::page(&document, stylesheet));
    Router::new()
        .route("/api/v1/openapi.json", get(move || std::future::ready(Json(document.clone()).into_response())))
        .route("/api/v1/docs", get(move || std::future::ready(docs::response(&page))))
        .route("/api/v1/{*unknown}", get(unknown).post(unknown))
        .merge(operations)
        .with_state(state)
}

/// The call's token, checked before any operation: unknown, revoked, expired, from a refused address or over its
/// rate, the call stops here. A call that passes is written to the audit log with the token's name and the answer's
/// status, whatever the operation answered.
async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let now = chrono::Utc::now();
    let (parts, body) = request.into_parts();
    let origin = app::server::guard::origin_of(&parts);
    let mut request = Request::from_parts(parts, body);
    let client = request.extensions().get::<ClientAddress>().map(|c| c.0);
    let authorization = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let caller = match api_tokens::authenticate(&state.db, (&state.api_calls, state.settings.api_calls_per_minute), authorization, client, now).await
    {
        Ok(caller) => caller,
        Err(refusal) => {
            tracing::info!(reason = ?refusal, "API call refused");
            return Problem::from(operations::ApiError::Refused(refusal)).into_response();
        }
    };
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let call = Arc::new(ApiCall::new(state.clone(), caller.clone(), origin.clone(), now));
    request.extensions_mut().insert(call);
    let response = next.run(request).await;
    record_call(&state, &caller, &origin, &format!("{method} {path} → {}", response.status().as_u16()), now).await;
    response
}

async fn record_call(state: &AppState, caller: &ApiCaller, origin: &audit::Origin, detail: &str, now: chrono::DateTime<chrono::Utc>) {
    let entry =
        Entry::new(caller.actor(), "api.called", "api_token", Some(caller.token_id.clone())).in_caisse(Some(caller.caisse_id.clone())).detail(detail);
    if let Err(error) = audit::record(&state.db, entry, origin, now).await {
        tracing::error!(%error, "API call not written to the audit log");
    }
}

/// An address under `/api/v1` that names no operation.
async fn unknown() -> Problem {
    Problem::from(operations::ApiError::App(app::dto::error::AppError::NotFound))
}

fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, Problem> {
    query.map(|Query(value)| value).map_err(|rejection| Problem::bad_request(&rejection.body_text()))
}

fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, Problem> {
    body.map(|Json(value)| value).map_err(|rejection| Problem::bad_request(&rejection.body_text()))
}

type Answer<T> = Result<Json<T>, Problem>;

/// The caisse's requests, one page at a time (the queue's filters; `next` leads to the following page).
#[utoipa::path(
    get,
    path = "/api/v1/requests",
    tag = "demandes",
    params(operations::RequestFilters),
    security(("jeton" = ["requests:read"])),
    responses((status = 200, description = "Une page de demandes", body = operations::RequestPage))
)]
async fn list_requests(
    Extension(call): Extension<Arc<ApiCall>>,
    filters: Result<Query<operations::RequestFilters>, QueryRejection>,
) -> Answer<operations::RequestPage> {
    Ok(Json(operations::list_requests(&call, query(filters)?).await?))
}

/// A request of the caisse, with its timeline, its thread (internal notes with `notes:read`) and its files. The read is
/// written to the audit log.
#[utoipa::path(
    get,
    path = "/api/v1/requests/{reference}",
    tag = "demandes",
    params(("reference" = String, Path, description = "La référence de la demande, EP-AAAA-NNNNNN")),
    security(("jeton" = ["requests:read"])),
    responses((status = 200, description = "La demande", body = operations::RequestDetail))
)]
async fn read_request(Extension(call): Extension<Arc<ApiCall>>, Path(reference): Path<String>) -> Answer<operations::RequestDetail> {
    Ok(Json(operations::read_request(&call, &reference).await?))
}

/// A file of a request (one joined to an internal note only with `notes:read`).
#[utoipa::path(
    get,
    path = "/api/v1/requests/{reference}/attachments/{id}",
    tag = "demandes",
    params(
        ("reference" = String, Path, description = "La référence de la demande"),
        ("id" = String, Path, description = "L'identifiant de la pièce jointe (liste `attachments` de la demande)")
    ),
    security(("jeton" = ["requests:read"])),
    responses((status = 200, description = "Le fichier", content_type = "application/octet-stream", body = Vec<u8>))
)]
async fn download_attachment(Extension(call): Extension<Arc<ApiCall>>, Path((reference, id)): Path<(String, String)>) -> Result<Response, Problem> {
    let (file, stored) = operations::attachment(&call, &reference, &id).await?;
    Ok(crate::routes::stored_download(&file.file_name, &file.content_type, stored))
}

/// An action on a request, by the rules of the request page: take, assign, ask the partner, schedule, close…
/// An action its status does not allow answers 409.
#[utoipa::path(
    post,
    path = "/api/v1/requests/{reference}/actions",
    tag = "demandes",
    params(("reference" = String, Path, description = "La référence de la demande")),
    request_body = operations::ActionBody,
    security(("jeton" = ["requests:write"])),
    responses((status = 200, description = "La demande après l'action", body = operations::RequestState))
)]
async fn act(
    Extension(call): Extension<Arc<ApiCall>>,
    Path(reference): Path<String>,
    action: Result<Json<operations::ActionBody>, JsonRejection>,
) -> Answer<operations::RequestState> {
    Ok(Json(operations::act(&call, &reference, body(action)?).await?))
}

/// A reply to the partner, or an internal note (`internal: true`) the partner never sees.
#[utoipa::path(
    post,
    path = "/api/v1/requests/{reference}/messages",
    tag = "demandes",
    params(("reference" = String, Path, description = "La référence de la demande")),
    request_body = operations::MessageBody,
    security(("jeton" = ["requests:write"])),
    responses((status = 201, description = "Le message est ajouté", body = operations::RequestState))
)]
async fn add_message(
    Extension(call): Extension<Arc<ApiCall>>,
    Path(reference): Path<String>,
    message: Result<Json<operations::MessageBody>, JsonRejection>,
) -> Result<(StatusCode, Json<operations::RequestState>), Problem> {
    Ok((StatusCode::CREATED, Json(operations::message(&call, &reference, body(message)?).await?)))
}

/// The caisse's appointments of a period (at most 93 days), in time order.
#[utoipa::path(
    get,
    path = "/api/v1/appointments",
    tag = "rendez-vous",
    params(operations::Period),
    security(("jeton" = ["appointments:read"])),
    responses((status = 200, description = "Les rendez-vous de la période", body = Vec<operations::AppointmentInfo>))
)]
async fn list_appointments(
    Extension(call): Extension<Arc<ApiCall>>,
    period: Result<Query<operations::Period>, QueryRejection>,
) -> Answer<Vec<operations::AppointmentInfo>> {
    Ok(Json(operations::appointments(&call, query(period)?).await?))
}

/// Whom the caisse's requests can be given to: its teams and its active agents (the ids `assign` and `assign_team`
/// take).
#[utoipa::path(
    get,
    path = "/api/v1/assignees",
    tag = "demandes",
    security(("jeton" = ["requests:write"])),
    responses((status = 200, description = "Les équipes et les agents actifs de la caisse", body = operations::Assignees))
)]
async fn list_assignees(Extension(call): Extension<Arc<ApiCall>>) -> Answer<operations::Assignees> {
    Ok(Json(operations::assignees(&call).await?))
}

/// The caisse's partner structures with their conventions, one page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/structures",
    tag = "structures",
    params(operations::Paging),
    security(("jeton" = ["structures:read"])),
    responses((status = 200, description = "Une page de structures", body = operations::StructurePage))
)]
async fn list_structures(
    Extension(call): Extension<Arc<ApiCall>>,
    paging: Result<Query<operations::Paging>, QueryRejection>,
) -> Answer<operations::StructurePage> {
    Ok(Json(operations::structures(&call, query(paging)?).await?))
}
