//! Logs: human-readable by default, JSON lines with `LOG_FORMAT=json`; every request's span carries its id.

use axum::extract::Request;
use tracing_subscriber::EnvFilter;

pub fn init(json: bool) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_sessions=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let result = if json { builder.json().flatten_event(true).try_init() } else { builder.try_init() };
    if let Err(err) = result {
        eprintln!("logging already initialised: {err}");
    }
}

/// The span of one HTTP request: method, path (never the query, which may carry search terms) and request id.
pub fn request_span(req: &Request) -> tracing::Span {
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request.id = %request_id)
}

/// Panics are logged once, here, as an error in the span of the request they happened in (with its id); the
/// router's `CatchPanicLayer` then answers the French 500 page without logging them again.
pub fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(panic.location = %location, panic.message = %message, "panic");
    }));
}
