//! The routes outside server functions: those that carry files (which server functions cannot limit) —
//! submitting a request, replying on one, downloading an attachment or an appointment's calendar file, a
//! convention's signed PDF sent and read back by admins — and
//! the queue's bulk action, whose ticked boxes repeat one field name. They answer browsers with redirects (303) whether or not
//! JavaScript runs, and keep refused forms in the session for the page they go back to.

use app::dto::error::AppError;
use app::server::guard::origin_of;
use app::domain::request_kind::RequestKind;
use app::domain::form_values::FormValues;
use app::domain::role::Role;
use app::domain::text_input;
use app::server::auth::{AuthSession, SignedIn};
use app::server::requests::attachments::{self, FILES_FIELD, Upload};
use app::server::requests::detail::reply_flash_key;
use app::server::requests::respond::{self, ReplyOutcome};
use app::server::requests::submit::{self, Incoming, Outcome};
use app::server::context::RequestContext;
use app::server::state::AppState;
use app::server::admin::{conventions, structures};
use app::server::{appointments, form_flash, triage};
use axum::{Form, Router};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

/// The routes, with a body limit that lets every allowed file through and stops anything far bigger.
pub fn routes(state: &AppState) -> Router<AppState> {
    let policy = state.settings.attachments;
    let limit = (policy.max_files as u64 + 1) * policy.max_bytes + 1024 * 1024;
    Router::new()
        .route("/partenaire/demandes/envoyer/{kind}", post(submit_request))
        .route("/partenaire/demandes/{reference}/reponse", post(reply_to_request))
        .route("/admin/conventions/{id}/signature", post(sign_convention))
        .layer(DefaultBodyLimit::max(usize::try_from(limit).unwrap_or(usize::MAX)))
        .route("/pieces-jointes/{id}", get(download))
        .route("/caisse/file/lot", post(bulk_action))
        .route("/rendez-vous/{id}", get(calendar_file))
        .route("/admin/conventions/{id}/document", get(convention_document))
        .route("/admin/journal.csv", get(audit_log_csv))
}

/// A failure answered to a plain browser request: the status and a French sentence.
struct Refusal(StatusCode, String);

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Refusal(status, error.sentence())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], self.1).into_response()
    }
}

/// What services need of a plain route's caller: who, from where, and when (the clock is read here, once).
fn context(state: &AppState, user: SignedIn, parts: &Parts) -> RequestContext {
    RequestContext::new(state.clone(), user, origin_of(parts), chrono::Utc::now())
}

fn partner(auth: &AuthSession) -> Result<SignedIn, Refusal> {
    match &auth.user {
        Some(user) if user.role == Role::PartnerAgent => Ok(user.clone()),
        Some(_) => Err(AppError::Forbidden.into()),
        None => Err(AppError::Unauthenticated.into()),
    }
}

/// Reads the form: text fields into `FormValues`, the files of `file_field` (cut at `max_bytes` + 1) into uploads.
async fn read_form(mut multipart: Multipart, file_field: &str, max_bytes: u64) -> Result<(FormValues, Vec<Upload>), Refusal> {
    let too_big = |err: axum::extract::multipart::MultipartError| {
        tracing::info!(error = %err, "multipart body refused");
        let message = if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "L'envoi dépasse la taille totale autorisée : joignez moins de fichiers ou des fichiers plus légers, puis réessayez."
        } else {
            "Le formulaire n'a pas pu être lu. Réessayez."
        };
        Refusal(err.status(), message.to_owned())
    };
    let mut values = FormValues::new();
    let mut uploads = vec![];
    while let Some(mut field) = multipart.next_field().await.map_err(too_big)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            let file_name = text_input::bounded(field.file_name().unwrap_or_default(), text_input::MAX_LABEL_CHARS);
            let mut content = Vec::new();
            let mut truncated = false;
            while let Some(chunk) = field.chunk().await.map_err(too_big)? {
                if truncated {
                    continue;
                }
                content.extend_from_slice(&chunk);
                if content.len() as u64 > max_bytes {
                    truncated = true;
                    content.truncate(64);
                }
            }
            // A file input left empty still posts a nameless, empty part.
            if !(file_name.is_empty() && content.is_empty()) {
                uploads.push(Upload { name: file_name, content: content.into(), truncated });
            }
        } else {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(too_big)? {
                bytes.extend_from_slice(&chunk);
                // Four bytes are the most one character takes in UTF-8.
                if bytes.len() > 4 * text_input::MAX_FIELD_CHARS {
                    return Err(AppError::TooLarge.into());
                }
            }
            let text = String::from_utf8(bytes).map_err(|_| Refusal::from(AppError::field(&name, "Ce champ n'a pas pu être lu : retapez-le.")))?;
            text_input::check_field(&text).map_err(|problem| {
                tracing::info!(field = %name, problem = ?problem, "form field refused");
                Refusal::from(AppError::field(&name, problem.to_string()))
            })?;
            values.push(name, text);
        }
    }
    Ok((values, uploads))
}

