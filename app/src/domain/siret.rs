//! SIRET numbers of partner structures: 14 digits with a Luhn check; La Poste's establishments
//! (SIREN 356 000 000) may instead have digits adding up to a multiple of 5.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Siret(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiretError {
    #[error("Le SIRET doit comporter 14 chiffres ; {0} saisi(s).")]
    WrongLength(usize),
    #[error("Le SIRET ne peut contenir que des chiffres.")]
    NotDigits,
    #[error("Le SIRET « {0} » n'est pas valide : vérifiez les chiffres saisis.")]
    Checksum(String),
}

const LA_POSTE_SIREN: &str = "356000000";

impl Siret {
    /// Accepts spaces between groups ("262 910 026 00011").
    pub fn parse(input: &str) -> Result<Self, SiretError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(SiretError::NotDigits);
        }
        if compact.len() != 14 {
            return Err(SiretError::WrongLength(compact.len()));
        }
        let digits: Vec<u32> = compact.chars().filter_map(|c| c.to_digit(10)).collect();
        // La Poste's head office passes Luhn; its other establishments follow the digit-sum rule.
        let valid = luhn(&digits) || (compact.starts_with(LA_POSTE_SIREN) && digits.iter().sum::<u32>() % 5 == 0);
        if valid { Ok(Siret(compact)) } else { Err(SiretError::Checksum(compact)) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SIREN (the company) is the first 9 digits.
    pub fn siren(&self) -> &str {
        &self.0[..9]
    }
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits.iter().rev().enumerate().map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }).sum();
    sum.is_multiple_of(10)
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        write!(f, "{} {} {} {}", &s[0..3], &s[3..6], &s[6..9], &s[9..14])
    }
}

impl fmt::Debug for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Siret({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_sirets_pass_luhn_or_la_postes_rule() {
        for input in ["26910026800011", "269 100 268 00011", "77590345600025", "35600000000048", "35600000049837"] {
            assert!(Siret::parse(input).is_ok(), "{input}");
        }
        assert_eq!(Siret::parse("26910026800011").map(|s| s.to_string()), Ok("269 100 268 00011".to_owned()));
        assert_eq!(Siret::parse("26910026800011").map(|s| s.siren().to_owned()), Ok("269100268".to_owned()));
    }

    #[test]
    fn invalid_sirets_are_refused_with_the_reason() {
        assert_eq!(Siret::parse("2691002680001"), Err(SiretError::WrongLength(13)));
        assert_eq!(Siret::parse("2691002680001A"), Err(SiretError::NotDigits));
        assert_eq!(Siret::parse("26910026800012"), Err(SiretError::Checksum("26910026800012".into())));
        // La Poste: neither Luhn nor a digit sum that is a multiple of 5.
        assert_eq!(Siret::parse("35600000049838"), Err(SiretError::Checksum("35600000049838".into())));
    }

    #[test]
    fn multibyte_input_is_refused_with_a_french_message() {
        for input in ["2691002680001é", "２６９１００２６８０００１１", "269 100 268 €€€€€"] {
            assert_eq!(Siret::parse(input), Err(SiretError::NotDigits), "{input:?}");
        }
        assert_eq!(SiretError::NotDigits.to_string(), "Le SIRET ne peut contenir que des chiffres.");
    }

    mod properties {
        //! Properties of `Siret::parse` over arbitrary and generated text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use proptest::prelude::*;

        /// 13 digits and the Luhn check digit that completes them (computed here, not with the module's `luhn`).
        fn luhn_valid() -> impl Strategy<Value = String> {
            proptest::collection::vec(0u32..10, 13).prop_map(|digits| {
                // In the full number the check digit is rightmost, so the prefix's rightmost digit is doubled.
                let sum: u32 = digits.iter().rev().enumerate().map(|(i, &d)| if i % 2 == 0 { (d * 2) / 10 + (d * 2) % 10 } else { d }).sum();
                let check = (10 - sum % 10) % 10;
                digits.iter().chain([check].iter()).map(|d| char::from_digit(*d, 10).expect("a digit")).collect()
            })
        }

        proptest! {
            #[test]
            fn any_text_gets_an_answer_and_what_passes_reads_back(input in any_text()) {
                match Siret::parse(&input) {
                    Ok(siret) => {
                        prop_assert!(siret.as_str().len() == 14 && siret.as_str().bytes().all(|b| b.is_ascii_digit()));
                        prop_assert!(siret.as_str().starts_with(siret.siren()));
                        prop_assert_eq!(Siret::parse(&siret.to_string()), Ok(siret));
                    }
                    Err(error) => prop_assert!(error.to_string().starts_with("Le SIRET")),
                }
            }

            #[test]
            fn fourteen_digits_and_one_odd_character_are_not_digits(input in shaped_with_one_odd_char("[0-9]{14}")) {
                let odd = input.chars().find(|c| !c.is_ascii_digit());
                prop_assume!(odd.is_some_and(|c| !c.is_whitespace()));
                prop_assert_eq!(Siret::parse(&input), Err(SiretError::NotDigits));
            }

            #[test]
            fn a_luhn_valid_siret_is_accepted_and_shown_grouped(siret in luhn_valid()) {
                let parsed = Siret::parse(&siret).expect("valid by construction");
                prop_assert_eq!(parsed.as_str(), siret.as_str());
                prop_assert_eq!(parsed.siren(), &siret[..9]);
                let shown = parsed.to_string();
                prop_assert_eq!(shown.split(' ').map(str::len).collect::<Vec<_>>(), vec![3, 3, 3, 5]);
                prop_assert_eq!(Siret::parse(&shown), Ok(parsed));
            }

            #[test]
            fn changing_one_digit_of_a_valid_siret_is_refused(siret in luhn_valid(), at in 0usize..14, digit in 0u8..10) {
                let mut bytes = siret.clone().into_bytes();
                prop_assume!(bytes[at] != b'0' + digit);
                bytes[at] = b'0' + digit;
                let changed = String::from_utf8(bytes).expect("ASCII");
                // La Poste's establishments follow another rule, which a changed digit may satisfy.
                prop_assume!(!changed.starts_with(LA_POSTE_SIREN));
                prop_assert_eq!(Siret::parse(&changed), Err(SiretError::Checksum(changed)));
            }
        }
    }
}
