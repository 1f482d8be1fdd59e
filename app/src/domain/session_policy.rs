//! How long a signed-in session lives: an idle limit and an absolute one.

use chrono::{DateTime, Duration, Utc};

/// The absolute limit when `SESSION_ABSOLUTE_HOURS` is unset: a working day and its overtime, so that nobody signs in
/// twice in a day, while a cookie taken from a browser is good for half a day at most (the ASVS 7.3.2 decision).
pub const DEFAULT_ABSOLUTE_HOURS: i64 = 12;

/// Session lifetimes; the idle limit is enforced by the session layer, the absolute one by this rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle: Duration::minutes(30), absolute: Duration::hours(DEFAULT_ABSOLUTE_HOURS) }
    }
}

impl SessionPolicy {
    /// A session started at `started_at` is over at `now` once the absolute limit has passed,
    /// however active it stayed: a stolen cookie cannot be kept alive forever.
    pub fn outlived(&self, started_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now - started_at >= self.absolute
    }

    /// When a session last seen at `seen` ends for want of activity.
    pub fn idle_deadline(&self, seen: DateTime<Utc>) -> DateTime<Utc> {
        seen + self.idle
    }

    /// How long before the idle deadline the page offers to stay signed in (RGAA 13.1: time to react).
    pub const WARNING: Duration = Duration::minutes(2);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_session_ends_at_its_absolute_limit_even_when_active() {
        let policy = SessionPolicy { idle: Duration::minutes(30), absolute: Duration::hours(10) };
        let start = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
        assert!(!policy.outlived(start, start));
        assert!(!policy.outlived(start, start + Duration::hours(9) + Duration::minutes(59)));
        assert!(policy.outlived(start, start + Duration::hours(10)));
        assert!(policy.outlived(start, start + Duration::days(3)));
    }
}
