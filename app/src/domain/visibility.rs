//! Who may see a request, one rule for every read, list, download and action: a partner agent sees their
//! structure's requests, a caisse agent their caisse's, and nobody else any (an admin manages people and
//! conventions, never an assuré's file). A request someone may not see is, for them, a request that does not exist.

use super::role::Role;

/// What a person can see of the requests, from their role and where they work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sight<'a> {
    /// The requests sent by this structure.
    Structure(&'a str),
    /// The requests addressed to this caisse.
    Caisse(&'a str),
    /// None at all.
    Nothing,
}

/// The sight of a person of `role` working for `structure_id` (partners) or `caisse_id` (caisse agents).
pub fn sight<'a>(role: Role, structure_id: Option<&'a str>, caisse_id: Option<&'a str>) -> Sight<'a> {
    match (role, structure_id, caisse_id) {
        (Role::PartnerAgent, Some(structure), _) => Sight::Structure(structure),
        (Role::CaisseAgent, _, Some(caisse)) => Sight::Caisse(caisse),
        _ => Sight::Nothing,
    }
}

impl Sight<'_> {
    /// Whether a request sent by `structure_id` to `caisse_id` is in sight.
    pub fn sees(self, structure_id: &str, caisse_id: &str) -> bool {
        match self {
            Sight::Structure(own) => own == structure_id,
            Sight::Caisse(own) => own == caisse_id,
            Sight::Nothing => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_only_its_own_side_of_the_requests() {
        // A request sent by structure S1 to caisse C1.
        for (role, structure, caisse, sees, case) in [
            (Role::PartnerAgent, Some("S1"), Some("C1"), true, "a partner of the structure"),
            (Role::PartnerAgent, Some("S2"), Some("C1"), false, "a partner of another structure of the same caisse"),
            (Role::PartnerAgent, None, Some("C1"), false, "a partner account without structure"),
            (Role::CaisseAgent, None, Some("C1"), true, "an agent of the caisse"),
            (Role::CaisseAgent, None, Some("C2"), false, "an agent of another caisse"),
            (Role::CaisseAgent, Some("S1"), None, false, "an agent without caisse, whatever else is set"),
            (Role::Admin, None, Some("C1"), false, "an admin of the caisse"),
            (Role::Admin, None, None, false, "a national admin"),
        ] {
            assert_eq!(sight(role, structure, caisse).sees("S1", "C1"), sees, "{case}");
        }
    }
}
