//! What operations watch, in Prometheus's text format, on an address of its own (`METRICS_ADDR`, never the public
//! one): requests and their latencies per route template (never a real address: no reference or id in a label),
//! the e-mail outbox by state, and the database pool's connections. Counted in this process, since it started.

use app::server::entities::outbox;
use app::server::mail::OutboxStatus;
use app::server::state::AppState;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{LazyLock, Mutex};
use std::time::Instant;

/// The latency buckets, in seconds.
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// One series: how many answers, their total time, and how many fell within each bucket.
#[derive(Default)]
struct Latencies {
    count: u64,
    seconds: f64,
    within: [u64; BUCKETS.len()],
}

/// (method, route template, status class) → latencies.
type Key = (String, String, &'static str);

static REQUESTS: LazyLock<Mutex<BTreeMap<Key, Latencies>>> = LazyLock::new(Default::default);

/// Middleware: counts each answer under its route's template (`/caisse/demandes/{reference}`), `other` for what no
/// route matched.
pub async fn record(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or_else(|| "other".to_owned(), |m| m.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed().as_secs_f64();
    let class = match response.status().as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    if let Ok(mut requests) = REQUESTS.lock() {
        let series = requests.entry((method, route, class)).or_default();
        series.count += 1;
        series.seconds += elapsed;
        for (bucket, within) in BUCKETS.iter().zip(series.within.iter_mut()) {
            if elapsed <= *bucket {
                *within += 1;
            }
        }
    }
    response
}

/// The metrics router, for the separate address.
pub fn router(state: AppState) -> Router {
    Router::new().route("/metrics", get(metrics)).with_state(state)
}

async fn metrics(State(state): State<AppState>) -> Response {
    match render(&state).await {
        Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "metrics could not be read");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Every metric, as Prometheus reads them.
pub async fn render(state: &AppState) -> Result<String, sea_orm::DbErr> {
    let mut out = String::new();
    out.push_str("# HELP http_requests_total Answers by method, route template and status class.\n# TYPE http_requests_total counter\n");
    let mut durations = String::from(
        "# HELP http_request_duration_seconds Time to answer, by method and route template.\n# TYPE http_request_duration_seconds histogram\n",
    );
    {
        let requests = REQUESTS.lock().map_err(|_| sea_orm::DbErr::Custom("metrics lock poisoned".to_owned()))?;
        for ((method, route, class), series) in requests.iter() {
            let labels = format!("method=\"{method}\",route=\"{}\",status=\"{class}\"", escaped(route));
            let _ = writeln!(out, "http_requests_total{{{labels}}} {}", series.count);
            for (bucket, within) in BUCKETS.iter().zip(series.within.iter()) {
                let _ = writeln!(durations, "http_request_duration_seconds_bucket{{{labels},le=\"{bucket}\"}} {within}");
            }
            let _ = writeln!(durations, "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", series.count);
            let _ = writeln!(durations, "http_request_duration_seconds_sum{{{labels}}} {}", series.seconds);
            let _ = writeln!(durations, "http_request_duration_seconds_count{{{labels}}} {}", series.count);
        }
    }
    out.push_str(&durations);
    out.push_str(
        "# HELP outbox_messages E-mails in the outbox by state (pending: to send or retry; failed: given up).\n# TYPE outbox_messages gauge\n",
    );
    for (name, status) in [("pending", OutboxStatus::Pending), ("failed", OutboxStatus::Failed), ("digest", OutboxStatus::Digest)] {
        let count = outbox::Entity::find().filter(outbox::Column::Status.eq(status)).count(&state.db).await?;
        let _ = writeln!(out, "outbox_messages{{state=\"{name}\"}} {count}");
    }
    let (size, idle) = pool_use(&state.db);
    out.push_str("# HELP db_pool_connections Database connections open, and of those idle.\n# TYPE db_pool_connections gauge\n");
    let _ = writeln!(out, "db_pool_connections{{state=\"open\"}} {size}");
    let _ = writeln!(out, "db_pool_connections{{state=\"idle\"}} {idle}");
    Ok(out)
}

/// The pool's open and idle connections.
fn pool_use(db: &sea_orm::DatabaseConnection) -> (u32, usize) {
    use sea_orm::DatabaseConnectionType as Type;
    match &db.inner {
        Type::SqlxPostgresPoolConnection(_) => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        Type::SqlxSqlitePoolConnection(_) => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    }
}

/// A label value as Prometheus quotes it.
fn escaped(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
