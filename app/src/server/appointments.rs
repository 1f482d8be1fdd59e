//! Appointments the caisse books for a request's assuré: at one of its accueils or by telephone, within opening
//! hours, never two in the same slot at the same place; and the calendar file (ICS) both sides can download.

use crate::domain::appointment::{AppointmentStatus, Change, DURATION_MINUTES, Place, SLOT_TAKEN};
use crate::domain::field_error::Problems;
use crate::domain::opening_hours::{SlotError, check_slot};
use crate::dto::error::AppError;
use crate::dto::requests::AppointmentLine;
use crate::server::auth::SignedIn;
use crate::server::entities::{accueil, appointment, caisse, request};
use crate::server::requests::visibility::may_see;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use icalendar::{Calendar, Component, EventLike};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, SqlErr};
use std::collections::HashMap;

/// What to put in the `place` field for a telephone appointment (otherwise an accueil's id).
pub const BY_PHONE: &str = "telephone";

const INSTRUCTIONS_MAX: usize = 1000;

/// What the scheduling form posted (its fields: `place`, `date`, `time`, and `message` for the instructions).
#[derive(Clone, Debug, Default)]
pub struct Booking {
    pub place: String,
    pub date: String,
    pub time: String,
    pub instructions: String,
}

/// "lundi 23/11/2026 à 10:30", in Paris time.
fn when(start: DateTime<Utc>) -> String {
    let local = start.with_timezone(&Paris);
    format!("{} {}", crate::domain::opening_hours::weekday_name(chrono::Datelike::weekday(&local)), local.format("%d/%m/%Y à %H:%M"))
}

/// An appointment booked or changed: the line for the request's timeline, its id, and when it is (for a
/// cancelled one, when it was to be): "lundi 23/11/2026 à 10:30".
pub struct Booked {
    pub note: String,
    pub id: String,
    pub when: String,
}

/// The slot the form chose, checked: one of the caisse's places, within its opening hours, to come.
struct Slot {
    place: Place,
    /// The accueil's name, or "par téléphone".
    label: String,
    starts_at: DateTime<Utc>,
    key: String,
}

impl Slot {
    fn accueil_id(&self) -> Option<String> {
        match &self.place {
            Place::Accueil(id) => Some(id.clone()),
            Place::Phone(_) => None,
        }
    }

    /// The timeline's words for it: "le lundi 23/11/2026 à 10:30 – Accueil de Massy".
    fn described(&self) -> String {
        format!("le {} – {}", when(self.starts_at), self.label)
    }
}

async fn slot_of(
    db: &impl ConnectionTrait,
    user: &SignedIn,
    request: &request::Model,
    booking: &Booking,
    now: DateTime<Utc>,
) -> Result<Slot, AppError> {
    let (place, label, opening) = if booking.place == BY_PHONE {
        let caisse = caisse::Entity::find_by_id(request.caisse_id.clone()).one(db).await?.ok_or(AppError::NotFound)?;
        (Place::Phone(user.id.clone()), "par téléphone".to_owned(), caisse.phone_hours.clone())
    } else {
        let desk = accueil::Entity::find_by_id(booking.place.clone())
            .filter(accueil::Column::CaisseId.eq(&request.caisse_id))
            .filter(accueil::Column::Active.eq(true))
            .one(db)
            .await?
            .ok_or_else(|| AppError::field("place", "Choisissez un accueil de la caisse, ou le téléphone."))?;
        (Place::Accueil(desk.id.clone()), desk.name.clone(), desk.opening_hours.clone())
    };
    let date = NaiveDate::parse_from_str(booking.date.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("date", "Indiquez la date du rendez-vous (jj/mm/aaaa)."))?;
    let time = NaiveTime::parse_from_str(booking.time.trim(), "%H:%M").map_err(|_| AppError::field("time", "Choisissez l'heure du rendez-vous."))?;
    let start = date.and_time(time);
    check_slot(&opening, start, now.with_timezone(&Paris).naive_local()).map_err(|e| {
        let field = if matches!(e, SlotError::PublicHoliday(_) | SlotError::ClosedThatDay(_)) { "date" } else { "time" };
        AppError::field(field, e.to_string())
    })?;
    let starts_at = Paris.from_local_datetime(&start).single().ok_or_else(|| AppError::field("time", "Cette heure n'existe pas ce jour-là."))?;
    Ok(Slot { key: place.slot_key(start), place, label, starts_at: starts_at.with_timezone(&Utc) })
}

/// Refuses a slot another appointment holds.
async fn ensure_free(db: &impl ConnectionTrait, slot: &Slot) -> Result<(), AppError> {
    match appointment::Entity::find().filter(appointment::Column::SlotKey.eq(&slot.key)).one(db).await? {
        Some(_) => Err(slot_taken()),
        None => Ok(()),
    }
}

fn slot_taken() -> AppError {
    AppError::Conflict(SLOT_TAKEN.to_owned())
}

/// Someone else took the slot between the check and the write (PostgreSQL: the write waited for their commit).
fn taken_meanwhile(error: DbErr) -> AppError {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(key)) if key.contains("slot_key") => slot_taken(),
        _ => error.into(),
    }
}

