//! The accessibility statement as its page shows it (`/accessibilite`, public) and as a national admin edits it
//! (`/admin/accessibilite`).

use crate::domain::accessibility::Block;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessibilityStatement {
    pub blocks: Vec<Block>,
    /// « Mise à jour le 02/12/2026 », once a national admin saved it.
    pub updated: Option<String>,
    /// The reader is a national admin: the page links to the editor.
    pub can_edit: bool,
}

/// The editor: the text as kept, or as typed in a form that came back refused (JavaScript off).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementEditor {
    pub text: String,
}
