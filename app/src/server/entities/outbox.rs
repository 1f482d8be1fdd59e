//! An e-mail waiting in the outbox, or its record once sent (or given up).

use crate::server::mail::OutboxStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The `Message-ID` header, fixed when queued: a retried e-mail is the same e-mail.
    #[sea_orm(unique)]
    pub message_id: String,
    pub recipient: String,
    pub account_id: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// An ICS file to attach (an appointment), if any.
    pub calendar: Option<String>,
    /// The notice itself (JSON), while it waits for the recipient's daily summary.
    pub notice: Option<String>,
    /// An `OutboxStatus` code.
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: ChronoDateTimeUtc,
    pub last_error: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub sent_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
