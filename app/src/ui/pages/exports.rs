//! `/compte/exports/{id}`: a file prepared in the background, for the account that asked for it only.

use crate::api::exports::fetch_export;
use crate::dto::error::AppError;
use crate::ui::components::{ErrorPanel, Loading};
use crate::ui::islands::ExportProgress;
use crate::ui::page_title::PageTitle;
use crate::ui::pages::errors::{Forbidden, NotFound};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ExportPage() -> impl IntoView {
    let params = use_params_map();
    let export = Resource::new(move || params.read().get("id").unwrap_or_default(), fetch_export);
    view! {
        <PageTitle text="Préparation d'un fichier" />
        <h1>"Préparation d'un fichier"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match export.await {
                    Ok(export) => {
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
                            .into_any()
                    }
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
