//! `/admin/delais`: the caisse's answer budget for each kind of request, in business days. A request's due date
//! is computed when it is sent, so a change applies to the requests sent afterwards. Works without JavaScript.

use crate::api::setup::{SaveDueDates, fetch_due_dates};
use crate::domain::role::Role;
use crate::dto::setup::DueDatesPage as Page;
use crate::ui::components::{ErrorSummary, RoleGate, TextField, action_error, loaded};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DueDatesPage() -> impl IntoView {
    view! {
        <PageTitle text="Délais de traitement" />
        <RoleGate role=Role::Admin>
            {loaded(fetch_due_dates(), |page| view! { <DueDatesView page /> })}
        </RoleGate>
    }
}

#[component]
fn DueDatesView(page: Page) -> impl IntoView {
    let query = use_query_map();
    let saved = move || query.read().get("fait").is_some();
    let save = ServerAction::<SaveDueDates>::new();
    let error = action_error(save);
    let max_days = page.max_days;
    view! {
        <h1>"Délais de traitement"</h1>
        <p class="lead">
            {format!(
                "Le nombre de jours ouvrés que se donne la caisse ({}) pour répondre à chaque type de demande. Les week-ends et jours fériés ne comptent pas, et le délai est suspendu tant que la caisse attend un complément de la structure.",
                page.caisse_name,
            )}
        </p>
        <p>"L'échéance d'une demande est calculée à son envoi : un changement vaut pour les demandes envoyées ensuite."</p>
        <Show when=saved><div class="alert alert--success" role="status"><p>"Les délais ont été enregistrés."</p></div></Show>
        <section class="card" aria-labelledby="budgets-title">
            <h2 id="budgets-title">"Délai par type de demande"</h2>
            <ErrorSummary error title="Les délais n'ont pas été enregistrés" />
            <ActionForm action=save attr:novalidate=true>
                <p class="hint">{format!("Tous les champs sont obligatoires : un nombre entier de jours ouvrés, de 1 à {max_days}. Si l'un est incorrect, rien n'est enregistré.")}</p>
                {page
                    .budgets
                    .into_iter()
                    .map(|line| view! {
                        <TextField
                            name=line.kind
                            label=line.label
                            kind="number"
                            hint=format!("jours ouvrés (de 1 à {max_days} ; {} par défaut)", line.default_days)
                            required=true
                            error
                            value=Signal::stored(line.days)
                        />
                    })
                    .collect_view()}
                <button type="submit" class="button">"Enregistrer les délais"</button>
            </ActionForm>
        </section>
    }
}
