//! How many failed sign-ins an account, or an address, may pile up before it has to wait.

/// Limits on failed sign-ins within a sliding window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Length of the sliding window, in minutes.
    pub window_minutes: i64,
    /// Failures allowed per account (whatever the address they come from).
    pub max_failures_per_account: u64,
    /// Failures allowed per client address (whatever the account tried).
    pub max_failures_per_ip: u64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy { window_minutes: 15, max_failures_per_account: 5, max_failures_per_ip: 20 }
    }
}

/// Attempts counted within the window by the caller, the one being decided included: the failures, and the
/// attempts reserved but not yet verified (see `server::auth::sign_in`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttemptsInWindow {
    pub for_account: u64,
    pub from_ip: u64,
}

impl ThrottlePolicy {
    /// Whether this attempt may even be checked: once a limit is reached, the password is not tried, so guessing
    /// stops being useful however the guesses are spread — or bunched: with the attempt itself counted, at most
    /// the limit's number of attempts are ever verified within the window.
    pub fn allows(&self, counted: AttemptsInWindow) -> bool {
        counted.for_account <= self.max_failures_per_account && counted.from_ip <= self.max_failures_per_ip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_allowed_until_either_limit_is_reached() {
        let policy = ThrottlePolicy { window_minutes: 15, max_failures_per_account: 5, max_failures_per_ip: 20 };
        // Counts include the attempt being decided: the fifth is tried, the sixth is not.
        let table = [(1, 1, true), (5, 20, true), (6, 1, false), (1, 21, false), (9, 30, false)];
        for (for_account, from_ip, allowed) in table {
            assert_eq!(policy.allows(AttemptsInWindow { for_account, from_ip }), allowed, "{for_account}/{from_ip}");
        }
    }
}