async fn submit_request(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(segment): Path<String>,
    parts: Parts,
    multipart: Multipart,
) -> Result<Redirect, Refusal> {
    let user = partner(&auth)?;
    let kind = RequestKind::from_path_segment(&segment).ok_or(Refusal::from(AppError::NotFound))?;
    let (values, uploads) = read_form(multipart, FILES_FIELD, state.settings.attachments.max_bytes).await?;
    let incoming = Incoming { kind, values, uploads };
    match submit::submit(&context(&state, user, &parts), incoming).await? {
        Outcome::Created { reference } => Ok(Redirect::to(&format!("/partenaire/demandes/{reference}/envoyee"))),
        Outcome::Returned(returned) => {
            form_flash::keep(&auth.session, &submit::flash_key(kind), &returned).await.map_err(|e| Refusal::from(AppError::from(e)))?;
            Ok(Redirect::to(&format!("/partenaire/demandes/nouvelle/{segment}")))
        }
    }
}

async fn reply_to_request(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(reference): Path<String>,
    parts: Parts,
    multipart: Multipart,
) -> Result<Redirect, Refusal> {
    let user = partner(&auth)?;
    let (values, uploads) = read_form(multipart, FILES_FIELD, state.settings.attachments.max_bytes).await?;
    let outcome = respond::reply(&context(&state, user, &parts), &reference, values, uploads).await?;
    let normalised = app::domain::reference::Reference::parse(&reference).map(|r| r.to_string()).unwrap_or_default();
    Ok(Redirect::to(&match outcome {
        ReplyOutcome::Sent => format!("/partenaire/demandes/{normalised}?reponse=1#fil"),
        ReplyOutcome::Returned(returned) => {
            form_flash::keep(&auth.session, &reply_flash_key(&reference), &returned).await.map_err(|e| Refusal::from(AppError::from(e)))?;
            format!("/partenaire/demandes/{normalised}#repondre")
        }
    }))
}

/// A convention's signed PDF (a plain multipart form, with or without JavaScript), then back to the structure's
/// page: with a notice, or with the reason next to the convention's upload field.
async fn sign_convention(State(state): State<AppState>, auth: AuthSession, Path(id): Path<String>, parts: Parts, multipart: Multipart) -> Result<Redirect, Refusal> {
    let user = auth.user.clone().ok_or(Refusal::from(AppError::Unauthenticated))?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden.into());
    }
    let max = u64::try_from(conventions::DOCUMENT_MAX_BYTES).unwrap_or(u64::MAX);
    let (values, uploads) = read_form(multipart, "document", max).await?;
    let upload = uploads.into_iter().next().unwrap_or(Upload { name: String::new(), content: Default::default(), truncated: false });
    let cx = context(&state, user, &parts);
    match conventions::sign(&cx, &id, &upload.name, upload.content, upload.truncated).await {
        Ok(structure_id) => Ok(Redirect::to(&format!("/admin/structures/{structure_id}?fait=signature#convention-{id}"))),
        Err(error @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let message = error.message_for("document").unwrap_or_else(|| error.to_string());
            form_flash::keep(&auth.session, structures::DOCUMENT_FLASH, &(id.clone(), message)).await.map_err(|e| Refusal::from(AppError::from(e)))?;
            let structure_id: String = values.text("structure_id").chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            Ok(Redirect::to(&format!("/admin/structures/{structure_id}#convention-{id}")))
        }
        Err(error) => Err(error.into()),
    }
}

