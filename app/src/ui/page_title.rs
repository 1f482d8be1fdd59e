//! The page's `<title>`, always from a plain string known when the page starts rendering.
//!
//! Never a reactive closure: on the server leptos_meta reads the title's text after the page's reactive owner has
//! left its arena (`inject_meta_context` runs outside leptos' `Sandboxed` wrapper, see README "Leptos workarounds"),
//! so a signal read there panics ("already been disposed") or, worse, reads a slot of another request's arena on
//! the same thread — another request's reference in the title. A `String` prop makes that mistake impossible.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <Title text=text /> }
}

/// The app-wide formatter: "Page – Espace Partenaires", escaped for the server-rendered `<title>` (leptos_meta
/// writes it as it is).
pub fn format(page: String) -> String {
    let full = if page.is_empty() { "Espace Partenaires".to_owned() } else { format!("{page} – Espace Partenaires") };
    crate::ui::raw_text::escaped(&full)
}
