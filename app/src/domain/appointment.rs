//! An appointment for an assuré: where it takes place, what became of it, and the slot it holds so that
//! the same place (an accueil, or the agent who calls) is never booked twice at the same time.

use super::coded::coded;
use chrono::NaiveDateTime;

/// What an agent reads when the slot they chose is held by another appointment — typically booked by a
/// colleague a moment earlier. The server answers it as a conflict; the page shows it next to the time field.
pub const SLOT_TAKEN: &str = "Ce créneau vient d'être pris. Choisissez-en un autre.";

/// How long an appointment lasts: one slot of the opening-hours grid.
pub const DURATION_MINUTES: u32 = super::opening_hours::SLOT_MINUTES;

coded!(
    AppointmentStatus {
        Confirmed => "confirmed", "Confirmé",
        Held => "held", "Honoré",
        Missed => "missed", "Manqué",
        Cancelled => "cancelled", "Annulé",
    }
);

impl AppointmentStatus {
    /// Whether the appointment still holds its slot (a cancelled one frees it).
    pub fn holds_slot(self) -> bool {
        self != AppointmentStatus::Cancelled
    }

    /// The iTIP method of the appointment's calendar file: `CANCEL` removes a cancelled appointment from the
    /// calendars that hold it (same UID, higher SEQUENCE); otherwise `PUBLISH` adds or updates it.
    pub fn calendar_method(self) -> &'static str {
        if self == AppointmentStatus::Cancelled { "CANCEL" } else { "PUBLISH" }
    }
}

/// The longest reason for moving or cancelling an appointment.
pub const REASON_MAX: usize = 1000;

/// What happened to a standing appointment, and who did it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The caisse moved it to another slot.
    Moved,
    /// The caisse called it off.
    CancelledByCaisse,
    /// The partner asks for another date; it stands until the caisse moves it.
    AnotherDateAsked,
    /// The partner called it off (the assuré cannot come).
    DeclinedByPartner,
}

impl Change {
    /// Whether the change cancels the appointment (and frees its slot).
    pub fn cancels(self) -> bool {
        matches!(self, Change::CancelledByCaisse | Change::DeclinedByPartner)
    }

    /// Whether the change is refused once the appointment has started: the partner's changes (its outcome is then
    /// the caisse's to record), not the caisse's.
    pub fn only_before_start(self) -> bool {
        matches!(self, Change::AnotherDateAsked | Change::DeclinedByPartner)
    }

    /// The note both sides read on the appointment: "Déplacé par la caisse : {reason}".
    pub fn note(self, reason: &str) -> String {
        let what = match self {
            Change::Moved => "Déplacé par la caisse",
            Change::CancelledByCaisse => "Annulé par la caisse",
            Change::AnotherDateAsked => "Autre date demandée par la structure",
            Change::DeclinedByPartner => "Annulé par la structure",
        };
        format!("{what} : {reason}")
    }
}

/// Where the appointment takes place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// At this accueil (its id).
    Accueil(String),
    /// A call to the assuré by this agent (their account id).
    Phone(String),
}

impl Place {
    /// The key that makes a slot unique: one appointment per place and start time.
    pub fn slot_key(&self, start: NaiveDateTime) -> String {
        let place = match self {
            Place::Accueil(id) => format!("accueil:{id}"),
            Place::Phone(agent) => format!("telephone:{agent}"),
        };
        format!("{place}|{}", start.format("%Y-%m-%dT%H:%M"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 23).and_then(|d| d.and_hms_opt(hour, minute, 0)).expect("valid")
    }

    #[test]
    fn one_place_and_time_make_one_slot() {
        let massy = Place::Accueil("a1".to_owned());
        assert_eq!(massy.slot_key(at(9, 30)), massy.slot_key(at(9, 30)));
        assert_ne!(massy.slot_key(at(9, 30)), massy.slot_key(at(10, 0)));
        assert_ne!(massy.slot_key(at(9, 30)), Place::Accueil("a2".to_owned()).slot_key(at(9, 30)));
        assert_ne!(massy.slot_key(at(9, 30)), Place::Phone("a1".to_owned()).slot_key(at(9, 30)));
    }

    #[test]
    fn only_a_cancelled_appointments_calendar_file_cancels_and_only_cancellations_free_the_slot() {
        for status in AppointmentStatus::ALL {
            let expected = if status == AppointmentStatus::Cancelled { "CANCEL" } else { "PUBLISH" };
            assert_eq!(status.calendar_method(), expected);
        }
        let cancelling: Vec<Change> = [Change::Moved, Change::CancelledByCaisse, Change::AnotherDateAsked, Change::DeclinedByPartner]
            .into_iter()
            .filter(|c| c.cancels())
            .collect();
        assert_eq!(cancelling, [Change::CancelledByCaisse, Change::DeclinedByPartner]);
        assert!(Change::AnotherDateAsked.only_before_start() && Change::DeclinedByPartner.only_before_start());
        assert!(!Change::Moved.only_before_start() && !Change::CancelledByCaisse.only_before_start());
        assert_eq!(Change::DeclinedByPartner.note("hospitalisation"), "Annulé par la structure : hospitalisation");
    }

    #[test]
    fn statuses_round_trip_and_only_a_cancelled_appointment_frees_its_slot() {
        for status in AppointmentStatus::ALL {
            assert_eq!(AppointmentStatus::parse(status.code()), Ok(status));
            assert_eq!(status.holds_slot(), status != AppointmentStatus::Cancelled);
        }
        assert!(AppointmentStatus::parse("proposed").is_err());
    }
}
