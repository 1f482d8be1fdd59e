//! The person's own security page (`/compte/securite`): open sessions and the second factor.

use serde::{Deserialize, Serialize};

/// One open session of the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionLine {
    /// Names the session on the page (a digest of its id, never the id itself).
    pub handle: String,
    /// The session this page is read in.
    pub current: bool,
    /// « Firefox sous Windows ».
    pub browser: String,
    /// « 192.168.10.x ».
    pub address: String,
    pub started: String,
    pub last_seen: String,
}

/// A session kept alive: how long it now lasts without activity, and until when as « 14:35 » (Paris time). The page
/// counts from its own clock with the duration, so a computer whose clock is off still warns on time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptSession {
    pub remaining_seconds: i64,
    pub until: String,
}

/// What the security page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityOverview {
    pub sessions: Vec<SessionLine>,
    /// When the second factor was enrolled (`None`: not yet, or the demo goes without).
    pub enrolled_since: Option<String>,
    pub recovery_codes_left: u64,
}
