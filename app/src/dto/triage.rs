//! The caisse agent's triage: the queue of the caisse's requests, a request with what can be done on it, the
//! lifecycle actions, replies and internal notes, and revealing a NIR in full (audited).

use super::common::Choice;
use super::requests::{AppointmentLine, AttachmentLine, BeneficiaryView, TimelineEntry};
use serde::{Deserialize, Serialize};

/// The queue's filters, as they appear in its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    /// A `RequestKind` code.
    pub kind: Option<String>,
    /// A status code, "open" (the default) or "all".
    pub status: Option<String>,
    /// "me", "none" (unassigned), or anyone when absent.
    pub assignee: Option<String>,
    /// A partner structure id.
    pub structure: Option<String>,
    /// A team id, or "mine" (the agent's own team).
    pub team: Option<String>,
    /// "recentes" (newest first, the default), "anciennes" (oldest first) or "echeance" (soonest due first).
    pub sort: Option<String>,
    /// Only requests past their due date.
    pub overdue: bool,
    pub after: Option<String>,
    pub before: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    pub code: String,
    pub label: String,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub reference: String,
    pub kind: String,
    pub structure: String,
    pub beneficiary: String,
    pub status_code: String,
    pub status: String,
    pub created_at: String,
    pub assignee: Option<String>,
    pub team: Option<String>,
    /// The due date and where it stands ("En retard", "À traiter aujourd'hui", "Dans les délais"), while the caisse has it.
    pub due: Option<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub caisse_name: String,
    /// The open requests of the caisse by status (the backlog), whatever the filters.
    pub counts: Vec<StatusCount>,
    pub rows: Vec<QueueRow>,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub structures: Vec<Choice>,
    pub teams: Vec<Choice>,
    /// Colleagues requests can be handed to in bulk.
    pub agents: Vec<Choice>,
    /// The agent has a team (so "my team" means something).
    pub has_team: bool,
    /// What the last bulk action did, shown once.
    pub bulk_result: Option<BulkResult>,
}

/// The outcome of a bulk action on the queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResult {
    /// References changed.
    pub done: Vec<String>,
    /// References left as they were, with the reason.
    pub refused: Vec<(String, String)>,
    /// Why nothing was tried (no request ticked…).
    pub problem: Option<String>,
}

/// A message as the caisse sees it: shared with the partner, or an internal note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadLine {
    pub at: String,
    pub author: String,
    pub from_caisse: bool,
    pub internal: bool,
    pub body: String,
    pub attachments: Vec<AttachmentLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaisseRequest {
    pub reference: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub status_code: String,
    pub status: String,
    pub created_at: String,
    pub due: Option<(String, String)>,
    pub structure: String,
    pub author: String,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub beneficiary: Option<BeneficiaryView>,
    pub has_nir: bool,
    pub answers: Vec<(String, String)>,
    pub attachments: Vec<AttachmentLine>,
    pub timeline: Vec<TimelineEntry>,
    pub thread: Vec<ThreadLine>,
    /// The lifecycle actions allowed now (codes of `TriageAction`).
    pub actions: Vec<String>,
    /// Colleagues the request can be assigned to.
    pub agents: Vec<Choice>,
    /// Teams the request can be handed to.
    pub teams: Vec<Choice>,
    /// Where an appointment can take place: the caisse's accueils, then the telephone.
    pub places: Vec<PlaceChoice>,
    pub appointments: Vec<AppointmentLine>,
    pub can_reply: bool,
    /// The caisse's canned replies (id, title).
    pub canned_replies: Vec<Choice>,
    /// The reply form's text, pre-filled from the chosen canned reply.
    pub reply_draft: String,
}

/// A place an appointment can be booked at, with its opening hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceChoice {
    pub id: String,
    pub label: String,
    pub hours: Vec<String>,
}
