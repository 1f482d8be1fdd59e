//! The files every page links, under the names the build gave them: the stylesheet, and the script that wakes the
//! page's islands. A release build hashes the names (`css: …`, `js: …`, `wasm: …` lines in a hash file, the format
//! cargo-leptos writes too), so the server may let browsers keep them for a year.

use leptos::prelude::*;

/// The paths of the stylesheet, the islands' JavaScript and their WebAssembly (e.g. `/pkg/espace-partenaires.css`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assets {
    pub css: String,
    pub js: String,
    pub wasm: String,
    /// Whether the names carry their content's hash (and never change meaning).
    pub hashed: bool,
}

impl Assets {
    /// The names of a build that does not hash: `/{pkg}/{output}.css`, `.js` and `.wasm`.
    pub fn plain(pkg: &str, output: &str) -> Self {
        let path = |ext: &str| format!("/{pkg}/{output}.{ext}");
        Self { css: path("css"), js: path("js"), wasm: path("wasm"), hashed: false }
    }

    /// The names of a hashed build, read from its hash file; `None` if a name is missing or not a plain hash.
    pub fn hashed(pkg: &str, output: &str, hashes: &str) -> Option<Self> {
        let hash_of = |ext: &str| {
            hashes
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim() == ext)
                .map(|(_, hash)| hash.trim())
                .filter(|hash| !hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .map(|hash| format!("/{pkg}/{output}.{hash}.{ext}"))
        };
        Some(Self { css: hash_of("css")?, js: hash_of("js")?, wasm: hash_of("wasm")?, hashed: true })
    }

    /// Whether `path` (e.g. `/pkg/espace-partenaires.3f9a….wasm`) is one of the hashed files.
    pub fn is_hashed_file(&self, path: &str) -> bool {
        self.hashed && [&self.css, &self.js, &self.wasm].iter().any(|name| *name == path)
    }
}

/// The script that wakes the islands: on a page without any it only marks the page ready and loads nothing; otherwise
/// it fetches the WebAssembly while it imports the JavaScript, then hydrates each island. It carries the page's nonce.
/// Rendered first in the page, it also tells the server's renderer that what follows is not hydrated (only islands
/// are): no resource outside an island is serialized into the page.
#[component]
pub fn IslandScripts(assets: Assets) -> impl IntoView {
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let nonce = leptos::nonce::use_nonce();
    // islands.js is one arrow function, called here with the two paths.
    let script = format!("{}({:?},{:?});", include_str!("assets/islands.js").trim_end(), assets.js, assets.wasm);
    view! { <script type="module" nonce=nonce>{script}</script> }
}

#[cfg(test)]
mod tests {
    use super::Assets;

    #[test]
    fn a_build_without_hashes_links_the_plain_names() {
        let assets = Assets::plain("pkg", "espace-partenaires");
        assert_eq!(assets.css, "/pkg/espace-partenaires.css");
        assert_eq!(assets.wasm, "/pkg/espace-partenaires.wasm");
        assert!(!assets.is_hashed_file("/pkg/espace-partenaires.css"));
    }

    #[test]
    fn a_hashed_build_links_the_names_of_its_hash_file() {
        let assets = Assets::hashed("pkg", "ep", "js: abc123\nwasm: def-456\ncss: 0f_9\n").expect("all three names");
        assert_eq!(
            (assets.js.as_str(), assets.wasm.as_str(), assets.css.as_str()),
            ("/pkg/ep.abc123.js", "/pkg/ep.def-456.wasm", "/pkg/ep.0f_9.css")
        );
        assert!(assets.is_hashed_file("/pkg/ep.def-456.wasm"));
        assert!(!assets.is_hashed_file("/pkg/ep.wasm"));
    }

    #[test]
    fn a_hash_file_missing_a_name_or_with_a_strange_hash_is_refused() {
        assert_eq!(Assets::hashed("pkg", "ep", "js: abc\ncss: def\n"), None);
        assert_eq!(Assets::hashed("pkg", "ep", "js: abc\nwasm: ../x\ncss: def\n"), None);
    }
}
