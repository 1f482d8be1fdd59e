//! Text placed where Leptos writes it unescaped on the server: `<title>` (leptos_meta) and `<textarea>` (tachys
//! treats it as raw text). Escaped here, the one place, so a typed `</textarea><b>` stays text. In the browser the
//! DOM takes the text as it is, so nothing is escaped there (it would show `&lt;`).

/// `text`, safe to write between the tags of a `<title>` or a `<textarea>` in server-rendered HTML.
pub fn escaped(text: &str) -> String {
    if cfg!(feature = "ssr") { crate::domain::html::escape(text) } else { text.to_owned() }
}
