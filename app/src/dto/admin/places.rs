//! The caisse's accueils (`/admin/accueils`) and teams (`/admin/equipes`), as its admins set them up. Without
//! JavaScript each form posts here and the browser goes back to its page, with a notice, or with the error and
//! what was typed.

use crate::dto::common::Choice;
use serde::{Deserialize, Serialize};

/// An accueil's form: as stored, or as typed in a form that came back with errors (`id` empty for a new one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccueilForm {
    pub id: String,
    /// The caisse a national admin adds the accueil to.
    pub caisse: String,
    pub name: String,
    pub address: String,
    pub postal_code: String,
    pub commune: String,
    pub phone: String,
    /// One day per field, Monday first, as typed (`08:30-12:00, 13:30-16:30`).
    pub hours: Vec<String>,
}

impl AccueilForm {
    /// The typed hours of the `index`th weekday (Monday = 0).
    pub fn day(&self, index: usize) -> String {
        self.hours.get(index).cloned().unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccueilRow {
    pub id: String,
    pub name: String,
    /// "1 avenue du Noyer Lambert, 91300 Massy".
    pub address: String,
    pub phone: Option<String>,
    /// One line per open day ("Lundi : 08h30–12h00, 13h30–16h30").
    pub hours: Vec<String>,
    pub active: bool,
    /// The caisse's name, for a national admin.
    pub caisse: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccueilsPage {
    /// "CPAM de l'Essonne", or "toutes les caisses".
    pub scope: String,
    /// Active ones first, then by name.
    pub rows: Vec<AccueilRow>,
    /// The caisses a national admin picks from when adding (empty for an admin of one caisse).
    pub caisses: Vec<Choice>,
    /// The new accueil's form as it came back with errors (JavaScript off).
    pub returned: Option<AccueilForm>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccueilEditPage {
    pub caisse_name: String,
    pub active: bool,
    /// As stored, or as typed when it came back with errors.
    pub form: AccueilForm,
}

/// A team's form: as stored, or as typed (`id` empty for a new one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamForm {
    pub id: String,
    pub caisse: String,
    pub name: String,
    /// The ticked `RequestKind` codes.
    pub kinds: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
    /// The kinds of request routed to it, as labels.
    pub kinds: Vec<String>,
    /// Accounts attached to it (deactivated ones included).
    pub agents: u64,
    /// Requests still open that it holds.
    pub open_requests: u64,
    pub caisse: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamsPage {
    pub scope: String,
    /// By caisse, then name.
    pub rows: Vec<TeamRow>,
    pub caisses: Vec<Choice>,
    /// For an admin of one caisse: the kinds no team receives (those requests stay with the whole caisse).
    pub unrouted: Vec<String>,
    pub returned: Option<TeamForm>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamEditPage {
    pub caisse_name: String,
    pub form: TeamForm,
    pub agents: u64,
    pub open_requests: u64,
}
