//! What is wrong with a form, one shape for every form: each problem names its field (the input's `name`, which is
//! also its `id`) and says in French what to do. `Problems` collects them while a form is read, with the one rule
//! every required or optional text field follows (trimmed, bounded, one message for a text too long).

use serde::{Deserialize, Serialize};

/// A message attached to one form field, shown next to it and in the error summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's `name`, which is also the `id` the summary links to.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError { field: field.to_owned(), message: message.into() }
    }
}

/// The problems found so far in a form being read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn new() -> Self {
        Problems::default()
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// `text` without its surrounding spaces; `missing` when empty, a length message past `max` characters.
    pub fn required(&mut self, field: &str, text: &str, missing: &str, max: usize) -> String {
        let text = text.trim();
        match text.chars().count() {
            0 => self.push(field, missing),
            n if n > max => self.push(field, too_long(n, max)),
            _ => {}
        }
        text.to_owned()
    }

    /// `text` without its surrounding spaces, possibly empty; a length message past `max` characters.
    pub fn optional(&mut self, field: &str, text: &str, max: usize) -> String {
        let text = text.trim();
        let count = text.chars().count();
        if count > max {
            self.push(field, too_long(count, max));
        }
        text.to_owned()
    }

    /// How many problems were found so far.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `value` when nothing was wrong, else every problem at once.
    pub fn into_result<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() { Ok(value) } else { Err(self.0) }
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

impl Extend<FieldError> for Problems {
    fn extend<I: IntoIterator<Item = FieldError>>(&mut self, problems: I) {
        self.0.extend(problems);
    }
}

/// The one message for a text longer than allowed.
pub fn too_long(count: usize, max: usize) -> String {
    format!("{count} caractères : {max} au maximum.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_field_is_trimmed_present_and_short_enough() {
        let mut problems = Problems::new();
        assert_eq!(problems.required("name", "  CCAS d'Évry  ", "Indiquez le nom.", 20), "CCAS d'Évry");
        assert!(problems.is_empty());
        problems.required("name", "   ", "Indiquez le nom.", 20);
        problems.required("commune", &"é".repeat(21), "Indiquez la commune.", 20);
        assert_eq!(
            problems.into_result(()),
            Err(vec![FieldError::new("name", "Indiquez le nom."), FieldError::new("commune", "21 caractères : 20 au maximum.")])
        );
    }

    #[test]
    fn an_optional_field_may_be_empty_but_not_too_long() {
        let mut problems = Problems::new();
        assert_eq!(problems.optional("note", "   ", 5), "");
        assert_eq!(problems.optional("note", " court ", 5), "court");
        assert_eq!(problems.len(), 0);
        problems.optional("note", "beaucoup trop", 5);
        assert_eq!(problems.into_vec(), [FieldError::new("note", "13 caractères : 5 au maximum.")]);
    }
}
