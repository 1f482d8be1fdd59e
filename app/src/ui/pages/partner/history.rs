//! `/partenaire/historique`: every request of the structure, newest first, with filters in the URL (a plain GET
//! form, so it works without JavaScript and can be bookmarked) and keyset pagination.

use crate::api::requests::fetch_history;
use crate::domain::csv::{EXPORT_MAX_ROWS, thousands};
use crate::domain::request_lifecycle::Reader;
use crate::domain::role::Role;
use crate::dto::common::href_with_query;
use crate::dto::error::AppError;
use crate::dto::requests::{HistoryQuery, RequestRow};
use crate::ui::components::{DataTable, EmptyState, ErrorPanel, KindSelect, Pager, RoleGate, StatusSelect, TextField, awaited};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The table of requests shared by the history and the home page.
#[component]
pub fn RequestTable(rows: Vec<RequestRow>, #[prop(into)] caption: String) -> impl IntoView {
    view! {
        <DataTable id="requests-table" caption columns=["Référence", "Type", "Assuré", "Statut", "Envoyée le", "Par"]>
            {rows
                .into_iter()
                .map(|row| view! {
                    <tr>
                        <th scope="row"><a href=format!("/partenaire/demandes/{}", row.reference)>{row.reference.clone()}</a></th>
                        <td>{row.kind}</td>
                        <td>{if row.beneficiary.is_empty() { "–".to_owned() } else { row.beneficiary }}</td>
                        <td><span class=format!("badge badge--{}", row.status_code)>{row.status}</span></td>
                        <td>{row.created_at}</td>
                        <td>{row.author}</td>
                    </tr>
                })
                .collect_view()}
        </DataTable>
    }
}

fn query_link(query: &HistoryQuery) -> String {
    href_with_query("/partenaire/historique", &query.params())
}

/// The CSV of every request the filters keep (not only this page's).
fn export_link(query: &HistoryQuery) -> String {
    href_with_query("/partenaire/historique.csv", &HistoryQuery { after: None, before: None, ..query.clone() }.params())
}

#[component]
pub fn HistoryPageView() -> impl IntoView {
    let params = use_query_map().get_untracked();
    let query = HistoryQuery::from_params(|name| params.get(name));
    view! {
        <PageTitle text="Historique des demandes" />
        <RoleGate role=Role::PartnerAgent>
            <h1>"Historique des demandes"</h1>
            <p class="lead">"Toutes les demandes de votre structure, les plus récentes d'abord : vos collègues et vous pouvez reprendre les dossiers des uns et des autres."</p>
            <Filters query=query.clone() />
            {awaited(fetch_history(query.clone()), move |history| match history {
                Err(error) => view! { <ErrorPanel error /> }.into_any(),
                Ok(page) => {
                    let current = query;
                    let older = page.next.clone().map(|cursor| query_link(&HistoryQuery { after: Some(cursor), before: None, ..current.clone() }));
                    let newer = page.previous.clone().map(|cursor| query_link(&HistoryQuery { before: Some(cursor), after: None, ..current.clone() }));
                    view! {
                        {page.notices.into_iter().map(|n| view! { <p class="alert alert--warning" role="status">{n}</p> }).collect_view()}
                        {if page.rows.is_empty() && current.is_filtered() {
                            // The filters' own « Effacer les filtres » link is just above.
                            view! { <EmptyState message="Aucune demande ne correspond à ces critères." /> }.into_any()
                        } else if page.rows.is_empty() {
                            view! { <EmptyState message="Votre structure n'a encore envoyé aucune demande." /> }.into_any()
                        } else {
                            view! {
                                <p>
                                    <a href=export_link(&current) download="historique-demandes.csv" class="button button--secondary">"Télécharger en CSV"</a>
                                    " "
                                    <span class="hint">{format!("Toutes les demandes filtrées (pas seulement cette page), {} au maximum, sans NIR.", thousands(EXPORT_MAX_ROWS))}</span>
                                </p>
                                <RequestTable rows=page.rows caption="Demandes de la structure" />
                            }.into_any()
                        }}
                        <Pager
                            label="Pages de l'historique"
                            previous=newer
                            next=older
                            previous_text="Demandes plus récentes"
                            next_text="Demandes plus anciennes"
                        />
                    }.into_any()
                }
            })}
        </RoleGate>
    }
}

/// The groupings the status filter offers before the single statuses.
const STATUS_GROUPS: &[(&str, &str)] = &[("open", "En cours (toutes étapes)"), ("finished", "Terminées")];

#[component]
fn Filters(query: HistoryQuery) -> impl IntoView {
    let kind = query.kind.clone().unwrap_or_default();
    let status = query.status.clone().unwrap_or_default();
    // An unreadable or inverted period is named under its field (the server did not apply it).
    let error = Signal::stored(query.period().err().map(AppError::Validation));
    let date = |value: &Option<String>| Signal::stored(value.clone().unwrap_or_default());
    view! {
        <form method="get" action="/partenaire/historique" class="filters" role="search" aria-label="Filtrer les demandes">
            <div class="field">
                <label for="q">"Référence ou nom de l'assuré"</label>
                <input type="search" id="q" name="q" value=query.search.clone().unwrap_or_default() />
            </div>
            <KindSelect selected=kind />
            <StatusSelect selected=status groups=STATUS_GROUPS unset="Tous les statuts" reader=Reader::Partner />
            <TextField name="du" label="Envoyées du" kind="date" error value=date(&query.from) />
            <TextField name="au" label="au" kind="date" error value=date(&query.to) />
            <div class="field choice">
                <input type="checkbox" id="auteur" name="auteur" value="moi" checked=query.mine />
                <label for="auteur">"Seulement mes demandes (écrites ou suivies)"</label>
            </div>
            <button type="submit" class="button">"Filtrer"</button>
            {query.is_filtered().then(|| view! { <a href="/partenaire/historique" class="button button--secondary">"Effacer les filtres"</a> })}
        </form>
    }
}
