//! `/caisse/file` ("File des demandes"): the caisse agent's home — counts per status and the caisse's requests,
//! filtered through the URL (a plain GET form) and paged by keyset.

use crate::api::triage::fetch_queue;
use crate::domain::request_lifecycle::Reader;
use crate::domain::role::Role;
use crate::dto::error::AppError;
use crate::dto::triage::{BulkResult, QueuePage, QueueQuery, SearchReturn};
use crate::ui::components::{Column, DataTable, EmptyState, ErrorPanel, FilterSelect, KindSelect, Pager, RoleGate, StatusSelect, TextField, awaited};
use crate::ui::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn link(query: &QueueQuery) -> String {
    query.href()
}

/// The groupings the status filter offers before the single statuses.
const STATUS_GROUPS: &[(&str, &str)] = &[("open", "À traiter (toutes étapes)"), ("all", "Tous les statuts")];

#[component]
pub fn QueuePageView() -> impl IntoView {
    let params = use_query_map().get_untracked();
    let query = QueueQuery::from_params(|name| params.get(name));
    view! {
        <PageTitle text="File des demandes" />
        <RoleGate role=Role::CaisseAgent>
            <h1>{"File des demandes"}</h1>
            {awaited(fetch_queue(query.clone()), move |page| match page {
                Ok(page) => view! { <QueueView page query /> }.into_any(),
                Err(error) => view! { <ErrorPanel error /> }.into_any(),
            })}
        </RoleGate>
    }
}

