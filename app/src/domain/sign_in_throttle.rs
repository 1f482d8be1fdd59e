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

/// Failures counted within the window, by the caller, for this attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecentFailures {
    pub for_account: u64,
    pub from_ip: u64,
}

impl ThrottlePolicy {
    /// Whether a new attempt may even be checked: once a limit is reached, the password is not tried,
    /// so guessing stops being useful however the guesses are spread.
    pub fn allows(&self, recent: RecentFailures) -> bool {
        recent.for_account < self.max_failures_per_account && recent.from_ip < self.max_failures_per_ip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_allowed_until_either_limit_is_reached() {
        let policy = ThrottlePolicy { window_minutes: 15, max_failures_per_account: 5, max_failures_per_ip: 20 };
        let table = [
            (0, 0, true),
            (4, 19, true),
            (5, 0, false),
            (0, 20, false),
            (9, 30, false),
        ];
        for (for_account, from_ip, allowed) in table {
            assert_eq!(policy.allows(RecentFailures { for_account, from_ip }), allowed, "{for_account}/{from_ip}");
        }
    }
}
