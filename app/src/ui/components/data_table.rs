//! The table of a list page: a caption, a header row from column names, the rows the page gives, inside a
//! scrolling region that keyboard users can reach and screen-reader users hear named by the caption.

use leptos::prelude::*;

/// A column heading; `hidden` ones are read by screen readers only (the column of row checkboxes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    label: &'static str,
    hidden: bool,
}

impl Column {
    /// A heading that is read but not shown, for a column whose cells speak for themselves.
    pub fn hidden(label: &'static str) -> Self {
        Self { label, hidden: true }
    }
}

impl From<&'static str> for Column {
    fn from(label: &'static str) -> Self {
        Self { label, hidden: false }
    }
}

/// The headings of a table, left to right: from an array or a `Vec` of labels or of [`Column`]s.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Columns(Vec<Column>);

impl<T: Into<Column>, const N: usize> From<[T; N]> for Columns {
    fn from(columns: [T; N]) -> Self {
        Self(columns.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Column>> From<Vec<T>> for Columns {
    fn from(columns: Vec<T>) -> Self {
        Self(columns.into_iter().map(Into::into).collect())
    }
}

/// Every list page's table, written once so that each one has its caption, its `scope`d headings and a scrolling
/// region that is focusable (`tabindex="0"`, so a keyboard can scroll a wide table on a narrow screen) and named
/// by the caption (`role="region"` + `aria-labelledby`). The children are the body's rows; a row's first cell is
/// best a `<th scope="row">`.
#[component]
pub fn DataTable(
    /// The table's id, unique on the page; its caption's is `{id}-caption`.
    #[prop(into)]
    id: String,
    /// What the table lists and in which order ("Comptes, par nom").
    #[prop(into)]
    caption: String,
    /// Hides the caption on screen (still read, and still naming the region) when a heading above says the same.
    #[prop(optional)]
    hide_caption: bool,
    #[prop(into)] columns: Columns,
    /// A class added to the region, for a page's own styling.
    #[prop(optional)]
    class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let (caption_id, labelled_by) = (format!("{id}-caption"), format!("{id}-caption"));
    let region_class = match class {
        Some(class) => format!("table-wrap {class}"),
        None => "table-wrap".to_owned(),
    };
    view! {
        <div class=region_class role="region" aria-labelledby=labelled_by tabindex="0">
            <table id=id>
                {if hide_caption {
                    view! { <caption id=caption_id class="visually-hidden">{caption}</caption> }.into_any()
                } else {
                    view! { <caption id=caption_id>{caption}</caption> }.into_any()
                }}
                <thead>
                    <tr>
                        {columns
                            .0
                            .into_iter()
                            .map(|column| {
                                if column.hidden {
                                    view! { <th scope="col"><span class="visually-hidden">{column.label}</span></th> }.into_any()
                                } else {
                                    view! { <th scope="col">{column.label}</th> }.into_any()
                                }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(view: impl FnOnce() -> AnyView) -> String {
        Owner::new().with(|| view().to_html())
    }

    #[test]
    fn the_region_is_focusable_and_named_by_the_caption() {
        let html = render(|| {
            view! {
                <DataTable id="comptes" caption="Comptes, par nom" hide_caption=true columns=["Nom", "Rôle"]>
                    <tr><th scope="row">"Claire Martin"</th><td>"Agent"</td></tr>
                </DataTable>
            }
            .into_any()
        });
        let region = &html[..html.find('>').unwrap_or_default()];
        for attribute in [r#"class="table-wrap""#, r#"role="region""#, r#"aria-labelledby="comptes-caption""#, r#"tabindex="0""#] {
            assert!(region.starts_with("<div ") && region.contains(attribute), "{attribute} in {html}");
        }
        assert!(html.contains(r#"<table id="comptes">"#), "{html}");
        assert!(html.contains(r#"<caption id="comptes-caption" class="visually-hidden">Comptes, par nom</caption>"#), "{html}");
        assert!(html.contains(r#"<th scope="col">Nom</th><th scope="col">Rôle</th>"#), "{html}");
        assert!(html.contains(r#"<tbody><tr><th scope="row">Claire Martin</th>"#), "{html}");
    }

    #[test]
    fn a_hidden_heading_is_read_but_not_shown() {
        let html = render(|| {
            view! {
                <DataTable id="file" caption="Demandes" columns=[Column::hidden("Sélection"), "Référence".into()]>
                    <tr><td></td><td>"EP-2026-000001"</td></tr>
                </DataTable>
            }
            .into_any()
        });
        assert!(html.contains(r#"<th scope="col"><span class="visually-hidden">Sélection</span></th><th scope="col">Référence</th>"#), "{html}");
        assert!(html.contains(r#"<caption id="file-caption">Demandes</caption>"#), "{html}");
    }
}