#[component]
fn QueueView(page: QueuePage, query: QueueQuery) -> impl IntoView {
    let older = page.next.clone().map(|c| link(&QueueQuery { after: Some(c), before: None, ..query.clone() }));
    let newer = page.previous.clone().map(|c| link(&QueueQuery { before: Some(c), after: None, ..query.clone() }));
    // With no status chosen, the queue shows what is still to be done.
    let status = query.status.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "open".to_owned());
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
    let choice = |value: &str, label: &str| (value.to_owned(), label.to_owned());
    let assignee_options = vec![choice("me", "Mes demandes"), choice("none", "Non attribuées")];
    let structure_options = page.structures.iter().map(|s| (s.id.clone(), s.label.clone())).collect();
    let team_options =
        page.has_team.then(|| choice("mine", "Mon équipe")).into_iter().chain(page.teams.iter().map(|t| (t.id.clone(), t.label.clone()))).collect();
    let sort_options = vec![choice("anciennes", "Les plus anciennes"), choice("echeance", "Échéance la plus proche")];
    view! {
        <p class="lead">{page.caisse_name.clone()}</p>
        <dl class="stats">
            {page.counts.iter().map(|c| view! {
                <div><dt>{c.label.clone()}</dt><dd>{c.count}</dd></div>
            }).collect_view()}
        </dl>
        <SearchForm query=query.clone() nir_search=page.nir_search.clone() returned=page.search_return.clone() />
        <form method="get" action="/caisse/file" class="filters" role="search" aria-label="Filtrer la file">
            {query.search.clone().map(|q| view! { <input type="hidden" name="q" value=q /> })}
            {query.nir.then(|| view! { <input type="hidden" name="nir" value="1" /> })}
            <StatusSelect selected=status groups=STATUS_GROUPS reader=Reader::Caisse />
            <KindSelect selected=kind />
            <FilterSelect name="attribution" label="Attribution" selected=assignee options=assignee_options unset="Tout le monde" />
            <FilterSelect name="structure" label="Structure partenaire" selected=structure options=structure_options unset="Toutes les structures" />
            <FilterSelect name="equipe" label="Équipe" selected=team options=team_options unset="Toutes les équipes" />
            <FilterSelect name="tri" label="Trier par" selected=sort options=sort_options unset="Les plus récentes" />
            <div class="field choice">
                <input type="checkbox" id="retard" name="retard" value="oui" checked=query.overdue />
                <label for="retard">"Seulement les demandes en retard"</label>
            </div>
            <button type="submit" class="button">"Filtrer"</button>
        </form>
        <p class="exports">
            "Télécharger toutes les demandes de ces filtres (sans NIR ; au-delà de quelques milliers, le fichier est préparé en arrière-plan) : "
            {[("csv", "CSV"), ("xlsx", "XLSX"), ("ods", "ODS")].map(|(extension, name)| {
                view! { <a href=query.download_href(extension)>{name}</a>" " }
            }).into_iter().collect_view()}
        </p>
        {page.bulk_result.clone().map(|result| view! { <BulkResultPanel result /> })}
        {if page.rows.is_empty() {
            view! { <EmptyState message="Aucune demande ne correspond à ces critères." /> }.into_any()
        } else {
            let agents = page.agents.clone();
            let teams = page.teams.clone();
            view! {
                <form method="post" action="/caisse/file/lot" class="bulk">
                <input type="hidden" name="retour" value=back />
                <DataTable
                    id="queue-table"
                    class="queue"
                    caption=caption
                    columns=[
                        Column::hidden("Sélection"),
                        "Demande".into(),
                        "Structure".into(),
                        "Assuré".into(),
                        "Statut".into(),
                        "Reçue le".into(),
                        "Échéance".into(),
                        "Équipe".into(),
                        "Attribuée à".into(),
                    ]
                >
                    {page.rows.into_iter().map(|row| view! {
                        <tr>
                            <td>
                                <input type="checkbox" name="ref" value=row.reference.clone() id=format!("lot-{}", row.reference)
                                    aria-label=format!("Sélectionner {}", row.reference) />
                            </td>
                            <th scope="row">
                                <a href=format!("/caisse/demandes/{}", row.reference)>{row.reference.clone()}</a>
                                <span class="queue__kind">{row.kind}</span>
                            </th>
                            <td>{row.structure}</td>
                            <td>{beneficiary_lines(&row.beneficiary)}</td>
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
                </DataTable>
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
        <Pager label="Pages de la file" previous=newer next=older />
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

/// The assuré in the queue: the name, then the masked NIR on its own line (`RequestRow::beneficiary` joins them
/// with « · »); a dash for a request about nobody.
fn beneficiary_lines(beneficiary: &str) -> AnyView {
    match beneficiary.split_once(" · ") {
        _ if beneficiary.is_empty() => "–".into_any(),
        Some((name, nir)) => view! { {name.to_owned()}<span class="queue__nir">{nir.to_owned()}</span> }.into_any(),
        None => beneficiary.to_owned().into_any(),
    }
}

/// The search box: a reference, an assuré's name or NIR. It posts (a NIR must never land in a URL) with the filters
/// as they are, and the queue comes back searched.
#[component]
fn SearchForm(query: QueueQuery, nir_search: Option<String>, returned: Option<SearchReturn>) -> impl IntoView {
    let kept: Vec<(&'static str, String)> = QueueQuery { search: None, nir: false, after: None, before: None, ..query.clone() }
        .params()
        .into_iter()
        .filter_map(|(name, value)| value.filter(|v| !v.is_empty()).map(|v| (name, v)))
        .collect();
    let typed = returned.as_ref().map(|r| r.typed.clone()).or_else(|| query.search.clone()).unwrap_or_default();
    let error = Signal::stored(returned.map(|r| AppError::field("recherche", r.problem)));
    let cleared =
        (query.search.is_some() || query.nir).then(|| QueueQuery { search: None, nir: false, after: None, before: None, ..query.clone() }.href());
    view! {
        <form method="post" action="/caisse/file/recherche" class="filters search" role="search" aria-label="Rechercher une demande">
            {kept.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            <TextField
                name="recherche"
                label="Rechercher une demande"
                hint="Référence (EP-AAAA-NNNNNN), nom de l'assuré ou NIR, avec ou sans espaces."
                error
                value=Signal::stored(typed)
            />
            <button type="submit" class="button">"Rechercher"</button>
            {nir_search.map(|masked| view! { <p class="hint" role="status">{format!("Recherche par NIR : {masked}")}</p> })}
            {cleared.map(|href| view! { <a href=href class="button button--secondary">"Effacer la recherche"</a> })}
        </form>
    }
}
