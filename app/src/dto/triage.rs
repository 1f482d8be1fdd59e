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
    /// A reference or part of an assuré's name (`q`). A NIR never travels in the URL: see `nir`.
    pub search: Option<String>,
    /// Search by the NIR kept in the agent's session by the search form (`nir=1`).
    pub nir: bool,
    pub after: Option<String>,
    pub before: Option<String>,
}

impl QueueQuery {
    /// The filters from the URL's parameters: the page's and the forms' that come back to it.
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> Self {
        QueueQuery {
            kind: param("type"),
            status: param("statut"),
            assignee: param("attribution"),
            structure: param("structure"),
            team: param("equipe"),
            sort: param("tri"),
            overdue: param("retard").is_some(),
            search: param("q"),
            nir: param("nir").as_deref() == Some("1"),
            after: param("apres"),
            before: param("avant"),
        }
    }

    /// The queue with these filters: `/caisse/file?…`.
    pub fn href(&self) -> String {
        super::common::href_with_query("/caisse/file", &self.params())
    }

    /// Every request these filters keep (not one page), as a file: `/caisse/file.{extension}?…`.
    pub fn download_href(&self, extension: &str) -> String {
        let whole = QueueQuery { after: None, before: None, ..self.clone() };
        super::common::href_with_query(&format!("/caisse/file.{extension}"), &whole.params())
    }

    /// The URL parameters of these filters, the inverse of [`Self::from_params`] (the link builder leaves out the
    /// empty ones).
    pub fn params(&self) -> [(&'static str, Option<String>); 11] {
        [
            ("type", self.kind.clone()),
            ("statut", self.status.clone()),
            ("attribution", self.assignee.clone()),
            ("structure", self.structure.clone()),
            ("equipe", self.team.clone()),
            ("tri", self.sort.clone()),
            ("retard", self.overdue.then(|| "oui".to_owned())),
            ("q", self.search.clone()),
            ("nir", self.nir.then(|| "1".to_owned())),
            ("apres", self.after.clone()),
            ("avant", self.before.clone()),
        ]
    }
}

/// What the queue's search box shows again: what was typed when it was refused, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchReturn {
    pub typed: String,
    pub problem: String,
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
    /// The NIR being searched, masked (the search by NIR is on).
    pub nir_search: Option<String>,
    /// A search the form refused (a mistyped NIR), shown once under the field.
    pub search_return: Option<SearchReturn>,
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
    /// The action's message as typed, when the action came back (refused, or sent as the session ended).
    pub action_draft: String,
}

/// A place an appointment can be booked at, with its opening hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceChoice {
    pub id: String,
    pub label: String,
    pub hours: Vec<String>,
}
