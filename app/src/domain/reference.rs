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
        write!(f, "EP-{}-{:06}", self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_printed_padded_and_read_back_leniently() {
        let reference = Reference { year: 2026, number: 123 };
        assert_eq!(reference.to_string(), "EP-2026-000123");
        for typed in ["EP-2026-000123", "ep-2026-000123", " EP-2026-123 ", "EP - 2026 - 000123"] {
            assert_eq!(Reference::parse(typed), Some(reference), "{typed}");
        }
        for wrong in ["EP-26-000123", "EP-2026-", "EP-2026-1234567", "XX-2026-000123", "EP-2026-00012A", "Martin"] {
            assert_eq!(Reference::parse(wrong), None, "{wrong}");
        }
    }
}
