//! E-mail addresses as accounts know them: trimmed, lower-cased, plausibly deliverable.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An e-mail address that passed `parse`; holding one is the proof it is well formed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Saisissez une adresse e-mail.")]
    Empty,
    #[error("L'adresse e-mail est trop longue (254 caractères au plus).")]
    TooLong,
    #[error("L'adresse e-mail « {0} » n'est pas valide : elle doit être de la forme nom@domaine.fr.")]
    Malformed(String),
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let malformed = || EmailError::Malformed(trimmed.to_owned());
        let (local, domain) = trimmed.split_once('@').ok_or_else(malformed)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local.chars().all(|c| !c.is_whitespace() && !c.is_control() && c != '@' && c != ',');
        if !(domain_ok && local_ok) {
            return Err(malformed());
        }
        Ok(EmailAddress(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_addresses_are_trimmed_and_lower_cased() {
        let table = [
            ("agent.cpam91@example.org", "agent.cpam91@example.org"),
            ("  Agent.CPAM91@Example.ORG ", "agent.cpam91@example.org"),
            ("prénom.nom@ccas-évry.fr", "prénom.nom@ccas-évry.fr"),
        ];
        for (input, expected) in table {
            assert_eq!(EmailAddress::parse(input).map(|e| e.to_string()), Ok(expected.to_owned()));
        }
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_french_reason() {
        assert_eq!(EmailAddress::parse("   "), Err(EmailError::Empty));
        for bad in ["sans-arobase.fr", "@example.org", "nom@domaine", "nom@.fr", "nom@domaine.", "a b@c.fr", "a@b..fr", "a@b@c.fr"] {
            assert!(matches!(EmailAddress::parse(bad), Err(EmailError::Malformed(_))), "{bad}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::TooLong));
        assert!(EmailAddress::parse("x@y").unwrap_err().to_string().contains("« x@y »"));
    }
}
