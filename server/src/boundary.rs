//! The one boundary between HTTP and the app's forms and server functions: bodies are bounded, no typed field
//! carries control characters (refused before anything is stored) and no URL either (answered 404), each typed
//! error leaves with its own status (refusals logged at info, faults kept as 5xx; outside server functions through `routes::Refused`), and an error shown on a page through the URL (`__err`, how
//! Leptos brings a refused plain form back) is shown only when this server produced it for this browser.

use crate::routes::Refused;
use app::domain::text_input;
use app::dto::error::AppError;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use leptos::server_fn::error::{FromServerFnError, ServerFnUrlError};
use tower_sessions::Session;

/// The largest body of a form posted without files (a 20 000-character message, percent-encoded, fits).
pub const FORM_BODY_LIMIT: usize = 512 * 1024;
/// The most of a refused body still read so that its sender gets the answer (beyond it, the connection is closed).
const DRAIN_LIMIT: usize = 8 * 1024 * 1024;
/// The largest server-function error body read back to find its status.
const ERROR_BODY_LIMIT: usize = 1024 * 1024;
/// Where the session holds the last error this server sent back in a URL.
const HELD_ERROR: &str = "url_error";

pub async fn boundary(session: Session, req: Request, next: Next) -> Response {
    if !clean_url(req.uri()) {
        return Refused(AppError::NotFound).into_response();
    }
    let req = match screen_url_error(&session, req).await {
        Ok(req) => req,
        Err(response) => return response,
    };
    let path = req.uri().path().to_owned();
    let plain = accepts_html(req.headers());
    let referer = req.headers().get(header::REFERER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let req = if req.method() == Method::POST && !is_multipart(req.headers()) {
        match checked_form(req).await {
            Ok(req) => req,
            Err(Refusal { error, unread }) => {
                let mut response = refuse(&session, error, &path, plain, referer.as_deref()).await;
                if unread {
                    // The body was left (partly) unread: this connection cannot carry another request, and the
                    // client must know it rather than send its next request down it.
                    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
                }
                return response;
            }
        }
    } else {
        req
    };
    let response = next.run(req).await;
    if path.starts_with("/api/") { with_status_of_error(&session, &path, response).await } else { response }
}

/// Whether the URL's path and query, decoded, are text without control characters: one that holds `%00` or another
/// names nothing here, and is answered 404 before anything reads it (PostgreSQL refuses a NUL in text: it would be
/// a 500 further in).
fn clean_url(uri: &Uri) -> bool {
    let clean = |text: &str| text_input::check_field(text).is_ok();
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8().is_ok_and(|path| clean(&path));
    path && uri.query().is_none_or(|query| form_urlencoded::parse(query.as_bytes()).all(|(name, value)| clean(&name) && clean(&value)))
}

/// A form refused at the boundary, and whether part of its body was left unread on the connection.
struct Refusal {
    error: AppError,
    unread: bool,
}

/// Reads a posted form within [`FORM_BODY_LIMIT`] and checks every name and value; gives the request back intact.
async fn checked_form(req: Request) -> Result<Request, Refusal> {
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    let (parts, body) = req.into_parts();
    let bytes = read_within(body, declared).await?;
    let urlencoded =
        parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if urlencoded {
        for (name, value) in form_urlencoded::parse(&bytes) {
            for text in [&name, &value] {
                if let Err(problem) = text_input::check_field(text) {
                    let field = text_input::bounded(&name, 64);
                    return Err(Refusal { error: AppError::field(&field, problem.to_string()), unread: false });
                }
            }
        }
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Reads a body of at most [`FORM_BODY_LIMIT`]. A longer one is refused, but still read to its end (and thrown
/// away) up to [`DRAIN_LIMIT`]: a browser still sending when the answer comes would otherwise meet a reset
/// connection instead of the French message.
async fn read_within(body: Body, declared: Option<usize>) -> Result<Bytes, Refusal> {
    let too_large = |unread| Refusal { error: AppError::TooLarge, unread };
    if declared.is_some_and(|length| length > DRAIN_LIMIT) {
        return Err(too_large(true));
    }
    let mut kept = Vec::with_capacity(declared.unwrap_or(0).min(FORM_BODY_LIMIT));
    let mut seen = 0usize;
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        let Ok(chunk) = chunk else { return Err(too_large(true)) };
        seen += chunk.len();
        if seen > DRAIN_LIMIT {
            return Err(too_large(true));
        }
        if seen <= FORM_BODY_LIMIT {
            kept.extend_from_slice(&chunk);
        }
    }
    if seen > FORM_BODY_LIMIT { Err(too_large(false)) } else { Ok(Bytes::from(kept)) }
}

/// A refusal at the boundary, answered as the caller expects: back to the form's page with the message (a plain
/// form post to a server function), typed JSON (a server function called from the page), or as every plain route
/// answers one ([`Refused`]).
async fn refuse(session: &Session, error: AppError, path: &str, plain: bool, referer: Option<&str>) -> Response {
    if path.starts_with("/api/") {
        if plain && let Some(back) = referer.and_then(|referer| ServerFnUrlError::new(path, error.clone()).to_url(referer).ok()) {
            tracing::info!(path = %path, error = ?error, "form refused at the boundary");
            hold_url_error(session, back.as_str()).await;
            return (StatusCode::SEE_OTHER, [(header::LOCATION, back.to_string())]).into_response();
        }
        if !plain {
            tracing::info!(path = %path, error = ?error, "form refused at the boundary");
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, [(header::CONTENT_TYPE, "application/json")], error.ser()).into_response();
        }
    }
    Refused(error).into_response()
}

/// A server function's typed error leaves with its own status; a refused plain form's error (in the URL of the
/// redirect back) is held in the session so that the page may show it.
async fn with_status_of_error(session: &Session, path: &str, response: Response) -> Response {
    if let Some(location) = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok())
        && location.contains("__err=")
    {
        let location = location.to_owned();
        if let Some(page) = signed_out_from(&location) {
            tracing::info!(path = %path, "form posted after its session ended: sign in, then back to its page");
            return crate::guards::sign_in_again(&page).into_response();
        }
        tracing::info!(path = %path, "form refused");
        hold_url_error(session, &location).await;
        return response;
    }
    let is_json = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, ERROR_BODY_LIMIT).await else {
        tracing::error!(path = %path, "unreadable server function error");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let error = AppError::de(bytes.clone());
    parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if error.is_refusal() {
        tracing::info!(path = %path, status = parts.status.as_u16(), error = ?error, "refused");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The page (path and query) a plain form was posted from, when its server function refused it because the session
/// had ended.
fn signed_out_from(location: &str) -> Option<String> {
    let error = query_value(location, "__err")?;
    if ServerFnUrlError::<AppError>::decode_err(&error) != AppError::Unauthenticated {
        return None;
    }
    let uri = location.parse::<Uri>().ok()?;
    Some(without_url_error(uri.path(), uri.query()))
}

/// A page's path and query without the error Leptos carries in it (`__err`, `__path`).
fn without_url_error(path: &str, query: Option<&str>) -> String {
    let kept: Vec<&str> =
        query.unwrap_or_default().split('&').filter(|pair| !pair.is_empty() && !matches!(pair.split('=').next(), Some("__err" | "__path"))).collect();
    if kept.is_empty() { path.to_owned() } else { format!("{path}?{}", kept.join("&")) }
}

/// Remembers the `__err` of a URL this server sends the browser back to.
async fn hold_url_error(session: &Session, url: &str) {
    if let Some(error) = query_value(url, "__err")
        && let Err(err) = session.insert(HELD_ERROR, error).await
    {
        tracing::warn!(error = %err, "could not hold a form error in the session");
    }
}

/// A page asked with `__err` in its URL shows that error only if this server sent it to this browser; otherwise
/// (a crafted link printing any text on the sign-in page) the browser is sent to the same page without it.
async fn screen_url_error(session: &Session, req: Request) -> Result<Request, Response> {
    if req.method() != Method::GET {
        return Ok(req);
    }
    let Some(query) = req.uri().query() else { return Ok(req) };
    let Some(error) = query_value(query, "__err") else { return Ok(req) };
    let held = session.get::<String>(HELD_ERROR).await.ok().flatten();
    if held.as_deref() == Some(error.as_str()) {
        return Ok(req);
    }
    tracing::info!(path = %req.uri().path(), "error in URL not produced by this server: dropped");
    let clean = without_url_error(req.uri().path(), Some(query));
    let clean = clean.parse::<Uri>().map(|uri| uri.to_string()).unwrap_or_else(|_| "/".to_owned());
    Err((StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_str(&clean).unwrap_or(HeaderValue::from_static("/")))]).into_response())
}

/// The decoded value of `name` in a URL or a query string.
fn query_value(url_or_query: &str, name: &str) -> Option<String> {
    let query = url_or_query.split_once('?').map_or(url_or_query, |(_, query)| query);
    let query = query.split_once('#').map_or(query, |(query, _)| query);
    form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| accept.contains("text/html"))
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"multipart/form-data"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_found_decoded_in_urls_and_query_strings() {
        assert_eq!(query_value("http://h/login?a=1&__err=eyJ4Ijo%3D&__path=%2Fapi%2Flogin#x", "__err").as_deref(), Some("eyJ4Ijo="));
        assert_eq!(query_value("__path=x&__err=abc", "__err").as_deref(), Some("abc"));
        assert_eq!(query_value("a=1", "__err"), None);
    }

    #[test]
    fn a_page_loses_only_the_error_leptos_put_in_its_address() {
        assert_eq!(
            without_url_error("/caisse/file", Some("statut=open&__err=abc&__path=%2Fapi%2Fx&tri=echeance")),
            "/caisse/file?statut=open&tri=echeance"
        );
        assert_eq!(without_url_error("/login", Some("__err=abc")), "/login");
        assert_eq!(without_url_error("/login", None), "/login");
    }
}
