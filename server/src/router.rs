//! The middleware stack and the routes: static files and the token-authenticated `/api/v1` apart, then the Leptos
//! pages and server functions behind CSRF protection, sessions, authentication and the area guard.

use crate::guards::{area_guard, client_address, session_lifetime};
use app::server::auth::Backend;
use app::server::auth::session_store::DbSessionStore;
use app::server::state::AppState;
use app::{App, shell};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, middleware};
use axum_login::AuthManagerLayerBuilder;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::sync::LazyLock;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// The app's routes, listed once per process. Listing them renders the app with resource loading switched off
/// process-wide (leptos issue 4773): a page rendering meanwhile, in another instance of the app, would wait forever.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(|| view! { <App stylesheet="" /> }));

pub fn router(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let routes = ROUTES.clone();
    let assets = crate::assets::names(&options);

    // `__Host-`: a cookie the browser accepts only from this very host over HTTPS, path `/`, no domain.
    let cookie_name = if state.settings.secure_cookies { "__Host-ep_session" } else { "ep_session" };
    let prefetched = app::server::auth::Prefetched::default();
    let session_layer = SessionManagerLayer::new(DbSessionStore::new(state.db.clone(), prefetched.clone()))
        .with_name(cookie_name)
        .with_path("/")
        .with_secure(state.settings.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(state.settings.session.idle.num_seconds())));
    let auth_layer = AuthManagerLayerBuilder::new(Backend::new(state.db.clone(), prefetched), session_layer).build();

    // The pages alone, again: what a refused download shows a browser (its 403 or 404 page).
    let error_pages = leptos_pages(&state, routes.clone(), &assets).with_state(state.clone());
    let files = crate::routes::routes(&state).layer(middleware::from_fn_with_state(error_pages, crate::routes::page_for_refusal));
    let pages = leptos_pages(&state, routes, &assets)
        .merge(files)
        .layer(middleware::from_fn(area_guard))
        .layer(middleware::from_fn(crate::metrics::record))
        .layer(middleware::from_fn_with_state(state.clone(), session_lifetime))
        .layer(middleware::from_fn(crate::boundary::boundary))
        .layer(auth_layer)
        .layer(CsrfLayer::new().with_rejection_response(csrf_refusal))
        .layer(middleware::from_fn_with_state(state.clone(), client_address))
        // Pages and answers name people and requests: never kept by a browser or a proxy (downloads say so too).
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .with_state(state.clone());

    let api = crate::v1::router(state.clone(), &assets.css);
    let static_files = crate::assets::service(&options, assets);

    let secure = state.settings.secure_cookies;
    let inner = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .nest_service("/pkg", static_files)
        .merge(api)
        .merge(pages);
    outer_layers(inner, secure)
}

/// The Leptos pages and server functions, with the 404 page for any other address.
fn leptos_pages(state: &AppState, routes: Vec<AxumRouteListing>, assets: &app::ui::assets::Assets) -> Router<AppState> {
    let options = state.leptos_options.clone();
    Router::new()
        .leptos_routes_with_context(
            state,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let assets = assets.clone();
                move || shell(options.clone(), assets.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>({
            let assets = assets.clone();
            move |options| shell(options, assets.clone())
        }))
        .layer(middleware::from_fn(whole_page))
}

/// The most a page may weigh once gathered (the longest lists are paged: far below this).
const PAGE_MAX_BYTES: usize = 8 * 1024 * 1024;

/// A page leaves in one piece, with its `Content-Length`: Leptos streams even a fully rendered page (every route
/// renders `SsrMode::Async`) as several chunks, each its own write and TCP segment.
///
/// And a page is rendered to its end even when its visitor leaves first: its own task, not the connection's, holds
/// the render. Dropped halfway, the render dropped the page's reactive owner while a resource of the page (a task of
/// its own) was reading a context through it, and that task's thread deadlocked for good in reactive_graph 0.2.16
/// (`with_context` held the child's lock while the parent's last reference, dropped there, cleaned the child up):
/// seen under `wrk`, one of the two Tokio workers stuck in `fetch_queue`, the server no longer stopping.
async fn whole_page(request: axum::extract::Request, next: middleware::Next) -> Response<axum::body::Body> {
    use tracing::Instrument;
    let render = tokio::spawn(async move { gathered(next.run(request).await).await }.instrument(tracing::Span::current()));
    render.await.unwrap_or_else(|error| {
        // A panic was logged once already, by the hook `telemetry::log_panics` installs.
        if !error.is_panic() {
            tracing::error!(%error, "a page's render stopped");
        }
        error_page()
    })
}

/// The page's body gathered into one piece (other answers pass as they are).
async fn gathered(response: Response<axum::body::Body>) -> Response<axum::body::Body> {
    let html = response.headers().get(header::CONTENT_TYPE).is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    if !html || response.headers().contains_key(header::CONTENT_LENGTH) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, PAGE_MAX_BYTES).await {
        Ok(page) => Response::from_parts(parts, axum::body::Body::from(page)),
        Err(error) => {
            tracing::error!(%error, "a page could not be rendered whole");
            error_page()
        }
    }
}

