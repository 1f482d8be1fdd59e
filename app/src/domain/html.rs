//! HTML escaping: the one function that makes any text safe inside HTML content or a quoted attribute (e-mails,
//! and the server-rendered `<title>` and `<textarea>` that Leptos writes unescaped).

/// `text` made safe to place in HTML content or in a double- or single-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape("</textarea></title><img src=x onerror=alert(1)><b>INJ</b> & 'x' \"y\""),
            "&lt;/textarea&gt;&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;INJ&lt;/b&gt; &amp; &#39;x&#39; &quot;y&quot;"
        );
        assert_eq!(escape("Demande EP-2026-000001 – Évry"), "Demande EP-2026-000001 – Évry");
    }
}
