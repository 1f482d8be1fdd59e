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
        // Checked as stored: lower-casing may lengthen the text or change its characters (`İ` becomes `i` and a
        // combining dot), and what is stored must parse again to itself.
        let address = trimmed.to_lowercase();
        if address.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let malformed = || EmailError::Malformed(trimmed.to_owned());
        let (local, domain) = address.split_once('@').ok_or_else(malformed)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty() && local.len() <= 64 && local.chars().all(|c| !c.is_whitespace() && !c.is_control() && c != '@' && c != ',');
        if !(domain_ok && local_ok) {
            return Err(malformed());
        }
        Ok(EmailAddress(address))
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
        assert!(EmailAddress::parse("x@y").expect_err("refused").to_string().contains("« x@y »"));
    }

    #[test]
    fn what_is_stored_is_checked_after_lower_casing_so_it_parses_again() {
        // `İ` lower-cases to `i` and a combining dot, which a domain may not hold: refused, rather than stored
        // as an address that its own parser would then refuse.
        assert_eq!(EmailAddress::parse("nom@İzmir.tr"), Err(EmailError::Malformed("nom@İzmir.tr".into())));
        let stored = EmailAddress::parse("İnci@example.org").expect("a local part may hold it");
        assert_eq!(stored.as_str(), "i\u{307}nci@example.org");
        assert_eq!(EmailAddress::parse(stored.as_str()), Ok(stored.clone()));
        // 30 `İ` are 60 bytes as typed (a local part holds 64) but 90 once lower-cased.
        let long = format!("{}@example.org", "İ".repeat(30));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::Malformed(long.clone())));
    }

    mod properties {
        //! Properties of `EmailAddress::parse` over arbitrary and generated text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_text_gets_an_answer_and_what_passes_reads_back(input in any_text()) {
                match EmailAddress::parse(&input) {
                    Ok(email) => {
                        prop_assert_eq!(email.as_str().matches('@').count(), 1);
                        prop_assert!(email.as_str().len() <= 254);
                        prop_assert_eq!(EmailAddress::parse(email.as_str()), Ok(email.clone()));
                    }
                    Err(EmailError::Malformed(shown)) => prop_assert_eq!(shown, input.trim()),
                    Err(EmailError::Empty) => prop_assert!(input.trim().is_empty()),
                    Err(EmailError::TooLong) => prop_assert!(input.trim().to_lowercase().len() > 254),
                }
            }

            #[test]
            fn address_shaped_text_with_an_odd_character_never_panics(
                input in shaped_with_one_odd_char("[A-Za-z0-9._+-]{1,20}@[a-z0-9-]{1,12}\\.[a-z]{2,4}"),
            ) {
                if let Ok(email) = EmailAddress::parse(&input) {
                    prop_assert_eq!(EmailAddress::parse(&email.to_string()), Ok(email));
                }
            }

            #[test]
            fn a_plain_address_is_accepted_lower_cased(
                local in "[A-Za-z0-9_%+-]{1,10}(\\.[A-Za-z0-9_%+-]{1,10}){0,2}",
                domain in "[A-Za-z0-9-]{1,15}(\\.[A-Za-z0-9-]{1,10}){1,3}",
                padding in "[ \t]{0,3}",
            ) {
                let typed = format!("{padding}{local}@{domain}{padding}");
                let expected = format!("{local}@{domain}").to_lowercase();
                prop_assert_eq!(EmailAddress::parse(&typed).map(|e| e.to_string()), Ok(expected));
            }
        }
    }
}
