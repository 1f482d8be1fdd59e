//! `/partenaire/historique`: every request of the structure, newest first, with filters in the URL (a plain GET
//! form, so it works without JavaScript and can be bookmarked) and keyset pagination.

use crate::api::requests::fetch_history;
use crate::dto::requests::{HistoryQuery, RequestRow};
use crate::domain::request_kind::RequestKind;
use crate::domain::request_lifecycle::Status;
use crate::domain::role::Role;
use crate::ui::components::{ErrorPanel, Loading, RoleGate, href_with_query};
use leptos::prelude::*;
use crate::ui::page_title::PageTitle;
use leptos_router::hooks::use_query_map;

/// The table of requests shared by the history and the home page.
#[component]
pub fn RequestTable(rows: Vec<RequestRow>, #[prop(into)] caption: String) -> impl IntoView {
    let region_label = caption.clone();
    view! {
        <div class="table-wrap" role="region" aria-label=region_label tabindex="0">
            <table>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Référence"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Assuré"</th>
                        <th scope="col">"Statut"</th>
                        <th scope="col">"Envoyée le"</th>
                        <th scope="col">"Par"</th>
                    </tr>
                </thead>
                <tbody>
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
                </tbody>
            </table>
        </div>
    }
}

fn query_link(query: &HistoryQuery) -> String {
    href_with_query(
        "/partenaire/historique",
        &[
            ("type", query.kind.clone()),
            ("statut", query.status.clone()),
            ("du", query.from.clone()),
            ("au", query.to.clone()),
            ("q", query.search.clone()),
            ("apres", query.after.clone()),
            ("avant", query.before.clone()),
            ("auteur", query.mine.then(|| "moi".to_owned())),
        ],
    )
}

#[component]
pub fn HistoryPageView() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        HistoryQuery {
            kind: p.get("type"),
            status: p.get("statut"),
            mine: p.get("auteur").as_deref() == Some("moi"),
            from: p.get("du"),
            to: p.get("au"),
            search: p.get("q"),
            after: p.get("apres"),
            before: p.get("avant"),
        }
    });
    let history = Resource::new(move || query.get(), fetch_history);
    view! {
        <PageTitle text="Historique des demandes" />
        <RoleGate role=Role::PartnerAgent>
            <h1>"Historique des demandes"</h1>
            <p class="lead">"Toutes les demandes de votre structure, les plus récentes d'abord : vos collègues et vous pouvez reprendre les dossiers des uns et des autres."</p>
            <Filters query=query.get_untracked() />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match history.await {
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                        Ok(page) => {
                            let current = query.get_untracked();
                            let older = page.next.clone().map(|cursor| query_link(&HistoryQuery { after: Some(cursor), before: None, ..current.clone() }));
                            let newer = page.previous.clone().map(|cursor| query_link(&HistoryQuery { before: Some(cursor), after: None, ..current.clone() }));
                            view! {
                                {page.notices.into_iter().map(|n| view! { <p class="alert alert--warning" role="status">{n}</p> }).collect_view()}
                                {if page.rows.is_empty() {
                                    view! {
                                        <div class="card empty-state">
                                            <p>"Aucune demande ne correspond à ces critères."</p>
                                            <p><a href="/partenaire/historique">"Effacer les filtres"</a></p>
                                        </div>
                                    }.into_any()
                                } else {
                                    view! { <RequestTable rows=page.rows caption="Demandes de la structure" /> }.into_any()
                                }}
                                <nav class="pagination" aria-label="Pages de l'historique">
                                    {newer.map(|href| view! { <a href=href rel="prev">"← Demandes plus récentes"</a> })}
                                    {older.map(|href| view! { <a href=href rel="next">"Demandes plus anciennes →"</a> })}
                                </nav>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </RoleGate>
    }
}

#[component]
fn Filters(query: HistoryQuery) -> impl IntoView {
    let kind = query.kind.clone().unwrap_or_default();
    let status = query.status.clone().unwrap_or_default();
    let status_options: Vec<(String, String)> = [("open".to_owned(), "En cours (toutes étapes)".to_owned()), ("finished".to_owned(), "Terminées".to_owned())]
        .into_iter()
        .chain(Status::ALL.into_iter().map(|s| (s.code().to_owned(), s.label().to_owned())))
        .collect();
    view! {
        <form method="get" action="/partenaire/historique" class="filters" role="search" aria-label="Filtrer les demandes">
            <div class="field">
                <label for="q">"Référence ou nom de l'assuré"</label>
                <input type="search" id="q" name="q" value=query.search.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="type">"Type"</label>
                <select id="type" name="type">
                    <option value="" selected=kind.is_empty()>"Tous les types"</option>
                    {RequestKind::ALL.into_iter().map(|f| view! { <option value=f.code() selected=kind == f.code()>{f.short_label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="statut">"Statut"</label>
                <select id="statut" name="statut">
                    <option value="" selected=status.is_empty()>"Tous les statuts"</option>
                    {status_options.into_iter().map(|(code, label)| {
                        let selected = code == status;
                        view! { <option value=code selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="du">"Envoyées du"</label>
                <input type="date" id="du" name="du" value=query.from.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="au">"au"</label>
                <input type="date" id="au" name="au" value=query.to.clone().unwrap_or_default() />
            </div>
            <div class="field choice">
                <input type="checkbox" id="auteur" name="auteur" value="moi" checked=query.mine />
                <label for="auteur">"Seulement mes demandes (écrites ou suivies)"</label>
            </div>
            <button type="submit" class="button">"Filtrer"</button>
        </form>
    }
}
