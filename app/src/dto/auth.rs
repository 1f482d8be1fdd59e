//! Signing in and out, and who is signed in.

use crate::domain::role::Role;
use serde::{Deserialize, Serialize};

/// What pages need to know about the signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// The caisse or the structure the person works for, as shown in the header.
    pub organisation: Option<String>,
    /// A partner agent's count of the structure's requests awaiting its answer, next to « Mes demandes ».
    pub awaiting_answer: u64,
}

/// Where the browser goes once a password was chosen: sign in, with a word about what just happened.
pub fn after_choosing(purpose: crate::domain::password_rule::LinkPurpose) -> &'static str {
    match purpose {
        crate::domain::password_rule::LinkPurpose::Reset => "/login?mot-de-passe=1",
        crate::domain::password_rule::LinkPurpose::Invitation => "/login?active=1",
    }
}
