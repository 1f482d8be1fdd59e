//! `/caisse/file` ("File des demandes"): the caisse agent's home — counts per status and the caisse's requests,
//! filtered through the URL (a plain GET form) and paged by keyset.

use crate::api::triage::fetch_queue;
use crate::dto::triage::{BulkResult, QueuePage, QueueQuery};
use crate::domain::request_kind::RequestKind;
use crate::domain::request_lifecycle::Status;
use crate::domain::role::Role;
use crate::i18n::*;
use crate::ui::components::{ErrorPanel, Loading, RoleGate, href_with_query};
use leptos::prelude::*;
use crate::ui::page_title::PageTitle;
use leptos_router::hooks::use_query_map;

fn link(query: &QueueQuery) -> String {
    href_with_query(
        "/caisse/file",
        &[
            ("type", query.kind.clone()),
            ("statut", query.status.clone()),
            ("attribution", query.assignee.clone()),
            ("structure", query.structure.clone()),
            ("equipe", query.team.clone()),
            ("tri", query.sort.clone()),
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
            team: p.get("equipe"),
            sort: p.get("tri"),
            overdue: p.get("retard").is_some(),
            after: p.get("apres"),
            before: p.get("avant"),
        }
    });
    let page = Resource::new(move || query.get(), fetch_queue);
    view! {
        <PageTitle text=t_string!(i18n, caisse.title) />
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
    let team = query.team.clone().unwrap_or_default();
    let sort = query.sort.clone().unwrap_or_default();
    let caption = match sort.as_str() {
        "anciennes" => "Demandes de la caisse, les plus anciennes d'abord",
        "echeance" => "Demandes de la caisse, l'échéance la plus proche d'abord",
        _ => "Demandes de la caisse, les plus récentes d'abord",
    };
    let back = link(&query);
    view! {
        <p class="lead">{page.caisse_name.clone()}</p>
        <dl class="stats">
            {page.counts.iter().filter(|c| c.count > 0 || Status::parse(&c.code).is_ok_and(|s| s.is_open())).map(|c| view! {
                <div><dt>{c.label.clone()}</dt><dd>{c.count}</dd></div>
            }).collect_view()}
        </dl>
        <form method="get" action="/caisse/file" class="filters" role="search" aria-label="Filtrer la file">
            <div class="field">
                <label for="statut">"Statut"</label>
                <select id="statut" name="statut">
                    <option value="open" selected=status.is_empty() || status == "open">"À traiter (toutes étapes)"</option>
                    <option value="all" selected=status == "all">"Tous les statuts"</option>
                    {Status::ALL.into_iter().map(|s| {
                        view! { <option value=s.code() selected=status == s.code()>{s.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="type">"Type"</label>
                <select id="type" name="type">
                    <option value="" selected=kind.is_empty()>"Tous les types"</option>
                    {RequestKind::ALL.into_iter().map(|f| view! { <option value=f.code() selected=kind == f.code()>{f.short_label()}</option> }).collect_view()}
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
            <div class="field">
                <label for="equipe">"Équipe"</label>
                <select id="equipe" name="equipe">
                    <option value="" selected=team.is_empty()>"Toutes les équipes"</option>
                    {page.has_team.then(|| view! { <option value="mine" selected=team == "mine">"Mon équipe"</option> })}
                    {page.teams.iter().map(|t| {
                        let selected = t.id == team;
                        view! { <option value=t.id.clone() selected=selected>{t.label.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="tri">"Trier par"</label>
                <select id="tri" name="tri">
                    <option value="" selected=sort.is_empty()>"Les plus récentes"</option>
                    <option value="anciennes" selected=sort == "anciennes">"Les plus anciennes"</option>
                    <option value="echeance" selected=sort == "echeance">"Échéance la plus proche"</option>
                </select>
            </div>
            <div class="field choice">
                <input type="checkbox" id="retard" name="retard" value="oui" checked=query.overdue />
                <label for="retard">"Seulement les demandes en retard"</label>
            </div>
            <button type="submit" class="button">"Filtrer"</button>
        </form>
        {page.bulk_result.clone().map(|result| view! { <BulkResultPanel result /> })}
        {if page.rows.is_empty() {
            view! { <div class="card empty-state"><p>"Aucune demande ne correspond à ces critères."</p></div> }.into_any()
        } else {
            let agents = page.agents.clone();
            let teams = page.teams.clone();
            view! {
                <form method="post" action="/caisse/file/lot" class="bulk">
                <input type="hidden" name="retour" value=back />
                <div class="table-wrap" role="region" aria-label="Demandes de la caisse" tabindex="0">
                    <table>
                        <caption>{caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col"><span class="visually-hidden">"Sélection"</span></th>
                                <th scope="col">"Référence"</th>
                                <th scope="col">"Type"</th>
                                <th scope="col">"Structure"</th>
                                <th scope="col">"Assuré"</th>
                                <th scope="col">"Statut"</th>
                                <th scope="col">"Reçue le"</th>
                                <th scope="col">"Échéance"</th>
                                <th scope="col">"Équipe"</th>
                                <th scope="col">"Attribuée à"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.rows.into_iter().map(|row| view! {
                                <tr>
                                    <td>
                                        <input type="checkbox" name="ref" value=row.reference.clone() id=format!("lot-{}", row.reference)
                                            aria-label=format!("Sélectionner {}", row.reference) />
                                    </td>
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
                                    <td>{row.team.unwrap_or_else(|| "–".to_owned())}</td>
                                    <td>{row.assignee.unwrap_or_else(|| "Personne".to_owned())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <fieldset class="bulk-actions">
                    <legend>"Action sur les demandes cochées"</legend>
                    <div class="field">
                        <label for="lot-action">"Action"</label>
                        <select id="lot-action" name="action">
                            <option value="assign">"Attribuer à un agent"</option>
                            <option value="assign_team">"Confier à une équipe"</option>
                            <option value="close_duplicate">"Clôturer comme doublon"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="lot-agent">"Agent (pour une attribution)"</label>
                        <select id="lot-agent" name="assignee">
                            {agents.into_iter().map(|a| view! { <option value=a.id>{a.label}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="lot-equipe">"Équipe (pour confier)"</label>
                        <select id="lot-equipe" name="team">
                            {teams.into_iter().map(|t| view! { <option value=t.id>{t.label}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="lot-doublon">"Demande d'origine (pour un doublon)"</label>
                        <input id="lot-doublon" name="duplicate_of" type="text" placeholder="EP-AAAA-NNNNNN" autocomplete="off" />
                    </div>
                    <button type="submit" class="button">"Appliquer aux demandes cochées"</button>
                </fieldset>
                </form>
            }.into_any()
        }}
        <nav class="pagination" aria-label="Pages de la file">
            {newer.map(|href| view! { <a href=href rel="prev">"← Page précédente"</a> })}
            {older.map(|href| view! { <a href=href rel="next">"Page suivante →"</a> })}
        </nav>
    }
}

/// What a bulk action did: the requests it changed, and each one it could not change with the reason.
#[component]
fn BulkResultPanel(result: BulkResult) -> impl IntoView {
    let done = result.done.len();
    let class = if result.refused.is_empty() { "alert alert--success" } else { "alert alert--warning" };
    if let Some(problem) = result.problem {
        return view! { <div class="alert alert--warning" role="status" id="resultat-lot"><p>{problem}</p></div> }.into_any();
    }
    view! {
        <div class=class role="status" tabindex="-1" id="resultat-lot">
            <p>{match done {
                0 => "Aucune demande n'a été modifiée.".to_owned(),
                1 => "1 demande a été modifiée.".to_owned(),
                n => format!("{n} demandes ont été modifiées."),
            }}</p>
            {(!result.refused.is_empty()).then(|| view! {
                <ul>
                    {result.refused.into_iter().map(|(reference, reason)| view! { <li><strong>{reference}</strong>" : "{reason}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
    .into_any()
}
