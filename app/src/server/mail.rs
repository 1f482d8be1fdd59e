//! E-mail through an outbox that loses nothing: a message is a row written in the same transaction as the change
//! that causes it; a worker sends due rows with lettre, retrying with exponential backoff, and gives up (marked
//! failed, visible to admins) after `MAX_ATTEMPTS`. Several instances on one PostgreSQL never send a row twice:
//! rows are claimed with `FOR UPDATE SKIP LOCKED` and a lease, and a claim only counts if it changed the row.

use crate::domain::coded::Coded;
use crate::domain::notice::{Email, Importance, MAX_ATTEMPTS, MailPreference, Notice, digest, retry_delay};
use crate::dto::error::AppError;
use crate::server::entities::{account, outbox};
use crate::server::lease::{self, Queue};
use crate::server::settings::MailSettings;
use chrono::{DateTime, Duration, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::path::PathBuf;

/// How long a claimed row is left to its sender before another worker may try it (a crash mid-send).
const LEASE: Duration = Duration::minutes(5);
/// Rows claimed per round.
const BATCH: u64 = 20;

/// Where a message of the outbox stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxStatus {
    Pending,
    Sent,
    Failed,
    /// Waiting for the recipient's daily summary.
    Digest,
    /// Told in a daily summary (the summary itself is another row).
    Summarised,
}

impl Coded for OutboxStatus {
    fn all() -> &'static [Self] {
        &[OutboxStatus::Pending, OutboxStatus::Sent, OutboxStatus::Failed, OutboxStatus::Digest, OutboxStatus::Summarised]
    }

    fn code(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Digest => "digest",
            OutboxStatus::Summarised => "summarised",
        }
    }
}

/// Queues `email` for `recipient` (inside the caller's transaction); returns the row id.
pub async fn queue(
    db: &impl ConnectionTrait,
    recipient: &str,
    account_id: Option<&str>,
    email: &Email,
    calendar: Option<String>,
    status: OutboxStatus,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let id = uuid::Uuid::now_v7().to_string();
    let message_id = format!("<{id}@espace-partenaires>");
    insert(db, &id, &message_id, recipient, account_id, email, calendar, status, now).await?;
    Ok(id)
}

