//! The caisse's webhooks: endpoints its admins register (the signing secret shown once, sealed at rest, rotated with
//! the previous one still signing a day), events queued in the same transaction as the change they announce (one
//! delivery per subscribed endpoint), and their delivery: signed per Standard Webhooks, tried again with backoff,
//! claimed so that several instances never send one twice, logged per endpoint with « send again ».
//!
//! Payloads carry references, statuses and ids: never a NIR, a name or a message's text.

use crate::domain::field_error::Problems;
use crate::domain::form_values::FormValues;
use crate::domain::request_lifecycle::Status;
use crate::domain::webhooks::{self as rules, Event, MAX_ATTEMPTS, PREVIOUS_SECRET_HOURS, events_code, parse_events, parse_url};
use crate::dto::admin::webhooks::{CreatedSecret, DeliveryLine, EndpointLine, WebhookList};
use crate::dto::error::AppError;
use crate::server::admin::{admin, check_manages, in_scope};
use crate::server::audit::{self, Actor, Entry};
use crate::server::auth::second_factor::Sealer;
use crate::server::context::RequestContext;
use crate::server::entities::{caisse, request, webhook_delivery, webhook_endpoint};
use crate::server::lease::{self, Queue};
use crate::server::state::AppState;
use crate::server::time_fr;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// Where the creation form refused without JavaScript keeps what was typed.
pub const CREATE_FLASH: &str = "admin.webhook";
/// Where a new secret waits, sealed in the admin's session, until its page shows it once.
pub const SECRET_KEY: &str = "admin.webhook_secret";

const PENDING: &str = "pending";
const DELIVERED: &str = "delivered";
const FAILED: &str = "failed";
/// How long a claimed delivery is held by the instance sending it.
const LEASE: Duration = Duration::minutes(2);
/// Deliveries sent per round.
const BATCH: u64 = 20;
/// Deliveries shown per endpoint.
const LOG_LINES: u64 = 20;

