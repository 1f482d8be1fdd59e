//! What any typed field may hold, whatever the form: no control characters and a bounded length, so nothing
//! hostile or enormous reaches the database, the session or the audit log.

use std::fmt;

/// The most characters one field may carry (a long message fits; a megabyte does not).
pub const MAX_FIELD_CHARS: usize = 20_000;
/// The most characters kept of a label stored for the record (a typed address in the audit log, a file name).
pub const MAX_LABEL_CHARS: usize = 254;

/// Why a typed value is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextInputError {
    /// A control character other than tab and line breaks (NUL, escape…): never typed by a person.
    ControlCharacter,
    TooLong {
        max: usize,
    },
}

impl fmt::Display for TextInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextInputError::ControlCharacter => f.write_str("Ce champ contient un caractère invisible non autorisé : retapez-le sans copier-coller."),
            TextInputError::TooLong { max } => write!(f, "Ce champ est trop long : {max} caractères au plus."),
        }
    }
}

impl std::error::Error for TextInputError {}

/// Whether `value` may be accepted in a field: tab, line feed and carriage return are the only control
/// characters allowed, and at most [`MAX_FIELD_CHARS`] characters.
pub fn check_field(value: &str) -> Result<(), TextInputError> {
    if value.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return Err(TextInputError::ControlCharacter);
    }
    if value.chars().count() > MAX_FIELD_CHARS {
        return Err(TextInputError::TooLong { max: MAX_FIELD_CHARS });
    }
    Ok(())
}

/// At most `max_chars` characters of `value`, control characters replaced by spaces: for labels kept as a record.
pub fn bounded(value: &str, max_chars: usize) -> String {
    value.chars().take(max_chars).map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn control_characters_are_refused_but_line_breaks_and_tabs_are_not() {
        assert_eq!(check_field("agent\0@example.org"), Err(TextInputError::ControlCharacter));
        assert_eq!(check_field("a\u{1b}[31m"), Err(TextInputError::ControlCharacter));
        assert_eq!(check_field("ligne 1\r\nligne 2\tfin"), Ok(()));
        assert_eq!(check_field("Évry – « ça va » 😀"), Ok(()));
    }

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(check_field(&"é".repeat(MAX_FIELD_CHARS)), Ok(()));
        assert_eq!(check_field(&"a".repeat(MAX_FIELD_CHARS + 1)), Err(TextInputError::TooLong { max: MAX_FIELD_CHARS }));
        assert!(TextInputError::TooLong { max: 10 }.to_string().contains("10 caractères"));
    }

    #[test]
    fn bounded_labels_keep_whole_characters() {
        assert_eq!(bounded("éééé", 2), "éé");
        assert_eq!(bounded("a\0b", 10), "a b");
        assert_eq!(bounded(&"x".repeat(1 << 20), MAX_LABEL_CHARS).chars().count(), MAX_LABEL_CHARS);
    }

    proptest! {
        #[test]
        fn any_string_is_judged_without_panicking(value in "\\PC*|.*") {
            let _ = check_field(&value);
            prop_assert!(bounded(&value, 5).chars().count() <= 5);
        }
    }
}
