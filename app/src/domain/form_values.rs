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
