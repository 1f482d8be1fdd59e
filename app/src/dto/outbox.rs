//! The admin's view of e-mails that did not go out: given up after too many attempts, or still failing.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndeliveredMail {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    /// "Abandonné" or "Nouvel essai prévu".
    pub state: String,
    pub attempts: i32,
    pub last_error: String,
    pub queued_at: String,
}
