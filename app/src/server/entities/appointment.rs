//! An appointment booked for a request's assuré: at an accueil, or a call from the caisse.

use crate::domain::appointment::AppointmentStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appointments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub request_id: String,
    pub caisse_id: String,
    /// The accueil; `None` for a telephone appointment.
    pub accueil_id: Option<String>,
    pub starts_at: ChronoDateTimeUtc,
    pub duration_minutes: i32,
    /// An `AppointmentStatus` code.
    pub status: AppointmentStatus,
    /// Holds the slot (unique) while the appointment stands; `None` once cancelled.
    pub slot_key: Option<String>,
    pub instructions: String,
    /// The version of the appointment, raised by each move or cancellation (the calendar file's SEQUENCE).
    pub sequence: i32,
    /// The last change, as both sides read it ("Déplacé par la caisse : …"); `None` while it never changed.
    pub change_note: Option<String>,
    pub created_by: String,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
