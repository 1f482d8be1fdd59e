//! `/compte/exports/{id}`: a file prepared in the background, for the account that asked for it only.

use crate::api::exports::fetch_export;
use crate::dto::exports::ExportView;
use crate::ui::components::{loaded, path_param};
use crate::ui::islands::ExportProgress;
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;

#[component]
pub fn ExportPage() -> impl IntoView {
    let id = path_param("id");
    view! {
        <PageTitle text="Préparation d'un fichier" />
        <h1>"Préparation d'un fichier"</h1>
        {loaded(fetch_export(id), |export| view! { <ExportCard export /> })}
    }
}

#[component]
fn ExportCard(export: ExportView) -> impl IntoView {
    let intro = format!("{} au format {}, demandé le {}.", export.title, export.format, export.asked_at);
    let back = export.return_to.clone();
    view! {
        <div class="card narrow">
            <p>{intro}</p>
            <p>"Ce fichier compte trop de lignes pour être téléchargé tout de suite : il est préparé pendant que vous continuez à travailler."</p>
            <ExportProgress export />
        </div>
        <p><a href=back>"Retour à la page d'origine"</a></p>
    }
}
