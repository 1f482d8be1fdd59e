//! The routes outside server functions, by feature (named as in `app::api` and `app::server`): those that carry
//! files, which server functions cannot limit — submitting a request, replying on one, downloading an attachment,
//! an appointment's calendar file, a convention's signed PDF sent and read back, the audit log's CSV, a file prepared in the background — and the
//! queue's bulk action, whose ticked boxes repeat one field name. Each handler authorises, calls one service and
//! answers; a refused form goes back to its page (303) whether or not JavaScript runs, anything else refused
//! answers through [`Refused`], the one way an `AppError` becomes an HTTP answer here.

mod admin;
mod download;
mod exports;
mod requests;
mod statistics;
mod triage;
mod upload;

/// A stored file answered for download (the API sends attachments the way the pages do).
pub(crate) use download::stored_file_response as stored_download;

use app::domain::access::{Area, may_enter};
use app::dto::error::AppError;
use app::server::auth::{AuthSession, SignedIn};
use app::server::context::RequestContext;
use app::server::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;

/// The routes. Those that take files get a body limit that lets every allowed file through and stops anything
/// far bigger.
pub fn routes(state: &AppState) -> Router<AppState> {
    let policy = state.settings.attachments;
    let limit = (policy.max_files as u64 + 1).saturating_mul(policy.max_bytes).saturating_add(1024 * 1024);
    let uploads = DefaultBodyLimit::max(usize::try_from(limit).unwrap_or(usize::MAX));
    Router::new()
        .merge(requests::routes(uploads))
        .merge(triage::routes())
        .merge(statistics::routes())
        .merge(exports::routes())
        .merge(admin::routes(uploads))
}

/// An `AppError` answering a plain route: its own status (`AppError::status`: a validation error is always a 422),
/// its French sentence (`AppError::sentence`) as plain text, logged once — a refusal at info, a fault as an error
/// (its cause was logged where it happened). `?` turns any `AppError` into one.
#[derive(Debug)]
pub struct Refused(pub AppError);

impl From<AppError> for Refused {
    fn from(error: AppError) -> Self {
        Refused(error)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let Refused(error) = self;
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match &error {
            // Field names only: a field's message may quote what was typed.
            AppError::Validation(problems) => {
                let fields: Vec<&str> = problems.iter().map(|problem| problem.field.as_str()).collect();
                tracing::info!(status = status.as_u16(), fields = ?fields, "refused: invalid form");
            }
            AppError::Conflict(_) => tracing::info!(status = status.as_u16(), "refused: conflict"),
            refusal if refusal.is_refusal() => tracing::info!(status = status.as_u16(), error = ?refusal, "refused"),
            fault => tracing::error!(status = status.as_u16(), error = ?fault, "answered with a fault"),
        }
        let mut response = (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], error.sentence()).into_response();
        response.extensions_mut().insert(RefusedAnswer);
        response
    }
}

/// Marks an answer made by [`Refused`], for [`page_for_refusal`].
#[derive(Clone, Copy, Debug)]
struct RefusedAnswer;

/// A browser following a link to a file (a GET asking for HTML) that is refused reads a page, not a line of text:
/// signed out, it is sent to sign in and back; otherwise it gets the French 403 or 404 page, rendered by `pages`
/// for the same visitor (header and session as on any page), with the refusal's status.
pub async fn page_for_refusal(State(pages): State<Router>, request: Request, next: Next) -> Response {
    let wants_a_page = request.method() == Method::GET
        && request.headers().get(header::ACCEPT).and_then(|accept| accept.to_str().ok()).is_some_and(|accept| accept.contains("text/html"));
    if !wants_a_page {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let (uri, headers, extensions) = (parts.uri.clone(), parts.headers.clone(), parts.extensions.clone());
    let response = next.run(Request::from_parts(parts, body)).await;
    if response.extensions().get::<RefusedAnswer>().is_none() {
        return response;
    }
    let status = response.status();
    let page = match status {
        StatusCode::UNAUTHORIZED => return crate::guards::sign_in_first(&uri),
        StatusCode::FORBIDDEN => "/interdit",
        StatusCode::NOT_FOUND => "/introuvable",
        _ => return response,
    };
    let mut visit = Request::new(Body::empty());
    *visit.uri_mut() = Uri::from_static(page);
    *visit.headers_mut() = headers;
    *visit.extensions_mut() = extensions;
    let Ok(mut answer) = pages.oneshot(visit).await;
    *answer.status_mut() = status;
    answer
}

/// The signed-in account, or `Unauthenticated`.
/// What services need of a plain route's caller: who, from where, and when (the clock is read here, once).
fn context(state: &AppState, user: SignedIn, parts: &axum::http::request::Parts) -> RequestContext {
    RequestContext::new(state.clone(), user, app::server::guard::origin_of(parts), chrono::Utc::now())
}

fn signed_in(auth: &AuthSession) -> Result<SignedIn, AppError> {
    auth.user.clone().ok_or(AppError::Unauthenticated)
}

/// The signed-in account if it may work in `area` (as `app::server::guard::require` for server functions).
fn require(auth: &AuthSession, area: Area) -> Result<SignedIn, AppError> {
    let user = signed_in(auth)?;
    if may_enter(user.role, area) { Ok(user) } else { Err(AppError::Forbidden) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    #[tokio::test]
    async fn every_error_answers_its_own_status_with_its_french_sentence_as_text() {
        let table = [
            (AppError::field("du", "« hier » n'est pas une date : JJ/MM/AAAA."), 422, "« hier » n'est pas une date : JJ/MM/AAAA."),
            (AppError::Unauthenticated, 401, "Votre session a expiré. Reconnectez-vous pour continuer."),
            (AppError::Forbidden, 403, "Vous n'avez pas accès à cette page ou à cette action."),
            (AppError::NotFound, 404, "L'élément demandé est introuvable."),
            (AppError::Conflict("Cette convention est déjà signée.".into()), 409, "Cette convention est déjà signée."),
            (AppError::TooLarge, 413, "L'envoi est trop volumineux : raccourcissez le texte ou joignez des fichiers plus légers."),
            (AppError::Internal, 500, "Une erreur inattendue est survenue. Réessayez ; si le problème persiste, contactez votre caisse."),
        ];
        for (error, status, sentence) in table {
            let response = Refused::from(error).into_response();
            assert_eq!(response.status().as_u16(), status, "{sentence}");
            assert_eq!(response.headers()[header::CONTENT_TYPE], "text/plain; charset=utf-8");
            let body = to_bytes(response.into_body(), 1 << 16).await.expect("body");
            assert_eq!(String::from_utf8_lossy(&body), sentence);
        }
    }
}
