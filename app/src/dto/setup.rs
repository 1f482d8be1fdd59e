//! What a caisse sets up for its own work: canned replies (caisse agents, `/caisse/reponses-types`) and the
//! answer budget per kind of request (admins, `/admin/delais`). Without JavaScript each form posts here and the
//! browser is sent back to its page, with a notice, or with the error and what was typed.

use serde::{Deserialize, Serialize};

/// One canned reply, or what was typed in its form (`id` empty for a new one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedReplyLine {
    pub id: String,
    pub title: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedRepliesPage {
    pub caisse_name: String,
    /// By title.
    pub replies: Vec<CannedReplyLine>,
    /// The form that came back with errors when JavaScript was off, to show again as it was typed.
    pub returned: Option<CannedReplyLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// A `RequestKind` code: also the form field's name.
    pub kind: String,
    pub label: String,
    /// The budget in business days, as stored or as typed in a form that came back with errors.
    pub days: String,
    pub default_days: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDatesPage {
    pub caisse_name: String,
    /// One per kind of request, in `RequestKind::ALL` order.
    pub budgets: Vec<BudgetLine>,
    pub max_days: u32,
}
