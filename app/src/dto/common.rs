//! View types every feature shares: an option of a select list.

use serde::{Deserialize, Serialize};

/// One option of a select list: the value posted and the label read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
}
