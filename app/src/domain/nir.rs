//! The NIR (numéro d'inscription au répertoire, "numéro de sécurité sociale"): parsed once, then safe to
//! store (normalised), to show grouped, or to show masked. Its `Debug` never prints it in full.

use std::fmt;

/// A NIR whose structure and key were checked. Only `parse` makes one.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nir(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NirError {
    #[error("Le NIR doit comporter 15 caractères (13 + la clé de 2 chiffres) ; {0} saisi(s).")]
    WrongLength(usize),
    #[error("Le NIR ne peut contenir que des chiffres (et « 2A » ou « 2B » pour un département corse).")]
    InvalidCharacters,
    #[error("Le premier chiffre du NIR (le sexe) doit être 1, 2, 3, 4, 7 ou 8.")]
    InvalidSex,
    #[error("Le mois de naissance du NIR (4e et 5e chiffres) n'est pas valide.")]
    InvalidMonth,
    #[error("Le département de naissance du NIR (6e et 7e caractères) n'est pas valide.")]
    InvalidDepartement,
    #[error("Clé invalide : les deux derniers chiffres ne correspondent pas au reste du NIR. Vérifiez la saisie.")]
    InvalidKey,
}

impl Nir {
    /// Accepts spaces, dots and dashes between groups, and lower-case `2a`/`2b`.
    pub fn parse(input: &str) -> Result<Self, NirError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        let len = compact.chars().count();
        if len != 15 {
            return Err(NirError::WrongLength(len));
        }
        // Every check below reads the NIR by position (byte ranges): only all-ASCII text makes a position a byte,
        // so `é`, `€` or full-width digits are refused here rather than split in the middle.
        if !compact.is_ascii() {
            return Err(NirError::InvalidCharacters);
        }
        let departement = &compact[5..7];
        let corsica = matches!(departement, "2A" | "2B");
        let all_digits_but_corsica = compact.char_indices().all(|(i, c)| c.is_ascii_digit() || (corsica && (i == 5 || i == 6)));
        if !all_digits_but_corsica {
            return Err(NirError::InvalidCharacters);
        }
        if !matches!(&compact[0..1], "1" | "2" | "3" | "4" | "7" | "8") {
            return Err(NirError::InvalidSex);
        }
        let month: u32 = compact[3..5].parse().map_err(|_| NirError::InvalidMonth)?;
        if !matches!(month, 1..=12 | 20..=42 | 50..=99) {
            return Err(NirError::InvalidMonth);
        }
        if departement == "00" {
            return Err(NirError::InvalidDepartement);
        }
        let expected = key_of(&compact[..13]).ok_or(NirError::InvalidCharacters)?;
        let key: u64 = compact[13..].parse().map_err(|_| NirError::InvalidKey)?;
        if expected != key {
            return Err(NirError::InvalidKey);
        }
        Ok(Nir(compact))
    }

    /// The NIR whose first 13 characters are `body`, completed with its key (how demo data makes one).
    pub fn with_key(body: &str) -> Result<Self, NirError> {
        let key = key_of(body).ok_or(NirError::InvalidCharacters)?;
        Nir::parse(&format!("{body}{key:02}"))
    }

    /// The 15 characters without spaces, as stored.
    pub fn normalised(&self) -> &str {
        &self.0
    }

    /// Grouped for reading: "1 84 12 76 451 089 46".
    pub fn grouped(&self) -> String {
        let n = &self.0;
        format!("{} {} {} {} {} {} {}", &n[0..1], &n[1..3], &n[3..5], &n[5..7], &n[7..10], &n[10..13], &n[13..15])
    }

    /// For anyone who does not need it in full: sex, birth year and key only ("1 84 •• •• ••• ••• 46").
    pub fn masked(&self) -> String {
        let n = &self.0;
        format!("{} {} •• •• ••• ••• {}", &n[0..1], &n[1..3], &n[13..15])
    }
}

/// The key of a NIR's first 13 characters: 97 minus their remainder by 97, Corsica's 2A and 2B counted as 19 and 18.
fn key_of(body: &str) -> Option<u64> {
    if body.len() != 13 || !body.is_ascii() {
        return None;
    }
    let substituted = match &body[5..7] {
        "2A" => format!("{}19{}", &body[..5], &body[7..]),
        "2B" => format!("{}18{}", &body[..5], &body[7..]),
        _ => body.to_owned(),
    };
    substituted.parse::<u64>().ok().map(|n| 97 - n % 97)
}

