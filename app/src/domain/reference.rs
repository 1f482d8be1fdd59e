//! The public reference of a request, as partners and caisse agents quote it: `EP-2026-000123`.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    pub year: i32,
    pub number: u32,
}

impl Reference {
    /// Reads a reference typed by someone (spaces and lower case tolerated); `None` if it is not one.
    pub fn parse(input: &str) -> Option<Reference> {
        let compact: String = input.trim().to_ascii_uppercase().chars().filter(|c| !c.is_whitespace()).collect();
        let rest = compact.strip_prefix("EP-")?;
        let (year, number) = rest.split_once('-')?;
        if year.len() != 4 || number.is_empty() || number.len() > 6 {
            return None;
        }
        if !year.chars().chain(number.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some(Reference { year: year.parse().ok()?, number: number.parse().ok()? })
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The year padded too: `parse` reads `EP-0212-000004`, and what it reads must print the same.
        write!(f, "EP-{:04}-{:06}", self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_printed_padded_and_read_back_leniently() {
        let reference = Reference { year: 2026, number: 123 };
        assert_eq!(reference.to_string(), "EP-2026-000123");
        // Found by fuzzing: a year typed with a leading zero was printed without it, and then not read back.
        assert_eq!(Reference::parse("ep -0212 -4").map(|r| r.to_string()), Some("EP-0212-000004".to_owned()));
        for typed in ["EP-2026-000123", "ep-2026-000123", " EP-2026-123 ", "EP - 2026 - 000123"] {
            assert_eq!(Reference::parse(typed), Some(reference), "{typed}");
        }
        for wrong in ["EP-26-000123", "EP-2026-", "EP-2026-1234567", "XX-2026-000123", "EP-2026-00012A", "Martin"] {
            assert_eq!(Reference::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn multibyte_input_is_not_a_reference() {
        for typed in ["EP-２０２６-000123", "EP-2026-00012é", "ÉP-2026-000123", "EP-2026-€", "EP–2026–000123"] {
            assert_eq!(Reference::parse(typed), None, "{typed}");
        }
    }

    mod properties {
        //! Properties of `Reference::parse` over arbitrary and generated text.

        use super::*;
        use crate::domain::form_values::typed_text::{any_text, shaped_with_one_odd_char};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_text_gets_an_answer_and_what_passes_reads_back(input in any_text()) {
                if let Some(reference) = Reference::parse(&input) {
                    prop_assert!((0..=9999).contains(&reference.year) && reference.number <= 999_999);
                    prop_assert_eq!(Reference::parse(&reference.to_string()), Some(reference));
                }
            }

            #[test]
            fn reference_shaped_text_with_an_odd_character_never_panics(input in shaped_with_one_odd_char("EP-[0-9]{4}-[0-9]{1,6}")) {
                let odd = input.chars().find(|c| !c.is_ascii_alphanumeric() && *c != '-');
                if odd.is_some_and(|c| !c.is_whitespace()) {
                    prop_assert_eq!(Reference::parse(&input), None);
                }
            }

            #[test]
            fn a_printed_reference_reads_back(year in 0i32..=9999, number in 0u32..=999_999) {
                let reference = Reference { year, number };
                prop_assert_eq!(Reference::parse(&reference.to_string()), Some(reference));
                prop_assert_eq!(Reference::parse(&format!(" ep - {year:04} - {number} ")), Some(reference));
            }
        }
    }
}
