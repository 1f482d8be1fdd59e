//! The partner's requests: the submission forms' context, the history, a request's detail and withdrawal.
//! (Submissions and replies carry files, so they post to plain axum routes: see `server/src/routes`.)

use crate::domain::field_error::FieldError;
use crate::domain::form_values::FormValues;
use crate::domain::request_kind::RequestKind;
use crate::dto::error::AppError;
use serde::{Deserialize, Serialize};

/// A file already received and kept while the form is corrected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptFile {
    pub id: String,
    pub name: String,
    pub size: String,
}

/// An open request of the same kind for the same assuré, shown before creating another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PossibleDuplicate {
    pub reference: String,
    pub status: String,
    pub created_at: String,
}

/// What a form that came back needs to show again: what was typed, what is wrong, what was kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormReturn {
    pub values: FormValues,
    pub issues: Vec<FieldError>,
    pub kept_files: Vec<KeptFile>,
    pub duplicates: Vec<PossibleDuplicate>,
    /// A problem that is not about one field (e.g. the convention was suspended meanwhile).
    pub problem: Option<String>,
}

impl FormReturn {
    pub fn as_error(&self) -> Option<AppError> {
        if let Some(problem) = &self.problem {
            return Some(AppError::Conflict(problem.clone()));
        }
        (!self.issues.is_empty()).then(|| {
            AppError::Validation(
                self.issues.iter().map(|i| super::error::FieldError { field: i.field.clone(), message: i.message.clone() }).collect(),
            )
        })
    }
}

/// An accueil of the caisse where an assuré can be received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccueilChoice {
    pub id: String,
    pub label: String,
}

/// Everything a submission page needs before the person types.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionPage {
    pub kind: RequestKind,
    pub caisse_name: String,
    /// Why the agent cannot submit today (and whom to contact); `None` when they can.
    pub blocked: Option<String>,
    /// « Délai habituel de réponse : 2 jours ouvrés (…) », from the caisse's recent first answers to this kind.
    pub usual_delay: Option<String>,
    pub accueils: Vec<AccueilChoice>,
    pub max_files: usize,
    pub max_mb: u64,
    /// The form as it came back from a refused submission, once.
    pub returned: Option<FormReturn>,
}

/// The filters of the history, as they appear in its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryQuery {
    /// A `RequestKind` code.
    pub kind: Option<String>,
    /// A `Status` code, or "open" / "closed".
    pub status: Option<String>,
    /// Only the requests the signed-in agent wrote or follows.
    pub mine: bool,
    /// Created on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Created on or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// A reference (EP-2026-000123) or part of the assuré's name.
    pub search: Option<String>,
    /// Keyset cursors: the page after / before this request id.
    pub after: Option<String>,
    pub before: Option<String>,
}

impl HistoryQuery {
    /// The filters from the URL's parameters (`type`, `statut`, `auteur=moi`, `du`, `au`, `q`, `apres`, `avant`): the
    /// page's and its CSV export's.
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> Self {
        HistoryQuery {
            kind: param("type"),
            status: param("statut"),
            mine: param("auteur").as_deref() == Some("moi"),
            from: param("du"),
            to: param("au"),
            search: param("q"),
            after: param("apres"),
            before: param("avant"),
        }
    }