/// Books the slot for `request` (inside the caller's write transaction). A slot someone else holds, whether found
/// here or caught by the unique slot key when two agents book at the same moment, is a `Conflict` saying so.
pub async fn book(
    db: &impl ConnectionTrait,
    user: &SignedIn,
    request: &request::Model,
    booking: &Booking,
    now: DateTime<Utc>,
) -> Result<Booked, AppError> {
    let mut problems = Problems::new();
    let instructions = problems.optional("message", &booking.instructions, INSTRUCTIONS_MAX);
    problems.into_result(()).map_err(AppError::Validation)?;
    let slot = slot_of(db, user, request, booking, now).await?;
    ensure_free(db, &slot).await?;
    let id = uuid::Uuid::now_v7().to_string();
    appointment::ActiveModel {
        id: Set(id.clone()),
        request_id: Set(request.id.clone()),
        caisse_id: Set(request.caisse_id.clone()),
        accueil_id: Set(slot.accueil_id()),
        starts_at: Set(slot.starts_at),
        duration_minutes: Set(DURATION_MINUTES as i32),
        status: Set(AppointmentStatus::Confirmed),
        slot_key: Set(Some(slot.key.clone())),
        instructions: Set(instructions.to_owned()),
        sequence: Set(0),
        change_note: Set(None),
        created_by: Set(user.id.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(taken_meanwhile)?;
    Ok(Booked { note: format!("Rendez-vous {}", slot.described()), id, when: when(slot.starts_at) })
}

/// The request's confirmed appointment, if one stands.
async fn standing(db: &impl ConnectionTrait, request_id: &str) -> Result<Option<appointment::Model>, AppError> {
    Ok(appointment::Entity::find()
        .filter(appointment::Column::RequestId.eq(request_id))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Confirmed))
        .order_by_desc(appointment::Column::StartsAt)
        .one(db)
        .await?)
}

/// The request's confirmed appointment, or a conflict saying there is none.
async fn standing_or_refuse(db: &impl ConnectionTrait, request_id: &str) -> Result<appointment::Model, AppError> {
    standing(db, request_id).await?.ok_or_else(|| AppError::Conflict("Aucun rendez-vous n'est programmé pour cette demande.".to_owned()))
}

