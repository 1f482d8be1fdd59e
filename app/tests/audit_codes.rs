//! Every action the application writes to the audit log has a French name for the admins who read it: this test
//! reads the sources of the app and server crates, collects each quoted `family.action` code of an audited family,
//! and fails on any that `domain::audit_log::KNOWN_ACTIONS` does not name.

mod common;

use app::domain::audit_log::{ACTION_FAMILIES, KNOWN_ACTIONS};
use common::rust_files;
use std::path::Path;

/// Quoted strings that look like codes and are not: a signed convention's default file name.
const NOT_CODES: [&str; 1] = ["convention.pdf"];

/// The quoted strings of `text` that read `family.action` (lower case and `_`) for an audited family.
fn audit_codes(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|quoted| ACTION_FAMILIES.iter().any(|(prefix, _)| quoted.starts_with(prefix)))
        .filter(|quoted| {
            quoted.split_once('.').is_some_and(|(_, action)| !action.is_empty() && action.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        })
        .filter(|quoted| !NOT_CODES.contains(quoted))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_audited_action_has_a_french_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    rust_files(&root.join("src/server"), &mut files);
    rust_files(&root.join("src/api"), &mut files);
    rust_files(&root.join("../server/src"), &mut files);
    let mut unnamed = vec![];
    let mut seen = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file");
        for code in audit_codes(&text) {
            seen += 1;
            if !KNOWN_ACTIONS.iter().any(|(known, _)| *known == code) && !unnamed.contains(&code) {
                unnamed.push(code);
            }
        }
    }
    assert!(seen > 30, "the scan finds the codes the application writes ({seen})");
    assert_eq!(unnamed, Vec::<String>::new(), "audit codes without a French name in KNOWN_ACTIONS");
}