/// Queues `email` once for a given `key` (e.g. "convention-{id}-60"): its Message-ID is derived from the key, and
/// the unique index on Message-IDs drops any later attempt. Returns whether it was queued now.
pub async fn queue_once(db: &impl ConnectionTrait, key: &str, person: &account::Model, email: &Email, now: DateTime<Utc>) -> Result<bool, AppError> {
    let message_id = format!("<{key}.{}@espace-partenaires>", person.id);
    if outbox::Entity::find().filter(outbox::Column::MessageId.eq(&message_id)).one(db).await?.is_some() {
        return Ok(false);
    }
    let id = uuid::Uuid::now_v7().to_string();
    insert(db, &id, &message_id, &person.email, Some(&person.id), email, None, OutboxStatus::Pending, now).await?;
    Ok(true)
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    db: &impl ConnectionTrait,
    id: &str,
    message_id: &str,
    recipient: &str,
    account_id: Option<&str>,
    email: &Email,
    calendar: Option<String>,
    status: OutboxStatus,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    outbox::ActiveModel {
        message_id: Set(message_id.to_owned()),
        id: Set(id.to_owned()),
        recipient: Set(recipient.to_owned()),
        account_id: Set(account_id.map(str::to_owned)),
        subject: Set(email.subject.clone()),
        text_body: Set(email.text.clone()),
        html_body: Set(email.html.clone()),
        calendar: Set(calendar),
        notice: Set(None),
        status: Set(status),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Tells `person` about `notice`, as they chose: security notices always go at once; work notices go at once,
/// in tomorrow's summary, or not at all. Inside the caller's transaction.
pub async fn notify(
    db: &impl ConnectionTrait,
    person: &account::Model,
    notice: &Notice,
    calendar: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !person.active {
        return Ok(());
    }
    let preference = person.mail_preference;
    let status = match (notice.importance(), preference) {
        (Importance::Security, _) | (Importance::Work, MailPreference::Immediate) => OutboxStatus::Pending,
        (Importance::Work, MailPreference::DailyDigest) => OutboxStatus::Digest,
        (Importance::Work, MailPreference::Never) => return Ok(()),
    };
    let id = queue(db, &person.email, Some(&person.id), &notice.render(), calendar, status, now).await?;
    if status == OutboxStatus::Digest {
        let kept = serde_json::to_string(notice).map_err(|e| {
            tracing::error!(error = %e, "a notice could not be kept for the digest");
            AppError::Internal
        })?;
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Notice, sea_orm::sea_query::Expr::value(kept))
            .filter(outbox::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Where messages leave the application.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in this folder (development: no mail server needed).
    Files(PathBuf),
}

impl Transport {
    /// SMTP when `SMTP_URL` is set, otherwise `.eml` files under `DATA_DIR/mail/`.
    pub fn from_settings(settings: &MailSettings, data_dir: &std::path::Path) -> Result<Transport, String> {
        match &settings.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                .map(|builder| Transport::Smtp(builder.timeout(Some(std::time::Duration::from_secs(20))).build()))
                .map_err(|e| format!("SMTP_URL is not a usable SMTP address: {e}")),
            None => Ok(Transport::Files(data_dir.join("mail"))),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "SMTP (SMTP_URL)".to_owned(),
            Transport::Files(dir) => format!("fichiers .eml dans {}", dir.display()),
        }
    }

    async fn send(&self, message: Message, id: &str) -> Result<(), String> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| e.to_string())?;
                let path = dir.join(format!("{id}.eml"));
                tokio::fs::write(&path, message.formatted()).await.map_err(|e| e.to_string())?;
                tracing::info!(path = %path.display(), "e-mail written to a file (no SMTP_URL)");
                Ok(())
            }
        }
    }
}

fn message_of(row: &outbox::Model, from: &str) -> Result<Message, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?;
    let to: Mailbox = row.recipient.parse().map_err(|e| format!("recipient: {e}"))?;
    let bodies = MultiPart::alternative_plain_html(row.text_body.clone(), row.html_body.clone());
    let body = match &row.calendar {
        None => bodies,
        Some(ics) => {
            // The part's method repeats the file's own (`CANCEL` for a cancelled appointment), as iTIP asks.
            let method = ics.lines().find_map(|line| line.strip_prefix("METHOD:")).map_or("PUBLISH", str::trim);
            let calendar = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}")).map_err(|e| e.to_string())?;
            // Quoted-printable keeps the calendar readable as text by any mail client.
            let ics = lettre::message::Body::new_with_encoding(ics.clone(), lettre::message::header::ContentTransferEncoding::QuotedPrintable)
                .map_err(|_| "the calendar file could not be encoded".to_owned())?;
            MultiPart::mixed().multipart(bodies).singlepart(Attachment::new("rendez-vous.ics".to_owned()).body(ics, calendar))
        }
    };
    Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(row.message_id.clone()))
        .date(row.created_at.into())
        .multipart(body)
        .map_err(|e| e.to_string())
}

/// What a round of delivery did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: u32,
    pub retrying: u32,
    pub failed: u32,
}

impl Queue for outbox::Entity {
    const ID: outbox::Column = outbox::Column::Id;
    const STATUS: outbox::Column = outbox::Column::Status;
    const NEXT_ATTEMPT_AT: outbox::Column = outbox::Column::NextAttemptAt;
    const ATTEMPTS: outbox::Column = outbox::Column::Attempts;

    fn pending() -> sea_orm::Value {
        OutboxStatus::Pending.into()
    }

    fn id(row: &outbox::Model) -> &str {
        &row.id
    }

