//! The audit log as admins read it (`/admin/journal`): their caisse's entries (every caisse's for a national
//! admin), newest first, filtered through the URL and paged by keyset. The CSV export is a plain route
//! (`/admin/journal.csv`, in the server crate) taking the same filters.

use serde::{Deserialize, Serialize};

/// The log's filters and position, as they appear in its URL (`acteur`, `objet`, `type`, `action`, `du`, `au`,
/// `apres`, `avant`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// Part of the actor's e-mail address, any case.
    pub actor: Option<String>,
    /// An object id exactly (or a request's reference, `EP-2026-000123`).
    pub object: Option<String>,
    /// An object type code (`request`, `account`…).
    pub object_type: Option<String>,
    /// The start of an action code (`auth.`, or a whole code).
    pub action: Option<String>,
    /// The first day, Paris time (`2026-11-22` or `22/11/2026`).
    pub from: Option<String>,
    /// The last day, included.
    pub to: Option<String>,
    /// Entries older than this id (the next page).
    pub after: Option<String>,
    /// Entries newer than this id (the previous page).
    pub before: Option<String>,
}

impl AuditQuery {
    /// The URL parameter of each filter, with its value (the page position last).
    pub fn pairs(&self) -> [(&'static str, Option<String>); 8] {
        [
            ("acteur", self.actor.clone()),
            ("objet", self.object.clone()),
            ("type", self.object_type.clone()),
            ("action", self.action.clone()),
            ("du", self.from.clone()),
            ("au", self.to.clone()),
            ("apres", self.after.clone()),
            ("avant", self.before.clone()),
        ]
    }

    /// The filters read from URL parameters (`param` gives a parameter's value).
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> Self {
        AuditQuery {
            actor: param("acteur"),
            object: param("objet"),
            object_type: param("type"),
            action: param("action"),
            from: param("du"),
            to: param("au"),
            after: param("apres"),
            before: param("avant"),
        }
    }

    /// The same filters from the first page.
    pub fn first_page(&self) -> Self {
        AuditQuery { after: None, before: None, ..self.clone() }
    }
}

/// One entry, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: String,
    /// "22/11/2026 à 14:05", Paris time.
    pub at: String,
    /// The actor's e-mail (or what an anonymous visitor typed, or "système").
    pub actor: String,
    pub action: String,
    pub action_label: String,
    pub object_type: String,
    pub object_type_label: String,
    pub object_id: Option<String>,
    /// What people call the object: a request's reference, an account's name and e-mail, a structure's name…
    pub object_name: Option<String>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    pub detail: Option<String>,
    /// The caisse's name, for a national admin (who reads every caisse's entries).
    pub caisse: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    /// "CPAM de l'Essonne", or "toutes les caisses" for a national admin.
    pub scope: String,
    /// Whether entries of several caisses show (a national admin): the table gets a caisse column.
    pub all_caisses: bool,
    /// Newest first.
    pub rows: Vec<AuditLine>,
    /// The cursor of the next (older) page.
    pub older: Option<String>,
    /// The cursor of the previous (newer) page.
    pub newer: Option<String>,
    /// How many months entries are kept.
    pub retention_months: u32,
}
