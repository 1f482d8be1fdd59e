//! `/caisse/file` ("File des demandes"): the caisse agent's home — counts per status and the caisse's requests,
//! filtered through the URL (a plain GET form) and paged by keyset.

use crate::api::caisse::{QueuePage, QueueQuery, fetch_queue};
use crate::domain::convention::PartnerFunction;
use crate::domain::request_lifecycle::Status;
use crate::domain::role::Role;
use crate::i18n::*;
use crate::ui::components::{ErrorPanel, Loading, RoleGate, href_with_query};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn link(query: &QueueQuery) -> String {
    href_with_query(
        "/caisse/file",
        &[
            ("type", query.kind.clone()),
            ("statut", query.status.clone()),
            ("attribution", query.assignee.clone()),
            ("structure", query.structure.clone()),
            ("retard", query.overdue.then(|| "oui".to_owned())),
            ("apres", query.after.clone()),
            ("avant", query.before.clone()),
        ],
    )
}

#[component]
pub fn QueuePageView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        QueueQuery {
            kind: p.get("type"),
            status: p.get("statut"),
            assignee: p.get("attribution"),
            structure: p.get("structure"),
            overdue: p.get("retard").is_some(),
            after: p.get("apres"),
            before: p.get("avant"),
        }
    });
    let page = Resource::new(move || query.get(), fetch_queue);
    view! {
        <Title text=t_string!(i18n, caisse.title) />
        <RoleGate role=Role::CaisseAgent>
            <h1>{t!(i18n, caisse.title)}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <QueueView page query=query.get_untracked() /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RoleGate>
    }
}

#[component]
fn QueueView(page: QueuePage, query: QueueQuery) -> impl IntoView {
    let older = page.next.clone().map(|c| link(&QueueQuery { after: Some(c), before: None, ..query.clone() }));
    let newer = page.previous.clone().map(|c| link(&QueueQuery { before: Some(c), after: None, ..query.clone() }));
    let status = query.status.clone().unwrap_or_default();
    let kind = query.kind.clone().unwrap_or_default();
    let assignee = query.assignee.clone().unwrap_or_default();
    let structure = query.structure.clone().unwrap_or_default();
    view! {
        <p class="lead">{page.caisse_name.clone()}</p>
        <dl class="stats">
            {page.counts.iter().filter(|c| c.count > 0 || Status::parse(&c.code).is_some_and(|s| s.is_open())).map(|c| view! {
                <div><dt>{c.label.clone()}</dt><dd>{c.count}</dd></div>
            }).collect_view()}
        </dl>
        <form method="get" action="/caisse/file" class="filters" role="search" aria-label="Filtrer la file">
            <div class="field">
                <label for="statut">"Statut"</label>
                <select id="statut" name="statut">
                    <option value="open" selected=status.is_empty() || status == "open">"À traiter (toutes étapes)"</option>
                    <option value="all" selected=status == "all">"Tous les statuts"</option>
                    {Status::ALL.into_iter().filter(|s| !matches!(s, Status::Draft | Status::Discarded)).map(|s| {
                        view! { <option value=s.code() selected=status == s.code()>{s.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="type">"Type"</label>
                <select id="type" name="type">
                    <option value="" selected=kind.is_empty()>"Tous les types"</option>
                    {PartnerFunction::ALL.into_iter().map(|f| view! { <option value=f.code() selected=kind == f.code()>{f.short_label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="attribution">"Attribution"</label>
                <select id="attribution" name="attribution">
                    <option value="" selected=assignee.is_empty()>"Tout le monde"</option>
                    <option value="me" selected=assignee == "me">"Mes demandes"</option>
                    <option value="none" selected=assignee == "none">"Non attribuées"</option>
                </select>
            </div>
            <div class="field">
                <label for="structure">"Structure partenaire"</label>
                <select id="structure" name="structure">
                    <option value="" selected=structure.is_empty()>"Toutes les structures"</option>
                    {page.structures.iter().map(|s| {
                        let selected = s.id == structure;
                        view! { <option value=s.id.clone() selected=selected>{s.label.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field choice">
                <input type="checkbox" id="retard" name="retard" value="oui" checked=query.overdue />
                <label for="retard">"Seulement les demandes en retard"</label>
            </div>
            <button type="submit" class="button">"Filtrer"</button>
        </form>
        {if page.rows.is_empty() {
            view! { <div class="card empty-state"><p>"Aucune demande ne correspond à ces critères."</p></div> }.into_any()
        } else {
            view! {
                <div class="table-wrap" role="region" aria-label="Demandes de la caisse" tabindex="0">
                    <table>
                        <caption>"Demandes de la caisse, les plus récentes d'abord"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Référence"</th>
                                <th scope="col">"Type"</th>
                                <th scope="col">"Structure"</th>
                                <th scope="col">"Assuré"</th>
                                <th scope="col">"Statut"</th>
                                <th scope="col">"Reçue le"</th>
                                <th scope="col">"Échéance"</th>
                                <th scope="col">"Attribuée à"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.rows.into_iter().map(|row| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/caisse/demandes/{}", row.reference)>{row.reference.clone()}</a></th>
                                    <td>{row.kind}</td>
                                    <td>{row.structure}</td>
                                    <td>{if row.beneficiary.is_empty() { "–".to_owned() } else { row.beneficiary }}</td>
                                    <td><span class=format!("badge badge--{}", row.status_code)>{row.status}</span></td>
                                    <td>{row.created_at}</td>
                                    <td>{row.due.map(|(day, state)| {
                                        let class = if state == "En retard" { "badge badge--suspended" } else { "badge badge--submitted" };
                                        view! { {day}<br /><span class=class>{state}</span> }
                                    })}</td>
                                    <td>{row.assignee.unwrap_or_else(|| "Personne".to_owned())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <nav class="pagination" aria-label="Pages de la file">
            {newer.map(|href| view! { <a href=href rel="prev">"← Demandes plus récentes"</a> })}
            {older.map(|href| view! { <a href=href rel="next">"Demandes plus anciennes →"</a> })}
        </nav>
    }
}
