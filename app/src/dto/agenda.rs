//! The caisse's agenda: a day's (or a week's) slots at one place — an accueil, or the agent's own telephone
//! line — booked or free, and the agent's own coming appointments.

use super::common::{Choice, href_with_query};
use serde::{Deserialize, Serialize};

/// The agenda's choices, as they appear in its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgendaQuery {
    /// An accueil's id, or "telephone" (`lieu`).
    pub place: Option<String>,
    /// YYYY-MM-DD (`jour`); today when absent.
    pub day: Option<String>,
    /// The week of that day, Monday to Sunday (`vue=semaine`).
    pub week: bool,
}

impl AgendaQuery {
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> Self {
        AgendaQuery { place: param("lieu"), day: param("jour"), week: param("vue").as_deref() == Some("semaine") }
    }

    /// `/caisse/agenda?…`.
    pub fn href(&self) -> String {
        href_with_query(
            "/caisse/agenda",
            &[("lieu", self.place.clone()), ("jour", self.day.clone()), ("vue", self.week.then(|| "semaine".to_owned()))],
        )
    }
}

/// A booked slot: the request it is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaBooking {
    pub reference: String,
    pub kind: String,
    pub structure: String,
    pub status: String,
}

/// One slot of the grid (or an appointment outside it, booked before the hours changed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaSlot {
    /// "09:30".
    pub time: String,
    pub booking: Option<AgendaBooking>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaDay {
    /// "lundi 07/12/2026".
    pub label: String,
    /// YYYY-MM-DD, for links.
    pub iso: String,
    pub slots: Vec<AgendaSlot>,
}

/// One of the agent's own coming appointments (their requests'), wherever it takes place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnAppointment {
    /// "lundi 07/12/2026 à 09:30".
    pub when: String,
    pub place: String,
    pub reference: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaPage {
    /// The caisse's active accueils, then the telephone.
    pub places: Vec<Choice>,
    pub place: String,
    pub place_label: String,
    /// The day asked for (YYYY-MM-DD), and the day (or week) before and after.
    pub day: String,
    pub previous: String,
    pub next: String,
    pub week: bool,
    pub days: Vec<AgendaDay>,
    pub own: Vec<OwnAppointment>,
    /// A place or a day that could not be read (the default was shown instead), by field.
    pub problems: Vec<crate::domain::field_error::FieldError>,
}