fn new_secret() -> (Vec<u8>, String) {
    let mut bytes = vec![0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let shown = format!("whsec_{}", STANDARD.encode(&bytes));
    (bytes, shown)
}

fn sealer(state: &AppState) -> Result<Sealer, AppError> {
    Sealer::new(&state.settings.mfa)
}

/// The `webhook-signature` value for one delivery: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`.
pub fn signature(secret: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(rules::signed_content(id, timestamp, body).as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Registers an endpoint for the admin's caisse (or the one a national admin chose); returns its secret, shown once.
pub async fn create(cx: &RequestContext, typed: &FormValues) -> Result<CreatedSecret, AppError> {
    let user = admin(&cx.user)?;
    let caisse_id = match &user.caisse_id {
        Some(own) => own.clone(),
        None => typed.text("caisse").to_owned(),
    };
    check_manages(user, &caisse_id).map_err(|_| AppError::field("caisse", "Choisissez une caisse."))?;
    let mut problems = Problems::new();
    // Plain HTTP (to loopback) only while the site itself is served that way (a demo, the tests).
    let plain_http = !cx.state.settings.secure_cookies;
    let url = parse_url(typed.text("url"), plain_http).map_err(|e| problems.push("url", e.to_string())).ok();
    let events = parse_events(&typed.all("events").join(",")).map_err(|e| problems.push("events", e.to_string())).ok();
    let checked = problems.into_result(()).map_err(AppError::Validation);
    let (Some(url), Some(events)) = (url, events) else { return Err(checked.err().unwrap_or(AppError::Internal)) };
    let db = cx.db();
    caisse::Entity::find_by_id(caisse_id.clone()).one(db).await?.ok_or_else(|| AppError::field("caisse", "Cette caisse n'existe pas."))?;
    let id = uuid::Uuid::now_v7().to_string();
    let (secret, shown) = new_secret();
    webhook_endpoint::ActiveModel {
        id: Set(id.clone()),
        caisse_id: Set(caisse_id.clone()),
        url: Set(url.clone()),
        events: Set(events_code(&events)),
        secret: Set(sealer(&cx.state)?.seal(&id, &secret)?),
        previous_secret: Set(None),
        previous_until: Set(None),
        created_by: Set(Some(user.id.clone())),
        created_at: Set(cx.now),
        disabled_at: Set(None),
    }
    .insert(db)
    .await?;
    let entry = Entry::new(Actor::signed_in(user), "webhook.created", "webhook", Some(id)).in_caisse(Some(caisse_id)).detail(events_code(&events));
    audit::record(db, entry, &cx.origin, cx.now).await?;
    Ok(CreatedSecret { url, secret: shown })
}

async fn managed(cx: &RequestContext, id: &str) -> Result<webhook_endpoint::Model, AppError> {
    let user = admin(&cx.user)?;
    let model = webhook_endpoint::Entity::find_by_id(id.to_owned()).one(cx.db()).await?.ok_or(AppError::NotFound)?;
    check_manages(user, &model.caisse_id).map_err(|_| AppError::NotFound)?;
    Ok(model)
}

/// A new secret for an endpoint, shown once; the previous one still signs for a day, beside it, so that the
/// receiver can switch without losing an event.
pub async fn rotate(cx: &RequestContext, id: &str) -> Result<CreatedSecret, AppError> {
    let model = managed(cx, id).await?;
    let (secret, shown) = new_secret();
    let (url, caisse_id) = (model.url.clone(), model.caisse_id.clone());
    let mut active: webhook_endpoint::ActiveModel = model.clone().into();
    active.previous_secret = Set(Some(model.secret));
    active.previous_until = Set(Some(cx.now + Duration::hours(PREVIOUS_SECRET_HOURS)));
    active.secret = Set(sealer(&cx.state)?.seal(id, &secret)?);
    active.update(cx.db()).await?;
    let entry = Entry::new(Actor::signed_in(&cx.user), "webhook.secret_rotated", "webhook", Some(id.to_owned())).in_caisse(Some(caisse_id));
    audit::record(cx.db(), entry, &cx.origin, cx.now).await?;
    Ok(CreatedSecret { url, secret: shown })
}

/// Stops an endpoint: no event is queued for it any more, and what was waiting is not sent.
pub async fn disable(cx: &RequestContext, id: &str) -> Result<(), AppError> {
    let model = managed(cx, id).await?;
    if model.disabled_at.is_some() {
        return Ok(());
    }
    let caisse_id = model.caisse_id.clone();
    let mut active: webhook_endpoint::ActiveModel = model.into();
    active.disabled_at = Set(Some(cx.now));
    active.update(cx.db()).await?;
    let entry = Entry::new(Actor::signed_in(&cx.user), "webhook.disabled", "webhook", Some(id.to_owned())).in_caisse(Some(caisse_id));
    audit::record(cx.db(), entry, &cx.origin, cx.now).await?;
    Ok(())
}

/// Sends a delivery again (delivered or failed): it goes at the next round, with the same id.
pub async fn send_again(cx: &RequestContext, delivery_id: &str) -> Result<(), AppError> {
    let delivery = webhook_delivery::Entity::find_by_id(delivery_id.to_owned()).one(cx.db()).await?.ok_or(AppError::NotFound)?;
    let endpoint = managed(cx, &delivery.endpoint_id).await?;
    if endpoint.disabled_at.is_some() {
        return Err(AppError::Conflict("Ce point de réception est désactivé.".to_owned()));
    }
    let mut active: webhook_delivery::ActiveModel = delivery.into();
    active.status = Set(PENDING.to_owned());
    active.attempts = Set(0);
    active.next_attempt_at = Set(cx.now);
    active.update(cx.db()).await?;
    Ok(())
}

/// The endpoints of the caisses the admin manages, each with its latest deliveries.
pub async fn list(cx: &RequestContext) -> Result<WebhookList, AppError> {
    let user = admin(&cx.user)?;
    let db = cx.db();
    let names: HashMap<String, String> = caisse::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let endpoints = webhook_endpoint::Entity::find()
        .filter(in_scope(user, webhook_endpoint::Column::CaisseId))
        .order_by_desc(webhook_endpoint::Column::Id)
        .all(db)
        .await?;
    let mut lines = Vec::new();
    for endpoint in endpoints {
        let deliveries = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::EndpointId.eq(&endpoint.id))
            .order_by_desc(webhook_delivery::Column::Id)
            .limit(LOG_LINES)
            .all(db)
            .await?
            .into_iter()
            .map(|d| DeliveryLine {
                state: match d.status.as_str() {
                    DELIVERED => "Remis".to_owned(),
                    FAILED => "Échec définitif".to_owned(),
                    _ if d.attempts > 0 => format!("Nouvel essai le {}", time_fr::date_time(d.next_attempt_at)),
                    _ => "En attente".to_owned(),
                },
                last_answer: match (d.last_status, &d.last_error) {
                    (Some(status), _) => format!("HTTP {status}"),
                    (None, Some(error)) => error.clone(),
                    (None, None) => "–".to_owned(),
                },
                event: Event::parse(&d.event).map(|e| e.label().to_owned()).unwrap_or(d.event),
                created: time_fr::date_time(d.created_at),
                attempts: d.attempts.max(0) as u32,
                may_send_again: d.status != PENDING && endpoint.disabled_at.is_none(),
                id: d.id,
            })
            .collect();
        lines.push(EndpointLine {
            caisse: names.get(&endpoint.caisse_id).cloned().unwrap_or_default(),
            events: parse_events(&endpoint.events).map(|e| e.iter().map(|e| e.label().to_owned()).collect()).unwrap_or_default(),
            created_on: time_fr::date(time_fr::paris_day(endpoint.created_at)),
            active: endpoint.disabled_at.is_none(),
            deliveries,
            url: endpoint.url,
            id: endpoint.id,
        });
    }
    let events = Event::ALL.iter().map(|e| (e.code().to_owned(), e.label().to_owned())).collect();
    let caisses = crate::server::admin::structures::caisse_choices(db, user).await?;
    Ok(WebhookList { endpoints: lines, events, caisses })
}

/// A new secret, sealed for the admin's session until its page shows it once.
pub fn seal_shown(cx: &RequestContext, created: &CreatedSecret) -> Result<String, AppError> {
    let bytes = serde_json::to_vec(created).map_err(|_| AppError::Internal)?;
    sealer(&cx.state)?.seal(&cx.user.id, &bytes)
}

pub fn open_shown(cx: &RequestContext, sealed: &str) -> Result<CreatedSecret, AppError> {
    serde_json::from_slice(&sealer(&cx.state)?.open(&cx.user.id, sealed)?).map_err(|_| AppError::Internal)
}

/// Queues `event` for every active endpoint of the caisse that wants it, in the caller's transaction: the event
/// exists if and only if the change it announces was committed.
pub async fn enqueue(db: &impl ConnectionTrait, caisse_id: &str, event: Event, data: serde_json::Value, now: DateTime<Utc>) -> Result<(), DbErr> {
    let endpoints = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::CaisseId.eq(caisse_id))
        .filter(webhook_endpoint::Column::DisabledAt.is_null())
        .all(db)
        .await?;
    for endpoint in endpoints.into_iter().filter(|e| parse_events(&e.events).is_ok_and(|events| events.contains(&event))) {
        let payload = serde_json::json!({ "type": event.code(), "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), "data": data });
        webhook_delivery::ActiveModel {
            id: Set(format!("msg_{}", uuid::Uuid::now_v7().simple())),
            endpoint_id: Set(endpoint.id),
            event: Set(event.code().to_owned()),
            payload: Set(payload.to_string()),
            status: Set(PENDING.to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            last_status: Set(None),
            last_error: Set(None),
            delivered_at: Set(None),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A step of a request's timeline, as receivers hear it: `request.created` for its submission, then
/// `request.status_changed` each time its status moves.
pub(crate) async fn request_moved(
    db: &impl ConnectionTrait,
    request_id: &str,
    from: Option<Status>,
    to: Status,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if from == Some(to) {
        return Ok(());
    }
    let Some(model) = request::Entity::find_by_id(request_id.to_owned()).one(db).await? else { return Ok(()) };
    let (event, data) = match from {
        None => (
            Event::RequestCreated,
            serde_json::json!({ "reference": model.reference, "kind": model.kind.code(), "status": to.code(), "structure_id": model.structure_id }),
        ),
        Some(from) => (
            Event::RequestStatusChanged,
            serde_json::json!({ "reference": model.reference, "kind": model.kind.code(), "previous_status": from.code(), "status": to.code() }),
        ),
    };
    enqueue(db, &model.caisse_id, event, data, now).await
}

/// A message on a request (a reply, a partner's answer, an internal note): its id and who wrote it, never its text.
pub(crate) async fn message_added(
    db: &impl ConnectionTrait,
    request: &request::Model,
    message_id: &str,
    from_caisse: bool,
    internal: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let data = serde_json::json!({ "reference": request.reference, "message_id": message_id, "from_caisse": from_caisse, "internal": internal });
    enqueue(db, &request.caisse_id, Event::RequestMessageAdded, data, now).await
}

/// An appointment fixed or moved by the caisse.
pub(crate) async fn appointment_scheduled(
    db: &impl ConnectionTrait,
    request: &request::Model,
    appointment_id: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(appointment) = crate::server::entities::appointment::Entity::find_by_id(appointment_id.to_owned()).one(db).await? else { return Ok(()) };
    let data = serde_json::json!({
        "reference": request.reference,
        "appointment_id": appointment.id,
        "starts_at": appointment.starts_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "duration_minutes": appointment.duration_minutes,
        "accueil_id": appointment.accueil_id,
        "sequence": appointment.sequence,
    });
    enqueue(db, &request.caisse_id, Event::AppointmentScheduled, data, now).await
}

impl Queue for webhook_delivery::Entity {
    const ID: webhook_delivery::Column = webhook_delivery::Column::Id;
    const STATUS: webhook_delivery::Column = webhook_delivery::Column::Status;
    const NEXT_ATTEMPT_AT: webhook_delivery::Column = webhook_delivery::Column::NextAttemptAt;
    const ATTEMPTS: webhook_delivery::Column = webhook_delivery::Column::Attempts;

    fn pending() -> sea_orm::Value {
        PENDING.into()
    }

    fn id(row: &webhook_delivery::Model) -> &str {
        &row.id
    }

    fn attempts(row: &webhook_delivery::Model) -> i32 {
        row.attempts
    }

    fn with_attempts(row: webhook_delivery::Model, attempts: i32) -> webhook_delivery::Model {
        webhook_delivery::Model { attempts, ..row }
    }
}

/// The HTTP client deliveries go through: no redirect followed, 10 seconds at most.
pub fn client() -> Result<reqwest_object_store::Client, AppError> {
    // TLS on the process's rustls provider (ring), as for the object store.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest_object_store::Client::builder()
        .redirect(reqwest_object_store::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|error| {
            tracing::error!(%error, "webhook client not built");
            AppError::Internal
        })
}

/// What a round of deliveries did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub delivered: u32,
    pub retrying: u32,
    pub failed: u32,
}

/// Sends every delivery due at `now`, once each, signed with the endpoint's secret (and its previous one while it
/// still signs), and records the outcome.
pub async fn deliver_due(state: &AppState, client: &reqwest_object_store::Client, now: DateTime<Utc>) -> Result<Round, AppError> {
    let sealer = sealer(state)?;
    let mut round = Round::default();
    let mut endpoints: HashMap<String, Option<webhook_endpoint::Model>> = HashMap::new();
    for row in lease::claim::<webhook_delivery::Entity>(&state.db, now, LEASE, BATCH).await? {
        if !endpoints.contains_key(&row.endpoint_id) {
            let endpoint = webhook_endpoint::Entity::find_by_id(row.endpoint_id.clone()).one(&state.db).await?;
            endpoints.insert(row.endpoint_id.clone(), endpoint);
        }
        let endpoint = endpoints.get(&row.endpoint_id).cloned().flatten().filter(|e| e.disabled_at.is_none());
        let outcome = match endpoint {
            Some(endpoint) => send(&sealer, client, &endpoint, &row, now).await,
            None => Err((None, "point de réception désactivé".to_owned())),
        };
        let attempts = u32::try_from(row.attempts).unwrap_or(u32::MAX);
        let mut active: webhook_delivery::ActiveModel = row.clone().into();
        match outcome {
            Ok(status) => {
                round.delivered += 1;
                active.status = Set(DELIVERED.to_owned());
                active.delivered_at = Set(Some(now));
                active.last_status = Set(Some(i32::from(status)));
                active.last_error = Set(None);
            }
            Err((status, error)) => {
                tracing::warn!(webhook.delivery = %row.id, webhook.endpoint = %row.endpoint_id, attempts, error = %error, "webhook not delivered");
                active.last_status = Set(status.map(i32::from));
                active.last_error = Set(Some(error));
                if attempts >= MAX_ATTEMPTS {
                    round.failed += 1;
                    active.status = Set(FAILED.to_owned());
                } else {
                    round.retrying += 1;
                    active.next_attempt_at = Set(now + Duration::minutes(rules::retry_after_minutes(attempts)));
                }
            }
        }
        active.update(&state.db).await?;
    }
    Ok(round)
}

/// One POST; `Ok` with a 2xx status, else the status (if any) and why, in words for the delivery log.
async fn send(
    sealer: &Sealer,
    client: &reqwest_object_store::Client,
    endpoint: &webhook_endpoint::Model,
    row: &webhook_delivery::Model,
    now: DateTime<Utc>,
) -> Result<u16, (Option<u16>, String)> {
    let unsealed = |sealed: &str| sealer.open(&endpoint.id, sealed).map_err(|_| (None, "secret illisible (clé de chiffrement changée ?)".to_owned()));
    let timestamp = now.timestamp();
    let mut signatures = vec![signature(&unsealed(&endpoint.secret)?, &row.id, timestamp, &row.payload)];
    if let (Some(previous), Some(until)) = (&endpoint.previous_secret, endpoint.previous_until)
        && until > now
    {
        signatures.push(signature(&unsealed(previous)?, &row.id, timestamp, &row.payload));
    }
    let response = client
        .post(&endpoint.url)
        .header("content-type", "application/json")
        .header("webhook-id", &row.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signatures.join(" "))
        .body(row.payload.clone())
        .send()
        .await
        .map_err(|error| (None, if error.is_timeout() { "délai dépassé".to_owned() } else { "connexion impossible".to_owned() }))?;
    let status = response.status().as_u16();
    if response.status().is_success() { Ok(status) } else { Err((Some(status), format!("HTTP {status}"))) }
}

/// How long a delivered or failed delivery stays in its endpoint's log.
pub const KEPT_FOR: Duration = Duration::days(30);

/// Deletes the deliveries delivered or failed before `before` (the housekeeping, daily); returns how many.
pub async fn forget_settled(db: &DatabaseConnection, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let deleted = webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::Status.ne(PENDING))
        .filter(webhook_delivery::Column::CreatedAt.lt(before))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// Runs delivery rounds every `every` until `stop` turns true.
pub async fn run_worker(state: AppState, every: std::time::Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
    let client = match client() {
        Ok(client) => client,
        Err(_) => return,
    };
    let mut ticks = tokio::time::interval(every);
    loop {
        let stopping = tokio::select! {
            _ = ticks.tick() => false,
            _ = stop.wait_for(|stopped| *stopped) => true,
        };
        match deliver_due(&state, &client, Utc::now()).await {
            Ok(Round { delivered: 0, retrying: 0, failed: 0 }) => {}
            Ok(round) => tracing::info!(?round, "webhook delivery round"),
            Err(error) => tracing::error!(error = %error, "webhook delivery round failed"),
        }
        if stopping {
            break;
        }
    }
}
