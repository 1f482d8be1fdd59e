//! The middleware stack and the routes: static files apart, then the Leptos pages and server functions
//! behind CSRF protection, sessions, authentication and the area guard.

use crate::guards::{area_guard, session_lifetime};
use app::server::auth::session_store::DbSessionStore;
use app::server::auth::Backend;
use app::server::state::AppState;
use app::{App, shell};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, middleware};
use axum_login::AuthManagerLayerBuilder;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::sync::LazyLock;
use tower::ServiceBuilder;
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// The app's routes, listed once per process. Listing them renders the app with resource loading switched off
/// process-wide (leptos issue 4773): a page rendering meanwhile, in another instance of the app, would wait forever.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

pub fn router(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let routes = ROUTES.clone();

    let session_layer = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("ep_session")
        .with_secure(state.settings.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(state.settings.session.idle.num_seconds())));
    let auth_layer = AuthManagerLayerBuilder::new(Backend::new(state.db.clone()), session_layer).build();

    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .merge(crate::forms::routes(&state))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(area_guard))
        .layer(middleware::from_fn_with_state(state.clone(), session_lifetime))
        .layer(auth_layer)
        .layer(CsrfLayer::new().with_rejection_response(csrf_refusal))
        .with_state(state.clone());

    let default_policy = HeaderValue::from_str(&app::ui::response::content_security_policy(None))
        .expect("the policy is plain ASCII");
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let static_files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300, must-revalidate"),
        ))
        .service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip());

    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .nest_service("/pkg", static_files)
        .merge(pages)
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        // Not `no-referrer`: forms posted without JavaScript come back to their page through the Referer.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        // Pages send their own policy, with the nonce of their scripts; this one covers every other response.
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, default_policy))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(crate::telemetry::request_span))
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
}

/// A cross-site state-changing request: refused, in French.
fn csrf_refusal(error: ProtectionError) -> Response<axum::body::Body> {
    tracing::warn!(reason = ?error, "cross-site request refused");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Requête refusée : elle ne provient pas de l'Espace Partenaires.",
    )
        .into_response()
}

/// Liveness: the process answers; no I/O.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
