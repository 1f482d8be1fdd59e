//! A file prepared in the background, as its page shows it.

use serde::{Deserialize, Serialize};

/// Where an export stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportState {
    Running,
    Ready,
    Failed,
}

impl ExportState {
    pub fn code(self) -> &'static str {
        match self {
            ExportState::Running => "running",
            ExportState::Ready => "ready",
            ExportState::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<ExportState> {
        [ExportState::Running, ExportState::Ready, ExportState::Failed].into_iter().find(|state| state.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportView {
    pub id: String,
    /// What the file holds (« File des demandes »).
    pub title: String,
    /// The page it was asked from.
    pub return_to: String,
    /// `CSV`, `XLSX` or `ODS`.
    pub format: String,
    pub state: ExportState,
    /// Rows written so far, of `total`.
    pub done: u64,
    pub total: u64,
    /// When it was asked for, in French.
    pub asked_at: String,
    /// The finished file's address, once ready.
    pub file_href: Option<String>,
}

impl ExportView {
    /// The page of export `id`.
    pub fn href(id: &str) -> String {
        format!("/compte/exports/{id}")
    }

    /// How far it got, in whole percent (0 for an empty job).
    pub fn percent(&self) -> u64 {
        (self.done.min(self.total) * 100).checked_div(self.total).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_back_from_their_codes() {
        for state in [ExportState::Running, ExportState::Ready, ExportState::Failed] {
            assert_eq!(ExportState::parse(state.code()), Some(state));
        }
        assert_eq!(ExportState::parse("done"), None);
    }

    #[test]
    fn percent_is_bounded_and_safe_on_empty_jobs() {
        let view = |done, total| ExportView {
            id: String::new(),
            title: String::new(),
            return_to: String::new(),
            format: String::new(),
            state: ExportState::Running,
            done,
            total,
            asked_at: String::new(),
            file_href: None,
        };
        assert_eq!(view(0, 0).percent(), 0);
        assert_eq!(view(250, 1000).percent(), 25);
        assert_eq!(view(1200, 1000).percent(), 100);
    }
}
