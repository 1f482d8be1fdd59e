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
    /// How long the session lasts without further activity (seconds), and until when as « 14:35 », Paris time.
    pub idle_remaining: i64,
    pub idle_deadline_shown: String,
}

/// The enrolment page's content: the QR code (inline SVG drawn on the server), the same key in groups of four for
/// typing, and the account it is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub qr_svg: String,
    pub key: String,
    pub email: String,
}

/// Recovery codes shown once, and where the person goes once they noted them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshCodes {
    pub codes: Vec<String>,
    pub next: String,
}

/// Where the browser goes once a password was chosen: sign in, with a word about what just happened.
pub fn after_choosing(purpose: crate::domain::password_rule::LinkPurpose) -> &'static str {
    match purpose {
        crate::domain::password_rule::LinkPurpose::Reset => "/login?mot-de-passe=1",
        crate::domain::password_rule::LinkPurpose::Invitation => "/login?active=1",
    }
}
