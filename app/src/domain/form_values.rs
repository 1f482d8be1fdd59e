//! What a person typed in a form, as posted: every field name with its values (several for checkboxes).
//! Read leniently (trimmed, first value) by the validation rules, and kept to refill a form that came back.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormValues(BTreeMap<String, Vec<String>>);

impl FormValues {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one value for `name` (a checkbox group posts one per ticked box).
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.entry(name.into()).or_default().push(value.into());
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.push(name, value);
        self
    }

    /// The first value, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> &str {
        self.0.get(name).and_then(|values| values.first()).map(|v| v.trim()).unwrap_or("")
    }

    /// Every non-empty value posted under `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.get(name).map(|values| values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).collect()).unwrap_or_default()
    }

    /// Whether a checkbox was ticked (any value), or a given value is among those posted.
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.all(name).contains(&value)
    }

    pub fn checked(&self, name: &str) -> bool {
        !self.all(name).is_empty()
    }

    /// The same values without the fields that must never be kept (e.g. a password).
    pub fn without(mut self, names: &[&str]) -> Self {
        for name in names {
            self.0.remove(*name);
        }
        self
    }
}

#[cfg(test)]
pub(crate) mod typed_text {
    //! Proptest strategies for text as a browser may post it: printable Unicode, control characters, newlines,
    //! multibyte letters and symbols, full-width digits. Every domain parser must answer them, never panic.

    use proptest::prelude::*;

    /// Any text at all: `\PC*` (printable, any script), `.*` (control characters too) and raw `char`s (every
    /// code point, with proptest's bias towards edge cases).
    pub(crate) fn any_text() -> impl Strategy<Value = String> {
        prop_oneof!["\\PC*", ".*", proptest::collection::vec(any::<char>(), 0..40).prop_map(String::from_iter),]
    }

    /// Text shaped like what a parser expects (`shape`, a regex over ASCII) with one arbitrary character (often
    /// multibyte) put somewhere in it: the inputs that break code reading a string by byte position.
    pub(crate) fn shaped_with_one_odd_char(shape: &'static str) -> impl Strategy<Value = String> {
        (shape, any::<char>(), any::<prop::sample::Index>()).prop_map(|(text, odd, at)| {
            let mut chars: Vec<char> = text.chars().collect();
            chars.insert(at.index(chars.len() + 1), odd);
            chars.into_iter().collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_trimmed_and_checkbox_groups_keep_every_ticked_box() {
        let form = FormValues::new().with("last_name", "  Martin ").with("grounds", "digital").with("grounds", "").with("grounds", "disability");
        assert_eq!(form.text("last_name"), "Martin");
        assert_eq!(form.text("missing"), "");
        assert_eq!(form.all("grounds"), ["digital", "disability"]);
        assert!(form.has("grounds", "disability") && !form.has("grounds", "other"));
        assert!(form.checked("grounds") && !form.checked("consent"));
        assert_eq!(form.without(&["last_name"]).text("last_name"), "");
    }
}
