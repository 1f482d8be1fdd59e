//! The append-only audit log: who did what to which object, when, from which request and address.

use crate::server::entities::audit_event;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

/// Who acted.
#[derive(Clone, Debug)]
pub enum Actor {
    Account {
        id: String,
        label: String,
    },
    /// Nobody signed in; the label is what they claimed to be (the e-mail typed at sign-in).
    Anonymous(String),
    /// The application itself (seeding, scheduled jobs).
    System,
}

impl Actor {
    /// The signed-in person, named by their e-mail address.
    pub fn signed_in(user: &crate::server::auth::SignedIn) -> Actor {
        Actor::Account { id: user.id.clone(), label: user.email.clone() }
    }
}

/// The client's address as the router worked it out (the peer, or what a trusted proxy forwarded), put in each
/// request's extensions before anything reads it.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub std::net::IpAddr);

/// Where the action came from: the client address and the request id that ties it to the logs.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub ip: String,
    pub request_id: Option<String>,
}

/// One thing that happened, before it is written.
#[derive(Clone, Debug)]
pub struct Entry {
    actor: Actor,
    action: &'static str,
    object_type: &'static str,
    object_id: Option<String>,
    caisse_id: Option<String>,
    detail: Option<String>,
}

impl Entry {
    pub fn new(actor: Actor, action: &'static str, object_type: &'static str, object_id: Option<String>) -> Self {
        Entry { actor, action, object_type, object_id, caisse_id: None, detail: None }
    }

    /// The caisse whose admins may read this entry.
    pub fn in_caisse(mut self, caisse_id: Option<String>) -> Self {
        self.caisse_id = caisse_id;
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Appends an entry; callers pass their transaction when the entry must commit with the change it records.
/// Within one HTTP request the same action on the same object is written once (a page may load its data twice
/// while it renders): the unique index `idx_audit_once_per_request` drops the repeats.
pub async fn record(db: &impl ConnectionTrait, entry: Entry, origin: &Origin, now: DateTime<Utc>) -> Result<(), DbErr> {
    use crate::domain::text_input::{MAX_LABEL_CHARS, bounded};
    let (actor_id, actor_label) = match entry.actor {
        Actor::Account { id, label } => (Some(id), label),
        // Whatever was typed: kept only as long as an e-mail address may be.
        Actor::Anonymous(label) => (None, bounded(&label, MAX_LABEL_CHARS)),
        Actor::System => (None, "système".to_owned()),
    };
    let entry = audit_event::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        occurred_at: Set(now),
        actor_id: Set(actor_id),
        actor_label: Set(actor_label),
        caisse_id: Set(entry.caisse_id),
        action: Set(entry.action.to_owned()),
        object_type: Set(entry.object_type.to_owned()),
        object_id: Set(entry.object_id.map(|id| bounded(&id, MAX_LABEL_CHARS))),
        request_id: Set(origin.request_id.clone()),
        ip: Set(Some(origin.ip.clone()).filter(|ip| !ip.is_empty())),
        detail: Set(entry.detail.map(|detail| bounded(&detail, 4 * MAX_LABEL_CHARS))),
    };
    audit_event::Entity::insert(entry)
        .on_conflict_do_nothing_on([audit_event::Column::RequestId, audit_event::Column::Action, audit_event::Column::ObjectId])
        .exec_without_returning(db)
        .await?;
    Ok(())
}
