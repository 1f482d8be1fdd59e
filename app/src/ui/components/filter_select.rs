//! The drop-down lists of the filter forms above lists: any choice, and the two every list of requests has, its
//! status and its kind.

use crate::domain::request_kind::RequestKind;
use crate::domain::request_lifecycle::{Reader, Status};
use leptos::prelude::*;

/// A labelled `<select>` of a GET filter form: the choice named in the address is selected, so the form shows the
/// filters of the page it is on. Unlike a form field it has no error of its own.
#[component]
pub fn FilterSelect(
    /// The query parameter, also the `id` the label points to unless `id` is given.
    name: &'static str,
    /// The `id`, when a form of the same page has a field of the same name.
    #[prop(optional)]
    id: Option<&'static str>,
    label: &'static str,
    /// The value in the address (empty when the filter is not set).
    #[prop(into)]
    selected: String,
    /// (value, label) pairs.
    options: Vec<(String, String)>,
    /// The first choice, with an empty value: what the list shows when this filter is not set ("Tous les types").
    #[prop(optional)]
    unset: Option<&'static str>,
) -> impl IntoView {
    let id = id.unwrap_or(name);
    let unset = unset.map(|text| view! { <option value="" selected=selected.is_empty()>{text}</option> });
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                {unset}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let chosen = value == selected;
                        view! { <option value=value selected=chosen>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The kind filter of a list of requests (`type`): every kind, by its short label, after "Tous les types".
#[component]
pub fn KindSelect(#[prop(into)] selected: String) -> impl IntoView {
    let options = RequestKind::ALL.into_iter().map(|kind| (kind.code().to_owned(), kind.short_label().to_owned())).collect();
    view! { <FilterSelect name="type" label="Type" selected options unset="Tous les types" /> }
}

/// The status filter of a list of requests (`statut`): the list's groupings first ("En cours (toutes étapes)"),
/// then every status, in `Status::ALL`'s order.
#[component]
pub fn StatusSelect(
    #[prop(into)] selected: String,
    /// (value, label) of the groupings the list's server function understands ("open", "finished", "all").
    groups: &'static [(&'static str, &'static str)],
    /// The first choice, with an empty value, when the list has one ("Tous les statuts").
    #[prop(optional)]
    unset: Option<&'static str>,
    /// Whose list it is: the statuses read as that side reads them.
    reader: Reader,
) -> impl IntoView {
    let options = groups
        .iter()
        .map(|(value, text)| ((*value).to_owned(), (*text).to_owned()))
        .chain(Status::ALL.into_iter().map(|status| (status.code().to_owned(), status.label(reader).to_owned())))
        .collect();
    match unset {
        Some(unset) => view! { <FilterSelect name="statut" label="Statut" selected options unset /> }.into_any(),
        None => view! { <FilterSelect name="statut" label="Statut" selected options /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(view: impl FnOnce() -> AnyView) -> String {
        Owner::new().with(|| view().to_html())
    }

    #[test]
    fn the_choice_in_the_address_is_selected_and_unset_comes_first() {
        let html = render(|| view! { <KindSelect selected="contact" /> }.into_any());
        assert!(html.contains(r#"<label for="type">Type</label><select id="type" name="type"><option value="">Tous les types</option>"#), "{html}");
        assert!(html.contains(r#"<option value="contact" selected>"#), "{html}");
        assert_eq!(html.matches(" selected").count(), 1, "{html}");
    }

    #[test]
    fn the_status_filter_lists_the_groupings_then_every_status() {
        let html = render(|| {
            view! { <StatusSelect selected="" groups=&[("open", "En cours")] unset="Tous les statuts" reader=Reader::Caisse /> }.into_any()
        });
        assert!(html.contains(r#"<option value="" selected>Tous les statuts</option><option value="open">En cours</option>"#), "{html}");
        for status in Status::ALL {
            assert!(html.contains(&format!(r#"<option value="{}">{}</option>"#, status.code(), status.label(Reader::Caisse))), "{html}");
        }
    }

    #[test]
    fn a_filter_can_have_its_own_id() {
        let html = render(|| view! { <FilterSelect name="role" id="filtre-role" label="Rôle" selected="" options=vec![] /> }.into_any());
        assert!(html.contains(r#"<label for="filtre-role">Rôle</label><select id="filtre-role" name="role">"#), "{html}");
    }
}
