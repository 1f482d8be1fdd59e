//! The links between the pages of a long list.

use leptos::prelude::*;

/// Previous and next links of a paged list, as plain `<a>` carrying the list's whole query (filters and cursor or
/// page number), so paging works without JavaScript and every page has an address. The `nav` is named for screen
/// readers, and left out when there is only one page; the arrows are decoration, not part of the links' names.
#[component]
pub fn Pager(
    /// Names the navigation landmark ("Pages du journal").
    label: &'static str,
    /// The address of the page before, if any.
    previous: Option<String>,
    /// The address of the page after, if any.
    next: Option<String>,
    /// The previous link's text, for lists where "before" means something ("Demandes plus récentes").
    #[prop(default = "Page précédente")]
    previous_text: &'static str,
    #[prop(default = "Page suivante")] next_text: &'static str,
    /// Where the reader is ("Page 2 sur 5"), for lists counted in pages.
    #[prop(optional, into)]
    position: Option<String>,
) -> impl IntoView {
    (previous.is_some() || next.is_some()).then(|| {
        view! {
            <nav class="pagination" aria-label=label>
                {previous.map(|href| view! { <a href=href rel="prev"><span aria-hidden="true">"← "</span>{previous_text}</a> })}
                {position.map(|position| view! { <span>{position}</span> })}
                {next.map(|href| view! { <a href=href rel="next">{next_text}<span aria-hidden="true">" →"</span></a> })}
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(view: impl FnOnce() -> AnyView) -> String {
        Owner::new().with(|| view().to_html())
    }

    #[test]
    fn a_list_of_one_page_has_no_navigation() {
        let html = render(|| view! { <Pager label="Pages du journal" previous=None next=None /> }.into_any());
        assert!(!html.contains("<nav"), "{html}");
    }

    #[test]
    fn the_links_are_plain_links_named_by_their_words_not_their_arrows() {
        let html = render(|| {
            view! {
                <Pager
                    label="Pages du journal"
                    previous=Some("/admin/journal?avant=b".to_owned())
                    next=Some("/admin/journal?apres=a".to_owned())
                    next_text="Entrées plus anciennes"
                    position="Page 2 sur 3"
                />
            }
            .into_any()
        });
        assert!(html.starts_with(r#"<nav aria-label="Pages du journal" class="pagination">"#), "{html}");
        assert!(html.contains(r#"<a href="/admin/journal?avant=b" rel="prev"><span aria-hidden="true">← </span>Page précédente"#), "{html}");
        assert!(html.contains(r#"<a href="/admin/journal?apres=a" rel="next">Entrées plus anciennes<span aria-hidden="true"> →</span>"#), "{html}");
        assert!(html.contains("<span>Page 2 sur 3</span>"), "{html}");
    }
}