/// Moves the request's appointment to the slot the form chose, for `reason`: same appointment (its calendar
/// file keeps its UID), one version higher; its old slot is freed. `Booked.note` is the timeline's line.
pub async fn reschedule(
    db: &impl ConnectionTrait,
    user: &SignedIn,
    request: &request::Model,
    booking: &Booking,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Booked, AppError> {
    let current = standing_or_refuse(db, &request.id).await?;
    let slot = slot_of(db, user, request, booking, now).await?;
    if current.slot_key.as_deref() == Some(slot.key.as_str()) {
        return Err(AppError::field("time", "C'est déjà l'heure du rendez-vous : choisissez un autre créneau."));
    }
    ensure_free(db, &slot).await?;
    let note = format!("Rendez-vous déplacé {}. Motif : {reason}", slot.described());
    let mut active: appointment::ActiveModel = current.clone().into();
    active.accueil_id = Set(slot.accueil_id());
    active.starts_at = Set(slot.starts_at);
    active.slot_key = Set(Some(slot.key));
    active.sequence = Set(current.sequence + 1);
    active.change_note = Set(Some(Change::Moved.note(reason)));
    active.updated_at = Set(now);
    active.update(db).await.map_err(taken_meanwhile)?;
    Ok(Booked { note, id: current.id, when: when(slot.starts_at) })
}

/// Records a change to the request's standing appointment other than a move: cancelled (by either side: the
/// slot is freed and the version raised, so calendars drop it) or another date asked by the partner (it stands).
/// The partner's changes are refused once the appointment has started ([`Change::only_before_start`]). Returns
/// the appointment and the timeline's line.
pub async fn change(db: &impl ConnectionTrait, request_id: &str, change: Change, reason: &str, now: DateTime<Utc>) -> Result<Booked, AppError> {
    let current = standing_or_refuse(db, request_id).await?;
    if change.only_before_start() && current.starts_at <= now {
        return Err(AppError::Conflict("Ce rendez-vous a déjà eu lieu : la caisse en indiquera l'issue.".to_owned()));
    }
    let mut active: appointment::ActiveModel = current.clone().into();
    if change.cancels() {
        active.status = Set(AppointmentStatus::Cancelled);
        active.slot_key = Set(None);
        active.sequence = Set(current.sequence + 1);
    }
    active.change_note = Set(Some(change.note(reason)));
    active.updated_at = Set(now);
    active.update(db).await?;
    let was = when(current.starts_at);
    Ok(Booked { note: format!("Rendez-vous du {was}. Motif : {reason}"), id: current.id, when: was })
}

/// Records what became of the request's confirmed appointment (held or missed).
pub async fn settle(db: &impl ConnectionTrait, request_id: &str, outcome: AppointmentStatus, now: DateTime<Utc>) -> Result<(), AppError> {
    if let Some(standing) = standing(db, request_id).await? {
        let mut active: appointment::ActiveModel = standing.into();
        active.status = Set(outcome);
        active.updated_at = Set(now);
        active.update(db).await?;
    }
    Ok(())
}

/// The request's appointments, the latest first (`now` tells those still to come).
pub async fn of_request(db: &impl ConnectionTrait, request_id: &str, now: DateTime<Utc>) -> Result<Vec<AppointmentLine>, AppError> {
    let booked = appointment::Entity::find()
        .filter(appointment::Column::RequestId.eq(request_id))
        .order_by_desc(appointment::Column::StartsAt)
        .all(db)
        .await?;
    let desk_ids: Vec<String> = booked.iter().filter_map(|a| a.accueil_id.clone()).collect();
    let desks: HashMap<String, accueil::Model> = if desk_ids.is_empty() {
        HashMap::new()
    } else {
        accueil::Entity::find().filter(accueil::Column::Id.is_in(desk_ids)).all(db).await?.into_iter().map(|a| (a.id.clone(), a)).collect()
    };
    Ok(booked
        .into_iter()
        .map(|a| {
            let desk = a.accueil_id.as_ref().and_then(|id| desks.get(id));
            let status = a.status;
            AppointmentLine {
                when: when(a.starts_at),
                place: desk.map_or_else(|| "Par téléphone".to_owned(), |d| d.name.clone()),
                address: desk.map(|d| format!("{}, {} {}", d.address, d.postal_code, d.commune)),
                status: status.label().to_owned(),
                confirmed: status == AppointmentStatus::Confirmed,
                cancelled: status == AppointmentStatus::Cancelled,
                upcoming: status == AppointmentStatus::Confirmed && a.starts_at > now,
                change_note: a.change_note,
                instructions: a.instructions,
                id: a.id,
            }
        })
        .collect())
}

/// `ORGANIZER;CN=<caisse>:mailto:<address>`: the caisse, at the address of `mail_from` (a mailbox, `Name <address>`).
fn organizer(caisse_name: &str, mail_from: &str) -> icalendar::Property {
    let address = mail_from.parse::<lettre::message::Mailbox>().map(|mailbox| mailbox.email.to_string()).unwrap_or_else(|_| mail_from.to_owned());
    icalendar::Property::new("ORGANIZER", format!("mailto:{address}")).add_parameter("CN", caisse_name).done()
}

/// The calendar file of an appointment, for someone who may see its request (anyone else: `NotFound`).
/// It names the request's reference and the place, never the assuré. Its UID stays the appointment's and its
/// SEQUENCE counts the changes, so a moved appointment replaces the event calendars hold and a cancelled one
/// (`METHOD:CANCEL`) removes it. Its organizer, which iTIP requires of both methods, is the caisse, at the address the
/// app's mail comes from (`mail_from`, `MAIL_FROM`).
pub async fn calendar_file(db: &impl ConnectionTrait, user: &SignedIn, appointment_id: &str, mail_from: &str) -> Result<(String, String), AppError> {
    let booked = appointment::Entity::find_by_id(appointment_id.to_owned()).one(db).await?.ok_or(AppError::NotFound)?;
    let request = request::Entity::find_by_id(booked.request_id.clone()).one(db).await?.ok_or(AppError::NotFound)?;
    if !may_see(user, &request) {
        return Err(AppError::NotFound);
    }
    let line = of_request(db, &request.id, booked.updated_at).await?.into_iter().find(|l| l.id == booked.id).ok_or(AppError::NotFound)?;
    let caisse_name = caisse::Entity::find_by_id(request.caisse_id.clone()).one(db).await?.map(|c| c.name).unwrap_or_default();
    let ends_at = booked.starts_at + Duration::minutes(i64::from(booked.duration_minutes));
    let mut description = format!("Rendez-vous {caisse_name} pour la demande {}.", request.reference);
    if let Some(address) = &line.address {
        description.push_str(&format!("\nAdresse : {address}."));
    } else {
        description.push_str("\nLa caisse appelle l'assuré au numéro indiqué dans la demande.");
    }
    if !booked.instructions.is_empty() {
        description.push_str(&format!("\n{}", booked.instructions));
    }
    let mut event = icalendar::Event::new();
    if booked.status == AppointmentStatus::Cancelled {
        event.status(icalendar::EventStatus::Cancelled);
    }
    let event = event
        .uid(&format!("{}@espace-partenaires", booked.id))
        .sequence(u32::try_from(booked.sequence).unwrap_or_default())
        .timestamp(booked.updated_at)
        .summary(&format!("Rendez-vous {caisse_name} – {}", request.reference))
        .description(&description)
        .location(line.address.as_deref().map_or(line.place.as_str(), |address| address))
        .append_property(organizer(&caisse_name, mail_from))
        .starts(booked.starts_at)
        .ends(ends_at)
        .done();
    let calendar = Calendar::new()
        .append_property(("METHOD", booked.status.calendar_method()))
        .name(&format!("Espace Partenaires – {}", request.reference))
        .push(event)
        .done();
    Ok((format!("rendez-vous-{}.ics", request.reference), calendar.to_string()))
}
