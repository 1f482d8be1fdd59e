//! What a list page shows instead of its table when nothing is listed.

use leptos::prelude::*;

/// The one way a list says it is empty: a card with the French sentence (what is missing, or that nothing matches
/// the filters) and, when there is a next step, the link to it — a plain link, so it works without JavaScript.
#[component]
pub fn EmptyState(
    #[prop(into)] message: String,
    /// (address, link text) of what to do next, e.g. ("/partenaire/historique", "Effacer les filtres").
    #[prop(optional)]
    action: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    view! {
        <div class="card empty-state">
            <p>{message}</p>
            {action.map(|(href, text)| view! { <p><a href=href>{text}</a></p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_step_is_a_plain_link_under_the_sentence() {
        let html = Owner::new().with(|| {
            view! { <EmptyState message="Aucune demande ne correspond à ces critères." action=("/partenaire/historique", "Effacer les filtres") /> }
                .to_html()
        });
        assert!(html.contains(r#"<div class="card empty-state"><p>Aucune demande ne correspond à ces critères.</p><p><a href="/partenaire/historique">Effacer les filtres</a></p>"#), "{html}");
    }
}
