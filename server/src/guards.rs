//! Request guards in front of every page: the client's address, session lifetime, and which role may enter which
//! area.

use app::domain::access::{Admission, admit};
use app::server::audit::ClientAddress;
use app::server::auth::{AuthSession, SEEN_AT_MINUTE, SIGNED_IN_AT};
use app::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};

/// Works out the client's address once (the peer, or what a trusted proxy forwarded) for throttling and the audit log.
pub async fn client_address(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0.ip());
    if let Some(peer) = peer {
        let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
        let client = app::domain::client_address::client_address(peer, forwarded, &state.settings.trusted_proxies);
        req.extensions_mut().insert(ClientAddress(client));
    }
    next.run(req).await
}

/// Ends sessions past their absolute limit, and slides the idle deadline (at most once a minute).
pub async fn session_lifetime(State(state): State<AppState>, mut auth: AuthSession, mut req: Request, next: Next) -> Response {
    if auth.user.is_some() {
        let now = Utc::now();
        let started = auth.session.get::<i64>(SIGNED_IN_AT).await.ok().flatten().and_then(|t| DateTime::from_timestamp(t, 0));
        if started.is_none_or(|started| state.settings.session.outlived(started, now)) {
            if let Err(err) = auth.logout().await {
                tracing::error!(error = %err, "could not end an outlived session");
            }
            // Handlers below read the session from the extensions: give them the signed-out one.
            req.extensions_mut().insert(auth);
        } else {
            let minute = now.timestamp() / 60;
            if auth.session.get::<i64>(SEEN_AT_MINUTE).await.ok().flatten() != Some(minute)
                && let Err(err) = auth.session.insert(SEEN_AT_MINUTE, minute).await
            {
                tracing::warn!(error = %err, "could not refresh the session");
            }
        }
    }
    next.run(req).await
}

/// Sends anonymous visitors of reserved pages to the sign-in page, and answers other roles with the 403 page.
pub async fn area_guard(auth: AuthSession, mut req: Request, next: Next) -> Response {
    let role = auth.user.as_ref().map(|u| u.role);
    let path = req.uri().path().to_owned();
    if path == "/" {
        return Redirect::to(role.map_or("/login", |r| r.home())).into_response();
    }
    match admit(&path, role) {
        Admission::Enter => next.run(req).await,
        // A form posted to an area's route by a browser whose session ended: its handler requires the sign-in
        // itself, and keeps what was typed for after it (`routes::requests`); only pages are sent to sign in here.
        Admission::SignInFirst if req.method() == axum::http::Method::POST => next.run(req).await,
        Admission::SignInFirst => sign_in_first(req.uri()),
        Admission::Forbidden => {
            tracing::info!(path = %path, "forbidden area");
            *req.uri_mut() = Uri::from_static("/interdit");
            let mut response = next.run(req).await;
            *response.status_mut() = StatusCode::FORBIDDEN;
            response
        }
    }
}

/// Sends the visitor to sign in, then back to the whole address (its filters included).
pub(crate) fn sign_in_first(uri: &Uri) -> Response {
    let wanted = uri.path_and_query().map_or(uri.path(), |whole| whole.as_str());
    Redirect::to(&format!("/login?suite={}", encode_path(wanted))).into_response()
}

/// A form posted after its session ended: the sign-in page says so, and the person comes back to `page` afterwards
/// (what was typed waits there in the form flash).
pub(crate) fn sign_in_again(page: &str) -> Redirect {
    Redirect::to(&format!("/login?suite={}&expiree=1", encode_path(page)))
}

/// Keeps a return path safe inside a query string.
fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}