    fn attempts(row: &outbox::Model) -> i32 {
        row.attempts
    }

    fn with_attempts(row: outbox::Model, attempts: i32) -> outbox::Model {
        outbox::Model { attempts, ..row }
    }
}

/// Sends every row due at `now`, once each, and records the outcome.
pub async fn deliver_due(db: &DatabaseConnection, transport: &Transport, from: &str, now: DateTime<Utc>) -> Result<Delivery, AppError> {
    let mut delivery = Delivery::default();
    for row in lease::claim::<outbox::Entity>(db, now, LEASE, BATCH).await? {
        let outcome = match message_of(&row, from) {
            Ok(message) => transport.send(message, &row.id).await,
            Err(e) => Err(e),
        };
        let attempts = u32::try_from(row.attempts).unwrap_or(u32::MAX);
        let mut active: outbox::ActiveModel = row.clone().into();
        match outcome {
            Ok(()) => {
                delivery.sent += 1;
                active.status = Set(OutboxStatus::Sent);
                active.sent_at = Set(Some(Utc::now()));
                active.last_error = Set(None);
            }
            Err(error) => {
                // The recipient's address is personal: log the row, not the address.
                tracing::warn!(outbox.id = %row.id, attempts, error = %error, "e-mail not sent");
                active.last_error = Set(Some(error));
                if attempts >= MAX_ATTEMPTS {
                    delivery.failed += 1;
                    active.status = Set(OutboxStatus::Failed);
                } else {
                    delivery.retrying += 1;
                    active.next_attempt_at = Set(now + retry_delay(attempts));
                }
            }
        }
        active.update(db).await?;
    }
    Ok(delivery)
}

/// Turns each person's notices kept for the digest into one summary e-mail (queued to go at once); returns how
/// many summaries were queued. Run once a day.
pub async fn queue_digests(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u32, AppError> {
    let kept = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(OutboxStatus::Digest))
        .filter(outbox::Column::CreatedAt.lte(now))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?;
    let mut by_person: std::collections::BTreeMap<String, Vec<outbox::Model>> = Default::default();
    for row in kept {
        by_person.entry(row.recipient.clone()).or_default().push(row);
    }
    let mut queued = 0;
    for (recipient, rows) in by_person {
        let notices: Vec<Notice> = rows.iter().filter_map(|r| r.notice.as_deref()).filter_map(|n| serde_json::from_str(n).ok()).collect();
        let txn = crate::server::db::write_transaction(db).await?;
        if let Some(summary) = digest(&notices) {
            queue(&txn, &recipient, rows[0].account_id.as_deref(), &summary, None, OutboxStatus::Pending, now).await?;
            queued += 1;
        }
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, sea_orm::sea_query::Expr::value(OutboxStatus::Summarised))
            .filter(outbox::Column::Id.is_in(rows.iter().map(|r| r.id.clone())))
            .exec(&txn)
            .await?;
        txn.commit().await?;
    }
    Ok(queued)
}

/// Runs delivery rounds every `every` (the first at once) until `stop` turns true; then a last round sends what is
/// due, and the worker ends (the caller bounds how long it waits: what is left goes from the next instance).
pub async fn run_worker(
    db: DatabaseConnection,
    transport: Transport,
    from: String,
    every: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    tracing::info!(transport = %transport.describe(), "mail worker started");
    let mut ticks = tokio::time::interval(every);
    loop {
        let stopping = tokio::select! {
            _ = ticks.tick() => false,
            _ = stop.wait_for(|stopped| *stopped) => true,
        };
        match deliver_due(&db, &transport, &from, Utc::now()).await {
            Ok(Delivery { sent: 0, retrying: 0, failed: 0 }) => {}
            Ok(delivery) => tracing::info!(?delivery, "mail delivery round"),
            Err(error) => tracing::error!(error = %error, "mail delivery round failed"),
        }
        if stopping {
            break;
        }
    }
    tracing::info!("mail worker stopped");
}
