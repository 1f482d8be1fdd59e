//! The dossier type (with the free text of « Autre ») and the checklist of documents it expects: only the chosen type's checklist is shown. Without
//! JavaScript every checklist is shown, each under its type's name.

use crate::domain::request_details::DossierType;
use crate::dto::error::{AppError, FieldError};
use crate::ui::components::TextField;
use crate::ui::fields::{ChoiceGroup, SelectField};
use leptos::prelude::*;

/// What was chosen, ticked and typed before the form came back (`value`, `ticked`, `other`), and the server's
/// message for each of the three fields.
#[island]
pub fn DossierDocuments(
    value: String,
    ticked: Vec<String>,
    other: String,
    type_error: Option<String>,
    documents_error: Option<String>,
    other_error: Option<String>,
) -> impl IntoView {
    let errors: Vec<FieldError> = [("dossier_type", type_error), ("documents", documents_error), ("other_type", other_error)]
        .into_iter()
        .filter_map(|(field, message)| message.map(|message| FieldError { field: field.to_owned(), message }))
        .collect();
    let error = Signal::stored((!errors.is_empty()).then_some(AppError::Validation(errors)));
    let selected = RwSignal::new(DossierType::parse(&value).ok());
    let options = DossierType::ALL.iter().map(|t| (t.code().to_owned(), t.label().to_owned())).collect();
    view! {
        <SelectField
            name="dossier_type"
            label="Type de dossier"
            required=true
            options
            value
            on_change=Callback::new(move |code: String| selected.set(DossierType::parse(&code).ok()))
            error
        />
        <TextField name="other_type" label="Autre type : précisez" hint="Seulement pour « Autre étude de dossier »." error value=Signal::stored(other) />
        {DossierType::ALL
            .iter()
            .map(|t| {
                let t = *t;
                let options: Vec<(String, String)> = t.checklist().iter().map(|d| ((*d).to_owned(), (*d).to_owned())).collect();
                view! {
                    <div hidden=move || selected.get().is_some_and(|s| s != t)>
                        <ChoiceGroup
                            name="documents"
                            id=format!("documents-{}", t.code())
                            legend=format!("Pièces attendues – {} : cochez celles que vous joignez", t.label())
                            multiple=true
                            options
                            chosen=ticked.clone()
                            error
                        />
                    </div>
                }
            })
            .collect_view()}
    }
}
