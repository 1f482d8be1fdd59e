//! The house's arrows point down only: ui → api → server → dto → domain (and ui → dto, api → dto). This test reads
//! every source file of the app crate, resolves each `crate::…` and `super::…` path it names, and fails on any path
//! that points up or sideways, naming the file, the line and the two layers.

mod common;

use common::rust_files;
use std::path::Path;

/// The layers, top first, and which others each may name.
const ALLOWED: [(&str, &[&str]); 5] = [
    ("ui", &["ui", "api", "dto", "domain"]),
    ("api", &["api", "server", "dto", "domain"]),
    ("server", &["server", "dto", "domain"]),
    ("dto", &["dto", "domain"]),
    ("domain", &["domain"]),
];

/// The module path of a file: `src/server/requests/detail.rs` → `["server", "requests", "detail"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("under src").with_extension("");
    relative.iter().map(|part| part.to_string_lossy().into_owned()).filter(|part| part != "lib").collect()
}

/// Every module path the line names, made absolute: `crate::dto::error::AppError` → `dto`, `super::super::api` from
/// `server/requests/detail` → `api`. Only the first segment (the layer) matters.
fn named_layers(module: &[String], line: &str) -> Vec<String> {
    let mut layers = Vec::new();
    let code = line.split("//").next().unwrap_or_default();
    for (start, _) in code.match_indices("crate::") {
        let boundary = start == 0 || !code[..start].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
        if boundary && let Some(first) = code[start + 7..].split(|c: char| !(c.is_alphanumeric() || c == '_')).next() {
            layers.push(first.to_owned());
        }
    }
    for (start, _) in code.match_indices("super::") {
        let boundary = start == 0 || !code[..start].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
        if !boundary {
            continue;
        }
        let mut rest = &code[start..];
        let mut climbs = 0;
        while let Some(after) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = after;
        }
        // A file's own module is `module`; `super` is its parent (a `#[cfg(test)] mod tests` inside is not counted:
        // its `super` is the file itself, which only makes the path stay lower, never climb out of the layer).
        if climbs >= module.len()
            && let Some(first) = rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next()
        {
            layers.push(first.to_owned());
        }
    }
    layers
}

#[test]
fn every_import_points_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let Some((layer, allowed)) = module.first().and_then(|first| ALLOWED.iter().find(|(name, _)| name == first)) else {
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a source file can be read");
        for (number, line) in text.lines().enumerate() {
            for named in named_layers(&module, line) {
                let is_layer = ALLOWED.iter().any(|(name, _)| *name == named);
                if is_layer && !allowed.contains(&named.as_str()) {
                    upward.push(format!("{}:{}: {layer} names {named}: {}", file.display(), number + 1, line.trim()));
                }
            }
        }
    }
    assert!(files.len() > 50, "the source tree was found ({} files)", files.len());
    assert!(upward.is_empty(), "imports that point up or sideways:\n{}", upward.join("\n"));
}

#[test]
fn an_upward_import_is_recognised() {
    let module = ["server".to_owned(), "requests".to_owned(), "detail".to_owned()];
    assert_eq!(named_layers(&module, "use crate::api::requests::FormReturn;"), ["api"]);
    assert_eq!(named_layers(&module, "use super::super::super::api::triage;"), ["api"]);
    assert!(named_layers(&module, "use super::super::audit;").is_empty(), "stays inside server");
    assert!(named_layers(&module, "// crate::api::x in a comment").is_empty());
    assert_eq!(named_layers(&["dto".to_owned(), "triage".to_owned()], "use super::super::server::x;"), ["server"]);
}