    /// The URL parameters of these filters (empty ones left out by the link builder), the inverse of [`Self::from_params`].
    pub fn params(&self) -> [(&'static str, Option<String>); 8] {
        [
            ("type", self.kind.clone()),
            ("statut", self.status.clone()),
            ("du", self.from.clone()),
            ("au", self.to.clone()),
            ("q", self.search.clone()),
            ("apres", self.after.clone()),
            ("avant", self.before.clone()),
            ("auteur", self.mine.then(|| "moi".to_owned())),
        ]
    }

    /// Whether any filter narrows the list (the cursors aside): the page then offers to clear them.
    pub fn is_filtered(&self) -> bool {
        let set = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
        self.mine || [&self.kind, &self.status, &self.from, &self.to, &self.search].into_iter().any(set)
    }

    /// The period of the filters (`du`, `au`), read by the one rule for typed periods; its problems name their field.
    pub fn period(&self) -> Result<crate::domain::period::Period, Vec<crate::domain::field_error::FieldError>> {
        crate::domain::period::Period::parse(self.from.as_deref().unwrap_or(""), self.to.as_deref().unwrap_or(""))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    pub reference: String,
    pub kind: String,
    pub subject: String,
    /// "LEFÈVRE Élodie · NIR 2 84 •• •• ••• ••• 93", or empty.
    pub beneficiary: String,
    pub status_code: String,
    pub status: String,
    pub created_at: String,
    pub author: String,
}

/// A request waiting for the structure's answer, with what the caisse asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToDoRow {
    pub reference: String,
    pub kind: String,
    pub subject: String,
    /// As in [`RequestRow::beneficiary`].
    pub beneficiary: String,
    /// The caisse's latest message to the structure (empty if it wrote none).
    pub question: String,
    pub asked_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub rows: Vec<RequestRow>,
    /// Cursors for the next (older) and previous (newer) pages.
    pub next: Option<String>,
    pub previous: Option<String>,
    /// Filters that could not be read, in French (the rest still apply).
    pub notices: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentLine {
    pub id: String,
    pub name: String,
    pub size: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    pub label: String,
    pub actor: String,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageLine {
    pub at: String,
    pub author: String,
    pub from_caisse: bool,
    pub body: String,
    pub attachments: Vec<AttachmentLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeneficiaryView {
    pub name: String,
    pub birth_date: String,
    /// Masked: sex, year and key only.
    pub nir: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub consent: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub reference: String,
    /// The appointments booked by the caisse, the latest first.
    pub appointments: Vec<AppointmentLine>,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub status_code: String,
    pub status: String,
    pub created_at: String,
    pub author: String,
    pub caisse_name: String,
    pub beneficiary: Option<BeneficiaryView>,
    pub answers: Vec<(String, String)>,
    pub attachments: Vec<AttachmentLine>,
    pub timeline: Vec<TimelineEntry>,
    pub messages: Vec<MessageLine>,
    /// "Réponse attendue au plus tard le 25/11/2026", while the caisse has the request in hand.
    pub expected_by: Option<String>,
    pub can_withdraw: bool,
    pub can_reply: bool,
    /// An appointment is to come: the partner may ask another date or call it off.
    pub can_change_appointment: bool,
    /// The caisse asked for more: the reply sends the request back to it.
    pub awaiting_partner: bool,
    pub max_files: usize,
    pub max_mb: u64,
    /// The reply form as it came back from a refused reply, once.
    pub returned_reply: Option<FormReturn>,
    pub following: Following,
}

/// Where the signed-in agent stands towards a request's e-mails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// They wrote it: they always hear about it.
    Author,
    Following,
    NotFollowing,
}

/// Who, on the structure's side, hears by e-mail about what the caisse does on a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Following {
    pub me: Standing,
    /// The other colleagues who follow it, by name.
    pub others: Vec<String>,
}

/// An appointment as both sides read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentLine {
    pub id: String,
    /// "lundi 23/11/2026 à 10:30".
    pub when: String,
    /// The accueil's name, or "Par téléphone".
    pub place: String,
    /// The accueil's address, for an appointment there.
    pub address: Option<String>,
    pub status: String,
    /// Confirmed: the partner can add it to a calendar.
    pub confirmed: bool,
    /// Cancelled: its calendar file removes it from a calendar.
    pub cancelled: bool,
    /// Confirmed and still to come: the partner can ask for another date or cancel it.
    pub upcoming: bool,
    /// The last change ("Déplacé par la caisse : motif").
    pub change_note: Option<String>,
    pub instructions: String,
}
