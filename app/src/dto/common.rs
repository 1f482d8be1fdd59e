//! View types every feature shares: an option of a select list, and the links of filtered lists.

use serde::{Deserialize, Serialize};

/// One option of a select list: the value posted and the label read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

/// `path?key=value&…` for the non-empty values, percent-encoded: the links of filtered, paged lists.
pub fn href_with_query(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .filter_map(|(key, value)| value.as_ref().filter(|v| !v.is_empty()).map(|v| (key, v)))
        .map(|(key, value)| {
            let value: String = value
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{key}={value}")
        })
        .collect();
    if encoded.is_empty() { path.to_owned() } else { format!("{path}?{}", encoded.join("&")) }
}
