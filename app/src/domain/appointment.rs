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
    fn statuses_round_trip_and_only_a_cancelled_appointment_frees_its_slot() {
        for status in AppointmentStatus::ALL {
            assert_eq!(AppointmentStatus::parse(status.code()), Ok(status));
            assert_eq!(status.holds_slot(), status != AppointmentStatus::Cancelled);
        }
        assert!(AppointmentStatus::parse("proposed").is_err());
    }
}
