//! What a person typed in a search box: a request's reference, an assuré's NIR (with or without spaces) or part of
//! a name (case, accents and spacing folded as `submission::search_key` folds the stored names).

use crate::domain::nir::{Nir, NirError};
use crate::domain::reference::Reference;
use crate::domain::submission::search_key;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Search {
    Reference(Reference),
    Nir(Nir),
    /// The folded text, to find within the stored folded names.
    Name(String),
}

impl Search {
    /// `None` for an empty box. Something that looks like a NIR (digits, spaces, `2A`/`2B`, thirteen characters
    /// or more) must be a valid one: its error says why not.
    pub fn parse(text: &str) -> Result<Option<Search>, NirError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if let Some(reference) = Reference::parse(text) {
            return Ok(Some(Search::Reference(reference)));
        }
        if looks_like_a_nir(text) {
            return Nir::parse(text).map(|nir| Some(Search::Nir(nir)));
        }
        Ok(Some(Search::Name(search_key(text))))
    }
}

fn looks_like_a_nir(text: &str) -> bool {
    let significant: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-')).collect();
    let digits = significant.iter().filter(|c| c.is_ascii_digit()).count();
    significant.len() >= 13 && digits + 2 >= significant.len() && significant.iter().all(|c| c.is_ascii_digit() || matches!(c, 'A' | 'B' | 'a' | 'b'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_a_reference_a_nir_or_a_name() {
        assert_eq!(Search::parse("  "), Ok(None));
        assert_eq!(Search::parse("ep-2026-000123"), Ok(Some(Search::Reference(Reference { year: 2026, number: 123 }))));
        for typed in ["1 84 12 76 451 089 46", "184127645108946", "1.84.12.76.451.089.46"] {
            assert_eq!(Search::parse(typed), Ok(Some(Search::Nir(Nir::parse("184127645108946").expect("valid")))), "{typed}");
        }
        assert_eq!(Search::parse("Lévêque"), Ok(Some(Search::Name("LEVEQUE".to_owned()))));
        assert_eq!(Search::parse("jean  pierre"), Ok(Some(Search::Name("JEAN PIERRE".to_owned()))));
        assert_eq!(Search::parse("12"), Ok(Some(Search::Name("12".to_owned()))), "a few digits are not a NIR");
    }

    #[test]
    fn a_mistyped_nir_says_why_instead_of_finding_nothing() {
        assert_eq!(Search::parse("1 84 12 76 451 089 47"), Err(NirError::InvalidKey));
        assert_eq!(Search::parse("1 84 12 76 451 089"), Err(NirError::WrongLength(13)));
    }
}
