//! The three kinds of account and where each one lands after signing in.

use serde::{Deserialize, Serialize};

/// What an account is allowed to do, in the words of the domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Works for a partner structure (CCAS, mission locale, France services…).
    PartnerAgent,
    /// Works for a caisse and triages its incoming requests.
    CaisseAgent,
    /// Manages a caisse's structures, conventions and accounts (all caisses when national).
    Admin,
}

/// A stored role code that no `Role` matches: the database and the code disagree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rôle inconnu : « {0} »")]
pub struct UnknownRole(pub String);

impl Role {
    pub const ALL: [Role; 3] = [Role::PartnerAgent, Role::CaisseAgent, Role::Admin];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::PartnerAgent => "partner_agent",
            Role::CaisseAgent => "caisse_agent",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Result<Self, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|role| role.code() == code)
            .ok_or_else(|| UnknownRole(code.to_owned()))
    }

    /// The role as admins read it in lists and forms.
    pub fn label(self) -> &'static str {
        match self {
            Role::PartnerAgent => "Agent partenaire",
            Role::CaisseAgent => "Agent de caisse",
            Role::Admin => "Administrateur",
        }
    }

    /// The page each role starts from: its own work, not a generic dashboard.
    pub fn home(self) -> &'static str {
        match self {
            Role::PartnerAgent => "/partenaire/demandes",
            Role::CaisseAgent => "/caisse/file",
            Role::Admin => "/admin",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_code_parses_back_to_the_same_role() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Ok(role));
        }
    }

    #[test]
    fn an_unknown_code_is_refused_with_the_offending_value() {
        let err = Role::parse("superuser").unwrap_err();
        assert_eq!(err.to_string(), "rôle inconnu : « superuser »");
    }

    #[test]
    fn each_role_has_a_distinct_home() {
        let homes: std::collections::HashSet<_> = Role::ALL.iter().map(|r| r.home()).collect();
        assert_eq!(homes.len(), Role::ALL.len());
    }
}