/// A convention's signed PDF, for the admins who manage its caisse.
async fn convention_document(State(state): State<AppState>, auth: AuthSession, Path(id): Path<String>, parts: Parts) -> Result<Response, Refusal> {
    let user = auth.user.clone().ok_or(Refusal::from(AppError::Unauthenticated))?;
    let (file_name, content) = conventions::document(&context(&state, user, &parts), &id).await?;
    Ok(file_response(&file_name, "application/pdf", content))
}

/// A file to download under its own name, never cached.
fn file_response(file_name: &str, content_type: &str, content: impl IntoResponse) -> Response {
    let ascii: String = file_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", encoded_file_name(file_name));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"))),
        (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment"))),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
    ];
    (headers, content).into_response()
}

/// `filename*` as RFC 5987 wants it: UTF-8, percent-encoded.
fn encoded_file_name(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn download(State(state): State<AppState>, auth: AuthSession, Path(id): Path<String>, parts: Parts) -> Result<Response, Refusal> {
    let user = auth.user.clone().ok_or(Refusal::from(AppError::Unauthenticated))?;
    let (file, content) = attachments::download(&context(&state, user, &parts), &id).await?;
    Ok(file_response(&file.file_name, &file.content_type, content))
}

/// The queue's bulk action (a plain form: ticked references, the action and its target), then back to the
/// queue as it was filtered, where the outcome is shown once.
async fn bulk_action(State(state): State<AppState>, auth: AuthSession, parts: Parts, Form(fields): Form<Vec<(String, String)>>) -> Result<Response, Refusal> {
    let user = auth.user.clone().ok_or(Refusal::from(AppError::Unauthenticated))?;
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
    let result = triage::bulk(&context(&state, user, &parts), &values.all("ref"), input).await?;
    form_flash::keep(&auth.session, triage::BULK_FLASH, &result).await.map_err(|e| Refusal::from(AppError::from(e)))?;
    let back = values.text("retour");
    let back = if back.starts_with("/caisse/file") && !back.starts_with("//") { back } else { "/caisse/file" };
    Ok(Redirect::to(back).into_response())
}

/// An appointment as a calendar file (`/rendez-vous/{id}`), for whoever may see its request.
async fn calendar_file(State(state): State<AppState>, auth: AuthSession, Path(id): Path<String>) -> Result<Response, Refusal> {
    let user = auth.user.clone().ok_or(Refusal::from(AppError::Unauthenticated))?;
    let (file_name, content) = appointments::calendar_file(&state.db, &user, &id).await?;
    Ok(file_response(&file_name, "text/calendar; charset=utf-8", content))
}

/// The audit log as a CSV file (`/admin/journal.csv`, the page's filters in the query string), for admins only;
/// the export is itself recorded in the log.
async fn audit_log_csv(State(state): State<AppState>, auth: AuthSession, parts: Parts, Query(params): Query<Vec<(String, String)>>) -> Result<Response, Refusal> {
    use app::server::admin::audit_log;
    let user = auth.user.clone().ok_or(Refusal::from(AppError::Unauthenticated))?;
    let query = app::dto::admin::audit_log::AuditQuery::from_params(|name| params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()));
    let refused = |error: AppError| match error {
        AppError::Validation(_) => Refusal(StatusCode::BAD_REQUEST, error.sentence()),
        other => Refusal::from(other),
    };
    app::server::admin::admin(&user).map_err(refused)?;
    let filter = audit_log::Filter::parse(&query).map_err(refused)?;
    let csv = audit_log::export(&context(&state, user, &parts), &filter).await.map_err(refused)?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
        (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"journal-audit.csv\"")),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
    ];
    Ok((headers, csv).into_response())
}
