//! What an admin reviews about accounts: those unused for six months, and the state an invited account is in.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// An account unused for this long is flagged for review (deactivate it if the person has left).
pub const DORMANT_AFTER: Duration = Duration::days(183);

/// Where an account stands, as the admin's lists show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountState {
    /// Invited; no password chosen yet.
    Invited,
    Active,
    /// Active, but nobody signed in with it for six months (or since it was activated, if longer ago).
    Dormant,
    Deactivated,
}

impl AccountState {
    /// `last_use` is the last sign-in, else the account's creation.
    pub fn of(active: bool, has_password: bool, last_use: DateTime<Utc>, now: DateTime<Utc>) -> AccountState {
        match (active, has_password) {
            (false, _) => AccountState::Deactivated,
            (true, false) => AccountState::Invited,
            (true, true) if now - last_use >= DORMANT_AFTER => AccountState::Dormant,
            (true, true) => AccountState::Active,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AccountState::Invited => "Invitation envoyée",
            AccountState::Active => "Actif",
            AccountState::Dormant => "Inutilisé depuis 6 mois",
            AccountState::Deactivated => "Désactivé",
        }
    }

    /// The badge's CSS modifier.
    pub fn code(self) -> &'static str {
        match self {
            AccountState::Invited => "invited",
            AccountState::Active => "active",
            AccountState::Dormant => "dormant",
            AccountState::Deactivated => "deactivated",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_unused_for_six_months_are_flagged() {
        let now = DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z").map(|d| d.with_timezone(&Utc)).expect("a valid date");
        let table = [
            (true, true, now - Duration::days(10), AccountState::Active),
            (true, true, now - Duration::days(182), AccountState::Active),
            (true, true, now - Duration::days(183), AccountState::Dormant),
            (true, false, now - Duration::days(400), AccountState::Invited),
            (false, true, now - Duration::days(400), AccountState::Deactivated),
            (false, false, now, AccountState::Deactivated),
        ];
        for (active, has_password, last_use, expected) in table {
            assert_eq!(AccountState::of(active, has_password, last_use, now), expected, "{active} {has_password} {last_use}");
        }
    }
}
