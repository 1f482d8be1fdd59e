//! Who hears about what happens to a request, by e-mail through the outbox (in the caller's transaction): the
//! caisse's team (or the assignee) about new requests, withdrawals, partners' replies and appointment changes; the partner who wrote the request
//! and the colleagues who follow it about the caisse's replies, questions, appointments and closing, and the
//! author about the request's receipt. Notices
//! carry the reference, never the assuré.

use crate::domain::notice::Notice;
use crate::domain::role::Role;
use crate::dto::error::AppError;
use crate::server::entities::{account, request};
use crate::server::mail;
use crate::server::settings::MailSettings;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// What the partner is told.
pub enum ToPartner {
    CaisseReplied,
    MoreRequested,
    AppointmentBooked {
        when: String,
        place: String,
        calendar: Option<String>,
    },
    /// Moved: `calendar` updates the event (same UID, higher SEQUENCE).
    AppointmentMoved {
        when: String,
        place: String,
        calendar: Option<String>,
    },
    /// Called off: `calendar` removes the event (`METHOD:CANCEL`).
    AppointmentCancelled {
        when: String,
        calendar: Option<String>,
    },
    Closed {
        outcome: String,
    },
}

fn caisse_link(mail: &MailSettings, request: &request::Model) -> String {
    format!("{}/caisse/demandes/{}", mail.public_url, request.reference)
}

fn partner_link(mail: &MailSettings, request: &request::Model) -> String {
    format!("{}/partenaire/demandes/{}", mail.public_url, request.reference)
}

/// The caisse agents who should hear about the request: its assignee if any; otherwise its team; otherwise every
/// agent of the caisse.
async fn caisse_side(db: &impl ConnectionTrait, request: &request::Model) -> Result<Vec<account::Model>, AppError> {
    let agents = account::Entity::find()
        .filter(account::Column::CaisseId.eq(&request.caisse_id))
        .filter(account::Column::Role.eq(Role::CaisseAgent))
        .filter(account::Column::Active.eq(true));
    if let Some(assignee) = &request.assignee_id {
        return Ok(agents.filter(account::Column::Id.eq(assignee)).all(db).await?);
    }
    if let Some(team) = &request.team_id {
        let members = agents.clone().filter(account::Column::TeamId.eq(team)).all(db).await?;
        if !members.is_empty() {
            return Ok(members);
        }
    }
    Ok(agents.all(db).await?)
}

async fn tell_caisse(db: &impl ConnectionTrait, request: &request::Model, notice: &Notice, now: DateTime<Utc>) -> Result<(), AppError> {
    for agent in caisse_side(db, request).await? {
        mail::notify(db, &agent, notice, None, now).await?;
    }
    Ok(())
}

/// A new request reached the caisse.
pub async fn new_request(
    db: &impl ConnectionTrait,
    mail: &MailSettings,
    request: &request::Model,
    kind: &str,
    structure: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let notice = Notice::NewRequest {
        reference: request.reference.clone(),
        kind: kind.to_owned(),
        structure: structure.to_owned(),
        link: caisse_link(mail, request),
    };
    tell_caisse(db, request, &notice, now).await
}

/// The receipt of a new request, to the partner who sent it (as their notification preference says): its
/// reference, kind and the date the caisse answers by; never the assuré.
pub async fn receipt(
    db: &impl ConnectionTrait,
    mail: &MailSettings,
    request: &request::Model,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(author) = account::Entity::find_by_id(request.author_id.clone()).one(db).await? else {
        return Ok(());
    };
    let notice = Notice::Receipt {
        reference: request.reference.clone(),
        kind: kind.to_owned(),
        answer_by: request.due_on.map(crate::server::time_fr::date),
        link: partner_link(mail, request),
    };
    mail::notify(db, &author, &notice, None, now).await
}

/// The partner took the request back before the caisse started on it.
pub async fn withdrawn(db: &impl ConnectionTrait, mail: &MailSettings, request: &request::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    let notice = Notice::RequestWithdrawn { reference: request.reference.clone(), link: caisse_link(mail, request) };
    tell_caisse(db, request, &notice, now).await
}

/// The partner asks another date for the appointment of `when`, or (`declined`) called it off.
pub async fn appointment_change_asked(
    db: &impl ConnectionTrait,
    mail: &MailSettings,
    request: &request::Model,
    when: String,
    declined: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let notice = Notice::AppointmentChangeAsked { reference: request.reference.clone(), when, declined, link: caisse_link(mail, request) };
    tell_caisse(db, request, &notice, now).await
}

/// The partner wrote on the request (or answered the caisse's question).
pub async fn partner_replied(db: &impl ConnectionTrait, mail: &MailSettings, request: &request::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    let notice = Notice::PartnerReplied { reference: request.reference.clone(), link: caisse_link(mail, request) };
    tell_caisse(db, request, &notice, now).await
}

/// Something the partner who wrote the request, and the colleagues who follow it, should know.
pub async fn to_partner(
    db: &impl ConnectionTrait,
    mail: &MailSettings,
    request: &request::Model,
    what: ToPartner,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (reference, link) = (request.reference.clone(), partner_link(mail, request));
    let (notice, calendar) = match what {
        ToPartner::CaisseReplied => (Notice::CaisseReplied { reference, link }, None),
        ToPartner::MoreRequested => (Notice::MoreRequested { reference, link }, None),
        ToPartner::AppointmentBooked { when, place, calendar } => (Notice::AppointmentBooked { reference, when, place, link }, calendar),
        ToPartner::AppointmentMoved { when, place, calendar } => (Notice::AppointmentMoved { reference, when, place, link }, calendar),
        ToPartner::AppointmentCancelled { when, calendar } => (Notice::AppointmentCancelled { reference, when, link }, calendar),
        ToPartner::Closed { outcome } => (Notice::RequestClosed { reference, outcome, link }, None),
    };
    for person in crate::server::requests::followers::audience(db, request).await? {
        mail::notify(db, &person, &notice, calendar.clone(), now).await?;
    }
    Ok(())
}