impl fmt::Debug for Nir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nir({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_characters_are_completed_with_their_key() {
        assert_eq!(Nir::with_key("1841276451089").map(|n| n.normalised().to_owned()), Ok("184127645108946".to_owned()));
        assert_eq!(Nir::with_key("185072A012345").map(|n| n.normalised().to_owned()), Ok("185072A01234514".to_owned()));
        assert_eq!(Nir::with_key("9841276451089"), Err(NirError::InvalidSex));
        assert_eq!(Nir::with_key("18412"), Err(NirError::InvalidCharacters));
    }

    #[test]
    fn valid_nirs_are_accepted_with_or_without_spaces_and_normalised() {
        let table = [
            ("184127645108946", "184127645108946"),
            ("1 84 12 76 451 089 46", "184127645108946"),
            ("2.69.02.99.341.732-85", "269029934173285"),
            ("1 85 07 2A 012 345 14", "185072A01234514"),
            ("2 85 02 2b 123 456 59", "285022B12345659"),
            ("1 55 10 99 999 001 79", "155109999900179"),
            ("1 80 01 99 350 123 16", "180019935012316"),
            ("2 84 09 75 108 123 46", "284097510812346"),
        ];
        for (input, stored) in table {
            assert_eq!(Nir::parse(input).map(|n| n.normalised().to_owned()), Ok(stored.to_owned()), "{input}");
        }
    }

    #[test]
    fn months_for_unknown_birth_dates_are_accepted() {
        // Month 20–42 or 50–99 stands for an unknown month; the key still has to match.
        for month in ["20", "42", "50", "99"] {
            let body = format!("184{month}76451089");
            let key = 97 - body.parse::<u64>().expect("digits") % 97;
            assert!(Nir::parse(&format!("{body}{key:02}")).is_ok(), "month {month}");
        }
        let body = "1841376451089";
        let key = 97 - body.parse::<u64>().expect("digits") % 97;
        assert_eq!(Nir::parse(&format!("{body}{key:02}")), Err(NirError::InvalidMonth));
    }

    #[test]
    fn invalid_nirs_are_refused_with_the_reason() {
        let table = [
            ("18412764510894", NirError::WrongLength(14)),
            ("1 84 12 76 451 089 466", NirError::WrongLength(16)),
            ("", NirError::WrongLength(0)),
            ("18412764510X946", NirError::InvalidCharacters),
            ("1 84 12 3A 451 089 46", NirError::InvalidCharacters),
            ("5 84 12 76 451 089 46", NirError::InvalidSex),
            ("1 84 00 76 451 089 46", NirError::InvalidMonth),
            ("1 84 12 00 451 089 46", NirError::InvalidDepartement),
            ("1 84 12 76 451 089 47", NirError::InvalidKey),
            ("1 85 07 2B 012 345 14", NirError::InvalidKey),
            ("1 85 07 2A 012 345 15", NirError::InvalidKey),
        ];
        for (input, error) in table {
            assert_eq!(Nir::parse(input), Err(error), "{input}");
        }
        assert!(NirError::InvalidKey.to_string().starts_with("Clé invalide"));
    }

    #[test]
    fn corsican_departements_count_as_19_and_18_in_the_key() {
        // 2A is computed as 19: the same digits with département 19 carry the same key.
        assert!(Nir::parse("1 85 07 19 012 345 14").is_ok());
        assert!(Nir::parse("1 85 07 2A 012 345 14").is_ok());
        assert_eq!(Nir::parse("1 85 07 2B 012 345 14"), Err(NirError::InvalidKey));
    }

    #[test]
    fn multibyte_input_is_refused_with_a_french_message_not_a_panic() {
        // Each of these once panicked: 15 characters, but not 15 bytes, sliced by byte position.
        let table = [
            ("1234é6789012345", NirError::InvalidCharacters),
            ("１８４１２７６４５１０８９４６", NirError::InvalidCharacters),
            ("2840€€€€€€€€€€€", NirError::InvalidCharacters),
            ("1 84 12 7€ 451 089 46", NirError::InvalidCharacters),
            ("18412764510894€6", NirError::WrongLength(16)),
        ];
        for (input, error) in table {
            assert_eq!(Nir::parse(input), Err(error), "{input:?}");
        }
        assert_eq!(
            NirError::InvalidCharacters.to_string(),
            "Le NIR ne peut contenir que des chiffres (et « 2A » ou « 2B » pour un département corse)."
        );
        // A non-ASCII space (here ideographic) is a space like any other.
        assert!(Nir::parse("1\u{3000}84 12 76 451 089 46").is_ok());
    }

    #[test]
    fn a_nir_is_shown_grouped_or_masked_and_never_debug_printed_in_full() {
        let nir = Nir::parse("184127645108946").expect("a valid NIR");
        assert_eq!(nir.grouped(), "1 84 12 76 451 089 46");
        assert_eq!(nir.masked(), "1 84 •• •• ••• ••• 46");
        let debug = format!("{nir:?}");
        assert!(!debug.contains("7645108"), "{debug}");
    }

    mod properties {
        //! Properties of `Nir::parse` over arbitrary and generated text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use proptest::prelude::*;

        /// A NIR that is valid by construction: sex, year, month (unknown months too), département (2A/2B too),
        /// commune and order, and the key computed from them.
        fn valid_nir() -> impl Strategy<Value = String> {
            let departement = prop_oneof![(1u32..=99).prop_map(|d| format!("{d:02}")), Just("2A".to_owned()), Just("2B".to_owned())];
            let month = prop_oneof![1u32..=12, 20u32..=42, 50u32..=99];
            (prop::sample::select(vec![1u32, 2, 3, 4, 7, 8]), 0u32..100, month, departement, 0u32..1000, 0u32..1000).prop_map(
                |(sex, year, month, departement, commune, order)| {
                    let numeric = match departement.as_str() {
                        "2A" => "19",
                        "2B" => "18",
                        other => other,
                    };
                    let body: u64 = format!("{sex}{year:02}{month:02}{numeric}{commune:03}{order:03}").parse().expect("13 digits");
                    format!("{sex}{year:02}{month:02}{departement}{commune:03}{order:03}{:02}", 97 - body % 97)
                },
            )
        }

        proptest! {
            #[test]
            fn any_text_gets_an_answer_and_what_passes_reads_back(input in any_text()) {
                match Nir::parse(&input) {
                    Ok(nir) => {
                        prop_assert_eq!(nir.normalised().len(), 15);
                        prop_assert!(nir.normalised().is_ascii());
                        prop_assert_eq!(Nir::parse(nir.normalised()), Ok(nir.clone()));
                        prop_assert_eq!(Nir::parse(&nir.grouped()), Ok(nir));
                    }
                    Err(error) => prop_assert!(error.to_string().starts_with("Le ") || error.to_string().starts_with("Clé ")),
                }
            }

            #[test]
            fn fifteen_characters_with_one_non_ascii_are_invalid_characters(
                input in shaped_with_one_odd_char("[0-9]{14}"),
            ) {
                let odd = input.chars().find(|c| !c.is_ascii_digit());
                prop_assume!(odd.is_some_and(|c| !c.is_ascii() && !c.is_whitespace()));
                prop_assert_eq!(Nir::parse(&input), Err(NirError::InvalidCharacters));
            }

            #[test]
            fn nir_shaped_text_with_an_odd_character_never_panics(
                input in shaped_with_one_odd_char("[1-8][0-9]{4}(2[AaBb]|[0-9]{2})[0-9]{7,8}"),
            ) {
                if Nir::parse(&input).is_ok() {
                    prop_assert!(input.chars().all(|c| c.is_ascii_alphanumeric() || c.is_whitespace() || matches!(c, '.' | '-')), "{:?}", input);
                }
            }

            #[test]
            fn a_valid_nir_is_accepted_as_typed_and_shown_as_it_was(nir in valid_nir(), spaced in any::<bool>(), lower in any::<bool>()) {
                let parsed = Nir::parse(&nir).expect("valid by construction");
                prop_assert_eq!(parsed.normalised(), nir.as_str());
                let typed = if spaced { parsed.grouped() } else { nir.clone() };
                let typed = if lower { typed.to_lowercase() } else { typed };
                prop_assert_eq!(Nir::parse(&typed), Ok(parsed.clone()));
                prop_assert_eq!(parsed.masked().chars().count(), parsed.grouped().chars().count());
                let debug = format!("{:?}", parsed);
                prop_assert!(!debug.contains(&nir[5..13]), "{}", debug);
            }

            #[test]
            fn changing_any_one_digit_of_a_valid_nir_is_refused(nir in valid_nir(), at in 0usize..15, digit in 0u8..10) {
                let mut bytes = nir.clone().into_bytes();
                prop_assume!(bytes[at].is_ascii_digit() && bytes[at] != b'0' + digit);
                bytes[at] = b'0' + digit;
                let changed = String::from_utf8(bytes).expect("ASCII");
                prop_assert!(Nir::parse(&changed).is_err(), "{} accepted, changed from {}", changed, nir);
            }
        }
    }
}
