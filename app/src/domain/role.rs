//! The three kinds of account and where each one lands after signing in.

use super::coded::coded;

coded!(
    /// What an account is allowed to do, in the words of the domain.
    Role {
        /// Works for a partner structure (CCAS, mission locale, France services…).
        PartnerAgent => "partner_agent", "Agent partenaire",
        /// Works for a caisse and triages its incoming requests.
        CaisseAgent => "caisse_agent", "Agent de caisse",
        /// Manages a caisse's structures, conventions and accounts (all caisses when national).
        Admin => "admin", "Administrateur",
    }
);

impl Role {
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
        let err = Role::parse("superuser").expect_err("refused");
        assert_eq!(err.to_string(), "code inconnu : « superuser »");
    }

    #[test]
    fn each_role_has_a_distinct_home() {
        let homes: std::collections::HashSet<_> = Role::ALL.iter().map(|r| r.home()).collect();
        assert_eq!(homes.len(), Role::ALL.len());
    }
}