/// What every response passes through: security headers, the French 500 page for a panic, the request id and
/// the request's log span.
fn outer_layers(router: Router, secure: bool) -> Router {
    let default_policy = HeaderValue::from_str(&app::ui::response::content_security_policy(None)).expect("the policy is plain ASCII");
    let router = router
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        // Not `no-referrer`: forms posted without JavaScript come back to their page through the Referer.
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")))
        // Pages send their own policy, with the nonce of their scripts; this one covers every other response.
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, default_policy))
        // A panic while rendering one page answers that page with the French 500 page; the connection stays up.
        // The panic itself is logged once, by the hook `telemetry::log_panics` installs.
        .layer(CatchPanicLayer::custom(panic_page));
    // Served over HTTPS: browsers are told to come back only that way.
    let router = if secure {
        router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        ))
    } else {
        router
    };
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(crate::telemetry::request_span))
            .layer(PropagateRequestIdLayer::x_request_id()),
    )
}

/// The French 500 page, answered when rendering a page panicked.
fn panic_page(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response<axum::body::Body> {
    error_page()
}

/// The French 500 page: a page could not be shown (its rendering panicked or broke off).
fn error_page() -> Response<axum::body::Body> {
    bare_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Erreur",
        "Une erreur inattendue est survenue",
        "La page n'a pas pu être affichée. Réessayez dans un instant ; si le problème persiste, contactez votre caisse.",
    )
}

/// A cross-site state-changing request: refused, with a French page (the browser of a person lured by another site
/// shows it).
fn csrf_refusal(error: ProtectionError) -> Response<axum::body::Body> {
    tracing::warn!(reason = ?error, "cross-site request refused");
    bare_page(
        StatusCode::FORBIDDEN,
        "Requête refusée",
        "Requête refusée",
        "Elle ne provient pas de l'Espace Partenaires : rien n'a été enregistré. Si vous avez suivi un lien venu d'un autre site, \
        ouvrez l'Espace Partenaires vous-même et refaites l'opération depuis ses pages.",
    )
}

/// A page of its own, without the app (what answers when the app could not, or must not, render), in French.
fn bare_page(status: StatusCode, title: &str, heading: &str, text: &str) -> Response<axum::body::Body> {
    let page = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>{title} – Espace Partenaires</title></head><body><main><h1>{heading}</h1><p>{text}</p>\
        <p><a href=\"/\">Revenir à l'accueil</a></p></main></body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], page).into_response()
}

/// Liveness: the process answers; no I/O.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers and its schema is this version's (no migration pending: an instance started
/// with `MIGRATE_AT_START=false` before the release step ran `server migrate` takes no traffic).
async fn readyz(State(state): State<AppState>) -> Response {
    match app::server::db::pending_migrations(&state.db).await {
        Ok(0) => "ok".into_response(),
        Ok(pending) => {
            tracing::warn!(pending, "not ready: migrations pending");
            (StatusCode::SERVICE_UNAVAILABLE, "migrations pending").into_response()
        }
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("rendering failed")
    }

    #[tokio::test]
    async fn a_panic_while_rendering_answers_the_french_500_page_and_the_next_request_is_served() {
        let app = outer_layers(Router::new().route("/boom", get(boom)).route("/ok", get(|| async { "ok" })), false);
        let response =
            app.clone().oneshot(axum::http::Request::get("/boom").body(axum::body::Body::empty()).expect("request")).await.expect("answered");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.headers().get("x-request-id").is_some(), "the answer carries the request id of the log line");
        let page = String::from_utf8(to_bytes(response.into_body(), 1 << 20).await.expect("body").to_vec()).expect("utf-8");
        assert!(page.contains("lang=\"fr\"") && page.contains("Une erreur inattendue est survenue"), "{page}");
        let next = app.oneshot(axum::http::Request::get("/ok").body(axum::body::Body::empty()).expect("request")).await.expect("answered");
        assert_eq!(next.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn hsts_is_sent_only_when_served_over_https() {
        for secure in [false, true] {
            let app = outer_layers(Router::new().route("/ok", get(|| async { "ok" })), secure);
            let response = app.oneshot(axum::http::Request::get("/ok").body(axum::body::Body::empty()).expect("request")).await.expect("answered");
            assert_eq!(response.headers().contains_key(header::STRICT_TRANSPORT_SECURITY), secure);
        }
    }
}
